/* Validation of a field's values: occurrences, items, character sets, lengths, value sets,
 * dates, formats, 2.075 line length, control characters. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "validate.h"

/* A value's first eight bytes (fewer: zero above them) as a number, read at once when wide says
 * eight bytes from p may be read. Built-in codes are short: for most values it is the value. */
static EBTS__HOT uint64_t value_head(const unsigned char *p, size_t n, int wide)
{
    uint64_t w = 0;
    if (wide) {
        memcpy(&w, p, 8);
        if (n < 8) /* the bytes past the value are zero, whichever byte order */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
            w = n ? w >> (64 - 8 * n) << (64 - 8 * n) : 0;
#else
            w &= ((uint64_t)1 << (8 * n)) - 1u;
#endif
        return w;
    }
    memcpy(&w, p, n < 8 ? n : 8);
    return w;
}

/* A value's place in a split list's hash table, from its length and first bytes */
static EBTS__HOT unsigned value_hash(uint64_t head, size_t n)
{
    uint64_t h = (head ^ (uint64_t)n << 59) * 0x9e3779b97f4a7c15ull;
    return (unsigned)(h >> 56) % (2 * VSET_MAX);
}

/* Split the list into e: each value's place, length and first bytes, and a hash table of them */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
void ebts__v_vset_split(struct vset *e, const char *values)
{
    e->n = 0;
    for (const char *x = values; e->n <= VSET_MAX;) {
        size_t l = strcspn(x, "|");
        if (e->n == VSET_MAX || l > 255 || (size_t)(x - values) > 65535) {
            e->n = VSET_MAX + 1;
            break;
        }
        if (l == 0 && !x[l])
            break; /* as in_values: an empty last value (list "" or "A|") is none */
        e->off[e->n] = (unsigned short)(x - values);
        e->head[e->n] = value_head((const unsigned char *)x, l, 0);
        e->len[e->n++] = (unsigned char)l;
        if (!x[l])
            break;
        x += l + 1;
    }
    memset(e->at, 0, sizeof e->at);
    for (unsigned i = 0; e->n <= VSET_MAX && i < e->n; i++) {
        unsigned h = value_hash(e->head[i], e->len[i]);
        while (e->at[h]) /* at most VSET_MAX of 2 * VSET_MAX places taken */
            h = (h + 1) % (2 * VSET_MAX);
        e->at[h] = (unsigned char)(i + 1);
    }
}

/* The split form of the list, NULL when the profile has none (it was made for every list its
 * rules name) */
static EBTS__HOT const struct vset *vset_of(const struct ebts__vcomp *c, const char *values)
{
    if (!c)
        return NULL;
    size_t slot = ptr_slot(values, c->nvslots);
    while (c->vset_key[slot] && c->vset_key[slot] != values)
        slot = (slot + 1) & (c->nvslots - 1);
    return c->vset_key[slot] ? &c->vsets[c->vset_at[slot]] : NULL;
}

/* in_values() through e, the split form of the list (ebts__v_vset_split; the longest built-in list
 * has 71 values), when there is one. wide: as value_head. */
static EBTS__HOT int in_value_set(const struct vset *e, const char *values,
                                  const unsigned char *p, size_t n, int wide)
{
    if (!e || e->n > VSET_MAX)
        return in_values(values, p, n);
    uint64_t head = value_head(p, n, wide);
    for (unsigned h = value_hash(head, n); e->at[h]; h = (h + 1) % (2 * VSET_MAX)) {
        unsigned i = e->at[h] - 1u;
        if (e->head[i] != head || e->len[i] != n)
            continue;
        if (n <= 8 || memcmp(values + e->off[i] + 8, p + 8, n - 8) == 0)
            return 1;
    }
    return 0;
}

/* Not text in any character set: C0 controls but the FBI's 7-13 (BEL to CR), and DEL.
 * 0x1C-0x1F are the separators, never inside a value. */
static int is_control(unsigned char c)
{
    return (c < 0x20 && (c < 7 || c > 13)) || c == 0x7f;
}

static const char *ctype_name(int ct)
{
    static const char *const n[] = {"A", "N", "AN", "ANS", "AS", "NS", "B"};
    return ct >= 0 && ct <= 6 ? n[ct] : "?";
}

/* Which bytes character type ct with special characters sca allows, as a 256-byte table: the
 * class's ranges, then its specials ("PRINT": every printable byte and 7-13, the FBI's "codes
 * 7-13 and 32-127" of user-defined text). Bytes above 0x7F only where high says so: a free-text
 * field outside Type-1 when 1.015 DCS declares a character set other than 7-bit ASCII
 * (ANSI/NIST-ITL 1-2011 5.5, 7.1.15); a name, a code or a number is 7-bit whatever DCS says. */
static void class_table(unsigned char ok[256], int ct, const char *sca, int high)
{
    int sca_print = sca && strcmp(sca, "PRINT") == 0;
    int all = !sca_print && ct != EBTS__CT_A && ct != EBTS__CT_AS && ct != EBTS__CT_N &&
              ct != EBTS__CT_NS && ct != EBTS__CT_AN && ct != EBTS__CT_ANS;
    int print = sca_print || (ct == EBTS__CT_ANS && !sca);
    int alpha = ct == EBTS__CT_A || ct == EBTS__CT_AS || ct == EBTS__CT_AN || ct == EBTS__CT_ANS;
    int digit = ct == EBTS__CT_N || ct == EBTS__CT_NS || ct == EBTS__CT_AN || ct == EBTS__CT_ANS;
    for (unsigned c = 0; c < 0x80; c++) {
        int a = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'), d = c >= '0' && c <= '9';
        int p = (c >= 0x20 && c < 0x7f) || (c >= 7 && c <= 13);
        ok[c] = (unsigned char)(all || (print ? p : (alpha && a) || (digit && d)));
    }
    memset(ok + 0x80, high && (all || print), 0x80);
    if (sca && !sca_print && !all && !print)
        for (const char *x = sca; *x; x++)
            ok[(unsigned char)*x] = 1;
}

