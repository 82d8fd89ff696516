/* The validator's shared state and helpers: the stages live in validate.c (the driver),
 * validate_rules.c (which rule applies), validate_field.c (a field's values),
 * validate_txn.c (records and the transaction), validate_ident.c (IDENT responses) and
 * validate_tables.c (a profile's tables, made when it is loaded). */
#ifndef EBTS_VALIDATE_H
#define EBTS_VALIDATE_H
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include "internal.h"

/* EBTS 10 (and ANSI/NIST-ITL 1-2011) changes to the 9.1 rules. -1 = unchanged. */
typedef struct delta {
    unsigned rtype, field;
    int minlen, maxlen, minocc, maxocc, ctype;
    const char *add_opt; /* TOTs for which the field becomes optional */
    int both;            /* also for ebts-9.1: a correction, not a change */
    const ebts__item_rule *items;
    size_t nitems;
    unsigned add_fmt;
    const char *values, *sca; /* NULL: unchanged */
} delta;

#define VSET_MAX 128u
typedef ebts__run16 run16; /* the class's run for sixteen bytes at a time (simd.h) */

/* A rule for values (a field's, or one of its items'), made ready once for the many values it
 * checks: the class's table and run are looked up here, not per value. */
typedef struct chk {
    const unsigned char *ok; /* NULL: no table of the profile's (check_text builds one) */
    uint64_t sub, add;       /* the table's run (class_run) */
    run16 r16;               /* the same for SSE2 (made once per class: struct cset) */
    int ct, date;            /* date: items only (a field's date rule is checked by the field) */
    int high;                /* bytes above 0x7F allowed (class_table) */
    int date_only;           /* a valid date passes every other check too (check_field) */
    unsigned minlen, maxlen;
    size_t lo, span;         /* the length is wrong when len - lo > span (one unsigned test) */
    const char *values, *sca, *imnem;
    const struct vset *vs;   /* values split (vset_of), or NULL: the list is scanned */
    /* for the look at a field that finds nothing (walk_clean, one_clean), in the checks a
     * TOT's table keeps: the check's run among the field's (RUN_MAX: its characters are not
     * looked at there), and whether a value needs more than its characters and length looked at
     * (a date, a value set; MORE_YMD) */
    unsigned char run, more;
} chk;
#define MORE_YMD 2 /* chk.more: a CCYYMMDD date and nothing else to look at */

/* The 7-bit bytes a (class, special characters) pair allows, for text of 7-bit bytes (high 0)
 * or text that may hold bytes above 0x7F (high 1): made when the profile is loaded. */
struct cset {
    const char *sca;
    int ct, high, valid;
    int digits;               /* the class allows 0-9 */
    uint64_t sub, add;        /* the longest run of bytes the class allows: see class_run() */
    run16 r16;                /* the same for SSE2 */
    const unsigned char *ok;  /* 1 where the class allows the byte */
};

/* A value set split once: each value's place and length in the list, and a small hash table of
 * them. */
struct vset {
    unsigned n; /* VSET_MAX + 1: too many values, scanned instead */
    unsigned short off[VSET_MAX];
    unsigned char len[VSET_MAX];
    uint64_t head[VSET_MAX]; /* each value's first bytes (value_head) */
    unsigned char at[2 * VSET_MAX]; /* open addressing by value_hash: entry + 1, 0 empty */
};

/* Per record type, the built-in rules' fields that may be mandatory, in table order: found once
 * per TOT, not per record (a rule that depends on the record's IMT is asked per record). */
struct reqlist {
    unsigned type;
    int valid;
    struct reqf {
        unsigned field;
        unsigned char imt, star; /* star: mandatory for every TOT (no "for TOT" reason) */
    } *f;
    size_t n;
};

/* What ebts__v_lookup_rules() answers for one (type, field) under one TOT: the rule, whether the field
 * is mandatory (-1: it depends on the record's IMT, asked per record; or any_tot), and the rule's
 * checks per high (the field's for a rule without items, else one per item rule up to
 * CHK_ITEMS). */
#define CHK_ITEMS 16u /* item rules made ready per field; checks of later items are made per item */
#define RUN_MAX 4u /* the character runs one field's walk (walk_clean) tells apart */
struct centry {
    int found, required;
    ebts__field_rule rule;
    const chk *ck[2];
    /* per high, for the walk over the field's bytes (ebts__v_walk_make): whether it can answer,
     * and the distinct runs of the checks (each by a check that has it) */
    unsigned char walk[2], nrun[2], rep[2][RUN_MAX];
};

