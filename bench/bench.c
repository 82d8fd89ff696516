/* make bench: synthetic datasets of realistic shape, each operation timed against a plain
 * memchr scan of the same buffer in the same run (memchr for GS, stopping at each one). One line
 * per measurement:
 *   BENCH name=<dataset> op=<operation> mbps=<MB/s> scan_mbps=<MB/s> ratio=<mbps/scan> [...]
 * and, per large dataset, lines beginning with '#' giving memchr for each separator and for
 * all four, and the bound of a stripped reader for scale (information, not measurement lines).
 * The small-files line times ebts-validate over a folder of 2 000 small transactions with -j 2
 * and adds j1_mbps (the same with -j 1) and speedup (the -j 2 rate over the -j 1 rate).
 * The image dataset's lines add memcpy_mbps=<MB/s> memcpy_ratio=<mbps/memcpy>: a memcpy of the
 * same buffer into memory used before (advised to be huge pages), timed alongside.
 * The XML lines (xml-read, xml-write) are timed against a bare libxml2 xmlTextReader pass over
 * the same document (reader_mbps, in MB of XML per second; ratio is against it, not memchr) and
 * add peak_ratio: the most memory the operation held, in a process of its own, over the XML's
 * size. The many-small line (2 000 small SREs read and validated by one thread, then by two)
 * adds the speedup of two threads and the ceiling: what two threads of a plain CPU-bound loop
 * give over one on this machine at that moment.
 * Not a test: no threshold is asserted here; docs/performance.md gives the targets. */
#define _GNU_SOURCE 1
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <pthread.h>
#include <spawn.h>
#include <time.h>
#include <unistd.h>
#include <libxml/xmlreader.h>
#include "ebts.h"
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* Every figure, the memchr baselines included, is the best of REPS timings in the run. Each
 * timing of an operation comes right after one of its baseline (ops), so that the slow moments of
 * this shared machine, which come in phases of a second or two, weigh alike on both sides of a
 * ratio. An operation that uses both cores (walk, validate, many-small, small-files) is timed
 * over at least BOTH_SECS seconds and 3 * REPS times: a slow phase may hold the second core
 * alone, which slows it and not its baseline on one core. */
#define REPS 7
#define BOTH_SECS 3.0

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef struct buf {
    unsigned char *p;
    size_t n, cap;
} buf;

static void put(buf *b, const void *p, size_t n)
{
    if (b->n + n > b->cap) {
        b->cap = (b->n + n) * 2;
        b->p = realloc(b->p, b->cap);
        if (!b->p)
            abort();
    }
    memcpy(b->p + b->n, p, n);
    b->n += n;
}

static void puts_(buf *b, const char *s)
{
    put(b, s, strlen(s));
}

/* A tagged record with a correct LEN around body (fields joined by GS, no trailing GS). */
static void record(buf *out, unsigned type, const buf *body)
{
    char tag[32];
    int tl = snprintf(tag, sizeof tag, "%u.001:", type);
    size_t n = (size_t)tl + 1 + body->n + 2;
    for (int i = 0; i < 3; i++) {
        char d[24];
        n = (size_t)tl + (size_t)snprintf(d, sizeof d, "%zu", n) + 1 + body->n + 1;
    }
    char head[48];
    int hl = snprintf(head, sizeof head, "%s%zu\x1d", tag, n);
    put(out, head, (size_t)hl);
    put(out, body->p, body->n);
    put(out, "\x1c", 1);
}

static unsigned rnd(void)
{
    static uint64_t s = 88172645463325252ull;
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    return (unsigned)s;
}

/* Type-1 listing the records; then the records */
static void type1(buf *out, const char *tot, unsigned type, size_t count)
{
    buf b = {0};
    puts_(&b, "1.002:0500\x1d" "1.003:1\x1f");
    char v[64];
    snprintf(v, sizeof v, "%zu", count);
    puts_(&b, v);
    for (size_t i = 0; i < count; i++) {
        snprintf(v, sizeof v, "\x1e%u\x1f%02zu", type, i % 100);
        puts_(&b, v);
    }
    snprintf(v, sizeof v, "\x1d" "1.004:%s\x1d" "1.005:20260115\x1d" "1.007:TX0000000\x1d", tot);
    puts_(&b, v);
    puts_(&b, "1.008:USVISIT0Z\x1d" "1.009:TCN2026011500001\x1d" "1.010:TCN2026011400042\x1d"
              "1.011:00.00\x1d" "1.012:00.00");
    record(out, 1, &b);
    free(b.p);
}

/* tens of thousands of Type-2 records with many fields, subfields and items */
static buf text_heavy(size_t target)
{
    buf out = {0}, recs = {0};
    size_t count = 0;
    while (recs.n < target) {
        buf b = {0};
        char v[256];
        snprintf(v, sizeof v, "2.002:%02zu", count % 100);
        puts_(&b, v);
        puts_(&b, "\x1d" "2.005:N\x1d" "2.018:DOE,JOHN QUINCY\x1d" "2.019:DOE,J\x1e" "DOE,JACK\x1e" "DOE,JOHNNY");
        puts_(&b, "\x1d" "2.020:TX\x1d" "2.022:19800101\x1e" "19800102\x1d" "2.024:M\x1d" "2.025:W\x1d"
                  "2.027:510\x1d" "2.029:180\x1d" "2.031:BRO\x1d" "2.032:BLK\x1d" "2.045:20260114");
        puts_(&b, "\x1d" "2.047:");
        for (int k = 0; k < 40; k++) { /* ASL: up to 40 occurrences */
            snprintf(v, sizeof v, "%s2026011%u\x1f" "OFFENSE LITERAL NUMBER %u WITH SOME TEXT", k ? "\x1e" : "",
                     rnd() % 10, rnd() % 1000);
            puts_(&b, v);
        }
        puts_(&b, "\x1d" "2.073:TX1081100\x1d" "2.084:");
        for (int k = 0; k < 10; k++) {
            snprintf(v, sizeof v, "%s%02d\x1f" "XX", k ? "\x1e" : "", k + 1);
            puts_(&b, v);
        }
        record(&recs, 2, &b);
        free(b.p);
        count++;
    }
    type1(&out, "CAR", 2, count);
    put(&out, recs.p, recs.n);
    free(recs.p);
    return out;
}

