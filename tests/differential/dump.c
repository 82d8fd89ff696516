/* The differential run's dump (tests/differential/run.sh): everything the public API lets a user
 * observe of reading one input, as text, so that two builds of the library can be compared by
 * their output. Only ebts.h: it builds against any revision that has the same public API.
 *
 *   dump FILE [READ-FLAGS-HEX]
 *   dump FILE xml
 *
 * For each read mode (detected, traditional, strict): the fatal error, or the reader's findings,
 * the traditional, readable and JSON forms, the validation reports under each built-in profile
 * and the XML one EBTS_DIFF_PROFILE names, and
 * the subfield and item layout of every field. READ-FLAGS-HEX is added to each mode's flags.
 * With "xml", the XML round trip's property instead: an input that reads as the traditional
 * encoding gives, through XML and back, in both versions (EBTS 11.2 and 10.0), no difference
 * from itself written and read back traditionally, and none from itself when its reading found
 * no error; exit 1 when it does (the differences printed). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ebts.h"
#ifndef EBTS_DIFF_RECORDS_ONLY /* an older base: its dump never runs the XML property */
#define EBTS_DIFF_RECORDS_ONLY 0
#endif
#ifndef EBTS_WRITE_XML_10
#define EBTS_WRITE_XML_10 0
#endif

static void print_diag(const ebts_diag *d)
{
    printf("%s %d %d %zu %ld %s %ld %ld %s\n", d->code, (int)d->severity, d->recovered, d->offset,
           d->record, d->tag, d->subfield, d->item, d->msg);
}

static void print_forms(const ebts_txn *t)
{
    static const unsigned forms[] = {EBTS_FORMAT_TRADITIONAL, EBTS_FORMAT_READABLE,
                                     EBTS_FORMAT_JSON};
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        unsigned char *w;
        size_t n;
        ebts_error e;
        memset(&e, 0, sizeof e);
        if (ebts_write_buffer(t, forms[i], &w, &n, &e) != 0) {
            printf("-- form %u: error %s\n", forms[i], e.code ? e.code : "?");
            continue;
        }
        printf("-- form %u: %zu bytes\n", forms[i], n);
        fwrite(w, 1, n, stdout);
        putchar('\n');
        ebts_free(w);
    }
}

static void print_layout(const ebts_txn *t)
{
    for (size_t ri = 0; ri < ebts_txn_record_count(t); ri++) {
        const ebts_record *r = ebts_txn_record(t, ri);
        for (size_t fi = 0; fi < ebts_record_field_count(r); fi++) {
            const ebts_field *f = ebts_record_field_at(r, fi);
            size_t ns = ebts_field_subfield_count(f);
            printf("field %zu.%zu: %zu subfields:", ri, fi, ns);
            for (size_t s = 0; s < ns; s++) {
                size_t ni = ebts_field_item_count(f, s);
                printf(" %zu[", ni);
                for (size_t k = 0; k < ni; k++) {
                    ebts_span it = ebts_field_item(f, s, k);
                    printf("%s%zu", k ? " " : "", it.len);
                }
                printf("]");
            }
            printf("\n");
        }
    }
}

static ebts_txn *reread(const ebts_txn *t, unsigned format, unsigned flags)
{
    unsigned char *w;
    size_t n;
    if (ebts_write_buffer(t, format, &w, &n, NULL) != 0)
        return NULL;
    ebts_txn *u = ebts_read_buffer(w, n, flags, NULL);
    ebts_free(w);
    return u;
}

/* 0 when a and b do not differ; 1 (the differences printed) when they do or cannot be compared */
static int differs(const ebts_txn *a, const ebts_txn *b, const char *what)
{
    ebts_diff_options o = {EBTS_DIFF_RECORDS_ONLY, NULL, 0}; /* what the records hold */
    ebts_diff_result *d = a && b ? ebts_diff(a, b, &o, NULL) : NULL;
    if (d && ebts_diff_count(d) == 0) {
        ebts_diff_free(d);
        return 0;
    }
    printf("xml round trip: %s\n", what);
    char line[512];
    for (size_t i = 0; d && i < ebts_diff_count(d) && i < 5; i++)
        printf("  %s\n", ebts_difference_format(ebts_diff_at(d, i), 0, line, sizeof line));
    ebts_diff_free(d);
    return 1;
}

