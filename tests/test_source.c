/* Sources: path, fd, FILE*, buffer (copied or borrowed), gzip. */
#define _GNU_SOURCE /* fopencookie: a stream whose read fails part way */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>
#include "testutil.h"
#include "internal.h" /* ebts__block_get, ebts__block_put, ebts__kept_bytes, ebts__load_fd */

#define SAMPLE "fixtures/samples/clean/idr-nomatch.eft"

static void same_as_file(ebts_txn *t)
{
    ck_assert_ptr_nonnull(t);
    size_t n, fn;
    unsigned char *w = tu_write(t, 0, &n);
    unsigned char *f = tu_slurp(SAMPLE, &fn);
    ck_assert_uint_eq(n, fn);
    ck_assert_mem_eq(w, f, n);
    free(f);
    ebts_free(w);
    ebts_txn_free(t);
}

START_TEST(every_entry_point_reads_the_same)
{
    same_as_file(ebts_read_file(SAMPLE, 0, NULL));
    int fd = open(SAMPLE, O_RDONLY);
    same_as_file(ebts_read_fd(fd, 0, NULL));
    close(fd);
    FILE *fp = fopen(SAMPLE, "rb");
    same_as_file(ebts_read_stream(fp, 0, NULL));
    fclose(fp);
    size_t n;
    unsigned char *b = tu_slurp(SAMPLE, &n);
    same_as_file(ebts_read_buffer(b, n, 0, NULL));
    ebts_txn *t = ebts_read_buffer(b, n, EBTS_READ_BORROW, NULL);
    ck_assert_ptr_eq(ebts_txn_value(t, 1, 4).ptr, b + 39); /* a span into the caller's buffer */
    same_as_file(t);
    free(b);
}
END_TEST

