/* Semantic differences between two transactions: records aligned by type and IDC (then order),
 * fields by number (occurrence for repeated numbers), values by subfield and item, a value of
 * several lines line by line (a longest common subsequence); binary data by length, CRC-32 and
 * first differing byte. LEN never counts (the writer derives it), nor do tag spelling and LEN
 * zero padding; CNT counts only where it disagrees with the records, and not alike in both.
 * Bytes not read as records count. With EBTS_DIFF_SEMANTIC, 2.075 of IDENT responses is
 * compared by meaning: match status, encounters by EID, the whole IAR through the parsed view. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

struct ebts_diff_result {
    ebts_difference *d;
    size_t n, cap;
    ebts__arena arena;
    int oom;
};

typedef struct D {
    struct ebts_diff_result *r;
    const ebts_txn *a, *b;
    const ebts_diff_options *o;
} D;

static const char *const kind_names[] = {
    "", "record-added", "record-removed", "record-moved", "field-added", "field-removed",
    "field-changed", "subfield-added", "subfield-removed", "item-changed", "binary-changed",
    "match-changed", "encounter-added", "encounter-removed", "encounter-changed", "iar-changed",
    "line-removed", "line-added", "unread-changed", "cnt-changed"};

static char *copy(D *d, const unsigned char *p, size_t n)
{
    if (!p)
        return NULL;
    char *s = ebts__arena_alloc(&d->r->arena, n + 1);
    if (!s) {
        d->r->oom = 1;
        return NULL;
    }
    memcpy(s, p, n);
    s[n] = 0;
    return s;
}

static ebts_difference *add(D *d, int kind, unsigned rtype, long ra, long rb, unsigned field)
{
    struct ebts_diff_result *r = d->r;
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 16;
        ebts_difference *x = realloc(r->d, cap * sizeof *x);
        if (!x) {
            r->oom = 1;
            return NULL;
        }
        r->d = x;
        r->cap = cap;
    }
    ebts_difference *x = &r->d[r->n++];
    memset(x, 0, sizeof *x);
    x->kind = kind;
    x->kind_name = kind_names[kind];
    x->rtype = rtype;
    x->rec_a = ra;
    x->rec_b = rb;
    x->subfield = x->item = -1;
    x->first_difference = -1;
    if (field) {
        snprintf(x->tag, sizeof x->tag, "%u.%03u", rtype, field);
        x->mnemonic = ebts__field_mnemonic(rtype, field);
    }
    const ebts_record *rec = ra >= 0 ? d->a->recs[ra] : rb >= 0 ? d->b->recs[rb] : NULL;
    int idc = rec ? ebts_record_idc(rec) : -1;
    x->idc = idc >= 0 ? (unsigned)idc : 0;
    return x;
}

/* The caller's ignore list names this field. */
static int listed(const D *d, unsigned rtype, unsigned field)
{
    for (size_t i = 0; i < d->o->nignore; i++) {
        unsigned t, f;
        if (d->o->ignore[i] && sscanf(d->o->ignore[i], "%u.%u", &t, &f) == 2 && t == rtype &&
            f == field)
            return 1;
    }
    return 0;
}

static int ignored(const D *d, unsigned rtype, unsigned field)
{
    if (field == 1 || (rtype == 1 && field == 3))
        return 1; /* LEN, CNT: derived (CNT is checked against the records apart) */
    if ((d->o->flags & EBTS_DIFF_IGNORE_VOLATILE) &&
        ((rtype == 1 && (field == 5 || field == 9 || field == 14)) || (rtype == 10 && field == 5)))
        return 1;
    if ((d->o->flags & EBTS_DIFF_SEMANTIC) && rtype == 2 && field == 75)
        return 1; /* compared by meaning instead */
    return listed(d, rtype, field);
}

/* Walk sequences a (na elements) and b (nb) in order as an edit of a into b: out(ctx, i, j) for
 * an element kept, (i, -1) for one removed, (-1, j) for one added. The common start and end are
 * trimmed; the rest follows a longest common subsequence while its table holds at most
 * SEQ_CELLS cells, else all of A's rest is removed and all of B's added. -1 without memory. */
#define SEQ_CELLS ((size_t)1 << 22)
typedef int (*seq_eq)(void *ctx, size_t i, size_t j);
typedef void (*seq_out)(void *ctx, long i, long j);

static int seq_diff(size_t na, size_t nb, seq_eq eq, seq_out out, void *ctx)
{
    size_t p = 0, e = 0;
    for (; p < na && p < nb && eq(ctx, p, p); p++)
        out(ctx, (long)p, (long)p);
    while (e < na - p && e < nb - p && eq(ctx, na - 1 - e, nb - 1 - e))
        e++;
    size_t m = na - p - e, n = nb - p - e, i = 0, j = 0, w = n + 1;
    uint32_t *L = NULL; /* L[i * w + j]: the longest common subsequence of the rests from i, j */
    if (m && n && m < SEQ_CELLS / w) {
        L = calloc((m + 1) * w, sizeof *L);
        if (!L)
            return -1;
        for (size_t x = m; x-- > 0;)
            for (size_t y = n; y-- > 0;) {
                uint32_t down = L[(x + 1) * w + y], right = L[x * w + y + 1];
                L[x * w + y] = eq(ctx, p + x, p + y) ? L[(x + 1) * w + y + 1] + 1
                                                     : down > right ? down : right;
            }
    }
    while (L && i < m && j < n) {
        if (eq(ctx, p + i, p + j)) {
            out(ctx, (long)(p + i), (long)(p + j));
            i++;
            j++;
        } else if (L[(i + 1) * w + j] >= L[i * w + j + 1]) {
            out(ctx, (long)(p + i++), -1);
        } else {
            out(ctx, -1, (long)(p + j++));
        }
    }
    for (; i < m; i++)
        out(ctx, (long)(p + i), -1);
    for (; j < n; j++)
        out(ctx, -1, (long)(p + j));
    for (size_t k = 0; k < e; k++)
        out(ctx, (long)(na - e + k), (long)(nb - e + k));
    free(L);
    return 0;
}

