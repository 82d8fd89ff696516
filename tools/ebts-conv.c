/* ebts-conv: read a transaction, report what is wrong with it, and write it out again as the
 * traditional encoding, the readable notation, JSON, the FBI's EBTS XML or an HTML report. */
#include <stdio.h>
#include <string.h>
#include "cli.h"

static const char usage[] =
    "usage: ebts-conv [--from auto|traditional|readable|xml]\n"
    "                 [--to traditional|readable|json|xml|html] [--xml-version 10.0|11.2]\n"
    "                 [--full | --plain] [--extract-images DIR] [--as-read]\n"
    "                 [--fix] [--strict] [--redact] [--base64] [-q] [-o OUT] FILE|-\n"
    "\n"
    "Reads an ANSI/NIST-ITL / EBTS transaction (gzip is inflated), prints its diagnostics to\n"
    "stderr as `path:offset: severity: CODE tag: message`, and writes it to OUT (default:\n"
    "standard output) in the --to format (default: readable). LEN and CNT are derived (but\n"
    "with --as-read), so a file with a wrong LEN is written repaired.\n"
    "\n"
    "  --from F     input format; auto (default) detects XML and the readable notation\n"
    "  --to F       traditional, readable, json, xml (the FBI's EBTS XML) or html: a report\n"
    "               page with the photos and every finding of the default profile\n"
    "  --xml-version V  xml: 11.2 (default, NIEM 4.0) or 10.0 (NIEM 2.0); the warnings say\n"
    "               what keeps the document from validating against that version's XSD\n"
    "  --full       readable: every byte of binary data (<HEX:...>) instead of a summary\n"
    "               (<SUMMARY ...>, which cannot be read back); the output reads back\n"
    "  --plain      readable: every byte and no mnemonics: the notation of the fixtures\n"
    "  --extract-images DIR  also write each image record's data to DIR/type-IDC.EXT\n"
    "  --as-read    with --to traditional: write the bytes as read, LEN, CNT and separators\n"
    "               unchanged (the readable notation's bytes as it spells them: defective\n"
    "               fixtures written by hand); not with --fix or --redact\n"
    "  --fix        also repair values: drop leading spaces, typographic quotes to ASCII\n"
    "  --strict     every recovered defect is an error; nothing is written if any error\n"
    "  --redact     replace personal values (Type-2 text, images) with '*' before writing\n"
    "  --base64     json: include binary data as base64\n"
    "  -q           print no diagnostics\n"
    "  --version    print the version and exit\n"
    "  -o OUT       write to OUT instead of standard output\n"
    "\n"
    "To the traditional encoding, an item that would read back as a new field (an item after\n"
    "RS or US beginning with a tag of its record, which XML can hold) is an error too.\n"
    "\n"
    "Exit status: 0 no error, 1 errors found (output still written unless --strict),\n"
    "2 usage or I/O error.\n";

/* Items that the traditional encoding would read back as new fields: an item after RS or US
 * that begins with a tag of its record, which XML can hold (the reader's VALUE_READS_AS_TAG,
 * printed with the other findings). Written traditionally, the transaction would read back
 * different: an error here. Returns how many. */
static size_t tag_like_items(const ebts_txn *t, const char *path, int quiet)
{
    size_t n = 0;
    for (size_t i = 0; i < ebts_txn_diag_count(t); i++)
        n += strcmp(ebts_txn_diag(t, i)->code, "VALUE_READS_AS_TAG") == 0;
    if (n && !quiet)
        fprintf(stderr, "%s: error: %zu item%s would read back as a new field from the "
                "traditional encoding (VALUE_READS_AS_TAG above)\n", path, n, n == 1 ? "" : "s");
    return n;
}

/* What the XML writer says of t in the version of wflags (warnings: what the schema misses,
 * values outside it, what goes to lebts:Field). -1 without memory. */
