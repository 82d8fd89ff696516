/* One transaction's validation split between threads (the bound lowered so that a small file
 * splits): tests/valgrind.sh runs it under helgrind, which reports a race if the threads share
 * anything they write. Exits 0 when the report is the one a single thread gives. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ebts.h"

extern size_t ebts__validate_split_min; /* lib/validate.h */

/* The report's findings and counts as one string. */
static char *text_of(const ebts_report *r)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    if (!fp || !r)
        exit(2);
    fprintf(fp, "%zu %zu\n", ebts_report_count(r), ebts_report_finding_count(r));
    for (size_t i = 0; i < ebts_report_count(r); i++) {
        const ebts_diag *d = ebts_report_diag(r, i);
        fprintf(fp, "%s %zu %ld %s %ld %ld %s\n", d->code, d->offset, d->record, d->tag,
                d->subfield, d->item, d->msg);
    }
    fclose(fp);
    return buf;
}

int main(int argc, char **argv)
{
    ebts_txn *t = argc == 2 ? ebts_read_file(argv[1], 0, NULL) : NULL;
    if (!t) {
        fprintf(stderr, "usage: splitthreads FILE (a transaction)\n");
        return 2;
    }
    ebts_profile *p = ebts_profile_builtin("ebts-11", NULL);
    ebts_validate_threads(1);
    ebts_report *r = ebts_validate(t, p, NULL);
    char *one = text_of(r);
    ebts_report_free(r);
    ebts__validate_split_min = 1;
    ebts_validate_threads(4);
    r = ebts_validate(t, p, NULL);
    char *split = text_of(r);
    ebts_report_free(r);
    int same = strcmp(one, split) == 0;
    if (!same)
        fprintf(stderr, "splitthreads: the split report differs from one thread's\n");
    free(one);
    free(split);
    ebts_profile_free(p);
    ebts_txn_free(t);
    return same ? 0 : 1;
}
