#define _GNU_SOURCE 1
/* Edits: fields, subfields, items and records; what the writer makes of them. */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include "testutil.h"
#include "internal.h"

static ebts_txn *sample(void)
{
    ebts_txn *t = ebts_txn_new("0500", NULL);
    ck_assert_ptr_nonnull(t);
    ck_assert_int_eq(ebts_txn_set_field(t, 0, 4, "SRE", 3, NULL), 0);
    ck_assert_int_eq(ebts_txn_insert_record(t, 1, 2, 0, NULL), 0);
    ck_assert_int_eq(ebts_txn_set_field(t, 1, 18, "DOE,JOHN", 8, NULL), 0);
    ck_assert_int_eq(ebts_txn_set_field(t, 1, 20, "US" RS "CA" US "LA", 8, NULL), 0);
    return t;
}

static const char *written(const ebts_txn *t)
{
    static char buf[1024];
    size_t n;
    unsigned char *w = tu_write(t, EBTS_FORMAT_READABLE, &n);
    ck_assert_ptr_nonnull(w);
    ck_assert_uint_lt(n, sizeof buf);
    memcpy(buf, w, n);
    buf[n] = 0;
    ebts_free(w);
    return buf;
}

START_TEST(build_from_scratch)
{
    ebts_txn *t = sample();
    ck_assert_str_eq(written(t), "1.001:45<GS>\n1.002:0500<GS>\n1.003:1<US>1<RS>\n2<US>00<GS>\n"
                                 "1.004:SRE<FS>\n2.001:48<GS>\n2.002:00<GS>\n2.018:DOE,JOHN<GS>\n"
                                 "2.020:US<RS>\nCA<US>LA<FS>\n");
    ebts_txn_free(t);
}
END_TEST

START_TEST(item_and_subfield_edits)
{
    ebts_txn *t = sample();
    ck_assert_int_eq(ebts_txn_set_item(t, 1, 20, 1, 1, "SF", 2, NULL), 0);
    ck_assert_int_eq(ebts_txn_insert_item(t, 1, 20, 0, 1, "X", 1, NULL), 0);
    ck_assert_int_eq(ebts_txn_insert_subfield(t, 1, 20, 2, "MX" US "DF", 5, NULL), 0);
    ck_assert_int_eq(ebts_txn_delete_item(t, 1, 20, 1, 0, NULL), 0);
    const ebts_field *f = ebts_record_field(ebts_txn_record(t, 1), 20);
    ck_assert_uint_eq(ebts_field_subfield_count(f), 3);
    ck_assert_str_eq(tu_str(ebts_field_value(f)), "US" US "X" RS "SF" RS "MX" US "DF");
    ck_assert_int_eq(ebts_txn_delete_subfield(t, 1, 20, 0, NULL), 0);
    f = ebts_record_field(ebts_txn_record(t, 1), 20);
    ck_assert_str_eq(tu_str(ebts_field_value(f)), "SF" RS "MX" US "DF");
    ebts_txn_free(t);
}
END_TEST

START_TEST(field_insert_and_delete_keep_order)
{
    ebts_txn *t = sample();
    ck_assert_int_eq(ebts_txn_set_field(t, 1, 19, "AKA", 3, NULL), 0);
    ck_assert_int_eq(ebts_txn_set_field(t, 1, 9, "OCA", 3, NULL), 0);
    const ebts_record *r = ebts_txn_record(t, 1);
    unsigned want[] = {1, 2, 9, 18, 19, 20};
    ck_assert_uint_eq(ebts_record_field_count(r), 6);
    for (size_t i = 0; i < 6; i++)
        ck_assert_uint_eq(ebts_field_number(ebts_record_field_at(r, i)), want[i]);
    ck_assert_int_eq(ebts_txn_delete_field(t, 1, 19, NULL), 0);
    ck_assert_ptr_null(ebts_record_field(ebts_txn_record(t, 1), 19));
    ck_assert_int_eq(ebts_txn_insert_field(t, 1, 2, 500, "x", 1, NULL), 0);
    ck_assert_uint_eq(ebts_field_number(ebts_record_field_at(ebts_txn_record(t, 1), 2)), 500);
    ebts_txn_free(t);
}
END_TEST

START_TEST(records_added_and_removed_update_cnt)
{
    ebts_txn *t = sample();
    static const unsigned char jpeg[] = {0xff, 0xd8, 0x1c, 0x1d, 0xff, 0xd9};
    ck_assert_int_eq(ebts_txn_insert_record(t, 2, 10, 1, NULL), 0);
    ck_assert_int_eq(ebts_txn_set_field(t, 2, 999, jpeg, sizeof jpeg, NULL), 0);
    ck_assert_int_eq(ebts_txn_set_field(t, 2, 3, "FACE", 4, NULL), 0); /* goes before 999 */
    unsigned char t4[18] = {0, 0, 0, 0, 2};
    ck_assert_int_eq(ebts_txn_insert_binary_record(t, 3, 4, t4, sizeof t4, NULL), 0);
    size_t n;
    unsigned char *w = tu_write(t, 0, &n);
    ebts_txn *back = ebts_read_buffer(w, n, EBTS_READ_STRICT, NULL);
    ck_assert_ptr_nonnull(back);
    ck_assert_uint_eq(ebts_txn_record_count(back), 4);
    ck_assert_str_eq(tu_str(ebts_txn_value(back, 1, 3)), "1" US "3" RS "2" US "00" RS "10" US "01" RS "4" US "02");
    const ebts_record *r10 = ebts_txn_record(back, 2);
    ck_assert_uint_eq(ebts_field_number(ebts_record_field_at(r10, 2)), 3);
    ck_assert_mem_eq(ebts_field_value(ebts_record_field(r10, 999)).ptr, jpeg, sizeof jpeg);
    ck_assert_uint_eq(ebts_record_data(ebts_txn_record(back, 3)).ptr[3], 18); /* LEN derived */
    ebts_txn_free(back);
    ebts_free(w);
    ck_assert_int_eq(ebts_txn_delete_record(t, 2, NULL), 0);
    w = tu_write(t, 0, &n);
    back = ebts_read_buffer(w, n, EBTS_READ_STRICT, NULL);
    ck_assert_ptr_nonnull(back);
    ck_assert_str_eq(tu_str(ebts_txn_value(back, 1, 3)), "1" US "2" RS "2" US "00" RS "4" US "02");
    ebts_txn_free(back);
    ebts_free(w);
    ebts_txn_free(t);
}
END_TEST

