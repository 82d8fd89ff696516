/* JSON rendering: shapes scripts rely on. */
#define _GNU_SOURCE 1
#include <stdlib.h>
#include <string.h>
#include "testutil.h"

static char *json_of(const ebts_txn *t, unsigned flags)
{
    size_t n;
    unsigned char *w = tu_write(t, EBTS_FORMAT_JSON | flags, &n);
    ck_assert_ptr_nonnull(w);
    char *s = malloc(n + 1);
    memcpy(s, w, n);
    s[n] = 0;
    ebts_free(w);
    return s;
}

/* Brackets balance outside strings and every string closes: a cheap well-formedness check. */
static void assert_balanced(const char *s)
{
    int depth = 0, in = 0;
    for (; *s; s++) {
        if (in) {
            if (*s == '\\')
                s++;
            else if (*s == '"')
                in = 0;
            else
                ck_assert_int_ge((unsigned char)*s, 0x20);
            continue;
        }
        if (*s == '"')
            in = 1;
        else if (*s == '{' || *s == '[')
            depth++;
        else if (*s == '}' || *s == ']')
            ck_assert_int_ge(--depth, 0);
    }
    ck_assert_int_eq(in, 0);
    ck_assert_int_eq(depth, 0);
}

START_TEST(shapes_of_fields)
{
    ebts_txn *t = ebts_read_file("fixtures/samples/clean/idr-iar-match.eft", 0, NULL);
    char *j = json_of(t, 0);
    assert_balanced(j);
    ck_assert_ptr_nonnull(strstr(j, "{\"tag\":\"2.018\",\"value\":\"TEST,TEST\"}"));
    ck_assert_ptr_nonnull(strstr(j, "{\"tag\":\"1.03\",\"subfields\":[[\"1\",\"02\"],[\"2\",\"00\"],[\"10\",\"01\"]]}"));
    ck_assert_ptr_nonnull(strstr(j, "{\"tag\":\"10.999\",\"binary\":true,\"length\":"));
    ck_assert_ptr_nonnull(strstr(j, "\"crc32\":\""));
    ck_assert_ptr_null(strstr(j, "\"base64\""));
    ck_assert_ptr_nonnull(strstr(j, "\"diagnostics\":["));
    free(j);
    j = json_of(t, EBTS_WRITE_BASE64 | EBTS_WRITE_NO_DIAGS);
    ck_assert_ptr_nonnull(strstr(j, "\"base64\":\"/9j/"));
    ck_assert_ptr_null(strstr(j, "\"diagnostics\""));
    free(j);
    ebts_txn_free(t);
}
END_TEST

START_TEST(items_and_escapes)
{
    ebts_txn *t = ebts_txn_new("0500", NULL);
    ebts_txn_set_field(t, 0, 4, "a" US "b\"\\\n", 6, NULL);
    ebts_txn_set_field(t, 0, 5, "caf\xc3\xa9 \xff", 7, NULL);
    char *j = json_of(t, 0);
    assert_balanced(j);
    ck_assert_ptr_nonnull(strstr(j, "{\"tag\":\"1.004\",\"items\":[\"a\",\"b\\\"\\\\\\n\"]}"));
    ck_assert_ptr_nonnull(strstr(j, "\"value\":\"caf\xc3\xa9 \\u00ff\",\"invalid_utf8\":true}"));
    free(j);
    ebts_txn_free(t);
}
END_TEST

START_TEST(diagnostics_and_binary_records)
{
    ebts_txn *t = ebts_read_file("fixtures/samples/published/idr-nomatch.eft", 0, NULL);
    char *j = json_of(t, 0);
    assert_balanced(j);
    ck_assert_ptr_nonnull(strstr(j, "{\"code\":\"SEPARATOR_BEFORE_TAG\",\"severity\":\"error\","
                                    "\"recovered\":true,\"offset\":33,\"record\":0,\"tag\":\"1.003\","
                                    "\"message\":"));
    free(j);
    ebts_txn_free(t);
    t = ebts_read_file("fixtures/corpus/jnbis/type-4-14-slaps.an2", 0, NULL);
    j = json_of(t, 0);
    assert_balanced(j);
    ck_assert_ptr_nonnull(strstr(j, "\"type\":4,\"offset\":252,\"idc\":1,\"header\":{\"imp\":"));
    free(j);
    ebts_txn_free(t);
}
END_TEST

Suite *suite_json(void)
{
    Suite *s = suite_create("json");
    TCase *tc = tcase_create("json");
    tcase_add_test(tc, shapes_of_fields);
    tcase_add_test(tc, items_and_escapes);
    tcase_add_test(tc, diagnostics_and_binary_records);
    suite_add_tcase(s, tc);
    return s;
}
