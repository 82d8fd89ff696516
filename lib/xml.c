/* The ANSI/NIST-ITL 1-2011 XML (NIEM) encoding as EBTS 10 uses it, both ways, with libxml2.
 *
 * Element names and their order come from the FBI's public EBTS 10.0 XML templates (SRE, CAR)
 * and the spec digest (section 6). Type-1 maps to itl:PackageInformationRecord, Type-2 to
 * itl:PackageDescriptiveTextRecord with ebts:DomainDefinedDescriptiveFields, Type-10 to
 * itl:PackageFacialAndSMTImageRecord. Value forms differ: dates YYYY-MM-DD, GMT as xs:dateTime,
 * VER split in major/minor, names split, Y/N as true/false, binary data in base64.
 *
 * Lossless by construction: a field without a mapping, or whose value the mapping cannot carry
 * exactly (a date that is no date, a name that does not split and join back, a value that is no
 * XML text), is carried as <lebts:Field tag="T.N" encoding="text|base64"> at the end of its
 * record; a record of another type as <lebts:Record type="N" encoding="base64"> holding its
 * traditional bytes. Namespace of both: urn:libebts:xml:1.
 *
 * Reading is xmlread.c's. This, xmlread.c, profile.c and junit.c are the only files that include
 * libxml2; each first calls ebts__xml_init(). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include "internal.h"
#include "xmlmap.h"

static const struct {
    const char *prefix, *uri;
} ns[] = {{"itl", "http://biometrics.nist.gov/standard/2011"},
          {"ansi-nist", "http://niem.gov/niem/biometrics/1.0"},
          {"nc", "http://niem.gov/niem/niem-core/2.0"},
          {"j", "http://niem.gov/niem/domains/jxdm/4.1"},
          {"ebts", "http://cjis.fbi.gov/fbi_ebts/10.0"},
          {"lebts", "urn:libebts:xml:1"}};
#define NNS (sizeof ns / sizeof ns[0])

enum conv { C_TEXT, C_DATE, C_GMT, C_BOOL, C_BASE64, C_VER_MAJ, C_VER_MIN, C_GIVEN, C_MIDDLE,
            C_SUR, C_CONST, C_CNT };

typedef struct xmap {
    unsigned rtype, field;
    int item;         /* item of the subfield, -1 for the subfield's value */
    int conv;
    const char *path; /* relative to the record's base; '*' marks the element per occurrence */
    int face_only;    /* Type-10: only when IMT is FACE */
} xmap;

#define T1 "ansi-nist:Transaction/"
#define D2 ""
#define S2 "ebts:RecordSubject/"
/* the table order is the XML order (FBI EBTS 10.0 templates); 1.017 ANM, which no template
 * carries (so the reader's tables do not place it), goes to lebts:Field */
