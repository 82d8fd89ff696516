/* The index of a value's subfields and items (see struct ebts_field in internal.h): built the
 * first time a subfield or item of the value is asked for, in a pool the transaction owns, or
 * ahead by a helper thread (see "Building ahead" in internal.h); the separators are counted and
 * found by simd.c's kernels. */
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
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

/* n bytes for an index: from the helper's own arena (own), else from the pool. *start: on
 * entry, whether the index was asked for through the public accessors, which the pool counts;
 * on return, 1 for the one that makes the count EBTS__AHEAD_AFTER. */
static void *ixpool_alloc(ebts__ixpool *pool, ebts__arena *own, size_t n, int *start)
{
    if (own)
        return ebts__arena_alloc(own, n);
#if defined(__GNUC__)
    while (__atomic_test_and_set(&pool->lock, __ATOMIC_ACQUIRE))
        ;
    void *p = ixpool_take(pool, n);
    *start = *start && ++pool->built == EBTS__AHEAD_AFTER;
    __atomic_clear(&pool->lock, __ATOMIC_RELEASE);
    return p;
#else
    *start = 0;
    return ixpool_take(pool, n);
#endif
}

/* The index of f, counted first and written at its size into the pool; NULL without memory. */
static uint32_t *index_counted(ebts__ixpool *pool, ebts__arena *own, const ebts_field *f,
                               int *start)
{
    size_t nrs, nseps;
    ebts__count_seps(f->val, f->len, &nrs, &nseps);
    size_t size = EBTS__INDEX_SIZE(nrs + 1, nseps + 1) * sizeof(uint32_t);
    uint32_t *raw = ixpool_alloc(pool, own, size, start);
    if (!raw)
        return NULL;
    ebts__index_into(f->val, f->len, raw + EBTS__IX_HEAD, (uint32_t)nrs + 2);
    return raw + EBTS__IX_HEAD;
}

/* The index of f (no longer than EBTS__IX_ONE_PASS_MAX) written in one pass into scratch, with
 * room for as many separators as f has bytes, then copied at its size into the pool; NULL
 * without memory. */
static uint32_t *index_one_pass(ebts__ixpool *pool, ebts__arena *own, const ebts_field *f,
                               uint32_t *scratch, int *start)
{
    uint32_t end_at = f->len + 2, *sx = scratch + EBTS__IX_HEAD;
    ebts__index_into(f->val, f->len, sx, end_at);
    uint32_t nsub = EBTS__IX_NSUB(sx), nitems = EBTS__IX_NITEMS(sx);
    uint32_t *raw = ixpool_alloc(pool, own, EBTS__INDEX_SIZE(nsub, nitems) * sizeof *raw, start);
    if (!raw)
        return NULL;
    uint32_t *ix = raw + EBTS__IX_HEAD;
    memcpy(raw, scratch, (EBTS__IX_HEAD + nsub + 1) * sizeof *raw); /* head, subfield starts */
    memcpy(ix + nsub + 1, sx + end_at, nitems * sizeof *raw);
    EBTS__IX_END_AT(ix) = nsub + 1;
    return ix;
}

/* The index of f, whose sub_first held ref (its pool, tagged), built into own (the helper's
 * arena) or the pool, and set in f unless another thread set one first: the index f holds;
 * NULL without memory. *start: on entry, whether it was asked for through the public
 * accessors; on return, whether its build makes the count that starts the helper. */
