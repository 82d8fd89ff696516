/* Generating the responses CJIS sends a SIB for IDENT: a no-match IDR (SRE, 2.059 N), a match
 * IDR with its encounters, photos (Type-10 FACE records) and the IAR when LESC answered (SRE,
 * 2.059 I), or an ERRT with its 2.060 messages. Built with the edit API, so LEN and CNT are
 * derived by the writer like for any transaction. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "internal.h"

typedef struct G {
    ebts_txn *t;
    ebts_error *err;
    int failed;
} G;

static void field(G *g, size_t rec, unsigned num, const char *val)
{
    if (g->failed || !val)
        return;
    if (ebts_txn_set_field(g->t, rec, num, val, strlen(val), g->err) < 0)
        g->failed = 1;
}

/* A submission's value as a string in buf (NULL when absent or empty). */
static const char *sub_value(const ebts_txn *sub, unsigned type, unsigned num, char *buf,
                             size_t size)
{
    const ebts_record *r = NULL;
    for (size_t i = 0; sub && i < sub->nrecs; i++)
        if (sub->recs[i]->type == type) {
            r = sub->recs[i];
            break;
        }
    const ebts_field *f = ebts_record_field(r, num);
    ebts_span v = ebts_field_item(f, 0, 0); /* the first occurrence */
    if (!v.ptr || v.len == 0)
        return NULL;
    size_t k = v.len < size - 1 ? v.len : size - 1;
    memcpy(buf, v.ptr, k);
    buf[k] = 0;
    char *p = buf;
    while (*p == ' ')
        p++;
    return *p ? p : NULL;
}

static const char *pick(const char *opt, const char *fromsub)
{
    return opt && *opt ? opt : fromsub;
}

static int gen_fail(ebts_error *err, const char *fmt, const char *what)
{
    ebts__error_set(err, EBTS__C_GEN_INVALID, 0, -1, NULL, fmt, what);
    return -1;
}

/* Width, height and components of a JPEG from its SOF segment (0 when not a JPEG). */
static int jpeg_info(ebts_span img, uint32_t *w, uint32_t *h, int *gray)
{
    int kind = ebts__image_sniff(img.ptr, img.len, w, h);
    if ((kind & EBTS__IMG_KIND) != EBTS__IMG_JPEG || !(kind & EBTS__IMG_SIZED))
        return 0;
    *gray = 0;
    for (size_t i = 2; i + 10 <= img.len; i++) /* the SOF's component count */
        if (img.ptr[i] == 0xff && img.ptr[i + 1] >= 0xc0 && img.ptr[i + 1] <= 0xcf &&
            img.ptr[i + 1] != 0xc4 && img.ptr[i + 1] != 0xc8 && img.ptr[i + 1] != 0xcc) {
            *gray = img.ptr[i + 9] == 1;
            break;
        }
    return 1;
}

static void add_photo(G *g, size_t idx, unsigned idc, ebts_span img, const char *date)
{
    uint32_t w, h;
    int gray;
    char v[16];
    if (g->failed)
        return;
    if (!jpeg_info(img, &w, &h, &gray)) {
        char which[16];
        snprintf(which, sizeof which, "%u", idc);
        g->failed = 1;
        gen_fail(g->err, "photo %s is not a JPEG with a frame header (SOF)", which);
        return;
    }
    if (ebts_txn_insert_record(g->t, idx, 10, idc, g->err) < 0) {
        g->failed = 1;
        return;
    }
    field(g, idx, 3, "FACE");
    field(g, idx, 4, "USVISIT0Z");
    field(g, idx, 5, date);
    snprintf(v, sizeof v, "%u", (unsigned)w);
    field(g, idx, 6, v);
    snprintf(v, sizeof v, "%u", (unsigned)h);
    field(g, idx, 7, v);
    field(g, idx, 8, "0");
    field(g, idx, 9, "1");
    field(g, idx, 10, "1");
    field(g, idx, 11, "JPEGB");
    field(g, idx, 12, gray ? "GRAY" : "YCC");
    field(g, idx, 13, "0"); /* SAP: unknown profile */
    if (!g->failed && ebts_txn_set_field(g->t, idx, 999, img.ptr, img.len, g->err) < 0)
        g->failed = 1;
}

