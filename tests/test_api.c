/* The public API given bad arguments: NULL handles and pointers, NULL arrays with counts,
 * numbers out of range. Every function in include/ebts.h is called that way in
 * every_public_function_refuses_bad_arguments, and header_functions_are_all_called checks so from
 * the header itself: a function added without such a call fails the suite. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "testutil.h"

/* cond must hold (the documented failure return) and err must say BAD_ARGUMENT. */
#define REFUSES(cond) refuses_with("BAD_ARGUMENT", &err, (memset(&err, 0, sizeof err), (cond)), #cond)
#define REFUSES_WITH(code, cond) refuses_with(code, &err, (memset(&err, 0, sizeof err), (cond)), #cond)

static void refuses_with(const char *code, const ebts_error *err, int ok, const char *what)
{
    ck_assert_msg(ok, "%s: expected the failure return", what);
    ck_assert_msg(err->code && strcmp(err->code, code) == 0, "%s: expected %s, got %s", what, code,
                  err->code ? err->code : "no error");
}

/* A Type-1, a Type-2 with 2.005 "A<US>B" and a binary Type-4 record. */
static ebts_txn *sample(void)
{
    ebts_txn *t = ebts_txn_new("0500", NULL);
    ck_assert_ptr_nonnull(t);
    ck_assert_int_eq(ebts_txn_insert_record(t, 1, 2, 0, NULL), 0);
    ck_assert_int_eq(ebts_txn_set_field(t, 1, 5, "A" US "B", 3, NULL), 0);
    static const unsigned char t4[18] = {0, 0, 0, 18, 1};
    ck_assert_int_eq(ebts_txn_insert_binary_record(t, 2, 4, t4, sizeof t4, NULL), 0);
    return t;
}

static void reading(void)
{
    ebts_error err;
    ck_assert_ptr_nonnull(ebts_version());
    ck_assert_str_eq(ebts_severity_name(-1), "warning");
    ck_assert_str_eq(ebts_severity_name(1000), "error");
    ebts_read_options_init(NULL, 0);
    REFUSES(ebts_read_buffer(NULL, 5, 0, &err) == NULL);
    REFUSES(ebts_read_buffer(NULL, (size_t)-1, EBTS_READ_BORROW, &err) == NULL);
    REFUSES(ebts_read_file(NULL, 0, &err) == NULL);
    REFUSES(ebts_read_stream(NULL, 0, &err) == NULL);
    REFUSES(ebts_read_fd(-1, 0, &err) == NULL);
    REFUSES(ebts_read_buffer_opts(NULL, 100000000, NULL, &err) == NULL);
    REFUSES(ebts_read_file_opts(NULL, NULL, &err) == NULL);
    REFUSES(ebts_read_stream_opts(NULL, NULL, &err) == NULL);
    REFUSES(ebts_read_fd_opts(-5, NULL, &err) == NULL);
    ebts_txn_free(NULL);
    ebts_free(NULL);
    /* any bound is taken, and given back by the next call */
    size_t was = ebts_keep_memory(SIZE_MAX);
    ck_assert_uint_eq(ebts_keep_memory(0), SIZE_MAX);
    ck_assert_uint_eq(ebts_keep_memory(was), 0);
    unsigned threads = ebts_validate_threads(3);
    ck_assert_uint_eq(ebts_validate_threads(1), 3);
    ck_assert_uint_eq(ebts_validate_threads(threads), 1);
}

