/* Framing and tokenizing: structure, tag numbers as integers, binary data, recovery. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "testutil.h"
#include "internal.h" /* EBTS__READ_SSE2, EBTS__READ_AVX2, EBTS__READ_GENERAL */

/* A tagged record "T.001:LEN<GS>body<FS>" with a correct LEN; body holds the other fields. */
static size_t rec(char *out, unsigned type, const char *body, size_t blen)
{
    char tag[16];
    int tl = snprintf(tag, sizeof tag, "%u.001:", type);
    size_t n = (size_t)tl + 1 + blen + 2;
    for (int i = 0; i < 3; i++) {
        char d[24];
        n = (size_t)tl + (size_t)snprintf(d, sizeof d, "%zu", n) + 1 + blen + 1;
    }
    int w = sprintf(out, "%s%zu" GS, tag, n);
    memcpy(out + w, body, blen);
    out[w + blen] = FS[0];
    return n;
}
#define REC(out, type, lit) rec((out), (type), (lit), sizeof(lit) - 1)

static const char T1_2[] = "1.002:0500" GS "1.003:1" US "1" RS "2" US "00" GS "1.004:CAR";

/* Render the structure: records "T{n=v,...}" with RS as '|', US as '^', binary as #len. */
static const char *dump(const ebts_txn *t)
{
    static char buf[4096];
    size_t k = 0;
    for (size_t r = 0; r < ebts_txn_record_count(t); r++) {
        const ebts_record *rc = ebts_txn_record(t, r);
        k += (size_t)snprintf(buf + k, sizeof buf - k, "%s%u{", r ? " " : "", ebts_record_type(rc));
        if (ebts_record_is_binary(rc))
            k += (size_t)snprintf(buf + k, sizeof buf - k, "#%zu", ebts_record_data(rc).len);
        for (size_t i = 0; i < ebts_record_field_count(rc); i++) {
            const ebts_field *f = ebts_record_field_at(rc, i);
            if (i)
                buf[k++] = ',';
            if (ebts_field_is_binary(f)) {
                k += (size_t)snprintf(buf + k, sizeof buf - k, "%u=#%zu", ebts_field_number(f),
                                      ebts_field_value(f).len);
                continue;
            }
            k += (size_t)snprintf(buf + k, sizeof buf - k, "%u=", ebts_field_number(f));
            for (size_t s = 0; s < ebts_field_subfield_count(f); s++) {
                if (s)
                    buf[k++] = '|';
                for (size_t it = 0; it < ebts_field_item_count(f, s); it++) {
                    ebts_span v = ebts_field_item(f, s, it);
                    if (it)
                        buf[k++] = '^';
                    memcpy(buf + k, v.ptr, v.len);
                    k += v.len;
                }
            }
        }
        buf[k++] = '}';
        buf[k] = 0;
    }
    return buf;
}

START_TEST(minimal_transaction_structure)
{
    char in[512];
    size_t n = rec(in, 1, T1_2, sizeof T1_2 - 1);
    n += REC(in + n, 2, "2.002:00" GS "2.018:DOE,JOHN" GS "2.020:US" RS "CA" US "LA" US);
    ebts_error err = {0};
    ebts_txn *t = ebts_read_buffer(in, n, 0, &err);
    ck_assert_ptr_nonnull(t);
    char d[256];
    ck_assert_str_eq(tu_diags(t, d, sizeof d), "");
    ck_assert_str_eq(dump(t), "1{1=45,2=0500,3=1^1|2^00,4=CAR} "
                              "2{1=49,2=00,18=DOE,JOHN,20=US|CA^LA^}");
    const ebts_field *f = ebts_record_field(ebts_txn_record(t, 1), 20);
    ck_assert_uint_eq(ebts_field_subfield_count(f), 2);
    ck_assert_uint_eq(ebts_field_item_count(f, 1), 3);
    ck_assert_uint_eq(ebts_field_item(f, 1, 2).len, 0); /* empty last item kept */
    ck_assert_uint_eq(ebts_field_item(f, 2, 0).len, 0); /* out of range */
    ck_assert_int_eq(ebts_record_idc(ebts_txn_record(t, 1)), 0);
    ck_assert_uint_eq(ebts_field_offset(ebts_record_field(ebts_txn_record(t, 0), 2)), 9);
    ebts_txn_free(t);
}
END_TEST

START_TEST(tag_numbers_are_integers)
{
    /* 1.01: is field 1 (LEN), not 10; 01.0010: is field 10; spelling is kept */
    static const char body[] = "1.02:0500" GS "1.03:1" US "0" GS "01.0010:TCR";
    char in[256], tag[24];
    size_t n = rec(in, 1, body, sizeof body - 1);
    memcpy(in, "1.01", 4); /* "1.001" -> "1.01" costs one byte: fix LEN by hand below */
    memmove(in + 4, in + 5, n - 5);
    n--;
    int len = atoi(in + 5);
    char num[16];
    snprintf(num, sizeof num, "%d", len - 1);
    memcpy(in + 5, num, strlen(num));
    ebts_txn *t = ebts_read_buffer(in, n, 0, NULL);
    ck_assert_ptr_nonnull(t);
    const ebts_record *r = ebts_txn_record(t, 0);
    ck_assert_str_eq(tu_str(ebts_field_value(ebts_record_field(r, 1))), num);
    ck_assert_str_eq(tu_str(ebts_field_value(ebts_record_field(r, 10))), "TCR");
    ck_assert_str_eq(ebts_field_tag(ebts_record_field(r, 10), tag, sizeof tag), "01.0010");
    ck_assert_str_eq(ebts_field_tag(ebts_record_field(r, 1), tag, sizeof tag), "1.01");
    char d[256];
    ck_assert_str_eq(tu_diags(t, d, sizeof d), "SHORT_TAG@0");
    tu_assert_writes(t, in, n);
    ebts_txn_free(t);
}
END_TEST

