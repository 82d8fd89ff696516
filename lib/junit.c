/* JUnit XML reports (the de facto schema CI systems read: testsuites/testsuite/testcase/failure),
 * written with libxml2's text writer so that every name and message is escaped. */
#include <stdlib.h>
#include <string.h>
#include <libxml/xmlwriter.h>
#include "internal.h"

typedef struct jcase {
    char *name, *failure, *details;
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

static char *dup_or_null(const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
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

int ebts_junit_add(ebts_junit *j, const char *name, const char *failure, const char *details)
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
    c->failure = dup_or_null(failure);
    c->details = dup_or_null(details);
    if (!c->name || (failure && !c->failure) || (details && !c->details)) {
        free(c->name);
        free(c->failure);
        free(c->details);
        return -1;
    }
    j->n++;
    return 0;
}

static int write_doc(const ebts_junit *j, xmlTextWriterPtr w)
{
    size_t failures = 0;
    for (size_t i = 0; i < j->n; i++)
        failures += j->cases[i].failure != NULL;
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
    if (xmlTextWriterWriteAttribute(w, BAD_CAST "failures", BAD_CAST num) < 0 ||
        xmlTextWriterWriteAttribute(w, BAD_CAST "errors", BAD_CAST "0") < 0)
        return -1;
    for (size_t i = 0; i < j->n; i++) {
        const jcase *c = &j->cases[i];
        if (xmlTextWriterStartElement(w, BAD_CAST "testcase") < 0 ||
            xmlTextWriterWriteAttribute(w, BAD_CAST "classname", BAD_CAST j->suite) < 0 ||
            xmlTextWriterWriteAttribute(w, BAD_CAST "name", BAD_CAST c->name) < 0)
            return -1;
        if (c->failure) {
            if (xmlTextWriterStartElement(w, BAD_CAST "failure") < 0 ||
                xmlTextWriterWriteAttribute(w, BAD_CAST "message", BAD_CAST c->failure) < 0 ||
                xmlTextWriterWriteAttribute(w, BAD_CAST "type", BAD_CAST "invalid") < 0 ||
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
        ebts__error_set(err, "BAD_ARGUMENT", 0, -1, NULL, "no report or stream");
        return -1;
    }
    ebts__xml_init();
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
        ebts__error_set(err, "IO_ERROR", 0, -1, NULL, "could not write the JUnit report");
    return rc;
}

void ebts_junit_free(ebts_junit *j)
{
    if (!j)
        return;
    for (size_t i = 0; i < j->n; i++) {
        free(j->cases[i].name);
        free(j->cases[i].failure);
        free(j->cases[i].details);
    }
    free(j->cases);
    free(j->suite);
    free(j);
}
