/* Diagnostics: the line format, strictness, the cap, and errors (first one wins). */
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "testutil.h"
#include "internal.h"

START_TEST(line_format)
{
    ebts_txn *t = ebts_read_file("fixtures/samples/published/idr-iar-match.eft", 0, NULL);
    char line[512];
    const ebts_diag *d = ebts_txn_diag(t, 2);
    ck_assert_str_eq(d->code, "LEADING_SPACE");
    ck_assert_str_eq(ebts_diag_format(d, "x.eft", 0, line, sizeof line),
                     "x.eft:123: warning: LEADING_SPACE 1.010: value begins with a space");
    ck_assert_str_eq(ebts_diag_format(d, "x.eft", 1, line, sizeof line),
                     "x.eft:123: error: LEADING_SPACE 1.010: value begins with a space");
    d = ebts_txn_diag(t, ebts_txn_diag_count(t) - 1);
    ck_assert_str_eq(ebts_diag_format(d, NULL, 0, line, sizeof line),
                     "-:3523: error: RECORD_MISSING: CNT announces a Type-10 record (IDC 1) that is "
                     "not in the input");
    ck_assert_int_eq(d->record, -1);
    ck_assert_uint_eq(ebts_txn_error_count(t, 0), 3);
    ck_assert_uint_eq(ebts_txn_error_count(t, 1), 6);
    ck_assert_str_eq(ebts_diag_format(d, "x", 0, line, 8), "x:3523:"); /* truncated, terminated */
    ebts_txn_free(t);
}
END_TEST

START_TEST(messages_are_printable)
{
    /* a LEN quoting control and high bytes: the message keeps them out */
    static const char in[] = "1.001:1\x01\xff" GS "1.002:0500" GS "1.003:1" US "0" FS;
    ebts_txn *t = TU_READ(in, 0, NULL);
    const ebts_diag *d = ebts_txn_diag(t, 0);
    ck_assert_str_eq(d->code, "LEN_INVALID");
    for (const char *c = d->msg; *c; c++)
        ck_assert((unsigned char)*c >= 0x20 && (unsigned char)*c < 0x7f);
    ck_assert_str_eq(d->msg, "LEN \"1??\" is not a decimal number");
    ebts_txn_free(t);
    /* each byte its own: ' ' and '~' kept, 0x7F and 0x19 replaced (0x7F among eight bytes of
     * the message with no other to replace) */
    static const char edges[] = "1.001:1234567 ~abc\x7f" "defghi\x19" GS "1.002:0500" GS
                                "1.003:1" US "0" FS;
    t = TU_READ(edges, 0, NULL);
    ck_assert_str_eq(ebts_txn_diag(t, 0)->msg,
                     "LEN \"1234567 ~abc?defghi?\" is not a decimal number");
    ebts_txn_free(t);
}
END_TEST

START_TEST(diagnostics_are_capped)
{
    /* 20000 empty fields: 10000 diagnostics, then one TOO_MANY_DIAGNOSTICS */
    size_t n = 20000;
    char *in = malloc(64 + n);
    size_t k = (size_t)sprintf(in, "1.001:30" GS "1.002:0500" GS "1.003:1" US "0" GS);
    memset(in + k, 0x1d, n);
    k += n;
    in[k++] = 0x1c;
    ebts_txn *t = ebts_read_buffer(in, k, 0, NULL);
    ck_assert_uint_eq(ebts_txn_diag_count(t), 10001);
    ck_assert_str_eq(ebts_txn_diag(t, 10000)->code, "TOO_MANY_DIAGNOSTICS");
    ebts_txn_free(t);
    free(in);
}
END_TEST

/* A Type-1 of n fields " X" (one LEADING_SPACE warning each), then a Type-2 whose LEN is wrong
 * (LEN_MISMATCH, an error). With duplicates, n fields 1.100 (DUPLICATE_FIELD warnings, which
 * strict reading does not refuse) instead. malloc'd; *len its length. */
