/* Differences in EBTS terms: what counts, what does not, and how it is said. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "testutil.h"

static const char *lines(const char *a, const char *b, unsigned flags, const char *const *ign,
                         size_t nign)
{
    static char buf[4096];
    ebts_txn *x = ebts_read_file(a, 0, NULL), *y = ebts_read_file(b, 0, NULL);
    ck_assert_ptr_nonnull(x);
    ck_assert_ptr_nonnull(y);
    ebts_diff_options o = {flags, ign, nign};
    ebts_diff_result *d = ebts_diff(x, y, &o, NULL);
    buf[0] = 0;
    char line[512];
    for (size_t i = 0; i < ebts_diff_count(d); i++)
        snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%s\n",
                 ebts_difference_format(ebts_diff_at(d, i), 0, line, sizeof line));
    ebts_diff_free(d);
    ebts_txn_free(x);
    ebts_txn_free(y);
    return buf;
}

static const char *diff_txn(const ebts_txn *x, const ebts_txn *y, unsigned flags, int redact)
{
    static char buf[4096];
    ebts_diff_options o = {flags, NULL, 0};
    ebts_diff_result *d = ebts_diff(x, y, &o, NULL);
    buf[0] = 0;
    char line[512];
    for (size_t i = 0; i < ebts_diff_count(d); i++)
        snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%s\n",
                 ebts_difference_format(ebts_diff_at(d, i), redact, line, sizeof line));
    ebts_diff_free(d);
    return buf;
}

#define S "fixtures/samples/"

/* A transaction of tagged records given as "T/IDC/value" strings (value in x.005 of Type-2,
 * absent for other types), built as bytes with correct LEN and CNT. Free with ebts_txn_free. */
static ebts_txn *build(const char *const *recs, size_t n)
{
    size_t cap = 256 + n * 64;
    char *out = malloc(cap), *cnt = malloc(32 + n * 16), *body = malloc(64);
    size_t k = 0, c = (size_t)sprintf(cnt, "1" US "%zu", n);
    for (size_t i = 0; i < n; i++) {
        unsigned type;
        int idc;
        char val[32] = "";
        ck_assert_int_ge(sscanf(recs[i], "%u/%d/%31s", &type, &idc, val), 2);
        c += (size_t)sprintf(cnt + c, RS "%u" US "%02d", type, idc);
    }
    char t1[64];
    snprintf(t1, sizeof t1, GS "1.002:0500" GS "1.003:");
    /* Type-1: LEN fixed point */
    size_t blen = strlen(t1) + c + strlen(GS "1.004:CAR" FS);
    size_t len = blen + 8;
    for (int it = 0; it < 3; it++)
        len = (size_t)snprintf(NULL, 0, "1.001:%zu", len) + blen;
    k += (size_t)sprintf(out + k, "1.001:%zu%s", len, t1);
    memcpy(out + k, cnt, c);
    k += c;
    k += (size_t)sprintf(out + k, GS "1.004:CAR" FS);
    for (size_t i = 0; i < n; i++) {
        unsigned type;
        int idc;
        char val[32] = "";
        sscanf(recs[i], "%u/%d/%31s", &type, &idc, val);
        int bl = val[0] ? sprintf(body, GS "%u.002:%02d" GS "%u.005:%s" FS, type, idc, type, val)
                        : sprintf(body, GS "%u.002:%02d" FS, type, idc);
        size_t rl = (size_t)bl + 8;
        for (int it = 0; it < 3; it++)
            rl = (size_t)snprintf(NULL, 0, "%u.001:%zu", type, rl) + (size_t)bl;
        k += (size_t)sprintf(out + k, "%u.001:%zu%s", type, rl, body);
    }
    ebts_txn *t = ebts_read_buffer(out, k, 0, NULL);
    ck_assert_ptr_nonnull(t);
    ck_assert_uint_eq(ebts_txn_error_count(t, 1), 0);
    free(out);
    free(cnt);
    free(body);
    return t;
}