START_TEST(gzip_is_inflated)
{
    size_t n;
    unsigned char *b = tu_slurp(SAMPLE, &n);
    uLongf zn = compressBound(n) + 32;
    unsigned char *z = malloc(zn);
    z_stream s;
    memset(&s, 0, sizeof s);
    ck_assert_int_eq(deflateInit2(&s, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
    s.next_in = b;
    s.avail_in = (uInt)n;
    s.next_out = z;
    s.avail_out = (uInt)zn;
    ck_assert_int_eq(deflate(&s, Z_FINISH), Z_STREAM_END);
    size_t len = s.total_out;
    deflateEnd(&s);
    same_as_file(ebts_read_buffer(z, len, 0, NULL));
    /* a limit applies to the inflated size */
    ebts_read_options o;
    ebts_read_options_init(&o, 0);
    o.max_input = 1000;
    ebts_error err = {0};
    ck_assert_ptr_null(ebts_read_buffer_opts(z, len, &o, &err));
    ck_assert_str_eq(err.code, "INPUT_TOO_LARGE");
    free(z);
    free(b);
}
END_TEST

/* A regular file is read in one allocation of its size: the limit still holds to the byte, a
 * descriptor part-way through the file reads what is left, and an empty file is empty. */
START_TEST(file_sizes_and_limits)
{
    size_t n;
    unsigned char *b = tu_slurp(SAMPLE, &n);
    ck_assert_ptr_nonnull(b);
    ebts_read_options o;
    ebts_read_options_init(&o, 0);
    o.max_input = n;
    ebts_error err = {0};
    ebts_txn *t = ebts_read_file_opts(SAMPLE, &o, &err);
    ck_assert_msg(t != NULL, "%s", err.msg);
    ck_assert_uint_eq(ebts_txn_record_count(t), 2); /* Type-1, Type-2 */
    ebts_txn_free(t);
    o.max_input = n - 1;
    memset(&err, 0, sizeof err); /* the first error wins: cleared between reads */
    ck_assert_ptr_null(ebts_read_file_opts(SAMPLE, &o, &err));
    ck_assert_str_eq(err.code, "INPUT_TOO_LARGE");
    /* a descriptor at offset 1: one byte less, no longer a transaction */
    int fd = open(SAMPLE, O_RDONLY);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(lseek(fd, 1, SEEK_SET), 1);
    memset(&err, 0, sizeof err);
    ck_assert_ptr_null(ebts_read_fd(fd, 0, &err));
    ck_assert_str_eq(err.code, "NOT_TRANSACTION");
    ck_assert_int_eq(lseek(fd, 0, SEEK_SET), 0);
    t = ebts_read_fd(fd, 0, &err);
    ck_assert_ptr_nonnull(t);
    ebts_txn_free(t);
    close(fd);
    char path[] = "/tmp/ebts-empty-XXXXXX";
    fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    memset(&err, 0, sizeof err);
    ck_assert_ptr_null(ebts_read_fd(fd, 0, &err));
    ck_assert_str_eq(err.code, "EMPTY_INPUT");
    close(fd);
    unlink(path);
    free(b);
}
END_TEST

/* A temporary file holding n bytes from p (or n copies of the byte c when p is NULL), open for
 * reading at offset 0; the path is removed at once. */
static int temp_file(const void *p, size_t n, int c)
{
    char path[] = "/tmp/ebts-source-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    unlink(path);
    unsigned char block[4096];
    memset(block, c, sizeof block);
    for (size_t done = 0; done < n;) {
        size_t k = n - done < sizeof block ? n - done : sizeof block;
        ck_assert_int_eq(write(fd, p ? (const unsigned char *)p + done : block, k), (ssize_t)k);
        done += k;
    }
    ck_assert_int_eq(lseek(fd, 0, SEEK_SET), 0);
    return fd;
}

/* A descriptor past the start of a file: every byte from its offset on is read (the file's
 * size is room to spare, and the short read at its end ends it), whether the first read takes
 * them all or, past 64 KiB of bytes before the transaction, only the first; the offset is left
 * at the file's end. */
START_TEST(descriptor_at_an_offset_reads_to_the_end)
{
    size_t n;
    unsigned char *b = tu_slurp(SAMPLE, &n);
    size_t skips[] = {1, 100, 70000};
    for (size_t i = 0; i < sizeof skips / sizeof *skips; i++) {
        size_t skip = skips[i];
        unsigned char *both = malloc(skip + n);
        ck_assert_ptr_nonnull(both);
        memset(both, 'x', skip);
        memcpy(both + skip, b, n);
        int fd = temp_file(both, skip + n, 0);
        ck_assert_int_eq(lseek(fd, (off_t)skip, SEEK_SET), (off_t)skip);
        same_as_file(ebts_read_fd(fd, 0, NULL));
        ck_assert_int_eq(lseek(fd, 0, SEEK_CUR), (off_t)(skip + n));
        close(fd);
        free(both);
    }
    free(b);
}
END_TEST

/* A stream that gives the first half of the sample, then fails its next read (EIO, or a signal
 * that interrupts a pipe's read): fread returns the half with the stream's error set. */
struct half_then_error {
    const unsigned char *p;
    size_t n, at;
};

static ssize_t half_then_error_read(void *c, char *buf, size_t size)
{
    struct half_then_error *h = c;
    size_t left = h->n / 2 - h->at;
    if (left == 0) {
        errno = EIO;
        return -1;
    }
    size_t k = size < left ? size : left;
    memcpy(buf, h->p + h->at, k);
    h->at += k;
    return (ssize_t)k;
}

/* A short fread whose stream has its error set is not the stream's end: the read fails. */
START_TEST(stream_read_error_part_way_is_an_io_error)
{
    size_t n;
    unsigned char *b = tu_slurp(SAMPLE, &n);
    struct half_then_error h = {b, n, 0};
    FILE *fp = fopencookie(&h, "rb", (cookie_io_functions_t){.read = half_then_error_read});
    ck_assert_ptr_nonnull(fp);
    ebts_error e = {0};
    ebts_txn *t = ebts_read_stream(fp, 0, &e);
    ck_assert_msg(!t && e.code && strcmp(e.code, "IO_ERROR") == 0,
                  "half a stream, then EIO: expected IO_ERROR, got %s at %zu (%s)",
                  e.code ? e.code : "a transaction", e.offset, e.msg);
    ebts_txn_free(t);
    fclose(fp);
    free(b);
}
END_TEST

/* A /proc file is a regular file of size 0 whose reads return about a page each: the short
 * read that ends the first page is not its end. The process's smaps is many pages long. */
START_TEST(proc_file_is_read_past_its_first_page)
{
    int fd = open("/proc/self/smaps", O_RDONLY);
    if (fd < 0)
        return; /* no /proc here */
    char page[1 << 16];
    ssize_t first = read(fd, page, sizeof page);
    close(fd);
    ck_assert_int_gt(first, 0);
    fd = open("/proc/self/smaps", O_RDONLY);
    unsigned char *p = NULL;
    size_t n = 0, size = 0;
    ck_assert_int_eq(ebts__load_fd(fd, 64u << 20, NULL, &p, &n, &size, NULL), 0);
    close(fd);
    ck_assert_msg(n > 2 * (size_t)first, "/proc/self/smaps: %zu bytes loaded, its first read "
                  "gave %zd", n, first);
    ebts__block_put(p, size);
}
END_TEST

/* A regular file larger than the limit is refused from its size: no byte of it is read. What is
 * left of it from the descriptor's offset is what counts. */
START_TEST(file_over_the_limit_is_refused_unread)
{
    size_t n;
    unsigned char *b = tu_slurp(SAMPLE, &n);
    int fd = temp_file(b, n, 0);
    ebts_read_options o;
    ebts_read_options_init(&o, 0);
    o.max_input = n - 1;
    ebts_error err = {0};
    ck_assert_ptr_null(ebts_read_fd_opts(fd, &o, &err));
    ck_assert_str_eq(err.code, "INPUT_TOO_LARGE");
    ck_assert_uint_eq(err.offset, 0);
    ck_assert_int_eq(lseek(fd, 0, SEEK_CUR), 0); /* nothing read */
    ck_assert_int_eq(lseek(fd, 1, SEEK_SET), 1);  /* n - 1 bytes left: read, and no Type-1 */
    memset(&err, 0, sizeof err);
    ck_assert_ptr_null(ebts_read_fd_opts(fd, &o, &err));
    ck_assert_str_eq(err.code, "NOT_TRANSACTION");
    ck_assert_int_eq(lseek(fd, 0, SEEK_SET), 0);
    o.max_input = n;
    ebts_txn *t = ebts_read_fd_opts(fd, &o, &err);
    ck_assert_ptr_nonnull(t);
    ebts_txn_free(t);
    close(fd);
    free(b);
}
END_TEST

/* Input whose first bytes begin no transaction in any encoding the read allows is refused after
 * them: of a megabyte of zeros or of "y\n", at most the first 64 KiB are read. */
START_TEST(non_transaction_is_refused_after_its_first_bytes)
{
    static const unsigned flags[] = {0, EBTS_READ_TRADITIONAL, EBTS_READ_READABLE, EBTS_READ_XML};
    static const int fill[] = {0, 'y'};
    for (size_t f = 0; f < 2; f++)
        for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++) {
            int fd = temp_file(NULL, 1 << 20, fill[f]);
            ebts_error err = {0};
            ck_assert_ptr_null(ebts_read_fd(fd, flags[i], &err));
            ck_assert_msg(strcmp(err.code, "NOT_TRANSACTION") == 0, "fill %d flags %#x: %s %s",
                          fill[f], flags[i], err.code, err.msg);
            off_t at = lseek(fd, 0, SEEK_CUR);
            ck_assert_msg(at <= 65536, "fill %d flags %#x: %lld bytes read", fill[f], flags[i],
                          (long long)at);
            close(fd);
        }
}
END_TEST

static unsigned char *gzip_of(const void *p, size_t n, size_t *zlen)
{
    uLongf cap = compressBound(n) + 32;
    unsigned char *z = malloc(cap);
    z_stream s;
    memset(&s, 0, sizeof s);
    ck_assert_int_eq(deflateInit2(&s, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
    s.next_in = (unsigned char *)(uintptr_t)p;
    s.avail_in = (uInt)n;
    s.next_out = z;
    s.avail_out = (uInt)cap;
    ck_assert_int_eq(deflate(&s, Z_FINISH), Z_STREAM_END);
    *zlen = s.total_out;
    deflateEnd(&s);
    return z;
}

/* gzip is inflated only until its first bytes say it is no transaction: a truncated gzip of
 * zeros is refused for what it begins with, before its end is reached. */
START_TEST(gzip_is_refused_from_its_first_inflated_bytes)
{
    size_t n = 1 << 20, zlen;
    unsigned char *zeros = calloc(n, 1);
    unsigned char *z = gzip_of(zeros, n, &zlen);
    zlen /= 2; /* the end is missing */
    ebts_error err = {0};
    ck_assert_ptr_null(ebts_read_buffer(z, zlen, 0, &err));
    ck_assert_str_eq(err.code, "NOT_TRANSACTION");
    int fd = temp_file(z, zlen, 0);
    memset(&err, 0, sizeof err);
    ck_assert_ptr_null(ebts_read_fd(fd, 0, &err));
    ck_assert_str_eq(err.code, "NOT_TRANSACTION");
    close(fd);
    /* a gzip that begins like a transaction still reads to its end, and says it ends early */
    size_t sn;
    unsigned char *b = tu_slurp(SAMPLE, &sn);
    free(z);
    z = gzip_of(b, sn, &zlen);
    memset(&err, 0, sizeof err);
    ck_assert_ptr_null(ebts_read_buffer(z, zlen - 4, 0, &err));
    ck_assert_str_eq(err.code, "GZIP_ERROR");
    free(b);
    free(z);
    free(zeros);
}
END_TEST

/* Every encoding still reads through a descriptor, with the beginnings the readers accept: a
 * type spelled with leading zeros, readable text beginning with <HEX:...>, XML after a byte
 * order mark or white space, XML in UTF-16, and a large gzip. */
START_TEST(every_encoding_begins_a_read)
{
    size_t n;
    unsigned char *b = tu_slurp(SAMPLE, &n), *x = malloc(2 * n + 64);
    ebts_error err = {0};
    struct {
        const char *head; /* replaces the first byte of the sample */
        unsigned flags;
    } trad[] = {{"000000001", 0}, {"<HEX: 3\n1>", EBTS_READ_READABLE}};
    for (size_t i = 0; i < 2; i++) {
        unsigned char *src = b;
        size_t len = n;
        unsigned char *rd = NULL;
        if (trad[i].flags & EBTS_READ_READABLE) {
            ebts_txn *t = ebts_read_file(SAMPLE, 0, NULL);
            ck_assert_int_eq(ebts_write_buffer(t, EBTS_FORMAT_READABLE, &rd, &len, NULL), 0);
            ebts_txn_free(t);
            src = rd;
        }
        size_t h = strlen(trad[i].head);
        memcpy(x, trad[i].head, h);
        memcpy(x + h, src + 1, len - 1);
        int fd = temp_file(x, h + len - 1, 0);
        ebts_txn *t = ebts_read_fd(fd, 0, &err);
        ck_assert_msg(t != NULL, "%s: %s %s", trad[i].head, err.code, err.msg);
        ck_assert_uint_eq(ebts_txn_record_count(t), 2);
        ebts_txn_free(t);
        close(fd);
        ebts_free(rd);
    }
    ebts_txn *t = ebts_read_file(SAMPLE, 0, NULL);
    unsigned char *xml;
    size_t xlen;
    ck_assert_int_eq(ebts_write_buffer(t, EBTS_FORMAT_XML, &xml, &xlen, NULL), 0);
    ebts_txn_free(t);
    const unsigned char *body = memchr(xml, '\n', xlen) + 1; /* after the XML declaration */
    size_t blen = xlen - (size_t)(body - xml);
    unsigned char *u = malloc(2 * xlen + 16);
    struct {
        const char *what;
        size_t len;
        unsigned flags;
    } doc[] = {{"BOM", 0, 0}, {"white space", 0, 0}, {"UTF-16LE", 0, EBTS_READ_XML},
               {"UTF-16BE", 0, EBTS_READ_XML}};
    memcpy(u, "\xef\xbb\xbf", 3);
    memcpy(u + 3, xml, xlen);
    doc[0].len = 3 + xlen;
    unsigned char *ws = malloc(blen + 8);
    memcpy(ws, " \r\n\t\n", 5);
    memcpy(ws + 5, body, blen);
    doc[1].len = 5 + blen;
    unsigned char *le = malloc(2 * blen + 2), *be = malloc(2 * blen + 2);
    memcpy(le, "\xff\xfe", 2);
    memcpy(be, "\xfe\xff", 2);
    for (size_t i = 0; i < blen; i++) { /* the XML is ASCII */
        le[2 + 2 * i] = be[3 + 2 * i] = body[i];
        le[3 + 2 * i] = be[2 + 2 * i] = 0;
    }
    doc[2].len = doc[3].len = 2 + 2 * blen;
    const unsigned char *docs[] = {u, ws, le, be};
    for (size_t i = 0; i < 4; i++) {
        int fd = temp_file(docs[i], doc[i].len, 0);
        memset(&err, 0, sizeof err);
        t = ebts_read_fd(fd, doc[i].flags, &err);
        ck_assert_msg(t != NULL, "%s: %s %s", doc[i].what, err.code, err.msg);
        ck_assert_uint_eq(ebts_txn_record_count(t), 2);
        ebts_txn_free(t);
        close(fd);
    }
    /* a large transaction, gzipped: its first bytes read, then the whole of it */
    size_t big = 3 << 20;
    char *in = malloc(big + 128);
    int k = sprintf(in, "1.001:0" GS "1.002:0500" GS "1.003:1" US "1" RS "2" US "00" FS
                        "2.001:0" GS "2.002:00" GS "2.005:");
    memset(in + k, 'A', big);
    in[k + big] = FS[0];
    size_t zlen;
    unsigned char *z = gzip_of(in, k + big + 1, &zlen);
    int fd = temp_file(z, zlen, 0);
    t = ebts_read_fd(fd, 0, &err);
    ck_assert_ptr_nonnull(t);
    ck_assert_uint_eq(ebts_field_value(ebts_record_field(ebts_txn_record(t, 1), 5)).len, big);
    ebts_txn_free(t);
    close(fd);
    free(z);
    free(in);
    free(le);
    free(be);
    free(ws);
    free(u);
    ebts_free(xml);
    free(x);
    free(b);
}
END_TEST

START_TEST(io_errors)
{
    ebts_error err = {0};
    ck_assert_ptr_null(ebts_read_file("fixtures/no-such-file.eft", 0, &err));
    ck_assert_str_eq(err.code, "IO_ERROR");
    memset(&err, 0, sizeof err);
    ck_assert_ptr_null(ebts_read_file(NULL, 0, &err));
    ck_assert_str_eq(err.code, "BAD_ARGUMENT");
    memset(&err, 0, sizeof err);
    ck_assert_ptr_null(ebts_read_buffer("", 0, 0, &err));
    ck_assert_str_eq(err.code, "EMPTY_INPUT");
    ck_assert_ptr_null(ebts_read_buffer(NULL, 0, 0, NULL));
    ebts_txn *t = ebts_read_file(SAMPLE, 0, NULL);
    memset(&err, 0, sizeof err);
    ck_assert_int_eq(ebts_write_file(t, 0, "/nonexistent-dir/x.eft", &err), -1);
    ck_assert_str_eq(err.code, "IO_ERROR");
    unsigned char *out;
    ck_assert_int_eq(ebts_write_buffer(t, 9, &out, NULL, NULL), -1);
    ebts_txn_free(t);
}
END_TEST

/* A stream gets the traditional encoding record by record (flushed at 1 MiB): the same bytes as
 * the buffer writer over several flushes, and an I/O error when the device is full. */
static size_t dir_entries(const char *dir)
{
    DIR *d = opendir(dir);
    ck_assert_ptr_nonnull(d);
    struct dirent *e;
    size_t n = 0;
    while ((e = readdir(d)))
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return n;
}

/* path holds "old", the content a write that fails must leave as it was. */
static void put_old(const char *path)
{
    FILE *o = fopen(path, "wb");
    ck_assert_ptr_nonnull(o);
    fputs("old", o);
    fclose(o);
}

static void holds_old(const char *path)
{
    size_t n;
    unsigned char *kept = tu_slurp(path, &n);
    ck_assert_ptr_nonnull(kept);
    ck_assert_uint_eq(n, 3);
    ck_assert_mem_eq(kept, "old", 3);
    free(kept);
}

/* A process killed while it writes a file (kill -9, or a signal no handler catches) leaves
 * nothing beside the target: the output is written into a file without a name until it is
 * complete, where the file system can make one (Linux O_TMPFILE: tmpfs, ext4, xfs, btrfs). */
START_TEST(a_write_killed_before_its_end_leaves_nothing_behind)
{
    char dir[] = "/tmp/ebts-test-XXXXXX", old[64], fresh[64];
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(old, sizeof old, "%s/old.eft", dir);
    snprintf(fresh, sizeof fresh, "%s/new.eft", dir);
    put_old(old);
    for (int replace = 0; replace < 2; replace++) {
        pid_t pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0) {
            ebts__outfile out;
            if (ebts__outfile_open(&out, replace ? old : fresh, NULL) != 0)
                _exit(3);
            for (int i = 0; i < 1000; i++)
                fputs("1.001:partial output\n", out.fp);
            fflush(out.fp);
            raise(SIGKILL);
            _exit(4);
        }
        int status;
        ck_assert_int_eq(waitpid(pid, &status, 0), pid);
        ck_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
        ck_assert_uint_eq(dir_entries(dir), 1); /* old.eft alone: no temporary file */
        holds_old(old);
    }
    unlink(old);
    rmdir(dir);
}
END_TEST

/* A path is replaced whole: through a symlink its target is (the link stays), with the
 * target's mode; a device is written in place and stays a device. */
START_TEST(write_file_replaces_through_links_and_keeps_the_mode)
{
    ebts_txn *t = ebts_read_file(SAMPLE, 0, NULL);
    ck_assert_ptr_nonnull(t);
    char dir[] = "/tmp/ebts-test-XXXXXX", target[64], link[64];
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(target, sizeof target, "%s/t.eft", dir);
    snprintf(link, sizeof link, "%s/l.eft", dir);
    put_old(target);
    ck_assert_int_eq(chmod(target, 0640), 0);
    ck_assert_int_eq(symlink("t.eft", link), 0);
    ebts_error err = {0};
    ck_assert_int_eq(ebts_write_file(t, EBTS_FORMAT_TRADITIONAL, link, &err), 0);
    struct stat st;
    ck_assert_int_eq(lstat(link, &st), 0);
    ck_assert(S_ISLNK(st.st_mode));
    ck_assert_int_eq(stat(target, &st), 0);
    ck_assert_uint_eq(st.st_mode & 07777, 0640);
    size_t n, fn;
    unsigned char *got = tu_slurp(target, &n), *want = tu_slurp(SAMPLE, &fn);
    ck_assert_uint_eq(n, fn);
    ck_assert_mem_eq(got, want, n);
    free(got);
    free(want);
    ck_assert_uint_eq(dir_entries(dir), 2);
    ck_assert_int_eq(ebts_write_file(t, EBTS_FORMAT_JSON, "/dev/null", &err), 0);
    ck_assert_int_eq(stat("/dev/null", &st), 0);
    ck_assert(S_ISCHR(st.st_mode));
    unlink(link);
    unlink(target);
    rmdir(dir);
    ebts_txn_free(t);
}
END_TEST

START_TEST(stream_writes_record_by_record)
{
    size_t n = 3000, cap = 64 + n * 1100;
    char *in = malloc(cap), *cnt = malloc(16 + n * 12), val[1001];
    memset(val, 'A', 1000);
    val[1000] = 0;
    size_t c = (size_t)sprintf(cnt, "1" US "%zu", n), k = 0;
    for (size_t i = 0; i < n; i++)
        c += (size_t)sprintf(cnt + c, RS "2" US "%02zu", i % 100);
    k += (size_t)sprintf(in, "1.001:0" GS "1.002:0500" GS "1.003:%s" FS, cnt);
    for (size_t i = 0; i < n; i++)
        k += (size_t)sprintf(in + k, "2.001:0" GS "2.002:%02zu" GS "2.005:%s" FS, i % 100, val);
    ebts_txn *t = ebts_read_buffer(in, k, 0, NULL); /* LENs are wrong: the writers derive them */
    ck_assert_ptr_nonnull(t);
    unsigned char *buf;
    size_t blen;
    ck_assert_int_eq(ebts_write_buffer(t, EBTS_FORMAT_TRADITIONAL, &buf, &blen, NULL), 0);
    ck_assert_uint_gt(blen, (size_t)2 << 20); /* three flushes at least */
    char *mem = NULL;
    size_t mlen = 0;
    FILE *fp = open_memstream(&mem, &mlen);
    ck_assert_int_eq(ebts_write_stream(t, EBTS_FORMAT_TRADITIONAL, fp, NULL), 0);
    fclose(fp);
    ck_assert_uint_eq(mlen, blen);
    ck_assert_int_eq(memcmp(mem, buf, blen), 0);
    free(mem);
    fp = fopen("/dev/full", "wb");
    if (fp) {
        ebts_error err = {0};
        ck_assert_int_eq(ebts_write_stream(t, EBTS_FORMAT_TRADITIONAL, fp, &err), -1);
        ck_assert_str_eq(err.code, "IO_ERROR");
        fclose(fp);
    }
    /* a file that cannot be written whole leaves its target as it was and nothing beside it
     * (a 64 KiB size limit for this process) */
    struct rlimit old, small = {65536, 65536};
    signal(SIGXFSZ, SIG_IGN);
    ck_assert_int_eq(getrlimit(RLIMIT_FSIZE, &old), 0);
    if (old.rlim_max == RLIM_INFINITY || old.rlim_max >= small.rlim_max) {
        char dir[] = "/tmp/ebts-test-XXXXXX", path[64], fresh[64];
        ck_assert_ptr_nonnull(mkdtemp(dir));
        snprintf(path, sizeof path, "%s/old.eft", dir);
        snprintf(fresh, sizeof fresh, "%s/new.eft", dir);
        put_old(path);
        ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &small), 0);
        ebts_error ferr = {0}, nerr = {0};
        int rc = ebts_write_file(t, EBTS_FORMAT_TRADITIONAL, path, &ferr);
        int nrc = ebts_write_file(t, EBTS_FORMAT_TRADITIONAL, fresh, &nerr);
        struct rlimit restore = {old.rlim_cur, old.rlim_max};
        setrlimit(RLIMIT_FSIZE, &restore);
        ck_assert_int_eq(rc, -1);
        ck_assert_str_eq(ferr.code, "IO_ERROR");
        ck_assert_int_eq(nrc, -1);
        ck_assert_str_eq(nerr.code, "IO_ERROR");
        holds_old(path);
        ck_assert_int_ne(access(fresh, F_OK), 0);
        ck_assert_uint_eq(dir_entries(dir), 1); /* old.eft, no temporary file */
        unlink(path);
        rmdir(dir);
    }
    ebts_error err = {0};
    ck_assert_int_eq(ebts_write_stream(NULL, EBTS_FORMAT_TRADITIONAL, stdout, &err), -1);
    ck_assert_str_eq(err.code, "BAD_ARGUMENT");
    ebts_free(buf);
    ebts_txn_free(t);
    free(in);
    free(cnt);
}
END_TEST

