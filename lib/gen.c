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
    ebts__error_set(err, "GEN_INVALID", 0, -1, NULL, fmt, what);
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

static char *compose_ers(int match, const ebts_gen_options *o, const ebts_txn *sub,
                         const char *tcr, const char *dai, const char *name, const char *sid,
                         size_t *len, ebts_error *err)
{
    ebts_idr idr;
    memset(&idr, 0, sizeof idr);
    idr.present = 1;
    idr.match = match;
    idr.title = "IDENT Data Response (IDR)";
    idr.disclaimer = ebts_idr_disclaimer();
    idr.encounters = match ? o->encounters : NULL;
    idr.nencounters = match ? o->nencounters : 0;
    idr.photo_attached = match && o->nphotos > 0;
    ebts_iar iar;
    memset(&iar, 0, sizeof iar);
    ebts_pair iaq[16];
    ebts_encounter rem[5];
    char last[5][64], first[5][64], middle[5][64], b[8][64], received[32];
    const char *status_lines[1];
    char **notices = NULL;
    size_t nnotices = 0;
    if (match && (o->iar_status || o->iar_text)) {
        iar.present = 1;
        if (o->date && strlen(o->date) == 8) { /* reproducible output for a given date */
            snprintf(received, sizeof received, "%.2s/%.2s/%.2s 12:00:00 PM", o->date + 4,
                     o->date + 6, o->date + 2);
        } else {
            time_t now = time(NULL);
            struct tm tmv;
            gmtime_r(&now, &tmv);
            strftime(received, sizeof received, "%m/%d/%y %I:%M:%S %p", &tmv);
        }
        iar.received = received;
        size_t n = 0;
        iaq[n++] = (ebts_pair){"ORI", dai};
        iaq[n++] = (ebts_pair){"NAM", name};
        const char *v;
        if ((v = sub_value(sub, 2, 22, b[0], sizeof b[0])))
            iaq[n++] = (ebts_pair){"DOB", v};
        if ((v = sub_value(sub, 2, 20, b[1], sizeof b[1])))
            iaq[n++] = (ebts_pair){"POB", v};
        if ((v = sub_value(sub, 2, 24, b[2], sizeof b[2])))
            iaq[n++] = (ebts_pair){"SEX", v};
        if ((v = sub_value(sub, 2, 14, b[3], sizeof b[3])))
            iaq[n++] = (ebts_pair){"FBI", v};
        if ((v = sub_value(sub, 2, 16, b[4], sizeof b[4])))
            iaq[n++] = (ebts_pair){"SOC", v};
        if (sid)
            iaq[n++] = (ebts_pair){"SID", sid};
        iaq[n++] = (ebts_pair){"REM", ""};
        iar.iaq = iaq;
        iar.niaq = n;
        iar.idsm = tcr;
        for (size_t i = 0; i < o->nencounters && i < 5; i++) {
            const ebts_encounter *e = &o->encounters[i];
            split_name(e->name ? e->name : "", last[i], first[i], middle[i], sizeof last[i]);
            rem[i] = (ebts_encounter){e->eid, NULL, e->dob, e->pob, e->sex, last[i], first[i],
                                      middle[i]};
        }
        iar.encounters = rem;
        iar.nencounters = o->nencounters < 5 ? o->nencounters : 5;
        if (o->iar_status) {
            status_lines[0] = o->iar_status;
            iar.status = o->iar_status;
            iar.status_lines = status_lines;
            iar.nstatus_lines = 1;
        }
        /* the rest of the LESC response: its lines, as notices */
        const char *p = o->iar_text;
        while (p && *p) {
            const char *nl = strpbrk(p, "\r\n");
            size_t k = nl ? (size_t)(nl - p) : strlen(p);
            while (k && p[k - 1] == ' ')
                k--;
            if (k) {
                char **q = realloc(notices, (nnotices + 1) * sizeof *q);
                char *s = malloc(k + 1);
                if (q)
                    notices = q;
                if (!q || !s) {
                    free(s);
                    break;
                }
                notices = q;
                memcpy(s, p, k);
                s[k] = 0;
                notices[nnotices++] = s;
            }
            if (!nl)
                break;
            p = nl + 1;
            if (*p == '\n' && nl[0] == '\r')
                p++;
        }
        iar.notices = (const char *const *)notices;
        iar.nnotices = nnotices;
        iar.end = 1;
    }
    char *text = ebts_ers_compose(&idr, &iar, len, err);
    for (size_t i = 0; i < nnotices; i++)
        free(notices[i]);
    free(notices);
    return text;
}

