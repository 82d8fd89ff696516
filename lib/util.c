/* Small shared pieces: base64 (RFC 4648) for the JSON, XML and HTML writers, CRC-32 (the
 * zlib/gzip polynomial) for summaries of binary data, zero-padded decimal numbers for tags and
 * LEN, and the threads the library may use. */
#include <stdatomic.h>
#include <unistd.h>
#include <zlib.h>
#include "internal.h"

/* ebts_validate_threads(): 0 for the processors online (at most THREADS_MAX) */
static _Atomic unsigned threads_setting;
#define THREADS_MAX 8u

unsigned ebts_validate_threads(unsigned n)
{
    return atomic_exchange(&threads_setting, n);
}

unsigned ebts__threads(void)
{
    unsigned want = atomic_load(&threads_setting);
    if (want == 0) {
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        want = cores < 1 ? 1u : cores > (long)THREADS_MAX ? THREADS_MAX : (unsigned)cores;
    }
    return want > THREADS_MAX ? THREADS_MAX : want;
}

void ebts__base64(ebts__buf *b, const unsigned char *p, size_t n)
{
    static const char tb[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t i = 0;
    for (; i + 3 <= n; i += 3) {
        uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];
        char q[4] = {tb[v >> 18], tb[(v >> 12) & 63], tb[(v >> 6) & 63], tb[v & 63]};
        ebts__buf_put(b, q, 4);
    }
    if (n - i == 1) {
        uint32_t v = (uint32_t)p[i] << 16;
        char q[4] = {tb[v >> 18], tb[(v >> 12) & 63], '=', '='};
        ebts__buf_put(b, q, 4);
    } else if (n - i == 2) {
        uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8;
        char q[4] = {tb[v >> 18], tb[(v >> 12) & 63], tb[(v >> 6) & 63], '='};
        ebts__buf_put(b, q, 4);
    }
}

uint32_t ebts__crc32(const unsigned char *p, size_t n)
{
    uLong c = crc32(0L, Z_NULL, 0);
    while (n > 0) {
        uInt step = n > 0x40000000u ? 0x40000000u : (uInt)n;
        c = crc32(c, p, step);
        p += step;
        n -= step;
    }
    return (uint32_t)c;
}

size_t ebts__put_padded(char *t, size_t k, size_t cap, unsigned v, unsigned w)
{
    char d[10];
    unsigned n = 0;
    do
        d[n++] = (char)('0' + v % 10);
    while ((v /= 10) != 0);
    for (unsigned pad = w > n ? w - n : 0; pad && k < cap; pad--)
        t[k++] = '0';
    while (n && k < cap)
        t[k++] = d[--n];
    return k;
}

size_t ebts__utf8_seq(const unsigned char *p, size_t n, unsigned *cp)
{
    unsigned char c = n ? p[0] : 0;
    size_t len = c < 0x80 ? 1 : c < 0xc2 ? 0 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : c < 0xf5 ? 4 : 0;
    if (len == 0 || n < len)
        return 0;
    unsigned v = len == 1 ? c : len == 2 ? c & 0x1fu : len == 3 ? c & 0x0fu : c & 0x07u;
    for (size_t k = 1; k < len; k++) {
        if ((p[k] & 0xc0) != 0x80)
            return 0;
        v = v << 6 | (p[k] & 0x3fu);
    }
    /* no overlong form, no surrogate, nothing beyond U+10FFFF */
    if ((len == 3 && (v < 0x800 || (v >= 0xd800 && v <= 0xdfff))) ||
        (len == 4 && (v < 0x10000 || v > 0x10ffff)))
        return 0;
    if (cp)
        *cp = v;
    return len;
}