static char *warnings_then_error(size_t n, int duplicates, size_t *len)
{
    char *in = malloc(64 + n * 16);
    size_t k = (size_t)sprintf(in, "1.001:%08u" GS "1.002:0500" GS "1.003:1" US "1" RS "2" US "00", 0);
    for (size_t i = 0; i < n; i++)
        k += duplicates ? (size_t)sprintf(in + k, GS "1.100:X")
                        : (size_t)sprintf(in + k, GS "1.%zu: X", 100 + i);
    in[k++] = 0x1c;
    char lenbuf[16];
    snprintf(lenbuf, sizeof lenbuf, "%08zu", k);
    memcpy(in + 6, lenbuf, 8);
    k += (size_t)sprintf(in + k, "2.001:99" GS "2.002:00" FS);
    *len = k;
    return in;
}

START_TEST(capped_findings_still_count)
{
    /* 10 050 warnings, then an error: the list keeps 10 000 and a note, the counts keep all */
    size_t k;
    char *in = warnings_then_error(10050, 0, &k);
    ebts_txn *t = ebts_read_buffer(in, k, 0, NULL);
    ck_assert_ptr_nonnull(t);
    ck_assert_uint_eq(ebts_txn_diag_count(t), 10001);
    ck_assert_uint_eq(ebts_txn_error_count(t, 0), 1);
    ck_assert_uint_eq(ebts_txn_error_count(t, 1), 10051);
    const ebts_diag *note = NULL;
    for (size_t i = 0; i < ebts_txn_diag_count(t); i++)
        if (strcmp(ebts_txn_diag(t, i)->code, "TOO_MANY_DIAGNOSTICS") == 0)
            note = ebts_txn_diag(t, i);
    ck_assert_ptr_nonnull(note);
    ck_assert_str_eq(note->msg, "51 more findings not kept (1 error, 50 warnings): "
                                "the list stops at 10000");
    ebts_report *r = ebts_validate(t, NULL, NULL);
    ck_assert_ptr_nonnull(r);
    ck_assert_uint_eq(ebts_report_count(r), 10001);
    ck_assert_uint_ge(ebts_report_error_count(r, 0), 1);
    ck_assert_uint_gt(ebts_report_finding_count(r), 10051);
    ck_assert_uint_eq(ebts_report_error_count(r, 1), ebts_report_finding_count(r));
    ebts_report_free(r);
    ebts_txn_free(t);
    free(in);
    /* strict reading refuses an error beyond the kept list */
    in = warnings_then_error(10050, 1, &k);
    t = ebts_read_buffer(in, k, 0, NULL);
    ck_assert_ptr_nonnull(t);
    ck_assert_str_eq(ebts_txn_diag(t, 0)->code, "DUPLICATE_FIELD");
    ck_assert_uint_eq(ebts_txn_error_count(t, 1), 1);
    ebts_txn_free(t);
    ebts_error err = {0};
    ck_assert_ptr_null(ebts_read_buffer(in, k, EBTS_READ_STRICT, &err));
    ck_assert_str_eq(err.code, "LEN_MISMATCH");
    free(in);
}
END_TEST

START_TEST(first_error_wins)
{
    ebts_error err = {0};
    ck_assert_ptr_null(ebts_read_buffer("", 0, 0, &err));
    ck_assert_ptr_null(ebts_read_file("fixtures/none", 0, &err));
    ck_assert_str_eq(err.code, "EMPTY_INPUT");
    ck_assert_str_eq(ebts_severity_name(EBTS_SEV_ERROR), "error");
    ck_assert_str_eq(ebts_severity_name(EBTS_SEV_WARNING), "warning");
}
END_TEST

