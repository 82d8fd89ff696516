/* Internal declarations shared by the files of lib/. Nothing here is exported. */
#ifndef EBTS_INTERNAL_H
#define EBTS_INTERNAL_H

#include <stdint.h>
#include <stddef.h>
#include "ebts.h"

#define EBTS__FS 0x1c
#define EBTS__GS 0x1d
#define EBTS__RS 0x1e
#define EBTS__US 0x1f
#define EBTS__NOWHERE ((uint32_t)0xffffffffu)
/* The largest record type or field number: a tag's numbers are read as 1 to 9 digits
 * (ebts__parse_uint), so a larger one would be written but not read back. */
#define EBTS__MAX_NUMBER 999999999u
/* Read flags of the library's own (not in ebts.h): the reader's SSE2 blocks, or its AVX2 ones
 * at the most, even where the processor has more, and every field through the general steps
 * (no short path: see parse_tagged), so that tests compare them all. */
#define EBTS__READ_SSE2 0x80000000u
#define EBTS__READ_AVX2 0x40000000u
#define EBTS__READ_GENERAL 0x20000000u
#define EBTS__MAX_DIAGS 10000 /* beyond this, one TOO_MANY_DIAGNOSTICS stands for the rest */
/* The diagnostic codes by number (lib/codes.def): EBTS__C_LEN_MISMATCH ..., then their count. */
enum ebts__code_id {
#define EBTS__CODE(name, severity, recovery, summary, action) EBTS__C_##name,
#include "codes.def"
#undef EBTS__CODE
    EBTS__NCODES
};

#include "simd.h"

/* Forced inlining for the per-byte and per-item loops (frame.c, validate_field.c). */
#if defined(__GNUC__)
#define EBTS__HOT inline __attribute__((always_inline))
#else
#define EBTS__HOT inline
#endif
/* Kept out of line: the rare path of a function whose common one should stay a leaf. */
#if defined(__GNUC__)
#define EBTS__NOINLINE __attribute__((noinline))
#else
#define EBTS__NOINLINE
#endif
/* Eight bytes at a time in a uint64_t: a 1 and the top bit in every byte. */
#define EBTS__ONES8 0x0101010101010101ull
#define EBTS__HIGHS8 0x8080808080808080ull

/* ---- arena.c: chunked bump allocator owned by a transaction */
typedef struct ebts__chunk ebts__chunk;
typedef struct ebts__arena {
    ebts__chunk *head;
    size_t next_size;
} ebts__arena;
void ebts__arena_init(ebts__arena *a, size_t first);
void *ebts__arena_alloc(ebts__arena *a, size_t size); /* 8-byte aligned; NULL on OOM */
void *ebts__arena_dup(ebts__arena *a, const void *p, size_t size);
/* An array written before its length is known, at the top of the arena: the room there, of at
 * least `want` bytes (*avail: all of it; in a new chunk when the current one has less), then,
 * when it fills, room of at least `want` bytes elsewhere with the first `keep` bytes of `from`
 * (the room so far) copied to it, then ebts__arena_take of the bytes it came to (nothing else
 * allocated from the arena meanwhile). NULL without memory. */
void *ebts__arena_room(ebts__arena *a, size_t want, size_t *avail);
void *ebts__arena_regrow(ebts__arena *a, const void *from, size_t keep, size_t want, size_t *avail);
void ebts__arena_take(ebts__arena *a, size_t size);
void ebts__arena_free(ebts__arena *a);
/* Ask for transparent huge pages over the 2 MiB-aligned part of a large block (advice only). */
void ebts__huge_pages(void *p, size_t size);
/* A block of n bytes or more (*size: how many), kept from an earlier ebts__block_put when one
 * fits, else malloc'd; NULL without memory. Free it with ebts__block_put and that size, or with
 * free(). ebts__block_put(p, 0) is free(p), for memory that may or may not be such a block. */
void *ebts__block_get(size_t n, size_t *size);
void ebts__block_put(void *p, size_t size);
size_t ebts__kept_bytes(void); /* what is kept now (tests) */

