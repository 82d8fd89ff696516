/* Validation tables a profile makes when it is loaded: character-set tables, split value
 * sets, the fields its rules name, and per TOT the answers of its rules (made on first use). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "validate.h"

/* ---- The profile's tables */

static void totc_free(totc *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < sizeof t->req / sizeof t->req[0]; i++)
        free(t->req[i].f);
    free(t->pool);
    free(t->e);
    free(t);
}

/* The answers of every field a rule names under TOT tot (any_tot: for any TOT), and their
 * checks; NULL without memory. */
static totc *totc_build(const ebts_profile *p, const char *tot, int any_tot)
{
    const struct ebts__vcomp *c = p->vc;
    totc *t = calloc(1, sizeof *t);
    if (!t || !(t->e = calloc(c->nkeys ? c->nkeys : 1, sizeof *t->e))) {
        totc_free(t);
        return NULL;
    }
    V v;
    memset(&v, 0, sizeof v);
    v.p = p;
    v.vc = c;
    snprintf(v.tot, sizeof v.tot, "%s", tot);
    snprintf(t->tot, sizeof t->tot, "%s", tot);
    v.tmpl = t->tmpl = any_tot ? NULL : ebts__v_tmpl_of(p->version, v.tot);
    size_t nck = 0;
    for (size_t s = 0; s < c->nkslots; s++) {
        if (!c->keys[s])
            continue;
        unsigned rtype = (c->keys[s] - 1) >> 16, field = (c->keys[s] - 1) & 0xffff;
        struct centry *e = &t->e[c->key_id[s]];
        e->found = ebts__v_lookup_rules(&v, rtype, field, &e->rule, any_tot) != NULL;
        const ebts__field_rule *r = e->found ? &e->rule : NULL;
        e->required =
            any_tot || (r && r->imt) ? -1 : ebts__v_required_uncached(&v, rtype, NULL, field, r);
        if (r)
            nck += 2 * (!r->nitems ? 1 : r->nitems < CHK_ITEMS ? r->nitems : CHK_ITEMS);
    }
    if (nck && !(t->pool = malloc(nck * sizeof *t->pool))) {
        totc_free(t);
        return NULL;
    }
    chk *k = t->pool;
    for (size_t i = 0; i < c->nkeys; i++) {
        struct centry *e = &t->e[i];
        const ebts__field_rule *r = &e->rule;
        for (int high = 0; e->found && high < 2; high++) {
            chk *first = k;
            e->ck[high] = k;
            if (!r->nitems)
                ebts__v_chk_make(&v, k++, r->ctype, r->sca, r->minlen, r->maxlen, r->values,
                         EBTS__DATE_NONE, NULL, high);
            for (size_t j = 0; j < r->nitems && j < CHK_ITEMS; j++)
                ebts__v_chk_item(&v, k++, &r->items[j], high);
            ebts__v_walk_make(e, first, high);
        }
    }
    static const unsigned req_types[] = {1, 2, 10};
    for (size_t i = 0; !any_tot && i < sizeof req_types / sizeof req_types[0]; i++)
        if (ebts__v_reqlist_make(&v, req_types[i], &t->req[i]) < 0) {
            totc_free(t);
            return NULL;
        }
    ebts__v_tmpl_records(v.tmpl, t->tmpl_rec);
    return t;
}

/* The tables of TOT tot (" SRE "), or with any_tot those for any TOT: made by the first
 * validation that asks and published atomically, so that threads validating against the same
 * profile share them (two that make the same table at once keep the first). NULL without
 * memory, or when TOT_SLOTS TOTs have tables: every answer is then computed. */