static void walking(void)
{
    char tag[8] = "x";
    ck_assert_uint_eq(ebts_txn_record_count(NULL), 0);
    ck_assert_ptr_null(ebts_txn_record(NULL, 0));
    ck_assert_uint_eq(ebts_txn_diag_count(NULL), 0);
    ck_assert_ptr_null(ebts_txn_diag(NULL, 0));
    ck_assert_uint_eq(ebts_txn_error_count(NULL, 1), 0);
    ck_assert_ptr_null(ebts_txn_unread(NULL).ptr);
    ck_assert_ptr_null(ebts_txn_input(NULL).ptr);
    ck_assert_uint_eq(ebts_txn_input(NULL).len, 0);
    ck_assert_uint_eq(ebts_record_type(NULL), 0);
    ck_assert_int_eq(ebts_record_is_binary(NULL), 0);
    ck_assert_int_eq(ebts_record_idc(NULL), -1);
    ck_assert_uint_eq(ebts_record_offset(NULL), (size_t)-1);
    ck_assert_uint_eq(ebts_record_data(NULL).len, 0);
    ck_assert_uint_eq(ebts_record_field_count(NULL), 0);
    ck_assert_ptr_null(ebts_record_field_at(NULL, 0));
    ck_assert_ptr_null(ebts_record_field(NULL, 1));
    ck_assert_uint_eq(ebts_field_number(NULL), 0);
    ck_assert_str_eq(ebts_field_tag(NULL, tag, sizeof tag), "");
    ck_assert_str_eq(ebts_field_tag(NULL, NULL, 99), "");
    ck_assert_ptr_null(ebts_field_value(NULL).ptr);
    ck_assert_int_eq(ebts_field_is_binary(NULL), 0);
    ck_assert_uint_eq(ebts_field_offset(NULL), (size_t)-1);
    ck_assert_uint_eq(ebts_field_subfield_count(NULL), 0);
    ck_assert_uint_eq(ebts_field_item_count(NULL, 0), 0);
    ck_assert_ptr_null(ebts_field_item(NULL, 0, 0).ptr);
    ck_assert_ptr_null(ebts_txn_value(NULL, 1, 2).ptr);
    /* out of range on a real transaction */
    ebts_txn *t = sample();
    ck_assert_ptr_null(ebts_txn_record(t, (size_t)-1));
    ck_assert_ptr_null(ebts_txn_diag(t, (size_t)-1));
    const ebts_record *r = ebts_txn_record(t, 1);
    ck_assert_ptr_null(ebts_record_field_at(r, 4000000000u));
    ck_assert_ptr_null(ebts_record_field(r, 4000000000u));
    const ebts_field *f = ebts_record_field(r, 5);
    ck_assert_uint_eq(ebts_field_item_count(f, (size_t)-1), 0);
    ck_assert_ptr_null(ebts_field_item(f, 0, (size_t)-1).ptr);
    ck_assert_ptr_null(ebts_field_item(f, (size_t)-1, 0).ptr);
    ck_assert_ptr_null(ebts_txn_value(t, 4000000000u, 4000000000u).ptr);
    ebts_txn_free(t);
}