/* A transaction of about `mb` MiB as bytes (ebts_free): a Type-1 whose field 1.020 holds items of
 * eight bytes `c`, so that both its copy and its item index are large blocks. */
static unsigned char *large_txn(size_t mb, char c, size_t *n)
{
    size_t items = (mb << 20) / 9;
    unsigned char *v = malloc(items * 9);
    ck_assert_ptr_nonnull(v);
    for (size_t i = 0; i < items; i++) {
        memset(v + i * 9, c, 8);
        v[i * 9 + 8] = 0x1f;
    }
    ebts_txn *t = ebts_txn_new("0500", NULL);
    ck_assert_ptr_nonnull(t);
    ck_assert_int_eq(ebts_txn_set_field(t, 0, 20, v, items * 9 - 1, NULL), 0);
    unsigned char *w = tu_write(t, 0, n);
    ebts_txn_free(t);
    free(v);
    return w;
}

/* Every item of 1.020 is eight bytes `c`, and t writes back to the n bytes at want. */
static void holds_only(const ebts_txn *t, char c, const unsigned char *want, size_t n)
{
    ck_assert_ptr_nonnull(t);
    const ebts_field *f = ebts_record_field(ebts_txn_record(t, 0), 20);
    size_t items = ebts_field_item_count(f, 0);
    ck_assert_uint_gt(items, 100000);
    char eight[8];
    memset(eight, c, 8);
    for (size_t i = 0; i < items; i++) {
        ebts_span s = ebts_field_item(f, 0, i);
        if (s.len != 8 || memcmp(s.ptr, eight, 8) != 0)
            ck_abort_msg("item %zu of %zu is not %c", i, items, c);
    }
    tu_assert_writes(t, want, n);
}

