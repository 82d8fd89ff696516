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
    {"EMPTY_INPUT", E, 0, "the input has no bytes"},
    {"NOT_TRANSACTION", E, 0, "the input does not begin with a Type-1 record (1.001:LEN)"},
    {"INPUT_TOO_LARGE", E, 0, "the input is larger than the configured limit"},
    {"GZIP_ERROR", E, 0, "gzip-compressed input could not be inflated"},
    {"IO_ERROR", E, 0, "the input could not be read or the output written"},
    {"OUT_OF_MEMORY", E, 0, "memory ran out"},
    {"LIMIT_EXCEEDED", E, 0, "more records, fields or items than the configured limits"},
    {"READABLE_SYNTAX", E, 0, "readable notation: a malformed <HEX:...> or unterminated token"},
    {"TOO_MANY_DIAGNOSTICS", W, 0, "further diagnostics were left out"},
    {"LEN_MISMATCH", E, 1, "LEN differs from the record's real length; the separators win"},
    {"LEN_INVALID", E, 1, "LEN is not a decimal number"},
    {"LEN_MISSING", E, 1, "the record does not begin with its LEN field (T.001)"},
    {"LEN_BEYOND_END", E, 1, "LEN runs past the end of the input"},
    {"BINARY_LEN_TOO_SMALL", E, 0, "a binary record's LEN is smaller than its header"},
    {"DATA_RESYNC", E, 1, "LEN of a record with binary data does not end on FS; resynchronised"},
    {"MISSING_FS", E, 1, "the record is not terminated by FS"},
    {"SEPARATOR_BEFORE_TAG", E, 1, "RS or US stands where GS belongs, before the next tag"},
    {"VALUE_READS_AS_TAG", W, 0, "an item begins with T.N: of its record: written traditionally, "
                                 "it reads as a new field"},
    {"BAD_TAG", E, 1, "a field does not begin with a tag T.N:; its bytes are kept"},
    {"TAG_NUMBER_TOO_LONG", E, 1, "a tag number has more than 9 digits"},
    {"TAG_TYPE_MISMATCH", W, 0, "a tag's record type differs from its record's type"},
    {"SHORT_TAG", W, 0, "field numbers in tags written with fewer than 3 digits (1.01:)"},
    {"DUPLICATE_FIELD", W, 0, "a field number occurs twice in one record"},
    {"CNT_MISSING", E, 1, "Type-1 has no usable 1.003 CNT; records were found by their bytes"},
    {"CNT_INVALID", E, 1, "a 1.003 CNT subfield is not two numbers"},
    {"CNT_COUNT_MISMATCH", W, 1, "the count in CNT's first subfield differs from its entries"},
    {"CNT_TYPE_MISMATCH", E, 1, "a record's type differs from the type CNT announces for it"},
    {"CNT_IDC_MISMATCH", E, 1, "a record's IDC differs from the IDC CNT announces for it"},
    {"RECORD_MISSING", E, 1, "CNT announces a record that is not in the input"},
    {"RECORD_NOT_IN_CNT", E, 1, "a record is present that CNT does not announce"},
    {"TRAILING_BYTES", W, 1, "bytes after the last record; not part of the transaction"},
    {"UNREADABLE_BYTES", E, 0, "bytes that cannot be framed as records; kept, not written"},
    {"LEADING_SPACE", W, 1, "a value begins with a space"},
    {"NON_ASCII", W, 1, "a byte above 0x7F in 7-bit ASCII data (DCS declares no other set)"},
    {"BAD_ARGUMENT", E, 0, "an API call or edit with an argument out of range or not allowed"},
    /* validation */
    {"FIELD_MISSING", E, 0, "a field the profile makes mandatory (for this TOT) is absent"},
    {"FIELD_NOT_ALLOWED", W, 0, "a field the profile does not define for this TOT (or IMT)"},
    {"FIELD_FORBIDDEN", E, 0, "a field the profile forbids for this TOT"},
    {"OCCURRENCE_COUNT", E, 0, "more or fewer occurrences (subfields) than the field allows"},
    {"ITEM_COUNT", E, 0, "more information items than the field defines"},
    {"CHARSET_INVALID", E, 0, "a character the field's type (A, N, AN, ANS, AS, NS) does not allow"},
    {"LENGTH_INVALID", E, 0, "a value shorter or longer than the field allows"},
    {"VALUE_NOT_ALLOWED", E, 0, "a value outside the field's value set"},
    {"DATE_INVALID", E, 0, "a date or time that is no real CCYYMMDD date or YYYYMMDDhhmmssZ time"},
    {"FORMAT_INVALID", E, 0, "a value not of the field's form (NN.NN, no leading blank, no period)"},
    {"ERS_LINE_TOO_LONG", W, 0, "2.075 lines longer than 74 bytes with line control"},
    {"TOT_UNKNOWN", E, 0, "1.004 TOT is not a transaction type of the profile"},
    {"VER_UNKNOWN", E, 0, "1.002 VER is no ANSI/NIST-ITL version"},
    {"VER_UNEXPECTED", W, 0, "1.002 VER is a version other than the profile's"},
    {"RECORD_COUNT", E, 0, "more or fewer records of a type than the TOT allows"},
    {"RECORD_NOT_ALLOWED", E, 0, "a record type that is not part of the TOT"},
    {"IDC_DUPLICATE", E, 0, "two records of one type share an IDC"},
    {"FIELD_ORDER", W, 0, "the second field is not VER (Type-1) or IDC (other records)"},
    {"SAP_MISSING", W, 0, "10.013 SAP absent in a FACE record (mandatory in EBTS 10)"},
    {"IMAGE_EMPTY", E, 0, "the image field 10.999 is empty"},
    {"IMAGE_FORMAT_MISMATCH", E, 0, "the image data is not the format 10.011 CGA names"},
    {"IMAGE_SIZE_MISMATCH", E, 0, "the image's width or height differs from 10.006 HLL / 10.007 VLL"},
    {"IMAGE_UNREADABLE", E, 0, "no frame header with the image's width and height"},
    {"IDR_MARKER_RUN_IN", W, 1, "2.075: the MATCH / NO MATCH marker runs into the next line"},
    {"IDR_TEXT_UNPLACED", W, 0, "2.075: an IDR/IAR line the parser cannot place; kept"},
    {"GEN_INVALID", E, 0, "a response the FBI would not send, or one the options and submission cannot make"},
    {"XML_SYNTAX", E, 0, "XML input that is not well-formed"},
    {"XML_DTD_FORBIDDEN", E, 0, "XML input with a DTD: refused (entities are an attack vector)"},
    {"XML_NOT_TRANSACTION", E, 0, "XML whose root is not itl:NISTBiometricInformationExchangePackage"},
    {"XML_UNKNOWN_ELEMENT", W, 0, "an XML element the mapping does not know; reported, left out"},
    {"XML_VALUE_INVALID", E, 0, "an XML value not of the form its element needs; kept as given"},
    {"PROFILE_INVALID", E, 0, "a profile that is unknown, not well-formed or not valid by the XSD"},
};
#undef W
#undef E

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