static ebts_span trimmed(const D *d, ebts_span s)
{
    if (!(d->o->flags & EBTS_DIFF_IGNORE_SPACE))
        return s;
    while (s.len && s.ptr[0] == ' ') {
        s.ptr++;
        s.len--;
    }
    while (s.len && s.ptr[s.len - 1] == ' ')
        s.len--;
    return s;
}

static int span_eq(ebts_span x, ebts_span y)
{
    return x.len == y.len && (x.len == 0 || memcmp(x.ptr, y.ptr, x.len) == 0);
}

static void binary_kind(D *d, int kind, unsigned rtype, long ra, long rb, unsigned field,
                        ebts_span x, ebts_span y)
{
    if (span_eq(x, y))
        return;
    ebts_difference *e = add(d, kind, rtype, ra, rb, field);
    if (!e)
        return;
    e->old_len = x.len;
    e->new_len = y.len;
    snprintf(e->old_hash, sizeof e->old_hash, "%08x", (unsigned)ebts__crc32(x.ptr, x.len));
    snprintf(e->new_hash, sizeof e->new_hash, "%08x", (unsigned)ebts__crc32(y.ptr, y.len));
    size_t i = 0, n = x.len < y.len ? x.len : y.len;
    while (i < n && x.ptr[i] == y.ptr[i])
        i++;
    e->first_difference = (long)i;
}

static void binary(D *d, unsigned rtype, long ra, long rb, unsigned field, ebts_span x,
                   ebts_span y)
{
    binary_kind(d, EBTS_DIFF_BINARY_CHANGED, rtype, ra, rb, field, x, y);
}

static void text(D *d, int kind, unsigned rtype, long ra, long rb, unsigned field, long sub,
                 long item, ebts_span x, ebts_span y)
{
    ebts_difference *e = add(d, kind, rtype, ra, rb, field);
    if (!e)
        return;
    e->subfield = sub;
    e->item = item;
    e->old_value = copy(d, x.ptr, x.len);
    e->new_value = copy(d, y.ptr, y.len);
    e->old_len = x.len;
    e->new_len = y.len;
}

/* A text value of several lines, compared line by line. */
typedef struct Lines {
    D *d;
    unsigned rtype, field;
    long ra, rb;
    ebts_span *a, *b;
} Lines;

/* The lines of v, split at LF (a CR stays with its line, so CR LF and LF differ); a value that
 * ends with LF has an empty last line. *n lines; NULL without memory. */
static ebts_span *split_lines(ebts_span v, size_t *n)
{
    size_t k = 1;
    for (size_t i = 0; i < v.len; i++)
        k += v.ptr[i] == '\n';
    ebts_span *l = malloc(k * sizeof *l);
    if (!l)
        return NULL;
    size_t start = 0;
    *n = 0;
    for (size_t i = 0; i <= v.len; i++)
        if (i == v.len || v.ptr[i] == '\n') {
            l[(*n)++] = (ebts_span){v.ptr + start, i - start};
            start = i + 1;
        }
    return l;
}

static int starts(ebts_span s, const char *p)
{
    size_t n = strlen(p);
    return s.len >= n && memcmp(s.ptr, p, n) == 0;
}

static int line_eq(void *ctx, size_t i, size_t j)
{
    Lines *l = ctx;
    ebts_span x = trimmed(l->d, l->a[i]), y = trimmed(l->d, l->b[j]);
    if ((l->d->o->flags & EBTS_DIFF_IGNORE_VOLATILE) && l->rtype == 2 && l->field == 75 &&
        starts(x, "IAQ RECEIVED:") && starts(y, "IAQ RECEIVED:"))
        return 1; /* the time the IAQ was received: volatile */
    return span_eq(x, y);
}

static void line_out(void *ctx, long i, long j)
{
    Lines *l = ctx;
    if (i >= 0 && j >= 0)
        return;
    ebts_span none = {NULL, 0};
    int added = i < 0;
    text(l->d, added ? EBTS_DIFF_LINE_ADDED : EBTS_DIFF_LINE_REMOVED, l->rtype, l->ra, l->rb,
         l->field, -1, -1, added ? none : l->a[i], added ? l->b[j] : none);
    ebts_difference *e = l->d->r->n ? &l->d->r->d[l->d->r->n - 1] : NULL;
    if (e && e->kind == (added ? EBTS_DIFF_LINE_ADDED : EBTS_DIFF_LINE_REMOVED)) {
        e->line_a = added ? 0 : i + 1;
        e->line_b = added ? j + 1 : 0;
    }
}

static void text_lines(D *d, unsigned rtype, long ra, long rb, unsigned field, ebts_span x,
                       ebts_span y)
{
    Lines l = {d, rtype, field, ra, rb, NULL, NULL};
    size_t na = 0, nb = 0;
    l.a = split_lines(x, &na);
    l.b = split_lines(y, &nb);
    if (!l.a || !l.b || seq_diff(na, nb, line_eq, line_out, &l) < 0)
        d->r->oom = 1;
    free(l.a);
    free(l.b);
}

