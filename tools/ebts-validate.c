/* ebts-validate: check transactions against the EBTS rules (a built-in or XML profile) and
 * report in text, JSON lines or JUnit XML; --expect runs a fixture corpus in conformance mode. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "cli.h"

static const char usage[] =
    "usage: ebts-validate [--profile NAME|FILE.xml] [--strict] [--format text|json|junit]\n"
    "                     [--redact] [--expect] [-q] FILE|DIR|- ...\n"
    "\n"
    "Validates transactions against the EBTS rules: built-in profiles ebts-11 (default),\n"
    "ebts-10, ebts-9.1 and ansi-nist-2011 (--profile list shows them with their sources), or an\n"
    "XML profile file. Directories are walked recursively (files ending in .eft .ebts .an2 .an2k\n"
    ".nst .nist .txt, optionally .gz).\n"
    "\n"
    "  --profile P   built-in profile name or XML profile file; \"list\" lists the built-in ones\n"
    "  --strict      warnings make a file invalid\n"
    "  --format F    text (default): one line per diagnostic and a summary per file and run;\n"
    "                json: one JSON object per file and line; junit: a JUnit XML report\n"
    "  --redact      replace quoted values in messages with '*' (no personal data in CI logs)\n"
    "  --expect      conformance mode: F passes when its codes equal those listed in F.expect\n"
    "                (one per line), or, without F.expect, when it has no error\n"
    "  -q            print nothing; the exit status speaks\n"
    "\n"
    "Exit status: 0 every file valid (or, with --expect, every file passes), 1 otherwise,\n"
    "2 usage or I/O error.\n";

typedef struct opts {
    const ebts_profile *profile;
    int strict, redact, expect, quiet;
    enum { FMT_TEXT, FMT_JSON, FMT_JUNIT } format;
    ebts_junit *junit;
    size_t files, bad, io_errors;
} opts;

static int wanted(const char *name)
{
    static const char *const ext[] = {".eft", ".ebts", ".an2", ".an2k", ".nst", ".nist", ".txt",
                                      ".xml"};
    char base[1024];
    snprintf(base, sizeof base, "%s", name);
    size_t n = strlen(base);
    if (n > 3 && strcmp(base + n - 3, ".gz") == 0)
        base[n - 3] = 0;
    n = strlen(base);
    for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++) {
        size_t e = strlen(ext[i]);
        if (n > e && strcmp(base + n - e, ext[i]) == 0)
            return 1;
    }
    return 0;
}

static void json_str(FILE *fp, const char *s)
{
    fputc('"', fp);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(fp, "\\%c", c);
        else if (c < 0x20)
            fprintf(fp, "\\u%04x", c);
        else
            fputc(c, fp);
    }
    fputc('"', fp);
}

/* The codes listed in F.expect; returns the count, -1 when there is no such file. */
static int read_expect(const char *path, char codes[][48], int max)
{
    char p[1100];
    snprintf(p, sizeof p, "%s.expect", path);
    FILE *fp = fopen(p, "r");
    if (!fp)
        return -1;
    int n = 0;
    char line[256];
    while (fgets(line, sizeof line, fp) && n < max) {
        char code[48];
        if (line[0] == '#' || sscanf(line, "%47s", code) != 1)
            continue;
        int dup = 0;
        for (int i = 0; i < n; i++)
            dup |= strcmp(codes[i], code) == 0;
        if (!dup)
            snprintf(codes[n++], 48, "%s", code);
    }
    fclose(fp);
    return n;
}

