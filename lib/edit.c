/* Edits of the transaction model: fields, subfields, items and records set, inserted and
 * deleted; new bytes are copied into the transaction's arena. LEN and CNT are the writer's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "internal.h"
#include "rules.h"

static ebts_record *tagged_record(ebts_txn *t, size_t rec, ebts_error *err)
{
    if (!t || rec >= t->nrecs) {
        ebts__error_set(err, EBTS__C_BAD_ARGUMENT, 0, (long)rec, NULL, "no record %zu", rec);
        return NULL;
    }
    ebts_record *r = t->recs[rec];
    if (r->binary) {
        ebts__error_set(err, EBTS__C_BAD_ARGUMENT, 0, (long)rec, NULL,
                        "record %zu is a binary Type-%u record: it has no fields", rec, r->type);
        return NULL;
    }
    r->span = NULL; /* about to be edited: written field by field from now on */
    t->recs[0]->span = NULL; /* and CNT derived again (an IDC may change) */
    return r;
}

static long field_index(const ebts_record *r, unsigned number)
{
    for (uint32_t i = 0; i < r->nfields; i++)
        if (r->fields[i].number == number && !(r->fields[i].flags & EBTS__F_MALFORMED))
            return (long)i;
    return -1;
}

/* number 0 only with zero_ok: a tag "T.0:" reads as field 0, which only XML reading restores */
/* "T.NNN" of field number in r, in buf (24 bytes), for a message. */
static const char *tag_text(char *buf, const ebts_record *r, unsigned number)
{
    snprintf(buf, 24, "%u.%03u", r->type, number);
    return buf;
}

static int value_allowed(const ebts_record *r, unsigned number, const unsigned char *v, size_t len,
                         int zero_ok, ebts_error *err)
{
    char tag[24];
    if ((number == 0 && !zero_ok) || number > EBTS__MAX_NUMBER) {
        ebts__error_set(err, EBTS__C_BAD_ARGUMENT, 0, -1, NULL, "field number %u out of range",
                        number);
        return -1;
    }
    if (number == 1) {
        ebts__error_set(err, EBTS__C_BAD_ARGUMENT, 0, -1, tag_text(tag, r, number),
                        "LEN is derived by the writer");
        return -1;
    }
    if (len > 0xfffffff0u) {
        ebts__error_set(err, EBTS__C_BAD_ARGUMENT, 0, -1, tag_text(tag, r, number),
                        "value of %zu bytes is too long", len);
        return -1;
    }
    if (!v && len) {
        ebts__error_set(err, EBTS__C_BAD_ARGUMENT, 0, -1, tag_text(tag, r, number),
                        "NULL value of %zu bytes", len);
        return -1;
    }
    if (number == 999 && r->type >= 10)
        return 0;
    for (size_t i = 0; i < len; i++)
        if ((v[i] & 0xFE) == EBTS__FS) { /* FS (1C) or GS (1D) */
            ebts__error_set(err, EBTS__C_BAD_ARGUMENT, 0, -1, tag_text(tag, r, number),
                            "a text value may not contain FS or GS (byte %zu)", i);
            return -1;
        }
    return 0;
}

/* Make room for one more field at position pos; returns the new slot (zeroed). */
static ebts_field *insert_slot(ebts_txn *t, ebts_record *r, size_t pos)
{
    if (r->nfields == r->capfields) {
        uint32_t cap = r->capfields ? r->capfields * 2 : 8;
        ebts_field *f = ebts__arena_alloc(&t->arena, (size_t)cap * sizeof *f);
        if (!f)
            return NULL;
        if (r->nfields)
            memcpy(f, r->fields, r->nfields * sizeof *f);
        r->fields = f;
        r->capfields = cap;
    }
    memmove(&r->fields[pos + 1], &r->fields[pos], (r->nfields - pos) * sizeof *r->fields);
    r->nfields++;
    memset(&r->fields[pos], 0, sizeof *r->fields);
    if (r->ordered > pos)
        r->ordered = (uint32_t)pos;
    return &r->fields[pos];
}

/* Room in the arena for a value of len bytes that f is to hold: after a copy of f's tag when
 * the tag's type is read from the bytes before the value (EBTS__TAGTYPE_BIG). NULL without
 * memory. */
