/* The XML writer: a transaction in the ANSI/NIST-ITL 1-2011 XML encoding of the FBI's EBTS XML
 * IEPDs, EBTS 11.2 (NIEM 4.0, the default) or EBTS 10.0 (NIEM 2.0, EBTS_WRITE_XML_10), through
 * the tables tools/gen-xml-map.py generates from the FBI's templates and XSDs (lib/xmlmap.c).
 *
 * A record becomes its itl:Package...Record element; each field, subfield and item the element
 * of its table leaf, in the XSD's order (the table's rank), the subfield as the occurrence of the
 * leaf's rep element, a group of items as that of its grp element; values take their XML forms
 * (dates, date-times, booleans, VER split, names split, parts of one item split, base64). Type-4
 * and Type-7 records are written from their binary header.
 *
 * Lossless: a field the tables cannot carry exactly (no element, a value that does not convert,
 * bytes XML text cannot hold, a second occurrence of its number, subfields where its element
 * does not repeat) goes to <lebts:Field tag="T.N" encoding="text|base64"> at the end of its
 * record, and a record with no element to <lebts:Record type="N" encoding="base64"> (namespace
 * urn:libebts:xml:1). An empty last item is an empty element, which reads back as one.
 *
 * Valid: the FBI's schema says what each element requires and allows; where the transaction does
 * not give it (a required element without its field, a value outside its element's type, more
 * occurrences than allowed, something carried in lebts:) the writer invents nothing and says so
 * (XML_REQUIRED_MISSING, XML_OUTSIDE_SCHEMA, XML_FIELD_CARRIED, XML_RECORD_CARRIED,
 * XML_VALUE_CARRIED). A document written without any of these validates against the XSD of its
 * version (tests/test_xmlwrite.c checks every FBI template and fixture). ebts_txn_xml_report
 * walks the same way without writing.
 *
 * Streaming: the elements, their escaped text and an image's base64 go straight into the output
 * buffer (see "output" below), so the peak memory is about the output. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xmlapi.h"
#include "internal.h"
#include "xmlmap.h"

#define LEBTS_NS "urn:libebts:xml:1"

/* One leaf element's text: the span of the value it comes from (converted when written). */
typedef struct xval {
    int leaf;            /* table node */
    uint32_t sub, grp;   /* the occurrence of the leaf's rep element, and of its grp element */
    uint32_t item;       /* the item it holds (findings) */
    uint32_t seq;        /* the order it was placed in (a stable sort) */
    uint32_t off;        /* its field's offset in the input (findings) */
    ebts_span text;
} xval;

/* A field as the writer sees it: a tagged record's field, or one of a binary record's header
 * values (one item per subfield). */
typedef struct xfield {
    unsigned number;
    const ebts_field *f;
    ebts_span v[6];
    size_t nv;
    int binary;          /* the bytes of an image, for base64 only */
} xfield;

/* A type's facets made ready for the values checked against it, on its first use: its
 * enumeration sorted (or, for a numeric type, as numbers) and its numeric bounds. */
typedef struct tcache {
    int ready;
    size_t nenum;
    ebts_span *enums;    /* by length, then bytes */
    double *nums;        /* the values of a numeric type's enumeration that are numbers */
    double min, max;
} tcache;

typedef struct re_entry {
    const char *pat;
    xmlRegexpPtr re;
} re_entry;

typedef struct X {
    const ebts__xmap *m;
    const ebts_txn *t;
    ebts__buf *out;       /* NULL: the findings only */
    const char *open[64]; /* the elements open, outermost first (OUT_DEPTH) */
    int odepth, tag_open, doindent;
    ebts__dlist *dl;
    int oom, werr;
    re_entry *res;
    size_t nres, capres;
    tcache *tc;           /* per type of the tables */
    int *kids, *kidat;    /* each node's children in rank order at kids + kidat[node] */
    unsigned char *isrep, *isgrp;
    /* the record being written */
    size_t ri;
    unsigned rtype;
    int root;
    xval *v;
    size_t nv, capv;
    int *lo;              /* per node: its values are v[lo[k] .. lo[k + 1]) once sorted */
    uint32_t *nrep;       /* per rep element: the occurrences its fields fill */
    int *erep;            /* per leaf: the element each subfield is an occurrence of */
    uint32_t *present;    /* the field numbers of the record, sorted, once each */
    size_t npresent;
    int defer;            /* placing: wait when a value has a choice of places */
    unsigned char *excl;  /* per node: under an alternative of a choice not taken */
    unsigned char *said;  /* per node: XML_REQUIRED_MISSING said for this record */
    unsigned char *emitted;
    int stack_node[64];
    uint32_t stack_inst[64];
    int depth;
    char scratch[96];     /* a value's converted text */
    char quote[48];       /* a value in a message */
    size_t rec_off;       /* the record's offset in the input, and the field's being placed */
    uint32_t field_off;
    char hdr[12][8];      /* a binary record's header values as text */
} X;

/* ------------------------------------------------------------------------- values and text */

static int all_digits(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] < '0' || p[i] > '9')
            return 0;
    return 1;
}

/* Bytes an XML 1.0 document can hold as text: well-formed UTF-8 of characters XML allows. */
static int is_xml_text(const unsigned char *p, size_t n)
{
    size_t a = 0; /* the ASCII run first: XML allows all of it but the controls other than TAB,
                   * LF, CR */
    while (a < n && p[a] < 0x80 && (p[a] >= 0x20 || p[a] == '\t' || p[a] == '\n' || p[a] == '\r'))
        a++;
    for (size_t i = a; i < n;) {
        unsigned cp;
        size_t k = ebts__utf8_seq(p + i, n - i, &cp);
        if (k == 0 || (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0xfffe ||
            cp == 0xffff)
            return 0;
        i += k;
    }
    return 1;
}

/* Name parts of "SURNAME,GIVEN MIDDLE" (given, middle, surname); 1 when joining them the way
 * the reader does gives the value back exactly. */
static int split_name(ebts_span v, ebts_span part[3])
{
    const unsigned char *comma = v.len ? memchr(v.ptr, ',', v.len) : NULL;
    if (!comma || comma == v.ptr)
        return 0;
    part[2] = (ebts_span){v.ptr, (size_t)(comma - v.ptr)};
    const unsigned char *g = comma + 1, *end = v.ptr + v.len;
    const unsigned char *sp = memchr(g, ' ', (size_t)(end - g));
    part[0] = (ebts_span){g, sp ? (size_t)(sp - g) : (size_t)(end - g)};
    part[1] = sp ? (ebts_span){sp + 1, (size_t)(end - sp - 1)} : (ebts_span){NULL, 0};
    if (part[0].len == 0 || (sp && part[1].len == 0))
        return 0;
    /* "A,B C" joins back; "A, B" or "A,B  C" would not: a part begins with no space */
    return part[1].len == 0 || part[1].ptr[0] != ' ';
}

/* The XML text of a value in conversion conv, in buf when it differs from the value's own
 * bytes; 0 when the value has no such form. */
static int convert(int conv, ebts_span v, char *buf, size_t size, ebts_span *out)
{
    switch (conv) {
    case EBTS__XC_DATE:
        if (v.len != 8 || !all_digits(v.ptr, 8) || size < 11)
            return 0;
        memcpy(buf, v.ptr, 4); /* YYYY-MM-DD */
        buf[4] = '-';
        memcpy(buf + 5, v.ptr + 4, 2);
        buf[7] = '-';
        memcpy(buf + 8, v.ptr + 6, 2);
        buf[10] = 0;
        *out = (ebts_span){(const unsigned char *)buf, 10};
        return 1;
    case EBTS__XC_DATETIME:
        if (v.len != 15 || !all_digits(v.ptr, 14) || v.ptr[14] != 'Z' || size < 21)
            return 0;
        memcpy(buf, "YYYY-MM-DDThh:mm:ssZ", 21);
        memcpy(buf, v.ptr, 4);
        for (int i = 0; i < 5; i++) /* MM DD hh mm ss */
            memcpy(buf + 5 + 3 * i, v.ptr + 4 + 2 * i, 2);
        *out = (ebts_span){(const unsigned char *)buf, 20};
        return 1;
    case EBTS__XC_BOOL:
        if (v.len != 1 || (v.ptr[0] != 'Y' && v.ptr[0] != 'N'))
            return 0;
        *out = v.ptr[0] == 'Y' ? (ebts_span){(const unsigned char *)"true", 4}
                               : (ebts_span){(const unsigned char *)"false", 5};
        return 1;
    case EBTS__XC_INT2: { /* "03" is 3; "3" would read back as "03" */
        size_t z = 0;
        if (v.len < 2 || !all_digits(v.ptr, v.len))
            return 0;
        while (v.len - z > 1 && v.ptr[z] == '0')
            z++;
        if (z > 0 && v.len != 2)
            return 0;
        *out = (ebts_span){v.ptr + z, v.len - z};
        return 1;
    }
    case EBTS__XC_PCT: { /* "10" is .10, "100" 1; "5" would read back as "05" */
        if (v.len < 2 || v.len > 3 || !all_digits(v.ptr, v.len) || (v.len == 3 && v.ptr[0] != '1'))
            return 0;
        int pct = (v.ptr[0] - '0') * 10 + (v.ptr[1] - '0');
        if (v.len == 3)
            pct = pct * 10 + (v.ptr[2] - '0');
        if (pct > 100)
            return 0;
        if (pct == 100)
            snprintf(buf, size, "1");
        else
            snprintf(buf, size, ".%02d", pct);
        *out = (ebts_span){(const unsigned char *)buf, strlen(buf)};
        return 1;
    }
    case EBTS__XC_CGA: {
        const char *num = ebts__xml_cga_number(v.ptr, v.len);
        if (!num)
            return 0;
        *out = (ebts_span){(const unsigned char *)num, strlen(num)};
        return 1;
    }
    case EBTS__XC_TOKEN: /* only a value the schema's white space collapse leaves as it is */
        for (size_t i = 0; i < v.len; i++)
            if (v.ptr[i] == '\t' || v.ptr[i] == '\n' || v.ptr[i] == '\r' ||
                (v.ptr[i] == ' ' && (i == 0 || i + 1 == v.len || v.ptr[i + 1] == ' ')))
                return 0;
        if (!is_xml_text(v.ptr, v.len))
            return 0;
        *out = v;
        return 1;
    case EBTS__XC_BASE64:
        *out = v;
        return 1;
    default:
        if (!is_xml_text(v.ptr, v.len))
            return 0;
        *out = v;
        return 1;
    }
}

/* ------------------------------------------------------------- the XSD's simple types */

/* The value as the schema sees it: whiteSpace replace (1) or collapse (2) applied. */
static size_t whitespace(int ws, const unsigned char *p, size_t n, char *out)
{
    size_t k = 0;
    int space = 0;
    for (size_t i = 0; i < n; i++) {
        int c = p[i] == '\t' || p[i] == '\n' || p[i] == '\r' ? ' ' : p[i];
        if (ws == 2 && c == ' ') {
            space = k > 0;
            continue;
        }
        if (space)
            out[k++] = ' ';
        space = 0;
        out[k++] = (char)(ws ? c : p[i]);
    }
    return k;
}

static int digits(const char *s, size_t n)
{
    return n > 0 && all_digits((const unsigned char *)s, n);
}

static int day_ok(const char *s) /* YYYY-MM-DD */
{
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (!digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) || s[7] != '-' || !digits(s + 8, 2))
        return 0;
    int y = atoi(s), mo = (s[5] - '0') * 10 + (s[6] - '0'), d = (s[8] - '0') * 10 + (s[9] - '0');
    if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1])
        return 0;
    return !(mo == 2 && d == 29 && (y % 4 != 0 || (y % 100 == 0 && y % 400 != 0)));
}

