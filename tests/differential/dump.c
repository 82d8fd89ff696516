/* The differential run's dump (tests/differential/run.sh): everything the public API lets a user
 * observe of reading one input, as text, so that two builds of the library can be compared by
 * their output. Only ebts.h: it builds against any revision that has the same public API.
 *
 *   dump FILE [READ-FLAGS-HEX]
 *
 * For each read mode (detected, traditional, strict): the fatal error, or the reader's findings,
 * the traditional, readable and JSON forms, the validation report under the built-in rules, and
 * the subfield and item layout of every field. READ-FLAGS-HEX is added to each mode's flags. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ebts.h"

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

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: dump FILE [READ-FLAGS-HEX]\n");
        return 2;
    }
    unsigned extra = argc > 2 ? (unsigned)strtoul(argv[2], NULL, 16) : 0;
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
        ebts_report *r = ebts_validate(t, NULL, NULL);
        if (r) {
            printf("-- validation: %zu findings\n", ebts_report_count(r));
            for (size_t i = 0; i < ebts_report_count(r); i++)
                print_diag(ebts_report_diag(r, i));
        } else {
            printf("-- validation failed\n");
        }
        ebts_report_free(r);
        print_layout(t);
        ebts_txn_free(t);
    }
    return 0;
}