/* one field present in both */
static void field_pair(D *d, unsigned rtype, long ra, long rb, const ebts_field *fa,
                       const ebts_field *fb)
{
    unsigned num = fa->number;
    if (ebts_field_is_binary(fa) || ebts_field_is_binary(fb)) {
        binary(d, rtype, ra, rb, num, ebts_field_value(fa), ebts_field_value(fb));
        return;
    }
    if (span_eq(trimmed(d, ebts_field_value(fa)), trimmed(d, ebts_field_value(fb))))
        return;
    size_t na = ebts_field_subfield_count(fa), nb = ebts_field_subfield_count(fb);
    if (na == 1 && nb == 1 && ebts_field_item_count(fa, 0) == 1 && ebts_field_item_count(fb, 0) == 1) {
        ebts_span x = ebts_field_value(fa), y = ebts_field_value(fb);
        if (memchr(x.ptr ? x.ptr : (const unsigned char *)"", '\n', x.len) ||
            memchr(y.ptr ? y.ptr : (const unsigned char *)"", '\n', y.len))
            text_lines(d, rtype, ra, rb, num, x, y);
        else
            text(d, EBTS_DIFF_FIELD_CHANGED, rtype, ra, rb, num, -1, -1, x, y);
        return;
    }
    size_t common = na < nb ? na : nb;
    for (size_t s = 0; s < common; s++) {
        size_t ia = ebts_field_item_count(fa, s), ib = ebts_field_item_count(fb, s);
        if (ia != ib) {
            /* the subfield's structure changed: show it whole */
            ebts_span x = ebts_field_item(fa, s, 0), y = ebts_field_item(fb, s, 0);
            ebts_span xa = {x.ptr, 0}, yb = {y.ptr, 0};
            ebts_span ea = ebts_field_item(fa, s, ia - 1), eb = ebts_field_item(fb, s, ib - 1);
            xa.len = (size_t)(ea.ptr + ea.len - x.ptr);
            yb.len = (size_t)(eb.ptr + eb.len - y.ptr);
            text(d, EBTS_DIFF_ITEM_CHANGED, rtype, ra, rb, num, (long)s, -1, xa, yb);
            continue;
        }
        for (size_t i = 0; i < ia; i++) {
            ebts_span x = ebts_field_item(fa, s, i), y = ebts_field_item(fb, s, i);
            if (!span_eq(trimmed(d, x), trimmed(d, y)))
                text(d, EBTS_DIFF_ITEM_CHANGED, rtype, ra, rb, num, (long)s,
                     ia > 1 ? (long)i : -1, x, y);
        }
    }
    for (size_t s = common; s < na; s++)
        text(d, EBTS_DIFF_SUBFIELD_REMOVED, rtype, ra, rb, num, (long)s, -1,
             ebts_field_item(fa, s, 0), (ebts_span){NULL, 0});
    for (size_t s = common; s < nb; s++)
        text(d, EBTS_DIFF_SUBFIELD_ADDED, rtype, ra, rb, num, (long)s, -1, (ebts_span){NULL, 0},
             ebts_field_item(fb, s, 0));
}

/* the k-th field with this number */
/* Pair the k-th occurrence of a field number in x with the k-th in y: px[i] is the y position
 * paired with x's field i (-1: none), py[j] the x position paired with y's field j. Sorted pairs,
 * merged, not each occurrence counted and looked for from the start of both records, which is
 * quadratic (seconds for a record of 80 000 fields). -1 without memory. */
static int pair_fields(const ebts_record *x, const ebts_record *y, long *px, long *py)
{
    size_t nx, ny;
    uint64_t *kx = ebts__field_numbers_sorted(x, &nx), *ky = ebts__field_numbers_sorted(y, &ny);
    if (!kx || !ky) {
        free(kx);
        free(ky);
        return -1;
    }
    for (uint32_t i = 0; i < x->nfields; i++)
        px[i] = -1;
    for (uint32_t j = 0; j < y->nfields; j++)
        py[j] = -1;
    size_t i = 0, j = 0;
    while (i < nx && j < ny) {
        uint32_t a = (uint32_t)(kx[i] >> 32), b = (uint32_t)(ky[j] >> 32);
        if (a < b) {
            i++;
        } else if (b < a) {
            j++;
        } else { /* same number: occurrences pair in order while both runs last */
            px[(uint32_t)kx[i]] = (long)(uint32_t)ky[j];
            py[(uint32_t)ky[j]] = (long)(uint32_t)kx[i];
            i++;
            j++;
        }
    }
    free(kx);
    free(ky);
    return 0;
}

static void one_side_field(D *d, int kind, unsigned rtype, long ra, long rb, const ebts_field *f)
{
    if (ebts_field_is_binary(f)) {
        ebts_difference *e = add(d, kind, rtype, ra, rb, f->number);
        if (!e)
            return;
        ebts_span v = ebts_field_value(f);
        *(kind == EBTS_DIFF_FIELD_ADDED ? &e->new_len : &e->old_len) = v.len;
        snprintf(kind == EBTS_DIFF_FIELD_ADDED ? e->new_hash : e->old_hash, sizeof e->old_hash,
                 "%08x", (unsigned)ebts__crc32(v.ptr, v.len));
        return;
    }
    ebts_span v = ebts_field_value(f), none = {NULL, 0};
    text(d, kind, rtype, ra, rb, f->number, -1, -1, kind == EBTS_DIFF_FIELD_ADDED ? none : v,
         kind == EBTS_DIFF_FIELD_ADDED ? v : none);
}