static unsigned char *value_room(ebts_txn *t, const ebts_field *f, size_t len)
{
    size_t pre = f->tagtype == EBTS__TAGTYPE_BIG ? (size_t)f->type_w + f->num_w + 2u : 0;
    unsigned char *p = ebts__arena_alloc(&t->arena, pre + len);
    if (!p)
        return NULL;
    if (pre) /* a new field's val is NULL until assigned: no arithmetic on it */
        memcpy(p, f->val - pre, pre);
    return p + pre;
}

static int assign(ebts_txn *t, const ebts_record *r, ebts_field *f, unsigned number,
                  const void *val, size_t len, ebts_error *err)
{
    unsigned char *room = len || f->tagtype == EBTS__TAGTYPE_BIG ? value_room(t, f, len) : NULL;
    const unsigned char *copy = room ? room : (const unsigned char *)"";
    if (!room && (len || f->tagtype == EBTS__TAGTYPE_BIG)) {
        ebts__error_oom(err);
        return -1;
    }
    if (len)
        memcpy(room, val, len);
    ebts__field_drop_index(f);
    f->val = copy;
    f->len = (uint32_t)len;
    f->number = number;
    f->flags = number == 999 && r->type >= 10 ? EBTS__F_BINARY : 0;
    if (ebts__field_tokenize(&t->arena, f) < 0) {
        ebts__error_oom(err);
        return -1;
    }
    return 0;
}

static int new_field(ebts_txn *t, ebts_record *r, size_t pos, unsigned number, const void *val,
                     size_t len, ebts_error *err)
{
    ebts_field *f = insert_slot(t, r, pos);
    if (!f) {
        ebts__error_oom(err);
        return -1;
    }
    f->offset = EBTS__NOWHERE;
    char tag[16]; /* a type above 254: spelled before the value, where ebts__tagtype reads it */
    if (r->type < EBTS__TAGTYPE_BIG) {
        f->tagtype = (uint8_t)r->type;
    } else {
        size_t k = ebts__put_padded(tag, 0, sizeof tag - 5, r->type, 1);
        memcpy(tag + k, ".000:", 5);
        f->tagtype = EBTS__TAGTYPE_BIG;
        f->type_w = (uint8_t)k;
        f->num_w = 3;
        f->val = (const unsigned char *)tag + k + 5;
    }
    if (assign(t, r, f, number, val, len, err) < 0) {
        memmove(&r->fields[pos], &r->fields[pos + 1], (r->nfields - pos - 1) * sizeof *r->fields);
        r->nfields--;
        if (r->ordered > pos)
            r->ordered = (uint32_t)pos;
        return -1;
    }
    return 0;
}

/* 1.003 CNT is derived from the records by the writer: an edit of it would be lost. */
static int not_cnt(const ebts_txn *t, size_t rec, unsigned number, ebts_error *err)
{
    if (t && rec == 0 && number == 3) {
        ebts__error_set(err, EBTS__C_BAD_ARGUMENT, 0, 0, "1.003",
                        "CNT is derived by the writer from the records");
        return -1;
    }
    return 0;
}

int ebts_txn_set_field(ebts_txn *t, size_t rec, unsigned number, const void *val, size_t len,
                       ebts_error *err)
{
    ebts__ahead_stop(t);
    ebts_record *r = not_cnt(t, rec, number, err) < 0 ? NULL : tagged_record(t, rec, err);
    if (!r || value_allowed(r, number, val, len, 0, err) < 0)
        return -1;
    long i = field_index(r, number);
    if (i >= 0)
        return assign(t, r, &r->fields[i], number, val, len, err);
    size_t pos = 0;
    while (pos < r->nfields && !(r->fields[pos].flags & EBTS__F_BINARY) &&
           (r->fields[pos].number < number || (r->fields[pos].flags & EBTS__F_MALFORMED)))
        pos++;
    return new_field(t, r, pos, number, val, len, err);
}

int ebts_txn_set(ebts_txn *t, size_t rec, const char *name, const char *value, ebts_error *err)
{
    ebts__ahead_stop(t);
    const ebts_record *r = ebts_txn_record(t, rec);
    unsigned number = r ? ebts__field_named(r->type, name) : 0;
    if (r && !value) {
        ebts__error_set(err, EBTS__C_BAD_ARGUMENT, 0, (long)rec, NULL, "NULL value");
        return -1;
    }
    if (r && !number) {
        ebts__error_set(err, EBTS__C_BAD_ARGUMENT, 0, (long)rec, NULL,
                        "no field \"%s\" in a Type-%u record", name ? name : "", r->type);
        return -1;
    }
    return ebts_txn_set_field(t, rec, number, value, value ? strlen(value) : 0, err);
}