/* Type-10 records with JPEG-like data that contains separator bytes */
static buf image_heavy(size_t target)
{
    buf out = {0}, recs = {0};
    size_t count = 0, img = 300000;
    unsigned char *data = malloc(img);
    while (recs.n < target) {
        for (size_t i = 0; i < img; i++)
            data[i] = (unsigned char)rnd();
        data[0] = 0xff;
        data[1] = 0xd8;
        buf b = {0};
        char v[128];
        snprintf(v, sizeof v, "10.002:%02zu", count % 100);
        puts_(&b, v);
        puts_(&b, "\x1d" "10.003:FACE\x1d" "10.004:USVISIT0Z\x1d" "10.005:20260115\x1d" "10.006:480\x1d"
                  "10.007:640\x1d" "10.008:0\x1d" "10.009:1\x1d" "10.010:1\x1d" "10.011:JPEGB\x1d"
                  "10.012:YCC\x1d" "10.013:0\x1d" "10.999:");
        put(&b, data, img);
        record(&recs, 10, &b);
        free(b.p);
        count++;
    }
    free(data);
    type1(&out, "SRE", 10, count);
    put(&out, recs.p, recs.n);
    free(recs.p);
    return out;
}

/* One memchr scan for sep over the buffer, stopping at each one: MB/s, and the count found. */
static double scan_once(const buf *b, int sep, size_t *count_out)
{
    volatile size_t count = 0;
    double t0 = now();
    const unsigned char *p = b->p, *end = b->p + b->n;
    while ((p = memchr(p, sep, (size_t)(end - p))) != NULL) {
        count++;
        p++;
    }
    double mbps = (double)b->n / 1e6 / (now() - t0);
    *count_out = count;
    return mbps;
}

/* The best of REPS scans. The baseline of every ratio is memchr for GS. */
static double scan_sep_mbps(const buf *b, int sep, size_t *count_out)
{
    double best = 0;
    for (int rep = 0; rep < REPS; rep++) {
        double mbps = scan_once(b, sep, count_out);
        best = mbps > best ? mbps : best;
    }
    return best;
}

/* Not a BENCH line: the bound of a reader of this data on this machine. A stripped reader
 * reads each field's tag, finds the field's end (GS or FS) and notes whether an RS or US is
 * before it (the reader's lazy flag; the reader counts them only in a value as long as its item
 * limit, which this leaves out),
 * with the widest blocks the library's reader uses here (64 bytes at a time, at 64-byte steps,
 * each block's masks serving every field in it), and writes one entry the size of the
 * library's field per field. It makes no record, finding or index and checks no RS/US for a tag
 * after it: what is left of a parse when everything the library reports is taken away. Timed
 * with the entries in fresh memory (as a parse has them: the kernel maps and zeroes each page;
 * on huge pages where offered, as the library's arena asks) and again in memory used before. */
#if defined(__SSE2__)
typedef struct bound_entry { /* ebts_field's members: 32 bytes on LP64 */
    const unsigned char *val;
    void *index;
    uint32_t len, number, offset;
    uint8_t tw, nw, flags, type;
} bound_entry;

typedef struct {
    uint64_t stop, sep; /* GS/FS; FS, GS, RS, US */
} bound_masks;

static inline bound_masks bound_block_sse2(const unsigned char *q)
{
    const __m128i fc = _mm_set1_epi8((char)0xfc), fe = _mm_set1_epi8((char)0xfe);
    const __m128i fs = _mm_set1_epi8(0x1c);
    bound_masks m = {0, 0};
    for (unsigned k = 0; k < 64; k += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(q + k));
        m.stop |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_and_si128(v, fe), fs)) << k;
        m.sep |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_and_si128(v, fc), fs)) << k;
    }
    return m;
}

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define BOUND_AVX512 1
__attribute__((target("avx512bw"))) static inline bound_masks bound_block_avx512(const unsigned char *q)
{
    const __m512i v = _mm512_loadu_si512((const void *)q), fs = _mm512_set1_epi8(0x1c);
    bound_masks m;
    m.stop = _mm512_cmpeq_epi8_mask(_mm512_and_si512(v, _mm512_set1_epi8((char)0xfe)), fs);
    m.sep = _mm512_cmpeq_epi8_mask(_mm512_and_si512(v, _mm512_set1_epi8((char)0xfc)), fs);
    return m;
}
#endif

