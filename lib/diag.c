/* Diagnostics: the table of stable codes, collecting findings on a transaction, filling
 * ebts_error, and the one-line text form `path:offset: severity: CODE tag: message`. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

#define W EBTS_SEV_WARNING
#define E EBTS_SEV_ERROR

/* Codes are never renamed once released; new ones are appended. recovery = the reader repaired
 * or guessed something, which EBTS_READ_STRICT refuses. */
static const ebts__code codes[] = {
#define EBTS__CODE(name, severity, recovery, summary, action)                                      \
    {#name, severity, recovery, summary, action},
#include "codes.def"
#undef EBTS__CODE
};
#undef W
#undef E
_Static_assert(sizeof codes / sizeof codes[0] == EBTS__NCODES, "EBTS__NCODES is the table's size");

size_t ebts_diag_codes(size_t index, const char **code, const char **summary)
{
    size_t n = sizeof codes / sizeof codes[0];
    if (index < n) {
        if (code)
            *code = codes[index].code;
        if (summary)
            *summary = codes[index].summary;
    }
    return n;
}

int ebts_diag_code_info(const char *code, ebts_code_info *info, ebts_error *err)
{
    const ebts__code *c = code && info ? ebts__code_find(code) : NULL;
    if (!c) {
        int named = code && info;
        ebts__error_set(err, EBTS__C_BAD_ARGUMENT, 0, -1, NULL, "%s%.60s%s",
                        named ? "no diagnostic code \"" : "no code or no info", named ? code : "",
                        named ? "\"" : "");
        return -1;
    }
    *info = (ebts_code_info){c->code, c->severity, c->recovery, c->summary, c->action};
    return 0;
}

/* The first byte first: it tells most codes apart, so strcmp is asked of a few (the table's
 * order is the codes' release order, and the one finding of a small SRE had cost a tenth of its
 * parse in strcmp calls). */
const ebts__code *ebts__code_find(const char *code)
{
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
        if (codes[i].code[0] == code[0] && strcmp(codes[i].code, code) == 0)
            return &codes[i];
    return NULL;
}

enum ebts__code_id ebts__code_id_of(const char *code)
{
    const ebts__code *c = ebts__code_find(code);
    return c ? (enum ebts__code_id)(c - codes) : EBTS__C_TOO_MANY_DIAGNOSTICS;
}

const char *ebts_severity_name(int severity)
{
    return severity >= EBTS_SEV_ERROR ? "error" : "warning";
}

static void make_tag(char *out, size_t size, unsigned rtype, unsigned field)
{
    size_t k = 0;
    if (field) {
        k = ebts__put_padded(out, k, size - 1, rtype, 1);
        if (k < size - 1)
            out[k++] = '.';
        k = ebts__put_padded(out, k, size - 1, field, 3);
    }
    out[k] = 0;
}

/* The severity and recovery of the findings of code index i counted in l->lost. */
static int lost_severity(const ebts__dlist *l, size_t i, int *recovery)
{
    *recovery = codes[i].recovery;
    return l->lost_sev[i] ? l->lost_sev[i] : codes[i].severity;
}

/* Whether fmt uses only the conversions messages use most: %d %u %ld %lu %zu %s %.*s %%. */
static int quick_fmt_ok(const char *fmt)
{
    for (const char *f = fmt; (f = strchr(f, '%')) != NULL;) {
        f++;
        if (*f == '.' && f[1] == '*' && f[2] == 's')
            f += 3;
        else if ((*f == 'l' && (f[1] == 'd' || f[1] == 'u')) || (*f == 'z' && f[1] == 'u'))
            f += 2;
        else if (*f == 'd' || *f == 'u' || *f == 's' || *f == '%')
            f++;
        else
            return 0;
    }
    return 1;
}

/* The decimal digits of v (negative when neg) at the end of b[0..24); where they begin. */
static char *quick_num(char *b, unsigned long long v, int neg)
{
    char *p = b + 24;
    do
        *--p = (char)('0' + v % 10);
    while ((v /= 10) != 0);
    if (neg)
        *--p = '-';
    return p;
}

/* vsnprintf for a format quick_fmt_ok accepts, with the same bytes: a message's cost was
 * mostly vsnprintf's. */
static void quick_format(char *out, size_t size, const char *fmt, va_list ap)
{
    size_t k = 0;
    char num[24];
    for (const char *f = fmt; *f; f++) {
        const char *s = NULL;
        int prec = -1, number = 1;
        if (*f != '%') { /* the text up to the next conversion, whole */
            const char *pct = strchr(f, '%');
            size_t run = pct ? (size_t)(pct - f) : strlen(f);
            size_t room = k + 1 < size ? size - 1 - k : 0, m = run < room ? run : room;
            memcpy(out + k, f, m);
            k += m;
            f += run - 1;
            continue;
        }
        f++;
        if (*f == '.') { /* %.*s */
            prec = va_arg(ap, int);
            f += 2;
        }
        if (*f == 's' || *f == '%') {
            s = *f == '%' ? "%" : va_arg(ap, const char *);
            s = s ? s : "(null)";
            number = 0;
        } else if (*f == 'd') {
            int v = va_arg(ap, int);
            s = quick_num(num, v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v, v < 0);
        } else if (*f == 'u') {
            s = quick_num(num, va_arg(ap, unsigned), 0);
        } else if (*f == 'z') {
            s = quick_num(num, va_arg(ap, size_t), 0);
            f++;
        } else if (f[1] == 'd') {
            long v = va_arg(ap, long);
            s = quick_num(num, v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v, v < 0);
            f++;
        } else {
            s = quick_num(num, va_arg(ap, unsigned long), 0);
            f++;
        }
        size_t len = number ? (size_t)(num + sizeof num - s) : SIZE_MAX;
        for (size_t i = 0; i < len && (prec < 0 || i < (size_t)prec) && s[i]; i++)
            if (k + 1 < size)
                out[k++] = s[i];
    }
    if (size)
        out[k] = 0;
}

const ebts__code *ebts__code_at(enum ebts__code_id id)
{
    return &codes[id];
}

/* Messages may quote input bytes: keep them printable ASCII ('?' for the others) up to the
 * message's NUL, in its buffer of size bytes. Eight bytes at a time while none can be below
 * 0x20 (the NUL too) or above 0x7E; the test may take a good byte for a bad one (a borrow or a
 * carry from a bad neighbour), never the reverse, and the bytes go one by one from there. */
static void printable(char *msg, size_t size)
{
    size_t i = 0;
    for (; i + 8 <= size; i += 8) {
        uint64_t x;
        memcpy(&x, msg + i, 8);
        if ((((x - 0x20 * EBTS__ONES8) & ~x) | x | (x + EBTS__ONES8)) & EBTS__HIGHS8)
            break;
    }
    for (; i < size && msg[i]; i++)
        if ((unsigned char)msg[i] < 0x20 || (unsigned char)msg[i] >= 0x7f)
            msg[i] = '?';
}

void ebts__diag_add(ebts__dlist *t, enum ebts__code_id code, ebts__loc at, const char *fmt, ...)
{
    t->added++;
    if (t->oom)
        return;
    size_t max = t->limit ? t->limit : EBTS__MAX_DIAGS;
    int too_many = t->n >= max;
    if (too_many) {
        /* counted, not kept; the first one beyond the limit brings the note */
        t->lost[code]++;
        if (t->n > max)
            return;
        code = EBTS__C_TOO_MANY_DIAGNOSTICS;
        at = EBTS__AT_FILE(at.offset);
    }
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 16;
        ebts_diag *d = realloc(t->d, cap * sizeof *d);
        if (!d) {
            t->oom = 1;
            return;
        }
        t->d = d;
        t->cap = cap;
    }
    const ebts__code *c = &codes[code];
    ebts_diag *d = &t->d[t->n++];
    memset(d, 0, sizeof *d);
    d->code = c->code;
    d->severity = c->severity;
    d->recovered = c->recovery;
    d->offset = at.offset;
    d->record = at.rec;
    make_tag(d->tag, sizeof d->tag, at.rtype, at.field);
    d->subfield = at.sub;
    d->item = at.item;
    va_list ap;
    va_start(ap, fmt);
    if (too_many)
        snprintf(d->msg, sizeof d->msg, "more than %d diagnostics; the rest are left out",
                 EBTS__MAX_DIAGS);
    else if (quick_fmt_ok(fmt))
        quick_format(d->msg, sizeof d->msg, fmt, ap);
    else
        vsnprintf(d->msg, sizeof d->msg, fmt, ap);
    va_end(ap);
    printable(d->msg, sizeof d->msg);
}

