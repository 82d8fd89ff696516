/* Framing: ANSI/NIST-ITL traditional encoding (Annex B), bytes -> records -> fields.
 *
 *   file          = type1-record *record          ; records in the order of 1.003 CNT
 *   tagged-record = field *(GS field) FS          ; types 1, 2, 9, 10-99
 *   field         = tag ":" value                 ; text: ends at GS or FS
 *                 / tag ":" *OCTET                ; x.999 in types 10-99: ends where LEN says
 *   tag           = 1*9DIGIT "." 1*9DIGIT         ; numbers read as integers: 1.01 = 1.001
 *   binary-record = 4-byte big-endian LEN, header, data ; types 3-8, typed by CNT
 *
 * Tolerant: text records end at their FS and a wrong LEN is reported; a record with binary data
 * that LEN does not end on FS is resynchronised on the next FS followed by a record start; RS or
 * US before a tag of the same record is read as GS; a missing final FS, trailing bytes and CNT
 * disagreeing with the records are reported. Nothing here reads outside the buffer, recurses, or
 * allocates in proportion to a number the input claims.
 */
#include <stdlib.h>
#include <string.h>
#include "internal.h"

typedef struct cnt_ent {
    unsigned type;
    int idc;
} cnt_ent;

typedef struct P {
    ebts_txn *t;
    const unsigned char *b;
    size_t n;
    const ebts_read_options *o;
    ebts_error *err;
    cnt_ent *cnt;
    size_t ncnt;
    ebts_field *fs; /* the fields of the record being read, at the arena's top */
    size_t nfs, capfs;
    int simd;       /* what the blocks may use (scan_text): ebts__simd(), or less if asked */
    char rsp[12];   /* the record type spelled in decimal, and its length: see tag_next */
    size_t rsplen;
    uint32_t tag_head, tag_mask; /* "T." as four bytes (tag_usual), the bytes it takes */
    int ascii7;
    int fatal;
} P;

static int is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static int is_binary_type(unsigned type)
{
    return type >= 3 && type <= 8;
}

static size_t binary_header(unsigned type)
{
    if (type == 8)
        return 12; /* LEN 4, IDC, SIG, SRT, ISR, HLL 2, VLL 2 */
    if (type == 7)
        return 5; /* LEN 4, IDC; the rest is user-defined */
    return 18;    /* LEN 4, IDC, IMP, FGP 6, ISR, HLL 2, VLL 2, GCA */
}

/* Digits at b[*i]: value (of the first 9 digits; the count says when there were more), count of
 * digits. */
static EBTS__HOT size_t read_digits(const unsigned char *b, size_t n, size_t *i, uint32_t *val)
{
    size_t start = *i, k = start, lim = n - start < 9 ? n : start + 9;
    uint32_t v = 0;
    while (k < lim && (unsigned)(b[k] - '0') < 10u)
        v = v * 10 + (uint32_t)(b[k++] - '0');
    while (k < n && (unsigned)(b[k] - '0') < 10u)
        k++;
    *val = v;
    *i = k;
    return k - start;
}

typedef struct tag {
    uint32_t type, number;
    size_t tw, nw; /* digit counts */
    size_t end;    /* offset just after ':' */
} tag;

/* A tag "T.N:" at pos; digits limited to `maxd` each. 1 if found. */
static EBTS__HOT int read_tag(const unsigned char *b, size_t n, size_t pos, size_t maxd, tag *tg)
{
    size_t i = pos;
    tg->tw = read_digits(b, n, &i, &tg->type);
    if (tg->tw == 0 || tg->tw > maxd || i >= n || b[i] != '.')
        return 0;
    i++;
    tg->nw = read_digits(b, n, &i, &tg->number);
    if (tg->nw == 0 || tg->nw > maxd || i >= n || b[i] != ':')
        return 0;
    tg->end = i + 1;
    return 1;
}

/* The usual tag at pos in a record of type T: "T.NNN:" with T spelled as the record's type is
 * (p->rsp, one to three digits) and a field number of three digits; what read_tag would give
 * for it, from two loads instead of a walk over the digits (the walk was about a third of
 * parse_tagged's own instructions). 0: another tag, or none (read_tag decides). */
static EBTS__HOT int tag_usual(const P *p, size_t pos, unsigned rtype, tag *tg)
{
    const unsigned char *b = p->b;
    size_t k = p->rsplen;
    if (!p->tag_mask || p->n - pos < 8)
        return 0;
    uint32_t head, w;
    memcpy(&head, b + pos, 4);
    memcpy(&w, b + pos + k + 1, 4);
    if ((head & p->tag_mask) != p->tag_head)
        return 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    w = __builtin_bswap32(w);
#endif
    /* three digits and ':': 0-9 in the first three bytes of t, 0 in the last; a byte of ten or
     * more (or above 0x7F) sets its top bit in t + 0x76 (or in t) */
    uint32_t t = w ^ 0x3a303030u;
    if (((t | (t + 0x00767676u)) & 0xff808080u) != 0)
        return 0;
    tg->type = rtype;
    tg->number = (t & 0xff) * 100 + (t >> 8 & 0xff) * 10 + (t >> 16 & 0xff);
    tg->tw = k;
    tg->nw = 3;
    tg->end = pos + k + 5;
    return 1;
}

