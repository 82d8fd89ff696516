/* ebts-validate: check transactions against the EBTS rules (a built-in or XML profile) and
 * report in text, JSON lines or JUnit XML; --expect runs a fixture corpus in conformance mode.
 * Directories are walked by their descriptors (openat), so there is no limit of depth or path
 * length, and by their listings' types, so a regular file is opened, never stat'ed, by the walk. */
#define _DEFAULT_SOURCE /* d_type and DTTOIF are BSD, not POSIX */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "cli.h"

static const char usage[] =
    "usage: ebts-validate [--profile NAME|FILE.xml] [--strict] [--format text|json|junit|html]\n"
    "                     [--redact] [--expect] [-q] [-j N] FILE|DIR|- ...\n"
    "       ebts-validate --explain CODE\n"
    "\n"
    "Validates transactions against the EBTS rules: built-in profiles ebts-11 (default),\n"
    "ebts-10, ebts-9.1 and ansi-nist-2011 (--profile list shows them with their sources), or an\n"
    "XML profile file. Directories are walked recursively (files ending in .eft .ebts .an2 .an2k\n"
    ".nst .nist .txt .xml, optionally .gz), following links, each file once; FIFOs, sockets and\n"
    "devices met there are skipped with a warning.\n"
    "\n"
    "  --profile P   built-in profile name or XML profile file; \"list\" lists the built-in ones\n"
    "  --strict      warnings make a file invalid\n"
    "  --format F    text (default): one line per diagnostic and a summary per file and run;\n"
    "                json: one JSON object per file and line; junit: a JUnit XML report;\n"
    "                html: one page, a table of the files linking to their findings\n"
    "  --redact      replace quoted values in messages with '*' (no personal data in CI logs)\n"
    "  --expect      conformance mode: F passes when its findings are those F.expect lists, one\n"
    "                per line as CODE [TAG] [xCOUNT], or, without F.expect, when it has no error\n"
    "  -q            print nothing; the exit status speaks\n"
    "  -j N          check with N threads (default: one per core when there are several\n"
    "                files); the output is the same, in the same order, whatever N\n"
    "  --explain C   what diagnostic code C means and what to do about it\n"
    "  --version     print the version and exit\n"
    "\n"
    "Exit status: 0 every file valid (or, with --expect, every file passes), 1 otherwise,\n"
    "2 usage or I/O error, an unreadable input, or no file at all to check.\n";

/* The files checked once: device and inode of each regular file and directory met. A walk
 * marks a directory when it enters it; a file is marked as its check is emitted, in input order,
 * so the first name that leads to it is the one checked whatever the number of threads. */
typedef struct fileid {
    dev_t dev;
    ino_t ino;
    int used;
} fileid;

/* A directory of a walk, open, shared by the jobs that open its files (on pool threads, by
 * name under it) and by the walk; closed by whichever lets go of it last. */
typedef struct walkdir {
    int fd;
    int refs; /* changed atomically: pool threads let go of it */
} walkdir;

/* The descriptors queued jobs hold (a walked directory each, or the file of an argument); changed
 * atomically: pool threads let go of them. */
static int held_fds;

typedef struct opts {
    const ebts_profile *profile;
    int fd_budget; /* held_fds at most: the walk and the pool threads need descriptors too */
    int strict, redact, expect, quiet;
    int stream_named; /* an argument read as a stream was queued (stream_argument) */
    enum { FMT_TEXT, FMT_JSON, FMT_JUNIT, FMT_HTML } format;
    ebts_junit *junit;
    ebts_batch *batch;
    cli_pool *pool;
    size_t files, bad, io_errors; /* files counts every input, io_errors the unreadable ones */
    fileid *seen;                 /* open addressing, cap a power of two, at most half full */
    size_t nseen, cap;
} opts;

/* 1 when the file was not met before (and is now), 0 when it was, -1 out of memory. */
static int first_visit(opts *o, dev_t dev, ino_t ino)
{
    if (2 * (o->nseen + 1) > o->cap) {
        size_t cap = o->cap ? 2 * o->cap : 256;
        fileid *t = calloc(cap, sizeof *t);
        if (!t)
            return -1;
        for (size_t i = 0; i < o->cap; i++) {
            if (!o->seen[i].used)
                continue;
            size_t h = ((size_t)o->seen[i].ino * 31 + (size_t)o->seen[i].dev) & (cap - 1);
            while (t[h].used)
                h = (h + 1) & (cap - 1);
            t[h] = o->seen[i];
        }
        free(o->seen);
        o->seen = t;
        o->cap = cap;
    }
    size_t h = ((size_t)ino * 31 + (size_t)dev) & (o->cap - 1);
    for (; o->seen[h].used; h = (h + 1) & (o->cap - 1))
        if (o->seen[h].dev == dev && o->seen[h].ino == ino)
            return 0;
    o->seen[h] = (fileid){dev, ino, 1};
    o->nseen++;
    return 1;
}

static int wanted(const char *name)
{
    static const char *const ext[] = {".eft", ".ebts", ".an2", ".an2k", ".nst", ".nist", ".txt",
                                      ".xml"};
    size_t n = strlen(name);
    if (n > 3 && strcmp(name + n - 3, ".gz") == 0)
        n -= 3;
    for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++) {
        size_t e = strlen(ext[i]);
        if (n > e && strncmp(name + n - e, ext[i], e) == 0)
            return 1;
    }
    return 0;
}

/* One line of F.expect: CODE, optionally the tag the finding is at and how many there are:
 * "LEN_MISMATCH", "LEN_MISMATCH 2.001", "LEN_MISMATCH x2", "LEN_MISMATCH 2.001 x2". */
typedef struct want {
    char code[48];
    char tag[24]; /* canonical "2.001", or "" for any */
    long count;   /* -1: one or more */
} want;

#define MAX_WANT 256

/* "2.1", "2.01" and "2.001" as the canonical "2.001"; 0 when s is no tag. */
static int canonical_tag(const char *s, char *out, size_t size)
{
    char *end;
    if (*s < '0' || *s > '9')
        return 0;
    unsigned long type = strtoul(s, &end, 10);
    if (*end != '.' || end[1] < '0' || end[1] > '9')
        return 0;
    unsigned long field = strtoul(end + 1, &end, 10);
    if (*end || type > 999999999ul || field > 999999999ul)
        return 0;
    snprintf(out, size, "%lu.%03lu", type, field);
    return 1;
}

