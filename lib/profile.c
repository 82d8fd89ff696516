/* Profiles: the built-in rule sets (ebts-11, ebts-10, ebts-9.1, ansi-nist-2011) and SIB profile files in XML, read with
 * libxml2 (no network, no DTD, no entity substitution) and validated against the profile XSD
 * (profiles/ebts-profile.xsd, compiled in). libxml2 errors are caught per context: the library
 * never prints. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xmlapi.h"
#include "internal.h"
#include "profile_xsd.h"

#define NS "urn:libebts:profile:1"

ebts_profile *ebts__profile_new(const char *name, int ebts10)
{
    ebts_profile *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    snprintf(p->name, sizeof p->name, "%s", name);
    p->ebts10 = ebts10;
    ebts__arena_init(&p->arena, 4096);
    return p;
}

/* The built-in rule sets, the default first, each with the sources of its facts. */
static const struct builtin {
    const char *name;
    int version; /* ebts_profile.version */
    const char *source;
} builtins[] = {
    {"ebts-11", 112,
     "EBTS 11.2 (FBI CJIS, February 2025): the fields, occurrences and record types of each "
     "TOT's 11.2 XML template; code lists, items and lengths of the 11.2 XSD (IMT, FGP, CSL, RSR, "
     "HAI, RAP, PXS, SXS, SMT, SMS, COL, CSP, SAP, SHC, PAS); lengths and character sets of EBTS "
     "9.1 with the EBTS 10 changes where 11.2 says nothing"},
    {"ebts-10", 100,
     "EBTS 10.0: the fields, occurrences and record types of each TOT's 10.0 XML template; code "
     "lists, items and lengths of the 10.0 XSD (IMT, FGP, CSL, RSR, HAI, PXS, SMT, SMS, COL, CSP, "
     "SAP, SHC); EBTS 9.1 tables (OpenEBTS verification file, IAFIS-DOC-01078-9.1) with the EBTS "
     "10 and ANSI/NIST-ITL 1-2011 changes where 10.0 says nothing"},
    {"ebts-9.1", 91, "EBTS 9.1 (IAFIS-DOC-01078-9.1) as the OpenEBTS verification file states it"},
    {"ansi-nist-2011", 2011,
     "ANSI/NIST-ITL 1-2011 with its 2013 and 2015 updates: Types 1, 2 and 10, any TOT (no EBTS "
     "transaction rules)"},
};

size_t ebts_profile_builtins(size_t index, const char **name, const char **source)
{
    size_t n = sizeof builtins / sizeof builtins[0];
    if (index < n) {
        if (name)
            *name = builtins[index].name;
        if (source)
            *source = builtins[index].source;
    }
    return n;
}

static int version_of(const char *name)
{
    for (size_t i = 0; name && i < sizeof builtins / sizeof builtins[0]; i++)
        if (strcmp(name, builtins[i].name) == 0)
            return builtins[i].version;
    return 0;
}

ebts_profile *ebts_profile_builtin(const char *name, ebts_error *err)
{
    if (!name) {
        ebts__error_set(err, EBTS__C_BAD_ARGUMENT, 0, -1, NULL, "NULL profile name");
        return NULL;
    }
    int version = version_of(name);
    if (version) {
        ebts_profile *p = ebts__profile_new(name, version != 91);
        if (p)
            p->version = version;
        if (p && ebts__profile_compile(p) < 0) {
            ebts_profile_free(p);
            p = NULL;
        }
        if (!p)
            ebts__error_oom(err);
        return p;
    }
    ebts__error_set(err, EBTS__C_PROFILE_INVALID, 0, -1, NULL,
                    "no built-in profile \"%s\" (there are ebts-11, ebts-10, ebts-9.1 and "
                    "ansi-nist-2011)",
                    name);
    return NULL;
}

const char *ebts_profile_name(const ebts_profile *p)
{
    return p ? p->name : "";
}

void ebts_profile_free(ebts_profile *p)
{
    if (!p)
        return;
    ebts__profile_compiled_free(p);
    ebts__arena_free(&p->arena);
    free(p->rules);
    free(p->mand);
    free(p->forbid);
    free(p->sev);
    free(p);
}