static const xmap map[] = {
    {1, 5, -1, C_DATE, T1 "ansi-nist:TransactionDate/nc:Date", 0},
    {1, 7, -1, C_TEXT, T1 "ansi-nist:TransactionDestinationOrganization/nc:OrganizationIdentification/nc:IdentificationID", 0},
    {1, 8, -1, C_TEXT, T1 "ansi-nist:TransactionOriginatingOrganization/nc:OrganizationIdentification/nc:IdentificationID", 0},
    {1, 14, -1, C_GMT, T1 "ansi-nist:TransactionUTCDate/nc:DateTime", 0},
    {1, 9, -1, C_TEXT, T1 "ansi-nist:TransactionControlIdentification/nc:IdentificationID", 0},
    {1, 10, -1, C_TEXT, T1 "ansi-nist:TransactionControlReferenceIdentification/nc:IdentificationID", 0},
    {1, 13, 1, C_TEXT, T1 "ansi-nist:TransactionDomain/ansi-nist:DomainVersionNumberIdentification/nc:IdentificationID", 0},
    {1, 13, 0, C_TEXT, T1 "ansi-nist:TransactionDomain/ansi-nist:TransactionDomainName", 0},
    {1, 16, 0, C_TEXT, T1 "*ansi-nist:TransactionApplicationProfile/ansi-nist:ApplicationProfileOrganizationName", 0},
    {1, 16, 1, C_TEXT, T1 "*ansi-nist:TransactionApplicationProfile/ansi-nist:ApplicationProfileName", 0},
    {1, 16, 2, C_TEXT, T1 "*ansi-nist:TransactionApplicationProfile/ansi-nist:ApplicationProfileVersionIdentification/nc:IdentificationID", 0},
    {1, 11, -1, C_TEXT, T1 "ansi-nist:TransactionImageResolutionDetails/ansi-nist:NativeScanningResolutionValue", 0},
    {1, 12, -1, C_TEXT, T1 "ansi-nist:TransactionImageResolutionDetails/ansi-nist:NominalTransmittingResolutionValue", 0},
    {1, 2, -1, C_VER_MAJ, T1 "ansi-nist:TransactionMajorVersionValue", 0},
    {1, 2, -1, C_VER_MIN, T1 "ansi-nist:TransactionMinorVersionValue", 0},
    {1, 6, -1, C_TEXT, T1 "ansi-nist:TransactionPriorityValue", 0},
    {1, 4, -1, C_TEXT, T1 "ebts:TransactionCategoryCode", 0},
    {1, 3, -1, C_CNT, T1 "ansi-nist:TransactionContentSummary", 0},
    {1, 15, 1, C_TEXT, T1 "*ansi-nist:TransactionCharacterSetDirectory/ansi-nist:CharacterSetCommonNameCode", 0},
    {1, 15, 0, C_TEXT, T1 "*ansi-nist:TransactionCharacterSetDirectory/ansi-nist:CharacterSetIndexCode", 0},
    {1, 15, 2, C_TEXT, T1 "*ansi-nist:TransactionCharacterSetDirectory/ansi-nist:CharacterSetVersionIdentification/nc:IdentificationID", 0},

    {2, 7, -1, C_TEXT, D2 "ansi-nist:RecordForwardOrganizations/*nc:OrganizationIdentification/nc:IdentificationID", 0},
    {2, 6, -1, C_TEXT, D2 "nc:CaveatText", 0},
    {2, 98, -1, C_TEXT, D2 "*ebts:RecordFBIRepositoryCode", 0},
    {2, 59, -1, C_TEXT, D2 "ebts:RecordTransactionData/ebts:TransactionResponseData/ebts:TransactionSearchResultsCode", 0},
    {2, 60, -1, C_TEXT, D2 "ebts:RecordTransactionData/ebts:TransactionResponseData/*ebts:TransactionStatusText", 0},
    {2, 75, -1, C_TEXT, D2 "ebts:RecordTransactionData/ebts:TransactionResponseData/ebts:TransactionElectronicRapSheetText", 0},
    {2, 56, -1, C_TEXT, D2 "ebts:RecordTransactionActivity/j:SubjectOffenderNoticeText", 0},
    {2, 45, -1, C_DATE, D2 "ebts:RecordTransactionActivity/ebts:ArrestDate/nc:Date", 0},
    {2, 9, -1, C_TEXT, D2 "ebts:RecordTransactionActivity/nc:CaseTrackingID", 0},
    {2, 47, 0, C_DATE, D2 "ebts:RecordTransactionActivity/ebts:CriminalCycle/*ebts:ArrestOffenseData/ebts:OffenseDate/nc:Date", 0},
    {2, 47, 1, C_TEXT, D2 "ebts:RecordTransactionActivity/ebts:CriminalCycle/*ebts:ArrestOffenseData/j:ChargeText", 0},
    {2, 73, -1, C_TEXT, D2 "ebts:RecordTransactionActivity/*ebts:RecordControllingAgency/nc:OrganizationIdentification/nc:IdentificationID", 0},
    {2, 19, -1, C_GIVEN, S2 "*ebts:PersonAlternateName/nc:PersonGivenName", 0},
    {2, 19, -1, C_MIDDLE, S2 "*ebts:PersonAlternateName/nc:PersonMiddleName", 0},
    {2, 19, -1, C_SUR, S2 "*ebts:PersonAlternateName/nc:PersonSurName", 0},
    {2, 22, -1, C_DATE, S2 "*nc:PersonBirthDate/nc:Date", 0},
    {2, 21, -1, C_TEXT, S2 "*ebts:PersonCitizenshipCode", 0},
    {2, 31, -1, C_TEXT, S2 "nc:PersonEyeColorCode", 0},
    {2, 32, -1, C_TEXT, S2 "ebts:PersonHairColorCode", 0},
    {2, 27, -1, C_TEXT, S2 "nc:PersonHeightMeasure/nc:MeasurePointValue", 0},
    {2, 27, -1, C_CONST, S2 "nc:PersonHeightMeasure/nc:MeasureUnitText", 0},
    {2, 18, -1, C_GIVEN, S2 "ebts:PersonName/nc:PersonGivenName", 0},
    {2, 18, -1, C_MIDDLE, S2 "ebts:PersonName/nc:PersonMiddleName", 0},
    {2, 18, -1, C_SUR, S2 "ebts:PersonName/nc:PersonSurName", 0},
    {2, 26, -1, C_TEXT, S2 "ebts:PersonPhysicalFeature/*nc:PhysicalFeatureCategoryCode", 0},
    {2, 25, -1, C_TEXT, S2 "nc:PersonRaceCode", 0},
    {2, 24, -1, C_TEXT, S2 "ebts:PersonSexCode", 0},
    {2, 16, -1, C_TEXT, S2 "*nc:PersonSSNIdentification/nc:IdentificationID", 0},
    {2, 15, -1, C_TEXT, S2 "nc:PersonStateIdentification/nc:IdentificationID", 0},
    {2, 29, -1, C_TEXT, S2 "nc:PersonWeightMeasure/nc:MeasurePointValue", 0},
    {2, 20, -1, C_TEXT, S2 "ebts:PersonBirthPlaceCode", 0},
    {2, 14, -1, C_TEXT, S2 "*j:PersonFBIIdentification/nc:IdentificationID", 0},
    {2, 87, -1, C_BOOL, S2 "ebts:PersonAdultTreatmentIndicator", 0},
    {2, 36, -1, C_BOOL, S2 "ebts:PersonDigitalImageAvailableIndicator", 0},
    {2, 35, -1, C_BOOL, S2 "ebts:PersonPalmPrintAvailableIndicator", 0},
    {2, 40, -1, C_TEXT, S2 "nc:EmployeeOccupationText", 0},

    {10, 999, -1, C_BASE64, "nc:BinaryBase64Object", 0},
    {10, 5, -1, C_DATE, "ansi-nist:ImageCaptureDetail/ansi-nist:CaptureDate/nc:Date", 0},
    {10, 16, -1, C_TEXT, "ansi-nist:ImageCaptureDetail/ansi-nist:CaptureHorizontalPixelDensityValue", 0},
    {10, 4, -1, C_TEXT, "ansi-nist:ImageCaptureDetail/ansi-nist:CaptureOrganization/nc:OrganizationIdentification/nc:IdentificationID", 0},
    {10, 17, -1, C_TEXT, "ansi-nist:ImageCaptureDetail/ansi-nist:CaptureVerticalPixelDensityValue", 0},
    {10, 30, -1, C_TEXT, "ansi-nist:ImageCaptureDetail/ansi-nist:CaptureDeviceMonitoringModeCode", 1}, /* no SMT template has it */
    {10, 12, -1, C_TEXT, "ansi-nist:ImageColorSpaceCode", 0},
    {10, 38, -1, C_TEXT, "ansi-nist:ImageCommentText", 0},
    {10, 11, -1, C_TEXT, "ansi-nist:ImageCompressionAlgorithmText", 0},
    {10, 6, -1, C_TEXT, "ansi-nist:ImageHorizontalLineLengthPixelQuantity", 0},
    {10, 9, -1, C_TEXT, "ansi-nist:ImageHorizontalPixelDensityValue", 0},
    {10, 8, -1, C_TEXT, "ansi-nist:ImageScaleUnitsCode", 0},
    {10, 3, -1, C_TEXT, "ansi-nist:ImageCategoryCode", 0},
    {10, 7, -1, C_TEXT, "ansi-nist:ImageVerticalLineLengthPixelQuantity", 0},
    {10, 10, -1, C_TEXT, "ansi-nist:ImageVerticalPixelDensityValue", 0},
    {10, 13, -1, C_TEXT, "ansi-nist:FaceImageAcquisitionProfileCode", 1},
    {10, 21, -1, C_TEXT, "ansi-nist:FaceImagePoseOffsetAngleMeasure", 1},
    {10, 20, -1, C_TEXT, "ansi-nist:FaceImageSubjectPoseCode", 1},
};
#define NMAP (sizeof map / sizeof map[0])