/* Alignment: each A record takes the first free B record of its type and IDC, then of its type. */
START_TEST(alignment_by_idc_then_type)
{
    static const char *const a[] = {"2/1/a", "2/1/b", "2/2/c", "9/1", "2/5/e"};
    static const char *const b[] = {"2/2/c", "2/1/a", "9/3", "2/1/b", "2/7/e"};
    ebts_txn *x = build(a, 5), *y = build(b, 5);
    ck_assert_str_eq(diff_txn(x, y, 0, 0),
                     "~ Type-2 record (IDC 02) moved: position 3 in A, 1 in B\n"
                     "~ Type-9 record (IDC 01) moved: position 4 in A, 3 in B\n"
                     "9.002 IDC: \"01\" -> \"03\"\n"
                     "2.002 IDC: \"05\" -> \"07\"\n");
    ebts_txn_free(x);
    ebts_txn_free(y);
}
END_TEST

/* Many records with distinct IDCs: validation and the diff's alignment stay near-linear (they
 * compared every pair once; under Check's time limit this test is what notices a return). */
START_TEST(many_records)
{
    size_t n = 40000;
    const char **recs = malloc(n * sizeof *recs);
    char *names = malloc(n * 16);
    for (size_t i = 0; i < n; i++) {
        snprintf(names + 16 * i, 16, "2/%zu/v", i);
        recs[i] = names + 16 * i;
    }
    ebts_txn *x = build(recs, n);
    snprintf(names + 16 * (n - 1), 16, "2/5/v"); /* the last one repeats record 6's IDC */
    ebts_txn *y = build(recs, n);
    ck_assert_str_eq(diff_txn(x, x, 0, 0), "");
    ebts_report *r = ebts_validate(y, NULL, NULL);
    size_t dup = 0;
    for (size_t i = 0; i < ebts_report_count(r); i++)
        if (strcmp(ebts_report_diag(r, i)->code, "IDC_DUPLICATE") == 0) {
            dup++;
            ck_assert_str_eq(ebts_report_diag(r, i)->msg,
                             "IDC 5 is used by Type-2 records 6 and 40000");
        }
    ck_assert_uint_eq(dup, 1);
    ebts_report_free(r);
    ebts_txn_free(x);
    ebts_txn_free(y);
    free(recs);
    free(names);
}
END_TEST

START_TEST(published_and_clean)
{
    /* the ERRTs differ only in LEN, which never counts */
    ck_assert_str_eq(lines(S "published/errt-doa.eft", S "clean/errt-doa.eft", 0, NULL, 0), "");
    ck_assert_str_eq(lines(S "published/errt-amputated.eft", S "clean/errt-amputated.eft", 0, NULL, 0), "");
    /* the no-match differs by its quotes and final LF: none counts by meaning */
    ck_assert_str_ne(lines(S "published/idr-nomatch.eft", S "clean/idr-nomatch.eft", 0, NULL, 0), "");
    ck_assert_str_eq(lines(S "published/idr-nomatch.eft", S "clean/idr-nomatch.eft",
                           EBTS_DIFF_SEMANTIC | EBTS_DIFF_IGNORE_SPACE, NULL, 0), "");
    /* the match: the photo the published print lacks is all that remains */
    ck_assert_str_eq(lines(S "published/idr-iar-match.eft", S "clean/idr-iar-match.eft",
                           EBTS_DIFF_SEMANTIC | EBTS_DIFF_IGNORE_SPACE, NULL, 0),
                     "1.003 CNT disagrees with the records in A: \"1:2 2:0 10:1\" -> "
                     "\"1:2 2:0 10:1\"\n"
                     "+ Type-10 record (IDC 01)\n");
}
END_TEST

START_TEST(the_two_errts_differ_in_2060_only)
{
    ck_assert_str_eq(lines(S "clean/errt-doa.eft", S "clean/errt-amputated.eft", 0, NULL, 0),
                     "2.060 MSG: \"L0013 DOA/DPR of [20090210] older than 7 days \" -> "
                     "\"S0002 [EFTS-1031] Fingerprint 2 is amputated \"\n");
    const char *ign[] = {"2.060"};
    ck_assert_str_eq(lines(S "clean/errt-doa.eft", S "clean/errt-amputated.eft", 0, ign, 1), "");
}
END_TEST

