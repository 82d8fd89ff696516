/* The transaction model: records, fields, subfields and items as spans into the buffer the
 * transaction owns, and the read-only accessors. Edits are in edit.c, the item index in
 * index.c. */
#include <stdio.h>
#include <stdlib.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <string.h>
#include <time.h>
#include "internal.h"
#include "rules.h"

const char *ebts_version(void)
{
    return EBTS_VERSION_STRING;
}

/* A large buffer (an output) is kept for reuse as a freed transaction's blocks are
 * (ebts__block_put): the size is malloc's, where the C library tells it. */
void ebts_free(void *p)
{
#if defined(__GLIBC__)
    if (p) {
        ebts__block_put(p, malloc_usable_size(p));
        return;
    }
#endif
    free(p);
}

ebts_txn *ebts__txn_alloc(void)
{
    ebts_txn *t = calloc(1, sizeof *t);
    if (t) {
        ebts__arena_init(&t->arena, 16384);
        ebts__arena_init(&t->ixpool.arena, 4096);
    }
    return t;
}

void ebts_txn_free(ebts_txn *t)
{
    if (!t)
        return;
    ebts__ahead_free(t);
    ebts__arena_free(&t->ixpool.arena);
    ebts__arena_free(&t->arena);
    free(t->recs);
    free(t->dl.d);
    ebts__block_put(t->owned, t->owned_block);
    free(t);
}

ebts_record *ebts__record_new(ebts_txn *t, unsigned type)
{
    ebts_record *r = ebts__arena_alloc(&t->arena, sizeof *r);
    if (r) {
        memset(r, 0, sizeof *r);
        r->type = type;
        r->cnt_idc = -1;
        r->offset = EBTS__NOWHERE;
    }
    return r;
}

int ebts__recs_reserve(ebts_txn *t)
{
    if (t->nrecs < t->caprecs)
        return 0;
    size_t cap = t->caprecs ? t->caprecs * 2 : 16;
    ebts_record **r = realloc(t->recs, cap * sizeof *r);
    if (!r)
        return -1;
    t->recs = r;
    t->caprecs = cap;
    return 0;
}

int ebts__txn_add_record(ebts_txn *t, ebts_record *r)
{
    if (ebts__recs_reserve(t) < 0)
        return -1;
    t->recs[t->nrecs++] = r;
    return 0;
}

int ebts__parse_uint(const unsigned char *p, size_t n, int *out)
{
    if (n == 0 || n > 9)
        return 0;
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9')
            return 0;
        v = v * 10 + (p[i] - '0');
    }
    *out = v;
    return 1;
}

int ebts__rec_key_cmp(const void *pa, const void *pb)
{
    const ebts__rec_key *a = pa, *b = pb;
    if (a->type != b->type)
        return a->type < b->type ? -1 : 1;
    if (a->idc != b->idc)
        return a->idc < b->idc ? -1 : 1;
    return a->rec < b->rec ? -1 : a->rec > b->rec;
}

int ebts__cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

uint64_t *ebts__field_numbers_sorted(const ebts_record *r, size_t *n)
{
    *n = 0;
    uint64_t *k = malloc((r->nfields ? r->nfields : 1) * sizeof *k);
    if (!k)
        return NULL;
    for (uint32_t i = 0; i < r->nfields; i++)
        if (!(r->fields[i].flags & EBTS__F_MALFORMED))
            k[(*n)++] = (uint64_t)r->fields[i].number << 32 | i;
    qsort(k, *n, sizeof *k, ebts__cmp_u64);
    return k;
}

int ebts__record_idc_of(const ebts_record *r)
{
    if (!r)
        return -1;
    if (r->binary)
        return r->rawlen > 4 ? r->raw[4] : -1;
    if (r->type == 1)
        return -1;
    if (r->span)
        return r->span_idc;
    const ebts_field *f = ebts_record_field(r, 2);
    int v;
    return f && ebts__parse_uint(f->val, f->len, &v) ? v : -1;
}

/* "T.NNN" as the input spelled it (or with 3-digit field numbers): by hand, not snprintf, as
 * the writer spells every tag of every record with it. */
