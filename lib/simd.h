/* The SIMD kernels (simd.c), behind one interface: where the separators of a buffer are, found
 * many bytes at a time. Included by internal.h; no other file uses intrinsics. The few
 * kernels a hot loop asks of a few bytes are inline here; the rest are in simd.c. Which kernels
 * exist, and why, is in docs/performance.md. */
#ifndef EBTS_SIMD_H
#define EBTS_SIMD_H
#include <stddef.h>
#include <stdint.h>

/* SSE2 (the x86-64 baseline) and, on x86-64 with GCC or clang, AVX2 and AVX-512BW for functions
 * that ask for them by attribute and run only where ebts__simd() says they are there. */
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && defined(__GNUC__) && defined(__SSE2__)
#include <immintrin.h>
#define EBTS__X86_WIDE 1
#else
#define EBTS__X86_WIDE 0
#endif

/* What the reader's blocks may use, where the library was built to use it (x86-64, GCC or
 * clang): EBTS__AVX512 (the processor has AVX-512BW), EBTS__AVX2, else 0 (SSE2, or bytes). */
#define EBTS__AVX2 1
#define EBTS__AVX512 2
int ebts__simd(void);

/* What a value held so far: RS, RS and US, and its bytes above 0x7F (nonzero when one was
 * seen). */
typedef struct ebts__seps {
    size_t nrs, nseps;
    uint64_t high;
} ebts__seps;

/* The reader's scan of a text value (frame.c, scan_text), 64 bytes at a time with the widest
 * blocks simd allows, from i while 66 bytes remain (b[i + 64] and b[i + 65] are read too):
 * adds to *k the bytes above 0x7F and whether the blocks held an RS or US (one more in k->nseps
 * if so: not a count, which the reader needs only for a value long enough to reach the item
 * limit). Returns where the value ends (*kind
 * its GS or FS; an RS/US stands for GS only when the caller forced it), or where the bytes left
 * begin (*kind 0), or the block where an RS/US may stand before a tag (*kind 1, *bit its place;
 * the block is not counted yet): an RS/US followed by '0' and then '0' or d0, or by d0 and d1,
 * the spelling of the record's tags. The caller then looks, and calls again from that block with
 * the candidates up to it in `skip`, or with it in `forced` (the value ends there). Without
 * SSE2, i with *kind 0: the caller reads every byte. */
size_t ebts__simd_blocks(int simd, const unsigned char *b, size_t n, size_t i, uint64_t skip,
                         uint64_t forced, unsigned char d0, unsigned char d1, ebts__seps *k,
                         int *kind, unsigned *bit);

#if defined(__SSE2__)
/* Sixteen bytes at q (all in the input): 1 when the first separator among them is GS or FS, with
 * *end its place and *high the bytes above 0x7F before it (nonzero when one is); 0 when there
 * is none, or RS or US comes first. Inline: the reader's short path asks it of most values. */
static inline int ebts__gs_or_fs_in_16(const unsigned char *q, unsigned *end, unsigned *high)
{
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)q);
    const __m128i fs = _mm_set1_epi8(0x1c);
    unsigned m = (unsigned)_mm_movemask_epi8(
        _mm_cmpeq_epi8(_mm_and_si128(v, _mm_set1_epi8((char)0xfc)), fs));
    unsigned st = (unsigned)_mm_movemask_epi8(
        _mm_cmpeq_epi8(_mm_and_si128(v, _mm_set1_epi8((char)0xfe)), fs));
    if (!m || (m & -m) != (st & -st))
        return 0;
    *end = (unsigned)__builtin_ctz(m);
    *high = (unsigned)_mm_movemask_epi8(v) & ((1u << *end) - 1);
    return 1;
}
#endif

/* A character class's run lo..hi (0 < lo, hi < 0x7F) for sixteen bytes at a time: given as the
 * validator's eight-byte test has it (sub: lo in every byte, or 0 for no run; add: 127 - hi). */
typedef struct ebts__run16 {
#if defined(__SSE2__)
    /* shift: 0x80 - lo in every byte, so that the run becomes -128 .. -128 + hi - lo as signed
     * bytes; last: -128 + hi - lo, above which a shifted byte is outside the run */
    __m128i shift, last;
#else
    char unused;
#endif
} ebts__run16;

