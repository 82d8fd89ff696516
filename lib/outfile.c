/* Output files that never destroy what they replace. A path is written through a temporary file
 * in its target's directory, which is flushed, synced and renamed over the target only once the
 * whole output is in it; a failed write removes the temporary file and leaves the target as it
 * was. Where the file system can (Linux O_TMPFILE), the temporary file has no name until the
 * output is complete: a process killed while it writes leaves nothing behind. Elsewhere it is
 * ".NAME.tmpXXXXXX" from the start. A symlink is followed and its target replaced (the link stays).
 * Devices, FIFOs and the process's own descriptors (/dev/stdout, /dev/fd/N) are written in
 * place, never truncated, removed or renamed over. */
#if defined(__linux__)
#define _GNU_SOURCE 1 /* O_TMPFILE */
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "internal.h"

#define LINK_HOPS 40       /* symlinks followed before ELOOP, as the kernel does */
#define TMP_BASE_MAX 200   /* bytes of the target's name kept in the temporary name */
#define TMP_TRIES 100

static int fail(ebts_error *err, const char *what, const char *path, int e)
{
    if (e == ENOMEM)
        ebts__error_oom(err);
    else
        ebts__error_set(err, EBTS__C_IO_ERROR, 0, -1, NULL, "%s %s: %s", what, path, strerror(e));
    return -1;
}

/* The directory of p (malloc'd; "." when p has no slash, "/" for "/name"). */
static char *dir_of(const char *p)
{
    const char *s = strrchr(p, '/');
    if (!s)
        return strdup(".");
    size_t n = s == p ? 1 : (size_t)(s - p);
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, p, n);
        d[n] = 0;
    }
    return d;
}