START_TEST(bad_edits_are_refused)
{
    ebts_txn *t = sample();
    ebts_error err = {0};
    ck_assert_int_eq(ebts_txn_set_field(t, 1, 18, "A" GS "B", 3, &err), -1);
    ck_assert_str_eq(err.code, "BAD_ARGUMENT");
    ck_assert_int_eq(ebts_txn_set_field(t, 9, 18, "A", 1, NULL), -1);
    ck_assert_int_eq(ebts_txn_set_field(t, 1, 1, "99", 2, NULL), -1);
    ck_assert_int_eq(ebts_txn_delete_field(t, 1, 1, NULL), -1);
    ck_assert_int_eq(ebts_txn_delete_field(t, 1, 77, NULL), -1);
    ck_assert_int_eq(ebts_txn_insert_field(t, 1, 0, 18, "X", 1, NULL), -1); /* already there */
    ck_assert_int_eq(ebts_txn_set_item(t, 1, 20, 5, 0, "X", 1, NULL), -1);
    ck_assert_int_eq(ebts_txn_set_item(t, 1, 20, 0, 0, "X" US, 2, NULL), -1);
    ck_assert_int_eq(ebts_txn_delete_item(t, 1, 18, 0, 0, NULL), -1); /* the last item */
    ck_assert_int_eq(ebts_txn_insert_record(t, 0, 2, 0, NULL), -1);
    ck_assert_int_eq(ebts_txn_insert_record(t, 1, 4, 0, NULL), -1);
    err.code = NULL;
    ck_assert_int_eq(ebts_txn_insert_record(t, 1, 2, 100, &err), -1); /* not "00" */
    ck_assert_str_eq(err.code, "BAD_ARGUMENT");
    ck_assert_int_eq(ebts_txn_insert_binary_record(t, 1, 10, "12345", 5, NULL), -1);
    ck_assert_int_eq(ebts_txn_delete_record(t, 0, NULL), -1);
    ck_assert_str_eq(written(t), "1.001:45<GS>\n1.002:0500<GS>\n1.003:1<US>1<RS>\n2<US>00<GS>\n"
                                 "1.004:SRE<FS>\n2.001:48<GS>\n2.002:00<GS>\n2.018:DOE,JOHN<GS>\n"
                                 "2.020:US<RS>\nCA<US>LA<FS>\n");
    ebts_txn_free(t);
}
END_TEST

START_TEST(edit_of_parsed_file_keeps_tag_spelling)
{
    ebts_txn *t = ebts_read_file("fixtures/samples/clean/errt-doa.eft", 0, NULL);
    ck_assert_int_eq(ebts_txn_set_field(t, 0, 10, "NEWTCR00001", 11, NULL), 0);
    size_t n;
    unsigned char *w = tu_write(t, 0, &n);
    ck_assert_ptr_nonnull(memmem(w, n, GS "1.10:NEWTCR00001" GS, 18));
    ebts_txn *back = ebts_read_buffer(w, n, 0, NULL);
    ck_assert_uint_eq(ebts_txn_error_count(back, 1), 0);
    ebts_txn_free(back);
    ebts_free(w);
    ebts_txn_free(t);
}
END_TEST

START_TEST(redact_hides_personal_values)
{
    ebts_txn *t = ebts_read_file("fixtures/samples/clean/idr-iar-match.eft", 0, NULL);
    ck_assert_int_eq(ebts_txn_redact(t, NULL), 0);
    size_t n;
    unsigned char *w = tu_write(t, 0, &n);
    ck_assert_ptr_null(memmem(w, n, "TEST,TEST", 9));
    ck_assert_ptr_null(memmem(w, n, "1105048570", 10));
    ck_assert_ptr_null(memmem(w, n, "\xff\xd8", 2));
    ck_assert_ptr_nonnull(memmem(w, n, "2.018:*" GS, 8));
    ebts_txn *back = ebts_read_buffer(w, n, 0, NULL);
    ck_assert_uint_eq(ebts_txn_error_count(back, 0), 0);
    ebts_txn_free(back);
    ebts_free(w);
    ebts_txn_free(t);
}
END_TEST

/* Appending (the XML reader's way of building a record) keeps number order without searching
 * while the record is in order, and falls back to the search after repeats, inserts and deletes. */
START_TEST(append_keeps_number_order)
{
    ebts_txn *t = ebts_txn_new("0500", NULL);
    ck_assert_int_eq(ebts_txn_insert_record(t, 1, 2, 0, NULL), 0);
    static const unsigned ops[] = {5, 4, 9, 5, 10, 0 /* delete 4 */, 11};
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        if (ops[i] == 0)
            ck_assert_int_eq(ebts_txn_delete_field(t, 1, 4, NULL), 0);
        else
            ck_assert_int_eq(ebts__append_field(t, 1, ops[i], "v", 1, NULL), 0);
    }
    const ebts_record *r = ebts_txn_record(t, 1);
    char got[64] = "";
    for (size_t i = 0; i < ebts_record_field_count(r); i++)
        snprintf(got + strlen(got), sizeof got - strlen(got), "%s%u", i ? "," : "",
                 ebts_field_number(ebts_record_field_at(r, i)));
    ck_assert_str_eq(got, "1,2,5,9,5,10,11");
    /* an insert out of order: 7 then goes before the first larger number, not last */
    ck_assert_int_eq(ebts_txn_insert_record(t, 2, 2, 1, NULL), 0);
    ck_assert_int_eq(ebts__append_field(t, 2, 5, "v", 1, NULL), 0);
    ck_assert_int_eq(ebts_txn_insert_field(t, 2, 1, 20, "v", 1, NULL), 0);
    ck_assert_int_eq(ebts__append_field(t, 2, 7, "v", 1, NULL), 0);
    r = ebts_txn_record(t, 2);
    got[0] = 0;
    for (size_t i = 0; i < ebts_record_field_count(r); i++)
        snprintf(got + strlen(got), sizeof got - strlen(got), "%s%u", i ? "," : "",
                 ebts_field_number(ebts_record_field_at(r, i)));
    ck_assert_str_eq(got, "1,7,20,2,5");
    ebts_txn_free(t);
}
END_TEST

/* A value that was read has its index built when first asked for, and kept with the field: it
 * goes with every edit or deletion of the field, its record or the transaction (the sanitizer
 * and valgrind runs of `make check` see a leak or a use after free). Edits after the index was
 * built see the value's items as read. */
/* A tag's type above 254 is kept as read from the bytes before the value (the field holds a
 * byte for it): it must stay through edits of the value, a redaction, and in a record of such a
 * type, through new fields. */
