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
    for (char *line = text; *line;) { /* every line <= 72 characters + CR LF */
        char *crlf = strstr(line, "\r\n");
        ck_assert_ptr_nonnull(crlf);
        ck_assert_msg(crlf - line <= 72, "line of %d characters", (int)(crlf - line));
        line = crlf + 2;
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
                  record, 2, notices, 1, req, 1, "Q123", 1};
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
    const char *texts[] = {lf, crlf, cr};
    size_t lens[] = {sizeof lf - 1, k, j};
    for (int i = 0; i < 3; i++) {
        ebts_ers *e = ebts_ers_parse(texts[i], lens[i], NULL);
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
    /* an IAFIS rap sheet in 2.075 is no IDR: nothing reported */
    ebts_ers *e = ebts_ers_parse("CRIMINAL HISTORY\nNAME: DOE\n", 27, NULL);
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
        ebts_txn *t = ebts_gen_response(kind, sub, &o, &err);
        ck_assert_msg(t != NULL, "kind %d: %s", kind, err.msg);
        size_t n;
        unsigned char *w = tu_write(t, 0, &n);
        ebts_txn *back = ebts_read_buffer(w, n, EBTS_READ_STRICT, NULL);
        ck_assert_ptr_nonnull(back);
        ck_assert_uint_eq(error_count(back), 0);
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
    size_t n = tu_list("fixtures/corpus", ".eft;.an2;.an2k;.ebts", &files), answered = 0;
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
            ebts_encounter enc = {"1105048570", "DOE,JOHN", "19630101", "XX", "M", 0, 0, 0};
            ebts_gen_options o;
            memset(&o, 0, sizeof o);
            o.errors = errs;
            o.nerrors = 1;
            o.encounters = &enc; /* a match names one */
            o.nencounters = 1;
            ebts_error err = {0};
            ebts_txn *t = ebts_gen_response(kind, sub, &o, &err);
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
    tu_free_list(files);
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
    tcase_add_test(tc, generation_refuses_bad_input);
    tcase_add_test(tc, every_submission_in_fixtures_is_answered);
    suite_add_tcase(s, tc);
    return s;
}