size_t ebts__spelled_tag(const ebts_field *f, char *buf, size_t size)
{
    if (size == 0)
        return 0;
    int spelled = f->type_w && f->num_w;
    char tmp[20]; /* the reader keeps spellings of at most 9 + 1 + 9 characters */
    size_t k = ebts__put_padded(tmp, 0, sizeof tmp, ebts__tagtype(f), spelled ? f->type_w : 1);
    if (k < sizeof tmp)
        tmp[k++] = '.';
    k = ebts__put_padded(tmp, k, sizeof tmp, f->number, spelled ? f->num_w : 3);
    if (k > size - 1)
        k = size - 1;
    memcpy(buf, tmp, k);
    buf[k] = 0;
    return k;
}

/* ---- accessors */

size_t ebts_txn_record_count(const ebts_txn *t)
{
    return t ? t->nrecs : 0;
}

const ebts_record *ebts_txn_record(const ebts_txn *t, size_t index)
{
    return t && index < t->nrecs ? t->recs[index] : NULL;
}

ebts_span ebts_txn_unread(const ebts_txn *t)
{
    ebts_span s = {NULL, 0};
    if (t && t->unread_len) {
        s.ptr = t->buf + t->unread_off;
        s.len = t->unread_len;
    }
    return s;
}

unsigned ebts_record_type(const ebts_record *r)
{
    return r ? r->type : 0;
}

int ebts_record_is_binary(const ebts_record *r)
{
    return r ? r->binary : 0;
}

int ebts_record_idc(const ebts_record *r)
{
    int v = ebts__record_idc_of(r);
    return v >= 0 ? v : r ? r->cnt_idc : -1;
}

size_t ebts_record_offset(const ebts_record *r)
{
    return !r || r->offset == EBTS__NOWHERE ? (size_t)-1 : r->offset;
}

ebts_span ebts_record_data(const ebts_record *r)
{
    ebts_span s = {NULL, 0};
    if (r && r->binary) {
        s.ptr = r->raw;
        s.len = r->rawlen;
    }
    return s;
}

size_t ebts_record_field_count(const ebts_record *r)
{
    return r ? r->nfields : 0;
}

const ebts_field *ebts_record_field_at(const ebts_record *r, size_t index)
{
    return r && index < r->nfields ? &r->fields[index] : NULL;
}

const ebts_field *ebts_record_field(const ebts_record *r, unsigned number)
{
    if (!r || number == 0)
        return NULL;
    for (uint32_t i = 0; i < r->nfields; i++)
        if (r->fields[i].number == number && !(r->fields[i].flags & EBTS__F_MALFORMED))
            return &r->fields[i];
    return NULL;
}

unsigned ebts_field_number(const ebts_field *f)
{
    return f ? f->number : 0;
}

const char *ebts_field_tag(const ebts_field *f, char *buf, size_t size)
{
    if (!buf || size == 0)
        return "";
    buf[0] = 0;
    if (f && !(f->flags & EBTS__F_MALFORMED))
        ebts__spelled_tag(f, buf, size);
    return buf;
}

ebts_span ebts_field_value(const ebts_field *f)
{
    ebts_span s = {NULL, 0};
    if (f) {
        s.ptr = f->val;
        s.len = f->len;
    }
    return s;
}

int ebts_field_is_binary(const ebts_field *f)
{
    return f ? (f->flags & EBTS__F_BINARY) != 0 : 0;
}

size_t ebts_field_offset(const ebts_field *f)
{
    return !f || f->offset == EBTS__NOWHERE ? (size_t)-1 : f->offset;
}

/* The accessors answer from a kept index inline; without one (a value of one item, a value
 * read whose index is built now, or one answered from its bytes when there is no memory for
 * an index) out of line, so that the common path saves no registers. */
EBTS__NOINLINE static size_t subfield_count_unindexed(const ebts_field *f)
{
    const uint32_t *ix = ebts__field_index_asked(f);
    return ix || !(f->flags & EBTS__F_LAZY) ? ebts__ix_nsub(ix) : ebts__lazy_count(f, 0);
}