START_TEST(tag_types_above_254_stay_through_edits)
{
    static const char in[] = "1.001:45" GS "1.002:0500" GS "1.003:1" US "1" RS "2" US "00" GS
                             "1.004:CAR" FS "2.001:36" GS "2.002:00" GS "300.005:X" GS
                             "2.006:Y" FS;
    ebts_txn *t = TU_READ(in, 0, NULL);
    ck_assert_ptr_nonnull(t);
    char tag[24];
    const ebts_field *f = ebts_record_field(ebts_txn_record(t, 1), 5);
    ck_assert_ptr_nonnull(f);
    ck_assert_str_eq(ebts_field_tag(f, tag, sizeof tag), "300.005");
    size_t n;
    unsigned char *w = tu_write(t, EBTS_FORMAT_TRADITIONAL, &n);
    ck_assert_uint_eq(n, sizeof in - 1);
    ck_assert_mem_eq(w, in, n); /* written field by field (a finding): the same bytes */
    ebts_free(w);
    ck_assert_int_eq(ebts_txn_set_field(t, 1, 5, "LONGER" US "A", 8, NULL), 0);
    f = ebts_record_field(ebts_txn_record(t, 1), 5);
    ck_assert_str_eq(ebts_field_tag(f, tag, sizeof tag), "300.005");
    ck_assert_int_eq(ebts_txn_set_item(t, 1, 5, 0, 1, "B", 1, NULL), 0);
    f = ebts_record_field(ebts_txn_record(t, 1), 5);
    ck_assert_str_eq(ebts_field_tag(f, tag, sizeof tag), "300.005");
    ck_assert_str_eq(tu_str(ebts_field_item(f, 0, 1)), "B");
    ck_assert_int_eq(ebts_txn_redact(t, NULL), 0);
    f = ebts_record_field(ebts_txn_record(t, 1), 5);
    ck_assert_str_eq(ebts_field_tag(f, tag, sizeof tag), "300.005");
    ck_assert_str_eq(tu_str(ebts_field_value(f)), "*" US "*");
    ck_assert(strstr(written(t), "300.005:*<US>*<GS>") != NULL);
    /* a record of type 300, and one of type 254 (the largest the field's byte holds) */
    for (unsigned type = 254; type <= 300; type += 46) {
        ck_assert_int_eq(ebts_txn_insert_record(t, 2, type, 1, NULL), 0);
        ck_assert_int_eq(ebts_txn_set_field(t, 2, 7, "Q", 1, NULL), 0);
        ck_assert_int_eq(ebts_txn_set_field(t, 2, 1234, "R" RS "S", 3, NULL), 0);
        const ebts_record *r = ebts_txn_record(t, 2);
        char want[24];
        snprintf(want, sizeof want, "%u.007", type);
        ck_assert_str_eq(ebts_field_tag(ebts_record_field(r, 7), tag, sizeof tag), want);
        snprintf(want, sizeof want, "%u.1234", type);
        ck_assert_str_eq(ebts_field_tag(ebts_record_field(r, 1234), tag, sizeof tag), want);
        ck_assert_uint_eq(ebts_field_subfield_count(ebts_record_field(r, 1234)), 2);
        snprintf(want, sizeof want, "%u.007:Q<GS>", type);
        ck_assert(strstr(written(t), want) != NULL);
    }
    ebts_txn_free(t);
}
END_TEST

START_TEST(read_values_build_their_index_when_asked)
{
    static const char in[] = "1.001:47" GS "1.002:0500" GS "1.003:1" US "1" RS "2" US "00" GS
                             "1.004:CAR" FS "2.001:48" GS "2.002:00" GS "2.019:A" US "B" RS "C" GS
                             "2.020:X" RS "Y" RS "Z" FS;
    for (int step = 0; step < 6; step++) {
        ebts_txn *t = TU_READ(in, 0, NULL);
        ck_assert_ptr_nonnull(t);
        const ebts_field *f19 = ebts_record_field(ebts_txn_record(t, 1), 19);
        const ebts_field *f20 = ebts_record_field(ebts_txn_record(t, 1), 20);
        ck_assert(f19->flags & EBTS__F_LAZY);
        ck_assert_ptr_null(ebts__field_index_kept(f19)); /* not built by the reader */
        ck_assert_uint_eq(ebts_field_subfield_count(f19), 2);
        ck_assert_str_eq(tu_str(ebts_field_item(f19, 0, 1)), "B");
        ck_assert_ptr_nonnull(ebts__field_index_kept(f19)); /* built, kept */
        ck_assert_str_eq(tu_str(ebts_field_item(f20, 2, 0)), "Z");
        if (step == 0)
            ck_assert_int_eq(ebts_txn_set_item(t, 1, 19, 1, 0, "D", 1, NULL), 0);
        else if (step == 1)
            ck_assert_int_eq(ebts_txn_delete_field(t, 1, 19, NULL), 0);
        else if (step == 2)
            ck_assert_int_eq(ebts_txn_delete_record(t, 1, NULL), 0);
        else if (step == 3)
            ck_assert_int_eq(ebts_txn_redact(t, NULL), 0);
        else if (step == 4)
            ck_assert_int_eq(ebts_txn_set_field(t, 1, 20, "W", 1, NULL), 0);
        /* step 5: no edit, ebts_txn_free alone */
        if (step == 0) { /* the field as read, but for the item set */
            const ebts_field *g = ebts_record_field(ebts_txn_record(t, 1), 19);
            ck_assert_str_eq(tu_str(ebts_field_item(g, 0, 0)), "A");
            ck_assert_str_eq(tu_str(ebts_field_item(g, 0, 1)), "B");
            ck_assert_str_eq(tu_str(ebts_field_item(g, 1, 0)), "D");
        }
        ebts_txn_free(t);
    }
}
END_TEST

/* A value of n bytes has at most n + 1 subfields and n + 1 items: values of separators alone
 * (every subfield and item empty) and of ordinary items, from one byte to beyond 64 KiB, answer
 * every subfield and item through the accessors, and nothing past the last. The longest value
 * indexed in one pass (its room on the stack just enough for one of RS alone) and those around
 * it are among them. */
