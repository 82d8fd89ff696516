/* The readable notation (shared/samples/README.md, docs/readable.md): separators spelled <FS>
 * <GS> <RS> <US>, a newline directly after a separator token is layout, <HEX:...> holds raw bytes
 * (white space inside ignored), <LT> is a literal '<'; everything else is content. For people, a
 * tag may carry its mnemonic ("2.018 NAM:"), which decoding drops, and binary data may be shown
 * as <SUMMARY ...>, which decoding refuses: the bytes are not there. Decoding yields the bytes
 * the framer reads; writing renders what the traditional writer would write. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "rules.h"

static const struct {
    const char *tok;
    unsigned char byte;
} seps[] = {{"<FS>", EBTS__FS}, {"<GS>", EBTS__GS}, {"<RS>", EBTS__RS}, {"<US>", EBTS__US}};

int ebts__readable_detect(const unsigned char *p, size_t n)
{
    int has_token = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] >= EBTS__FS && p[i] <= EBTS__US)
            return 0;
        if (!has_token && p[i] == '<' && n - i >= 4 &&
            (memcmp(p + i, "<FS>", 4) == 0 || memcmp(p + i, "<GS>", 4) == 0))
            has_token = 1;
    }
    return has_token;
}

static int hexval(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c |= 0x20;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

/* 1-9 digits at p[*i..n) as a number; 0 when there are none or more. */
static int digits_at(const unsigned char *p, size_t n, size_t *i, unsigned *v)
{
    size_t k = 0;
    *v = 0;
    while (*i < n && k < 10 && p[*i] >= '0' && p[*i] <= '9') {
        *v = *v * 10 + (unsigned)(p[*i] - '0');
        (*i)++;
        k++;
    }
    return k >= 1 && k <= 9;
}

/* A tag with a mnemonic at the start of p[0..n): "T.N MNEM:" with a mnemonic of 1-8 capital
 * letters and digits. Returns the tag's length (the mnemonic starts one byte later and is *mlen
 * long, the ':' follows it), or 0. The traditional encoding has no space in a tag, so such a
 * start at a field's beginning is a mnemonic written for people. */
static size_t named_tag(const unsigned char *p, size_t n, unsigned *rtype, unsigned *field,
                        size_t *mlen)
{
    size_t i = 0;
    if (!digits_at(p, n, &i, rtype) || i >= n || p[i] != '.')
        return 0;
    i++;
    if (!digits_at(p, n, &i, field) || i >= n || p[i] != ' ')
        return 0;
    size_t tag = i, m = 0;
    for (i++; i < n && m < 9 && ((p[i] >= 'A' && p[i] <= 'Z') || (p[i] >= '0' && p[i] <= '9'));
         i++)
        m++;
    if (m < 1 || m > 8 || i >= n || p[i] != ':')
        return 0;
    *mlen = m;
    return tag;
}

/* The bytes the text decodes to, as far as p[0..n) goes, judged by the framer: a transaction's
 * start is digits, '.' and ':', so only <HEX:...> is decoded; any other token gives a separator
 * or '<', which no start holds. An error in <HEX:...> is one the read would refuse. */
int ebts__readable_could_begin(const unsigned char *p, size_t n)
{
    unsigned char d[80]; /* more than the framer needs to decide */
    size_t k = 0, i = 0;
    unsigned rtype, field;
    size_t mlen, tag = named_tag(p, n, &rtype, &field, &mlen);
    if (tag && tag < sizeof d) { /* the first tag's mnemonic is dropped (checked by decoding) */
        memcpy(d, p, tag);
        k = tag;
        i = tag + 1 + mlen;
    }
    while (i < n && k < sizeof d) {
        if (p[i] != '<') {
            d[k++] = p[i++];
            continue;
        }
        size_t m = n - i < 5 ? n - i : 5;
        if (memcmp(p + i, "<HEX:", m) != 0) {
            d[k++] = '<';
            break;
        }
        if (m < 5)
            break;
        int hi = -1;
        for (i += 5; i < n && p[i] != '>' && k < sizeof d; i++) {
            int v = hexval(p[i]);
            if (is_space(p[i]))
                continue;
            if (v < 0)
                return EBTS__CANNOT;
            if (hi < 0) {
                hi = v;
            } else {
                d[k++] = (unsigned char)(hi << 4 | v);
                hi = -1;
            }
        }
        if (i < n && p[i] == '>' && hi >= 0)
            return EBTS__CANNOT;
        if (i >= n || p[i] != '>')
            break;
        i++;
    }
    return ebts__frame_could_begin(d, k);
}

