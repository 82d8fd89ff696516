/* libFuzzer target for the reader (traditional, readable, gzip) and the writers.
 * Properties checked beyond "no crash": whatever loads is written; the written bytes read back
 * without a fatal error and write again to the same bytes; the readable rendering reads back to
 * the same traditional bytes; JSON renders; a transaction has no difference from itself and is
 * compared with its re-read; written as XML it reads back with no difference from its traditional
 * re-read (nor from itself when it read without an error); validation completes with a code and message for every finding;
 * a field validation passes in one walk over its bytes (a profile's tables) is one that the
 * item-by-item checks (no tables) pass too, and every report is the same both ways;
 * a record the writer copies as read is what it would have written field by field; the reader's
 * SSE2 and AVX2 blocks, and its general steps for every field, give what its widest blocks and
 * its short path give; the index of a value built when first asked
 * for, and the answers from its bytes without one, agree with the value's separators. */
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

/* Every field's subfields and items, from its index and from its bytes (the answers without
 * memory for an index), against the value's own RS and US. */
static void check_items(const ebts_txn *t)
{
    for (size_t ri = 0; ri < t->nrecs; ri++) {
        const ebts_record *r = t->recs[ri];
        for (uint32_t fi = 0; fi < r->nfields; fi++) {
            const ebts_field *f = &r->fields[fi];
            if (f->flags & (EBTS__F_BINARY | EBTS__F_MALFORMED))
                continue;
            /* the answers from the bytes walk the value from its start: over short values */
            int bytes = f->len <= 4096;
            size_t sub = 0, item = 0, start = 0;
            for (size_t i = 0; i <= f->len; i++) {
                int end = i == f->len || f->val[i] == 0x1e || f->val[i] == 0x1f;
                if (!end)
                    continue;
                ebts_span a = ebts_field_item(f, sub, item);
                ebts_span b = bytes ? ebts__item_scan(f, sub, item) : a;
                if (a.ptr != f->val + start || a.len != i - start || b.ptr != a.ptr ||
                    b.len != a.len)
                    fail("an item is not where the value's separators put it");
                if (i == f->len || f->val[i] == 0x1e) {
                    if (ebts_field_item_count(f, sub) != item + 1 ||
                        (bytes && ebts__items_scan(f, sub) != item + 1))
                        fail("a subfield's item count is not the value's");
                    sub++;
                    item = 0;
                } else {
                    item++;
                }
                start = i + 1;
            }
            if (ebts_field_subfield_count(f) != sub)
                fail("a field's subfield count is not the value's");
            const uint32_t *kx = ebts__field_index_kept(f);
            if (!(f->flags & EBTS__F_LAZY) || !kx)
                continue;
            /* the counts, and the index as the validator writes it, in its room: the item ends
               after room for a subfield per byte */
            size_t nsub = EBTS__IX_NSUB(kx), nitems = EBTS__IX_NITEMS(kx);
            size_t nrs, nseps;
            ebts__count_seps(f->val, f->len, &nrs, &nseps);
            if (nrs + 1 != nsub || nseps + 1 != nitems)
                fail("the separators counted are not the index's counts");
            uint32_t *room = malloc((EBTS__IX_HEAD + 2 * (size_t)f->len + 3) * sizeof *room);
            if (!room)
                fail("out of memory");
            uint32_t *rx = room + EBTS__IX_HEAD;
            ebts__index_into(f->val, f->len, rx, f->len + 2);
            if (EBTS__IX_NSUB(rx) != nsub || EBTS__IX_NITEMS(rx) != nitems ||
                memcmp(rx, kx, (nsub + 1) * sizeof *rx) != 0 ||
                memcmp(EBTS__INDEX_ITEM_END(rx), EBTS__INDEX_ITEM_END(kx),
                       nitems * sizeof *rx) != 0)
                fail("the index written in the validator's room differs");
            free(room);
        }
    }
}

/* The same input read with narrower blocks (flag: EBTS__READ_SSE2 or EBTS__READ_AVX2) or
 * without the short path (EBTS__READ_GENERAL): the same transaction and findings. */