START_TEST(flipped_jpeg_byte)
{
    ebts_txn *x = ebts_read_file(S "clean/idr-iar-match.eft", 0, NULL);
    ebts_txn *y = ebts_read_file(S "clean/idr-iar-match.eft", 0, NULL);
    ebts_span img = ebts_txn_value(y, 10, 999);
    unsigned char *copy = malloc(img.len);
    memcpy(copy, img.ptr, img.len);
    copy[200] ^= 0x40;
    ck_assert_int_eq(ebts_txn_set_field(y, 2, 999, copy, img.len, NULL), 0);
    ck_assert_str_eq(diff_txn(x, y, 0, 0), "10.999 DATA: 888 bytes, first difference at byte 200\n");
    ck_assert_str_eq(diff_txn(x, y, 0, 1), "10.999 DATA: 888 bytes, first difference at byte 200\n");
    free(copy);
    ebts_txn_free(x);
    ebts_txn_free(y);
}
END_TEST

START_TEST(inserted_field_is_one_difference)
{
    ebts_txn *x = ebts_read_file(S "clean/idr-nomatch.eft", 0, NULL);
    ebts_txn *y = ebts_read_file(S "clean/idr-nomatch.eft", 0, NULL);
    ck_assert_int_eq(ebts_txn_set_field(y, 1, 20, "TX", 2, NULL), 0); /* between 2.018 and 2.059 */
    ck_assert_str_eq(diff_txn(x, y, 0, 0), "+ 2.020 POB: \"TX\"\n");
    ck_assert_str_eq(diff_txn(y, x, 0, 0), "- 2.020 POB: \"TX\"\n");
    ck_assert_str_eq(diff_txn(x, y, 0, 1), "+ 2.020 POB\n");
    ebts_txn_free(x);
    ebts_txn_free(y);
}
END_TEST

/* Fields pair by number and occurrence: the k-th 2.005 of A with the k-th of B. */
START_TEST(repeated_fields_pair_by_occurrence)
{
    static const char a[] = "1.001:0" GS "1.002:0500" GS "1.003:1" US "1" RS "2" US "00" FS
                            "2.001:0" GS "2.002:00" GS "2.005:a" GS "2.006:x" GS "2.005:b" GS
                            "2.005:d" FS;
    static const char b[] = "1.001:0" GS "1.002:0500" GS "1.003:1" US "1" RS "2" US "00" FS
                            "2.001:0" GS "2.002:00" GS "2.005:a" GS "2.005:c" GS "2.007:y" FS;
    ebts_txn *x = TU_READ(a, 0, NULL), *y = TU_READ(b, 0, NULL);
    ck_assert_str_eq(diff_txn(x, y, 0, 0), "- 2.006 ATN: \"x\"\n"
                                           "2.005 RET: \"b\" -> \"c\"\n"
                                           "- 2.005 RET: \"d\"\n"
                                           "+ 2.007 SCO: \"y\"\n");
    ebts_txn_free(x);
    ebts_txn_free(y);
}
END_TEST

START_TEST(records_added_and_reordered)
{
    ebts_txn *x = ebts_read_file("fixtures/validate/sre-two-photos.eft", 0, NULL);
    ebts_txn *y = ebts_read_file("fixtures/validate/sre-two-photos.eft", 0, NULL);
    ebts_txn *z = ebts_read_file("fixtures/validate/valid-sre-match.eft", 0, NULL);
    ck_assert_str_eq(diff_txn(z, x, 0, 0), "+ Type-10 record (IDC 02)\n");
    ck_assert_str_eq(diff_txn(x, z, 0, 0), "- Type-10 record (IDC 02)\n");
    /* swap the two photos (rebuild IDC 02 before IDC 01): aligned by IDC, one move */
    ck_assert_int_eq(ebts_txn_delete_record(y, 3, NULL), 0);
    ck_assert_int_eq(ebts_txn_insert_record(y, 2, 10, 2, NULL), 0);
    const ebts_record *orig = ebts_txn_record(x, 3);
    for (size_t i = 2; i < ebts_record_field_count(orig); i++) {
        const ebts_field *f = ebts_record_field_at(orig, i);
        ebts_span v = ebts_field_value(f);
        ck_assert_int_eq(ebts_txn_set_field(y, 2, ebts_field_number(f), v.ptr, v.len, NULL), 0);
    }
    ck_assert_str_eq(diff_txn(x, y, 0, 0), "~ Type-10 record (IDC 02) moved: position 3 in A, 2 in B\n");
    ebts_txn_free(x);
    ebts_txn_free(y);
    ebts_txn_free(z);
}
END_TEST

