#define _GNU_SOURCE 1
/* The writer: LEN as a fixed point, CNT derived, original spellings kept where still right,
 * defects repaired with every value kept. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "testutil.h"

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
    suite_add_tcase(s, tc);
    return s;
}
