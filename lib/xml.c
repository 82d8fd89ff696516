/* The ANSI/NIST-ITL 1-2011 XML (NIEM) encoding of the FBI's EBTS XML IEPDs, EBTS 10.0 and 11.2:
 * telling an XML document from the first bytes of an input, and loading libxml2. Reading it is
 * xmlread.c's, writing it xmlwrite.c's, both through the generated tables (xmlmap.c). This,
 * xmlread.c, xmlwrite.c, profile.c and junit.c are the only files that use libxml2 (through
 * xmlapi.h); each first calls ebts__xml_init(). */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#define EBTS__XMLAPI_OWN
#include "xmlapi.h"
#include "internal.h"
#include "xmlmap.h"

/* The Makefile gives the soname of the libxml2 it builds against (objdump); without it, the one
 * its version has: 2.14 changed it */
#ifndef EBTS__LIBXML2_SONAME
#if LIBXML_VERSION >= 21400
#define EBTS__LIBXML2_SONAME "libxml2.so.16"
#else
#define EBTS__LIBXML2_SONAME "libxml2.so.2"
#endif
#endif

struct ebts__xml_api ebts__xml;

/* A mutex, not pthread_once: the order it gives is one helgrind sees (it does not model
 * pthread_once), so tests/valgrind.sh can check that no thread races libxml2's loading. Once
 * per XML document, its cost does not show. A failed load is tried again at the next call: it
 * may have failed for want of memory. */
static pthread_mutex_t xml_init_lock = PTHREAD_MUTEX_INITIALIZER;
static int xml_initialised;

