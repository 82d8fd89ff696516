/* Runs every Check suite. CK_FORK etc. are honoured as usual. */
#include <stdlib.h>
#include "testutil.h"

int main(void)
{
    SRunner *sr = srunner_create(suite_frame());
    srunner_add_suite(sr, suite_write());
    srunner_add_suite(sr, suite_edit());
    srunner_add_suite(sr, suite_readable());
    srunner_add_suite(sr, suite_json());
    srunner_add_suite(sr, suite_source());
    srunner_add_suite(sr, suite_diag());
    srunner_add_suite(sr, suite_validate());
    srunner_add_suite(sr, suite_ident());
    srunner_add_suite(sr, suite_diff());
    srunner_add_suite(sr, suite_xml());
    srunner_add_suite(sr, suite_xmlwrite());
    srunner_add_suite(sr, suite_conformance());
    srunner_add_suite(sr, suite_api());
    srunner_add_suite(sr, suite_templates());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