static const char *base_of(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

/* The descriptor a link in /proc/self/fd (reached as /dev/stdout, /dev/fd/N or
 * /proc/self/fd/N) stands for, or -1 when p is no such link. */
static int own_descriptor(const char *p)
{
    char *d = dir_of(p);
    struct stat a, b;
    int fd = -1;
    if (d && stat(d, &a) == 0 && stat("/proc/self/fd", &b) == 0 && a.st_dev == b.st_dev &&
        a.st_ino == b.st_ino) {
        const char *s = base_of(p);
        char *end;
        long n = strtol(s, &end, 10);
        if (*s >= '0' && *s <= '9' && !*end && n <= INT32_MAX)
            fd = (int)n;
    }
    free(d);
    return fd;
}

/* Follow symlinks from path to the file they end at (which may not exist yet). *fd_out is the
 * descriptor when the chain reaches one of the process's own. Returns a malloc'd path or NULL
 * with errno set. */
static char *resolve(const char *path, int *fd_out)
{
    char *p = strdup(path);
    *fd_out = -1;
    for (int hop = 0; p; hop++) {
        struct stat st;
        if (lstat(p, &st) != 0 || !S_ISLNK(st.st_mode))
            return p; /* a missing file is created where the chain ends */
        if ((*fd_out = own_descriptor(p)) >= 0 || hop == LINK_HOPS) {
            if (*fd_out < 0)
                errno = ELOOP;
            free(p);
            return NULL;
        }
        size_t cap = (size_t)st.st_size + 1 < 256 ? 256 : (size_t)st.st_size + 1;
        char *link = malloc(cap);
        ssize_t n = link ? readlink(p, link, cap) : -1;
        if (n < 0 || (size_t)n >= cap) {
            int e = n < 0 ? errno : ENAMETOOLONG;
            free(link);
            free(p);
            errno = link ? e : ENOMEM;
            return NULL;
        }
        link[n] = 0;
        char *next = link;
        if (link[0] != '/' && strchr(p, '/')) {
            size_t dn = (size_t)(strrchr(p, '/') - p) + 1;
            next = malloc(dn + (size_t)n + 1);
            if (next) {
                memcpy(next, p, dn);
                memcpy(next + dn, link, (size_t)n + 1);
            }
            free(link);
        }
        free(p);
        p = next;
        if (!p)
            errno = ENOMEM;
    }
    return NULL;
}

static int in_place(ebts__outfile *o, int fd, const char *path, ebts_error *err)
{
    o->fp = fdopen(fd, "wb");
    if (!o->fp) {
        int e = errno;
        close(fd);
        return fail(err, "cannot write", path, e);
    }
    return 0;
}

/* A name for the temporary file beside target that no one else is likely to pick: six
 * characters from the time, the process and the attempt. */
static void tmp_name(char *out, size_t cap, const char *dir, const char *base, unsigned attempt)
{
    static const char chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    uint64_t x = (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 30) ^ ((uint64_t)getpid() << 16) ^
                 (uint64_t)(uintptr_t)out ^ ((uint64_t)attempt * 0x9e3779b97f4a7c15u);
    char rnd[7];
    for (int i = 0; i < 6; i++) {
        x ^= x >> 33;
        x *= 0xff51afd7ed558ccdu;
        x ^= x >> 29;
        rnd[i] = chars[x % 62];
    }
    rnd[6] = 0;
    size_t bn = strlen(base);
    snprintf(out, cap, "%s/.%.*s.tmp%s", dir, (int)(bn < TMP_BASE_MAX ? bn : TMP_BASE_MAX), base,
             rnd);
}

/* A new temporary file beside target: mode 0666 less the umask for a new target, the existing
 * target's owner and mode otherwise. */
static int create_tmp(ebts__outfile *o, const struct stat *old, ebts_error *err)
{
    char *dir = dir_of(o->target);
    size_t cap = (dir ? strlen(dir) : 0) + TMP_BASE_MAX + 16;
    o->tmp = dir ? malloc(cap) : NULL;
    if (!o->tmp) {
        free(dir);
        return fail(err, "", "", ENOMEM);
    }
    int fd = -1;
#if defined(O_TMPFILE)
    /* named when complete, through /proc/self/fd (commit); without /proc, named at once */
    if (access("/proc/self/fd", X_OK) == 0) {
        fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, old ? 0600 : 0666);
        o->unnamed = fd >= 0; /* else a file system without it (EOPNOTSUPP): a name now */
        o->tmp[0] = 0;
    }
#endif
    for (unsigned i = 0; fd < 0 && i < TMP_TRIES; i++) {
        tmp_name(o->tmp, cap, dir, base_of(o->target), i);
        fd = open(o->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOCTTY | O_CLOEXEC, old ? 0600 : 0666);
        if (fd < 0 && errno != EEXIST)
            break;
    }
    int e = errno;
    if (fd < 0) {
        fail(err, "cannot create a temporary file in", dir, e);
        free(dir);
        free(o->tmp);
        o->tmp = NULL;
        return -1;
    }
    free(dir);
    if (old) {
        if ((old->st_uid != geteuid() || old->st_gid != getegid()) &&
            fchown(fd, old->st_uid, old->st_gid) != 0) {
            /* not permitted: the replacement is ours, as a file created by us would be */
        }
        if (fchmod(fd, old->st_mode & 07777) != 0) {
            e = errno;
            close(fd);
            return fail(err, "cannot set the mode of", o->unnamed ? o->target : o->tmp, e);
        }
    }
    /* on failure the caller removes the file */
    return in_place(o, fd, o->unnamed ? o->target : o->tmp, err);
}

