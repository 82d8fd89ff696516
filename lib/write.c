/* Writing the traditional encoding. LEN is derived for every record (a fixed point: its own
 * digits count) and CNT from the records present; where the original spelling of LEN or CNT is
 * still right it is kept, so an unmodified, well-formed transaction comes back byte for byte.
 * Fields are written with their tag spelling; x.999 binary data always goes last. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

static int digits(size_t v)
{
    int d = 1;
    while (v >= 10) {
        v /= 10;
        d++;
    }
    return d;
}

static int span_equals_num(const unsigned char *p, size_t n, size_t v)
{
    if (n == 0 || n > 19)
        return 0;
    size_t x = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9')
            return 0;
        x = x * 10 + (size_t)(p[i] - '0');
    }
    return x == v;
}

static int record_cnt_idc(const ebts_record *r)
{
    int idc = ebts__record_idc_of(r);
    if (idc < 0)
        idc = r->cnt_idc;
    return idc < 0 ? 0 : idc;
}

/* The CNT value for t: the original bytes where they still agree with the records. */
static void derive_cnt(const ebts_txn *t, const ebts_field *orig, ebts__buf *b)
{
    size_t nrec = t->nrecs - 1;
    size_t onsub = orig ? ebts__nsub(orig) : 0;
    /* first subfield: 1 US count */
    ebts_span c = orig ? ebts_field_item(orig, 0, 1) : (ebts_span){NULL, 0};
    ebts_span one = orig ? ebts_field_item(orig, 0, 0) : (ebts_span){NULL, 0};
    if (orig && ebts_field_item_count(orig, 0) == 2 && span_equals_num(one.ptr, one.len, 1) &&
        span_equals_num(c.ptr, c.len, nrec)) {
        ebts__buf_put(b, one.ptr, one.len);
        ebts__buf_putc(b, EBTS__US);
        ebts__buf_put(b, c.ptr, c.len);
    } else {
        int w = c.len > 1 && c.ptr[0] == '0' ? (int)c.len : 0;
        ebts__buf_printf(b, "1%c%0*zu", EBTS__US, w, nrec);
    }
    for (size_t i = 1; i < t->nrecs; i++) {
        const ebts_record *r = t->recs[i];
        int idc = record_cnt_idc(r);
        ebts__buf_putc(b, EBTS__RS);
        if (i < onsub && ebts_field_item_count(orig, i) == 2) {
            ebts_span ty = ebts_field_item(orig, i, 0), id = ebts_field_item(orig, i, 1);
            if (span_equals_num(ty.ptr, ty.len, r->type) &&
                span_equals_num(id.ptr, id.len, (size_t)idc)) {
                ebts__buf_put(b, ty.ptr, ty.len);
                ebts__buf_putc(b, EBTS__US);
                ebts__buf_put(b, id.ptr, id.len);
                continue;
            }
        }
        ebts__buf_printf(b, "%u%c%02d", r->type, EBTS__US, idc);
    }
}

void ebts__cnt_value(const ebts_txn *t, ebts__buf *b)
{
    derive_cnt(t, ebts_record_field(t->recs[0], 3), b);
}

int ebts__cnt_idc(const ebts_record *r)
{
    return record_cnt_idc(r);
}

void ebts__writer_free(ebts__writer *w)
{
    free(w->f);
    free(w->cnt.p);
    w->f = NULL;
    w->cnt.p = NULL;
}

static ebts__outf *out_push(ebts__writer *w)
{
    if (w->n == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 64;
        ebts__outf *f = realloc(w->f, cap * sizeof *f);
        if (!f) {
            w->oom = 1;
            return NULL;
        }
        w->f = f;
        w->cap = cap;
    }
    ebts__outf *o = &w->f[w->n++];
    memset(o, 0, sizeof *o);
    return o;
}

static void out_tag(ebts__outf *o, const ebts_field *f, unsigned rtype)
{
    if (f) {
        o->taglen = (unsigned char)ebts__spelled_tag(f, o->tag, sizeof o->tag);
    } else {
        int n = snprintf(o->tag, sizeof o->tag, "%u.%03u", rtype, 1u);
        o->taglen = (unsigned char)(n > 0 ? n : 0);
    }
}

static size_t out_size(const ebts__outf *o)
{
    return (o->raw ? 0 : o->taglen + 1u) + o->len + 1;
}

/* The CNT field, derived, in the spelling of `cntf` (the original 1.003) when there is one. */
static int out_cnt(ebts__writer *w, const ebts_txn *t, const ebts_field *cntf)
{
    ebts__outf *o = out_push(w);
    if (!o)
        return -1;
    if (cntf)
        out_tag(o, cntf, 1);
    else
        o->taglen = (unsigned char)snprintf(o->tag, sizeof o->tag, "1.003");
    derive_cnt(t, cntf, &w->cnt);
    if (w->cnt.oom)
        return -1;
    o->val = w->cnt.p;
    o->len = w->cnt.len;
    return 0;
}