const totc *ebts__v_totc_of(const ebts_profile *p, const char *tot, int any_tot)
{
    struct ebts__vcomp *c = p->vc;
    if (!c)
        return NULL;
    if (any_tot)
        tot = " \x01 "; /* on no list: the answers do not depend on the TOT */
    unsigned h = 2166136261u;
    for (const char *x = tot; *x; x++)
        h = (h ^ (unsigned char)*x) * 16777619u;
    for (size_t k = 0; k < TOT_SLOTS; k++) {
        _Atomic(totc *) *slot = any_tot ? &c->any : &c->tots[(h + k) % TOT_SLOTS];
        totc *t = atomic_load_explicit(slot, memory_order_acquire);
        if (!t) {
            totc *mine = totc_build(p, tot, any_tot), *seen = NULL;
            if (!mine)
                return NULL;
            if (atomic_compare_exchange_strong_explicit(slot, &seen, mine, memory_order_acq_rel,
                                                        memory_order_acquire))
                return mine;
            totc_free(mine);
            t = seen;
        }
        if (any_tot || strcmp(t->tot, tot) == 0)
            return t;
    }
    return NULL;
}

/* What the profile's rules name, gathered in two passes: the first counts (lists of values and
 * fields, at most) and collects the distinct classes (character type and special characters,
 * at most CLASS_MAX: the others are built per value), the second fills the tables. */
#define CLASS_MAX 128u
typedef struct gather {
    struct ebts__vcomp *c;
    int fill;
    size_t nvals, nkeys, nclass;
    int ct[CLASS_MAX];
    const char *sca[CLASS_MAX];
} gather;

static void gather_class(gather *g, int ct, const char *sca)
{
    size_t i;
    for (i = 0; i < g->nclass; i++)
        if (g->ct[i] == ct &&
            (g->sca[i] == sca || (g->sca[i] && sca && strcmp(g->sca[i], sca) == 0)))
            return;
    if (g->nclass < CLASS_MAX) {
        g->ct[g->nclass] = ct;
        g->sca[g->nclass++] = sca;
    }
}

static void gather_one(gather *g, int is_field, unsigned rtype, unsigned field, int ct,
                       const char *values, const char *sca)
{
    struct ebts__vcomp *c = g->c;
    if (!g->fill) {
        g->nvals += values != NULL;
        g->nkeys += is_field != 0;
        if (ct >= 0)
            gather_class(g, ct, sca);
        return;
    }
    if (is_field && rtype <= 0xffff && field <= 0x7fff) {
        uint32_t key = (rtype << 16 | field) + 1;
        size_t slot = (size_t)((key * 0x9e3779b1u) >> 16) & (c->nkslots - 1);
        while (c->keys[slot] && c->keys[slot] != key)
            slot = (slot + 1) & (c->nkslots - 1);
        if (!c->keys[slot]) {
            c->keys[slot] = key;
            c->key_id[slot] = (uint32_t)c->nkeys++;
        }
    }
    if (values) {
        size_t slot = ptr_slot(values, c->nvslots);
        while (c->vset_key[slot] && c->vset_key[slot] != values)
            slot = (slot + 1) & (c->nvslots - 1);
        if (!c->vset_key[slot]) {
            c->vset_key[slot] = values;
            c->vset_at[slot] = (unsigned)g->nvals;
            ebts__v_vset_split(&c->vsets[g->nvals++], values);
        }
    }
}

static void gather_items(gather *g, const ebts__item_rule *it, size_t n)
{
    for (size_t i = 0; it && i < n; i++)
        gather_one(g, 0, 0, 0, it[i].ctype, it[i].values, it[i].sca);
}

/* Every rule ebts__v_lookup_rules() can take a rule's class or values from, and every field a rule
 * names (ebts__v_required_uncached() also asks the profile's mandatory fields). The classes of
 * rules the EBTS 10 changes and ANSI/NIST-ITL 1-2011 alter are those ebts__v_lookup_rules() makes
 * of them. */
