/* Linked into a test build of ebts-validate with -Wl,--wrap=readdir, for what a walk cannot be
 * made to meet on demand: WALKSHIM_UNKNOWN set makes every listed name's type DT_UNKNOWN (as on
 * a file system that gives none); WALKSHIM_FROM and WALKSHIM_TO rename a file when a listing
 * gives its first name, after the C library has read the names of a small directory, so a name
 * the walk has listed is something else, or nothing, when it is opened; with WALKSHIM_AFTER=N,
 * when the Nth listing does (a directory moved while the walk is below it).
 * With -Wl,--wrap=read as well, WALKSHIM_SLOW makes each read wait 20 ms, so that the pool's
 * threads all hold the files they check at once, and WALKSHIM_SHORT=N makes each return at most
 * N bytes (a regular file's read that a signal interrupted, or a FUSE file system's); with
 * -Wl,--wrap=fstat,--wrap=lseek too,
 * WALKSHIM_COUNT=path writes to path, when the process ends, how many reads, fstats and lseeks
 * the tool and the library made (what a file's check costs in system calls). */
#define _DEFAULT_SOURCE
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct dirent *__real_readdir(DIR *d);
struct dirent *__wrap_readdir(DIR *d);
ssize_t __real_read(int fd, void *p, size_t n);
ssize_t __wrap_read(int fd, void *p, size_t n);
int __real_fstat(int fd, struct stat *st);
int __wrap_fstat(int fd, struct stat *st);
off_t __real_lseek(int fd, off_t off, int whence);
off_t __wrap_lseek(int fd, off_t off, int whence);

static long reads, fstats, lseeks;

__attribute__((destructor)) static void write_counts(void)
{
    const char *path = getenv("WALKSHIM_COUNT");
    FILE *fp = path ? fopen(path, "w") : NULL;
    if (fp) {
        fprintf(fp, "read %ld\nfstat %ld\nlseek %ld\n", reads, fstats, lseeks);
        fclose(fp);
    }
}

int __wrap_fstat(int fd, struct stat *st)
{
    __atomic_add_fetch(&fstats, 1, __ATOMIC_RELAXED);
    return __real_fstat(fd, st);
}

off_t __wrap_lseek(int fd, off_t off, int whence)
{
    __atomic_add_fetch(&lseeks, 1, __ATOMIC_RELAXED);
    return __real_lseek(fd, off, whence);
}

ssize_t __wrap_read(int fd, void *p, size_t n)
{
    __atomic_add_fetch(&reads, 1, __ATOMIC_RELAXED);
    if (getenv("WALKSHIM_SLOW"))
        nanosleep(&(struct timespec){0, 20000000}, NULL);
    const char *most = getenv("WALKSHIM_SHORT");
    if (most && atoi(most) > 0 && n > (size_t)atoi(most))
        n = (size_t)atoi(most);
    return __real_read(fd, p, n);
}

struct dirent *__wrap_readdir(DIR *d)
{
    struct dirent *e = __real_readdir(d);
    static int listings, fresh = 1;
    const char *from = getenv("WALKSHIM_FROM"), *to = getenv("WALKSHIM_TO");
    const char *after = getenv("WALKSHIM_AFTER");
    if (e && getenv("WALKSHIM_UNKNOWN"))
        e->d_type = DT_UNKNOWN;
    /* when a listing gives its first name ("."), the C library has read its names: the tool
       may start checking them as they are listed, so the rename comes before it can */
    if (e && fresh && from && to && (!after || ++listings == atoi(after)))
        rename(from, to); /* once: from is gone after */
    fresh = e == NULL;
    return e;
}
