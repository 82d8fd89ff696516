/* Validation of 2.075 ERS and of an IDENT response as a whole (spec digest, section 8). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "validate.h"

/* An IDENT response (an SRE from ORI USVISIT0Z; spec digest, section 8) holds together: 2.075
 * is there, 2.059 SRF says what the marker says (I: MATCH, N: NO MATCH), a match names one to
 * five encounters, each with EID, NAME, DOB, POB and SEX, and has at most a photo (Type-10) per
 * encounter; a no-match carries no encounter, IAR or photo; "Photo Attached" is there when
 * photos are (a warning: the FBI's published match sample says it and lacks the photo). */
static void check_ident(V *v, long rec, const ebts_ers *e)
{
    const ebts_record *r = v->t->recs[rec];
    const ebts_field *ers = ebts_record_field(r, 75), *srf = ebts_record_field(r, 59);
    size_t at = r->offset == EBTS__NOWHERE ? 0 : r->offset;
    if (!ers) {
        DIAG(v, EBTS__C_FIELD_MISSING, EBTS__AT_FIELD(at, rec, 2, 75),
             "ERS is mandatory in an IDENT response (ORI USVISIT0Z): it holds the IDR");
        return;
    }
    size_t eat = off_of(v, ers, ebts_field_value(ers));
    const ebts_idr *d = ebts_ers_idr(e);
    const ebts_iar *iar = ebts_ers_iar(e);
    size_t photos = 0;
    for (size_t i = 1; i < v->t->nrecs; i++)
        photos += v->t->recs[i]->type == 10;
    ebts_span sv = ebts_field_value(srf);
    int says = span_is(sv, "I") ? 1 : span_is(sv, "N") ? 0 : -1; /* others: VALUE_NOT_ALLOWED */
    if (d->match < 0)
        DIAG(v, EBTS__C_IDR_SRF_MISMATCH, EBTS__AT_FIELD(eat, rec, 2, 75),
             "ERS: no \"MATCH\" or \"NO MATCH\" marker in the IDR");
    else if (says >= 0 && says != d->match)
        DIAG(v, EBTS__C_IDR_SRF_MISMATCH, EBTS__AT_FIELD(off_of(v, srf, sv), rec, 2, 59),
             "SRF is %c, the IDR says %s", says ? 'I' : 'N', d->match ? "MATCH" : "NO MATCH");
    int match = d->match >= 0 ? d->match : says;
    if (match == 0) {
        if (d->nencounters || iar->present || photos)
            DIAG(v, EBTS__C_IDR_NOMATCH_CONTENT, EBTS__AT_FIELD(eat, rec, 2, 75),
                 "a no-match carries %zu encounter%s, %s IAR and %zu photo%s; it has none",
                 d->nencounters, d->nencounters == 1 ? "" : "s", iar->present ? "an" : "no", photos,
                 photos == 1 ? "" : "s");
        return;
    }
    if (match == 1 && (d->nencounters == 0 || d->nencounters > 5))
        DIAG(v, EBTS__C_IDR_ENCOUNTER_COUNT, EBTS__AT_FIELD(eat, rec, 2, 75),
             "a match names %zu encounters, one to five", d->nencounters);
    for (size_t i = 0; i < d->nencounters; i++) {
        const ebts_encounter *x = &d->encounters[i];
        const char *miss = !x->eid || !*x->eid     ? "EID"
                           : !x->name || !*x->name ? "NAME"
                           : !x->dob || !*x->dob   ? "DOB"
                           : !x->pob || !*x->pob   ? "POB"
                           : !x->sex || !*x->sex   ? "SEX"
                                                   : NULL;
        if (miss)
            DIAG(v, EBTS__C_IDR_ENCOUNTER_INCOMPLETE, EBTS__AT_FIELD(eat, rec, 2, 75),
                 "encounter %zu has no %s", i + 1, miss);
    }
    if (photos > d->nencounters && d->nencounters > 0)
        DIAG(v, EBTS__C_IDR_PHOTO_COUNT, EBTS__AT_FIELD(eat, rec, 2, 75),
             "%zu photos for %zu encounter%s: at most one per encounter", photos, d->nencounters,
             d->nencounters == 1 ? "" : "s");
    if (d->photo_attached != (photos > 0))
        DIAG(v, EBTS__C_IDR_PHOTO_ATTACHED, EBTS__AT_FIELD(eat, rec, 2, 75),
             d->photo_attached ? "the IDR says \"Photo Attached\"; there is no Type-10 record"
                               : "%zu Type-10 photo%s; the IDR does not say \"Photo Attached\"",
             photos, photos == 1 ? "" : "s");
}

/* The IDR/IAR text of 2.075: the parser's findings, at their offsets in the input; for an
 * IDENT response, its consistency (check_ident). */
void ebts__v_check_ers(V *v, long rec)
{
    const ebts_field *f = ebts_record_field(v->t->recs[rec], 75);
    if (!f) {
        if (v->ident)
            check_ident(v, rec, NULL);
        return;
    }
    ebts_ers *e = ebts_ers_parse(f->val, f->len, NULL);
    if (!e) {
        v->dl->oom = 1; /* reported as OUT_OF_MEMORY by ebts_validate */
        return;
    }
    size_t base = off_of(v, f, ebts_field_value(f));
    for (size_t i = 0; i < ebts_ers_diag_count(e); i++) {
        const ebts_diag *d = ebts_ers_diag(e, i);
        DIAG(v, ebts__code_id_of(d->code), EBTS__AT_FIELD(base + d->offset, rec, 2, 75), "%s",
             d->msg);
    }
    if (v->ident)
        check_ident(v, rec, e);
    ebts_ers_free(e);
}

