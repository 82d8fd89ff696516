/* The readable notation both ways. */
#include <stdlib.h>
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

/* The clean match sample written with `flags`; *n gets the length. */
static unsigned char *write_match(unsigned flags, size_t *n, unsigned char **eft, size_t *eftlen)
{
    *eft = tu_slurp("fixtures/samples/clean/idr-iar-match.eft", eftlen);
    ck_assert_ptr_nonnull(*eft);
    ebts_txn *t = ebts_read_buffer(*eft, *eftlen, 0, NULL);
    ck_assert_ptr_nonnull(t);
    unsigned char *w = NULL;
    ck_assert_int_eq(ebts_write_buffer(t, flags, &w, n, NULL), 0);
    ebts_txn_free(t);
    return w;
}

static int contains(const unsigned char *p, size_t n, const char *s)
{
    size_t k = strlen(s);
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(p + i, s, k) == 0)
            return 1;
    return 0;
}

START_TEST(mnemonics_are_read_back)
{
    size_t n, eftlen, back;
    unsigned char *eft;
    unsigned char *w = write_match(EBTS_FORMAT_READABLE | EBTS_WRITE_MNEMONICS, &n, &eft, &eftlen);
    ck_assert_msg(contains(w, n, "1.01 LEN:157<GS>\n1.02 VER:0201<GS>\n"), "%.*s", 80, w);
    ck_assert(contains(w, n, "<GS>\n2.018 NAM:TEST,TEST<GS>\n"));
    ck_assert(contains(w, n, "<GS>\n10.999 DATA:<HEX:ffd8ffe0"));
    ck_assert(contains(w, n, "<FS>\n2.001 LEN:3364<GS>\n2.002 IDC:00<GS>"));
    ebts_error err = {0};
    ebts_txn *t = ebts_read_buffer(w, n, 0, &err);
    ck_assert_msg(t != NULL, "%s", err.msg);
    unsigned char *tw = tu_write(t, EBTS_FORMAT_TRADITIONAL, &back);
    ck_assert_uint_eq(back, eftlen);
    ck_assert_mem_eq(tw, eft, back);
    ebts_free(tw);
    ebts_txn_free(t);
    ebts_free(w);
    free(eft);
}
END_TEST

START_TEST(mnemonic_must_be_the_tags)
{
    static const char txt[] = "1.001 LEN:30<GS>\n1.002 IDC:0500<GS>\n1.003:1<US>0<FS>\n";
    ebts_error err = {0};
    ck_assert_ptr_null(read_readable(txt, &err));
    ck_assert_str_eq(err.code, "READABLE_SYNTAX");
    ck_assert_uint_eq(err.offset, 23);
    ck_assert_msg(strstr(err.msg, "line 2 column 7") && strstr(err.msg, "VER"), "%s", err.msg);
    /* a field the table does not name takes no mnemonic */
    static const char unknown[] = "1.001:30<GS>\n1.002:0500<GS>\n1.003:1<US>0<GS>\n1.777 XYZ:1<FS>\n";
    ck_assert_ptr_null(read_readable(unknown, &err));
    ck_assert_str_eq(err.code, "READABLE_SYNTAX");
}
END_TEST

START_TEST(raw_bytes_like_a_named_tag_survive)
{
    /* a malformed field whose bytes look like "T.N MNEM:" keeps its space with mnemonics on */
    static const unsigned char eft[] = "1.001:24" GS "1.002:0500" GS "1.003:1" US "0" GS
                                       "1.004 TOT:x" FS;
    ebts_txn *t = ebts_read_buffer(eft, sizeof eft - 1, EBTS_READ_TRADITIONAL, NULL);
    ck_assert_ptr_nonnull(t);
    size_t n, n0, n1;
    unsigned char *w = tu_write(t, EBTS_FORMAT_READABLE | EBTS_WRITE_MNEMONICS, &n);
    unsigned char *want = tu_write(t, EBTS_FORMAT_TRADITIONAL, &n0);
    ebts_txn *back = ebts_read_buffer(w, n, EBTS_READ_READABLE, NULL);
    ck_assert_ptr_nonnull(back);
    unsigned char *got = tu_write(back, EBTS_FORMAT_TRADITIONAL, &n1);
    ck_assert_uint_eq(n1, n0);
    ck_assert_mem_eq(got, want, n0);
    ebts_free(got);
    ebts_free(want);
    ebts_free(w);
    ebts_txn_free(back);
    ebts_txn_free(t);
}
END_TEST

START_TEST(summary_is_refused_on_read)
{
    size_t n, eftlen;
    unsigned char *eft;
    unsigned char *w = write_match(EBTS_FORMAT_READABLE | EBTS_WRITE_MNEMONICS | EBTS_WRITE_SUMMARY,
                                   &n, &eft, &eftlen);
    ck_assert(contains(w, n, "<GS>\n10.999 DATA:<SUMMARY 888 bytes, JPEG 48x64, CRC-32 "));
    ck_assert(!contains(w, n, "<HEX:"));
    ck_assert(contains(w, n, "2.018 NAM:TEST,TEST<GS>"));
    ebts_error err = {0};
    ck_assert_ptr_null(ebts_read_buffer(w, n, 0, &err));
    ck_assert_str_eq(err.code, "READABLE_SUMMARY");
    ck_assert_msg(strstr(err.msg, "888 bytes") != NULL, "%s", err.msg);
    ck_assert(err.offset > 0 && err.offset < n && w[err.offset] == '<');
    ebts_free(w);
    free(eft);
    /* without flags: every byte, no mnemonic (the .txt fixtures' form) */
    size_t tn;
    w = write_match(EBTS_FORMAT_READABLE, &n, &eft, &eftlen);
    unsigned char *txt = tu_slurp("fixtures/samples/clean/idr-iar-match.txt", &tn);
    ck_assert_uint_eq(n, tn);
    ck_assert_mem_eq(w, txt, n);
    free(txt);
    ebts_free(w);
    free(eft);
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
    tcase_add_test(tc, mnemonics_are_read_back);
    tcase_add_test(tc, mnemonic_must_be_the_tags);
    tcase_add_test(tc, raw_bytes_like_a_named_tag_survive);
    tcase_add_test(tc, summary_is_refused_on_read);
    tcase_add_test(tc, binary_record_as_hex);
    tcase_add_test(tc, syntax_errors_have_offsets);
    suite_add_tcase(s, tc);
    return s;
}