/* ---- XML */

typedef struct xerr {
    char msg[200];
    int line;
    int set;
} xerr;

static void catch_error(void *data, xmlErrorPtr e)
{
    xerr *x = data;
    if (x->set || !e)
        return;
    x->set = 1;
    x->line = e->line;
    snprintf(x->msg, sizeof x->msg, "%s", e->message ? e->message : "invalid");
    size_t n = strlen(x->msg);
    while (n && (x->msg[n - 1] == '\n' || x->msg[n - 1] == ' '))
        x->msg[--n] = 0;
}

/* see xml.c: libxml2's generic channel is muted around each parse */
static void mute(void *ctx, const char *fmt, ...)
{
    (void)ctx;
    (void)fmt;
}

static void catch_parse_error(void *ctx, xmlErrorPtr e)
{
    xmlParserCtxtPtr c = ctx;
    catch_error(c->_private, e);
}

static int validate_xsd(xmlDocPtr doc, xerr *x)
{
    xmlSchemaParserCtxtPtr pc = xmlSchemaNewMemParserCtxt(ebts__profile_xsd,
                                                          (int)strlen(ebts__profile_xsd));
    if (!pc)
        return -1;
    xerr ignore = {{0}, 0, 0};
    xmlSchemaSetParserStructuredErrors(pc, catch_error, &ignore);
    xmlSchemaPtr schema = xmlSchemaParse(pc);
    xmlSchemaFreeParserCtxt(pc);
    if (!schema)
        return -1;
    xmlSchemaValidCtxtPtr vc = xmlSchemaNewValidCtxt(schema);
    int rc = -1;
    if (vc) {
        xmlSchemaSetValidStructuredErrors(vc, catch_error, x);
        rc = xmlSchemaValidateDoc(vc, doc);
        xmlSchemaFreeValidCtxt(vc);
    }
    xmlSchemaFree(schema);
    return rc;
}

static const char *attr(ebts_profile *p, xmlNodePtr n, const char *name)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
    if (!v)
        return NULL;
    char *copy = ebts__arena_dup(&p->arena, v, strlen((const char *)v) + 1);
    xmlFree(v);
    return copy;
}

/* A number attribute (the schema has checked it: spaces, an optional '+', digits); *bad names it
 * when it does not fit an unsigned. */
static unsigned uattr(ebts_profile *p, xmlNodePtr n, const char *name, unsigned dflt,
                      const char **bad)
{
    const char *v = attr(p, n, name);
    if (!v)
        return dflt;
    unsigned long long x = 0;
    const char *c = v + strspn(v, " \t\r\n");
    for (c += *c == '+'; *c >= '0' && *c <= '9'; c++) {
        x = x * 10 + (unsigned)(*c - '0');
        if (x > UINT_MAX) {
            *bad = name;
            return dflt;
        }
    }
    return (unsigned)x;
}

static const char *tot_list(ebts_profile *p, const char *v)
{
    if (!v || strcmp(v, "*") == 0)
        return v;
    size_t n = strlen(v) + 3;
    char *s = ebts__arena_alloc(&p->arena, n);
    if (s)
        snprintf(s, n, " %s ", v);
    return s;
}

static int tag_of(const char *tag, unsigned *rtype, unsigned *field)
{
    return tag && sscanf(tag, "%u.%u", rtype, field) == 2;
}

static int grow(void **arr, size_t n, size_t size)
{
    void *q = realloc(*arr, (n + 1) * size);
    if (!q)
        return -1;
    *arr = q;
    return 0;
}

static int ctype_of(const char *t)
{
    static const char *const n[] = {"A", "N", "AN", "ANS", "AS", "NS"};
    for (int i = 0; i < 6; i++)
        if (t && strcmp(t, n[i]) == 0)
            return i;
    return EBTS__CT_ANS;
}

/* The rules of the document into p: 0, -1 without memory, -2 when a number does not fit
 * (x says where). */