static const char *record_element(unsigned type)
{
    return type == 1 ? "PackageInformationRecord" : type == 2 ? "PackageDescriptiveTextRecord"
                                                              : "PackageFacialAndSMTImageRecord";
}

static int span_is_face(ebts_span s)
{
    return s.len == 4 && memcmp(s.ptr, "FACE", 4) == 0;
}

/* ---------------------------------------------------------------------------- writing */

static int is_xml_text(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n;) {
        unsigned char c = p[i];
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
            return 0;
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t len = c >= 0xf0 && c <= 0xf4 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 && c <= 0xdf ? 2 : 0;
        if (!len || n - i < len)
            return 0;
        for (size_t k = 1; k < len; k++)
            if ((p[i + k] & 0xc0) != 0x80)
                return 0;
        if (len == 3) {
            unsigned cp = (c & 0x0fu) << 12 | (p[i + 1] & 0x3fu) << 6 | (p[i + 2] & 0x3fu);
            if (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff) || cp == 0xfffe || cp == 0xffff)
                return 0;
        } else if (len == 4) {
            unsigned cp = (c & 0x07u) << 18 | (p[i + 1] & 0x3fu) << 12;
            if (cp < 0x10000 || cp > 0x10ffff)
                return 0;
        }
        i += len;
    }
    return 1;
}

static int all_digits(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] < '0' || p[i] > '9')
            return 0;
    return 1;
}

/* Name parts of "SURNAME,GIVEN MIDDLE"; 1 when joining them gives the value back exactly. */
static int split_name(ebts_span v, ebts_span part[3])
{
    const unsigned char *comma = memchr(v.ptr, ',', v.len);
    if (!comma || comma == v.ptr)
        return 0;
    part[2] = (ebts_span){v.ptr, (size_t)(comma - v.ptr)};
    const unsigned char *g = comma + 1, *end = v.ptr + v.len;
    const unsigned char *sp = memchr(g, ' ', (size_t)(end - g));
    part[0] = (ebts_span){g, sp ? (size_t)(sp - g) : (size_t)(end - g)};
    part[1] = sp ? (ebts_span){sp + 1, (size_t)(end - sp - 1)} : (ebts_span){NULL, 0};
    if (part[0].len == 0 || (sp && part[1].len == 0) || memchr(part[2].ptr, ' ', 0))
        return 0;
    /* "A,B C" joins back; "A, B" or "A,B  C" would not */
    if ((sp && part[1].ptr[0] == ' ') || part[2].ptr[part[2].len - 1] == ' ' || g[0] == ' ')
        return 0;
    return 1;
}

