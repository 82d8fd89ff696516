/* Threads whose first calls into the library are XML work, started at once: reading the XML
 * encoding, writing it, loading an XML profile, writing a JUnit report. tests/valgrind.sh runs
 * it under helgrind, which reports a race if libxml2 is initialised by whichever thread comes
 * first instead of once. Exits 0 when every thread's work succeeded. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ebts.h"

#define NTHREADS 4

static pthread_barrier_t start;
static const char *xml_path;

static const char profile[] =
    "<profile xmlns=\"urn:libebts:profile:1\" name=\"t\" base=\"ebts-10\">"
    "<field tag=\"2.901\" mnemonic=\"BKN\" type=\"AN\" max-length=\"12\"/></profile>";

static int read_xml(void)
{
    ebts_txn *t = ebts_read_file(xml_path, EBTS_READ_XML, NULL);
    int ok = t && ebts_txn_record_count(t) > 1;
    ebts_txn_free(t);
    return ok;
}

static int write_xml(void)
{
    ebts_txn *t = ebts_txn_new("0500", NULL);
    unsigned char *out = NULL;
    size_t n = 0;
    int ok = t && ebts_txn_set_field(t, 0, 4, "SRE", 3, NULL) == 0 &&
             ebts_write_buffer(t, EBTS_FORMAT_XML, &out, &n, NULL) == 0 && n > 0;
    ebts_free(out);
    ebts_txn_free(t);
    return ok;
}

static int load_profile(void)
{
    ebts_profile *p = ebts_profile_load_buffer(profile, sizeof profile - 1, NULL);
    int ok = p != NULL;
    ebts_profile_free(p);
    return ok;
}

static int junit(void)
{
    ebts_junit *j = ebts_junit_new("threads");
    FILE *fp = tmpfile();
    int ok = j && fp && ebts_junit_add(j, "a.eft", NULL, NULL) == 0 &&
             ebts_junit_write(j, fp, NULL) == 0;
    if (fp)
        fclose(fp);
    ebts_junit_free(j);
    return ok;
}

static void *run(void *arg)
{
    static int (*const work[NTHREADS])(void) = {read_xml, write_xml, load_profile, junit};
    size_t k = (size_t)arg;
    pthread_barrier_wait(&start);
    return work[k]() ? NULL : (void *)1;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: xmlthreads TRANSACTION.xml\n");
        return 2;
    }
    xml_path = argv[1];
    pthread_t th[NTHREADS];
    pthread_barrier_init(&start, NULL, NTHREADS);
    for (size_t k = 0; k < NTHREADS; k++)
        if (pthread_create(&th[k], NULL, run, (void *)k) != 0) {
            fprintf(stderr, "xmlthreads: cannot start a thread\n");
            return 2;
        }
    int failed = 0;
    for (size_t k = 0; k < NTHREADS; k++) {
        void *rc = NULL;
        pthread_join(th[k], &rc);
        if (rc) {
            fprintf(stderr, "xmlthreads: thread %zu's work failed\n", k);
            failed = 1;
        }
    }
    pthread_barrier_destroy(&start);
    return failed;
}
