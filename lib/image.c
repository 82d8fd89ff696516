/* Image sniffing for Type-10 checks: the format by its signature (JPEG ISO/IEC 10918-1 SOI,
 * JPEG 2000 JP2 signature box or J2K SOC/SIZ, PNG signature) and the width and height from the
 * JPEG SOFn segment, the PNG IHDR chunk or the JP2 ihdr box / J2K SIZ marker. */
#include <string.h>
#include "internal.h"

static uint32_t be16(const unsigned char *p)
{
    return (uint32_t)p[0] << 8 | p[1];
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int jpeg_size(const unsigned char *p, size_t n, uint32_t *w, uint32_t *h)
{
    size_t i = 2;
    while (i + 4 <= n) {
        if (p[i] != 0xff)
            return 0;
        unsigned char m = p[i + 1];
        if (m == 0xff) { /* fill byte */
            i++;
            continue;
        }
        if (m == 0xd8 || m == 0x01 || (m >= 0xd0 && m <= 0xd7)) {
            i += 2;
            continue;
        }
        if (m == 0xd9 || m == 0xda) /* EOI or SOS before any SOF */
            return 0;
        uint32_t len = be16(p + i + 2);
        if (len < 2)
            return 0;
        int sof = m >= 0xc0 && m <= 0xcf && m != 0xc4 && m != 0xc8 && m != 0xcc;
        if (sof) {
            if (i + 9 > n || len < 7)
                return 0;
            *h = be16(p + i + 5);
            *w = be16(p + i + 7);
            return 1;
        }
        i += 2 + (size_t)len;
    }
    return 0;
}

static int jp2_size(const unsigned char *p, size_t n, uint32_t *w, uint32_t *h)
{
    /* J2K codestream: SOC then SIZ: Lsiz Rsiz Xsiz Ysiz XOsiz YOsiz */
    if (n >= 4 && p[0] == 0xff && p[1] == 0x4f && p[2] == 0xff && p[3] == 0x51) {
        if (n < 24)
            return 0;
        uint32_t xs = be32(p + 8), ys = be32(p + 12), xo = be32(p + 16), yo = be32(p + 20);
        if (xs < xo || ys < yo)
            return 0;
        *w = xs - xo;
        *h = ys - yo;
        return 1;
    }
    /* JP2: the ihdr box (height, width) inside jp2h */
    for (size_t i = 0; i + 16 <= n; i++)
        if (memcmp(p + i, "ihdr", 4) == 0 && i >= 4) {
            *h = be32(p + i + 4);
            *w = be32(p + i + 8);
            return 1;
        }
    return 0;
}

int ebts__image_sniff(const unsigned char *p, size_t n, uint32_t *w, uint32_t *h)
{
    static const unsigned char png[8] = {0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a};
    static const unsigned char jp2[12] = {0, 0, 0, 0x0c, 'j', 'P', ' ', ' ', 0x0d, 0x0a, 0x87, 0x0a};
    *w = *h = 0;
    if (n >= 3 && p[0] == 0xff && p[1] == 0xd8 && p[2] == 0xff)
        return EBTS__IMG_JPEG | (jpeg_size(p, n, w, h) ? EBTS__IMG_SIZED : 0);
    if (n >= 8 && memcmp(p, png, 8) == 0) {
        if (n >= 24 && memcmp(p + 12, "IHDR", 4) == 0) {
            *w = be32(p + 16);
            *h = be32(p + 20);
            return EBTS__IMG_PNG | EBTS__IMG_SIZED;
        }
        return EBTS__IMG_PNG;
    }
    if ((n >= 12 && memcmp(p, jp2, 12) == 0) ||
        (n >= 4 && p[0] == 0xff && p[1] == 0x4f && p[2] == 0xff && p[3] == 0x51))
        return EBTS__IMG_JP2 | (jp2_size(p, n, w, h) ? EBTS__IMG_SIZED : 0);
    return EBTS__IMG_UNKNOWN;
}

const char *ebts_image_extension(const void *data, size_t len)
{
    const unsigned char *p = data;
    uint32_t w, h;
    if (!p)
        return "bin";
    switch (ebts__image_sniff(p, len, &w, &h) & EBTS__IMG_KIND) {
    case EBTS__IMG_JPEG: return "jpg";
    case EBTS__IMG_PNG: return "png";
    case EBTS__IMG_JP2: return "jp2";
    default: return len >= 2 && p[0] == 0xff && p[1] == 0xa0 ? "wsq" : "bin"; /* WSQ SOI */
    }
}