static void record_pair(D *d, long ra, long rb)
{
    const ebts_record *x = d->a->recs[ra], *y = d->b->recs[rb];
    if (x->binary || y->binary) {
        ebts_span sx = ebts_record_data(x), sy = ebts_record_data(y);
        /* the 4-byte LEN is derived: compare from the IDC on */
        ebts_span tx = {sx.ptr ? sx.ptr + 4 : NULL, sx.len >= 4 ? sx.len - 4 : 0};
        ebts_span ty = {sy.ptr ? sy.ptr + 4 : NULL, sy.len >= 4 ? sy.len - 4 : 0};
        binary(d, x->type, ra, rb, 0, tx, ty);
        return;
    }
    long *px = malloc((x->nfields + 1u) * sizeof *px);
    long *py = malloc((y->nfields + 1u) * sizeof *py);
    if (!px || !py || pair_fields(x, y, px, py) < 0) {
        free(px);
        free(py);
        d->r->oom = 1;
        return;
    }
    for (uint32_t i = 0; i < x->nfields; i++) {
        const ebts_field *f = &x->fields[i];
        if ((f->flags & EBTS__F_MALFORMED) || ignored(d, x->type, f->number))
            continue;
        if (px[i] >= 0)
            field_pair(d, x->type, ra, rb, f, &y->fields[px[i]]);
        else
            one_side_field(d, EBTS_DIFF_FIELD_REMOVED, x->type, ra, rb, f);
    }
    for (uint32_t i = 0; i < y->nfields; i++) {
        const ebts_field *g = &y->fields[i];
        if ((g->flags & EBTS__F_MALFORMED) || ignored(d, y->type, g->number))
            continue;
        if (py[i] < 0)
            one_side_field(d, EBTS_DIFF_FIELD_ADDED, y->type, ra, rb, g);
    }
    free(px);
    free(py);
    /* malformed fields (kept raw): compared as a list of raw values */
    size_t mx = 0, my = 0;
    for (uint32_t i = 0; i < x->nfields; i++)
        mx += (x->fields[i].flags & EBTS__F_MALFORMED) != 0;
    for (uint32_t i = 0; i < y->nfields; i++)
        my += (y->fields[i].flags & EBTS__F_MALFORMED) != 0;
    if (mx || my) {
        uint32_t i = 0, j = 0;
        while (i < x->nfields || j < y->nfields) {
            while (i < x->nfields && !(x->fields[i].flags & EBTS__F_MALFORMED))
                i++;
            while (j < y->nfields && !(y->fields[j].flags & EBTS__F_MALFORMED))
                j++;
            ebts_span vx = i < x->nfields ? ebts_field_value(&x->fields[i]) : (ebts_span){NULL, 0};
            ebts_span vy = j < y->nfields ? ebts_field_value(&y->fields[j]) : (ebts_span){NULL, 0};
            if (i >= x->nfields && j >= y->nfields)
                break;
            if (!span_eq(vx, vy))
                text(d, i >= x->nfields ? EBTS_DIFF_FIELD_ADDED
                        : j >= y->nfields ? EBTS_DIFF_FIELD_REMOVED
                                          : EBTS_DIFF_FIELD_CHANGED,
                     x->type, ra, rb, 0, -1, -1, vx, vy);
            i++;
            j++;
        }
    }
}

static const char *nz(const char *s)
{
    return s ? s : "";
}

static int cmp_eid(const void *a, const void *b)
{
    const ebts_encounter *x = *(const ebts_encounter *const *)a, *y = *(const ebts_encounter *const *)b;
    int c = strcmp(nz(x->eid), nz(y->eid));
    return c ? c : x < y ? -1 : x > y; /* same EID: in order of the text */
}

/* The IDR's encounters sorted by EID, then by position; free(). NULL without memory. */
static const ebts_encounter **by_eid(const ebts_idr *idr)
{
    const ebts_encounter **v = malloc((idr->nencounters + 1) * sizeof *v);
    if (!v)
        return NULL;
    for (size_t i = 0; i < idr->nencounters; i++)
        v[i] = &idr->encounters[i];
    if (idr->nencounters > 1)
        qsort(v, idr->nencounters, sizeof *v, cmp_eid);
    return v;
}

/* The first encounter (in the text) with this EID, from a by_eid list of n; NULL if none. */
static const ebts_encounter *first_of_eid(const ebts_encounter *const *v, size_t n, const char *eid)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(nz(v[mid]->eid), eid) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && strcmp(nz(v[lo]->eid), eid) == 0 ? v[lo] : NULL;
}

/* One IAR difference: `what` ("IAR record DOB"), the value in A and in B (NULL: absent). */
static void iar_diff(D *d, long ra, long rb, const char *what, const char *x, const char *y)
{
    if (x && y && strcmp(x, y) == 0)
        return;
    ebts_difference *e = add(d, EBTS_DIFF_IAR_CHANGED, 2, ra, rb, 75);
    if (!e)
        return;
    e->what = copy(d, (const unsigned char *)what, strlen(what));
    e->old_value = x ? copy(d, (const unsigned char *)x, strlen(x)) : NULL;
    e->new_value = y ? copy(d, (const unsigned char *)y, strlen(y)) : NULL;
}

/* Lists of an IAR compared in order: lines or key/value pairs (pairs set), which pair by key.
 * Either side may be empty, and then NULL. */
typedef struct List {
    D *d;
    long ra, rb;
    const char *what;
    const char *const *a, *const *b;  /* lines */
    const ebts_pair *pa, *pb;         /* or pairs */
    int pairs;
} List;

static int list_eq(void *ctx, size_t i, size_t j)
{
    List *l = ctx;
    if (l->pairs)
        return strcmp(nz(l->pa[i].key), nz(l->pb[j].key)) == 0;
    return strcmp(nz(l->a[i]), nz(l->b[j])) == 0;
}

static void list_out(void *ctx, long i, long j)
{
    List *l = ctx;
    char what[96];
    if (!l->pairs) {
        if (i < 0 || j < 0)
            iar_diff(l->d, l->ra, l->rb, l->what, i >= 0 ? nz(l->a[i]) : NULL,
                     j >= 0 ? nz(l->b[j]) : NULL);
        return;
    }
    const ebts_pair *x = i >= 0 ? &l->pa[i] : NULL, *y = j >= 0 ? &l->pb[j] : NULL;
    snprintf(what, sizeof what, "%s %s", l->what, nz((x ? x : y)->key));
    iar_diff(l->d, l->ra, l->rb, what, x ? nz(x->value) : NULL, y ? nz(y->value) : NULL);
}