START_TEST(read_values_of_any_length_index_every_item)
{
    static const size_t lens[] = {1,    15,   16,   17,   EBTS__IX_ONE_PASS_MAX - 1,
                                  EBTS__IX_ONE_PASS_MAX,  EBTS__IX_ONE_PASS_MAX + 1,
                                  4000, 70000};
    for (size_t li = 0; li < sizeof lens / sizeof lens[0]; li++) {
        for (int shape = 0; shape < 3; shape++) {
            size_t n = lens[li];
            char *in = malloc(n + 128);
            ck_assert_ptr_nonnull(in);
            int h = sprintf(in, "1.001:0" GS "1.002:0500" GS "1.003:1" US "1" RS "2" US "00" GS
                                "1.004:CAR" FS "2.001:0" GS "2.002:00" GS "2.020:");
            char *v = in + h;
            for (size_t i = 0; i < n; i++) /* RS alone; US alone; "ab" US "c" RS ... */
                v[i] = shape == 0 ? RS[0] : shape == 1 ? US[0] : "ab" US "c" RS[i % 5];
            v[n] = FS[0];
            ebts_txn *t = ebts_read_buffer(in, (size_t)h + n + 1, EBTS_READ_BORROW, NULL);
            ck_assert_ptr_nonnull(t);
            const unsigned char *uv = (const unsigned char *)v;
            const ebts_field *f = ebts_record_field(ebts_txn_record(t, 1), 20);
            ck_assert_ptr_nonnull(f);
            size_t nsub = ebts_field_subfield_count(f), items = 0, bytes = 0;
            ck_assert_uint_eq(nsub, shape == 0 ? n + 1 : shape == 1 ? 1 : n / 5 + 1);
            for (size_t s = 0; s < nsub; s++) {
                size_t k = ebts_field_item_count(f, s);
                ck_assert_uint_ge(k, 1);
                for (size_t i = 0; i < k; i++) {
                    ebts_span it = ebts_field_item(f, s, i);
                    ck_assert(it.ptr >= uv && it.ptr + it.len <= uv + n);
                    ck_assert(it.ptr + it.len == uv + n || it.ptr[it.len] >= 0x1e);
                    bytes += it.len;
                }
                items += k;
                ck_assert_ptr_null(ebts_field_item(f, s, k).ptr); /* past the last: none */
            }
            size_t seps = shape == 2 ? n / 5 * 2 + (n % 5 > 2) : n;
            ck_assert_uint_eq(items, seps + 1);
            ck_assert_uint_eq(bytes, n - seps);
            if (shape == 2 && n >= 5) {
                ck_assert_str_eq(tu_str(ebts_field_item(f, 0, 0)), "ab");
                ck_assert_str_eq(tu_str(ebts_field_item(f, nsub - 2, 1)), "c");
            }
            ebts_txn_free(t);
            free(in);
        }
    }
}
END_TEST

/* Edits after a read value's index was built that make it longer than the longest value
 * indexed in one pass and than 64 KiB: a subfield inserted whose second item begins at byte
 * 65 536 of it, then an item set to 65 537 bytes. Every item answers from the new index. */
START_TEST(edits_grow_an_indexed_value_past_64k)
{
    static const char in[] = "1.001:0" GS "1.002:0500" GS "1.003:1" US "1" RS "2" US "00" GS
                             "1.004:CAR" FS "2.001:0" GS "2.002:00" GS "2.019:A" US "B" RS "C" FS;
    const size_t n = 65537;
    char *big = malloc(n + 2);
    ck_assert_ptr_nonnull(big);
    memset(big, 'x', n);
    ebts_txn *t = TU_READ(in, 0, NULL);
    ck_assert_ptr_nonnull(t);
    const ebts_field *f = ebts_record_field(ebts_txn_record(t, 1), 19);
    ck_assert_uint_eq(ebts_field_subfield_count(f), 2); /* its index built */
    big[65535] = US[0]; /* "x" * 65535, US, "yy": the second item at 65536 .. 65537 */
    big[65536] = big[65537] = 'y';
    ck_assert_int_eq(ebts_txn_insert_subfield(t, 1, 19, 1, big, n + 1, NULL), 0);
    f = ebts_record_field(ebts_txn_record(t, 1), 19);
    ck_assert_uint_eq(ebts_field_subfield_count(f), 3);
    ck_assert_uint_eq(ebts_field_item_count(f, 1), 2);
    ck_assert_uint_eq(ebts_field_item(f, 1, 0).len, 65535);
    ck_assert_str_eq(tu_str(ebts_field_item(f, 1, 1)), "yy");
    ck_assert_str_eq(tu_str(ebts_field_item(f, 2, 0)), "C");
    ck_assert_str_eq(tu_str(ebts_field_item(f, 0, 1)), "B");
    memset(big, 'z', n);
    ck_assert_int_eq(ebts_txn_set_item(t, 1, 19, 0, 0, big, n, NULL), 0);
    f = ebts_record_field(ebts_txn_record(t, 1), 19);
    ebts_span a = ebts_field_item(f, 0, 0), b = ebts_field_item(f, 0, 1);
    ck_assert_uint_eq(a.len, n);
    ck_assert(a.ptr[0] == 'z' && a.ptr[n - 1] == 'z');
    ck_assert_str_eq(tu_str(b), "B");
    ck_assert_uint_eq(ebts_field_item(f, 1, 0).len, 65535);
    ck_assert_str_eq(tu_str(ebts_field_item(f, 1, 1)), "yy");
    ck_assert_str_eq(tu_str(ebts_field_item(f, 2, 0)), "C");
    ck_assert_ptr_null(ebts_field_item(f, 2, 1).ptr);
    ebts_txn_free(t);
    free(big);
}
END_TEST

struct item_reader {
    const ebts_txn *t;
    pthread_barrier_t *go;
    size_t items;
};

static void *read_all_items(void *arg)
{
    struct item_reader *x = arg;
    if (x->go)
        pthread_barrier_wait(x->go); /* all at once, so that they meet on the same fields */
    for (size_t r = 0; r < ebts_txn_record_count(x->t); r++) {
        const ebts_record *rc = ebts_txn_record(x->t, r);
        for (size_t i = 0; i < ebts_record_field_count(rc); i++) {
            const ebts_field *f = ebts_record_field_at(rc, i);
            for (size_t s = 0; s < ebts_field_subfield_count(f); s++)
                for (size_t it = 0; it < ebts_field_item_count(f, s); it++)
                    x->items += ebts_field_item(f, s, it).len + 1;
        }
    }
    return NULL;
}

/* Reading one transaction from several threads at once: each index is built by one of them and
 * every thread sees the same items. 20 000 fields with items, read in the same order by four
 * threads let go together: an index built twice and stored without the compare-and-swap is
 * left behind, which the sanitizer run reports as a leak (checked with a plain store). */
START_TEST(items_read_from_threads_at_once)
{
    size_t cap = 20000 * 24 + 256, n = 0;
    char *body = malloc(cap), *in = malloc(cap + 64);
    ck_assert_ptr_nonnull(body);
    ck_assert_ptr_nonnull(in);
    n += (size_t)sprintf(body, "2.002:00");
    for (unsigned k = 0; k < 20000; k++)
        n += (size_t)sprintf(body + n, GS "2.%u:A%u" US "B" RS "C", 10 + k, k);
    int h = sprintf(in, "1.001:0" GS "1.002:0500" GS "1.003:1" US "1" RS "2" US "00" GS
                        "1.004:CAR" FS "2.001:0" GS);
    memcpy(in + h, body, n);
    in[(size_t)h + n] = FS[0];
    for (int round = 0; round < 10; round++) {
        ebts_txn *t = ebts_read_buffer(in, (size_t)h + n + 1, EBTS_READ_BORROW, NULL);
        ck_assert_ptr_nonnull(t);
        pthread_barrier_t go;
        ck_assert_int_eq(pthread_barrier_init(&go, NULL, 4), 0);
        struct item_reader x[4];
        pthread_t th[4];
        for (int i = 0; i < 4; i++) {
            x[i].t = t;
            x[i].go = &go;
            x[i].items = 0;
            ck_assert_int_eq(pthread_create(&th[i], NULL, read_all_items, &x[i]), 0);
        }
        for (int i = 0; i < 4; i++)
            ck_assert_int_eq(pthread_join(th[i], NULL), 0);
        pthread_barrier_destroy(&go);
        struct item_reader alone = {t, NULL, 0};
        read_all_items(&alone);
        for (int i = 0; i < 4; i++)
            ck_assert_uint_eq(x[i].items, alone.items);
        ck_assert_uint_gt(alone.items, 20000 * 3);
        ebts_txn_free(t);
    }
    free(body);
    free(in);
}
END_TEST

