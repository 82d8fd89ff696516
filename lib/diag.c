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
    {"EMPTY_INPUT", E, 0, "the input has no bytes",
     "check that the file was transferred completely: an empty file is no transaction"},
    {"NOT_TRANSACTION", E, 0, "the input does not begin with a Type-1 record (1.001:LEN)",
     "check that the file is an EBTS / ANSI/NIST-ITL transaction: one begins 1.001:"},
    {"INPUT_TOO_LARGE", E, 0, "the input is larger than the configured limit",
     "raise max_input (ebts_read_options) when the file is genuine, else refuse it"},
    {"GZIP_ERROR", E, 0, "gzip-compressed input could not be inflated",
     "obtain the file again: its compressed data is truncated or corrupt"},
    {"IO_ERROR", E, 0, "the input could not be read or the output written",
     "check the path, the permissions and the free space, then try again"},
    {"OUT_OF_MEMORY", E, 0, "memory ran out",
     "free memory or raise the process's limits, then try again"},
    {"LIMIT_EXCEEDED", E, 0, "more records, fields or items than the configured limits",
     "raise max_records, max_fields or max_items when the file is genuine, else refuse it"},
    {"READABLE_SYNTAX", E, 0, "readable notation: a malformed <HEX:...>, an unterminated token, or a mnemonic that is not its tag's",
     "correct the token: <HEX:...> takes pairs of hex digits, every <...> must be closed, and \"2.018 NAM:\" names its tag's mnemonic"},
    {"TOO_MANY_DIAGNOSTICS", W, 0, "further diagnostics were left out",
     "fix the findings reported first: the file is badly damaged"},
    {"LEN_MISMATCH", E, 1, "LEN differs from the record's real length; the separators win",
     "have the sender correct LEN; ebts-conv writes the record with its real length"},
    {"LEN_INVALID", E, 1, "LEN is not a decimal number",
     "have the sender write LEN as decimal digits; ebts-conv writes it so"},
    {"LEN_MISSING", E, 1, "the record does not begin with its LEN field (T.001)",
     "have the sender begin every record with T.001 LEN; ebts-conv writes it"},
    {"LEN_BEYOND_END", E, 1, "LEN runs past the end of the input",
     "check that the file is complete (cut short in transfer?), then have LEN corrected"},
    {"BINARY_LEN_TOO_SMALL", E, 0, "a binary record's LEN is smaller than its header",
     "have the sender correct the binary record's LEN: the record cannot be read"},
    {"DATA_RESYNC", E, 1, "LEN of a record with binary data does not end on FS; resynchronised",
     "have the sender correct the LEN of the record with binary data"},
    {"MISSING_FS", E, 1, "the record is not terminated by FS",
     "have the sender end every record with FS; ebts-conv writes it"},
    {"SEPARATOR_BEFORE_TAG", E, 1, "RS or US stands where GS belongs, before the next tag",
     "have the sender end every field with GS; ebts-conv writes it"},
    {"VALUE_READS_AS_TAG", W, 0, "an item begins with T.N: of its record: written traditionally, "
                                 "it reads as a new field",
     "change the value, or send the transaction in the XML encoding, where it reads as sent"},
    {"BAD_TAG", E, 1, "a field does not begin with a tag T.N:; its bytes are kept",
     "have the sender begin every field with its T.N: tag"},
    {"TAG_NUMBER_TOO_LONG", E, 1, "a tag number has more than 9 digits",
     "have the sender correct the tag: no field number has more than 9 digits"},
    {"TAG_TYPE_MISMATCH", W, 0, "a tag's record type differs from its record's type",
     "have the sender write the record's own type in its tags"},
    {"SHORT_TAG", W, 0, "field numbers in tags written with fewer than 3 digits (1.01:)",
     "nothing to read it; write field numbers with 3 digits (ebts-conv does)"},
    {"DUPLICATE_FIELD", W, 0, "a field number occurs twice in one record",
     "have the sender send one field with several subfields instead"},
    {"CNT_MISSING", E, 1, "Type-1 has no usable 1.003 CNT; records were found by their bytes",
     "have the sender include 1.003 CNT listing every record; ebts-conv derives it"},
    {"CNT_INVALID", E, 1, "a 1.003 CNT subfield is not two numbers",
     "have the sender write each CNT subfield as record type US IDC; ebts-conv derives it"},
    {"CNT_COUNT_MISMATCH", W, 1, "the count in CNT's first subfield differs from its entries",
     "have the sender correct the count in 1.003's first subfield; ebts-conv derives it"},
    {"CNT_TYPE_MISMATCH", E, 1, "a record's type differs from the type CNT announces for it",
     "have the sender make CNT and the records agree; ebts-conv derives CNT from the records"},
    {"CNT_IDC_MISMATCH", E, 1, "a record's IDC differs from the IDC CNT announces for it",
     "have the sender make CNT and the records' IDCs agree; ebts-conv derives CNT"},
    {"RECORD_MISSING", E, 1, "CNT announces a record that is not in the input",
     "ask for the transaction again with every record CNT announces"},
    {"RECORD_NOT_IN_CNT", E, 1, "a record is present that CNT does not announce",
     "have the sender list the record in CNT; ebts-conv derives CNT from the records"},
    {"TRAILING_BYTES", W, 1, "bytes after the last record; not part of the transaction",
     "check for a file padded or joined to another; the bytes are left out when written"},
    {"UNREADABLE_BYTES", E, 0, "bytes that cannot be framed as records; kept, not written",
     "ask for the transaction again: these bytes are lost when it is written"},
    {"LEADING_SPACE", W, 1, "a value begins with a space",
     "remove the leading space from the value (ebts-conv --fix)"},
    {"NON_ASCII", W, 1, "a byte above 0x7F in 7-bit ASCII data (DCS declares no other set)",
     "replace it with ASCII (ebts-conv --fix does for typographic quotes) or declare 1.015 DCS"},
    {"BAD_ARGUMENT", E, 0, "an API call or edit with an argument out of range or not allowed",
     "correct the call or edit: the function's comment in ebts.h gives what it accepts"},
    /* validation */
    {"FIELD_MISSING", E, 0, "a field the profile makes mandatory (for this TOT) is absent",
     "add the field, with a value the profile allows"},
    {"FIELD_NOT_ALLOWED", W, 0, "a field the profile does not define for this TOT (or IMT)",
     "remove the field, or validate with a profile that defines it"},
    {"FIELD_FORBIDDEN", E, 0, "a field the profile forbids for this TOT",
     "remove the field from transactions of this TOT"},
    {"OCCURRENCE_COUNT", E, 0, "more or fewer occurrences (subfields) than the field allows",
     "send as many occurrences (subfields) as the field allows"},
    {"ITEM_COUNT", E, 0, "more information items than the field defines",
     "remove the information items the field does not define"},
    {"CHARSET_INVALID", E, 0, "a character the field's type (A, N, AN, ANS, AS, NS) does not allow",
     "replace the characters the field's type does not allow"},
    {"LENGTH_INVALID", E, 0, "a value shorter or longer than the field allows",
     "shorten or complete the value to a length the field allows"},
    {"VALUE_NOT_ALLOWED", E, 0, "a value outside the field's value set",
     "use one of the values the profile lists for the field"},
    {"DATE_INVALID", E, 0, "a date or time that is no real CCYYMMDD date or YYYYMMDDhhmmssZ time",
     "write a real date as CCYYMMDD, or a time as YYYYMMDDhhmmssZ"},
    {"FORMAT_INVALID", E, 0, "a value not of the field's form (NN.NN, no leading blank, no period)",
     "write the value in the field's form (the message names it)"},
    {"ERS_LINE_TOO_LONG", W, 0, "2.075 lines longer than 74 bytes with line control",
     "break the 2.075 text into lines of at most 74 bytes"},
    {"TOT_UNKNOWN", E, 0, "1.004 TOT is not a transaction type of the profile",
     "use a TOT the profile defines, or validate with the profile that defines this one"},
    {"VER_UNKNOWN", E, 0, "1.002 VER is no ANSI/NIST-ITL version",
     "set 1.002 VER to the ANSI/NIST-ITL version the transaction follows (0500 for EBTS 10)"},
    {"VER_UNEXPECTED", W, 0, "1.002 VER is a version other than the profile's",
     "check the version, or validate with the profile of that version (--profile ebts-9.1)"},
    {"RECORD_COUNT", E, 0, "more or fewer records of a type than the TOT allows",
     "add or remove records of the type until the TOT's count is met"},
    {"RECORD_NOT_ALLOWED", E, 0, "a record type that is not part of the TOT",
     "remove the record, or send it with a TOT that allows it"},
    {"RECORD_DEPRECATED", W, 0, "a Type-3, Type-5 or Type-6 record, fingerprint types ANSI/NIST-ITL 1-2011 deprecates",
     "send the fingerprint image as a Type-14 record (or Type-4) instead"},
    {"IDC_DUPLICATE", E, 0, "two records of one type share an IDC",
     "give every record of a type its own IDC, and CNT the same"},
    {"FIELD_ORDER", W, 0, "the second field is not VER (Type-1) or IDC (other records)",
     "put VER (Type-1) or IDC (other records) right after LEN"},
    {"SAP_MISSING", W, 0, "10.013 SAP absent in a FACE record (mandatory in EBTS 10)",
     "add 10.013 SAP (the subject acquisition profile) to the FACE record"},
    {"IMAGE_EMPTY", E, 0, "the image field 10.999 is empty",
     "put the image data in 10.999, or remove the record"},
    {"IMAGE_FORMAT_MISMATCH", E, 0, "the image data is not the format 10.011 CGA names",
     "set 10.011 CGA to the image's real format, or convert the image"},
    {"IMAGE_SIZE_MISMATCH", E, 0, "the image's width or height differs from 10.006 HLL / 10.007 VLL",
     "set 10.006 HLL and 10.007 VLL to the image's real width and height"},
    {"IMAGE_UNREADABLE", E, 0, "no frame header with the image's width and height",
     "check the image data: it is cut short or not the format declared"},
    {"IDR_MARKER_RUN_IN", W, 1, "2.075: the MATCH / NO MATCH marker runs into the next line",
     "nothing to read it; the sender should end the marker's line with CR LF"},
    {"IDR_TEXT_UNPLACED", W, 0, "2.075: an IDR/IAR line the parser cannot place; kept",
     "read the line in the report; when the IDR layout has changed, report it with the file"},
    {"GEN_INVALID", E, 0, "a response the FBI would not send, or one the options and submission cannot make",
     "correct the options or submission values the message names (ebts-gen --help)"},
    {"XML_SYNTAX", E, 0, "XML input that is not well-formed",
     "correct the XML where the message points: it must be well-formed"},
    {"XML_DTD_FORBIDDEN", E, 0, "XML input with a DTD: refused (entities are an attack vector)",
     "remove the DOCTYPE: the XML encoding needs none"},
    {"XML_NOT_TRANSACTION", E, 0, "XML whose root is not itl:NISTBiometricInformationExchangePackage",
     "check that the document is an ANSI/NIST-ITL XML transaction, namespaces included"},
    {"XML_UNKNOWN_ELEMENT", W, 0, "an XML element the mapping does not know; reported, left out",
     "check the element's spelling and namespace: its content is not read"},
    {"XML_ELEMENT_UNPLACED", E, 0, "an XML element with data no field can take; left out",
     "the line names the element: move it where the FBI's schema puts it, or carry the value in "
     "lebts:Field"},
    {"XML_VALUE_INVALID", E, 0, "an XML value not of the form its element needs; kept as given",
     "write the element's value in the form its element requires"},
    {"PROFILE_INVALID", E, 0, "a profile that is unknown, not well-formed or not valid by the XSD",
     "name a built-in profile (--profile list), or fix the profile file where the message points"},
    {"NO_INPUT", E, 0, "ebts-validate: no transaction file among the inputs (empty directory)",
     "name transaction files, or a folder holding files with a known extension"},
    {"NOT_REGULAR", W, 0, "ebts-validate: a FIFO, socket or device met in a walk; never opened",
     "nothing: special files are never read; move them out of the folder to silence this"},
    {"XML_VALUE_CARRIED", W, 0, "a value XML text cannot hold (control character, byte that is "
                                "no UTF-8) is written to lebts:Field in base64, not its element",
     "nothing is lost; a receiver that does not read lebts:Field needs the value in plain text"},
    {"CONTROL_CHARACTER", E, 0, "a control character (0x00-0x06, 0x0E-0x1B, 0x7F) in text",
     "remove the control character from the value; EBTS text never carries one"},
    {"ITEM_EMPTY", E, 0, "an empty information item where the field requires a value",
     "fill the item, or leave out the subfield if the field allows fewer"},
    {"IDR_SRF_MISMATCH", E, 0, "IDENT response: 2.059 SRF disagrees with the MATCH / NO MATCH marker",
     "treat the response as doubtful and ask CJIS: SRF and the 2.075 text must agree"},
    {"IDR_ENCOUNTER_COUNT", E, 0, "IDENT response: more than five encounters, or a match without one",
     "ask CJIS for the response again: an IDR carries one to five encounters on a match"},
    {"IDR_ENCOUNTER_INCOMPLETE", E, 0, "IDENT response: an encounter without EID, NAME, DOB, POB or SEX",
     "read the encounter with care: the IDR gives all five for each"},
    {"IDR_NOMATCH_CONTENT", E, 0, "IDENT response: a no-match carrying encounters, an IAR or photos",
     "treat the response as doubtful and ask CJIS: a no-match carries none of these"},
    {"IDR_PHOTO_COUNT", E, 0, "IDENT response: more Type-10 photos than encounters",
     "ask CJIS for the response again: there is at most one photo per encounter"},
    {"IDR_PHOTO_ATTACHED", W, 0, "IDENT response: \"Photo Attached\" and the Type-10 records disagree",
     "look for the photo in the Type-10 records; the FBI's own sample shows this defect"},
    {"DOA_TOO_OLD", W, 0, "a CAR's 2.045 DOA (or 2.038 DPR) is more than seven days before 1.005 DAT: the FBI rejects it (L0013)",
     "send the CAR within seven days of the arrest, or as the TOT the FBI accepts for older prints"},
    {"READABLE_SUMMARY", E, 0, "readable notation: <SUMMARY ...> stands for binary data whose bytes were not written",
     "write the transaction again with every byte (ebts-conv --full, or without EBTS_WRITE_SUMMARY)"},
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
        ebts__error_set(err, "BAD_ARGUMENT", 0, -1, NULL, "%s%.60s%s",
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
    *recovery = i < EBTS__NCODES ? codes[i].recovery : 0;
    if (l->lost_sev[i])
        return l->lost_sev[i];
    return i < EBTS__NCODES ? codes[i].severity : EBTS_SEV_ERROR;
}

