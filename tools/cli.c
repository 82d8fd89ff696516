/* Shared command-line helpers: the diagnostic line format, option values, and the checks every
 * tool makes at start and exit. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include "cli.h"

void cli_init(void)
{
    /* past a file size limit a write fails with EFBIG, so the output's cleanup runs, instead of
     * the signal killing the tool halfway */
    signal(SIGXFSZ, SIG_IGN);
}

int cli_finish(int rc)
{
    errno = 0;
    if (fflush(stdout) == 0 && !ferror(stdout))
        return rc;
    if (rc != CLI_USAGE) { /* an exit status of 2 has had its message already */
        ebts_error e;
        memset(&e, 0, sizeof e);
        e.code = "IO_ERROR";
        snprintf(e.msg, sizeof e.msg, "cannot write standard output%s%s", errno ? ": " : "",
                 errno ? strerror(errno) : "");
        cli_print_error("<stdout>", &e);
    }
    return CLI_USAGE;
}

size_t cli_print_diags(const ebts_txn *t, const char *path, int strict, int quiet)
{
    char line[512];
    for (size_t i = 0; !quiet && i < ebts_txn_diag_count(t); i++)
        fprintf(stderr, "%s\n", ebts_diag_format(ebts_txn_diag(t, i), path, strict, line, sizeof line));
    return ebts_txn_error_count(t, strict);
}

void cli_print_error(const char *path, const ebts_error *e)
{
    fprintf(stderr, "%s:%zu: error: %s%s%s: %s\n", path, e->offset, e->code ? e->code : "ERROR",
            e->tag[0] ? " " : "", e->tag, e->msg);
}

int cli_error_is_content(const ebts_error *e)
{
    return e->code && strcmp(e->code, "IO_ERROR") != 0 && strcmp(e->code, "BAD_ARGUMENT") != 0 &&
           strcmp(e->code, "OUT_OF_MEMORY") != 0;
}

const char *cli_option(int argc, char **argv, int *i, const char *name)
{
    size_t n = strlen(name);
    const char *a = argv[*i];
    if (strncmp(a, name, n) != 0)
        return NULL;
    if (a[n] == '=')
        return a + n + 1;
    if (a[n] != 0)
        return NULL;
    if (*i + 1 >= argc)
        return NULL;
    return argv[++*i];
}