START_TEST(freed_blocks_are_kept_within_the_bound)
{
    size_t was = ebts_keep_memory(EBTS_KEEP_MEMORY_DEFAULT);
    ck_assert_uint_eq(was, EBTS_KEEP_MEMORY_DEFAULT); /* the default, until set */
    ebts_keep_memory(0);
    ck_assert_uint_eq(ebts__kept_bytes(), 0);
    ck_assert_uint_eq(ebts_keep_memory(8u << 20), 0);
    size_t size, again;
    unsigned char *p = ebts__block_get(3u << 20, &size);
    ck_assert_ptr_nonnull(p);
    ck_assert_uint_ge(size, 3u << 20);
    memset(p, 'x', size);
    ebts__block_put(p, size);
    ck_assert_uint_eq(ebts__kept_bytes(), size);
    /* asked again, or for a little less, it is given back */
    unsigned char *q = ebts__block_get(2u << 20, &again);
    ck_assert_ptr_eq(q, p);
    ck_assert_uint_eq(again, size);
    ck_assert_uint_eq(ebts__kept_bytes(), 0);
    /* not for much less: a 3 MiB block is not used for 1.4 MiB (that is malloc's) */
    ebts__block_put(q, again);
    unsigned char *small = ebts__block_get((size_t)1400 << 10, &again);
    ck_assert_ptr_ne(small, p);
    ck_assert_uint_eq(ebts__kept_bytes(), size);
    ebts__block_put(small, again);
    /* a block over the bound is freed, not kept; one that would pass it evicts the oldest */
    unsigned char *big = ebts__block_get(9u << 20, &again);
    ebts__block_put(big, again);
    ck_assert_uint_eq(ebts__kept_bytes(), size);
    unsigned char *six = ebts__block_get(6u << 20, &again);
    ebts__block_put(six, again);
    ck_assert_uint_eq(ebts__kept_bytes(), again); /* the 3 MiB one went */
    /* a lower bound releases what passes it; 0 releases all */
    ck_assert_uint_eq(ebts_keep_memory(4u << 20), 8u << 20);
    ck_assert_uint_eq(ebts__kept_bytes(), 0);
    q = ebts__block_get(3u << 20, &again);
    ebts__block_put(q, again);
    ck_assert_uint_eq(ebts__kept_bytes(), again);
    ebts_keep_memory(0);
    ck_assert_uint_eq(ebts__kept_bytes(), 0);
    ebts_keep_memory(EBTS_KEEP_MEMORY_DEFAULT);
}
END_TEST