EBTS__NOINLINE static const uint32_t *index_build(const ebts_field *f, uint32_t *ref,
                                                  ebts__arena *own, int *start)
{
    /* the fields of a transaction are never defined const: set once, by whichever thread
     * builds it first (another thread's index is taken; the room built here stays unused) */
    uint32_t **slot = &((ebts_field *)(uintptr_t)f)->sub_first;
    ebts__ixpool *pool = ixpool_of(ref);
    uint32_t scratch[EBTS__INDEX_SIZE(EBTS__IX_ONE_PASS_MAX + 1, EBTS__IX_ONE_PASS_MAX + 1)];
    uint32_t *ix = f->len <= EBTS__IX_ONE_PASS_MAX ? index_one_pass(pool, own, f, scratch, start)
                                                   : index_counted(pool, own, f, start);
    if (!ix)
        return NULL;
#if defined(__GNUC__)
    if (!__atomic_compare_exchange_n(slot, &ref, ix, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
        ix = ref;
#else
    *slot = ix;
#endif
    return ix;
}

static void ahead_start(ebts__ixpool *pool, const ebts_field *from);

/* The index of a value, built on first use and kept if it was read; NULL without memory (or
 * for one item). Out of line, the build: the accessors inline ebts__field_index_kept's test
 * for a kept index and call this once. asked: through the public accessors. */
static const uint32_t *field_index(const ebts_field *f, int asked)
{
    const uint32_t *ix = ebts__field_index_kept(f);
    if (ix || !(f->flags & EBTS__F_LAZY))
        return ix;
#if defined(__GNUC__)
    uint32_t *ref = __atomic_load_n(&f->sub_first, __ATOMIC_ACQUIRE);
#else
    uint32_t *ref = f->sub_first;
#endif
    if (!ixpool_of(ref))
        return ref; /* built meanwhile */
    int start = asked;
    ix = index_build(f, ref, NULL, &start);
    if (start) /* here, not in index_build: its scratch is off the stack by now */
        ahead_start(ixpool_of(ref), f);
    return ix;
}

const uint32_t *ebts__field_index(const ebts_field *f)
{
    return field_index(f, 0);
}

const uint32_t *ebts__field_index_asked(const ebts_field *f)
{
    return field_index(f, 1);
}

/* ---- building ahead (internal.h) */

typedef struct ebts__ahead {
    const ebts_txn *t;
    const ebts_field *from; /* the build that started it: the caller is there */
    pthread_t th;
    pid_t pid;          /* the process that started the thread: a child of fork has none */
    int running;        /* started and not yet waited for */
    int orphaned;       /* running when the process forked: in the child, its arena may be
                           half-way through an allocation, and is left alone */
    unsigned char stop; /* set (atomically) to stop the thread */
    ebts__arena arena;  /* the thread's indexes, kept until ebts_txn_free */
} ebts__ahead;

void (*ebts__ahead_hook)(const unsigned char *stop);

#if defined(__GNUC__)
static ebts_txn *txn_of(ebts__ixpool *pool)
{
    return (ebts_txn *)(void *)((unsigned char *)pool - offsetof(ebts_txn, ixpool));
}

/* The helper: every value not yet indexed, record by record from the one after the caller's
 * (whose values the caller is building itself) round to it, until told to stop or out of
 * memory (callers then build what they ask for). */
static void *ahead_run(void *arg)
{
    ebts__ahead *a = arg;
    const ebts_txn *t = a->t;
    void (*hook)(const unsigned char *) = __atomic_load_n(&ebts__ahead_hook, __ATOMIC_ACQUIRE);
    if (hook)
        hook(&a->stop);
    size_t at = 0;
    uintptr_t from = (uintptr_t)a->from;
    for (size_t r = 0; r < t->nrecs; r++) {
        uintptr_t lo = (uintptr_t)t->recs[r]->fields;
        if (from >= lo && from < lo + t->recs[r]->nfields * sizeof(ebts_field))
            at = r;
    }
    for (size_t n = 0; n < t->nrecs; n++) {
        const ebts_record *rec = t->recs[(at + 1 + n) % t->nrecs];
        for (uint32_t i = 0; i < rec->nfields; i++) {
            if (__atomic_load_n(&a->stop, __ATOMIC_RELAXED))
                return NULL;
            const ebts_field *f = &rec->fields[i];
            uint32_t *ref = __atomic_load_n(&f->sub_first, __ATOMIC_ACQUIRE);
            int start = 0;
            if (ixpool_of(ref) && !index_build(f, ref, &a->arena, &start))
                return NULL;
        }
    }
    return NULL;
}
#endif

/* Called once per count of EBTS__AHEAD_AFTER, by the caller whose build of from made it: the
 * helper started if the transaction is large enough and a second thread may be used. No other
 * call on the transaction changes pool->ahead meanwhile: functions that take it const do not,
 * and ebts__ahead_stop runs only when nothing else uses it. Without the GNU C atomics the
 * library publishes indexes with a plain store, and no helper starts. */
static void ahead_start(ebts__ixpool *pool, const ebts_field *from)
{
#if defined(__GNUC__)
    ebts_txn *t = txn_of(pool);
    if (!pool->ready || t->len < EBTS__AHEAD_MIN || ebts__threads() < 2)
        return;
    ebts__ahead *a = calloc(1, sizeof *a); /* once: a change ends ready for good */
    if (!a)
        return;
    ebts__arena_init(&a->arena, 65536);
    a->t = t;
    a->from = from;
    a->pid = getpid();
    pool->ahead = a;
    /* the helper takes no signal a program sends: its handlers run on its own threads; a
     * fault the helper makes itself (SIGBUS from a borrowed buffer mapped from a file that
     * shrank) goes to the program's handler, on the helper's thread */
    sigset_t all, was;
    sigfillset(&all);
    sigdelset(&all, SIGBUS);
    sigdelset(&all, SIGFPE);
    sigdelset(&all, SIGILL);
    sigdelset(&all, SIGSEGV);
    /* and a stack of its own size, not the default a program may have set for its threads:
     * index_build keeps its scratch there */
    pthread_attr_t attr;
    if (pthread_attr_init(&attr) != 0)
        return; /* a is kept, not running, until ebts_txn_free */
    if (pthread_attr_setstacksize(&attr, EBTS__AHEAD_STACK) == 0) {
        pthread_sigmask(SIG_SETMASK, &all, &was);
        a->running = pthread_create(&a->th, &attr, ahead_run, a) == 0;
        pthread_sigmask(SIG_SETMASK, &was, NULL);
    }
    pthread_attr_destroy(&attr);
#else
    (void)pool;
    (void)from;
#endif
}

/* Waits for the helper to end, if it runs; stop: tells it to end first. */
static void ahead_join(ebts__ahead *a, int stop)
{
    if (!a || !a->running)
        return;
    a->running = 0;
    if (a->pid != getpid()) { /* a child of fork, where the thread does not run */
        a->orphaned = 1;
        return;
    }
#if defined(__GNUC__)
    if (stop)
        __atomic_store_n(&a->stop, 1, __ATOMIC_RELAXED);
#endif
    /* the join is no point where the caller may be cancelled: neither ebts_txn_free nor an
     * edit is one, and a caller cancelled here would leave the transaction behind */
    int cancel;
    pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &cancel);
    pthread_join(a->th, NULL);
    pthread_setcancelstate(cancel, NULL);
}

void ebts__ahead_stop(ebts_txn *t)
{
    if (!t)
        return;
    t->ixpool.ready = 0; /* changed: no helper starts again, not even from the change's own
                            reads (ebts_txn_redact's, for one) */
    ahead_join(t->ixpool.ahead, 1);
}

void ebts__ahead_wait(const ebts_txn *t)
{
    ahead_join(t ? t->ixpool.ahead : NULL, 0);
}

void ebts__ahead_free(ebts_txn *t)
{
    ebts__ahead *a = t->ixpool.ahead;
    if (!a)
        return;
    ebts__ahead_stop(t);
    if (!a->orphaned)
        ebts__arena_free(&a->arena);
    free(a);
    t->ixpool.ahead = NULL;
}

int ebts__ahead_running(const ebts_txn *t)
{
    return t && t->ixpool.ahead && t->ixpool.ahead->running;
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