static void editing(void)
{
    ebts_error err;
    REFUSES(ebts_txn_new("05" FS "00", &err) == NULL);
    REFUSES(ebts_txn_set_field(NULL, 0, 5, "A", 1, &err) == -1);
    ebts_txn *t = sample();
    size_t n0, n;
    ck_assert_ptr_null(ebts_txn_find(NULL, 0, "1.002"));
    ck_assert_ptr_null(ebts_txn_find(t, 0, NULL));
    ck_assert_ptr_null(ebts_txn_find(t, 99, "1.002"));
    REFUSES(ebts_txn_set(NULL, 0, "TOT", "CAR", &err) == -1);
    REFUSES(ebts_txn_set(t, 0, NULL, "CAR", &err) == -1);
    REFUSES(ebts_txn_set(t, 0, "TOT", NULL, &err) == -1);
    REFUSES(ebts_txn_set(t, 0, "NOSUCH", "CAR", &err) == -1);
    REFUSES(ebts_txn_stamp(NULL, NULL, &err) == -1);

    unsigned char *before = tu_write(t, EBTS_FORMAT_READABLE, &n0);
    ck_assert_ptr_nonnull(before);
    REFUSES(ebts_txn_set_field(t, 1, 6, NULL, 3, &err) == -1);
    REFUSES(ebts_txn_set_field(t, 1, 6, NULL, (size_t)-1, &err) == -1);
    REFUSES(ebts_txn_set_field(t, 99, 6, "A", 1, &err) == -1);
    REFUSES(ebts_txn_set_field(t, 1, 0, "A", 1, &err) == -1);
    REFUSES(ebts_txn_set_field(t, 1, 4000000000u, "A", 1, &err) == -1);
    REFUSES(ebts_txn_insert_field(NULL, 0, 0, 5, "A", 1, &err) == -1);
    REFUSES(ebts_txn_insert_field(t, 1, 2, 6, NULL, 3, &err) == -1);
    REFUSES(ebts_txn_insert_field(t, 1, (size_t)-1, 6, "A", 1, &err) == -1);
    REFUSES(ebts_txn_delete_field(NULL, 0, 5, &err) == -1);
    REFUSES(ebts_txn_delete_field(t, 1, 0, &err) == -1);
    REFUSES(ebts_txn_delete_field(t, 1, 4000000000u, &err) == -1);
    REFUSES(ebts_txn_set_item(NULL, 1, 5, 0, 0, "C", 1, &err) == -1);
    REFUSES(ebts_txn_set_item(t, 1, 5, 0, 0, NULL, 2, &err) == -1);
    REFUSES(ebts_txn_set_item(t, 1, 5, (size_t)-1, 0, "C", 1, &err) == -1);
    REFUSES(ebts_txn_insert_item(NULL, 1, 5, 0, 0, "C", 1, &err) == -1);
    REFUSES(ebts_txn_insert_item(t, 1, 5, 0, 0, NULL, 2, &err) == -1);
    REFUSES(ebts_txn_insert_item(t, 1, 5, 0, (size_t)-1, "C", 1, &err) == -1);
    REFUSES(ebts_txn_delete_item(NULL, 1, 5, 0, 0, &err) == -1);
    REFUSES(ebts_txn_delete_item(t, 1, 5, 0, (size_t)-1, &err) == -1);
    REFUSES(ebts_txn_insert_subfield(NULL, 1, 5, 0, "C", 1, &err) == -1);
    REFUSES(ebts_txn_insert_subfield(t, 1, 5, 0, NULL, 2, &err) == -1);
    REFUSES(ebts_txn_insert_subfield(t, 1, 5, (size_t)-1, "C", 1, &err) == -1);
    REFUSES(ebts_txn_delete_subfield(NULL, 1, 5, 0, &err) == -1);
    REFUSES(ebts_txn_delete_subfield(t, 1, 5, (size_t)-1, &err) == -1);
    REFUSES(ebts_txn_insert_record(NULL, 1, 2, 0, &err) == -1);
    REFUSES(ebts_txn_insert_record(t, 3, 4000000000u, 5, &err) == -1);
    REFUSES(ebts_txn_insert_record(t, 3, 1000000000u, 5, &err) == -1);
    REFUSES(ebts_txn_insert_record(t, 3, 2, 4000000000u, &err) == -1);
    REFUSES(ebts_txn_insert_record(t, (size_t)-1, 2, 0, &err) == -1);
    REFUSES(ebts_txn_insert_binary_record(NULL, 1, 4, "12345", 5, &err) == -1);
    REFUSES(ebts_txn_insert_binary_record(t, 1, 4, NULL, 100, &err) == -1);
    REFUSES(ebts_txn_insert_binary_record(t, 1, 4000000000u, "12345", 5, &err) == -1);
    REFUSES(ebts_txn_delete_record(NULL, 1, &err) == -1);
    REFUSES(ebts_txn_delete_record(t, (size_t)-1, &err) == -1);
    REFUSES(ebts_txn_fix(NULL, EBTS_FIX_ALL, &err) == -1);
    REFUSES(ebts_txn_fix(t, 0x80000000u, &err) == -1);
    REFUSES(ebts_txn_redact(NULL, &err) == -1);
    /* the refusals changed nothing: the transaction writes as it did */
    unsigned char *after = tu_write(t, EBTS_FORMAT_READABLE, &n);
    ck_assert_ptr_nonnull(after);
    ck_assert_uint_eq(n, n0);
    ck_assert_mem_eq(after, before, n);
    ebts_free(before);
    ebts_free(after);
    ebts_txn_free(t);
}