/* ---- item indexes built ahead (lib/index.c) */

#define AHEAD_RECS 10u
#define AHEAD_FIELDS 4000u
/* A transaction of 1.3 MB, its own buffer (free): AHEAD_RECS Type-2 records of AHEAD_FIELDS
 * fields each, every one with two subfields, the first of two items. */
static unsigned char *ahead_input(size_t *len)
{
    size_t cap = 64 + 16 * AHEAD_RECS + AHEAD_RECS * (32 + AHEAD_FIELDS * 40), n = 0;
    char *in = malloc(cap);
    ck_assert_ptr_nonnull(in);
    n += (size_t)sprintf(in, "1.001:0" GS "1.002:0500" GS "1.003:1" US "%u", AHEAD_RECS);
    for (unsigned r = 0; r < AHEAD_RECS; r++)
        n += (size_t)sprintf(in + n, RS "2" US "%02u", r);
    n += (size_t)sprintf(in + n, GS "1.004:CAR" FS);
    for (unsigned r = 0; r < AHEAD_RECS; r++) {
        n += (size_t)sprintf(in + n, "2.001:0" GS "2.002:%02u", r);
        for (unsigned k = 0; k < AHEAD_FIELDS; k++)
            n += (size_t)sprintf(in + n, GS "2.%u:A%u.%u" US "BBBBBBBBBBBBBBBB" RS "C", 10 + k,
                                 r, k);
        in[n++] = FS[0];
    }
    ck_assert_uint_le(n, cap);
    ck_assert_uint_ge(n, EBTS__AHEAD_MIN);
    *len = n;
    return (unsigned char *)in;
}

/* A test's start: two threads allowed (*was: the setting before) and the input (*n bytes). */
static unsigned char *ahead_begin(unsigned *was, size_t *n)
{
    *was = ebts_validate_threads(2);
    return ahead_input(n);
}

static void ahead_end(unsigned was, unsigned char *in)
{
    free(in);
    ebts_validate_threads(was);
}

/* The transaction of in, read borrowed. */
static ebts_txn *ahead_read(const unsigned char *in, size_t n)
{
    ebts_txn *t = ebts_read_buffer(in, n, EBTS_READ_BORROW, NULL);
    ck_assert_ptr_nonnull(t);
    return t;
}

/* Asks for the item counts of record rec's fields 10, 11, ... (record 5's by default) until
 * the helper runs or `most` were asked for: how many were. */
static unsigned ahead_ask(const ebts_txn *t, unsigned rec, unsigned most)
{
    const ebts_record *r = ebts_txn_record(t, rec);
    unsigned k = 0;
    while (k < most && !ebts__ahead_running(t))
        ck_assert_uint_eq(ebts_field_item_count(ebts_record_field(r, 10 + k++), 0), 2);
    return k;
}

/* Every item of every field of t, from the index, against the value's bytes. */
static void ahead_check_items(const ebts_txn *t)
{
    for (size_t r = 0; r < ebts_txn_record_count(t); r++) {
        const ebts_record *rec = ebts_txn_record(t, r);
        for (size_t i = 0; i < ebts_record_field_count(rec); i++) {
            const ebts_field *f = ebts_record_field_at(rec, i);
            size_t nsub = ebts_field_subfield_count(f), nrs, nseps;
            ebts__count_seps(f->val, f->len, &nrs, &nseps);
            ck_assert_uint_eq(nsub, nrs + 1);
            for (size_t s = 0; s < nsub; s++) {
                size_t nit = ebts_field_item_count(f, s);
                ck_assert_uint_eq(nit, ebts__items_scan(f, s));
                for (size_t k = 0; k < nit; k++) {
                    ebts_span a = ebts_field_item(f, s, k), b = ebts__item_scan(f, s, k);
                    ck_assert_ptr_eq(a.ptr, b.ptr);
                    ck_assert_uint_eq(a.len, b.len);
                }
            }
        }
    }
}

/* Whether every value read with RS/US holds its index. */
static int ahead_all_built(const ebts_txn *t)
{
    for (size_t r = 0; r < ebts_txn_record_count(t); r++) {
        const ebts_record *rec = ebts_txn_record(t, r);
        for (size_t i = 0; i < ebts_record_field_count(rec); i++) {
            const ebts_field *f = ebts_record_field_at(rec, i);
            if ((f->flags & EBTS__F_LAZY) && !ebts__field_index_kept(f))
                return 0;
        }
    }
    return 1;
}

/* Once EBTS__AHEAD_AFTER indexes of a large transaction were built (the reader's of CNT one of
 * them), the helper starts and builds every other, the records before the caller's too; each
 * item is then what the value's bytes say. */
START_TEST(a_large_walk_has_its_indexes_built_ahead)
{
    size_t n;
    unsigned was;
    unsigned char *in = ahead_begin(&was, &n);
    ebts_txn *t = ahead_read(in, n);
    ck_assert(!ebts__ahead_running(t));
    ck_assert(!ahead_all_built(t));
    ck_assert_uint_eq(ahead_ask(t, 5, 1000), EBTS__AHEAD_AFTER - 1); /* the CNT's, then these */
    ck_assert(ebts__ahead_running(t));
    ebts__ahead_wait(t); /* it builds what was not asked for, wherever it is */
    ck_assert(ahead_all_built(t));
    ahead_check_items(t);
    ebts_txn_free(t);
    /* again, the items read while the helper builds */
    t = ahead_read(in, n);
    ahead_check_items(t);
    ck_assert(ebts__ahead_running(t));
    ebts_txn_free(t);
    ahead_end(was, in);
}
END_TEST

/* No helper: for a transaction read from less than EBTS__AHEAD_MIN bytes, with
 * ebts_validate_threads(1), or from a validation's reads, which are not counted (a transaction
 * made by edits has each value's index made with it, and never builds one). */