/* "T." of the record type spelled in p->rsp, for tag_usual (types of one to three digits). */
static void set_tag_head(P *p)
{
    unsigned char h[4] = {0, 0, 0, 0}, m[4] = {0, 0, 0, 0};
    p->tag_head = p->tag_mask = 0;
    if (p->rsplen < 1 || p->rsplen > 3)
        return;
    for (size_t j = 0; j <= p->rsplen; j++) {
        h[j] = j < p->rsplen ? (unsigned char)p->rsp[j] : '.';
        m[j] = 0xff;
    }
    memcpy(&p->tag_head, h, 4); /* in memory order, as the loads in tag_usual */
    memcpy(&p->tag_mask, m, 4);
}

/* A tagged record begins at pos: "T.N:" with a type of at most 9 digits; the field part may be
 * overlong (reported later). */
static int looks_tagged(const P *p, size_t pos)
{
    tag tg;
    return read_tag(p->b, p->n, pos, 64, &tg) && tg.tw <= 9;
}

/* What ebts__frame asks of a transaction's first bytes, "T.N:" with T of one to nine digits of
 * value 1 and N of one to 64 digits, asked of the first n bytes alone: a verdict (internal.h)
 * that at most 75 bytes decide. */
int ebts__frame_could_begin(const unsigned char *b, size_t n)
{
    size_t i = 0, d = 0;
    while (i < n && b[i] == '0')
        i++;
    if (i >= n)
        return i < 9 ? EBTS__UNDECIDED : EBTS__CANNOT;
    if (i >= 9 || b[i] != '1')
        return EBTS__CANNOT;
    if (++i >= n)
        return EBTS__UNDECIDED;
    if (b[i++] != '.')
        return EBTS__CANNOT;
    for (; i < n && is_digit(b[i]); i++)
        if (++d > 64)
            return EBTS__CANNOT;
    if (i >= n)
        return EBTS__UNDECIDED;
    return d > 0 && b[i] == ':' ? EBTS__COULD : EBTS__CANNOT;
}

size_t ebts__tag_of_type(const unsigned char *b, size_t n, size_t pos, unsigned rtype)
{
    tag tg;
    return read_tag(b, n, pos, 9, &tg) && tg.type == rtype ? tg.end - pos : 0;
}

#if defined(__GNUC__)
__attribute__((noinline)) /* kept out of the scan loop that asks it (tag_next) */
#endif
static int tag_of_type(const P *p, size_t pos, unsigned rtype)
{
    return ebts__tag_of_type(p->b, p->n, pos, rtype) != 0;
}

/* Is "T.N:" with T = the record type at pos (pos < n)? Asked after every RS and US, so the
 * common answer is found from the first bytes: a digit run not beginning with 0 can only have the
 * value of the type when it is the type's spelling, and read_tag also needs the '.' after it. */
static EBTS__HOT int tag_next(const P *p, size_t pos, unsigned rtype)
{
    const unsigned char *b = p->b;
    size_t k = p->rsplen;
    if (b[pos] == '0')
        return tag_of_type(p, pos, rtype);
    if (p->n - pos <= k || b[pos + k] != '.' || memcmp(b + pos, p->rsp, k) != 0)
        return 0;
    return tag_of_type(p, pos, rtype);
}

/* Could a record start at pos? 2: a record of the type CNT announces next (or the end of
 * input), 1: some tagged record "T.001:<digits><GS>", or a record of LEN alone
 * "T.001:<digits><FS>" whose LEN is its length, 0: no. Used to confirm or find the end of a
 * record with binary data, whose bytes may hold anything. */
static int record_starts(const P *p, size_t pos, size_t next_cnt)
{
    if (pos == p->n)
        return 2;
    tag tg;
    if (read_tag(p->b, p->n, pos, 9, &tg)) {
        size_t i = tg.end;
        uint32_t v;
        size_t d = read_digits(p->b, p->n, &i, &v);
        if (tg.number != 1 || d == 0 || i >= p->n ||
            !(p->b[i] == EBTS__GS || (p->b[i] == EBTS__FS && d <= 9 && v == i + 1 - pos)))
            return 0;
        return next_cnt >= p->ncnt || p->cnt[next_cnt].type == tg.type ? 2 : 1;
    }
    if (next_cnt < p->ncnt && is_binary_type(p->cnt[next_cnt].type) && p->n - pos >= 5) {
        const unsigned char *q = p->b + pos;
        uint32_t len = (uint32_t)q[0] << 24 | (uint32_t)q[1] << 16 | (uint32_t)q[2] << 8 | q[3];
        return len >= binary_header(p->cnt[next_cnt].type) && len <= p->n - pos &&
                       (p->cnt[next_cnt].idc < 0 || q[4] == p->cnt[next_cnt].idc)
                   ? 2
                   : 0;
    }
    return 0;
}

static void fatal_limit(P *p, size_t off, long rec, const char *what, size_t limit)
{
    if (!p->fatal)
        ebts__error_set(p->err, EBTS__C_LIMIT_EXCEEDED, off, rec, NULL, "more than %zu %s", limit,
                        what);
    p->fatal = 1;
}

static void fatal_oom(P *p)
{
    if (!p->fatal)
        ebts__error_oom(p->err);
    p->fatal = 1;
}

static ebts_field *scratch_field(P *p, size_t off, long rec)
{
    if (p->nfs >= p->o->max_fields) {
        fatal_limit(p, off, rec, "fields in one record", p->o->max_fields);
        return NULL;
    }
    if (p->nfs == p->capfs) { /* the room at the arena's top is full: twice as much elsewhere */
        size_t avail;
        ebts_field *f = ebts__arena_regrow(&p->t->arena, p->fs, p->nfs * sizeof *f,
                                           2 * p->capfs * sizeof *f, &avail);
        if (!f) {
            fatal_oom(p);
            return NULL;
        }
        p->fs = f;
        p->capfs = avail / sizeof *f;
    }
    ebts_field *f = &p->fs[p->nfs++];
    memset(f, 0, sizeof *f);
    f->offset = (uint32_t)off;
    return f;
}

