/* Output: the public writers. One dispatch to the format's writer (write.c for the traditional
 * encoding, readable.c, json.c, xmlwrite.c, html.c), the traditional encoding streamed record by
 * record, and files replaced only by complete ones (outfile.c). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

int ebts_write_buffer(const ebts_txn *t, unsigned flags, unsigned char **out, size_t *len,
                      ebts_error *err)
{
    if (!t || !out) {
        ebts__error_set(err, EBTS__C_BAD_ARGUMENT, 0, -1, NULL, "NULL transaction or output");
        return -1;
    }
    ebts__buf b = {0};
    switch (flags & EBTS_FORMAT_MASK) {
    case EBTS_FORMAT_TRADITIONAL:
        ebts__write_traditional(t, &b);
        break;
    case EBTS_FORMAT_READABLE:
        ebts__write_readable(t, flags, &b);
        break;
    case EBTS_FORMAT_JSON:
        ebts__write_json(t, flags, &b);
        break;
    case EBTS_FORMAT_HTML:
        ebts__write_html(t, flags, &b);
        break;
    case EBTS_FORMAT_XML:
        if (ebts__write_xml(t, flags, &b, err) < 0) {
            free(b.p);
            return -1;
        }
        break;
    default:
        ebts__error_set(err, EBTS__C_BAD_ARGUMENT, 0, -1, NULL, "unknown output format %u",
                        flags & EBTS_FORMAT_MASK);
        return -1;
    }
    if (b.oom) {
        free(b.p);
        ebts__error_oom(err);
        return -1;
    }
    if (!b.p)
        b.p = malloc(1);
    if (!b.p) {
        ebts__error_oom(err);
        return -1;
    }
    *out = b.p;
    if (len)
        *len = b.len;
    return 0;
}

/* The traditional encoding record by record through one buffer flushed at 1 MiB: a large
 * transaction is not held twice. -1 (with b->oom) without memory; *werr on a failed fwrite. */
static int stream_traditional(const ebts_txn *t, FILE *fp, size_t *written, int *werr)
{
    ebts__writer w;
    memset(&w, 0, sizeof w);
    ebts__buf b = {0};
    int rc = 0;
    for (size_t ri = 0; ri < t->nrecs && rc == 0; ri++) {
        ebts__writer_put_record(&w, t, ri, &b);
        if (b.oom) {
            rc = -1;
        } else if (b.len >= ((size_t)1 << 20) || ri + 1 == t->nrecs) {
            size_t k = fwrite(b.p, 1, b.len, fp);
            *written += k;
            if (k != b.len) {
                *werr = 1;
                rc = -1;
            }
            b.len = 0;
        }
    }
    ebts__writer_free(&w);
    free(b.p);
    return rc;
}

int ebts_write_stream(const ebts_txn *t, unsigned flags, FILE *fp, ebts_error *err)
{
    unsigned char *p;
    size_t n, w = 0;
    if (!fp || !t) {
        ebts__error_set(err, EBTS__C_BAD_ARGUMENT, 0, -1, NULL, "NULL %s",
                        fp ? "transaction" : "stream");
        return -1;
    }
    if ((flags & EBTS_FORMAT_MASK) == EBTS_FORMAT_TRADITIONAL) {
        int werr = 0;
        if (stream_traditional(t, fp, &w, &werr) < 0 && !werr) {
            ebts__error_oom(err);
            return -1;
        }
        if (werr || fflush(fp) != 0) {
            ebts__error_set(err, EBTS__C_IO_ERROR, w, -1, NULL, "write failed: %s",
                            strerror(errno));
            return -1;
        }
        return 0;
    }
    if (ebts_write_buffer(t, flags, &p, &n, err) < 0)
        return -1;
    w = fwrite(p, 1, n, fp);
    free(p);
    if (w != n || fflush(fp) != 0) {
        ebts__error_set(err, EBTS__C_IO_ERROR, w, -1, NULL, "write failed: %s", strerror(errno));
        return -1;
    }
    return 0;
}

int ebts_write_file(const ebts_txn *t, unsigned flags, const char *path, ebts_error *err)
{
    /* refused before the file is opened: a bad argument leaves an existing file as it was */
    if (!path || !t || (flags & EBTS_FORMAT_MASK) > EBTS_FORMAT_HTML) {
        ebts__error_set(err, EBTS__C_BAD_ARGUMENT, 0, -1, NULL, "%s",
                        !path ? "NULL path"
                        : !t  ? "NULL transaction"
                              : "unknown output format");
        return -1;
    }
    ebts__outfile o;
    if (ebts__outfile_open(&o, path, err) < 0)
        return -1;
    if (ebts_write_stream(t, flags, o.fp, err) < 0) {
        ebts__outfile_abort(&o); /* the target stays as it was */
        return -1;
    }
    return ebts__outfile_commit(&o, path, err);
}

int ebts_write_bytes_file(const void *data, size_t len, const char *path, ebts_error *err)
{
    if (!path || (!data && len)) {
        ebts__error_set(err, EBTS__C_BAD_ARGUMENT, 0, -1, NULL, "NULL %s", path ? "data" : "path");
        return -1;
    }
    ebts__outfile o;
    if (ebts__outfile_open(&o, path, err) < 0)
        return -1;
    if (len && fwrite(data, 1, len, o.fp) != len) {
        ebts__error_set(err, EBTS__C_IO_ERROR, 0, -1, NULL, "cannot write %s: %s", path,
                        strerror(errno));
        ebts__outfile_abort(&o); /* the target stays as it was */
        return -1;
    }
    return ebts__outfile_commit(&o, path, err);
}