START_TEST(sort_is_stable_and_merges_passes)
{
    /* Two passes appended one after the other, as validation does (per-field findings, then
     * per-record ones), with equal offsets across and within passes, and lengths around the
     * insertion-sorted run of 16. item holds the order of appending. */
    static const size_t sizes[] = {0, 1, 2, 15, 16, 17, 33, 1000, 6001};
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        size_t n = sizes[s];
        ebts__dlist l;
        memset(&l, 0, sizeof l);
        l.d = calloc(n ? n : 1, sizeof(ebts_diag));
        l.n = l.cap = n;
        for (size_t i = 0; i < n; i++) {
            size_t half = (n + 1) / 2;
            l.d[i].offset = i < half ? (i / 3) * 10 : ((i - half) / 2) * 10 + 5 * (i % 2);
            l.d[i].item = (long)i;
        }
        ebts__dlist_sort(&l);
        for (size_t i = 1; i < n; i++) {
            ck_assert_uint_le(l.d[i - 1].offset, l.d[i].offset);
            if (l.d[i - 1].offset == l.d[i].offset)
                ck_assert_int_lt(l.d[i - 1].item, l.d[i].item);
        }
        unsigned char *seen = calloc(n ? n : 1, 1);
        for (size_t i = 0; i < n; i++)
            seen[l.d[i].item]++;
        for (size_t i = 0; i < n; i++)
            ck_assert_int_eq(seen[i], 1);
        free(seen);
        free(l.d);
    }
}
END_TEST

/* snprintf through a va_list: the bytes a message must hold */
static void want_of(char *out, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out, size, fmt, ap);
    va_end(ap);
}

/* Messages are formatted without vsnprintf for the conversions they use most: the bytes must
 * be snprintf's, to the last one kept (a message holds 199). */
START_TEST(messages_format_as_snprintf)
{
    ebts__dlist l;
    memset(&l, 0, sizeof l);
    char want[sizeof l.d->msg], big[300];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = 0;
    const char *volatile null = NULL; /* not seen as NULL by the format checks */
    ebts__diag_add(&l, EBTS__C_LEN_MISMATCH, EBTS__AT_FILE(0), "%d %d %u %ld %ld %lu %zu 100%%", -7,
                   INT_MIN, UINT_MAX, LONG_MIN, 0L, ULONG_MAX, SIZE_MAX);
    want_of(want, sizeof want, "%d %d %u %ld %ld %lu %zu 100%%", -7, INT_MIN, UINT_MAX, LONG_MIN,
             0L, ULONG_MAX, SIZE_MAX);
    ck_assert_str_eq(l.d[0].msg, want);
    ebts__diag_add(&l, EBTS__C_LEN_MISMATCH, EBTS__AT_FILE(0), "[%.*s|%.*s|%s|%s]", 3, "abcdef", -1,
                   "xy", "", null);
    want_of(want, sizeof want, "[%.*s|%.*s|%s|%s]", 3, "abcdef", -1, "xy", "", null);
    ck_assert_str_eq(l.d[1].msg, want);
    ebts__diag_add(&l, EBTS__C_LEN_MISMATCH, EBTS__AT_FILE(0), "%s %u", big, 12345u);
    want_of(want, sizeof want, "%s %u", big, 12345u);
    ck_assert_uint_eq(strlen(l.d[2].msg), sizeof want - 1);
    ck_assert_str_eq(l.d[2].msg, want);
    ebts__diag_add(&l, EBTS__C_LEN_MISMATCH, EBTS__AT_FILE(0), "%.195s %zu", big, (size_t)98765);
    want_of(want, sizeof want, "%.195s %zu", big, (size_t)98765);
    ck_assert_str_eq(l.d[3].msg, want); /* a number cut in its middle */
    ebts__diag_add(&l, EBTS__C_LEN_MISMATCH, EBTS__AT_FILE(0), "%x, not quick", 255u);
    ck_assert_str_eq(l.d[4].msg, "ff, not quick");
    free(l.d);
}
END_TEST

Suite *suite_diag(void)
{
    Suite *s = suite_create("diag");
    TCase *tc = tcase_create("diag");
    tcase_add_test(tc, line_format);
    tcase_add_test(tc, messages_are_printable);
    tcase_add_test(tc, messages_format_as_snprintf);
    tcase_add_test(tc, diagnostics_are_capped);
    tcase_add_test(tc, capped_findings_still_count);
    tcase_add_test(tc, first_error_wins);
    tcase_add_test(tc, sort_is_stable_and_merges_passes);
    suite_add_tcase(s, tc);
    return s;
}