/* The entries of p[0..n) into e (room for cap); the count. wide: AVX-512BW blocks. */
static inline __attribute__((always_inline)) size_t bound_body(const unsigned char *p, size_t n,
                                                                bound_entry *e, size_t cap, int wide)
{
    size_t nf = 0, pos = 0, base = SIZE_MAX;
    bound_masks m = {0, 0};
    (void)wide;
    while (pos < n && nf < cap) {
        size_t i = pos, tw, nw;
        uint32_t type = 0, number = 0;
        for (tw = 0; i < n && p[i] >= '0' && p[i] <= '9'; tw++)
            type = type * 10 + (uint32_t)(p[i++] - '0');
        if (i < n && p[i] == '.')
            i++;
        for (nw = 0; i < n && p[i] >= '0' && p[i] <= '9'; nw++)
            number = number * 10 + (uint32_t)(p[i++] - '0');
        if (i < n && p[i] == ':')
            i++;
        size_t vs = i, end = n;
        int seps = 0; /* an RS or US inside */
        while (i < n) {
            size_t at = i & ~(size_t)63;
            if (at + 64 > n) { /* the last bytes, one by one */
                for (; i < n && (p[i] & 0xfe) != 0x1c; i++)
                    seps |= (p[i] & 0xfc) == 0x1c;
                end = i;
                break;
            }
            if (at != base) {
                base = at;
#if defined(BOUND_AVX512)
                m = wide ? bound_block_avx512(p + at) : bound_block_sse2(p + at);
#else
                m = bound_block_sse2(p + at);
#endif
            }
            uint64_t from = ~0ull << (i - at), stop = m.stop & from, below = (stop & -stop) - 1;
            seps |= (m.sep & from & below) != 0;
            if (stop) {
                end = at + (size_t)__builtin_ctzll(stop);
                break;
            }
            i = at + 64;
        }
        bound_entry *f = &e[nf++];
        f->val = p + vs;
        f->len = (uint32_t)(end - vs);
        f->number = number;
        f->offset = (uint32_t)pos;
        f->type = (uint8_t)(type < 255 ? type : 255);
        f->tw = (uint8_t)tw;
        f->nw = (uint8_t)nw;
        f->flags = (uint8_t)seps; /* as the reader's lazy flag */
        f->index = NULL;
        pos = end + 1;
    }
    return nf;
}

static size_t bound_read_sse2(const unsigned char *p, size_t n, bound_entry *e, size_t cap)
{
    return bound_body(p, n, e, cap, 0);
}

#if defined(BOUND_AVX512)
__attribute__((target("avx512bw,popcnt"))) static size_t
bound_read_avx512(const unsigned char *p, size_t n, bound_entry *e, size_t cap)
{
    return bound_body(p, n, e, cap, 1);
}
#endif

static volatile size_t bound_sink;
/* MB/s of the stripped reader: fresh = 1, entries in memory allocated for each run; 0, in one
 * allocation used again. */
static double bound_mbps(const buf *b, int fresh, size_t *fields)
{
    size_t cap = 1; /* one entry per GS or FS, and one for bytes after the last */
    for (size_t i = 0; i < b->n; i++)
        cap += (b->p[i] & 0xfe) == 0x1c;
    bound_entry *keep = fresh ? NULL : malloc(cap * sizeof *keep);
    double best = 0;
    if (!fresh && !keep)
        return 0;
    if (keep) /* touched once before the runs: its pages are mapped */
        memset(keep, 0, cap * sizeof *keep);
    const uintptr_t huge = (uintptr_t)2 << 20;
    for (int rep = 0; rep < REPS; rep++) {
        double t0 = now();
        /* fresh: at a huge page and advised, as the library's arena has its large chunks */
        void *raw = keep ? NULL : malloc(cap * sizeof(bound_entry) + 2 * huge);
        bound_entry *e = keep;
        if (!keep) {
            if (!raw)
                return 0;
            e = (bound_entry *)(((uintptr_t)raw + huge - 1) & ~(huge - 1));
            (void)madvise(e, (cap * sizeof *e + huge - 1) & ~(huge - 1), MADV_HUGEPAGE);
        }
#if defined(BOUND_AVX512)
        size_t nf = __builtin_cpu_supports("avx512bw") ? bound_read_avx512(b->p, b->n, e, cap)
                                                      : bound_read_sse2(b->p, b->n, e, cap);
#else
        size_t nf = bound_read_sse2(b->p, b->n, e, cap);
#endif
        double mbps = (double)b->n / 1e6 / (now() - t0);
        bound_sink += nf ? e[nf - 1].flags : 0; /* kept: not optimised away */
        free(raw);
        best = mbps > best ? mbps : best;
        *fields = nf;
    }
    free(keep);
    return best;
}
#endif

static double scan_mbps(const buf *b)
{
    size_t count;
    return scan_sep_mbps(b, 0x1d, &count);
}

/* Not a BENCH line: how the baseline depends on the separator chosen (the denser a separator,
 * the more often memchr stops), so the ratios can be read against another definition. */
