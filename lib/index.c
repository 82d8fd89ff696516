/* The index of a value's subfields and items (see struct ebts_field in internal.h): built the
 * first time a subfield or item of the value is asked for, in a pool the transaction owns; the
 * separators are counted and found by simd.c's kernels. */
#include <stdlib.h>
#include <string.h>
#include "internal.h"

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

/* The index of f, counted first and written at its size into the pool; NULL without memory. */
static uint32_t *index_counted(ebts__ixpool *pool, const ebts_field *f)
{
    size_t nrs, nseps;
    ebts__count_seps(f->val, f->len, &nrs, &nseps);
    uint32_t *raw = ixpool_alloc(pool, EBTS__INDEX_SIZE(nrs + 1, nseps + 1) * sizeof *raw);
    if (!raw)
        return NULL;
    ebts__index_into(f->val, f->len, raw + EBTS__IX_HEAD, (uint32_t)nrs + 2);
    return raw + EBTS__IX_HEAD;
}

/* The index of f (no longer than EBTS__IX_ONE_PASS_MAX) written in one pass into scratch, with
 * room for as many separators as f has bytes, then copied at its size into the pool; NULL
 * without memory. */
static uint32_t *index_one_pass(ebts__ixpool *pool, const ebts_field *f, uint32_t *scratch)
{
    uint32_t end_at = f->len + 2, *sx = scratch + EBTS__IX_HEAD;
    ebts__index_into(f->val, f->len, sx, end_at);
    uint32_t nsub = EBTS__IX_NSUB(sx), nitems = EBTS__IX_NITEMS(sx);
    uint32_t *raw = ixpool_alloc(pool, EBTS__INDEX_SIZE(nsub, nitems) * sizeof *raw);
    if (!raw)
        return NULL;
    uint32_t *ix = raw + EBTS__IX_HEAD;
    memcpy(raw, scratch, (EBTS__IX_HEAD + nsub + 1) * sizeof *raw); /* head, subfield starts */
    memcpy(ix + nsub + 1, sx + end_at, nitems * sizeof *raw);
    EBTS__IX_END_AT(ix) = nsub + 1;
    return ix;
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
    uint32_t scratch[EBTS__INDEX_SIZE(EBTS__IX_ONE_PASS_MAX + 1, EBTS__IX_ONE_PASS_MAX + 1)];
    uint32_t *ix = f->len <= EBTS__IX_ONE_PASS_MAX ? index_one_pass(pool, f, scratch)
                                                   : index_counted(pool, f);
    if (!ix)
        return NULL;
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
    size_t nrs, nseps;
    ebts__count_seps(f->val, f->len, &nrs, &nseps);
    if (nseps == 0)
        return 0;
    uint32_t *raw = ebts__arena_alloc(a, EBTS__INDEX_SIZE(nrs + 1, nseps + 1) * sizeof *raw);
    if (!raw)
        return -1;
    ebts__index_into(f->val, f->len, raw + EBTS__IX_HEAD, (uint32_t)nrs + 2);
    f->sub_first = raw + EBTS__IX_HEAD;
    return 0;
}