void ebts__diag_add(ebts__dlist *t, const char *code, size_t offset, long rec, unsigned rtype,
                    unsigned field, long sub, long item, const char *fmt, ...)
{
    t->added++;
    if (t->oom)
        return;
    int too_many = t->n >= EBTS__MAX_DIAGS;
    if (too_many) {
        if (t->n > EBTS__MAX_DIAGS)
            return;
        code = "TOO_MANY_DIAGNOSTICS";
        rec = -1;
        field = 0;
        sub = item = -1;
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
    /* findings come in runs of one code (a hostile input repeats its defect): look the code up
     * in the table only when it changes */
    if (code != t->memo_code) {
        t->memo = ebts__code_find(code);
        t->memo_code = code;
    }
    const ebts__code *c = t->memo;
    ebts_diag *d = &t->d[t->n++];
    memset(d, 0, sizeof *d);
    d->code = c ? c->code : code;
    d->severity = c ? c->severity : EBTS_SEV_ERROR;
    d->recovered = c ? c->recovery : 0;
    d->offset = offset;
    d->record = rec;
    make_tag(d->tag, sizeof d->tag, rtype, field);
    d->subfield = sub;
    d->item = item;
    va_list ap;
    va_start(ap, fmt);
    if (too_many)
        snprintf(d->msg, sizeof d->msg, "more than %d diagnostics; the rest are left out",
                 EBTS__MAX_DIAGS);
    else
        vsnprintf(d->msg, sizeof d->msg, fmt, ap);
    va_end(ap);
    /* messages may quote input bytes: keep them printable ASCII */
    for (char *m = d->msg; *m; m++)
        if ((unsigned char)*m < 0x20 || (unsigned char)*m >= 0x7f)
            *m = '?';
}

void ebts__error_set(ebts_error *err, const char *code, size_t offset, long rec, const char *tag,
                     const char *fmt, ...)
{
    if (!err || err->code)
        return; /* the first error wins */
    const ebts__code *c = ebts__code_find(code);
    err->code = c ? c->code : code;
    err->offset = offset;
    err->record = rec;
    snprintf(err->tag, sizeof err->tag, "%s", tag ? tag : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
}

void ebts__error_from_diag(ebts_error *err, const ebts_diag *d)
{
    ebts__error_set(err, d->code, d->offset, d->record, d->tag, "%s", d->msg);
}

void ebts__error_oom(ebts_error *err)
{
    ebts__error_set(err, "OUT_OF_MEMORY", 0, -1, NULL, "out of memory");
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
    return n;
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
    snprintf(buf, size, "%s:%zu: %s: %s%s%s: %s", path ? path : "-", d->offset,
             ebts_severity_name(sev), d->code, d->tag[0] ? " " : "", d->tag, d->msg);
    return buf;
}