int ebts__outfile_open(ebts__outfile *o, const char *path, ebts_error *err)
{
    memset(o, 0, sizeof *o);
    if (strcmp(path, "-") == 0) {
        o->fp = stdout;
        return 0;
    }
    int fd;
    o->target = resolve(path, &fd);
    if (fd == 1) {
        o->fp = stdout;
        return 0;
    }
    if (fd >= 0) {
        int d = dup(fd);
        if (d < 0 || in_place(o, d, path, err) < 0)
            return d < 0 ? fail(err, "cannot write", path, errno) : -1;
        o->owned = 1;
        return 0;
    }
    if (!o->target)
        return fail(err, "cannot write", path, errno);
    struct stat st;
    int exists = stat(o->target, &st) == 0;
    if (!exists && errno != ENOENT) {
        int e = errno;
        ebts__outfile_abort(o);
        return fail(err, "cannot write", path, e);
    }
    if (exists && !S_ISREG(st.st_mode)) {
        /* a device, FIFO or socket: written where it is, never truncated or removed */
        fd = open(o->target, O_WRONLY | O_NOCTTY | O_CLOEXEC);
        struct stat now;
        if (fd >= 0 && fstat(fd, &now) == 0 && S_ISREG(now.st_mode)) {
            close(fd); /* replaced by a regular file since: that is not written in place */
            fd = -1;
            errno = EAGAIN;
        }
        int e = errno;
        if (fd < 0 || in_place(o, fd, path, err) < 0) {
            ebts__outfile_abort(o);
            return fd < 0 ? fail(err, "cannot write", path, e) : -1;
        }
        o->owned = 1;
        return 0;
    }
    if (exists) {
        /* the target must be writable, as it would be for writing in place */
        fd = open(o->target, O_WRONLY | O_NOCTTY | O_CLOEXEC);
        int e = errno;
        if (fd < 0 || fstat(fd, &st) != 0) {
            e = fd < 0 ? e : errno;
            if (fd >= 0)
                close(fd);
            ebts__outfile_abort(o);
            return fail(err, "cannot write", path, e);
        }
        close(fd);
    }
    if (create_tmp(o, exists ? &st : NULL, err) < 0) {
        ebts__outfile_abort(o);
        return -1;
    }
    o->owned = 1;
    return 0;
}

/* The rename into the directory is made durable too; a directory that cannot be synced (some
 * file systems refuse) does not undo a write that is already complete. */
static void sync_dir(const char *target)
{
    char *dir = dir_of(target);
    int fd = dir ? open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
    free(dir);
}

/* The complete unnamed file gets its temporary name beside the target (renamed over it next):
 * 0, or an errno. */
static int name_unnamed(ebts__outfile *o)
{
    char fdpath[64];
    snprintf(fdpath, sizeof fdpath, "/proc/self/fd/%d", fileno(o->fp));
    char *dir = dir_of(o->target);
    if (!dir)
        return ENOMEM;
    size_t cap = strlen(dir) + TMP_BASE_MAX + 16;
    int e = EEXIST;
    for (unsigned i = 0; e == EEXIST && i < TMP_TRIES; i++) {
        tmp_name(o->tmp, cap, dir, base_of(o->target), i);
        e = linkat(AT_FDCWD, fdpath, AT_FDCWD, o->tmp, AT_SYMLINK_FOLLOW) == 0 ? 0 : errno;
    }
    free(dir);
    o->unnamed = e != 0; /* named: a failed rename now removes it */
    return e;
}

int ebts__outfile_commit(ebts__outfile *o, const char *path, ebts_error *err)
{
    int e = 0;
    errno = 0;
    if (fflush(o->fp) != 0 || ferror(o->fp))
        e = errno ? errno : EIO;
    if (!e && o->tmp && fsync(fileno(o->fp)) != 0)
        e = errno;
    if (!e && o->unnamed)
        e = name_unnamed(o);
    if (o->owned) {
        if (fclose(o->fp) != 0 && !e)
            e = errno;
        o->fp = NULL;
    }
    if (!e && o->tmp && rename(o->tmp, o->target) != 0)
        e = errno;
    if (!e && o->tmp)
        sync_dir(o->target);
    else if (o->tmp && !o->unnamed)
        unlink(o->tmp);
    free(o->tmp);
    free(o->target);
    memset(o, 0, sizeof *o);
    return e ? fail(err, "cannot write", path, e) : 0;
}

void ebts__outfile_abort(ebts__outfile *o)
{
    if (o->owned && o->fp)
        fclose(o->fp); /* an unnamed file is gone with its descriptor */
    if (o->tmp && !o->unnamed)
        unlink(o->tmp);
    free(o->tmp);
    free(o->target);
    memset(o, 0, sizeof *o);
}
