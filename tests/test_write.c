#define _GNU_SOURCE 1
/* The writer: LEN as a fixed point, CNT derived, original spellings kept where still right,
 * defects repaired with every value kept. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "testutil.h"
#include "internal.h"

/* Build a Type-1-only transaction whose record has `pad` bytes in 1.004, and check the
 * written LEN counts its own digits. */
START_TEST(len_is_a_fixed_point_across_digit_boundaries)
{
    for (size_t pad = 0; pad < 1100; pad++) {
        ebts_txn *t = ebts_txn_new("0500", NULL);
        char *v = malloc(pad + 1);
        memset(v, 'A', pad);
        if (pad)
            ck_assert_int_eq(ebts_txn_set_field(t, 0, 4, v, pad, NULL), 0);
        free(v);
        size_t n;
        unsigned char *w = tu_write(t, 0, &n);
        ck_assert_ptr_nonnull(w);
        ck_assert_int_eq(atoi((const char *)w + 6), (int)n);
        ck_assert_int_eq(w[n - 1], 0x1c);
        ebts_txn *back = ebts_read_buffer(w, n, EBTS_READ_STRICT, NULL);
        ck_assert_ptr_nonnull(back);
        ebts_txn_free(back);
        ebts_free(w);
        ebts_txn_free(t);
    }
}
END_TEST

START_TEST(wrong_len_spelling_is_replaced_right_one_kept)
{
    /* a correct zero-padded LEN is kept; a wrong one is written plain */
    static const char ok[] = "1.001:00033" GS "1.002:0500" GS "1.003:1" US "0" FS;
    static const char bad[] = "1.001:00099" GS "1.002:0500" GS "1.003:1" US "0" FS;
    static const char fixed[] = "1.001:30" GS "1.002:0500" GS "1.003:1" US "0" FS;
    size_t n;
    ebts_txn *t = TU_READ(ok, 0, NULL);
    char d[128];
    ck_assert_str_eq(tu_diags(t, d, sizeof d), "");
    unsigned char *w = tu_write(t, 0, &n);
    ck_assert_uint_eq(n, sizeof ok - 1);
    ck_assert_mem_eq(w, ok, n);
    ebts_free(w);
    ebts_txn_free(t);
    t = TU_READ(bad, 0, NULL);
    ck_assert_str_eq(tu_diags(t, d, sizeof d), "LEN_MISMATCH@0");
    w = tu_write(t, 0, &n);
    ck_assert_uint_eq(n, sizeof fixed - 1);
    ck_assert_mem_eq(w, fixed, n);
    ebts_free(w);
    ebts_txn_free(t);
}
END_TEST

START_TEST(cnt_is_derived_from_the_records)
{
    /* CNT announces a Type-10 that is absent: written CNT lists only what is there */
    static const char in[] = "1.001:42" GS "1.002:0500" GS "1.003:1" US "02" RS "2" US "00" RS "10" US "01" FS
                             "2.001:18" GS "2.002:00" FS;
    ebts_txn *t = TU_READ(in, 0, NULL);
    char d[128];
    ck_assert_str_eq(tu_diags(t, d, sizeof d), "RECORD_MISSING@60");
    size_t n;
    unsigned char *w = tu_write(t, 0, &n);
    static const char out[] = "1.001:36" GS "1.002:0500" GS "1.003:1" US "01" RS "2" US "00" FS
                              "2.001:18" GS "2.002:00" FS;
    ck_assert_uint_eq(n, sizeof out - 1);
    ck_assert_mem_eq(w, out, n);
    ebts_free(w);
    ebts_txn_free(t);
}
END_TEST

START_TEST(missing_cnt_and_len_are_supplied)
{
    static const char in[] = "1.001:20" GS "1.002:0500" FS "2.002:00" GS "2.018:X" FS;
    ebts_txn *t = TU_READ(in, 0, NULL);
    char d[256];
    ck_assert_str_eq(tu_diags(t, d, sizeof d), "CNT_MISSING@0 LEN_MISSING@20 RECORD_NOT_IN_CNT@20");
    size_t n;
    unsigned char *w = tu_write(t, 0, &n);
    static const char out[] = "1.001:35" GS "1.002:0500" GS "1.003:1" US "1" RS "2" US "00" FS
                              "2.001:26" GS "2.002:00" GS "2.018:X" FS;
    ck_assert_uint_eq(n, sizeof out - 1);
    ck_assert_mem_eq(w, out, n);
    ebts_txn *back = ebts_read_buffer(w, n, EBTS_READ_STRICT, NULL);
    ck_assert_ptr_nonnull(back);
    ebts_txn_free(back);
    ebts_free(w);
    ebts_txn_free(t);
}
END_TEST