/* Parse one line into *w: 1 parsed, 0 blank or comment, -1 malformed. */
static int parse_want(char *line, want *w)
{
    memset(w, 0, sizeof *w);
    w->count = -1;
    char *save = NULL, *tok = strtok_r(line, " \t\r\n", &save);
    if (!tok || tok[0] == '#')
        return 0;
    static const char code_chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_";
    if (strlen(tok) >= sizeof w->code || strspn(tok, code_chars) != strlen(tok))
        return -1;
    strcpy(w->code, tok);
    while ((tok = strtok_r(NULL, " \t\r\n", &save)) && tok[0] != '#') {
        char *end;
        if (tok[0] == 'x' && w->count < 0 && tok[1] >= '1' && tok[1] <= '9') {
            w->count = strtol(tok + 1, &end, 10);
            if (*end || w->count > 100000)
                return -1;
        } else if (w->tag[0] || w->count >= 0 || !canonical_tag(tok, w->tag, sizeof w->tag)) {
            return -1;
        }
    }
    return 1;
}

/* The lines of NAME.expect in the directory dirfd (or AT_FDCWD); returns their count, -1 when
 * there is no such file, and -2 with *bad_line set when a line is malformed. */
static int read_expect(int dirfd, const char *name, want *wants, int max, int *bad_line)
{
    size_t len = strlen(name);
    char *p = malloc(len + sizeof ".expect");
    if (!p)
        return -1;
    memcpy(p, name, len);
    memcpy(p + len, ".expect", sizeof ".expect");
    int fd = openat(dirfd, p, O_RDONLY | O_NOCTTY | O_CLOEXEC);
    free(p);
    FILE *fp = fd < 0 ? NULL : fdopen(fd, "r");
    if (!fp) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    int n = 0, lineno = 0;
    char line[256];
    while (fgets(line, sizeof line, fp) && n < max) {
        lineno++;
        int r = parse_want(line, &wants[n]);
        if (r < 0) {
            *bad_line = lineno;
            n = -2;
            break;
        }
        n += r;
    }
    fclose(fp);
    return n;
}

static void append(char *dst, size_t size, const char *what)
{
    if (strlen(dst) + strlen(what) + 2 < size)
        strcat(strcat(dst, " "), what);
}

static int matches(const want *w, const char *code, const char *tag)
{
    return strcmp(code, w->code) == 0 && (!w->tag[0] || strcmp(tag, w->tag) == 0);
}

/* Compare the findings (codes[i] at tags[i]) with the lines of the .expect file: a line is met
 * by as many findings of its code (at its tag, when it names one) as it says, or by one or more;
 * a finding no line names is unexpected. The verdict lists both; 1 when it is empty. */
static int compare_expect(const want *w, int nwant, const char *const *codes,
                          const char *const *tags, size_t n, char *verdict, size_t size)
{
    char miss[600] = "", extra[600] = "", item[120];
    for (int k = 0; k < nwant; k++) {
        long found = 0;
        for (size_t i = 0; i < n; i++)
            found += matches(&w[k], codes[i], tags[i]);
        if (w[k].count < 0 ? found > 0 : found == w[k].count)
            continue;
        int len =
            snprintf(item, sizeof item, "%s%s%s", w[k].code, w[k].tag[0] ? " " : "", w[k].tag);
        if (w[k].count >= 0)
            snprintf(item + len, sizeof item - (size_t)len, " x%ld (found %ld)", w[k].count, found);
        append(miss, sizeof miss, item);
    }
    for (size_t i = 0; i < n; i++) {
        int matched = 0, listed = 0;
        for (int k = 0; k < nwant; k++) {
            listed |= strcmp(codes[i], w[k].code) == 0;
            matched |= matches(&w[k], codes[i], tags[i]);
        }
        if (matched)
            continue;
        /* a code listed at other tags is unexpected at this one */
        snprintf(item, sizeof item, "%s%s%s", codes[i], listed && tags[i][0] ? " " : "",
                 listed ? tags[i] : "");
        char padded[124];
        snprintf(padded, sizeof padded, " %s ", item);
        char hay[604];
        snprintf(hay, sizeof hay, "%s ", extra);
        if (!strstr(hay, padded))
            append(extra, sizeof extra, item);
    }
    snprintf(verdict, size, "%s%s%s%s%s", miss[0] ? "missing:" : "", miss,
             miss[0] && extra[0] ? "; " : "", extra[0] ? "unexpected:" : "", extra);
    return !miss[0] && !extra[0];
}

/* One input, in the order met: a file to check (read and validated by a pool thread, then
 * reported in order), an input that could not be opened, or a special file skipped. */
typedef struct job {
    enum { JOB_CHECK, JOB_ERROR, JOB_SKIP } kind;
    char *name;
    int fd;                /* JOB_CHECK: closed once read, unless standard input */
    int held;              /* fd counts in held_fds */
    walkdir *dir;          /* JOB_CHECK with fd -1: the file is `at` in dir, opened by the run */
    const char *at;        /* the name of the file (and of its .expect) in dir, or else in the
                              current directory; NULL for standard input */
    want *wants;           /* with --expect: the lines of NAME.expect, read by the run */
    int nwant, bad_line;   /* -1: no .expect file; -2: line bad_line is malformed */
    int once;              /* a regular file, dev and ino known: emitted only if not met before */
    dev_t dev;
    ino_t ino;
    mode_t mode;           /* JOB_SKIP */
    int read;              /* the outcome of the run: the transaction was read, and its report */
    ebts_report *rep;      /* NULL with -q text (not --expect): the run counted its errors */
    size_t errors;
    ebts_error err;        /* JOB_ERROR, or a fatal read error */
    double seconds;
    int early, parked;     /* started while its directory was listed (read_listing): its first
                              emitting only parks it, and the walk adds it again in order */
} job;

static job *job_alloc(int kind, const char *name)
{
    size_t len = strlen(name);
    job *j = calloc(1, sizeof *j + len + 1); /* the name after it: one allocation a file */
    if (!j)
        return NULL;
    j->name = memcpy(j + 1, name, len + 1);
    j->kind = kind;
    j->fd = -1;
    j->nwant = -1;
    return j;
}

