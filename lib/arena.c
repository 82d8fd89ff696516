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
#include "internal.h"

struct ebts__chunk {
    ebts__chunk *next;
    unsigned char *data; /* just after the header, 16-byte aligned; or at a huge page */
    size_t size, used;
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
    ebts__chunk *c = malloc(CHUNK_HDR + want + (huge ? HUGE_PAGE : 0));
    if (!c)
        return NULL;
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
        free(c);
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
    size_t cap = b->cap ? b->cap : 256;
    while (cap - b->len < n) {
        if (cap > SIZE_MAX / 2) {
            b->oom = 1;
            return -1;
        }
        cap *= 2;
    }
    unsigned char *p = realloc(b->p, cap);
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
