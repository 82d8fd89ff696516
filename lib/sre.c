/* The response view: what an SRE or ERRT says (EBTS Type-1/Type-2 fields of responses, the
 * Type-10 photos, 2.075 parsed by idr.c, 2.060 messages split into code, reference and text). */
#include <stdlib.h>
#include <string.h>
#include "internal.h"

typedef struct view {
    ebts_response r;
    ebts__arena arena;
    ebts_ers *ers;
} view;

static const char *str_of(view *v, ebts_span s, int *oom)
{
    if (!s.ptr)
        return NULL;
    char *d = ebts__arena_alloc(&v->arena, s.len + 1);
    if (!d) {
        *oom = 1;
        return NULL;
    }
    memcpy(d, s.ptr, s.len);
    d[s.len] = 0;
    return d;
}

/* A value trimmed of blanks (EBTS: leading and trailing blanks do not count). */
static const char *trimmed(view *v, ebts_span s, int *oom)
{
    while (s.len && s.ptr[0] == ' ') {
        s.ptr++;
        s.len--;
    }
    while (s.len && s.ptr[s.len - 1] == ' ')
        s.len--;
    return str_of(v, s, oom);
}

/* The IDR's encounters with their photos: the k-th Type-10 record is the k-th encounter's. */
static void encounters(view *v, int *oom)
{
    ebts_response *r = &v->r;
    const ebts_idr *d = ebts_ers_idr(v->ers);
    if (!d || !d->nencounters) {
        r->photo_missing = d && d->photo_attached && r->nphotos == 0;
        return;
    }
    ebts_response_encounter *e = ebts__arena_alloc(&v->arena, d->nencounters * sizeof *e);
    if (!e) {
        *oom = 1;
        return;
    }
    for (size_t i = 0; i < d->nencounters; i++) {
        const ebts_encounter *x = &d->encounters[i];
        e[i] = (ebts_response_encounter){x->eid, x->name, x->dob, x->pob, x->sex,
                                         i < r->nphotos ? (long)r->photos[i] : -1};
    }
    r->encounters = e;
    r->nencounters = d->nencounters;
    r->photo_missing = d->photo_attached && r->nphotos == 0;
}

/* "L0013 text", "S0002 [EFTS-1031] text": a letter and four digits, a bracketed reference */
static void split_message(view *v, ebts_span m, ebts_errt_message *out, int *oom)
{
    const unsigned char *p = m.ptr;
    size_t n = m.len, i = 0;
    if (n >= 5 && p[0] >= 'A' && p[0] <= 'Z' && p[1] >= '0' && p[1] <= '9' && p[2] >= '0' &&
        p[2] <= '9' && p[3] >= '0' && p[3] <= '9' && p[4] >= '0' && p[4] <= '9' &&
        (n == 5 || p[5] == ' ')) {
        out->code = str_of(v, (ebts_span){p, 5}, oom);
        i = 5;
        while (i < n && p[i] == ' ')
            i++;
        if (i < n && p[i] == '[') {
            const unsigned char *close = memchr(p + i, ']', n - i);
            size_t j = close ? (size_t)(close - p) : 0;
            int ref = close && j - i > 1;
            for (size_t k = i + 1; ref && k < j; k++)
                if (!((p[k] >= 'A' && p[k] <= 'Z') || (p[k] >= '0' && p[k] <= '9') || p[k] == '-'))
                    ref = 0;
            if (ref) { /* a reference like EFTS-1031, not a bracketed value like a date */
                int letters = 0;
                for (size_t k = i + 1; k < j; k++)
                    letters |= p[k] >= 'A' && p[k] <= 'Z';
                ref = letters;
            }
            if (ref) {
                out->ref = str_of(v, (ebts_span){p + i + 1, j - i - 1}, oom);
                i = j + 1;
                while (i < n && p[i] == ' ')
                    i++;
            }
        }
    }
    out->text = str_of(v, (ebts_span){p + i, n - i}, oom);
}

