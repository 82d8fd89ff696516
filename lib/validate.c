/* Validation: the driver. ebts_validate() applies a profile to a transaction, stage by stage
 * (validate.h names the stages' files), and keeps the findings in a report. */
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "validate.h"

/* TOTs EBTS 10 adds to 9.1's (fbi_ebts.xsd TOTCodeSimpleType); no make-up or Type-2 rules. */
static const char ebts10_tots[] =
    " BATQ BATR BDEC BDECR BDEL BDELR CDEL CDELR DSPE DSPR ERRB ERRR FDSP FIDR FRS FVR IIDS IIIS"
    " RBIHS RBIHSR RBMNT RBMNTR RBN RBRN RBRPT RBRPTR RBSCRM RBSCVL RBSR SPMNT SPMNTR SPN SRB SRNR"
    " SRNRR TXTSRCH UBM UHN UUBD XACT XACTR XMNT XMNTR ";

static void apply_severity(const ebts_profile *p, ebts__dlist *dl)
{
    size_t k = 0;
    for (size_t i = 0; i < dl->n; i++) {
        int keep = 1;
        for (size_t s = 0; s < p->nsev; s++)
            if (strcmp(p->sev[s].code, dl->d[i].code) == 0) {
                if (p->sev[s].severity == 0)
                    keep = 0;
                else
                    dl->d[i].severity = p->sev[s].severity;
            }
        if (keep)
            dl->d[k++] = dl->d[i];
    }
    dl->n = k;
    for (size_t s = 0; s < p->nsev; s++)
        ebts__dlist_lost_severity(dl, p->sev[s].code, p->sev[s].severity);
    ebts__dlist_note(dl);
}

/* Does the validation of record i check it here (Types 1, 2 and 10 with fields; the first
 * Type-1 only)? */
static int in_scope(const ebts_txn *t, size_t i)
{
    const ebts_record *r = t->recs[i];
    return !r->binary && (r->type == 2 || r->type == 10 || (r->type == 1 && i == 0));
}

/* The checks of records [from, to) that are in scope, in their order, with v's findings. */
static void check_range(V *v, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++) {
        const ebts_record *r = v->t->recs[i];
        if (!in_scope(v->t, i))
            continue;
        ebts__v_check_record_fields(v, (long)i);
        if (v->tot_known || r->type == 1) /* Type-1's fields are mandatory for every TOT */
            ebts__v_check_mandatory(v, (long)i);
        if (r->type == 2 && strcmp(v->tot, " SRE ") == 0)
            ebts__v_check_ers(v, (long)i);
        if (r->type == 2)
            ebts__v_check_doa_age(v, (long)i);
        if (r->type == 10) {
            ebts__v_check_face(v, (long)i);
            ebts__v_check_image(v, (long)i);
        }
    }
}

/* ---- one transaction's records on several threads */

/* Records of at least this many fields in all are split; internal, so tests may lower it. */
size_t ebts__validate_split_min = 65536;

/* The checks after the transaction's own on several threads: the tasks are taken in their
 * order, each as a thread is free (a thread the machine holds back takes fewer). Task 0 is the
 * transaction's IDC and deprecation checks, task 1 + c the records of chunk c; each keeps its
 * findings in a list of its own, and the lists join the report in task order, so that the
 * report is a single thread's. */
typedef struct split {
    const size_t *bounds; /* chunk c: records [bounds[c], bounds[c + 1]) */
    size_t nchunks;
    ebts__dlist *report; /* task 0's, the first to join */
    ebts__dlist *lists;  /* task 1 + c's at lists[c] */
    size_t before;       /* the report's findings, kept or counted, before the tasks */
    size_t room;         /* what it can still keep then */
    _Atomic size_t next;  /* the next task not taken */
    _Atomic size_t first; /* task 0's findings, kept or counted, + 1 once it is done; else 0 */
} split;

typedef struct worker {
    V v;
    split *s;
    pthread_t th;
    int started;
} worker;

/* The tasks not yet taken, one at a time, on v (a thread's own copy). A list keeps no more
 * findings than the report will have room for when it joins, and one more (the others are
 * counted): formatting findings that joining drops made the second half of the bench's set half
 * as slow again. The room is the room before the tasks less task 0's findings once they are
 * known: the chunks before this one can only take more of it. */