static void writing(void)
{
    ebts_error err;
    unsigned char *out = (unsigned char *)"untouched";
    size_t len = 7;
    REFUSES(ebts_write_buffer(NULL, 0, &out, &len, &err) == -1);
    ebts_txn *t = sample();
    REFUSES(ebts_write_buffer(t, 0, NULL, &len, &err) == -1);
    REFUSES(ebts_write_buffer(t, 0x0f, &out, &len, &err) == -1);
    ck_assert_str_eq((const char *)out, "untouched");
    REFUSES(ebts_write_stream(NULL, 0, stdout, &err) == -1);
    REFUSES(ebts_write_stream(t, 0, NULL, &err) == -1);
    REFUSES(ebts_write_file(t, 0, NULL, &err) == -1);
    /* a refused write leaves the file as it was, not truncated or removed */
    char path[] = "/tmp/ebts-api-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, "keep", 4), 4);
    close(fd);
    REFUSES(ebts_write_file(NULL, 0, path, &err) == -1);
    REFUSES(ebts_write_file(t, 0x0e, path, &err) == -1);
    REFUSES(ebts_write_bytes_file(NULL, 3, path, &err) == -1);
    REFUSES(ebts_write_bytes_file("abc", 3, NULL, &err) == -1);
    ck_assert_str_eq(ebts_image_extension(NULL, 10), "bin");
    ck_assert_str_eq(ebts_image_extension("\xff\xd8\xff", 3), "jpg");
    size_t kn = 0;
    unsigned char *kept = tu_slurp(path, &kn);
    ck_assert_ptr_nonnull(kept);
    ck_assert_uint_eq(kn, 4);
    ck_assert_mem_eq(kept, "keep", 4);
    free(kept);
    remove(path);
    ebts_txn_free(t);
}

static void validating(void)
{
    ebts_error err;
    REFUSES(ebts_profile_builtin(NULL, &err) == NULL);
    REFUSES_WITH("PROFILE_INVALID", ebts_profile_builtin("ebts-12", &err) == NULL);
    const char *pname = "untouched", *psrc = "untouched";
    ck_assert_uint_gt(ebts_profile_builtins(1000, &pname, &psrc), 0);
    ck_assert_str_eq(pname, "untouched"); /* an index out of range fills nothing */
    ck_assert_uint_gt(ebts_profile_builtins(0, NULL, NULL), 0);
    REFUSES(ebts_profile_load(NULL, &err) == NULL);
    REFUSES(ebts_profile_load_buffer(NULL, 100000000, &err) == NULL);
    REFUSES_WITH("PROFILE_INVALID", ebts_profile_load_buffer(NULL, 0, &err) == NULL);
    ck_assert_str_eq(ebts_profile_name(NULL), "");
    ebts_profile_free(NULL);
    REFUSES(ebts_validate(NULL, NULL, &err) == NULL);
    ck_assert_uint_eq(ebts_report_count(NULL), 0);
    ck_assert_ptr_null(ebts_report_diag(NULL, 0));
    ck_assert_uint_eq(ebts_report_error_count(NULL, 1), 0);
    ck_assert_uint_eq(ebts_report_finding_count(NULL), 0);
    REFUSES(ebts_txn_xml_findings(NULL, &err) == NULL);
    REFUSES(ebts_txn_xml_report(NULL, EBTS_WRITE_XML_10, &err) == NULL);
    ebts_report_free(NULL);
}