/* The longest run lo..hi of 7-bit bytes a class table allows ("PRINT": 0x20-0x7E, N: 0-9,
 * A: A-Z), as the constants of class_pass8: eight bytes all inside it pass at once. *sub = 0
 * when there is no usable run (one starting at 0 or reaching 0x7F). */
static void class_run(const unsigned char ok[256], uint64_t *sub, uint64_t *add)
{
    unsigned best = 0, start = 0, lo = 0, hi = 0;
    for (unsigned c = 0; c <= 0x80; c++) {
        if (c < 0x80 && ok[c])
            continue;
        if (c > start && c - start > best) {
            best = c - start;
            lo = start;
            hi = c - 1;
        }
        start = c + 1;
    }
    *sub = best && lo > 0 && hi < 0x7f ? EBTS__ONES8 * lo : 0;
    *add = EBTS__ONES8 * (127u - hi);
}
#if defined(__SSE2__)
/* The first byte of q the table refuses among those whose bits are set in out (bytes outside
 * the class's run), n when none. */
static EBTS__HOT unsigned refused_in(const unsigned char *ok, const unsigned char *q, unsigned out,
                                     unsigned n)
{
    for (; out; out &= out - 1) {
        unsigned j = (unsigned)__builtin_ctz(out);
        if (!ok[q[j]])
            return j;
    }
    return n;
}
#endif

/* The first byte of q[0..n) the table refuses, n when none. While the bytes lie in the class's
 * run (sub 0: no usable run) they pass in blocks (sixteen with SSE2, else eight), the last block
 * overlapping the one before it; a value shorter than sixteen bytes passes in one block when
 * wide says that sixteen bytes from q may be read (they lie in the input). With SSE2, a block's
 * bytes outside the run are looked up in the table, which also knows the class's specials (a
 * text's line ends); without, from the first block that does not pass, byte by byte (four at a
 * time) through the table. */
static EBTS__HOT size_t first_refused(const unsigned char *ok, uint64_t sub, uint64_t add,
                                      const run16 *r16, const unsigned char *q, size_t n,
                                      int wide)
{
    size_t i = 0;
    (void)r16;
    (void)wide;
    if (sub) {
#if defined(__SSE2__)
        if (n < 16 && wide)
            return refused_in(ok, q, ebts__run16_out(r16, q) & ((1u << n) - 1u), n);
        if (n >= 16) {
            for (; i + 16 <= n; i += 16) {
                unsigned out = ebts__run16_out(r16, q + i);
                unsigned j = out ? refused_in(ok, q + i, out, 16) : 16;
                if (j < 16)
                    return i + j;
            }
            if (i == n)
                return n;
            /* the last sixteen bytes, of which those before i have passed */
            unsigned out = ebts__run16_out(r16, q + n - 16);
            if (!out)
                return n;
            out &= 0xffffu << (i - (n - 16));
            return n - 16 + refused_in(ok, q + n - 16, out, 16);
        }
#endif
        if (n >= 8) {
            for (; i + 8 <= n; i += 8) {
                uint64_t x;
                memcpy(&x, q + i, 8);
                if (!class_pass8(x, sub, add))
                    goto table;
            }
            uint64_t x;
            memcpy(&x, q + n - 8, 8);
            if (i == n || class_pass8(x, sub, add))
                return n;
        }
    }
table:
    while (i + 4 <= n && (ok[q[i]] & ok[q[i + 1]] & ok[q[i + 2]] & ok[q[i + 3]]))
        i += 4;
    while (i < n && ok[q[i]])
        i++;
    return i;
}

/* The slot of a (class, special characters, high) triple in the profile's table: its entry, or
 * the empty slot where it goes. Keyed by the characters, not the string's address: a profile
 * spells its specials once per field. */
struct cset *ebts__v_cset_slot(const struct ebts__vcomp *c, int ct, const char *sca, int high)
{
    unsigned h = ((unsigned)ct * 2u + (unsigned)high) * 0x9e3779b1u;
    for (const char *x = sca; x && *x; x++)
        h = (h ^ (unsigned char)*x) * 0x01000193u;
    size_t slot = (h ^ h >> 16) & (c->ncsets - 1);
    for (;; slot = (slot + 1) & (c->ncsets - 1)) { /* never full: see ebts__profile_compile */
        struct cset *e = &c->csets[slot];
        if (!e->valid || (e->ct == ct && e->high == high &&
                          (e->sca == sca || (e->sca && sca && strcmp(e->sca, sca) == 0))))
            return e;
    }
}

/* The table and run of a (class, special characters) pair, made when the profile was loaded for
 * every pair its rules can make; NULL without one: the check then builds the table for each
 * value. */
static const struct cset *cset_of(const V *v, int ct, const char *sca, int high)
{
    if (!v->vc)
        return NULL;
    const struct cset *e = ebts__v_cset_slot(v->vc, ct, sca, high);
    return e->valid ? e : NULL;
}

/* Make the entry of the triple in slot e, its table at ok. */
void ebts__v_cset_make(struct cset *e, unsigned char ok[256], int ct, const char *sca, int high)
{
    e->sca = sca;
    e->ct = ct;
    e->high = high;
    e->valid = 1;
    e->ok = ok;
    class_table(ok, ct, sca, high);
    class_run(ok, &e->sub, &e->add);
    e->r16 = ebts__run16_of(e->sub, e->add);
    e->digits = 1;
    for (unsigned d = '0'; d <= '9'; d++)
        e->digits &= ok[d];
}