/* "LAST,FIRST MIDDLE" into its three parts */
static void split_name(const char *name, char *last, char *first, char *middle, size_t size)
{
    last[0] = first[0] = middle[0] = 0;
    const char *comma = strchr(name, ',');
    size_t ln = comma ? (size_t)(comma - name) : strlen(name);
    snprintf(last, size, "%.*s", (int)(ln < size ? ln : size - 1), name);
    if (!comma)
        return;
    const char *f = comma + 1;
    while (*f == ' ')
        f++;
    const char *sp = strchr(f, ' ');
    size_t fn = sp ? (size_t)(sp - f) : strlen(f);
    snprintf(first, size, "%.*s", (int)(fn < size ? fn : size - 1), f);
    if (sp)
        snprintf(middle, size, "%s", sp + 1);
}

/* A growing list of lines (the LESC response being built); copies. */
typedef struct lines {
    char **v;
    size_t n;
    int oom;
} lines;

static void add_line(lines *l, const char *p, size_t n)
{
    char **q = l->oom ? NULL : realloc(l->v, (l->n + 1) * sizeof *q);
    char *d = q ? malloc(n + 1) : NULL;
    if (q)
        l->v = q;
    if (!d) {
        l->oom = 1;
        return;
    }
    memcpy(d, p, n);
    d[n] = 0;
    l->v[l->n++] = d;
}

static void add_str(lines *l, const char *s)
{
    add_line(l, s, strlen(s));
}

/* The lines of a text, trailing spaces dropped, empty lines left out. */
static void add_text_lines(lines *l, const char *p)
{
    while (p && *p) {
        const char *nl = strpbrk(p, "\r\n");
        size_t k = nl ? (size_t)(nl - p) : strlen(p);
        while (k && p[k - 1] == ' ')
            k--;
        if (k)
            add_line(l, p, k);
        p = nl ? nl + 1 : NULL;
    }
}

static int any_starts(const lines *l, const char *lit)
{
    for (size_t i = 0; i < l->n; i++)
        if (strncmp(l->v[i], lit, strlen(lit)) == 0)
            return 1;
    return 0;
}

/* The IAQ echo's keys in the FBI's order, and what CJIS puts there when the submission does not
 * say: its own ORI and telephone number, in custody, offence 0399, purpose criminal. */
enum { IAQ_ORI, IAQ_ATN, IAQ_PHN, IAQ_NAM, IAQ_DOB, IAQ_CUS, IAQ_OFF, IAQ_PUR, IAQ_POB, IAQ_SEX,
       IAQ_FBI, IAQ_ARN, IAQ_SOC, IAQ_SID, IAQ_N };
static const char *const iaq_keys[IAQ_N] = {"ORI", "ATN", "PHN", "NAM", "DOB", "CUS", "OFF",
                                            "PUR", "POB", "SEX", "FBI", "ARN", "SOC", "SID"};

static int iaq_key(const char *k)
{
    for (int i = 0; i < IAQ_N; i++)
        if (k && strcmp(k, iaq_keys[i]) == 0)
            return i;
    return -1;
}

static void upper(char *s)
{
    for (; *s; s++)
        if (*s >= 'a' && *s <= 'z')
            *s = (char)(*s - 'a' + 'A');
}

typedef struct iar_parts {
    ebts_pair iaq[IAQ_N + 1];
    char b[IAQ_N][64], atn[80], nam[80], received[32];
    ebts_encounter rem[5];
    char last[5][64], first[5][64], middle[5][64];
    lines lesc;
} iar_parts;

