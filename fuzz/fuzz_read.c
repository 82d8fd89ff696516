/* libFuzzer target for the reader (traditional, readable, gzip) and the writers.
 * Properties checked beyond "no crash": whatever loads is written; the written bytes read back
 * without a fatal error and write again to the same bytes; the readable rendering reads back to
 * the same traditional bytes; JSON renders; a transaction has no difference from itself and is
 * compared with its re-read; validation completes with a code and message for every finding;
 * a record the writer copies as read is what it would have written field by field. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ebts.h"
#include "internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what)
{
    fprintf(stderr, "fuzz_read: property violated: %s\n", what);
    abort();
}

/* Records kept as read (r->span) are copied by the writer: the copy must be what writing them
 * field by field gives. */
static void check_spans(const ebts_txn *t)
{
    for (size_t ri = 0; ri < t->nrecs; ri++) {
        const ebts_record *r = t->recs[ri];
        if (!r->span)
            continue;
        ebts__buf b = {0};
        ebts__write_record_fields(t, ri, &b);
        if (b.oom)
            fail("out of memory");
        if (b.len != r->spanlen || memcmp(b.p, r->span, b.len) != 0)
            fail("a record copied as read differs from the same record written field by field");
        free(b.p);
    }
}

/* The traditional bytes of the first variant that loaded, and their length. */
static unsigned char *first_w;
static size_t first_n;

static void check_round_trip(const ebts_txn *t)
{
    unsigned char *w1, *w2, *rd, *js;
    size_t n1, n2, nr, nj;
    if (ebts_write_buffer(t, EBTS_FORMAT_TRADITIONAL, &w1, &n1, NULL) != 0)
        fail("write");
    if (first_w && n1 == first_n && memcmp(w1, first_w, n1) == 0) {
        /* the same transaction as an earlier read mode gave (strict or forced traditional on
         * input detected as traditional): its round trips were checked with these bytes */
        ebts_free(w1);
        return;
    }
    ebts_txn *t2 = ebts_read_buffer(w1, n1, EBTS_READ_TRADITIONAL, NULL);
    if (!t2)
        fail("written output does not read back");
    if (ebts_write_buffer(t2, EBTS_FORMAT_TRADITIONAL, &w2, &n2, NULL) != 0)
        fail("second write");
    if (n1 != n2 || memcmp(w1, w2, n1) != 0)
        fail("write(read(write(x))) != write(x)");
    ebts_diff_result *d = ebts_diff(t, t, NULL, NULL);
    if (!d || ebts_diff_count(d) != 0)
        fail("a transaction differs from itself");
    ebts_diff_free(d);
    ebts_diff_options semantic = {EBTS_DIFF_SEMANTIC, NULL, 0};
    d = ebts_diff(t, t2, &semantic, NULL); /* repairs may show; it must complete */
    if (!d)
        fail("diff of a transaction and its re-read failed");
    ebts_diff_free(d);
    if (ebts_write_buffer(t, EBTS_FORMAT_READABLE, &rd, &nr, NULL) != 0)
        fail("readable write");
    ebts_txn *t3 = ebts_read_buffer(rd, nr, EBTS_READ_READABLE, NULL);
    if (!t3)
        fail("readable output does not read back");
    unsigned char *w3;
    size_t n3;
    if (ebts_write_buffer(t3, EBTS_FORMAT_TRADITIONAL, &w3, &n3, NULL) != 0 || n3 != n1 ||
        memcmp(w3, w1, n1) != 0)
        fail("readable round trip changes the transaction");
    if (ebts_write_buffer(t, EBTS_FORMAT_JSON | EBTS_WRITE_BASE64, &js, &nj, NULL) != 0)
        fail("json write");
    ebts_free(w3);
    ebts_free(js);
    ebts_free(rd);
    ebts_free(w2);
    if (!first_w) {
        first_w = w1;
        first_n = n1;
    } else {
        ebts_free(w1);
    }
    ebts_txn_free(t3);
    ebts_txn_free(t2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const unsigned flags[] = {0, EBTS_READ_STRICT, EBTS_READ_READABLE, EBTS_READ_TRADITIONAL};
    for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++) {
        ebts_error err;
        memset(&err, 0, sizeof err);
        ebts_read_options o;
        ebts_read_options_init(&o, flags[i]);
        o.max_input = 1 << 24; /* keep gzip bombs quick */
        ebts_txn *t = ebts_read_buffer_opts(data, size, &o, &err);
        if (!t) {
            if (!err.code || !err.msg[0])
                fail("NULL without an error code and message");
            continue;
        }
        for (size_t d = 0; d < ebts_txn_diag_count(t); d++) {
            const ebts_diag *g = ebts_txn_diag(t, d);
            if (!g->code || !g->msg[0])
                fail("diagnostic without code or message");
        }
        check_spans(t);
        check_round_trip(t);
        if (i == 0) { /* validation (and the 2.075 view it uses) over whatever loaded */
            ebts_report *r = ebts_validate(t, NULL, NULL);
            if (!r)
                fail("validation of a loaded transaction failed");
            for (size_t d = 0; d < ebts_report_count(r); d++) {
                const ebts_diag *g = ebts_report_diag(r, d);
                if (!g->code || !g->msg[0])
                    fail("finding without code or message");
            }
            ebts_report_free(r);
        }
        ebts_txn_free(t);
    }
    ebts_free(first_w);
    first_w = NULL;
    return 0;
}