START_TEST(spelling_len_and_volatile_fields)
{
    /* the same content with 3-digit tags and another LEN spelling: equal */
    ebts_txn *x = ebts_read_file(S "clean/errt-doa.eft", 0, NULL);
    ebts_txn *y = ebts_txn_new("0201", NULL);
    const ebts_record *t1 = ebts_txn_record(x, 0);
    for (size_t i = 3; i < ebts_record_field_count(t1); i++) {
        const ebts_field *f = ebts_record_field_at(t1, i);
        ebts_span v = ebts_field_value(f);
        ebts_txn_set_field(y, 0, ebts_field_number(f), v.ptr, v.len, NULL);
    }
    ebts_txn_insert_record(y, 1, 2, 0, NULL);
    const ebts_record *t2 = ebts_txn_record(x, 1);
    for (size_t i = 2; i < ebts_record_field_count(t2); i++) {
        const ebts_field *f = ebts_record_field_at(t2, i);
        ebts_span v = ebts_field_value(f);
        ebts_txn_set_field(y, 1, ebts_field_number(f), v.ptr, v.len, NULL);
    }
    ck_assert_str_eq(diff_txn(x, y, 0, 0), "");
    ebts_txn_set_field(y, 0, 5, "20261231", 8, NULL);
    ebts_txn_set_field(y, 0, 9, "OTHERTCN000001", 14, NULL);
    ck_assert_str_ne(diff_txn(x, y, 0, 0), "");
    ck_assert_str_eq(diff_txn(x, y, EBTS_DIFF_IGNORE_VOLATILE, 0), "");
    ebts_txn_free(x);
    ebts_txn_free(y);
}
END_TEST

START_TEST(semantic_idr_encounter_changed)
{
    ebts_encounter e1[2] = {{"1105048570", "DOE,JOHN", "19630101", "XX", "M", 0, 0, 0},
                            {"1105046343", "DOE,JOHNNY Q", "19650208", "CN", "M", 0, 0, 0}};
    ebts_encounter e2[2] = {{"1105048570", "DOE,JOHN", "19630102", "XX", "M", 0, 0, 0},
                            {"1200000000", "ROE,RICHARD", "19700101", "XX", "M", 0, 0, 0}};
    ebts_gen_options o;
    memset(&o, 0, sizeof o);
    o.tcr = "TCN0000000001";
    o.dai = "TX0000000";
    o.name = "DOE,JOHN";
    o.cri = "TX0000000";
    o.date = "20260115";
    o.encounters = e1;
    o.nencounters = 2;
    ebts_txn *x = ebts_gen_response(EBTS_GEN_IDR_MATCH, NULL, &o, NULL);
    o.encounters = e2;
    ebts_txn *y = ebts_gen_response(EBTS_GEN_IDR_MATCH, NULL, &o, NULL);
    ck_assert_str_eq(diff_txn(x, y, EBTS_DIFF_SEMANTIC, 0),
                     "2.075 ERS EID 1105048570 DOB: \"19630101\" -> \"19630102\"\n"
                     "- 2.075 ERS EID 1105046343: \"DOE,JOHNNY Q\"\n"
                     "+ 2.075 ERS EID 1200000000: \"ROE,RICHARD\"\n");
    ck_assert_str_eq(diff_txn(x, y, EBTS_DIFF_SEMANTIC, 1),
                     "2.075 ERS encounter DOB changed\n- 2.075 ERS encounter\n+ 2.075 ERS encounter\n");
    o.nencounters = 0; /* a no-match carries none */
    ebts_txn *z = ebts_gen_response(EBTS_GEN_IDR_NOMATCH, NULL, &o, NULL);
    ck_assert_ptr_nonnull(strstr(diff_txn(x, z, EBTS_DIFF_SEMANTIC, 0),
                                 "2.075 ERS IDR: \"MATCH\" -> \"NO MATCH\"\n"));
    ebts_txn_free(x);
    ebts_txn_free(y);
    ebts_txn_free(z);
}
END_TEST