/* The XML text for one entry and value; 0 if the entry cannot carry it exactly. */
static int convert_out(int conv, ebts_span v, char *buf, size_t size, ebts_span *out)
{
    switch (conv) {
    case C_DATE:
        if (v.len != 8 || !all_digits(v.ptr, 8))
            return 0;
        snprintf(buf, size, "%.4s-%.2s-%.2s", v.ptr, v.ptr + 4, v.ptr + 6);
        *out = (ebts_span){(const unsigned char *)buf, 10};
        return 1;
    case C_GMT:
        if (v.len != 15 || !all_digits(v.ptr, 14) || v.ptr[14] != 'Z')
            return 0;
        snprintf(buf, size, "%.4s-%.2s-%.2sT%.2s:%.2s:%.2sZ", v.ptr, v.ptr + 4, v.ptr + 6,
                 v.ptr + 8, v.ptr + 10, v.ptr + 12);
        *out = (ebts_span){(const unsigned char *)buf, 20};
        return 1;
    case C_BOOL:
        if (v.len != 1 || (v.ptr[0] != 'Y' && v.ptr[0] != 'N'))
            return 0;
        *out = v.ptr[0] == 'Y' ? (ebts_span){(const unsigned char *)"true", 4}
                               : (ebts_span){(const unsigned char *)"false", 5};
        return 1;
    case C_VER_MAJ:
    case C_VER_MIN:
        if (v.len != 4 || !all_digits(v.ptr, 4))
            return 0;
        *out = (ebts_span){v.ptr + (conv == C_VER_MIN ? 2 : 0), 2};
        return 1;
    case C_GIVEN:
    case C_MIDDLE:
    case C_SUR: {
        ebts_span part[3];
        if (!split_name(v, part) || !is_xml_text(v.ptr, v.len))
            return 0;
        *out = part[conv - C_GIVEN];
        return 1;
    }
    case C_CONST:
        *out = (ebts_span){(const unsigned char *)"FeetInches", 10};
        return 1;
    default:
        if (!is_xml_text(v.ptr, v.len))
            return 0;
        *out = v;
        return 1;
    }
}

/* Can field f be written through the table? */
static int mappable(const ebts_field *f, unsigned rtype, int face)
{
    int any = 0, has_items = 0, max_item = -1;
    int repeated = 0;
    char buf[64];
    for (size_t m = 0; m < NMAP; m++) {
        if (map[m].rtype != rtype || map[m].field != f->number)
            continue;
        if (map[m].face_only && !face)
            return 0;
        any = 1;
        if (map[m].item >= 0)
            has_items = 1;
        if (map[m].item > max_item)
            max_item = map[m].item;
        if (strchr(map[m].path, '*'))
            repeated = 1;
    }
    if (!any || ebts_field_is_binary(f) != (rtype == 10 && f->number == 999))
        return 0;
    if (ebts__nsub(f) > 1 && !repeated)
        return 0;
    for (size_t s = 0, n = ebts__nsub(f); s < n; s++) {
        size_t nit = ebts_field_item_count(f, s);
        if (!has_items && nit != 1)
            return 0;
        if (has_items && (int)nit > max_item + 1)
            return 0;
        for (size_t m = 0; m < NMAP; m++) {
            if (map[m].rtype != rtype || map[m].field != f->number || map[m].conv == C_BASE64)
                continue;
            ebts_span v = ebts_field_item(f, s, map[m].item < 0 ? 0 : (size_t)map[m].item), out;
            if (map[m].item >= 0 && (v.len == 0 || (size_t)map[m].item >= nit))
                continue; /* an absent item writes no element */
            if (map[m].item < 0 && v.len == 0 && map[m].conv != C_CONST)
                return 0; /* an empty value would read back as an absent field */
            if (!convert_out(map[m].conv, v, buf, sizeof buf, &out))
                return 0;
        }
        /* items must read back in place: an empty item has no element, so none may be empty
         * ("NORAM<US>" with its empty version item goes through the carrier) */
        for (size_t i = 0; has_items && i < nit; i++)
            if (ebts_field_item(f, s, i).len == 0)
                return 0;
    }
    /* a NAME with its middle part optional: ok; an empty middle must not stand between */
    return 1;
}

static xmlNsPtr find_ns(xmlNodePtr root, const char *prefix)
{
    return xmlSearchNs(root->doc, root, (const xmlChar *)prefix);
}

static xmlNodePtr new_child(xmlNodePtr parent, const char *qname, size_t qlen)
{
    char pre[16], local[128];
    const char *colon = memchr(qname, ':', qlen);
    snprintf(pre, sizeof pre, "%.*s", colon ? (int)(colon - qname) : 0, qname);
    snprintf(local, sizeof local, "%.*s", colon ? (int)(qlen - (size_t)(colon - qname) - 1) : (int)qlen,
             colon ? colon + 1 : qname);
    return xmlNewChild(parent, find_ns(parent, pre), (const xmlChar *)local, NULL);
}