START_TEST(binary_data_holds_separators)
{
    char in[512];
    static const char t1[] = "1.002:0500" GS "1.003:1" US "1" RS "10" US "01";
    size_t n = rec(in, 1, t1, sizeof t1 - 1);
    static const char t10[] = "10.002:01" GS "10.999:\xff\xd8" FS GS RS US "1.001:" FS "\xff\xd9";
    n += rec(in + n, 10, t10, sizeof t10 - 1);
    ebts_txn *t = ebts_read_buffer(in, n, 0, NULL);
    ck_assert_ptr_nonnull(t);
    char d[256];
    ck_assert_str_eq(tu_diags(t, d, sizeof d), "");
    const ebts_field *f = ebts_record_field(ebts_txn_record(t, 1), 999);
    ck_assert(ebts_field_is_binary(f));
    ck_assert_uint_eq(ebts_field_value(f).len, 15);
    ck_assert_uint_eq(ebts_field_subfield_count(f), 1);
    ck_assert_mem_eq(ebts_field_value(f).ptr, "\xff\xd8" FS GS RS US "1.001:" FS "\xff\xd9", 15);
    ebts_txn_free(t);
}
END_TEST

/* A record of its LEN alone ("2.001:8<FS>") after a record with binary data is a record start
 * that confirms the binary record's LEN (fuzz finding read/len-only-record-after-binary: it was
 * taken for binary data, so a written transaction read back different). */
START_TEST(len_only_record_after_binary)
{
    char in[512];
    static const char t1[] = "1.002:0500" GS "1.003:1" US "2" RS "10" US "01" RS "2" US "02";
    size_t n = rec(in, 1, t1, sizeof t1 - 1);
    static const char t10[] = "10.002:01" GS "10.999:\xff\xd8" GS "\xff\xd9";
    n += rec(in + n, 10, t10, sizeof t10 - 1);
    memcpy(in + n, "2.001:8" FS, 8);
    n += 8;
    ebts_txn *t = ebts_read_buffer(in, n, 0, NULL);
    ck_assert_ptr_nonnull(t);
    char d[256];
    ck_assert_str_eq(tu_diags(t, d, sizeof d), "");
    ck_assert_uint_eq(ebts_txn_record_count(t), 3);
    ck_assert_uint_eq(ebts_field_value(ebts_record_field(ebts_txn_record(t, 1), 999)).len, 5);
    ck_assert_uint_eq(ebts_record_field_count(ebts_txn_record(t, 2)), 1);
    /* a LEN that is not the length of what follows is no record start: the binary data goes on */
    in[n - 2] = '9';
    ebts_txn_free(t);
    t = ebts_read_buffer(in, n, 0, NULL);
    ck_assert_ptr_nonnull(t);
    ck_assert_uint_eq(ebts_txn_record_count(t), 2);
    ebts_txn_free(t);
}
END_TEST

/* A repeated field number is reported once, at its second occurrence, however many fields the
 * record has (99 000 fields in pairs: found by sorting, not by a search from the start per
 * number). */
START_TEST(duplicates_at_second_occurrence)
{
    char in[256], d[256];
    static const char t1[] = "1.002:0500" GS "1.003:1" US "0" GS "1.005:A" GS "1.004:B" GS
                             "1.005:C" GS "1.004:D" GS "1.005:E";
    size_t n = rec(in, 1, t1, sizeof t1 - 1);
    ebts_txn *t = tu_read(in, n, 0, NULL);
    const ebts_record *r = ebts_txn_record(t, 0);
    char want[128];
    snprintf(want, sizeof want, "DUPLICATE_FIELD@%zu DUPLICATE_FIELD@%zu",
             ebts_field_offset(ebts_record_field_at(r, 5)),
             ebts_field_offset(ebts_record_field_at(r, 6)));
    ck_assert_str_eq(tu_diags(t, d, sizeof d), want);
    ebts_txn_free(t);
    size_t nf = 99000;
    char *big = malloc(64 + nf * 16);
    size_t k = (size_t)sprintf(big, "1.001:0" GS "1.002:0500" GS "1.003:1" US "0");
    for (size_t i = 0; i < nf; i++)
        k += (size_t)sprintf(big + k, GS "1.%03zu:X", i / 2 + 4);
    big[k++] = FS[0];
    t = ebts_read_buffer(big, k, 0, NULL);
    ck_assert_ptr_nonnull(t);
    size_t dups = 0;
    for (size_t i = 0; i < ebts_txn_diag_count(t); i++)
        dups += strcmp(ebts_txn_diag(t, i)->code, "DUPLICATE_FIELD") == 0;
    ck_assert_uint_eq(dups, 9999); /* the cap: LEN_MISMATCH first, then TOO_MANY_DIAGNOSTICS */
    ebts_txn_free(t);
    free(big);
}
END_TEST