void ebts__v_chk_make(const V *v, chk *c, int ct, const char *sca, unsigned minlen,
                      unsigned maxlen, const char *values, int date, const char *imnem, int high)
{
    const struct cset *e = cset_of(v, ct, sca, high);
    c->high = high;
    c->ok = e ? e->ok : NULL;
    c->sub = e ? e->sub : 0;
    c->add = e ? e->add : 0;
    if (e) /* without the profile's table check_text makes the run for each value */
        c->r16 = e->r16;
    c->ct = ct;
    c->date = date;
    c->minlen = minlen;
    c->maxlen = maxlen;
    c->lo = minlen;
    c->span = maxlen ? (size_t)maxlen - minlen : SIZE_MAX - minlen;
    if (maxlen && maxlen < minlen) { /* no length is right */
        c->lo = SIZE_MAX;
        c->span = 0;
    }
    c->values = values;
    c->vs = values ? vset_of(v->vc, values) : NULL;
    c->sca = sca;
    c->imnem = imnem;
    /* a date is eight digits: when the class allows digits, eight is a right length and there is
     * no value set, a valid date needs no other check */
    c->date_only = date != EBTS__DATE_NONE && e && e->digits && 8 - c->lo <= c->span && !values;
}

void ebts__v_chk_item(const V *v, chk *c, const ebts__item_rule *ir, int high)
{
    ebts__v_chk_make(v, c, ir->ctype, ir->sca, ir->minlen, ir->maxlen, ir->values, ir->date,
                     ir->mnem, high);
}

/* The findings of a value that check_text found wrong: its first refused byte (bad, s.len when
 * none) and its length. Out of line: a valid value never comes here. The value's name is
 * fmnem, or "fmnem imnem" for an item. */
#if defined(__GNUC__)
__attribute__((noinline, cold))
#endif
static void text_findings(V *v, long rec, const ebts_field *f, size_t sub, long item,
                          ebts_span s, const char *fmnem, const chk *c, size_t bad)
{
    unsigned rt = v->t->recs[rec]->type, fn = f->number, minlen = c->minlen, maxlen = c->maxlen;
    size_t at = off_of(v, f, s);
    char mnem[48];
    snprintf(mnem, sizeof mnem, "%s%s%s", fmnem, c->imnem ? " " : "", c->imnem ? c->imnem : "");
    if (bad < s.len) {
        unsigned char ch = s.ptr[bad];
        int shown = c->sca && strcmp(c->sca, "PRINT") != 0; /* specials named in the message */
        int print = ch >= 0x20 && ch < 0x7f;
        DIAG(v, is_control(ch) ? EBTS__C_CONTROL_CHARACTER : EBTS__C_CHARSET_INVALID,
             EBTS__AT_ITEM(at + bad, rec, rt, fn, (long)sub, item),
             "%s: character %s%c%s (0x%02X) at position %zu is not allowed (%s%s%s)", mnem,
             print ? "'" : "", print ? ch : '?', print ? "'" : "", ch, bad + 1, ctype_name(c->ct),
             shown ? " with \"" : "", shown ? c->sca : "");
    }
    if (s.len < minlen || (maxlen && s.len > maxlen)) {
        if (maxlen == minlen)
            DIAG(v, EBTS__C_LENGTH_INVALID, EBTS__AT_ITEM(at, rec, rt, fn, (long)sub, item),
                 "%s: %zu characters, must be %u", mnem, s.len, minlen);
        else if (maxlen)
            DIAG(v, EBTS__C_LENGTH_INVALID, EBTS__AT_ITEM(at, rec, rt, fn, (long)sub, item),
                 "%s: %zu characters, must be %u to %u", mnem, s.len, minlen, maxlen);
        else
            DIAG(v, EBTS__C_LENGTH_INVALID, EBTS__AT_ITEM(at, rec, rt, fn, (long)sub, item),
                 "%s: %zu characters, must be at least %u", mnem, s.len, minlen);
    }
}

/* A value's first 32 bytes as a finding shows them: printable ASCII, '?' for the rest. */
static void shown_of(char shown[33], ebts_span s)
{
    size_t k = s.len < 32 ? s.len : 32;
    for (size_t i = 0; i < k; i++)
        shown[i] = s.ptr[i] >= 0x20 && s.ptr[i] < 0x7f ? (char)s.ptr[i] : '?';
    shown[k] = 0;
}

#if defined(__GNUC__)
__attribute__((noinline, cold))
#endif
static void value_finding(V *v, long rec, const ebts_field *f, size_t sub, long item,
                          ebts_span s, const char *fmnem, const chk *c)
{
    char mnem[48], shown[33], list[160];
    snprintf(mnem, sizeof mnem, "%s%s%s", fmnem, c->imnem ? " " : "", c->imnem ? c->imnem : "");
    shown_of(shown, s);
    snprintf(list, sizeof list, "%s", c->values);
    for (char *x = list; *x; x++)
        if (*x == '|')
            *x = ',';
    DIAG(v, EBTS__C_VALUE_NOT_ALLOWED,
         EBTS__AT_ITEM(off_of(v, f, s), rec, v->t->recs[rec]->type, f->number, (long)sub, item),
         "%s: value \"%s%s\" not in {%s%s}", mnem, shown, s.len > 32 ? "..." : "", list,
         strlen(c->values) >= sizeof list - 1 ? ", ..." : "");
}

/* first_refused() for a check without a table of the profile's: the table built for this
 * value. Out of line: the profile has a table for every class its rules make. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static size_t first_refused_own(const chk *c, const unsigned char *q, size_t n, int wide)
{
    unsigned char own[256];
    uint64_t sub, add;
    class_table(own, c->ct, c->sca, c->high);
    class_run(own, &sub, &add);
    run16 r16 = ebts__run16_of(sub, add);
    return first_refused(own, sub, add, &r16, q, n, wide);
}

/* One value (an item, or a subfield without items) against a type/length/value-set rule. */
/* wide: sixteen bytes from s.ptr may be read (they lie in the input) */
static EBTS__HOT void check_text(V *v, long rec, const ebts_field *f, size_t sub, long item,
                                  ebts_span s, const char *fmnem, const chk *c, int wide)
{
    size_t bad = c->ok ? first_refused(c->ok, c->sub, c->add, &c->r16, s.ptr, s.len, wide)
                       : first_refused_own(c, s.ptr, s.len, wide); /* s.len if none */
    if (bad < s.len || s.len - c->lo > c->span)
        text_findings(v, rec, f, sub, item, s, fmnem, c, bad);
    if (c->values && !in_value_set(c->vs, c->values, s.ptr, s.len, wide))
        value_finding(v, rec, f, sub, item, s, fmnem, c);
}