START_TEST(no_helper_where_it_would_not_pay)
{
    size_t n;
    unsigned was;
    unsigned char *in = ahead_begin(&was, &n);
    size_t cut = n;
    while (cut > EBTS__AHEAD_MIN - 1 || in[cut - 1] != GS[0]) /* a shorter one: fields cut off */
        cut--;
    in[cut - 1] = FS[0];
    ebts_txn *t = ebts_read_buffer(in, cut, EBTS_READ_BORROW, NULL);
    ck_assert_ptr_nonnull(t);
    ck_assert_uint_eq(ahead_ask(t, 1, 1000), 1000);
    ck_assert(!ebts__ahead_running(t));
    ebts_txn_free(t);
    in[cut - 1] = GS[0];
    ebts_validate_threads(1);
    t = ahead_read(in, n);
    ck_assert_uint_eq(ahead_ask(t, 1, 1000), 1000);
    ck_assert(!ebts__ahead_running(t));
    ebts_txn_free(t);
    ebts_validate_threads(2);
    t = ahead_read(in, n);
    ebts_report_free(ebts_validate(t, NULL, NULL)); /* builds 2.018 and 2.019's indexes */
    ck_assert(!ebts__ahead_running(t));
    ck_assert_uint_ge(ahead_ask(t, 1, 1000), EBTS__AHEAD_AFTER - 1); /* as if not validated */
    ck_assert(ebts__ahead_running(t));
    ebts_txn_free(t);
    ahead_end(was, in);
}
END_TEST

/* Every function that changes a transaction stops its helper before it changes anything, and
 * none starts for it afterwards, nor during the change from what it reads itself (a redaction
 * reads every value): each change is made once with the helper running, once before any index
 * was asked for; more fields asked for after it start none. */
START_TEST(every_change_stops_the_helper)
{
    size_t n;
    unsigned was;
    unsigned char *in = ahead_begin(&was, &n);
    static const unsigned char t4[18] = {0, 0, 0, 18, 1};
    for (int round = 0; round < 30; round++) {
        int change = round / 2;
        ebts_txn *t = ahead_read(in, n);
        if (round % 2 == 0) {
            ahead_ask(t, 5, 1000);
            ck_assert_msg(ebts__ahead_running(t), "change %d: no helper", change);
        }
        int rc = 0;
        switch (change) {
        case 0: rc = ebts_txn_set_field(t, 3, 10, "X", 1, NULL); break;
        case 1: rc = ebts_txn_set(t, 3, "2.018", "DOE,JOHN", NULL); break;
        case 2: rc = ebts_txn_stamp(t, "TCN1", NULL); break;
        case 3: rc = ebts_txn_insert_field(t, 3, 2, 9, "Y", 1, NULL); break;
        case 4: rc = ebts_txn_delete_field(t, 3, 10, NULL); break;
        case 5: rc = ebts_txn_set_item(t, 3, 10, 0, 1, "Z", 1, NULL); break;
        case 6: rc = ebts_txn_insert_item(t, 3, 10, 0, 1, "Z", 1, NULL); break;
        case 7: rc = ebts_txn_delete_item(t, 3, 10, 0, 1, NULL); break;
        case 8: rc = ebts_txn_insert_subfield(t, 3, 10, 1, "Q", 1, NULL); break;
        case 9: rc = ebts_txn_delete_subfield(t, 3, 10, 1, NULL); break;
        case 10: rc = ebts_txn_insert_record(t, 3, 2, 50, NULL); break;
        case 11: rc = ebts_txn_insert_binary_record(t, 11, 4, t4, sizeof t4, NULL); break;
        case 12: rc = ebts_txn_delete_record(t, 3, NULL); break;
        case 13: rc = (int)ebts_txn_fix(t, EBTS_FIX_ALL, NULL); break;
        case 14: rc = ebts_txn_redact(t, NULL); break;
        }
        ck_assert_msg(rc >= 0, "change %d failed", change);
        ck_assert_msg(!ebts__ahead_running(t), "change %d left the helper running", change);
        ck_assert_uint_eq(ahead_ask(t, 7, 1000), 1000);
        ck_assert_msg(!ebts__ahead_running(t), "change %d: a helper again", change);
        ebts_txn_free(t);
    }
    ahead_end(was, in);
}
END_TEST

/* The helper held at its start until it is told to stop (ebts__ahead_hook). */
static void ahead_hold(const unsigned char *stop)
{
    while (!__atomic_load_n(stop, __ATOMIC_RELAXED))
        sched_yield();
}

/* A child of fork has no helper thread: it builds every index itself, frees the transaction
 * without waiting for a thread that is not there, and exits. The helper is held at its start
 * until the parent frees the transaction, so that it runs at the fork and has built nothing. */
START_TEST(a_child_of_fork_frees_without_the_helper)
{
    size_t n;
    unsigned was;
    unsigned char *in = ahead_begin(&was, &n);
    ebts_txn *t = ahead_read(in, n);
    ebts__ahead_hook = ahead_hold;
    ahead_ask(t, 5, 1000);
    ck_assert(ebts__ahead_running(t));
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        alarm(3);
        size_t items = 0;
        for (size_t r = 0; r < ebts_txn_record_count(t); r++) {
            const ebts_record *rec = ebts_txn_record(t, r);
            for (size_t i = 0; i < ebts_record_field_count(rec); i++)
                items += ebts_field_item_count(ebts_record_field_at(rec, i), 0);
        }
        ebts_txn_free(t);
        _exit(items == AHEAD_RECS * (2 + 2 * AHEAD_FIELDS) + 5 ? 0 : 3);
    }
    int status = 0;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child: status %d", status);
    ebts_txn_free(t);
    ebts__ahead_hook = NULL; /* after the free has waited for the helper, which read it */
    ahead_end(was, in);
}
END_TEST

/* ebts_txn_free is not a point where a thread is cancelled: a thread with a cancellation
 * pending that frees a transaction whose helper runs has it freed (the join of the helper must
 * not act on the caller's cancellation and leave the transaction and its helper behind). The
 * helper is held at its start (ebts__ahead_hook) until the free tells it to stop. */
static pthread_barrier_t cancel_bar;
static int cancel_freed;
static void *cancel_worker(void *arg)
{
    const unsigned char *in = arg;
    size_t n;
    memcpy(&n, in, sizeof n);
    pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, NULL);
    ebts_txn *t = ebts_read_buffer(in + sizeof n, n, EBTS_READ_BORROW, NULL);
    if (t)
        ahead_ask(t, 5, 1000);
    int running = ebts__ahead_running(t);
    pthread_barrier_wait(&cancel_bar); /* cancelled now: pending */
    pthread_barrier_wait(&cancel_bar);
    pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, NULL);
    ebts_txn_free(t);
    cancel_freed = running ? 1 : 2;
    return NULL;
}

