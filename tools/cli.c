/* Shared command-line helpers: the diagnostic line format, JSON strings, option values, the
 * checks every tool makes at start and exit, and an ordered pool of threads. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"

void cli_init(void)
{
    /* past a file size limit a write fails with EFBIG, so the output's cleanup runs, instead of
     * the signal killing the tool halfway */
    signal(SIGXFSZ, SIG_IGN);
}

int cli_version(const char *tool)
{
    printf("%s libebts %s\n", tool, ebts_version());
    return CLI_OK;
}

int cli_finish(int rc)
{
    errno = 0;
    if (fflush(stdout) == 0 && !ferror(stdout))
        return rc;
    if (rc != CLI_USAGE) { /* an exit status of 2 has had its message already */
        ebts_error e;
        memset(&e, 0, sizeof e);
        e.code = "IO_ERROR";
        snprintf(e.msg, sizeof e.msg, "cannot write standard output%s%s", errno ? ": " : "",
                 errno ? strerror(errno) : "");
        cli_print_error("<stdout>", &e);
    }
    return CLI_USAGE;
}

size_t cli_print_diags(const ebts_txn *t, const char *path, int strict, int quiet)
{
    char line[512];
    for (size_t i = 0; !quiet && i < ebts_txn_diag_count(t); i++)
        fprintf(stderr, "%s\n", ebts_diag_format(ebts_txn_diag(t, i), path, strict, line, sizeof line));
    return ebts_txn_error_count(t, strict);
}

void cli_print_error(const char *path, const ebts_error *e)
{
    fprintf(stderr, "%s:%zu: error: %s%s%s: %s\n", path, e->offset, e->code ? e->code : "ERROR",
            e->tag[0] ? " " : "", e->tag, e->msg);
}

/* The length of the well-formed UTF-8 sequence at p, or 0 (overlong forms, surrogates and
 * code points beyond U+10FFFF are not well-formed). */
static size_t utf8_seq(const unsigned char *p)
{
    unsigned char c = p[0];
    size_t len = c < 0x80 ? 1 : c < 0xc2 ? 0 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : c < 0xf5 ? 4 : 0;
    unsigned v = len == 2 ? c & 0x1fu : len == 3 ? c & 0x0fu : c & 0x07u;
    for (size_t k = 1; k < len; k++) {
        if ((p[k] & 0xc0) != 0x80) /* also stops at the terminating NUL */
            return 0;
        v = v << 6 | (p[k] & 0x3fu);
    }
    if ((len == 3 && (v < 0x800 || (v >= 0xd800 && v <= 0xdfff))) ||
        (len == 4 && (v < 0x10000 || v > 0x10ffff)))
        return 0;
    return len;
}

void cli_json_str(FILE *fp, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    fputc('"', fp);
    while (*p) {
        size_t len = utf8_seq(p);
        if (*p == '"' || *p == '\\') {
            fprintf(fp, "\\%c", *p);
        } else if (*p < 0x20 || *p == 0x7f || len == 0) {
            fprintf(fp, "\\u%04x", *p);
        } else {
            fwrite(p, 1, len, fp);
            p += len;
            continue;
        }
        p++;
    }
    fputc('"', fp);
}

int cli_error_is_content(const ebts_error *e)
{
    return e->code && strcmp(e->code, "IO_ERROR") != 0 && strcmp(e->code, "BAD_ARGUMENT") != 0 &&
           strcmp(e->code, "OUT_OF_MEMORY") != 0 && strcmp(e->code, "XML_UNAVAILABLE") != 0;
}

const char *cli_option(int argc, char **argv, int *i, const char *name)
{
    size_t n = strlen(name);
    const char *a = argv[*i];
    if (strncmp(a, name, n) != 0)
        return NULL;
    if (a[n] == '=')
        return a + n + 1;
    if (a[n] != 0)
        return NULL;
    if (*i + 1 >= argc)
        return NULL;
    return argv[++*i];
}

/* ---- the ordered pool */

/* An idle thread is woken when this many items wait, not for each one: a small file is read
 * and checked in a few microseconds, about what waking a thread costs, and with a wake-up per
 * file two threads were no faster than one. The adding thread runs what waits when it must
 * wait itself, and cli_pool_finish wakes every thread, so no item is left behind. */
#define POOL_BATCH 16

struct cli_pool {
    pthread_mutex_t mu;
    pthread_cond_t work, done;
    void (*run)(void *ctx, void *item);
    void (*emit)(void *ctx, void *item);
    void *ctx;
    void **ring;
    char *ready;
    size_t cap, head, next, tail; /* head: next to emit; next: next to run; tail: next free */
    int want, started, stop;
    int idle, waiting; /* threads waiting for work; the adding thread waiting for an item */
    pthread_t *threads;
};