static void list_diff(List *l, size_t na, size_t nb)
{
    if (seq_diff(na, nb, list_eq, list_out, l) < 0)
        l->d->r->oom = 1;
}

/* The IAQ's encounter list as lines "EID;LAST;FIRST;MIDDLE;DOB;POB;SEX" (arena). */
static const char **encounter_lines(D *d, const ebts_iar *r)
{
    const char **v = ebts__arena_alloc(&d->r->arena, (r->nencounters + 1) * sizeof *v);
    if (!v) {
        d->r->oom = 1;
        return NULL;
    }
    for (size_t i = 0; i < r->nencounters; i++) {
        const ebts_encounter *e = &r->encounters[i];
        char line[512];
        snprintf(line, sizeof line, "%s;%s;%s;%s;%s;%s;%s", nz(e->eid), nz(e->last),
                 nz(e->first), nz(e->middle), nz(e->dob), nz(e->pob), nz(e->sex));
        v[i] = copy(d, (const unsigned char *)line, strlen(line));
    }
    return v;
}

/* The whole IAR: the IAQ echo, the LESC status and determination, the ICE record, the
 * notices and the requesting ORI; the IAQ RECEIVED time unless volatile fields are ignored. */
static void iar(D *d, long ra, long rb, const ebts_iar *x, const ebts_iar *y)
{
    const char *sa = x->present ? (x->status ? x->status : "present") : "absent";
    const char *sb = y->present ? (y->status ? y->status : "present") : "absent";
    iar_diff(d, ra, rb, "IAR status", sa, sb);
    if (!x->present || !y->present)
        return;
    if (!(d->o->flags & EBTS_DIFF_IGNORE_VOLATILE))
        iar_diff(d, ra, rb, "IAQ RECEIVED", nz(x->received), nz(y->received));
    List l = {d, ra, rb, "IAQ", NULL, NULL, x->iaq, y->iaq, 1};
    list_diff(&l, x->niaq, y->niaq);
    iar_diff(d, ra, rb, "IAQ IDSM", nz(x->idsm), nz(y->idsm));
    const char **ea = encounter_lines(d, x), **eb = encounter_lines(d, y);
    if (ea && eb) {
        List e = {d, ra, rb, "IAQ encounter", ea, eb, NULL, NULL, 0};
        list_diff(&e, x->nencounters, y->nencounters);
    }
    List st = {d, ra, rb, "IAR determination", x->status_lines, y->status_lines, NULL, NULL, 0};
    list_diff(&st, x->nstatus_lines, y->nstatus_lines);
    List rec = {d, ra, rb, "IAR record", NULL, NULL, x->record, y->record, 1};
    list_diff(&rec, x->nrecord, y->nrecord);
    List no = {d, ra, rb, "IAR notice", x->notices, y->notices, NULL, NULL, 0};
    list_diff(&no, x->nnotices, y->nnotices);
    List rq = {d, ra, rb, "IAR requesting", NULL, NULL, x->requesting, y->requesting, 1};
    list_diff(&rq, x->nrequesting, y->nrequesting);
    iar_diff(d, ra, rb, "IAR query ID", nz(x->query_id), nz(y->query_id));
    iar_diff(d, ra, rb, "IAR END OF RESPONSE", x->end ? "seen" : "missing",
             y->end ? "seen" : "missing");
}

static void semantic(D *d, long ra, long rb)
{
    ebts_span va = ebts_field_value(ebts_record_field(d->a->recs[ra], 75));
    ebts_span vb = ebts_field_value(ebts_record_field(d->b->recs[rb], 75));
    ebts_ers *ea = ebts_ers_parse(va.ptr, va.len, NULL), *eb = ebts_ers_parse(vb.ptr, vb.len, NULL);
    if (!ea || !eb) {
        d->r->oom = 1;
        goto done;
    }
    const ebts_idr *ia = ebts_ers_idr(ea), *ib = ebts_ers_idr(eb);
    if (ia->match != ib->match) {
        static const char *const m[] = {"no marker", "NO MATCH", "MATCH"};
        ebts_difference *x = add(d, EBTS_DIFF_MATCH_CHANGED, 2, ra, rb, 75);
        if (x) {
            x->old_value = m[ia->match + 1];
            x->new_value = m[ib->match + 1];
            x->what = "IDR";
        }
    }
    static const char *const names[] = {"NAME", "DOB", "POB", "SEX"};
    /* each side's encounters sorted by EID: an A encounter pairs with B's first of its EID */
    const ebts_encounter **ka = by_eid(ia), **kb = by_eid(ib);
    if (!ka || !kb) {
        d->r->oom = 1;
        free(ka);
        free(kb);
        goto done;
    }
    for (size_t i = 0; i < ia->nencounters; i++) {
        const ebts_encounter *p = &ia->encounters[i];
        const ebts_encounter *q = first_of_eid(kb, ib->nencounters, nz(p->eid));
        char what[80];
        snprintf(what, sizeof what, "EID %s", nz(p->eid));
        if (!q) {
            ebts_difference *x = add(d, EBTS_DIFF_ENCOUNTER_REMOVED, 2, ra, rb, 75);
            if (x) {
                x->what = copy(d, (const unsigned char *)what, strlen(what));
                x->old_value = copy(d, (const unsigned char *)nz(p->name), strlen(nz(p->name)));
            }
            continue;
        }
        const char *pv[4] = {p->name, p->dob, p->pob, p->sex}, *qv[4] = {q->name, q->dob, q->pob, q->sex};
        for (int k = 0; k < 4; k++)
            if (strcmp(nz(pv[k]), nz(qv[k])) != 0) {
                ebts_difference *x = add(d, EBTS_DIFF_ENCOUNTER_CHANGED, 2, ra, rb, 75);
                if (!x)
                    break;
                char w[96];
                snprintf(w, sizeof w, "%s %s", what, names[k]);
                x->what = copy(d, (const unsigned char *)w, strlen(w));
                x->old_value = copy(d, (const unsigned char *)nz(pv[k]), strlen(nz(pv[k])));
                x->new_value = copy(d, (const unsigned char *)nz(qv[k]), strlen(nz(qv[k])));
            }
    }
    for (size_t j = 0; j < ib->nencounters; j++) {
        const ebts_encounter *q = &ib->encounters[j];
        if (first_of_eid(ka, ia->nencounters, nz(q->eid)))
            continue;
        ebts_difference *x = add(d, EBTS_DIFF_ENCOUNTER_ADDED, 2, ra, rb, 75);
        if (x) {
            char what[80];
            snprintf(what, sizeof what, "EID %s", nz(q->eid));
            x->what = copy(d, (const unsigned char *)what, strlen(what));
            x->new_value = copy(d, (const unsigned char *)nz(q->name), strlen(nz(q->name)));
        }
    }
    free(ka);
    free(kb);
    iar(d, ra, rb, ebts_ers_iar(ea), ebts_ers_iar(eb));
done:
    ebts_ers_free(ea);
    ebts_ers_free(eb);
}