static size_t lost_count(const ebts__dlist *l, int errors, int strict)
{
    size_t n = 0;
    if (!errors) { /* a plain sum, four at a time: asked of every transaction read */
        size_t i = 0, m = 0;
        for (; i + 4 <= EBTS__NCODES; i += 4) {
            n += l->lost[i] + l->lost[i + 1];
            m += l->lost[i + 2] + l->lost[i + 3];
        }
        for (; i < EBTS__NCODES; i++)
            n += l->lost[i];
        return n + m;
    }
    for (size_t i = 0; i < EBTS__NCODES; i++) {
        int recovery, sev = lost_severity(l, i, &recovery);
        if (sev >= EBTS_SEV_ERROR || (strict && recovery))
            n += l->lost[i];
    }
    return n;
}

size_t ebts__dlist_total(const ebts__dlist *l)
{
    return l->n + lost_count(l, 0, 0);
}

void ebts__dlist_append(ebts__dlist *l, const ebts__dlist *from)
{
    size_t max = l->limit ? l->limit : EBTS__MAX_DIAGS;
    for (size_t i = 0; i < from->n; i++) {
        const ebts_diag *d = &from->d[i];
        if (d->code == codes[EBTS__C_TOO_MANY_DIAGNOSTICS].code)
            continue;
        if (!l->oom && l->n < max && l->n < l->cap) { /* as ebts__diag_add would make it */
            l->d[l->n++] = *d;
            l->added++;
            continue;
        }
        enum ebts__code_id id = ebts__code_id_of(d->code);
        ebts__diag_add(l, id, EBTS__AT_ITEM(d->offset, d->record, 0, 0, d->subfield, d->item), "%s",
                       d->msg);
        if (l->n && l->n <= EBTS__MAX_DIAGS) {
            memcpy(l->d[l->n - 1].tag, d->tag, sizeof d->tag);
            l->d[l->n - 1].line = d->line;
        }
    }
    if (!lost_count(from, 0, 0))
        return;
    if (l->n == EBTS__MAX_DIAGS) {
        /* full (from kept as many) without its note: one more offered brings the note, and is
         * taken back from the count */
        ebts__diag_add(l, EBTS__C_TOO_MANY_DIAGNOSTICS, EBTS__AT_FILE(0), "%s", "");
        l->lost[EBTS__C_TOO_MANY_DIAGNOSTICS]--;
    }
    for (size_t i = 0; i < EBTS__NCODES; i++)
        l->lost[i] += from->lost[i];
}