static void run_tasks(V *v, split *s)
{
    for (;;) {
        size_t task = atomic_fetch_add(&s->next, 1);
        if (task > s->nchunks)
            return;
        if (task == 0) { /* no other thread touches the report until they have all joined */
            v->dl = s->report;
            ebts__v_check_idcs(v);
            ebts__v_check_deprecated(v);
            atomic_store(&s->first, ebts__dlist_total(s->report) - s->before + 1);
            continue;
        }
        ebts__dlist *dl = v->dl = &s->lists[task - 1];
        size_t first = atomic_load(&s->first), taken = first ? first - 1 : 0;
        dl->limit = (taken < s->room ? s->room - taken : 0) + 1;
        check_range(v, s->bounds[task - 1], s->bounds[task]);
    }
}

static void *run_worker(void *arg)
{
    worker *w = arg;
    run_tasks(&w->v, w->s);
    return NULL;
}

/* How many threads the records of t, n fields in all, are split between: 1 below the bound. */
static unsigned split_count(size_t nfields)
{
    return nfields < ebts__validate_split_min ? 1 : ebts__threads();
}

/* A thread's chunks: enough that a thread held back leaves little to wait for at the end */
#define EBTS__CHUNKS_PER_THREAD 16u

/* The IDC and deprecation checks, then the records' in record order. When the records hold
 * many fields, they are cut into chunks of about as many fields, and these checks run as tasks
 * (split) on as many threads as split_count says, with copies of v; the calling thread is one
 * of them, and does all of them when no other could be made. */
static void check_records(V *v)
{
    const ebts_txn *t = v->t;
    size_t nfields = 0;
    for (size_t i = 0; i < t->nrecs; i++)
        nfields += in_scope(t, i) ? t->recs[i]->nfields : 0;
    unsigned k = split_count(nfields);
    size_t nchunks = (size_t)k * EBTS__CHUNKS_PER_THREAD;
    worker *w = k > 1 ? calloc(k, sizeof *w) : NULL;
    size_t *bounds = w ? malloc((nchunks + 1) * sizeof *bounds) : NULL;
    ebts__dlist *lists = bounds ? calloc(nchunks, sizeof *lists) : NULL;
    if (!lists) {
        free(w);
        free(bounds);
        ebts__v_check_idcs(v);
        ebts__v_check_deprecated(v);
        check_range(v, 0, t->nrecs);
        free(v->ix);
        return;
    }
    size_t at = 0, done = 0;
    bounds[0] = 0;
    for (size_t c = 0; c < nchunks; c++) { /* chunk c ends where the fields reach (c+1)/nchunks */
        size_t goal = nfields / nchunks * (c + 1) + (c + 1 == nchunks ? nfields % nchunks : 0);
        while (at < t->nrecs && (done < goal || c + 1 == nchunks)) {
            done += in_scope(t, at) ? t->recs[at]->nfields : 0;
            at++;
        }
        bounds[c + 1] = at;
    }
    ebts__dlist *report = v->dl;
    split s = {.bounds = bounds,
               .nchunks = nchunks,
               .report = report,
               .lists = lists,
               .before = ebts__dlist_total(report),
               .room = report->n < EBTS__MAX_DIAGS ? EBTS__MAX_DIAGS - report->n : 0};
    atomic_init(&s.next, 0);
    atomic_init(&s.first, 0);
    for (unsigned j = 1; j < k; j++) {
        memcpy(&w[j].v, v, offsetof(V, memo));
        memset(w[j].v.memo_made, 0, sizeof w[j].v.memo_made);
        w[j].v.ix = NULL;
        w[j].v.ixcap = 0;
        w[j].s = &s;
        w[j].started = pthread_create(&w[j].th, NULL, run_worker, &w[j]) == 0;
    }
    run_tasks(v, &s);
    v->dl = report;
    free(v->ix);
    v->ix = NULL;
    for (unsigned j = 1; j < k; j++) {
        if (w[j].started)
            pthread_join(w[j].th, NULL);
        free(w[j].v.ix);
    }
    for (size_t i = 0; i < nchunks; i++) {
        ebts__dlist_append(report, &lists[i]);
        report->oom |= lists[i].oom;
        free(lists[i].d);
    }
    free(lists);
    free(bounds);
    free(w);
}

