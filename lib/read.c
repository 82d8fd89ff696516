/* Reading: the public entry points. Every one ends in ebts__frame over one buffer, or in the XML
 * reader (xmlread.c), which builds the transaction from the document's elements; readable
 * notation is first decoded to bytes, gzip first inflated (source.c). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "internal.h"

#define DEFAULT_MAX_INPUT ((size_t)2 << 30)
#define HARD_MAX_INPUT ((size_t)0xfffffffeu)

void ebts_read_options_init(ebts_read_options *o, unsigned flags)
{
    if (!o)
        return;
    o->flags = flags;
    o->max_input = DEFAULT_MAX_INPUT;
    o->max_records = 100000;
    o->max_fields = 100000;
    o->max_items = 10000000;
}

static ebts_read_options effective(const ebts_read_options *o)
{
    ebts_read_options e;
    if (o)
        e = *o;
    else
        ebts_read_options_init(&e, 0);
    if (e.max_input == 0 || e.max_input > HARD_MAX_INPUT)
        e.max_input = HARD_MAX_INPUT;
    return e;
}

/* A decoding stage produced `tmp` (malloc'd): it replaces the input, and what was owned before
 * (a block of *block bytes, or malloc'd when 0) is let go. */
static void adopt(unsigned char **owned, size_t *block, const unsigned char **buf, size_t *len,
                  unsigned char *tmp, size_t tmplen)
{
    ebts__block_put(*owned, *block);
    *owned = tmp;
    *block = 0;
    *buf = tmp;
    *len = tmplen;
}

static ebts_txn *finish(ebts_txn *t, const ebts_read_options *o, ebts_error *err);

/* Takes ownership of `owned` (may be NULL when borrowing buf), a block of `block` bytes from
 * ebts__block_get, or 0 when it came from malloc. */
static ebts_txn *read_owned(unsigned char *owned, size_t block, const unsigned char *buf,
                            size_t len, const ebts_read_options *o, ebts_error *err)
{
    unsigned char *tmp = NULL;
    size_t tmplen = 0;
    if (len > o->max_input) {
        ebts__error_set(err, EBTS__C_INPUT_TOO_LARGE, 0, -1, NULL,
                        "input of %zu bytes is larger than the limit of %zu", len, o->max_input);
        ebts__block_put(owned, block);
        return NULL;
    }
    int z = ebts__maybe_inflate(buf, len, o->max_input, o->flags, &tmp, &tmplen, err);
    if (z < 0) {
        ebts__block_put(owned, block);
        return NULL;
    }
    if (z > 0)
        adopt(&owned, &block, &buf, &len, tmp, tmplen);
    int auto_detect = !(o->flags & (EBTS_READ_TRADITIONAL | EBTS_READ_READABLE | EBTS_READ_XML));
    ebts_txn *t = NULL;
    if ((o->flags & EBTS_READ_XML) || (auto_detect && ebts__xml_detect(buf, len))) {
        /* built from the document's elements: nothing is framed, the input is not kept */
        t = ebts__xml_read(buf, len, o, err);
        ebts__block_put(owned, block);
        if (!t)
            return NULL;
        return finish(t, o, err);
    }
    int readable = (o->flags & EBTS_READ_READABLE) ||
                   (auto_detect && ebts__readable_detect(buf, len));
    if (readable) {
        if (ebts__readable_decode(buf, len, o->max_input, &tmp, &tmplen, err) < 0) {
            ebts__block_put(owned, block);
            return NULL;
        }
        adopt(&owned, &block, &buf, &len, tmp, tmplen);
    }
    t = ebts__txn_alloc();
    if (!t) {
        ebts__block_put(owned, block);
        ebts__error_oom(err);
        return NULL;
    }
    t->owned = owned;
    t->owned_block = block;
    t->buf = buf;
    t->len = len;
    if (ebts__frame(t, o, err) < 0) {
        ebts_txn_free(t);
        return NULL;
    }
    return finish(t, o, err);
}

/* The findings' note, and strict reading: a recovery or an error fails the read. */
static ebts_txn *finish(ebts_txn *t, const ebts_read_options *o, ebts_error *err)
{
    ebts__dlist_note(&t->dl);
    t->ixpool.ready = 1; /* read: its indexes may be built ahead (index.c) */
    if (o->flags & EBTS_READ_STRICT) {
        for (size_t i = 0; i < t->dl.n; i++)
            if (t->dl.d[i].recovered || t->dl.d[i].severity >= EBTS_SEV_ERROR) {
                ebts__error_from_diag(err, &t->dl.d[i]);
                ebts_txn_free(t);
                return NULL;
            }
        if (ebts__dlist_lost_error(&t->dl, 1, err)) {
            ebts_txn_free(t);
            return NULL;
        }
    }
    return t;
}