static void scan_info(const char *name, const buf *b, int text)
{
    static const char *names[] = {"FS", "GS", "RS", "US"};
    double inv = 0;
    printf("# %s memchr scans:", name);
    for (int s = 0; s < 4; s++) {
        size_t count;
        double mbps = scan_sep_mbps(b, 0x1c + s, &count);
        inv += 1 / mbps;
        printf(" %s %.0f MB/s (%zu found);", names[s], mbps, count);
    }
    printf(" all four, one pass each: %.0f MB/s\n", 1 / inv);
#if defined(__SSE2__)
    if (!text)
        return; /* binary data: a text scan would mean nothing */
    size_t nf = 0, count;
    double fresh = bound_mbps(b, 1, &nf), reused = bound_mbps(b, 0, &nf);
    double gs = scan_sep_mbps(b, 0x1d, &count);
    printf("# %s bound (tags read, field ends found, RS/US noted, one %zu-byte entry per field "
           "written; no record, finding, index or tag check): %.0f MB/s = %.3f of memchr GS "
           "(%.0f MB/s) with the entries in fresh memory, %.0f MB/s = %.3f in memory used "
           "before; %zu fields\n",
           name, sizeof(bound_entry), fresh, fresh / gs, gs, reused, reused / gs, nf);
#endif
}

static void report(const char *name, const char *op, double mbps, double scan, const char *extra)
{
    printf("BENCH name=%s op=%s mbps=%.1f scan_mbps=%.1f ratio=%.3f%s%s\n", name, op, mbps, scan,
           mbps / scan, extra ? " " : "", extra ? extra : "");
    fflush(stdout);
}

/* Where the memcpy baseline copies to: b->n bytes of memory advised to be huge pages (as the
 * library advises its large buffers) and touched once, so that no copy pays for mapping it. */
static unsigned char *copy_target(const buf *b)
{
    const uintptr_t huge = (uintptr_t)2 << 20;
    unsigned char *dst = malloc(b->n);
    if (!dst)
        abort();
    uintptr_t lo = ((uintptr_t)dst + huge - 1) & ~(huge - 1), hi = ((uintptr_t)dst + b->n) & ~(huge - 1);
    if (hi > lo)
        (void)madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
    memset(dst, 0, b->n);
    return dst;
}

/* One memcpy of the buffer into dst (copy_target): MB/s. */
static double copy_once(const buf *b, unsigned char *dst)
{
    double t0 = now();
    memcpy(dst, b->p, b->n);
    __asm__ volatile("" : : "r"(dst) : "memory"); /* the copy is kept */
    return (double)b->n / 1e6 / (now() - t0);
}

static volatile size_t walk_sink;
/* Every item of every subfield of every field of t through the public accessors. */
static void walk(const ebts_txn *t)
{
    size_t sum = 0;
    for (size_t r = 0; r < ebts_txn_record_count(t); r++) {
        const ebts_record *rec = ebts_txn_record(t, r);
        for (size_t i = 0; i < ebts_record_field_count(rec); i++) {
            const ebts_field *f = ebts_record_field_at(rec, i);
            size_t nsub = ebts_field_subfield_count(f);
            for (size_t s = 0; s < nsub; s++) {
                size_t nit = ebts_field_item_count(f, s);
                for (size_t k = 0; k < nit; k++)
                    sum += ebts_field_item(f, s, k).len;
            }
        }
    }
    walk_sink += sum;
}

enum { OP_PARSE, OP_WALK, OP_PARSE_COPY, OP_WRITE, OP_VALIDATE, OP_VALIDATE_ONE, OP_WALK_ONE };
static const char *op_names[] = {"parse", "walk", "parse-copy", "write", "validate",
                                 "validate-one-thread", "walk-one-thread"};

/* One timing of operation op on b: MB/s. parse, walk (a parse, then every item through the
 * accessors) and parse-copy (a parse without EBTS_READ_BORROW: the buffer copied first) leave
 * their transaction in *t; what was there before, and what write and validate return, is freed
 * outside the timing. */
static double time_op(int op, const buf *b, ebts_txn **t)
{
    double t0, secs;
    if (op == OP_PARSE || op == OP_WALK || op == OP_WALK_ONE || op == OP_PARSE_COPY) {
        unsigned flags = EBTS_READ_TRADITIONAL | (op == OP_PARSE_COPY ? 0 : EBTS_READ_BORROW);
        /* walk as the library does by default (the item indexes built ahead on a second
           thread, ebts_field_item_count), or on the calling thread alone */
        unsigned threads = ebts_validate_threads(op == OP_WALK_ONE ? 1 : 0);
        ebts_txn_free(*t);
        t0 = now();
        *t = ebts_read_buffer(b->p, b->n, flags, NULL);
        if (!*t)
            abort();
        if (op == OP_WALK || op == OP_WALK_ONE)
            walk(*t);
        secs = now() - t0;
        ebts_validate_threads(threads);
    } else if (op == OP_WRITE) {
        unsigned char *w;
        size_t n;
        t0 = now();
        if (ebts_write_buffer(*t, 0, &w, &n, NULL) != 0 || n != b->n)
            abort();
        secs = now() - t0;
        ebts_free(w);
    } else { /* validate as the library does by default (its records split between threads,
                ebts_validate_threads), or on the calling thread alone */
        unsigned threads = ebts_validate_threads(op == OP_VALIDATE_ONE ? 1 : 0);
        t0 = now();
        ebts_report *r = ebts_validate(*t, NULL, NULL);
        secs = now() - t0;
        ebts_report_free(r);
        ebts_validate_threads(threads);
    }
    return (double)b->n / 1e6 / secs;
}

/* The operations opv[0..nop) on b, each the best of REPS timings (validate's as REPS says), each
 * timing right after one memchr scan and, with copy, one memcpy. write and validate take the
 * transaction the operation before them left: parse comes just before them, so that it is
 * borrowed (its records point into b, which the memcpy baseline copies too) and has built no
 * index (walk's would serve validate). */
