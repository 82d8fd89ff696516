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
/* 1 when the error is about the input's content (exit 1), 0 for I/O, memory, usage and libxml2
 * not loaded (exit 2). */
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

/* An ordered pool: items added are run by up to `nthreads` threads, run(ctx, item) on any of
 * them and several at once, then handed to emit(ctx, item) on the adding thread, one at a time,
 * in the order they were added, so what a run prints does not depend on the thread count. At
 * most 64 * nthreads items (512 at most) are in flight; when the queue is full, the adding
 * thread runs items too. The threads start when a second item is added; with nthreads 1 (or no
 * memory for the queue) each item is run and emitted as it is added. */
#define CLI_MAX_JOBS 256
typedef struct cli_pool cli_pool;
cli_pool *cli_pool_new(int nthreads, void (*run)(void *ctx, void *item),
                       void (*emit)(void *ctx, void *item), void *ctx);
void cli_pool_add(cli_pool *p, void *item);
/* How many items the pool holds between their adding and their emitting (0: it runs each
 * as it is added). */
size_t cli_pool_room(const cli_pool *p);
/* Run and emit every item added so far; the pool stays open for more. */
void cli_pool_drain(cli_pool *p);
/* Run and emit every item left, stop the threads and free the pool. */
void cli_pool_finish(cli_pool *p);
/* The number of processors online (1 to CLI_MAX_JOBS). */
int cli_cores(void);
#endif
