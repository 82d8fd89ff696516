/* libFuzzer target for SIB profile files (XML + XSD validation through libxml2). Property: a
 * profile loads or is refused with PROFILE_INVALID; one that loads validates a transaction. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "ebts.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char txn[] = "1.001:58\x1d" "1.002:0500\x1d" "1.003:1\x1f" "1\x1e" "2\x1f" "00\x1d"
                          "1.004:ERRT\x1c" "2.001:29\x1d" "2.002:00\x1d" "2.060:E0001 X\x1c";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ebts_error err;
    memset(&err, 0, sizeof err);
    ebts_profile *p = ebts_profile_load_buffer(data, size, &err);
    if (!p) {
        if (!err.code || (strcmp(err.code, "PROFILE_INVALID") && strcmp(err.code, "OUT_OF_MEMORY")))
            abort();
        return 0;
    }
    ebts_txn *t = ebts_read_buffer(txn, sizeof txn - 1, 0, NULL);
    ebts_report *r = ebts_validate(t, p, NULL);
    if (!r)
        abort();
    ebts_report_free(r);
    ebts_txn_free(t);
    ebts_profile_free(p);
    return 0;
}