static job *job_new(opts *o, int kind, const char *name)
{
    job *j = job_alloc(kind, name);
    if (!j) {
        fprintf(stderr, "%s:0: error: OUT_OF_MEMORY: out of memory\n", name);
        o->files++;
        o->io_errors++;
    }
    return j;
}

static void let_go_fd(void)
{
    __atomic_sub_fetch(&held_fds, 1, __ATOMIC_RELEASE);
}

/* Before the adding thread holds one more descriptor for a queued job: when the queue holds
 * its share of the process's limit, what it holds is run and emitted first, so that a tree of
 * many directories (or many arguments) under a low `ulimit -n` is checked whole, as with -j 1. */
static void make_room(opts *o)
{
    if (__atomic_load_n(&held_fds, __ATOMIC_ACQUIRE) >= o->fd_budget)
        cli_pool_drain(o->pool);
}

/* Half the descriptors the process may open. */
static long fd_half(void)
{
    struct rlimit rl;
    return getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY ||
                   rl.rlim_cur > 1 << 20
               ? 1 << 19
               : (long)(rl.rlim_cur / 2);
}

/* Half the descriptors the process may open, less one per thread (each opens the file it
 * checks); at least 1. */
static int fd_budget(int nthreads)
{
    long half = fd_half();
    return half - nthreads < 1 ? 1 : (int)(half - nthreads);
}

/* The threads to run, at most the n asked: as many as the descriptors allow, so that a low
 * `ulimit -n` checks every file as -j 1 does. The queue holds at most fd_budget; each thread
 * holds a file and its .expect; the standard streams and what the walk opens for a moment (a
 * listing, a directory it enters or opens again) need six. At least 1. */
static int fd_threads(int n)
{
    long most = fd_half() - 6;
    return most < 1 ? 1 : most < n ? (int)most : n;
}

static void walkdir_release(walkdir *d)
{
    if (d && __atomic_sub_fetch(&d->refs, 1, __ATOMIC_ACQ_REL) == 0) {
        close(d->fd);
        let_go_fd();
        free(d);
    }
}

static void job_free(job *j)
{
    walkdir_release(j->dir);
    free(j->wants);
    ebts_report_free(j->rep);
    free(j);
}

/* An input that could not be checked: queued, then reported as an error of that input in
 * every format. */
static void input_error(opts *o, const char *name, const char *code, const char *fmt, ...)
{
    job *j = job_new(o, JOB_ERROR, name);
    if (!j)
        return;
    j->err.code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(j->err.msg, sizeof j->err.msg, fmt, ap);
    va_end(ap);
    cli_pool_add(o->pool, j);
}

static void emit_error(opts *o, const char *name, const ebts_error *e)
{
    const char *code = e->code;
    o->files++;
    o->io_errors++;
    if (o->format == FMT_JUNIT && ebts_junit_add_error(o->junit, name, code, e->msg) < 0)
        fprintf(stderr, "ebts-validate: out of memory for the JUnit report\n");
    if (o->format == FMT_HTML && ebts_batch_add_error(o->batch, name, code, e->msg, NULL) < 0)
        fprintf(stderr, "ebts-validate: out of memory for the HTML report\n");
    if (o->quiet)
        return;
    cli_print_error(name, e);
    if (o->format == FMT_JSON) {
        printf("{\"path\":");
        cli_json_str(stdout, name);
        printf(",\"error\":{\"code\":\"%s\",\"message\":", code);
        cli_json_str(stdout, e->msg);
        printf("}}\n");
    }
}

/* Queue the check of the transaction to be read from fd, reported as `name`; st is the
 * file's status (NULL for standard input), which checks a regular file once. */
/* The file's device and inode, so that it is checked once; a name that cannot be opened
 * counts once too when it can be stat'ed. */
static void note_id(job *j, const struct stat *st)
{
    j->once = S_ISREG(st->st_mode);
    j->dev = st->st_dev;
    j->ino = st->st_ino;
}

static void check_fd(opts *o, const char *name, int fd, const struct stat *st)
{
    job *j = job_new(o, JOB_CHECK, name);
    if (!j) {
        if (fd != 0)
            close(fd);
        return;
    }
    j->fd = fd;
    if (fd != 0) {
        __atomic_add_fetch(&held_fds, 1, __ATOMIC_RELAXED);
        j->held = 1;
    }
    if (st) {
        j->at = j->name;
        note_id(j, st);
    }
    cli_pool_add(o->pool, j);
}

/* On a pool thread: open a file the walk met, without blocking (the walk took the listing's
 * word that it is a regular file, or stat'ed it, and it may have been replaced since), and check
 * it is a regular file. Anything else turns the job into an error or a skip, reported in order
 * like the rest; -1 then. The job keeps the directory: its .expect is read under it. */
