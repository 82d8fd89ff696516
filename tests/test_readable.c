/* The readable notation both ways. */
#include <string.h>
#include "testutil.h"

static ebts_txn *read_readable(const char *s, ebts_error *err)
{
    return ebts_read_buffer(s, strlen(s), EBTS_READ_READABLE, err);
}

START_TEST(tokens_and_layout)
{
    /* newline after a separator token is layout; others are content; <LT> and <HEX:> */
    static const char txt[] = "1.001:45<GS>\n1.002:0500<GS>\n1.003:1<US>0<GS>\n1.004:a<LT>b\nc<HEX:41 42>\n<FS>\n";
    ebts_error err = {0};
    ebts_txn *t = read_readable(txt, &err);
    ck_assert_msg(t != NULL, "%s", err.msg);
    char d[128];
    ck_assert_str_eq(tu_diags(t, d, sizeof d), "");
    ck_assert_str_eq(tu_str(ebts_txn_value(t, 1, 4)), "a<b\ncAB\n");
    size_t n;
    unsigned char *w = tu_write(t, EBTS_FORMAT_READABLE, &n);
    static const char back[] = "1.001:45<GS>\n1.002:0500<GS>\n1.003:1<US>0<GS>\n1.004:a<LT>b\ncAB\n<FS>\n";
    ck_assert_uint_eq(n, sizeof back - 1);
    ck_assert_mem_eq(w, back, n);
    ebts_free(w);
    ebts_txn_free(t);
}
END_TEST

START_TEST(newline_after_us_survives)
{
    /* an item that begins with LF after US: the writer adds a layout newline to keep it */
    ebts_txn *t = ebts_txn_new("0500", NULL);
    ck_assert_int_eq(ebts_txn_set_field(t, 0, 4, "a" US "\nb" RS "\nc", 7, NULL), 0);
    size_t n;
    unsigned char *w = tu_write(t, EBTS_FORMAT_READABLE, &n);
    ebts_txn *back = ebts_read_buffer(w, n, EBTS_READ_READABLE, NULL);
    ck_assert_ptr_nonnull(back);
    ebts_span v = ebts_txn_value(back, 1, 4);
    ck_assert_uint_eq(v.len, 7);
    ck_assert_mem_eq(v.ptr, "a" US "\nb" RS "\nc", 7);
    ebts_txn_free(back);
    ebts_free(w);
    /* the same with CR LF, which the reader also takes as layout (a fuzz finding: lost 2 bytes) */
    ck_assert_int_eq(ebts_txn_set_field(t, 0, 4, "a" US "\r\nb" RS "\r\nc", 9, NULL), 0);
    w = tu_write(t, EBTS_FORMAT_READABLE, &n);
    back = ebts_read_buffer(w, n, EBTS_READ_READABLE, NULL);
    ck_assert_ptr_nonnull(back);
    v = ebts_txn_value(back, 1, 4);
    ck_assert_uint_eq(v.len, 9);
    ck_assert_mem_eq(v.ptr, "a" US "\r\nb" RS "\r\nc", 9);
    ebts_txn_free(back);
    ebts_free(w);
    ebts_txn_free(t);
}
END_TEST

START_TEST(input_is_the_spelled_bytes)
{
    /* a wrong LEN and CNT as written: ebts_txn_input has them, the writer derives its own */
    static const char txt[] = "1.001:99<GS>\n1.002:0500<GS>\n1.003:1<US>7<FS>\n";
    static const char spelled[] = "1.001:99" GS "1.002:0500" GS "1.003:1" US "7" FS;
    ebts_txn *t = read_readable(txt, NULL);
    ck_assert_ptr_nonnull(t);
    ebts_span in = ebts_txn_input(t);
    ck_assert_uint_eq(in.len, sizeof spelled - 1);
    ck_assert_mem_eq(in.ptr, spelled, in.len);
    size_t n;
    unsigned char *w = tu_write(t, EBTS_FORMAT_TRADITIONAL, &n);
    ck_assert(n != in.len || memcmp(w, in.ptr, n) != 0);
    ebts_free(w);
    ck_assert_int_eq(ebts_txn_set_field(t, 0, 4, "SRE", 3, NULL), 0);
    ck_assert_uint_eq(ebts_txn_input(t).len, sizeof spelled - 1);
    ebts_txn_free(t);
    t = ebts_txn_new(NULL, NULL);
    ck_assert_uint_eq(ebts_txn_input(t).len, 0);
    ebts_txn_free(t);
}
END_TEST

START_TEST(detection)
{
    static const char txt[] = "1.001:30<GS>1.002:0500<GS>1.003:1<US>0<FS>";
    ebts_txn *t = ebts_read_buffer(txt, sizeof txt - 1, 0, NULL);
    ck_assert_ptr_nonnull(t);
    ck_assert_str_eq(tu_str(ebts_txn_value(t, 1, 2)), "0500");
    ebts_txn_free(t);
    /* forced traditional: the tokens are text, the record has no FS */
    t = ebts_read_buffer(txt, sizeof txt - 1, EBTS_READ_TRADITIONAL, NULL);
    ck_assert_ptr_nonnull(t);
    ck_assert_uint_gt(ebts_txn_error_count(t, 0), 0);
    ebts_txn_free(t);
}
END_TEST

START_TEST(binary_record_as_hex)
{
    ebts_txn *t = ebts_read_file("fixtures/corpus/nbis/sign_vec.an2", 0, NULL);
    ck_assert_ptr_nonnull(t);
    size_t n, tn;
    unsigned char *w = tu_write(t, EBTS_FORMAT_READABLE, &n);
    unsigned char *trad = tu_write(t, 0, &tn);
    ebts_txn *back = ebts_read_buffer(w, n, EBTS_READ_READABLE, NULL);
    size_t bn;
    unsigned char *bw = tu_write(back, 0, &bn);
    ck_assert_uint_eq(bn, tn);
    ck_assert_mem_eq(bw, trad, tn);
    ebts_free(bw);
    ebts_txn_free(back);
    ebts_free(trad);
    ebts_free(w);
    ebts_txn_free(t);
}
END_TEST

START_TEST(syntax_errors_have_offsets)
{
    ebts_error err = {0};
    ck_assert_ptr_null(read_readable("1.001:9<GS>\n<HEX:0g>", &err));
    ck_assert_str_eq(err.code, "READABLE_SYNTAX");
    ck_assert_uint_eq(err.offset, 18);
    ck_assert_ptr_nonnull(strstr(err.msg, "line 2 column 7"));
}
END_TEST

Suite *suite_readable(void)
{
    Suite *s = suite_create("readable");
    TCase *tc = tcase_create("readable");
    tcase_add_test(tc, tokens_and_layout);
    tcase_add_test(tc, newline_after_us_survives);
    tcase_add_test(tc, detection);
    tcase_add_test(tc, input_is_the_spelled_bytes);
    tcase_add_test(tc, binary_record_as_hex);
    tcase_add_test(tc, syntax_errors_have_offsets);
    suite_add_tcase(s, tc);
    return s;
}
