/* Lookups in the built-in rule tables: the mnemonic and name of a field, for the writers and
 * the diff that show them to people (the EBTS 9.1 table, sorted by type and field). */
#include "rules.h"

static const ebts__field_rule *rule_91(unsigned rtype, unsigned field)
{
    size_t lo = 0, hi = ebts__rules_91_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const ebts__field_rule *x = &ebts__rules_91[mid];
        if (x->rtype < rtype || (x->rtype == rtype && x->field < field))
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < ebts__rules_91_count && ebts__rules_91[lo].rtype == rtype &&
        ebts__rules_91[lo].field == field)
        return &ebts__rules_91[lo];
    return NULL;
}

void ebts__field_names(unsigned rtype, unsigned field, const char **mnem, const char **desc)
{
    const ebts__field_rule *x = rule_91(rtype, field);
    const char *m = x ? x->mnem : NULL, *d = x ? x->desc : NULL;
    /* the fields every tagged record has, whether the table lists its type or not */
    if (field == 1)
        m = "LEN", d = "Logical Record Length";
    else if (field == 2 && rtype != 1)
        m = "IDC", d = "Information Designation Character";
    else if (field == 999 && !x)
        m = "DATA", d = "Image or other binary data";
    if (mnem)
        *mnem = m;
    if (desc)
        *desc = d;
}

const char *ebts__field_mnemonic(unsigned rtype, unsigned field)
{
    const char *m;
    ebts__field_names(rtype, field, &m, NULL);
    return m;
}