static void check_lines(V *v, long rec, const ebts_field *f, ebts_span s, unsigned maxline,
                        const char *mnem)
{
    size_t line = 1, start = 0, reported = 0, first_at = 0, longest = 0, first_line = 0;
    for (size_t i = ebts__next_break(s.ptr, 0, s.len); i <= s.len;
         i = ebts__next_break(s.ptr, i + 1, s.len)) {
        size_t len = i - start + 2; /* the text plus two line-control characters */
        if (len > maxline) {
            if (!reported++) {
                first_at = off_of(v, f, s) + start;
                first_line = line;
            }
            if (len > longest)
                longest = len;
        }
        if (i < s.len && s.ptr[i] == '\r' && i + 1 < s.len && s.ptr[i + 1] == '\n')
            i++;
        start = i + 1;
        line++;
    }
    if (reported)
        DIAG(
            v, EBTS__C_ERS_LINE_TOO_LONG,
            EBTS__AT_ITEM(first_at, rec, v->t->recs[rec]->type, f->number, 0, -1),
            "%s: %zu line%s longer than %u bytes with line control (first: line %zu; longest: %zu)",
            mnem, reported, reported > 1 ? "s" : "", maxline, first_line, longest);
}

/* The index of f (see struct ebts_field; NULL for a single item). A value that was read and
 * has none kept yet has it built into the validation's own room, used again for the next field
 * (and so in the cache), rather than kept with the field. NULL and the report's OOM flag when
 * there is no memory. */
static const uint32_t *items_index(V *v, const ebts_field *f)
{
    const uint32_t *kept = ebts__field_index_kept(f);
    if (kept || !(f->flags & EBTS__F_LAZY))
        return kept;
    /* room for as many separators as the value has bytes (no pass to count them first), or
     * for a long value as many as it holds */
    size_t nrs = f->len, nseps = f->len;
    if (f->len > 65536)
        ebts__count_seps(f->val, f->len, &nrs, &nseps);
    size_t end_at = nrs + 2, need = EBTS__INDEX_SIZE(nrs + 1, nseps + 1);
    if (need > v->ixcap) {
        size_t cap = v->ixcap ? v->ixcap : 256;
        while (cap < need)
            cap *= 2;
        uint32_t *ix = realloc(v->ix, cap * sizeof *ix);
        if (!ix) {
            v->dl->oom = 1;
            return NULL;
        }
        v->ix = ix;
        v->ixcap = cap;
    }
    ebts__index_into(f->val, f->len, v->ix + EBTS__IX_HEAD, (uint32_t)end_at);
    return v->ix + EBTS__IX_HEAD;
}

/* Items the standard lets a subfield leave out (its value is then empty): 1.013 DOM's version
 * (DVN), 1.015 DCS's version (CSV), 2.034 PAT's second and third classes, 2.051 CSL's sentence
 * provision, 2.064 CAN's name, 10.025 SPA's uncertainties, 10.042 SMD's subclass and description
 * (ANSI/NIST-ITL 1-2011 and EBTS: "optional" items, or "may be empty"). Every other item of a
 * built-in rule with a minimum length of one or more needs its value. */
static const struct {
    unsigned short rtype, field, item;
} optional_items[] = {
    {1, 13, 1}, {1, 15, 2}, {2, 34, 2}, {2, 34, 3}, {2, 51, 2}, {2, 64, 1},
    {10, 25, 3}, {10, 25, 4}, {10, 25, 5},
};

static int item_required(const ebts__field_rule *r, size_t i)
{
    if (i >= r->nitems || r->items[i].minlen == 0)
        return 0;
    if (r->rtype == 10 && r->field == 42)
        return 0; /* SMD: the 9.1 table's one item per class; ANSI/NIST-ITL: SUBCLASS optional */
    for (size_t k = 0; k < sizeof optional_items / sizeof optional_items[0]; k++)
        if (optional_items[k].rtype == r->rtype && optional_items[k].field == r->field &&
            optional_items[k].item == i)
            return 0;
    return 1;
}

/* Does a date rule (EBTS__DATE_*) pass the value? gmt: a field's rule (an item's date is
 * always CCYYMMDD) */
static EBTS__HOT int date_ok(int date, ebts_span s, int gmt)
{
    return date == EBTS__DATE_NONE || valid_date(s.ptr, s.len, gmt && date == EBTS__DATE_GMT) ||
           (date == EBTS__DATE_YMD_OR_ZERO && span_is(s, "00000000"));
}

/* What the walk over a field's bytes needs of e's checks ck for high (ck[high], being made): it
 * answers for a rule of at most CHK_ITEMS items (or none) whose checks have a table, with at most
 * RUN_MAX runs among them, and no formats or line lengths to check. */
void ebts__v_walk_make(struct centry *e, chk *ck, int high)
{
    const ebts__field_rule *r = &e->rule;
    size_t n = !r->nitems ? 1 : r->nitems < CHK_ITEMS ? r->nitems : CHK_ITEMS;
    e->walk[high] = r->nitems <= CHK_ITEMS && (r->nitems || (!r->fmt && !r->maxlinelen));
    e->nrun[high] = 0;
    for (size_t i = 0; i < n && e->walk[high]; i++) {
        chk *c = &ck[i];
        size_t k = 0;
        c->more = c->values || (r->nitems ? c->date : r->date) != EBTS__DATE_NONE;
        c->run = RUN_MAX;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        /* a CCYYMMDD date that passes alone (a date item's), or with its characters and length
           (a field's, without a value set): item_ymd_more */
        if (!c->values && (r->nitems ? c->date_only : r->date == EBTS__DATE_YMD ||
                                                        r->date == EBTS__DATE_YMD_OR_ZERO))
            c->more = MORE_YMD;
#endif
        if (r->nitems && c->date_only)
            continue; /* a right date passes; a wrong one is check_field's */
        if (!c->ok) {
            e->walk[high] = 0;
            break;
        }
        while (k < e->nrun[high] && (ck[e->rep[high][k]].sub != c->sub ||
                                     ck[e->rep[high][k]].add != c->add))
            k++;
        if (k == RUN_MAX) {
            e->walk[high] = 0;
            break;
        }
        if (k == e->nrun[high])
            e->rep[high][e->nrun[high]++] = (unsigned char)i;
        c->run = (unsigned char)k;
    }
}

