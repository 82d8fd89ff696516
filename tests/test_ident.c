/* IDENT responses: 2.075 IDR/IAR parsing of the published samples, composer round trips,
 * the response view, ERRT messages, and generation (every kind validates). */
#define _GNU_SOURCE 1
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "testutil.h"
#include "internal.h"

static ebts_ers *ers_of(const char *path, ebts_txn **keep)
{
    ebts_txn *t = ebts_read_file(path, 0, NULL);
    ck_assert_msg(t != NULL, "%s", path);
    ebts_span v = ebts_txn_value(t, 2, 75);
    ebts_ers *e = ebts_ers_parse(v.ptr, v.len, NULL);
    ck_assert_ptr_nonnull(e);
    *keep = t;
    return e;
}

static const char *pair(const ebts_pair *p, size_t n, const char *key)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(p[i].key, key) == 0)
            return p[i].value;
    return NULL;
}

static void check_match_sample(const char *path)
{
    ebts_txn *t;
    ebts_ers *e = ers_of(path, &t);
    const ebts_idr *d = ebts_ers_idr(e);
    ck_assert_int_eq(d->present, 1);
    ck_assert_int_eq(d->match, 1);
    ck_assert_ptr_null(d->title);
    ck_assert_int_eq(d->photo_attached, 1);
    ck_assert_uint_eq(d->nencounters, 2);
    static const char *const want[2][5] = {{"1105048570", "TEST,TEST", "19630101", "XX", "F"},
                                          {"1105046343", "TEST,Heather P", "19650208", "CN", "F"}};
    for (int i = 0; i < 2; i++) {
        const ebts_encounter *x = &d->encounters[i];
        ck_assert_str_eq(x->eid, want[i][0]);
        ck_assert_str_eq(x->name, want[i][1]);
        ck_assert_str_eq(x->dob, want[i][2]);
        ck_assert_str_eq(x->pob, want[i][3]);
        ck_assert_str_eq(x->sex, want[i][4]);
    }
    ck_assert_ptr_nonnull(strstr(d->disclaimer, "Statement on Disclosure of Visa Records"));
    const ebts_iar *a = ebts_ers_iar(e);
    ck_assert_int_eq(a->present, 1);
    ck_assert_str_eq(a->received, "10/14/08 10:47:42 PM");
    static const char *const iaq[][2] = {
        {"ORI", "WVFBIID00"}, {"ATN", "ORI=TX1234567"}, {"PHN", "3046252000"}, {"NAM", "TEST, TEST"},
        {"DOB", "19800128"}, {"CUS", "Y"}, {"OFF", "0399"}, {"PUR", "C"}, {"POB", "XX"},
        {"SEX", "F"}, {"FBI", "XXXXXXXX"}, {"ARN", "XXXXXXXX"}, {"SOC", ""},
        {"SID", "XXXXXXXXXX"}};
    ck_assert_uint_eq(a->niaq, 15);
    for (size_t i = 0; i < 14; i++) {
        ck_assert_str_eq(a->iaq[i].key, iaq[i][0]);
        ck_assert_str_eq(a->iaq[i].value, iaq[i][1]);
    }
    ck_assert_str_eq(a->idsm, "sscn200824807988795");
    ck_assert_uint_eq(a->nencounters, 1);
    ck_assert_str_eq(a->encounters[0].eid, "XXXXXXXX");
    ck_assert_str_eq(a->encounters[0].last, "TEST");
    ck_assert_str_eq(a->encounters[0].first, "HEATHER");
    ck_assert_str_eq(a->encounters[0].middle, "");
    ck_assert_str_eq(a->encounters[0].pob, "CN");
    ck_assert_str_eq(a->encounters[0].sex, "F");
    ck_assert_str_eq(a->status, "SUBJECT APPEARS TO HAVE BEEN PREVIOUSLY REMOVED");
    ck_assert_uint_eq(a->nrecord, 14);
    ck_assert_str_eq(pair(a->record, a->nrecord, "NAM"), "TEST, TEST MIDDLE");
    ck_assert_str_eq(pair(a->record, a->nrecord, "POB"), "HONDU --> HONDURAS");
    ck_assert_str_eq(pair(a->record, a->nrecord, "SID"), "FL06879901 ;TX08257161");
    ck_assert_str_eq(pair(a->record, a->nrecord, "DATE REMOVED/DEPORTED/EXCLUDED"), "20050101");
    ck_assert_str_eq(pair(a->record, a->nrecord, "PORT DEPARTED"), "HLG");
    ck_assert_str_eq(pair(a->record, a->nrecord, "REM"),
                     "CRI: XXXXXXXXX FINS: XXXXXXXX I.C.E. RECORDS INDICATE THAT THIS SUBJECT WAS "
                     "REMOVED FROM THE UNITED STATES. NO RECORD OF A LEGAL RE-ENTRY HAS BEEN FOUND.");
    ck_assert_str_eq(a->notices[0], "NOTE!! THIS PERSON APPEARS TO HAVE MULTIPLE REMOVALS");
    ck_assert_str_eq(pair(a->requesting, a->nrequesting, "AGENCY"), "FBI From US Visit");
    ck_assert_str_eq(pair(a->requesting, a->nrequesting, "PHONE"), "");
    ck_assert_str_eq(a->query_id, "XXXXXXXX");
    ck_assert_int_eq(a->end, 1);
    ck_assert_uint_eq(ebts_ers_unplaced_count(e), 0);
    ebts_ers_free(e);
    ebts_txn_free(t);
}

START_TEST(published_and_clean_match_parse_exactly)
{
    check_match_sample("fixtures/samples/published/idr-iar-match.eft");
    check_match_sample("fixtures/samples/clean/idr-iar-match.eft");
    ebts_txn *t;
    ebts_ers *e = ers_of("fixtures/samples/published/idr-iar-match.eft", &t);
    ck_assert_uint_eq(ebts_ers_diag_count(e), 1);
    ck_assert_str_eq(ebts_ers_diag(e, 0)->code, "IDR_MARKER_RUN_IN");
    ebts_ers_free(e);
    ebts_txn_free(t);
    e = ers_of("fixtures/samples/clean/idr-iar-match.eft", &t);
    ck_assert_uint_eq(ebts_ers_diag_count(e), 0);
    ebts_ers_free(e);
    ebts_txn_free(t);
}
END_TEST

START_TEST(nomatch_parses)
{
    const char *paths[] = {"fixtures/samples/published/idr-nomatch.eft",
                           "fixtures/samples/clean/idr-nomatch.eft"};
    for (int i = 0; i < 2; i++) {
        ebts_txn *t;
        ebts_ers *e = ers_of(paths[i], &t);
        const ebts_idr *d = ebts_ers_idr(e);
        ck_assert_int_eq(d->present, 1);
        ck_assert_int_eq(d->match, 0);
        ck_assert_str_eq(d->title, "IDENT Data Response (IDR)");
        ck_assert_uint_eq(d->nencounters, 0);
        ck_assert_int_eq(ebts_ers_iar(e)->present, 0);
        ck_assert_uint_eq(ebts_ers_unplaced_count(e), 0);
        ebts_ers_free(e);
        ebts_txn_free(t);
    }
}
END_TEST