/* One pass over a text value from i: it stops at GS, FS, or an RS/US that stands before a tag
 * of this record, and notes whether the value holds RS or US and bytes above 0x7F, so that the
 * 7-bit check runs only when needed. Neither the counts of subfields and items nor their index
 * is written here: they are taken from the value's bytes when first asked for
 * (ebts__field_index).
 *
 * Sixty-four bytes at a time, each block gives bit masks of its separators, of GS and FS, of
 * its bytes above 0x7F and of the RS/US that may stand before a tag of the record (the first
 * two bytes of "T." where T is the record type, or a '0' and then '0' or T's first digit: a
 * type spelled with leading zeros; tag_next decides): one AVX-512BW register, two AVX2 ones or
 * four SSE2 ones, the widest the processor has. Only those last RS/US are looked at one by one
 * (tag_next). First, most values being short, one SSE2 block finds
 * a value that GS or FS ends within sixteen bytes. The last bytes of the input go eight at a
 * time while none is a separator or above 0x7F, else byte by byte.
 *
 * Returned by value and forced inline into parse_tagged: as a call with out-pointers, its
 * stores and reloads on the stack made the small-SRE parse depend on where the stack sat. */
typedef struct {
    size_t end;
    int kind;        /* the separator byte that stopped the scan (0 at end of input) */
    int high;        /* a byte above 0x7F inside */
    size_t nrs, nseps; /* RS inside; RS and US inside (where the blocks read the value: only
                          nonzero when there was one) */
} scan_r;

typedef ebts__seps seps_count; /* what a value held so far (simd.h) */

/* RS or US at i ends the field before a tag (read as GS): the finding. */
#if defined(__GNUC__)
__attribute__((noinline, cold))
#endif
static void separator_before_tag(P *p, size_t i, unsigned rtype, unsigned field, long rec)
{
    ebts__diag(p->t, EBTS__C_SEPARATOR_BEFORE_TAG, EBTS__AT_FIELD(i, rec, rtype, field),
               "%s at offset %zu ends a field before a new tag; read as GS",
               p->b[i] == EBTS__RS ? "RS" : "US", i);
}

/* Separator c at i, byte by byte: 1 when it ends the value (GS, FS, or RS/US before a tag of
 * the record); else it is counted. */
static EBTS__HOT int at_separator(P *p, seps_count *k, size_t i, unsigned char c, unsigned rtype,
                                   unsigned field, long rec)
{
    if (c == EBTS__GS || c == EBTS__FS)
        return 1;
    const unsigned char *b = p->b;
    if (i + 1 < p->n && is_digit(b[i + 1]) && tag_next(p, i + 1, rtype)) {
        separator_before_tag(p, i, rtype, field, rec);
        return 1;
    }
    k->nseps++;
    k->nrs += c == EBTS__RS;
    return 0;
}

static EBTS__HOT scan_r scan_text(P *p, size_t i, unsigned rtype, unsigned field, long rec)
{
    const unsigned char *b = p->b;
    size_t n = p->n;
    seps_count k = {0, 0, 0};
    scan_r r = {n, 0, 0, 0, 0};
#if defined(__SSE2__)
    if (n - i >= 16) { /* most values are short: ended by GS or FS in their first 16 bytes */
        unsigned j, hi;
        if (ebts__gs_or_fs_in_16(b + i, &j, &hi)) {
            r.end = i + j;
            r.kind = b[r.end];
            r.high = hi != 0;
            return r;
        }
    }
    if (n - i >= 66) {
        unsigned char d0 = (unsigned char)p->rsp[0];
        unsigned char d1 = p->rsplen > 1 ? (unsigned char)p->rsp[1] : '.';
        uint64_t skip = 0, forced = 0;
        int kind;
        for (;;) {
            unsigned bit = 0;
            size_t was = i;
            i = ebts__simd_blocks(p->simd, b, n, i, skip, forced, d0, d1, &k, &kind, &bit);
            if (kind != 1)
                break;
            if (i != was) /* skip was of an earlier block */
                skip = 0;
            if (tag_next(p, i + bit + 1, rtype)) { /* i + bit + 1 < n: 66 bytes remain */
                separator_before_tag(p, i + bit, rtype, field, rec);
                forced = (uint64_t)1 << bit;
            } else {
                skip |= ((uint64_t)2 << bit) - 1; /* bit 63: every bit */
            }
        }
        if (kind) {
            r.kind = kind;
            goto done;
        }
    }
#endif
    for (;;) {
        while (i + 8 <= n) {
            uint64_t x;
            memcpy(&x, b + i, 8);
            /* 0 where 0x1C-0x1F */
            uint64_t y = (x ^ (0x1cull * EBTS__ONES8)) & (0xfcull * EBTS__ONES8);
            if (((y - EBTS__ONES8) & ~y & EBTS__HIGHS8) || (x & EBTS__HIGHS8))
                break;
            i += 8;
        }
        if (i >= n) {
            i = n;
            break;
        }
        unsigned char c = b[i];
        if (c >= 0x80) {
            k.high = 1;
            i++;
            continue;
        }
        if (c < EBTS__FS || c > EBTS__US) {
            i++;
            continue;
        }
        if (at_separator(p, &k, i, c, rtype, field, rec)) {
            r.kind = c == EBTS__GS || c == EBTS__FS ? c : EBTS__GS;
            break;
        }
        i++;
    }
#if defined(__SSE2__)
done:
#endif
    r.end = i;
    r.high = k.high != 0;
    r.nrs = k.nrs;
    r.nseps = k.nseps;
    return r;
}