void ebts__dlist_lost_severity(ebts__dlist *l, const char *code, int severity)
{
    const ebts__code *c = ebts__code_find(code);
    if (!c)
        return;
    size_t i = (size_t)(c - codes);
    if (!l->lost[i])
        return;
    if (severity == 0)
        l->lost[i] = 0;
    else
        l->lost_sev[i] = (signed char)severity;
}

void ebts__dlist_note(ebts__dlist *l)
{
    size_t more = lost_count(l, 0, 0);
    if (!more)
        return;
    size_t errors = lost_count(l, 1, 0);
    for (size_t i = 0; i < l->n; i++)
        if (l->d[i].code == codes[EBTS__C_TOO_MANY_DIAGNOSTICS].code)
            snprintf(l->d[i].msg, sizeof l->d[i].msg,
                     "%zu more finding%s not kept (%zu error%s, %zu warning%s): the list stops "
                     "at %d",
                     more, more == 1 ? "" : "s", errors, errors == 1 ? "" : "s", more - errors,
                     more - errors == 1 ? "" : "s", EBTS__MAX_DIAGS);
}

int ebts__dlist_lost_error(const ebts__dlist *l, int strict, ebts_error *err)
{
    for (size_t i = 0; i < EBTS__NCODES; i++) {
        int recovery, sev = lost_severity(l, i, &recovery);
        if (l->lost[i] && (sev >= EBTS_SEV_ERROR || (strict && recovery))) {
            ebts__error_set(err, (enum ebts__code_id)i, 0, -1, NULL,
                            "%zu finding%s %s beyond the first %d, whose details were not kept",
                            l->lost[i], l->lost[i] == 1 ? "" : "s", codes[i].code, EBTS__MAX_DIAGS);
            return 1;
        }
    }
    return 0;
}

static void error_setv(ebts_error *err, const char *code, size_t offset, long rec, const char *tag,
                       const char *fmt, va_list ap)
{
    err->code = code;
    err->offset = offset;
    err->record = rec;
    snprintf(err->tag, sizeof err->tag, "%s", tag ? tag : "");
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
}

