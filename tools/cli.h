/* Helpers shared by the command-line tools: diagnostics printing and exit codes. */
#ifndef EBTS_CLI_H
#define EBTS_CLI_H
#include <stdio.h>
#include "ebts.h"

enum { CLI_OK = 0, CLI_INVALID = 1, CLI_USAGE = 2 };

/* Print the transaction's diagnostics to stderr (unless quiet); returns the number of errors
 * (recovered findings count as errors when strict). */
size_t cli_print_diags(const ebts_txn *t, const char *path, int strict, int quiet);
/* Print a fatal error as `path:offset: error: CODE: message`. */
void cli_print_error(const char *path, const ebts_error *e);
/* Write s as a JSON string: control characters and each byte that is not part of well-formed
 * UTF-8 (such as a file name's 0xFF) as \u00XX, as the library's JSON writer does. */
void cli_json_str(FILE *fp, const char *s);
/* 1 when the error is about the input's content (exit 1), 0 for I/O and usage (exit 2). */
int cli_error_is_content(const ebts_error *e);
/* First thing in main: a file size limit makes writes fail (EFBIG) instead of killing the tool. */
void cli_init(void);
/* Last thing in main: standard output is flushed and checked like any output file; when it
 * could not be written, IO_ERROR is printed (unless rc is already CLI_USAGE) and the result is
 * CLI_USAGE, else rc. */
int cli_finish(int rc);
/* --version: prints "TOOL libebts VERSION"; returns CLI_OK. */
int cli_version(const char *tool);
/* Parse --name=value or --name value; returns the value or NULL; advances *i. */
const char *cli_option(int argc, char **argv, int *i, const char *name);
#endif