START_TEST(errt_messages)
{
    ebts_txn *t = ebts_read_file("fixtures/samples/published/errt-amputated.eft", 0, NULL);
    ebts_response *r = ebts_response_view(t, NULL);
    ck_assert_str_eq(r->tot, "ERRT");
    ck_assert_uint_eq(r->nmessages, 1);
    ck_assert_str_eq(r->messages[0].code, "S0002");
    ck_assert_str_eq(r->messages[0].ref, "EFTS-1031");
    ck_assert_str_eq(r->messages[0].text, "Fingerprint 2 is amputated ");
    ck_assert_str_eq(r->oca, "9163838806");
    ebts_response_free(r);
    ebts_txn_free(t);
    t = ebts_read_file("fixtures/samples/clean/errt-doa.eft", 0, NULL);
    r = ebts_response_view(t, NULL);
    ck_assert_str_eq(r->messages[0].code, "L0013");
    ck_assert_ptr_null(r->messages[0].ref);
    ck_assert_str_eq(r->messages[0].text, "DOA/DPR of [20090210] older than 7 days ");
    ebts_response_free(r);
    ebts_txn_free(t);
}
END_TEST

START_TEST(sre_view)
{
    ebts_txn *t = ebts_read_file("fixtures/samples/clean/idr-iar-match.eft", 0, NULL);
    ebts_response *r = ebts_response_view(t, NULL);
    ck_assert_str_eq(r->srf, "I");
    ck_assert_str_eq(r->tcr, "42046114892");
    ck_assert_str_eq(r->ori, "USVISIT0Z");
    ck_assert_str_eq(r->dai, "TX0000000");
    ck_assert_str_eq(r->sid, "TX07227801");
    ck_assert_str_eq(r->nam, "TEST,TEST");
    ck_assert_uint_eq(r->ncri, 1);
    ck_assert_str_eq(r->cri[0], "TX1081100");
    ck_assert_int_eq(r->from_ident, 1);
    ck_assert_uint_eq(r->nphotos, 1);
    ck_assert_uint_eq(r->photos[0], 2);
    ck_assert_uint_eq(ebts_ers_idr(r->ers)->nencounters, 2);
    ebts_response_free(r);
    ebts_txn_free(t);
    ebts_response_free(NULL);
}
END_TEST

static int same(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static void assert_same_encounters(const ebts_encounter *a, const ebts_encounter *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        ck_assert_msg(same(a[i].eid, b[i].eid) && same(a[i].name, b[i].name) &&
                          same(a[i].dob, b[i].dob) && same(a[i].pob, b[i].pob) &&
                          same(a[i].sex, b[i].sex) && same(a[i].last, b[i].last) &&
                          same(a[i].first, b[i].first) && same(a[i].middle, b[i].middle),
                      "encounter %zu differs", i);
    }
}

static void assert_same_pairs(const ebts_pair *a, size_t na, const ebts_pair *b, size_t nb)
{
    ck_assert_uint_eq(na, nb);
    for (size_t i = 0; i < na; i++) {
        ck_assert_str_eq(a[i].key, b[i].key);
        /* the IAQ REM text is rebuilt from IDSM and the encounter list, compared on their own */
        if (strcmp(a[i].key, "REM") != 0 || (!strstr(a[i].value, "ENCOUNTER INFO[") &&
                                             !strstr(b[i].value, "ENCOUNTER INFO[")))
            ck_assert_str_eq(a[i].value, b[i].value);
    }
}

static char *reflow(const char *s)
{
    char *d = strdup(s ? s : "");
    for (char *c = d; *c; c++)
        if (*c == '\n')
            *c = ' ';
    return d;
}

/* compose(x) parsed again gives x's structure */
static void assert_round_trip(const ebts_idr *d, const ebts_iar *a)
{
    size_t n;
    char *text = ebts_ers_compose(d, a, &n, NULL);
    ck_assert_ptr_nonnull(text);
    for (char *line = text; *line;) { /* every line <= 72 characters + CR LF (the last may end
                                         the text without a line end) */
        char *crlf = strstr(line, "\r\n");
        if (!crlf)
            crlf = line + strlen(line);
        ck_assert_ptr_null(strpbrk(line, "\r\n") < crlf ? strpbrk(line, "\r\n") : NULL);
        ck_assert_msg(crlf - line <= 72, "line of %d characters", (int)(crlf - line));
        line = *crlf ? crlf + 2 : crlf;
    }
    ebts_ers *e = ebts_ers_parse(text, n, NULL);
    const ebts_idr *d2 = ebts_ers_idr(e);
    const ebts_iar *a2 = ebts_ers_iar(e);
    ck_assert_int_eq(d2->match, d->match);
    ck_assert_int_eq(d2->photo_attached, d->photo_attached);
    ck_assert(same(d2->title, d->title));
    /* the disclaimer is text: the composer may reflow its lines to 72 characters */
    char *x = reflow(d2->disclaimer), *y = reflow(d->disclaimer ? d->disclaimer : ebts_idr_disclaimer());
    ck_assert_str_eq(x, y);
    free(x);
    free(y);
    ck_assert_uint_eq(d2->nencounters, d->nencounters);
    assert_same_encounters(d->encounters, d2->encounters, d->nencounters);
    ck_assert_int_eq(a2->present, a && a->present);
    if (a && a->present) {
        ck_assert(same(a2->received, a->received));
        assert_same_pairs(a->iaq, a->niaq, a2->iaq, a2->niaq);
        ck_assert(same(a2->idsm, a->idsm));
        ck_assert_uint_eq(a2->nencounters, a->nencounters);
        assert_same_encounters(a->encounters, a2->encounters, a->nencounters);
        ck_assert(same(a2->status, a->status));
        ck_assert_uint_eq(a2->nstatus_lines, a->nstatus_lines);
        assert_same_pairs(a->record, a->nrecord, a2->record, a2->nrecord);
        ck_assert_uint_eq(a2->nnotices, a->nnotices);
        for (size_t i = 0; i < a->nnotices; i++)
            ck_assert_str_eq(a2->notices[i], a->notices[i]);
        assert_same_pairs(a->requesting, a->nrequesting, a2->requesting, a2->nrequesting);
        ck_assert(same(a2->query_id, a->query_id));
    }
    ck_assert_uint_eq(ebts_ers_unplaced_count(e), 0);
    ebts_ers_free(e);
    ebts_free(text);
}

START_TEST(published_round_trips_through_the_composer)
{
    ebts_txn *t;
    ebts_ers *e = ers_of("fixtures/samples/published/idr-iar-match.eft", &t);
    assert_round_trip(ebts_ers_idr(e), ebts_ers_iar(e));
    ebts_ers_free(e);
    ebts_txn_free(t);
    e = ers_of("fixtures/samples/clean/idr-nomatch.eft", &t);
    assert_round_trip(ebts_ers_idr(e), NULL);
    ebts_ers_free(e);
    ebts_txn_free(t);
}
END_TEST

