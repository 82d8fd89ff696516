/* JUnit XML reports (the de facto schema CI systems read: testsuites/testsuite/testcase with
 * failure or error; a case's classname is its file's directory, its time in seconds), written
 * with libxml2's text writer so that every name and message is escaped. A byte XML cannot
 * carry (not well-formed UTF-8, or a control character other than tab, newline and carriage
 * return) is written as the four characters \xHH, so any file name leaves the report
 * well-formed. */
#include <stdlib.h>
#include <string.h>
#include "xmlapi.h"
#include "internal.h"

typedef struct jcase {
    char *name, *classname, *failure, *details;
    double seconds;
    char *error; /* the code of an error case (the input could not be checked), or NULL */
} jcase;

struct ebts_junit {
    char *suite;
    jcase *cases;
    size_t n, cap;
};

char *ebts_redact_message(char *msg)
{
    char quote = 0;
    for (char *c = msg; c && *c; c++) {
        if (!quote && (*c == '"' || *c == '\'')) {
            char *end = strchr(c + 1, *c);
            if (end) {
                quote = *c;
                continue;
            }
        } else if (quote && *c == quote) {
            quote = 0;
            continue;
        }
        if (quote)
            *c = '*';
    }
    return msg;
}

/* A code point XML 1.0 can carry (its production Char). */
static int xml_char(unsigned cp)
{
    return cp == 0x9 || cp == 0xa || cp == 0xd || (cp >= 0x20 && cp <= 0xd7ff) ||
           (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}

/* A copy of s in which every byte XML cannot carry is the text \xHH. */
static char *dup_or_null(const char *s)
{
    static const char hx[] = "0123456789abcdef";
    if (!s)
        return NULL;
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s);
    if (n > (SIZE_MAX - 1) / 4)
        return NULL;
    char *d = malloc(4 * n + 1), *o = d;
    if (!d)
        return NULL;
    for (size_t i = 0; i < n;) {
        unsigned cp;
        size_t len = ebts__utf8_seq(p + i, n - i, &cp);
        if (len && xml_char(cp)) {
            memcpy(o, p + i, len);
            o += len;
            i += len;
        } else {
            *o++ = '\\';
            *o++ = 'x';
            *o++ = hx[p[i] >> 4];
            *o++ = hx[p[i] & 15];
            i++;
        }
    }
    *o = 0;
    return d;
}

ebts_junit *ebts_junit_new(const char *suite_name)
{
    ebts_junit *j = calloc(1, sizeof *j);
    if (j && !(j->suite = dup_or_null(suite_name ? suite_name : "libebts"))) {
        free(j);
        return NULL;
    }
    return j;
}

/* The directory part of a case's name: "in/sub" of "in/sub/a.eft", "/" of "/a.eft", "." of
 * "a.eft". */
static char *dir_of(const char *name)
{
    const char *slash = strrchr(name, '/');
    size_t n = !slash ? 0 : slash == name ? 1 : (size_t)(slash - name);
    char *d = malloc(n + 2);
    if (!d)
        return NULL;
    if (n)
        memcpy(d, name, n);
    else
        d[n++] = '.';
    d[n] = 0;
    char *x = dup_or_null(d);
    free(d);
    return x;
}

static int add(ebts_junit *j, const char *name, const char *failure, const char *details,
               const char *error)
{
    if (!j || !name)
        return -1;
    if (j->n == j->cap) {
        size_t cap = j->cap ? j->cap * 2 : 32;
        jcase *c = realloc(j->cases, cap * sizeof *c);
        if (!c)
            return -1;
        j->cases = c;
        j->cap = cap;
    }
    jcase *c = &j->cases[j->n];
    c->name = dup_or_null(name);
    c->classname = dir_of(name);
    c->seconds = 0;
    c->failure = dup_or_null(failure);
    c->details = dup_or_null(details);
    c->error = dup_or_null(error);
    if (!c->name || !c->classname || (failure && !c->failure) || (details && !c->details) ||
        (error && !c->error)) {
        free(c->name);
        free(c->classname);
        free(c->failure);
        free(c->details);
        free(c->error);
        return -1;
    }
    j->n++;
    return 0;
}

int ebts_junit_add(ebts_junit *j, const char *name, const char *failure, const char *details)
{
    return add(j, name, failure, details, NULL);
}

int ebts_junit_add_error(ebts_junit *j, const char *name, const char *code, const char *message)
{
    if (!code || !message)
        return -1;
    return add(j, name, message, NULL, code);
}

