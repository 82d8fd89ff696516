/* Linked into a test build of ebts-validate with -Wl,--wrap=readdir, for what a walk cannot be
 * made to meet on demand: WALKSHIM_UNKNOWN set makes every listed name's type DT_UNKNOWN (as on
 * a file system that gives none); WALKSHIM_FROM and WALKSHIM_TO rename a file when a listing
 * ends, so a name the walk has listed is something else, or nothing, when it is opened; with
 * WALKSHIM_AFTER=N, when the Nth listing ends (a directory moved while the walk is below it). */
#define _DEFAULT_SOURCE
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>

struct dirent *__real_readdir(DIR *d);
struct dirent *__wrap_readdir(DIR *d);

struct dirent *__wrap_readdir(DIR *d)
{
    struct dirent *e = __real_readdir(d);
    static int listings;
    const char *from = getenv("WALKSHIM_FROM"), *to = getenv("WALKSHIM_TO");
    const char *after = getenv("WALKSHIM_AFTER");
    if (e && getenv("WALKSHIM_UNKNOWN"))
        e->d_type = DT_UNKNOWN;
    if (!e && from && to && (!after || ++listings == atoi(after)))
        rename(from, to); /* once: from is gone after */
    return e;
}