/* The arrays of o hold what their counts say: refused (BAD_ARGUMENT) when one is NULL. */
static int options_ok(const ebts_gen_options *o, ebts_error *err)
{
    const char *bad = !o->encounters && o->nencounters ? "encounters"
                      : !o->photos && o->nphotos       ? "photos"
                      : !o->errors && o->nerrors       ? "errors"
                                                       : NULL;
    for (size_t i = 0; !bad && i < o->nphotos; i++)
        if (!o->photos[i].ptr && o->photos[i].len)
            bad = "a photo's bytes";
    for (size_t i = 0; !bad && i < o->nerrors; i++)
        if (!o->errors[i])
            bad = "an error message";
    if (bad) {
        ebts__error_set(err, "BAD_ARGUMENT", 0, -1, NULL, "%s NULL in the options", bad);
        return -1;
    }
    return 0;
}

static int valid_encounters(const ebts_gen_options *o, ebts_error *err)
{
    if (o->nencounters > 5)
        return gen_fail(err, "at most five encounters, %s", "more were given");
    for (size_t i = 0; i < o->nencounters; i++) { /* what the validator asks of an IDR */
        const ebts_encounter *e = &o->encounters[i];
        if (!e->eid || !*e->eid || !e->name || !*e->name || !e->dob || !*e->dob || !e->pob ||
            !*e->pob || !e->sex || !*e->sex)
            return gen_fail(err, "an encounter needs EID, NAME, DOB, POB and SEX%s", "");
    }
    if (o->nphotos > o->nencounters)
        return gen_fail(err, "at most one photo per encounter%s", "");
    if (o->nerrors > 11)
        return gen_fail(err, "at most 11 error messages, %s", "more were given");
    return 0;
}

ebts_txn *ebts_gen_response(int kind, const ebts_txn *sub, const ebts_gen_options *o,
                            ebts_error *err)
{
    ebts_gen_options none;
    memset(&none, 0, sizeof none);
    if (!o)
        o = &none;
    if (kind != EBTS_GEN_IDR_NOMATCH && kind != EBTS_GEN_IDR_MATCH && kind != EBTS_GEN_ERRT) {
        ebts__error_set(err, "BAD_ARGUMENT", 0, -1, NULL, "unknown kind of response %d", kind);
        return NULL;
    }
    if (options_ok(o, err) < 0 || valid_encounters(o, err) < 0)
        return NULL;
    if (kind == EBTS_GEN_IDR_MATCH && o->nencounters == 0) {
        gen_fail(err, "a match names one to five encounters%s", "");
        return NULL;
    }
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
                             : compose_ers(kind == EBTS_GEN_IDR_MATCH, o, sub, tcr, dai, name,
                                           sid, &len, err);
        if (!ers || ebts_txn_set_field(g.t, 1, 75, ers, len, err) < 0)
            g.failed = 1;
        ebts_free(ers);
        for (size_t i = 0; kind == EBTS_GEN_IDR_MATCH && i < o->nphotos; i++)
            add_photo(&g, 2 + i, (unsigned)(i + 1), o->photos[i], date);
    }
    if (g.failed) {
        ebts_txn_free(g.t);
        return NULL;
    }
    return g.t;
}
