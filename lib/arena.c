/* Memory: the chunked bump allocator a transaction owns (its parse path allocates nothing else
 * per field), and the growable byte buffer the writers fill. */
#define _DEFAULT_SOURCE 1 /* madvise */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__linux__)
#include <sys/mman.h>
#endif
#include <pthread.h>
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#endif
#include "internal.h"

struct ebts__chunk {
    ebts__chunk *next;
    unsigned char *data; /* just after the header, 16-byte aligned; or at a huge page */
    size_t size, used;
    size_t block; /* the allocation's size when it came from ebts__block_get, else 0 */
};

#define CHUNK_HDR ((sizeof(ebts__chunk) + 15u) & ~(size_t)15u)
#define CHUNK_MAX ((size_t)64 << 20)
#define HUGE_PAGE ((size_t)2 << 20)

/* The fields of a large transaction are written once into fresh memory: with 4 KiB pages the
 * kernel's page faults are about half of a 100 MB parse. Where transparent huge pages are
 * offered on request (Linux "madvise" mode), ask for them over the 2 MiB-aligned part of a large
 * allocation. Advice only: nothing depends on it being taken. */
void ebts__huge_pages(void *p, size_t size)
{
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    const uintptr_t huge = (uintptr_t)2 << 20;
    uintptr_t lo = ((uintptr_t)p + huge - 1) & ~(huge - 1), hi = ((uintptr_t)p + size) & ~(huge - 1);
    if (hi > lo)
        (void)madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
#else
    (void)p;
    (void)size;
#endif
}

/* Large blocks kept for reuse. A large transaction's memory is written once into fresh pages,
 * which the kernel maps and zeroes first: a pass over the memory that a copy into used memory
 * does not make (docs/performance.md). A program that reads transactions one after another
 * would pay it for each, since malloc returns blocks this large to the kernel when they are
 * freed. So blocks of 2 MiB and more freed by a transaction are kept, up to keep_max bytes in
 * all, for the next one; while kept, their pages are given to the kernel to take back lazily
 * (MADV_FREE), so that memory the system needs is not held. ebts_keep_memory sets the bound. */
#define KEEP_MIN HUGE_PAGE
#define KEEP_SLOTS 16

typedef struct kept_block {
    void *p;
    size_t size;
} kept_block;

static pthread_mutex_t kept_lock = PTHREAD_MUTEX_INITIALIZER;
static kept_block kept[KEEP_SLOTS]; /* oldest first */
static size_t kept_n, kept_bytes, keep_max = EBTS_KEEP_MEMORY_DEFAULT;

/* A process that forks while another of its threads holds the lock would leave the child a
 * lock nobody releases: fork waits for it, as it does for malloc's. Every taking of the lock
 * goes through kept_lock_on, so the handlers are there before the lock is first held, whatever
 * a process's threads do with blocks first. */
static pthread_once_t kept_fork_once = PTHREAD_ONCE_INIT;
static void kept_lock_take(void)
{
    pthread_mutex_lock(&kept_lock);
}
static void kept_lock_give(void)
{
    pthread_mutex_unlock(&kept_lock);
}
static void kept_fork_safe(void)
{
    (void)pthread_atfork(kept_lock_take, kept_lock_give, kept_lock_give);
}
static void kept_lock_on(void)
{
    pthread_once(&kept_fork_once, kept_fork_safe);
    pthread_mutex_lock(&kept_lock);
}

/* Pages of a block while it is kept: the kernel may take them back (they then read as zeros,
 * and nothing reads a block before writing it); under AddressSanitizer, any use is reported. */
static void kept_advise(void *p, size_t size, int keeping)
{
#if defined(__SANITIZE_ADDRESS__)
    if (keeping)
        ASAN_POISON_MEMORY_REGION(p, size);
    else
        ASAN_UNPOISON_MEMORY_REGION(p, size);
#endif
#if defined(__linux__) && defined(MADV_FREE)
    if (keeping) {
        const uintptr_t page = 4096;
        uintptr_t lo = ((uintptr_t)p + page - 1) & ~(page - 1);
        uintptr_t hi = ((uintptr_t)p + size) & ~(page - 1);
        if (hi > lo)
            (void)madvise((void *)lo, hi - lo, MADV_FREE);
    }
#endif
    (void)p;
    (void)size;
    (void)keeping;
}