START_TEST(large_reads_after_another_hold_their_own_bytes)
{
    size_t na, nb;
    unsigned char *a = large_txn(5, 'a', &na), *b = large_txn(5, 'b', &nb);
    ck_assert_uint_eq(na, nb);
    /* copied, then read from a file: each time in the blocks the one before freed */
    ebts_txn *t = ebts_read_buffer(a, na, EBTS_READ_TRADITIONAL, NULL);
    holds_only(t, 'a', a, na);
    ebts_txn_free(t);
    ck_assert_uint_ge(ebts__kept_bytes(), na);
    t = ebts_read_buffer(b, nb, EBTS_READ_TRADITIONAL, NULL);
    holds_only(t, 'b', b, nb);
    ebts_txn_free(t);
    char path[] = "/tmp/ebts-test-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, a, na), (ssize_t)na);
    close(fd);
    t = ebts_read_file(path, 0, NULL);
    holds_only(t, 'a', a, na);
    /* kept blocks are not shared: a second transaction alive beside the first */
    ebts_txn *u = ebts_read_buffer(b, nb, EBTS_READ_TRADITIONAL, NULL);
    holds_only(u, 'b', b, nb);
    holds_only(t, 'a', a, na);
    ebts_txn_free(t);
    ebts_txn_free(u);
    unlink(path);
    ebts_keep_memory(0);
    ck_assert_uint_eq(ebts__kept_bytes(), 0);
    ebts_keep_memory(EBTS_KEEP_MEMORY_DEFAULT);
    ebts_free(a);
    ebts_free(b);
}
END_TEST