START_TEST(a_pending_cancellation_does_not_stop_a_free)
{
    unsigned was = ebts_validate_threads(2);
    size_t n;
    unsigned char *body = ahead_input(&n);
    unsigned char *in = malloc(sizeof n + n);
    ck_assert_ptr_nonnull(in);
    memcpy(in, &n, sizeof n);
    memcpy(in + sizeof n, body, n);
    free(body);
    cancel_freed = 0;
    ck_assert_int_eq(pthread_barrier_init(&cancel_bar, NULL, 2), 0);
    ebts__ahead_hook = ahead_hold;
    pthread_t th;
    ck_assert_int_eq(pthread_create(&th, NULL, cancel_worker, in), 0);
    pthread_barrier_wait(&cancel_bar);
    ck_assert_int_eq(pthread_cancel(th), 0);
    pthread_barrier_wait(&cancel_bar);
    void *rv = NULL;
    ck_assert_int_eq(pthread_join(th, &rv), 0);
    pthread_barrier_destroy(&cancel_bar);
    ck_assert_msg(cancel_freed != 2, "no helper ran: the test proves nothing");
    ck_assert_msg(rv != PTHREAD_CANCELED && cancel_freed == 1,
                  "the thread was cancelled inside ebts_txn_free: the transaction leaked");
    ebts__ahead_hook = NULL;
    ahead_end(was, in);
}
END_TEST

/* The signals blocked on the helper's thread, as it starts. */
static sigset_t ahead_mask;
static void ahead_note_mask(const unsigned char *stop)
{
    pthread_sigmask(SIG_BLOCK, NULL, &ahead_mask);
    (void)stop;
}

/* The helper takes no signal a program sends (its handlers run on its own threads), whatever
 * the thread that starts it blocks, but a fault it makes itself goes to the program's handler
 * (SIGSEGV and SIGBUS are not blocked on it). */
START_TEST(the_helper_takes_no_signal_a_program_sends)
{
    size_t n;
    unsigned was;
    unsigned char *in = ahead_begin(&was, &n);
    ebts_txn *t = ahead_read(in, n);
    sigset_t none, before;
    sigemptyset(&none);
    ck_assert_int_eq(pthread_sigmask(SIG_SETMASK, &none, &before), 0);
    sigemptyset(&ahead_mask);
    ebts__ahead_hook = ahead_note_mask;
    ahead_ask(t, 5, 1000);
    ck_assert(ebts__ahead_running(t));
    ebts__ahead_wait(t);
    ebts__ahead_hook = NULL;
    ck_assert_int_eq(pthread_sigmask(SIG_SETMASK, &before, NULL), 0);
    int sent[] = {SIGINT, SIGTERM, SIGHUP, SIGUSR1, SIGUSR2, SIGALRM, SIGCHLD, SIGPIPE};
    for (size_t k = 0; k < sizeof sent / sizeof sent[0]; k++)
        ck_assert_msg(sigismember(&ahead_mask, sent[k]) == 1, "signal %d not blocked", sent[k]);
    ck_assert_int_eq(sigismember(&ahead_mask, SIGSEGV), 0);
    ck_assert_int_eq(sigismember(&ahead_mask, SIGBUS), 0);
    ebts_txn_free(t);
    ahead_end(was, in);
}
END_TEST

#if defined(__GLIBC__)
/* The helper is the library's own thread: it must not run on the stack a program chose as the
 * default for the threads it makes itself (glibc's pthread_setattr_default_np), which may be
 * smaller than the 64 KiB the manual asks of a thread that calls the accessors. Here only the
 * main thread calls them; the default is the smallest a thread may have (16 KiB). */
START_TEST(the_helper_does_not_take_a_programs_default_stack)
{
    long least = PTHREAD_STACK_MIN;
    size_t size = least > 16384 ? (size_t)least : 16384;
    if (size >= 32768)
        return; /* the scratch fits in the smallest stack this system allows */
    unsigned was = ebts_validate_threads(2);
    pthread_attr_t old, small;
    ck_assert_int_eq(pthread_getattr_default_np(&old), 0);
    ck_assert_int_eq(pthread_attr_init(&small), 0);
    ck_assert_int_eq(pthread_attr_setstacksize(&small, size), 0);
    ck_assert_int_eq(pthread_setattr_default_np(&small), 0);
    size_t n;
    unsigned char *in = ahead_input(&n);
    ebts_txn *t = ahead_read(in, n);
    ahead_ask(t, 5, 1000);
    ck_assert(ebts__ahead_running(t));
    ebts__ahead_wait(t);
    ck_assert(ahead_all_built(t));
    ahead_check_items(t);
    ebts_txn_free(t);
    ck_assert_int_eq(pthread_setattr_default_np(&old), 0);
    pthread_attr_destroy(&small);
    pthread_attr_destroy(&old);
    ahead_end(was, in);
}
END_TEST
#endif

/* The arena's chunks of 2 MiB or more begin at a 2 MiB boundary (so that they can be huge pages
 * whole) and hold what was asked, to the last byte (the sanitizer run checks the bounds). */
START_TEST(arena_large_chunks_start_at_huge_pages)
{
    const size_t huge = (size_t)2 << 20;
    ebts__arena a;
    ebts__arena_init(&a, 16384);
    unsigned char *small = ebts__arena_alloc(&a, 100);
    ck_assert_ptr_nonnull(small);
    memset(small, 1, 100);
    size_t sizes[] = {3 * huge, huge + 1, 5 * huge + 7};
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        unsigned char *p = ebts__arena_alloc(&a, sizes[k]);
        ck_assert_ptr_nonnull(p);
        ck_assert_uint_eq((uintptr_t)p % huge, 0);
        memset(p, (int)k, sizes[k]);
        ck_assert_uint_eq(p[sizes[k] - 1], k);
    }
    unsigned char *after = ebts__arena_alloc(&a, 64); /* from the room left in the last chunk */
    ck_assert_ptr_nonnull(after);
    memset(after, 2, 64);
    ck_assert_uint_eq(small[99], 1);
    ebts__arena_free(&a);
}
END_TEST

START_TEST(fields_found_by_tag_or_mnemonic)
{
    ebts_txn *t = ebts_read_file("fixtures/samples/clean/idr-iar-match.eft", 0, NULL);
    const ebts_field *nam = ebts_record_field(ebts_txn_record(t, 1), 18);
    ck_assert_ptr_nonnull(nam);
    ck_assert_ptr_eq(ebts_txn_find(t, 1, "2.018"), nam);
    ck_assert_ptr_eq(ebts_txn_find(t, 1, "2.18"), nam);
    ck_assert_ptr_eq(ebts_txn_find(t, 1, "NAM"), nam);
    ck_assert_ptr_eq(ebts_txn_find(t, 0, "TCR"), ebts_record_field(ebts_txn_record(t, 0), 10));
    ck_assert_ptr_eq(ebts_txn_find(t, 0, "1.10"), ebts_record_field(ebts_txn_record(t, 0), 10));
    ck_assert_ptr_null(ebts_txn_find(t, 0, "2.018")); /* another record type */
    ck_assert_ptr_null(ebts_txn_find(t, 1, "NOPE"));
    ck_assert_ptr_null(ebts_txn_find(t, 1, "2.018x"));
    ck_assert_ptr_null(ebts_txn_find(t, 1, NULL));
    ck_assert_ptr_null(ebts_txn_find(t, 9, "NAM"));
    ck_assert_ptr_null(ebts_txn_find(NULL, 1, "NAM"));
    ebts_txn_free(t);
}
END_TEST