/* The end (FS offset, or n) of a 999 field whose value starts at vs in the record at off. */
static size_t binary_end(P *p, size_t off, size_t vs, int have_len, uint64_t len, long rec,
                         unsigned rtype, size_t next_cnt, int *missing_fs)
{
    const unsigned char *b = p->b;
    size_t n = p->n;
    int lands = have_len && len > vs - off && len <= n - off && b[off + len - 1] == EBTS__FS;
    *missing_fs = 0;
    if (lands && record_starts(p, off + (size_t)len, next_cnt) == 2)
        return off + (size_t)len - 1;
    /* resynchronise: the first FS followed by the record CNT announces next (or the end of
     * input) wins; a LEN that lands on FS comes next; then the first FS before any tagged record */
    size_t strong = 0, weak = 0;
    int have_strong = 0, have_weak = 0;
    for (size_t j = vs; j < n && !have_strong; j++) {
        const unsigned char *q = memchr(b + j, EBTS__FS, n - j);
        if (!q)
            break;
        j = (size_t)(q - b);
        int k = record_starts(p, j + 1, next_cnt);
        if (k == 2) {
            strong = j;
            have_strong = 1;
        } else if (k == 1 && !have_weak) {
            weak = j;
            have_weak = 1;
        }
    }
    if (!have_strong && lands)
        return off + (size_t)len - 1; /* trust LEN; what follows is reported by the caller */
    if (have_strong || have_weak) {
        size_t j = have_strong ? strong : weak;
        if (have_len)
            ebts__diag(p->t, len > n - off ? EBTS__C_LEN_BEYOND_END : EBTS__C_DATA_RESYNC,
                       EBTS__AT_FIELD(off, rec, rtype, 1),
                       "LEN says %llu, record with binary data ends at the FS at offset %zu "
                       "(%zu bytes)",
                       (unsigned long long)len, j, j + 1 - off);
        return j;
    }
    if (have_len && len > n - off)
        ebts__diag(p->t, EBTS__C_LEN_BEYOND_END, EBTS__AT_FIELD(off, rec, rtype, 1),
                   "LEN says %llu, only %zu bytes remain", (unsigned long long)len, n - off);
    *missing_fs = 1;
    return n;
}

static void check_text_value(P *p, const ebts_field *f, long rec, unsigned rtype, int ascii7)
{
    if (f->flags & EBTS__F_BINARY)
        return;
    size_t at = f->offset == EBTS__NOWHERE ? 0 : (size_t)(f->val - p->b);
    if (f->len > 0 && f->val[0] == ' ' && !(f->flags & EBTS__F_MALFORMED))
        ebts__diag(p->t, EBTS__C_LEADING_SPACE, EBTS__AT_FIELD(at, rec, rtype, f->number),
                   "value begins with a space");
    if (ascii7 && (f->flags & EBTS__F_HIGH)) {
        for (uint32_t i = 0; i < f->len; i++)
            if (f->val[i] >= 0x80) {
                ebts__diag(p->t, EBTS__C_NON_ASCII, EBTS__AT_FIELD(at + i, rec, rtype, f->number),
                           "byte 0x%02X at offset %zu in 7-bit ASCII data%s", f->val[i], at + i,
                           rtype == 1 ? " (Type-1 is always 7-bit)" : "");
                break;
            }
    }
}

/* A field number that occurs more than once is reported once, at its second occurrence. Sorted
 * as (number, position) pairs: the second of each run is that occurrence (linear search from
 * the start of the record is quadratic in the fields of a record). Asked only
 * for a record whose numbers do not ascend (parse_tagged sees that as it reads them). */
static void check_duplicates(P *p, const ebts_record *r, long rec)
{
    size_t k;
    uint64_t *keys = ebts__field_numbers_sorted(r, &k);
    if (!keys) {
        fatal_oom(p); /* not a finding left out in silence */
        return;
    }
    for (size_t i = 1; i < k; i++) {
        uint32_t num = (uint32_t)(keys[i] >> 32);
        if (num != (uint32_t)(keys[i - 1] >> 32) ||
            (i >= 2 && num == (uint32_t)(keys[i - 2] >> 32)))
            continue; /* not the second of its run */
        const ebts_field *second = &r->fields[(uint32_t)keys[i]];
        ebts__diag(p->t, EBTS__C_DUPLICATE_FIELD, EBTS__AT_FIELD(second->offset, rec, r->type, num),
                   "field %u.%03u occurs more than once; the first one counts", r->type, num);
    }
    free(keys);
}

/* What parse_tagged knows of a record once its fields are read. */
typedef struct {
    unsigned rtype;
    int have_len, short_tag, ended_fs, ascending;
    uint64_t len;      /* LEN's value, when have_len */
    size_t findings0;  /* findings before the record */
} rstate;

/* LEN's value from its digits at b[vs, e): 1, or 0 after LEN_INVALID. */
static int read_len(P *p, size_t vs, size_t e, long rec, unsigned rtype, uint64_t *len)
{
    const unsigned char *b = p->b;
    size_t i = vs;
    uint32_t v32;
    size_t d = read_digits(b, e, &i, &v32);
    if (d == 0 || i != e || d > 10) {
        ebts__diag(p->t, EBTS__C_LEN_INVALID, EBTS__AT_FIELD(vs, rec, rtype, 1),
                   "LEN \"%.*s\" is not a decimal number", (int)(e - vs > 20 ? 20 : e - vs),
                   (const char *)(b + vs));
        return 0;
    }
    *len = 0;
    for (i = vs; i < e; i++)
        *len = *len * 10 + (uint64_t)(b[i] - '0');
    return 1;
}