static void build_iaq(iar_parts *x, const ebts_gen_options *o, const ebts_txn *sub,
                      const char *dai, const char *name, const char *sid)
{
    const char *v[IAQ_N] = {0};
    v[IAQ_ORI] = "WVFBIID00";
    snprintf(x->atn, sizeof x->atn, "ORI=%s", dai);
    v[IAQ_ATN] = x->atn;
    v[IAQ_PHN] = "3046252000";
    /* NCIC's name form: "LAST, FIRST" */
    const char *comma = strchr(name, ',');
    if (comma && comma[1] != ' ')
        snprintf(x->nam, sizeof x->nam, "%.*s, %s", (int)(comma - name), name, comma + 1);
    else
        snprintf(x->nam, sizeof x->nam, "%s", name);
    v[IAQ_NAM] = x->nam;
    v[IAQ_DOB] = sub_value(sub, 2, 22, x->b[IAQ_DOB], sizeof x->b[0]);
    v[IAQ_CUS] = "Y";
    v[IAQ_OFF] = "0399";
    v[IAQ_PUR] = "C";
    v[IAQ_POB] = sub_value(sub, 2, 20, x->b[IAQ_POB], sizeof x->b[0]);
    v[IAQ_SEX] = sub_value(sub, 2, 24, x->b[IAQ_SEX], sizeof x->b[0]);
    v[IAQ_FBI] = sub_value(sub, 2, 14, x->b[IAQ_FBI], sizeof x->b[0]);
    v[IAQ_SOC] = sub_value(sub, 2, 16, x->b[IAQ_SOC], sizeof x->b[0]);
    v[IAQ_SID] = sid;
    for (size_t i = 0; i < o->niaq; i++)
        v[iaq_key(o->iaq[i].key)] = o->iaq[i].value; /* keys checked by valid_options */
    for (int i = 0; i < IAQ_N; i++)
        x->iaq[i] = (ebts_pair){iaq_keys[i], v[i] ? v[i] : ""};
    x->iaq[IAQ_N] = (ebts_pair){"REM", ""};
}

/* The LESC response: the text as LESC sent it, with what it lacks added (see ebts.h). */
static void build_lesc(iar_parts *x, const ebts_gen_options *o, const char *tcn)
{
    static const char stars[] = "*****************************************************";
    lines text = {0};
    add_text_lines(&text, o->iar_text);
    lines *l = &x->lesc;
    if (!any_starts(&text, "THIS IS NOT A GOVERNMENT DETAINER")) {
        add_str(l, "THIS IS NOT A GOVERNMENT DETAINER! THIS INFORMATION IS FOR");
        add_str(l, "LAW ENFORCEMENT USE AND IS BEING PROVIDED FOR INFORMATIONAL");
        add_str(l, "PURPOSES ONLY.");
    }
    if (o->iar_status) {
        add_str(l, stars);
        add_str(l, o->iar_status);
        add_str(l, stars);
    }
    for (size_t i = 0; i < text.n; i++)
        add_str(l, text.v[i]);
    if (!o->iar_text) { /* the I.C.E. record: the subject as the IAQ gave it */
        static const int rec[] = {IAQ_NAM, IAQ_DOB, IAQ_POB, IAQ_FBI, IAQ_SID};
        add_str(l, "**** BASED ON THE INFORMATION PROVIDED *****");
        add_str(l, "THE FOLLOWING I.C.E. RECORD APPEARS TO RELATE:");
        for (size_t i = 0; i < sizeof rec / sizeof rec[0]; i++) {
            const ebts_pair *p = &x->iaq[rec[i]];
            size_t kn = strlen(p->key), vn = strlen(p->value);
            char *kv = vn ? malloc(kn + vn + 3) : NULL; /* a value of --iaq: any length */
            if (vn && !kv)
                l->oom = 1;
            if (kv) {
                memcpy(kv, p->key, kn);
                memcpy(kv + kn, "/ ", 2);
                memcpy(kv + kn + 2, p->value, vn + 1);
                add_str(l, kv);
                free(kv);
            }
        }
    }
    if (!any_starts(&text, "END OF RESPONSE")) {
        char q[96];
        size_t tn = strlen(tcn);
        snprintf(q, sizeof q, "LESC QUERY ID:%s *** LIMITED OFFICIAL USE ***",
                 tcn + (tn > 8 ? tn - 8 : 0));
        add_str(l, "**************************************************");
        add_str(l, "REQUESTING ORI INFORMATION:");
        add_str(l, "AGENCY/FBI From US Visit");
        add_str(l, "PHONE/");
        add_str(l, q);
        add_str(l, "END OF RESPONSE . . . .");
    }
    l->oom |= text.oom;
    for (size_t i = 0; i < text.n; i++)
        free(text.v[i]);
    free(text.v);
}

