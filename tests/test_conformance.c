/* Conformance over fixtures/: every valid file read from a buffer and from a file and written
 * back byte for byte; every readable .txt turned into its .eft; every defective or hostile file
 * producing exactly the codes (and first offsets) in its .codes file, then written repaired
 * with every value kept. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "testutil.h"

static char **valid, **txts, **codes;
static size_t nvalid, ntxts, ncodes;

static void load_lists(void)
{
    if (valid)
        return;
    char **a, **b;
    size_t na = tu_list("fixtures/samples/clean", ".eft", &a);
    size_t nb = tu_list("fixtures/corpus", ".eft;.an2;.an2k;.ebts", &b);
    valid = calloc(na + nb + 1, sizeof *valid);
    memcpy(valid, a, na * sizeof *a);
    memcpy(valid + na, b, nb * sizeof *b);
    nvalid = na + nb;
    free(a);
    free(b);
    ntxts = tu_list("fixtures/samples", ".txt", &txts);
    char **c, **d;
    size_t nc = tu_list("fixtures/invalid", ".codes", &c);
    size_t nd = tu_list("fixtures/samples/published", ".codes", &d);
    codes = calloc(nc + nd + 1, sizeof *codes);
    memcpy(codes, c, nc * sizeof *c);
    memcpy(codes + nc, d, nd * sizeof *d);
    ncodes = nc + nd;
    free(c);
    free(d);
}

static void assert_written_back(const char *path, ebts_txn *t, const unsigned char *in, size_t n)
{
    ck_assert_msg(t != NULL, "%s does not load", path);
    for (size_t i = 0; i < ebts_txn_diag_count(t); i++) {
        const ebts_diag *d = ebts_txn_diag(t, i);
        ck_assert_msg(d->severity < EBTS_SEV_ERROR, "%s: %s at %zu: %s", path, d->code, d->offset,
                      d->msg);
    }
    size_t wn;
    unsigned char *w = tu_write(t, 0, &wn);
    ck_assert_msg(wn == n, "%s written back is %zu bytes, not %zu", path, wn, n);
    for (size_t i = 0; i < n; i++)
        ck_assert_msg(w[i] == in[i], "%s: written back differs at byte %zu", path, i);
    /* and through the readable notation */
    size_t rn, bn;
    unsigned char *r = tu_write(t, EBTS_FORMAT_READABLE, &rn);
    ebts_txn *back = ebts_read_buffer(r, rn, EBTS_READ_READABLE, NULL);
    unsigned char *bw = tu_write(back, 0, &bn);
    ck_assert_msg(bn == n && memcmp(bw, in, n) == 0, "%s: readable round trip differs", path);
    ebts_free(bw);
    ebts_txn_free(back);
    ebts_free(r);
    ebts_free(w);
}

START_TEST(valid_file_round_trips)
{
    const char *path = valid[_i];
    size_t n;
    unsigned char *in = tu_slurp(path, &n);
    ck_assert_ptr_nonnull(in);
    ebts_txn *a = ebts_read_buffer(in, n, 0, NULL);
    assert_written_back(path, a, in, n);
    ebts_txn_free(a);
    ebts_txn *b = ebts_read_file(path, 0, NULL);
    assert_written_back(path, b, in, n);
    ebts_txn_free(b);
    free(in);
}
END_TEST

START_TEST(readable_txt_is_its_eft)
{
    const char *path = txts[_i];
    char eft[1024];
    snprintf(eft, sizeof eft, "%.*s.eft", (int)(strlen(path) - 4), path);
    size_t tn, en;
    unsigned char *txt = tu_slurp(path, &tn), *want = tu_slurp(eft, &en);
    ck_assert_ptr_nonnull(want);
    ebts_error err = {0};
    unsigned char *dec = NULL;
    /* the notation decodes to exactly the .eft bytes: read it without framing repairs by
     * comparing what the library decodes (via a readable read of a borrowed buffer) */
    ebts_txn *t = ebts_read_buffer(txt, tn, EBTS_READ_READABLE, &err);
    ck_assert_msg(t != NULL, "%s: %s", path, err.msg);
    ebts_txn *e = ebts_read_buffer(want, en, 0, NULL);
    size_t an, bn;
    unsigned char *a = tu_write(t, EBTS_FORMAT_JSON, &an), *b = tu_write(e, EBTS_FORMAT_JSON, &bn);
    ck_assert_msg(an == bn && memcmp(a, b, an) == 0, "%s and its .eft differ", path);
    ebts_free(a);
    ebts_free(b);
    ebts_free(dec);
    ebts_txn_free(t);
    ebts_txn_free(e);
    free(txt);
    free(want);
}
END_TEST