ebts_report *ebts_validate(const ebts_txn *t, const ebts_profile *p, ebts_error *err)
{
    if (!t) {
        ebts__error_set(err, EBTS__C_BAD_ARGUMENT, 0, -1, NULL, "NULL transaction");
        return NULL;
    }
    ebts_report *rep = calloc(1, sizeof *rep);
    ebts_profile *def = NULL;
    if (!rep) {
        ebts__error_oom(err);
        return NULL;
    }
    ebts__dlist_append(&rep->dl, &t->dl); /* the reader's findings first */
    if (!p && !(p = def = ebts_profile_builtin(EBTS__DEFAULT_PROFILE, NULL))) {
        ebts_report_free(rep);
        ebts__error_oom(err);
        return NULL;
    }
    if (t->nrecs == 0 || t->recs[0]->type != 1) {
        ebts_profile_free(def);
        ebts__dlist_note(&rep->dl);
        return rep;
    }
    V v;
    memset(&v, 0, offsetof(V, memo)); /* the memos are cleared when first used */
    v.t = t;
    v.p = p;
    v.dl = &rep->dl;
    v.in = v.in16 = t->buf;
    if (t->buf && t->len >= 16)
        v.in16 = t->buf + t->len - 15;
    v.vc = p->vc;
    v.ascii7 = ebts__txn_ascii7(t);
    ebts_span tot = ebts_field_value(ebts_record_field(t->recs[0], 4));
    snprintf(v.tot, sizeof v.tot, " %.*s ", (int)(tot.len < 16 ? tot.len : 16),
             tot.ptr ? (const char *)tot.ptr : "");
    for (const ebts__tot_rule *x = ebts__tots_91; x->code; x++)
        if (span_is(tot, x->code)) {
            v.totr = x;
            break;
        }
    ebts_span ver = ebts_field_value(ebts_record_field(t->recs[0], 2));
    v.ver05 = span_is(ver, "0500") || span_is(ver, "0501") || span_is(ver, "0502");
    v.ident = p->version != 2011 && strcmp(v.tot, " SRE ") == 0 &&
              span_is(ebts_field_value(ebts_record_field(t->recs[0], 8)), "USVISIT0Z");
    /* the TOT's tables (NULL without memory: every answer is computed) */
    v.tc = ebts__v_totc_of(p, v.tot, 0);
    v.tmpl = v.tc ? v.tc->tmpl : ebts__v_tmpl_of(p->version, v.tot);
    if (v.ver05)
        v.nreq2 = ebts__v_tmpl_req2(v.tmpl, v.req2, sizeof v.req2 / sizeof v.req2[0]);
    if (p->version == 2011) /* the base standard: no transaction rules, any TOT */
        v.totr = NULL;
    v.tot_known = v.tmpl != NULL || v.totr != NULL ||
                  (p->ebts10 && p->version != 2011 && tot.len && strstr(ebts10_tots, v.tot));
    /* any TOT's answers: for the fields of a TOT the profile does not know (a known TOT asks
       them only to name a missing field) */
    v.tca = v.tot_known ? NULL : ebts__v_totc_of(p, v.tot, 1);
    snprintf(v.why, sizeof v.why, "for TOT%s", v.tot);
    v.why[strlen(v.why) - 1] = 0;
    ebts__v_doa_setup(&v);
    ebts__v_check_type1(&v);
    ebts__v_check_makeup(&v);
    check_records(&v);
    apply_severity(p, &rep->dl);
    ebts__dlist_sort(&rep->dl);
    ebts_profile_free(def);
    if (rep->dl.oom) {
        ebts_report_free(rep);
        ebts__error_oom(err);
        return NULL;
    }
    return rep;
}

size_t ebts_report_count(const ebts_report *r)
{
    return r ? r->dl.n : 0;
}

const ebts_diag *ebts_report_diag(const ebts_report *r, size_t index)
{
    return r && index < r->dl.n ? &r->dl.d[index] : NULL;
}

size_t ebts_report_error_count(const ebts_report *r, int strict)
{
    /* strict: every finding counts, warnings included */
    return !r ? 0 : strict ? ebts__dlist_total(&r->dl) : ebts__dlist_errors(&r->dl, 0);
}

size_t ebts_report_finding_count(const ebts_report *r)
{
    return r ? ebts__dlist_total(&r->dl) : 0;
}

void ebts_report_free(ebts_report *r)
{
    if (!r)
        return;
    free(r->dl.d);
    free(r);
}

