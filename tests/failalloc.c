/* Allocation-failure test: every allocation the library makes during a read, a validation, the
 * response view, a generation, a diff, each writer and the streaming writer is made to fail in
 * turn (malloc, calloc and realloc are wrapped at link time). Each call must then fail cleanly
 * (NULL or -1 with an error code) or succeed; never crash. Under `make asan` LeakSanitizer also
 * proves no leak. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ebts.h"
#include "wrapalloc.h"


static long fail_at = -1, calls;

static int failing(void)
{
    return fail_at >= 0 && calls++ == fail_at;
}

void *__wrap_malloc(size_t n)
{
    return failing() ? NULL : __real_malloc(n);
}

void *__wrap_calloc(size_t n, size_t m)
{
    return failing() ? NULL : __real_calloc(n, m);
}

void *__wrap_realloc(void *p, size_t n)
{
    return failing() ? NULL : __real_realloc(p, n);
}

static unsigned char *input, *jpeg;
static size_t input_len, jpeg_len;

static unsigned char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    unsigned char *p = __real_malloc(1 << 22);
    *len = fread(p, 1, 1 << 22, fp);
    fclose(fp);
    return p;
}

/* One scenario; returns 1 when it completed, 0 when a call failed cleanly. */
static FILE *sink; /* /dev/null, unbuffered: stdio allocates nothing while a scenario runs */

static int scenario(int which)
{
    ebts_error err;
    memset(&err, 0, sizeof err);
    ebts_txn *t = ebts_read_buffer(input, input_len, 0, &err);
    if (!t)
        return err.code ? 0 : (fprintf(stderr, "read failed without a code\n"), abort(), 0);
    int ok = 1;
    switch (which) {
    case 0: { /* validate */
        ebts_report *r = ebts_validate(t, NULL, &err);
        ok = r != NULL;
        ebts_report_free(r);
        break;
    }
    case 1:
    case 2:
    case 3:
    case 4: { /* the writers */
        static const unsigned fmt[] = {EBTS_FORMAT_TRADITIONAL, EBTS_FORMAT_READABLE,
                                       EBTS_FORMAT_JSON, EBTS_FORMAT_XML};
        unsigned char *out = NULL;
        size_t n;
        ok = ebts_write_buffer(t, fmt[which - 1], &out, &n, &err) == 0;
        if (ok && fmt[which - 1] != EBTS_FORMAT_JSON) { /* and reading it back */
            ebts_txn *back = ebts_read_buffer(out, n, 0, &err);
            ok = back != NULL;
            ebts_txn_free(back);
        }
        ebts_free(out); /* NULL when the write failed */
        break;
    }
    case 5: { /* response view */
        ebts_response *r = ebts_response_view(t, &err);
        ok = r != NULL;
        ebts_response_free(r);
        break;
    }
    case 6: { /* generation */
        ebts_encounter e = {"1105048570", "DOE,JOHN", "19630101", "XX", "M", 0, 0, 0};
        ebts_span photo = {jpeg, jpeg_len};
        ebts_gen_options o;
        memset(&o, 0, sizeof o);
        o.tcr = "TCN0000000001";
        o.dai = "TX0000000";
        o.date = "20260115";
        o.encounters = &e;
        o.nencounters = 1;
        o.photos = &photo;
        o.nphotos = 1;
        o.iar_status = "SUBJECT APPEARS TO HAVE BEEN PREVIOUSLY REMOVED";
        ebts_txn *g = ebts_gen_response(EBTS_GEN_IDR_MATCH, t, &o, &err);
        ok = g != NULL;
        ebts_txn_free(g);
        break;
    }
    case 8: { /* the streaming writer (the stream is opened before any allocation fails) */
        ok = ebts_write_stream(t, EBTS_FORMAT_TRADITIONAL, sink, &err) == 0;
        break;
    }
    case 7: { /* diff, semantic */
        ebts_diff_options o = {EBTS_DIFF_SEMANTIC, NULL, 0};
        ebts_diff_result *d = ebts_diff(t, t, &o, &err);
        ok = d != NULL;
        ebts_diff_free(d);
        break;
    }
    }
    ebts_txn_free(t);
    if (!ok && !err.code) {
        fprintf(stderr, "scenario %d failed without an error code (allocation %ld failed)\n", which, fail_at);
        abort();
    }
    return ok;
}

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : "fixtures/samples/clean/idr-iar-match.eft";
    input = slurp(path, &input_len);
    jpeg = slurp("fixtures/samples/face-48x64.jpg", &jpeg_len);
    if (!input || !jpeg) {
        fprintf(stderr, "failalloc: cannot read the inputs\n");
        return 2;
    }
    size_t passed = 0;
    long total = 0;
    sink = fopen("/dev/null", "wb");
    if (!sink || setvbuf(sink, NULL, _IONBF, 0) != 0) {
        fprintf(stderr, "failalloc: cannot open /dev/null\n");
        return 2;
    }
    for (int which = 0; which < 9; which++) {
        for (fail_at = 0;; fail_at++) {
            calls = 0;
            int done = scenario(which);
            if (calls <= fail_at) { /* no allocation failed: the scenario ran to its end */
                if (!done) {
                    fprintf(stderr, "scenario %d failed with no allocation failing\n", which);
                    return 1;
                }
                break;
            }
        }
        total += fail_at;
        passed++;
    }
    fail_at = -1;
    printf("failalloc: %ld allocations failed in turn over %zu scenarios; %zu passed, 0 failed\n",
           total, passed, passed);
    return 0;
}