static int same_name(xmlNodePtr n, const char *qname, size_t qlen)
{
    if (n->type != XML_ELEMENT_NODE || !n->ns || !n->ns->prefix)
        return 0;
    size_t pl = strlen((const char *)n->ns->prefix), ll = strlen((const char *)n->name);
    return pl + 1 + ll == qlen && memcmp(qname, n->ns->prefix, pl) == 0 && qname[pl] == ':' &&
           memcmp(qname + pl + 1, n->name, ll) == 0;
}

typedef struct rep {
    unsigned field;
    size_t sub;
    xmlNodePtr node;
} rep;

typedef struct W {
    rep *reps;
    size_t nreps, cap;
    int oom;
} W;

/* The element for one entry and occurrence, creating the path as needed. */
static xmlNodePtr path_node(W *w, xmlNodePtr base, const xmap *m, size_t sub)
{
    const char *p = m->path;
    xmlNodePtr cur = base;
    while (*p) {
        const char *slash = strchr(p, '/');
        size_t len = slash ? (size_t)(slash - p) : strlen(p);
        int star = p[0] == '*';
        const char *q = p + star;
        size_t ql = len - (size_t)star;
        int leaf = !slash;
        xmlNodePtr found = NULL;
        if (star) {
            for (size_t i = 0; i < w->nreps; i++)
                if (w->reps[i].field == m->field && w->reps[i].sub == sub &&
                    w->reps[i].node->parent == cur && same_name(w->reps[i].node, q, ql))
                    found = w->reps[i].node;
        } else if (!leaf) {
            for (xmlNodePtr c = cur->last; c && !found; c = c->prev)
                if (same_name(c, q, ql))
                    found = c;
        }
        if (!found) {
            found = new_child(cur, q, ql);
            if (!found) {
                w->oom = 1;
                return NULL;
            }
            if (star) {
                if (w->nreps == w->cap) {
                    size_t cap = w->cap ? w->cap * 2 : 16;
                    rep *r = realloc(w->reps, cap * sizeof *r);
                    if (!r) {
                        w->oom = 1;
                        return NULL;
                    }
                    w->reps = r;
                    w->cap = cap;
                }
                w->reps[w->nreps++] = (rep){m->field, sub, found};
            }
        }
        cur = found;
        p = slash ? slash + 1 : p + len;
    }
    return cur;
}

static void set_text(W *w, xmlNodePtr n, const unsigned char *p, size_t len)
{
    xmlNodePtr t = xmlNewTextLen((const xmlChar *)p, (int)len);
    if (!t || !xmlAddChild(n, t))
        w->oom = 1;
}

static void put_content_summary(W *w, const ebts_txn *t, xmlNodePtr node)
{
    char v[32];
    xmlNsPtr an = find_ns(node, "ansi-nist"), nc = find_ns(node, "nc");
    xmlNewChild(node, an, (const xmlChar *)"ContentFirstRecordCategoryCode", (const xmlChar *)"1");
    snprintf(v, sizeof v, "%zu", t->nrecs - 1);
    xmlNewChild(node, an, (const xmlChar *)"ContentRecordQuantity", (const xmlChar *)v);
    for (size_t i = 1; i < t->nrecs; i++) {
        xmlNodePtr s = xmlNewChild(node, an, (const xmlChar *)"ContentRecordSummary", NULL);
        xmlNodePtr irf = s ? xmlNewChild(s, an, (const xmlChar *)"ImageReferenceIdentification", NULL) : NULL;
        int idc = ebts_record_idc(t->recs[i]);
        snprintf(v, sizeof v, "%02d", idc < 0 ? 0 : idc);
        if (!irf || !xmlNewChild(irf, nc, (const xmlChar *)"IdentificationID", (const xmlChar *)v))
            w->oom = 1;
        snprintf(v, sizeof v, "%02u", t->recs[i]->type);
        if (s)
            xmlNewChild(s, an, (const xmlChar *)"RecordCategoryCode", (const xmlChar *)v);
    }
}

/* A field without a tag (raw bytes) has a tag attribute of its record type alone. */
static void put_carrier_field(W *w, xmlNodePtr rec, const ebts_field *f, unsigned rtype)
{
    char tag[24];
    if (f->flags & EBTS__F_MALFORMED)
        snprintf(tag, sizeof tag, "%u", rtype);
    else
        snprintf(tag, sizeof tag, "%u.%03u", rtype, f->number);
    ebts_span v = ebts_field_value(f);
    xmlNodePtr n = xmlNewChild(rec, find_ns(rec, "lebts"), (const xmlChar *)"Field", NULL);
    if (!n) {
        w->oom = 1;
        return;
    }
    xmlNewProp(n, (const xmlChar *)"tag", (const xmlChar *)tag);
    int text = !ebts_field_is_binary(f) && is_xml_text(v.ptr, v.len);
    xmlNewProp(n, (const xmlChar *)"encoding", (const xmlChar *)(text ? "text" : "base64"));
    if (text) {
        set_text(w, n, v.ptr, v.len);
    } else {
        ebts__buf b = {0};
        ebts__base64(&b, v.ptr, v.len);
        w->oom |= b.oom;
        set_text(w, n, b.p ? b.p : (const unsigned char *)"", b.len);
        free(b.p);
    }
}

