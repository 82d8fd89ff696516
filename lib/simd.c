/* The SIMD kernels behind simd.h: the reader's 64-byte blocks (SSE2, AVX2, AVX-512BW, chosen
 * at run time), the item index's separators, counted and found sixteen bytes at a time (SSE2),
 * and the line ends of a text (SSE2). Each width stays only where it makes the bench's
 * operation at least a tenth faster than the next narrower one (docs/performance.md). */
#include <stdlib.h>
#include <string.h>
#include "internal.h"

/* ---- what the processor has */

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

/* ---- the reader's blocks (frame.c, scan_text) */

#if defined(__SSE2__)
/* The masks of 64 bytes at q (bit j for q[j]); q[64] and q[65] are read too. */
typedef struct {
    uint64_t sep, stop, high, cand;
} block;

/* d0, d1: what follows an RS/US that may stand before a tag ('0' aside) */
static EBTS__HOT block block_sse2(const unsigned char *q, unsigned char d0, unsigned char d1)
{
    const __m128i fc = _mm_set1_epi8((char)0xfc), fe = _mm_set1_epi8((char)0xfe);
    const __m128i fs = _mm_set1_epi8(EBTS__FS);
    const __m128i zero = _mm_set1_epi8('0'), c0 = _mm_set1_epi8((char)d0), c1 = _mm_set1_epi8((char)d1);
    block m = {0, 0, 0, 0};
    uint64_t next = 0;
    for (unsigned k = 0; k < 64; k += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(q + k));
        __m128i v1 = _mm_loadu_si128((const __m128i *)(const void *)(q + k + 1));
        __m128i v2 = _mm_loadu_si128((const __m128i *)(const void *)(q + k + 2));
        m.sep |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_and_si128(v, fc), fs)) << k;
        m.stop |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_and_si128(v, fe), fs)) << k;
        m.high |= (uint64_t)(unsigned)_mm_movemask_epi8(v) << k;
        __m128i v2z = _mm_or_si128(_mm_cmpeq_epi8(v2, zero), _mm_cmpeq_epi8(v2, c0));
        __m128i nx = _mm_or_si128(_mm_and_si128(_mm_cmpeq_epi8(v1, zero), v2z),
                                  _mm_and_si128(_mm_cmpeq_epi8(v1, c0), _mm_cmpeq_epi8(v2, c1)));
        next |= (uint64_t)(unsigned)_mm_movemask_epi8(nx) << k;
    }
    m.cand = m.sep & ~m.stop & next;
    return m;
}
#endif

#if EBTS__X86_WIDE
__attribute__((target("avx2"))) static inline block block_avx2(const unsigned char *q,
                                                                unsigned char d0, unsigned char d1)
{
    const __m256i fc = _mm256_set1_epi8((char)0xfc), fe = _mm256_set1_epi8((char)0xfe);
    const __m256i fs = _mm256_set1_epi8(EBTS__FS);
    const __m256i zero = _mm256_set1_epi8('0'), c0 = _mm256_set1_epi8((char)d0);
    const __m256i c1 = _mm256_set1_epi8((char)d1);
    block m = {0, 0, 0, 0};
    uint64_t next = 0;
    for (unsigned k = 0; k < 64; k += 32) {
        __m256i v = _mm256_loadu_si256((const __m256i *)(const void *)(q + k));
        __m256i v1 = _mm256_loadu_si256((const __m256i *)(const void *)(q + k + 1));
        __m256i v2 = _mm256_loadu_si256((const __m256i *)(const void *)(q + k + 2));
        m.sep |= (uint64_t)(uint32_t)_mm256_movemask_epi8(
                     _mm256_cmpeq_epi8(_mm256_and_si256(v, fc), fs)) << k;
        m.stop |= (uint64_t)(uint32_t)_mm256_movemask_epi8(
                      _mm256_cmpeq_epi8(_mm256_and_si256(v, fe), fs)) << k;
        m.high |= (uint64_t)(uint32_t)_mm256_movemask_epi8(v) << k;
        __m256i v2z = _mm256_or_si256(_mm256_cmpeq_epi8(v2, zero), _mm256_cmpeq_epi8(v2, c0));
        __m256i nx = _mm256_or_si256(_mm256_and_si256(_mm256_cmpeq_epi8(v1, zero), v2z),
                                     _mm256_and_si256(_mm256_cmpeq_epi8(v1, c0),
                                                      _mm256_cmpeq_epi8(v2, c1)));
        next |= (uint64_t)(uint32_t)_mm256_movemask_epi8(nx) << k;
    }
    m.cand = m.sep & ~m.stop & next;
    return m;
}

__attribute__((target("avx512bw"))) static inline block block_avx512(const unsigned char *q,
                                                                      unsigned char d0,
                                                                      unsigned char d1)
{
    const __m512i v = _mm512_loadu_si512((const void *)q);
    const __m512i v1 = _mm512_loadu_si512((const void *)(q + 1));
    const __m512i v2 = _mm512_loadu_si512((const void *)(q + 2));
    const __m512i fs = _mm512_set1_epi8(EBTS__FS);
    block m;
    m.sep = _mm512_cmpeq_epi8_mask(_mm512_and_si512(v, _mm512_set1_epi8((char)0xfc)), fs);
    m.stop = _mm512_cmpeq_epi8_mask(_mm512_and_si512(v, _mm512_set1_epi8((char)0xfe)), fs);
    m.high = _mm512_movepi8_mask(v);
    const __m512i zero = _mm512_set1_epi8('0'), c0 = _mm512_set1_epi8((char)d0);
    uint64_t next = (_mm512_cmpeq_epi8_mask(v1, zero) &
                     (_mm512_cmpeq_epi8_mask(v2, zero) | _mm512_cmpeq_epi8_mask(v2, c0))) |
                    (_mm512_cmpeq_epi8_mask(v1, c0) &
                     _mm512_cmpeq_epi8_mask(v2, _mm512_set1_epi8((char)d1)));
    m.cand = m.sep & ~m.stop & next;
    return m;
}
#endif