START_TEST(five_encounters_and_long_names)
{
    ebts_encounter enc[5] = {
        {"1000000001", "DOE,JOHN", "19800101", "XX", "M", NULL, NULL, NULL},
        {"1000000002", "GARCIA-FERNANDEZ DE LA TORRE Y ALTAMIRANO,MARIA DE LOS ANGELES "
                       "GUADALUPE CONCEPCION", "19750203", "MX", "F", NULL, NULL, NULL},
        {"1000000003", "SMITH,ANNE", "00000000", "XX", "X", NULL, NULL, NULL},
        {"1000000004", "NGUYEN,VAN", "19900315", "VN", "M", NULL, NULL, NULL},
        {"1000000005", "O'BRIEN,SEAN PATRICK", "19851111", "EI", "M", NULL, NULL, NULL}};
    ebts_idr d = {1, 1, "IDENT Data Response (IDR)", NULL, enc, 5, 1};
    assert_round_trip(&d, NULL);
    ebts_pair iaq[3] = {{"ORI", "TX0000000"}, {"NAM", "DOE,JOHN"}, {"REM", ""}};
    ebts_encounter rem[5];
    for (int i = 0; i < 5; i++)
        rem[i] = (ebts_encounter){enc[i].eid, NULL, enc[i].dob, enc[i].pob, enc[i].sex, "LAST",
                                  "FIRST", i % 2 ? "M" : ""};
    const char *status[] = {"SUBJECT APPEARS TO HAVE BEEN PREVIOUSLY REMOVED"};
    ebts_pair record[2] = {{"NAM", "DOE, JOHN"},
                           {"REM", "A VERY LONG REMARK THAT GOES ON AND ON ABOUT THE SUBJECT AND "
                                   "ITS RECORDS, WRAPPED OVER SEVERAL LINES OF TEXT BY THE COMPOSER"}};
    const char *notices[] = {"IMPORTANT NOTICE"};
    ebts_pair req[1] = {{"AGENCY", "FBI From US Visit"}};
    ebts_iar a = {1, "01/15/26 12:00:00 PM", iaq, 3, "TCN0000000001", rem, 5, status[0], status, 1,
                  record, 2, notices, 1, req, 1, "Q123", 1, NULL, 0};
    assert_round_trip(&d, &a);
}
END_TEST

START_TEST(line_ends_and_stray_text)
{
    static const char lf[] = "IDENT Data Response (IDR)\n\nDisclaimer line\n------ MATCH -----\n"
                             "EID = 1\nNAME = A,B\nDOB = 19800101\nPOB = XX\nSEX = M   \n\n"
                             "STRAY LINE\nPhoto Attached\n";
    char crlf[512], cr[512];
    size_t k = 0, j = 0;
    for (size_t i = 0; i < sizeof lf - 1; i++) {
        if (lf[i] == '\n') {
            crlf[k++] = '\r';
            cr[j++] = '\r';
        } else {
            cr[j++] = lf[i];
        }
        if (lf[i] == '\n')
            crlf[k++] = '\n';
        else
            crlf[k++] = lf[i];
    }
    ebts_ers *e;
    const char *texts[] = {lf, crlf, cr};
    size_t lens[] = {sizeof lf - 1, k, j};
    for (int i = 0; i < 3; i++) {
        e = ebts_ers_parse(texts[i], lens[i], NULL);
        const ebts_idr *d = ebts_ers_idr(e);
        ck_assert_int_eq(d->match, 1);
        ck_assert_uint_eq(d->nencounters, 1);
        ck_assert_str_eq(d->encounters[0].sex, "M");
        ck_assert_int_eq(d->photo_attached, 1);
        ck_assert_str_eq(d->disclaimer, "Disclaimer line");
        ck_assert_uint_eq(ebts_ers_unplaced_count(e), 1);
        ck_assert_str_eq(ebts_ers_unplaced(e, 0), "STRAY LINE");
        ck_assert_str_eq(ebts_ers_diag(e, 0)->code, "IDR_TEXT_UNPLACED");
        ebts_ers_free(e);
    }
    /* values are C strings: each NUL byte in one reads as '?', the first and the last too */
    static const char nul[] = "IDENT Data Response (IDR)\n------ MATCH -----\n"
                              "EID = 1\nNAME = \0A\0\0B,C\0\nSEX = M\n";
    e = ebts_ers_parse(nul, sizeof nul - 1, NULL);
    ck_assert_uint_eq(ebts_ers_idr(e)->nencounters, 1);
    ck_assert_str_eq(ebts_ers_idr(e)->encounters[0].name, "?A??B,C?");
    ck_assert_str_eq(ebts_ers_idr(e)->encounters[0].sex, "M");
    ebts_ers_free(e);
    /* an IAFIS rap sheet in 2.075 is no IDR: nothing reported */
    e = ebts_ers_parse("CRIMINAL HISTORY\nNAME: DOE\n", 27, NULL);
    ck_assert_int_eq(ebts_ers_idr(e)->present, 0);
    ck_assert_uint_eq(ebts_ers_diag_count(e), 0);
    ebts_ers_free(e);
}
END_TEST

static size_t error_count(const ebts_txn *t)
{
    ebts_report *r = ebts_validate(t, NULL, NULL);
    size_t n = ebts_report_error_count(r, 1);
    for (size_t i = 0; n && i < ebts_report_count(r); i++)
        fprintf(stderr, "  %s %s %s\n", ebts_report_diag(r, i)->code, ebts_report_diag(r, i)->tag,
                ebts_report_diag(r, i)->msg);
    ebts_report_free(r);
    return n;
}

/* 1.013's version as the EBTS 10.0 templates write it, on request: clean under ebts-10 */
START_TEST(generated_dom_names_the_version_asked)
{
    ebts_gen_options o;
    memset(&o, 0, sizeof o);
    o.tcr = "TX2026011400042";
    o.dai = "TX0000000";
    o.name = "DOE,JOHN";
    o.cri = "TX0000000";
    o.date = "20260115";
    o.dvn = "EBTS 10.0";
    ebts_error err = {0};
    ebts_txn *t = ebts_gen_response(EBTS_GEN_IDR_NOMATCH, NULL, &o, &err);
    ck_assert_msg(t != NULL, "%s", err.msg);
    ebts_span dvn = ebts_field_item(ebts_record_field(ebts_txn_record(t, 0), 13), 0, 1);
    ck_assert_msg(dvn.len == 9 && memcmp(dvn.ptr, "EBTS 10.0", 9) == 0, "%.*s", (int)dvn.len,
                  (const char *)dvn.ptr);
    ebts_profile *p = ebts_profile_builtin("ebts-10", NULL);
    ebts_report *r = ebts_validate(t, p, NULL);
    ck_assert_msg(ebts_report_count(r) == 0, "%s %s", ebts_report_diag(r, 0)->code,
                  ebts_report_diag(r, 0)->msg);
    ebts_report_free(r);
    ebts_profile_free(p);
    ebts_txn_free(t);
}
END_TEST

