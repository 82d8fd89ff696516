/* The FBI's own EBTS XML templates (fixtures/ebts-xml, 100 of EBTS 10.0 and 102 of EBTS 11.2,
 * each valid against its version's XSD) read through the XML reader and validated under their
 * version's profile: no error, but for the template defects named below. Each named defect must
 * still occur, so the list cannot go stale. */
#include <string.h>
#include "testutil.h"

typedef struct known {
    const char *version; /* "10.0", "11.2" */
    const char *tot;     /* the template's TOT, or NULL: any */
    const char *code, *tag;
    const char *why;
} known;

/* Values the templates carry as placeholders that a real transaction would not, checked against
 * the XSD first (the XSD leaves each of them open; the EBTS fact the rule keeps does not). */
static const known defects[] = {
    {"10.0", NULL, "IMAGE_FORMAT_MISMATCH", "10.999",
     "the image is a short base64 placeholder that decodes to no JPEG, while CGA says JPEGB"},
    {"11.2", NULL, "IMAGE_FORMAT_MISMATCH", "10.999", "likewise (CGA 2, read as JPEGB)"},
    {"10.0", NULL, "LENGTH_INVALID", "1.009",
     "TCN \"56839\": EBTS TCN has 10 to 40 characters (the XSD's string says no length)"},
    {"10.0", NULL, "LENGTH_INVALID", "1.010", "TCR \"29385\": likewise"},
    {"11.2", "FVR", "LENGTH_INVALID", "1.010", "TCR \"29385\": likewise"},
    {"10.0", NULL, "LENGTH_INVALID", "2.016",
     "SOC \"220-56-5855\": EBTS SOC is nine digits (the XSD's IdentificationID is any string)"},
    {"10.0", NULL, "CHARSET_INVALID", "2.016", "SOC with hyphens: likewise"},
    {"11.2", NULL, "LENGTH_INVALID", "2.016", "SOC with hyphens: likewise"},
    {"11.2", NULL, "CHARSET_INVALID", "2.016", "SOC with hyphens: likewise"},
    {"10.0", NULL, "LENGTH_INVALID", "10.024",
     "SQS vendor \"RGTM88\": ANSI/NIST-ITL 1-2011 QAV is four hexadecimal digits (11.2's "
     "HexDoubleByteType; the 10.0 XSD leaves it open)"},
    {"10.0", "LSR", "LENGTH_INVALID", "2.013", "LCX \"00001\": EBTS LCX has 4 characters"},
    {"11.2", "LSR", "LENGTH_INVALID", "2.013", "LCX \"00001\": likewise"},
    {"10.0", "LSR", "LENGTH_INVALID", "2.033",
     "FPC \"DI\": EBTS FPC is the 20-character NCIC classification"},
    {"11.2", "LSR", "LENGTH_INVALID", "2.033", "FPC of 19 characters: likewise"},
    {"10.0", "RPISR", "CHARSET_INVALID", "2.071",
     "ACN ends its sentence with a period, outside EBTS ACN's characters"},
    {"11.2", "RPISR", "CHARSET_INVALID", "2.071", "likewise"},
    {"10.0", "IRR", "RECORD_COUNT", "",
     "the template shows a Type-7 and a Type-13 record, the alternatives an IRR may carry one of"},
    {"11.2", "IRR", "RECORD_COUNT", "", "likewise"},
};

/* " FIS " of ".../Template(FIS)BiometricImageSubmission.xmlgz" */
static void tot_of(const char *path, char *tot, size_t n)
{
    const char *a = strstr(path, "Template("), *b = a ? strchr(a, ')') : NULL;
    snprintf(tot, n, "%.*s", a && b ? (int)(b - a - 9) : 0, a ? a + 9 : "");
}

static int matches(const known *k, const char *version, const char *tot, const ebts_diag *g)
{
    return strcmp(k->version, version) == 0 && (!k->tot || strcmp(k->tot, tot) == 0) &&
           strcmp(k->code, g->code) == 0 && strcmp(k->tag, g->tag) == 0;
}

/* Validate one template; unexplained errors are appended to bad, each known case seen marked. */
static void check_template(const char *path, const char *version, const ebts_profile *p,
                           unsigned char *seen_d, char *bad, size_t nbad)
{
    char tot[24];
    tot_of(path, tot, sizeof tot);
    ebts_error err = {0};
    ebts_txn *t = ebts_read_file(path, 0, &err);
    ck_assert_msg(t != NULL, "%s: %s", path, err.msg);
    ebts_report *r = ebts_validate(t, p, &err);
    ck_assert_msg(r != NULL, "%s: %s", path, err.msg);
    for (size_t i = 0; i < ebts_report_count(r); i++) {
        const ebts_diag *g = ebts_report_diag(r, i);
        if (g->severity < EBTS_SEV_ERROR)
            continue;
        int known_case = 0;
        for (size_t k = 0; k < sizeof defects / sizeof defects[0]; k++)
            if (matches(&defects[k], version, tot, g))
                known_case = seen_d[k] = 1;
        char line[300];
        snprintf(line, sizeof line, "%s %s: %s %s %.80s\n", version, tot, g->code, g->tag, g->msg);
        size_t len = strlen(bad);
        if (!known_case && !strstr(bad, line) && len + strlen(line) < nbad)
            memcpy(bad + len, line, strlen(line) + 1);
    }
    ebts_report_free(r);
    ebts_txn_free(t);
}

START_TEST(every_fbi_template_validates_under_its_version)
{
    static const char *const v[][3] = {{"10.0", "ebts-10", "fixtures/ebts-xml/10.0/templates"},
                                       {"11.2", "ebts-11", "fixtures/ebts-xml/11.2/templates"}};
    unsigned char seen_d[sizeof defects / sizeof defects[0]] = {0};
    static char bad[3000]; /* Check carries a message of a few kilobytes at most */
    bad[0] = 0;
    size_t total = 0;
    for (size_t i = 0; i < 2; i++) {
        ebts_profile *p = ebts_profile_builtin(v[i][1], NULL);
        ck_assert_ptr_nonnull(p);
        char **files;
        size_t n = tu_list(v[i][2], ".xmlgz", &files);
        ck_assert_uint_ge(n, 100);
        for (size_t f = 0; f < n; f++)
            check_template(files[f], v[i][0], p, seen_d, bad, sizeof bad);
        total += n;
        tu_free_list(files);
        ebts_profile_free(p);
    }
    ck_assert_uint_eq(total, 202);
    ck_assert_msg(bad[0] == 0, "errors no template defect explains:\n%s", bad);
    for (size_t k = 0; k < sizeof defects / sizeof defects[0]; k++)
        ck_assert_msg(seen_d[k], "defect no longer seen: %s %s %s %s (%s)", defects[k].version,
                      defects[k].tot ? defects[k].tot : "*", defects[k].code, defects[k].tag,
                      defects[k].why);
}
END_TEST

Suite *suite_templates(void)
{
    Suite *s = suite_create("templates");
    TCase *tc = tcase_create("fbi");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, every_fbi_template_validates_under_its_version);
    suite_add_tcase(s, tc);
    return s;
}