static void ops(const char *name, const buf *b, const int *opv, size_t nop, int copy)
{
    ebts_txn *t = NULL;
    unsigned char *dst = NULL;
    if (copy)
        dst = copy_target(b);
    for (size_t o = 0; o < nop; o++) {
        double best = 0, scan = 0, cp = 0, t_end = now() + BOTH_SECS;
        int both = opv[o] == OP_VALIDATE || opv[o] == OP_WALK;
        for (int rep = 0; rep < REPS || (both && (rep < 3 * REPS || now() < t_end)); rep++) {
            size_t count;
            double s = scan_once(b, 0x1d, &count);
            scan = s > scan ? s : scan;
            if (copy) {
                double c = copy_once(b, dst);
                cp = c > cp ? c : cp;
            }
            double mbps = time_op(opv[o], b, &t);
            best = mbps > best ? mbps : best;
        }
        char extra[80];
        snprintf(extra, sizeof extra, "memcpy_mbps=%.1f memcpy_ratio=%.3f", cp, best / cp);
        report(name, op_names[opv[o]], best, scan, copy ? extra : NULL);
    }
    ebts_txn_free(t);
    free(dst);
}

/* Not a BENCH line: what a copy of the buffer into fresh memory costs (the kernel maps and
 * zeroes each page first), the floor of an operation that returns a copy: into plain malloc
 * memory, and into malloc memory whose 2 MiB-aligned part is advised to be huge pages, as the
 * library advises its large buffers (ebts__huge_pages). */
static void copy_info(const char *name, const buf *b)
{
    const uintptr_t huge = (uintptr_t)2 << 20;
    double best[2] = {0, 0};
    for (int rep = 0; rep < REPS; rep++)
        for (int advised = 0; advised < 2; advised++) {
            double t0 = now();
            unsigned char *dst = malloc(b->n);
            if (!dst)
                abort();
            uintptr_t lo = ((uintptr_t)dst + huge - 1) & ~(huge - 1);
            uintptr_t hi = ((uintptr_t)dst + b->n) & ~(huge - 1);
            if (advised && hi > lo)
                (void)madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
            memcpy(dst, b->p, b->n);
            __asm__ volatile("" : : "r"(dst) : "memory");
            double mbps = (double)b->n / 1e6 / (now() - t0);
            free(dst);
            best[advised] = mbps > best[advised] ? mbps : best[advised];
        }
    unsigned char *dst = copy_target(b);
    double used = 0;
    for (int rep = 0; rep < REPS; rep++) {
        double c = copy_once(b, dst);
        used = c > used ? c : used;
    }
    free(dst);
    printf("# %s memcpy of the buffer: %.0f MB/s into memory used before; into fresh memory "
           "(malloc, each page mapped and zeroed by the kernel first) %.0f MB/s = %.3f of it, "
           "%.0f MB/s = %.3f advised to be huge pages\n",
           name, used, best[0], best[0] / used, best[1], best[1] / used);
}

static void validate_tool(const char *tool, const buf *b)
{
    char path[] = "/tmp/ebts-bench-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0 || write(fd, b->p, b->n) != (ssize_t)b->n)
        abort();
    close(fd);
    double scan = scan_mbps(b);
    /* the child's peak RSS counts what it had from this process before its exec: the blocks
       the library keeps for the next transaction, and what the malloc arenas of the threads
       that built item indexes ahead hold free, would be the tool's peak */
    size_t keep = ebts_keep_memory(0);
#if defined(__GLIBC__)
    malloc_trim(0);
#endif
    double t0 = now();
    pid_t pid = fork();
    if (pid == 0) {
        int devnull = open("/dev/null", 1);
        dup2(devnull, 1);
        execl(tool, tool, "-q", path, (char *)NULL);
        _exit(127);
    }
    int status;
    struct rusage ru;
    wait4(pid, &status, 0, &ru);
    double secs = now() - t0;
    ebts_keep_memory(keep);
    unlink(path);
    /* 0 = valid, 1 = findings; anything else means the tool did not run, and a number
       measured from it would be a lie. */
    if (!WIFEXITED(status) || WEXITSTATUS(status) > 1) {
        fprintf(stderr, "ebts-bench: %s did not run (status %d)\n", tool, status);
        exit(2);
    }
    char extra[64];
    snprintf(extra, sizeof extra, "rss_ratio=%.2f", (double)ru.ru_maxrss * 1024.0 / (double)b->n);
    report("text-heavy", "validate-tool", (double)b->n / 1e6 / secs, scan, extra);
}

