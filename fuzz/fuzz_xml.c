/* libFuzzer target for the XML reader. Properties: no crash or leak; what it reads writes back
 * to XML, EBTS 11.2 and EBTS 10.0, that reads to the same transaction (no difference). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include "ebts.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* t written as XML of one version and read back: no difference. */
static void round_trip(const ebts_txn *t, unsigned version, const char *name)
{
    unsigned char *xml;
    size_t n;
    if (ebts_write_buffer(t, EBTS_FORMAT_XML | version, &xml, &n, NULL) != 0)
        abort();
    ebts_txn *u = ebts_read_buffer(xml, n, EBTS_READ_XML, NULL);
    if (!u) {
        fprintf(stderr, "fuzz_xml: written EBTS %s XML does not read back\n", name);
        abort();
    }
    /* the XML derives CNT and carries no bytes that were not read as records */
    ebts_diff_options dopt = {EBTS_DIFF_RECORDS_ONLY, NULL, 0};
    ebts_diff_result *d = ebts_diff(t, u, &dopt, NULL);
    if (ebts_diff_count(d) != 0) {
        char line[512];
        fprintf(stderr, "fuzz_xml: EBTS %s XML round trip differs: %s\n", name,
                ebts_difference_format(ebts_diff_at(d, 0), 0, line, sizeof line));
        abort();
    }
    ebts_diff_free(d);
    ebts_txn_free(u);
    ebts_free(xml);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ebts_read_options o;
    ebts_read_options_init(&o, EBTS_READ_XML);
    o.max_input = 1 << 22;
    ebts_txn *t = ebts_read_buffer_opts(data, size, &o, NULL);
    if (!t)
        return 0;
    round_trip(t, 0, "11.2");
    round_trip(t, EBTS_WRITE_XML_10, "10.0");
    ebts_txn_free(t);
    return 0;
}