static void ident(void)
{
    ebts_error err;
    REFUSES(ebts_ers_parse(NULL, 100000000, &err) == NULL);
    ebts_ers *e = ebts_ers_parse(NULL, 0, &err); /* no text: nothing found */
    ck_assert_ptr_nonnull(e);
    ck_assert_int_eq(ebts_ers_idr(e)->present, 0);
    ebts_ers_free(e);
    ck_assert_ptr_null(ebts_ers_idr(NULL));
    ck_assert_ptr_null(ebts_ers_iar(NULL));
    ck_assert_uint_eq(ebts_ers_unplaced_count(NULL), 0);
    ck_assert_ptr_null(ebts_ers_unplaced(NULL, 0));
    ck_assert_uint_eq(ebts_ers_diag_count(NULL), 0);
    ck_assert_ptr_null(ebts_ers_diag(NULL, 0));
    ebts_ers_free(NULL);
    ck_assert_ptr_nonnull(ebts_idr_disclaimer());

    size_t len = 99;
    REFUSES(ebts_ers_compose(NULL, NULL, &len, &err) == NULL);
    ebts_idr idr;
    memset(&idr, 0, sizeof idr);
    idr.present = 1;
    idr.nencounters = 3;
    REFUSES(ebts_ers_compose(&idr, NULL, &len, &err) == NULL);
    idr.nencounters = 0;
    ebts_iar iar;
    const char *none[1] = {NULL};
    ebts_pair keyless[1] = {{NULL, "X"}};
    for (int k = 0; k < 9; k++) {
        memset(&iar, 0, sizeof iar);
        iar.present = 1;
        switch (k) {
        case 0: iar.niaq = 2; break;
        case 1: iar.iaq = keyless, iar.niaq = 1; break;
        case 2: iar.nencounters = 1, iar.iaq = keyless, iar.niaq = 0; break;
        case 3: iar.nstatus_lines = 1; break;
        case 4: iar.status_lines = none, iar.nstatus_lines = 1; break;
        case 5: iar.nrecord = 4; break;
        case 6: iar.nnotices = 1; break;
        case 7: iar.notices = none, iar.nnotices = 1; break;
        case 8: iar.nrequesting = 2; break;
        }
        REFUSES(ebts_ers_compose(&idr, &iar, &len, &err) == NULL);
    }
    ck_assert_uint_eq(len, 99);

    REFUSES(ebts_response_view(NULL, &err) == NULL);
    ebts_response_free(NULL);
    ck_assert_int_eq(ebts_response_kind(NULL), EBTS_RESPONSE_OTHER);
    ck_assert_int_eq(ebts_response_answers(NULL, NULL), 0);

    ebts_gen_options o;
    memset(&o, 0, sizeof o);
    o.tcr = "TCN0000000001";
    o.dai = o.cri = "TX0000000";
    o.name = "DOE,JOHN";
    REFUSES(ebts_gen_response(42, NULL, &o, &err) == NULL);
    REFUSES(ebts_gen_response(-1, NULL, &o, &err) == NULL);
    o.nencounters = 2;
    REFUSES(ebts_gen_response(EBTS_GEN_IDR_MATCH, NULL, &o, &err) == NULL);
    o.nencounters = 0;
    o.nphotos = 1;
    REFUSES(ebts_gen_response(EBTS_GEN_IDR_MATCH, NULL, &o, &err) == NULL);
    ebts_span nophoto = {NULL, 1000};
    o.photos = &nophoto;
    REFUSES(ebts_gen_response(EBTS_GEN_IDR_MATCH, NULL, &o, &err) == NULL);
    o.photos = NULL;
    o.nphotos = 0;
    o.nerrors = 3;
    REFUSES(ebts_gen_response(EBTS_GEN_ERRT, NULL, &o, &err) == NULL);
    o.errors = none;
    o.nerrors = 1;
    REFUSES(ebts_gen_response(EBTS_GEN_ERRT, NULL, &o, &err) == NULL);
}