int ebts_txn_insert_field(ebts_txn *t, size_t rec, size_t pos, unsigned number, const void *val,
                          size_t len, ebts_error *err)
{
    ebts__ahead_stop(t);
    ebts_record *r = not_cnt(t, rec, number, err) < 0 ? NULL : tagged_record(t, rec, err);
    if (!r || value_allowed(r, number, val, len, 0, err) < 0)
        return -1;
    if (pos > r->nfields || field_index(r, number) >= 0) {
        if (pos > r->nfields)
            ebts__error_set(err, EBTS__C_BAD_ARGUMENT, 0, (long)rec, NULL,
                            "position %zu is past the end", pos);
        else
            ebts__error_set(err, EBTS__C_BAD_ARGUMENT, 0, (long)rec, NULL,
                            "field number %u is already present", number);
        return -1;
    }
    return new_field(t, r, pos, number, val, len, err);
}

int ebts__append_field(ebts_txn *t, size_t rec, unsigned number, const void *val, size_t len,
                       ebts_error *err)
{
    ebts_record *r = tagged_record(t, rec, err);
    if (!r || value_allowed(r, number, val, len, 0, err) < 0)
        return -1;
    /* In number order (as a document usually is) the new field goes last: known without a
     * search once the ordered prefix covers every field (extended here, so each field is
     * looked at once however many are appended). */
    uint32_t k = r->ordered;
    while (k < r->nfields && !(r->fields[k].flags & (EBTS__F_BINARY | EBTS__F_MALFORMED)) &&
           (k == 0 || r->fields[k].number > r->fields[k - 1].number))
        k++;
    r->ordered = k;
    if (k == r->nfields && (k == 0 || r->fields[k - 1].number < number)) {
        if (new_field(t, r, k, number, val, len, err) < 0)
            return -1;
        if (!(r->fields[k].flags & (EBTS__F_BINARY | EBTS__F_MALFORMED)))
            r->ordered = k + 1;
        return 0;
    }
    size_t pos = r->nfields;
    while (pos > 0 && (r->fields[pos - 1].flags & EBTS__F_BINARY) &&
           !(number == 999 && r->type >= 10))
        pos--;
    if (field_index(r, number) < 0) { /* not a repeat: in number order */
        pos = 0;
        while (pos < r->nfields && !(r->fields[pos].flags & EBTS__F_BINARY) &&
               (r->fields[pos].number < number || (r->fields[pos].flags & EBTS__F_MALFORMED)))
            pos++;
    }
    return new_field(t, r, pos, number, val, len, err);
}

static int by_number(const void *a, const void *b)
{
    unsigned x = ((const ebts_field *)a)->number, y = ((const ebts_field *)b)->number;
    return (x > y) - (x < y);
}

void ebts__sort_fields(ebts_txn *t, size_t rec)
{
    ebts_record *r = t->recs[rec];
    if (r->nfields > 1)
        qsort(r->fields, r->nfields, sizeof *r->fields, by_number);
    r->ordered = 0; /* found again by the next append */
    r->span = NULL;
}

int ebts__set_first_field(ebts_txn *t, size_t rec, unsigned number, const void *val, size_t len,
                          ebts_error *err)
{
    ebts_record *r = tagged_record(t, rec, err);
    if (!r || value_allowed(r, number, val, len, 0, err) < 0)
        return -1;
    long i = field_index(r, number);
    if (i < 0)
        return ebts_txn_set_field(t, rec, number, val, len, err);
    return new_field(t, r, (size_t)i, number, val, len, err);
}

int ebts__set_first_field_owned(ebts_txn *t, size_t rec, unsigned number, const unsigned char *val,
                                size_t len, ebts_error *err)
{
    ebts_record *r = tagged_record(t, rec, err);
    if (!r)
        return -1;
    if (r->type >= EBTS__TAGTYPE_BIG) /* its tag goes before the value: a copy with room for it */
        return ebts__set_first_field(t, rec, number, val, len, err);
    if (ebts__set_first_field(t, rec, number, "", 0, err) < 0)
        return -1;
    ebts_field *f = &r->fields[field_index(r, number)];
    f->val = val;
    f->len = (uint32_t)len;
    if (ebts__field_tokenize(&t->arena, f) < 0) {
        ebts__error_oom(err);
        return -1;
    }
    return 0;
}