/* ---- growable byte buffer (write paths) */
typedef struct ebts__buf {
    unsigned char *p;
    size_t len, cap;
    int oom;
} ebts__buf;
/* room for n more bytes; -1 (and b->oom) when there is no memory */
int ebts__buf_reserve(ebts__buf *b, size_t n);
void ebts__buf_put(ebts__buf *b, const void *p, size_t n);
void ebts__buf_putc(ebts__buf *b, int c);
void ebts__buf_puts(ebts__buf *b, const char *s);
void ebts__buf_printf(ebts__buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* ---- the transaction model */

#define EBTS__F_BINARY    0x01u /* x.999 data delimited by LEN */
#define EBTS__F_MALFORMED 0x02u /* no parsable tag: raw bytes kept in val */
#define EBTS__F_HIGH      0x08u /* read: a byte above 0x7F inside */
#define EBTS__F_LAZY      0x10u /* read with RS/US: the index is built on first use (ixpool) */

struct ebts_field {
    const unsigned char *val;
    /* The index of a value with RS/US, 4 bytes per entry, one allocation: its head at
     * sub_first[-3..-1] (EBTS__IX_END_AT, EBTS__IX_NSUB, EBTS__IX_NITEMS), then
     * sub_first[0..nsub], where subfield s holds items sub_first[s] .. sub_first[s+1]-1, then the
     * end of each item (EBTS__INDEX_ITEM_END): item k ends at item_end[k] (relative to val) and
     * begins just after the separator that ended item k-1 (or at 0). NULL for a value of one
     * item. Values that were read (EBTS__F_LAZY) have theirs built when first asked for
     * (ebts__field_index; in one pass up to EBTS__IX_ONE_PASS_MAX bytes, else counted first):
     * written at read time it was a third of the memory a large parse writes, and the counts
     * in the field made it 48 bytes instead of 32. Until then such a value holds here where to
     * build it, its transaction's ixpool, tagged (ebts__ixpool_ref): read it through
     * ebts__field_index_kept. Values set by an edit get theirs at once, in the arena. One width
     * for every value: 2-byte entries below 64 KiB halved the index and made a walk of every
     * item slower (the accessors then test the width at every call, docs/performance.md). */
    uint32_t *sub_first;
    uint32_t len;
    uint32_t number;
    uint32_t offset;       /* of the tag in the input, EBTS__NOWHERE when set by an edit */
    uint8_t type_w, num_w; /* digits of the tag spelling; 0 = canonical (%u.%03u) */
    uint8_t flags;
    uint8_t tagtype; /* record type as spelled in the tag; EBTS__TAGTYPE_BIG when above 254:
                        then the type_w digits before the tag's '.' hold it (ebts__tagtype) */
};
#define EBTS__TAGTYPE_BIG 255u
#if UINTPTR_MAX == UINT64_MAX
_Static_assert(sizeof(struct ebts_field) == 32, "a field is 32 bytes on LP64: see its comment");
#endif
/* Kept before an index: where its item ends begin (nsub + 1 in a kept index; further on in the
 * validator's room) and its counts; an index of exact size, with its head. */
#define EBTS__IX_END_AT(ix) ((ix)[-3])
#define EBTS__IX_NSUB(ix) ((ix)[-2])
#define EBTS__IX_NITEMS(ix) ((ix)[-1])
#define EBTS__IX_HEAD 3u
#define EBTS__INDEX_SIZE(nsub, nitems) ((size_t)EBTS__IX_HEAD + (nsub) + 1 + (nitems))
#define EBTS__INDEX_ITEM_END(ix) ((ix) + EBTS__IX_END_AT(ix))
/* A value read with RS/US this long or shorter has its index built in one pass, into room on
 * the stack (24 KiB) for as many separators as it has bytes (index.c); a longer one has its
 * separators counted first. Counting is a second pass over the value's bytes, which a walk of
 * a large transaction reads from memory, not from the cache. */
#define EBTS__IX_ONE_PASS_MAX 3000u
/* The type a tag spelled, from the field (tagtype) or the tag's bytes before the value. */
static inline unsigned ebts__tagtype(const ebts_field *f)
{
    if (f->tagtype != EBTS__TAGTYPE_BIG)
        return f->tagtype;
    const unsigned char *d = f->val - f->num_w - 2 - f->type_w; /* "T.N:" then the value */
    unsigned v = 0;
    for (unsigned i = 0; i < f->type_w; i++)
        v = v * 10 + (unsigned)(d[i] - '0');
    return v;
}

/* txn.c. The index of f (see struct ebts_field), built and kept on first use for a value that
 * was read; NULL for a single item, or when there was no memory to build it (ebts__items_scan
 * and ebts__item_scan then answer from the value's bytes). Safe to ask from several threads at
 * once. */
const uint32_t *ebts__field_index(const ebts_field *f);
/* The same for the public accessors, whose builds count towards building ahead (see "Building
 * ahead"): the library's reads through ebts__field_index, a validation's, start no helper; its
 * reads through the public accessors (the reader's of CNT, a diff's) count. */
const uint32_t *ebts__field_index_asked(const ebts_field *f);
/* The index of f if it has one already (built by ebts__field_index, or by an edit), else NULL.
 * Inline: every accessor asks it first. One test for every kind of value: only a value that was
 * read holds a tagged pool, and its index is set by whichever thread builds it. */
static inline const uint32_t *ebts__field_index_kept(const ebts_field *f)
{
#if defined(__GNUC__)
    const uint32_t *ix = __atomic_load_n(&f->sub_first, __ATOMIC_ACQUIRE);
#else
    const uint32_t *ix = f->sub_first;
#endif
    return ((uintptr_t)ix & 1u) ? NULL : ix;
}
/* A value that was read forgets its index (edits): f is then one item until tokenized. Its
 * memory stays in the pool until ebts_txn_free. */
void ebts__field_drop_index(ebts_field *f);
/* Without an index: the count of subfield sub's items, and item `item` of it, from the bytes. */
size_t ebts__items_scan(const ebts_field *f, size_t sub);
ebts_span ebts__item_scan(const ebts_field *f, size_t sub, size_t item);
/* The subfields (items 0) or items (1) of a value that was read with RS/US, from its index, or
 * counted in its bytes when there is no memory for one. */
size_t ebts__lazy_count(const ebts_field *f, int items);

/* f's subfields and items (over all its subfields). */
static inline size_t ebts__nsub(const ebts_field *f)
{
    if (!(f->flags & EBTS__F_LAZY))
        return f->sub_first ? EBTS__IX_NSUB(f->sub_first) : 1;
    return ebts__lazy_count(f, 0);
}
static inline size_t ebts__nitems(const ebts_field *f)
{
    if (!(f->flags & EBTS__F_LAZY))
        return f->sub_first ? EBTS__IX_NITEMS(f->sub_first) : 1;
    return ebts__lazy_count(f, 1);
}
/* The subfields from ix, the index of f (NULL when the value is one item). */
static inline size_t ebts__ix_nsub(const uint32_t *ix)
{
    return ix ? EBTS__IX_NSUB(ix) : 1;
}

/* The count of subfield sub's items and item `item` of it, from ix, the index of f (NULL when
 * the value is one item): unchecked, for loops that keep sub < nsub and item < the count. */
static inline size_t ebts__ix_items_in(const uint32_t *ix, size_t sub)
{
    return ix ? ix[sub + 1] - ix[sub] : 1;
}
static inline ebts_span ebts__ix_item(const uint32_t *ix, const ebts_field *f, size_t sub,
                                      size_t item)
{
    ebts_span s = {f->val, f->len};
    if (ix) {
        const uint32_t *end = EBTS__INDEX_ITEM_END(ix);
        size_t k = ix[sub] + item, start = k ? end[k - 1] + 1u : 0;
        s.ptr = f->val + start;
        s.len = end[k] - start;
    }
    return s;
}
/* The same from f alone (its index built if need be). */
static inline size_t ebts__items_in(const ebts_field *f, size_t sub)
{
    if (!(f->flags & EBTS__F_LAZY) && !f->sub_first)
        return 1;
    const uint32_t *ix = ebts__field_index(f);
    return ix ? ebts__ix_items_in(ix, sub) : ebts__items_scan(f, sub);
}
static inline ebts_span ebts__item(const ebts_field *f, size_t sub, size_t item)
{
    if (!(f->flags & EBTS__F_LAZY) && !f->sub_first)
        return ebts__ix_item(NULL, f, sub, item);
    const uint32_t *ix = ebts__field_index(f);
    return ix ? ebts__ix_item(ix, f, sub, item) : ebts__item_scan(f, sub, item);
}

struct ebts_record {
    unsigned type;
    int binary;
    uint32_t offset;      /* EBTS__NOWHERE for an added record */
    int cnt_idc;          /* IDC announced in CNT, -1 if none */
    const unsigned char *raw; /* binary records: the whole record */
    uint32_t rawlen;
    /* Tagged records read without a finding: their bytes in the input, which the writer would
     * reproduce field by field, so it copies them instead (the first Type-1, whose CNT is
     * derived from the records, only when the whole transaction read without a finding).
     * NULL otherwise; every edit of the record sets it to NULL, and every edit of the
     * transaction (a record, a field anywhere) that of the first Type-1. */
    const unsigned char *span;
    uint32_t spanlen;
    int span_idc; /* with span: the IDC the record's own data gives (ebts__record_idc_of) */
    ebts_field *fields;
    uint32_t nfields, capfields;
    uint32_t ordered; /* fields[0..ordered) are text fields with ascending numbers (a prefix
                         known so far: appending in number order stays O(1), see txn.c) */
};

/* A growable list of findings (a transaction's, a validation report's). */
typedef struct ebts__dlist {
    ebts_diag *d;
    size_t n, cap;
    size_t added; /* findings offered, kept or not (n stops at the limit or without memory) */
    /* Findings beyond EBTS__MAX_DIAGS, not kept but counted: per code in the table's order (the
     * codes of lib/codes.def), and a severity that replaces the code's (0: the code's own;
     * a profile's, see ebts__dlist_lost_severity). */
    size_t lost[EBTS__NCODES];
    signed char lost_sev[EBTS__NCODES];
    int oom;
    /* keep at most this many findings, 0 for EBTS__MAX_DIAGS: a run of a split validation,
       whose findings past what the report has room for would be dropped when they join it */
    size_t limit;
} ebts__dlist;

struct ebts_report { /* validation's, and the XML writer's (ebts_txn_xml_findings) */
    ebts__dlist dl;
};
/* Where the indexes of values that were read are built, on first use (txn.c): an arena of
 * their own, huge pages and one free for all, where one allocation each took a quarter of a
 * walk of every item (most of it the kernel mapping fresh 4 KiB pages). The first indexes, such
 * as a small transaction's CNT, which the reader asks for, go in room inside the transaction
 * (a first chunk of its own made a small parse 3 % slower). Threads that build indexes at once
 * take turns for each allocation (lock). */
typedef struct ebts__ixpool {
    ebts__arena arena;
    uint64_t room[48];
    size_t used; /* bytes of room */
    size_t built; /* indexes built in it, counted under the lock: the one that makes
                     EBTS__AHEAD_AFTER may start the helper */
    struct ebts__ahead *ahead; /* the helper that builds indexes ahead, once started */
    unsigned char lock;
    unsigned char ready; /* read (read.c) and not changed since: a helper may start */
} ebts__ixpool;
/* What a value that was read with RS/US holds in sub_first until its index is built: the pool,
 * its lowest bit set (an index is 4-byte aligned), so that it is never taken for an index. */
uint32_t *ebts__ixpool_ref(ebts__ixpool *pool);
/* Building ahead (index.c). A program that asks for the items of field after field of a large
 * transaction waits, for each value, on the build of its index. Once the public accessors have
 * built EBTS__AHEAD_AFTER indexes (the reader's own, of CNT, is one; the library's reads
 * through ebts__field_index, a validation's, are not counted) of a transaction read from
 * EBTS__AHEAD_MIN bytes or more of the traditional encoding or the readable notation (the XML
 * reader's values are indexed as they are made), and the library may use a second thread
 * (ebts__threads), a helper thread builds the
 * indexes of every value not yet indexed, record by record from the one after the caller's and
 * round to it, into an arena of its own, and publishes each as a caller does (whichever is first;
 * the other's copy stays unused). It reads only the transaction's records and fields, which
 * nothing changes while functions that take it const run: ebts__ahead_stop, which every function
 * that changes or frees a transaction calls first, stops it and waits for it, and no helper starts
 * for that transaction again. Its indexes stay until ebts_txn_free. */
#define EBTS__AHEAD_AFTER 64u
#define EBTS__AHEAD_MIN ((size_t)1 << 20)
#define EBTS__AHEAD_STACK ((size_t)256 << 10) /* its stack: index.c's scratch is 24 KiB */
void ebts__ahead_stop(ebts_txn *t);
void ebts__ahead_free(ebts_txn *t); /* stops it and frees its arena (ebts_txn_free) */
/* For the tests: whether a helper runs (started, not yet waited for); waiting for it to end
 * without stopping it; and what the helper calls first, with its stop flag (set atomically
 * when it is told to stop). */
int ebts__ahead_running(const ebts_txn *t);
void ebts__ahead_wait(const ebts_txn *t);
extern void (*ebts__ahead_hook)(const unsigned char *stop);
/* The threads the library may use for one call (ebts_validate_threads; util.c). */
unsigned ebts__threads(void);

struct ebts_txn {
    unsigned char *owned;       /* the input buffer when the transaction owns it */
    size_t owned_block;         /* its size when it came from ebts__block_get, else 0 */
    const unsigned char *buf;
    size_t len;
    ebts__arena arena;
    ebts__ixpool ixpool;
    ebts_record **recs;
    size_t nrecs, caprecs;
    ebts__dlist dl;
    size_t unread_off, unread_len;
};

/* txn.c */
/* A record by type and IDC, for sorting (IDC duplicates, diff alignment); then by index. */
typedef struct ebts__rec_key {
    unsigned type;
    int idc;
    size_t rec;
} ebts__rec_key;
int ebts__rec_key_cmp(const void *a, const void *b); /* qsort comparator */
int ebts__cmp_u64(const void *a, const void *b);     /* qsort comparator of uint64_t */
/* The fields of r that are not malformed as (number << 32 | position), sorted: a run of one
 * number lists its occurrences in order (duplicates, diff pairing). *n entries; NULL without
 * memory. Free with free(). */
uint64_t *ebts__field_numbers_sorted(const ebts_record *r, size_t *n);
ebts_txn *ebts__txn_alloc(void);
int ebts__txn_add_record(ebts_txn *t, ebts_record *r); /* append; -1 on OOM */
ebts_record *ebts__record_new(ebts_txn *t, unsigned type);
/* split val into subfields/items (arena); 0 ok, -1 OOM */
int ebts__field_tokenize(ebts__arena *a, ebts_field *f);
int ebts__record_idc_of(const ebts_record *r); /* from the record's own data, -1 if none */
/* the tag as spelled; returns its length */
size_t ebts__spelled_tag(const ebts_field *f, char *buf, size_t size);

int ebts__parse_uint(const unsigned char *p, size_t n, int *out); /* 1-9 digits; 1 if ok */
/* Put record rec's fields in number order: what appending its last fields one by one with
 * ebts__append_field gives when every number is distinct and no field is binary or malformed
 * (the caller's to know), at n log n. */
void ebts__sort_fields(ebts_txn *t, size_t rec);
/* Add a field even when its number is present already (a repeated field read back). */
int ebts__append_field(ebts_txn *t, size_t rec, unsigned number, const void *val, size_t len,
                       ebts_error *err);
/* Add a field as the first of its number: before the fields of that number already there (the
 * repeats an XML document carries apart), else where ebts_txn_set_field puts it. */
int ebts__set_first_field(ebts_txn *t, size_t rec, unsigned number, const void *val, size_t len,
                          ebts_error *err);
/* As ebts__set_first_field, with a value already in t's arena (not copied). */
int ebts__set_first_field_owned(ebts_txn *t, size_t rec, unsigned number, const unsigned char *val,
                                size_t len, ebts_error *err);
/* 1.003 CNT set to val (the reader that builds a transaction gives it what the writer derives). */
int ebts__set_cnt(ebts_txn *t, const unsigned char *val, size_t len, ebts_error *err);
/* LEN (x.001, the record's first field) set to val: what the writer derives. */
int ebts__set_len(ebts_txn *t, size_t rec, const unsigned char *val, size_t len, ebts_error *err);
/* A field at the end of the record, before the data delimited by LEN, whatever its number
 * (0 included): a record read back field by field in its order. */
int ebts__push_field(ebts_txn *t, size_t rec, unsigned number, const void *val, size_t len,
                     ebts_error *err);
/* A field without a tag (EBTS__F_MALFORMED: its bytes written as they are) at the end of the
 * record, before the data delimited by LEN. */
int ebts__append_raw_field(ebts_txn *t, size_t rec, const void *val, size_t len, ebts_error *err);
/* A tagged record of any type (Type-1 too) at the end, with only its LEN field. */
int ebts__append_tagged_record(ebts_txn *t, unsigned type, ebts_error *err);
/* txn.c, for edit.c: the field of a record type named by tag or mnemonic (0 when none), and
 * room for one more record. */
unsigned ebts__field_named(unsigned type, const char *name);
int ebts__recs_reserve(ebts_txn *t);
int ebts__txn_ascii7(const ebts_txn *t); /* 1.015 DCS declares nothing but 7-bit ASCII */

/* diag.c */
typedef struct ebts__code {
    const char *code;
    int severity;
    int recovery;
    const char *summary;
    const char *action; /* what to do about it, one line */
} ebts__code;
const ebts__code *ebts__code_find(const char *code);
const ebts__code *ebts__code_at(enum ebts__code_id id);
/* The number of a code of the table by its name (a finding's code is the table's string);
 * TOO_MANY_DIAGNOSTICS for a name the table does not hold. */
enum ebts__code_id ebts__code_id_of(const char *code);
/* Where a finding is: its byte offset (or XML line, see the reader), its record (-1: the file),
 * the record's type and field (0: none), and subfield and item (-1: none). Made by the
 * EBTS__AT_* macros below, most specific last. */
typedef struct ebts__loc {
    size_t offset;
    long rec;
    unsigned rtype, field;
    long sub, item;
} ebts__loc;
#define EBTS__AT_FILE(off) ((ebts__loc){(off), -1, 0, 0, -1, -1})
#define EBTS__AT_RECORD(off, rec, rtype) ((ebts__loc){(off), (rec), (rtype), 0, -1, -1})
#define EBTS__AT_FIELD(off, rec, rtype, field) ((ebts__loc){(off), (rec), (rtype), (field), -1, -1})
#define EBTS__AT_ITEM(off, rec, rtype, field, sub, item)                                           \
    ((ebts__loc){(off), (rec), (rtype), (field), (sub), (item)})
/* Append a finding of code at `at`. */
void ebts__diag_add(ebts__dlist *l, enum ebts__code_id code, ebts__loc at, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
void ebts__dlist_sort(ebts__dlist *l); /* by offset, stable */
/* Findings of severity error (strict: and recoveries), kept or not. */
size_t ebts__dlist_errors(const ebts__dlist *l, int strict);
/* Findings in all, kept or not (the note TOO_MANY_DIAGNOSTICS is one of them). */
size_t ebts__dlist_total(const ebts__dlist *l);
/* Append from's findings to l: its kept ones (not its note), then its count of the others. */
void ebts__dlist_append(ebts__dlist *l, const ebts__dlist *from);
/* A profile's severity for code (0: the code is off), for the findings counted, not kept. */
void ebts__dlist_lost_severity(ebts__dlist *l, const char *code, int severity);
/* The note's text from the counts (call when the list is complete). */
void ebts__dlist_note(ebts__dlist *l);
/* The first finding beyond the kept list that is an error (strict: or a recovery) as err;
 * 0 when there is none. */
int ebts__dlist_lost_error(const ebts__dlist *l, int strict, ebts_error *err);
#define ebts__diag(t, ...) ebts__diag_add(&(t)->dl, __VA_ARGS__)
void ebts__error_set(ebts_error *err, enum ebts__code_id code, size_t offset, long rec,
                     const char *tag, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;
void ebts__error_from_diag(ebts_error *err, const ebts_diag *d);
void ebts__error_oom(ebts_error *err);

/* source.c */
/* Whether the first bytes of an input can begin a transaction: what each reader's
 * *_could_begin says of a prefix. */
enum { EBTS__CANNOT = 0, EBTS__COULD = 1, EBTS__UNDECIDED = -1 /* more bytes would tell */ };
/* Of p[0..n), gzip inflated, in the encodings flags allow (EBTS_READ_TRADITIONAL ...; none: all
 * of them). Undecided after a few kilobytes is EBTS__COULD: the read goes on. */
int ebts__txn_could_begin(const unsigned char *p, size_t n, unsigned flags);
/* Load everything from fd/FILE into a malloc'd buffer of *size bytes (size may be NULL; free
 * it with free(), or with ebts__block_put and *size). With txn_flags (the read flags), the
 * input is a transaction: input whose first bytes cannot begin one is refused after them
 * (NOT_TRANSACTION), and a regular file larger than max from its size (INPUT_TOO_LARGE). */
int ebts__load_fd(int fd, size_t max, const unsigned *txn_flags, unsigned char **out, size_t *len,
                  size_t *size, ebts_error *err);
int ebts__load_stream(FILE *fp, size_t max, const unsigned *txn_flags, unsigned char **out,
                      size_t *len, size_t *size, ebts_error *err);
/* If buf is gzip, inflate into a new buffer: 1 inflated, 0 not gzip, -1 error. The inflated
 * bytes are a transaction read with flags: refused (NOT_TRANSACTION) once their first bytes
 * cannot begin one. */
int ebts__maybe_inflate(const unsigned char *buf, size_t len, size_t max, unsigned flags,
                        unsigned char **out, size_t *outlen, ebts_error *err);

/* util.c: small pieces shared by several stages */
/* v in decimal, zero-padded to at least w digits, written at t[k] within cap bytes (no NUL);
 * returns the new k. By hand, not snprintf: tags are spelled for every field written and every
 * finding. */
size_t ebts__put_padded(char *t, size_t k, size_t cap, unsigned v, unsigned w);
uint32_t ebts__crc32(const unsigned char *p, size_t n);
void ebts__base64(ebts__buf *b, const unsigned char *p, size_t n);
/* The length of the well-formed UTF-8 sequence at p (1 to 4; its code point in *cp when not
 * NULL), or 0 when p[0] does not begin one within n bytes (overlong forms, surrogates and code
 * points beyond U+10FFFF are not well-formed). */
size_t ebts__utf8_seq(const unsigned char *p, size_t n, unsigned *cp);

/* outfile.c: output that never destroys what it replaces. open: "-" is standard output; a device,
 * FIFO or /dev/stdout-like descriptor link is written in place; any other path (symlinks
 * followed) gets a new temporary file beside its target. commit flushes (and for a temporary
 * file syncs and renames it over the target); abort closes and removes the temporary file. Both
 * release everything; path is the name used in messages. 0 or -1 (err filled). */
typedef struct ebts__outfile {
    FILE *fp;     /* where the output goes */
    char *tmp;    /* the temporary file renamed over target on commit; NULL when in place */
    char *target; /* the file the path ends at, symlinks followed */
    int owned;    /* fp is closed at the end (not standard output) */
    int unnamed;  /* the temporary file has no name yet (tmp is room for it) */
} ebts__outfile;
int ebts__outfile_open(ebts__outfile *o, const char *path, ebts_error *err);
int ebts__outfile_commit(ebts__outfile *o, const char *path, ebts_error *err);
void ebts__outfile_abort(ebts__outfile *o);

/* frame.c: parse a traditional buffer into t (t->buf/len set). 0 ok, -1 fatal (err filled). */
int ebts__frame(ebts_txn *t, const ebts_read_options *o, ebts_error *err);
/* One record's traditional bytes b[0, n), which live in t's arena, appended to t as its last
 * record: binary (of the type given) or tagged (its first tag of the type given); its
 * findings' offsets are in b; *used: the bytes the record took (a tagged one ends at its FS).
 * 0, or -1 (err) when the bytes are no such record. */
int ebts__frame_record(ebts_txn *t, const unsigned char *b, size_t n, unsigned type, int binary,
                       const ebts_read_options *o, size_t *used, ebts_error *err);
/* The length of a tag "T.N:" of record type rtype (each number 1-9 digits) at b[pos..n), 0 when
 * there is none: after RS or US, what the reader takes for a field's start. */
size_t ebts__tag_of_type(const unsigned char *b, size_t n, size_t pos, unsigned rtype);
/* The first bytes of a traditional transaction: a verdict (EBTS__COULD ...). */
int ebts__frame_could_begin(const unsigned char *b, size_t n);
/* VALUE_READS_AS_TAG's message (reader and validator): the tag's length and bytes, "RS"/"US" */
#define EBTS__READS_AS_TAG_MSG                                                                     \
    "item begins with \"%.*s\", a tag of this record: in the traditional encoding the %s before " \
    "it reads as the end of the field"

/* readable.c */
int ebts__readable_detect(const unsigned char *p, size_t n);
/* The readable text's first bytes, decoded, as ebts__frame_could_begin judges them. */
int ebts__readable_could_begin(const unsigned char *p, size_t n);
int ebts__readable_decode(const unsigned char *p, size_t n, size_t max, unsigned char **out,
                          size_t *outlen, ebts_error *err);
void ebts__write_readable(const ebts_txn *t, unsigned flags, ebts__buf *b);

/* profile.c / validate*.c: a rule set */
#include "rules.h"
typedef struct ebts__req {
    unsigned rtype, field;
    const char *tots; /* " CAR CNA " or "*" */
} ebts__req;
typedef struct ebts__sev {
    const char *code;
    int severity; /* 0 = off */
} ebts__sev;
struct ebts_profile {
    char name[64];
    int ebts10;                   /* EBTS 10 deltas on top of the EBTS 9.1 tables */
    int version;                  /* 91, 100 (ebts-10) or 112 (ebts-11): which templates */
    ebts__field_rule *rules;      /* the profile's own field rules, checked first */
    size_t nrules;
    ebts__req *mand, *forbid;
    size_t nmand, nforbid;
    ebts__sev *sev;
    size_t nsev;
    ebts__arena arena;
    struct ebts__vcomp *vc; /* validate_tables.c: the tables made from the rules when loaded */
};
ebts_profile *ebts__profile_new(const char *name, int ebts10);
/* validate_tables.c: make p's validation tables once its rules are read (-1 without
 * memory); free them */
int ebts__profile_compile(ebts_profile *p);
void ebts__profile_compiled_free(ebts_profile *p);
int ebts__rule_status(const ebts_profile *p, const char *tot, unsigned rtype, unsigned field);

/* image.c */
#define EBTS__IMG_UNKNOWN 0
#define EBTS__IMG_JPEG 1
#define EBTS__IMG_PNG 2
#define EBTS__IMG_JP2 3
#define EBTS__IMG_KIND 0x0f
#define EBTS__IMG_SIZED 0x10 /* width and height were found */
int ebts__image_sniff(const unsigned char *p, size_t n, uint32_t *w, uint32_t *h);

/* write.c: the fields of a tagged record as they will be written (LEN and CNT derived) */
typedef struct ebts__outf {
    char tag[24];
    unsigned char taglen;
    unsigned char raw;    /* malformed field: no tag, value written as is */
    unsigned char binary; /* x.999 data */
    const unsigned char *val;
    size_t len;
} ebts__outf;
typedef struct ebts__writer {
    ebts__outf *f;
    size_t n, cap;
    int oom;
    ebts__buf cnt;
    char lenbuf[24];
} ebts__writer;
int ebts__writer_record(ebts__writer *w, const ebts_txn *t, size_t ri);
/* record ri in the traditional encoding at the end of b (copied as read when it can be) */
void ebts__writer_put_record(ebts__writer *w, const ebts_txn *t, size_t ri, ebts__buf *b);
void ebts__writer_free(ebts__writer *w);
void ebts__write_traditional(const ebts_txn *t, ebts__buf *b);
/* 1.003 CNT as the writer derives it from t's records, at the end of b; a record's IDC in it. */
void ebts__cnt_value(const ebts_txn *t, ebts__buf *b);
int ebts__cnt_idc(const ebts_record *r);
void ebts__write_binary_record(const ebts_record *r, ebts__buf *b);
void ebts__write_record(const ebts_txn *t, size_t ri, ebts__buf *b); /* one record, LEN derived */
/* The same, field by field even when the record's span could be copied (tests compare both). */
void ebts__write_record_fields(const ebts_txn *t, size_t ri, ebts__buf *b);

/* xml.c */
/* libxml2 loaded (xmlapi.h) and initialised once, by whichever thread asks first, before any
 * other thread's XML work (its lazy initialisation races): called at the top of every function
 * that uses libxml2 (xmlread.c, xmlwrite.c, profile.c, junit.c). 0, or -1 with XML_UNAVAILABLE
 * in err. */
int ebts__xml_init(ebts_error *err);
int ebts__xml_detect(const unsigned char *p, size_t n);
/* The first bytes of an XML document in an encoding libxml2 reads: a verdict. */
int ebts__xml_could_begin(const unsigned char *p, size_t n);
/* The namespaces of the root element and of the carriers (lebts:Field, lebts:Record). */
#define EBTS__NS_ITL "http://biometrics.nist.gov/standard/2011"
#define EBTS__NS_LEBTS "urn:libebts:xml:1"

/* xmlread.c: an XML document (p, n) read into a new transaction, built through the model; its
 * findings carry their line. NULL (err) when it is no transaction or not well-formed. */
ebts_txn *ebts__xml_read(const unsigned char *p, size_t n, const ebts_read_options *o,
                         ebts_error *err);

/* xmlwrite.c: t as XML at the end of b, in the version flags name (EBTS_WRITE_XML_10: EBTS
 * 10.0, else 11.2). 0 or -1. */
int ebts__write_xml(const ebts_txn *t, unsigned flags, ebts__buf *b, ebts_error *err);

/* json.c */
void ebts__write_json(const ebts_txn *t, unsigned flags, ebts__buf *b);
/* html.c: the report page; EBTS_WRITE_VALIDATE adds the default profile's findings */
void ebts__write_html(const ebts_txn *t, unsigned flags, ebts__buf *b);
#define EBTS__DEFAULT_PROFILE "ebts-11"

#endif