/* CNT as read, "1:2 2:0 10:1": subfields apart by spaces, items by ':', numbers without their
 * zero padding (a non-number as written). */
static void cnt_text(const ebts_txn *t, ebts__buf *b)
{
    const ebts_field *f = t->nrecs ? ebts_record_field(t->recs[0], 3) : NULL;
    for (size_t s = 0; f && s < ebts_field_subfield_count(f); s++)
        for (size_t i = 0; i < ebts_field_item_count(f, s); i++) {
            ebts_span v = ebts_field_item(f, s, i);
            int n;
            if (s || i)
                ebts__buf_putc(b, i ? ':' : ' ');
            if (ebts__parse_uint(v.ptr, v.len, &n))
                ebts__buf_printf(b, "%d", n);
            else
                ebts__buf_put(b, v.ptr, v.len);
        }
    ebts__buf_putc(b, 0);
}

/* What the reader found where CNT and the records disagree, one finding a line. Read-time
 * findings: CNT is derived again on writing, so an edit leaves the field as read. */
static void cnt_findings(const ebts_txn *t, ebts__buf *b)
{
    for (size_t i = 0; i < ebts_txn_diag_count(t); i++) {
        const ebts_diag *g = ebts_txn_diag(t, i);
        if (strncmp(g->code, "CNT_", 4) == 0 || strcmp(g->code, "RECORD_MISSING") == 0 ||
            strcmp(g->code, "RECORD_NOT_IN_CNT") == 0)
            ebts__buf_printf(b, "%s %s\n", g->code, g->msg);
    }
    ebts__buf_putc(b, 0);
}

/* CNT counts where the reader found it disagreeing with the records, and not alike in A and B
 * (the records themselves are compared apart). */
static void cnt(D *d)
{
    if (listed(d, 1, 3))
        return;
    ebts__buf wa = {0}, fa = {0}, wb = {0}, fb = {0};
    cnt_text(d->a, &wa);
    cnt_findings(d->a, &fa);
    cnt_text(d->b, &wb);
    cnt_findings(d->b, &fb);
    if (wa.oom || fa.oom || wb.oom || fb.oom) {
        d->r->oom = 1;
    } else if (strcmp((char *)fa.p, (char *)fb.p) != 0) {
        int ma = fa.len > 1, mb = fb.len > 1;
        ebts_difference *e = add(d, EBTS_DIFF_CNT_CHANGED, 1, 0, 0, 3);
        if (e) {
            e->what = ma && mb ? "disagrees with the records in A and B"
                      : ma     ? "disagrees with the records in A"
                               : "disagrees with the records in B";
            e->old_value = copy(d, wa.p, wa.len - 1);
            e->new_value = copy(d, wb.p, wb.len - 1);
            e->old_len = wa.len - 1;
            e->new_len = wb.len - 1;
        }
    }
    free(wa.p);
    free(fa.p);
    free(wb.p);
    free(fb.p);
}

/* Each A record not yet aligned, in order, takes the first B record not yet taken with the same
 * type and (pass 0) IDC. The free B records are sorted by key and each key's run is taken from
 * its front, which is that same greedy choice without comparing every pair (two transactions of
 * 50 000 records would otherwise take billions of comparisons). -1 without memory. */