static void sre_small(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        fprintf(stderr, "ebts-bench: cannot open %s (run from the project root)\n", path);
        exit(2);
    }
    static unsigned char data[1 << 16];
    size_t n = fread(data, 1, sizeof data, fp);
    fclose(fp);
    buf b = {data, n, n};
    double scan = scan_mbps(&b);
    /* The best of short batches over two seconds: the machine is shared, and the same binary
       takes about 1.2 or about 1.8-2.1 us per transaction in phases of a second or two (twelve
       runs of 0.3 s in a row: seven at 1.2, then five at 1.8; the same with nothing else
       running, and with the heap on huge pages). Earlier, one process measured 0.24 s, all of
       it in one phase, which looked like a property of the process. */
    size_t iters = 2000;
    double secs = 1e9, t_end = now() + 2.0;
    for (int batch = 0; batch < 100 || now() < t_end; batch++) {
        double t0 = now();
        for (size_t i = 0; i < iters; i++) {
            ebts_txn *t = ebts_read_buffer(data, n, EBTS_READ_BORROW | EBTS_READ_TRADITIONAL, NULL);
            if (!t)
                abort();
            ebts_txn_free(t);
        }
        double d = now() - t0;
        secs = d < secs ? d : secs;
    }
    char extra[64];
    snprintf(extra, sizeof extra, "us_per_txn=%.3f", secs / (double)iters * 1e6);
    report("sre-small", "parse", (double)n * (double)iters / 1e6 / secs, scan, extra);
    /* 2 000 small SREs read and validated in one process, the profile loaded once: what a
       gateway answering many responses pays per transaction (best batch, as above) */
    ebts_profile *p = ebts_profile_builtin("ebts-11", NULL);
    if (!p)
        abort();
    secs = 1e9;
    t_end = now() + 2.0;
    for (int batch = 0; batch < 20 || now() < t_end; batch++) {
        double t0 = now();
        for (size_t i = 0; i < iters; i++) {
            ebts_txn *t = ebts_read_buffer(data, n, EBTS_READ_BORROW | EBTS_READ_TRADITIONAL, NULL);
            ebts_report *r = t ? ebts_validate(t, p, NULL) : NULL;
            if (!r)
                abort();
            ebts_report_free(r);
            ebts_txn_free(t);
        }
        double d = now() - t0;
        secs = d < secs ? d : secs;
    }
    ebts_profile_free(p);
    snprintf(extra, sizeof extra, "us_per_txn=%.3f", secs / (double)iters * 1e6);
    report("sre-small", "read+validate", (double)n * (double)iters / 1e6 / secs, scan, extra);
}

/* Seconds ebts-validate -q -j JOBS takes over dir; exits when the tool does not run. Started by
 * posix_spawn, which shares this process's memory until the exec: a fork would copy the page
 * tables of the hundreds of megabytes this process holds, about 1.5 ms a run that is not the
 * tool's. */
static double time_tool_dir(const char *tool, const char *jobs, const char *dir)
{
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    char *args[] = {(char *)tool, "-q", "-j", (char *)jobs, (char *)dir, NULL};
    double t0 = now();
    pid_t pid;
    int rc = posix_spawn(&pid, tool, &fa, NULL, args, environ), status;
    if (rc != 0) {
        fprintf(stderr, "ebts-bench: cannot start %s: %s\n", tool, strerror(rc));
        exit(2);
    }
    waitpid(pid, &status, 0);
    double secs = now() - t0;
    posix_spawn_file_actions_destroy(&fa);
    if (!WIFEXITED(status) || WEXITSTATUS(status) > 1) {
        fprintf(stderr, "ebts-bench: %s -j %s did not run (status %d)\n", tool, jobs, status);
        exit(2);
    }
    return secs;
}

/* ebts-validate -j 2 against -j 1 on 2 000 copies of a small SRE in a temporary folder: the
 * best of the runs of BOTH_SECS seconds (3 * REPS at least), taken in turns. */
static void validate_jobs(const char *tool, const char *path)
{
    enum { NFILES = 2000 };
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        fprintf(stderr, "ebts-bench: cannot open %s (run from the project root)\n", path);
        exit(2);
    }
    static unsigned char data[1 << 16];
    size_t n = fread(data, 1, sizeof data, fp);
    fclose(fp);
    char dir[] = "/tmp/ebts-bench-jXXXXXX", name[64];
    if (!mkdtemp(dir))
        abort();
    buf all = {0};
    for (int i = 0; i < NFILES; i++) {
        snprintf(name, sizeof name, "%s/f%04d.eft", dir, i);
        int fd = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd < 0 || write(fd, data, n) != (ssize_t)n)
            abort();
        close(fd);
        put(&all, data, n);
    }
    double scan = scan_mbps(&all), one = 1e9, two = 1e9, t_end = now() + BOTH_SECS;
    for (int rep = 0; rep < 3 * REPS || now() < t_end; rep++) {
        double a = time_tool_dir(tool, "1", dir), b = time_tool_dir(tool, "2", dir);
        one = a < one ? a : one;
        two = b < two ? b : two;
    }
    for (int i = 0; i < NFILES; i++) {
        snprintf(name, sizeof name, "%s/f%04d.eft", dir, i);
        unlink(name);
    }
    rmdir(dir);
    double mb = (double)all.n / 1e6;
    char extra[96];
    snprintf(extra, sizeof extra, "files=%d j1_mbps=%.1f speedup=%.2f", NFILES, mb / one,
             one / two);
    report("small-files", "validate-tool-j2", mb / two, scan, extra);
    free(all.p);
}

/* ---- XML: the text-heavy set written as XML, read back and written, against a bare
 * xmlTextReader pass over the same document; peak memory in a process of its own. */

static volatile long reader_sink;
/* One bare xmlTextReader pass over the document (every node read, nothing else): MB/s. */
static double reader_once(const buf *x)
{
    double t0 = now();
    xmlTextReaderPtr r = xmlReaderForMemory((const char *)x->p, (int)x->n, NULL, NULL, 0);
    int rc;
    long nodes = 0;
    while (r && (rc = xmlTextReaderRead(r)) == 1)
        nodes++;
    if (!r || rc != 0)
        abort();
    xmlFreeTextReader(r);
    reader_sink += nodes;
    return (double)x->n / 1e6 / (now() - t0);
}