/* Under the lock: free the oldest kept blocks while every slot is used or `room` bytes more
 * would pass keep_max (the lock is let go around each free). */
static void kept_evict(size_t room)
{
    while (kept_n > 0 && (kept_n == KEEP_SLOTS || kept_bytes + room > keep_max)) {
        kept_block b = kept[0];
        memmove(kept, kept + 1, (kept_n - 1) * sizeof *kept);
        kept_n--;
        kept_bytes -= b.size;
        pthread_mutex_unlock(&kept_lock);
        kept_advise(b.p, b.size, 0);
        free(b.p);
        pthread_mutex_lock(&kept_lock);
    }
}

void *ebts__block_get(size_t n, size_t *size)
{
    if (n >= KEEP_MIN) {
        kept_lock_on();
        size_t best = kept_n;
        for (size_t i = 0; i < kept_n; i++) /* the smallest that fits, and not twice too big */
            if (kept[i].size >= n && kept[i].size - n <= n &&
                (best == kept_n || kept[i].size < kept[best].size))
                best = i;
        if (best < kept_n) {
            kept_block b = kept[best];
            memmove(kept + best, kept + best + 1, (kept_n - best - 1) * sizeof *kept);
            kept_n--;
            kept_bytes -= b.size;
            pthread_mutex_unlock(&kept_lock);
            kept_advise(b.p, b.size, 0);
            *size = b.size;
            return b.p;
        }
        pthread_mutex_unlock(&kept_lock);
    }
    void *p = malloc(n ? n : 1);
    *size = p ? n : 0;
    return p;
}

void ebts__block_put(void *p, size_t size)
{
    if (!p)
        return;
    if (size >= KEEP_MIN) {
        kept_advise(p, size, 1);
        kept_lock_on();
        for (size_t i = 0; i < kept_n; i++)
            if (kept[i].p == p) { /* freed twice: kept twice, it would be handed out twice */
                fputs("libebts: a block freed twice (ebts_free)\n", stderr);
                abort();
            }
        if (size <= keep_max) {
            kept_evict(size);
            if (kept_n < KEEP_SLOTS && kept_bytes + size <= keep_max) {
                kept[kept_n].p = p;
                kept[kept_n].size = size;
                kept_n++;
                kept_bytes += size;
                p = NULL;
            }
        }
        pthread_mutex_unlock(&kept_lock);
        if (p)
            kept_advise(p, size, 0);
    }
    free(p);
}

size_t ebts__kept_bytes(void)
{
    kept_lock_on();
    size_t n = kept_bytes;
    pthread_mutex_unlock(&kept_lock);
    return n;
}

size_t ebts_keep_memory(size_t max_bytes)
{
    kept_lock_on();
    size_t was = keep_max;
    keep_max = max_bytes;
    kept_evict(0);
    pthread_mutex_unlock(&kept_lock);
    return was;
}

void ebts__arena_init(ebts__arena *a, size_t first)
{
    a->head = NULL;
    a->next_size = first < 4096 ? 4096 : first;
}

