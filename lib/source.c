/* Sources: every entry point (path, FILE*, fd, buffer, stdin) funnels into one buffer here;
 * gzip input (RFC 1952 magic 1f 8b) is inflated with zlib under the same size limit. What is
 * read is bounded by what the input is: a regular file larger than the limit is refused from its
 * size, and input whose first bytes (inflated, for gzip) cannot begin a transaction in any
 * encoding read is refused after them.
 * With util.c (CRC-32), the only file that includes zlib.h. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include "internal.h"

/* Room for need bytes, the used ones kept: exactly that many when exact (a regular file's
 * size), else twice the room there was. */
static int grow(unsigned char **p, size_t *cap, size_t used, size_t need, int exact, size_t max,
                ebts_error *err)
{
    if (need <= *cap)
        return 0;
    size_t c = exact ? need : *cap ? *cap : need > 65536 ? need : 65536;
    while (c < need)
        c = c > SIZE_MAX / 2 ? need : c * 2;
    if (c > max + 1)
        c = max + 1;
    size_t got = c;
    /* a file's size (after its first bytes, read alone for a transaction) may be a block a
       transaction freed: those bytes are copied into it */
    unsigned char *q = *p && !exact ? realloc(*p, c ? c : 1) : ebts__block_get(c, &got);
    if (!q) {
        ebts__error_oom(err);
        return -1;
    }
    if (*p && exact) {
        memcpy(q, *p, used);
        ebts__block_put(*p, *cap);
    }
    *p = q;
    *cap = got;
    ebts__huge_pages(q, c); /* a large input is written once into fresh memory */
    return 0;
}

/* Bytes that decide whether an input can be a transaction: the encodings' rules decide within
 * a hundred bytes, except for white space before an XML document or inside <HEX:...>. Undecided
 * after them, the input is read on. */
#define PREFIX_MAX 4096
/* Reading a stream while its first bytes are undecided: reads of at most this many bytes, and
 * a gzip input is inflated from its first this many compressed bytes at most. */
#define PREFIX_READ 65536
#define GZIP_PREFIX_MAX ((size_t)1 << 20)

static int either(int a, int b)
{
    if (a == EBTS__COULD || b == EBTS__COULD)
        return EBTS__COULD;
    return a == EBTS__UNDECIDED || b == EBTS__UNDECIDED ? EBTS__UNDECIDED : EBTS__CANNOT;
}

/* The encodings read.c may take the bytes for: the flags', or, with none, any it detects. */
static int plain_could_begin(const unsigned char *p, size_t n, unsigned flags)
{
    unsigned fmt = flags & (EBTS_READ_TRADITIONAL | EBTS_READ_READABLE | EBTS_READ_XML);
    int v = EBTS__CANNOT;
    if (!fmt || (fmt & EBTS_READ_TRADITIONAL))
        v = either(v, ebts__frame_could_begin(p, n));
    if (!fmt || (fmt & EBTS_READ_READABLE))
        v = either(v, ebts__readable_could_begin(p, n));
    if (!fmt || (fmt & EBTS_READ_XML))
        v = either(v, ebts__xml_could_begin(p, n));
    return v == EBTS__UNDECIDED && n >= PREFIX_MAX ? EBTS__COULD : v;
}

/* The first PREFIX_MAX bytes gzip input p[0..n) inflates to (n: a prefix of the input). A stream
 * zlib cannot read is left to the read, which says why. */
static int gzip_could_begin(const unsigned char *p, size_t n, unsigned flags)
{
    unsigned char out[PREFIX_MAX];
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit2(&z, 15 + 32) != Z_OK)
        return EBTS__COULD;
    z.next_in = (Bytef *)(uintptr_t)p;
    z.avail_in = n > GZIP_PREFIX_MAX ? (uInt)GZIP_PREFIX_MAX : (uInt)n;
    z.next_out = out;
    z.avail_out = sizeof out;
    int rc;
    while ((rc = inflate(&z, Z_NO_FLUSH)) == Z_OK || (rc == Z_STREAM_END && z.avail_in > 0)) {
        if (z.avail_out == 0)
            break;
        if (rc == Z_STREAM_END && inflateReset(&z) != Z_OK) /* the next member */
            break;
    }
    size_t got = sizeof out - z.avail_out;
    inflateEnd(&z);
    int v = plain_could_begin(out, got, flags);
    if (v == EBTS__UNDECIDED && (rc == Z_DATA_ERROR || rc == Z_MEM_ERROR || rc == Z_NEED_DICT ||
                                 n >= GZIP_PREFIX_MAX))
        return EBTS__COULD;
    return v;
}