static int time_ok(const char *s, size_t n) /* hh:mm:ss[.s+] */
{
    if (n < 8 || !digits(s, 2) || s[2] != ':' || !digits(s + 3, 2) || s[5] != ':' ||
        !digits(s + 6, 2) || atoi(s) > 24 || atoi(s + 3) > 59 || atoi(s + 6) > 60)
        return 0;
    return n == 8 || (s[8] == '.' && digits(s + 9, n - 9));
}

/* An optional time zone at the end: Z or +hh:mm / -hh:mm; the length before it. */
static size_t strip_zone(const char *s, size_t n)
{
    if (n >= 1 && s[n - 1] == 'Z')
        return n - 1;
    if (n >= 6 && (s[n - 6] == '+' || s[n - 6] == '-') && digits(s + n - 5, 2) && s[n - 3] == ':' &&
        digits(s + n - 2, 2))
        return n - 6;
    return n;
}

/* A decimal number: sign, digits, an optional point and digits; *frac the digits after the
 * point that count (trailing zeros do not). */
static int decimal_ok(const char *s, size_t n, int integer, int *frac)
{
    size_t i = n && (s[0] == '+' || s[0] == '-');
    size_t a = i;
    while (i < n && s[i] >= '0' && s[i] <= '9')
        i++;
    size_t whole = i - a, fr = 0;
    *frac = 0;
    if (i < n && s[i] == '.' && !integer) {
        size_t b = ++i;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
        fr = i - b;
        while (fr && s[b + fr - 1] == '0')
            fr--;
        *frac = (int)fr;
        if (whole == 0 && i == b)
            return 0;
    } else if (whole == 0) {
        return 0;
    }
    return i == n;
}