static void check_narrow(const uint8_t *data, size_t size, const ebts_read_options *o,
                         const ebts_txn *t, const ebts_error *err, unsigned flag)
{
    ebts_read_options on = *o;
    on.flags |= flag;
    ebts_error en;
    memset(&en, 0, sizeof en);
    ebts_txn *u = ebts_read_buffer_opts(data, size, &on, &en);
    if (!t || !u) {
        if (t || u || strcmp(err->code, en.code) != 0 || err->offset != en.offset)
            fail("narrower blocks: one read failed, or not alike");
        return;
    }
    if (t->nrecs != u->nrecs || t->dl.n != u->dl.n)
        fail("narrower blocks: other records or findings");
    for (size_t d = 0; d < t->dl.n; d++) {
        const ebts_diag *a = &t->dl.d[d], *b = &u->dl.d[d];
        if (strcmp(a->code, b->code) != 0 || a->offset != b->offset || a->record != b->record ||
            strcmp(a->tag, b->tag) != 0 || a->subfield != b->subfield || a->item != b->item ||
            strcmp(a->msg, b->msg) != 0)
            fail("narrower blocks: another finding");
    }
    for (size_t ri = 0; ri < t->nrecs; ri++) {
        const ebts_record *a = t->recs[ri], *b = u->recs[ri];
        if (a->nfields != b->nfields || a->offset != b->offset || a->type != b->type)
            fail("narrower blocks: another record");
        for (uint32_t fi = 0; fi < a->nfields; fi++) {
            const ebts_field *x = &a->fields[fi], *y = &b->fields[fi];
            if (x->offset != y->offset || x->len != y->len || x->number != y->number ||
                x->flags != y->flags || x->tagtype != y->tagtype || x->type_w != y->type_w ||
                x->num_w != y->num_w || ebts__nsub(x) != ebts__nsub(y) ||
                ebts__nitems(x) != ebts__nitems(y))
                fail("narrower blocks: another field");
        }
    }
    ebts_txn_free(u);
}

/* Through XML (EBTS 11.2 and 10.0) and back: no difference from t2, t written and read back
 * traditionally (the writer's own repairs, a CNT IDC for a record without one, show on both
 * sides), and none from t itself when its reading found no error. */
static void check_xml_version(const ebts_txn *t, const ebts_txn *t2, unsigned version)
{
    unsigned char *x;
    size_t nx;
    if (ebts_write_buffer(t, EBTS_FORMAT_XML | version, &x, &nx, NULL) != 0)
        fail("xml write");
    ebts_error err;
    memset(&err, 0, sizeof err);
    ebts_txn *u = ebts_read_buffer(x, nx, EBTS_READ_XML, &err);
    if (!u) {
        fprintf(stderr, "fuzz_read: %s: %s\n", err.code ? err.code : "", err.msg);
        fail("the XML written does not read back");
    }
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 1 && ebts_txn_error_count(t, 0) != 0)
            break;
        /* rewritten: CNT derived, bytes not read as records dropped */
        ebts_diff_options dopt = {EBTS_DIFF_RECORDS_ONLY, NULL, 0};
        ebts_diff_result *d = ebts_diff(pass ? t : t2, u, &dopt, NULL);
        if (!d)
            fail("diff after XML failed");
        if (ebts_diff_count(d) != 0) {
            char line[512];
            for (size_t i = 0; i < ebts_diff_count(d) && i < 5; i++)
                fprintf(stderr, "  %s\n",
                        ebts_difference_format(ebts_diff_at(d, i), 0, line, sizeof line));
            fail(pass ? "traditional -> XML -> traditional differs from the input"
                      : "XML gives back another transaction than the traditional encoding");
        }
        ebts_diff_free(d);
    }
    ebts_txn_free(u);
    ebts_free(x);
}

static void check_xml(const ebts_txn *t, const ebts_txn *t2)
{
    check_xml_version(t, t2, 0);
    check_xml_version(t, t2, EBTS_WRITE_XML_10);
}

/* t validated under the default profile with its tables, where a field found right in one walk
 * over its bytes is not checked item by item, and without them, where every field is: the same
 * findings. */
static void check_validate_paths(const ebts_txn *t)
{
    static ebts_profile *p;
    if (!p && !(p = ebts_profile_builtin(EBTS__DEFAULT_PROFILE, NULL)))
        fail("out of memory");
    ebts_report *a = ebts_validate(t, p, NULL);
    struct ebts__vcomp *vc = p->vc;
    p->vc = NULL;
    ebts_report *b = ebts_validate(t, p, NULL);
    p->vc = vc;
    if (!a || !b)
        fail("validation of a loaded transaction failed");
    if (ebts_report_count(a) != ebts_report_count(b) ||
        ebts_report_finding_count(a) != ebts_report_finding_count(b))
        fail("validation with tables and without: not as many findings");
    for (size_t i = 0; i < ebts_report_count(a); i++) {
        const ebts_diag *x = ebts_report_diag(a, i), *y = ebts_report_diag(b, i);
        if (strcmp(x->code, y->code) != 0 || x->offset != y->offset || x->record != y->record ||
            strcmp(x->tag, y->tag) != 0 || x->subfield != y->subfield || x->item != y->item ||
            strcmp(x->msg, y->msg) != 0)
            fail("validation with tables and without: another finding");
    }
    ebts_report_free(a);
    ebts_report_free(b);
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
    check_xml(t, t2);
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
        if (i == 0) { /* the blocks do not depend on the read mode: once is enough */
            /* SSE2 blocks and no short path at once: each is compared with the widest blocks
             * and the short path, in one read */
            check_narrow(data, size, &o, t, &err, EBTS__READ_SSE2 | EBTS__READ_GENERAL);
            check_narrow(data, size, &o, t, &err, EBTS__READ_AVX2);
        }
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
        if (i == 0)
            check_items(t);
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
            check_validate_paths(t);
        }
        ebts_txn_free(t);
    }
    ebts_free(first_w);
    first_w = NULL;
    return 0;
}