static int align_pass(const ebts_txn *a, const ebts_txn *b, long *match_a, long *match_b, int pass)
{
    size_t na = a ? a->nrecs : 0, nb = b ? b->nrecs : 0, k = 0;
    if (na < 2 || nb < 2)
        return 0;
    ebts__rec_key *keys = malloc(nb * sizeof *keys);
    size_t *taken = calloc(nb, sizeof *taken); /* per run start: how many were taken */
    if (!keys || !taken) {
        free(keys);
        free(taken);
        return -1;
    }
    for (size_t j = 1; j < nb; j++)
        if (match_b[j] < 0)
            keys[k++] =
                (ebts__rec_key){b->recs[j]->type, pass ? 0 : ebts_record_idc(b->recs[j]), j};
    qsort(keys, k, sizeof *keys, ebts__rec_key_cmp);
    for (size_t i = 1; i < na; i++) {
        if (match_a[i] >= 0)
            continue;
        ebts__rec_key want = {a->recs[i]->type, pass ? 0 : ebts_record_idc(a->recs[i]), 0};
        size_t lo = 0, hi = k; /* the first key >= want: the start of want's run */
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (ebts__rec_key_cmp(&keys[mid], &want) < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        size_t at = lo + taken[lo];
        if (at < k && keys[at].type == want.type && keys[at].idc == want.idc) {
            taken[lo]++;
            match_a[i] = (long)keys[at].rec;
            match_b[keys[at].rec] = (long)i;
        }
    }
    free(keys);
    free(taken);
    return 0;
}

ebts_diff_result *ebts_diff(const ebts_txn *a, const ebts_txn *b, const ebts_diff_options *o,
                            ebts_error *err)
{
    if (!a || !b || (o && !o->ignore && o->nignore)) {
        ebts__error_set(err, EBTS__C_BAD_ARGUMENT, 0, -1, NULL, "%s",
                        !a || !b ? "NULL transaction" : "NULL ignore list");
        return NULL;
    }
    struct ebts_diff_result *r = calloc(1, sizeof *r);
    if (!r) {
        ebts__error_oom(err);
        return NULL;
    }
    ebts__arena_init(&r->arena, 4096);
    ebts_diff_options none;
    memset(&none, 0, sizeof none);
    D d = {r, a, b, o ? o : &none};
    size_t na = a->nrecs, nb = b->nrecs;
    long *match_b = malloc((nb + 1) * sizeof *match_b); /* B record -> A record */
    long *match_a = malloc((na + 1) * sizeof *match_a);
    if (!match_a || !match_b) {
        free(match_a);
        free(match_b);
        ebts_diff_free(r);
        ebts__error_oom(err);
        return NULL;
    }
    for (size_t j = 0; j < nb; j++)
        match_b[j] = -1;
    for (size_t i = 0; i < na; i++)
        match_a[i] = -1;
    /* align: Type-1 with Type-1; then same type and IDC in order; then same type in order */
    if (na && nb) {
        match_a[0] = 0;
        match_b[0] = 0;
    }
    for (int pass = 0; pass < 2; pass++)
        if (align_pass(a, b, match_a, match_b, pass) < 0) {
            free(match_a);
            free(match_b);
            ebts_diff_free(r);
            ebts__error_oom(err);
            return NULL;
        }
    long last_b = 0;
    for (size_t i = 0; i < na; i++) {
        if (match_a[i] < 0) {
            ebts_difference *x = add(&d, EBTS_DIFF_RECORD_REMOVED, a->recs[i]->type, (long)i, -1, 0);
            if (x && a->recs[i]->binary)
                x->old_len = a->recs[i]->rawlen;
            continue;
        }
        if (match_a[i] < last_b)
            add(&d, EBTS_DIFF_RECORD_MOVED, a->recs[i]->type, (long)i, match_a[i], 0);
        else
            last_b = match_a[i];
        record_pair(&d, (long)i, match_a[i]);
        if ((d.o->flags & EBTS_DIFF_SEMANTIC) && a->recs[i]->type == 2 &&
            (ebts_record_field(a->recs[i], 75) || ebts_record_field(b->recs[match_a[i]], 75)))
            semantic(&d, (long)i, match_a[i]);
        if (i == 0 && !(d.o->flags & EBTS_DIFF_RECORDS_ONLY))
            cnt(&d);
    }
    for (size_t j = 0; j < nb; j++)
        if (match_b[j] < 0) {
            ebts_difference *x = add(&d, EBTS_DIFF_RECORD_ADDED, b->recs[j]->type, -1, (long)j, 0);
            if (x && b->recs[j]->binary)
                x->new_len = b->recs[j]->rawlen;
        }
    free(match_a);
    free(match_b);
    if (!(d.o->flags & EBTS_DIFF_RECORDS_ONLY))
        binary_kind(&d, EBTS_DIFF_UNREAD_CHANGED, 0, -1, -1, 0, ebts_txn_unread(a),
                    ebts_txn_unread(b));
    if (r->oom) {
        ebts_diff_free(r);
        ebts__error_oom(err);
        return NULL;
    }
    return r;
}

size_t ebts_diff_count(const ebts_diff_result *d)
{
    return d ? d->n : 0;
}

const ebts_difference *ebts_diff_at(const ebts_diff_result *d, size_t index)
{
    return d && index < d->n ? &d->d[index] : NULL;
}

void ebts_diff_free(ebts_diff_result *d)
{
    if (!d)
        return;
    ebts__arena_free(&d->arena);
    free(d->d);
    free(d);
}

/* a value for a text line: at most `max` characters from `from` (after "..." when not 0),
 * controls shown as \n \r or ? */
static void shown(char *out, size_t size, const char *v, size_t from, size_t max)
{
    size_t k = 0;
    out[k++] = '"';
    if (from) {
        memcpy(out + k, "...", 3);
        k += 3;
        v += from;
    }
    for (size_t i = 0; v && v[i] && k + 6 < size; i++) {
        unsigned char c = (unsigned char)v[i];
        if (i >= max) {
            memcpy(out + k, "...", 3);
            k += 3;
            break;
        }
        if (c == '\n' || c == '\r') {
            out[k++] = '\\';
            out[k++] = c == '\n' ? 'n' : 'r';
        } else {
            out[k++] = c < 0x20 || c == 0x7f ? '?' : (char)c;
        }
    }
    out[k++] = '"';
    out[k] = 0;
}

const char *ebts_difference_format(const ebts_difference *x, int redact, char *buf, size_t size)
{
    if (!buf || !size)
        return "";
    buf[0] = 0;
    if (!x)
        return buf;
    char where[96], a[160], b[160];
    /* a line of a text is shown whole up to the 120 characters of a long 2.075 line */
    int line = x->kind == EBTS_DIFF_LINE_ADDED || x->kind == EBTS_DIFF_LINE_REMOVED;
    if (x->tag[0])
        snprintf(where, sizeof where, "%s%s%s", x->tag, x->mnemonic ? " " : "",
                 x->mnemonic ? x->mnemonic : "");
    else
        snprintf(where, sizeof where, "Type-%u record (IDC %02u)", x->rtype, x->idc);
    if (x->subfield >= 0) {
        size_t k = strlen(where);
        if (x->item >= 0)
            snprintf(where + k, sizeof where - k, " [%ld.%ld]", x->subfield + 1, x->item + 1);
        else
            snprintf(where + k, sizeof where - k, " [%ld]", x->subfield + 1);
    }
    if (line) {
        size_t k = strlen(where);
        snprintf(where + k, sizeof where - k, " line %ld",
                 x->kind == EBTS_DIFF_LINE_ADDED ? x->line_b : x->line_a);
    }
    /* two long values that begin alike are shown from 20 characters before they differ */
    size_t max = line ? 120 : 60, same = 0, from = 0;
    while (x->old_value && x->new_value && x->old_value[same] &&
           x->old_value[same] == x->new_value[same])
        same++;
    if (same > 40 && (strlen(x->old_value) > max || strlen(x->new_value) > max))
        from = same - 20;
    shown(a, sizeof a, x->old_value, from, max);
    shown(b, sizeof b, x->new_value, from, max);
    switch (x->kind) {
    case EBTS_DIFF_RECORD_ADDED:
    case EBTS_DIFF_RECORD_REMOVED:
        snprintf(buf, size, "%c %s", x->kind == EBTS_DIFF_RECORD_ADDED ? '+' : '-', where);
        break;
    case EBTS_DIFF_RECORD_MOVED:
        snprintf(buf, size, "~ %s moved: position %ld in A, %ld in B", where, x->rec_a, x->rec_b);
        break;
    case EBTS_DIFF_FIELD_ADDED:
    case EBTS_DIFF_FIELD_REMOVED:
    case EBTS_DIFF_SUBFIELD_ADDED:
    case EBTS_DIFF_SUBFIELD_REMOVED:
    case EBTS_DIFF_LINE_ADDED:
    case EBTS_DIFF_LINE_REMOVED: {
        int added = x->kind == EBTS_DIFF_FIELD_ADDED || x->kind == EBTS_DIFF_SUBFIELD_ADDED ||
                    x->kind == EBTS_DIFF_LINE_ADDED;
        const char *v = added ? b : a;
        size_t len = added ? x->new_len : x->old_len;
        if ((added ? x->new_hash : x->old_hash)[0])
            snprintf(buf, size, "%c %s (%zu bytes)", added ? '+' : '-', where, len);
        else if (redact)
            snprintf(buf, size, "%c %s", added ? '+' : '-', where);
        else
            snprintf(buf, size, "%c %s: %s", added ? '+' : '-', where, v);
        break;
    }
    case EBTS_DIFF_BINARY_CHANGED:
        if (x->old_len == x->new_len)
            snprintf(buf, size, "%s: %zu bytes, first difference at byte %ld", where, x->old_len,
                     x->first_difference);
        else
            snprintf(buf, size, "%s: %zu -> %zu bytes, first difference at byte %ld", where,
                     x->old_len, x->new_len, x->first_difference);
        break;
    case EBTS_DIFF_UNREAD_CHANGED:
        if (x->old_len == x->new_len)
            snprintf(buf, size, "bytes not read as records: %zu bytes, first difference at byte %ld",
                     x->old_len, x->first_difference);
        else if (x->old_len && x->new_len)
            snprintf(buf, size, "bytes not read as records: %zu -> %zu bytes, first difference "
                     "at byte %ld", x->old_len, x->new_len, x->first_difference);
        else
            snprintf(buf, size, "bytes not read as records: %zu -> %zu bytes", x->old_len,
                     x->new_len);
        break;
    case EBTS_DIFF_IAR_CHANGED:
        if (!redact && (!x->old_value || !x->new_value)) { /* a line or pair of one side only */
            snprintf(buf, size, "%c %s %s: %s", x->old_value ? '-' : '+', where,
                     x->what ? x->what : "", x->old_value ? a : b);
            break;
        }
        /* fall through */
    case EBTS_DIFF_MATCH_CHANGED:
    case EBTS_DIFF_ENCOUNTER_CHANGED:
    case EBTS_DIFF_CNT_CHANGED:
        if (redact)
            snprintf(buf, size, "%s %s: %s", where, x->what ? x->what : "", x->kind_name);
        else
            snprintf(buf, size, "%s %s: %s -> %s", where, x->what ? x->what : "", a, b);
        if (redact && x->kind == EBTS_DIFF_ENCOUNTER_CHANGED && x->what) {
            /* keep the field name, not the EID */
            const char *sp = strrchr(x->what, ' ');
            snprintf(buf, size, "%s encounter %s changed", where, sp ? sp + 1 : "");
        }
        break;
    case EBTS_DIFF_ENCOUNTER_ADDED:
    case EBTS_DIFF_ENCOUNTER_REMOVED:
        if (redact)
            snprintf(buf, size, "%c %s encounter", x->kind == EBTS_DIFF_ENCOUNTER_ADDED ? '+' : '-',
                     where);
        else
            snprintf(buf, size, "%c %s %s: %s", x->kind == EBTS_DIFF_ENCOUNTER_ADDED ? '+' : '-',
                     where, x->what ? x->what : "",
                     x->kind == EBTS_DIFF_ENCOUNTER_ADDED ? b : a);
        break;
    default:
        if (redact)
            snprintf(buf, size, "%s: changed", where);
        else
            snprintf(buf, size, "%s: %s -> %s", where, a, b);
    }
    return buf;
}
