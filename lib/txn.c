/* The transaction model: records, fields, subfields and items as spans into the buffer the
 * transaction owns; read-only accessors; edits that copy new bytes into the arena. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "internal.h"
#include "rules.h"

const char *ebts_version(void)
{
    return EBTS_VERSION_STRING;
}

void ebts_free(void *p)
{
    free(p);
}

ebts_txn *ebts__txn_alloc(void)
{
    ebts_txn *t = calloc(1, sizeof *t);
    if (t) {
        ebts__arena_init(&t->arena, 16384);
        ebts__arena_init(&t->ixpool.arena, 4096);
    }
    return t;
}

void ebts_txn_free(ebts_txn *t)
{
    if (!t)
        return;
    ebts__arena_free(&t->ixpool.arena);
    ebts__arena_free(&t->arena);
    free(t->recs);
    free(t->dl.d);
    free(t->owned);
    free(t);
}

ebts_record *ebts__record_new(ebts_txn *t, unsigned type)
{
    ebts_record *r = ebts__arena_alloc(&t->arena, sizeof *r);
    if (r) {
        memset(r, 0, sizeof *r);
        r->type = type;
        r->cnt_idc = -1;
        r->offset = EBTS__NOWHERE;
    }
    return r;
}

static int recs_reserve(ebts_txn *t)
{
    if (t->nrecs < t->caprecs)
        return 0;
    size_t cap = t->caprecs ? t->caprecs * 2 : 16;
    ebts_record **r = realloc(t->recs, cap * sizeof *r);
    if (!r)
        return -1;
    t->recs = r;
    t->caprecs = cap;
    return 0;
}

int ebts__txn_add_record(ebts_txn *t, ebts_record *r)
{
    if (recs_reserve(t) < 0)
        return -1;
    t->recs[t->nrecs++] = r;
    return 0;
}

/* ---- the index of a value's subfields and items (see struct ebts_field) */

/* Where the index is being written: the next byte, item and subfield. */
typedef struct {
    uint32_t i, k, s;
} index_at;

/* Sixty-four bytes at a time where the processor has AVX-512BW, thirty-two with AVX2, sixteen
 * with SSE2, then one. A block's separators (m, RS among them r; bit j for byte i + j) are
 * visited through the mask, without a branch on which separator it is: ix[s + 1], where the
 * next subfield begins, is written at every one, and is right once the RS that ends subfield s
 * (or the end of the value) has written it last. */
static EBTS__HOT void index_block(uint64_t m, uint64_t r, uint32_t i, uint32_t *ix, uint32_t *end,
                                  index_at *at)
{
    uint32_t k = at->k, s = at->s;
    for (; m; m &= m - 1) {
        unsigned j = (unsigned)__builtin_ctzll(m);
        end[k++] = i + j;
        ix[s + 1] = k;
        s += (uint32_t)(r >> j & 1u);
    }
    at->k = k;
    at->s = s;
}

#if EBTS__X86_WIDE
__attribute__((target("avx512bw"), noinline)) static void
index_avx512(const unsigned char *v, uint32_t n, uint32_t *ix, uint32_t *end, index_at *at)
{
    const __m512i one = _mm512_set1_epi8(1), us = _mm512_set1_epi8(EBTS__US);
    const __m512i rs = _mm512_set1_epi8(EBTS__RS);
    index_at a = *at; /* in locals while the loop runs */
    for (; n - a.i >= 64; a.i += 64) {
        __m512i x = _mm512_loadu_si512((const void *)(v + a.i));
        index_block(_mm512_cmpeq_epi8_mask(_mm512_or_si512(x, one), us),
                    _mm512_cmpeq_epi8_mask(x, rs), a.i, ix, end, &a);
    }
    *at = a;
}

/* The same thirty-two bytes at a time, with AVX2. */
__attribute__((target("avx2"), noinline)) static void
index_avx2(const unsigned char *v, uint32_t n, uint32_t *ix, uint32_t *end, index_at *at)
{
    const __m256i one = _mm256_set1_epi8(1), us = _mm256_set1_epi8(EBTS__US);
    const __m256i rs = _mm256_set1_epi8(EBTS__RS);
    index_at a = *at;
    for (; n - a.i >= 32; a.i += 32) {
        __m256i x = _mm256_loadu_si256((const __m256i *)(const void *)(v + a.i));
        uint32_t m = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(_mm256_or_si256(x, one), us));
        index_block(m, (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(x, rs)), a.i, ix, end, &a);
    }
    *at = a;
}
#endif

int ebts__simd(void)
{
#if EBTS__X86_WIDE
    if (__builtin_cpu_supports("avx512bw"))
        return EBTS__AVX512;
    if (__builtin_cpu_supports("avx2"))
        return EBTS__AVX2;
#endif
    return 0;
}

void ebts__count_seps(const unsigned char *v, size_t n, size_t *nrs, size_t *nseps)
{
    size_t i = 0, r = 0, e = 0;
#if defined(__SSE2__)
    /* Sixteen bytes at a time, each byte's matches counted in a byte of a sum (a match is -1:
     * subtracted) for up to 255 blocks, then the sums added across (SAD against zero). */
    const __m128i one = _mm_set1_epi8(1), us = _mm_set1_epi8(EBTS__US);
    const __m128i rs = _mm_set1_epi8(EBTS__RS), zero = _mm_setzero_si128();
    while (n - i >= 16) {
        size_t stop = n - i >= 16 * 255 ? i + 16 * 255 : n - ((n - i) & 15);
        __m128i se = zero, sr = zero;
        for (; i < stop; i += 16) {
            __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(v + i));
            se = _mm_sub_epi8(se, _mm_cmpeq_epi8(_mm_or_si128(x, one), us));
            sr = _mm_sub_epi8(sr, _mm_cmpeq_epi8(x, rs));
        }
        se = _mm_sad_epu8(se, zero);
        sr = _mm_sad_epu8(sr, zero);
        e += (size_t)_mm_cvtsi128_si32(se) + (size_t)_mm_cvtsi128_si32(_mm_srli_si128(se, 8));
        r += (size_t)_mm_cvtsi128_si32(sr) + (size_t)_mm_cvtsi128_si32(_mm_srli_si128(sr, 8));
    }
#endif
    for (; i < n; i++) {
        e += (v[i] | 1) == EBTS__US;
        r += v[i] == EBTS__RS;
    }
    *nrs = r;
    *nseps = e;
}