static void fixture_pair(const char *name, unsigned fix, int expect_equal)
{
    char a[256], b[256];
    snprintf(a, sizeof a, "fixtures/samples/published/%s.eft", name);
    snprintf(b, sizeof b, "fixtures/samples/clean/%s.eft", name);
    ebts_txn *t = ebts_read_file(a, 0, NULL);
    ck_assert_ptr_nonnull(t);
    if (fix)
        ck_assert_int_ge(ebts_txn_fix(t, fix, NULL), 0);
    size_t n, cn;
    unsigned char *w = tu_write(t, 0, &n);
    unsigned char *clean = tu_slurp(b, &cn);
    ck_assert_ptr_nonnull(clean);
    if (expect_equal) {
        ck_assert_uint_eq(n, cn);
        ck_assert_mem_eq(w, clean, n);
    }
    /* whatever the repairs, the result reads back without framing defects */
    ebts_txn *back = ebts_read_buffer(w, n, 0, NULL);
    char d[512];
    for (size_t i = 0; i < ebts_txn_diag_count(back); i++) {
        const char *c = ebts_txn_diag(back, i)->code;
        ck_assert_msg(!strcmp(c, "SHORT_TAG") || !strcmp(c, "NON_ASCII") ||
                          !strcmp(c, "LEADING_SPACE"),
                      "%s written back still has %s", name, tu_diags(back, d, sizeof d));
    }
    ebts_txn_free(back);
    free(clean);
    ebts_free(w);
    ebts_txn_free(t);
}

START_TEST(published_errt_written_is_the_clean_errt)
{
    fixture_pair("errt-doa", 0, 1);
    fixture_pair("errt-amputated", 0, 1);
}
END_TEST

START_TEST(published_nomatch_fixed_is_repaired)
{
    /* LEN, the RS after CNT and the final FS are repaired; --fix makes the quotes ASCII */
    fixture_pair("idr-nomatch", EBTS_FIX_ALL, 0);
    ebts_txn *t = ebts_read_file("fixtures/samples/published/idr-nomatch.eft", 0, NULL);
    ck_assert_int_eq(ebts_txn_fix(t, EBTS_FIX_ALL, NULL), 1);
    ebts_span v = ebts_txn_value(t, 2, 75);
    ck_assert_ptr_nonnull(memmem(v.ptr, v.len, "section 222(f): \"The records", 28));
    ck_assert_ptr_nonnull(memmem(v.ptr, v.len, "United States....\"", 18));
    for (size_t i = 0; i < v.len; i++)
        ck_assert_int_lt(v.ptr[i], 0x80);
    ebts_txn_free(t);
}
END_TEST

START_TEST(published_match_keeps_every_value)
{
    fixture_pair("idr-iar-match", EBTS_FIX_LEADING_SPACE, 0);
    ebts_txn *pub = ebts_read_file("fixtures/samples/published/idr-iar-match.eft", 0, NULL);
    ck_assert_str_eq(tu_str(ebts_txn_value(pub, 1, 10)), " 42046114892");
    ck_assert_int_eq(ebts_txn_fix(pub, EBTS_FIX_LEADING_SPACE, NULL), 3);
    ck_assert_str_eq(tu_str(ebts_txn_value(pub, 1, 10)), "42046114892");
    ck_assert_str_eq(tu_str(ebts_txn_value(pub, 2, 73)), "TX1081100");
    ebts_txn_free(pub);
}
END_TEST

/* A clean Type-1 + Type-2 transaction, as written bytes. */
static unsigned char *clean_pair(size_t *n)
{
    ebts_txn *t = ebts_txn_new("0500", NULL);
    ck_assert_int_eq(ebts_txn_insert_record(t, 1, 2, 0, NULL), 0);
    ck_assert_int_eq(ebts_txn_set_field(t, 1, 18, "DOE,JOHN", 8, NULL), 0);
    ck_assert_int_eq(ebts_txn_set_field(t, 1, 20, "A" US "B" RS "C" US "D", 7, NULL), 0);
    unsigned char *w = tu_write(t, 0, n);
    ebts_txn_free(t);
    return w;
}