/* A new current chunk with room for size bytes (a->next_size, or more); NULL without memory. */
static ebts__chunk *new_chunk(ebts__arena *a, size_t size)
{
    size_t want = a->next_size;
    if (want < size)
        want = size;
    /* A chunk of 2 MiB or more starts at a huge page and ends at one, so that all of it can be
     * huge pages (the parts outside the aligned middle of a plain allocation took three
     * quarters of a 100 MB parse's page faults, 4 KiB each); the room before it is never
     * touched. */
    if (want > SIZE_MAX - CHUNK_HDR - 2 * HUGE_PAGE)
        return NULL;
    int huge = want >= HUGE_PAGE;
    if (huge)
        want = (want + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
    size_t block = 0;
    ebts__chunk *c = huge ? ebts__block_get(CHUNK_HDR + want + HUGE_PAGE, &block)
                          : malloc(CHUNK_HDR + want);
    if (!c)
        return NULL;
    c->block = block;
    c->data = (unsigned char *)c + CHUNK_HDR;
    if (huge) {
        uintptr_t at = ((uintptr_t)c->data + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1);
        c->data += at - (uintptr_t)c->data;
    }
    c->size = want;
    c->used = 0;
    ebts__huge_pages(c->data, want);
    c->next = a->head;
    a->head = c;
    if (a->next_size < CHUNK_MAX)
        a->next_size *= 2;
    return c;
}

void *ebts__arena_alloc(ebts__arena *a, size_t size)
{
    ebts__chunk *c = a->head;
    size = (size + 7u) & ~(size_t)7u;
    if (size == 0)
        size = 8;
    if (!c || c->size - c->used < size) {
        c = new_chunk(a, size);
        if (!c)
            return NULL;
    }
    void *p = c->data + c->used;
    c->used += size;
    return p;
}

void *ebts__arena_room(ebts__arena *a, size_t want, size_t *avail)
{
    ebts__chunk *c = a->head;
    if (!c || c->size - c->used < want) {
        c = new_chunk(a, want);
        if (!c)
            return NULL;
    }
    *avail = c->size - c->used;
    return c->data + c->used;
}

void *ebts__arena_regrow(ebts__arena *a, const void *from, size_t keep, size_t want, size_t *avail)
{
    ebts__chunk *c = new_chunk(a, want);
    if (!c)
        return NULL;
    memcpy(c->data, from, keep);
    *avail = c->size;
    return c->data;
}

void ebts__arena_take(ebts__arena *a, size_t size)
{
    a->head->used += (size + 7u) & ~(size_t)7u;
}

void *ebts__arena_dup(ebts__arena *a, const void *p, size_t size)
{
    void *q = ebts__arena_alloc(a, size);
    if (q && size)
        memcpy(q, p, size);
    return q;
}

void ebts__arena_free(ebts__arena *a)
{
    ebts__chunk *c = a->head;
    while (c) {
        ebts__chunk *n = c->next;
        ebts__block_put(c, c->block);
        c = n;
    }
    a->head = NULL;
}

int ebts__buf_reserve(ebts__buf *b, size_t n)
{
    if (b->oom)
        return -1;
    if (n <= b->cap - b->len)
        return 0;
    size_t cap = b->cap ? b->cap : n > 256 ? n : 256; /* a first size asked for is taken */
    while (cap - b->len < n) {
        if (cap > SIZE_MAX / 2) {
            b->oom = 1;
            return -1;
        }
        cap *= 2;
    }
    /* a first allocation may be a block an output or a transaction freed before (ebts_free
       keeps large ones): memory the kernel need not map and zero again */
    unsigned char *p = b->p ? realloc(b->p, cap) : ebts__block_get(cap, &cap);
    if (!p) {
        b->oom = 1;
        return -1;
    }
    b->p = p;
    b->cap = cap;
    ebts__huge_pages(p, cap);
    return 0;
}

void ebts__buf_put(ebts__buf *b, const void *p, size_t n)
{
    if (n == 0 || ebts__buf_reserve(b, n) < 0)
        return;
    memcpy(b->p + b->len, p, n);
    b->len += n;
}

void ebts__buf_putc(ebts__buf *b, int c)
{
    if (ebts__buf_reserve(b, 1) < 0)
        return;
    b->p[b->len++] = (unsigned char)c;
}

void ebts__buf_puts(ebts__buf *b, const char *s)
{
    ebts__buf_put(b, s, strlen(s));
}

void ebts__buf_printf(ebts__buf *b, const char *fmt, ...)
{
    char tmp[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof tmp) {
        ebts__buf_put(b, tmp, (size_t)n);
        return;
    }
    if (ebts__buf_reserve(b, (size_t)n + 1) < 0)
        return;
    va_start(ap, fmt);
    vsnprintf((char *)b->p + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}
