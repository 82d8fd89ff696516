/* ebts-diff: what really differs between two transactions, in EBTS terms. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

static const char usage[] =
    "usage: ebts-diff [--ignore TAG[,TAG...]] [--ignore-volatile] [--ignore-space] [--semantic]\n"
    "                 [--records-only] [--format text|json] [--redact] [-q] A B\n"
    "\n"
    "Compares two transactions (either may be - or .gz): records aligned by type and IDC, fields\n"
    "by number, values by subfield and item, binary data by length, CRC-32 and first differing\n"
    "byte; a value of several lines (2.075) line by line. LEN and tag spelling never count, CNT\n"
    "only where the reader found it disagreeing with the records; bytes not read as records do.\n"
    "\n"
    "  --ignore TAGS       leave these fields out (e.g. 2.075,1.009)\n"
    "  --ignore-volatile   leave out 1.005 DAT, 1.009 TCN, 1.014 GMT, 10.005 PHD and the\n"
    "                      IAQ RECEIVED time in 2.075\n"
    "  --ignore-space      leading and trailing spaces of values do not count\n"
    "  --semantic          IDENT responses: 2.075 by meaning (match, encounters by EID, the\n"
    "                      whole IAR: IAQ echo, determination, ICE record, notices)\n"
    "  --records-only      bytes not read as records and CNT findings do not count\n"
    "  --format F          text (default): one line per difference and a summary; json\n"
    "  --redact            no values in the output: only where and what kind of difference\n"
    "  -q                  print nothing; the exit status speaks\n"
    "  --version           print the version and exit\n"
    "\n"
    "Exit status: 0 equal, 1 different, 2 usage or I/O error.\n";

static void json_str(const char *s)
{
    if (s)
        cli_json_str(stdout, s);
    else
        fputs("null", stdout);
}

static int run(int argc, char **argv)
{
    ebts_diff_options o;
    memset(&o, 0, sizeof o);
    const char *paths[2] = {NULL, NULL}, *format = "text", *v;
    const char *ignore[64];
    char *lists[16];
    int npaths = 0, nlists = 0, redact = 0, quiet = 0, rc = CLI_USAGE;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--version") == 0) {
            return cli_version("ebts-diff");
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage, stdout);
            return CLI_OK;
        } else if ((v = cli_option(argc, argv, &i, "--ignore"))) {
            if (nlists >= 16)
                goto bad;
            char *copy = lists[nlists++] = strdup(v);
            for (char *t = strtok(copy, ","); t && o.nignore < 64; t = strtok(NULL, ","))
                ignore[o.nignore++] = t;
        } else if ((v = cli_option(argc, argv, &i, "--format"))) {
            format = v;
        } else if (strcmp(a, "--ignore-volatile") == 0) {
            o.flags |= EBTS_DIFF_IGNORE_VOLATILE;
        } else if (strcmp(a, "--ignore-space") == 0) {
            o.flags |= EBTS_DIFF_IGNORE_SPACE;
        } else if (strcmp(a, "--records-only") == 0) {
            o.flags |= EBTS_DIFF_RECORDS_ONLY;
        } else if (strcmp(a, "--semantic") == 0) {
            o.flags |= EBTS_DIFF_SEMANTIC;
        } else if (strcmp(a, "--redact") == 0) {
            redact = 1;
        } else if (strcmp(a, "-q") == 0) {
            quiet = 1;
        } else if ((a[0] != '-' || a[1] == 0) && npaths < 2) {
            paths[npaths++] = a;
        } else {
            goto bad;
        }
    }
    int json = strcmp(format, "json") == 0;
    if (npaths != 2 || (!json && strcmp(format, "text") != 0))
        goto bad;
    o.ignore = ignore;
    ebts_txn *t[2] = {NULL, NULL};
    for (int k = 0; k < 2; k++) {
        ebts_error err;
        memset(&err, 0, sizeof err);
        if (!(t[k] = ebts_read_file(paths[k], 0, &err))) {
            if (!quiet)
                cli_print_error(strcmp(paths[k], "-") ? paths[k] : "<stdin>", &err);
            ebts_txn_free(t[0]);
            goto out;
        }
    }
    ebts_error err;
    memset(&err, 0, sizeof err);
    ebts_diff_result *d = ebts_diff(t[0], t[1], &o, &err);
    if (!d) {
        fprintf(stderr, "ebts-diff: %s\n", err.msg);
    } else {
        size_t n = ebts_diff_count(d);
        char line[512];
        if (json && !quiet) {
            printf("{\"equal\":%s,\"differences\":[", n ? "false" : "true");
            for (size_t i = 0; i < n; i++) {
                const ebts_difference *x = ebts_diff_at(d, i);
                printf("%s\n{\"kind\":\"%s\",\"tag\":", i ? "," : "", x->kind_name);
                json_str(x->tag[0] ? x->tag : NULL);
                printf(",\"type\":%u,\"idc\":%u,\"record_a\":%ld,\"record_b\":%ld", x->rtype,
                       x->idc, x->rec_a, x->rec_b);
                if (x->subfield >= 0)
                    printf(",\"subfield\":%ld", x->subfield);
                if (x->item >= 0)
                    printf(",\"item\":%ld", x->item);
                if (x->line_a > 0)
                    printf(",\"line_a\":%ld", x->line_a);
                if (x->line_b > 0)
                    printf(",\"line_b\":%ld", x->line_b);
                if (x->what && !redact) {
                    printf(",\"what\":");
                    json_str(x->what);
                }
                if (x->old_hash[0] || x->new_hash[0] || x->kind == EBTS_DIFF_BINARY_CHANGED) {
                    printf(",\"old\":{\"length\":%zu,\"crc32\":", x->old_len);
                    json_str(x->old_hash[0] ? x->old_hash : NULL);
                    printf("},\"new\":{\"length\":%zu,\"crc32\":", x->new_len);
                    json_str(x->new_hash[0] ? x->new_hash : NULL);
                    printf("}");
                    if (x->first_difference >= 0)
                        printf(",\"first_difference\":%ld", x->first_difference);
                } else if (!redact) {
                    printf(",\"old\":");
                    json_str(x->old_value);
                    printf(",\"new\":");
                    json_str(x->new_value);
                }
                printf("}");
            }
            printf("]}\n");
        } else if (!quiet) {
            for (size_t i = 0; i < n; i++)
                printf("%s\n", ebts_difference_format(ebts_diff_at(d, i), redact, line, sizeof line));
            printf("ebts-diff: %zu difference%s\n", n, n == 1 ? "" : "s");
        }
        rc = n ? CLI_INVALID : CLI_OK;
        ebts_diff_free(d);
    }
    ebts_txn_free(t[0]);
    ebts_txn_free(t[1]);
out:
    for (int k = 0; k < nlists; k++)
        free(lists[k]);
    return rc;
bad:
    fprintf(stderr, "ebts-diff: expected two inputs A B and known options\n%s", usage);
    for (int k = 0; k < nlists; k++)
        free(lists[k]);
    return CLI_USAGE;
}

int main(int argc, char **argv)
{
    cli_init();
    return cli_finish(run(argc, argv));
}