static int lexical_ok(int base, const char *s, size_t n, int *frac)
{
    *frac = 0;
    switch (base) {
    case EBTS__XB_BOOLEAN:
        return (n == 4 && memcmp(s, "true", 4) == 0) || (n == 5 && memcmp(s, "false", 5) == 0) ||
               (n == 1 && (s[0] == '0' || s[0] == '1'));
    case EBTS__XB_DATE:
        n = strip_zone(s, n);
        return n == 10 && day_ok(s);
    case EBTS__XB_DATETIME:
        n = strip_zone(s, n);
        return n >= 19 && day_ok(s) && s[10] == 'T' && time_ok(s + 11, n - 11);
    case EBTS__XB_TIME:
        return time_ok(s, strip_zone(s, n));
    case EBTS__XB_GYEAR:
        return strip_zone(s, n) == 4 && digits(s, 4);
    case EBTS__XB_GYEARMONTH:
        n = strip_zone(s, n);
        return n == 7 && digits(s, 4) && s[4] == '-' && digits(s + 5, 2) && atoi(s + 5) >= 1 &&
               atoi(s + 5) <= 12;
    case EBTS__XB_INTEGER:
        return decimal_ok(s, n, 1, frac);
    case EBTS__XB_DECIMAL:
        return decimal_ok(s, n, 0, frac);
    case EBTS__XB_DOUBLE: {
        if ((n == 3 && (memcmp(s, "INF", 3) == 0 || memcmp(s, "NaN", 3) == 0)) ||
            (n == 4 && memcmp(s, "-INF", 4) == 0))
            return 1;
        const char *e = memchr(s, 'e', n);
        if (!e)
            e = memchr(s, 'E', n);
        size_t m = e ? (size_t)(e - s) : n;
        int f2;
        return decimal_ok(s, m, 0, frac) &&
               (!e || decimal_ok(e + 1, n - m - 1, 1, &f2));
    }
    case EBTS__XB_HEX:
        for (size_t i = 0; i < n; i++)
            if (!((s[i] >= '0' && s[i] <= '9') || ((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'f')))
                return 0;
        return n % 2 == 0;
    default:
        return 1;
    }
}

static int numeric(int base)
{
    return base == EBTS__XB_INTEGER || base == EBTS__XB_DECIMAL || base == EBTS__XB_DOUBLE;
}

static double number(const char *s, size_t n)
{
    char b[64];
    size_t k = n < 63 ? n : 63;
    memcpy(b, s, k); /* strtod stops at a NUL inside as the copy up to it did */
    b[k] = 0;
    return strtod(b, NULL);
}

static int cmp_span(const void *a, const void *b)
{
    const ebts_span *x = a, *y = b;
    if (x->len != y->len)
        return x->len < y->len ? -1 : 1;
    return memcmp(x->ptr, y->ptr, x->len);
}

/* Type ti's cache, made ready; NULL without memory. */
static const tcache *type_cache(X *x, int ti)
{
    const ebts__xtype *ty = &x->m->types[ti];
    if (!x->tc && !(x->tc = calloc((size_t)x->m->ntypes, sizeof *x->tc)))
        return NULL;
    tcache *c = &x->tc[ti];
    if (c->ready)
        return c;
    size_t n = 0;
    for (const char *const *e = ty->enums; e && *e; e++)
        n++;
    c->enums = malloc((n ? n : 1) * sizeof *c->enums);
    c->nums = malloc((n ? n : 1) * sizeof *c->nums);
    if (!c->enums || !c->nums) {
        free(c->enums);
        free(c->nums);
        c->enums = NULL;
        c->nums = NULL;
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        const char *e = ty->enums[i];
        size_t el = strlen(e);
        int f2;
        if (!numeric(ty->base))
            c->enums[c->nenum++] = (ebts_span){(const unsigned char *)e, el};
        else if (lexical_ok(ty->base, e, el, &f2))
            c->nums[c->nenum++] = number(e, el);
    }
    if (!numeric(ty->base) && c->nenum > 1)
        qsort(c->enums, c->nenum, sizeof *c->enums, cmp_span);
    c->min = ty->min ? strtod(ty->min, NULL) : 0;
    c->max = ty->max ? strtod(ty->max, NULL) : 0;
    c->ready = 1;
    return c;
}

/* Is s[0..n) one of the enumeration of type ti (for a numeric type: equal as a number)? */
static int in_enums(const tcache *c, int base, const char *s, size_t n)
{
    if (numeric(base)) {
        double d = number(s, n);
        for (size_t i = 0; i < c->nenum; i++)
            if (c->nums[i] == d)
                return 1;
        return 0;
    }
    ebts_span key = {(const unsigned char *)s, n};
    return bsearch(&key, c->enums, c->nenum, sizeof *c->enums, cmp_span) != NULL;
}

static size_t characters(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += ((unsigned char)s[i] & 0xc0) != 0x80;
    return c;
}

static xmlRegexpPtr regex(X *x, const char *pat)
{
    for (size_t i = 0; i < x->nres; i++)
        if (x->res[i].pat == pat)
            return x->res[i].re;
    if (x->nres == x->capres) {
        size_t cap = x->capres ? 2 * x->capres : 8;
        re_entry *r = realloc(x->res, cap * sizeof *r);
        if (!r) {
            x->oom = 1;
            return NULL;
        }
        x->res = r;
        x->capres = cap;
    }
    xmlRegexpPtr re = xmlRegexpCompile((const xmlChar *)pat);
    x->res[x->nres++] = (re_entry){pat, re};
    return re;
}

/* Does the type of index ti accept the text s0[0..n0)? (A pattern libxml2 cannot compile
 * accepts: the writer's check is never stricter than the schema.) */
static int accepts(X *x, int ti, const char *s0, size_t n0)
{
    if (ti < 0 || ti >= x->m->ntypes)
        return 1;
    const ebts__xtype *ty = &x->m->types[ti];
    if (ty->base == EBTS__XB_BASE64)
        return 1;
    if (ty->base == EBTS__XB_UNION) {
        int any = 0;
        for (const int *mb = ty->members; mb && *mb >= 0 && !any; mb++)
            any = accepts(x, *mb, s0, n0);
        if (!any || (!ty->enums && !ty->pats))
            return any;
    }
    char small[256], *s = n0 < sizeof small ? small : malloc(n0 + 1);
    if (!s) {
        x->oom = 1;
        return 1;
    }
    size_t n = whitespace(ty->ws, (const unsigned char *)s0, n0, s);
    s[n] = 0;
    int frac = 0, ok = ty->base == EBTS__XB_UNION || lexical_ok(ty->base, s, n, &frac);
    const tcache *tc = ok && (ty->enums || ty->min || ty->max) ? type_cache(x, ti) : NULL;
    if (ok && (ty->enums || ty->min || ty->max) && !tc) {
        x->oom = 1;
        ok = 0;
    }
    if (ok && ty->enums)
        ok = in_enums(tc, ty->base, s, n);
    if (ok && ty->fracdig >= 0 && frac > ty->fracdig)
        ok = 0;
    if (ok && (ty->minlen >= 0 || ty->maxlen >= 0)) {
        size_t c = ty->base == EBTS__XB_HEX ? n / 2 : characters(s, n); /* octets for hex */
        ok = (ty->minlen < 0 || c >= (size_t)ty->minlen) &&
             (ty->maxlen < 0 || c <= (size_t)ty->maxlen);
    }
    if (ok && numeric(ty->base) && (ty->min || ty->max)) {
        double d = number(s, n);
        if (ty->min)
            ok = ty->minx ? d > tc->min : d >= tc->min;
        if (ok && ty->max)
            ok = ty->maxx ? d < tc->max : d <= tc->max;
    }
    for (const char *const *p = ty->pats; ok && p && *p; p++) {
        xmlRegexpPtr re = regex(x, *p);
        ok = !re || xmlRegexpExec(re, (const xmlChar *)s) == 1;
    }
    if (s != small)
        free(s);
    return ok;
}

/* ------------------------------------------------------------------------------ output */

/* The document is written as libxml2's xmlTextWriter writes it with an indentation of two
 * spaces (which the documents this library wrote before follow): each start tag on a line of its
 * own, indented by its depth; an element's text right after its start tag and its end tag right
 * after the text; an element without content as <name/>. Text is escaped as xmlTextWriter
 * escapes it (& < > " and CR), attribute values as it escapes them (also LF and TAB), up to a
 * NUL where a value has one. Writing it here puts each piece straight into the output, not
 * through libxml2's buffers and the strings it allocates per element. */

#define OUT_DEPTH 64 /* the tables nest far less deep */

/* Room for n more bytes of output: where they go, or NULL. */
static unsigned char *room(X *x, size_t n)
{
    if (ebts__buf_reserve(x->out, n) < 0) {
        x->oom = 1;
        return NULL;
    }
    return x->out->p + x->out->len;
}

static void put(X *x, const char *s, size_t n)
{
    unsigned char *o = room(x, n);
    if (o) {
        memcpy(o, s, n);
        x->out->len += n;
    }
}

/* The start tag of the innermost element closed, for its content. */
static void close_tag(X *x, int newline)
{
    if (x->tag_open) {
        put(x, ">\n", newline ? 2 : 1);
        x->tag_open = 0;
    }
}

static void start(X *x, const char *name)
{
    if (!x->out)
        return;
    if (x->odepth == OUT_DEPTH) {
        x->werr = 1;
        return;
    }
    close_tag(x, 1);
    size_t nl = strlen(name), ind = 2 * (size_t)x->odepth;
    unsigned char *o = room(x, ind + 1 + nl);
    if (!o)
        return;
    memset(o, ' ', ind);
    o[ind] = '<';
    memcpy(o + ind + 1, name, nl);
    x->out->len += ind + 1 + nl;
    x->open[x->odepth++] = name;
    x->tag_open = 1;
}

static void end(X *x)
{
    if (!x->out || x->odepth == 0)
        return;
    const char *name = x->open[--x->odepth];
    if (x->tag_open) {
        put(x, "/>\n", 3);
        x->tag_open = 0;
        x->doindent = 1;
        return;
    }
    size_t nl = strlen(name), ind = x->doindent ? 2 * (size_t)x->odepth : 0;
    unsigned char *o = room(x, ind + 4 + nl);
    if (!o)
        return;
    memset(o, ' ', ind);
    memcpy(o + ind, "</", 2);
    memcpy(o + ind + 2, name, nl);
    memcpy(o + ind + 2 + nl, ">\n", 2);
    x->out->len += ind + 4 + nl;
    x->doindent = 1;
}

/* p[0..n) escaped onto the output, up to a NUL; attr: as an attribute's value. */
static void escaped(X *x, const unsigned char *p, size_t n, int attr)
{
    const unsigned char *nul = memchr(p, 0, n);
    if (nul)
        n = (size_t)(nul - p);
    for (size_t i = 0; i < n;) {
        size_t k = n - i < 4096 ? n - i : 4096; /* "&quot;" is the longest: six per byte */
        unsigned char *o = room(x, 6 * k), *o0 = o;
        if (!o)
            return;
        for (size_t e = i + k; i < e; i++) {
            unsigned char c = p[i];
            const char *rep = c == '&' ? "&amp;" : c == '<' ? "&lt;" : c == '>' ? "&gt;"
                              : c == '"' ? "&quot;" : c == '\r' ? "&#13;"
                              : attr && c == '\n' ? "&#10;" : attr && c == '\t' ? "&#9;" : NULL;
            if (!rep) {
                *o++ = c;
                continue;
            }
            size_t rl = strlen(rep);
            memcpy(o, rep, rl);
            o += rl;
        }
        x->out->len += (size_t)(o - o0);
    }
}

/* Text content, escaped (a CR as &#13;, so that it reads back as CR). */
static void text(X *x, const unsigned char *p, size_t n)
{
    if (!x->out || n == 0)
        return;
    close_tag(x, 0);
    x->doindent = 0;
    escaped(x, p, n, 0);
}

/* An attribute of the element just started. */
static void attribute(X *x, const char *name, const char *value)
{
    if (!x->out || !x->tag_open) {
        x->werr = 1;
        return;
    }
    put(x, " ", 1);
    put(x, name, strlen(name));
    put(x, "=\"", 2);
    escaped(x, (const unsigned char *)value, strlen(value), 1);
    put(x, "\"", 1);
}

/* Bytes as base64, straight into the output. */
static void base64(X *x, const unsigned char *p, size_t n)
{
    if (!x->out || n == 0)
        return;
    close_tag(x, 0);
    x->doindent = 0;
    ebts__base64(x->out, p, n);
    if (x->out->oom)
        x->oom = 1;
}

static void leaf(X *x, const char *name, const char *s)
{
    start(x, name);
    text(x, (const unsigned char *)s, strlen(s));
    end(x);
}

/* ------------------------------------------------------------------------- findings */

static const char *version_name(const X *x)
{
    return x->m->version;
}

static void tagname(unsigned rtype, unsigned field, char *b, size_t size)
{
    snprintf(b, size, "%u.%03u", rtype, field);
}

/* The first leaf under node k, or -1. */
static int first_leaf(const X *x, int k)
{
    for (int i = k; i < x->m->nodes[k].end; i++)
        if (x->m->nodes[i].conv != EBTS__XC_NONE)
            return i;
    return -1;
}

/* The field node k stands for: that of the leaf its required children lead to (1.007 DAI for
 * the destination agency, not its optional 1.017 name), else of its first leaf in schema
 * order; 0 when it has none. */
static unsigned field_of(const X *x, int k)
{
    const ebts__xmap *m = x->m;
    while (m->nodes[k].conv == EBTS__XC_NONE && m->nodes[k].nchild > 0) {
        const int *kid = x->kids + x->kidat[k];
        int next = -1;
        for (int j = 0; j < m->nodes[k].nchild && next < 0; j++)
            if (m->nodes[kid[j]].min >= 1 && first_leaf(x, kid[j]) >= 0)
                next = kid[j];
        for (int j = 0; j < m->nodes[k].nchild && next < 0; j++)
            if (first_leaf(x, kid[j]) >= 0)
                next = kid[j];
        if (next < 0)
            return 0;
        k = next;
    }
    return m->nodes[k].conv == EBTS__XC_NONE ? 0 : m->nodes[k].field;
}

static void required_missing(X *x, int parent, int k)
{
    if (x->said[k])
        return;
    x->said[k] = 1;
    const ebts__xnode *n = &x->m->nodes[k];
    unsigned field = field_of(x, k);
    ebts__diag_add(x->dl, EBTS__C_XML_REQUIRED_MISSING,
                   EBTS__AT_FIELD(x->rec_off, (long)x->ri, x->rtype, field),
                   "the EBTS %s schema requires %s%s in %s, and the transaction has no value for "
                   "it: none is invented, the document does not validate", version_name(x),
                   n->min == 2 ? "one of the alternatives " : "", n->name,
                   parent >= 0 ? x->m->nodes[parent].name : "the document");
}

/* A value for a message: at most 40 characters, anything below a space as '?'. */
static const char *quoted(X *x, const unsigned char *p, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n && k < 40; i++)
        x->quote[k++] = p[i] < 0x20 ? '?' : (char)p[i];
    x->quote[k] = 0;
    return x->quote;
}

static void outside_value(X *x, int k, const xval *v, const unsigned char *p, size_t n)
{
    const ebts__xnode *d = &x->m->nodes[k];
    ebts__diag_add(
        x->dl, EBTS__C_XML_OUTSIDE_SCHEMA,
        EBTS__AT_ITEM(v->off, (long)x->ri, x->rtype, d->field, (long)v->sub, (long)v->item),
        "\"%s\"%s in %s is not a value its type in the EBTS %s schema allows (a code "
        "list, pattern, length or range): written as it is, the document does not "
        "validate",
        quoted(x, p, n), n > 40 ? "..." : "", d->name, version_name(x));
}

static void outside(X *x, int k, const char *what)
{
    const ebts__xnode *d = &x->m->nodes[k];
    ebts__diag_add(x->dl, EBTS__C_XML_OUTSIDE_SCHEMA,
                   EBTS__AT_FIELD(x->rec_off, (long)x->ri, x->rtype, field_of(x, k)),
                   "%s: %s the EBTS %s schema allows there: written, the document does not "
                   "validate", d->name, what, version_name(x));
}

/* ---------------------------------------------------------------------- placing values */

static int add_val(X *x, int leafk, uint32_t sub, uint32_t grp, uint32_t item, ebts_span s)
{
    if (x->nv == x->capv) {
        size_t cap = x->capv ? 2 * x->capv : 64;
        xval *v = realloc(x->v, cap * sizeof *v);
        if (!v) {
            x->oom = 1;
            return -1;
        }
        x->v = v;
        x->capv = cap;
    }
    x->v[x->nv] = (xval){leafk, sub, grp, item, (uint32_t)x->nv, x->field_off, s};
    x->nv++;
    return 0;
}

static size_t xf_nsub(const xfield *f)
{
    return f->f ? ebts__nsub(f->f) : f->nv;
}

static size_t xf_nitems(const xfield *f, size_t s)
{
    return f->f ? ebts__items_in(f->f, s) : 1;
}