void ebts__error_set(ebts_error *err, enum ebts__code_id code, size_t offset, long rec,
                     const char *tag, const char *fmt, ...)
{
    if (!err || err->code)
        return; /* the first error wins */
    va_list ap;
    va_start(ap, fmt);
    error_setv(err, codes[code].code, offset, rec, tag, fmt, ap);
    va_end(ap);
}

static void error_set_named(ebts_error *err, const char *code, size_t offset, long rec,
                            const char *tag, const char *fmt, ...)
{
    if (!err || err->code)
        return;
    va_list ap;
    va_start(ap, fmt);
    error_setv(err, code, offset, rec, tag, fmt, ap);
    va_end(ap);
}

void ebts__error_from_diag(ebts_error *err, const ebts_diag *d)
{
    error_set_named(err, d->code, d->offset, d->record, d->tag, "%s", d->msg);
}

void ebts__error_oom(ebts_error *err)
{
    ebts__error_set(err, EBTS__C_OUT_OF_MEMORY, 0, -1, NULL, "out of memory");
}

static void insertion_sort(ebts_diag *d, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        if (d[i].offset >= d[i - 1].offset)
            continue;
        ebts_diag x = d[i];
        size_t j = i;
        while (j > 0 && d[j - 1].offset > x.offset) {
            d[j] = d[j - 1];
            j--;
        }
        d[j] = x;
    }
}

/* Stable sort by offset: findings at the same offset keep the order they were found in.
 * Insertion sort is quadratic when two passes interleave (validation appends per-field findings,
 * then per-record ones), so runs of 16 are sorted that way and then merged bottom-up. Without
 * memory for the merge buffer the list is still sorted, more slowly. */
void ebts__dlist_sort(ebts__dlist *l)
{
    size_t n = l->n, i;
    for (i = 1; i < n && l->d[i].offset >= l->d[i - 1].offset; i++)
        ;
    if (i >= n)
        return; /* already in order: the usual case */
    enum { RUN = 16 };
    ebts_diag *tmp = n > RUN ? malloc(n * sizeof *tmp) : NULL;
    if (!tmp) {
        insertion_sort(l->d, n);
        return;
    }
    for (i = 0; i < n; i += RUN)
        insertion_sort(l->d + i, n - i < RUN ? n - i : RUN);
    ebts_diag *src = l->d, *dst = tmp;
    for (size_t w = RUN; w < n; w *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * w) {
            size_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
            size_t a = lo, b = mid, k = lo;
            while (a < mid && b < hi)
                dst[k++] = src[b].offset < src[a].offset ? src[b++] : src[a++];
            while (a < mid)
                dst[k++] = src[a++];
            while (b < hi)
                dst[k++] = src[b++];
        }
        ebts_diag *x = src;
        src = dst;
        dst = x;
    }
    if (src != l->d)
        memcpy(l->d, src, n * sizeof *src);
    free(tmp);
}

size_t ebts__dlist_errors(const ebts__dlist *l, int strict)
{
    size_t n = 0;
    for (size_t i = 0; i < l->n; i++)
        if (l->d[i].severity >= EBTS_SEV_ERROR || (strict && l->d[i].recovered))
            n++;
    return n + lost_count(l, 1, strict);
}

size_t ebts_txn_diag_count(const ebts_txn *t)
{
    return t ? t->dl.n : 0;
}

const ebts_diag *ebts_txn_diag(const ebts_txn *t, size_t index)
{
    return t && index < t->dl.n ? &t->dl.d[index] : NULL;
}

size_t ebts_txn_error_count(const ebts_txn *t, int strict)
{
    return t ? ebts__dlist_errors(&t->dl, strict) : 0;
}

const char *ebts_diag_format(const ebts_diag *d, const char *path, int strict, char *buf,
                             size_t size)
{
    if (!buf || size == 0)
        return "";
    if (!d) {
        buf[0] = 0;
        return buf;
    }
    int sev = d->severity;
    if (strict && d->recovered)
        sev = EBTS_SEV_ERROR;
    snprintf(buf, size, "%s:%zu: %s: %s%s%.*s: %.*s", path ? path : "-", d->offset,
             ebts_severity_name(sev), d->code ? d->code : "", d->tag[0] ? " " : "",
             (int)sizeof d->tag, d->tag, (int)sizeof d->msg, d->msg);
    return buf;
}