ebts_txn *ebts_read_buffer_opts(const void *buf, size_t len, const ebts_read_options *o,
                                ebts_error *err)
{
    ebts_read_options e = effective(o);
    if (!buf && len) {
        ebts__error_set(err, EBTS__C_BAD_ARGUMENT, 0, -1, NULL, "NULL buffer of %zu bytes", len);
        return NULL;
    }
    const unsigned char *in = buf;
    int gzip = len >= 2 && in[0] == 0x1f && in[1] == 0x8b;
    int xml = !gzip && ((e.flags & EBTS_READ_XML) ||
                        (!(e.flags & (EBTS_READ_TRADITIONAL | EBTS_READ_READABLE)) &&
                         ebts__xml_detect(in, len)));
    if ((e.flags & EBTS_READ_BORROW) || xml) /* the XML reader keeps nothing of its input */
        return read_owned(NULL, 0, buf, len, &e, err);
    if (len > e.max_input) {
        ebts__error_set(err, EBTS__C_INPUT_TOO_LARGE, 0, -1, NULL,
                        "input of %zu bytes is larger than the limit of %zu", len, e.max_input);
        return NULL;
    }
    size_t block;
    unsigned char *copy = ebts__block_get(len, &block);
    if (!copy) {
        ebts__error_oom(err);
        return NULL;
    }
    ebts__huge_pages(copy, len); /* written once into fresh memory, as a file is (source.c) */
    if (len)
        memcpy(copy, buf, len);
    return read_owned(copy, block, copy, len, &e, err);
}

ebts_txn *ebts_read_fd_opts(int fd, const ebts_read_options *o, ebts_error *err)
{
    ebts_read_options e = effective(o);
    unsigned char *p = NULL;
    size_t n = 0, size = 0;
    if (fd < 0) {
        ebts__error_set(err, EBTS__C_BAD_ARGUMENT, 0, -1, NULL, "file descriptor %d", fd);
        return NULL;
    }
    if (ebts__load_fd(fd, e.max_input, &e.flags, &p, &n, &size, err) < 0)
        return NULL;
    return read_owned(p, size, p, n, &e, err);
}

ebts_txn *ebts_read_stream_opts(FILE *fp, const ebts_read_options *o, ebts_error *err)
{
    ebts_read_options e = effective(o);
    unsigned char *p = NULL;
    size_t n = 0, size = 0;
    if (!fp) {
        ebts__error_set(err, EBTS__C_BAD_ARGUMENT, 0, -1, NULL, "NULL stream");
        return NULL;
    }
    if (ebts__load_stream(fp, e.max_input, &e.flags, &p, &n, &size, err) < 0)
        return NULL;
    return read_owned(p, size, p, n, &e, err);
}

ebts_txn *ebts_read_file_opts(const char *path, const ebts_read_options *o, ebts_error *err)
{
    if (!path) {
        ebts__error_set(err, EBTS__C_BAD_ARGUMENT, 0, -1, NULL, "NULL path");
        return NULL;
    }
    if (strcmp(path, "-") == 0)
        return ebts_read_fd_opts(0, o, err);
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        ebts__error_set(err, EBTS__C_IO_ERROR, 0, -1, NULL, "cannot open %s: %s", path,
                        strerror(errno));
        return NULL;
    }
    ebts_txn *t = ebts_read_fd_opts(fd, o, err);
    close(fd);
    return t;
}

static ebts_read_options with_flags(unsigned flags)
{
    ebts_read_options o;
    ebts_read_options_init(&o, flags);
    return o;
}

ebts_txn *ebts_read_buffer(const void *buf, size_t len, unsigned flags, ebts_error *err)
{
    ebts_read_options o = with_flags(flags);
    return ebts_read_buffer_opts(buf, len, &o, err);
}

ebts_txn *ebts_read_file(const char *path, unsigned flags, ebts_error *err)
{
    ebts_read_options o = with_flags(flags);
    return ebts_read_file_opts(path, &o, err);
}

ebts_txn *ebts_read_stream(FILE *fp, unsigned flags, ebts_error *err)
{
    ebts_read_options o = with_flags(flags);
    return ebts_read_stream_opts(fp, &o, err);
}

ebts_txn *ebts_read_fd(int fd, unsigned flags, ebts_error *err)
{
    ebts_read_options o = with_flags(flags);
    return ebts_read_fd_opts(fd, &o, err);
}

ebts_span ebts_txn_input(const ebts_txn *t)
{
    ebts_span s = {NULL, 0};
    if (t && t->buf) {
        s.ptr = t->buf;
        s.len = t->len;
    }
    return s;
}