/* The clean match sample with `from` replaced by `to` in 2.075 (and, when pdat is given, 10.005
 * PHD set to it). */
static ebts_txn *match_edited(const char *from, const char *to, const char *pdat)
{
    ebts_txn *t = ebts_read_file(S "clean/idr-iar-match.eft", 0, NULL);
    ck_assert_ptr_nonnull(t);
    ebts_span v = ebts_txn_value(t, 2, 75);
    char *text = malloc(v.len + 1), *out = malloc(v.len + 256);
    memcpy(text, v.ptr, v.len);
    text[v.len] = 0;
    char *at = from ? strstr(text, from) : NULL;
    ck_assert_msg(!from || at, "'%s' is not in the sample's 2.075", from);
    if (at) {
        size_t k = (size_t)(at - text);
        memcpy(out, text, k);
        strcpy(out + k, to);
        strcat(out, at + strlen(from));
    } else {
        strcpy(out, text);
    }
    ck_assert_int_eq(ebts_txn_set_field(t, 1, 75, out, strlen(out), NULL), 0);
    if (pdat)
        ck_assert_int_eq(ebts_txn_set_field(t, 2, 5, pdat, strlen(pdat), NULL), 0);
    free(text);
    free(out);
    return t;
}

/* The 1-based number of the line of the sample's 2.075 that begins with `start`. */
static long line_of(const ebts_txn *t, const char *start)
{
    ebts_span v = ebts_txn_value(t, 2, 75);
    long line = 1;
    for (size_t i = 0; i < v.len; i++) {
        if ((i == 0 || v.ptr[i - 1] == '\n') && v.len - i >= strlen(start) &&
            memcmp(v.ptr + i, start, strlen(start)) == 0)
            return line;
        line += v.ptr[i] == '\n';
    }
    return -1;
}

START_TEST(multi_line_value_as_lines)
{
    ebts_txn *x = match_edited(NULL, NULL, NULL);
    ebts_txn *y = match_edited("POB/ HONDU --> HONDURAS", "POB/ GUATE --> GUATEMALA", NULL);
    long n = line_of(x, "POB/ HONDU");
    ck_assert_int_gt(n, 40);
    char want[512];
    snprintf(want, sizeof want,
             "- 2.075 ERS line %ld: \"POB/ HONDU --> HONDURAS\"\n"
             "+ 2.075 ERS line %ld: \"POB/ GUATE --> GUATEMALA\"\n", n, n);
    ck_assert_str_eq(diff_txn(x, y, 0, 0), want);
    ebts_diff_options o = {0, NULL, 0};
    ebts_diff_result *d = ebts_diff(x, y, &o, NULL);
    ck_assert_uint_eq(ebts_diff_count(d), 2);
    ck_assert_str_eq(ebts_diff_at(d, 0)->kind_name, "line-removed");
    ck_assert_int_eq(ebts_diff_at(d, 0)->line_a, n);
    ck_assert_str_eq(ebts_diff_at(d, 1)->kind_name, "line-added");
    ck_assert_int_eq(ebts_diff_at(d, 1)->line_b, n);
    ebts_diff_free(d);
    /* a line inserted shifts no other line into the diff */
    ebts_txn *z = match_edited("ARN/ XXXXXXXXX\nFCO/", "ARN/ XXXXXXXXX\nAKA/ DOE, JANE\nFCO/", NULL);
    snprintf(want, sizeof want, "+ 2.075 ERS line %ld: \"AKA/ DOE, JANE\"\n", n + 2);
    ck_assert_str_eq(diff_txn(x, z, 0, 0), want);
    snprintf(want, sizeof want, "+ 2.075 ERS line %ld\n", n + 2);
    ck_assert_str_eq(diff_txn(x, z, 0, 1), want);
    ebts_txn_free(x);
    ebts_txn_free(y);
    ebts_txn_free(z);
}
END_TEST

