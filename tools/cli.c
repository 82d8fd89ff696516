/* Shared command-line helpers: the diagnostic line format, JSON strings, option values, and
 * the checks every tool makes at start and exit. */
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

int cli_version(const char *tool)
{
    printf("%s libebts %s\n", tool, ebts_version());
    return CLI_OK;
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

/* The length of the well-formed UTF-8 sequence at p, or 0 (overlong forms, surrogates and
 * code points beyond U+10FFFF are not well-formed). */
static size_t utf8_seq(const unsigned char *p)
{
    unsigned char c = p[0];
    size_t len = c < 0x80 ? 1 : c < 0xc2 ? 0 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : c < 0xf5 ? 4 : 0;
    unsigned v = len == 2 ? c & 0x1fu : len == 3 ? c & 0x0fu : c & 0x07u;
    for (size_t k = 1; k < len; k++) {
        if ((p[k] & 0xc0) != 0x80) /* also stops at the terminating NUL */
            return 0;
        v = v << 6 | (p[k] & 0x3fu);
    }
    if ((len == 3 && (v < 0x800 || (v >= 0xd800 && v <= 0xdfff))) ||
        (len == 4 && (v < 0x10000 || v > 0x10ffff)))
        return 0;
    return len;
}

void cli_json_str(FILE *fp, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    fputc('"', fp);
    while (*p) {
        size_t len = utf8_seq(p);
        if (*p == '"' || *p == '\\') {
            fprintf(fp, "\\%c", *p);
        } else if (*p < 0x20 || *p == 0x7f || len == 0) {
            fprintf(fp, "\\u%04x", *p);
        } else {
            fwrite(p, 1, len, fp);
            p += len;
            continue;
        }
        p++;
    }
    fputc('"', fp);
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