static void gather_rules(gather *g, const ebts_profile *p)
{
    for (size_t i = 0; i < ebts__rules_91_count; i++) {
        const ebts__field_rule *r = &ebts__rules_91[i];
        gather_one(g, 1, r->rtype, r->field, r->ctype, r->values, r->sca);
        gather_items(g, r->items, r->nitems);
        if (r->rtype == 1 && r->field >= 7 && r->field <= 10)
            gather_one(g, 0, 0, 0, EBTS__CT_ANS, NULL, r->sca);
    }
    for (size_t i = 0; i < ebts__v_ndeltas; i++) {
        const delta *x = &ebts__v_deltas[i];
        gather_one(g, 0, 0, 0, -1, x->values, NULL);
        gather_items(g, x->items, x->nitems);
        for (const ebts__field_rule *r = ebts__v_first_rule_at(x->rtype, x->field);
             r->rtype == x->rtype && r->field == x->field; r++)
            gather_one(g, 0, 0, 0, x->ctype >= 0 ? x->ctype : r->ctype, NULL,
                       x->sca ? x->sca : r->sca);
    }
    for (const ebts__xsd_rule *x = ebts__rules_xsd; x->version; x++) {
        gather_one(g, 0, 0, 0, x->ctype, x->values, x->sca);
        gather_items(g, x->items, x->nitems);
    }
    for (size_t i = 0; i < ebts__v_nadded_10; i++) {
        const ebts__field_rule *r = &ebts__v_added_10[i];
        gather_one(g, 1, r->rtype, r->field, r->ctype, r->values, r->sca);
        gather_items(g, r->items, r->nitems);
    }
    for (size_t i = 0; i < p->nrules; i++)
        gather_one(g, 1, p->rules[i].rtype, p->rules[i].field, p->rules[i].ctype,
                   p->rules[i].values, p->rules[i].sca);
    for (size_t i = 0; i < p->nmand; i++)
        gather_one(g, 1, p->mand[i].rtype, p->mand[i].field, -1, NULL, NULL);
}

static size_t pow2_at_least(size_t n)
{
    size_t k = 16;
    while (k < n)
        k *= 2;
    return k;
}

void ebts__profile_compiled_free(ebts_profile *p)
{
    struct ebts__vcomp *c = p ? p->vc : NULL;
    if (!c)
        return;
    totc_free(atomic_load(&c->any));
    for (size_t i = 0; i < TOT_SLOTS; i++)
        totc_free(atomic_load(&c->tots[i]));
    free(c->csets);
    free(c->cset_ok);
    free(c->vset_key);
    free(c->vset_at);
    free(c->vsets);
    free(c->keys);
    free(c->key_id);
    free(c);
    p->vc = NULL;
}

int ebts__profile_compile(ebts_profile *p)
{
    struct ebts__vcomp *c = calloc(1, sizeof *c);
    if (!c)
        return -1;
    for (size_t i = 0; i < TOT_SLOTS; i++)
        atomic_init(&c->tots[i], NULL);
    atomic_init(&c->any, NULL);
    p->vc = c;
    gather g;
    memset(&g, 0, sizeof g);
    g.c = c;
    gather_rules(&g, p);
    size_t ntab = 2 * (g.nclass ? g.nclass : 1); /* each class, with and without bytes above 0x7F */
    c->ncsets = pow2_at_least(2 * ntab);
    c->nvslots = pow2_at_least(2 * g.nvals);
    c->nkslots = pow2_at_least(2 * g.nkeys);
    c->csets = calloc(c->ncsets, sizeof *c->csets);
    c->cset_ok = malloc(ntab * sizeof *c->cset_ok);
    c->vset_key = calloc(c->nvslots, sizeof *c->vset_key);
    c->vset_at = malloc(c->nvslots * sizeof *c->vset_at);
    c->vsets = malloc((g.nvals ? g.nvals : 1) * sizeof *c->vsets);
    c->keys = calloc(c->nkslots, sizeof *c->keys);
    c->key_id = malloc(c->nkslots * sizeof *c->key_id);
    if (!c->csets || !c->cset_ok || !c->vset_key || !c->vset_at || !c->vsets || !c->keys ||
        !c->key_id) {
        ebts__profile_compiled_free(p);
        return -1;
    }
    size_t made = 0;
    for (size_t i = 0; i < g.nclass; i++)
        for (int high = 0; high < 2; high++) {
            struct cset *e = ebts__v_cset_slot(c, g.ct[i], g.sca[i], high);
            if (!e->valid)
                ebts__v_cset_make(e, c->cset_ok[made++], g.ct[i], g.sca[i], high);
        }
    g.fill = 1;
    g.nvals = 0;
    gather_rules(&g, p);
    return 0;
}

