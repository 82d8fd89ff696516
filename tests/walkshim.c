/* Linked into a test build of ebts-validate with -Wl,--wrap=readdir, for what a walk cannot be
 * made to meet on demand: WALKSHIM_UNKNOWN set makes every listed name's type DT_UNKNOWN (as on
 * a file system that gives none); WALKSHIM_FROM and WALKSHIM_TO rename a file when a listing
 * ends, so a name the walk has listed is something else, or nothing, when it is opened; with
 * WALKSHIM_AFTER=N, when the Nth listing ends (a directory moved while the walk is below it).
 * With -Wl,--wrap=read as well, WALKSHIM_SLOW makes each read wait 20 ms, so that the pool's
 * threads all hold the files they check at once. */
#define _DEFAULT_SOURCE
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

struct dirent *__real_readdir(DIR *d);
struct dirent *__wrap_readdir(DIR *d);
ssize_t __real_read(int fd, void *p, size_t n);
ssize_t __wrap_read(int fd, void *p, size_t n);

ssize_t __wrap_read(int fd, void *p, size_t n)
{
    if (getenv("WALKSHIM_SLOW"))
        nanosleep(&(struct timespec){0, 20000000}, NULL);
    return __real_read(fd, p, n);
}

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