/* The IAQ RECEIVED line when the caller gives none: 1.005's date at noon, else now. */
static void received_at(char *buf, size_t size, const ebts_gen_options *o)
{
    if (o->date && strlen(o->date) == 8) { /* reproducible output for a given date */
        snprintf(buf, size, "%.2s/%.2s/%.2s 12:00:00 PM", o->date + 4, o->date + 6, o->date + 2);
    } else {
        time_t now = time(NULL);
        struct tm tmv;
        gmtime_r(&now, &tmv);
        strftime(buf, size, "%m/%d/%y %I:%M:%S %p", &tmv);
    }
}

static char *compose_ers(int match, const ebts_gen_options *o, const ebts_txn *sub,
                         const char *tcn, const char *dai, const char *name, const char *sid,
                         size_t *len, ebts_error *err)
{
    ebts_idr idr;
    memset(&idr, 0, sizeof idr);
    idr.present = 1;
    idr.match = match;
    idr.title = match ? NULL : "IDENT Data Response (IDR)"; /* as the FBI sends them */
    idr.disclaimer = ebts_idr_disclaimer();
    idr.encounters = match ? o->encounters : NULL;
    idr.nencounters = match ? o->nencounters : 0;
    idr.photo_attached = match && o->nphotos > 0;
    ebts_iar iar;
    memset(&iar, 0, sizeof iar);
    iar_parts *x = NULL;
    if (match && (o->iar_status || o->iar_text)) {
        x = calloc(1, sizeof *x);
        if (!x) {
            ebts__error_oom(err);
            return NULL;
        }
        iar.present = 1;
        /* the caller's line as given, whatever its length; else the default */
        if (o->iar_received && *o->iar_received) {
            iar.received = o->iar_received;
        } else {
            received_at(x->received, sizeof x->received, o);
            iar.received = x->received;
        }
        build_iaq(x, o, sub, dai, name, sid);
        iar.iaq = x->iaq;
        iar.niaq = IAQ_N + 1;
        iar.idsm = tcn; /* the response's own 1.009 */
        if (o->niar_encounters) {
            iar.encounters = o->iar_encounters;
            iar.nencounters = o->niar_encounters;
        } else {
            for (size_t i = 0; i < o->nencounters && i < 5; i++) {
                const ebts_encounter *e = &o->encounters[i];
                split_name(e->name ? e->name : "", x->last[i], x->first[i], x->middle[i],
                           sizeof x->last[i]);
                upper(x->last[i]);
                upper(x->first[i]);
                upper(x->middle[i]);
                x->rem[i] = (ebts_encounter){e->eid,   NULL,        e->dob,       e->pob,
                                             e->sex,   x->last[i],  x->first[i],  x->middle[i]};
            }
            iar.encounters = x->rem;
            iar.nencounters = o->nencounters < 5 ? o->nencounters : 5;
        }
        build_lesc(x, o, tcn);
        iar.lesc_lines = (const char *const *)x->lesc.v;
        iar.nlesc_lines = x->lesc.n;
    }
    char *text = x && x->lesc.oom ? NULL : ebts_ers_compose(&idr, &iar, len, err);
    if (x && x->lesc.oom)
        ebts__error_oom(err);
    for (size_t i = 0; x && i < x->lesc.n; i++)
        free(x->lesc.v[i]);
    if (x)
        free(x->lesc.v);
    free(x);
    return text;
}

/* The arrays of o hold what their counts say: refused (BAD_ARGUMENT) when one is NULL. */
static int options_ok(const ebts_gen_options *o, ebts_error *err)
{
    const char *bad = !o->encounters && o->nencounters ? "encounters"
                      : !o->photos && o->nphotos       ? "photos"
                      : !o->errors && o->nerrors       ? "errors"
                      : !o->iaq && o->niaq             ? "IAQ values"
                      : !o->iar_encounters && o->niar_encounters ? "IAQ encounters"
                                                       : NULL;
    for (size_t i = 0; !bad && i < o->nphotos; i++)
        if (!o->photos[i].ptr && o->photos[i].len)
            bad = "a photo's bytes";
    for (size_t i = 0; !bad && i < o->nerrors; i++)
        if (!o->errors[i])
            bad = "an error message";
    if (bad) {
        ebts__error_set(err, EBTS__C_BAD_ARGUMENT, 0, -1, NULL, "%s NULL in the options", bad);
        return -1;
    }
    return 0;
}