static int read_profile(ebts_profile *p, xmlNodePtr root, xerr *x)
{
    for (xmlNodePtr n = root->children; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        const char *el = (const char *)n->name;
        unsigned rt = 0, fn = 0;
        if (strcmp(el, "field") == 0) {
            if (grow((void **)&p->rules, p->nrules, sizeof *p->rules) < 0)
                return -1;
            ebts__field_rule *r = &p->rules[p->nrules++];
            memset(r, 0, sizeof *r);
            tag_of(attr(p, n, "tag"), &rt, &fn);
            r->rtype = rt;
            r->field = fn;
            r->mnem = attr(p, n, "mnemonic");
            r->ctype = ctype_of(attr(p, n, "type"));
            const char *bad = NULL;
            r->minlen = uattr(p, n, "min-length", 1, &bad);
            r->maxlen = uattr(p, n, "max-length", 0, &bad);
            r->minocc = uattr(p, n, "min-occurrences", 1, &bad);
            r->maxocc = uattr(p, n, "max-occurrences", 1, &bad);
            if (bad) {
                x->set = 1;
                x->line = (int)xmlGetLineNo(n);
                snprintf(x->msg, sizeof x->msg, "%s is larger than %u", bad, UINT_MAX);
                return -2;
            }
            r->mand = tot_list(p, attr(p, n, "mandatory"));
            r->opt = tot_list(p, attr(p, n, "optional"));
            if (!r->mand && !r->opt)
                r->opt = "*";
            r->values = attr(p, n, "values");
            r->sca = attr(p, n, "specials");
            const char *d = attr(p, n, "date");
            r->date = d && (strcmp(d, "true") == 0 || strcmp(d, "1") == 0) ? EBTS__DATE_YMD
                                                                            : EBTS__DATE_NONE;
            r->desc = attr(p, n, "description");
        } else if (strcmp(el, "mandatory") == 0 || strcmp(el, "forbidden") == 0) {
            int m = el[0] == 'm';
            ebts__req **arr = m ? &p->mand : &p->forbid;
            size_t *cnt = m ? &p->nmand : &p->nforbid;
            if (grow((void **)arr, *cnt, sizeof **arr) < 0)
                return -1;
            tag_of(attr(p, n, "tag"), &rt, &fn);
            (*arr)[*cnt].rtype = rt;
            (*arr)[*cnt].field = fn;
            (*arr)[*cnt].tots = tot_list(p, attr(p, n, "tots"));
            (*cnt)++;
        } else if (strcmp(el, "severity") == 0) {
            if (grow((void **)&p->sev, p->nsev, sizeof *p->sev) < 0)
                return -1;
            const char *lv = attr(p, n, "level");
            p->sev[p->nsev].code = attr(p, n, "code");
            p->sev[p->nsev].severity = !lv || strcmp(lv, "off") == 0 ? 0
                                       : strcmp(lv, "error") == 0  ? EBTS_SEV_ERROR
                                                                   : EBTS_SEV_WARNING;
            p->nsev++;
        }
    }
    return 0;
}

/* Elements in the document, counted up to one past the limit. Profiles are refused beyond it
 * before schema validation: libxml2 names the element of each schema error by its position among
 * its siblings, counted from the first, so a profile of 20 000 rules half of them invalid took
 * 147 s to refuse. Real profiles hold tens of rules. */
#define PROFILE_MAX_ELEMENTS 4096
static size_t count_elements(xmlDocPtr doc)
{
    size_t n = 0;
    xmlNodePtr root = xmlDocGetRootElement(doc), c = root;
    while (c && n <= PROFILE_MAX_ELEMENTS) {
        n++;
        xmlNodePtr next = xmlFirstElementChild(c);
        while (!next && c && c != root) {
            next = xmlNextElementSibling(c);
            if (!next)
                c = c->parent;
        }
        c = next;
    }
    return n;
}

