/* libFuzzer target for the 2.075 IDR/IAR parser and composer. Properties: parsing never fails
 * but for memory; composing what was parsed gives text that parses to the same encounters. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ebts.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int same(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ebts_ers *e = ebts_ers_parse(data, size, NULL);
    if (!e)
        abort();
    const ebts_idr *d = ebts_ers_idr(e);
    const ebts_iar *a = ebts_ers_iar(e);
    size_t n;
    char *text = ebts_ers_compose(d, a, &n, NULL);
    if (!text)
        abort();
    ebts_ers *e2 = ebts_ers_parse(text, n, NULL);
    const ebts_idr *d2 = ebts_ers_idr(e2);
    /* encounters survive a compose/parse round trip when their values are single-line text
     * without the separators of the layout itself */
    int plain = 1;
    for (size_t i = 0; i < d->nencounters; i++) {
        const char *v[5] = {d->encounters[i].eid, d->encounters[i].name, d->encounters[i].dob,
                            d->encounters[i].pob, d->encounters[i].sex};
        for (int k = 0; k < 5; k++)
            if (!v[k] || !*v[k] || strpbrk(v[k], "=*\t") || strstr(v[k], "  ") ||
                strlen(v[k]) > 60)
                plain = 0;
    }
    if (plain && d->match >= 0 && d2->nencounters == d->nencounters) {
        for (size_t i = 0; i < d->nencounters; i++)
            if (!same(d->encounters[i].eid, d2->encounters[i].eid) ||
                !same(d->encounters[i].name, d2->encounters[i].name)) {
                fprintf(stderr, "fuzz_ers: encounter %zu changed in a round trip\n", i);
                abort();
            }
    }
    ebts_ers_free(e2);
    ebts_free(text);
    ebts_ers_free(e);
    return 0;
}