static void put_record(W *w, const ebts_txn *t, size_t ri, xmlNodePtr root)
{
    const ebts_record *r = t->recs[ri];
    xmlNsPtr an = find_ns(root, "ansi-nist"), nc = find_ns(root, "nc");
    char v[32];
    int tagged_mapped = !r->binary && (r->type == 1 || r->type == 2 || r->type == 10) &&
                        (r->type != 1 || ri == 0);
    if (!tagged_mapped) {
        /* carried whole: its traditional bytes */
        xmlNodePtr n = xmlNewChild(root, find_ns(root, "lebts"), (const xmlChar *)"Record", NULL);
        ebts__buf raw = {0}, b64 = {0};
        ebts__write_record(t, ri, &raw);
        ebts__base64(&b64, raw.p ? raw.p : (const unsigned char *)"", raw.len);
        if (!n || raw.oom || b64.oom) {
            w->oom = 1;
        } else {
            snprintf(v, sizeof v, "%u", r->type);
            xmlNewProp(n, (const xmlChar *)"type", (const xmlChar *)v);
            xmlNewProp(n, (const xmlChar *)"encoding", (const xmlChar *)"base64");
            if (!r->binary && r->type >= 3 && r->type <= 8) /* read tagged, as its bytes were */
                xmlNewProp(n, (const xmlChar *)"form", (const xmlChar *)"tagged");
            set_text(w, n, b64.p ? b64.p : (const unsigned char *)"", b64.len);
        }
        free(raw.p);
        free(b64.p);
        return;
    }
    xmlNodePtr rec = xmlNewChild(root, find_ns(root, "itl"),
                                 (const xmlChar *)record_element(r->type), NULL);
    if (!rec) {
        w->oom = 1;
        return;
    }
    snprintf(v, sizeof v, "%02u", r->type);
    xmlNewChild(rec, an, (const xmlChar *)"RecordCategoryCode", (const xmlChar *)v);
    const ebts_field *idc = r->type != 1 ? ebts_record_field(r, 2) : NULL;
    int idc_mapped = idc && ebts__nitems(idc) == 1 && idc->len > 0 && all_digits(idc->val, idc->len);
    if (idc_mapped) {
        xmlNodePtr irf = xmlNewChild(rec, an, (const xmlChar *)"ImageReferenceIdentification", NULL);
        if (irf)
            xmlNewTextChild(irf, nc, (const xmlChar *)"IdentificationID", NULL);
        if (irf && irf->last)
            set_text(w, irf->last, idc->val, idc->len);
    }
    int face = r->type == 10 && span_is_face(ebts_field_value(ebts_record_field(r, 3)));
    xmlNodePtr base = rec;
    if (r->type == 2) {
        xmlNodePtr u = xmlNewChild(rec, find_ns(root, "itl"), (const xmlChar *)"UserDefinedDescriptiveDetail", NULL);
        base = u ? xmlNewChild(u, find_ns(root, "ebts"), (const xmlChar *)"DomainDefinedDescriptiveFields", NULL) : NULL;
    } else if (r->type == 10) {
        base = face ? xmlNewChild(rec, find_ns(root, "itl"), (const xmlChar *)"FaceImage", NULL)
                    : xmlNewChild(rec, an, (const xmlChar *)"PhysicalFeatureImage", NULL);
    }
    if (!base) {
        w->oom = 1;
        return;
    }
    /* which fields go through the table; a repeated number is carried after its first field
     * (the first occurrences come from sorted (number, position) pairs: asking each field
     * whether it is its number's first took 3 s for a record of 80 000 fields) */
    char *mapped = calloc(r->nfields + 1, 1);
    unsigned char *first_of = calloc(r->nfields + 1, 1);
    size_t nk = 0;
    uint64_t *keys = mapped && first_of ? ebts__field_numbers_sorted(r, &nk) : NULL;
    if (!keys) {
        free(mapped);
        free(first_of);
        w->oom = 1;
        return;
    }
    for (size_t k = 0; k < nk; k++)
        if (k == 0 || keys[k] >> 32 != keys[k - 1] >> 32)
            first_of[(uint32_t)keys[k]] = 1;
    free(keys);
    for (uint32_t i = 0; i < r->nfields; i++) {
        const ebts_field *f = &r->fields[i];
        if (f->flags & EBTS__F_MALFORMED)
            continue;
        int first = first_of[i];
        if (f->number == 1 || (f->number == 2 && r->type != 1 && idc_mapped && first) ||
            (r->type == 1 && f->number == 3))
            mapped[i] = 1;
        else if (first && mappable(f, r->type, face))
            mapped[i] = 2;
    }
    w->nreps = 0;
    char buf[64];
    for (size_t m = 0; m < NMAP; m++) {
        if (map[m].rtype != r->type)
            continue;
        if (map[m].conv == C_CNT) {
            xmlNodePtr cs = path_node(w, base, &map[m], 0);
            if (cs)
                put_content_summary(w, t, cs);
            continue;
        }
        const ebts_field *f = ebts_record_field(r, map[m].field);
        if (!f || mapped[f - r->fields] != 2)
            continue;
        for (size_t s = 0, nsubs = ebts__nsub(f); s < nsubs; s++) {
            ebts_span val, out;
            if (map[m].conv == C_BASE64) {
                ebts__buf b = {0};
                ebts__base64(&b, f->val, f->len);
                xmlNodePtr n = path_node(w, base, &map[m], s);
                if (n && !b.oom)
                    set_text(w, n, b.p ? b.p : (const unsigned char *)"", b.len);
                w->oom |= b.oom;
                free(b.p);
                continue;
            }
            val = ebts_field_item(f, s, map[m].item < 0 ? 0 : (size_t)map[m].item);
            if (map[m].item >= 0 && val.len == 0)
                continue;
            if (!convert_out(map[m].conv, val, buf, sizeof buf, &out) ||
                ((map[m].conv == C_MIDDLE) && out.len == 0))
                continue;
            xmlNodePtr n = path_node(w, base, &map[m], s);
            if (n)
                set_text(w, n, out.ptr, out.len);
        }
    }
    for (uint32_t i = 0; i < r->nfields; i++)
        if (!mapped[i] && !(r->fields[i].flags & EBTS__F_MALFORMED))
            put_carrier_field(w, rec, &r->fields[i], r->type);
    for (uint32_t i = 0; i < r->nfields; i++)
        if (r->fields[i].flags & EBTS__F_MALFORMED)
            put_carrier_field(w, rec, &r->fields[i], r->type);
    free(mapped);
    free(first_of);
}