static ebts_span xf_item(const xfield *f, size_t s, size_t i)
{
    if (f->f)
        return f->f->flags & EBTS__F_BINARY ? (ebts_span){f->f->val, f->f->len}
                                            : ebts__item(f->f, s, i);
    return f->v[s];
}

/* Why a field is carried, for its finding. */
enum { WHY_NONE, WHY_NO_ELEMENT, WHY_FORM, WHY_NOT_TEXT, WHY_EMPTY, WHY_REPEATS, WHY_DEFER,
       WHY_APART };

/* Does leaf k take value v (its conversion succeeds)? Its type's verdict in *typed. */
static int takes(X *x, int k, ebts_span v, int *typed)
{
    const ebts__xnode *n = &x->m->nodes[k];
    ebts_span out;
    if (!convert(n->conv, v, x->scratch, sizeof x->scratch, &out))
        return 0;
    *typed = n->conv == EBTS__XC_BASE64 || accepts(x, n->type, (const char *)out.ptr, out.len);
    return 1;
}

/* Does the record have a field, other than `number`, with a leaf under node a? */
static int holds_others(const X *x, int a, unsigned number)
{
    const ebts__xmap *m = x->m;
    for (int k = a; k < m->nodes[a].end; k++) {
        unsigned f = m->nodes[k].field;
        if (m->nodes[k].conv == EBTS__XC_NONE || f == number)
            continue;
        size_t lo = 0, hi = x->npresent;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (x->present[mid] < f)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo < x->npresent && x->present[lo] == f)
            return 1;
    }
    return 0;
}

/* The child of the nearest common ancestor of a and b on the way to a. */
static int branch_of(const X *x, int a, int b)
{
    const ebts__xmap *m = x->m;
    int k = a;
    while (m->nodes[k].parent >= 0) {
        int p = m->nodes[k].parent;
        if (p <= b && b < m->nodes[p].end)
            return k;
        k = p;
    }
    return k;
}

/* Has a value of the record been placed under node a? */
static int holds_placed(const X *x, int a)
{
    for (size_t i = 0; i < x->nv; i++)
        if (x->v[i].leaf >= a && x->v[i].leaf < x->m->nodes[a].end)
            return 1;
    return 0;
}

/* Elements the schema requires on the way from a down to leaf k (beside that way) that hold
 * no value placed: what putting a value at k alone would leave missing. */
static int missing_on_way(const X *x, int a, int k)
{
    const ebts__xmap *m = x->m;
    int n = 0;
    for (int p = m->nodes[k].parent; p >= a && p >= 0; p = m->nodes[p].parent) {
        const int *kid = x->kids + x->kidat[p];
        for (int j = 0; j < m->nodes[p].nchild; j++) {
            int c = kid[j];
            if (m->nodes[c].min == 1 && !(c <= k && k < m->nodes[c].end) && !holds_placed(x, c))
                n++;
        }
        if (p == a)
            break;
    }
    return n;
}

/* Of the candidate leaves c[0..nc) (one part of an item, the same element in several places),
 * the one taking v: one whose type accepts it, among those the one beside the record's other
 * values (2.038 DPR with the finger positions it dates), else beside its other fields, else the
 * first; else the first that converts it; -1 when none converts it, -2 while x->defer asks to
 * wait for the other fields' values before choosing among several. */
static int pick(X *x, const int *c, size_t nc, ebts_span v, int *typed)
{
    int conv_only = -1, best = -1, best_beside = 0, best_rank = 0, best_miss = 0, ntyped = 0;
    for (size_t i = 0; i < nc; i++) {
        int ok;
        if (!takes(x, c[i], v, &ok))
            continue;
        if (!ok) {
            if (conv_only < 0)
                conv_only = c[i];
            continue;
        }
        int beside = 0, rank = 0, miss = 0;
        ntyped++;
        for (size_t j = 0; j < nc && nc > 1; j++)
            if (j != i) {
                int a = branch_of(x, c[i], c[j]);
                int b = 2 * holds_placed(x, a) + holds_others(x, a, x->m->nodes[c[i]].field);
                beside = b > beside ? b : beside;
                rank = x->m->nodes[a].rank;
                miss = missing_on_way(x, a, c[i]);
            }
        /* beside the most; then where the schema misses the least; then the first in its order */
        if (best < 0 || beside > best_beside ||
            (beside == best_beside &&
             (miss < best_miss || (miss == best_miss && rank < best_rank)))) {
            best = c[i];
            best_beside = beside;
            best_rank = rank;
            best_miss = miss;
        }
    }
    if (x->defer && ntyped > 1)
        return -2;
    *typed = best >= 0;
    return best >= 0 ? best : conv_only;
}

/* The parts in mask (bit p: part p is there) of v, as the reader joins them: each after the
 * first preceded by its separator, found at its first occurrence. 0 when v is not so made. */
static int split_parts(const char *const *sep, int np, unsigned mask, ebts_span v, ebts_span *tok)
{
    size_t at = 0;
    for (int p = 0; p < np; p++) {
        tok[p] = (ebts_span){NULL, 0};
        if (!(mask & 1u << p))
            continue;
        int q = p + 1;
        while (q < np && !(mask & 1u << q))
            q++;
        if (q == np) {
            tok[p] = (ebts_span){v.ptr + at, v.len - at};
            return tok[p].len > 0;
        }
        size_t sl = strlen(sep[q]), i = at;
        while (sl && i + sl <= v.len && memcmp(v.ptr + i, sep[q], sl) != 0)
            i++;
        if (!sl || i + sl > v.len || i == at)
            return 0;
        tok[p] = (ebts_span){v.ptr + at, i - at};
        at = i + sl;
    }
    return 0;
}

static int bits(unsigned m)
{
    int n = 0;
    for (; m; m &= m - 1)
        n++;
    return n;
}

/* An item holding several parts (an address, a range, a print position descriptor): split as
 * the reader joins them, the most parts first, when each part's type accepts its piece (parts
 * without separators, a range, in equal lengths); else the whole value goes to the first part
 * that takes it, which reads back the same. */
static int place_parts(X *x, const int *c, size_t nc, uint32_t s, uint32_t g, uint32_t item,
                       ebts_span v)
{
    const ebts__xmap *m = x->m;
    int np = 0, any_sep = 0;
    const char *sep[8] = {"", "", "", "", "", "", "", ""};
    for (size_t i = 0; i < nc; i++) {
        int p = m->nodes[c[i]].part;
        np = p + 1 > np ? p + 1 : np;
        if (p < 8) {
            sep[p] = m->nodes[c[i]].sep;
            any_sep |= p > 0 && sep[p][0];
        }
    }
    ebts_span tok[8];
    int chosen[8];
    unsigned full = np <= 8 ? (1u << np) - 1 : 0;
    for (int want = np; want > 0 && v.len && full; want--) {
        for (unsigned r = full; r > 0; r--) {
            /* of as many parts, the earlier ones first: an address without its ZIP code
             * before one without its state */
            unsigned mask = 0;
            for (int p = 0; p < np; p++)
                if (r & 1u << p)
                    mask |= 1u << (np - 1 - p);
            if (bits(mask) != want || (!any_sep && mask != full))
                continue;
            if (any_sep ? !split_parts(sep, np, mask, v, tok) : v.len % (size_t)np != 0)
                continue;
            if (!any_sep)
                for (int p = 0; p < np; p++)
                    tok[p] =
                        (ebts_span){v.ptr + (size_t)p * (v.len / (size_t)np), v.len / (size_t)np};
            int ok = 1;
            for (int p = 0; p < np && ok; p++) {
                chosen[p] = -1;
                if (!(mask & 1u << p))
                    continue;
                int list[32], nl = 0, typed;
                for (size_t i = 0; i < nc && nl < 32; i++)
                    if (m->nodes[c[i]].part == p)
                        list[nl++] = c[i];
                chosen[p] = pick(x, list, (size_t)nl, tok[p], &typed);
                if (chosen[p] == -2)
                    return WHY_DEFER;
                ok = chosen[p] >= 0 && typed;
            }
            if (!ok)
                continue;
            for (int p = 0; p < np; p++)
                if (chosen[p] >= 0 && add_val(x, chosen[p], s, g, item, tok[p]) < 0)
                    return -1;
            return 0;
        }
        if (!any_sep)
            break;
    }
    /* whole: the first part (in part order) whose leaf takes it, its type's choice first */
    int best = -1, typed_best = 0;
    for (int p = 0; p < np && !typed_best; p++)
        for (size_t i = 0; i < nc; i++) {
            int typed;
            if (m->nodes[c[i]].part != p || !takes(x, c[i], v, &typed))
                continue;
            if (best < 0 || (typed && !typed_best)) {
                best = c[i];
                typed_best = typed;
            }
        }
    if (best < 0)
        return WHY_FORM;
    return add_val(x, best, s, g, item, v);
}

/* Item `item` (value v) of subfield s of a field, among the candidate leaves c[0..nc). 0 when
 * placed, -1 without memory, else a WHY_ reason. */