/* Resident bytes now, from /proc/self/statm; 0 where it cannot be read. */
static size_t resident_now(void)
{
    FILE *fp = fopen("/proc/self/statm", "r");
    unsigned long size = 0, res = 0;
    if (fp) {
        if (fscanf(fp, "%lu %lu", &size, &res) != 2)
            res = 0;
        fclose(fp);
    }
    return (size_t)res * (size_t)sysconf(_SC_PAGESIZE);
}

static buf load_file(const char *path)
{
    buf b = {0};
    FILE *fp = fopen(path, "rb");
    if (!fp || fseek(fp, 0, SEEK_END) != 0)
        abort();
    b.n = b.cap = (size_t)ftell(fp);
    b.p = malloc(b.n ? b.n : 1);
    rewind(fp);
    if (!b.p || fread(b.p, 1, b.n, fp) != b.n)
        abort();
    fclose(fp);
    return b;
}

/* In a process of its own (ebts-bench --xml-peak OP PATH): the bytes OP added to the peak
 * resident memory, with the input already in memory. OP: reader (the bare pass over the XML in
 * PATH), read (ebts_read_buffer of it), write (PATH is the traditional encoding, read borrowed
 * before the measure; ebts_write_buffer as XML). */
static int xml_peak_child(const char *op, const char *path)
{
    buf b = load_file(path);
    ebts_txn *t = NULL;
    if (strcmp(op, "write") == 0 &&
        !(t = ebts_read_buffer(b.p, b.n, EBTS_READ_TRADITIONAL | EBTS_READ_BORROW, NULL)))
        return 2;
    size_t before = resident_now();
    if (strcmp(op, "reader") == 0) {
        reader_once(&b);
    } else if (strcmp(op, "read") == 0) {
        t = ebts_read_buffer(b.p, b.n, EBTS_READ_XML | EBTS_READ_BORROW, NULL);
        if (!t)
            return 2;
    } else {
        unsigned char *w;
        size_t n;
        if (ebts_write_buffer(t, EBTS_FORMAT_XML, &w, &n, NULL) != 0)
            return 2;
        ebts_free(w);
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    size_t peak = (size_t)ru.ru_maxrss * 1024;
    printf("%zu\n", peak > before ? peak - before : 0);
    ebts_txn_free(t);
    free(b.p);
    return 0;
}

/* The bytes the child measured for op on the file at path; exits when it did not run. */
static double xml_peak(const char *self, const char *op, const char *path)
{
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "'%s' --xml-peak %s '%s'", self, op, path);
    FILE *fp = popen(cmd, "r");
    double bytes = -1;
    if (!fp || fscanf(fp, "%lf", &bytes) != 1 || pclose(fp) != 0 || bytes < 0) {
        fprintf(stderr, "ebts-bench: %s did not run\n", cmd);
        exit(2);
    }
    return bytes;
}

static void save(const buf *b, char *path)
{
    int fd = mkstemp(path);
    if (fd < 0 || write(fd, b->p, b->n) != (ssize_t)b->n)
        abort();
    close(fd);
}

/* xml-read and xml-write of the text-heavy set of mb MiB, each timing right after a bare
 * reader pass over the XML; MB/s in bytes of XML. */
static void xml_ops(const char *self, size_t mb)
{
    buf text = text_heavy(mb << 20), x = {0};
    ebts_txn *t = ebts_read_buffer(text.p, text.n, EBTS_READ_TRADITIONAL | EBTS_READ_BORROW, NULL);
    unsigned char *w;
    if (!t || ebts_write_buffer(t, EBTS_FORMAT_XML, &w, &x.n, NULL) != 0)
        abort();
    x.p = w;
    if (x.n > INT_MAX) { /* xmlReaderForMemory takes an int */
        fprintf(stderr, "ebts-bench: %zu bytes of XML is too much for libxml2's reader\n", x.n);
        exit(2);
    }
    char tpath[] = "/tmp/ebts-bench-tXXXXXX", xpath[] = "/tmp/ebts-bench-xXXXXXX";
    save(&text, tpath);
    save(&x, xpath);
    double reader_peak = xml_peak(self, "reader", xpath);
    printf("# xml: the text-heavy set of %zu MiB is %zu bytes of XML; a bare xmlTextReader pass "
           "holds %.2fx its size at most\n", mb, x.n, reader_peak / (double)x.n);
    for (int op = 0; op < 2; op++) {
        double best = 0, reader = 0;
        for (int rep = 0; rep < REPS; rep++) {
            double r = reader_once(&x), t0, secs;
            reader = r > reader ? r : reader;
            if (op == 0) {
                t0 = now();
                ebts_txn *back = ebts_read_buffer(x.p, x.n, EBTS_READ_XML | EBTS_READ_BORROW, NULL);
                secs = now() - t0;
                if (!back)
                    abort();
                ebts_txn_free(back);
            } else {
                size_t n;
                t0 = now();
                if (ebts_write_buffer(t, EBTS_FORMAT_XML, &w, &n, NULL) != 0 || n != x.n)
                    abort();
                secs = now() - t0;
                ebts_free(w);
            }
            double mbps = (double)x.n / 1e6 / secs;
            best = mbps > best ? mbps : best;
        }
        double peak = xml_peak(self, op == 0 ? "read" : "write", op == 0 ? xpath : tpath);
        printf("BENCH name=text-heavy-xml op=%s mbps=%.1f reader_mbps=%.1f ratio=%.3f "
               "peak_ratio=%.2f\n", op == 0 ? "xml-read" : "xml-write", best, reader,
               best / reader, peak / (double)x.n);
        fflush(stdout);
    }
    unlink(tpath);
    unlink(xpath);
    ebts_txn_free(t);
    ebts_free(x.p);
    free(text.p);
}