/* A mutex, not pthread_once: the order it gives is one helgrind sees (it does not model
 * pthread_once), so tests/valgrind.sh can check that no thread races libxml2's initialisation.
 * Once per XML document, its cost does not show. */
static pthread_mutex_t xml_init_lock = PTHREAD_MUTEX_INITIALIZER;
static int xml_initialised;

void ebts__xml_init(void)
{
    pthread_mutex_lock(&xml_init_lock);
    if (!xml_initialised) {
        xmlInitParser();
        xml_initialised = 1;
    }
    pthread_mutex_unlock(&xml_init_lock);
}

int ebts__write_xml(const ebts_txn *t, ebts__buf *b, ebts_error *err)
{
    ebts__xml_init();
    xmlDocPtr doc = xmlNewDoc((const xmlChar *)"1.0");
    xmlNodePtr root = doc ? xmlNewNode(NULL, (const xmlChar *)"NISTBiometricInformationExchangePackage") : NULL;
    W w = {NULL, 0, 0, 0};
    if (!root) {
        xmlFreeDoc(doc);
        ebts__error_oom(err);
        return -1;
    }
    xmlDocSetRootElement(doc, root);
    for (size_t i = 0; i < NNS; i++) {
        xmlNsPtr n = xmlNewNs(root, (const xmlChar *)ns[i].uri, (const xmlChar *)ns[i].prefix);
        if (i == 0)
            xmlSetNs(root, n);
    }
    for (size_t ri = 0; ri < t->nrecs && !w.oom; ri++)
        put_record(&w, t, ri, root);
    xmlChar *mem = NULL;
    int size = 0;
    if (!w.oom)
        xmlDocDumpFormatMemoryEnc(doc, &mem, &size, "UTF-8", 1);
    xmlFreeDoc(doc);
    free(w.reps);
    if (w.oom || !mem) {
        xmlFree(mem);
        ebts__error_oom(err);
        return -1;
    }
    ebts__buf_put(b, mem, (size_t)size);
    xmlFree(mem);
    return 0;
}

/* Has field number f of a record of type rtype an element of its own (a text one)? */
static int has_element(unsigned rtype, unsigned f, int face)
{
    if (rtype != 1 && f == 2)
        return 1; /* the IDC: ImageReferenceIdentification */
    for (size_t m = 0; m < NMAP; m++)
        if (map[m].rtype == rtype && map[m].field == f && map[m].conv != C_BASE64 &&
            map[m].conv != C_CNT && (!map[m].face_only || face))
            return 1;
    return 0;
}

ebts_report *ebts_txn_xml_findings(const ebts_txn *t, ebts_error *err)
{
    if (!t) {
        ebts__error_set(err, EBTS__C_BAD_ARGUMENT, 0, -1, NULL, "NULL transaction");
        return NULL;
    }
    ebts_report *report = calloc(1, sizeof *report);
    if (!report) {
        ebts__error_oom(err);
        return NULL;
    }
    for (size_t ri = 0; ri < t->nrecs; ri++) {
        const ebts_record *r = t->recs[ri];
        /* the records put_record maps; the others go whole to lebts:Record */
        if (r->binary || (r->type != 1 && r->type != 2 && r->type != 10) ||
            (r->type == 1 && ri != 0))
            continue;
        int face = r->type == 10 && span_is_face(ebts_field_value(ebts_record_field(r, 3)));
        for (uint32_t i = 0; i < r->nfields; i++) {
            const ebts_field *f = &r->fields[i];
            if ((f->flags & (EBTS__F_MALFORMED | EBTS__F_BINARY)) || f->number == 1 ||
                !has_element(r->type, f->number, face) || is_xml_text(f->val, f->len))
                continue;
            ebts__diag_add(&report->dl, EBTS__C_XML_VALUE_CARRIED,
                           EBTS__AT_FIELD(f->offset == EBTS__NOWHERE ? 0 : f->offset, (long)ri,
                                          r->type, f->number),
                           "a control character or a byte that is no UTF-8: written to "
                           "lebts:Field in base64, not to its element");
        }
    }
    ebts__dlist_note(&report->dl);
    if (report->dl.oom) {
        free(report->dl.d);
        free(report);
        ebts__error_oom(err);
        return NULL;
    }
    return report;
}