/* The record of the fields parse_tagged read (p->fs), its record-level findings, and whether
 * the writer may copy it as read; *next is one past it. */
static ebts_record *finish_record(P *p, size_t off, long rec, size_t pos, const rstate *rs,
                                  size_t *next)
{
    const unsigned char *b = p->b;
    size_t n = p->n;
    unsigned rtype = rs->rtype;
    int ended_fs = rs->ended_fs, have_len = rs->have_len, short_tag = rs->short_tag;
    uint64_t len = rs->len;
    size_t findings0 = rs->findings0;
    size_t end = ended_fs ? pos + 1 : n; /* one past the record */
    ebts__arena_take(&p->t->arena, p->nfs * sizeof *p->fs);
    ebts_record *r = ebts__record_new(p->t, rtype);
    if (!r) {
        fatal_oom(p);
        return NULL;
    }
    r->offset = (uint32_t)off;
    r->fields = p->fs;
    if (ebts__txn_add_record(p->t, r) < 0) {
        fatal_oom(p);
        return NULL;
    }
    r->nfields = r->capfields = (uint32_t)p->nfs;
    if (!ended_fs)
        ebts__diag(p->t, EBTS__C_MISSING_FS, EBTS__AT_RECORD(n, rec, rtype),
                   "Type-%u record at offset %zu ends at the end of input without FS", rtype, off);
    int has_binary = r->nfields && (r->fields[r->nfields - 1].flags & EBTS__F_BINARY);
    if (have_len && !has_binary && len != end - off)
        ebts__diag(p->t, EBTS__C_LEN_MISMATCH, EBTS__AT_FIELD(off, rec, rtype, 1),
                   "LEN says %llu, record is %zu bytes", (unsigned long long)len, end - off);
    if (short_tag)
        ebts__diag(p->t, EBTS__C_SHORT_TAG,
                   EBTS__AT_FIELD(r->fields[short_tag - 1].offset, rec, rtype,
                                  r->fields[short_tag - 1].number),
                   "tags in this record use fewer than 3 digits for the field number");
    if (!rs->ascending)
        check_duplicates(p, r, rec);
    if (p->fatal)
        return NULL;
    /* Read without a finding (so: every field tagged, in this record's type, ended by GS and the
     * last by FS, LEN first and right): the writer would give back these very bytes. */
    if (ended_fs && have_len && len == end - off && p->t->dl.added == findings0 &&
        r->fields[0].number == 1 && !(r->fields[0].flags & EBTS__F_MALFORMED)) {
        r->span_idc = ebts__record_idc_of(r); /* while the fields are in the cache: writing
                                                 CNT asks for every record's */
        r->span = b + off;
        r->spanlen = (uint32_t)(end - off);
    }
    *next = end;
    return r;
}

/* What is wrong with a field's tag (found: there is one; ok: its numbers fit), at `at`. */
static void tag_findings(P *p, int found, int ok, const tag *tg, ebts__loc at)
{
    if (found && !ok)
        ebts__diag(p->t, EBTS__C_TAG_NUMBER_TOO_LONG, at,
                   "tag number with %zu digits; kept as raw bytes",
                   tg->tw > tg->nw ? tg->tw : tg->nw);
    else if (!found)
        ebts__diag(p->t, EBTS__C_BAD_TAG, at,
                   "field %zu of the record does not begin with T.N:; kept as raw bytes", p->nfs);
    if (p->nfs == 1 && (!ok || tg->number != 1))
        ebts__diag(p->t, EBTS__C_LEN_MISSING, at, "record does not begin with its LEN field %u.001",
                   at.rtype);
}

/* Read the tagged record at off. Returns the record (added to t) or NULL on a fatal error;
 * *next = offset after the record. */