START_TEST(generated_responses_validate)
{
    ebts_txn *sub = ebts_read_file("fixtures/validate/valid-car.eft", 0, NULL);
    size_t jn;
    unsigned char *jpeg = tu_slurp("fixtures/samples/face-48x64.jpg", &jn);
    ebts_span photo = {jpeg, jn};
    ebts_encounter enc[2] = {{"1105048570", "DOE,JOHN", "19630101", "XX", "M", 0, 0, 0},
                             {"1105046343", "DOE,JOHNNY Q", "19650208", "CN", "M", 0, 0, 0}};
    const char *errs[] = {"L0013 DOA/DPR of [20260101] older than 7 days",
                          "S0002 [EFTS-1031] Fingerprint 2 is amputated"};
    ebts_gen_options o;
    memset(&o, 0, sizeof o);
    o.date = "20260115";
    o.encounters = enc;
    o.nencounters = 2;
    o.photos = &photo;
    o.nphotos = 1;
    o.iar_status = "SUBJECT APPEARS TO HAVE BEEN PREVIOUSLY REMOVED";
    o.iar_text = "NAM/ DOE, JOHN\nIMPORTANT NOTICE\n";
    o.errors = errs;
    o.nerrors = 2;
    for (int kind = EBTS_GEN_IDR_NOMATCH; kind <= EBTS_GEN_ERRT; kind++) {
        ebts_error err = {0};
        ebts_gen_options k = o; /* each kind gets only what it carries */
        if (kind != EBTS_GEN_IDR_MATCH) {
            k.nencounters = k.nphotos = 0;
            k.iar_status = k.iar_text = NULL;
        }
        if (kind != EBTS_GEN_ERRT)
            k.nerrors = 0;
        ebts_txn *t = ebts_gen_response(kind, sub, &k, &err);
        ck_assert_msg(t != NULL, "kind %d: %s", kind, err.msg);
        size_t n;
        unsigned char *w = tu_write(t, 0, &n);
        ebts_txn *back = ebts_read_buffer(w, n, EBTS_READ_STRICT, NULL);
        ck_assert_ptr_nonnull(back);
        ck_assert_uint_eq(error_count(back), 0);
        /* 1.013 DOM, "Required for EBTS" in the FBI's templates, as its 11.2 ones write it */
        const ebts_field *dom = ebts_record_field(ebts_txn_record(back, 0), 13);
        ebts_span dnm = ebts_field_item(dom, 0, 0), dvn = ebts_field_item(dom, 0, 1);
        ck_assert_msg(dnm.len == 5 && memcmp(dnm.ptr, "NORAM", 5) == 0, "kind %d: DNM", kind);
        ck_assert_msg(dvn.len == 9 && memcmp(dvn.ptr, "EBTS 11.1", 9) == 0, "kind %d: DVN", kind);
        ebts_response *r = ebts_response_view(back, NULL);
        ck_assert_str_eq(r->tcr, "TCN2026011500001"); /* the submission's TCN */
        ck_assert_str_eq(r->dai, "TX0000000");        /* the submission's ORI */
        ck_assert_str_eq(r->ori, "USVISIT0Z");
        if (kind == EBTS_GEN_ERRT) {
            ck_assert_uint_eq(r->nmessages, 2);
            ck_assert_str_eq(r->messages[1].ref, "EFTS-1031");
        } else {
            ck_assert_str_eq(r->srf, kind == EBTS_GEN_IDR_MATCH ? "I" : "N");
            const ebts_idr *d = ebts_ers_idr(r->ers);
            ck_assert_int_eq(d->match, kind == EBTS_GEN_IDR_MATCH);
            ck_assert_uint_eq(d->nencounters, kind == EBTS_GEN_IDR_MATCH ? 2 : 0);
            ck_assert_uint_eq(r->nphotos, kind == EBTS_GEN_IDR_MATCH ? 1 : 0);
            ck_assert_int_eq(ebts_ers_iar(r->ers)->present, kind == EBTS_GEN_IDR_MATCH);
        }
        ebts_response_free(r);
        ebts_txn_free(back);
        ebts_free(w);
        ebts_txn_free(t);
    }
    free(jpeg);
    ebts_txn_free(sub);
}
END_TEST

START_TEST(generation_refuses_bad_input)
{
    ebts_error err = {0};
    ebts_gen_options o;
    memset(&o, 0, sizeof o);
    ck_assert_ptr_null(ebts_gen_response(EBTS_GEN_IDR_NOMATCH, NULL, &o, &err));
    ck_assert_str_eq(err.code, "GEN_INVALID");
    ebts_encounter six[6];
    for (int i = 0; i < 6; i++)
        six[i] = (ebts_encounter){"1", "A,B", "19800101", "XX", "M", 0, 0, 0};
    o.tcr = "TCN0000000001";
    o.dai = "TX0000000";
    o.name = "DOE,JOHN";
    o.cri = "TX0000000";
    o.encounters = six;
    o.nencounters = 6;
    memset(&err, 0, sizeof err);
    ck_assert_ptr_null(ebts_gen_response(EBTS_GEN_IDR_MATCH, NULL, &o, &err));
    ck_assert_ptr_nonnull(strstr(err.msg, "five"));
    o.nencounters = 5;
    ebts_span notjpeg = {(const unsigned char *)"GIF89a", 6};
    o.photos = &notjpeg;
    o.nphotos = 1;
    memset(&err, 0, sizeof err);
    ck_assert_ptr_null(ebts_gen_response(EBTS_GEN_IDR_MATCH, NULL, &o, &err));
    ck_assert_str_eq(err.code, "GEN_INVALID");
    memset(&err, 0, sizeof err);
    ck_assert_ptr_null(ebts_gen_response(EBTS_GEN_ERRT, NULL, &o, &err)); /* no messages */
    ck_assert_ptr_null(ebts_gen_response(42, NULL, &o, NULL));
    /* what the validator refuses in an IDENT response: a match without encounters, an encounter
     * without DOB, POB or SEX, more photos than encounters */
    o.nphotos = 0;
    o.nencounters = 0;
    memset(&err, 0, sizeof err);
    ck_assert_ptr_null(ebts_gen_response(EBTS_GEN_IDR_MATCH, NULL, &o, &err));
    ck_assert_ptr_nonnull(strstr(err.msg, "one to five"));
    ebts_encounter nodob = {"1", "A,B", NULL, "XX", "M", 0, 0, 0};
    o.encounters = &nodob;
    o.nencounters = 1;
    memset(&err, 0, sizeof err);
    ck_assert_ptr_null(ebts_gen_response(EBTS_GEN_IDR_MATCH, NULL, &o, &err));
    ck_assert_ptr_nonnull(strstr(err.msg, "DOB"));
    size_t jn;
    unsigned char *jpeg = tu_slurp("fixtures/samples/face-48x64.jpg", &jn);
    ebts_span two[2] = {{jpeg, jn}, {jpeg, jn}};
    o.encounters = six;
    o.photos = two;
    o.nphotos = 2;
    memset(&err, 0, sizeof err);
    ck_assert_ptr_null(ebts_gen_response(EBTS_GEN_IDR_MATCH, NULL, &o, &err));
    ck_assert_ptr_nonnull(strstr(err.msg, "one photo per encounter"));
    free(jpeg);
    o.nencounters = 5;
    o.nphotos = 0;
    ebts_txn *t = ebts_gen_response(EBTS_GEN_IDR_MATCH, NULL, &o, NULL); /* options only */
    ck_assert_ptr_nonnull(t);
    ck_assert_uint_eq(error_count(t), 0);
    ebts_txn_free(t);
}
END_TEST

