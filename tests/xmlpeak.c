/* Peak-memory test of the XML reader: reading a large XML transaction (many Type-10 records with
 * images, written by the library) holds at most twice the document plus the transaction read.
 * Every allocation is counted while it lives: the library's through malloc, calloc, realloc and
 * free (and strdup) wrapped at link time, libxml2's through xmlMemSetup. Prints the numbers. */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/xmlmemory.h>
#include "ebts.h"
#include "wrapalloc.h"

void __real_free(void *p);
void __wrap_free(void *p);

static size_t live, peak;

static void *counted(void *p)
{
    if (p) {
        live += malloc_usable_size(p);
        peak = live > peak ? live : peak;
    }
    return p;
}

void __wrap_free(void *p)
{
    if (p)
        live -= malloc_usable_size(p);
    __real_free(p);
}

void *__wrap_malloc(size_t n)
{
    return counted(__real_malloc(n));
}

void *__wrap_calloc(size_t n, size_t m)
{
    return counted(__real_calloc(n, m));
}

void *__wrap_realloc(void *p, size_t n)
{
    size_t old = p ? malloc_usable_size(p) : 0;
    void *q = __real_realloc(p, n);
    if (q || n == 0)
        live -= old;
    return counted(q);
}

char *__wrap_strdup(const char *s);
char *__wrap_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = __wrap_malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

#define RECORDS 24
#define IMAGE (1u << 20)

/* Type-1 and RECORDS Type-10 records of IMAGE bytes each, as XML. */
static unsigned char *make_xml(size_t *n)
{
    ebts_error err = {0};
    ebts_txn *t = ebts_txn_new("0500", &err);
    ebts_txn_set(t, 0, "TOT", "CAR", &err);
    ebts_txn_set(t, 0, "ORI", "WI013415Y", &err);
    ebts_txn_stamp(t, NULL, &err);
    unsigned char *img = malloc(IMAGE);
    if (!img)
        return NULL;
    unsigned x = 12345;
    for (size_t r = 1; r <= RECORDS; r++) {
        for (size_t i = 0; i < IMAGE; i++) {
            x = x * 1103515245u + 12345u;
            img[i] = (unsigned char)(x >> 16);
        }
        memcpy(img, "\xff\xd8\xff\xe0", 4);
        ebts_txn_insert_record(t, r, 10, (unsigned)r, &err);
        ebts_txn_set_field(t, r, 3, "FACE", 4, &err);
        ebts_txn_set_field(t, r, 11, "JPEGB", 5, &err);
        ebts_txn_set_field(t, r, 999, img, IMAGE, &err);
    }
    free(img);
    unsigned char *xml = NULL;
    if (err.code || ebts_write_buffer(t, EBTS_FORMAT_XML, &xml, n, &err) < 0) {
        fprintf(stderr, "xmlpeak: %s %s\n", err.code, err.msg);
        xml = NULL;
    }
    ebts_txn_free(t);
    return xml;
}

int main(void)
{
    if (xmlMemSetup(__wrap_free, __wrap_malloc, __wrap_realloc, __wrap_strdup) != 0)
        return 2;
    size_t n;
    unsigned char *xml = make_xml(&n);
    if (!xml)
        return 2;
    size_t before = live;
    peak = live;
    ebts_error err = {0};
    ebts_txn *t = ebts_read_buffer(xml, n, 0, &err);
    if (!t || ebts_txn_record_count(t) != RECORDS + 1) {
        fprintf(stderr, "xmlpeak: the XML does not read back: %s\n", err.msg);
        return 1;
    }
    size_t txn = live - before, reading = peak - before;
    printf("xmlpeak: XML %zu bytes, transaction %zu, peak while reading %zu (%.2f x the XML; "
           "bound 2 x XML + transaction = %zu)\n",
           n, txn, reading, (double)reading / (double)n, 2 * n + txn);
    int rc = reading <= 2 * n + txn ? 0 : 1;
    if (rc)
        printf("xmlpeak: FAIL: peak above the bound\n");
    ebts_txn_free(t);
    ebts_free(xml);
    return rc;
}