static const char note_code[] = "TOO_MANY_DIAGNOSTICS";

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
        if (*f != '%') {
            if (k + 1 < size)
                out[k++] = *f;
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

void ebts__diag_add(ebts__dlist *t, const char *code, size_t offset, long rec, unsigned rtype,
                    unsigned field, long sub, long item, const char *fmt, ...)
{
    t->added++;
    if (t->oom)
        return;
    /* findings come in runs of one code (a hostile input repeats its defect): look the code up
     * in the table only when it changes */
    if (code != t->memo_code) {
        t->memo = ebts__code_find(code);
        t->memo_code = code;
    }
    const ebts__code *c = t->memo;
    int too_many = t->n >= EBTS__MAX_DIAGS;
    if (too_many) {
        /* counted, not kept; the first one beyond the limit brings the note */
        t->lost[c ? (size_t)(c - codes) : EBTS__NCODES]++;
        if (t->n > EBTS__MAX_DIAGS)
            return;
        c = ebts__code_find(note_code);
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
    else if (quick_fmt_ok(fmt))
        quick_format(d->msg, sizeof d->msg, fmt, ap);
    else
        vsnprintf(d->msg, sizeof d->msg, fmt, ap);
    va_end(ap);
    /* messages may quote input bytes: keep them printable ASCII */
    for (char *m = d->msg; *m; m++)
        if ((unsigned char)*m < 0x20 || (unsigned char)*m >= 0x7f)
            *m = '?';
}

static size_t lost_count(const ebts__dlist *l, int errors, int strict)
{
    size_t n = 0;
    for (size_t i = 0; i <= EBTS__NCODES; i++) {
        int recovery, sev = lost_severity(l, i, &recovery);
        if (!errors || sev >= EBTS_SEV_ERROR || (strict && recovery))
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
    for (size_t i = 0; i < from->n; i++) {
        const ebts_diag *d = &from->d[i];
        if (strcmp(d->code, note_code) == 0)
            continue;
        ebts__diag_add(l, d->code, d->offset, d->record, 0, 0, d->subfield, d->item, "%s", d->msg);
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
        ebts__diag_add(l, note_code, 0, -1, 0, 0, -1, -1, "%s", "");
        l->lost[(size_t)(ebts__code_find(note_code) - codes)]--;
    }
    for (size_t i = 0; i <= EBTS__NCODES; i++)
        l->lost[i] += from->lost[i];
}

void ebts__dlist_lost_severity(ebts__dlist *l, const char *code, int severity)
{
    const ebts__code *c = ebts__code_find(code);
    size_t i = c ? (size_t)(c - codes) : EBTS__NCODES;
    if (!l->lost[i])
        return;
    if (severity == 0)
        l->lost[i] = 0;
    else
        l->lost_sev[i] = (signed char)severity;
}

void ebts__dlist_note(ebts__dlist *l)
{
    size_t more = lost_count(l, 0, 0), errors = lost_count(l, 1, 0);
    for (size_t i = 0; more && i < l->n; i++)
        if (strcmp(l->d[i].code, note_code) == 0)
            snprintf(l->d[i].msg, sizeof l->d[i].msg,
                     "%zu more finding%s not kept (%zu error%s, %zu warning%s): the list stops "
                     "at %d",
                     more, more == 1 ? "" : "s", errors, errors == 1 ? "" : "s", more - errors,
                     more - errors == 1 ? "" : "s", EBTS__MAX_DIAGS);
}

int ebts__dlist_lost_error(const ebts__dlist *l, int strict, ebts_error *err)
{
    for (size_t i = 0; i <= EBTS__NCODES; i++) {
        int recovery, sev = lost_severity(l, i, &recovery);
        if (l->lost[i] && (sev >= EBTS_SEV_ERROR || (strict && recovery))) {
            ebts__error_set(err, i < EBTS__NCODES ? codes[i].code : note_code, 0, -1, NULL,
                            "%zu finding%s %s beyond the first %d, whose details were not kept",
                            l->lost[i], l->lost[i] == 1 ? "" : "s",
                            i < EBTS__NCODES ? codes[i].code : "of an unknown code",
                            EBTS__MAX_DIAGS);
            return 1;
        }
    }
    return 0;
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