START_TEST(every_submission_in_fixtures_is_answered)
{
    /* the samples, the public corpus and the rule fixtures (fixtures/invalid holds hostile
     * inputs, not submissions) */
    char **files, **more;
    size_t n = tu_list("fixtures/corpus", ".eft;.an2;.an2k;.ebts", &files), answered = 0,
           refused = 0;
    size_t m = tu_list("fixtures/validate", ".eft", &more);
    files = realloc(files, (n + m + 1) * sizeof *files);
    memcpy(files + n, more, (m + 1) * sizeof *more);
    free(more);
    n += m;
    for (size_t i = 0; i < n; i++) {
        ebts_txn *sub = ebts_read_file(files[i], 0, NULL);
        ebts_span tot = ebts_txn_value(sub, 1, 4);
        const ebts__tot_rule *x = ebts__tots_91;
        while (x->code && !(tot.len == strlen(x->code) && memcmp(tot.ptr, x->code, tot.len) == 0))
            x++;
        if (!sub || !x->code || strcmp(x->group, "Tenprint Fingerprint Identification Submissions")) {
            ebts_txn_free(sub);
            continue;
        }
        ebts_report *sr = ebts_validate(sub, NULL, NULL);
        int clean = ebts_report_error_count(sr, 0) == 0;
        ebts_report_free(sr);
        for (int kind = EBTS_GEN_IDR_NOMATCH; kind <= EBTS_GEN_ERRT; kind++) {
            const char *errs[] = {"E0001 Mandatory element was not supplied"};
            ebts_gen_options o;
            memset(&o, 0, sizeof o);
            ebts_encounter one = {"1105048570", "DOE,JOHN", "19630101", "XX", "M", 0, 0, 0};
            o.errors = errs;
            o.nerrors = kind == EBTS_GEN_ERRT;
            o.encounters = &one;
            o.nencounters = kind == EBTS_GEN_IDR_MATCH;
            ebts_error err = {0};
            ebts_txn *t = ebts_gen_response(kind, sub, &o, &err);
            ebts_span tcn = ebts_txn_value(sub, 1, 9);
            while (tcn.len && tcn.ptr[0] == ' ') {
                tcn.ptr++;
                tcn.len--;
            }
            if (tcn.len < 10 || tcn.len > 40) { /* no valid TCR: the FBI would not answer it */
                ck_assert_msg(t == NULL && strcmp(err.code, "GEN_INVALID") == 0, "%s", files[i]);
                refused++;
                continue;
            }
            ebts_span nam = ebts_txn_value(sub, 2, 18);
            const unsigned char *comma = nam.len ? memchr(nam.ptr, ',', nam.len) : NULL;
            if (nam.len && !(comma && comma > nam.ptr) && kind != EBTS_GEN_ERRT) {
                /* an IDR would carry it as it is (an ERRT carries no NAM) */
                ck_assert_msg(t == NULL && strcmp(err.code, "GEN_INVALID") == 0 &&
                                  strstr(err.msg, "NAME_FORMAT 2.018") != NULL,
                              "%s: %s", files[i], t ? "answered" : err.msg);
                refused++;
                continue;
            }
            ck_assert_msg(t != NULL, "%s: %s", files[i], err.msg);
            size_t wn;
            unsigned char *w = tu_write(t, 0, &wn);
            ebts_txn *back = ebts_read_buffer(w, wn, EBTS_READ_STRICT, NULL);
            ck_assert_msg(back != NULL, "%s: the response does not read back strictly", files[i]);
            if (clean) /* a valid submission gets a valid response */
                ck_assert_msg(error_count(back) == 0, "%s: kind %d invalid", files[i], kind);
            ebts_txn_free(back);
            ebts_free(w);
            ebts_txn_free(t);
        }
        answered++;
        ebts_txn_free(sub);
    }
    ck_assert_uint_ge(answered, 16);
    ck_assert_uint_ge(refused, 1); /* the corpus holds TCNs like "jck sap10" */
    tu_free_list(files);
}
END_TEST

/* ---- the published samples, generated from their data */

/* A defect of the FBI's text: `from` (which must be there) reads as `to` before comparing. */
typedef struct defect {
    const char *from, *to, *why;
} defect;

typedef struct sections {
    char *buf;     /* the text, lines cut at their ends */
    char **line;   /* NULL marks an empty line */
    size_t nline;
    int final_eol; /* the text ends with a line end */
} sections;

static void cut_lines(const char *t, size_t n, sections *x)
{
    x->buf = malloc(n + 1);
    x->line = malloc((n + 2) * sizeof *x->line);
    memcpy(x->buf, t, n);
    x->buf[n] = 0;
    x->nline = 0;
    x->final_eol = n && (t[n - 1] == '\n' || t[n - 1] == '\r');
    char *p = x->buf, *end = x->buf + n;
    while (p < end) {
        char *e = p;
        while (e < end && *e != '\r' && *e != '\n')
            e++;
        char *next = e < end && *e == '\r' && e + 1 < end && e[1] == '\n' ? e + 2 : e + 1;
        *e = 0;
        while (e > p && e[-1] == ' ')
            *--e = 0;
        x->line[x->nline++] = *p ? p : NULL;
        p = next;
    }
}

/* Lines that begin a section of 2.075 (an empty line ends one too). */
static int heading(const char *l)
{
    static const char *const h[] = {"IDENT Data Response", "Statement on Disclosure",
                                    "According to the Immigration", "The attached visa record",
                                    "------ MATCH -----", "- NO MATCH -", "EID = ",
                                    "Photo Attached", "*** LAW ENFORCEMENT SENSITIVE ***",
                                    "IAQ RECEIVED:", "INFO[", "**** QUERY MESSAGE TEXT ENDS"};
    for (size_t i = 0; i < sizeof h / sizeof h[0]; i++)
        if (strncmp(l, h[i], strlen(h[i])) == 0)
            return 1;
    return 0;
}

/* Section k of x (lines [*from, *to)); an empty line is a section of its own. 0 past the end. */
static int section(const sections *x, size_t *pos, size_t *from, size_t *to)
{
    size_t i = *pos;
    if (i >= x->nline)
        return 0;
    *from = i;
    if (!x->line[i]) {
        *to = *pos = i + 1;
        return 1;
    }
    i++;
    while (i < x->nline && x->line[i] && !heading(x->line[i]))
        i++;
    *to = *pos = i;
    return 1;
}

/* The words of lines [from, to); a list broken after a ';' (the IAQ's encounter list) goes on
 * with the same word. */
static char *words(const sections *x, size_t from, size_t to)
{
    ebts__buf b = {0};
    for (size_t i = from; i < to; i++) {
        int glue = b.len && b.p[b.len - 1] == ';';
        for (const char *w = x->line[i] ? x->line[i] : ""; *w; glue = 0) {
            while (*w == ' ')
                w++;
            size_t k = strcspn(w, " ");
            if (k) {
                if (b.len && !glue)
                    ebts__buf_putc(&b, ' ');
                ebts__buf_put(&b, w, k);
            }
            w += k;
        }
    }
    ebts__buf_putc(&b, 0);
    return (char *)b.p;
}

/* The generated 2.075 against the published one: the same sections in the same order, each word
 * for word; line for line too where none of the FBI's lines in the section is longer than 72
 * characters (there the FBI's breaks are its layout, elsewhere they break the limit). */