/* Codes that writing repairs: none of them may survive write -> re-read. */
static int repaired_by_writing(const char *c)
{
    static const char *const r[] = {"LEN_MISMATCH", "LEN_INVALID", "LEN_MISSING", "LEN_BEYOND_END",
                                    "DATA_RESYNC", "MISSING_FS", "SEPARATOR_BEFORE_TAG",
                                    "CNT_MISSING", "CNT_INVALID", "CNT_COUNT_MISMATCH",
                                    "CNT_TYPE_MISMATCH", "CNT_IDC_MISMATCH", "RECORD_MISSING",
                                    "RECORD_NOT_IN_CNT", "TRAILING_BYTES", "UNREADABLE_BYTES"};
    for (size_t i = 0; i < sizeof r / sizeof r[0]; i++)
        if (strcmp(c, r[i]) == 0)
            return 1;
    return 0;
}

static const ebts_field *nth_field(const ebts_record *r, unsigned number, size_t k)
{
    for (size_t i = 0; i < ebts_record_field_count(r); i++) {
        const ebts_field *f = ebts_record_field_at(r, i);
        if (ebts_field_number(f) == number && k-- == 0)
            return f;
    }
    return NULL;
}

/* Every value of a (except LEN and CNT) is in b at the same record, number and occurrence. */
static void assert_values_kept(const char *path, const ebts_txn *a, const ebts_txn *b)
{
    ck_assert_uint_eq(ebts_txn_record_count(a), ebts_txn_record_count(b));
    for (size_t ri = 0; ri < ebts_txn_record_count(a); ri++) {
        const ebts_record *ra = ebts_txn_record(a, ri), *rb = ebts_txn_record(b, ri);
        ck_assert_uint_eq(ebts_record_type(ra), ebts_record_type(rb));
        if (ebts_record_is_binary(ra)) {
            ebts_span x = ebts_record_data(ra), y = ebts_record_data(rb);
            ck_assert(x.len == y.len && memcmp(x.ptr + 4, y.ptr + 4, x.len - 4) == 0);
            continue;
        }
        for (size_t i = 0; i < ebts_record_field_count(ra); i++) {
            const ebts_field *f = ebts_record_field_at(ra, i);
            unsigned num = ebts_field_number(f);
            if (num == 1 || (ri == 0 && num == 3))
                continue;
            size_t k = 0;
            for (size_t j = 0; j < i; j++)
                k += ebts_field_number(ebts_record_field_at(ra, j)) == num;
            const ebts_field *g = nth_field(rb, num, k);
            ck_assert_msg(g != NULL, "%s: record %zu field %u lost", path, ri, num);
            ebts_span x = ebts_field_value(f), y = ebts_field_value(g);
            ck_assert_msg(x.len == y.len && (x.len == 0 || memcmp(x.ptr, y.ptr, x.len) == 0),
                          "%s: record %zu field %u changed", path, ri, num);
        }
    }
}