int ebts__set_cnt(ebts_txn *t, const unsigned char *val, size_t len, ebts_error *err)
{
    ebts_record *r = tagged_record(t, 0, err);
    if (!r || value_allowed(r, 3, val, len, 0, err) < 0)
        return -1;
    long i = field_index(r, 3);
    if (i >= 0)
        return assign(t, r, &r->fields[i], 3, val, len, err);
    return ebts__set_first_field(t, 0, 3, val, len, err);
}

int ebts__set_len(ebts_txn *t, size_t rec, const unsigned char *val, size_t len, ebts_error *err)
{
    ebts_record *r = tagged_record(t, rec, err);
    if (!r || !r->nfields || r->fields[0].number != 1 || (r->fields[0].flags & EBTS__F_MALFORMED))
        return r ? 0 : -1;
    return assign(t, r, &r->fields[0], 1, val, len, err);
}

int ebts__push_field(ebts_txn *t, size_t rec, unsigned number, const void *val, size_t len,
                     ebts_error *err)
{
    ebts_record *r = tagged_record(t, rec, err);
    if (!r || value_allowed(r, number, val, len, 1, err) < 0)
        return -1;
    size_t pos = r->nfields;
    while (pos > 0 && (r->fields[pos - 1].flags & EBTS__F_BINARY) &&
           !(number == 999 && r->type >= 10))
        pos--;
    return new_field(t, r, pos, number, val, len, err);
}

int ebts__append_raw_field(ebts_txn *t, size_t rec, const void *val, size_t len, ebts_error *err)
{
    ebts_record *r = tagged_record(t, rec, err);
    if (!r)
        return -1;
    if (len > 0xfffffff0u) {
        ebts__error_set(err, EBTS__C_BAD_ARGUMENT, 0, -1, NULL, "value of %zu bytes is too long",
                        len);
        return -1;
    }
    size_t pos = r->nfields; /* before the data delimited by LEN, which ends the record */
    while (pos > 0 && (r->fields[pos - 1].flags & EBTS__F_BINARY))
        pos--;
    const unsigned char *copy = len ? ebts__arena_dup(&t->arena, val, len) : NULL;
    ebts_field *f = !len || copy ? insert_slot(t, r, pos) : NULL;
    if (!f) {
        ebts__error_oom(err);
        return -1;
    }
    f->val = copy ? copy : (const unsigned char *)"";
    f->len = (uint32_t)len;
    f->offset = EBTS__NOWHERE;
    f->flags = EBTS__F_MALFORMED;
    f->tagtype = r->type < EBTS__TAGTYPE_BIG ? (uint8_t)r->type : 0;
    return 0;
}

int ebts_txn_delete_field(ebts_txn *t, size_t rec, unsigned number, ebts_error *err)
{
    ebts__ahead_stop(t);
    ebts_record *r = tagged_record(t, rec, err);
    if (!r)
        return -1;
    long i = field_index(r, number);
    if (number == 1 || i < 0) {
        if (number == 1)
            ebts__error_set(err, EBTS__C_BAD_ARGUMENT, 0, (long)rec, NULL, "LEN cannot be deleted");
        else
            ebts__error_set(err, EBTS__C_BAD_ARGUMENT, 0, (long)rec, NULL,
                            "no field %u in record %zu", number, rec);
        return -1;
    }
    ebts__field_drop_index(&r->fields[i]);
    memmove(&r->fields[i], &r->fields[i + 1], (r->nfields - (size_t)i - 1) * sizeof *r->fields);
    r->nfields--;
    if (r->ordered > (uint32_t)i)
        r->ordered = (uint32_t)i;
    return 0;
}

enum item_op { OP_SET, OP_INSERT, OP_DELETE, OP_INSERT_SUB, OP_DELETE_SUB };