static void assert_same_2075(ebts_span gen, ebts_span pub, const defect *d, size_t nd)
{
    char *p = malloc(pub.len + 1);
    memcpy(p, pub.ptr, pub.len);
    p[pub.len] = 0;
    for (size_t i = 0; i < nd; i++) {
        char *at = strstr(p, d[i].from);
        ck_assert_msg(at != NULL, "defect not in the published text: %s", d[i].why);
        size_t fl = strlen(d[i].from), tl = strlen(d[i].to), n = strlen(p);
        char *q = malloc(n - fl + tl + 1);
        memcpy(q, p, (size_t)(at - p));
        memcpy(q + (at - p), d[i].to, tl);
        strcpy(q + (at - p) + tl, at + fl);
        free(p);
        p = q;
    }
    sections g, f;
    cut_lines((const char *)gen.ptr, gen.len, &g);
    cut_lines(p, strlen(p), &f);
    ck_assert_int_eq(g.final_eol, f.final_eol);
    size_t gp = 0, fp = 0, g0, g1, f0, f1, k = 0;
    for (;; k++) {
        int more_g = section(&g, &gp, &g0, &g1), more_f = section(&f, &fp, &f0, &f1);
        ck_assert_msg(more_g == more_f, "section %zu: only in the %s text: \"%s\"", k,
                      more_g ? "generated" : "published",
                      more_g ? (g.line[g0] ? g.line[g0] : "") : (f.line[f0] ? f.line[f0] : ""));
        if (!more_g)
            break;
        char *gw = words(&g, g0, g1), *fw = words(&f, f0, f1);
        ck_assert_msg(strcmp(gw, fw) == 0, "section %zu differs:\n  generated: %s\n  published: %s",
                      k, gw, fw);
        free(gw);
        free(fw);
        int fits = 1;
        for (size_t i = f0; i < f1; i++)
            fits &= !f.line[i] || strlen(f.line[i]) <= 72;
        for (size_t i = 0; fits && i < f1 - f0; i++) {
            ck_assert_msg(g1 - g0 == f1 - f0, "section %zu: %zu lines, published %zu", k, g1 - g0,
                          f1 - f0);
            ck_assert_msg(same(g.line[g0 + i], f.line[f0 + i]),
                          "section %zu line %zu:\n  generated: %s\n  published: %s", k, i,
                          g.line[g0 + i] ? g.line[g0 + i] : "", f.line[f0 + i] ? f.line[f0 + i] : "");
        }
    }
    for (size_t i = 0; i < g.nline; i++) /* and the generated lines keep to the limit */
        ck_assert_msg(!g.line[i] || strlen(g.line[i]) <= 72, "line of %zu: %s", strlen(g.line[i]),
                      g.line[i]);
    free(g.buf);
    free(g.line);
    free(f.buf);
    free(f.line);
    free(p);
}

START_TEST(published_match_generated_from_its_data)
{
    const char *path = "fixtures/samples/published/idr-iar-match.eft";
    ebts_txn *pub = ebts_read_file(path, 0, NULL);
    ebts_span ers = ebts_txn_value(pub, 2, 75);
    /* the LESC's answer is data: the text after the query, as LESC sent it */
    static const char qend[] = "**** QUERY MESSAGE TEXT ENDS - L.E.S.C. RESPONSE BEGINS ****\n";
    char *all = strndup((const char *)ers.ptr, ers.len);
    char *lesc = strstr(all, qend);
    ck_assert_ptr_nonnull(lesc);
    lesc += sizeof qend - 1;
    size_t jn;
    unsigned char *jpeg = tu_slurp("fixtures/samples/face-48x64.jpg", &jn);
    ebts_span photo = {jpeg, jn};
    ebts_encounter enc[2] = {{"1105048570", "TEST,TEST", "19630101", "XX", "F", 0, 0, 0},
                             {"1105046343", "TEST,Heather P", "19650208", "CN", "F", 0, 0, 0}};
    ebts_encounter rem = {"XXXXXXXX", NULL, "XXXXXXXX", "CN", "F", "TEST", "HEATHER", ""};
    ebts_pair iaq[] = {{"ATN", "ORI=TX1234567"}, {"DOB", "19800128"}, {"POB", "XX"},
                       {"SEX", "F"}, {"FBI", "XXXXXXXX"}, {"ARN", "XXXXXXXX"},
                       {"SID", "XXXXXXXXXX"}};
    ebts_gen_options o;
    memset(&o, 0, sizeof o);
    o.tcr = "42046114892";
    o.dai = "TX0000000";
    o.name = "TEST,TEST";
    o.sid = "TX07227801";
    o.cri = "TX1081100";
    o.date = "20080904";
    o.tcn = "sscn200824807988795";
    o.ver = "0201";
    o.encounters = enc;
    o.nencounters = 2;
    o.photos = &photo;
    o.nphotos = 1;
    o.iar_received = "10/14/08 10:47:42 PM";
    o.iaq = iaq;
    o.niaq = sizeof iaq / sizeof iaq[0];
    o.iar_encounters = &rem;
    o.niar_encounters = 1;
    o.iar_text = lesc;
    ebts_error err = {0};
    ebts_txn *t = ebts_gen_response(EBTS_GEN_IDR_MATCH, NULL, &o, &err);
    ck_assert_msg(t != NULL, "%s", err.msg);
    static const defect d[] = {
        {" This record", "This record", "a leading blank in the value (samples/README)"},
        {"------ MATCH -----EID = ", "------ MATCH -----\nEID = ",
         "the marker runs into the first encounter (samples/README)"},
        {"XXXXXXXX; TEST;\nHEATHER;", "XXXXXXXX;TEST;HEATHER;",
         "a blank after the first ';' of the encounter list, which has none elsewhere (joined, "
         "the list is a line of 75 characters: it breaks the limit, its break is free)"}};
    assert_same_2075(ebts_txn_value(t, 2, 75), ers, d, sizeof d / sizeof d[0]);
    /* the rest is the clean sample's, but for 10.013 SAP, which the generator writes ("0"), and
     * 1.013 DOM, which it writes and the sample lacks */
    ebts_txn *clean = ebts_read_file("fixtures/samples/clean/idr-iar-match.eft", 0, NULL);
    const char *ignore[] = {"2.075", "10.013", "1.013"};
    ebts_diff_options dopt = {0, ignore, 3};
    ebts_diff_result *r = ebts_diff(t, clean, &dopt, NULL);
    char line[512];
    ck_assert_msg(ebts_diff_count(r) == 0, "%s",
                  ebts_difference_format(ebts_diff_at(r, 0), 0, line, sizeof line));
    ebts_diff_free(r);
    ebts_txn_free(clean);
    ebts_txn_free(t);
    ebts_txn_free(pub);
    free(all);
    free(jpeg);
}
END_TEST

START_TEST(published_nomatch_generated_from_its_data)
{
    ebts_txn *pub = ebts_read_file("fixtures/samples/published/idr-nomatch.eft", 0, NULL);
    ebts_gen_options o;
    memset(&o, 0, sizeof o);
    o.tcr = "42046114892";
    o.dai = "TX0000000";
    o.name = "TEST,TEST";
    o.sid = "TX07227801";
    o.cri = "TX1081100";
    o.date = "20080731";
    o.tcn = "sscn2008213000000270";
    o.ver = "0201";
    ebts_error err = {0};
    ebts_txn *t = ebts_gen_response(EBTS_GEN_IDR_NOMATCH, NULL, &o, &err);
    ck_assert_msg(t != NULL, "%s", err.msg);
    static const defect d[] = {
        {"individuals immigration", "individual's immigration",
         "the apostrophe the match sample has is missing"},
        {"222(f): \xe2\x80\x9cThe records", "222(f): The records",
         "a UTF-8 quotation mark, outside 2.075's character set (the match sample has none)"},
        {"United States\xe2\x80\xa6.\xe2\x80\x9d", "United States.",
         "a UTF-8 ellipsis and quotation mark, likewise"},
        {"- NO MATCH -\n", "- NO MATCH -",
         "the file ends without its FS: the last LF is the end of the file, not text"}};
    assert_same_2075(ebts_txn_value(t, 2, 75), ebts_txn_value(pub, 2, 75), d,
                     sizeof d / sizeof d[0]);
    /* the rest of the transaction is the clean sample's (LEN and CNT are derived), but for 1.013
     * DOM, which the generator writes and the sample lacks */
    ebts_txn *clean = ebts_read_file("fixtures/samples/clean/idr-nomatch.eft", 0, NULL);
    const char *ignore[] = {"2.075", "1.013"};
    ebts_diff_options dopt = {0, ignore, 2};
    ebts_diff_result *r = ebts_diff(t, clean, &dopt, NULL);
    char line[512];
    ck_assert_msg(ebts_diff_count(r) == 0, "%s",
                  ebts_difference_format(ebts_diff_at(r, 0), 0, line, sizeof line));
    ebts_diff_free(r);
    ebts_txn_free(clean);
    ebts_txn_free(t);
    ebts_txn_free(pub);
}
END_TEST

