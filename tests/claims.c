/* Allocation-bound test: the library allocates in proportion to the bytes an input has, never to
 * a length or number the input claims. Every input (the files and directories named, and claims
 * made here: a LEN of ten digits, binary and Type-10 LENs of four gigabytes, a CNT count of a
 * million, field, record type and IDC numbers of nine digits, a gzip trailer that says four
 * gigabytes) is read, validated, viewed as a response, diffed with itself and written in every
 * format while malloc, calloc and realloc are counted (wrapped at link time). The largest single
 * request and the sum of all requests must stay under a bound of the bytes the input has (a gzip
 * input's once inflated); a claim obeyed would ask for gigabytes. Prints the largest of each seen, against the input's size. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>
#include "ebts.h"
#include "testutil.h" /* tu_list, tu_slurp */
#include "wrapalloc.h"


static size_t largest, total;

static void count(size_t n)
{
    largest = n > largest ? n : largest;
    total += n;
}

void *__wrap_malloc(size_t n)
{
    count(n);
    return __real_malloc(n);
}

void *__wrap_calloc(size_t n, size_t m)
{
    count(m && n > (size_t)-1 / m ? (size_t)-1 : n * m);
    return __real_calloc(n, m);
}

void *__wrap_realloc(void *p, size_t n)
{
    count(n);
    return __real_realloc(p, n);
}

/* The bounds: a fixed allowance (the arena's first chunks, a validation's tables, libxml2 is not
 * counted) and a multiple of the input's bytes (a field entry per byte at most, its index, the
 * readable and JSON forms). The inputs here are small: a claim obeyed exceeds them a
 * thousandfold. */
#define FIXED_LARGEST ((size_t)8 << 20)
#define FIXED_TOTAL ((size_t)32 << 20)
#define PER_BYTE_LARGEST 64
#define PER_BYTE_TOTAL 1024

static int failed, inputs;
static double worst_largest, worst_total; /* beyond the fixed allowance, per input byte */

/* The bytes a gzip input has are the ones it inflates to (its trailer's ISIZE is a claim): counted
 * here by inflating it, up to 256 MiB; other inputs have their own size. */
static size_t present(const unsigned char *in, size_t len)
{
    if (len < 2 || in[0] != 0x1f || in[1] != 0x8b)
        return len;
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit2(&z, 15 + 32) != Z_OK)
        abort();
    static unsigned char out[1 << 16];
    size_t n = 0;
    z.next_in = (unsigned char *)(uintptr_t)in;
    z.avail_in = (uInt)len;
    int rc = Z_OK;
    while (rc == Z_OK && n < ((size_t)256 << 20)) {
        z.next_out = out;
        z.avail_out = sizeof out;
        rc = inflate(&z, Z_NO_FLUSH);
        n += sizeof out - z.avail_out;
        if (rc == Z_STREAM_END && z.avail_in > 0) /* another member follows */
            rc = inflateReset(&z);
    }
    inflateEnd(&z);
    return n > len ? n : len;
}

/* Everything the library does with one input, counted. */
static void exercise(const char *name, const unsigned char *in, size_t inlen)
{
    size_t len = present(in, inlen);
    largest = total = 0;
    ebts_txn *t = ebts_read_buffer(in, inlen, 0, NULL);
    if (t) {
        ebts_report *r = ebts_validate(t, NULL, NULL);
        ebts_report_free(r);
        ebts_response *v = ebts_response_view(t, NULL);
        ebts_response_free(v);
        ebts_diff_result *d = ebts_diff(t, t, NULL, NULL);
        ebts_diff_free(d);
        static const unsigned fmt[] = {EBTS_FORMAT_TRADITIONAL, EBTS_FORMAT_READABLE,
                                       EBTS_FORMAT_JSON | EBTS_WRITE_BASE64, EBTS_FORMAT_XML};
        for (size_t k = 0; k < sizeof fmt / sizeof fmt[0]; k++) {
            unsigned char *out = NULL;
            size_t n;
            if (ebts_write_buffer(t, fmt[k], &out, &n, NULL) == 0)
                ebts_free(out);
        }
        ebts_txn_free(t);
    }
    inputs++;
    size_t bl = FIXED_LARGEST + PER_BYTE_LARGEST * len, bt = FIXED_TOTAL + PER_BYTE_TOTAL * len;
    if (largest > bl || total > bt) {
        fprintf(stderr, "claims: %s (%zu bytes): largest request %zu (bound %zu), all requests %zu (bound %zu)\n",
                name, len, largest, bl, total, bt);
        failed++;
    }
    double l = largest > FIXED_LARGEST ? (double)(largest - FIXED_LARGEST) / (double)(len ? len : 1) : 0;
    double a = total > FIXED_TOTAL ? (double)(total - FIXED_TOTAL) / (double)(len ? len : 1) : 0;
    worst_largest = l > worst_largest ? l : worst_largest;
    worst_total = a > worst_total ? a : worst_total;
}