int ebts_junit_set_time(ebts_junit *j, double seconds)
{
    if (!j || !j->n || !(seconds >= 0) || seconds > 1e12) /* NaN fails the comparison */
        return -1;
    j->cases[j->n - 1].seconds = seconds;
    return 0;
}

static int write_doc(const ebts_junit *j, xmlTextWriterPtr w)
{
    size_t failures = 0, errors = 0;
    for (size_t i = 0; i < j->n; i++) {
        errors += j->cases[i].error != NULL;
        failures += j->cases[i].failure && !j->cases[i].error;
    }
    char num[32];
    if (xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL) < 0 ||
        xmlTextWriterStartElement(w, BAD_CAST "testsuites") < 0 ||
        xmlTextWriterStartElement(w, BAD_CAST "testsuite") < 0 ||
        xmlTextWriterWriteAttribute(w, BAD_CAST "name", BAD_CAST j->suite) < 0)
        return -1;
    snprintf(num, sizeof num, "%zu", j->n);
    if (xmlTextWriterWriteAttribute(w, BAD_CAST "tests", BAD_CAST num) < 0)
        return -1;
    snprintf(num, sizeof num, "%zu", failures);
    if (xmlTextWriterWriteAttribute(w, BAD_CAST "failures", BAD_CAST num) < 0)
        return -1;
    snprintf(num, sizeof num, "%zu", errors);
    if (xmlTextWriterWriteAttribute(w, BAD_CAST "errors", BAD_CAST num) < 0)
        return -1;
    for (size_t i = 0; i < j->n; i++) {
        const jcase *c = &j->cases[i];
        if (xmlTextWriterStartElement(w, BAD_CAST "testcase") < 0 ||
            xmlTextWriterWriteAttribute(w, BAD_CAST "classname", BAD_CAST c->classname) < 0 ||
            xmlTextWriterWriteAttribute(w, BAD_CAST "name", BAD_CAST c->name) < 0)
            return -1;
        snprintf(num, sizeof num, "%.6f", c->seconds);
        if (xmlTextWriterWriteAttribute(w, BAD_CAST "time", BAD_CAST num) < 0)
            return -1;
        if (c->failure) {
            const char *type = c->error ? c->error : "invalid";
            if (xmlTextWriterStartElement(w, BAD_CAST(c->error ? "error" : "failure")) < 0 ||
                xmlTextWriterWriteAttribute(w, BAD_CAST "message", BAD_CAST c->failure) < 0 ||
                xmlTextWriterWriteAttribute(w, BAD_CAST "type", BAD_CAST type) < 0 ||
                (c->details && xmlTextWriterWriteString(w, BAD_CAST c->details) < 0) ||
                xmlTextWriterEndElement(w) < 0)
                return -1;
        }
        if (xmlTextWriterEndElement(w) < 0)
            return -1;
    }
    if (xmlTextWriterEndElement(w) < 0 || xmlTextWriterEndElement(w) < 0 ||
        xmlTextWriterEndDocument(w) < 0)
        return -1;
    return 0;
}

int ebts_junit_write(const ebts_junit *j, FILE *fp, ebts_error *err)
{
    if (!j || !fp) {
        ebts__error_set(err, EBTS__C_BAD_ARGUMENT, 0, -1, NULL, "no report or stream");
        return -1;
    }
    if (ebts__xml_init(err) < 0)
        return -1;
    xmlBufferPtr buf = xmlBufferCreate();
    xmlTextWriterPtr w = buf ? xmlNewTextWriterMemory(buf, 0) : NULL;
    if (!w) {
        xmlBufferFree(buf);
        ebts__error_oom(err);
        return -1;
    }
    xmlTextWriterSetIndent(w, 1);
    int rc = write_doc(j, w);
    xmlFreeTextWriter(w); /* flushes into buf */
    if (rc == 0 && fwrite(xmlBufferContent(buf), 1, (size_t)xmlBufferLength(buf), fp) !=
                       (size_t)xmlBufferLength(buf))
        rc = -1;
    xmlBufferFree(buf);
    if (rc < 0)
        ebts__error_set(err, EBTS__C_IO_ERROR, 0, -1, NULL, "could not write the JUnit report");
    return rc;
}

void ebts_junit_free(ebts_junit *j)
{
    if (!j)
        return;
    for (size_t i = 0; i < j->n; i++) {
        free(j->cases[i].name);
        free(j->cases[i].classname);
        free(j->cases[i].failure);
        free(j->cases[i].details);
        free(j->cases[i].error);
    }
    free(j->cases);
    free(j->suite);
    free(j);
}