START_TEST(defects_produce_their_codes)
{
    const char *cpath = codes[_i];
    char input[1024];
    static const char *const exts[] = {".eft", ".eft.gz", ".txt", ".xml", ".xml.gz"};
    size_t base = strlen(cpath) - 6;
    input[0] = 0;
    for (size_t i = 0; i < 5 && !input[0]; i++) {
        snprintf(input, sizeof input, "%.*s%s", (int)base, cpath, exts[i]);
        FILE *fp = fopen(input, "rb");
        if (fp)
            fclose(fp);
        else
            input[0] = 0;
    }
    ck_assert_msg(input[0], "no input beside %s", cpath);

    /* expected: CODE OFFSET lines */
    char want[64][48];
    char wantoff[64][24];
    size_t nwant = 0, n;
    unsigned char *ctext = tu_slurp(cpath, &n);
    char *text = calloc(1, n + 1);
    memcpy(text, ctext, n);
    for (char *line = strtok(text, "\n"); line && nwant < 64; line = strtok(NULL, "\n"))
        if (sscanf(line, "%47s %23s", want[nwant], wantoff[nwant]) == 2)
            nwant++;
    free(text);
    free(ctext);

    for (int pass = 0; pass < 2; pass++) {
        ebts_error err = {0};
        size_t len;
        unsigned char *bytes = tu_slurp(input, &len);
        ebts_txn *t = pass ? ebts_read_buffer(bytes, len, 0, &err) : ebts_read_file(input, 0, &err);
        /* actual: code -> first offset */
        char got[128][48];
        size_t gotoff[128], ngot = 0;
        if (!t) {
            snprintf(got[0], sizeof got[0], "%s", err.code);
            gotoff[0] = err.offset;
            ngot = 1;
        }
        for (size_t i = 0; t && i < ebts_txn_diag_count(t); i++) {
            const ebts_diag *d = ebts_txn_diag(t, i);
            size_t k;
            for (k = 0; k < ngot && strcmp(got[k], d->code); k++)
                ;
            if (k == ngot && ngot < 128) {
                snprintf(got[ngot], sizeof got[0], "%s", d->code);
                gotoff[ngot++] = d->offset;
            }
        }
        char gs[2048] = "";
        for (size_t k = 0; k < ngot; k++)
            snprintf(gs + strlen(gs), sizeof gs - strlen(gs), " %s@%zu", got[k], gotoff[k]);
        ck_assert_msg(ngot == nwant, "%s: expected %zu codes, got%s", input, nwant, gs);
        for (size_t w = 0; w < nwant; w++) {
            size_t k;
            for (k = 0; k < ngot && strcmp(got[k], want[w]); k++)
                ;
            ck_assert_msg(k < ngot, "%s: missing %s; got%s", input, want[w], gs);
            if (strcmp(wantoff[w], "*") != 0)
                ck_assert_msg(gotoff[k] == strtoull(wantoff[w], NULL, 10),
                              "%s: %s expected at %s, got%s", input, want[w], wantoff[w], gs);
        }
        if (t && pass == 0) {
            /* written back: repaired, every value kept */
            size_t wn;
            unsigned char *wb = tu_write(t, 0, &wn);
            ck_assert_ptr_nonnull(wb);
            ebts_txn *back = ebts_read_buffer(wb, wn, 0, NULL);
            ck_assert_msg(back != NULL, "%s: written output does not read back", input);
            for (size_t i = 0; i < ebts_txn_diag_count(back); i++)
                ck_assert_msg(!repaired_by_writing(ebts_txn_diag(back, i)->code),
                              "%s: written back still has %s", input, ebts_txn_diag(back, i)->code);
            assert_values_kept(input, t, back);
            ebts_txn_free(back);
            ebts_free(wb);
        }
        ebts_txn_free(t);
        free(bytes);
    }
}
END_TEST

START_TEST(published_samples_fail_strict_reads)
{
    char **list;
    size_t n = tu_list("fixtures/samples/published", ".eft", &list);
    ck_assert_uint_eq(n, 4);
    for (size_t i = 0; i < n; i++) {
        ebts_error err = {0};
        ck_assert_ptr_null(ebts_read_file(list[i], EBTS_READ_STRICT, &err));
        ck_assert_ptr_nonnull(err.code);
    }
    tu_free_list(list);
}
END_TEST

START_TEST(fixture_lists_are_complete)
{
    ck_assert_uint_eq(nvalid, 32); /* 4 clean samples + 28 corpus files */
    ck_assert_uint_eq(ntxts, 8);
    ck_assert_uint_ge(ncodes, 44); /* at least 40 hostile inputs + 4 published samples */
}
END_TEST

Suite *suite_conformance(void)
{
    load_lists();
    Suite *s = suite_create("conformance");
    TCase *tc = tcase_create("conformance");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, fixture_lists_are_complete);
    tcase_add_loop_test(tc, valid_file_round_trips, 0, (int)nvalid);
    tcase_add_loop_test(tc, readable_txt_is_its_eft, 0, (int)ntxts);
    tcase_add_loop_test(tc, defects_produce_their_codes, 0, (int)ncodes);
    tcase_add_test(tc, published_samples_fail_strict_reads);
    suite_add_tcase(s, tc);
    return s;
}