int ebts__xml_init(ebts_error *err)
{
    pthread_mutex_lock(&xml_init_lock);
    if (!xml_initialised) {
        /* RTLD_LOCAL: its names stay out of the program's; one the program links itself is
           the same library, found loaded */
        void *h = dlopen(EBTS__LIBXML2_SONAME, RTLD_NOW | RTLD_LOCAL);
        const char *missing = NULL;
        struct ebts__xml_api api;
#define EBTS__XML_LOOK(name)                                                                  \
    if (h && !missing && !(api.name = (__typeof__(api.name))dlsym(h, #name)))               \
        missing = #name;
        EBTS__XML_FUNCTIONS(EBTS__XML_LOOK)
#undef EBTS__XML_LOOK
        if (h && !missing && !(api.free_fn = (xmlFreeFunc *)dlsym(h, "xmlFree")))
            missing = "xmlFree";
        if (!h || missing) {
            const char *why = h ? missing : dlerror();
            ebts__error_set(err, EBTS__C_XML_UNAVAILABLE, 0, -1, NULL,
                            "cannot load %s%s: %s", EBTS__LIBXML2_SONAME,
                            h ? ", which lacks" : "", why ? why : "not found");
            if (h)
                dlclose(h);
            pthread_mutex_unlock(&xml_init_lock);
            return -1;
        }
        ebts__xml = api;
        ebts__xml.xmlInitParser();
        xml_initialised = 1;
    }
    pthread_mutex_unlock(&xml_init_lock);
    return 0;
}

/* The character at byte i of text in `width`-byte units (1: UTF-8 or ASCII; 2: UTF-16, little
 * endian when le): only ASCII is looked for, so the other byte of a UTF-16 unit must be 0. */
static int ascii_at(const unsigned char *p, size_t i, int width, int le)
{
    if (width == 1)
        return p[i];
    unsigned char lo = le ? p[i] : p[i + 1], hi = le ? p[i + 1] : p[i];
    return hi == 0 && lo < 0x80 ? lo : -1;
}

/* XML in UTF-8 or UTF-16 (either byte order, with or without a byte order mark, as XML 1.0
 * appendix F detects it) whose first 4096 characters name the transaction's root element. */
int ebts__xml_detect(const unsigned char *p, size_t n)
{
    static const char root[] = "NISTBiometricInformationExchangePackage";
    size_t i = 0;
    int width = 1, le = 0;
    if (n >= 3 && p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf) {
        i = 3;
    } else if (n >= 2 && ((p[0] == 0xff && p[1] == 0xfe) || (p[0] == 0xfe && p[1] == 0xff))) {
        width = 2;
        le = p[0] == 0xff;
        i = 2;
    } else if (n >= 2 && ((p[0] == '<' && p[1] == 0) || (p[0] == 0 && p[1] == '<'))) {
        width = 2;
        le = p[0] == '<';
    }
    n -= (n - i) % (size_t)width; /* whole units only */
    for (int c; i < n && ((c = ascii_at(p, i, width, le)) == ' ' || c == '\t' || c == '\r' ||
                          c == '\n');)
        i += (size_t)width;
    if (i >= n || ascii_at(p, i, width, le) != '<')
        return 0;
    size_t end = n - i < 4096 * (size_t)width ? n : i + 4096 * (size_t)width;
    size_t rlen = (sizeof root - 1) * (size_t)width;
    for (size_t k = i; k + rlen <= end; k += (size_t)width) {
        size_t m = 0;
        while (m < sizeof root - 1 && ascii_at(p, k + m * (size_t)width, width, le) == root[m])
            m++;
        if (m == sizeof root - 1)
            return 1;
    }
    return 0;
}

/* 1: p[0..n) begins with s, -1: it is shorter and s begins with it, 0: neither. */
static int begins(const unsigned char *p, size_t n, const char *s, size_t len)
{
    size_t m = n < len ? n : len;
    if (memcmp(p, s, m) != 0)
        return 0;
    return m == len ? 1 : -1;
}

/* libxml2 tells the encoding from the first bytes: UCS-4 in four byte orders, UTF-16 without a
 * byte order mark and EBCDIC by their first character '<' (or "<?"); a UTF-16 byte order mark;
 * else UTF-8, after its optional byte order mark. A document begins, in its encoding, with
 * white space or '<'. */
int ebts__xml_could_begin(const unsigned char *p, size_t n)
{
    static const char sig[][4] = {{0, 0, 0, '<'}, {'<', 0, 0, 0}, {0, 0, '<', 0}, {0, '<', 0, 0},
                                  {0, '<', 0, '?'}, {'<', 0, '?', 0}, {0x4c, 0x6f, (char)0xa7,
                                  (char)0x94}};
    int undecided = 0, b;
    for (size_t k = 0; k < sizeof sig / sizeof sig[0]; k++) {
        if ((b = begins(p, n, sig[k], 4)) > 0)
            return EBTS__COULD;
        undecided |= b < 0;
    }
    size_t i = 0, w = 1;
    int be = 0;
    if ((b = begins(p, n, "\xef\xbb\xbf", 3)) != 0) {
        i = 3;
    } else if ((b = begins(p, n, "\xfe\xff", 2)) != 0) {
        i = w = 2;
        be = 1;
    } else if ((b = begins(p, n, "\xff\xfe", 2)) != 0) {
        i = w = 2;
    }
    if (b < 0)
        return EBTS__UNDECIDED;
    for (; i + w <= n; i += w) {
        unsigned c = w == 1 ? p[i]
                     : be   ? (unsigned)p[i] << 8 | p[i + 1]
                            : (unsigned)p[i + 1] << 8 | p[i];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
            continue;
        return c == '<' ? EBTS__COULD : undecided ? EBTS__UNDECIDED : EBTS__CANNOT;
    }
    return EBTS__UNDECIDED;
}

/* The compression algorithms of the tagged image records, by number and label (ANSI/NIST-ITL
 * 1-2011 Table 15; EBTS 11.2 writes the number, the traditional encoding the label). */
static const char *const cga_labels[] = {"NONE", "WSQ20", "JPEGB", "JPEGL", "JP2", "JP2L", "PNG"};
static const char *const cga_numbers[] = {"0", "1", "2", "3", "4", "5", "6"};

const char *ebts__xml_cga_label(const char *number)
{
    for (size_t i = 0; i < sizeof cga_numbers / sizeof cga_numbers[0]; i++)
        if (strcmp(number, cga_numbers[i]) == 0)
            return cga_labels[i];
    return NULL;
}

const char *ebts__xml_cga_number(const unsigned char *label, size_t len)
{
    for (size_t i = 0; i < sizeof cga_labels / sizeof cga_labels[0]; i++)
        if (strlen(cga_labels[i]) == len && memcmp(label, cga_labels[i], len) == 0)
            return cga_numbers[i];
    return NULL;
}