START_TEST(separator_before_tag_is_a_field_boundary)
{
    static const char in[] = "1.001:40" GS "1.002:0500" GS "1.003:1" US "0" RS "1.004:CAR" FS;
    ebts_txn *t = TU_READ(in, 0, NULL);
    ck_assert_ptr_nonnull(t);
    char d[256];
    ck_assert_str_eq(tu_diags(t, d, sizeof d), "SEPARATOR_BEFORE_TAG@29");
    ck_assert_str_eq(dump(t), "1{1=40,2=0500,3=1^0,4=CAR}");
    const ebts_diag *g = ebts_txn_diag(t, 0);
    ck_assert_str_eq(g->tag, "1.003");
    ck_assert_int_eq(g->record, 0);
    ck_assert_int_eq(g->recovered, 1);
    /* the writer repairs it */
    static const char fixed[] = "1.001:40" GS "1.002:0500" GS "1.003:1" US "0" GS "1.004:CAR" FS;
    tu_assert_writes(t, fixed, sizeof fixed - 1);
    ebts_txn_free(t);
}
END_TEST

START_TEST(rs_inside_value_is_not_a_boundary)
{
    /* an RS followed by text that is no tag of this record stays inside the value */
    static const char in[] = "1.001:44" GS "1.002:0500" GS "1.003:1" US "0" GS "1.004:A" RS "2.5:x" FS;
    ebts_txn *t = TU_READ(in, 0, NULL);
    char d[256];
    ck_assert_str_eq(tu_diags(t, d, sizeof d), "");
    ck_assert_str_eq(dump(t), "1{1=44,2=0500,3=1^0,4=A|2.5:x}");
    ebts_txn_free(t);
}
END_TEST

START_TEST(strict_mode_refuses_recoveries)
{
    static const char in[] = "1.001:99" GS "1.002:0500" GS "1.003:1" US "0" FS;
    ebts_error err = {0};
    ebts_txn *t = TU_READ(in, EBTS_READ_STRICT, &err);
    ck_assert_ptr_null(t);
    ck_assert_str_eq(err.code, "LEN_MISMATCH");
    ck_assert_uint_eq(err.offset, 0);
    ck_assert_str_eq(err.tag, "1.001");
    ck_assert_ptr_nonnull(strstr(err.msg, "LEN says 99, record is 30 bytes"));
    t = TU_READ(in, 0, &err);
    ck_assert_ptr_nonnull(t);
    ck_assert_uint_eq(ebts_txn_error_count(t, 0), 1);
    ebts_txn_free(t);
}
END_TEST

START_TEST(short_tags_pass_strict_mode)
{
    /* two-digit tags are reported but are no recovery */
    static const char in[] = "1.01:27" GS "1.02:0500" GS "1.03:1" US "0" FS;
    ebts_error err = {0};
    ebts_txn *t = TU_READ(in, EBTS_READ_STRICT, &err);
    ck_assert_msg(t != NULL, "%s %s", err.code, err.msg);
    ck_assert_uint_eq(ebts_txn_error_count(t, 1), 0);
    ebts_txn_free(t);
}
END_TEST

START_TEST(unread_bytes_are_kept)
{
    static const char in[] = "1.001:30" GS "1.002:0500" GS "1.003:1" US "0" FS "tail";
    ebts_txn *t = TU_READ(in, 0, NULL);
    ebts_span u = ebts_txn_unread(t);
    ck_assert_uint_eq(u.len, 4);
    ck_assert_mem_eq(u.ptr, "tail", 4);
    ebts_txn_free(t);
}
END_TEST

/* The item limit at its edge, for a value the 64-byte blocks read (only noting that it has
 * separators: the reader counts them when the value is as long as the limit) and one the byte
 * steps read, with every kind of block. */
START_TEST(item_limit_holds_at_its_edge)
{
    static char in[2][4096], body[2048];
    size_t b = 0;
    b += (size_t)sprintf(body + b, "2.002:00" GS "2.003:");
    for (int i = 0; i < 100; i++) /* 100 items in 199 bytes */
        b += (size_t)sprintf(body + b, i ? US "a" : "a");
    size_t last = b; /* in[1]: 2.003 ends the record, near the input's end: the byte steps */
    b += (size_t)sprintf(body + b, GS "2.004:");
    memset(body + b, 'z', 100);
    b += 100;
    size_t len[2];
    for (int k = 0; k < 2; k++) {
        len[k] = REC(in[k], 1, "1.002:0500" GS "1.003:1" US "1" RS "2" US "00");
        len[k] += rec(in[k] + len[k], 2, body, k ? last : b);
    }
    static const unsigned modes[] = {0, EBTS__READ_AVX2, EBTS__READ_SSE2, EBTS__READ_GENERAL};
    static const struct {
        size_t limit;
        int ok;
    } cases[] = {{1, 0}, {98, 0}, {99, 0}, {100, 1}, {101, 1}, {199, 1}, {200, 1}, {1000, 1}};
    for (size_t m = 0; m < sizeof modes / sizeof *modes; m++)
        for (int k = 0; k < 2; k++)
            for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
                ebts_read_options o;
                ebts_error err = {0};
                ebts_read_options_init(&o, modes[m]);
                o.max_items = cases[c].limit;
                ebts_txn *t = ebts_read_buffer_opts(in[k], len[k], &o, &err);
                if (cases[c].ok) {
                    ck_assert_msg(t != NULL, "limit %zu, mode %zu, input %d: %s", cases[c].limit,
                                  m, k, err.msg);
                    const ebts_field *f = ebts_record_field(ebts_txn_record(t, 1), 3);
                    ck_assert_uint_eq(ebts_field_item_count(f, 0), 100);
                } else {
                    ck_assert_msg(t == NULL, "limit %zu, mode %zu, input %d", cases[c].limit, m, k);
                    ck_assert_str_eq(err.code, "LIMIT_EXCEEDED");
                }
                ebts_txn_free(t);
            }
}
END_TEST