/* Item-level edits rebuild the field's value and assign it. */
static int edit_items(ebts_txn *t, size_t rec, unsigned number, size_t sub, size_t item,
                      enum item_op op, const void *val, size_t len, ebts_error *err)
{
    ebts_record *r = not_cnt(t, rec, number, err) < 0 ? NULL : tagged_record(t, rec, err);
    if (!r)
        return -1;
    long fi = field_index(r, number);
    if (fi < 0 || (r->fields[fi].flags & EBTS__F_BINARY) || number == 1) {
        ebts__error_set(err, EBTS__C_BAD_ARGUMENT, 0, (long)rec, NULL,
                        fi < 0 ? "no field %u in record %zu"
                               : "field %u of record %zu has no items",
                        number, rec);
        return -1;
    }
    const unsigned char *v = val;
    if (!v && len) {
        ebts__error_set(err, EBTS__C_BAD_ARGUMENT, 0, (long)rec, NULL, "NULL item of %zu bytes",
                        len);
        return -1;
    }
    for (size_t i = 0; i < len; i++)
        if (v[i] == EBTS__FS || v[i] == EBTS__GS || v[i] == EBTS__RS ||
            (v[i] == EBTS__US && op != OP_INSERT_SUB)) {
            ebts__error_set(err, EBTS__C_BAD_ARGUMENT, 0, (long)rec, NULL,
                            "an item may not contain separators (byte %zu)", i);
            return -1;
        }
    const ebts_field *f = &r->fields[fi];
    size_t nsub = ebts__nsub(f);
    int ok = op == OP_INSERT_SUB ? sub <= nsub : sub < nsub;
    size_t nit = sub < nsub ? ebts_field_item_count(f, sub) : 0;
    if (ok && op == OP_INSERT)
        ok = item <= nit;
    else if (ok && (op == OP_SET || op == OP_DELETE))
        ok = item < nit;
    if (ok && ((op == OP_DELETE && nit == 1) || (op == OP_DELETE_SUB && nsub == 1)))
        ok = 0; /* the last item or subfield: delete the field instead */
    if (!ok) {
        ebts__error_set(err, EBTS__C_BAD_ARGUMENT, 0, (long)rec, NULL,
                        "subfield %zu item %zu out of range for field %u (or the last one)", sub,
                        item, number);
        return -1;
    }
    ebts__buf b = {0};
    int first_sub = 1;
    for (size_t s = 0; s <= nsub; s++) {
        if (op == OP_INSERT_SUB && s == sub) {
            if (!first_sub)
                ebts__buf_putc(&b, EBTS__RS);
            ebts__buf_put(&b, val, len);
            first_sub = 0;
        }
        if (s == nsub || (op == OP_DELETE_SUB && s == sub))
            continue;
        if (!first_sub)
            ebts__buf_putc(&b, EBTS__RS);
        first_sub = 0;
        size_t n = ebts_field_item_count(f, s);
        int first_item = 1;
        for (size_t i = 0; i <= n; i++) {
            int here = s == sub && i == item;
            if (here && op == OP_INSERT) {
                if (!first_item)
                    ebts__buf_putc(&b, EBTS__US);
                ebts__buf_put(&b, val, len);
                first_item = 0;
            }
            if (i == n || (here && op == OP_DELETE))
                continue;
            if (!first_item)
                ebts__buf_putc(&b, EBTS__US);
            first_item = 0;
            if (here && op == OP_SET) {
                ebts__buf_put(&b, val, len);
            } else {
                ebts_span it = ebts_field_item(f, s, i);
                ebts__buf_put(&b, it.ptr, it.len);
            }
        }
    }
    if (b.oom) {
        free(b.p);
        ebts__error_oom(err);
        return -1;
    }
    int rc = assign(t, r, &r->fields[fi], number, b.p, b.len, err);
    free(b.p);
    return rc;
}

int ebts_txn_set_item(ebts_txn *t, size_t rec, unsigned number, size_t sub, size_t item,
                      const void *val, size_t len, ebts_error *err)
{
    ebts__ahead_stop(t);
    return edit_items(t, rec, number, sub, item, OP_SET, val, len, err);
}

int ebts_txn_insert_item(ebts_txn *t, size_t rec, unsigned number, size_t sub, size_t item,
                         const void *val, size_t len, ebts_error *err)
{
    ebts__ahead_stop(t);
    return edit_items(t, rec, number, sub, item, OP_INSERT, val, len, err);
}

int ebts_txn_delete_item(ebts_txn *t, size_t rec, unsigned number, size_t sub, size_t item,
                         ebts_error *err)
{
    ebts__ahead_stop(t);
    return edit_items(t, rec, number, sub, item, OP_DELETE, NULL, 0, err);
}