static ebts_record *parse_tagged(P *p, size_t off, long rec, size_t next_cnt, size_t *next)
{
    const unsigned char *b = p->b;
    size_t n = p->n, pos = off;
    unsigned rtype = 0;
    int have_len = 0, short_tag = 0, ended_fs = 0;
    uint64_t len = 0;
    size_t findings0 = p->t->dl.added;
    uint32_t prev = 0; /* the last tagged field's number, while they ascend */
    int ascending = 1;
    p->nfs = 0;
#if defined(__SSE2__)
    const size_t max_fields = p->o->max_fields;
    const int short_ok = p->o->max_items > 0 && !(p->o->flags & EBTS__READ_GENERAL);
#endif
    /* the fields are written where they stay, at the top of the arena */
    size_t avail;
    p->fs = ebts__arena_room(&p->t->arena, 64 * sizeof *p->fs, &avail);
    if (!p->fs) {
        fatal_oom(p);
        return NULL;
    }
    p->capfs = avail / sizeof *p->fs;
    for (;;) {
        size_t fstart = pos;
        tag tg = {0};
        int usual = p->nfs > 0 && tag_usual(p, pos, rtype, &tg);
#if defined(__SSE2__)
        /* The short path, for most fields: a usual tag (not x.999), then a value that GS or FS
         * ends within sixteen bytes. It can have no finding but LEADING_SPACE and NON_ASCII, so
         * it is written at once; EBTS__READ_GENERAL turns it off (fuzz_read and test_frame
         * compare the two). */
        if (usual && short_ok && tg.number != 999 && n - tg.end >= 16 && p->nfs < p->capfs &&
            p->nfs < max_fields) {
            size_t vs = tg.end;
            unsigned j, hi;
            if (ebts__gs_or_fs_in_16(b + vs, &j, &hi)) {
                ebts_field *f = &p->fs[p->nfs++];
                f->val = b + vs;
                f->len = j;
                f->number = tg.number;
                f->offset = (uint32_t)fstart;
                f->type_w = (uint8_t)tg.tw;
                f->num_w = 3;
                f->flags = (uint8_t)(hi ? EBTS__F_HIGH : 0);
                f->tagtype = (uint8_t)(rtype < EBTS__TAGTYPE_BIG ? rtype : EBTS__TAGTYPE_BIG);
                f->sub_first = NULL;
                if (hi || (j && b[vs] == ' '))
                    check_text_value(p, f, rec, rtype, rtype == 1 || p->ascii7);
                ascending &= tg.number > prev;
                prev = tg.number;
                pos = vs + j;
                if (b[pos] == EBTS__FS) {
                    ended_fs = 1;
                    break;
                }
                if (++pos < n)
                    continue;
                break; /* GS as the very last byte: the record's FS is missing */
            }
        }
#endif
        ebts_field *f = scratch_field(p, fstart, rec);
        if (!f)
            return NULL;
        int stop = 0;
        int found = usual || read_tag(b, n, pos, 64, &tg);
        int ok = found && tg.tw <= 9 && tg.nw <= 9;
        if (p->nfs == 1) {
            rtype = found ? tg.type : 0; /* the caller saw a tag here */
            p->rsplen = ebts__put_padded(p->rsp, 0, sizeof p->rsp, rtype, 1);
            set_tag_head(p);
        }
        tag_findings(p, found, ok, &tg, EBTS__AT_RECORD(fstart, rec, rtype));
        if (!ok) {
            f->flags = EBTS__F_MALFORMED;
            f->val = b + fstart;
            scan_r sr = scan_text(p, fstart, rtype, 0, rec);
            size_t e = sr.end;
            stop = sr.kind;
            f->flags |= (uint8_t)(sr.high ? EBTS__F_HIGH : 0);
            f->len = (uint32_t)(e - fstart);
            pos = e;
        } else {
            f->tagtype = (uint8_t)(tg.type < EBTS__TAGTYPE_BIG ? tg.type : EBTS__TAGTYPE_BIG);
            f->number = tg.number;
            f->type_w = (uint8_t)tg.tw;
            f->num_w = (uint8_t)tg.nw;
            if (tg.nw < 3)
                short_tag = short_tag ? short_tag : (int)p->nfs;
            if (tg.type != rtype)
                ebts__diag(p->t, EBTS__C_TAG_TYPE_MISMATCH,
                           EBTS__AT_FIELD(fstart, rec, rtype, tg.number),
                           "tag %u.%u in a Type-%u record", tg.type, tg.number, rtype);
            size_t vs = tg.end;
            f->val = b + vs;
            if (tg.number == 999 && rtype >= 10) {
                int missing = 0;
                size_t e = binary_end(p, off, vs, have_len, len, rec, rtype, next_cnt, &missing);
                f->flags = EBTS__F_BINARY;
                f->len = (uint32_t)(e - vs);
                pos = e;
                stop = missing ? 0 : EBTS__FS;
            } else {
                scan_r sr = scan_text(p, vs, rtype, tg.number, rec);
                size_t e = sr.end;
                stop = sr.kind;
                f->len = (uint32_t)(e - vs);
                f->flags |= (uint8_t)((sr.nseps ? EBTS__F_LAZY : 0) | (sr.high ? EBTS__F_HIGH : 0));
                if (sr.nseps)
                    f->sub_first = ebts__ixpool_ref(&p->t->ixpool);
                if (sr.nseps && f->len >= p->o->max_items) { /* fewer bytes: fewer items */
                    size_t nrs, nseps;
                    ebts__count_seps(f->val, f->len, &nrs, &nseps);
                    if (nseps >= p->o->max_items) {
                        fatal_limit(p, fstart, rec, "items in one field", p->o->max_items);
                        return NULL;
                    }
                }
                pos = e;
                if (p->nfs == 1 && tg.number == 1)
                    have_len = read_len(p, vs, e, rec, rtype, &len);
            }
        }
        /* the value's own findings now, while it is in the cache (after LEN's, at the same
         * offset, as before) */
        check_text_value(p, f, rec, rtype, rtype == 1 || p->ascii7);
        if (!(f->flags & EBTS__F_MALFORMED)) {
            ascending &= f->number > prev;
            prev = f->number;
        }
        if (stop == EBTS__GS) {
            pos++;
            if (pos < n)
                continue;
            /* GS as the very last byte: the record's FS is missing */
            stop = 0;
        }
        ended_fs = stop == EBTS__FS;
        break;
    }
    rstate rs = {rtype, have_len, short_tag, ended_fs, ascending, len, findings0};
    return finish_record(p, off, rec, pos, &rs, next);
}