/* The answers for one TOT (" SRE "), or for any TOT: made by the first validation of a
 * transaction of that TOT and never changed after. */
typedef struct totc {
    char tot[24];
    struct centry *e; /* per key (ebts__vcomp.key_id) */
    chk *pool;
    const ebts__tmpl_tot *tmpl; /* ebts__v_tmpl_of() */
    struct reqlist req[3]; /* Types 1, 2 and 10 */
    unsigned char tmpl_rec[100]; /* record types the TOT's template holds (ebts__v_check_makeup) */
} totc;

#define TOT_SLOTS 128u

/* A profile's validation tables: made when it is loaded (ebts__profile_compile) and read-only
 * after, but for the TOTs' tables, each made once and published atomically (ebts__v_totc_of). */
struct ebts__vcomp {
    struct cset *csets; /* open addressing by (class, specials, high); ncsets a power of two */
    size_t ncsets;
    unsigned char (*cset_ok)[256];
    const char **vset_key; /* open addressing by the list's address, to vsets[vset_at[slot]] */
    unsigned *vset_at;
    size_t nvslots;
    struct vset *vsets;
    uint32_t *keys; /* (rtype << 16 | field) + 1 of every field a rule names; 0 empty */
    uint32_t *key_id;
    size_t nkslots, nkeys;
    _Atomic(totc *) any;
    _Atomic(totc *) tots[TOT_SLOTS];
};

/* A field's entry in the TOT's table, kept per place in a record (ebts__v_check_record_fields) */
#define VMEMO 64u
struct vmemo {
    uint32_t number;
    const struct centry *m; /* NULL: none kept */
};

typedef struct V {
    const ebts_txn *t;
    const unsigned char *in, *in16; /* the input; sixteen bytes can be read from in..in16 */
    const ebts_profile *p;
    const struct ebts__vcomp *vc; /* the profile's tables, or NULL: every lookup is computed */
    const totc *tc, *tca; /* the TOT's answers and any TOT's, or NULL: computed */
    ebts__dlist *dl;
    char tot[24];                /* " SRE " */
    const ebts__tot_rule *totr;  /* NULL if the TOT has no 9.1 rules */
    const ebts__tmpl_tot *tmpl;  /* the TOT's FBI template (ebts-10, ebts-11), or NULL */
    int tot_known;
    uint32_t *ix; /* the index of the field being checked, for a value that was read */
    size_t ixcap;
    int ascii7; /* 1.015 DCS declares no character set but 7-bit ASCII */
    int ident;  /* an SRE from IDENT (1.008 ORI USVISIT0Z) */
    int ver05;  /* 1.002 VER is 0500, 0501 or 0502: the version of the EBTS 10 and 11 templates */
    unsigned short req2[32]; /* the Type-2 fields the TOT's template requires (ver05 only) */
    size_t nreq2;
    char why[48]; /* "for TOT SRE" */
    const unsigned char *dat; /* a CAR's 1.005 DAT, when it is a valid date (the DOA's age) */
    long dat_day;             /* its day number */
    unsigned char memo_made[3]; /* memo[i] is cleared: made by the first record of its type */
    /* Last: ebts_validate clears V up to here (the memos, when a record of their type needs
     * them: a small transaction's validation is a few microseconds) */
    struct vmemo memo[3][VMEMO]; /* Types 1, 2 and 10 */
} V;

/* validate.c: a transaction whose records hold this many fields or more is validated on
 * several threads (ebts_validate_threads); tests lower it */
extern size_t ebts__validate_split_min;

/* validate_rules.c: which rule applies */
extern const delta ebts__v_deltas[];
extern const size_t ebts__v_ndeltas;
extern const ebts__field_rule ebts__v_added_10[];
extern const size_t ebts__v_nadded_10;
const char *ebts__v_tmpl_find(const char *list, unsigned rtype, unsigned field, char end);
const ebts__tmpl_tot *ebts__v_tmpl_of(int version, const char *tot);
const ebts__field_rule *ebts__v_first_rule_at(unsigned rtype, unsigned field);
const ebts__field_rule *ebts__v_lookup_rules(const V *v, unsigned rtype, unsigned field,
                                             ebts__field_rule *out, int any_tot);
int ebts__v_forbidden_in(const V *v, unsigned rtype, unsigned field);
/* Does the profile forbid the field for the TOT? Inline: asked of every field, and a profile
 * seldom forbids any. */