static void one_file(opts *o, const char *path)
{
    const char *name = strcmp(path, "-") == 0 ? "<stdin>" : path;
    ebts_error err;
    memset(&err, 0, sizeof err);
    ebts_txn *t = ebts_read_file(path, 0, &err);
    ebts_report *rep = t ? ebts_validate(t, o->profile, &err) : NULL;
    o->files++;
    if (!t && !cli_error_is_content(&err)) {
        if (!o->quiet)
            cli_print_error(name, &err);
        o->io_errors++;
        return;
    }
    /* the findings: a fatal read error stands as the only one */
    size_t n = rep ? ebts_report_count(rep) : 1;
    size_t errors = rep ? ebts_report_error_count(rep, o->strict) : 1;
    char line[700], details[8192] = "";
    char got[256][48];
    int ngot = 0;
    for (size_t i = 0; i < n; i++) {
        const char *code = rep ? ebts_report_diag(rep, i)->code : err.code;
        int dup = 0;
        for (int k = 0; k < ngot; k++)
            dup |= strcmp(got[k], code) == 0;
        if (!dup && ngot < 256)
            snprintf(got[ngot++], 48, "%s", code);
    }
    int pass = errors == 0;
    char verdict[600] = "";
    if (o->expect) {
        char want[256][48];
        int nwant = read_expect(path, want, 256);
        if (nwant >= 0) {
            char miss[300] = "", extra[300] = "";
            for (int w = 0; w < nwant; w++) {
                int found = 0;
                for (int g = 0; g < ngot; g++)
                    found |= strcmp(want[w], got[g]) == 0;
                if (!found && strlen(miss) + strlen(want[w]) + 2 < sizeof miss)
                    strcat(strcat(miss, " "), want[w]);
            }
            for (int g = 0; g < ngot; g++) {
                int found = 0;
                for (int w = 0; w < nwant; w++)
                    found |= strcmp(want[w], got[g]) == 0;
                if (!found && strlen(extra) + strlen(got[g]) + 2 < sizeof extra)
                    strcat(strcat(extra, " "), got[g]);
            }
            pass = !miss[0] && !extra[0];
            if (!pass)
                snprintf(verdict, sizeof verdict, "%s%s%s%s%s", miss[0] ? "missing:" : "", miss,
                         miss[0] && extra[0] ? "; " : "", extra[0] ? "unexpected:" : "", extra);
        } else if (!pass) {
            snprintf(verdict, sizeof verdict, "no .expect file and %zu error%s", errors,
                     errors == 1 ? "" : "s");
        }
    }
    if (!pass)
        o->bad++;
    if (o->format == FMT_JSON && !o->quiet) {
        printf("{\"path\":");
        json_str(stdout, name);
        printf(",\"valid\":%s,", errors == 0 ? "true" : "false");
        if (o->expect)
            printf("\"pass\":%s,", pass ? "true" : "false");
        printf("\"diagnostics\":[");
    }
    for (size_t i = 0; i < n; i++) {
        ebts_diag d;
        if (rep) {
            d = *ebts_report_diag(rep, i);
        } else {
            memset(&d, 0, sizeof d);
            d.code = err.code;
            d.severity = EBTS_SEV_ERROR;
            d.offset = err.offset;
            d.record = err.record;
            snprintf(d.tag, sizeof d.tag, "%s", err.tag);
            snprintf(d.msg, sizeof d.msg, "%.199s", err.msg);
        }
        if (o->redact)
            ebts_redact_message(d.msg);
        int sev = o->strict ? EBTS_SEV_ERROR : d.severity;
        if (o->format == FMT_JSON && !o->quiet) {
            printf("%s{\"code\":\"%s\",\"severity\":\"%s\",\"offset\":%zu,\"record\":%ld,\"tag\":",
                   i ? "," : "", d.code, ebts_severity_name(sev), d.offset, d.record);
            if (d.tag[0])
                json_str(stdout, d.tag);
            else
                printf("null");
            printf(",\"message\":");
            json_str(stdout, d.msg);
            printf("}");
        } else {
            d.severity = sev;
            ebts_diag_format(&d, name, 0, line, sizeof line);
            if (o->format == FMT_TEXT && !o->quiet && !o->expect)
                printf("%s\n", line);
            if (strlen(details) + strlen(line) + 2 < sizeof details)
                strcat(strcat(details, line), "\n");
        }
    }
    if (o->format == FMT_JSON && !o->quiet)
        printf("]%s%s%s}\n", verdict[0] ? ",\"expect\":\"" : "", verdict, verdict[0] ? "\"" : "");
    if (o->format == FMT_TEXT && !o->quiet) {
        size_t warnings = n - (rep ? ebts_report_error_count(rep, 0) : 1);
        if (o->expect)
            printf("%s: %s%s%s%s\n", name, pass ? "PASS" : "FAIL", verdict[0] ? " (" : "",
                   verdict, verdict[0] ? ")" : "");
        else
            printf("%s: %s (%zu error%s, %zu warning%s)\n", name, errors ? "invalid" : "valid",
                   errors, errors == 1 ? "" : "s", o->strict ? 0 : warnings,
                   (o->strict ? 0 : warnings) == 1 ? "" : "s");
        if (o->expect && !pass)
            fputs(details, stdout); /* in conformance mode, the findings of failures only */
    }
    if (o->format == FMT_JUNIT) {
        char msg[700];
        if (o->expect)
            snprintf(msg, sizeof msg, "%s", verdict);
        else
            snprintf(msg, sizeof msg, "%zu error%s", errors, errors == 1 ? "" : "s");
        ebts_junit_add(o->junit, name, pass ? NULL : msg, details[0] ? details : NULL);
    }
    ebts_report_free(rep);
    ebts_txn_free(t);
}