START_TEST(limits_are_enforced)
{
    char in[1024];
    static const char body[] = "2.002:00" GS "2.003:a" US "b" US "c" US "d";
    size_t n = REC(in, 1, "1.002:0500" GS "1.003:1" US "1" RS "2" US "00");
    n += rec(in + n, 2, body, sizeof body - 1);
    ebts_read_options o;
    ebts_error err = {0};
    ebts_read_options_init(&o, 0);
    o.max_items = 3;
    ck_assert_ptr_null(ebts_read_buffer_opts(in, n, &o, &err));
    ck_assert_str_eq(err.code, "LIMIT_EXCEEDED");
    ebts_read_options_init(&o, 0);
    o.max_records = 1;
    memset(&err, 0, sizeof err);
    ck_assert_ptr_null(ebts_read_buffer_opts(in, n, &o, &err));
    ck_assert_str_eq(err.code, "LIMIT_EXCEEDED");
    ebts_read_options_init(&o, 0);
    o.max_fields = 2;
    memset(&err, 0, sizeof err);
    ck_assert_ptr_null(ebts_read_buffer_opts(in, n, &o, &err));
    ck_assert_str_eq(err.code, "LIMIT_EXCEEDED");
    ebts_read_options_init(&o, 0);
    o.max_input = 10;
    memset(&err, 0, sizeof err);
    ck_assert_ptr_null(ebts_read_buffer_opts(in, n, &o, &err));
    ck_assert_str_eq(err.code, "INPUT_TOO_LARGE");
    ebts_txn *t = ebts_read_buffer(in, n, 0, NULL);
    ck_assert_ptr_nonnull(t);
    ebts_txn_free(t);
}
END_TEST

START_TEST(binary_records_are_typed_by_cnt)
{
    char in[512];
    size_t n = REC(in, 1, "1.002:0500" GS "1.003:1" US "1" RS "4" US "03");
    unsigned char t4[30] = {0, 0, 0, 30, 3, 1, 2, 255, 255, 255, 255, 255, 0, 0, 16, 0, 4, 0};
    t4[20] = 0x1c;
    memcpy(in + n, t4, sizeof t4);
    n += sizeof t4;
    ebts_txn *t = ebts_read_buffer(in, n, 0, NULL);
    char d[256];
    ck_assert_str_eq(tu_diags(t, d, sizeof d), "");
    const ebts_record *r = ebts_txn_record(t, 1);
    ck_assert_uint_eq(ebts_record_type(r), 4);
    ck_assert(ebts_record_is_binary(r));
    ck_assert_int_eq(ebts_record_idc(r), 3);
    ck_assert_uint_eq(ebts_record_data(r).len, 30);
    ck_assert_uint_eq(ebts_record_field_count(r), 0);
    ck_assert_ptr_null(ebts_record_field(r, 1));
    tu_assert_writes(t, in, n);
    ebts_txn_free(t);
}
END_TEST

START_TEST(accessors_accept_null)
{
    char tag[8];
    ck_assert_uint_eq(ebts_txn_record_count(NULL), 0);
    ck_assert_ptr_null(ebts_txn_record(NULL, 0));
    ck_assert_uint_eq(ebts_record_type(NULL), 0);
    ck_assert_ptr_null(ebts_record_field(NULL, 1));
    ck_assert_ptr_null(ebts_field_value(NULL).ptr);
    ck_assert_uint_eq(ebts_field_subfield_count(NULL), 0);
    ck_assert_str_eq(ebts_field_tag(NULL, tag, sizeof tag), "");
    ck_assert_uint_eq(ebts_txn_value(NULL, 2, 18).len, 0);
    ck_assert_uint_eq(ebts_txn_diag_count(NULL), 0);
    ebts_txn_free(NULL);
    ebts_free(NULL);
    ck_assert_str_eq(ebts_version(), EBTS_VERSION_STRING);
}
END_TEST