EBTS__NOINLINE static size_t item_count_unindexed(const ebts_field *f, size_t sub)
{
    const uint32_t *ix = ebts__field_index_asked(f);
    if (ix || !(f->flags & EBTS__F_LAZY))
        return sub < ebts__ix_nsub(ix) ? ebts__ix_items_in(ix, sub) : 0;
    return sub < ebts__lazy_count(f, 0) ? ebts__items_scan(f, sub) : 0;
}

EBTS__NOINLINE static ebts_span item_unindexed(const ebts_field *f, size_t sub, size_t item)
{
    ebts_span none = {NULL, 0};
    const uint32_t *ix = ebts__field_index_asked(f);
    if (ix || !(f->flags & EBTS__F_LAZY))
        return sub < ebts__ix_nsub(ix) && item < ebts__ix_items_in(ix, sub)
                   ? ebts__ix_item(ix, f, sub, item)
                   : none;
    return sub < ebts__lazy_count(f, 0) && item < ebts__items_scan(f, sub)
               ? ebts__item_scan(f, sub, item)
               : none;
}

/* A value of one item (most are) has no index and is not one of those read with RS/US, whose
 * index is built on first use: answered inline too. */
size_t ebts_field_subfield_count(const ebts_field *f)
{
    const uint32_t *ix = f ? ebts__field_index_kept(f) : NULL;
    if (ix)
        return EBTS__IX_NSUB(ix);
    if (f && !(f->flags & EBTS__F_LAZY))
        return 1;
    return f ? subfield_count_unindexed(f) : 0;
}

size_t ebts_field_item_count(const ebts_field *f, size_t sub)
{
    const uint32_t *ix = f ? ebts__field_index_kept(f) : NULL;
    if (ix && sub < EBTS__IX_NSUB(ix))
        return ix[sub + 1] - ix[sub];
    if (f && !(f->flags & EBTS__F_LAZY))
        return sub == 0;
    return f ? item_count_unindexed(f, sub) : 0;
}

ebts_span ebts_field_item(const ebts_field *f, size_t sub, size_t item)
{
    const uint32_t *ix = f ? ebts__field_index_kept(f) : NULL;
    if (ix && sub < EBTS__IX_NSUB(ix) && item < ix[sub + 1] - ix[sub])
        return ebts__ix_item(ix, f, sub, item);
    ebts_span none = {NULL, 0};
    if (f && !(f->flags & EBTS__F_LAZY) && sub == 0 && item == 0) {
        ebts_span whole = {f->val, f->len};
        return whole;
    }
    return f ? item_unindexed(f, sub, item) : none;
}

ebts_span ebts_txn_value(const ebts_txn *t, unsigned type, unsigned number)
{
    ebts_span s = {NULL, 0};
    for (size_t i = 0; t && i < t->nrecs; i++)
        if (t->recs[i]->type == type)
            return ebts_field_value(ebts_record_field(t->recs[i], number));
    return s;
}

/* The field number `name` stands for in a record of type `type`: a tag "T.N" whose type is
 * `type`, or a mnemonic of the EBTS rules for that type; 0 when it names none. */
unsigned ebts__field_named(unsigned type, const char *name)
{
    if (!name || !*name)
        return 0;
    if (name[0] >= '0' && name[0] <= '9') {
        unsigned long rt = 0, num = 0;
        const char *p = name;
        while (*p >= '0' && *p <= '9' && rt < 100000)
            rt = rt * 10 + (unsigned long)(*p++ - '0');
        if (*p++ != '.' || rt != type || !(*p >= '0' && *p <= '9'))
            return 0;
        while (*p >= '0' && *p <= '9' && num <= 999999999ul)
            num = num * 10 + (unsigned long)(*p++ - '0');
        return *p || num > 999999999ul ? 0 : (unsigned)num;
    }
    for (const ebts__field_rule *x = ebts__rules_91; x->rtype; x++)
        if (x->rtype == type && x->mnem && strcmp(x->mnem, name) == 0)
            return x->field;
    return 0;
}

const ebts_field *ebts_txn_find(const ebts_txn *t, size_t rec, const char *name)
{
    const ebts_record *r = ebts_txn_record(t, rec);
    return r ? ebts_record_field(r, ebts__field_named(r->type, name)) : NULL;
}