/* An item's date or value set (c->more), its characters and length right: would check_field
 * find nothing in it? */
static EBTS__HOT int item_more(const ebts__field_rule *r, const chk *c, ebts_span s, int wide)
{
    if (c->values && !in_value_set(c->vs, c->values, s.ptr, s.len, wide))
        return 0;
    if (!r->nitems)
        return date_ok(r->date, s, 1);
    return c->date_only ? valid_date(s.ptr, s.len, 0) : date_ok(c->date, s, 0);
}

/* item_more, or for a date alone (MORE_YMD) valid_date() */
static EBTS__HOT int item_ymd_more(const ebts__field_rule *r, const chk *c, ebts_span s, int wide)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    if (c->more == MORE_YMD) { /* valid_date(s.ptr, s.len, 0) */
        uint64_t x;
        if (s.len != 8)
            return 0;
        memcpy(&x, s.ptr, 8);
        return class_pass8(x, EBTS__ONES8 * '0', EBTS__ONES8 * (127u - '9')) && valid_ymd(x);
    }
#endif
    return item_more(r, c, s, wide);
}

/* An item with a byte outside its check's run (odd) or of a wrong length: would check_field find
 * nothing in it? Its bytes are looked up in the check's table; a wrong length is right only for a
 * later item left empty where the rule allows it (check_field passes over it). Out of line: the
 * walk's loop stays small. */
EBTS__NOINLINE static int item_odd(const ebts__field_rule *r, const chk *c, size_t item,
                                   ebts_span s, int odd, int wide)
{
    for (size_t q = 0; odd && q < s.len; q++)
        if (!c->ok[s.ptr[q]])
            return 0;
    if (s.len - c->lo > c->span)
        return r->nitems && item > 0 && s.len == 0 && !item_required(r, item);
    return !c->more || item_ymd_more(r, c, s, wide);
}

/* An item of the walk (walk_clean), odd when a byte outside its check's run lies inside it:
 * would check_field find nothing in it? */
static EBTS__HOT int walk_item(const ebts__field_rule *r, const chk *c, size_t item, ebts_span s,
                               int odd, int wide)
{
    if (odd || s.len - c->lo > c->span)
        return item_odd(r, c, item, s, odd, wide);
    return !c->more || item_ymd_more(r, c, s, wide);
}

/* Would check_field find nothing in f against its rule (m, its entry in the TOT's table, walk[high]
 * set)? Most fields are right, and this is most of what a validation does; 0 when anything is
 * wrong: check_field then looks again, item by item, and says what. This for a value of one item
 * (read without RS and US): its characters sixteen at a time (first_refused), then the rest. */
static EBTS__HOT int one_clean(const V *v, const ebts_field *f, const struct centry *m, int high)
{
    const ebts__field_rule *r = &m->rule;
    const chk *c = m->ck[high];
    ebts_span it = {f->val, f->len};
    /* sixteen bytes can be read from every value of a field read from the input that ends
     * sixteen bytes or more before the input does (in_value_set, first_refused) */
    int wide = it.ptr >= v->in && it.ptr + it.len < v->in16;
    if (!r->nitems) /* the reader reported a subfield's leading spaces: LEADING_SPACE */
        while (it.len && it.ptr[0] == ' ') {
            it.ptr++;
            it.len--;
        }
    size_t bad = c->run == RUN_MAX ? it.len
                 : first_refused(c->ok, c->sub, c->add, &c->r16, it.ptr, it.len, wide);
    return walk_item(r, c, 0, it, bad < it.len, wide) && r->minocc <= 1;
}

#if defined(__SSE2__)
/* The same for a value that was read with RS or US, or was edited (its index says where they
 * are), without building an index: the value is read 64 bytes at a time, its separators and, per
 * run of the rule's checks, the bytes outside the run found at once, then its items in a few
 * steps each. An item's characters pass at once when no byte outside a run (but a separator) lies
 * between its start and the end of its block; else when no byte outside its check's own run lies
 * inside it (the last such byte before its end is kept per run); else the check's table says (a
 * special character). */
