/* Sources: every entry point (path, FILE*, fd, buffer, stdin) funnels into one buffer here;
 * gzip input (RFC 1952 magic 1f 8b) is inflated with zlib under the same size limit.
 * This is the only file that includes zlib.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include "internal.h"

uint32_t ebts__crc32(const unsigned char *p, size_t n)
{
    uLong c = crc32(0L, Z_NULL, 0);
    while (n > 0) {
        uInt step = n > 0x40000000u ? 0x40000000u : (uInt)n;
        c = crc32(c, p, step);
        p += step;
        n -= step;
    }
    return (uint32_t)c;
}

static int grow(unsigned char **p, size_t *cap, size_t need, size_t max, ebts_error *err)
{
    if (need <= *cap)
        return 0;
    size_t c = *cap ? *cap : need > 65536 ? need : 65536;
    while (c < need)
        c = c > SIZE_MAX / 2 ? need : c * 2;
    if (c > max + 1)
        c = max + 1;
    unsigned char *q = realloc(*p, c ? c : 1);
    if (!q) {
        ebts__error_oom(err);
        return -1;
    }
    *p = q;
    *cap = c;
    ebts__huge_pages(q, c); /* a large input is written once into fresh memory */
    return 0;
}

int ebts__maybe_inflate(const unsigned char *buf, size_t len, size_t max, unsigned char **out,
                        size_t *outlen, ebts_error *err)
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
    int rc = Z_OK;
    for (;;) {
        if (n == cap) {
            if (n > max) {
                ebts__error_set(err, "INPUT_TOO_LARGE", len, -1, NULL,
                                "gzip input inflates to more than the limit of %zu bytes", max);
                goto fail;
            }
            if (grow(&o, &cap, n + 1, max, err) < 0)
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
        if (rc == Z_STREAM_END) {
            /* concatenated gzip members (gzip a b > c) continue */
            if (z.avail_in == 0 && left == 0)
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
        ebts__error_set(err, "INPUT_TOO_LARGE", len, -1, NULL,
                        "gzip input inflates to more than the limit of %zu bytes", max);
        goto fail;
    }
    inflateEnd(&z);
    *out = o;
    *outlen = n;
    return 1;
truncated:
    ebts__error_set(err, "GZIP_ERROR", len, -1, NULL,
                    "gzip input ends early (inflated %zu bytes so far)", n);
    goto fail;
bad:
    ebts__error_set(err, "GZIP_ERROR", (size_t)(z.total_in), -1, NULL, "gzip input is corrupt: %s",
                    z.msg ? z.msg : "inflate failed");
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

static long read_stream(void *ctx, unsigned char *p, size_t n)
{
    size_t r = fread(p, 1, n, (FILE *)ctx);
    return r == 0 && ferror((FILE *)ctx) ? -1 : (long)r;
}

/* first: the size to allocate first (a regular file's size and one byte to see its end, so
 * that it is read into one allocation), or 0. */
static int load(read_fn rd, void *ctx, size_t first, size_t max, unsigned char **out, size_t *len,
                ebts_error *err)
{
    unsigned char *p = NULL;
    size_t cap = 0, n = 0;
    for (;;) {
        if (n == cap && grow(&p, &cap, n ? n + 1 : first ? first : 1, max, err) < 0)
            goto fail;
        size_t want = cap - n > 0x40000000u ? 0x40000000u : cap - n;
        long r = rd(ctx, p + n, want);
        if (r < 0) {
            ebts__error_set(err, "IO_ERROR", n, -1, NULL, "read failed: %s", strerror(errno));
            goto fail;
        }
        if (r == 0)
            break;
        n += (size_t)r;
        if (n > max) {
            ebts__error_set(err, "INPUT_TOO_LARGE", n, -1, NULL,
                            "input is larger than the limit of %zu bytes", max);
            goto fail;
        }
    }
    *out = p;
    *len = n;
    return 0;
fail:
    free(p);
    return -1;
}

/* A regular file's size plus one (bounded by the limit), else 0: the first allocation. What the
 * file holds is still read to its end, whatever its size was when asked. */
static size_t file_size_hint(int fd, size_t max)
{
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0)
        return 0;
    size_t sz = (size_t)st.st_size;
    return sz >= max ? max + 1 : sz + 1;
}

int ebts__load_fd(int fd, size_t max, unsigned char **out, size_t *len, ebts_error *err)
{
    return load(read_fd, &fd, file_size_hint(fd, max), max, out, len, err);
}

int ebts__load_stream(FILE *fp, size_t max, unsigned char **out, size_t *len, ebts_error *err)
{
    return load(read_stream, fp, 0, max, out, len, err);
}