#if defined(__SSE2__)

/* ebts__simd_blocks with the blocks of one width, inlined into a function per width. No call in
 * the loop: with one, the compiler keeps the masks' constants on the stack (see
 * docs/performance.md). */
static EBTS__HOT size_t blocks(const unsigned char *b, size_t n, size_t i, uint64_t skip,
                               uint64_t forced, unsigned char d0, unsigned char d1,
                               ebts__seps *k, int *kind, unsigned *bit, int simd)
{
    uint64_t seps = 0, high = k->high; /* in locals while the loop runs */
    *kind = 0;
    while (n - i >= 66) {
#if EBTS__X86_WIDE
        block m = simd == EBTS__AVX512 ? block_avx512(b + i, d0, d1)
                  : simd == EBTS__AVX2 ? block_avx2(b + i, d0, d1)
                                       : block_sse2(b + i, d0, d1);
#else
        block m = block_sse2(b + i, d0, d1);
#endif
        uint64_t stops = m.stop | forced, first = stops & -stops; /* 0 if none */
        uint64_t c = m.cand & (first - 1) & ~skip;
        if (c) {
            *kind = 1;
            *bit = (unsigned)__builtin_ctzll(c);
            break;
        }
        uint64_t below = first - 1; /* every bit when first is 0 */
        seps |= m.sep & below;
        high |= m.high & below;
        if (first) {
            i += (unsigned)__builtin_ctzll(first);
            *kind = b[i] == EBTS__GS || b[i] == EBTS__FS ? b[i] : EBTS__GS;
            break;
        }
        skip = forced = 0;
        i += 64;
    }
    k->nseps += seps != 0;
    k->high = high;
    return i;
}

#if defined(__GNUC__)
__attribute__((noinline))
#endif
static size_t blocks_sse2(const unsigned char *b, size_t n, size_t i, uint64_t skip,
                          uint64_t forced, unsigned char d0, unsigned char d1, ebts__seps *k,
                          int *kind, unsigned *bit)
{
    return blocks(b, n, i, skip, forced, d0, d1, k, kind, bit, 0);
}

#if EBTS__X86_WIDE
__attribute__((noinline, target("avx2,popcnt"))) static size_t
blocks_avx2(const unsigned char *b, size_t n, size_t i, uint64_t skip, uint64_t forced,
            unsigned char d0, unsigned char d1, ebts__seps *k, int *kind, unsigned *bit)
{
    return blocks(b, n, i, skip, forced, d0, d1, k, kind, bit, EBTS__AVX2);
}

__attribute__((noinline, target("avx512bw"))) static size_t
blocks_avx512(const unsigned char *b, size_t n, size_t i, uint64_t skip, uint64_t forced,
              unsigned char d0, unsigned char d1, ebts__seps *k, int *kind, unsigned *bit)
{
    return blocks(b, n, i, skip, forced, d0, d1, k, kind, bit, EBTS__AVX512);
}
#endif
#endif

size_t ebts__simd_blocks(int simd, const unsigned char *b, size_t n, size_t i, uint64_t skip,
                         uint64_t forced, unsigned char d0, unsigned char d1, ebts__seps *k,
                         int *kind, unsigned *bit)
{
#if EBTS__X86_WIDE
    if (simd == EBTS__AVX512)
        return blocks_avx512(b, n, i, skip, forced, d0, d1, k, kind, bit);
    if (simd == EBTS__AVX2)
        return blocks_avx2(b, n, i, skip, forced, d0, d1, k, kind, bit);
#endif
    (void)simd;
#if defined(__SSE2__)
    return blocks_sse2(b, n, i, skip, forced, d0, d1, k, kind, bit);
#else
    (void)b, (void)n, (void)skip, (void)forced, (void)d0, (void)d1, (void)k, (void)bit;
    *kind = 0;
    return i;
#endif
}

/* ---- the item index (index.c, validate.c) */

/* Where the index is being written: the next byte, item and subfield. */
typedef struct {
    uint32_t i, k, s;
} index_at;

/* Sixteen bytes at a time with SSE2, then one. A block's separators (m, RS among them r; bit j for byte i + j) are
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

void ebts__index_into(const unsigned char *v, uint32_t n, uint32_t *ix, uint32_t end_at)
{
    uint32_t *end = ix + end_at;
    index_at at = {0, 0, 0};
    ix[0] = 0;
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

/* ---- line ends (validate.c: the lines of 2.075's text) */

size_t ebts__next_break(const unsigned char *p, size_t i, size_t n)
{
#if defined(__SSE2__)
    const __m128i cr = _mm_set1_epi8('\r'), lf = _mm_set1_epi8('\n');
    for (; i + 16 <= n; i += 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
        unsigned m = (unsigned)_mm_movemask_epi8(
            _mm_or_si128(_mm_cmpeq_epi8(x, cr), _mm_cmpeq_epi8(x, lf)));
        if (m)
            return i + (unsigned)__builtin_ctz(m);
    }
#endif
    while (i < n && p[i] != '\n' && p[i] != '\r')
        i++;
    return i;
}