static void diffing(void)
{
    ebts_error err;
    ebts_txn *t = sample();
    REFUSES(ebts_diff(NULL, t, NULL, &err) == NULL);
    REFUSES(ebts_diff(t, NULL, NULL, &err) == NULL);
    ebts_diff_options o;
    memset(&o, 0, sizeof o);
    o.nignore = 5;
    REFUSES(ebts_diff(t, t, &o, &err) == NULL);
    ebts_txn_free(t);
    ck_assert_uint_eq(ebts_diff_count(NULL), 0);
    ck_assert_ptr_null(ebts_diff_at(NULL, 0));
    ebts_diff_free(NULL);
    char buf[64] = "x";
    ck_assert_str_eq(ebts_difference_format(NULL, 0, buf, sizeof buf), "");
    ck_assert_str_eq(ebts_difference_format(NULL, 1, NULL, 64), "");
    ebts_difference blank;
    memset(&blank, 0, sizeof blank);
    ck_assert_ptr_nonnull(ebts_difference_format(&blank, 0, buf, 1));
    ck_assert_ptr_null(ebts_redact_message(NULL));

    ck_assert_int_eq(ebts_junit_add(NULL, "a", NULL, NULL), -1);
    ebts_junit *j = ebts_junit_new(NULL);
    ck_assert_ptr_nonnull(j);
    ck_assert_int_eq(ebts_junit_add(j, NULL, "failed", NULL), -1);
    ck_assert_int_eq(ebts_junit_set_time(NULL, 1.0), -1);
    ck_assert_int_eq(ebts_junit_set_time(j, 1.0), -1); /* no case to time */
    ck_assert_int_eq(ebts_junit_add_error(NULL, "a", "IO_ERROR", "gone"), -1);
    ck_assert_int_eq(ebts_junit_add_error(j, NULL, "IO_ERROR", "gone"), -1);
    ck_assert_int_eq(ebts_junit_add_error(j, "a", NULL, "gone"), -1);
    ck_assert_int_eq(ebts_junit_add_error(j, "a", "IO_ERROR", NULL), -1);
    REFUSES(ebts_junit_write(NULL, stdout, &err) == -1);
    REFUSES(ebts_junit_write(j, NULL, &err) == -1);
    ebts_junit_free(j);
    ebts_junit_free(NULL);

    ebts_batch *b = ebts_batch_new(NULL);
    ck_assert_ptr_nonnull(b);
    ebts_diag one;
    memset(&one, 0, sizeof one);
    REFUSES(ebts_batch_add(NULL, "a", "valid", 0, NULL, 0, &err) == -1);
    REFUSES(ebts_batch_add(b, NULL, "valid", 0, NULL, 0, &err) == -1);
    REFUSES(ebts_batch_add(b, "a", NULL, 0, NULL, 0, &err) == -1);
    REFUSES(ebts_batch_add(b, "a", "invalid", 1, NULL, 1, &err) == -1);
    REFUSES(ebts_batch_add_error(NULL, "a", "IO_ERROR", "gone", &err) == -1);
    REFUSES(ebts_batch_add_error(b, NULL, "IO_ERROR", "gone", &err) == -1);
    REFUSES(ebts_batch_add_error(b, "a", NULL, "gone", &err) == -1);
    REFUSES(ebts_batch_add_error(b, "a", "IO_ERROR", NULL, &err) == -1);
    REFUSES(ebts_batch_write(NULL, stdout, &err) == -1);
    REFUSES(ebts_batch_write(b, NULL, &err) == -1);
    ck_assert_int_eq(ebts_batch_add(b, "a", "valid", 0, &one, 0, NULL), 0);
    ebts_batch_free(b);
    ebts_batch_free(NULL);

    ck_assert_str_eq(ebts_diag_format(NULL, NULL, 0, buf, sizeof buf), "");
    ck_assert_str_eq(ebts_diag_format(NULL, "p", 1, NULL, 64), "");
    ebts_diag d; /* no code, no message: what a zeroed diagnostic formats to */
    memset(&d, 0, sizeof d);
    ck_assert_str_eq(ebts_diag_format(&d, NULL, 0, buf, sizeof buf), "-:0: warning: : ");
    const char *code = "x", *summary = "y";
    size_t n = ebts_diag_codes((size_t)-1, &code, &summary);
    ck_assert_uint_gt(n, 0);
    ck_assert_str_eq(code, "x");
    ck_assert_str_eq(summary, "y");
    ck_assert_uint_eq(ebts_diag_codes(0, NULL, NULL), n);
    ebts_code_info info = {"x", 0, 0, "y", "z"};
    REFUSES(ebts_diag_code_info(NULL, &info, &err) == -1);
    REFUSES(ebts_diag_code_info("LEN_MISMATCH", NULL, &err) == -1);
    REFUSES(ebts_diag_code_info("NO_SUCH_CODE", &info, &err) == -1);
    ck_assert_msg(strstr(err.msg, "NO_SUCH_CODE") != NULL, "the message names the code: %s", err.msg);
    REFUSES(ebts_diag_code_info("", &info, &err) == -1);
    ck_assert_str_eq(info.code, "x"); /* untouched on failure */
}