static int all_digits(const char *s, size_t min, size_t max)
{
    size_t n = s ? strlen(s) : 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return n >= min && n <= max;
}

/* An IDR encounter as the FBI prints one: EID digits, NAME "LAST,FIRST", DOB CCYYMMDD, POB, SEX. */
static int encounter_ok(const ebts_encounter *e)
{
    const char *comma = e->name ? strchr(e->name, ',') : NULL;
    /* NAME at most 50 characters, as 2.018 NAM: its line never needs to break */
    return all_digits(e->eid, 1, 20) && comma && comma != e->name && comma[1] &&
           strlen(e->name) <= 50 &&
           all_digits(e->dob, 8, 8) && e->pob && *e->pob && e->sex && *e->sex;
}

/* What the FBI would not send for this kind (see ebts_gen_response in ebts.h). */
static int valid_options(int kind, const ebts_gen_options *o, ebts_error *err)
{
    int iar = o->iar_status || o->iar_text;
    int iaq = o->niaq || o->iar_received || o->niar_encounters;
    const char *kindname = kind == EBTS_GEN_ERRT ? "an ERRT" : "a no-match";
    if (kind != EBTS_GEN_IDR_MATCH && o->nencounters)
        return gen_fail(err, "%s carries no encounters", kindname);
    if (kind != EBTS_GEN_IDR_MATCH && o->nphotos)
        return gen_fail(err, "%s carries no photos", kindname);
    if (kind != EBTS_GEN_IDR_MATCH && (iar || iaq))
        return gen_fail(err, "%s carries no IAR (no LESC response, no IAQ)", kindname);
    if (kind != EBTS_GEN_ERRT && o->nerrors)
        return gen_fail(err, "an IDR carries no error messages (%s)", "those are an ERRT's");
    if (kind != EBTS_GEN_IDR_MATCH)
        return 0;
    if (o->nencounters == 0)
        return gen_fail(err, "a match names one to five encounters%s", "");
    for (size_t i = 0; i < o->nencounters; i++)
        if (!encounter_ok(&o->encounters[i]))
            return gen_fail(err, "an encounter is %s", "\"EID;LAST,FIRST;CCYYMMDD;POB;SEX\" (EID, "
                                                       "NAME of at most 50, DOB, POB and SEX)");
    if (o->nphotos > o->nencounters)
        return gen_fail(err, "one photo per encounter at most: %s", "more photos than encounters");
    if (iaq && !iar)
        return gen_fail(err, "IAQ values without an IAR: %s", "give the LESC status or text");
    if (o->niar_encounters > 5)
        return gen_fail(err, "at most five IAQ encounters, %s", "more were given");
    /* each of these is one line of the 2.075 text: a line end in it would start a line of the
     * IAR's own, which a reader takes for the FBI's (a DOB/ or END OF RESPONSE) */
    for (size_t i = 0; i < o->niaq; i++) {
        if (iaq_key(o->iaq[i].key) < 0 || !o->iaq[i].value)
            return gen_fail(err, "no IAQ value \"%s\" (ORI ATN PHN NAM DOB CUS OFF PUR POB SEX "
                                 "FBI ARN SOC SID)", o->iaq[i].key ? o->iaq[i].key : "");
        if (strpbrk(o->iaq[i].value, "\r\n"))
            return gen_fail(err, "a line end in IAQ value %s: it is one line of the response",
                            o->iaq[i].key);
    }
    if (o->iar_received && strpbrk(o->iar_received, "\r\n"))
        return gen_fail(err, "a line end in the IAQ RECEIVED line: %s", "it is one line");
    if (o->iar_status && strpbrk(o->iar_status, "\r\n"))
        return gen_fail(err, "a line end in the LESC status line: %s", "it is one line");
    if (o->iar_status && o->iar_text && strstr(o->iar_text, "THIS IS NOT A GOVERNMENT DETAINER"))
        return gen_fail(err, "the LESC text is a whole response: %s", "it holds its own status");
    return 0;
}