ebts_profile *ebts_profile_load_buffer(const void *xml, size_t len, ebts_error *err)
{
    if (!xml && len) {
        ebts__error_set(err, EBTS__C_BAD_ARGUMENT, 0, -1, NULL, "NULL profile of %zu bytes", len);
        return NULL;
    }
    if (!xml || len > 16u << 20) {
        ebts__error_set(err, EBTS__C_PROFILE_INVALID, 0, -1, NULL,
                        "no profile, or larger than 16 MiB");
        return NULL;
    }
    if (ebts__xml_init(err) < 0)
        return NULL;
    xerr x = {{0}, 0, 0};
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (!ctxt) {
        ebts__error_oom(err);
        return NULL;
    }
    ctxt->_private = &x;
    ctxt->sax->serror = catch_parse_error;
    ctxt->sax->error = NULL;
    ctxt->sax->warning = NULL;
    xmlGenericErrorFunc saved = xmlGenericError;
    void *saved_ctx = xmlGenericErrorContext;
    xmlSetGenericErrorFunc(NULL, mute);
    xmlDocPtr doc = xmlCtxtReadMemory(ctxt, xml, (int)len, "profile.xml", NULL,
                                      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    xmlSetGenericErrorFunc(saved_ctx, saved);
    xmlFreeParserCtxt(ctxt);
    if (!doc) {
        ebts__error_set(err, EBTS__C_PROFILE_INVALID, 0, -1, NULL,
                        "not well-formed XML, line %d: %s", x.line, x.set ? x.msg : "unreadable");
        return NULL;
    }
    if (count_elements(doc) > PROFILE_MAX_ELEMENTS) {
        ebts__error_set(err, EBTS__C_PROFILE_INVALID, 0, -1, NULL,
                        "more than %d elements: a profile holds at most that many",
                        PROFILE_MAX_ELEMENTS);
        xmlFreeDoc(doc);
        return NULL;
    }
    xmlSetGenericErrorFunc(NULL, mute);
    int invalid = validate_xsd(doc, &x) != 0;
    xmlSetGenericErrorFunc(saved_ctx, saved);
    if (invalid) {
        ebts__error_set(err, EBTS__C_PROFILE_INVALID, 0, -1, NULL,
                        "does not conform to the profile schema (ebts-profile.xsd), line %d: %s",
                        x.line, x.set ? x.msg : "schema validation failed");
        xmlFreeDoc(doc);
        return NULL;
    }
    xmlNodePtr root = xmlDocGetRootElement(doc);
    xmlChar *name = xmlGetProp(root, (const xmlChar *)"name");
    xmlChar *base = xmlGetProp(root, (const xmlChar *)"base");
    int version = base ? version_of((const char *)base) : 112;
    ebts_profile *p = ebts__profile_new(name ? (const char *)name : "profile", version != 91);
    if (p)
        p->version = version ? version : 112;
    xmlFree(name);
    xmlFree(base);
    int rc = p ? read_profile(p, root, &x) : -1;
    if (rc == 0 && ebts__profile_compile(p) < 0)
        rc = -1;
    if (rc < 0) {
        ebts_profile_free(p);
        xmlFreeDoc(doc);
        if (rc == -2)
            ebts__error_set(err, EBTS__C_PROFILE_INVALID, 0, -1, NULL, "line %d: %s", x.line,
                            x.msg);
        else
            ebts__error_oom(err);
        return NULL;
    }
    xmlFreeDoc(doc);
    return p;
}

ebts_profile *ebts_profile_load(const char *path, ebts_error *err)
{
    unsigned char *buf = NULL;
    size_t n = 0;
    if (!path) {
        ebts__error_set(err, EBTS__C_BAD_ARGUMENT, 0, -1, NULL, "NULL profile path");
        return NULL;
    }
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        ebts__error_set(err, EBTS__C_IO_ERROR, 0, -1, NULL, "cannot open profile %s", path);
        return NULL;
    }
    int rc = ebts__load_stream(fp, 16u << 20, NULL, &buf, &n, NULL, err);
    fclose(fp);
    if (rc < 0)
        return NULL;
    ebts_profile *p = ebts_profile_load_buffer(buf, n, err);
    free(buf);
    if (!p && err && err->code && strcmp(err->code, "PROFILE_INVALID") == 0) {
        char m[sizeof err->msg + 64];
        snprintf(m, sizeof m, "%.60s: %s", path, err->msg);
        size_t k = strlen(m) < sizeof err->msg - 1 ? strlen(m) : sizeof err->msg - 1;
        memcpy(err->msg, m, k);
        err->msg[k] = 0;
    }
    return p;
}