START_TEST(every_public_function_refuses_bad_arguments)
{
    reading();
    walking();
    editing();
    writing();
    validating();
    ident();
    diffing();
}
END_TEST

/* The largest record type a tag's nine digits hold is taken, and written so that it reads
 * back; one digit more is refused (above). */
START_TEST(largest_record_type_reads_back)
{
    ebts_txn *t = ebts_txn_new("0500", NULL);
    ck_assert_int_eq(ebts_txn_insert_record(t, 1, 999999999u, 5, NULL), 0);
    size_t n;
    unsigned char *w = tu_write(t, EBTS_FORMAT_TRADITIONAL, &n);
    ck_assert_ptr_nonnull(w);
    ebts_txn *back = ebts_read_buffer(w, n, 0, NULL);
    ck_assert_ptr_nonnull(back);
    ck_assert_uint_eq(ebts_txn_record_count(back), 2);
    ck_assert_uint_eq(ebts_record_type(ebts_txn_record(back, 1)), 999999999u);
    ck_assert_int_eq(ebts_record_idc(ebts_txn_record(back, 1)), 5);
    ck_assert_uint_eq(ebts_txn_error_count(back, 1), 0);
    ebts_free(w);
    ebts_txn_free(back);
    ebts_txn_free(t);
}
END_TEST

/* The names of the functions include/ebts.h declares (lines that begin with EBTS_API). */
static size_t header_functions(char names[][64], size_t max)
{
    FILE *fp = fopen("include/ebts.h", "r");
    ck_assert_ptr_nonnull(fp);
    char line[512];
    size_t n = 0;
    while (fgets(line, sizeof line, fp)) {
        if (strncmp(line, "EBTS_API ", 9) != 0)
            continue;
        char *paren = strchr(line, '(');
        ck_assert_msg(paren != NULL, "a declaration on more than one line: %s", line);
        char *start = paren;
        while (start > line && (start[-1] == '_' || (start[-1] >= 'a' && start[-1] <= 'z') ||
                                (start[-1] >= '0' && start[-1] <= '9')))
            start--;
        ck_assert_uint_lt(n, max);
        snprintf(names[n], 64, "%.*s", (int)(paren - start), start);
        n++;
    }
    fclose(fp);
    return n;
}

/* Is name called (name followed by '(', not the end of a longer name) in text? */
static int calls(const char *text, const char *name)
{
    size_t k = strlen(name);
    for (const char *p = strstr(text, name); p; p = strstr(p + 1, name)) {
        char before = p == text ? ' ' : p[-1];
        if (p[k] == '(' && before != '_' && !(before >= 'a' && before <= 'z') &&
            !(before >= '0' && before <= '9'))
            return 1;
    }
    return 0;
}

START_TEST(header_functions_are_all_called)
{
    static char names[200][64];
    size_t n = header_functions(names, 200);
    ck_assert_uint_ge(n, 80); /* the header's parse found them */
    size_t len = 0;
    unsigned char *src = tu_slurp("tests/test_api.c", &len);
    ck_assert_ptr_nonnull(src);
    char *text = malloc(len + 1);
    ck_assert_ptr_nonnull(text);
    memcpy(text, src, len);
    text[len] = 0;
    free(src);
    /* the calls count up to the test that makes them, not in what checks for them */
    char *end = strstr(text, "START_TEST(every_public_function_refuses_bad_arguments)");
    ck_assert_ptr_nonnull(end);
    *end = 0;
    for (size_t i = 0; i < n; i++)
        ck_assert_msg(calls(text, names[i]), "%s is declared in include/ebts.h but "
                      "tests/test_api.c does not call it with bad arguments", names[i]);
    free(text);
}
END_TEST

Suite *suite_api(void)
{
    Suite *s = suite_create("api");
    TCase *tc = tcase_create("api");
    tcase_add_test(tc, every_public_function_refuses_bad_arguments);
    tcase_add_test(tc, header_functions_are_all_called);
    tcase_add_test(tc, largest_record_type_reads_back);
    suite_add_tcase(s, tc);
    return s;
}