int ebts_txn_insert_subfield(ebts_txn *t, size_t rec, unsigned number, size_t sub,
                             const void *val, size_t len, ebts_error *err)
{
    ebts__ahead_stop(t);
    return edit_items(t, rec, number, sub, 0, OP_INSERT_SUB, val, len, err);
}

int ebts_txn_delete_subfield(ebts_txn *t, size_t rec, unsigned number, size_t sub,
                             ebts_error *err)
{
    ebts__ahead_stop(t);
    return edit_items(t, rec, number, sub, 0, OP_DELETE_SUB, NULL, 0, err);
}

static int insert_rec(ebts_txn *t, size_t index, ebts_record *r, ebts_error *err)
{
    if (ebts__recs_reserve(t) < 0) {
        ebts__error_oom(err);
        return -1;
    }
    memmove(&t->recs[index + 1], &t->recs[index], (t->nrecs - index) * sizeof *t->recs);
    t->recs[index] = r;
    t->nrecs++;
    t->recs[0]->span = NULL; /* CNT changes */
    return 0;
}

static int record_index_ok(const ebts_txn *t, size_t index, unsigned type, int binary,
                           ebts_error *err)
{
    if (!t || index < 1 || index > t->nrecs || type == 0 || type == 1 || type > EBTS__MAX_NUMBER ||
        (binary != (type >= 3 && type <= 8))) {
        ebts__error_set(err, EBTS__C_BAD_ARGUMENT, 0, (long)index, NULL,
                        "cannot insert a %s Type-%u record at position %zu",
                        binary ? "binary" : "tagged", type, index);
        return 0;
    }
    return 1;
}

int ebts_txn_insert_record(ebts_txn *t, size_t index, unsigned type, unsigned idc, ebts_error *err)
{
    ebts__ahead_stop(t);
    if (!record_index_ok(t, index, type, 0, err))
        return -1;
    if (idc > 99) { /* two digits (0..99); not written modulo 100 */
        ebts__error_set(err, EBTS__C_BAD_ARGUMENT, 0, (long)index, NULL,
                        "an IDC is 0 to 99, got %u (set field 2 for another value)", idc);
        return -1;
    }
    ebts_record *r = ebts__record_new(t, type);
    char v[16];
    int n = snprintf(v, sizeof v, "%02u", idc);
    if (!r || insert_rec(t, index, r, err) < 0) {
        ebts__error_oom(err);
        return -1;
    }
    if (new_field(t, r, 0, 1, "", 0, err) < 0 || new_field(t, r, 1, 2, v, (size_t)n, err) < 0) {
        ebts_txn_delete_record(t, index, NULL);
        return -1;
    }
    return 0;
}

int ebts_txn_insert_binary_record(ebts_txn *t, size_t index, unsigned type, const void *data,
                                  size_t len, ebts_error *err)
{
    ebts__ahead_stop(t);
    if (!record_index_ok(t, index, type, 1, err))
        return -1;
    if (!data || len < 5 || len > 0xffffffffu) {
        ebts__error_set(err, EBTS__C_BAD_ARGUMENT, 0, (long)index, NULL,
                        "a binary record needs 5 to 4294967295 bytes, got %zu%s", len,
                        data ? "" : " at NULL");
        return -1;
    }
    ebts_record *r = ebts__record_new(t, type);
    if (!r || !(r->raw = ebts__arena_dup(&t->arena, data, len)) ||
        insert_rec(t, index, r, err) < 0) {
        ebts__error_oom(err);
        return -1;
    }
    r->binary = 1;
    r->rawlen = (uint32_t)len;
    return 0;
}

int ebts__append_tagged_record(ebts_txn *t, unsigned type, ebts_error *err)
{
    /* Types 3-8 too: the reader keeps such a record tagged when its bytes are tagged */
    ebts_record *r = t ? ebts__record_new(t, type) : NULL;
    if (!r || insert_rec(t, t->nrecs, r, err) < 0) {
        ebts__error_oom(err);
        return -1;
    }
    if (new_field(t, r, 0, 1, "", 0, err) < 0) {
        ebts_txn_delete_record(t, t->nrecs - 1, NULL);
        return -1;
    }
    return 0;
}

