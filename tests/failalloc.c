/* Allocation-failure test: every allocation the library makes during a read, a validation, a
 * profile's loading (built in and XML) and validations against it, the response view, a
 * generation, a diff, each writer and the streaming writer is made to fail in turn (malloc, calloc and realloc are wrapped at link time). Each call must then fail cleanly
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

/* Every text field of r answers as its bytes say; count_first: the subfield count is asked
 * before any item. */
static void check_accessors(const ebts_record *r, int count_first)
{
    for (size_t fi = 0; fi < ebts_record_field_count(r); fi++) {
        const ebts_field *f = ebts_record_field_at(r, fi);
        if (ebts_field_is_binary(f))
            continue;
        ebts_span v = ebts_field_value(f);
        size_t sub = 0, item = 0, start = 0, nsub = count_first ? ebts_field_subfield_count(f) : 0;
        for (size_t i = 0; i <= v.len; i++) {
            if (i < v.len && v.ptr[i] != 0x1e && v.ptr[i] != 0x1f)
                continue;
            ebts_span it = ebts_field_item(f, sub, item);
            if (it.ptr != v.ptr + start || it.len != i - start) {
                fprintf(stderr, "accessors: item %zu.%zu is not where its bytes put it "
                                "(allocation %ld failed)\n", sub, item, fail_at);
                abort();
            }
            start = i + 1;
            if (i < v.len && v.ptr[i] == 0x1f) {
                item++;
                continue;
            }
            if (ebts_field_item_count(f, sub) != item + 1) {
                fprintf(stderr, "accessors: subfield %zu's item count is wrong (allocation %ld "
                                "failed)\n", sub, fail_at);
                abort();
            }
            sub++;
            item = 0;
        }
        if ((count_first ? nsub : ebts_field_subfield_count(f)) != sub) {
            fprintf(stderr, "accessors: the subfield count is wrong (allocation %ld failed)\n",
                    fail_at);
            abort();
        }
    }
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
    case 9: { /* the accessors, which cannot fail: without memory for an index, the same answers
                 from the value's bytes; the first question builds a value's index, so the count
                 is asked first in one pass and an item first in the other, on another read */
        static const char items[] = "1.001:47\x1d" "1.002:0500\x1d" "1.003:1\x1f" "1\x1e" "2\x1f"
                                    "00\x1d" "1.004:CAR\x1c" "2.001:80\x1d" "2.002:00\x1d"
                                    "2.019:A\x1f" "B\x1e" "C\x1d" "2.020:X\x1eY\x1eZ\x1d"
                                    "2.022:1\x1f" "2\x1f" "3\x1d" "2.084:01\x1fXX\x1e" "02\x1fYY\x1c";
        for (int pass = 0; pass < 4 && ok; pass++) { /* this input, then the items one */
            ebts_txn *u = pass == 0 ? t : pass == 1 ? ebts_read_buffer(input, input_len, 0, &err)
                                                    : ebts_read_buffer(items, sizeof items - 1, 0, &err);
            ok = u != NULL;
            for (size_t ri = 0; u && ri < ebts_txn_record_count(u); ri++)
                check_accessors(ebts_txn_record(u, ri), pass % 2);
            if (u != t)
                ebts_txn_free(u);
        }
        break;
    }
    case 10:
    case 11: { /* a profile loaded (built in, XML), then two validations against it: the first
                  makes the tables of the transaction's TOT, the second uses them */
        static const char xml[] =
            "<profile xmlns=\"urn:libebts:profile:1\" name=\"t\" base=\"ebts-10\">"
            "<field tag=\"2.901\" mnemonic=\"BKN\" type=\"AN\" min-length=\"6\" max-length=\"12\" "
            "mandatory=\"SRE\" specials=\"-\" values=\"ABC123|XYZ789\"/>"
            "<mandatory tag=\"2.009\" tots=\"SRE\"/></profile>";
        ebts_profile *p = which == 10 ? ebts_profile_builtin("ebts-10", &err)
                                      : ebts_profile_load_buffer(xml, sizeof xml - 1, &err);
        ok = p != NULL;
        if (!ok && err.code && strcmp(err.code, "OUT_OF_MEMORY") != 0) {
            fprintf(stderr, "scenario %d: %s, not OUT_OF_MEMORY\n", which, err.code);
            abort();
        }
        for (int k = 0; ok && k < 2; k++) {
            ebts_report *r = ebts_validate(t, p, &err);
            ok = r != NULL;
            ebts_report_free(r);
        }
        ebts_profile_free(p);
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
    for (int which = 0; which < 12; which++) {
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