START_TEST(volatile_includes_phd_and_iaq_received)
{
    ebts_txn *x = match_edited(NULL, NULL, NULL);
    ebts_txn *y = match_edited("IAQ RECEIVED: 10/14/08 10:47:42 PM", "IAQ RECEIVED: 10/15/08 01:02:03 AM",
                               "20080905");
    const char *all = diff_txn(x, y, 0, 0);
    ck_assert_msg(strstr(all, "10.005 PHD: \"20080904\" -> \"20080905\"") != NULL, "%s", all);
    ck_assert_msg(strstr(all, "+ 2.075 ERS line") && strstr(all, "10/15/08 01:02:03 AM"), "%s", all);
    ck_assert_str_eq(diff_txn(x, y, EBTS_DIFF_IGNORE_VOLATILE, 0), "");
    ck_assert_str_eq(diff_txn(x, y, EBTS_DIFF_IGNORE_VOLATILE | EBTS_DIFF_SEMANTIC, 0), "");
    ck_assert_str_eq(diff_txn(x, y, EBTS_DIFF_SEMANTIC, 0),
                     "2.075 ERS IAQ RECEIVED: \"10/14/08 10:47:42 PM\" -> \"10/15/08 01:02:03 AM\"\n"
                     "10.005 PHD: \"20080904\" -> \"20080905\"\n");
    ebts_txn_free(x);
    ebts_txn_free(y);
}
END_TEST

START_TEST(semantic_compares_the_whole_iar)
{
    ebts_txn *x = match_edited(NULL, NULL, NULL);
    /* the determination outside the star lines, turned round */
    ebts_txn *y = match_edited("WAS\nREMOVED FROM THE UNITED STATES. NO RECORD\nOF A LEGAL RE-ENTRY HAS BEEN FOUND.",
                               "NOT\nREMOVED FROM THE UNITED STATES.", NULL);
    ck_assert_str_eq(diff_txn(x, y, EBTS_DIFF_SEMANTIC, 0),
                     "2.075 ERS IAR record REM: \"...E THAT THIS SUBJECT WAS REMOVED FROM THE UNITED "
                     "STATES. NO R...\" -> \"...E THAT THIS SUBJECT NOT REMOVED FROM THE UNITED "
                     "STATES.\"\n");
    ebts_diff_options o = {EBTS_DIFF_SEMANTIC, NULL, 0};
    ebts_diff_result *d = ebts_diff(x, y, &o, NULL);
    ck_assert_uint_gt(ebts_diff_count(d), 0);
    for (size_t i = 0; i < ebts_diff_count(d); i++)
        ck_assert_str_eq(ebts_diff_at(d, i)->kind_name, "iar-changed");
    ebts_diff_free(d);
    ebts_txn *v = match_edited("THE FOLLOWING I.C.E. RECORD APPEARS TO RELATE:",
                               "NO I.C.E. RECORD APPEARS TO RELATE:", NULL);
    ck_assert_str_eq(diff_txn(x, v, EBTS_DIFF_SEMANTIC, 0),
                     "- 2.075 ERS IAR determination: \"THE FOLLOWING I.C.E. RECORD APPEARS TO RELATE:\"\n"
                     "+ 2.075 ERS IAR determination: \"NO I.C.E. RECORD APPEARS TO RELATE:\"\n");
    ebts_txn_free(v);
    /* a value of the ICE record */
    ebts_txn *z = match_edited("FCO/ NRC", "FCO/ XYZ", NULL);
    ck_assert_str_eq(diff_txn(x, z, EBTS_DIFF_SEMANTIC, 0),
                     "2.075 ERS IAR record FCO: \"NRC\" -> \"XYZ\"\n");
    /* a notice removed */
    ebts_txn *w = match_edited("IMPORTANT NOTICE\n", "", NULL);
    ck_assert_str_eq(diff_txn(x, w, EBTS_DIFF_SEMANTIC, 0),
                     "- 2.075 ERS IAR notice: \"IMPORTANT NOTICE\"\n");
    ck_assert_str_eq(diff_txn(x, w, EBTS_DIFF_SEMANTIC, 1), "2.075 ERS IAR notice: iar-changed\n");
    ebts_txn_free(x);
    ebts_txn_free(y);
    ebts_txn_free(z);
    ebts_txn_free(w);
}
END_TEST