static void walk(opts *o, const char *path, int top)
{
    struct stat st;
    if (strcmp(path, "-") != 0 && stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        struct dirent **list;
        int n = scandir(path, &list, NULL, alphasort);
        if (n < 0) {
            fprintf(stderr, "ebts-validate: cannot read directory %s\n", path);
            o->io_errors++;
            return;
        }
        for (int i = 0; i < n; i++) {
            char sub[2048];
            if (list[i]->d_name[0] != '.') {
                snprintf(sub, sizeof sub, "%s/%s", path, list[i]->d_name);
                struct stat s2;
                if (stat(sub, &s2) == 0 && (S_ISDIR(s2.st_mode) || wanted(list[i]->d_name)))
                    walk(o, sub, 0);
            }
            free(list[i]);
        }
        free(list);
        return;
    }
    (void)top;
    one_file(o, path);
}

int main(int argc, char **argv)
{
    opts o;
    memset(&o, 0, sizeof o);
    const char *profile = "ebts-11", *format = "text", *v;
    int first_path = 0;
    char **paths = calloc((size_t)argc + 1, sizeof *paths);
    int npaths = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage, stdout);
            free(paths);
            return CLI_OK;
        } else if ((v = cli_option(argc, argv, &i, "--profile"))) {
            profile = v;
        } else if ((v = cli_option(argc, argv, &i, "--format"))) {
            format = v;
        } else if (strcmp(a, "--strict") == 0) {
            o.strict = 1;
        } else if (strcmp(a, "--redact") == 0) {
            o.redact = 1;
        } else if (strcmp(a, "--expect") == 0) {
            o.expect = 1;
        } else if (strcmp(a, "-q") == 0) {
            o.quiet = 1;
        } else if (a[0] == '-' && a[1] != 0) {
            fprintf(stderr, "ebts-validate: unknown option '%s'\n%s", a, usage);
            free(paths);
            return CLI_USAGE;
        } else {
            size_t n = strlen(argv[i]);
            while (n > 1 && argv[i][n - 1] == '/') /* "dir/" walks as "dir" */
                argv[i][--n] = 0;
            paths[npaths++] = argv[i];
        }
    }
    (void)first_path;
    if (strcmp(profile, "list") == 0) {
        const char *name, *source;
        for (size_t i = 0, n = ebts_profile_builtins(0, NULL, NULL); i < n; i++) {
            ebts_profile_builtins(i, &name, &source);
            printf("%-15s %s%s\n", name, source, i == 0 ? " (default)" : "");
        }
        free(paths);
        return CLI_OK;
    }
    if (strcmp(format, "text") == 0)
        o.format = FMT_TEXT;
    else if (strcmp(format, "json") == 0)
        o.format = FMT_JSON;
    else if (strcmp(format, "junit") == 0)
        o.format = FMT_JUNIT;
    else
        npaths = 0;
    if (npaths == 0) {
        fprintf(stderr, "ebts-validate: expected FILE, DIR or - and a known format\n%s", usage);
        free(paths);
        return CLI_USAGE;
    }
    ebts_error err;
    memset(&err, 0, sizeof err);
    size_t plen = strlen(profile);
    ebts_profile *p = plen > 4 && strcmp(profile + plen - 4, ".xml") == 0
                          ? ebts_profile_load(profile, &err)
                          : ebts_profile_builtin(profile, &err);
    if (!p) {
        fprintf(stderr, "ebts-validate: profile %s: %s: %s\n", profile, err.code, err.msg);
        free(paths);
        return CLI_USAGE;
    }
    o.profile = p;
    if (o.format == FMT_JUNIT)
        o.junit = ebts_junit_new("ebts-validate");
    for (int i = 0; i < npaths; i++)
        walk(&o, paths[i], 1);
    if (o.format == FMT_TEXT && !o.quiet) {
        if (o.expect)
            printf("ebts-validate: %zu passed, %zu failed\n", o.files - o.bad - o.io_errors, o.bad);
        else
            printf("ebts-validate: %zu file%s, %zu valid, %zu invalid (profile %s)\n", o.files,
                   o.files == 1 ? "" : "s", o.files - o.bad - o.io_errors, o.bad,
                   ebts_profile_name(p));
    }
    if (o.format == FMT_JUNIT && !o.quiet && ebts_junit_write(o.junit, stdout, &err) < 0)
        o.io_errors++;
    ebts_junit_free(o.junit);
    ebts_profile_free(p);
    free(paths);
    if (o.io_errors)
        return CLI_USAGE;
    return o.bad ? CLI_INVALID : CLI_OK;
}