static void *pool_worker(void *arg)
{
    cli_pool *p = arg;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (p->next == p->tail && !p->stop) {
            p->idle++;
            pthread_cond_wait(&p->work, &p->mu);
            p->idle--;
        }
        if (p->next == p->tail)
            break;
        size_t k = p->next++ % p->cap;
        if (p->idle && p->tail - p->next >= POOL_BATCH)
            pthread_cond_signal(&p->work); /* enough left for another thread */
        pthread_mutex_unlock(&p->mu);
        p->run(p->ctx, p->ring[k]);
        pthread_mutex_lock(&p->mu);
        p->ready[k] = 1;
        if (p->waiting)
            pthread_cond_signal(&p->done); /* only the adding thread waits for it */
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

int cli_cores(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > CLI_MAX_JOBS ? CLI_MAX_JOBS : (int)n;
}

cli_pool *cli_pool_new(int nthreads, void (*run)(void *ctx, void *item),
                       void (*emit)(void *ctx, void *item), void *ctx)
{
    cli_pool *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->run = run;
    p->emit = emit;
    p->ctx = ctx;
    p->want = nthreads < 1 ? 1 : nthreads > CLI_MAX_JOBS ? CLI_MAX_JOBS : nthreads;
    if (p->want > 1) {
        p->cap = 64 * (size_t)p->want < 512 ? 64 * (size_t)p->want : 512;
        p->ring = calloc(p->cap, sizeof *p->ring);
        p->ready = calloc(p->cap, 1);
        p->threads = calloc((size_t)p->want, sizeof *p->threads);
        if (!p->ring || !p->ready || !p->threads) {
            free(p->ring);
            free(p->ready);
            free(p->threads);
            p->want = 1; /* without room for the queue, one item at a time */
        }
    }
    if (p->want > 1) {
        pthread_mutex_init(&p->mu, NULL);
        pthread_cond_init(&p->work, NULL);
        pthread_cond_init(&p->done, NULL);
    }
    return p;
}

/* Run the next item not yet taken here, on the adding thread. Called and returns with the
 * mutex held. */
static void pool_help(cli_pool *p)
{
    size_t k = p->next++ % p->cap;
    pthread_mutex_unlock(&p->mu);
    p->run(p->ctx, p->ring[k]);
    pthread_mutex_lock(&p->mu);
    p->ready[k] = 1;
}

/* Emit the oldest item once it has run; while it runs, the adding thread runs the items no
 * thread has taken yet rather than wait (all of them when no thread was started). Called and
 * returns with the mutex held. */
static void pool_emit_head(cli_pool *p)
{
    size_t k = p->head % p->cap;
    if (!p->ready[k] && p->idle && p->next < p->tail)
        pthread_cond_broadcast(&p->work); /* fewer than a batch wait: every thread helps */
    while (!p->ready[k] && p->next < p->tail)
        pool_help(p);
    while (!p->ready[k]) {
        p->waiting = 1;
        pthread_cond_wait(&p->done, &p->mu);
        p->waiting = 0;
    }
    p->ready[k] = 0;
    p->head++;
    pthread_mutex_unlock(&p->mu);
    p->emit(p->ctx, p->ring[k]);
    pthread_mutex_lock(&p->mu);
}

void cli_pool_add(cli_pool *p, void *item)
{
    if (p->want <= 1) {
        p->run(p->ctx, item);
        p->emit(p->ctx, item);
        return;
    }
    pthread_mutex_lock(&p->mu);
    while (p->tail - p->head == p->cap)
        pool_emit_head(p);
    size_t k = p->tail++ % p->cap;
    p->ring[k] = item;
    p->ready[k] = 0;
    /* the threads start with the second item: one file needs none (when none can be created,
       pool_emit_head runs the items here) */
    while (p->tail - p->head > 1 && p->started < p->want &&
           pthread_create(&p->threads[p->started], NULL, pool_worker, p) == 0)
        p->started++;
    if (p->idle && p->tail - p->next >= POOL_BATCH)
        pthread_cond_signal(&p->work);
    while (p->head < p->tail && p->ready[p->head % p->cap])
        pool_emit_head(p);
    pthread_mutex_unlock(&p->mu);
}

size_t cli_pool_room(const cli_pool *p)
{
    return p->want > 1 ? p->cap : 0;
}

void cli_pool_drain(cli_pool *p)
{
    if (p->want <= 1)
        return;
    pthread_mutex_lock(&p->mu);
    while (p->head < p->tail)
        pool_emit_head(p);
    pthread_mutex_unlock(&p->mu);
}

void cli_pool_finish(cli_pool *p)
{
    if (!p)
        return;
    if (p->want > 1 || p->started) {
        pthread_mutex_lock(&p->mu);
        p->stop = 1;
        pthread_cond_broadcast(&p->work);
        while (p->head < p->tail)
            pool_emit_head(p);
        pthread_mutex_unlock(&p->mu);
        for (int i = 0; i < p->started; i++)
            pthread_join(p->threads[i], NULL);
        pthread_mutex_destroy(&p->mu);
        pthread_cond_destroy(&p->work);
        pthread_cond_destroy(&p->done);
    }
    free(p->ring);
    free(p->ready);
    free(p->threads);
    free(p);
}