/* A file read as a transaction (its first bytes read alone, to see that it can be one) is then
 * read into a block a transaction freed: the one kept is taken, and the bytes are the file's. */
START_TEST(file_read_takes_a_kept_block)
{
    size_t n;
    unsigned char *a = large_txn(5, 'a', &n);
    char path[] = "/tmp/ebts-test-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, a, n), (ssize_t)n);
    ck_assert_int_eq(lseek(fd, 0, SEEK_SET), 0);
    ebts_keep_memory(0);
    ebts_keep_memory(EBTS_KEEP_MEMORY_DEFAULT);
    size_t size;
    void *kept = ebts__block_get(n + (1u << 20), &size);
    ck_assert_ptr_nonnull(kept);
    ebts__block_put(kept, size);
    ck_assert_uint_eq(ebts__kept_bytes(), size);
    unsigned flags = EBTS_READ_TRADITIONAL;
    unsigned char *p = NULL;
    size_t len = 0, got = 0;
    ck_assert_int_eq(ebts__load_fd(fd, (size_t)1 << 30, &flags, &p, &len, &got, NULL), 0);
    ck_assert_uint_eq(len, n);
    ck_assert_mem_eq(p, a, n);
    ck_assert_ptr_eq(p, kept);
    ck_assert_uint_eq(ebts__kept_bytes(), 0);
    ebts__block_put(p, got);
    close(fd);
    unlink(path);
    ebts_keep_memory(0);
    ebts_keep_memory(EBTS_KEEP_MEMORY_DEFAULT);
    ebts_free(a);
}
END_TEST