/* ---------------------------------------------------------------------------- reading */

/* The character at byte i of text in `width`-byte units (1: UTF-8 or ASCII; 2: UTF-16, little
 * endian when le): only ASCII is looked for, so the other byte of a UTF-16 unit must be 0. */
static int ascii_at(const unsigned char *p, size_t i, int width, int le)
{
    if (width == 1)
        return p[i];
    unsigned char lo = le ? p[i] : p[i + 1], hi = le ? p[i + 1] : p[i];
    return hi == 0 && lo < 0x80 ? lo : -1;
}

/* XML in UTF-8 or UTF-16 (either byte order, with or without a byte order mark, as XML 1.0
 * appendix F detects it) whose first 4096 characters name the transaction's root element. */
int ebts__xml_detect(const unsigned char *p, size_t n)
{
    static const char root[] = "NISTBiometricInformationExchangePackage";
    size_t i = 0;
    int width = 1, le = 0;
    if (n >= 3 && p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf) {
        i = 3;
    } else if (n >= 2 && ((p[0] == 0xff && p[1] == 0xfe) || (p[0] == 0xfe && p[1] == 0xff))) {
        width = 2;
        le = p[0] == 0xff;
        i = 2;
    } else if (n >= 2 && ((p[0] == '<' && p[1] == 0) || (p[0] == 0 && p[1] == '<'))) {
        width = 2;
        le = p[0] == '<';
    }
    n -= (n - i) % (size_t)width; /* whole units only */
    for (int c; i < n && ((c = ascii_at(p, i, width, le)) == ' ' || c == '\t' || c == '\r' ||
                          c == '\n');)
        i += (size_t)width;
    if (i >= n || ascii_at(p, i, width, le) != '<')
        return 0;
    size_t end = n - i < 4096 * (size_t)width ? n : i + 4096 * (size_t)width;
    size_t rlen = (sizeof root - 1) * (size_t)width;
    for (size_t k = i; k + rlen <= end; k += (size_t)width) {
        size_t m = 0;
        while (m < sizeof root - 1 && ascii_at(p, k + m * (size_t)width, width, le) == root[m])
            m++;
        if (m == sizeof root - 1)
            return 1;
    }
    return 0;
}

/* 1: p[0..n) begins with s, -1: it is shorter and s begins with it, 0: neither. */
static int begins(const unsigned char *p, size_t n, const char *s, size_t len)
{
    size_t m = n < len ? n : len;
    if (memcmp(p, s, m) != 0)
        return 0;
    return m == len ? 1 : -1;
}

/* libxml2 tells the encoding from the first bytes: UCS-4 in four byte orders, UTF-16 without a
 * byte order mark and EBCDIC by their first character '<' (or "<?"); a UTF-16 byte order mark;
 * else UTF-8, after its optional byte order mark. A document begins, in its encoding, with
 * white space or '<'. */
int ebts__xml_could_begin(const unsigned char *p, size_t n)
{
    static const char sig[][4] = {{0, 0, 0, '<'}, {'<', 0, 0, 0}, {0, 0, '<', 0}, {0, '<', 0, 0},
                                  {0, '<', 0, '?'}, {'<', 0, '?', 0}, {0x4c, 0x6f, (char)0xa7,
                                  (char)0x94}};
    int undecided = 0, b;
    for (size_t k = 0; k < sizeof sig / sizeof sig[0]; k++) {
        if ((b = begins(p, n, sig[k], 4)) > 0)
            return EBTS__COULD;
        undecided |= b < 0;
    }
    size_t i = 0, w = 1;
    int be = 0;
    if ((b = begins(p, n, "\xef\xbb\xbf", 3)) != 0) {
        i = 3;
    } else if ((b = begins(p, n, "\xfe\xff", 2)) != 0) {
        i = w = 2;
        be = 1;
    } else if ((b = begins(p, n, "\xff\xfe", 2)) != 0) {
        i = w = 2;
    }
    if (b < 0)
        return EBTS__UNDECIDED;
    for (; i + w <= n; i += w) {
        unsigned c = w == 1 ? p[i]
                     : be   ? (unsigned)p[i] << 8 | p[i + 1]
                            : (unsigned)p[i + 1] << 8 | p[i];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
            continue;
        return c == '<' ? EBTS__COULD : undecided ? EBTS__UNDECIDED : EBTS__CANNOT;
    }
    return EBTS__UNDECIDED;
}