void ebts__index_into(const ebts_field *f, uint32_t *ix, uint32_t end_at, int simd)
{
    uint32_t *end = ix + end_at;
    const unsigned char *v = f->val;
    uint32_t n = f->len;
    index_at at = {0, 0, 0};
    ix[0] = 0;
#if EBTS__X86_WIDE
    if (simd == EBTS__AVX512 && n >= 64) /* most values are shorter: not even the call */
        index_avx512(v, n, ix, end, &at);
    else if (simd == EBTS__AVX2 && n >= 32)
        index_avx2(v, n, ix, end, &at);
#endif
    (void)simd;
#if defined(__SSE2__)
    const __m128i one = _mm_set1_epi8(1), us = _mm_set1_epi8(EBTS__US);
    const __m128i rs = _mm_set1_epi8(EBTS__RS);
    for (; n - at.i >= 16; at.i += 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(v + at.i));
        index_block((unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_or_si128(x, one), us)),
                    (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, rs)), at.i, ix, end, &at);
    }
    if (n >= 16 && at.i < n) { /* the last sixteen bytes, overlapping */
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(v + n - 16));
        unsigned done = ~0u << (at.i - (n - 16)); /* the bytes not seen yet */
        index_block((unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_or_si128(x, one), us)) & done,
                    (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, rs)), n - 16, ix, end, &at);
        at.i = n;
    }
#endif
    for (; at.i < n; at.i++)
        if ((v[at.i] | 1) == EBTS__US)
            index_block(1, v[at.i] == EBTS__RS, at.i, ix, end, &at);
    uint32_t k = at.k, s = at.s; /* the separators found, and the RS among them */
    end[k] = n;
    ix[s + 1] = k + 1;
    EBTS__IX_END_AT(ix) = end_at;
    EBTS__IX_NSUB(ix) = s + 1;
    EBTS__IX_NITEMS(ix) = k + 1;
}

uint32_t *ebts__ixpool_ref(ebts__ixpool *pool)
{
    return (uint32_t *)((uintptr_t)pool | 1u);
}

static ebts__ixpool *ixpool_of(const uint32_t *ref)
{
    return ((uintptr_t)ref & 1u) ? (ebts__ixpool *)((uintptr_t)ref & ~(uintptr_t)1u) : NULL;
}

const uint32_t *ebts__field_index_kept(const ebts_field *f)
{
    /* one test for every kind of value: only a value that was read holds a tagged pool, and its
     * index is set by whichever thread builds it */
#if defined(__GNUC__)
    const uint32_t *ix = __atomic_load_n(&f->sub_first, __ATOMIC_ACQUIRE);
#else
    const uint32_t *ix = f->sub_first;
#endif
    return ((uintptr_t)ix & 1u) ? NULL : ix;
}

/* n bytes of the pool, 8-byte aligned; NULL without memory. */
static void *ixpool_take(ebts__ixpool *pool, size_t n)
{
    n = (n + 7) & ~(size_t)7;
    if (n <= sizeof pool->room - pool->used) {
        void *p = (unsigned char *)pool->room + pool->used;
        pool->used += n;
        return p;
    }
    return ebts__arena_alloc(&pool->arena, n);
}

static void *ixpool_alloc(ebts__ixpool *pool, size_t n)
{
#if defined(__GNUC__)
    while (__atomic_test_and_set(&pool->lock, __ATOMIC_ACQUIRE))
        ;
    void *p = ixpool_take(pool, n);
    __atomic_clear(&pool->lock, __ATOMIC_RELEASE);
    return p;
#else
    return ixpool_take(pool, n);
#endif
}

/* The index of a value that was read, built on first use and kept; NULL without memory. Out of
 * line: the accessors inline ebts__field_index's test for a kept index and call this once. */