/* Read 1.003 CNT into p->cnt. */
static void read_cnt(P *p, const ebts_record *t1)
{
    const ebts_field *f = ebts_record_field(t1, 3);
    if (!f) {
        ebts__diag(p->t, EBTS__C_CNT_MISSING, EBTS__AT_FIELD(t1->offset, 0, 1, 3),
                   "Type-1 has no 1.003 CNT field; records are found by their bytes");
        return;
    }
    size_t nsub = ebts_field_subfield_count(f);
    p->cnt = malloc(nsub * sizeof *p->cnt);
    if (!p->cnt) {
        fatal_oom(p);
        return;
    }
    int count = -1;
    /* the items straight from the field's index, built once (a CNT of 45 000 subfields asked
     * through ebts_field_item was 2 % of a 100 MB parse); through the public accessors, which
     * answer from the bytes, when there was no memory for it */
    const uint32_t *ix = ebts__field_index(f);
    int direct = ix || !(f->flags & EBTS__F_LAZY); /* an index, or one item */
    for (size_t s = 0; s < nsub; s++) {
        ebts_span none = {NULL, 0}; /* a subfield has one item at least: only c may be none */
        size_t items = direct ? ebts__ix_items_in(ix, s) : ebts_field_item_count(f, s);
        ebts_span a = direct ? ebts__ix_item(ix, f, s, 0) : ebts_field_item(f, s, 0);
        ebts_span c = !direct ? ebts_field_item(f, s, 1) : items > 1 ? ebts__ix_item(ix, f, s, 1)
                                                                     : none;
        int x, y;
        size_t at = a.ptr ? (size_t)(a.ptr - p->b) : f->offset;
        if (items != 2 || !ebts__parse_uint(a.ptr, a.len, &x) ||
            !ebts__parse_uint(c.ptr, c.len, &y)) {
            ebts__diag(p->t, EBTS__C_CNT_INVALID, EBTS__AT_ITEM(at, 0, 1, 3, (long)s, -1),
                       "CNT subfield %zu is not two numbers separated by US", s + 1);
            if (s > 0) {
                /* keep the entry so later ones stay aligned; its type is unknown */
                p->cnt[p->ncnt].type = ebts__parse_uint(a.ptr, a.len, &x) ? (unsigned)x : 0;
                p->cnt[p->ncnt].idc = -1;
                p->ncnt++;
            }
            continue;
        }
        if (s == 0) {
            if (x != 1)
                ebts__diag(p->t, EBTS__C_CNT_INVALID, EBTS__AT_ITEM(at, 0, 1, 3, 0, 0),
                           "CNT first subfield must begin with 1 (the Type-1 record), found %d", x);
            count = y;
            continue;
        }
        p->cnt[p->ncnt].type = (unsigned)x;
        p->cnt[p->ncnt].idc = y;
        p->ncnt++;
    }
    if (count >= 0 && (size_t)count != p->ncnt)
        ebts__diag(p->t, EBTS__C_CNT_COUNT_MISMATCH, EBTS__AT_ITEM(f->offset, 0, 1, 3, 0, 1),
                   "CNT says %d records follow Type-1 but lists %zu", count, p->ncnt);
}

static void check_cnt_entry(P *p, const ebts_record *r, long rec, size_t k)
{
    if (k >= p->ncnt) {
        ebts__diag(p->t, EBTS__C_RECORD_NOT_IN_CNT, EBTS__AT_RECORD(r->offset, rec, r->type),
                   "Type-%u record at offset %u is not announced in 1.003 CNT", r->type, r->offset);
        return;
    }
    if (p->cnt[k].type != r->type)
        ebts__diag(p->t, EBTS__C_CNT_TYPE_MISMATCH, EBTS__AT_RECORD(r->offset, rec, r->type),
                   "CNT entry %zu announces Type-%u, the record is Type-%u", k + 1, p->cnt[k].type,
                   r->type);
    int idc = ebts__record_idc_of(r);
    if (idc >= 0 && p->cnt[k].idc >= 0 && idc != p->cnt[k].idc)
        ebts__diag(p->t, EBTS__C_CNT_IDC_MISMATCH,
                   EBTS__AT_FIELD(r->offset, rec, r->type, r->binary ? 0 : 2),
                   "CNT entry %zu announces IDC %d, the record has IDC %d", k + 1, p->cnt[k].idc,
                   idc);
}

static ebts_record *parse_binary(P *p, size_t off, long rec, unsigned type, size_t *next)
{
    size_t hdr = binary_header(type);
    if (p->n - off < 4) {
        ebts__diag(p->t, EBTS__C_LEN_BEYOND_END, EBTS__AT_RECORD(off, rec, type),
                   "Type-%u binary record needs a 4-byte LEN, only %zu bytes remain", type,
                   p->n - off);
        return NULL;
    }
    const unsigned char *q = p->b + off;
    uint32_t len = (uint32_t)q[0] << 24 | (uint32_t)q[1] << 16 | (uint32_t)q[2] << 8 | q[3];
    if (len < hdr) {
        ebts__diag(p->t, EBTS__C_BINARY_LEN_TOO_SMALL, EBTS__AT_RECORD(off, rec, type),
                   "Type-%u binary record LEN says %u, its header alone is %zu bytes", type, len,
                   hdr);
        return NULL;
    }
    if (len > p->n - off) {
        ebts__diag(p->t, EBTS__C_LEN_BEYOND_END, EBTS__AT_RECORD(off, rec, type),
                   "Type-%u binary record LEN says %u, only %zu bytes remain", type, len,
                   p->n - off);
        return NULL;
    }
    ebts_record *r = ebts__record_new(p->t, type);
    if (!r || ebts__txn_add_record(p->t, r) < 0) {
        fatal_oom(p);
        return NULL;
    }
    r->binary = 1;
    r->offset = (uint32_t)off;
    r->raw = q;
    r->rawlen = len;
    *next = off + len;
    return r;
}