/* The value of 2.020 after writing t and reading it back. */
static const char *written_2020(const ebts_txn *t)
{
    size_t n;
    unsigned char *w = tu_write(t, 0, &n);
    ebts_txn *back = ebts_read_buffer(w, n, EBTS_READ_STRICT, NULL);
    ck_assert_ptr_nonnull(back);
    const char *v = tu_str(ebts_txn_value(back, 2, 20));
    ebts_txn_free(back);
    ebts_free(w);
    return v;
}

START_TEST(records_read_clean_are_copied_and_edits_rewrite_them)
{
    size_t n;
    unsigned char *in = clean_pair(&n);
    ebts_txn *t = ebts_read_buffer(in, n, EBTS_READ_STRICT, NULL);
    ck_assert_uint_eq(ebts_txn_diag_count(t), 0);
    /* both records are copied (Type-1 too: its CNT matched the records), and copying gives
     * what writing them field by field gives */
    for (size_t ri = 0; ri < 2; ri++) {
        ck_assert_ptr_nonnull(t->recs[ri]->span);
        ebts__buf b = {0};
        ebts__write_record_fields(t, ri, &b);
        ck_assert_uint_eq(b.len, t->recs[ri]->spanlen);
        ck_assert_mem_eq(b.p, t->recs[ri]->span, b.len);
        free(b.p);
    }
    ck_assert_str_eq(written_2020(t), "A" US "B" RS "C" US "D");
    ebts_txn_free(t);
    /* a finding while reading (here a LEN one too long) leaves the record to the field writer */
    unsigned char *bad = malloc(n);
    memcpy(bad, in, n);
    unsigned char *len2 = memmem(bad, n, FS "2.001:", 7);
    ck_assert_ptr_nonnull(len2);
    len2[7]++;
    t = ebts_read_buffer(bad, n, 0, NULL);
    ck_assert_ptr_null(t->recs[1]->span);
    ck_assert_ptr_null(t->recs[0]->span); /* a finding anywhere: CNT is derived again */
    ebts_txn_free(t);
    /* a CNT that announces another IDC than the record has: Type-1 is written anew */
    memcpy(bad, in, n);
    unsigned char *cnt = memmem(bad, n, RS "2" US "00" GS, 5);
    ck_assert_ptr_nonnull(cnt);
    cnt[4] = '7';
    t = ebts_read_buffer(bad, n, 0, NULL);
    ck_assert_ptr_null(t->recs[0]->span);
    ck_assert_ptr_nonnull(t->recs[1]->span);
    size_t m;
    unsigned char *w = tu_write(t, 0, &m);
    ck_assert_uint_eq(m, n);
    ck_assert_mem_eq(w, in, n); /* CNT's IDC derived from the record */
    ebts_free(w);
    ebts_txn_free(t);
    free(bad);
    /* every kind of edit of the record: the written bytes show it */
    for (int k = 0; k < 12; k++) {
        t = ebts_read_buffer(in, n, EBTS_READ_STRICT, NULL);
        ck_assert_ptr_nonnull(t->recs[1]->span);
        const char *want = NULL;
        int rc = 0;
        switch (k) {
        case 0:
            rc = ebts_txn_set_field(t, 1, 20, "X", 1, NULL), want = "X";
            break;
        case 1:
            rc = ebts_txn_set_item(t, 1, 20, 1, 0, "X", 1, NULL), want = "A" US "B" RS "X" US "D";
            break;
        case 2:
            rc = ebts_txn_insert_item(t, 1, 20, 0, 2, "X", 1, NULL),
            want = "A" US "B" US "X" RS "C" US "D";
            break;
        case 3:
            rc = ebts_txn_delete_item(t, 1, 20, 0, 0, NULL), want = "B" RS "C" US "D";
            break;
        case 4:
            rc = ebts_txn_insert_subfield(t, 1, 20, 2, "X", 1, NULL),
            want = "A" US "B" RS "C" US "D" RS "X";
            break;
        case 5:
            rc = ebts_txn_delete_subfield(t, 1, 20, 0, NULL), want = "C" US "D";
            break;
        case 6:
            rc = ebts_txn_delete_field(t, 1, 20, NULL), want = "";
            break;
        case 7:
            rc = ebts_txn_insert_field(t, 1, 2, 19, "Y", 1, NULL), want = "A" US "B" RS "C" US "D";
            break;
        case 8:
            rc = ebts_txn_redact(t, NULL), want = "*" US "*" RS "*" US "*";
            break;
        case 9:
            rc = ebts_txn_insert_record(t, 2, 2, 1, NULL), want = "A" US "B" RS "C" US "D";
            break;
        case 10:
            rc = ebts_txn_insert_record(t, 2, 2, 1, NULL) ||
                 ebts_txn_delete_record(t, 2, NULL) || ebts_txn_delete_record(t, 1, NULL);
            want = "";
            break;
        case 11: /* the record's IDC: CNT follows it */
            rc = ebts_txn_set_field(t, 1, 2, "05", 2, NULL), want = "A" US "B" RS "C" US "D";
            break;
        }
        ck_assert_int_eq(rc, 0);
        ck_assert_ptr_null(t->recs[0]->span);
        ck_assert((k >= 9 && k <= 10) || t->recs[1]->span == NULL);
        ck_assert_str_eq(written_2020(t), want);
        if (k == 9 || k == 10) { /* CNT follows the records */
            size_t m2;
            unsigned char *w2 = tu_write(t, 0, &m2);
            ebts_txn *back = ebts_read_buffer(w2, m2, EBTS_READ_STRICT, NULL);
            ck_assert_ptr_nonnull(back);
            ck_assert_uint_eq(ebts_txn_record_count(back), k == 9 ? 3 : 1);
            ebts_txn_free(back);
            ebts_free(w2);
        }
        if (k == 11) {
            w = tu_write(t, 0, &m);
            ck_assert_ptr_nonnull(memmem(w, m, RS "2" US "05" GS, 5));
            ebts_free(w);
        }
        if (k == 7) {
            w = tu_write(t, 0, &m);
            ck_assert_uint_eq(m, n + 8); /* "2.019:Y" and its GS */
            ck_assert_ptr_nonnull(memmem(w, m, GS "2.019:Y" GS, 8));
            ebts_free(w);
        }
        ebts_txn_free(t);
    }
    ebts_free(in);
}
END_TEST