static void line_col(const unsigned char *p, size_t at, size_t *line, size_t *col)
{
    *line = 1;
    size_t start = 0;
    for (size_t i = 0; i < at; i++)
        if (p[i] == '\n') {
            (*line)++;
            start = i + 1;
        }
    *col = at - start + 1;
}

/* <SUMMARY ...> at p[at]: binary data written for people without its bytes. */
static void refuse_summary(const unsigned char *p, size_t n, size_t at, ebts_error *err)
{
    size_t line, col, k = at + 9, e = k;
    while (e < n && e - k < 40 && p[e] != ',' && p[e] != '>' && p[e] >= 0x20 && p[e] < 0x7f)
        e++;
    line_col(p, at, &line, &col);
    ebts__error_set(err, EBTS__C_READABLE_SUMMARY, at, -1, NULL,
                    "line %zu column %zu: <SUMMARY%s%.*s> stands for binary data that was not "
                    "written out; write the transaction with every byte (ebts-conv --full)",
                    line, col, e > k ? " " : "", (int)(e - k), (const char *)p + k);
}

int ebts__readable_decode(const unsigned char *p, size_t n, size_t max, unsigned char **out,
                          size_t *outlen, ebts_error *err)
{
    ebts__buf b = {0};
    size_t i = 0, line, col;
    int at_field = 1; /* at the text's start or after <FS> or <GS>: a tag may carry a mnemonic */
    while (i < n) {
        if (at_field) {
            at_field = 0;
            unsigned rtype, field;
            size_t mlen, tag = named_tag(p + i, n - i, &rtype, &field, &mlen);
            if (tag) {
                const char *want = ebts__field_mnemonic(rtype, field);
                const unsigned char *m = p + i + tag + 1;
                if (!want || strlen(want) != mlen || memcmp(want, m, mlen) != 0) {
                    line_col(p, i + tag + 1, &line, &col);
                    ebts__error_set(err, EBTS__C_READABLE_SYNTAX, i + tag + 1, -1, NULL,
                                    "line %zu column %zu: %.*s is not the mnemonic of %u.%03u%s%s",
                                    line, col, (int)mlen, (const char *)m, rtype, field,
                                    want ? ", which is " : " (it has none)", want ? want : "");
                    goto fail;
                }
                ebts__buf_put(&b, p + i, tag);
                i += tag + 1 + mlen; /* the ':' is copied as content */
                continue;
            }
        }
        const unsigned char *lt = memchr(p + i, '<', n - i);
        size_t stop = lt ? (size_t)(lt - p) : n;
        ebts__buf_put(&b, p + i, stop - i);
        i = stop;
        if (i >= n)
            break;
        size_t k;
        for (k = 0; k < 4; k++)
            if (n - i >= 4 && memcmp(p + i, seps[k].tok, 4) == 0)
                break;
        if (k < 4) {
            ebts__buf_putc(&b, seps[k].byte);
            at_field = seps[k].byte == EBTS__FS || seps[k].byte == EBTS__GS;
            i += 4;
            if (i < n && p[i] == '\n')
                i++;
            else if (n - i >= 2 && p[i] == '\r' && p[i + 1] == '\n')
                i += 2;
        } else if (n - i > 8 && memcmp(p + i, "<SUMMARY", 8) == 0 &&
                   (p[i + 8] == ' ' || p[i + 8] == '>')) {
            refuse_summary(p, n, i, err);
            goto fail;
        } else if (n - i >= 4 && memcmp(p + i, "<LT>", 4) == 0) {
            ebts__buf_putc(&b, '<');
            i += 4;
        } else if (n - i >= 5 && memcmp(p + i, "<HEX:", 5) == 0) {
            size_t start = i;
            int hi = -1;
            for (i += 5; i < n && p[i] != '>'; i++) {
                if (p[i] == ' ' || p[i] == '\n' || p[i] == '\r' || p[i] == '\t')
                    continue;
                int v = hexval(p[i]);
                if (v < 0) {
                    line_col(p, i, &line, &col);
                    ebts__error_set(err, EBTS__C_READABLE_SYNTAX, i, -1, NULL,
                                    "line %zu column %zu: '%c' is not a hex digit in <HEX:...>",
                                    line, col, p[i] >= 0x20 && p[i] < 0x7f ? p[i] : '?');
                    goto fail;
                }
                if (hi < 0) {
                    hi = v;
                } else {
                    ebts__buf_putc(&b, hi << 4 | v);
                    hi = -1;
                }
            }
            if (i >= n || hi >= 0) {
                line_col(p, start, &line, &col);
                ebts__error_set(err, EBTS__C_READABLE_SYNTAX, start, -1, NULL,
                                "line %zu column %zu: <HEX:...> %s", line, col,
                                i >= n ? "is not closed by '>'" : "has an odd number of digits");
                goto fail;
            }
            i++;
        } else {
            /* a '<' that starts no token is content */
            ebts__buf_putc(&b, '<');
            i++;
        }
        if (b.len > max) {
            ebts__error_set(err, EBTS__C_INPUT_TOO_LARGE, i, -1, NULL,
                            "decoded input is larger than the limit of %zu bytes", max);
            goto fail;
        }
    }
    if (b.oom) {
        ebts__error_oom(err);
        goto fail;
    }
    if (!b.p && !(b.p = malloc(1))) {
        ebts__error_oom(err);
        return -1;
    }
    *out = b.p;
    *outlen = b.len;
    return 0;
fail:
    free(b.p);
    return -1;
}

