/* The readable notation (shared/samples/README.md): separators spelled <FS> <GS> <RS> <US>, a
 * newline directly after a separator token is layout, <HEX:...> holds raw bytes (white space
 * inside ignored), <LT> is a literal '<'; everything else is content. Decoding yields the bytes
 * the framer reads; writing renders what the traditional writer would write. */
#include <stdlib.h>
#include <string.h>
#include "internal.h"

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

/* The bytes the text decodes to, as far as p[0..n) goes, judged by the framer: a transaction's
 * start is digits, '.' and ':', so only <HEX:...> is decoded; any other token gives a separator
 * or '<', which no start holds. An error in <HEX:...> is one the read would refuse. */
int ebts__readable_could_begin(const unsigned char *p, size_t n)
{
    unsigned char d[80]; /* more than the framer needs to decide */
    size_t k = 0, i = 0;
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

int ebts__readable_decode(const unsigned char *p, size_t n, size_t max, unsigned char **out,
                          size_t *outlen, ebts_error *err)
{
    ebts__buf b = {0};
    size_t i = 0, line, col;
    while (i < n) {
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
            i += 4;
            if (i < n && p[i] == '\n')
                i++;
            else if (n - i >= 2 && p[i] == '\r' && p[i + 1] == '\n')
                i += 2;
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
                    ebts__error_set(err, "READABLE_SYNTAX", i, -1, NULL,
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
                ebts__error_set(err, "READABLE_SYNTAX", start, -1, NULL,
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
            ebts__error_set(err, "INPUT_TOO_LARGE", i, -1, NULL,
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

void ebts__write_readable(const ebts_txn *t, ebts__buf *b)
{
    ebts__writer w;
    memset(&w, 0, sizeof w);
    for (size_t ri = 0; ri < t->nrecs && !b->oom; ri++) {
        const ebts_record *r = t->recs[ri];
        if (r->binary) {
            ebts__buf raw = {0};
            ebts__write_binary_record(r, &raw);
            if (raw.oom)
                b->oom = 1;
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
            if (!o->raw) {
                ebts__buf_put(b, o->tag, o->taglen);
                ebts__buf_putc(b, ':');
            }
            if (o->binary)
                put_hex(b, o->val, o->len);
            else
                put_text(b, o->val, o->len);
            put_sep(b, i + 1 == w.n ? EBTS__FS : EBTS__GS, 0);
        }
    }
    ebts__writer_free(&w);
}