int ebts__txn_could_begin(const unsigned char *p, size_t n, unsigned flags)
{
    if (n == 0)
        return EBTS__UNDECIDED;
    if (p[0] == 0x1f && (n == 1 || p[1] == 0x8b))
        return n == 1 ? EBTS__UNDECIDED : gzip_could_begin(p, n, flags);
    return plain_could_begin(p, n, flags);
}

/* how: "reading" (the input) or "inflating" (gzip's bytes) */
static void not_transaction(ebts_error *err, const char *how, size_t n)
{
    ebts__error_set(err, EBTS__C_NOT_TRANSACTION, 0, -1, NULL,
                    "input does not begin with a Type-1 record (1.001:LEN) or an XML document "
                    "(refused after %s %zu bytes)",
                    how, n);
}

static int all_zero(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i])
            return 0;
    return 1;
}

int ebts__maybe_inflate(const unsigned char *buf, size_t len, size_t max, unsigned flags,
                        unsigned char **out, size_t *outlen, ebts_error *err)
{
    if (len < 2 || buf[0] != 0x1f || buf[1] != 0x8b)
        return 0;
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit2(&z, 15 + 32) != Z_OK) {
        ebts__error_oom(err);
        return -1;
    }
    unsigned char *o = NULL;
    size_t cap = 0, n = 0;
    const unsigned char *in = buf;
    size_t left = len;
    int rc = Z_OK, v = EBTS__UNDECIDED;
    for (;;) {
        if (n == cap) {
            if (n > max) {
                ebts__error_set(err, EBTS__C_INPUT_TOO_LARGE, len, -1, NULL,
                                "gzip input inflates to more than the limit of %zu bytes", max);
                goto fail;
            }
            if (grow(&o, &cap, n, n + 1, 0, max, err) < 0)
                goto fail;
        }
        if (z.avail_in == 0 && left > 0) {
            uInt step = left > 0x40000000u ? 0x40000000u : (uInt)left;
            z.next_in = (Bytef *)in;
            z.avail_in = step;
            in += step;
            left -= step;
        }
        size_t room = cap - n;
        z.next_out = o + n;
        z.avail_out = room > 0x40000000u ? 0x40000000u : (uInt)room;
        uInt before = z.avail_out;
        rc = inflate(&z, Z_NO_FLUSH);
        n += before - z.avail_out;
        if (v == EBTS__UNDECIDED && (v = plain_could_begin(o, n, flags)) == EBTS__CANNOT) {
            not_transaction(err, "inflating", n);
            goto fail;
        }
        if (rc == Z_STREAM_END) {
            /* concatenated gzip members (gzip a b > c) continue; zeros after the last member
             * are padding (tape blocks), which gzip itself ignores */
            size_t at = (size_t)((const unsigned char *)z.next_in - buf);
            if (all_zero(buf + at, len - at))
                break;
            if (inflateReset(&z) != Z_OK)
                goto bad;
            continue;
        }
        if (rc == Z_BUF_ERROR && z.avail_in == 0 && left == 0)
            goto truncated;
        if (rc != Z_OK && rc != Z_BUF_ERROR)
            goto bad;
    }
    if (n > max) {
        ebts__error_set(err, EBTS__C_INPUT_TOO_LARGE, len, -1, NULL,
                        "gzip input inflates to more than the limit of %zu bytes", max);
        goto fail;
    }
    inflateEnd(&z);
    *out = o;
    *outlen = n;
    return 1;
truncated:
    ebts__error_set(err, EBTS__C_GZIP_ERROR, len, -1, NULL,
                    "gzip input ends early (inflated %zu bytes so far)", n);
    goto fail;
bad:
    ebts__error_set(err, EBTS__C_GZIP_ERROR, (size_t)((const unsigned char *)z.next_in - buf), -1,
                    NULL, "gzip input is corrupt: %s", z.msg ? z.msg : "inflate failed");
fail:
    inflateEnd(&z);
    free(o);
    return -1;
}

/* One loop for fds and streams: rd returns bytes read, 0 at the end, -1 on error. */
typedef long (*read_fn)(void *ctx, unsigned char *p, size_t n);

static long read_fd(void *ctx, unsigned char *p, size_t n)
{
    for (;;) {
        ssize_t r = read(*(int *)ctx, p, n);
        if (r >= 0 || errno != EINTR)
            return (long)r;
    }
}