/* What the validator allows an IDR or ERRT to hold. */
static int valid_counts(const ebts_gen_options *o, ebts_error *err)
{
    if (o->nencounters > 5)
        return gen_fail(err, "at most five encounters, %s", "more were given");
    if (o->nerrors > 11)
        return gen_fail(err, "at most 11 error messages, %s", "more were given");
    return 0;
}

/* 1.010 TCR: 10 to 40 printable characters, like the TCN it echoes. */
static int valid_tcr(const char *tcr, ebts_error *err)
{
    size_t n = strlen(tcr);
    int ok = n >= 10 && n <= 40;
    for (size_t i = 0; ok && i < n; i++)
        ok = tcr[i] >= 0x20 && tcr[i] < 0x7f;
    if (!ok)
        gen_fail(err, "TCR \"%s\" is not 10 to 40 printable characters: the FBI answers only a "
                      "valid TCN", tcr);
    return ok ? 0 : -1;
}

/* What the FBI would not send includes what its validation refuses (a value too long, a date
 * that is no date, bytes outside a field's set): the response is refused with its first error. */
static int refuse_invalid(const ebts_txn *t, ebts_error *err)
{
    ebts_profile *p = ebts_profile_builtin(EBTS__DEFAULT_PROFILE, err);
    ebts_report *r = p ? ebts_validate(t, p, err) : NULL;
    int rc = r ? 0 : -1;
    for (size_t i = 0; r && i < ebts_report_count(r); i++) {
        const ebts_diag *d = ebts_report_diag(r, i);
        if (d->severity >= EBTS_SEV_ERROR) {
            char what[240];
            snprintf(what, sizeof what, "%s %s: %s", d->code, d->tag, d->msg);
            rc = gen_fail(err, "the response would not validate: %s", what);
            break;
        }
    }
    ebts_report_free(r);
    ebts_profile_free(p);
    return rc;
}