static int xml_warnings(const ebts_txn *t, unsigned wflags, const char *path, int quiet,
                        ebts_error *err)
{
    ebts_report *r = ebts_txn_xml_report(t, wflags, err);
    if (!r)
        return -1;
    char line[512];
    for (size_t i = 0; !quiet && i < ebts_report_count(r); i++)
        fprintf(stderr, "%s\n", ebts_diag_format(ebts_report_diag(r, i), path, 0, line, sizeof line));
    ebts_report_free(r);
    return 0;
}


/* Each image record's data (x.999 of Types 10 and 13-17, the data of Types 3-8) to
 * DIR/TYPE-IDC.EXT, the extension from the data's signature. 0, or -1 after a message. */
static int extract_images(const ebts_txn *t, const char *dir, int quiet)
{
    for (size_t i = 1; i < ebts_txn_record_count(t); i++) {
        const ebts_record *r = ebts_txn_record(t, i);
        ebts_span data;
        if (ebts_record_is_binary(r)) {
            data = ebts_record_data(r);
        } else {
            const ebts_field *f = ebts_record_field(r, 999);
            if (!f)
                continue;
            data = ebts_field_value(f);
        }
        if (!data.len)
            continue;
        char path[4096];
        int n = snprintf(path, sizeof path, "%s/type%u-idc%d.%s", dir, ebts_record_type(r),
                         ebts_record_idc(r), ebts_image_extension(data.ptr, data.len));
        ebts_error err;
        memset(&err, 0, sizeof err);
        if (n < 0 || (size_t)n >= sizeof path ||
            ebts_write_bytes_file(data.ptr, data.len, path, &err) < 0) {
            if (n < 0 || (size_t)n >= sizeof path)
                fprintf(stderr, "%s: error: IO_ERROR: path too long\n", dir);
            else
                cli_print_error(path, &err);
            return -1;
        }
        if (!quiet)
            fprintf(stderr, "%s: %zu bytes\n", path, data.len);
    }
    return 0;
}