int ebts__frame(ebts_txn *t, const ebts_read_options *o, ebts_error *err)
{
    P p;
    memset(&p, 0, sizeof p);
    p.t = t;
    p.b = t->buf;
    p.n = t->len;
    p.o = o;
    p.err = err;
    p.ascii7 = 1;
#if EBTS__X86_WIDE
    p.simd = o->flags & EBTS__READ_SSE2 ? 0 : ebts__simd();
    if ((o->flags & EBTS__READ_AVX2) && p.simd > EBTS__AVX2)
        p.simd = EBTS__AVX2;
#endif
    if (p.n == 0) {
        ebts__error_set(err, EBTS__C_EMPTY_INPUT, 0, -1, NULL, "the input has no bytes");
        return -1;
    }
    tag tg;
    if (!read_tag(p.b, p.n, 0, 64, &tg) || tg.type != 1 || tg.tw > 9) {
        ebts__error_set(err, EBTS__C_NOT_TRANSACTION, 0, -1, NULL,
                        "input does not begin with a Type-1 record (1.001:LEN)");
        return -1;
    }
    size_t pos = 0;
    ebts_record *t1 = parse_tagged(&p, 0, 0, 0, &pos);
    if (!t1)
        goto fail;
    read_cnt(&p, t1);
    if (p.fatal)
        goto fail;
    p.ascii7 = ebts__txn_ascii7(t);
    size_t k = 0;
    while (pos < p.n) {
        long rec = (long)t->nrecs;
        if (t->nrecs >= o->max_records) {
            fatal_limit(&p, pos, rec, "records", o->max_records);
            goto fail;
        }
        const cnt_ent *exp = k < p.ncnt ? &p.cnt[k] : NULL;
        ebts_record *r = NULL;
        size_t next = pos;
        if (exp && is_binary_type(exp->type) && !looks_tagged(&p, pos)) {
            r = parse_binary(&p, pos, rec, exp->type, &next);
            if (!r && p.fatal)
                goto fail;
        } else if (looks_tagged(&p, pos)) {
            r = parse_tagged(&p, pos, rec, k + 1, &next);
            if (!r)
                goto fail;
        }
        if (!r) {
            if (exp)
                ebts__diag(t, EBTS__C_UNREADABLE_BYTES, EBTS__AT_RECORD(pos, rec, 0),
                           "%zu bytes from offset %zu cannot be read as the Type-%u record CNT "
                           "announces; they are kept but not written",
                           p.n - pos, pos, exp->type);
            else
                ebts__diag(t, EBTS__C_TRAILING_BYTES, EBTS__AT_FILE(pos),
                           "%zu bytes after the last record are not part of the transaction",
                           p.n - pos);
            t->unread_off = pos;
            t->unread_len = p.n - pos;
            break;
        }
        r->cnt_idc = exp ? exp->idc : -1;
        check_cnt_entry(&p, r, rec, k);
        k++;
        pos = next;
    }
    for (; k < p.ncnt; k++)
        ebts__diag(t, EBTS__C_RECORD_MISSING, EBTS__AT_RECORD(p.n, -1, p.cnt[k].type),
                   "CNT announces a Type-%u record (IDC %d) that is not in the input",
                   p.cnt[k].type, p.cnt[k].idc);
    if (t->nrecs > 0)
        t->recs[0]->cnt_idc = -1;
    /* The first Type-1's CNT is derived from the records: its bytes are what the writer would
     * give only when the whole transaction read without a finding (CNT's count, every entry's
     * type and IDC matched the records, nothing unread). */
    if (t->nrecs > 0 && t->dl.added != 0)
        t->recs[0]->span = NULL;
    ebts__dlist_sort(&t->dl);
    free(p.cnt);
    if (t->dl.oom) {
        ebts__error_oom(err);
        return -1;
    }
    return 0;
fail:
    free(p.cnt);
    return -1;
}

/* One record carried whole (the XML encoding's lebts:Record), appended to t: b[0, n) lives in
 * t's arena. A binary record's type is given; a tagged record is typed by its tags, whatever
 * type it was announced as, as the transaction's reader types it. */
int ebts__frame_record(ebts_txn *t, const unsigned char *b, size_t n, unsigned type, int binary,
                       const ebts_read_options *o, size_t *used, ebts_error *err)
{
    tag tg;
    P p;
    memset(&p, 0, sizeof p);
    p.t = t;
    p.b = b;
    p.n = n;
    p.o = o;
    p.err = err;
    p.ascii7 = ebts__txn_ascii7(t);
#if EBTS__X86_WIDE
    p.simd = ebts__simd();
#endif
    long rec = (long)t->nrecs;
    ebts_record *r = NULL;
    if (binary && is_binary_type(type) && n >= binary_header(type) && n <= 0xffffffffu) {
        r = ebts__record_new(t, type);
        if (!r || ebts__txn_add_record(t, r) < 0) {
            ebts__error_oom(err);
            return -1;
        }
        r->binary = 1;
        r->raw = b;
        r->rawlen = (uint32_t)n;
        *used = n;
        uint32_t len = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
        if (len != n) /* the writer derives it: said, as a tagged record's is */
            ebts__diag(t, EBTS__C_LEN_MISMATCH, EBTS__AT_FIELD(0, rec, type, 1),
                       "LEN says %lu, record is %zu bytes", (unsigned long)len, n);
    } else if (!binary && n > 0 && n <= 0xfffffff0u && looks_tagged(&p, 0) &&
               read_tag(b, n, 0, 64, &tg) && tg.type == type) {
        r = parse_tagged(&p, 0, rec, 0, used);
        if (!r)
            return -1;
        for (uint32_t i = 0; i < r->nfields; i++)
            r->fields[i].offset = EBTS__NOWHERE; /* not in the transaction's input */
    } else {
        ebts__error_set(err, EBTS__C_BAD_ARGUMENT, 0, rec, NULL, "%zu bytes that are no record", n);
        return -1;
    }
    r->offset = EBTS__NOWHERE;
    r->cnt_idc = -1;
    t->recs[0]->span = NULL; /* CNT changes */
    return 0;
}