ebts_txn *ebts_gen_response(int kind, const ebts_txn *sub, const ebts_gen_options *o,
                            ebts_error *err)
{
    ebts_gen_options none;
    memset(&none, 0, sizeof none);
    if (!o)
        o = &none;
    if (kind != EBTS_GEN_IDR_NOMATCH && kind != EBTS_GEN_IDR_MATCH && kind != EBTS_GEN_ERRT) {
        ebts__error_set(err, EBTS__C_BAD_ARGUMENT, 0, -1, NULL, "unknown kind of response %d",
                        kind);
        return NULL;
    }
    if (options_ok(o, err) < 0 || valid_options(kind, o, err) < 0 || valid_counts(o, err) < 0)
        return NULL;
    char b[8][128];
    const char *tcr = pick(o->tcr, sub_value(sub, 1, 9, b[0], sizeof b[0]));
    const char *dai = pick(o->dai, sub_value(sub, 1, 8, b[1], sizeof b[1]));
    const char *name = pick(o->name, sub_value(sub, 2, 18, b[2], sizeof b[2]));
    if (!name && sub) {
        /* a submission without NAM (an amnesia victim, a bare reference file): the response
         * still needs one; EBTS's special values where they apply */
        const char *tot = sub_value(sub, 1, 4, b[7], sizeof b[7]);
        name = tot && strcmp(tot, "AMN") == 0   ? "UNKNOWN AMNESIA,XX"
               : tot && strcmp(tot, "DEU") == 0 ? "UNKNOWN DECEASED,XX"
                                                : "UNKNOWN,UNKNOWN";
    }
    const char *sid = pick(o->sid, sub_value(sub, 2, 15, b[3], sizeof b[3]));
    /* CRI: the submission's, else its ORI (the controlling agency is the submitter) */
    const char *cri = pick(o->cri, sub_value(sub, 2, 73, b[4], sizeof b[4]));
    if (!cri)
        cri = pick(o->dai, sub_value(sub, 1, 8, b[6], sizeof b[6]));
    const char *oca = pick(o->oca, sub_value(sub, 2, 9, b[5], sizeof b[5]));
    if (!tcr) {
        gen_fail(err, "no TCR: give the submission (its TCN) or a TCR%s", "");
        return NULL;
    }
    if (valid_tcr(tcr, err) < 0)
        return NULL;
    if (!dai) {
        gen_fail(err, "no DAI: give the submission (its ORI) or a DAI%s", "");
        return NULL;
    }
    if (kind != EBTS_GEN_ERRT && (!name || !cri)) {
        gen_fail(err, "an SRE needs %s: give the submission or the option", !name ? "NAM" : "CRI");
        return NULL;
    }
    if (kind == EBTS_GEN_ERRT && o->nerrors == 0) {
        gen_fail(err, "an ERRT needs at least one error message%s", "");
        return NULL;
    }
    char date[16], tcn[48];
    if (o->date && *o->date) {
        snprintf(date, sizeof date, "%s", o->date);
    } else {
        time_t now = time(NULL);
        struct tm tmv;
        gmtime_r(&now, &tmv);
        strftime(date, sizeof date, "%Y%m%d", &tmv);
    }
    snprintf(tcn, sizeof tcn, "%s", o->tcn && *o->tcn ? o->tcn : "");
    if (!tcn[0])
        snprintf(tcn, sizeof tcn, "IDENT%s%.16s", date, tcr);
    G g = {ebts_txn_new(o->ver && *o->ver ? o->ver : "0500", err), err, 0};
    if (!g.t)
        return NULL;
    field(&g, 0, 4, kind == EBTS_GEN_ERRT ? "ERRT" : "SRE");
    field(&g, 0, 5, date);
    field(&g, 0, 7, dai);
    field(&g, 0, 8, "USVISIT0Z");
    field(&g, 0, 9, tcn);
    field(&g, 0, 10, tcr);
    field(&g, 0, 11, "00.00");
    field(&g, 0, 12, "00.00");
    /* DOM, "Required for EBTS": DNM and DVN as the FBI's templates write them */
    ebts__buf dom = {0};
    ebts__buf_printf(&dom, "NORAM\x1f%s", o->dvn && *o->dvn ? o->dvn : "EBTS 11.1");
    ebts__buf_putc(&dom, 0);
    if (dom.oom && !g.failed) {
        ebts__error_oom(err);
        g.failed = 1;
    }
    field(&g, 0, 13, (const char *)dom.p);
    free(dom.p);
    if (!g.failed && ebts_txn_insert_record(g.t, 1, 2, 0, err) < 0)
        g.failed = 1;
    field(&g, 1, 9, oca);
    if (kind == EBTS_GEN_ERRT) {
        ebts__buf m = {0};
        for (size_t i = 0; i < o->nerrors; i++) {
            if (i)
                ebts__buf_putc(&m, EBTS__RS);
            ebts__buf_puts(&m, o->errors[i]);
        }
        if (m.oom || (!g.failed && ebts_txn_set_field(g.t, 1, 60, m.p, m.len, err) < 0))
            g.failed = 1;
        free(m.p);
        field(&g, 1, 73, cri);
    } else {
        field(&g, 1, 15, sid);
        field(&g, 1, 18, name);
        field(&g, 1, 59, kind == EBTS_GEN_IDR_MATCH ? "I" : "N");
        field(&g, 1, 73, cri);
        size_t len = 0;
        char *ers = g.failed ? NULL
                             : compose_ers(kind == EBTS_GEN_IDR_MATCH, o, sub, tcn, dai, name,
                                           sid, &len, err);
        if (!ers || ebts_txn_set_field(g.t, 1, 75, ers, len, err) < 0)
            g.failed = 1;
        ebts_free(ers);
        for (size_t i = 0; kind == EBTS_GEN_IDR_MATCH && i < o->nphotos; i++)
            add_photo(&g, 2 + i, (unsigned)(i + 1), o->photos[i], date);
    }
    if (g.failed || refuse_invalid(g.t, err) < 0) {
        ebts_txn_free(g.t);
        return NULL;
    }
    return g.t;
}
