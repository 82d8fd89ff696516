/* Shared command-line helpers: the diagnostic line format and option values. */
#include <stdio.h>
#include <string.h>
#include "cli.h"

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