static inline int ebts__v_forbidden(const V *v, unsigned rtype, unsigned field)
{
    return v->p->nforbid && ebts__v_forbidden_in(v, rtype, field);
}

/* validate_field.c: a field's occurrences, items, characters, lengths and values */
void ebts__v_vset_split(struct vset *e, const char *values);
struct cset *ebts__v_cset_slot(const struct ebts__vcomp *c, int ct, const char *sca, int high);
void ebts__v_cset_make(struct cset *e, unsigned char ok[256], int ct, const char *sca, int high);
void ebts__v_chk_make(const V *v, chk *c, int ct, const char *sca, unsigned minlen,
                      unsigned maxlen, const char *values, int date, const char *imnem, int high);
void ebts__v_chk_item(const V *v, chk *c, const ebts__item_rule *ir, int high);
void ebts__v_walk_make(struct centry *e, chk *ck, int high);
void ebts__v_check_record_fields(V *v, long rec);

/* validate_txn.c: mandatory fields, record make-up, IDCs, Type-1, images, the CAR's DOA,
 * deprecated record types */
int ebts__v_imt_matches(const char *imt_list, const ebts_record *r);
int ebts__v_required_uncached(const V *v, unsigned rtype, const ebts_record *r, unsigned field,
                              const ebts__field_rule *rule);
int ebts__v_reqlist_make(const V *v, unsigned rtype, struct reqlist *l);
void ebts__v_tmpl_records(const ebts__tmpl_tot *tmpl, unsigned char rec[100]);
/* The Type-2 fields of the template's required list into out[0, max): how many there are. */
size_t ebts__v_tmpl_req2(const ebts__tmpl_tot *tmpl, unsigned short *out, size_t max);
void ebts__v_check_mandatory(V *v, long rec);
void ebts__v_check_image(V *v, long rec);
void ebts__v_check_face(V *v, long rec);
void ebts__v_check_type1(V *v);
void ebts__v_check_makeup(V *v);
void ebts__v_check_idcs(V *v);
void ebts__v_doa_setup(V *v);
void ebts__v_check_doa_age(V *v, long rec);
void ebts__v_check_deprecated(V *v);

/* validate_ident.c: 2.075 and the IDENT response as a whole */
void ebts__v_check_ers(V *v, long rec);

/* validate_tables.c: the profile's tables */
const totc *ebts__v_totc_of(const ebts_profile *p, const char *tot, int any_tot);

/* Small helpers of every stage, inline: the per-value loops call some of them. */
static inline int in_list(const char *list, const char *tot)
{
    return list && (strcmp(list, "*") == 0 || strstr(list, tot) != NULL);
}

static inline int span_is(ebts_span s, const char *lit)
{
    size_t n = strlen(lit);
    return s.len == n && memcmp(s.ptr, lit, n) == 0;
}

/* Is p[0..n) one of the '|'-separated values? One pass over the list, no library calls: it runs
 * for every item with a value set. */
static inline int in_values(const char *values, const unsigned char *p, size_t n)
{
    const char *v = values;
    while (v && *v) {
        size_t k = 0;
        while (k < n && v[k] != '|' && v[k] && v[k] == (char)p[k])
            k++;
        if (k == n && (v[k] == '|' || !v[k]))
            return 1;
        while (v[k] && v[k] != '|')
            k++;
        v = v[k] ? v + k + 1 : NULL;
    }
    return 0;
}

/* The slot of a list's address in a table of n (a power of two) */
static EBTS__HOT size_t ptr_slot(const void *ptr, size_t n)
{
    return (size_t)(((uint64_t)(uintptr_t)ptr * 0x9e3779b97f4a7c15ull) >> 40) & (n - 1);
}

/* n in decimal at d, at least min digits (as printf's %0*u): the count written */
static inline size_t put_dec(char *d, unsigned n, size_t min)
{
    char t[12];
    size_t k = 0;
    do
        t[k++] = (char)('0' + n % 10);
    while ((n /= 10) != 0 || k < min);
    for (size_t i = 0; i < k; i++)
        d[i] = t[k - 1 - i];
    return k;
}

/* The key's place in the profile's list of fields that rules name: -1 when no rule names it
 * (no TOT has a rule for it), -2 when it cannot be a key. */
