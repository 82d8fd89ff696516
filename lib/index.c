/* The index of a value's subfields and items (see struct ebts_field in internal.h): built the
 * first time a subfield or item of the value is asked for, in a pool the transaction owns; the
 * separators are found with the widest SIMD the processor has. */
#include <stdlib.h>
#include <string.h>
#include "internal.h"

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