START_TEST(unread_bytes_count)
{
    size_t n;
    unsigned char *eft = tu_slurp(S "clean/errt-doa.eft", &n);
    ck_assert_ptr_nonnull(eft);
    unsigned char *more = malloc(n + 15);
    memcpy(more, eft, n);
    memcpy(more + n, "TRAILING-BYTES!", 15);
    ebts_txn *x = ebts_read_buffer(eft, n, 0, NULL), *y = ebts_read_buffer(more, n + 15, 0, NULL);
    ck_assert_uint_eq(ebts_txn_unread(y).len, 15);
    ck_assert_str_eq(diff_txn(y, x, 0, 0), "bytes not read as records: 15 -> 0 bytes\n");
    ck_assert_str_eq(diff_txn(x, y, 0, 1), "bytes not read as records: 0 -> 15 bytes\n");
    ebts_diff_options o = {0, NULL, 0};
    ebts_diff_result *d = ebts_diff(x, y, &o, NULL);
    ck_assert_uint_eq(ebts_diff_count(d), 1);
    ck_assert_str_eq(ebts_diff_at(d, 0)->kind_name, "unread-changed");
    ck_assert_uint_eq(ebts_diff_at(d, 0)->new_len, 15);
    ebts_diff_free(d);
    more[n + 3] = 'X';
    ebts_txn *z = ebts_read_buffer(more, n + 15, 0, NULL);
    ck_assert_str_eq(diff_txn(y, z, 0, 0),
                     "bytes not read as records: 15 bytes, first difference at byte 3\n");
    ebts_txn_free(x);
    ebts_txn_free(y);
    ebts_txn_free(z);
    free(more);
    free(eft);
}
END_TEST

START_TEST(cnt_disagreement_counts)
{
    /* the same records; B's CNT announces a Type-10 record that is not there */
    static const char a[] = "1.001:40" GS "1.002:0500" GS "1.003:1" US "1" RS "2" US "00" GS
                            "1.004:ERRT" FS "2.001:18" GS "2.002:00" FS;
    static const char b[] = "1.001:46" GS "1.002:0500" GS "1.003:1" US "2" RS "2" US "00" RS
                            "10" US "01" GS "1.004:ERRT" FS "2.001:18" GS "2.002:00" FS;
    ebts_txn *x = TU_READ(a, 0, NULL), *y = TU_READ(b, 0, NULL);
    ck_assert_ptr_nonnull(x);
    ck_assert_ptr_nonnull(y);
    ck_assert_str_eq(diff_txn(x, y, 0, 0),
                     "1.003 CNT disagrees with the records in B: \"1:1 2:0\" -> \"1:2 2:0 10:1\"\n");
    ck_assert_str_eq(diff_txn(y, x, 0, 1), "1.003 CNT disagrees with the records in A: cnt-changed\n");
    /* a CNT that only spells its numbers differently is no difference */
    static const char c[] = "1.001:41" GS "1.002:0500" GS "1.003:1" US "01" RS "2" US "0" GS
                            "1.004:ERRT" FS "2.001:18" GS "2.002:00" FS;
    ebts_txn *z = TU_READ(c, 0, NULL);
    ck_assert_str_eq(diff_txn(x, z, 0, 0), "");
    const char *ign[] = {"1.003"};
    ck_assert_str_eq(lines(S "clean/errt-doa.eft", S "clean/errt-doa.eft", 0, ign, 1), "");
    ebts_txn_free(x);
    ebts_txn_free(y);
    ebts_txn_free(z);
}
END_TEST