/* ---- Many small transactions on one and on two threads */

typedef struct small_run {
    const unsigned char *data;
    size_t n, count;
    const ebts_profile *prof;
} small_run;

/* count small transactions read and validated against the shared profile */
static void *small_work(void *arg)
{
    const small_run *s = arg;
    for (size_t i = 0; i < s->count; i++) {
        ebts_txn *t = ebts_read_buffer(s->data, s->n, EBTS_READ_BORROW | EBTS_READ_TRADITIONAL, NULL);
        ebts_report *r = t ? ebts_validate(t, s->prof, NULL) : NULL;
        if (!r)
            abort();
        ebts_report_free(r);
        ebts_txn_free(t);
    }
    return NULL;
}

static volatile uint64_t spin_sink;
/* The ceiling's work: a loop that touches no memory. */
static void *spin_work(void *arg)
{
    uint64_t x = (uint64_t)(uintptr_t)arg | 1, n = 20000000;
    for (uint64_t i = 0; i < n; i++)
        x = x * 6364136223846793005ull + 1442695040888963407ull;
    spin_sink += x;
    return NULL;
}

/* Seconds for nthreads threads each running work(arg[k]), started together. */
static double threads_secs(void *(*work)(void *), void **arg, int nthreads)
{
    pthread_t th[2];
    double t0 = now();
    for (int k = 1; k < nthreads; k++)
        if (pthread_create(&th[k], NULL, work, arg[k]) != 0)
            abort();
    work(arg[0]);
    for (int k = 1; k < nthreads; k++)
        pthread_join(th[k], NULL);
    return now() - t0;
}

/* 2 000 copies of the small SRE at path read and validated against one profile, by one thread
 * and by two (1 000 each), in turns; beside it, a plain loop on one thread and the same loop on
 * each of two: the most two threads can give here. */
static void many_small(const char *path)
{
    buf b = load_file(path);
    ebts_profile *p = ebts_profile_builtin("ebts-11", NULL);
    if (!p)
        abort();
    small_run all = {b.p, b.n, 2000, p}, half = {b.p, b.n, 1000, p};
    void *one[] = {&all}, *two[] = {&half, &half}, *spin[] = {(void *)1, (void *)2};
    double s1 = 1e9, s2 = 1e9, c1 = 1e9, c2 = 1e9, t_end = now() + BOTH_SECS;
    for (int rep = 0; rep < 3 * REPS || now() < t_end; rep++) {
        double a = threads_secs(small_work, one, 1), d = threads_secs(small_work, two, 2);
        double e = threads_secs(spin_work, spin, 1), f = threads_secs(spin_work, spin, 2);
        s1 = a < s1 ? a : s1;
        s2 = d < s2 ? d : s2;
        c1 = e < c1 ? e : c1;
        c2 = f < c2 ? f : c2;
    }
    ebts_profile_free(p);
    printf("BENCH name=many-small op=read+validate txn_per_s=%.0f j2_txn_per_s=%.0f speedup=%.2f "
           "ceiling=%.2f\n", 2000 / s1, 2000 / s2, s1 / s2, 2 * c1 / c2);
    fflush(stdout);
    free(b.p);
}

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "--dump-text-heavy") == 0) { /* for profiling */
        buf b = text_heavy((size_t)atoi(argv[3]) << 20);
        FILE *fp = fopen(argv[2], "wb");
        if (!fp || fwrite(b.p, 1, b.n, fp) != b.n)
            return 2;
        fclose(fp);
        free(b.p);
        return 0;
    }
    if (argc == 4 && strcmp(argv[1], "--xml-peak") == 0)
        return xml_peak_child(argv[2], argv[3]);
    const char *tool = argc > 1 ? argv[1] : "build/bin/ebts-validate";
    size_t mb = argc > 2 ? (size_t)atoi(argv[2]) : 100;
    buf text = text_heavy(mb << 20);
    scan_info("text-heavy", &text, 1);
    static const int text_ops[] = {OP_WALK, OP_WALK_ONE, OP_PARSE, OP_WRITE, OP_VALIDATE,
                                   OP_VALIDATE_ONE};
    ops("text-heavy", &text, text_ops, sizeof text_ops / sizeof text_ops[0], 0);
    validate_tool(tool, &text);
    free(text.p);
    buf img = image_heavy(mb << 20);
    scan_info("image-heavy", &img, 0);
    copy_info("image-heavy", &img);
    static const int image_ops[] = {OP_PARSE_COPY, OP_PARSE, OP_WRITE};
    ops("image-heavy", &img, image_ops, 3, 1);
    free(img.p);
    sre_small("fixtures/samples/clean/idr-iar-match.eft");
    many_small("fixtures/samples/clean/idr-nomatch.eft");
    validate_jobs(tool, "fixtures/samples/clean/idr-nomatch.eft");
    char self[4096];
    ssize_t sl = readlink("/proc/self/exe", self, sizeof self - 1);
    if (sl <= 0)
        abort();
    self[sl] = 0;
    xml_ops(self, mb / 100 ? mb / 100 : 1);
    return 0;
}