/* Fill w->f with record ri's fields as they will be written. 0 ok, -1 OOM. */
int ebts__writer_record(ebts__writer *w, const ebts_txn *t, size_t ri)
{
    const ebts_record *r = t->recs[ri];
    w->n = 0;
    w->cnt.len = 0;
    const ebts_field *lenf = r->nfields && r->fields[0].number == 1 &&
                                     !(r->fields[0].flags & EBTS__F_MALFORMED)
                                 ? &r->fields[0]
                                 : NULL;
    ebts__outf *lo = out_push(w);
    if (!lo)
        return -1;
    out_tag(lo, lenf, r->type);
    int is_t1 = r->type == 1 && ri == 0;
    const ebts_field *cntf = is_t1 ? ebts_record_field(r, 3) : NULL;
    int cnt_done = !is_t1;
    const ebts_field *bin = NULL;
    for (uint32_t i = lenf ? 1 : 0; i < r->nfields; i++) {
        const ebts_field *f = &r->fields[i];
        if (f->flags & EBTS__F_BINARY) {
            if (!bin)
                bin = f;
            continue;
        }
        if (!cnt_done && (f == cntf || (!cntf && !(f->flags & EBTS__F_MALFORMED) && f->number > 3))) {
            if (out_cnt(w, t, cntf) < 0)
                return -1;
            cnt_done = 1;
            if (f == cntf)
                continue;
        }
        ebts__outf *o = out_push(w);
        if (!o)
            return -1;
        if (f->flags & EBTS__F_MALFORMED)
            o->raw = 1;
        else
            out_tag(o, f, r->type);
        o->val = f->val;
        o->len = f->len;
    }
    if (!cnt_done && out_cnt(w, t, NULL) < 0)
        return -1;
    for (uint32_t i = 0; bin && i < r->nfields; i++) {
        const ebts_field *f = &r->fields[i];
        if (!(f->flags & EBTS__F_BINARY))
            continue;
        ebts__outf *o = out_push(w);
        if (!o)
            return -1;
        out_tag(o, f, r->type);
        o->val = f->val;
        o->len = f->len;
        o->binary = 1;
    }
    /* LEN: the record's size counting LEN's own digits */
    size_t base = 0;
    for (size_t i = 1; i < w->n; i++)
        base += out_size(&w->f[i]);
    base += w->f[0].taglen + 2u; /* "T.001:" + separator */
    lo = &w->f[0];
    if (lenf && span_equals_num(lenf->val, lenf->len, base + lenf->len)) {
        lo->val = lenf->val;
        lo->len = lenf->len;
    } else {
        size_t total = base + 1;
        while ((size_t)digits(total) + base != total)
            total = base + (size_t)digits(total);
        lo->len = (size_t)snprintf(w->lenbuf, sizeof w->lenbuf, "%zu", total);
        lo->val = (const unsigned char *)w->lenbuf;
    }
    return 0;
}

void ebts__write_binary_record(const ebts_record *r, ebts__buf *b)
{
    /* the 4-byte LEN is derived like every other LEN */
    unsigned char hdr[4] = {(unsigned char)(r->rawlen >> 24), (unsigned char)(r->rawlen >> 16),
                            (unsigned char)(r->rawlen >> 8), (unsigned char)r->rawlen};
    ebts__buf_put(b, hdr, 4);
    ebts__buf_put(b, r->raw + 4, r->rawlen - 4);
}

static void write_fields(ebts__writer *w, const ebts_txn *t, size_t ri, ebts__buf *b)
{
    const ebts_record *r = t->recs[ri];
    if (r->binary) {
        ebts__write_binary_record(r, b);
        return;
    }
    if (ebts__writer_record(w, t, ri) < 0) {
        b->oom = 1;
        return;
    }
    for (size_t i = 0; i < w->n; i++) {
        const ebts__outf *o = &w->f[i];
        if (!o->raw) {
            ebts__buf_put(b, o->tag, o->taglen);
            ebts__buf_putc(b, ':');
        }
        ebts__buf_put(b, o->val, o->len);
        ebts__buf_putc(b, i + 1 == w->n ? EBTS__FS : EBTS__GS);
    }
}

/* A record read without a finding and not edited since is copied as it was read: what
 * write_fields would produce, at the speed of memcpy (the fuzz target and the tests compare). */
void ebts__writer_put_record(ebts__writer *w, const ebts_txn *t, size_t ri, ebts__buf *b)
{
    const ebts_record *r = t->recs[ri];
    if (r->span)
        ebts__buf_put(b, r->span, r->spanlen);
    else
        write_fields(w, t, ri, b);
}

void ebts__write_record(const ebts_txn *t, size_t ri, ebts__buf *b)
{
    ebts__writer w;
    memset(&w, 0, sizeof w);
    ebts__writer_put_record(&w, t, ri, b);
    ebts__writer_free(&w);
}

void ebts__write_record_fields(const ebts_txn *t, size_t ri, ebts__buf *b)
{
    ebts__writer w;
    memset(&w, 0, sizeof w);
    write_fields(&w, t, ri, b);
    ebts__writer_free(&w);
}

void ebts__write_traditional(const ebts_txn *t, ebts__buf *b)
{
    ebts__writer w;
    memset(&w, 0, sizeof w);
    /* the output of a transaction that was read is about as long as its input: one allocation
     * instead of doubling and copying (a hint: the buffer still grows after edits), into a kept
     * block when one fits (ebts__buf_reserve) */
    if (t->len && ebts__buf_reserve(b, t->len + 64) < 0)
        return;
    for (size_t ri = 0; ri < t->nrecs && !b->oom;) {
        const ebts_record *r = t->recs[ri++];
        if (!r->span) {
            write_fields(&w, t, ri - 1, b);
            continue;
        }
        /* records copied as read that lie one after another in the input: one copy, which
         * memcpy makes at its full speed (records of a few hundred kilobytes copied one by one
         * into fresh memory went at about three quarters of it) */
        size_t n = r->spanlen;
        while (ri < t->nrecs && t->recs[ri]->span == r->span + n)
            n += t->recs[ri++]->spanlen;
        ebts__buf_put(b, r->span, n);
    }
    ebts__writer_free(&w);
}
