/* A SIB's side of IDENT: read the response, decide, print the encounters, save the photos,
 * and build the next submission. usage: sib RESPONSE OUT */
#include <stdio.h>
#include <ebts.h>
static const char *const says[] = {"other", "IDENT match", "no IDENT match", "rejected", "IAFIS"};
int main(int argc, char **argv)
{
    ebts_error err = {0};
    ebts_txn *t = argc == 3 ? ebts_read_file(argv[1], 0, &err) : NULL;
    ebts_response *r = t ? ebts_response_view(t, &err) : NULL;
    if (!r)
        return fprintf(stderr, "sib: %s\n", err.code ? err.msg : "usage: sib RESPONSE OUT"), 2;
    printf("TCN %s: %s%s\n", r->tcr, says[ebts_response_kind(r)],
           r->photo_missing ? " (\"Photo Attached\", but no photo came)" : "");
    for (size_t i = 0; i < r->nmessages; i++)
        printf("  %s %s\n", r->messages[i].code, r->messages[i].text);
    for (size_t i = 0; i < r->nencounters; i++) {
        const ebts_response_encounter *e = &r->encounters[i];
        printf("  EID %s: %s, born %s in %s\n", e->eid, e->name, e->dob, e->pob);
        ebts_span jpeg = ebts_field_value(ebts_txn_find(t, (size_t)e->photo, "10.999"));
        char path[64]; /* photo -1: no record, an empty span, nothing saved */
        snprintf(path, sizeof path, "%s.jpg", e->eid);
        if (jpeg.len && ebts_write_bytes_file(jpeg.ptr, jpeg.len, path, NULL) == 0)
            printf("  photo: %s\n", path);
    }
    ebts_txn *s = ebts_txn_new("0500", &err); /* the next submission, for the same person */
    ebts_txn_set(s, 0, "TOT", "CAR", &err);   /* an ebts_error keeps the first failure */
    ebts_txn_set(s, 0, "ORI", r->dai, &err);
    ebts_txn_stamp(s, NULL, &err);            /* DAT, TCN, GMT */
    ebts_txn_insert_record(s, 1, 2, 0, &err);
    ebts_txn_set(s, 1, "NAM", r->nam ? r->nam : "UNKNOWN,UNKNOWN", &err);
    ebts_response_free(r);
    ebts_txn_free(t);
    int rc = err.code ? -1 : ebts_write_file(s, EBTS_FORMAT_TRADITIONAL, argv[2], &err);
    ebts_txn_free(s);
    return rc == 0 ? 0 : (fprintf(stderr, "sib: %s: %s\n", err.code, err.msg), 1);
}