static void put_hex(ebts__buf *b, const unsigned char *p, size_t n)
{
    static const char hx[] = "0123456789abcdef";
    ebts__buf_puts(b, "<HEX:");
    for (size_t i = 0; i < n; i++) {
        char two[2] = {hx[p[i] >> 4], hx[p[i] & 15]};
        ebts__buf_put(b, two, 2);
    }
    ebts__buf_putc(b, '>');
}

/* A separator token; the layout newline after GS, RS and FS always, after US only when the
 * content that follows begins with LF or CR LF (which would otherwise be taken as layout). */
static void put_sep(ebts__buf *b, unsigned char sep, int next_is_lf)
{
    for (size_t k = 0; k < 4; k++)
        if (seps[k].byte == sep)
            ebts__buf_puts(b, seps[k].tok);
    if (sep != EBTS__US || next_is_lf)
        ebts__buf_putc(b, '\n');
}

static void put_text(ebts__buf *b, const unsigned char *p, size_t n)
{
    size_t i = 0;
    while (i < n) {
        size_t j = i;
        while (j < n && p[j] != '<' && (p[j] < EBTS__FS || p[j] > EBTS__US))
            j++;
        ebts__buf_put(b, p + i, j - i);
        if (j >= n)
            break;
        if (p[j] == '<')
            ebts__buf_puts(b, "<LT>");
        else
            put_sep(b, p[j], (j + 1 < n && p[j + 1] == '\n') ||
                                 (j + 2 < n && p[j + 1] == '\r' && p[j + 2] == '\n'));
        i = j + 1;
    }
}

