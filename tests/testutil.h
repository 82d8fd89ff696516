/* Helpers shared by the Check suites. Tests run from the project root. */
#ifndef EBTS_TESTUTIL_H
#define EBTS_TESTUTIL_H
#include <check.h>
#include <stddef.h>
#include "ebts.h"

#define FS "\x1c"
#define GS "\x1d"
#define RS "\x1e"
#define US "\x1f"

/* Read a whole file; NULL if missing. Free with free(). */
unsigned char *tu_slurp(const char *path, size_t *len);
/* Files in dir (recursively) whose names end with one of the suffixes (";"-separated), sorted.
 * Returns the count; *out is a NULL-terminated array to free with tu_free_list(). */
size_t tu_list(const char *dir, const char *suffixes, char ***out);
void tu_free_list(char **list);
/* Read from a string literal with a length. */
ebts_txn *tu_read(const char *s, size_t n, unsigned flags, ebts_error *err);
#define TU_READ(lit, flags, err) tu_read((lit), sizeof(lit) - 1, (flags), (err))
/* "CODE@offset CODE@offset ..." of all diagnostics, in order, into buf. */
const char *tu_diags(const ebts_txn *t, char *buf, size_t size);
/* Write traditional; returns malloc'd bytes (ebts_free). */
unsigned char *tu_write(const ebts_txn *t, unsigned flags, size_t *len);
/* Assert that t writes (traditional) exactly the n bytes at want. */
void tu_assert_writes(const ebts_txn *t, const void *want, size_t n);
/* The differences ebts-diff finds between a and b's records (1.003 CNT, which XML derives,
 * left out), the first five printed to stderr. */
size_t tu_differences(const ebts_txn *a, const ebts_txn *b);
/* Write t as XML with flags (EBTS_FORMAT_XML and a version flag), assert that it reads back,
 * and return the differences of what it reads back to. */
size_t tu_xml_round_trip(const ebts_txn *t, unsigned flags);
/* A value as a NUL-terminated string in a static buffer (tests only). */
const char *tu_str(ebts_span s);

Suite *suite_frame(void);
Suite *suite_write(void);
Suite *suite_edit(void);
Suite *suite_readable(void);
Suite *suite_json(void);
Suite *suite_source(void);
Suite *suite_conformance(void);
Suite *suite_diag(void);
Suite *suite_validate(void);
Suite *suite_ident(void);
Suite *suite_diff(void);
Suite *suite_xml(void);
Suite *suite_xmlwrite(void);
Suite *suite_api(void);
Suite *suite_templates(void);
#endif