ebts_response *ebts_response_view(const ebts_txn *t, ebts_error *err)
{
    if (!t) {
        ebts__error_set(err, EBTS__C_BAD_ARGUMENT, 0, -1, NULL, "NULL transaction");
        return NULL;
    }
    view *v = calloc(1, sizeof *v);
    if (!v) {
        ebts__error_oom(err);
        return NULL;
    }
    ebts__arena_init(&v->arena, 4096);
    int oom = 0;
    ebts_response *r = &v->r;
    const ebts_record *t2 = NULL;
    size_t nphotos = 0;
    for (size_t i = 0; i < t->nrecs; i++) {
        if (t->recs[i]->type == 2 && !t2)
            t2 = t->recs[i];
        nphotos += t->recs[i]->type == 10;
    }
    r->tot = trimmed(v, ebts_txn_value(t, 1, 4), &oom);
    r->dai = trimmed(v, ebts_txn_value(t, 1, 7), &oom);
    r->ori = trimmed(v, ebts_txn_value(t, 1, 8), &oom);
    r->tcn = trimmed(v, ebts_txn_value(t, 1, 9), &oom);
    r->tcr = trimmed(v, ebts_txn_value(t, 1, 10), &oom);
    r->srf = trimmed(v, ebts_field_value(ebts_record_field(t2, 59)), &oom);
    r->sid = trimmed(v, ebts_field_value(ebts_record_field(t2, 15)), &oom);
    r->nam = trimmed(v, ebts_field_value(ebts_record_field(t2, 18)), &oom);
    r->oca = trimmed(v, ebts_field_value(ebts_record_field(t2, 9)), &oom);
    if (r->ori) {
        const char *o = r->ori;
        while (*o == ' ')
            o++;
        r->from_ident = strncmp(o, "USVISIT0Z", 9) == 0;
    }
    const ebts_field *cri = ebts_record_field(t2, 73);
    if (cri) {
        size_t n = ebts__nsub(cri);
        const char **list = ebts__arena_alloc(&v->arena, n * sizeof *list);
        oom |= !list;
        for (size_t s = 0; list && s < n; s++)
            list[s] = trimmed(v, ebts_field_item(cri, s, 0), &oom);
        r->cri = list;
        r->ncri = list ? n : 0;
    }
    if (nphotos) {
        size_t *ph = ebts__arena_alloc(&v->arena, nphotos * sizeof *ph);
        oom |= !ph;
        for (size_t i = 0; ph && i < t->nrecs; i++)
            if (t->recs[i]->type == 10)
                ph[r->nphotos++] = i;
        r->photos = ph;
    }
    const ebts_field *msg = ebts_record_field(t2, 60);
    if (msg) {
        size_t n = ebts__nsub(msg);
        ebts_errt_message *m = ebts__arena_alloc(&v->arena, n * sizeof *m);
        oom |= !m;
        for (size_t s = 0; m && s < n; s++) {
            memset(&m[s], 0, sizeof m[s]);
            split_message(v, ebts_field_item(msg, s, 0), &m[s], &oom);
        }
        r->messages = m;
        r->nmessages = m ? n : 0;
    }
    const ebts_field *ers = ebts_record_field(t2, 75);
    if (ers && !oom) {
        v->ers = ebts_ers_parse(ers->val, ers->len, err);
        oom |= !v->ers;
        r->ers = v->ers;
    }
    if (!oom)
        encounters(v, &oom);
    if (oom) {
        ebts_response_free(r);
        ebts__error_oom(err);
        return NULL;
    }
    return r;
}

int ebts_response_kind(const ebts_response *r)
{
    if (!r || !r->tot)
        return EBTS_RESPONSE_OTHER;
    if (strcmp(r->tot, "ERRT") == 0)
        return EBTS_RESPONSE_ERRT;
    if (strcmp(r->tot, "SRE") != 0)
        return EBTS_RESPONSE_OTHER;
    if (!r->from_ident)
        return EBTS_RESPONSE_SRE;
    const ebts_idr *d = ebts_ers_idr(r->ers);
    int match = r->srf && strcmp(r->srf, "I") == 0   ? 1
                : r->srf && strcmp(r->srf, "N") == 0 ? 0
                : d && d->present                    ? d->match
                                                     : -1;
    return match == 1 ? EBTS_RESPONSE_IDR_MATCH
           : match == 0 ? EBTS_RESPONSE_IDR_NOMATCH
                        : EBTS_RESPONSE_OTHER;
}

int ebts_response_answers(const ebts_response *r, const ebts_txn *submission)
{
    ebts_span tcn = ebts_txn_value(submission, 1, 9);
    while (tcn.len && tcn.ptr[0] == ' ') {
        tcn.ptr++;
        tcn.len--;
    }
    while (tcn.len && tcn.ptr[tcn.len - 1] == ' ')
        tcn.len--;
    return r && r->tcr && tcn.len && strlen(r->tcr) == tcn.len &&
           memcmp(r->tcr, tcn.ptr, tcn.len) == 0;
}

void ebts_response_free(ebts_response *r)
{
    view *v = (view *)r; /* r is the first member */
    if (!v)
        return;
    ebts_ers_free(v->ers);
    ebts__arena_free(&v->arena);
    free(v);
}