EBTS__NOINLINE static const uint32_t *field_index_build(const ebts_field *f)
{
    /* the fields of a transaction are never defined const: set once, by whichever thread
     * builds it first (another thread's index is taken; the room built here stays unused) */
    uint32_t **slot = &((ebts_field *)(uintptr_t)f)->sub_first;
#if defined(__GNUC__)
    uint32_t *ref = __atomic_load_n(slot, __ATOMIC_ACQUIRE);
#else
    uint32_t *ref = *slot;
#endif
    ebts__ixpool *pool = ixpool_of(ref);
    if (!pool)
        return ref; /* built meanwhile */
    int simd = ebts__simd();
    size_t nrs, nseps;
    ebts__count_seps(f->val, f->len, &nrs, &nseps);
    uint32_t *raw = ixpool_alloc(pool, EBTS__INDEX_SIZE(nrs + 1, nseps + 1) * sizeof *raw);
    if (!raw)
        return NULL;
    uint32_t *ix = raw + EBTS__IX_HEAD;
    ebts__index_into(f, ix, (uint32_t)nrs + 2, simd);
#if defined(__GNUC__)
    if (!__atomic_compare_exchange_n(slot, &ref, ix, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
        return ref;
#else
    *slot = ix;
#endif
    return ix;
}

const uint32_t *ebts__field_index(const ebts_field *f)
{
    const uint32_t *ix = ebts__field_index_kept(f);
    if (ix || !(f->flags & EBTS__F_LAZY))
        return ix;
    return field_index_build(f);
}

size_t ebts__lazy_count(const ebts_field *f, int items)
{
    const uint32_t *ix = ebts__field_index(f);
    if (ix)
        return items ? EBTS__IX_NITEMS(ix) : EBTS__IX_NSUB(ix);
    size_t nrs, nseps;
    ebts__count_seps(f->val, f->len, &nrs, &nseps);
    return (items ? nseps : nrs) + 1;
}

void ebts__field_drop_index(ebts_field *f)
{
    if (!(f->flags & EBTS__F_LAZY))
        return;
    f->sub_first = NULL;
    f->flags &= (uint8_t)~EBTS__F_LAZY;
}

/* Without memory for an index: the answers from the value's bytes. Where subfield sub begins. */
static uint32_t subfield_start(const ebts_field *f, size_t sub)
{
    uint32_t i = 0;
    for (; sub > 0 && i < f->len; i++)
        sub -= f->val[i] == EBTS__RS;
    return i;
}

size_t ebts__items_scan(const ebts_field *f, size_t sub)
{
    size_t n = 1;
    for (uint32_t i = subfield_start(f, sub); i < f->len && f->val[i] != EBTS__RS; i++)
        n += f->val[i] == EBTS__US;
    return n;
}

ebts_span ebts__item_scan(const ebts_field *f, size_t sub, size_t item)
{
    uint32_t i = subfield_start(f, sub);
    for (; item > 0 && i < f->len && f->val[i] != EBTS__RS; i++)
        item -= f->val[i] == EBTS__US;
    uint32_t e = i;
    while (e < f->len && (f->val[e] | 1) != EBTS__US)
        e++;
    ebts_span s = {f->val + i, e - i};
    return s;
}

int ebts__field_tokenize(ebts__arena *a, ebts_field *f)
{
    ebts__field_drop_index(f);
    f->sub_first = NULL;
    if (f->flags & (EBTS__F_BINARY | EBTS__F_MALFORMED))
        return 0;
    int simd = ebts__simd();
    size_t nrs, nseps;
    ebts__count_seps(f->val, f->len, &nrs, &nseps);
    if (nseps == 0)
        return 0;
    uint32_t *raw = ebts__arena_alloc(a, EBTS__INDEX_SIZE(nrs + 1, nseps + 1) * sizeof *raw);
    if (!raw)
        return -1;
    ebts__index_into(f, raw + EBTS__IX_HEAD, (uint32_t)nrs + 2, simd);
    f->sub_first = raw + EBTS__IX_HEAD;
    return 0;
}

int ebts__parse_uint(const unsigned char *p, size_t n, int *out)
{
    if (n == 0 || n > 9)
        return 0;
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9')
            return 0;
        v = v * 10 + (p[i] - '0');
    }
    *out = v;
    return 1;
}

int ebts__rec_key_cmp(const void *pa, const void *pb)
{
    const ebts__rec_key *a = pa, *b = pb;
    if (a->type != b->type)
        return a->type < b->type ? -1 : 1;
    if (a->idc != b->idc)
        return a->idc < b->idc ? -1 : 1;
    return a->rec < b->rec ? -1 : a->rec > b->rec;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

uint64_t *ebts__field_numbers_sorted(const ebts_record *r, size_t *n)
{
    *n = 0;
    uint64_t *k = malloc((r->nfields ? r->nfields : 1) * sizeof *k);
    if (!k)
        return NULL;
    for (uint32_t i = 0; i < r->nfields; i++)
        if (!(r->fields[i].flags & EBTS__F_MALFORMED))
            k[(*n)++] = (uint64_t)r->fields[i].number << 32 | i;
    qsort(k, *n, sizeof *k, cmp_u64);
    return k;
}

int ebts__record_idc_of(const ebts_record *r)
{
    if (!r)
        return -1;
    if (r->binary)
        return r->rawlen > 4 ? r->raw[4] : -1;
    if (r->type == 1)
        return -1;
    if (r->span)
        return r->span_idc;
    const ebts_field *f = ebts_record_field(r, 2);
    int v;
    return f && ebts__parse_uint(f->val, f->len, &v) ? v : -1;
}

/* "T.NNN" as the input spelled it (or with 3-digit field numbers): by hand, not snprintf, as
 * the writer spells every tag of every record with it. */
size_t ebts__spelled_tag(const ebts_field *f, char *buf, size_t size)
{
    if (size == 0)
        return 0;
    int spelled = f->type_w && f->num_w;
    char tmp[20]; /* the reader keeps spellings of at most 9 + 1 + 9 characters */
    size_t k = ebts__put_padded(tmp, 0, sizeof tmp, ebts__tagtype(f), spelled ? f->type_w : 1);
    if (k < sizeof tmp)
        tmp[k++] = '.';
    k = ebts__put_padded(tmp, k, sizeof tmp, f->number, spelled ? f->num_w : 3);
    if (k > size - 1)
        k = size - 1;
    memcpy(buf, tmp, k);
    buf[k] = 0;
    return k;
}

/* ---- accessors */

size_t ebts_txn_record_count(const ebts_txn *t)
{
    return t ? t->nrecs : 0;
}

const ebts_record *ebts_txn_record(const ebts_txn *t, size_t index)
{
    return t && index < t->nrecs ? t->recs[index] : NULL;
}

ebts_span ebts_txn_unread(const ebts_txn *t)
{
    ebts_span s = {NULL, 0};
    if (t && t->unread_len) {
        s.ptr = t->buf + t->unread_off;
        s.len = t->unread_len;
    }
    return s;
}

unsigned ebts_record_type(const ebts_record *r)
{
    return r ? r->type : 0;
}

int ebts_record_is_binary(const ebts_record *r)
{
    return r ? r->binary : 0;
}

int ebts_record_idc(const ebts_record *r)
{
    int v = ebts__record_idc_of(r);
    return v >= 0 ? v : r ? r->cnt_idc : -1;
}

size_t ebts_record_offset(const ebts_record *r)
{
    return !r || r->offset == EBTS__NOWHERE ? (size_t)-1 : r->offset;
}

ebts_span ebts_record_data(const ebts_record *r)
{
    ebts_span s = {NULL, 0};
    if (r && r->binary) {
        s.ptr = r->raw;
        s.len = r->rawlen;
    }
    return s;
}

size_t ebts_record_field_count(const ebts_record *r)
{
    return r ? r->nfields : 0;
}

const ebts_field *ebts_record_field_at(const ebts_record *r, size_t index)
{
    return r && index < r->nfields ? &r->fields[index] : NULL;
}

const ebts_field *ebts_record_field(const ebts_record *r, unsigned number)
{
    if (!r || number == 0)
        return NULL;
    for (uint32_t i = 0; i < r->nfields; i++)
        if (r->fields[i].number == number && !(r->fields[i].flags & EBTS__F_MALFORMED))
            return &r->fields[i];
    return NULL;
}

unsigned ebts_field_number(const ebts_field *f)
{
    return f ? f->number : 0;
}

const char *ebts_field_tag(const ebts_field *f, char *buf, size_t size)
{
    if (!buf || size == 0)
        return "";
    buf[0] = 0;
    if (f && !(f->flags & EBTS__F_MALFORMED))
        ebts__spelled_tag(f, buf, size);
    return buf;
}

ebts_span ebts_field_value(const ebts_field *f)
{
    ebts_span s = {NULL, 0};
    if (f) {
        s.ptr = f->val;
        s.len = f->len;
    }
    return s;
}

int ebts_field_is_binary(const ebts_field *f)
{
    return f ? (f->flags & EBTS__F_BINARY) != 0 : 0;
}

size_t ebts_field_offset(const ebts_field *f)
{
    return !f || f->offset == EBTS__NOWHERE ? (size_t)-1 : f->offset;
}

/* The accessors answer from a kept index inline; without one (a value of one item, a value
 * read whose index is built now, or one answered from its bytes when there is no memory for
 * an index) out of line, so that the common path saves no registers. */
EBTS__NOINLINE static size_t subfield_count_unindexed(const ebts_field *f)
{
    const uint32_t *ix = ebts__field_index(f);
    return ix || !(f->flags & EBTS__F_LAZY) ? ebts__ix_nsub(ix) : ebts__lazy_count(f, 0);
}

EBTS__NOINLINE static size_t item_count_unindexed(const ebts_field *f, size_t sub)
{
    const uint32_t *ix = ebts__field_index(f);
    if (ix || !(f->flags & EBTS__F_LAZY))
        return sub < ebts__ix_nsub(ix) ? ebts__ix_items_in(ix, sub) : 0;
    return sub < ebts__lazy_count(f, 0) ? ebts__items_scan(f, sub) : 0;
}

EBTS__NOINLINE static ebts_span item_unindexed(const ebts_field *f, size_t sub, size_t item)
{
    ebts_span none = {NULL, 0};
    const uint32_t *ix = ebts__field_index(f);
    if (ix || !(f->flags & EBTS__F_LAZY))
        return sub < ebts__ix_nsub(ix) && item < ebts__ix_items_in(ix, sub)
                   ? ebts__ix_item(ix, f, sub, item)
                   : none;
    return sub < ebts__lazy_count(f, 0) && item < ebts__items_scan(f, sub)
               ? ebts__item_scan(f, sub, item)
               : none;
}

size_t ebts_field_subfield_count(const ebts_field *f)
{
    const uint32_t *ix = f ? ebts__field_index_kept(f) : NULL;
    if (ix)
        return EBTS__IX_NSUB(ix);
    return f ? subfield_count_unindexed(f) : 0;
}

size_t ebts_field_item_count(const ebts_field *f, size_t sub)
{
    const uint32_t *ix = f ? ebts__field_index_kept(f) : NULL;
    if (ix && sub < EBTS__IX_NSUB(ix))
        return ix[sub + 1] - ix[sub];
    return f ? item_count_unindexed(f, sub) : 0;
}

ebts_span ebts_field_item(const ebts_field *f, size_t sub, size_t item)
{
    const uint32_t *ix = f ? ebts__field_index_kept(f) : NULL;
    if (ix && sub < EBTS__IX_NSUB(ix) && item < ix[sub + 1] - ix[sub])
        return ebts__ix_item(ix, f, sub, item);
    ebts_span none = {NULL, 0};
    return f ? item_unindexed(f, sub, item) : none;
}

ebts_span ebts_txn_value(const ebts_txn *t, unsigned type, unsigned number)
{
    ebts_span s = {NULL, 0};
    for (size_t i = 0; t && i < t->nrecs; i++)
        if (t->recs[i]->type == type)
            return ebts_field_value(ebts_record_field(t->recs[i], number));
    return s;
}

/* The field number `name` stands for in a record of type `type`: a tag "T.N" whose type is
 * `type`, or a mnemonic of the EBTS rules for that type; 0 when it names none. */
static unsigned field_named(unsigned type, const char *name)
{
    if (!name || !*name)
        return 0;
    if (name[0] >= '0' && name[0] <= '9') {
        unsigned long rt = 0, num = 0;
        const char *p = name;
        while (*p >= '0' && *p <= '9' && rt < 100000)
            rt = rt * 10 + (unsigned long)(*p++ - '0');
        if (*p++ != '.' || rt != type || !(*p >= '0' && *p <= '9'))
            return 0;
        while (*p >= '0' && *p <= '9' && num <= 999999999ul)
            num = num * 10 + (unsigned long)(*p++ - '0');
        return *p || num > 999999999ul ? 0 : (unsigned)num;
    }
    for (const ebts__field_rule *x = ebts__rules_91; x->rtype; x++)
        if (x->rtype == type && x->mnem && strcmp(x->mnem, name) == 0)
            return x->field;
    return 0;
}

const ebts_field *ebts_txn_find(const ebts_txn *t, size_t rec, const char *name)
{
    const ebts_record *r = ebts_txn_record(t, rec);
    return r ? ebts_record_field(r, field_named(r->type, name)) : NULL;
}

/* ---- edits */

static ebts_record *tagged_record(ebts_txn *t, size_t rec, ebts_error *err)
{
    if (!t || rec >= t->nrecs) {
        ebts__error_set(err, "BAD_ARGUMENT", 0, (long)rec, NULL, "no record %zu", rec);
        return NULL;
    }
    ebts_record *r = t->recs[rec];
    if (r->binary) {
        ebts__error_set(err, "BAD_ARGUMENT", 0, (long)rec, NULL,
                        "record %zu is a binary Type-%u record: it has no fields", rec, r->type);
        return NULL;
    }
    r->span = NULL; /* about to be edited: written field by field from now on */
    t->recs[0]->span = NULL; /* and CNT derived again (an IDC may change) */
    return r;
}

static long field_index(const ebts_record *r, unsigned number)
{
    for (uint32_t i = 0; i < r->nfields; i++)
        if (r->fields[i].number == number && !(r->fields[i].flags & EBTS__F_MALFORMED))
            return (long)i;
    return -1;
}

/* number 0 only with zero_ok: a tag "T.0:" reads as field 0, which only XML reading restores */
static int value_allowed(const ebts_record *r, unsigned number, const unsigned char *v, size_t len,
                         int zero_ok, ebts_error *err)
{
    char tag[24];
    snprintf(tag, sizeof tag, "%u.%03u", r->type, number);
    if ((number == 0 && !zero_ok) || number > EBTS__MAX_NUMBER) {
        ebts__error_set(err, "BAD_ARGUMENT", 0, -1, NULL, "field number %u out of range", number);
        return -1;
    }
    if (number == 1) {
        ebts__error_set(err, "BAD_ARGUMENT", 0, -1, tag, "LEN is derived by the writer");
        return -1;
    }
    if (len > 0xfffffff0u) {
        ebts__error_set(err, "BAD_ARGUMENT", 0, -1, tag, "value of %zu bytes is too long", len);
        return -1;
    }
    if (!v && len) {
        ebts__error_set(err, "BAD_ARGUMENT", 0, -1, tag, "NULL value of %zu bytes", len);
        return -1;
    }
    if (number == 999 && r->type >= 10)
        return 0;
    for (size_t i = 0; i < len; i++)
        if (v[i] == EBTS__FS || v[i] == EBTS__GS) {
            ebts__error_set(err, "BAD_ARGUMENT", 0, -1, tag,
                            "a text value may not contain FS or GS (byte %zu)", i);
            return -1;
        }
    return 0;
}

/* Make room for one more field at position pos; returns the new slot (zeroed). */
static ebts_field *insert_slot(ebts_txn *t, ebts_record *r, size_t pos)
{
    if (r->nfields == r->capfields) {
        uint32_t cap = r->capfields ? r->capfields * 2 : 8;
        ebts_field *f = ebts__arena_alloc(&t->arena, (size_t)cap * sizeof *f);
        if (!f)
            return NULL;
        if (r->nfields)
            memcpy(f, r->fields, r->nfields * sizeof *f);
        r->fields = f;
        r->capfields = cap;
    }
    memmove(&r->fields[pos + 1], &r->fields[pos], (r->nfields - pos) * sizeof *r->fields);
    r->nfields++;
    memset(&r->fields[pos], 0, sizeof *r->fields);
    if (r->ordered > pos)
        r->ordered = (uint32_t)pos;
    return &r->fields[pos];
}

/* Room in the arena for a value of len bytes that f is to hold: after a copy of f's tag when
 * the tag's type is read from the bytes before the value (EBTS__TAGTYPE_BIG). NULL without
 * memory. */
static unsigned char *value_room(ebts_txn *t, const ebts_field *f, size_t len)
{
    size_t pre = f->tagtype == EBTS__TAGTYPE_BIG ? (size_t)f->type_w + f->num_w + 2u : 0;
    unsigned char *p = ebts__arena_alloc(&t->arena, pre + len);
    if (!p)
        return NULL;
    if (pre) /* a new field's val is NULL until assigned: no arithmetic on it */
        memcpy(p, f->val - pre, pre);
    return p + pre;
}

static int assign(ebts_txn *t, const ebts_record *r, ebts_field *f, unsigned number,
                  const void *val, size_t len, ebts_error *err)
{
    unsigned char *room = len || f->tagtype == EBTS__TAGTYPE_BIG ? value_room(t, f, len) : NULL;
    const unsigned char *copy = room ? room : (const unsigned char *)"";
    if (!room && (len || f->tagtype == EBTS__TAGTYPE_BIG)) {
        ebts__error_oom(err);
        return -1;
    }
    if (len)
        memcpy(room, val, len);
    ebts__field_drop_index(f);
    f->val = copy;
    f->len = (uint32_t)len;
    f->number = number;
    f->flags = number == 999 && r->type >= 10 ? EBTS__F_BINARY : 0;
    if (ebts__field_tokenize(&t->arena, f) < 0) {
        ebts__error_oom(err);
        return -1;
    }
    return 0;
}

static int new_field(ebts_txn *t, ebts_record *r, size_t pos, unsigned number, const void *val,
                     size_t len, ebts_error *err)
{
    ebts_field *f = insert_slot(t, r, pos);
    if (!f) {
        ebts__error_oom(err);
        return -1;
    }
    f->offset = EBTS__NOWHERE;
    char tag[16]; /* a type above 254: spelled before the value, where ebts__tagtype reads it */
    if (r->type < EBTS__TAGTYPE_BIG) {
        f->tagtype = (uint8_t)r->type;
    } else {
        size_t k = ebts__put_padded(tag, 0, sizeof tag - 5, r->type, 1);
        memcpy(tag + k, ".000:", 5);
        f->tagtype = EBTS__TAGTYPE_BIG;
        f->type_w = (uint8_t)k;
        f->num_w = 3;
        f->val = (const unsigned char *)tag + k + 5;
    }
    if (assign(t, r, f, number, val, len, err) < 0) {
        memmove(&r->fields[pos], &r->fields[pos + 1], (r->nfields - pos - 1) * sizeof *r->fields);
        r->nfields--;
        if (r->ordered > pos)
            r->ordered = (uint32_t)pos;
        return -1;
    }
    return 0;
}

/* 1.003 CNT is derived from the records by the writer: an edit of it would be lost. */
static int not_cnt(const ebts_txn *t, size_t rec, unsigned number, ebts_error *err)
{
    if (t && rec == 0 && number == 3) {
        ebts__error_set(err, "BAD_ARGUMENT", 0, 0, "1.003",
                        "CNT is derived by the writer from the records");
        return -1;
    }
    return 0;
}

int ebts_txn_set_field(ebts_txn *t, size_t rec, unsigned number, const void *val, size_t len,
                       ebts_error *err)
{
    ebts_record *r = not_cnt(t, rec, number, err) < 0 ? NULL : tagged_record(t, rec, err);
    if (!r || value_allowed(r, number, val, len, 0, err) < 0)
        return -1;
    long i = field_index(r, number);
    if (i >= 0)
        return assign(t, r, &r->fields[i], number, val, len, err);
    size_t pos = 0;
    while (pos < r->nfields && !(r->fields[pos].flags & EBTS__F_BINARY) &&
           (r->fields[pos].number < number || (r->fields[pos].flags & EBTS__F_MALFORMED)))
        pos++;
    return new_field(t, r, pos, number, val, len, err);
}

int ebts_txn_set(ebts_txn *t, size_t rec, const char *name, const char *value, ebts_error *err)
{
    const ebts_record *r = ebts_txn_record(t, rec);
    unsigned number = r ? field_named(r->type, name) : 0;
    if (r && !value) {
        ebts__error_set(err, "BAD_ARGUMENT", 0, (long)rec, NULL, "NULL value");
        return -1;
    }
    if (r && !number) {
        ebts__error_set(err, "BAD_ARGUMENT", 0, (long)rec, NULL,
                        "no field \"%s\" in a Type-%u record", name ? name : "", r->type);
        return -1;
    }
    return ebts_txn_set_field(t, rec, number, value, value ? strlen(value) : 0, err);
}

int ebts_txn_insert_field(ebts_txn *t, size_t rec, size_t pos, unsigned number, const void *val,
                          size_t len, ebts_error *err)
{
    ebts_record *r = not_cnt(t, rec, number, err) < 0 ? NULL : tagged_record(t, rec, err);
    if (!r || value_allowed(r, number, val, len, 0, err) < 0)
        return -1;
    if (pos > r->nfields || field_index(r, number) >= 0) {
        if (pos > r->nfields)
            ebts__error_set(err, "BAD_ARGUMENT", 0, (long)rec, NULL, "position %zu is past the end",
                            pos);
        else
            ebts__error_set(err, "BAD_ARGUMENT", 0, (long)rec, NULL,
                            "field number %u is already present", number);
        return -1;
    }
    return new_field(t, r, pos, number, val, len, err);
}

int ebts__append_field(ebts_txn *t, size_t rec, unsigned number, const void *val, size_t len,
                       ebts_error *err)
{
    ebts_record *r = tagged_record(t, rec, err);
    if (!r || value_allowed(r, number, val, len, 0, err) < 0)
        return -1;
    /* In number order (as a document usually is) the new field goes last: known without a
     * search once the ordered prefix covers every field (extended here, so each field is
     * looked at once however many are appended). */
    uint32_t k = r->ordered;
    while (k < r->nfields && !(r->fields[k].flags & (EBTS__F_BINARY | EBTS__F_MALFORMED)) &&
           (k == 0 || r->fields[k].number > r->fields[k - 1].number))
        k++;
    r->ordered = k;
    if (k == r->nfields && (k == 0 || r->fields[k - 1].number < number)) {
        if (new_field(t, r, k, number, val, len, err) < 0)
            return -1;
        if (!(r->fields[k].flags & (EBTS__F_BINARY | EBTS__F_MALFORMED)))
            r->ordered = k + 1;
        return 0;
    }
    size_t pos = r->nfields;
    while (pos > 0 && (r->fields[pos - 1].flags & EBTS__F_BINARY) && !(number == 999 && r->type >= 10))
        pos--;
    if (field_index(r, number) < 0) { /* not a repeat: in number order */
        pos = 0;
        while (pos < r->nfields && !(r->fields[pos].flags & EBTS__F_BINARY) &&
               (r->fields[pos].number < number || (r->fields[pos].flags & EBTS__F_MALFORMED)))
            pos++;
    }
    return new_field(t, r, pos, number, val, len, err);
}

int ebts__set_first_field(ebts_txn *t, size_t rec, unsigned number, const void *val, size_t len,
                          ebts_error *err)
{
    ebts_record *r = tagged_record(t, rec, err);
    if (!r || value_allowed(r, number, val, len, 0, err) < 0)
        return -1;
    long i = field_index(r, number);
    if (i < 0)
        return ebts_txn_set_field(t, rec, number, val, len, err);
    return new_field(t, r, (size_t)i, number, val, len, err);
}

int ebts__push_field(ebts_txn *t, size_t rec, unsigned number, const void *val, size_t len,
                     ebts_error *err)
{
    ebts_record *r = tagged_record(t, rec, err);
    if (!r || value_allowed(r, number, val, len, 1, err) < 0)
        return -1;
    size_t pos = r->nfields;
    while (pos > 0 && (r->fields[pos - 1].flags & EBTS__F_BINARY) && !(number == 999 && r->type >= 10))
        pos--;
    return new_field(t, r, pos, number, val, len, err);
}

int ebts__append_raw_field(ebts_txn *t, size_t rec, const void *val, size_t len, ebts_error *err)
{
    ebts_record *r = tagged_record(t, rec, err);
    if (!r)
        return -1;
    if (len > 0xfffffff0u) {
        ebts__error_set(err, "BAD_ARGUMENT", 0, -1, NULL, "value of %zu bytes is too long", len);
        return -1;
    }
    size_t pos = r->nfields; /* before the data delimited by LEN, which ends the record */
    while (pos > 0 && (r->fields[pos - 1].flags & EBTS__F_BINARY))
        pos--;
    const unsigned char *copy = len ? ebts__arena_dup(&t->arena, val, len) : NULL;
    ebts_field *f = !len || copy ? insert_slot(t, r, pos) : NULL;
    if (!f) {
        ebts__error_oom(err);
        return -1;
    }
    f->val = copy ? copy : (const unsigned char *)"";
    f->len = (uint32_t)len;
    f->offset = EBTS__NOWHERE;
    f->flags = EBTS__F_MALFORMED;
    f->tagtype = r->type < EBTS__TAGTYPE_BIG ? (uint8_t)r->type : 0;
    return 0;
}

int ebts_txn_delete_field(ebts_txn *t, size_t rec, unsigned number, ebts_error *err)
{
    ebts_record *r = tagged_record(t, rec, err);
    if (!r)
        return -1;
    long i = field_index(r, number);
    if (number == 1 || i < 0) {
        if (number == 1)
            ebts__error_set(err, "BAD_ARGUMENT", 0, (long)rec, NULL, "LEN cannot be deleted");
        else
            ebts__error_set(err, "BAD_ARGUMENT", 0, (long)rec, NULL, "no field %u in record %zu",
                            number, rec);
        return -1;
    }
    ebts__field_drop_index(&r->fields[i]);
    memmove(&r->fields[i], &r->fields[i + 1], (r->nfields - (size_t)i - 1) * sizeof *r->fields);
    r->nfields--;
    if (r->ordered > (uint32_t)i)
        r->ordered = (uint32_t)i;
    return 0;
}

enum item_op { OP_SET, OP_INSERT, OP_DELETE, OP_INSERT_SUB, OP_DELETE_SUB };

/* Item-level edits rebuild the field's value and assign it. */
static int edit_items(ebts_txn *t, size_t rec, unsigned number, size_t sub, size_t item,
                      enum item_op op, const void *val, size_t len, ebts_error *err)
{
    ebts_record *r = not_cnt(t, rec, number, err) < 0 ? NULL : tagged_record(t, rec, err);
    if (!r)
        return -1;
    long fi = field_index(r, number);
    if (fi < 0 || (r->fields[fi].flags & EBTS__F_BINARY) || number == 1) {
        ebts__error_set(err, "BAD_ARGUMENT", 0, (long)rec, NULL,
                        fi < 0 ? "no field %u in record %zu" : "field %u of record %zu has no items",
                        number, rec);
        return -1;
    }
    const unsigned char *v = val;
    if (!v && len) {
        ebts__error_set(err, "BAD_ARGUMENT", 0, (long)rec, NULL, "NULL item of %zu bytes", len);
        return -1;
    }
    for (size_t i = 0; i < len; i++)
        if (v[i] == EBTS__FS || v[i] == EBTS__GS || v[i] == EBTS__RS ||
            (v[i] == EBTS__US && op != OP_INSERT_SUB)) {
            ebts__error_set(err, "BAD_ARGUMENT", 0, (long)rec, NULL,
                            "an item may not contain separators (byte %zu)", i);
            return -1;
        }
    const ebts_field *f = &r->fields[fi];
    size_t nsub = ebts__nsub(f);
    int ok = op == OP_INSERT_SUB ? sub <= nsub : sub < nsub;
    size_t nit = sub < nsub ? ebts_field_item_count(f, sub) : 0;
    if (ok && op == OP_INSERT)
        ok = item <= nit;
    else if (ok && (op == OP_SET || op == OP_DELETE))
        ok = item < nit;
    if (ok && ((op == OP_DELETE && nit == 1) || (op == OP_DELETE_SUB && nsub == 1)))
        ok = 0; /* the last item or subfield: delete the field instead */
    if (!ok) {
        ebts__error_set(err, "BAD_ARGUMENT", 0, (long)rec, NULL,
                        "subfield %zu item %zu out of range for field %u (or the last one)", sub,
                        item, number);
        return -1;
    }
    ebts__buf b = {0};
    int first_sub = 1;
    for (size_t s = 0; s <= nsub; s++) {
        if (op == OP_INSERT_SUB && s == sub) {
            if (!first_sub)
                ebts__buf_putc(&b, EBTS__RS);
            ebts__buf_put(&b, val, len);
            first_sub = 0;
        }
        if (s == nsub || (op == OP_DELETE_SUB && s == sub))
            continue;
        if (!first_sub)
            ebts__buf_putc(&b, EBTS__RS);
        first_sub = 0;
        size_t n = ebts_field_item_count(f, s);
        int first_item = 1;
        for (size_t i = 0; i <= n; i++) {
            int here = s == sub && i == item;
            if (here && op == OP_INSERT) {
                if (!first_item)
                    ebts__buf_putc(&b, EBTS__US);
                ebts__buf_put(&b, val, len);
                first_item = 0;
            }
            if (i == n || (here && op == OP_DELETE))
                continue;
            if (!first_item)
                ebts__buf_putc(&b, EBTS__US);
            first_item = 0;
            if (here && op == OP_SET) {
                ebts__buf_put(&b, val, len);
            } else {
                ebts_span it = ebts_field_item(f, s, i);
                ebts__buf_put(&b, it.ptr, it.len);
            }
        }
    }
    if (b.oom) {
        free(b.p);
        ebts__error_oom(err);
        return -1;
    }
    int rc = assign(t, r, &r->fields[fi], number, b.p, b.len, err);
    free(b.p);
    return rc;
}

int ebts_txn_set_item(ebts_txn *t, size_t rec, unsigned number, size_t sub, size_t item,
                      const void *val, size_t len, ebts_error *err)
{
    return edit_items(t, rec, number, sub, item, OP_SET, val, len, err);
}

int ebts_txn_insert_item(ebts_txn *t, size_t rec, unsigned number, size_t sub, size_t item,
                         const void *val, size_t len, ebts_error *err)
{
    return edit_items(t, rec, number, sub, item, OP_INSERT, val, len, err);
}

int ebts_txn_delete_item(ebts_txn *t, size_t rec, unsigned number, size_t sub, size_t item,
                         ebts_error *err)
{
    return edit_items(t, rec, number, sub, item, OP_DELETE, NULL, 0, err);
}

int ebts_txn_insert_subfield(ebts_txn *t, size_t rec, unsigned number, size_t sub,
                             const void *val, size_t len, ebts_error *err)
{
    return edit_items(t, rec, number, sub, 0, OP_INSERT_SUB, val, len, err);
}

int ebts_txn_delete_subfield(ebts_txn *t, size_t rec, unsigned number, size_t sub,
                             ebts_error *err)
{
    return edit_items(t, rec, number, sub, 0, OP_DELETE_SUB, NULL, 0, err);
}

static int insert_rec(ebts_txn *t, size_t index, ebts_record *r, ebts_error *err)
{
    if (recs_reserve(t) < 0) {
        ebts__error_oom(err);
        return -1;
    }
    memmove(&t->recs[index + 1], &t->recs[index], (t->nrecs - index) * sizeof *t->recs);
    t->recs[index] = r;
    t->nrecs++;
    t->recs[0]->span = NULL; /* CNT changes */
    return 0;
}

static int record_index_ok(const ebts_txn *t, size_t index, unsigned type, int binary,
                           ebts_error *err)
{
    if (!t || index < 1 || index > t->nrecs || type == 0 || type == 1 || type > EBTS__MAX_NUMBER ||
        (binary != (type >= 3 && type <= 8))) {
        ebts__error_set(err, "BAD_ARGUMENT", 0, (long)index, NULL,
                        "cannot insert a %s Type-%u record at position %zu",
                        binary ? "binary" : "tagged", type, index);
        return 0;
    }
    return 1;
}

int ebts_txn_insert_record(ebts_txn *t, size_t index, unsigned type, unsigned idc, ebts_error *err)
{
    if (!record_index_ok(t, index, type, 0, err))
        return -1;
    if (idc > 99) { /* two digits (0..99); not written modulo 100 */
        ebts__error_set(err, "BAD_ARGUMENT", 0, (long)index, NULL,
                        "an IDC is 0 to 99, got %u (set field 2 for another value)", idc);
        return -1;
    }
    ebts_record *r = ebts__record_new(t, type);
    char v[16];
    int n = snprintf(v, sizeof v, "%02u", idc);
    if (!r || insert_rec(t, index, r, err) < 0) {
        ebts__error_oom(err);
        return -1;
    }
    if (new_field(t, r, 0, 1, "", 0, err) < 0 || new_field(t, r, 1, 2, v, (size_t)n, err) < 0) {
        ebts_txn_delete_record(t, index, NULL);
        return -1;
    }
    return 0;
}

int ebts_txn_insert_binary_record(ebts_txn *t, size_t index, unsigned type, const void *data,
                                  size_t len, ebts_error *err)
{
    if (!record_index_ok(t, index, type, 1, err))
        return -1;
    if (!data || len < 5 || len > 0xffffffffu) {
        ebts__error_set(err, "BAD_ARGUMENT", 0, (long)index, NULL,
                        "a binary record needs 5 to 4294967295 bytes, got %zu%s", len,
                        data ? "" : " at NULL");
        return -1;
    }
    ebts_record *r = ebts__record_new(t, type);
    if (!r || !(r->raw = ebts__arena_dup(&t->arena, data, len)) ||
        insert_rec(t, index, r, err) < 0) {
        ebts__error_oom(err);
        return -1;
    }
    r->binary = 1;
    r->rawlen = (uint32_t)len;
    return 0;
}

int ebts__append_tagged_record(ebts_txn *t, unsigned type, ebts_error *err)
{
    /* Types 3-8 too: the reader keeps such a record tagged when its bytes are tagged */
    ebts_record *r = t ? ebts__record_new(t, type) : NULL;
    if (!r || insert_rec(t, t->nrecs, r, err) < 0) {
        ebts__error_oom(err);
        return -1;
    }
    if (new_field(t, r, 0, 1, "", 0, err) < 0) {
        ebts_txn_delete_record(t, t->nrecs - 1, NULL);
        return -1;
    }
    return 0;
}

int ebts_txn_delete_record(ebts_txn *t, size_t index, ebts_error *err)
{
    if (!t || index < 1 || index >= t->nrecs) {
        ebts__error_set(err, "BAD_ARGUMENT", 0, (long)index, NULL, "no record %zu to delete",
                        index);
        return -1;
    }
    memmove(&t->recs[index], &t->recs[index + 1], (t->nrecs - index - 1) * sizeof *t->recs);
    t->nrecs--;
    t->recs[0]->span = NULL; /* CNT changes */
    return 0;
}

ebts_txn *ebts_txn_new(const char *ver, ebts_error *err)
{
    ebts_txn *t = ebts__txn_alloc();
    ebts_record *r = t ? ebts__record_new(t, 1) : NULL;
    if (!r || ebts__txn_add_record(t, r) < 0) {
        ebts_txn_free(t);
        ebts__error_oom(err);
        return NULL;
    }
    const char *v = ver && *ver ? ver : "0500";
    if (value_allowed(r, 2, (const unsigned char *)v, strlen(v), 0, err) < 0) {
        ebts_txn_free(t);
        return NULL;
    }
    if (new_field(t, r, 0, 1, "", 0, err) < 0 || new_field(t, r, 1, 2, v, strlen(v), err) < 0 ||
        new_field(t, r, 2, 3, "1\x1f" "0", 3, err) < 0) {
        ebts_txn_free(t);
        return NULL;
    }
    return t;
}

int ebts_txn_stamp(ebts_txn *t, const char *tcn, ebts_error *err)
{
    if (!t) {
        ebts__error_set(err, "BAD_ARGUMENT", 0, -1, NULL, "no transaction");
        return -1;
    }
    time_t now = time(NULL);
    struct tm tmv;
    char dat[16], gmt[24], made[64];
    gmtime_r(&now, &tmv);
    strftime(dat, sizeof dat, "%Y%m%d", &tmv);
    strftime(gmt, sizeof gmt, "%Y%m%d%H%M%SZ", &tmv);
    if (!tcn) {
        ebts_span ori = ebts_txn_value(t, 1, 8);
        if (ori.len > 32)
            ori.len = 32;
        snprintf(made, sizeof made, "%.*s-%.14s", ori.len ? (int)ori.len : 3,
                 ori.len ? (const char *)ori.ptr : "TCN", gmt);
        tcn = made;
    }
    if (ebts_txn_set_field(t, 0, 5, dat, strlen(dat), err) < 0 ||
        ebts_txn_set_field(t, 0, 9, tcn, strlen(tcn), err) < 0 ||
        ebts_txn_set_field(t, 0, 14, gmt, strlen(gmt), err) < 0)
        return -1;
    return 0;
}

/* ---- repairs */

static int dcs_ascii(const ebts_txn *t)
{
    const ebts_field *f = ebts_record_field(ebts_txn_record(t, 0), 15);
    if (!f)
        return 1;
    for (size_t s = 0, ns = ebts__nsub(f); s < ns; s++) {
        ebts_span csi = ebts_field_item(f, s, 0), csn = ebts_field_item(f, s, 1);
        int v;
        if (ebts__parse_uint(csi.ptr, csi.len, &v) && v != 0 && v != 1)
            return 0;
        for (size_t i = 0; i + 3 <= csn.len; i++)
            if ((csn.ptr[i] | 0x20) == 'u' && (csn.ptr[i + 1] | 0x20) == 't' &&
                (csn.ptr[i + 2] | 0x20) == 'f')
                return 0;
    }
    return 1;
}

int ebts__txn_ascii7(const ebts_txn *t)
{
    return dcs_ascii(t);
}

/* Typographic punctuation (UTF-8) and its ASCII stand-in. */
static const struct {
    const char *utf8;
    const char *ascii;
} punct[] = {
    {"\xe2\x80\x98", "'"}, {"\xe2\x80\x99", "'"},   {"\xe2\x80\x9c", "\""}, {"\xe2\x80\x9d", "\""},
    {"\xe2\x80\x93", "-"}, {"\xe2\x80\x94", "-"},   {"\xe2\x80\xa6", "..."}, {"\xc2\xa0", " "},
};

static int fix_value(ebts__buf *b, const ebts_field *f, unsigned what)
{
    size_t i = 0;
    int changed = 0;
    if (what & EBTS_FIX_LEADING_SPACE)
        while (i < f->len && f->val[i] == ' ') {
            i++;
            changed = 1;
        }
    for (; i < f->len; i++) {
        size_t k = 0, nk = sizeof punct / sizeof punct[0];
        if ((what & EBTS_FIX_ASCII_PUNCT) && f->val[i] >= 0x80)
            for (k = 0; k < nk; k++) {
                size_t l = strlen(punct[k].utf8);
                if (f->len - i >= l && memcmp(f->val + i, punct[k].utf8, l) == 0)
                    break;
            }
        if ((what & EBTS_FIX_ASCII_PUNCT) && f->val[i] >= 0x80 && k < nk) {
            ebts__buf_puts(b, punct[k].ascii);
            i += strlen(punct[k].utf8) - 1;
            changed = 1;
        } else {
            ebts__buf_putc(b, f->val[i]);
        }
    }
    return changed;
}

long ebts_txn_fix(ebts_txn *t, unsigned what, ebts_error *err)
{
    if (!t || (what & ~EBTS_FIX_ALL)) {
        ebts__error_set(err, "BAD_ARGUMENT", 0, -1, NULL, "%s 0x%x",
                        t ? "unknown repairs" : "no transaction, repairs", what);
        return -1;
    }
    int ascii = dcs_ascii(t);
    long changed = 0;
    for (size_t ri = 0; ri < t->nrecs; ri++) {
        ebts_record *r = t->recs[ri];
        unsigned w = what;
        if (r->type != 1 && !ascii)
            w &= ~EBTS_FIX_ASCII_PUNCT;
        for (uint32_t i = 0; i < r->nfields; i++) {
            ebts_field *f = &r->fields[i];
            if (f->flags & (EBTS__F_BINARY | EBTS__F_MALFORMED) || f->number == 1)
                continue;
            ebts__buf b = {0};
            if (fix_value(&b, f, w)) {
                r->span = NULL;
                t->recs[0]->span = NULL;
                if (b.oom || assign(t, r, f, f->number, b.p, b.len, err) < 0) {
                    free(b.p);
                    if (b.oom)
                        ebts__error_oom(err);
                    return -1;
                }
                changed++;
            }
            free(b.p);
        }
    }
    return changed;
}

int ebts_txn_redact(ebts_txn *t, ebts_error *err)
{
    if (!t) {
        ebts__error_set(err, "BAD_ARGUMENT", 0, -1, NULL, "no transaction");
        return -1;
    }
    for (size_t ri = 0; ri < t->nrecs; ri++) {
        ebts_record *r = t->recs[ri];
        r->span = NULL;
        if (r->binary) {
            size_t keep = r->type == 8 ? 12 : r->type == 7 ? 5 : 18;
            unsigned char *c = ebts__arena_dup(&t->arena, r->raw, r->rawlen);
            if (!c) {
                ebts__error_oom(err);
                return -1;
            }
            if (r->rawlen > keep)
                memset(c + keep, 0, r->rawlen - keep);
            r->raw = c;
            continue;
        }
        for (uint32_t i = 0; i < r->nfields; i++) {
            ebts_field *f = &r->fields[i];
            int personal = (r->type == 2 && f->number > 2) || (f->flags & EBTS__F_MALFORMED);
            if (f->flags & EBTS__F_BINARY) {
                f->len = 0;
                continue;
            }
            if (!personal)
                continue;
            /* same structure, every item "*" */
            size_t n = ebts__nitems(f) * 2;
            unsigned char *v = value_room(t, f, n);
            if (!v) {
                ebts__error_oom(err);
                return -1;
            }
            size_t k = 0;
            for (size_t s = 0, ns = ebts__nsub(f); s < ns; s++)
                for (size_t it = 0; it < ebts_field_item_count(f, s); it++) {
                    if (it)
                        v[k++] = EBTS__US;
                    else if (s)
                        v[k++] = EBTS__RS;
                    v[k++] = '*';
                }
            f->val = v;
            f->len = (uint32_t)k;
            if (ebts__field_tokenize(&t->arena, f) < 0) {
                ebts__error_oom(err);
                return -1;
            }
        }
    }
    return 0;
}