/* A short fread is the stream's end only when no error came with it: a read that failed part
 * way (EIO, a signal interrupting a pipe's read) returns the bytes before it too. */
static long read_stream(void *ctx, unsigned char *p, size_t n)
{
    size_t r = fread(p, 1, n, (FILE *)ctx);
    return ferror((FILE *)ctx) ? -1 : (long)r;
}

/* first: a regular file's size and one byte to see its end, so that it is read into one
 * allocation (after its first bytes, for a transaction), or 0. end_at: a read that returns
 * fewer bytes than asked is at the end once this many bytes were read in all (a regular file's
 * size; 0 for a stdio stream's fread), so no read is made to see it; before, it is what a
 * signal or a FUSE file system let through, and a pipe's or a socket's returns what has come
 * (SIZE_MAX). txn_flags: see ebts__load_fd. */
static int load(read_fn rd, void *ctx, size_t first, size_t end_at, size_t max,
                const unsigned *txn_flags, unsigned char **out, size_t *len, size_t *size,
                ebts_error *err)
{
    unsigned char *p = NULL;
    size_t cap = 0, n = 0;
    int v = txn_flags ? EBTS__UNDECIDED : EBTS__COULD;
    for (;;) {
        /* a regular file's size is allocated once its first bytes were found possible */
        int whole = first > n + 1 && v != EBTS__UNDECIDED;
        if (n == cap && grow(&p, &cap, n, whole ? first : n + 1, whole, max, err) < 0)
            goto fail;
        size_t want = cap - n > 0x40000000u ? 0x40000000u : cap - n;
        if (v == EBTS__UNDECIDED && want > PREFIX_READ)
            want = PREFIX_READ;
        long r = rd(ctx, p + n, want);
        if (r < 0) {
            ebts__error_set(err, EBTS__C_IO_ERROR, n, -1, NULL, "read failed: %s", strerror(errno));
            goto fail;
        }
        if (r == 0)
            break;
        n += (size_t)r;
        if (n > max) {
            ebts__error_set(err, EBTS__C_INPUT_TOO_LARGE, n, -1, NULL,
                            "input is larger than the limit of %zu bytes", max);
            goto fail;
        }
        if (v == EBTS__UNDECIDED && (v = ebts__txn_could_begin(p, n, *txn_flags)) == EBTS__CANNOT) {
            not_transaction(err, "reading", n);
            goto fail;
        }
        if ((size_t)r < want && n >= end_at)
            break;
    }
    *out = p;
    *len = n;
    if (size)
        *size = cap;
    return 0;
fail:
    free(p);
    return -1;
}

/* At most the bytes of a regular file from the descriptor's offset on (its size: the offset is
 * asked only when the size is more than max): 1 when fd is one, else 0. */
static int file_left(int fd, size_t max, uintmax_t *left)
{
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
        return 0;
    off_t at = (uintmax_t)st.st_size > max ? lseek(fd, 0, SEEK_CUR) : 0;
    *left = at >= 0 && at <= st.st_size ? (uintmax_t)(st.st_size - at) : (uintmax_t)st.st_size;
    return 1;
}

/* A regular file is read into one allocation of its size and one byte to see its end: what it
 * holds is still read to its end, whatever its size was when asked. */
int ebts__load_fd(int fd, size_t max, const unsigned *txn_flags, unsigned char **out, size_t *len,
                  size_t *size, ebts_error *err)
{
    uintmax_t left = 0;
    int regular = file_left(fd, max, &left);
    if (regular && left > max) {
        ebts__error_set(err, EBTS__C_INPUT_TOO_LARGE, 0, -1, NULL,
                        "the file's %ju bytes to read are more than the limit of %zu bytes", left,
                        max);
        return -1;
    }
    size_t first = !regular || left == 0 ? 0 : (size_t)left + 1;
    /* a size of 0 may be a /proc file's, whose reads return a page at a time */
    size_t end_at = regular && left > 0 ? (size_t)left : SIZE_MAX;
    return load(read_fd, &fd, first, end_at, max, txn_flags, out, len, size, err);
}

int ebts__load_stream(FILE *fp, size_t max, const unsigned *txn_flags, unsigned char **out,
                      size_t *len, size_t *size, ebts_error *err)
{
    return load(read_stream, fp, 0, 0, max, txn_flags, out, len, size, err);
}