static int open_walked(job *j)
{
    j->fd = openat(j->dir->fd, j->at, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    int open_errno = errno;
    struct stat st;
    int stated = j->fd < 0 && fstatat(j->dir->fd, j->at, &st, 0) == 0; /* not opened */
    if (stated && !S_ISREG(st.st_mode)) {
        j->kind = JOB_SKIP; /* a socket (which no open reaches) turned up since the listing */
        j->mode = st.st_mode;
    } else if (j->fd < 0 || fstat(j->fd, &st) != 0) {
        j->kind = JOB_ERROR;
        j->err.code = "IO_ERROR";
        snprintf(j->err.msg, sizeof j->err.msg, "cannot open %s: %s", j->name,
                 strerror(j->fd < 0 ? open_errno : errno));
        if (stated)
            note_id(j, &st);
    } else if (!S_ISREG(st.st_mode)) {
        j->kind = JOB_SKIP;
        j->mode = st.st_mode;
    } else {
        note_id(j, &st);
        return 0;
    }
    if (j->fd >= 0)
        close(j->fd);
    j->fd = -1;
    return -1;
}

/* On a pool thread: read and validate. The profile is shared, read-only. The transaction is
 * freed here, by the thread that made it, and only the report goes to the adding thread:
 * memory freed by another thread than the one that took it goes back to that thread's heap
 * only through a lock, and the taking thread keeps mapping fresh pages meanwhile. */
static void run_job(void *ctx, void *item)
{
    const opts *o = ctx;
    job *j = item;
    if (j->kind != JOB_CHECK || j->parked)
        return; /* an early job added again in order ran when it was first added */
    int opened = j->fd >= 0 || open_walked(j) == 0;
    if (opened && o->expect && j->at) {
        j->wants = malloc(MAX_WANT * sizeof *j->wants);
        j->nwant = j->wants ? read_expect(j->dir ? j->dir->fd : AT_FDCWD, j->at, j->wants,
                                          MAX_WANT, &j->bad_line)
                            : -1;
    }
    walkdir_release(j->dir);
    j->dir = NULL;
    if (!opened)
        return;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    ebts_txn *t = ebts_read_fd(j->fd, 0, &j->err);
    if (j->fd != 0)
        close(j->fd);
    if (j->held)
        let_go_fd();
    j->read = t != NULL;
    j->rep = t ? ebts_validate(t, o->profile, &j->err) : NULL;
    ebts_txn_free(t);
    j->errors = j->rep ? ebts_report_error_count(j->rep, o->strict) : 1;
    if (o->quiet && o->format == FMT_TEXT && !o->expect) {
        ebts_report_free(j->rep); /* nothing of it is shown: freed by the thread that made it */
        j->rep = NULL;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    j->seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
}

static void report_check(opts *o, job *jb);
static void skip_special(opts *o, const char *name, mode_t m);

/* On the adding thread, in input order: print and record what the run found. A file met
 * before under another name is left out here, in input order, so the first name is the one
 * reported whatever the number of threads. */
static void emit_job(void *ctx, void *item)
{
    opts *o = ctx;
    job *j = item;
    if (j->early && !j->parked) {
        j->parked = 1; /* emitted when the walk adds it again, in order */
        return;
    }
    int first = j->once ? first_visit(o, j->dev, j->ino) : 1;
    if (first < 0) {
        ebts_error e = {.code = "OUT_OF_MEMORY", .msg = "out of memory"};
        emit_error(o, j->name, &e);
    } else if (first > 0 && j->kind == JOB_ERROR) {
        emit_error(o, j->name, &j->err);
    } else if (first > 0 && j->kind == JOB_SKIP) {
        skip_special(o, j->name, j->mode);
    } else if (first > 0) {
        report_check(o, j);
    }
    job_free(j);
}

/* What one file's check found, in every format. */
static void report_check(opts *o, job *jb)
{
    const char *name = jb->name;
    ebts_report *rep = jb->rep;
    const ebts_error err = jb->err;
    if (!jb->read && !cli_error_is_content(&err)) {
        ebts_error e = err;
        if (!e.code)
            e.code = "IO_ERROR";
        emit_error(o, name, &e);
        return;
    }
    if (o->quiet && o->format == FMT_TEXT && !o->expect) { /* counted, and nothing shown */
        o->files++;
        o->bad += jb->errors > 0;
        return;
    }
    size_t size = strlen(name) + 600, dlen = 0;
    char *line = malloc(size), *details = NULL;
    /* quiet text prints and keeps no finding's line: none is formatted */
    int lines = !(o->quiet && o->format == FMT_TEXT);
    FILE *dfp = lines ? open_memstream(&details, &dlen) : NULL;
    size_t n = rep ? ebts_report_count(rep) : 1; /* a fatal read error stands as the only one */
    ebts_diag *shown = malloc(n * sizeof *shown); /* as printed: severity and redaction applied */
    if (!line || (lines && !dfp) || !shown) {
        free(line);
        free(shown);
        if (dfp)
            fclose(dfp);
        free(details);
        ebts_error e = {.code = "OUT_OF_MEMORY", .msg = "out of memory"};
        emit_error(o, name, &e);
        return;
    }
    o->files++;
    size_t errors = jb->errors;
    int pass = errors == 0;
    char verdict[1300] = "", first_error[300] = "";
    if (o->expect) {
        const want *wants = jb->wants;
        int bad_line = jb->bad_line, nwant = jb->nwant;
        const char **codes = calloc(n + 1, sizeof *codes), **tags = calloc(n + 1, sizeof *tags);
        for (size_t i = 0; codes && tags && i < n; i++) {
            const ebts_diag *d = rep ? ebts_report_diag(rep, i) : NULL;
            codes[i] = d ? d->code : err.code;
            tags[i] = d ? d->tag : err.tag;
        }
        if (nwant == -2) {
            pass = 0;
            snprintf(verdict, sizeof verdict, "malformed line %d in the .expect file", bad_line);
        } else if (nwant >= 0 && (!codes || !tags)) {
            pass = 0;
            snprintf(verdict, sizeof verdict, "out of memory");
        } else if (nwant >= 0) {
            pass = compare_expect(wants, nwant, codes, tags, n, verdict, sizeof verdict);
        } else if (!pass) {
            snprintf(verdict, sizeof verdict, "no .expect file and %zu error%s", errors,
                     errors == 1 ? "" : "s");
        }
        free(codes);
        free(tags);
    }
    if (!pass)
        o->bad++;
    if (o->format == FMT_JSON && !o->quiet) {
        printf("{\"path\":");
        cli_json_str(stdout, name);
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
        if (!first_error[0] && sev >= EBTS_SEV_ERROR)
            snprintf(first_error, sizeof first_error, "%s%s%.*s: %.*s", d.code,
                     d.tag[0] ? " " : "", (int)sizeof d.tag, d.tag, (int)sizeof d.msg, d.msg);
        shown[i] = d;
        shown[i].severity = sev;
        if (o->format == FMT_JSON && !o->quiet) {
            printf("%s{\"code\":\"%s\",\"severity\":\"%s\",\"offset\":%zu,\"record\":%ld,\"tag\":",
                   i ? "," : "", d.code, ebts_severity_name(sev), d.offset, d.record);
            if (d.tag[0])
                cli_json_str(stdout, d.tag);
            else
                printf("null");
            printf(",\"message\":");
            cli_json_str(stdout, d.msg);
            printf("}");
        } else if (lines) {
            d.severity = sev;
            ebts_diag_format(&d, name, 0, line, size);
            if (o->format == FMT_TEXT && !o->quiet && !o->expect)
                printf("%s\n", line);
            fprintf(dfp, "%s\n", line);
        }
    }
    if (dfp)
        fclose(dfp);
    if (o->format == FMT_JSON && !o->quiet)
        printf("]%s%s%s}\n", verdict[0] ? ",\"expect\":\"" : "", verdict, verdict[0] ? "\"" : "");
    if (o->format == FMT_TEXT && !o->quiet) {
        size_t warnings = rep ? ebts_report_finding_count(rep) - ebts_report_error_count(rep, 0) : 0;
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
        char msg[1400];
        if (o->expect || !first_error[0])
            snprintf(msg, sizeof msg, "%s", o->expect ? verdict : "invalid");
        else
            snprintf(msg, sizeof msg, "%s", first_error);
        const char *text = details && details[0] ? details : NULL;
        if (ebts_junit_add(o->junit, name, pass ? NULL : msg, text) < 0 ||
            ebts_junit_set_time(o->junit, jb->seconds) < 0)
            fprintf(stderr, "ebts-validate: out of memory for the JUnit report\n");
    }
    if (o->format == FMT_HTML) {
        char word[1400];
        if (o->expect)
            snprintf(word, sizeof word, "%s%s%s%s", pass ? "PASS" : "FAIL", verdict[0] ? " (" : "",
                     verdict, verdict[0] ? ")" : "");
        else
            snprintf(word, sizeof word, "%s", errors ? "invalid" : "valid");
        if (ebts_batch_add(o->batch, name, word, !pass, shown, n, NULL) < 0)
            fprintf(stderr, "ebts-validate: out of memory for the HTML report\n");
    }
    free(shown);
    free(line);
    free(details);
}

static const char *kind_of(mode_t m)
{
    return S_ISFIFO(m)   ? "FIFO"
           : S_ISSOCK(m) ? "socket"
           : S_ISCHR(m)  ? "character device"
           : S_ISBLK(m)  ? "block device"
           : S_ISDIR(m)  ? "directory"
                         : "special file";
}

/* A special file met in a walk is never opened: opening a FIFO waits for a writer, a device
 * may act on being opened. It is reported (not counted) and skipped. */
static void skip_special(opts *o, const char *name, mode_t m)
{
    if (!o->quiet)
        fprintf(stderr, "%s:0: warning: NOT_REGULAR: not a regular file (%s), skipped\n", name,
                kind_of(m));
}

static void queue_skip(opts *o, const char *name, mode_t m)
{
    job *j = job_new(o, JOB_SKIP, name);
    if (j) {
        j->mode = m;
        cli_pool_add(o->pool, j);
    }
}

/* ---- the walk: each directory's listing read whole and sorted, then its names taken in turn,
 * a directory's files before the names after it; a directory stack of its own, not recursion */

/* A name in a directory's listing that the walk acts on, and its type as the listing gives it
 * (DT_UNKNOWN where the file system does not say). */
typedef struct entry {
    const char *name;
    size_t off;   /* of the name in the listing's text, while the listing is read */
    uint64_t key; /* its first eight bytes, the first highest, zeros after its end */
    unsigned char type;
    job *early;   /* its check, started while the listing was read, or NULL */
} entry;

/* A directory on the walk's way down, and how far the walk is through its listing. */
typedef struct frame {
    walkdir *dir;   /* NULL while closed to spare descriptors (see spare_fds) */
    dev_t dev;      /* to check that the directory opened again is this one */
    ino_t ino;
    int by_name;    /* entered by its name in the frame above, not through a link: its ".." is
                       that frame's directory */
    char *text;     /* the names, each ended by NUL */
    entry *ents;
    size_t n, next;
    size_t pathlen; /* its path's length in walker.path */
} frame;

typedef struct walker {
    opts *o;
    frame *stack;
    size_t depth, cap;
    size_t open, keep; /* frames whose directory is open, and how many may be */
    size_t closable;   /* the frames below it are closed, or must stay open */
    char *path;        /* the top frame's path, then '/' and the name being visited */
    size_t len, at, pathcap; /* the path's length, where its last name begins, its room */
} walker;

/* p, which has room for *cap items of size bytes, with room for need items: p, or where it
 * moved; NULL when out of memory (p is left as it was). */
static void *grow(void *p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return p;
    size_t cap2 = *cap ? *cap : 64;
    while (cap2 < need)
        cap2 *= 2;
    void *q = realloc(p, cap2 * size);
    if (q)
        *cap = cap2;
    return q;
}

/* strcmp's order, most names told apart by their first eight bytes as one number: the 2 000
 * names of the bench's folder sort in 0.16 ms, where strcmp alone took 0.23 */
static int by_name(const void *a, const void *b)
{
    const entry *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return (x->key & 0xff) == 0 ? 0 : strcmp(x->name + 8, y->name + 8);
}

/* The key of a name (entry.key) */
static uint64_t name_key(const char *name, size_t len)
{
    uint64_t k = 0;
    for (size_t i = 0; i < 8; i++)
        k = k << 8 | (i < len ? (unsigned char)name[i] : 0u);
    return k;
}

static int set_path(walker *w, const frame *f, const char *name);

/* Queue j, the check of the file w->path names, to be opened by a pool thread by its name under
 * the top frame's directory f. */
static void queue_in_dir(walker *w, const frame *f, job *j)
{
    __atomic_add_fetch(&f->dir->refs, 1, __ATOMIC_RELAXED);
    j->dir = f->dir;
    j->at = j->name + w->at;
    cli_pool_add(w->o->pool, j);
}

/* A check of the listing's regular file `name`, started while the rest is read (the walk adds
 * it again when it visits the name): with several threads, what the pool holds at most, so that
 * the threads have work while the kernel lists the directory, and the reports held for the
 * walk stay as many as the pool holds anyway. NULL when not started. */
static job *start_early(walker *w, const frame *f, const char *name)
{
    job *j = set_path(w, f, name) ? job_alloc(JOB_CHECK, w->path) : NULL;
    if (j) {
        j->early = 1;
        queue_in_dir(w, f, j);
    }
    return j;
}

/* The checks started early of the entries of f not visited yet, when the walk leaves them. */
static void drop_early(frame *f)
{
    for (size_t i = f->next; i < f->n; i++)
        if (f->ents[i].early)
            job_free(f->ents[i].early);
    f->next = f->n;
}

/* Read the listing of the directory of f (f->dir) into f, sorted by name: the names not hidden,
 * and of those the listing types as files (not directories or links), the wanted ones. 0, or an
 * errno. The checks of the first regular files are started as they are listed (start_early);
 * they have all run when this returns. */
static int read_listing(walker *w, frame *f)
{
    int dfd = fcntl(f->dir->fd, F_DUPFD_CLOEXEC, 0); /* closedir closes the one it reads */
    DIR *d = dfd < 0 ? NULL : fdopendir(dfd);
    if (!d) {
        int err = errno;
        if (dfd >= 0)
            close(dfd);
        return err;
    }
    size_t len = 0, textcap = 0, entcap = 0, room = cli_pool_room(w->o->pool), early = 0;
    int err = 0;
    struct dirent *e;
    for (errno = 0; (e = readdir(d)); errno = 0) {
        unsigned char t = e->d_type;
        int file = t == DT_REG || t == DT_FIFO || t == DT_SOCK || t == DT_CHR || t == DT_BLK;
        if (e->d_name[0] == '.' || (file && !wanted(e->d_name)))
            continue;
        size_t n = strlen(e->d_name) + 1;
        char *text = grow(f->text, &textcap, len + n, 1);
        entry *ents = text ? grow(f->ents, &entcap, f->n + 1, sizeof *f->ents) : NULL;
        f->text = text ? text : f->text;
        f->ents = ents ? ents : f->ents;
        if (!ents) {
            errno = ENOMEM;
            break;
        }
        memcpy(f->text + len, e->d_name, n);
        job *j = t == DT_REG && early < room ? start_early(w, f, e->d_name) : NULL;
        early += j != NULL;
        f->ents[f->n++] = (entry){NULL, len, name_key(e->d_name, n - 1), t, j};
        len += n;
    }
    err = errno;
    closedir(d);
    w->path[f->pathlen] = 0; /* start_early's names */
    w->len = f->pathlen;
    for (size_t i = 0; i < f->n; i++)
        f->ents[i].name = f->text + f->ents[i].off;
    if (f->n) /* ents is NULL when no name was kept */
        qsort(f->ents, f->n, sizeof *f->ents, by_name);
    if (early)
        cli_pool_drain(w->o->pool); /* each early check parked, before the walk adds it again */
    return err;
}

/* Put the top frame's name `name` after its path in w->path; 0 when out of memory. */
static int set_path(walker *w, const frame *f, const char *name)
{
    size_t sep = w->path[f->pathlen - 1] != '/', n = strlen(name);
    char *path = grow(w->path, &w->pathcap, f->pathlen + sep + n + 1, 1);
    if (!path)
        return 0;
    w->path = path;
    if (sep)
        w->path[f->pathlen] = '/';
    w->at = f->pathlen + sep;
    memcpy(w->path + w->at, name, n + 1);
    w->len = w->at + n;
    return 1;
}

static void walk_error(walker *w, int err)
{
    if (err == ENOMEM)
        input_error(w->o, w->path, "OUT_OF_MEMORY", "out of memory");
    else
        input_error(w->o, w->path, "IO_ERROR", "cannot read %s: %s", w->path, strerror(err));
}

static walkdir *walkdir_new(int fd)
{
    walkdir *d = malloc(sizeof *d);
    if (d) {
        *d = (walkdir){fd, 1};
        __atomic_add_fetch(&held_fds, 1, __ATOMIC_RELAXED);
    }
    return d;
}

/* Keep at most w->keep of the stack's directories open, so that a tree deeper than the
 * descriptors the process may hold is walked whole: the frames nearest the root are closed
 * first, those entered through a link never (".." of a directory a link led to is not the
 * frame above it); pop opens them again. */
static void spare_fds(walker *w)
{
    for (; w->open > w->keep && w->closable + 1 < w->depth; w->closable++) {
        frame *f = &w->stack[w->closable];
        if (f->dir && f[1].by_name) {
            walkdir_release(f->dir);
            f->dir = NULL;
            w->open--;
        }
    }
}

/* Put the directory fd on the stack with its listing: 1 when it is there (and holds fd), 0
 * when it lists no name to visit, or an errno negated. */
static int push(walker *w, int fd, const struct stat *st, int by_name)
{
    frame *stack = grow(w->stack, &w->cap, w->depth + 1, sizeof *w->stack);
    if (!stack)
        return -ENOMEM;
    w->stack = stack;
    frame *f = &w->stack[w->depth];
    *f = (frame){.dev = st->st_dev, .ino = st->st_ino, .by_name = by_name, .pathlen = w->len};
    if (!(f->dir = walkdir_new(fd)))
        return -ENOMEM;
    int err = read_listing(w, f);
    if (err || !f->n) { /* fd stays the caller's (enter closes it): the early checks have run */
        drop_early(f);
        __atomic_sub_fetch(&held_fds, 1, __ATOMIC_RELAXED);
        free(f->dir);
        free(f->text);
        free(f->ents);
        return -err;
    }
    w->depth++;
    w->open++;
    spare_fds(w);
    return 1;
}

/* Take the directory fd, opened for w->path (or -1, open's errno in err), into the walk: once,
 * when it can be searched and read. */
static void enter(walker *w, int fd, int err, int by_name)
{
    struct stat st;
    int r = 0;
    if (fd >= 0 && fstatat(fd, ".", &st, 0) != 0) /* a lookup in it: it must be searchable */
        err = errno;
    else if (fd >= 0 && (r = first_visit(w->o, st.st_dev, st.st_ino)) < 0)
        err = ENOMEM;
    else if (r > 0 && (r = push(w, fd, &st, by_name)) < 0)
        err = -r;
    if (err)
        walk_error(w, err);
    if (r <= 0 && fd >= 0)
        close(fd);
}

/* Open the top frame's directory `name` (w->path) and enter it. */
static void descend(walker *w, const frame *f, const char *name, int by_name)
{
    make_room(w->o);
    int fd = openat(f->dir->fd, name, O_RDONLY | O_DIRECTORY | O_NOCTTY | O_CLOEXEC);
    enter(w, fd, fd < 0 ? errno : 0, by_name);
}

/* fd (closed unless it is returned) when it is the directory of frame f, else -1. */
static int same_dir(int fd, const frame *f)
{
    struct stat st;
    if (fd >= 0 && fstat(fd, &st) == 0 && st.st_dev == f->dev && st.st_ino == f->ino)
        return fd;
    if (fd >= 0)
        close(fd);
    return -1;
}

/* The directory of frame i, which spare_fds closed, opened again by its names from the nearest
 * open frame below it (from the walk's own path when none is open), so that a directory moved
 * out of the way on the walk's way down does not take the frames below it along; -1 when a
 * name cannot be opened (errno says why, or is 0 when what it names is another directory). */
static int reopen(walker *w, size_t i)
{
    size_t k = i;
    while (k > 0 && !w->stack[k - 1].dir)
        k--;
    int fd = k ? w->stack[k - 1].dir->fd : AT_FDCWD;
    for (; k <= i; k++) {
        size_t from = k ? w->stack[k - 1].pathlen : 0, end = w->stack[k].pathlen;
        from += k && w->path[from - 1] != '/';
        char was = w->path[end];
        w->path[end] = 0; /* the name of frame k, or the walk's path */
        int next = openat(fd, w->path + from, O_RDONLY | O_DIRECTORY | O_NOCTTY | O_CLOEXEC);
        int err = errno;
        w->path[end] = was;
        if (fd >= 0 && (k == 0 || !w->stack[k - 1].dir))
            close(fd); /* one this loop opened */
        if ((fd = next) < 0) {
            errno = err;
            return -1;
        }
    }
    errno = 0;
    return same_dir(fd, &w->stack[i]);
}

/* The walk leaves the top frame. The frame it comes back to is opened again when spare_fds
 * closed it: through "..", or when that is another directory (the top frame's moved), by its
 * names; when neither leads to the directory it was, the rest of it is an error and is left. */
static void pop(walker *w)
{
    frame *c = &w->stack[--w->depth], *p = w->depth ? c - 1 : NULL;
    if (p && !p->dir) {
        make_room(w->o);
        int fd = c->dir ? openat(c->dir->fd, "..", O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
        if ((fd = same_dir(fd, p)) < 0)
            fd = reopen(w, w->depth - 1);
        if (fd >= 0 && !(p->dir = walkdir_new(fd)))
            errno = ENOMEM;
        if (p->dir) {
            w->open++;
        } else {
            int err = errno;
            w->path[p->pathlen] = 0;
            input_error(w->o, w->path, "IO_ERROR", "cannot read %s: %s", w->path,
                        err ? strerror(err) : "moved during the walk");
            if (fd >= 0)
                close(fd);
            drop_early(p);
        }
    }
    if (c->dir) {
        walkdir_release(c->dir);
        w->open--;
    }
    free(c->text);
    free(c->ents);
    if (w->closable + 1 > w->depth)
        w->closable = w->depth ? w->depth - 1 : 0;
}

/* A regular file (so the listing says, or stat): a pool thread opens it by name under the top
 * frame's directory, and the walk goes on meanwhile. */
static void queue_walked(walker *w, const frame *f, entry *e)
{
    if (e && e->early) { /* started while the listing was read, and parked since */
        cli_pool_add(w->o->pool, e->early);
        e->early = NULL;
        return;
    }
    job *j = job_new(w->o, JOB_CHECK, w->path);
    if (j)
        queue_in_dir(w, f, j);
}

/* A name the listing gives as a link, or does not type: stat'ed as fts(3) does (the name,
 * then what a link leads to), then taken for what it is. */
static void stat_entry(walker *w, const frame *f, const entry *e)
{
    int dfd = f->dir->fd, link = e->type == DT_LNK;
    struct stat st;
    if (!link && fstatat(dfd, e->name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
        walk_error(w, errno);
        return;
    }
    link = link || S_ISLNK(st.st_mode);
    if (link && fstatat(dfd, e->name, &st, 0) != 0) {
        if (wanted(e->name)) /* looping or leading nowhere: fts says FTS_SLNONE of both */
            input_error(w->o, w->path, "IO_ERROR", "cannot open %s: %s", w->path,
                        "dangling symbolic link");
        return;
    }
    if (S_ISDIR(st.st_mode))
        descend(w, f, e->name, !link);
    else if (wanted(e->name) && S_ISREG(st.st_mode))
        queue_walked(w, f, NULL);
    else if (wanted(e->name))
        queue_skip(w->o, w->path, st.st_mode);
}

/* The top frame's next name. */
static void visit(walker *w, const frame *f, entry *e)
{
    if (!set_path(w, f, e->name)) {
        w->path[f->pathlen] = 0;
        walk_error(w, ENOMEM);
        if (e->early) /* parked, and never to be added again */
            job_free(e->early);
        e->early = NULL;
        return;
    }
    switch (e->type) {
    case DT_DIR:
        descend(w, f, e->name, 1);
        break;
    case DT_REG: /* opened, and stat'ed, by the pool thread that checks it */
        queue_walked(w, f, e);
        break;
    case DT_FIFO:
    case DT_SOCK:
    case DT_CHR:
    case DT_BLK:
        queue_skip(w->o, w->path, DTTOIF(e->type));
        break;
    default:
        stat_entry(w, f, e);
        break;
    }
}

/* Walk a directory: names beginning with '.' are left out below the top, symbolic links are
 * followed, and each directory is entered once (by device and inode), so links that make loops
 * end; each file is checked once, by emit_job. Directories are opened by name under their
 * parent's descriptor, so no path grows beyond PATH_MAX, and their listings' types say which
 * names need a stat. */
static void walk(opts *o, const char *path)
{
    walker w = {.o = o, .keep = o->fd_budget / 2 > 1 ? (size_t)o->fd_budget / 2 : 1};
    w.len = strlen(path);
    if (!(w.path = grow(NULL, &w.pathcap, w.len + 1, 1))) {
        input_error(o, path, "OUT_OF_MEMORY", "out of memory");
        return;
    }
    memcpy(w.path, path, w.len + 1);
    make_room(o);
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOCTTY | O_CLOEXEC);
    enter(&w, fd, fd < 0 ? errno : 0, 0);
    while (w.depth) {
        frame *f = &w.stack[w.depth - 1]; /* again each time: entering a directory moves it */
        if (f->next < f->n)
            visit(&w, f, &f->ents[f->next++]);
        else
            pop(&w);
    }
    free(w.stack);
    free(w.path);
}

/* An argument read as a stream (standard input, a FIFO, a device) after another: read once the
 * reads before it are done, as with -j 1, so that two threads never read one stream (named
 * twice, or as "-" and /dev/stdin) at once and share out its bytes. */
static void stream_argument(opts *o)
{
    if (o->stream_named)
        cli_pool_drain(o->pool);
    o->stream_named = 1;
}

/* A command-line argument: a directory is walked; anything else is read as a stream (so a
 * FIFO works), once even when named twice (emit_job leaves the second out). */
static void one_argument(opts *o, const char *path)
{
    struct stat st;
    if (strcmp(path, "-") == 0) {
        stream_argument(o);
        check_fd(o, "<stdin>", 0, NULL);
        return;
    }
    int known = stat(path, &st) == 0;
    if (known && S_ISDIR(st.st_mode)) {
        walk(o, path);
        return;
    }
    if (known && !S_ISREG(st.st_mode))
        stream_argument(o);
    make_room(o);
    int fd = open(path, O_RDONLY | O_NOCTTY);
    if (fd < 0 || fstat(fd, &st) != 0) {
        input_error(o, path, "IO_ERROR", "cannot open %s: %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return;
    }
    check_fd(o, path, fd, &st);
}

/* --explain CODE: the code table's entry. */
static int explain(const char *code)
{
    ebts_code_info c;
    ebts_error err;
    memset(&err, 0, sizeof err); /* the first error wins: none yet */
    if (ebts_diag_code_info(code, &c, &err) < 0) {
        fprintf(stderr, "ebts-validate: %s (ebts-codes(7) lists them)\n", err.msg);
        return CLI_USAGE;
    }
    printf("code: %s\nseverity: %s%s\nmeaning: %s\nwhat to do: %s\n", c.code,
           ebts_severity_name(c.severity),
           c.recovery ? " (a recovery: --strict makes it an error)" : "", c.summary, c.action);
    return CLI_OK;
}

static int run(int argc, char **argv)
{
    opts o;
    memset(&o, 0, sizeof o);
    const char *profile = "ebts-11", *format = "text", *v;
    int first_path = 0, jobs = 0;
    char **paths = calloc((size_t)argc + 1, sizeof *paths);
    int npaths = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--version") == 0) {
            free(paths);
            return cli_version("ebts-validate");
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage, stdout);
            free(paths);
            return CLI_OK;
        } else if (strcmp(a, "--explain") == 0 || strncmp(a, "--explain=", 10) == 0) {
            v = cli_option(argc, argv, &i, "--explain");
            free(paths);
            if (!v) {
                fprintf(stderr, "ebts-validate: --explain needs a CODE\n%s", usage);
                return CLI_USAGE;
            }
            return explain(v);
        } else if (strncmp(a, "-j", 2) == 0 && (a[2] || i + 1 < argc)) {
            const char *num = a[2] ? a + 2 : argv[++i];
            char *end;
            long nj = strtol(num, &end, 10);
            if (*end || end == num || nj < 1 || nj > CLI_MAX_JOBS) {
                fprintf(stderr, "ebts-validate: -j takes a number from 1 to %d\n%s",
                        CLI_MAX_JOBS, usage);
                free(paths);
                return CLI_USAGE;
            }
            jobs = (int)nj;
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
    else if (strcmp(format, "html") == 0)
        o.format = FMT_HTML;
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
    char title[300];
    snprintf(title, sizeof title, "ebts-validate: %s (profile %s)",
             o.expect ? "conformance" : "validation", ebts_profile_name(p));
    if (o.format == FMT_JUNIT)
        o.junit = ebts_junit_new("ebts-validate");
    if (o.format == FMT_HTML)
        o.batch = ebts_batch_new(title);
    int threads = fd_threads(jobs ? jobs : cli_cores());
    o.pool = cli_pool_new(threads, run_job, emit_job, &o);
    o.fd_budget = fd_budget(threads);
    if (!o.pool) {
        fprintf(stderr, "ebts-validate: OUT_OF_MEMORY: out of memory\n");
        ebts_junit_free(o.junit);
        ebts_batch_free(o.batch);
        ebts_profile_free(p);
        free(paths);
        return CLI_USAGE;
    }
    for (int i = 0; i < npaths; i++)
        one_argument(&o, paths[i]);
    cli_pool_finish(o.pool);
    size_t checked = o.files - o.io_errors;
    if (o.format == FMT_TEXT && !o.quiet) {
        if (o.expect)
            printf("ebts-validate: %zu passed, %zu failed", checked - o.bad, o.bad);
        else
            printf("ebts-validate: %zu file%s, %zu valid, %zu invalid", o.files,
                   o.files == 1 ? "" : "s", checked - o.bad, o.bad);
        if (o.io_errors)
            printf(", %zu unreadable", o.io_errors);
        if (!o.expect)
            printf(" (profile %s)", ebts_profile_name(p));
        printf("\n");
    }
    int no_input = o.files == 0;
    if (no_input) {
        static const char msg[] = "no transaction file in the arguments";
        if (!o.quiet)
            fprintf(stderr, "ebts-validate: NO_INPUT: %s\n", msg);
        if (o.format == FMT_JUNIT &&
            ebts_junit_add_error(o.junit, "ebts-validate", "NO_INPUT", msg) < 0)
            fprintf(stderr, "ebts-validate: out of memory for the JUnit report\n");
        if (o.format == FMT_HTML &&
            ebts_batch_add_error(o.batch, "ebts-validate", "NO_INPUT", msg, NULL) < 0)
            fprintf(stderr, "ebts-validate: out of memory for the HTML report\n");
    }
    if (o.format == FMT_JUNIT && !o.quiet && ebts_junit_write(o.junit, stdout, &err) < 0) {
        cli_print_error("<stdout>", &err);
        o.io_errors++;
    }
    if (o.format == FMT_HTML && !o.quiet && ebts_batch_write(o.batch, stdout, &err) < 0) {
        cli_print_error("<stdout>", &err);
        o.io_errors++;
    }
    ebts_junit_free(o.junit);
    ebts_batch_free(o.batch);
    ebts_profile_free(p);
    free(o.seen);
    free(paths);
    if (o.io_errors || no_input)
        return CLI_USAGE;
    return o.bad ? CLI_INVALID : CLI_OK;
}

int main(int argc, char **argv)
{
    cli_init();
    return cli_finish(run(argc, argv));
}