static int walk_clean(const V *v, const ebts_field *f, const struct centry *m, int high)
{
    const ebts__field_rule *r = &m->rule;
    const chk *ck = m->ck[high], *c = ck, *ck_end = ck + (r->nitems ? r->nitems : 1);
    const unsigned char *rep = m->rep[high], *p = f->val;
    size_t n = f->len, nrun = m->nrun[high], nsub = 1, start = 0; /* where the item begins */
    int wide = p >= v->in && p + n < v->in16; /* as one_clean's */
    if (!r->nitems) /* as one_clean */
        while (start < n && p[start] == ' ')
            start++;
    /* per run (and RUN_MAX, with no byte outside it): the bytes of the block outside it, and
     * after the last of them before the block (0: none); after the last byte outside a run that
     * is not a separator, up to the end of the block */
    uint64_t out[RUN_MAX + 1] = {0};
    size_t after[RUN_MAX + 1] = {0}, before[RUN_MAX + 1] = {0}, dirty = 0;
    /* the bytes from p that may be read: the value's, or the input's after it */
    size_t lim = v->in && p >= v->in && p <= v->t->buf + v->t->len
                     ? (size_t)(v->t->buf + v->t->len - p) : n;
    for (size_t base = 0;; base += 64) {
        size_t left = n - base;
        unsigned char pad[64];
        ebts__block64 x;
        if (base + 64 <= lim) {
            x = ebts__block64_at(p + base);
        } else { /* the value's last bytes, and none of the input's after them */
            memset(pad, 0, sizeof pad);
            memcpy(pad, p + base, left);
            x = ebts__block64_at(pad);
        }
        uint64_t s = ebts__block64_seps(&x), any = 0;
        for (size_t k = 0; k < nrun; k++) {
            uint64_t o = ck[rep[k]].sub ? ebts__block64_out(&x, &ck[rep[k]].r16) : ~(uint64_t)0;
            out[k] = o;
            before[k] = after[k];
            after[k] = o ? base + 64 - (size_t)__builtin_clzll(o) : after[k];
            any |= o;
        }
        if (left < 64) { /* the last item ends at n: after the loop */
            s &= ((uint64_t)1 << left) - 1;
            any &= ((uint64_t)1 << left) - 1;
        }
        any &= ~s;
        dirty = any ? base + 64 - (size_t)__builtin_clzll(any) : dirty;
        for (; s; s &= s - 1) {
            size_t j = (size_t)__builtin_ctzll(s), e = base + j;
            ebts_span it = {p + start, e - start};
            int odd = 0;
            if (dirty > start) { /* the item's own run */
                uint64_t o = out[c->run] & ~(~(uint64_t)0 << j);
                odd = (o ? base + 64 - (size_t)__builtin_clzll(o) : before[c->run]) > start;
            }
            if (!walk_item(r, c, (size_t)(c - ck), it, odd, wide))
                return 0;
            size_t new_sub = p[e] == EBTS__RS;
            start = e + 1;
            nsub += new_sub;
            c = new_sub ? ck : c + 1;
            if (c == ck_end)
                return 0; /* ITEM_COUNT */
        }
        if (left < 64) { /* the last item */
            ebts_span it = {p + start, n - start};
            int odd = 0;
            if (dirty > start) {
                uint64_t o = out[c->run] & ~(~(uint64_t)0 << left);
                odd = (o ? base + 64 - (size_t)__builtin_clzll(o) : before[c->run]) > start;
            }
            return walk_item(r, c, (size_t)(c - ck), it, odd, wide) && nsub >= r->minocc &&
                   !(r->maxocc && nsub > r->maxocc);
        }
    }
}
#endif

/* Would check_field find nothing in f against its rule (m, its entry, walk[high] set)? Without
 * SSE2 a value with separators is checked item by item. */
static int field_clean(const V *v, const ebts_field *f, const struct centry *m, int high)
{
    if (!(f->flags & EBTS__F_LAZY) && !f->sub_first)
        return one_clean(v, f, m, high);
#if defined(__SSE2__)
    return walk_clean(v, f, m, high);
#else
    return 0;
#endif
}

/* f against its rule r; m: r's entry in the TOT's table (it keeps the rule's checks), NULL
 * without one */