/* Encounters pair by EID through a sort, not by asking every pair: 60 000 of them on each side
 * take well under a second (pairwise, minutes: past the suite's timeout). */
START_TEST(semantic_many_encounters)
{
    enum { N = 60000 };
    ebts_encounter *e = calloc(N, sizeof *e);
    char (*eid)[16] = calloc(N, sizeof *eid);
    for (size_t i = 0; i < N; i++) {
        snprintf(eid[i], sizeof eid[i], "%010zu", (i * 7919) % N); /* EIDs in no sorted order */
        e[i] = (ebts_encounter){eid[i], "DOE,JOHN", "19630101", "XX", "M", 0, 0, 0};
    }
    ebts_idr idr;
    memset(&idr, 0, sizeof idr);
    idr.match = 1;
    idr.encounters = e;
    idr.nencounters = N;
    size_t na, nb;
    char *ta = ebts_ers_compose(&idr, NULL, &na, NULL);
    e[5].dob = "19630102";
    e[N - 1].eid = "9999999999";
    char *tb = ebts_ers_compose(&idr, NULL, &nb, NULL);
    ck_assert_ptr_nonnull(ta);
    ck_assert_ptr_nonnull(tb);
    ebts_gen_options o;
    memset(&o, 0, sizeof o);
    o.tcr = "TCN0000000001";
    o.dai = "TX0000000";
    o.name = "DOE,JOHN";
    o.cri = "TX0000000";
    o.date = "20260115";
    o.encounters = e;
    o.nencounters = 1;
    ebts_txn *x = ebts_gen_response(EBTS_GEN_IDR_MATCH, NULL, &o, NULL);
    ebts_txn *y = ebts_gen_response(EBTS_GEN_IDR_MATCH, NULL, &o, NULL);
    ck_assert_ptr_nonnull(x);
    ck_assert_ptr_nonnull(y);
    ck_assert_int_eq(ebts_txn_set_field(x, 1, 75, ta, na, NULL), 0);
    ck_assert_int_eq(ebts_txn_set_field(y, 1, 75, tb, nb, NULL), 0);
    char want[512];
    snprintf(want, sizeof want,
             "2.075 ERS EID %s DOB: \"19630101\" -> \"19630102\"\n"
             "- 2.075 ERS EID %s: \"DOE,JOHN\"\n"
             "+ 2.075 ERS EID 9999999999: \"DOE,JOHN\"\n",
             eid[5], eid[N - 1]);
    ck_assert_str_eq(diff_txn(x, y, EBTS_DIFF_SEMANTIC, 0), want);
    ebts_free(ta);
    ebts_free(tb);
    ebts_txn_free(x);
    ebts_txn_free(y);
    free(eid);
    free(e);
}
END_TEST

Suite *suite_diff(void)
{
    Suite *s = suite_create("diff");
    TCase *tc = tcase_create("diff");
    tcase_add_test(tc, published_and_clean);
    tcase_add_test(tc, the_two_errts_differ_in_2060_only);
    tcase_add_test(tc, flipped_jpeg_byte);
    tcase_add_test(tc, inserted_field_is_one_difference);
    tcase_add_test(tc, records_added_and_reordered);
    tcase_add_test(tc, alignment_by_idc_then_type);
    tcase_add_test(tc, repeated_fields_pair_by_occurrence);
    tcase_add_test(tc, many_records);
    tcase_add_test(tc, spelling_len_and_volatile_fields);
    tcase_add_test(tc, semantic_idr_encounter_changed);
    tcase_add_test(tc, semantic_many_encounters);
    tcase_add_test(tc, multi_line_value_as_lines);
    tcase_add_test(tc, volatile_includes_phd_and_iaq_received);
    tcase_add_test(tc, semantic_compares_the_whole_iar);
    tcase_add_test(tc, unread_bytes_count);
    tcase_add_test(tc, cnt_disagreement_counts);
    suite_add_tcase(s, tc);
    return s;
}