/* An output freed with ebts_free is kept like a transaction's block, and the next output of
 * that size is written into it: memory the kernel need not map and zero again. Run with glibc
 * only, which tells a buffer's size; elsewhere ebts_free frees it. */
START_TEST(write_output_is_a_kept_block)
{
    size_t n;
    unsigned char *a = large_txn(5, 'w', &n);
    ebts_txn *t = ebts_read_buffer(a, n, EBTS_READ_TRADITIONAL | EBTS_READ_BORROW, NULL);
    ck_assert_ptr_nonnull(t);
    ebts_keep_memory(0);
    ebts_keep_memory(EBTS_KEEP_MEMORY_DEFAULT);
    unsigned char *w1 = NULL, *w2 = NULL;
    size_t len = 0;
    ck_assert_int_eq(ebts_write_buffer(t, EBTS_FORMAT_TRADITIONAL, &w1, &len, NULL), 0);
    ck_assert_uint_eq(len, n);
    ck_assert_mem_eq(w1, a, n);
    ck_assert_uint_eq(ebts__kept_bytes(), 0);
    ebts_free(w1);
    ck_assert_uint_ge(ebts__kept_bytes(), n);
    ck_assert_int_eq(ebts_write_buffer(t, EBTS_FORMAT_TRADITIONAL, &w2, &len, NULL), 0);
    ck_assert_ptr_eq(w2, w1);
    ck_assert_uint_eq(ebts__kept_bytes(), 0);
    ck_assert_uint_eq(len, n);
    ck_assert_mem_eq(w2, a, n);
    ebts_free(w2);
    ebts_keep_memory(0); /* a small output is freed, not kept */
    ebts_keep_memory(EBTS_KEEP_MEMORY_DEFAULT);
    unsigned char *small = malloc(100);
    ck_assert_ptr_nonnull(small);
    ebts_free(small);
    ck_assert_uint_eq(ebts__kept_bytes(), 0);
    ebts_txn_free(t);
    ebts_free(a);
    ebts_keep_memory(0);
    ebts_keep_memory(EBTS_KEEP_MEMORY_DEFAULT);
}
END_TEST

/* A large buffer freed twice with ebts_free, kept the first time, is not kept twice (two
 * later reads or outputs would share it): the process stops, as glibc's free would. Run with
 * glibc only, where ebts_free keeps buffers. */
START_TEST(freeing_a_kept_output_twice_aborts)
{
    ebts_keep_memory(EBTS_KEEP_MEMORY_DEFAULT);
    size_t n = (size_t)4 << 20;
    unsigned char *p = malloc(n);
    ck_assert_ptr_nonnull(p);
    memset(p, 'x', n);
    ebts_free(p);
    ebts_free(p); /* kept the first time, so no double free reaches malloc */
}
END_TEST

typedef struct reader_arg {
    const unsigned char *in;
    size_t n;
    char c;
} reader_arg;