static int place_item(X *x, const int *c, size_t nc, uint32_t s, uint32_t g, uint32_t item,
                      ebts_span v, int binary)
{
    const ebts__xmap *m = x->m;
    int name = 0, ver = 0, parts = 0, b64 = -1;
    for (size_t i = 0; i < nc; i++) {
        int conv = m->nodes[c[i]].conv;
        name |= conv == EBTS__XC_GIVEN || conv == EBTS__XC_MIDDLE || conv == EBTS__XC_SUR;
        ver |= conv == EBTS__XC_VER_MAJ || conv == EBTS__XC_VER_MIN;
        parts |= m->nodes[c[i]].part > 0;
        if (conv == EBTS__XC_BASE64 && b64 < 0)
            b64 = c[i];
    }
    if (binary)
        return b64 < 0 ? WHY_NOT_TEXT : add_val(x, b64, s, g, item, v);
    if (b64 >= 0 && nc == 1)
        return add_val(x, b64, s, g, item, v);
    if (!is_xml_text(v.ptr, v.len))
        return WHY_NOT_TEXT;
    if (name) {
        ebts_span part[3];
        int lk[3] = {-1, -1, -1};
        for (size_t i = 0; i < nc; i++) {
            int conv = m->nodes[c[i]].conv;
            if (conv >= EBTS__XC_GIVEN && conv <= EBTS__XC_SUR && lk[conv - EBTS__XC_GIVEN] < 0)
                lk[conv - EBTS__XC_GIVEN] = c[i];
        }
        if (!split_name(v, part) || lk[0] < 0 || lk[2] < 0 || (part[1].len && lk[1] < 0))
            return WHY_FORM;
        for (int k = 0; k < 3; k++)
            if (part[k].len && add_val(x, lk[k], s, g, item, part[k]) < 0)
                return -1;
        return 0;
    }
    if (ver) {
        if (v.len != 4 || !all_digits(v.ptr, 4))
            return WHY_FORM;
        for (size_t i = 0; i < nc; i++) {
            int conv = m->nodes[c[i]].conv;
            if ((conv == EBTS__XC_VER_MAJ || conv == EBTS__XC_VER_MIN) &&
                add_val(x, c[i], s, g, item,
                        (ebts_span){v.ptr + (conv == EBTS__XC_VER_MIN ? 2 : 0), 2}) < 0)
                return -1;
        }
        return 0;
    }
    if (parts)
        return place_parts(x, c, nc, s, g, item, v);
    int typed, k = pick(x, c, nc, v, &typed);
    if (k < 0)
        return k == -2 ? WHY_DEFER : WHY_FORM;
    return add_val(x, k, s, g, item, v);
}

/* The leaves of field `number` under the record's element, not under an alternative not taken. */
static size_t leaves_of(X *x, unsigned number, int *out, size_t cap)
{
    const ebts__xmap *m = x->m;
    size_t n = 0;
    for (int k = x->root; k < m->nodes[x->root].end; k++) {
        const ebts__xnode *d = &m->nodes[k];
        if (d->conv == EBTS__XC_NONE || d->conv == EBTS__XC_RCC || d->conv == EBTS__XC_CNT ||
            d->conv == EBTS__XC_CONST || d->field != number || x->excl[k])
            continue;
        if (n < cap)
            out[n++] = k;
    }
    return n;
}

/* A value placed from v[keep] on at a by_child leaf whose subfield puts nothing under that
 * child: the reader would take the leaf for its other field (a PAT finger number without its
 * pattern code, for FGP). WHY_APART then, else 0. */
static int without_child(const X *x, size_t keep)
{
    const ebts__xmap *m = x->m;
    for (size_t i = keep; i < x->nv; i++) {
        int c = m->nodes[x->v[i].leaf].by_child, beside = 0;
        for (size_t j = keep; c >= 0 && j < x->nv && !beside; j++)
            beside = x->v[j].sub == x->v[i].sub && x->v[j].leaf >= c &&
                     x->v[j].leaf < m->nodes[c].end;
        if (c >= 0 && !beside)
            return WHY_APART;
    }
    return 0;
}

/* Place every value of field f; on failure nothing of it stays placed. 0, -1 (no memory) or
 * the reason it is carried. */
static int place_field(X *x, const xfield *f)
{
    const ebts__xmap *m = x->m;
    int lv[256];
    size_t nl = leaves_of(x, f->number, lv, sizeof lv / sizeof lv[0]);
    if (nl == 0)
        return WHY_NO_ELEMENT;
    size_t keep = x->nv, nsub = xf_nsub(f);
    int why = 0;
    for (size_t s = 0; s < nsub && !why; s++) {
        size_t nit = xf_nitems(f, s);
        for (size_t i = 0; i < nit && !why; i++) {
            ebts_span v = xf_item(f, s, i);
            if (v.len == 0 && i + 1 < nit)
                continue; /* an empty item between others: the reader puts it back */
            int c[64];
            size_t nc = 0;
            uint32_t g = 0;
            for (size_t j = 0; j < nl && nc < 64; j++) {
                const ebts__xnode *d = &m->nodes[lv[j]];
                if (d->grp < 0
                        ? (size_t)d->item == i
                        : d->tail_len > 0 && i >= (size_t)d->tail_base &&
                              (i - (size_t)d->tail_base) % (size_t)d->tail_len == (size_t)d->item) {
                    c[nc++] = lv[j];
                    if (d->grp >= 0)
                        g = (uint32_t)((i - (size_t)d->tail_base) / (size_t)d->tail_len);
                }
            }
            if (nc == 0) {
                /* the last item, empty, needs an empty element to be read back */
                why = v.len ? WHY_NO_ELEMENT : WHY_EMPTY;
                break;
            }
            why = place_item(x, c, nc, (uint32_t)s, g, (uint32_t)i, v, f->binary);
        }
    }
    /* several subfields: each placed leaf's rep must be able to repeat, and the reader, which
     * counts the occurrences of each rep, must meet every subfield up to the last one under
     * each (a subfield whose items go to other elements only would shift those after it) */
    int reps[64];
    uint32_t next[64];
    size_t nreps = 0;
    for (size_t i = keep; !why && nsub > 1 && i < x->nv; i++) {
        int rep = x->erep[x->v[i].leaf], r = m->nodes[x->v[i].leaf].rep;
        if (x->v[i].sub > 0 && rep >= 0 && m->nodes[rep].max == 1)
            why = WHY_REPEATS;
        size_t k = 0;
        while (k < nreps && reps[k] != r)
            k++;
        if (k == nreps) {
            if (nreps == sizeof reps / sizeof reps[0]) {
                why = WHY_REPEATS;
                break;
            }
            reps[nreps] = r;
            next[nreps++] = 0;
        }
        if (x->v[i].sub == next[k])
            next[k]++;
        else if (x->v[i].sub + 1 != next[k])
            why = WHY_APART; /* a gap: subfield next[k] has nothing under this rep */
    }
    /* the same for the groups of items in each subfield (a polygon's vertices), which the
     * reader counts by the occurrences of their group element */
    int grp = -1;
    uint32_t gsub = 0, gnext = 0;
    for (size_t i = keep; !why && i < x->nv; i++) {
        const xval *v = &x->v[i];
        int g = m->nodes[v->leaf].grp;
        if (g < 0)
            continue;
        if (g != grp || v->sub != gsub) {
            grp = g;
            gsub = v->sub;
            gnext = 0;
        }
        if (v->grp == gnext)
            gnext++;
        else if (v->grp + 1 != gnext)
            why = WHY_APART;
    }
    if (!why)
        why = without_child(x, keep);
    if (why)
        x->nv = keep;
    return why;
}

/* ------------------------------------------------------------------------- emitting */

static int cmp_val(const void *a, const void *b)
{
    const xval *p = a, *q = b;
    if (p->leaf != q->leaf)
        return p->leaf < q->leaf ? -1 : 1;
    if (p->sub != q->sub)
        return p->sub < q->sub ? -1 : 1;
    if (p->grp != q->grp)
        return p->grp < q->grp ? -1 : 1;
    return p->seq < q->seq ? -1 : p->seq > q->seq;
}

/* The occurrence of repeated element a (an ancestor-or-self of value v's leaf) that holds v: its
 * group at its grp element, its subfield at its rep element; at a repeated element above the rep
 * (a finger of the FBI's PersonFingerprintSet, holding its pattern and ridge counts) as many
 * subfields in each occurrence as the rep may occur there (two ridge counts a finger), or, the
 * rep unbounded, the subfield's own occurrence, the last one when that element has fewer; 0
 * elsewhere. */
static uint32_t inst_at(const X *x, const xval *v, int a)
{
    const ebts__xnode *n = &x->m->nodes[v->leaf];
    int rep = x->erep[v->leaf];
    if (a == n->grp)
        return v->grp;
    if (a == rep)
        return v->sub;
    if (rep >= 0 && a < rep && rep < x->m->nodes[a].end) {
        /* as many of the subfields in each as their element may hold there */
        int most = x->m->nodes[rep].max;
        if (most > 0)
            return v->sub / (uint32_t)most;
        uint32_t have = x->nrep[a] ? x->nrep[a] : 1;
        return v->sub < have ? v->sub : have - 1;
    }
    return 0;
}

/* Is value v one the current path of repeated elements holds? */
static int matches(const X *x, const xval *v)
{
    for (int d = 0; d < x->depth; d++)
        if (inst_at(x, v, x->stack_node[d]) != x->stack_inst[d])
            return 0;
    return 1;
}

/* The values of leaf k that the current path may hold: v[*a .. *b). Those of one leaf are
 * sorted by (sub, grp), so a path through its rep element is found by bisection. */
static void values_at(const X *x, int k, size_t *a, size_t *b)
{
    size_t lo = (size_t)x->lo[k], hi = (size_t)x->lo[k + 1];
    const ebts__xnode *n = &x->m->nodes[k];
    for (int d = 0; d < x->depth && lo < hi; d++) {
        if (x->stack_node[d] != x->erep[k] || x->erep[k] == n->grp)
            continue;
        uint32_t sub = x->stack_inst[d];
        size_t l = lo, h = hi;
        while (l < h) { /* first with v.sub >= sub */
            size_t mid = l + (h - l) / 2;
            if (x->v[mid].sub < sub)
                l = mid + 1;
            else
                h = mid;
        }
        lo = l;
        h = hi;
        while (l < h) { /* first with v.sub > sub */
            size_t mid = l + (h - l) / 2;
            if (x->v[mid].sub <= sub)
                l = mid + 1;
            else
                h = mid;
        }
        hi = l;
        break;
    }
    *a = lo;
    *b = hi;
}

static int has_data(const X *x, int k)
{
    const ebts__xmap *m = x->m;
    if (x->excl[k])
        return 0;
    for (int i = k; i < m->nodes[k].end; i++) {
        if (x->lo[i] == x->lo[i + 1])
            continue;
        size_t a, b;
        values_at(x, i, &a, &b);
        for (size_t j = a; j < b; j++)
            if (matches(x, &x->v[j]))
                return 1;
    }
    return 0;
}

static void emit_value(X *x, int k, const xval *v)
{
    const ebts__xnode *n = &x->m->nodes[k];
    ebts_span out;
    if (n->conv == EBTS__XC_BASE64) {
        start(x, n->name);
        base64(x, v->text.ptr, v->text.len);
        end(x);
        return;
    }
    if (!convert(n->conv, v->text, x->scratch, sizeof x->scratch, &out))
        out = v->text; /* placing checked it: not reached */
    if (!accepts(x, n->type, (const char *)out.ptr, out.len))
        outside_value(x, k, v, out.ptr, out.len);
    start(x, n->name);
    text(x, out.ptr, out.len);
    end(x);
}