static void check_field(V *v, long rec, const ebts_field *f, const ebts__field_rule *r,
                        const struct centry *m)
{
    unsigned rt = v->t->recs[rec]->type;
    int high = !v->ascii7 && rt != 1;
    const uint32_t *ix = items_index(v, f);
    if (!ix && (f->flags & EBTS__F_LAZY))
        return; /* no memory: the report fails */
    size_t nsub = ebts__ix_nsub(ix);
    if (nsub < r->minocc || (r->maxocc && nsub > r->maxocc))
        DIAG(v, EBTS__C_OCCURRENCE_COUNT,
             EBTS__AT_FIELD(off_of(v, f, ebts_field_value(f)), rec, rt, f->number),
             "%s: %zu occurrence%s, %u to %u allowed", r->mnem, nsub, nsub == 1 ? "" : "s",
             r->minocc, r->maxocc);
    /* the rule's checks: the field's (ck[0]) for a rule without items, else the item rules' */
    chk own[CHK_ITEMS];
    const chk *ck = own;
    size_t want = !r->nitems ? 1 : r->nitems < CHK_ITEMS ? r->nitems : CHK_ITEMS;
    size_t made = 0; /* ck[0..made) are made: all of them when the table keeps them, else the
                        field's at once and items' as items need them */
    if (m && m->ck[high]) {
        ck = m->ck[high];
        made = want;
    } else if (!r->nitems) {
        ebts__v_chk_make(v, &own[made++], r->ctype, r->sca, r->minlen, r->maxlen, r->values,
                 EBTS__DATE_NONE, NULL, high);
    }
    const chk *fc = &ck[0]; /* the field's, for a rule without items */
    /* sixteen bytes can be read from every value of a field read from the input that ends
     * sixteen bytes or more before the input does */
    int wide = f->val >= v->in && f->val + f->len < v->in16;
    if (r->nitems) {
        /* the items in order, over all subfields: each begins after the end of the one before
         * (in locals: the compiler cannot tell that the checks' stores leave f and r alone) */
        const uint32_t *sf = ix, *end = sf ? EBTS__INDEX_ITEM_END(sf) : NULL; /* ebts__ix_item */
        const unsigned char *base = f->val;
        size_t rn = r->nitems, flen = f->len;
        size_t k = 0, start = 0; /* the next item and where it begins */
        for (size_t s = 0; s < nsub; s++) {
            size_t first = sf ? sf[s] : 0, nit = sf ? sf[s + 1] - first : 1;
            if (nit > rn)
                DIAG(v, EBTS__C_ITEM_COUNT,
                     EBTS__AT_ITEM(off_of(v, f, ebts__ix_item(sf, f, s, rn)), rec, rt, f->number,
                                   (long)s, (long)rn),
                     "%s: %zu items, at most %zu", r->mnem, nit, rn);
            if (sf && k != first) { /* items were left over in the last subfield */
                k = first;
                start = end[k - 1] + 1u;
            }
            size_t lim = nit < rn ? nit : rn;
            for (; made < lim && made < CHK_ITEMS; made++)
                ebts__v_chk_item(v, &own[made], &r->items[made], high);
            for (size_t i = 0; i < lim; i++, k++) {
                size_t e = end ? end[k] : flen;
                ebts_span it = {base + start, e - start};
                start = e + 1;
                if (i > 0 && it.len == 0) {
                    /* an empty later item is an absent one ("NORAM<US>"): right where the item
                       may be absent, an error where the field needs its value */
                    if (item_required(r, i))
                        DIAG(v, EBTS__C_ITEM_EMPTY,
                             EBTS__AT_ITEM(off_of(v, f, it), rec, rt, f->number, (long)s, (long)i),
                             "%s %s: the item is empty; the field requires a value", r->mnem,
                             r->items[i].mnem);
                    continue;
                }
                chk one;
                const chk *c = &one;
                if (i < CHK_ITEMS)
                    c = &ck[i];
                else
                    ebts__v_chk_item(v, &one, &r->items[i], high);
                if (c->date_only && valid_date(it.ptr, it.len, 0))
                    continue;
                check_text(v, rec, f, s, (long)i, it, r->mnem, c, wide);
                if (c->date != EBTS__DATE_NONE && !valid_date(it.ptr, it.len, 0) &&
                    !(c->date == EBTS__DATE_YMD_OR_ZERO && span_is(it, "00000000")))
                    DIAG(v, EBTS__C_DATE_INVALID,
                         EBTS__AT_ITEM(off_of(v, f, it), rec, rt, f->number, (long)s, (long)i),
                         "%s %s: \"%.*s\" is not a valid CCYYMMDD date", r->mnem, c->imnem,
                         (int)(it.len > 20 ? 20 : it.len), (const char *)it.ptr);
            }
        }
        return;
    }
    for (size_t s = 0; s < nsub; s++) {
        size_t nit = ebts__ix_items_in(ix, s);
        if (nit > 1)
            DIAG(v, EBTS__C_ITEM_COUNT,
                 EBTS__AT_ITEM(off_of(v, f, ebts__ix_item(ix, f, s, 1)), rec, rt, f->number,
                               (long)s, 1),
                 "%s: %zu items, the field has none", r->mnem, nit);
        ebts_span val = ebts__ix_item(ix, f, s, 0), raw = val;
        if (s == 0)
            while (val.len && val.ptr[0] == ' ') { /* the reader reported it: LEADING_SPACE */
                val.ptr++;
                val.len--;
            }
        check_text(v, rec, f, s, -1, val, r->mnem, fc, wide);
        if (r->date != EBTS__DATE_NONE) {
            int zero = r->date == EBTS__DATE_YMD_OR_ZERO && span_is(val, "00000000");
            if (!zero && !valid_date(val.ptr, val.len, r->date == EBTS__DATE_GMT))
                DIAG(v, EBTS__C_DATE_INVALID,
                     EBTS__AT_ITEM(off_of(v, f, val), rec, rt, f->number, (long)s, -1),
                     "%s: \"%.*s\" is not a valid %s", r->mnem, (int)(val.len > 20 ? 20 : val.len),
                     (const char *)val.ptr,
                     r->date == EBTS__DATE_GMT ? "YYYYMMDDhhmmssZ time" : "CCYYMMDD date");
        }
        if ((r->fmt & EBTS__FMT_NN_NN) &&
            !(val.len == 5 && val.ptr[2] == '.' && val.ptr[0] >= '0' && val.ptr[0] <= '9' &&
              val.ptr[1] >= '0' && val.ptr[1] <= '9' && val.ptr[3] >= '0' && val.ptr[3] <= '9' &&
              val.ptr[4] >= '0' && val.ptr[4] <= '9'))
            DIAG(v, EBTS__C_FORMAT_INVALID,
                 EBTS__AT_ITEM(off_of(v, f, val), rec, rt, f->number, (long)s, -1),
                 "%s: \"%.*s\" is not of the form NN.NN", r->mnem,
                 (int)(val.len > 20 ? 20 : val.len), (const char *)val.ptr);
        if ((r->fmt & EBTS__FMT_NO_LEADING_BLANK) && raw.len && raw.ptr[0] == ' ')
            DIAG(v, EBTS__C_FORMAT_INVALID,
                 EBTS__AT_ITEM(off_of(v, f, raw), rec, rt, f->number, (long)s, -1),
                 "%s: must not begin with a blank", r->mnem);
        if ((r->fmt & EBTS__FMT_NO_PERIOD) && memchr(val.ptr, '.', val.len))
            DIAG(v, EBTS__C_FORMAT_INVALID,
                 EBTS__AT_ITEM(off_of(v, f, val), rec, rt, f->number, (long)s, -1),
                 "%s: periods are not allowed", r->mnem);
        if (r->maxlinelen)
            check_lines(v, rec, f, val, r->maxlinelen, r->mnem);
    }
}

/* An item after RS or US that begins with "T.N:" of its own record's type: the traditional
 * encoding cannot tell it from a field whose GS was written as RS or US, so a reader (this one
 * too) ends the field there. Asked of values set through the API: for values that were read,
 * the reader has decided (traditional: split, SEPARATOR_BEFORE_TAG; XML: kept and reported,
 * VALUE_READS_AS_TAG, a finding the report carries already). */
static void check_tag_like_items(V *v, long rec, const ebts_field *f)
{
    if (!memchr(f->val, ':', f->len))
        return; /* no tag without a colon: most fields are passed over here */
    unsigned rt = v->t->recs[rec]->type;
    const uint32_t *end = EBTS__INDEX_ITEM_END(f->sub_first);
    size_t sub = 0;
    for (uint32_t k = 1; k < EBTS__IX_NITEMS(f->sub_first); k++) {
        size_t start = end[k - 1] + 1u, n = end[k] - start, tl;
        const unsigned char *p = f->val + start;
        if (n < 4 || p[0] < '0' || p[0] > '9' || !(tl = ebts__tag_of_type(p, n, 0, rt)))
            continue; /* the reader's own test of a tag, on the item's bytes */
        while (f->sub_first[sub + 1] <= k)
            sub++;
        DIAG(v, EBTS__C_VALUE_READS_AS_TAG,
             EBTS__AT_ITEM(off_of(v, f, (ebts_span){p, n}), rec, rt, f->number, (long)sub,
                           (long)(k - f->sub_first[sub])),
             EBTS__READS_AS_TAG_MSG, (int)tl, (const char *)p,
             f->val[start - 1] == EBTS__RS ? "RS" : "US");
    }
}