static inline ebts__run16 ebts__run16_of(uint64_t sub, uint64_t add)
{
    ebts__run16 r;
#if defined(__SSE2__)
    unsigned lo = (unsigned)(sub & 0xff), hi = 0x7fu - (unsigned)(add & 0xff);
    r.shift = _mm_set1_epi8((char)(0x80u - lo));
    r.last = _mm_set1_epi8((char)(signed char)((int)hi - (int)lo - 128));
#else
    (void)sub;
    (void)add;
    r.unused = 0;
#endif
    return r;
}

#if defined(__SSE2__)
/* The bytes of x outside the run, as a byte mask */
static inline __m128i ebts__run16_out_of(const ebts__run16 *r, __m128i x)
{
    return _mm_cmpgt_epi8(_mm_add_epi8(x, r->shift), r->last);
}

/* The bytes of the sixteen at q that lie outside the run, as a bit mask. Inline: the validator's
 * per-value loop asks it. */
static inline unsigned ebts__run16_out(const ebts__run16 *r, const unsigned char *q)
{
    return (unsigned)_mm_movemask_epi8(
        ebts__run16_out_of(r, _mm_loadu_si128((const __m128i *)(const void *)q)));
}

/* Sixteen bytes at a time over 64, for the validator's walk over a value's items
 * (validate_field.c, walk_clean): where its separators are, and which bytes lie outside a
 * class's run. Inline and unrolled: the walk asks them of every 64 bytes of a value. */
typedef struct ebts__block64 {
    __m128i x0, x1, x2, x3;
} ebts__block64;

/* The 64 bytes at q */
static inline ebts__block64 ebts__block64_at(const unsigned char *q)
{
    ebts__block64 b;
    b.x0 = _mm_loadu_si128((const __m128i *)(const void *)q);
    b.x1 = _mm_loadu_si128((const __m128i *)(const void *)(q + 16));
    b.x2 = _mm_loadu_si128((const __m128i *)(const void *)(q + 32));
    b.x3 = _mm_loadu_si128((const __m128i *)(const void *)(q + 48));
    return b;
}

/* Four sixteen-byte masks as one of 64 bits */
static inline uint64_t ebts__mask64(__m128i a, __m128i b, __m128i c, __m128i d)
{
    return (uint64_t)(unsigned)_mm_movemask_epi8(a) |
           (uint64_t)(unsigned)_mm_movemask_epi8(b) << 16 |
           (uint64_t)(unsigned)_mm_movemask_epi8(c) << 32 |
           (uint64_t)(unsigned)_mm_movemask_epi8(d) << 48;
}

/* The RS and US among them (bit j for q[j]) */
static inline uint64_t ebts__block64_seps(const ebts__block64 *b)
{
    const __m128i one = _mm_set1_epi8(1), us = _mm_set1_epi8(0x1f);
    return ebts__mask64(_mm_cmpeq_epi8(_mm_or_si128(b->x0, one), us),
                        _mm_cmpeq_epi8(_mm_or_si128(b->x1, one), us),
                        _mm_cmpeq_epi8(_mm_or_si128(b->x2, one), us),
                        _mm_cmpeq_epi8(_mm_or_si128(b->x3, one), us));
}

/* The bytes outside the run r */
static inline uint64_t ebts__block64_out(const ebts__block64 *b, const ebts__run16 *r)
{
    return ebts__mask64(ebts__run16_out_of(r, b->x0), ebts__run16_out_of(r, b->x1),
                        ebts__run16_out_of(r, b->x2), ebts__run16_out_of(r, b->x3));
}
#endif

/* The first CR or LF of p[i..n), n when none (i when i > n). */
size_t ebts__next_break(const unsigned char *p, size_t i, size_t n);

/* The RS (*nrs) and the RS and US (*nseps) in v[0..n). */
void ebts__count_seps(const unsigned char *v, size_t n, size_t *nrs, size_t *nseps);

/* The index of the value v[0..n) with RS/US (see struct ebts_field) written into ix, which has
 * EBTS__IX_HEAD entries before it, with its item ends from ix + end_at (end_at: at least the
 * value's subfields + 1) and its head (the counts found); ix needs end_at + items entries:
 * ebts__count_seps gives the counts, or a value of n bytes has at most n + 1 of each. */
void ebts__index_into(const unsigned char *v, uint32_t n, uint32_t *ix, uint32_t end_at);

#endif