int ebts_txn_delete_record(ebts_txn *t, size_t index, ebts_error *err)
{
    ebts__ahead_stop(t);
    if (!t || index < 1 || index >= t->nrecs) {
        ebts__error_set(err, EBTS__C_BAD_ARGUMENT, 0, (long)index, NULL, "no record %zu to delete",
                        index);
        return -1;
    }
    memmove(&t->recs[index], &t->recs[index + 1], (t->nrecs - index - 1) * sizeof *t->recs);
    t->nrecs--;
    t->recs[0]->span = NULL; /* CNT changes */
    return 0;
}

ebts_txn *ebts_txn_new(const char *ver, ebts_error *err)
{
    ebts_txn *t = ebts__txn_alloc();
    ebts_record *r = t ? ebts__record_new(t, 1) : NULL;
    if (!r || ebts__txn_add_record(t, r) < 0) {
        ebts_txn_free(t);
        ebts__error_oom(err);
        return NULL;
    }
    const char *v = ver && *ver ? ver : "0500";
    if (value_allowed(r, 2, (const unsigned char *)v, strlen(v), 0, err) < 0) {
        ebts_txn_free(t);
        return NULL;
    }
    if (new_field(t, r, 0, 1, "", 0, err) < 0 || new_field(t, r, 1, 2, v, strlen(v), err) < 0 ||
        new_field(t, r, 2, 3, "1\x1f" "0", 3, err) < 0) {
        ebts_txn_free(t);
        return NULL;
    }
    return t;
}

int ebts_txn_stamp(ebts_txn *t, const char *tcn, ebts_error *err)
{
    ebts__ahead_stop(t);
    if (!t) {
        ebts__error_set(err, EBTS__C_BAD_ARGUMENT, 0, -1, NULL, "no transaction");
        return -1;
    }
    time_t now = time(NULL);
    struct tm tmv;
    char dat[16], gmt[24], made[64];
    gmtime_r(&now, &tmv);
    strftime(dat, sizeof dat, "%Y%m%d", &tmv);
    strftime(gmt, sizeof gmt, "%Y%m%d%H%M%SZ", &tmv);
    if (!tcn) {
        ebts_span ori = ebts_txn_value(t, 1, 8);
        if (ori.len > 32)
            ori.len = 32;
        snprintf(made, sizeof made, "%.*s-%.14s", ori.len ? (int)ori.len : 3,
                 ori.len ? (const char *)ori.ptr : "TCN", gmt);
        tcn = made;
    }
    if (ebts_txn_set_field(t, 0, 5, dat, strlen(dat), err) < 0 ||
        ebts_txn_set_field(t, 0, 9, tcn, strlen(tcn), err) < 0 ||
        ebts_txn_set_field(t, 0, 14, gmt, strlen(gmt), err) < 0)
        return -1;
    return 0;
}

/* ---- repairs */

static int dcs_ascii(const ebts_txn *t)
{
    const ebts_field *f = ebts_record_field(ebts_txn_record(t, 0), 15);
    if (!f)
        return 1;
    for (size_t s = 0, ns = ebts__nsub(f); s < ns; s++) {
        ebts_span csi = ebts_field_item(f, s, 0), csn = ebts_field_item(f, s, 1);
        int v;
        if (ebts__parse_uint(csi.ptr, csi.len, &v) && v != 0 && v != 1)
            return 0;
        for (size_t i = 0; i + 3 <= csn.len; i++)
            if ((csn.ptr[i] | 0x20) == 'u' && (csn.ptr[i + 1] | 0x20) == 't' &&
                (csn.ptr[i + 2] | 0x20) == 'f')
                return 0;
    }
    return 1;
}

int ebts__txn_ascii7(const ebts_txn *t)
{
    return dcs_ascii(t);
}

/* Typographic punctuation (UTF-8) and its ASCII stand-in. */
static const struct {
    const char *utf8;
    const char *ascii;
} punct[] = {
    {"\xe2\x80\x98", "'"}, {"\xe2\x80\x99", "'"},   {"\xe2\x80\x9c", "\""}, {"\xe2\x80\x9d", "\""},
    {"\xe2\x80\x93", "-"}, {"\xe2\x80\x94", "-"},   {"\xe2\x80\xa6", "..."}, {"\xc2\xa0", " "},
};