static void emit_children(X *x, int p);

/* The content summary (1.003 CNT), derived from the records: head items the first record's
 * category and the count of the others, each group one record's IDC and type. */
static void emit_cnt(X *x, int k, size_t rec)
{
    const ebts__xnode *n = &x->m->nodes[k];
    const ebts_txn *t = x->t;
    if (n->conv == EBTS__XC_CNT) {
        char b[32];
        if (n->grp >= 0) {
            const ebts_record *r = t->recs[rec];
            int idc = ebts_record_idc(r);
            if (strstr(n->name, "CategoryCode"))
                snprintf(b, sizeof b, "%02u", r->type);
            else
                snprintf(b, sizeof b, "%02d", idc < 0 ? 0 : idc);
        } else if (n->item + 1 == n->tail_base) {
            snprintf(b, sizeof b, "%zu", t->nrecs - 1);
        } else {
            snprintf(b, sizeof b, "1");
        }
        if (!accepts(x, n->type, b, strlen(b)))
            outside(x, k, "a record's type, IDC or count that is not one");
        leaf(x, n->name, b);
        return;
    }
    const int *kid = x->kids + x->kidat[k];
    for (int i = 0; i < n->nchild; i++) {
        const ebts__xnode *c = &x->m->nodes[kid[i]];
        int isgrp = x->isgrp[kid[i]];
        if (isgrp && t->nrecs < 2 && c->min == 1)
            required_missing(x, k, kid[i]); /* a summary of no record */
        for (size_t r = 1; r < (isgrp ? t->nrecs : 2); r++) {
            if (isgrp && c->max > 0 && r == (size_t)c->max + 1)
                outside(x, kid[i], "more records than");
            if (c->nchild == 0 && c->conv == EBTS__XC_NONE)
                continue;
            if (c->nchild)
                start(x, c->name);
            emit_cnt(x, kid[i], isgrp ? r : rec);
            if (c->nchild)
                end(x);
        }
    }
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t p = *(const uint32_t *)a, q = *(const uint32_t *)b;
    return p < q ? -1 : p > q;
}

/* The instances of repeated element k on the current path: distinct sorted occurrences. */
static uint32_t *instances(X *x, int k, size_t *n)
{
    const ebts__xmap *m = x->m;
    size_t cap = 16, cnt = 0;
    uint32_t *in = malloc(cap * sizeof *in);
    if (!in) {
        x->oom = 1;
        *n = 0;
        return NULL;
    }
    for (int i = k; i < m->nodes[k].end; i++) {
        if (x->lo[i] == x->lo[i + 1])
            continue;
        size_t a, b;
        values_at(x, i, &a, &b);
        for (size_t j = a; j < b; j++) {
            if (!matches(x, &x->v[j]))
                continue;
            uint32_t inst = inst_at(x, &x->v[j], k);
            if (cnt && in[cnt - 1] == inst)
                continue;
            if (cnt == cap) {
                uint32_t *g = realloc(in, 2 * cap * sizeof *g);
                if (!g) {
                    x->oom = 1;
                    break;
                }
                in = g;
                cap *= 2;
            }
            in[cnt++] = inst;
        }
    }
    qsort(in, cnt, sizeof *in, cmp_u32);
    size_t u = 0;
    for (size_t i = 0; i < cnt; i++)
        if (u == 0 || in[u - 1] != in[i])
            in[u++] = in[i];
    *n = u;
    return in;
}

static int is_cnt_node(const X *x, int k)
{
    int l = first_leaf(x, k);
    return l >= 0 && x->m->nodes[l].conv == EBTS__XC_CNT && x->m->nodes[l].rep == k;
}

static void too_many(X *x, int k, size_t count)
{
    const ebts__xnode *c = &x->m->nodes[k];
    if (c->max > 0 && count > (size_t)c->max) {
        char what[96];
        snprintf(what, sizeof what, "%zu occurrences, more than the %d", count, c->max);
        outside(x, k, what);
    }
}

/* Element k (a child of the element being written) on the current path; how many written. */
static size_t emit_node(X *x, int k)
{
    const ebts__xnode *c = &x->m->nodes[k];
    if (x->excl[k])
        return 0;
    if (c->conv == EBTS__XC_RCC) {
        char b[16];
        snprintf(b, sizeof b, "%02u", x->rtype);
        if (!accepts(x, c->type, b, strlen(b)))
            outside(x, k, "a record type that is not one");
        leaf(x, c->name, b);
        return 1;
    }
    if (c->conv == EBTS__XC_CONST) {
        leaf(x, c->name, c->value);
        return 1;
    }
    if (c->conv == EBTS__XC_CNT)
        return 0; /* within the content summary only */
    if (c->conv != EBTS__XC_NONE) {
        size_t a, b, n = 0;
        values_at(x, k, &a, &b);
        for (size_t j = a; j < b; j++)
            if (matches(x, &x->v[j])) {
                emit_value(x, k, &x->v[j]);
                n++;
            }
        too_many(x, k, n);
        return n;
    }
    if (x->rtype == 1 && is_cnt_node(x, k)) {
        start(x, c->name);
        emit_cnt(x, k, 0);
        end(x);
        return 1;
    }
    if (x->isrep[k] || x->isgrp[k]) {
        size_t n;
        uint32_t *in = instances(x, k, &n);
        if (x->depth >= (int)(sizeof x->stack_node / sizeof x->stack_node[0])) {
            x->oom = 1; /* deeper than any table: not reached */
            n = 0;
        }
        for (size_t i = 0; i < n && !x->oom; i++) {
            x->stack_node[x->depth] = k;
            x->stack_inst[x->depth] = in[i];
            x->depth++;
            start(x, c->name);
            emit_children(x, k);
            end(x);
            x->depth--;
        }
        free(in);
        too_many(x, k, n);
        return n;
    }
    if (!has_data(x, k))
        return 0;
    start(x, c->name);
    emit_children(x, k);
    end(x);
    return 1;
}

static void emit_children(X *x, int p)
{
    const ebts__xmap *m = x->m;
    const ebts__xnode *pn = &m->nodes[p];
    const int *kid = x->kids + x->kidat[p];
    for (int i = 0; i < pn->nchild; i++)
        x->emitted[kid[i]] = 0;
    for (int i = 0; i < pn->nchild && !x->oom; i++)
        x->emitted[kid[i]] = emit_node(x, kid[i]) > 0;
    for (int i = 0; i < pn->nchild; i++) {
        int k = kid[i];
        const ebts__xnode *c = &m->nodes[k];
        if (c->min == 1 && !x->emitted[k])
            required_missing(x, p, k);
        if (c->alt != k)
            continue;
        int any = 0, branch = -1, mixed = 0; /* a choice: its first alternative speaks for all */
        for (int j = 0; j < pn->nchild; j++) {
            const ebts__xnode *a = &m->nodes[kid[j]];
            if (a->alt != k || !x->emitted[kid[j]])
                continue;
            any = 1;
            mixed |= a->branch >= 0 && branch >= 0 && a->branch != branch;
            if (a->branch >= 0)
                branch = a->branch;
        }
        if (c->min == 2 && !any)
            required_missing(x, p, k);
        if (mixed)
            outside(x, k, "elements of two alternatives of a choice, where only one of them");
    }
}

/* ------------------------------------------------------------------------- records */

/* The record element for record ri, or -1: it is carried whole. */
static int record_root(const X *x, size_t ri)
{
    const ebts__xmap *m = x->m;
    const ebts_record *r = x->t->recs[ri];
    if (r->type == 1 && (ri != 0 || r->binary))
        return -1;
    if (r->type >= 3 && r->type <= 8 && (!r->binary || r->rawlen < 18))
        return -1; /* only a binary record's header has elements */
    if (r->binary && r->type != 4 && r->type != 7)
        return -1;
    int best = -1;
    for (int i = 0; i < m->nnodes; i = m->nodes[i].end)
        if (m->nodes[i].rtype == r->type && (best < 0 || m->nodes[i].rank < m->nodes[best].rank))
            best = i;
    return best;
}

/* The alternatives of choices taken by a field's value (a Type-10 face image or another):
 * the others' subtrees are excluded. */
static void choose_branches(X *x, const ebts_record *r)
{
    const ebts__xmap *m = x->m;
    for (int k = x->root; k < m->nodes[x->root].end; k++) {
        const ebts__xnode *n = &m->nodes[k];
        if (!n->when_field || n->alt < 0 || n->parent < 0)
            continue;
        const ebts__xnode *pn = &m->nodes[n->parent];
        const int *kid = x->kids + x->kidat[n->parent];
        int chosen = -1, fallback = -1, first = 1;
        for (int j = 0; j < pn->nchild; j++) {
            const ebts__xnode *a = &m->nodes[kid[j]];
            if (a->alt != n->alt)
                continue;
            if (a->when_field && kid[j] < k)
                first = 0; /* decided once, at the group's first conditional member */
            if (a->when_field) {
                ebts_span v = ebts_field_value(ebts_record_field(r, a->when_field));
                size_t wl = strlen(a->when_value);
                if (chosen < 0 && v.len == wl && memcmp(v.ptr, a->when_value, wl) == 0)
                    chosen = kid[j];
            } else if (fallback < 0) {
                fallback = kid[j];
            }
        }
        if (!first)
            continue;
        if (chosen < 0)
            chosen = fallback;
        for (int j = 0; j < pn->nchild; j++)
            if (chosen >= 0 && m->nodes[kid[j]].alt == n->alt &&
                m->nodes[kid[j]].branch != m->nodes[chosen].branch)
                memset(x->excl + kid[j], 1, (size_t)(m->nodes[kid[j]].end - kid[j]));
    }
}

static const char *const why_text[] = {
    "", "no element of the EBTS %s XML takes it",
    "a value not of the form its element takes (a date, a name SURNAME,GIVEN, a flag Y/N ...)",
    "bytes XML text cannot hold (a control character, a byte that is no UTF-8)",
    "an empty last item, which no element of its item takes",
    "several subfields where its element does not repeat", "",
    ("items its elements cannot keep apart (a subfield or a group of items without one that a "
     "later one has)")};