START_TEST(set_by_name_with_a_string)
{
    ebts_txn *t = ebts_txn_new("0500", NULL);
    ck_assert_int_eq(ebts_txn_set(t, 0, "TOT", "CAR", NULL), 0);
    ck_assert_int_eq(ebts_txn_insert_record(t, 1, 2, 0, NULL), 0);
    ck_assert_int_eq(ebts_txn_set(t, 1, "NAM", "DOE,JOHN", NULL), 0);
    ck_assert_int_eq(ebts_txn_set(t, 1, "2.022", "19800101", NULL), 0);
    ck_assert_str_eq(tu_str(ebts_field_value(ebts_txn_find(t, 1, "2.018"))), "DOE,JOHN");
    ck_assert_str_eq(tu_str(ebts_txn_value(t, 2, 22)), "19800101");
    ck_assert_str_eq(tu_str(ebts_txn_value(t, 1, 4)), "CAR");
    ebts_error err = {0};
    ck_assert_int_eq(ebts_txn_set(t, 1, "XYZ", "1", &err), -1);
    ck_assert_str_eq(err.code, "BAD_ARGUMENT");
    ck_assert_int_eq(ebts_txn_set(NULL, 1, "NAM", "1", NULL), -1);
    ebts_txn_free(t);
}
END_TEST

START_TEST(a_new_transaction_is_stamped)
{
    ebts_txn *t = ebts_txn_new("0500", NULL);
    ck_assert_int_eq(ebts_txn_set(t, 0, "ORI", "TX0000000", NULL), 0);
    ck_assert_int_eq(ebts_txn_stamp(t, NULL, NULL), 0);
    char dat[16], gmt[24], tcn[48];
    snprintf(dat, sizeof dat, "%s", tu_str(ebts_txn_value(t, 1, 5)));
    snprintf(gmt, sizeof gmt, "%s", tu_str(ebts_txn_value(t, 1, 14)));
    snprintf(tcn, sizeof tcn, "%s", tu_str(ebts_txn_value(t, 1, 9)));
    ck_assert_uint_eq(strlen(dat), 8);
    ck_assert_uint_eq(strlen(gmt), 15);
    ck_assert_int_eq(gmt[14], 'Z');
    ck_assert_int_eq(strncmp(gmt, dat, 8), 0);
    ck_assert_uint_eq(strlen(tcn), 24);
    ck_assert_int_eq(strncmp(tcn, "TX0000000-", 10), 0);
    ck_assert_int_eq(strncmp(tcn + 10, gmt, 14), 0);
    ck_assert_int_eq(ebts_txn_stamp(t, "MYTCN00000001", NULL), 0);
    ck_assert_str_eq(tu_str(ebts_txn_value(t, 1, 9)), "MYTCN00000001");
    ck_assert_int_eq(ebts_txn_stamp(NULL, NULL, NULL), -1);
    ebts_txn_free(t);
}
END_TEST

START_TEST(cnt_is_not_set_by_hand)
{
    ebts_txn *t = ebts_txn_new("0500", NULL);
    ebts_error err = {0};
    ck_assert_int_eq(ebts_txn_set_field(t, 0, 3, "1" US "0" RS "2" US "00", 9, &err), -1);
    ck_assert_str_eq(err.code, "BAD_ARGUMENT");
    ck_assert_str_eq(err.tag, "1.003");
    ck_assert_int_eq(ebts_txn_set(t, 0, "CNT", "1", NULL), -1);
    ck_assert_int_eq(ebts_txn_set_item(t, 0, 3, 0, 1, "9", 1, NULL), -1);
    ck_assert_int_eq(ebts_txn_insert_item(t, 0, 3, 0, 1, "9", 1, NULL), -1);
    ck_assert_str_eq(written(t), "1.001:30<GS>\n1.002:0500<GS>\n1.003:1<US>0<FS>\n");
    /* field 3 of other records is an ordinary field */
    ck_assert_int_eq(ebts_txn_insert_record(t, 1, 2, 0, NULL), 0);
    ck_assert_int_eq(ebts_txn_set_field(t, 1, 3, "X", 1, NULL), 0);
    ebts_txn_free(t);
}
END_TEST

Suite *suite_edit(void)
{
    Suite *s = suite_create("edit");
    TCase *tc = tcase_create("edit");
    tcase_add_test(tc, build_from_scratch);
    tcase_add_test(tc, arena_large_chunks_start_at_huge_pages);
    tcase_add_test(tc, item_and_subfield_edits);
    tcase_add_test(tc, field_insert_and_delete_keep_order);
    tcase_add_test(tc, records_added_and_removed_update_cnt);
    tcase_add_test(tc, bad_edits_are_refused);
    tcase_add_test(tc, edit_of_parsed_file_keeps_tag_spelling);
    tcase_add_test(tc, redact_hides_personal_values);
    tcase_add_test(tc, append_keeps_number_order);
    tcase_add_test(tc, read_values_build_their_index_when_asked);
    tcase_add_test(tc, tag_types_above_254_stay_through_edits);
    tcase_add_test(tc, read_values_of_any_length_index_every_item);
    tcase_add_test(tc, edits_grow_an_indexed_value_past_64k);
    tcase_add_test(tc, items_read_from_threads_at_once);
    tcase_add_test(tc, a_large_walk_has_its_indexes_built_ahead);
    tcase_add_test(tc, no_helper_where_it_would_not_pay);
    tcase_add_test(tc, every_change_stops_the_helper);
    tcase_add_test(tc, a_child_of_fork_frees_without_the_helper);
    tcase_add_test(tc, a_pending_cancellation_does_not_stop_a_free);
    tcase_add_test(tc, the_helper_takes_no_signal_a_program_sends);
#if defined(__GLIBC__)
    tcase_add_test(tc, the_helper_does_not_take_a_programs_default_stack);
#endif
    tcase_add_test(tc, fields_found_by_tag_or_mnemonic);
    tcase_add_test(tc, set_by_name_with_a_string);
    tcase_add_test(tc, a_new_transaction_is_stamped);
    tcase_add_test(tc, cnt_is_not_set_by_hand);
    suite_add_tcase(s, tc);
    return s;
}