static void exercise_file(const char *path)
{
    size_t len;
    unsigned char *b = tu_slurp(path, &len);
    if (!b) {
        fprintf(stderr, "claims: cannot read %s\n", path);
        failed++;
        return;
    }
    exercise(path, b, len);
    free(b);
}

/* A file, or what tu_list finds under a directory with the encodings' suffixes (and the JPEG,
 * for a reader that must refuse it); each is read before its count begins. */
static void exercise_path(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
        exercise_file(path);
        return;
    }
    char **list;
    size_t n = tu_list(path, ".eft;.an2;.an2k;.ebts;.nist;.nst;.gz;.xml;.txt;.jpg", &list);
    for (size_t i = 0; i < n; i++)
        exercise_file(list[i]);
    tu_free_list(list);
}

/* A record of type `type` around body, with a LEN that is right. */
static size_t record(unsigned char *out, const char *type, const char *body)
{
    size_t blen = strlen(body), n = strlen(type) + 5 + blen + 2;
    for (int i = 0; i < 3; i++)
        n = strlen(type) + 5 + (size_t)snprintf(NULL, 0, "%zu", n) + 1 + blen + 1;
    int w = sprintf((char *)out, "%s.001:%zu\x1d", type, n);
    memcpy(out + w, body, blen);
    out[w + blen] = 0x1c;
    return n;
}

static void claims(void)
{
    unsigned char b[4096];
    size_t n;
    /* LEN of ten digits in the Type-1 record */
    static const char t1_len[] = "1.001:9999999999" GS "1.002:0502" GS "1.003:1" US "0" GS
                                 "1.004:CAR" GS "1.005:20260101" FS;
    exercise("Type-1 LEN 9999999999", (const unsigned char *)t1_len, sizeof t1_len - 1);
    /* a binary Type-4 record whose LEN says 4 GB */
    n = record(b, "1", "1.002:0502" GS "1.003:1" US "1" RS "4" US "01" GS "1.004:CAR");
    memcpy(b + n, "\xff\xff\xff\xf0\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
                  "\x00\x00\x00\x00", 22);
    exercise("Type-4 LEN 0xFFFFFFF0", b, n + 22);
    /* a Type-10 record whose LEN says 4 GB, with image bytes after 10.999 */
    n = record(b, "1", "1.002:0502" GS "1.003:1" US "1" RS "10" US "01" GS "1.004:CAR");
    static const char t10[] = "10.001:4000000000" GS "10.002:01" GS "10.999:\xff\xd8\x1c\x1d\xff\xd9";
    memcpy(b + n, t10, sizeof t10 - 1);
    exercise("Type-10 LEN 4000000000", b, n + sizeof t10 - 1);
    /* CNT counts a million records and lists one */
    n = record(b, "1", "1.002:0502" GS "1.003:1" US "1000000" RS "2" US "00" GS "1.004:CAR");
    n += record(b + n, "2", "2.002:00");
    exercise("CNT count 1000000", b, n);
    /* field, record type and IDC numbers of nine digits */
    n = record(b, "1", "1.002:0502" GS "1.003:1" US "2" RS "2" US "999999999" RS "999999999" US
                       "01" GS "1.004:CAR" GS "1.999999999:X");
    n += record(b + n, "2", "2.002:999999999" GS "2.999999999:Y" GS "2.123456789:Z");
    n += record(b + n, "999999999", "999999999.002:01" GS "999999999.999999999:W");
    exercise("numbers of nine digits", b, n);
    /* gzip whose trailer says it inflates to 4 GB */
    unsigned char gz[4096];
    z_stream z;
    memset(&z, 0, sizeof z);
    if (deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        abort();
    z.next_in = b;
    z.avail_in = (uInt)n;
    z.next_out = gz;
    z.avail_out = sizeof gz;
    if (deflate(&z, Z_FINISH) != Z_STREAM_END)
        abort();
    size_t gn = sizeof gz - z.avail_out;
    deflateEnd(&z);
    memcpy(gz + gn - 4, "\xf0\xff\xff\xff", 4); /* ISIZE, little-endian */
    exercise("gzip ISIZE 0xFFFFFFF0", gz, gn);
}

int main(int argc, char **argv)
{
    claims();
    for (int i = 1; i < argc; i++)
        exercise_path(argv[i]);
    printf("claims: %d inputs, %d over the bound; beyond the fixed allowance, at most %.1f bytes "
           "per input byte in one request and %.1f in all\n",
           inputs, failed, worst_largest, worst_total);
    return failed ? 1 : 0;
}