/* A field no element of its record can take, carried whole after the elements: one without a
 * tag (lebts:Field tag="T", its bytes) or one whose tag names another record type (tag="14.005"
 * in a Type-2 record). */
static int carried_whole(const X *x, const ebts_field *f)
{
    return (f->flags & EBTS__F_MALFORMED) || ebts__tagtype(f) != x->rtype;
}

static void carried_finding(X *x, const ebts_field *f, int why, int second)
{
    size_t off = f->offset == EBTS__NOWHERE ? 0 : f->offset;
    if (carried_whole(x, f)) {
        char spelled[32] = "";
        if (!(f->flags & EBTS__F_MALFORMED))
            ebts__spelled_tag(f, spelled, sizeof spelled);
        ebts__diag_add(x->dl, EBTS__C_XML_FIELD_CARRIED,
                       EBTS__AT_RECORD(off, (long)x->ri, x->rtype),
                       "%s%s: written to lebts:Field, outside the EBTS %s schema",
                       *spelled ? "a tag of another record type, " : "bytes without a tag", spelled,
                       version_name(x));
    } else if (second) {
        ebts__diag_add(x->dl, EBTS__C_XML_FIELD_CARRIED,
                       EBTS__AT_FIELD(off, (long)x->ri, x->rtype, f->number),
                       "a second occurrence of its number, which XML has no place for: written to "
                       "lebts:Field, outside the EBTS %s schema",
                       version_name(x));
    } else if (why == WHY_NOT_TEXT) {
        ebts__diag_add(x->dl, EBTS__C_XML_VALUE_CARRIED,
                       EBTS__AT_FIELD(off, (long)x->ri, x->rtype, f->number),
                       "a control character or a byte that is no UTF-8: written to lebts:Field "
                       "in base64, not to its element");
    } else {
        char msg[200];
        snprintf(msg, sizeof msg, why_text[why], version_name(x));
        ebts__diag_add(
            x->dl, EBTS__C_XML_FIELD_CARRIED, EBTS__AT_FIELD(off, (long)x->ri, x->rtype, f->number),
            "%s: written to lebts:Field, outside the EBTS %s schema", msg, version_name(x));
    }
}

/* A field without a tag (raw bytes) has a tag attribute of its record type alone; one whose
 * tag names another record type, that tag (14.005). */
static void put_carrier_field(X *x, const ebts_field *f)
{
    char tag[32];
    const unsigned char *p = f->val;
    size_t n = f->len;
    if (f->flags & EBTS__F_MALFORMED)
        snprintf(tag, sizeof tag, "%u", x->rtype);
    else if (ebts__tagtype(f) != x->rtype)
        snprintf(tag, sizeof tag, "%u.%03u", ebts__tagtype(f), f->number);
    else
        tagname(x->rtype, f->number, tag, sizeof tag);
    if (!x->out)
        return;
    int txt = !(f->flags & EBTS__F_BINARY) && is_xml_text(p, n);
    start(x, "lebts:Field");
    attribute(x, "tag", tag);
    attribute(x, "encoding", txt ? "text" : "base64");
    if (txt)
        text(x, p, n);
    else
        base64(x, p, n);
    end(x);
}

static void put_carrier_record(X *x, size_t ri)
{
    const ebts_record *r = x->t->recs[ri];
    ebts__diag_add(x->dl, EBTS__C_XML_RECORD_CARRIED,
                   EBTS__AT_RECORD(r->offset == EBTS__NOWHERE ? 0 : r->offset, (long)ri, r->type),
                   "a %sType-%u record%s: written whole to lebts:Record, outside the EBTS %s "
                   "schema", r->binary ? "binary " : r->type >= 3 && r->type <= 8 ? "tagged " : "",
                   r->type, r->type == 1 ? " after the first" : " the EBTS XML has no element for",
                   version_name(x));
    if (!x->out)
        return;
    ebts__buf raw = {0};
    ebts__write_record(x->t, ri, &raw);
    if (raw.oom) {
        x->oom = 1;
        free(raw.p);
        return;
    }
    char v[16];
    snprintf(v, sizeof v, "%u", r->type);
    start(x, "lebts:Record");
    attribute(x, "type", v);
    attribute(x, "encoding", "base64");
    if (!r->binary && r->type >= 3 && r->type <= 8) /* read tagged, as its bytes were */
        attribute(x, "form", "tagged");
    base64(x, raw.p ? raw.p : (const unsigned char *)"", raw.len);
    end(x);
    free(raw.p);
}

/* Sort the placed values and index them by leaf. */
static void index_values(X *x)
{
    const ebts__xmap *m = x->m;
    if (x->nv > 1)
        qsort(x->v, x->nv, sizeof *x->v, cmp_val);
    memset(x->nrep + x->root, 0, (size_t)(m->nodes[x->root].end - x->root) * sizeof *x->nrep);
    for (size_t i = 0; i < x->nv; i++) {
        int rep = x->erep[x->v[i].leaf];
        if (rep >= 0 && x->v[i].sub + 1 > x->nrep[rep])
            x->nrep[rep] = x->v[i].sub + 1;
    }
    size_t j = 0;
    for (int k = 0; k <= m->nnodes; k++) {
        while (j < x->nv && x->v[j].leaf < k)
            j++;
        x->lo[k] = (int)j;
    }
}

static void begin_record(X *x, size_t ri, int root)
{
    const ebts__xmap *m = x->m;
    const ebts_record *r = x->t->recs[ri];
    x->ri = ri;
    x->rtype = r->type;
    x->root = root;
    x->rec_off = r->offset == EBTS__NOWHERE ? 0 : r->offset;
    x->field_off = (uint32_t)x->rec_off;
    x->nv = 0;
    x->depth = 0;
    size_t n = (size_t)(m->nodes[root].end - root);
    memset(x->excl + root, 0, n);
    memset(x->said + root, 0, n);
}

static void write_element(X *x)
{
    index_values(x);
    start(x, x->m->nodes[x->root].name);
    emit_children(x, x->root);
}

/* A binary Type-4 or Type-7 record from its header (ANSI/NIST-ITL 1-2011 Table 8.4 layout:
 * IDC, IMP, FGP six positions with 255 for none, ISR, HLL, VLL, GCA, then the image). 0 when
 * every value has its place, -1 without memory, else the record is carried whole. */
static int place_binary(X *x, const ebts_record *r)
{
    const unsigned char *h = r->raw;
    int nh = 0;
    xfield f;
    for (unsigned number = 2; number <= 9; number++) {
        memset(&f, 0, sizeof f);
        f.number = number;
        if (number == 9) {
            f.v[0] = (ebts_span){h + 18, r->rawlen - 18};
            f.nv = 1;
            f.binary = 1;
        } else if (number == 4) { /* the positions up to the last one used, at least one */
            size_t used = 1;
            for (size_t i = 0; i < 6; i++)
                if (h[6 + i] != 255)
                    used = i + 1;
            for (size_t i = 0; i < used; i++) {
                snprintf(x->hdr[nh], sizeof x->hdr[nh], "%u", h[6 + i]);
                f.v[f.nv++] = (ebts_span){(const unsigned char *)x->hdr[nh], strlen(x->hdr[nh])};
                nh++;
            }
        } else {
            static const unsigned at[] = {0, 0, 4, 5, 0, 12, 13, 15, 17};
            unsigned val = number == 6 || number == 7
                               ? (unsigned)h[at[number]] << 8 | h[at[number] + 1]
                               : h[at[number]];
            snprintf(x->hdr[nh], sizeof x->hdr[nh], number == 2 ? "%02u" : "%u", val);
            f.v[0] = (ebts_span){(const unsigned char *)x->hdr[nh], strlen(x->hdr[nh])};
            f.nv = 1;
            nh++;
        }
        int why = place_field(x, &f);
        if (why)
            return why;
    }
    return 0;
}

static void tagged_record(X *x, const ebts_record *r)
{
    size_t nk = 0;
    uint64_t *keys = ebts__field_numbers_sorted(r, &nk);
    unsigned char *state = calloc(r->nfields + 1, 1); /* 1 first of its number, 2 placed */
    if (!keys || !state) {
        free(keys);
        free(state);
        x->oom = 1;
        return;
    }
    x->npresent = 0;
    x->present = malloc((nk + 1) * sizeof *x->present);
    if (!x->present) {
        free(keys);
        free(state);
        x->oom = 1;
        return;
    }
    for (size_t k = 0; k < nk; k++)
        if (k == 0 || keys[k] >> 32 != keys[k - 1] >> 32) {
            state[(uint32_t)keys[k]] = 1;
            x->present[x->npresent++] = (uint32_t)(keys[k] >> 32);
        }
    free(keys);
    /* fields whose values have one place each first, then those with a choice of places,
     * which follow the others (state 3: waiting) */
    for (int pass = 0; pass < 2 && !x->oom; pass++) {
        x->defer = pass == 0;
        for (uint32_t i = 0; i < r->nfields && !x->oom; i++) {
            const ebts_field *fl = &r->fields[i];
            if (carried_whole(x, fl) || (pass == 1 && state[i] != 3))
                continue;
            if (fl->number == 1 || (x->rtype == 1 && fl->number == 3)) {
                state[i] = 2; /* LEN and CNT are derived */
                continue;
            }
            if (!state[i]) {
                carried_finding(x, fl, 0, 1);
                continue;
            }
            xfield f;
            memset(&f, 0, sizeof f);
            f.number = fl->number;
            f.f = fl;
            f.binary = (fl->flags & EBTS__F_BINARY) != 0;
            x->field_off = fl->offset == EBTS__NOWHERE ? 0 : fl->offset;
            int why = place_field(x, &f);
            if (why < 0)
                break;
            if (why == WHY_DEFER)
                state[i] = 3;
            else if (why)
                carried_finding(x, fl, why, 0);
            else
                state[i] = 2;
        }
    }
    x->defer = 0;
    for (uint32_t i = 0; i < r->nfields; i++)
        if (carried_whole(x, &r->fields[i]))
            carried_finding(x, &r->fields[i], 0, 0);
    write_element(x);
    /* every carrier in the record's order: the reader keeps the occurrences of a number spelled
     * with two types' tags (2.2 and 1.002 in a Type-1 record) in the order of the document */
    for (uint32_t i = 0; i < r->nfields; i++)
        if (state[i] != 2)
            put_carrier_field(x, &r->fields[i]);
    end(x);
    free(state);
    free(x->present);
    x->present = NULL;
    x->npresent = 0;
}