/* <SUMMARY N bytes, KIND WxH, CRC-32 X>: what binary data is, for people (never read back). */
static void put_summary(ebts__buf *b, const char *what, const unsigned char *p, size_t n)
{
    uint32_t w = 0, h = 0;
    int k = n ? ebts__image_sniff(p, n, &w, &h) : 0;
    int kind = k & EBTS__IMG_KIND;
    const char *name = kind == EBTS__IMG_JPEG ? "JPEG" : kind == EBTS__IMG_PNG ? "PNG"
                       : kind == EBTS__IMG_JP2 ? "JPEG 2000"
                       : strcmp(ebts_image_extension(p, n), "wsq") == 0 ? "WSQ" : NULL;
    ebts__buf_printf(b, "<SUMMARY %s%zu bytes", what, n);
    if (name)
        ebts__buf_printf(b, ", %s", name);
    if (name && (k & EBTS__IMG_SIZED))
        ebts__buf_printf(b, " %ux%u", (unsigned)w, (unsigned)h);
    ebts__buf_printf(b, ", CRC-32 %08x>", (unsigned)ebts__crc32(p, n));
}

/* A field kept as raw bytes (no tag read) that begins like "T.N MNEM:" would lose its space
 * and mnemonic when read back: the space goes out as <HEX:20>. */
static void put_raw(ebts__buf *b, const unsigned char *p, size_t n)
{
    unsigned rtype, field;
    size_t mlen, tag = named_tag(p, n, &rtype, &field, &mlen);
    if (tag) {
        put_text(b, p, tag);
        put_hex(b, p + tag, 1);
        p += tag + 1;
        n -= tag + 1;
    }
    put_text(b, p, n);
}

static void put_tag(ebts__buf *b, const ebts__outf *o, unsigned rtype, unsigned flags)
{
    ebts__buf_put(b, o->tag, o->taglen);
    const char *dot = memchr(o->tag, '.', o->taglen);
    const char *m = NULL;
    if ((flags & EBTS_WRITE_MNEMONICS) && dot)
        m = ebts__field_mnemonic(rtype, (unsigned)strtoul(dot + 1, NULL, 10));
    if (m) {
        ebts__buf_putc(b, ' ');
        ebts__buf_puts(b, m);
    }
    ebts__buf_putc(b, ':');
}

void ebts__write_readable(const ebts_txn *t, unsigned flags, ebts__buf *b)
{
    ebts__writer w;
    memset(&w, 0, sizeof w);
    for (size_t ri = 0; ri < t->nrecs && !b->oom; ri++) {
        const ebts_record *r = t->recs[ri];
        if (r->binary) {
            ebts__buf raw = {0};
            ebts__write_binary_record(r, &raw);
            char what[40];
            snprintf(what, sizeof what, "Type-%u record, ", r->type);
            if (raw.oom)
                b->oom = 1;
            else if (flags & EBTS_WRITE_SUMMARY)
                put_summary(b, what, raw.p, raw.len);
            else
                put_hex(b, raw.p, raw.len);
            free(raw.p);
            continue;
        }
        if (ebts__writer_record(&w, t, ri) < 0) {
            b->oom = 1;
            break;
        }
        for (size_t i = 0; i < w.n; i++) {
            const ebts__outf *o = &w.f[i];
            if (!o->raw)
                put_tag(b, o, r->type, flags);
            if (o->raw)
                put_raw(b, o->val, o->len);
            else if (o->binary && (flags & EBTS_WRITE_SUMMARY))
                put_summary(b, "", o->val, o->len);
            else if (o->binary)
                put_hex(b, o->val, o->len);
            else
                put_text(b, o->val, o->len);
            put_sep(b, i + 1 == w.n ? EBTS__FS : EBTS__GS, 0);
        }
    }
    ebts__writer_free(&w);
}