START_TEST(iar_parser_without_star_lines)
{
    /* the published IAR without its star-only lines: the status is found all the same, and the
     * record's REM/ ends where IMPORTANT NOTICE begins */
    ebts_txn *t = ebts_read_file("fixtures/samples/clean/idr-iar-match.eft", 0, NULL);
    ebts_span v = ebts_txn_value(t, 2, 75);
    ebts__buf b = {0};
    for (size_t i = 0; i < v.len;) {
        const unsigned char *nl = memchr(v.ptr + i, '\n', v.len - i);
        size_t end = nl ? (size_t)(nl - v.ptr) + 1 : v.len, k = i;
        while (k < end && (v.ptr[k] == '*' || v.ptr[k] == '\r' || v.ptr[k] == '\n'))
            k++;
        if (k < end || end - i < 4) /* not a line of stars only */
            ebts__buf_put(&b, v.ptr + i, end - i);
        i = end;
    }
    ck_assert_ptr_null(memmem(b.p, b.len, "\n*****************", 18));
    ebts_ers *e = ebts_ers_parse(b.p, b.len, NULL);
    const ebts_iar *a = ebts_ers_iar(e);
    ck_assert_str_eq(a->status, "SUBJECT APPEARS TO HAVE BEEN PREVIOUSLY REMOVED");
    ck_assert_str_eq(pair(a->record, a->nrecord, "REM"),
                     "CRI: XXXXXXXXX FINS: XXXXXXXX I.C.E. RECORDS INDICATE THAT THIS SUBJECT WAS "
                     "REMOVED FROM THE UNITED STATES. NO RECORD OF A LEGAL RE-ENTRY HAS BEEN FOUND.");
    int notice = 0;
    for (size_t i = 0; i < a->nnotices; i++)
        notice |= strcmp(a->notices[i], "IMPORTANT NOTICE") == 0;
    ck_assert_int_eq(notice, 1);
    ck_assert_str_eq(pair(a->requesting, a->nrequesting, "AGENCY"), "FBI From US Visit");
    /* and the LESC response as sent, line by line */
    ck_assert_str_eq(a->lesc_lines[0], "THIS IS NOT A GOVERNMENT DETAINER! THIS INFORMATION IS FOR");
    ck_assert_str_eq(a->lesc_lines[a->nlesc_lines - 1], "END OF RESPONSE . . . .");
    ebts_ers_free(e);
    free(b.p);
    ebts_txn_free(t);
}
END_TEST

static ebts_gen_options valid_match(ebts_encounter *enc, size_t n)
{
    ebts_gen_options o;
    memset(&o, 0, sizeof o);
    o.tcr = "TCN0000000001";
    o.dai = "TX0000000";
    o.name = "DOE,JOHN";
    o.cri = "TX0000000";
    o.date = "20260115";
    o.encounters = enc;
    o.nencounters = n;
    return o;
}

static void assert_refused(int kind, const ebts_gen_options *o, const char *what)
{
    ebts_error err = {0};
    ebts_txn *t = ebts_gen_response(kind, NULL, o, &err);
    ck_assert_msg(t == NULL, "%s: not refused", what);
    ck_assert_str_eq(err.code, "GEN_INVALID");
    ck_assert_msg(strstr(err.msg, what) != NULL, "%s: message \"%s\"", what, err.msg);
}

START_TEST(generation_refuses_what_the_fbi_would_not_send)
{
    ebts_encounter enc[2] = {{"1105048570", "DOE,JOHN", "19630101", "XX", "M", 0, 0, 0},
                             {"1105046343", "DOE,JOHNNY Q", "19650208", "CN", "M", 0, 0, 0}};
    ebts_span ph[3] = {{(const unsigned char *)"x", 1}, {0, 0}, {0, 0}};
    const char *errs[] = {"L0013 DOA older than 7 days"};
    ebts_gen_options o = valid_match(enc, 1);
    assert_refused(EBTS_GEN_IDR_NOMATCH, &o, "no-match carries no encounters");
    assert_refused(EBTS_GEN_ERRT, &o, "ERRT carries no encounters");
    o = valid_match(enc, 0);
    o.photos = ph;
    o.nphotos = 1;
    assert_refused(EBTS_GEN_IDR_NOMATCH, &o, "no-match carries no photos");
    o = valid_match(enc, 0);
    o.iar_status = "SUBJECT APPEARS TO HAVE BEEN PREVIOUSLY REMOVED";
    assert_refused(EBTS_GEN_IDR_NOMATCH, &o, "no-match carries no IAR");
    o = valid_match(enc, 1);
    o.errors = errs;
    o.nerrors = 1;
    assert_refused(EBTS_GEN_IDR_MATCH, &o, "an IDR carries no error messages");
    o = valid_match(enc, 0);
    assert_refused(EBTS_GEN_IDR_MATCH, &o, "one to five encounters");
    ebts_encounter half = {"1105048570", "DOE", NULL, NULL, NULL, 0, 0, 0}; /* "1105048570;DOE" */
    o = valid_match(&half, 1);
    assert_refused(EBTS_GEN_IDR_MATCH, &o, "an encounter is");
    o = valid_match(enc, 1);
    o.photos = ph;
    o.nphotos = 2;
    assert_refused(EBTS_GEN_IDR_MATCH, &o, "one photo per encounter");
    ebts_pair iaq = {"PHN", "5555550100"};
    o = valid_match(enc, 1);
    o.iaq = &iaq;
    o.niaq = 1;
    assert_refused(EBTS_GEN_IDR_MATCH, &o, "IAQ values without an IAR");
    o.iar_status = "SUBJECT APPEARS TO HAVE BEEN PREVIOUSLY REMOVED";
    iaq.key = "XYZ";
    assert_refused(EBTS_GEN_IDR_MATCH, &o, "no IAQ value \"XYZ\"");
    static const char *const bad_tcr[] = {"FAKE-TCN", "jck t5", "TCN\001000000000",
                                          "12345678901234567890123456789012345678901"};
    for (size_t i = 0; i < sizeof bad_tcr / sizeof bad_tcr[0]; i++) {
        o = valid_match(enc, 1);
        o.tcr = bad_tcr[i];
        assert_refused(EBTS_GEN_IDR_MATCH, &o, "is not 10 to 40 printable characters");
        o.nencounters = 0;
        assert_refused(EBTS_GEN_IDR_NOMATCH, &o, "is not 10 to 40 printable characters");
    }
    /* a submission's TCN is the TCR: the same check */
    ebts_txn *sub = ebts_read_file("fixtures/corpus/jnbis/type-10-sap10.an2", 0, NULL);
    ck_assert_ptr_nonnull(sub);
    o = valid_match(enc, 0);
    o.tcr = NULL;
    ebts_error err = {0};
    ck_assert_ptr_null(ebts_gen_response(EBTS_GEN_IDR_NOMATCH, sub, &o, &err));
    ck_assert_ptr_nonnull(strstr(err.msg, "jck sap10"));
    ebts_txn_free(sub);
}
END_TEST