START_TEST(diagnostic_code_table)
{
    const char *code, *sum;
    size_t n = ebts_diag_codes(0, NULL, NULL);
    ck_assert_uint_ge(n, 30);
    for (size_t i = 0; i < n; i++) {
        ebts_diag_codes(i, &code, &sum);
        ck_assert_msg(strlen(sum) > 10, "%s has no summary", code);
        ebts_code_info info;
        ck_assert_int_eq(ebts_diag_code_info(code, &info, NULL), 0);
        ck_assert_ptr_eq(info.code, code);
        ck_assert_ptr_eq(info.summary, sum);
        ck_assert_msg(info.action && strlen(info.action) > 10, "%s says not what to do", code);
        ck_assert_msg(strchr(info.action, '\n') == NULL, "%s: what to do is one line", code);
        ck_assert(info.severity == EBTS_SEV_WARNING || info.severity == EBTS_SEV_ERROR);
        for (const char *c = code; *c; c++)
            ck_assert_msg((*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '_',
                          "code %s", code);
        for (size_t j = 0; j < i; j++) {
            const char *other;
            ebts_diag_codes(j, &other, NULL);
            ck_assert_str_ne(code, other);
        }
        /* found by its spelling, from any copy of it */
        char copy[64];
        snprintf(copy, sizeof copy, "%s", code);
        const ebts__code *c = ebts__code_find(copy);
        ck_assert_ptr_nonnull(c);
        ck_assert_ptr_eq(c->code, code);
        copy[strlen(copy) - 1] ^= 0x20; /* a code no entry has */
        ck_assert_ptr_null(ebts__code_find(copy));
    }
    ck_assert_ptr_null(ebts__code_find(""));
    /* docs/codes.md (generated from the table) documents every code */
    size_t rn;
    unsigned char *readme = tu_slurp("docs/codes.md", &rn);
    ck_assert_ptr_nonnull(readme);
    char *text = calloc(1, rn + 1);
    memcpy(text, readme, rn);
    for (size_t i = 0; i < n; i++) {
        char cell[64];
        ebts_diag_codes(i, &code, NULL);
        snprintf(cell, sizeof cell, "| `%s` |", code);
        ck_assert_msg(strstr(text, cell) != NULL, "docs/codes.md does not document %s", code);
    }
    free(text);
    free(readme);
}
END_TEST

/* Every way the reader classifies blocks: with what the processor has (AVX-512BW here), with
 * AVX2 at the most, with SSE2 alone. */
static const unsigned scan_modes[] = {0, EBTS__READ_AVX2, EBTS__READ_SSE2};
#define SCAN_MODES (sizeof scan_modes / sizeof scan_modes[0])

/* The separator scan classifies 64 bytes at a time (and the last bytes of the input eight at a
 * time): separators and bytes above 0x7F at every position of a block (values up to 70 bytes:
 * every position; longer ones: the positions on either side of each 16-byte line and the last
 * three), and on both sides of the GS that ends a value inside a block. 1.011 holds 1 or 100
 * bytes, so that 1.009 and 1.010 are read once near the end of the input and once by whole
 * blocks. */
static size_t next_place(size_t len, size_t at)
{
    do
        at++;
    while (at < len && len > 70 && at % 16 > 1 && at % 16 < 14 && at + 3 < len);
    return at;
}

START_TEST(scan_block_boundaries)
{
    for (size_t len = 1; len <= 140; len++)
        for (size_t at = 0; at < len; at = next_place(len, at))
            for (int what = 0; what < 4; what++) /* US, RS, high byte in 1.009, in 1.010 */
                for (size_t pad = 1; pad <= 100; pad += 99)
                    for (size_t mode = 0; mode < SCAN_MODES; mode++) {
                        char body[512], v[160], w[160];
                        memset(v, 'A', len);
                        memset(w, 'B', len);
                        if (what == 0 || what == 1)
                            v[at] = what == 0 ? US[0] : RS[0];
                        else
                            (what == 2 ? v : w)[at] = (char)0xE9;
                        int k = sprintf(body, "1.002:0500" GS "1.003:1" US "0" GS "1.009:");
                        size_t k9 = (size_t)k;
                        memcpy(body + k, v, len);
                        k += (int)len;
                        k += sprintf(body + k, GS "1.010:");
                        size_t k10 = (size_t)k;
                        memcpy(body + k, w, len);
                        k += (int)len;
                        k += sprintf(body + k, GS "1.011:");
                        memset(body + k, 'C', pad);
                        k += (int)pad;
                        char in[600];
                        size_t n = rec(in, 1, body, (size_t)k);
                        ebts_txn *t = tu_read(in, n, scan_modes[mode], NULL);
                        ck_assert_ptr_nonnull(t);
                        const ebts_record *r = ebts_txn_record(t, 0);
                        const ebts_field *f9 = ebts_record_field(r, 9);
                        const ebts_field *f10 = ebts_record_field(r, 10);
                        ck_assert_uint_eq(ebts_field_value(f9).len, len);
                        ck_assert_uint_eq(ebts_field_value(f10).len, len);
                        ck_assert_uint_eq(ebts_field_subfield_count(f9), what == 1 ? 2 : 1);
                        ck_assert_uint_eq(ebts_field_item_count(f9, 0), what == 0 ? 2 : 1);
                        if (what <= 1) {
                            ebts_span a = ebts_field_item(f9, what == 1 ? 1 : 0, what == 1 ? 0 : 1);
                            ck_assert_uint_eq(a.len, len - at - 1);
                            ck_assert_ptr_eq(a.ptr, ebts_field_value(f9).ptr + at + 1);
                        }
                        size_t base = n - 1 - (size_t)k; /* the body sits just before the FS */
                        size_t high = base + (what == 2 ? k9 : k10) + at;
                        char d[256], want[64] = "";
                        if (what >= 2)
                            snprintf(want, sizeof want, "NON_ASCII@%zu", high);
                        ck_assert_str_eq(tu_diags(t, d, sizeof d), want);
                        if (what >= 2)
                            ck_assert_str_eq(ebts_txn_diag(t, 0)->tag, what == 2 ? "1.009" : "1.010");
                        ebts_txn_free(t);
                    }
}
END_TEST

/* An RS or US at every place of a block, before what ends a Type-T value (a tag of type T, also
 * with leading zeros) and before what only looks like it, with enough bytes after it that whole
 * blocks are read: the value ends there (SEPARATOR_BEFORE_TAG at the separator) or goes on. */
START_TEST(tag_after_separator_in_blocks)
{
    static const struct {
        unsigned type;
        const char *after;
        int ends;
    } cases[] = {
        {2, "2.015:x", 1},   {2, "02.015:x", 1},   {2, "002.010:x", 1}, {2, "2.015x", 0},
        {2, "20260101", 0},  {2, "01", 0},         {2, "0.015:x", 0},   {2, "12.015:x", 0},
        {2, "3.015:x", 0},   {2, "2:", 0},         {2, "00", 0},        {10, "10.015:x", 1},
        {10, "010.015:x", 1}, {10, "1.015:x", 0},  {10, "100.015:x", 0}, {10, "10.", 0},
        {10, "10:5", 0},     {99, "99.100:x", 1},  {99, "0099.101:x", 1}, {99, "9.015:x", 0},
        {99, "98.015:x", 0},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++)
        for (size_t at = 0; at < 130; at++)
            for (int sep = 0; sep < 2; sep++)
                for (size_t mode = 0; mode < SCAN_MODES; mode++) {
                    unsigned ty = cases[c].type;
                    char body[512], in[700], t1[128], all[900], d[256];
                    int k = sprintf(body, "%u.002:00" GS "%u.009:", ty, ty);
                    size_t v9 = (size_t)k;
                    memset(body + k, 'A', at);
                    k += (int)at;
                    body[k++] = sep ? RS[0] : US[0];
                    k += sprintf(body + k, "%s", cases[c].after);
                    memset(body + k, 'B', 150);
                    k += 150;
                    size_t n = rec(in, ty, body, (size_t)k);
                    int k1 = sprintf(t1, "1.002:0500" GS "1.003:1" US "1" RS "%u" US "00", ty);
                    size_t n1 = rec(all, 1, t1, (size_t)k1);
                    memcpy(all + n1, in, n);
                    ebts_txn *t = tu_read(all, n1 + n, scan_modes[mode], NULL);
                    ck_assert_ptr_nonnull(t);
                    size_t sep_at = n1 + (n - 1 - (size_t)k) + v9 + at;
                    char want[64] = "";
                    if (cases[c].ends)
                        snprintf(want, sizeof want, "SEPARATOR_BEFORE_TAG@%zu", sep_at);
                    tu_diags(t, d, sizeof d);
                    ck_assert_msg(strcmp(d, want) == 0, "Type-%u, %s \"%s\" after %zu bytes, mode %zu: \"%s\"",
                                  ty, sep ? "RS" : "US", cases[c].after, at, mode, d);
                    const ebts_field *f9 = ebts_record_field(ebts_txn_record(t, 1), 9);
                    ck_assert_uint_eq(ebts_field_value(f9).len,
                                      cases[c].ends ? at : at + 1 + strlen(cases[c].after) + 150);
                    ck_assert_uint_eq(ebts_field_subfield_count(f9), cases[c].ends ? 1 : 1 + sep);
                    ck_assert_uint_eq(ebts_field_item_count(f9, 0), cases[c].ends ? 1 : 2 - sep);
                    ebts_txn_free(t);
                }
}
END_TEST

/* After RS or US, only a tag of the record's own type ends the value; the type may be spelled
 * with leading zeros. */
START_TEST(tag_after_separator_is_exact)
{
    static const struct {
        const char *after, *diags;
    } cases[] = {
        {"1.5:x", "SEPARATOR_BEFORE_TAG"}, {"01.5:x", "SEPARATOR_BEFORE_TAG"},
        {"001.05:x", "SEPARATOR_BEFORE_TAG"}, {"10.5:x", ""}, {"11.5:x", ""}, {"1x", ""},
        {"1.", ""}, {"1.5", ""}, {"0.5:x", ""}, {"2.5:x", ""}, {"1", ""},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        char body[128], in[200], d[256];
        int k = sprintf(body, "1.002:0500" GS "1.003:1" US "0" GS "1.009:A" RS "%s", cases[c].after);
        size_t n = rec(in, 1, body, (size_t)k);
        ebts_txn *t = tu_read(in, n, 0, NULL);
        ck_assert_ptr_nonnull(t);
        tu_diags(t, d, sizeof d);
        char *at = strchr(d, '@');
        if (at)
            *at = 0;
        ck_assert_msg(strcmp(d, cases[c].diags) == 0, "after RS \"%s\": \"%s\"", cases[c].after, d);
        ebts_txn_free(t);
    }
}
END_TEST

/* RS/US that may stand before a tag in two blocks of one value: RS "02x" (no tag) at a in the
 * first block, and in the next, RS "02x" at q and then RS and a tag at r: the value ends at the
 * tag, whatever a, q and r (the first block's candidates are not skipped in the second). */
START_TEST(tag_candidates_in_two_blocks)
{
    for (size_t a = 0; a <= 60; a += 2)
        for (size_t q = 0; q <= 50; q += 3)
            for (size_t r = q + 4; r <= 60; r += 4)
                for (size_t mode = 0; mode < SCAN_MODES; mode++) {
                    char body[512], in[700], all[900], t1[128], d[256];
                    int k = sprintf(body, "2.002:00" GS "2.009:");
                    size_t vs = (size_t)k;
                    memset(body + k, 'A', 300);
                    memcpy(body + vs + a, RS "02x", 4);
                    memcpy(body + vs + 64 + q, RS "02x", 4);
                    memcpy(body + vs + 64 + r, RS "2.015:y", 8);
                    k = (int)(vs + 300);
                    size_t n = rec(in, 2, body, (size_t)k);
                    int k1 = sprintf(t1, "1.002:0500" GS "1.003:1" US "1" RS "2" US "00");
                    size_t n1 = rec(all, 1, t1, (size_t)k1);
                    memcpy(all + n1, in, n);
                    ebts_txn *t = tu_read(all, n1 + n, scan_modes[mode], NULL);
                    ck_assert_ptr_nonnull(t);
                    char want[64];
                    snprintf(want, sizeof want, "SEPARATOR_BEFORE_TAG@%zu",
                             n1 + (n - 1 - (size_t)k) + vs + 64 + r);
                    ck_assert_str_eq(tu_diags(t, d, sizeof d), want);
                    const ebts_field *f9 = ebts_record_field(ebts_txn_record(t, 1), 9);
                    ck_assert_uint_eq(ebts_field_subfield_count(f9), 3);
                    ck_assert_uint_eq(ebts_field_value(f9).len, 64 + r);
                    ebts_txn_free(t);
                }
}
END_TEST

/* Tags the reader's short path takes ("T.NNN:" with the record's type as the first tag spells it)
 * and the ones beside it that it must leave to the full tag reader: four-digit and two-digit
 * field numbers, a type with a leading zero, a two-digit type, and a tag in the last bytes of
 * the input. Each keeps its number and spelling, and the transaction writes back as it came. */
START_TEST(usual_tags_and_their_neighbours)
{
    static const char t1[] = "1.002:0500" GS "1.003:1" US "2" RS "10" US "01" RS "2" US "00"
                             GS "1.004:CAR";
    char in[1024], tag[24], d[256];
    size_t n = rec(in, 1, t1, sizeof t1 - 1);
    n += REC(in + n, 10, "10.002:01" GS "10.003:FACE" GS "10.0031:X" GS "010.032:Y" GS "10.33:Z");
    n += REC(in + n, 2, "2.002:00" GS "2.047:A" GS "2.0471:B" GS "2.04:C" GS "02.048:D" GS
                        "2.049:E" GS "2.0a5:F" GS "2.051:");
    for (int k = 0; k < 3; k++) {
        static const unsigned modes[] = {0, EBTS__READ_AVX2, EBTS__READ_SSE2};
        ebts_txn *t = ebts_read_buffer(in, n, modes[k], NULL);
        ck_assert_ptr_nonnull(t);
        ck_assert_str_eq(dump(t), "1{1=51,2=0500,3=1^2|10^01|2^00,4=CAR} "
                                  "10{1=60,2=01,3=FACE,31=X,32=Y,33=Z} "
                                  "2{1=74,2=00,47=A,471=B,4=C,48=D,49=E,0=2.0a5:F,51=}");
        ck_assert_str_eq(tu_diags(t, d, sizeof d), "SHORT_TAG@103 SHORT_TAG@146 BAD_TAG@170");
        const ebts_record *r10 = ebts_txn_record(t, 1), *r2 = ebts_txn_record(t, 2);
        ck_assert_str_eq(ebts_field_tag(ebts_record_field(r10, 31), tag, sizeof tag), "10.0031");
        ck_assert_str_eq(ebts_field_tag(ebts_record_field(r10, 32), tag, sizeof tag), "010.032");
        ck_assert_str_eq(ebts_field_tag(ebts_record_field(r2, 471), tag, sizeof tag), "2.0471");
        ck_assert_str_eq(ebts_field_tag(ebts_record_field(r2, 48), tag, sizeof tag), "02.048");
        ck_assert_str_eq(ebts_field_tag(ebts_record_field(r2, 51), tag, sizeof tag), "2.051");
        tu_assert_writes(t, in, n);
        ebts_txn_free(t);
    }
}
END_TEST

/* Two reads of in: with the short path and with EBTS__READ_GENERAL. Both load or both fail
 * alike; records, fields (every member), findings and written bytes are the same. Returns the
 * findings of the first read ("!CODE@offset" when it failed). */
static const char *short_and_general(const char *in, size_t n, const ebts_read_options *base)
{
    static char d[1024];
    char e[1024];
    ebts_read_options o = *base, g = *base;
    o.flags |= EBTS_READ_BORROW; /* both read the same bytes: values at the same addresses */
    g.flags |= EBTS_READ_BORROW | EBTS__READ_GENERAL;
    ebts_error ea = {0}, eg = {0};
    ebts_txn *t = ebts_read_buffer_opts(in, n, &o, &ea), *u = ebts_read_buffer_opts(in, n, &g, &eg);
    if (!t || !u) {
        ck_assert_ptr_null(t);
        ck_assert_ptr_null(u);
        ck_assert_str_eq(ea.code, eg.code);
        ck_assert_uint_eq(ea.offset, eg.offset);
        snprintf(d, sizeof d, "!%s@%zu", ea.code, ea.offset);
        return d;
    }
    ck_assert_str_eq(tu_diags(u, e, sizeof e), tu_diags(t, d, sizeof d));
    ck_assert_uint_eq(t->nrecs, u->nrecs);
    for (size_t ri = 0; ri < t->nrecs; ri++) {
        const ebts_record *a = t->recs[ri], *b = u->recs[ri];
        ck_assert_uint_eq(a->nfields, b->nfields);
        ck_assert_int_eq(a->span != NULL, b->span != NULL); /* copied as read by both, or not */
        ck_assert_uint_eq(a->spanlen, b->spanlen);
        for (uint32_t fi = 0; fi < a->nfields; fi++) {
            const ebts_field *x = &a->fields[fi], *y = &b->fields[fi];
            ck_assert_ptr_eq(x->val, y->val);
            ck_assert_uint_eq(x->len, y->len);
            ck_assert_uint_eq(x->number, y->number);
            ck_assert_uint_eq(x->offset, y->offset);
            ck_assert_uint_eq(x->tagtype, y->tagtype);
            ck_assert_uint_eq(ebts__nsub(x), ebts__nsub(y));
            ck_assert_uint_eq(ebts__nitems(x), ebts__nitems(y));
            ck_assert_uint_eq(x->type_w, y->type_w);
            ck_assert_uint_eq(x->num_w, y->num_w);
            ck_assert_uint_eq(x->flags, y->flags);
        }
    }
    size_t wn, gn;
    unsigned char *w = tu_write(t, 0, &wn), *wg = tu_write(u, 0, &gn);
    ck_assert_uint_eq(wn, gn);
    ck_assert_mem_eq(w, wg, wn);
    ebts_free(w);
    ebts_free(wg);
    ebts_txn_free(t);
    ebts_txn_free(u);
    return d;
}

/* The reader's short path (a usual tag, a value ended within sixteen bytes) against the general
 * steps, at what it must get right or leave to them: the only findings such a field can have
 * (a leading space; a byte above 0x7F, in a 7-bit Type-1 and in Type-2), empty values, values
 * of 15 and 16 bytes, RS or US inside, GS as the input's last byte after a 15-byte value (one
 * of the cuts), x.999, the neighbours of the usual tag, a record without a finding (kept as
 * read), findings of the record (a duplicate, a wrong LEN), and the limits on fields and items
 * reached at a short field. */
START_TEST(short_path_reads_as_the_general_one)
{
    char in[2048];
    ebts_read_options o;
    ebts_read_options_init(&o, 0);
    size_t n = REC(in, 1, "1.002:0500" GS "1.003:1" US "5" RS "2" US "00" RS "10" US "01" RS "2"
                          US "03" RS "2" US "04" RS "2" US "02" GS "1.004:C\xc1R");
    n += REC(in + n, 2, "2.002:00" GS "2.003: AB" GS "2.004:\xc9T" GS "2.005:ABCDEFGHIJKLMNO" GS
                        "2.006:ABCDEFGHIJKLMNOP" GS "2.007:" GS "2.008:A" RS "B" GS "2.009:A" US
                        "B" GS "2.005:dup" GS "2.999:text" GS "3.010:X" GS "2.04:Y" GS
                        "2.0047:Z" GS "2.050:" "\xff" GS "2.051: ");
    n += REC(in + n, 10, "10.002:01" GS "10.003:FACE" GS "10.999:\x1d\x1c\x1e\xff");
    n += REC(in + n, 2, "2.002:03" GS "2.003:X" GS "2.004:Y"); /* no finding: kept as read */
    size_t at = n;
    n += REC(in + n, 2, "2.002:04" GS "2.003:X" GS "2.004:Y");
    in[at + 6]++; /* its LEN's first digit: the LEN is wrong */
    n += REC(in + n, 2, "2.002:02" GS "2.003:ABCDEFGHIJKLMNO" GS);
    in[n - 1] = GS[0]; /* its FS replaced: GS as the input's last byte, after a 15-byte value */
    const char *d = short_and_general(in, n, &o);
    ck_assert_ptr_nonnull(strstr(d, "NON_ASCII@"));
    ck_assert_ptr_nonnull(strstr(d, "LEADING_SPACE@"));
    ck_assert_ptr_nonnull(strstr(d, "DUPLICATE_FIELD@"));
    ck_assert_ptr_nonnull(strstr(d, "MISSING_FS@"));
    ck_assert_ptr_nonnull(strstr(d, "LEN_MISMATCH@"));
    for (size_t cut = n - 40; cut <= n; cut++) { /* the input's last bytes, in memory of */
        char *c = malloc(cut);                      /* their size (the sanitizers see past) */
        ck_assert_ptr_nonnull(c);
        memcpy(c, in, cut);
        short_and_general(c, cut, &o);
        free(c);
    }
    for (size_t lim = 1; lim < 26; lim++) { /* the field limit, at each field */
        ebts_read_options_init(&o, 0);
        o.max_fields = lim;
        short_and_general(in, n, &o);
    }
    for (size_t lim = 0; lim < 3; lim++) { /* no item at all; one; two */
        ebts_read_options_init(&o, 0);
        o.max_items = lim;
        short_and_general(in, n, &o);
    }
}
END_TEST

Suite *suite_frame(void)
{
    Suite *s = suite_create("frame");
    TCase *tc = tcase_create("frame");
    tcase_set_timeout(tc, 60); /* the block tests read about 60 000 transactions (sanitizers) */
    tcase_add_test(tc, minimal_transaction_structure);
    tcase_add_test(tc, tag_numbers_are_integers);
    tcase_add_test(tc, binary_data_holds_separators);
    tcase_add_test(tc, separator_before_tag_is_a_field_boundary);
    tcase_add_test(tc, rs_inside_value_is_not_a_boundary);
    tcase_add_test(tc, strict_mode_refuses_recoveries);
    tcase_add_test(tc, short_tags_pass_strict_mode);
    tcase_add_test(tc, unread_bytes_are_kept);
    tcase_add_test(tc, limits_are_enforced);
    tcase_add_test(tc, item_limit_holds_at_its_edge);
    tcase_add_test(tc, binary_records_are_typed_by_cnt);
    tcase_add_test(tc, accessors_accept_null);
    tcase_add_test(tc, diagnostic_code_table);
    tcase_add_test(tc, scan_block_boundaries);
    tcase_add_test(tc, len_only_record_after_binary);
    tcase_add_test(tc, duplicates_at_second_occurrence);
    tcase_add_test(tc, tag_after_separator_is_exact);
    tcase_add_test(tc, tag_after_separator_in_blocks);
    tcase_add_test(tc, tag_candidates_in_two_blocks);
    tcase_add_test(tc, usual_tags_and_their_neighbours);
    tcase_add_test(tc, short_path_reads_as_the_general_one);
    suite_add_tcase(s, tc);
    return s;
}