static void *read_large_again(void *arg)
{
    const reader_arg *r = arg;
    for (int i = 0; i < 6; i++) {
        ebts_txn *t = ebts_read_buffer(r->in, r->n, EBTS_READ_TRADITIONAL, NULL);
        holds_only(t, r->c, r->in, r->n);
        ebts_txn_free(t);
    }
    return NULL;
}

/* Two threads reading and freeing large transactions at once, through the one set of kept
 * blocks: each transaction holds its own bytes whichever block it got (the sanitizer run and the
 * lock's order are what this is for; which blocks are shared is not asserted). */
START_TEST(threads_reading_at_once_hold_their_own_bytes)
{
    reader_arg r[2];
    r[0].c = 'a';
    r[1].c = 'b';
    r[0].in = large_txn(3, 'a', &r[0].n);
    r[1].in = large_txn(3, 'b', &r[1].n);
    pthread_t th[2];
    for (int i = 0; i < 2; i++)
        ck_assert_int_eq(pthread_create(&th[i], NULL, read_large_again, &r[i]), 0);
    for (int i = 0; i < 2; i++)
        ck_assert_int_eq(pthread_join(th[i], NULL), 0);
    ebts_free((void *)r[0].in);
    ebts_free((void *)r[1].in);
}
END_TEST

static volatile int churning;

static void *churn_blocks(void *arg)
{
    (void)arg;
    while (churning) { /* the lock held most of the time */
        size_t size;
        void *p = ebts__block_get(3u << 20, &size);
        ebts__block_put(p, size);
        for (int i = 0; i < 1000; i++)
            (void)ebts__kept_bytes();
    }
    return NULL;
}

/* Fork 50 times beside a thread running churn, which holds the kept blocks' lock most of the
 * time; each child takes a large block and puts it back (put) or frees it, and must exit within
 * a second. */
static void forks_beside(void *(*churn)(void *), int put)
{
    churning = 1;
    pthread_t th;
    ck_assert_int_eq(pthread_create(&th, NULL, churn, NULL), 0);
    int hung = 0;
    for (int i = 0; i < 50 && !hung; i++) {
        pid_t pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0) {
            size_t size;
            void *p = ebts__block_get(3u << 20, &size);
            if (put)
                ebts__block_put(p, size);
            else
                free(p);
            _exit(p ? 0 : 3);
        }
        int status = -1;
        for (int w = 0; w < 100 && waitpid(pid, &status, WNOHANG) == 0; w++)
            nanosleep(&(struct timespec){0, 10000000}, NULL);
        if (status == -1) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            hung = 1;
        }
        ck_assert_msg(!hung, "a child forked while the lock was held hung (fork %d)", i);
        ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    churning = 0;
    pthread_join(th, NULL);
}

START_TEST(a_child_forked_beside_a_reading_thread_can_read)
{
    forks_beside(churn_blocks, 1);
}
END_TEST

/* Only asks what is kept and sets the bound, which take the lock: nothing is ever put in
 * this process (and nothing is allocated, so that a fork never meets an allocator's lock). */
static void *churn_without_put(void *arg)
{
    (void)arg;
    while (churning) {
        ebts_keep_memory(EBTS_KEEP_MEMORY_DEFAULT);
        for (int i = 0; i < 1000; i++)
            (void)ebts__kept_bytes();
    }
    return NULL;
}

START_TEST(a_child_forked_before_any_block_was_put_can_read)
{
    /* The lock is taken across fork from the first time any thread takes it, not only once a
     * block was put: a process whose threads have only taken blocks may fork too. */
    forks_beside(churn_without_put, 0);
}
END_TEST

Suite *suite_source(void)
{
    Suite *s = suite_create("source");
    TCase *tc = tcase_create("source");
    tcase_add_test(tc, every_entry_point_reads_the_same);
    tcase_add_test(tc, descriptor_at_an_offset_reads_to_the_end);
    tcase_add_test(tc, stream_read_error_part_way_is_an_io_error);
    tcase_add_test(tc, proc_file_is_read_past_its_first_page);
    tcase_add_test(tc, gzip_is_inflated);
    tcase_add_test(tc, stream_writes_record_by_record);
    tcase_add_test(tc, write_file_replaces_through_links_and_keeps_the_mode);
    tcase_add_test(tc, io_errors);
    tcase_add_test(tc, a_write_killed_before_its_end_leaves_nothing_behind);
    tcase_add_test(tc, file_sizes_and_limits);
    tcase_add_test(tc, file_over_the_limit_is_refused_unread);
    tcase_add_test(tc, non_transaction_is_refused_after_its_first_bytes);
    tcase_add_test(tc, gzip_is_refused_from_its_first_inflated_bytes);
    tcase_add_test(tc, every_encoding_begins_a_read);
    tcase_add_test(tc, freed_blocks_are_kept_within_the_bound);
    tcase_add_test(tc, large_reads_after_another_hold_their_own_bytes);
    tcase_add_test(tc, file_read_takes_a_kept_block);
#if defined(__GLIBC__)
    tcase_add_test(tc, write_output_is_a_kept_block);
    tcase_add_test_raise_signal(tc, freeing_a_kept_output_twice_aborts, SIGABRT);
#endif
    tcase_add_test(tc, threads_reading_at_once_hold_their_own_bytes);
    tcase_add_test(tc, a_child_forked_beside_a_reading_thread_can_read);
    tcase_add_test(tc, a_child_forked_before_any_block_was_put_can_read);
    suite_add_tcase(s, tc);
    return s;
}