/* The property for both versions of the XML, EBTS 11.2 and 10.0. */
static int xml_property(const char *path)
{
    ebts_txn *t = ebts_read_file(path, EBTS_READ_TRADITIONAL, NULL);
    if (!t)
        return 0; /* no transaction: nothing to carry */
    ebts_txn *trad = reread(t, EBTS_FORMAT_TRADITIONAL, EBTS_READ_TRADITIONAL);
    static const unsigned versions[] = {0, EBTS_WRITE_XML_10};
    static const char *const what[][2] = {
        {"EBTS 11.2 XML gives back another transaction than the traditional form",
         "traditional -> EBTS 11.2 XML -> traditional differs from the input"},
        {"EBTS 10.0 XML gives back another transaction than the traditional form",
         "traditional -> EBTS 10.0 XML -> traditional differs from the input"}};
    int bad = 0;
    for (size_t v = 0; v < 2 && !bad; v++) {
        ebts_txn *xml = reread(t, EBTS_FORMAT_XML | versions[v], EBTS_READ_XML);
        bad = differs(trad, xml, what[v][0]);
        if (!bad && ebts_txn_error_count(t, 0) == 0)
            bad = differs(t, xml, what[v][1]);
        ebts_txn_free(xml);
    }
    ebts_txn_free(trad);
    ebts_txn_free(t);
    return bad;
}

/* The report of t under p (NULL: the default profile) */
static void print_report(const ebts_txn *t, const ebts_profile *p, const char *name)
{
    ebts_report *r = ebts_validate(t, p, NULL);
    if (r) {
        printf("-- validation (%s): %zu findings\n", name, ebts_report_count(r));
        for (size_t i = 0; i < ebts_report_count(r); i++)
            print_diag(ebts_report_diag(r, i));
    } else {
        printf("-- validation (%s) failed\n", name);
    }
    ebts_report_free(r);
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[2], "xml") == 0)
        return xml_property(argv[1]);
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: dump FILE [READ-FLAGS-HEX]\n");
        return 2;
    }
    unsigned extra = argc > 2 ? (unsigned)strtoul(argv[2], NULL, 16) : 0;
    /* the other built-in profiles, and the XML profile EBTS_DIFF_PROFILE names (run.sh: the
       example profile), each loaded once for every read mode */
    const char *xml = getenv("EBTS_DIFF_PROFILE");
    ebts_profile *profiles[] = {ebts_profile_builtin("ebts-10", NULL),
                                ebts_profile_builtin("ebts-9.1", NULL),
                                ebts_profile_builtin("ansi-nist-2011", NULL),
                                xml ? ebts_profile_load(xml, NULL) : NULL};
    static const unsigned modes[] = {0, EBTS_READ_TRADITIONAL, EBTS_READ_STRICT};
    for (size_t m = 0; m < sizeof modes / sizeof modes[0]; m++) {
        ebts_error e;
        memset(&e, 0, sizeof e);
        ebts_txn *t = ebts_read_file(argv[1], modes[m] | extra, &e); /* the page cache has it */
        printf("== mode %zu\n", m);
        if (!t) {
            printf("error %s %zu %s\n", e.code ? e.code : "?", e.offset, e.msg);
            continue;
        }
        for (size_t i = 0; i < ebts_txn_diag_count(t); i++)
            print_diag(ebts_txn_diag(t, i));
        print_forms(t);
        print_report(t, NULL, "default");
        for (size_t k = 0; k < sizeof profiles / sizeof profiles[0]; k++)
            if (profiles[k])
                print_report(t, profiles[k], ebts_profile_name(profiles[k]));
        print_layout(t);
        ebts_txn_free(t);
    }
    for (size_t k = 0; k < sizeof profiles / sizeof profiles[0]; k++)
        ebts_profile_free(profiles[k]);
    return 0;
}