/* A text field no rule describes still holds text: a control character is never in it. */
static void check_controls(V *v, long rec, const ebts_field *f)
{
    for (size_t i = 0; i < f->len; i++)
        if (is_control(f->val[i]) && (f->val[i] < 0x1c || f->val[i] > 0x1f)) {
            ebts_span at = {f->val + i, 1};
            DIAG(v, EBTS__C_CONTROL_CHARACTER,
                 EBTS__AT_FIELD(off_of(v, f, at), rec, v->t->recs[rec]->type, f->number),
                 "character 0x%02X at position %zu is a control character, not text", f->val[i],
                 i + 1);
            return;
        }
}

/* 2.018 NAM and each occurrence of 2.019 AKA: SURNAME,GIVEN NAMES, a surname before a comma.
 * Their rules check the characters and length; the form is EBTS's (the base standard leaves
 * Type-2 to the user). */
static void check_name_form(V *v, long rec, const ebts_field *f, const char *mnem)
{
    for (size_t sub = 0, nsub = ebts__nsub(f); sub < nsub; sub++) {
        if (ebts__items_in(f, sub) != 1)
            continue; /* items where a name has one: ITEM_COUNT says what is wrong */
        ebts_span s = ebts__item(f, sub, 0);
        const unsigned char *comma = s.len ? memchr(s.ptr, ',', s.len) : NULL;
        const unsigned char *sur = s.ptr;
        while (comma && sur < comma && *sur == ' ')
            sur++; /* blanks alone name no one: " ,JOHN" has no surname either */
        if (comma && comma > sur)
            continue;
        char shown[33];
        shown_of(shown, s);
        DIAG(v, EBTS__C_NAME_FORMAT,
             EBTS__AT_ITEM(off_of(v, f, s), rec, 2, f->number, (long)sub, 0),
             "%s: \"%s%s\" is not SURNAME,GIVEN NAMES: %s", mnem, shown, s.len > 32 ? "..." : "",
             comma ? "no surname before the comma" : "no comma");
    }
}

void ebts__v_check_record_fields(V *v, long rec)
{
    const ebts_record *r = v->t->recs[rec];
    int high = !v->ascii7 && r->type != 1;
    /* the entries of the fields at the record's first places, as the record before of its type
     * had them: records of a type list the same fields, and their rules are found at once */
    int mt = r->type == 1 ? 0 : r->type == 2 ? 1 : r->type == 10 ? 2 : -1;
    struct vmemo *memo = mt >= 0 ? v->memo[mt] : NULL;
    if (memo && !v->memo_made[mt]) {
        memset(memo, 0, sizeof v->memo[mt]);
        v->memo_made[mt] = 1;
    }
    for (uint32_t i = 0; i < r->nfields; i++) {
        const ebts_field *f = &r->fields[i];
        size_t at = f->offset == EBTS__NOWHERE ? 0 : f->offset; /* an edit's, or read from XML */
        if (i == 1 && f->number != 2 && r->fields[0].number == 1 && !(f->flags & EBTS__F_MALFORMED))
            DIAG(v, EBTS__C_FIELD_ORDER, EBTS__AT_FIELD(at, rec, r->type, f->number),
                "the second field of a Type-%u record must be %u.002 (%s)", r->type, r->type,
                r->type == 1 ? "VER" : "IDC");
        if ((f->flags & EBTS__F_MALFORMED) || f->number == 1 ||
            (r->type == 1 && f->number >= 2 && f->number <= 4))
            continue; /* LEN and CNT are the reader's; VER and TOT are checked in
                         ebts__v_check_type1 */
        const unsigned char *in = v->t->buf; /* values read lie there; edited ones do not */
        if (!(f->flags & (EBTS__F_LAZY | EBTS__F_BINARY)) && f->sub_first &&
            !(in && f->val >= in && f->val < in + v->t->len))
            check_tag_like_items(v, rec, f);
        if (ebts__v_forbidden(v, r->type, f->number)) {
            DIAG(v, EBTS__C_FIELD_FORBIDDEN, EBTS__AT_FIELD(at, rec, r->type, f->number),
                 "the profile forbids this field for TOT%.*s", (int)strlen(v->tot) - 1, v->tot);
            continue;
        }
        if (f->flags & EBTS__F_BINARY)
            continue;
        if (v->p->version == 2011 && r->type == 2 && f->number > 2) {
            check_controls(v, rec, f); /* Type-2 is user-defined in the base standard */
            continue;
        }
        ebts__field_rule tmp;
        const struct centry *m;
        const ebts__field_rule *rule;
        struct vmemo *mm = memo && i < VMEMO ? &memo[i] : NULL;
        if (mm && mm->m && mm->number == f->number) {
            m = mm->m;
            rule = m->found ? &m->rule : NULL;
        } else {
            rule = lookup(v, r->type, f->number, &tmp, !v->tot_known, &m);
            if (mm && m) {
                mm->number = f->number;
                mm->m = m;
            }
        }
        if (!rule) {
            check_controls(v, rec, f);
            if (v->tmpl && ebts__v_tmpl_find(v->tmpl->fields, r->type, f->number, ' '))
                continue; /* the template's field, of a format no table of ours has */
            if (r->type != 10 && v->tot_known)
                DIAG(v, EBTS__C_FIELD_NOT_ALLOWED,
                     EBTS__AT_FIELD(at, rec, r->type, f->number),
                     "field %u.%03u is not defined for TOT%.*s in profile %s", r->type, f->number,
                     (int)strlen(v->tot) - 1, v->tot, v->p->name);
            continue;
        }
        if (r->type == 10 && !ebts__v_imt_matches(rule->imt, r)) {
            DIAG(v, EBTS__C_FIELD_NOT_ALLOWED, EBTS__AT_FIELD(at, rec, r->type, f->number),
                 "%s is only defined for IMT %s", rule->mnem, rule->imt);
            continue;
        }
        if (r->type == 2 && (f->number == 18 || f->number == 19))
            check_name_form(v, rec, f, rule->mnem);
        if (m && m->walk[high] && field_clean(v, f, m, high))
            continue; /* nothing to say */
        check_field(v, rec, f, rule, m);
    }
}