static EBTS__HOT long key_id(const struct ebts__vcomp *c, unsigned rtype, unsigned field)
{
    if (rtype > 0xffff || field > 0x7fff)
        return -2;
    uint32_t key = (rtype << 16 | field) + 1;
    size_t slot = (size_t)((key * 0x9e3779b1u) >> 16) & (c->nkslots - 1);
    while (c->keys[slot] && c->keys[slot] != key)
        slot = (slot + 1) & (c->nkslots - 1);
    return c->keys[slot] ? (long)c->key_id[slot] : -1;
}

/* The rule, in the TOT's table or, without one, computed into *out; *mp (when asked) the
 * table's entry, or NULL. */
static EBTS__HOT const ebts__field_rule *lookup(const V *v, unsigned rtype, unsigned field,
                                                ebts__field_rule *out, int any_tot,
                                                const struct centry **mp)
{
    const totc *t = any_tot ? v->tca : v->tc;
    long id = t ? key_id(v->vc, rtype, field) : -2;
    if (mp)
        *mp = id >= 0 ? &t->e[id] : NULL;
    if (id == -2)
        return ebts__v_lookup_rules(v, rtype, field, out, any_tot);
    return id >= 0 && t->e[id].found ? &t->e[id].rule : NULL;
}

#define DIAG(v, code, at, ...) ebts__diag_add((v)->dl, code, at, __VA_ARGS__)

static inline size_t off_of(const V *v, const ebts_field *f, ebts_span s)
{
    if (s.ptr && v->t->buf && s.ptr >= v->t->buf && s.ptr <= v->t->buf + v->t->len)
        return (size_t)(s.ptr - v->t->buf);
    size_t o = ebts_field_offset(f);
    return o == (size_t)-1 ? 0 : o;
}

/* Are the eight bytes of x all in lo..hi (hi < 0x7F)? Exact: a byte below lo shows in the
 * borrow test, one above hi (or above 0x7F) in the carry test; no false pass. */
static inline int class_pass8(uint64_t x, uint64_t sub, uint64_t add)
{
    return ((((x - sub) & ~x) | (x + add) | x) & EBTS__HIGHS8) == 0;
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
/* Are the eight digits of x, read from a value (its first byte lowest), a CCYYMMDD date from
 * 1800 on? Its month and day at once (a pair of digits in every other byte), and the century as
 * the two bytes that spell it: the year itself only for a 29 February. The tests at once: a branch
 * per test is a wrong guess of the processor when a date is wrong. */
static EBTS__HOT int valid_ymd(uint64_t x)
{
    static const unsigned char mdays[16] = {0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    unsigned cc = (unsigned)(x & 0xff) << 8 | (unsigned)(x >> 8 & 0xff); /* "18": 0x3138 */
    uint32_t md = (uint32_t)(x >> 32) - 0x30303030u;
    md = (md * 10 + (md >> 8)) & 0x00ff00ffu;
    unsigned m = md & 0xff, d = md >> 16;
    if (!((cc >= 0x3138) & (m <= 12) & (d - 1u < mdays[m & 15])))
        return 0;
    if (m == 2 && d == 29) {
        uint64_t dg = x - EBTS__ONES8 * '0', two = (dg * 10 + (dg >> 8)) & 0x00ff00ff00ff00ffull;
        int y = (int)(two & 0xff) * 100 + (int)(two >> 16 & 0xff);
        return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    }
    return 1;
}
#endif

static EBTS__HOT int valid_date(const unsigned char *p, size_t n, int gmt)
{
    if (n != (gmt ? 15u : 8u))
        return 0;
    uint64_t x;
    memcpy(&x, p, 8);
    if (!class_pass8(x, EBTS__ONES8 * '0', EBTS__ONES8 * (127u - '9'))) /* eight digits */
        return 0;
    for (size_t i = 8; i < (gmt ? 14u : 8u); i++)
        if (p[i] < '0' || p[i] > '9')
            return 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    if (!valid_ymd(x))
        return 0;
#else
    int y = (p[0] - '0') * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0');
    int m = (p[4] - '0') * 10 + (p[5] - '0');
    int d = (p[6] - '0') * 10 + (p[7] - '0');
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1800 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
        return 0;
    if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 0;
#endif
    if (gmt) {
        int hh = (p[8] - '0') * 10 + (p[9] - '0'), mi = (p[10] - '0') * 10 + (p[11] - '0');
        int ss = (p[12] - '0') * 10 + (p[13] - '0');
        if (hh > 23 || mi > 59 || ss > 60 || p[14] != 'Z')
            return 0;
    }
    return 1;
}


#endif