/* Every fixture: each record copied as read is what the field writer gives for it. */
START_TEST(copied_records_match_the_field_writer_over_fixtures)
{
    char **files;
    size_t nf = tu_list("fixtures", ".eft;.an2;.an2k;.ebts;.gz;.txt;.xml", &files), copied = 0;
    for (size_t i = 0; i < nf; i++) {
        ebts_txn *t = ebts_read_file(files[i], 0, NULL);
        for (size_t ri = 0; t && ri < t->nrecs; ri++) {
            const ebts_record *r = t->recs[ri];
            if (!r->span)
                continue;
            ebts__buf b = {0};
            ebts__write_record_fields(t, ri, &b);
            ck_assert_msg(b.len == r->spanlen && memcmp(b.p, r->span, b.len) == 0,
                          "%s record %zu", files[i], ri);
            free(b.p);
            copied++;
        }
        ebts_txn_free(t);
    }
    tu_free_list(files);
    ck_assert_uint_gt(copied, 100);
}
END_TEST

Suite *suite_write(void)
{
    Suite *s = suite_create("write");
    TCase *tc = tcase_create("write");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, len_is_a_fixed_point_across_digit_boundaries);
    tcase_add_test(tc, wrong_len_spelling_is_replaced_right_one_kept);
    tcase_add_test(tc, cnt_is_derived_from_the_records);
    tcase_add_test(tc, missing_cnt_and_len_are_supplied);
    tcase_add_test(tc, published_errt_written_is_the_clean_errt);
    tcase_add_test(tc, published_nomatch_fixed_is_repaired);
    tcase_add_test(tc, published_match_keeps_every_value);
    tcase_add_test(tc, records_read_clean_are_copied_and_edits_rewrite_them);
    tcase_add_test(tc, copied_records_match_the_field_writer_over_fixtures);
    suite_add_tcase(s, tc);
    return s;
}