static int run(int argc, char **argv)
{
    const char *from = "auto", *to = "readable", *out = "-", *in = NULL, *images = NULL, *v;
    const char *xmlver = NULL;
    int fix = 0, strict = 0, quiet = 0, redact = 0, base64 = 0, as_read = 0, full = 0, plain = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--version") == 0) {
            return cli_version("ebts-conv");
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage, stdout);
            return CLI_OK;
        } else if ((v = cli_option(argc, argv, &i, "--from"))) {
            from = v;
        } else if ((v = cli_option(argc, argv, &i, "--to"))) {
            to = v;
        } else if ((v = cli_option(argc, argv, &i, "--xml-version"))) {
            xmlver = v;
        } else if ((v = cli_option(argc, argv, &i, "--extract-images"))) {
            images = v;
        } else if ((v = cli_option(argc, argv, &i, "-o"))) {
            out = v;
        } else if (strcmp(a, "--fix") == 0) {
            fix = 1;
        } else if (strcmp(a, "--strict") == 0) {
            strict = 1;
        } else if (strcmp(a, "--redact") == 0) {
            redact = 1;
        } else if (strcmp(a, "--full") == 0) {
            full = 1;
        } else if (strcmp(a, "--plain") == 0) {
            plain = 1;
        } else if (strcmp(a, "--as-read") == 0) {
            as_read = 1;
        } else if (strcmp(a, "--base64") == 0) {
            base64 = 1;
        } else if (strcmp(a, "-q") == 0) {
            quiet = 1;
        } else if ((a[0] == '-' && a[1] != 0) || in) {
            fprintf(stderr, "ebts-conv: unexpected argument '%s'\n%s", a, usage);
            return CLI_USAGE;
        } else {
            in = a;
        }
    }
    unsigned rflags = 0, wflags = 0;
    if (strcmp(from, "traditional") == 0)
        rflags = EBTS_READ_TRADITIONAL;
    else if (strcmp(from, "readable") == 0)
        rflags = EBTS_READ_READABLE;
    else if (strcmp(from, "xml") == 0)
        rflags = EBTS_READ_XML;
    else if (strcmp(from, "auto") != 0)
        in = NULL;
    if (strcmp(to, "traditional") == 0)
        wflags = EBTS_FORMAT_TRADITIONAL;
    else if (strcmp(to, "readable") == 0)
        wflags = EBTS_FORMAT_READABLE | (plain ? 0 : EBTS_WRITE_MNEMONICS) |
                 (plain || full ? 0 : EBTS_WRITE_SUMMARY);
    else if (strcmp(to, "xml") == 0)
        wflags = EBTS_FORMAT_XML | (xmlver && strcmp(xmlver, "10.0") == 0 ? EBTS_WRITE_XML_10 : 0);
    else if (strcmp(to, "html") == 0)
        wflags = EBTS_FORMAT_HTML | EBTS_WRITE_VALIDATE;
    else if (strcmp(to, "json") == 0)
        wflags = EBTS_FORMAT_JSON | (base64 ? EBTS_WRITE_BASE64 : 0);
    else
        in = NULL;
    if (!in) {
        fprintf(stderr, "ebts-conv: %s\n%s", "expected one input FILE (or -) and known formats",
                usage);
        return CLI_USAGE;
    }
    if (xmlver && ((wflags & EBTS_FORMAT_MASK) != EBTS_FORMAT_XML ||
                   (strcmp(xmlver, "10.0") != 0 && strcmp(xmlver, "11.2") != 0))) {
        fprintf(stderr, "ebts-conv: --xml-version takes 10.0 or 11.2, with --to xml\n%s", usage);
        return CLI_USAGE;
    }
    if ((full || plain) && ((wflags & EBTS_FORMAT_MASK) != EBTS_FORMAT_READABLE || (full && plain))) {
        fprintf(stderr, "ebts-conv: --full or --plain (one of them) only with --to readable\n%s",
                usage);
        return CLI_USAGE;
    }
    if (as_read && ((wflags & EBTS_FORMAT_MASK) != EBTS_FORMAT_TRADITIONAL || fix || redact)) {
        fprintf(stderr, "ebts-conv: --as-read writes the input's bytes unchanged: only with "
                "--to traditional, not with --fix or --redact\n%s", usage);
        return CLI_USAGE;
    }
    const char *name = strcmp(in, "-") == 0 ? "<stdin>" : in;
    ebts_error err;
    memset(&err, 0, sizeof err);
    ebts_txn *t = ebts_read_file(in, rflags, &err);
    if (!t) {
        cli_print_error(name, &err);
        return cli_error_is_content(&err) ? CLI_INVALID : CLI_USAGE;
    }
    size_t errors = cli_print_diags(t, name, strict, quiet);
    if ((fix && ebts_txn_fix(t, EBTS_FIX_ALL, &err) < 0) ||
        (redact && ebts_txn_redact(t, &err) < 0)) {
        cli_print_error(name, &err);
        ebts_txn_free(t);
        return CLI_USAGE;
    }
    if ((wflags & EBTS_FORMAT_MASK) == EBTS_FORMAT_TRADITIONAL && !as_read)
        errors += tag_like_items(t, name, quiet);
    if ((wflags & EBTS_FORMAT_MASK) == EBTS_FORMAT_XML && xml_warnings(t, wflags, name, quiet, &err) < 0) {
        cli_print_error(name, &err);
        ebts_txn_free(t);
        return CLI_USAGE;
    }
    int rc = errors ? CLI_INVALID : CLI_OK;
    if (images && extract_images(t, images, quiet) < 0)
        rc = CLI_USAGE;
    ebts_span input = ebts_txn_input(t);
    if (!(strict && errors) &&
        (as_read && input.len ? ebts_write_bytes_file(input.ptr, input.len, out, &err)
                 : ebts_write_file(t, wflags, out, &err)) < 0) {
        cli_print_error(strcmp(out, "-") ? out : "<stdout>", &err);
        rc = CLI_USAGE;
    }
    ebts_txn_free(t);
    return rc;
}

int main(int argc, char **argv)
{
    cli_init();
    return cli_finish(run(argc, argv));
}