static int fix_value(ebts__buf *b, const ebts_field *f, unsigned what)
{
    size_t i = 0;
    int changed = 0;
    if (what & EBTS_FIX_LEADING_SPACE)
        while (i < f->len && f->val[i] == ' ') {
            i++;
            changed = 1;
        }
    for (; i < f->len; i++) {
        size_t k = 0, nk = sizeof punct / sizeof punct[0];
        if ((what & EBTS_FIX_ASCII_PUNCT) && f->val[i] >= 0x80)
            for (k = 0; k < nk; k++) {
                size_t l = strlen(punct[k].utf8);
                if (f->len - i >= l && memcmp(f->val + i, punct[k].utf8, l) == 0)
                    break;
            }
        if ((what & EBTS_FIX_ASCII_PUNCT) && f->val[i] >= 0x80 && k < nk) {
            ebts__buf_puts(b, punct[k].ascii);
            i += strlen(punct[k].utf8) - 1;
            changed = 1;
        } else {
            ebts__buf_putc(b, f->val[i]);
        }
    }
    return changed;
}

long ebts_txn_fix(ebts_txn *t, unsigned what, ebts_error *err)
{
    ebts__ahead_stop(t);
    if (!t || (what & ~EBTS_FIX_ALL)) {
        ebts__error_set(err, EBTS__C_BAD_ARGUMENT, 0, -1, NULL, "%s 0x%x",
                        t ? "unknown repairs" : "no transaction, repairs", what);
        return -1;
    }
    int ascii = dcs_ascii(t);
    long changed = 0;
    for (size_t ri = 0; ri < t->nrecs; ri++) {
        ebts_record *r = t->recs[ri];
        unsigned w = what;
        if (r->type != 1 && !ascii)
            w &= ~EBTS_FIX_ASCII_PUNCT;
        for (uint32_t i = 0; i < r->nfields; i++) {
            ebts_field *f = &r->fields[i];
            if (f->flags & (EBTS__F_BINARY | EBTS__F_MALFORMED) || f->number == 1)
                continue;
            ebts__buf b = {0};
            if (fix_value(&b, f, w)) {
                r->span = NULL;
                t->recs[0]->span = NULL;
                if (b.oom || assign(t, r, f, f->number, b.p, b.len, err) < 0) {
                    free(b.p);
                    if (b.oom)
                        ebts__error_oom(err);
                    return -1;
                }
                changed++;
            }
            free(b.p);
        }
    }
    return changed;
}

int ebts_txn_redact(ebts_txn *t, ebts_error *err)
{
    ebts__ahead_stop(t);
    if (!t) {
        ebts__error_set(err, EBTS__C_BAD_ARGUMENT, 0, -1, NULL, "no transaction");
        return -1;
    }
    for (size_t ri = 0; ri < t->nrecs; ri++) {
        ebts_record *r = t->recs[ri];
        r->span = NULL;
        if (r->binary) {
            size_t keep = r->type == 8 ? 12 : r->type == 7 ? 5 : 18;
            unsigned char *c = ebts__arena_dup(&t->arena, r->raw, r->rawlen);
            if (!c) {
                ebts__error_oom(err);
                return -1;
            }
            if (r->rawlen > keep)
                memset(c + keep, 0, r->rawlen - keep);
            r->raw = c;
            continue;
        }
        for (uint32_t i = 0; i < r->nfields; i++) {
            ebts_field *f = &r->fields[i];
            int personal = (r->type == 2 && f->number > 2) || (f->flags & EBTS__F_MALFORMED);
            if (f->flags & EBTS__F_BINARY) {
                f->len = 0;
                continue;
            }
            if (!personal)
                continue;
            /* same structure, every item "*" */
            size_t n = ebts__nitems(f) * 2;
            unsigned char *v = value_room(t, f, n);
            if (!v) {
                ebts__error_oom(err);
                return -1;
            }
            size_t k = 0;
            for (size_t s = 0, ns = ebts__nsub(f); s < ns; s++)
                for (size_t it = 0; it < ebts_field_item_count(f, s); it++) {
                    if (it)
                        v[k++] = EBTS__US;
                    else if (s)
                        v[k++] = EBTS__RS;
                    v[k++] = '*';
                }
            f->val = v;
            f->len = (uint32_t)k;
            if (ebts__field_tokenize(&t->arena, f) < 0) {
                ebts__error_oom(err);
                return -1;
            }
        }
    }
    return 0;
}
