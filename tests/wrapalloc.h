/* The allocator as a test linked with -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc sees it:
 * __real_* are the C library's functions, __wrap_* the test's own, which every call of the
 * library reaches (failalloc.c, claims.c). */
#ifndef WRAPALLOC_H
#define WRAPALLOC_H
#include <stddef.h>
void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t m);
void *__real_realloc(void *p, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t m);
void *__wrap_realloc(void *p, size_t n);
#endif