START_TEST(one_photo_per_encounter_and_the_view)
{
    size_t jn;
    unsigned char *jpeg = tu_slurp("fixtures/samples/face-48x64.jpg", &jn);
    ebts_span ph[2] = {{jpeg, jn}, {jpeg, jn}};
    ebts_encounter enc[3] = {{"1105048570", "DOE,JOHN", "19630101", "XX", "M", 0, 0, 0},
                             {"1105046343", "DOE,JOHNNY Q", "19650208", "CN", "M", 0, 0, 0},
                             {"1100000001", "ROE,RICHARD", "19700101", "XX", "M", 0, 0, 0}};
    ebts_gen_options o = valid_match(enc, 3);
    o.photos = ph;
    o.nphotos = 2;
    ebts_txn *t = ebts_gen_response(EBTS_GEN_IDR_MATCH, NULL, &o, NULL);
    ck_assert_ptr_nonnull(t);
    ck_assert_uint_eq(error_count(t), 0);
    ebts_response *r = ebts_response_view(t, NULL);
    ck_assert_int_eq(ebts_response_kind(r), EBTS_RESPONSE_IDR_MATCH);
    ck_assert_uint_eq(r->nencounters, 3);
    ck_assert_str_eq(r->encounters[1].name, "DOE,JOHNNY Q");
    ck_assert_int_eq(r->encounters[0].photo, 2);
    ck_assert_int_eq(r->encounters[1].photo, 3);
    ck_assert_int_eq(r->encounters[2].photo, -1);
    ck_assert_int_eq(ebts_record_type(ebts_txn_record(t, 3)), 10);
    ck_assert_int_eq(r->photo_missing, 0);
    ebts_response_free(r);
    ebts_txn_free(t);
    free(jpeg);
    /* the published match announces a photo that is not there; the clean one has it */
    t = ebts_read_file("fixtures/samples/published/idr-iar-match.eft", 0, NULL);
    r = ebts_response_view(t, NULL);
    ck_assert_int_eq(r->photo_missing, 1);
    ck_assert_uint_eq(r->nencounters, 2);
    ck_assert_int_eq(r->encounters[0].photo, -1);
    ebts_response_free(r);
    ebts_txn_free(t);
    t = ebts_read_file("fixtures/samples/clean/idr-iar-match.eft", 0, NULL);
    r = ebts_response_view(t, NULL);
    ck_assert_int_eq(r->photo_missing, 0);
    ck_assert_int_eq(r->encounters[0].photo, 2);
    ck_assert_int_eq(r->encounters[1].photo, -1);
    ebts_response_free(r);
    ebts_txn_free(t);
}
END_TEST

static int kind_of(const char *path)
{
    ebts_txn *t = ebts_read_file(path, 0, NULL);
    ebts_response *r = ebts_response_view(t, NULL);
    int k = ebts_response_kind(r);
    ebts_response_free(r);
    ebts_txn_free(t);
    return k;
}

START_TEST(response_kind)
{
    const char *dirs[] = {"fixtures/samples/published", "fixtures/samples/clean"};
    for (int i = 0; i < 2; i++) {
        char p[128];
        snprintf(p, sizeof p, "%s/idr-iar-match.eft", dirs[i]);
        ck_assert_int_eq(kind_of(p), EBTS_RESPONSE_IDR_MATCH);
        snprintf(p, sizeof p, "%s/idr-nomatch.eft", dirs[i]);
        ck_assert_int_eq(kind_of(p), EBTS_RESPONSE_IDR_NOMATCH);
        snprintf(p, sizeof p, "%s/errt-doa.eft", dirs[i]);
        ck_assert_int_eq(kind_of(p), EBTS_RESPONSE_ERRT);
    }
    ck_assert_int_eq(kind_of("fixtures/validate/valid-car.eft"), EBTS_RESPONSE_OTHER);
    ck_assert_int_eq(ebts_response_kind(NULL), EBTS_RESPONSE_OTHER);
    /* an SRE from IAFIS: another ORI */
    ebts_txn *t = ebts_read_file("fixtures/samples/clean/idr-nomatch.eft", 0, NULL);
    ck_assert_int_eq(ebts_txn_set_field(t, 0, 8, "WVIAFIS0Z", 9, NULL), 0);
    ebts_response *r = ebts_response_view(t, NULL);
    ck_assert_int_eq(ebts_response_kind(r), EBTS_RESPONSE_SRE);
    ebts_response_free(r);
    /* from IDENT without 2.059: the 2.075 marker tells */
    ck_assert_int_eq(ebts_txn_set_field(t, 0, 8, "USVISIT0Z", 9, NULL), 0);
    ck_assert_int_eq(ebts_txn_delete_field(t, 1, 59, NULL), 0);
    r = ebts_response_view(t, NULL);
    ck_assert_int_eq(ebts_response_kind(r), EBTS_RESPONSE_IDR_NOMATCH);
    ebts_response_free(r);
    ebts_txn_free(t);
}
END_TEST

START_TEST(view_values_trimmed_and_the_submission_answered)
{
    ebts_txn *t = ebts_read_file("fixtures/samples/published/idr-iar-match.eft", 0, NULL);
    ebts_response *r = ebts_response_view(t, NULL);
    ck_assert_str_eq(r->tcr, "42046114892"); /* sent as " 42046114892" */
    ck_assert_str_eq(r->cri[0], "TX1081100"); /* sent as " TX1081100" */
    ebts_txn *sub = ebts_txn_new("0500", NULL);
    ck_assert_int_eq(ebts_response_answers(r, sub), 0); /* no TCN */
    ck_assert_int_eq(ebts_txn_set_field(sub, 0, 9, "42046114892 ", 12, NULL), 0);
    ck_assert_int_eq(ebts_response_answers(r, sub), 1);
    ck_assert_int_eq(ebts_txn_set_field(sub, 0, 9, "42046114893", 11, NULL), 0);
    ck_assert_int_eq(ebts_response_answers(r, sub), 0);
    ck_assert_int_eq(ebts_response_answers(NULL, sub), 0);
    ebts_txn_free(sub);
    /* the view holds copies: it outlives its transaction */
    ebts_txn_free(t);
    ck_assert_str_eq(r->nam, "TEST,TEST");
    ck_assert_str_eq(r->encounters[1].name, "TEST,Heather P");
    ck_assert_int_eq(ebts_ers_iar(r->ers)->present, 1);
    ebts_response_free(r);
}
END_TEST

Suite *suite_ident(void)
{
    Suite *s = suite_create("ident");
    TCase *tc = tcase_create("ident");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, published_and_clean_match_parse_exactly);
    tcase_add_test(tc, nomatch_parses);
    tcase_add_test(tc, errt_messages);
    tcase_add_test(tc, sre_view);
    tcase_add_test(tc, published_round_trips_through_the_composer);
    tcase_add_test(tc, five_encounters_and_long_names);
    tcase_add_test(tc, line_ends_and_stray_text);
    tcase_add_test(tc, generated_responses_validate);
    tcase_add_test(tc, generated_dom_names_the_version_asked);
    tcase_add_test(tc, generation_refuses_bad_input);
    tcase_add_test(tc, every_submission_in_fixtures_is_answered);
    tcase_add_test(tc, published_match_generated_from_its_data);
    tcase_add_test(tc, published_nomatch_generated_from_its_data);
    tcase_add_test(tc, iar_parser_without_star_lines);
    tcase_add_test(tc, generation_refuses_what_the_fbi_would_not_send);
    tcase_add_test(tc, one_photo_per_encounter_and_the_view);
    tcase_add_test(tc, response_kind);
    tcase_add_test(tc, view_values_trimmed_and_the_submission_answered);
    suite_add_tcase(s, tc);
    return s;
}