/* ------------------------------------------------------------------------- the document */

/* Each node's children in rank (schema) order at kids + kidat[node]: insertion sort, as a node
 * has a few dozen children at most. */
static int order_children(X *x)
{
    const ebts__xmap *m = x->m;
    x->kids = malloc(((size_t)m->nnodes + 1) * sizeof *x->kids);
    x->kidat = malloc(((size_t)m->nnodes + 1) * sizeof *x->kidat);
    if (!x->kids || !x->kidat)
        return -1;
    for (int n = 0, at = 0; n < m->nnodes; n++) {
        const ebts__xnode *d = &m->nodes[n];
        x->kidat[n] = at;
        int *k = x->kids + at, c = d->first;
        at += d->nchild;
        for (int j = 0; j < d->nchild; j++, c = m->nodes[c].end) {
            int i = j;
            while (i > 0 && m->nodes[k[i - 1]].rank > m->nodes[c].rank) {
                k[i] = k[i - 1];
                i--;
            }
            k[i] = c;
        }
    }
    return 0;
}

static void declare_namespaces(X *x)
{
    char attr[64];
    for (int i = 0; i < x->m->nns; i++) {
        snprintf(attr, sizeof attr, "xmlns:%s", x->m->ns[i].prefix);
        attribute(x, attr, x->m->ns[i].uri);
    }
    attribute(x, "xmlns:lebts", LEBTS_NS);
}

/* Where the schema puts records: Type-1, then Type-2 (as often as its element allows), then the
 * others in any order. */
static void record_order(X *x, size_t ri, int root, size_t *ntype2, int *others)
{
    const ebts__xnode *n = &x->m->nodes[root];
    if (n->rtype == 2) {
        ++*ntype2;
        if (*others)
            ebts__diag_add(x->dl, EBTS__C_XML_OUTSIDE_SCHEMA,
                           EBTS__AT_RECORD(x->rec_off, (long)ri, 2),
                           "a Type-2 record after image records: the EBTS %s schema puts every "
                           "Type-2 record right after the Type-1; written in the transaction's "
                           "order, the document does not validate",
                           version_name(x));
        if (n->max > 0 && *ntype2 == (size_t)n->max + 1)
            ebts__diag_add(x->dl, EBTS__C_XML_OUTSIDE_SCHEMA,
                           EBTS__AT_RECORD(x->rec_off, (long)ri, 2),
                           "more than %d Type-2 records, which the EBTS %s schema allows; "
                           "written, the document does not validate",
                           n->max, version_name(x));
    } else if (n->rtype != 1) {
        *others = 1;
    }
}

static void write_document(X *x)
{
    const ebts__xmap *m = x->m;
    const ebts_txn *t = x->t;
    if (x->out) {
        x->doindent = 1;
        static const char decl[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
        put(x, decl, sizeof decl - 1);
        start(x, "itl:NISTBiometricInformationExchangePackage");
        declare_namespaces(x);
    }
    size_t ntype2 = 0;
    int others = 0;
    for (size_t ri = 0; ri < t->nrecs && !x->oom && !x->werr; ri++) {
        const ebts_record *r = t->recs[ri];
        int root = record_root(x, ri);
        if (root >= 0) {
            begin_record(x, ri, root);
            choose_branches(x, r);
        }
        if (root >= 0 && r->binary) {
            int why = place_binary(x, r);
            if (why == 0) {
                record_order(x, ri, root, &ntype2, &others);
                write_element(x);
                end(x);
                continue;
            }
            if (why < 0)
                break;
            root = -1;
        }
        if (root < 0) {
            x->ri = ri;
            x->rtype = r->type;
            put_carrier_record(x, ri);
            continue;
        }
        record_order(x, ri, root, &ntype2, &others);
        tagged_record(x, r);
    }
    for (int i = 0; i < m->nnodes; i = m->nodes[i].end)
        if (m->nodes[i].rtype == 2 && m->nodes[i].min >= 1 && ntype2 == 0)
            ebts__diag_add(x->dl, EBTS__C_XML_REQUIRED_MISSING, EBTS__AT_FILE(0),
                           "the EBTS %s schema requires a Type-2 record (%s); the transaction "
                           "has none, and none is invented: the document does not validate",
                           version_name(x), m->nodes[i].name);
    while (x->out && x->odepth > 0 && !x->oom)
        end(x);
}

/* The map the writer places values by: m, or *own, a copy in which a leaf whose field its
 * parent's other children decide (by_child) is that of the children it is written with: EBTS
 * 10.0's finger entry carries PAT 2.034 (its pattern code beside it), while every FGP 2.074 goes
 * to PersonGeneralizedFrictionRidgePositions, which takes every position. NULL without memory. */
static const ebts__xmap *writing_map(const ebts__xmap *m, ebts__xmap *own, ebts__xnode **nodes)
{
    int any = 0;
    for (int k = 0; k < m->nnodes && !any; k++)
        any = m->nodes[k].by_child >= 0;
    *nodes = NULL;
    if (!any)
        return m;
    *nodes = malloc((size_t)m->nnodes * sizeof **nodes);
    if (!*nodes)
        return NULL;
    memcpy(*nodes, m->nodes, (size_t)m->nnodes * sizeof **nodes);
    for (int k = 0; k < m->nnodes; k++)
        if ((*nodes)[k].by_child >= 0) {
            (*nodes)[k].field = (*nodes)[k].by_field;
            (*nodes)[k].item = (*nodes)[k].by_item;
        }
    *own = *m;
    own->nodes = *nodes;
    return own;
}

/* Write t as XML to out, or only collect the findings (out NULL). 0 or -1. */
static int run(const ebts_txn *t, unsigned flags, ebts__buf *out, ebts__dlist *dl, ebts_error *err)
{
    if (ebts__xml_init(err) < 0) /* the type checks compile libxml2's regular expressions */
        return -1;
    X x;
    memset(&x, 0, sizeof x);
    ebts__xmap own;
    ebts__xnode *nodes;
    x.m = writing_map(flags & EBTS_WRITE_XML_10 ? &ebts__xmap_v100 : &ebts__xmap_v112, &own,
                      &nodes);
    if (!x.m) {
        ebts__error_oom(err);
        return -1;
    }
    x.t = t;
    x.dl = dl;
    size_t nn = (size_t)x.m->nnodes + 1;
    x.lo = malloc(nn * sizeof *x.lo);
    x.nrep = malloc(nn * sizeof *x.nrep);
    x.erep = malloc(nn * sizeof *x.erep);
    x.excl = calloc(nn, 1);
    x.said = calloc(nn, 1);
    x.emitted = calloc(nn, 1);
    x.isrep = calloc(nn, 1);
    x.isgrp = calloc(nn, 1);
    if (!x.lo || !x.nrep || !x.erep || !x.excl || !x.said || !x.emitted || !x.isrep || !x.isgrp ||
        order_children(&x) < 0)
        x.oom = 1;
    for (int k = 0; !x.oom && k < x.m->nnodes; k++) {
        if (x.m->nodes[k].conv == EBTS__XC_NONE)
            continue;
        /* the element each subfield is an occurrence of: its rep when that may repeat, else
         * the outermost element above it in its record that may (the rep occurs once in each:
         * 2.034 PAT once in each finger of the FBI's PersonFingerprintSet) */
        int rep = x.m->nodes[k].rep;
        if (rep >= 0 && x.m->nodes[rep].max == 1)
            for (int a = x.m->nodes[rep].parent; a >= 0 && x.m->nodes[a].parent >= 0;
                 a = x.m->nodes[a].parent)
                if (x.m->nodes[a].max != 1)
                    rep = a;
        x.erep[k] = rep;
        if (rep >= 0)
            x.isrep[rep] = 1;
        if (x.m->nodes[k].grp >= 0)
            x.isgrp[x.m->nodes[k].grp] = 1;
    }
    x.out = out;
    if (!x.oom)
        write_document(&x);
    for (size_t i = 0; i < x.nres; i++)
        if (x.res[i].re)
            xmlRegFreeRegexp(x.res[i].re);
    free(x.res);
    for (int i = 0; x.tc && i < x.m->ntypes; i++) {
        free(x.tc[i].enums);
        free(x.tc[i].nums);
    }
    free(x.tc);
    free(x.kids);
    free(x.kidat);
    free(x.v);
    free(x.lo);
    free(x.nrep);
    free(x.erep);
    free(x.excl);
    free(x.said);
    free(x.emitted);
    free(x.isrep);
    free(x.isgrp);
    free(nodes);
    if (x.oom || x.werr || (out && out->oom) || dl->oom) {
        ebts__error_oom(err);
        return -1;
    }
    return 0;
}

int ebts__write_xml(const ebts_txn *t, unsigned flags, ebts__buf *b, ebts_error *err)
{
    ebts__dlist dl;
    memset(&dl, 0, sizeof dl);
    int rc = run(t, flags, b, &dl, err);
    free(dl.d);
    return rc;
}

ebts_report *ebts_txn_xml_report(const ebts_txn *t, unsigned flags, ebts_error *err)
{
    if (!t) {
        ebts__error_set(err, EBTS__C_BAD_ARGUMENT, 0, -1, NULL, "NULL transaction");
        return NULL;
    }
    ebts_report *report = calloc(1, sizeof *report);
    if (!report) {
        ebts__error_oom(err);
        return NULL;
    }
    if (run(t, flags, NULL, &report->dl, err) < 0) {
        free(report->dl.d);
        free(report);
        return NULL;
    }
    ebts__dlist_note(&report->dl);
    if (report->dl.oom) {
        free(report->dl.d);
        free(report);
        ebts__error_oom(err);
        return NULL;
    }
    return report;
}

ebts_report *ebts_txn_xml_findings(const ebts_txn *t, ebts_error *err)
{
    return ebts_txn_xml_report(t, EBTS_FORMAT_XML, err);
}
