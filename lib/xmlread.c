/* Reading the ANSI/NIST-ITL 1-2011 XML encoding (EBTS 10.0 / NIEM 2.0 and EBTS 11.2 / NIEM 4.0)
 * into the transaction model, by the tables tools/gen-xml-map.py makes (xmlmap.c).
 *
 *   document = itl:NISTBiometricInformationExchangePackage, its records in order, Type-1 first
 *   record   = an itl:Package...Record element (its type from the tables)
 *            / lebts:Record type="T" [form="tagged"]: a record's traditional bytes in base64
 *   field    = a leaf element the tables place at (field, subfield, item)
 *            / lebts:Field tag="T.N" encoding="text|base64": a field carried whole
 *
 * The document is read with libxml2's xmlTextReader over the buffer, one record element at a
 * time: each is expanded, read into the transaction, and freed when the reader moves on, so only
 * one record's tree lives at once. Images are decoded from the element's text straight into the
 * transaction's memory. Findings carry the line of their element (ebts_diag.line) and, as
 * offset, where that line begins.
 *
 * The version is told by the namespaces the document declares; names are matched by namespace,
 * whatever the prefix. TransactionCategoryCode (1.004 TOT) is read from any domain's namespace.
 * A document with a DTD is refused, nothing is loaded from the network, and libxml2's depth and
 * text-size limits stay on. */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xmlapi.h"
#include "internal.h"
#include "xmlmap.h"

/* One value read from a leaf element: its place, its form, its text (or decoded bytes). */
typedef struct val {
    unsigned field;
    size_t sub;       /* occurrence */
    int item;         /* -1: the whole subfield; -2: a lebts:Field T.N; -3: one without a tag */
    int conv;         /* enum ebts__xconv; EBTS__XC_BASE64 on a carrier in base64 */
    int part;         /* its place among the parts of one item; joined by sep */
    const char *sep;
    char *text;       /* its own copy (own), or its element's text node's */
    int own;
    int late; /* a lebts:Field of the record's own tag after one of another type's of its number */
    const unsigned char *bytes; /* an image decoded into the transaction's arena (text NULL) */
    size_t nbytes;
    xmlNodePtr node; /* its element, alive while the record is built: its line when asked */
    unsigned tagtype; /* a lebts:Field's: the record type its tag names */
    int foreign;      /* that type is not the record's (14.005 or 0.005 in a Type-2 record) */
} val;

typedef struct R {
    ebts_txn *t;
    const ebts_read_options *o;
    const unsigned char *xml;
    size_t xlen;
    long cur_line; /* where line_offset last stopped: findings come mostly in document order */
    size_t cur_off;
    size_t *ck, nck, capck; /* ck[k]: the offset of line (k + 1) * EBTS__XLINE_STEP + 1 */
    val *v;
    size_t nv, cap;
    int oom, ascii7;
    /* the tables' state for the record being read */
    const ebts__xmap *m;
    int *count, *last_sub, *last_grp;
    unsigned char *is_grp;
    int *cnt_idc; /* the IDCs the content summary gives, by record */
    size_t ncnt, capcnt;
    int u16;         /* 1: UTF-16LE, 2: UTF-16BE (told by the first bytes), 0: other */
    long early_line; /* text before the first record, said once there is a transaction */
    char early[32];
    size_t nelem;            /* the elements before the record being read, the root included */
    size_t scan_elem, scan_off; /* big_lines: the start tags counted so far, where it stopped */
    long scan_line;
    xmlNodePtr root;         /* the document's root, alive while the records are read */
    xmlNsPtr nsc[16];        /* the root's namespace declarations and their index in the tables */
    int nsc_idx[16], nnsc;   /* (nnsc -1: not looked at yet) */
    struct place *places;    /* table children found, by the address of their name (lookup) */
    xmlNodePtr top;          /* the record being read; its lines past 65535 found when asked */
    size_t top_base;         /* the elements before it */
    int top_big;             /* 1: it has such lines, not looked for yet */
} R;

/* ------------------------------------------------------------------ lines past 65535 */

static void big_lines(R *r);

/* An element's line: libxml2 keeps 16 bits of it in the node (65535: more), so big_lines puts
 * the lines past that in the node's psvi, which nothing else uses here; it scans the bytes the
 * first time a line of the record is asked for (most records are read without a finding). */
static long node_line(R *r, xmlNodePtr n)
{
    if (n->type == XML_ELEMENT_NODE && n->line == 65535 && r->top_big)
        big_lines(r);
    if (n->type == XML_ELEMENT_NODE && n->line == 65535 && n->psvi)
        return (long)(ptrdiff_t)n->psvi;
    return xmlGetLineNo(n);
}

/* Past b[i], the first "end" (whose first byte is *end), the lines counted on the way; the
 * offset after it, or n. */
static size_t skip_to(const unsigned char *b, size_t n, size_t i, const char *end, long *line)
{
    size_t el = strlen(end);
    for (; i < n; i++) {
        if (b[i] == '\n')
            ++*line;
        else if (b[i] == (unsigned char)end[0] && n - i >= el && memcmp(b + i, end, el) == 0)
            return i + el;
    }
    return n;
}

/* The line where the next start tag of the document ends (where libxml2 puts its element), from
 * the bytes; 0 when there is none. Only asked of a document in an encoding ASCII is part of. */
static long next_start_tag(R *r)
{
    const unsigned char *b = r->xml;
    size_t n = r->xlen, i = r->scan_off;
    while (i < n) {
        const unsigned char *lt = memchr(b + i, '<', n - i);
        size_t j = lt ? (size_t)(lt - b) : n;
        for (; i < j; i++)
            r->scan_line += b[i] == '\n';
        if (j + 1 >= n)
            break;
        const char *end = b[j + 1] == '?' ? "?>" : b[j + 1] == '/' ? ">" : NULL;
        if (n - j >= 4 && memcmp(b + j, "<!--", 4) == 0)
            end = "-->";
        else if (n - j >= 9 && memcmp(b + j, "<![CDATA[", 9) == 0)
            end = "]]>";
        else if (b[j + 1] == '!')
            end = ">";
        if (end) {
            i = skip_to(b, n, j + 1, end, &r->scan_line);
            continue;
        }
        unsigned char q = 0; /* a start tag: to its '>', past quoted attribute values */
        for (i = j + 1; i < n && (q || b[i] != '>'); i++) {
            r->scan_line += b[i] == '\n';
            q = q ? (b[i] == q ? 0 : q) : (b[i] == '"' || b[i] == '\'' ? b[i] : 0);
        }
        r->scan_off = i < n ? i + 1 : n;
        r->scan_elem++;
        return r->scan_line;
    }
    r->scan_off = n;
    return 0;
}

#define MAX_DEPTH 256 /* libxml2's own limit, which its option for large text lifts */

/* Record top becomes the record being read: its elements counted (a walk without recursion),
 * and whether one has a line libxml2 could not keep. 1 when its elements nest deeper than
 * MAX_DEPTH below it: the records are read with libxml2's limits lifted for their text, so the
 * depth its limit kept is kept here. */
static int count_elements(R *r, xmlNodePtr top)
{
    size_t count = 0;
    int big = 0, d = 0, deep = 0;
    for (xmlNodePtr n = top; n;) {
        if (n->type == XML_ELEMENT_NODE) {
            count++;
            big |= n->line == 65535;
        }
        if (n->type == XML_ELEMENT_NODE && n->children) {
            n = n->children;
            deep |= ++d > MAX_DEPTH;
            continue;
        }
        while (n != top && !n->next) {
            n = n->parent;
            d--;
        }
        n = n == top ? NULL : n->next;
    }
    const unsigned char *b = r->xml;
    int ascii = r->xlen >= 2 && b[0] != 0 && b[1] != 0 && b[0] != 0xFE && b[0] != 0xFF;
    r->top = top;
    r->top_base = r->nelem;
    r->top_big = big && ascii;
    r->nelem += count;
    return deep;
}

/* The elements of the record being read (in document order) whose line libxml2 could not keep
 * get it from the bytes: the start tags are counted from where the last scan stopped to this
 * record's, then one for each element. */
static void big_lines(R *r)
{
    xmlNodePtr top = r->top;
    size_t base = r->top_base;
    r->top_big = 0;
    if (!r->scan_line)
        r->scan_line = 1;
    while (r->scan_elem < base && next_start_tag(r))
        ;
    for (xmlNodePtr n = top; n && r->scan_elem >= base;) {
        if (n->type == XML_ELEMENT_NODE) {
            long line = next_start_tag(r);
            if (n->line == 65535 && line > 0)
                n->psvi = (void *)(ptrdiff_t)line;
        }
        if (n->type == XML_ELEMENT_NODE && n->children) {
            n = n->children;
            continue;
        }
        while (n != top && !n->next)
            n = n->parent;
        n = n == top ? NULL : n->next;
    }
}

/* ------------------------------------------------------------------------------ findings */

/* The offset of line's first byte. A cursor moves forward from the last line asked for; a line
 * before it starts from the checkpoint kept every EBTS__XLINE_STEP lines, so findings out of
 * document order cost a few lines each, not a scan from the top. */
#define EBTS__XLINE_STEP 1024

/* The last byte of the next line feed at or after from: in UTF-16 the code unit 0x000A (a byte
 * 0x0A may be half of another character), elsewhere the byte; NULL when there is none. */
static const unsigned char *next_lf(const R *r, size_t from)
{
    const unsigned char *b = r->xml;
    for (size_t i = from; i < r->xlen;) {
        const unsigned char *nl = memchr(b + i, '\n', r->xlen - i);
        size_t k = nl ? (size_t)(nl - b) : r->xlen;
        if (!nl || !r->u16)
            return nl;
        if (r->u16 == 1 && k % 2 == 0 && k + 1 < r->xlen && b[k + 1] == 0)
            return nl + 1; /* little-endian: 0A 00 */
        if (r->u16 == 2 && k % 2 == 1 && b[k - 1] == 0)
            return nl; /* big-endian: 00 0A */
        i = k + 1;
    }
    return NULL;
}

static size_t line_offset(R *r, long line)
{
    if (line < r->cur_line) {
        size_t k = (size_t)(line - 1) / EBTS__XLINE_STEP; /* ck[k - 1] is line k * STEP + 1 */
        if (k > r->nck)
            k = r->nck;
        r->cur_line = (long)(k * EBTS__XLINE_STEP) + 1;
        r->cur_off = k ? r->ck[k - 1] : 0;
    }
    while (r->cur_line < line && r->cur_off < r->xlen) {
        const unsigned char *nl = next_lf(r, r->cur_off);
        if (!nl) {
            r->cur_off = r->xlen;
            break;
        }
        r->cur_off = (size_t)(nl - r->xml) + 1;
        r->cur_line++;
        if ((size_t)r->cur_line == (r->nck + 1) * EBTS__XLINE_STEP + 1) {
            if (r->nck == r->capck) {
                size_t cap = r->capck ? r->capck * 2 : 64;
                size_t *ck = realloc(r->ck, cap * sizeof *ck);
                if (!ck)
                    continue; /* slower, not wrong */
                r->ck = ck;
                r->capck = cap;
            }
            r->ck[r->nck++] = r->cur_off;
        }
    }
    return r->cur_off;
}

/* The findings from index n0 on that have no line yet: at line. */
static void at_line(R *r, size_t n0, long line)
{
    ebts__dlist *dl = &r->t->dl;
    size_t i = n0;
    while (i < dl->n && dl->d[i].line != 0)
        i++;
    if (i == dl->n) /* the usual case: nothing to place, and no line's offset to look for */
        return;
    size_t off = line > 0 ? line_offset(r, line) : 0;
    for (; i < dl->n; i++)
        if (dl->d[i].line == 0) {
            dl->d[i].line = line;
            dl->d[i].offset = off;
        }
}

/* The findings from index n0 on that have no line yet: at the line of element n, which is only
 * looked for when there is one. */
static void at_node(R *r, size_t n0, xmlNodePtr n)
{
    if (r->t->dl.n > n0)
        at_line(r, n0, node_line(r, n));
}

#if defined(__GNUC__)
__attribute__((format(printf, 8, 9)))
#endif
static void
finding(R *r, long line, enum ebts__code_id code, long rec, unsigned rtype, unsigned field,
        long sub, const char *fmt, ...)
{
    char msg[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    size_t n0 = r->t ? r->t->dl.n : 0;
    if (!r->t)
        return;
    ebts__diag_add(&r->t->dl, code, EBTS__AT_ITEM(0, rec, rtype, field, sub, -1), "%s", msg);
    at_line(r, n0, line);
}

static long rec_now(const R *r)
{
    return r->t ? (long)r->t->nrecs - 1 : -1;
}

static void qname(xmlNodePtr n, char *out, size_t size)
{
    int pre = n->ns && n->ns->prefix;
    snprintf(out, size, "%s%s%s", pre ? (const char *)n->ns->prefix : "", pre ? ":" : "",
             (const char *)n->name);
}

static void unknown(R *r, xmlNodePtr n)
{
    long line = node_line(r, n);
    finding(r, line, EBTS__C_XML_UNKNOWN_ELEMENT, rec_now(r), 0, 0, -1,
            "line %ld: element %s is not part of the mapping; left out", line,
            (const char *)n->name);
}

static void unplaced(R *r, xmlNodePtr n, const char *why)
{
    char name[160];
    qname(n, name, sizeof name);
    long line = node_line(r, n);
    finding(r, line, EBTS__C_XML_ELEMENT_UNPLACED, rec_now(r), 0, 0, -1,
            "line %ld: element %s holds data %s", line, name, why);
}

/* Text that is not only white space where no value is read (between records, beside the
 * children of an element): said, never dropped silently. Its line is where its first
 * character that is not white space stands. */
static void stray_text(R *r, xmlNodePtr t)
{
    const xmlChar *p = t->content;
    while (p && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
        p++;
    if (!p || !*p)
        return;
    /* libxml2 gives a text node the line where it ends, a CDATA section where it begins */
    long line = xmlGetLineNo(t);
    if (t->type == XML_CDATA_SECTION_NODE)
        for (const xmlChar *q = t->content; line > 0 && q < p; q++)
            line += *q == '\n';
    else
        for (const xmlChar *q = p; line > 0 && *q; q++)
            line -= *q == '\n';
    if (line < 1 && t->parent)
        line = node_line(r, t->parent);
    char show[24], where[180] = "between records";
    size_t k = 0;
    for (; p[k] && k < sizeof show - 1 && p[k] != '\n' && p[k] != '\r'; k++)
        show[k] = (char)(p[k] < 0x20 || p[k] >= 0x7f ? '?' : p[k]);
    show[k] = 0;
    if (t->parent && t->parent->type == XML_ELEMENT_NODE && t->parent->parent &&
        t->parent->parent->type == XML_ELEMENT_NODE) {
        memcpy(where, "in element ", 11);
        qname(t->parent, where + 11, sizeof where - 11);
    }
    if (!r->t) { /* before the first record: said once it is read */
        if (!r->early_line) {
            r->early_line = line;
            snprintf(r->early, sizeof r->early, "%s%s", show, p[k] ? "..." : "");
        }
        return;
    }
    finding(r, line, EBTS__C_XML_ELEMENT_UNPLACED, rec_now(r), 0, 0, -1,
            "line %ld: text \"%s%s\" %s is no field's; left out", line, show, p[k] ? "..." : "",
            where);
}

/* ------------------------------------------------------------------------- values */

static int all_digits(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] < '0' || p[i] > '9')
            return 0;
    return 1;
}

static val *add_val(R *r, unsigned field, size_t sub, int item, int conv, xmlNodePtr node)
{
    if (r->nv == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 32;
        val *v = realloc(r->v, cap * sizeof *v);
        if (!v) {
            r->oom = 1;
            return NULL;
        }
        r->v = v;
        r->cap = cap;
    }
    val *x = &r->v[r->nv++];
    *x = (val){field, sub, item, conv, 0, "", NULL, 0, 0, NULL, 0, node, 0, 0};
    return x;
}

static void add_text(R *r, unsigned field, size_t sub, int item, int conv, xmlNodePtr node,
                     const char *text)
{
    char *copy = strdup(text ? text : "");
    val *x = copy ? add_val(r, field, sub, item, conv, node) : NULL;
    if (!x) {
        free(copy);
        r->oom = 1;
        return;
    }
    x->text = copy;
    x->own = 1;
}

/* The text of leaf n where it is one text node (or none), which stays while the record is
 * built; NULL when it must be put together. */
static char *leaf_text(xmlNodePtr n)
{
    xmlNodePtr c = n->children;
    if (!c)
        return "";
    if (c->next || (c->type != XML_TEXT_NODE && c->type != XML_CDATA_SECTION_NODE))
        return NULL;
    return c->content ? (char *)c->content : "";
}

static long vline(R *r, const val *x)
{
    return node_line(r, x->node);
}

static void drop_vals(R *r)
{
    for (size_t k = 0; k < r->nv; k++)
        if (r->v[k].own)
            free(r->v[k].text);
    r->nv = 0;
}

static char *text_of(xmlNodePtr n)
{
    xmlChar *c = xmlNodeGetContent(n);
    char *s = strdup(c ? (const char *)c : "");
    xmlFree(c);
    return s;
}

static int has_text(xmlNodePtr n)
{
    for (xmlNodePtr c = n->children; c; c = c->next) {
        if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
            for (const xmlChar *p = c->content; p && *p; p++)
                if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n')
                    return 1;
        } else if (c->type == XML_ELEMENT_NODE && has_text(c)) {
            return 1;
        }
    }
    return 0;
}

static int has_element_child(xmlNodePtr n)
{
    for (xmlNodePtr c = n->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE)
            return 1;
    return 0;
}

/* An element inside a value's element (or a carrier's) is no part of the value: said at its
 * line, as a finding of the value's field. */
static void inside_value(R *r, xmlNodePtr c, unsigned rtype, unsigned field)
{
    char name[160];
    qname(c, name, sizeof name);
    long line = node_line(r, c);
    if (has_text(c))
        finding(r, line, EBTS__C_XML_ELEMENT_UNPLACED, rec_now(r), rtype, field, -1,
                "line %ld: element %s holds data inside a value; left out", line, name);
    else
        finding(r, line, EBTS__C_XML_UNKNOWN_ELEMENT, rec_now(r), rtype, field, -1,
                "line %ld: element %s inside a value is not part of the mapping; left out", line,
                (const char *)c->name);
}

/* The text of value element n, put together from its text and CDATA children (comments and
 * processing instructions split it and add nothing; elements inside it are said, and left
 * out); NULL when out of memory. */
static char *own_text(R *r, xmlNodePtr n, unsigned rtype, unsigned field)
{
    size_t len = 0, at = 0;
    for (xmlNodePtr c = n->children; c; c = c->next)
        if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content)
            len += strlen((const char *)c->content);
    char *s = malloc(len + 1);
    if (!s)
        return NULL;
    for (xmlNodePtr c = n->children; c; c = c->next) {
        if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content) {
            size_t k = strlen((const char *)c->content);
            memcpy(s + at, c->content, k);
            at += k;
        } else if (c->type == XML_ELEMENT_NODE) {
            inside_value(r, c, rtype, field);
        }
    }
    s[at] = 0;
    return s;
}

/* ------------------------------------------------------------------------- base64 */

/* A base64 character's value + 1; 0 for a byte that is none, SKIP for the padding and the
 * white space a document may put between them. */
#define SKIP 100
static const unsigned char b64_tab[256] = {
      0,   0,   0,   0,   0,   0,   0,   0,   0, 100, 100,   0,   0, 100,   0,   0,
      0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,
    100,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,  63,   0,   0,   0,  64,
     53,  54,  55,  56,  57,  58,  59,  60,  61,  62,   0,   0,   0, 100,   0,   0,
      0,   1,   2,   3,   4,   5,   6,   7,   8,   9,  10,  11,  12,  13,  14,  15,
     16,  17,  18,  19,  20,  21,  22,  23,  24,  25,  26,   0,   0,   0,   0,   0,
      0,  27,  28,  29,  30,  31,  32,  33,  34,  35,  36,  37,  38,  39,  40,  41,
     42,  43,  44,  45,  46,  47,  48,  49,  50,  51,  52,   0,   0,   0,   0,   0,
      0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,
      0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,
      0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,
      0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,
      0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,
      0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,
      0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,
      0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,
};

typedef struct {
    unsigned acc;
    int bits, bad, pad; /* pad: the padding began; only more of it and white space may follow */
} b64;

/* s decoded onto out[*n...] (room enough: 3 bytes per 4 characters); 0, or -1 at the first
 * character that is no base64 (what came before it is kept). */
static int b64_feed(b64 *d, const char *s, size_t len, unsigned char *out, size_t *n)
{
    for (size_t i = 0; i < len; i++) {
        while (d->bits == 0 && !d->pad && len - i >= 4) { /* four characters, three bytes */
            unsigned a = b64_tab[(unsigned char)s[i]], b = b64_tab[(unsigned char)s[i + 1]],
                     c = b64_tab[(unsigned char)s[i + 2]], e = b64_tab[(unsigned char)s[i + 3]];
            if (a - 1 > 63 || b - 1 > 63 || c - 1 > 63 || e - 1 > 63)
                break;
            unsigned x = (a - 1) << 18 | (b - 1) << 12 | (c - 1) << 6 | (e - 1);
            out[*n] = (unsigned char)(x >> 16);
            out[*n + 1] = (unsigned char)(x >> 8);
            out[*n + 2] = (unsigned char)x;
            *n += 3;
            i += 4;
        }
        if (i >= len)
            break;
        unsigned v = b64_tab[(unsigned char)s[i]];
        if (v == SKIP) {
            d->pad |= s[i] == '=';
            continue;
        }
        if (v == 0 || d->pad) {
            d->bad = 1;
            break;
        }
        d->acc = d->acc << 6 | (v - 1);
        d->bits += 6;
        if (d->bits >= 8) {
            d->bits -= 8;
            out[(*n)++] = (unsigned char)((d->acc >> d->bits) & 0xff);
        }
    }
    return d->bad ? -1 : 0;
}

/* The end of the text: 6 bits left over are a character no byte was made of. */
static int b64_end(b64 *d)
{
    d->bad |= d->bits == 6;
    return d->bad ? -1 : 0;
}

static int base64_to_buf(const char *s, ebts__buf *out)
{
    size_t len = strlen(s), n = 0;
    unsigned char *room = malloc(len / 4 * 3 + 3);
    if (!room) {
        out->oom = 1;
        return -1;
    }
    b64 d = {0, 0, 0, 0};
    int rc = b64_feed(&d, s, len, room, &n) < 0 ? -1 : b64_end(&d);
    ebts__buf_put(out, room, n);
    free(room);
    return out->oom ? -1 : rc;
}

/* The text of leaf n decoded into the transaction's arena, read from its text nodes as they are
 * (no copy of the text). 0, or -1 when it is not base64 (*bytes holds what came before). */
static int decode_image(R *r, xmlNodePtr n, const unsigned char **bytes, size_t *len)
{
    size_t total = 0;
    *bytes = (const unsigned char *)"";
    *len = 0;
    for (xmlNodePtr c = n->children; c; c = c->next)
        if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content)
            total += strlen((const char *)c->content);
        else if (c->type != XML_COMMENT_NODE && c->type != XML_PI_NODE)
            return -1;
    size_t avail = 0, k = 0;
    /* in 8-byte steps, as the arena takes them */
    unsigned char *out =
        ebts__arena_room(&r->t->arena, (total / 4 * 3 + 3 + 7) & ~(size_t)7, &avail);
    if (!out) {
        r->oom = 1;
        return -1;
    }
    b64 d = {0, 0, 0, 0};
    for (xmlNodePtr c = n->children; c && !d.bad; c = c->next)
        if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content)
            b64_feed(&d, (const char *)c->content, strlen((const char *)c->content), out, &k);
    ebts__arena_take(&r->t->arena, k);
    *bytes = out;
    *len = k;
    return b64_end(&d);
}

/* ------------------------------------------------------------------------- the tables */

/* The version whose namespaces the document declares (the biometrics namespace tells NIEM 2.0
 * from NIEM 4.0); NULL when neither. */
static const ebts__xmap *ns_map(const xmlChar *href)
{
    static const ebts__xmap *const maps[] = {&ebts__xmap_v112, &ebts__xmap_v100};
    for (size_t m = 0; href && m < sizeof maps / sizeof maps[0]; m++)
        for (int i = 0; i < maps[m]->nns; i++)
            if (strcmp(maps[m]->ns[i].prefix, "itl") != 0 &&
                strcmp((const char *)href, maps[m]->ns[i].uri) == 0)
                return maps[m];
    return NULL;
}

static const ebts__xmap *map_below(xmlNodePtr n, int depth)
{
    const ebts__xmap *m = n->type == XML_ELEMENT_NODE && n->ns ? ns_map(n->ns->href) : NULL;
    for (xmlNodePtr c = n->children; c && !m && depth > 0; c = c->next)
        if (c->type == XML_ELEMENT_NODE)
            m = map_below(c, depth - 1);
    return m;
}

static const ebts__xmap *map_of_root(xmlNodePtr root)
{
    for (xmlNsPtr d = root ? root->nsDef : NULL; d; d = d->next)
        if (ns_map(d->href))
            return ns_map(d->href);
    return NULL;
}

/* The index of the version's namespace whose URI is href, or -1. */
static int ns_index_of(const ebts__xmap *m, const xmlChar *href)
{
    for (int i = 0; href && i < m->nns; i++)
        if (strcmp((const char *)href, m->ns[i].uri) == 0)
            return i;
    return -1;
}

/* A (parent, namespace, element name) the tables were asked for, and the child they gave (+ 1;
 * 0: a free slot). The name is the reader's own copy, from its dictionary. */
struct place {
    int parent, ns, child1;
    const xmlChar *name;
};
#define PLACES 4096

/* The child of table node parent (-1: the records) named name, or -1. */
static int xchild(const ebts__xmap *m, int parent, const char *name)
{
    if (parent < 0) { /* the records follow each other: their ends chain */
        for (int i = 0; i < m->nnodes; i = m->nodes[i].end)
            if (strcmp(m->nodes[i].name, name) == 0)
                return i;
        return -1;
    }
    int lo = m->nodes[parent].first, a = 0, b = m->nodes[parent].nchild;
    while (a < b) { /* the children are sorted by name, each followed by its descendants */
        int mid = (a + b) / 2, k = lo;
        for (int j = 0; j < mid; j++)
            k = m->nodes[k].end;
        int c = strcmp(m->nodes[k].name, name);
        if (c == 0)
            return k;
        if (c < 0)
            a = mid + 1;
        else
            b = mid;
    }
    return -1;
}

static int is_ns(xmlNodePtr n, const char *uri, const char *local)
{
    return n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
           strcmp((const char *)n->ns->href, uri) == 0 && strcmp((const char *)n->name, local) == 0;
}

/* The index in the tables' namespaces of ns (the first whose URI is ns's), or -1; the root's
 * declarations, which most elements use, are told by their address. */
static int ns_index(R *r, xmlNsPtr ns)
{
    const ebts__xmap *m = r->m;
    if (!ns || !ns->href)
        return -1;
    if (r->nnsc < 0) {
        r->nnsc = 0;
        for (xmlNsPtr d = r->root ? r->root->nsDef : NULL; d && r->nnsc < 16; d = d->next) {
            r->nsc[r->nnsc] = d;
            r->nsc_idx[r->nnsc++] = ns_index_of(m, d->href);
        }
    }
    for (int i = 0; i < r->nnsc; i++)
        if (r->nsc[i] == ns)
            return r->nsc_idx[i];
    return ns_index_of(m, ns->href);
}

/* The table child of node parent (-1: the records) that element n is, or -1. The answers are
 * kept by (parent, namespace, name): the reader's names come from its dictionary, which lives as
 * long as the reader, so one name is one address (a name outside it is looked up each time). */
static int lookup(R *r, xmlNodePtr n, int parent)
{
    if (n->type != XML_ELEMENT_NODE)
        return -1;
    int i = ns_index(r, n->ns);
    if (i < 0)
        return -1;
    uintptr_t a = (uintptr_t)n->name;
    unsigned h = (unsigned)(a >> 3 ^ a >> 15) * 2654435761u ^ (unsigned)(parent + 1) * 40503u;
    h = (h ^ (unsigned)i) * 2654435761u;
    h ^= h >> 16;
    if (!r->places && !(r->places = calloc(PLACES, sizeof *r->places)))
        r->oom = 1;
    struct place *slot = NULL;
    for (unsigned j = 0; r->places && j < 8; j++) {
        struct place *e = &r->places[(h + j) & (PLACES - 1)];
        if (e->child1 == 0) {
            slot = e;
            break;
        }
        if (e->name == n->name && e->parent == parent && e->ns == i)
            return e->child1 - 1;
    }
    char name[200];
    int w = snprintf(name, sizeof name, "%s:%s", r->m->ns[i].prefix, (const char *)n->name);
    int ck = w > 0 && (size_t)w < sizeof name ? xchild(r->m, parent, name) : -1;
    if (ck >= 0 && slot && n->doc && n->doc->dict && xmlDictOwns(n->doc->dict, n->name) == 1)
        *slot = (struct place){parent, i, ck + 1, n->name};
    return ck;
}

static int set_map(R *r, const ebts__xmap *m)
{
    int nn = m->nnodes;
    r->m = m;
    r->count = calloc((size_t)nn, sizeof *r->count);
    r->last_sub = calloc((size_t)nn, sizeof *r->last_sub);
    r->last_grp = calloc((size_t)nn, sizeof *r->last_grp);
    r->is_grp = calloc((size_t)nn, 1);
    if (!r->count || !r->last_sub || !r->last_grp || !r->is_grp)
        return r->oom = 1, -1;
    for (int k = 0; k < nn; k++)
        if (m->nodes[k].grp >= 0)
            r->is_grp[m->nodes[k].grp] = 1;
    return 0;
}

/* ------------------------------------------------------------------- reading one record */

/* A content summary's IDC: a record without its own takes it. */
static void summary_idc(R *r, xmlNodePtr n)
{
    if (r->ncnt == r->capcnt) {
        size_t cap = r->capcnt ? r->capcnt * 2 : 16;
        int *v = realloc(r->cnt_idc, cap * sizeof *v);
        if (!v) {
            r->oom = 1;
            return;
        }
        r->cnt_idc = v;
        r->capcnt = cap;
    }
    char *text = text_of(n);
    if (!text) {
        r->oom = 1;
        return;
    }
    size_t len = strlen(text);
    r->cnt_idc[r->ncnt++] =
        len > 0 && len <= 2 && all_digits((const unsigned char *)text, len) ? atoi(text) : -1;
    free(text);
}

/* Does element n hold a child element of table node k? */
static int holds_child(R *r, xmlNodePtr n, int k)
{
    const char *want = r->m->nodes[k].name, *colon = strchr(want, ':');
    for (xmlNodePtr c = n ? n->children : NULL; c && colon; c = c->next) {
        int i = c->type == XML_ELEMENT_NODE ? ns_index(r, c->ns) : -1;
        if (i >= 0 && strcmp((const char *)c->name, colon + 1) == 0 &&
            strlen(r->m->ns[i].prefix) == (size_t)(colon - want) &&
            strncmp(r->m->ns[i].prefix, want, (size_t)(colon - want)) == 0)
            return 1;
    }
    return 0;
}

/* The subfield of a by_child leaf read as its own field: its entries follow every subfield
 * the field's other element gives (FGP's PersonGeneralizedFrictionRidgePositions, first in the
 * schema's order), wherever the document puts them. A field's subfields are numbered by their
 * order when the field is built, so the numbers between are no empty subfields; the elements of
 * a document within the input limit number fewer than this base. */
#define AFTER_OTHERS (INT_MAX / 2)

/* One leaf element of table node k: its value at (field, subfield, item). */
static void read_leaf(R *r, xmlNodePtr n, int k, unsigned rtype)
{
    const ebts__xnode *x = &r->m->nodes[k];
    if (x->conv == EBTS__XC_RCC || x->conv == EBTS__XC_CONST)
        return; /* the record's type, which its element gives; a fixed companion (a unit) */
    int sub = x->rep >= 0 ? r->count[x->rep] - 1 : 0;
    int grp = x->grp >= 0 ? r->count[x->grp] - 1 : -1;
    if (sub < 0)
        sub = 0;
    unsigned field = x->field;
    int xitem = x->item, entry = sub;
    if (x->by_child >= 0 && holds_child(r, n->parent, x->by_child)) {
        field = x->by_field; /* PAT's finger number beside its pattern code */
        xitem = x->by_item;
    } else if (x->by_child >= 0) {
        sub = AFTER_OTHERS + sub;
    }
    if (x->conv == EBTS__XC_CNT) { /* derived from the records */
        if (grp >= 0 && !strstr(x->name, "CategoryCode"))
            summary_idc(r, n);
        return;
    }
    if (r->last_sub[k] == entry && r->last_grp[k] == grp) {
        unplaced(r, n, "a second time where its field has room for one; left out");
        return;
    }
    r->last_sub[k] = entry;
    r->last_grp[k] = grp;
    int item = grp >= 0 ? x->tail_base + grp * x->tail_len + xitem : xitem;
    if (x->conv == EBTS__XC_BASE64 && rtype != 4 && rtype != 7) {
        val *v = add_val(r, field, (size_t)sub, item, x->conv, n);
        long line = v && decode_image(r, n, &v->bytes, &v->nbytes) < 0 && !r->oom
                        ? node_line(r, n) : 0;
        if (line)
            finding(r, line, EBTS__C_XML_VALUE_INVALID, rec_now(r), rtype, x->field, -1,
                    "line %ld: %u.%03u: the image is not base64", line, rtype, x->field);
        return;
    }
    char *text = leaf_text(n);
    if (text) {
        val *v = add_val(r, field, (size_t)sub, item, x->conv, n);
        if (v)
            v->text = text;
    } else if ((text = own_text(r, n, rtype, field)) != NULL) {
        add_text(r, field, (size_t)sub, item, x->conv, n, text);
        free(text);
    } else {
        r->oom = 1;
    }
    if (!r->oom && x->part > 0) {
        r->v[r->nv - 1].part = x->part;
        r->v[r->nv - 1].sep = x->sep;
    }
}

static void enter(R *r, int k)
{
    const ebts__xnode *x = &r->m->nodes[k];
    r->count[k]++;
    for (int d = k + 1; d < x->end; d++)
        if (r->is_grp[d])
            r->count[d] = 0;
}

/* The elements below xml node n, which is table node k (recursion bounded by the table's
 * depth: an element the table does not know is not descended into). */
static void read_under(R *r, xmlNodePtr n, int k, unsigned rtype)
{
    for (xmlNodePtr c = n->children; c; c = c->next) {
        if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE)
            stray_text(r, c);
        if (c->type != XML_ELEMENT_NODE)
            continue;
        int ck = lookup(r, c, k);
        if (ck < 0) {
            if (rtype == 1 && strcmp((const char *)c->name, "TransactionCategoryCode") == 0 &&
                !has_element_child(c)) {
                /* TOT, which every domain spells in its own namespace */
                char *text = text_of(c);
                if (!text)
                    r->oom = 1;
                else
                    add_text(r, 4, 0, -1, EBTS__XC_TEXT, c, text);
                free(text);
            } else if (has_text(c)) {
                unplaced(r, c, "but is not part of the mapping; left out");
            } else {
                unknown(r, c);
            }
            continue;
        }
        enter(r, ck);
        if (r->m->nodes[ck].conv != EBTS__XC_NONE)
            read_leaf(r, c, ck, rtype);
        else
            read_under(r, c, ck, rtype);
    }
}

/* A lebts:Field tag: "T.N" or "T" alone (T the record's type), digits only; *f = N, or 0 for
 * "T" (bytes without a tag); *tt = T. A "T.N" of another type (0 and those above 254 too) is a
 * field of the record whose tag names that type, as a traditional record may spell one (14.005,
 * 0.005 or 300.005 in Type-2). -1 for anything else. */
static int carrier_tag(const xmlChar *tag, unsigned rtype, unsigned *f, unsigned *tt)
{
    const char *s = (const char *)tag, *dot = s ? strchr(s, '.') : NULL;
    size_t tl = dot ? (size_t)(dot - s) : s ? strlen(s) : 0, fl = dot ? strlen(dot + 1) : 0;
    if (tl == 0 || tl > 9 || !all_digits(tag, tl))
        return -1;
    *tt = (unsigned)strtoul(s, NULL, 10);
    if (*tt != rtype && !dot)
        return -1;
    *f = 0;
    if (!dot)
        return 0;
    if (fl == 0 || fl > 9 || !all_digits((const unsigned char *)dot + 1, fl))
        return -1;
    *f = (unsigned)strtoul(dot + 1, NULL, 10);
    return 0;
}

/* A lebts:Field: its bytes, at item -2 (tag T.N) or -3 (T alone: bytes without a tag). */
static void read_carrier_field(R *r, xmlNodePtr c, unsigned rtype)
{
    xmlChar *tag = xmlGetProp(c, (const xmlChar *)"tag");
    xmlChar *enc = xmlGetProp(c, (const xmlChar *)"encoding");
    unsigned f = 0, tt = rtype;
    char *text = NULL;
    int is64 = enc && strcmp((const char *)enc, "base64") == 0;
    int conv = is64 ? EBTS__XC_BASE64 : EBTS__XC_TEXT;
    char why[120];
    if (enc && !is64 && strcmp((const char *)enc, "text") != 0)
        unplaced(r, c, "in a lebts:Field of an encoding neither text nor base64; left out");
    else if (carrier_tag(tag, rtype, &f, &tt) < 0) {
        snprintf(why, sizeof why, "in a lebts:Field without a tag %u.N or %u; left out", rtype,
                 rtype);
        unplaced(r, c, why);
    } else if (!(text = own_text(r, c, tt, f))) {
        r->oom = 1;
    } else {
        size_t nv = r->nv;
        add_text(r, f, 0, strchr((const char *)tag, '.') ? -2 : -3, conv, c, text);
        if (r->nv > nv) {
            r->v[r->nv - 1].tagtype = tt;
            r->v[r->nv - 1].foreign = tt != rtype;
        }
    }
    free(text);
    xmlFree(tag);
    xmlFree(enc);
}

/* Collect the values of one record element (table node rk); lebts:Field children first. */
static void read_mapped(R *r, xmlNodePtr rec, int rk)
{
    const ebts__xmap *m = r->m;
    for (int i = rk; i < m->nodes[rk].end; i++) {
        r->count[i] = 0;
        r->last_sub[i] = r->last_grp[i] = -2;
    }
    r->count[rk] = 1;
    for (xmlNodePtr c = rec->children; c; c = c->next)
        if (is_ns(c, EBTS__NS_LEBTS, "Field"))
            read_carrier_field(r, c, m->nodes[rk].rtype);
    for (xmlNodePtr c = rec->children; c; c = c->next) {
        if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE)
            stray_text(r, c);
        if (c->type != XML_ELEMENT_NODE || is_ns(c, EBTS__NS_LEBTS, "Field"))
            continue;
        int ck = lookup(r, c, rk);
        if (ck < 0) {
            if (has_text(c))
                unplaced(r, c, "but is not part of the mapping; left out");
            else
                unknown(r, c);
            continue;
        }
        enter(r, ck);
        if (m->nodes[ck].conv != EBTS__XC_NONE)
            read_leaf(r, c, ck, m->nodes[rk].rtype);
        else
            read_under(r, c, ck, m->nodes[rk].rtype);
    }
}

/* ------------------------------------------------------------------ building the record */

/* An xs:decimal fraction of one as EBTS's percent in two digits at least (".1", "0.10" -> "10",
 * "1" -> "100"); 0 when it is no such fraction or has more than a percent's digits. */
static int percent_in(const char *x, char *out, size_t size)
{
    const char *p = x + (*x == '+');
    long whole = 0, frac = 0;
    size_t nd = 0, nf = 0;
    for (; *p >= '0' && *p <= '9' && nd < 4; p++, nd++)
        whole = whole * 10 + (*p - '0');
    if (*p == '.')
        for (p++; *p >= '0' && *p <= '9'; p++, nf++) {
            if (nf >= 2 && *p != '0')
                return 0;
            if (nf < 2)
                frac = frac * 10 + (*p - '0');
        }
    if (*p || nd + nf == 0 || whole > 1)
        return 0;
    if (nf == 1)
        frac *= 10;
    long pct = whole * 100 + frac;
    if (pct > 100)
        return 0;
    snprintf(out, size, "%02ld", pct);
    return 1;
}

/* XML value form back to the traditional one; 0 if it is not of the form expected. */
static int convert_in(int conv, const char *x, char *out, size_t size)
{
    size_t n = strlen(x);
    switch (conv) {
    case EBTS__XC_DATE:
        if (n != 10 || x[4] != '-' || x[7] != '-' || size < 9)
            return 0;
        memcpy(out, x, 4); /* YYYY-MM-DD: the whole string, no NUL within it */
        memcpy(out + 4, x + 5, 2);
        memcpy(out + 6, x + 8, 2);
        out[8] = 0;
        return all_digits((const unsigned char *)out, 8);
    case EBTS__XC_DATETIME:
        if (n != 20 || x[10] != 'T' || x[19] != 'Z' || size < 16)
            return 0;
        memcpy(out, x, 4); /* YYYY-MM-DDThh:mm:ssZ */
        for (int i = 0; i < 5; i++)
            memcpy(out + 4 + 2 * i, x + 5 + 3 * i, 2);
        out[14] = 'Z';
        out[15] = 0;
        return all_digits((const unsigned char *)out, 14);
    case EBTS__XC_BOOL:
        if (strcmp(x, "true") == 0 || strcmp(x, "1") == 0)
            snprintf(out, size, "Y");
        else if (strcmp(x, "false") == 0 || strcmp(x, "0") == 0)
            snprintf(out, size, "N");
        else
            return 0;
        return 1;
    case EBTS__XC_INT2:
        while (n > 2 && x[0] == '0') /* an xs:integer may have leading zeros */
            x++, n--;
        if (n == 0 || n >= size || !all_digits((const unsigned char *)x, n))
            return 0;
        snprintf(out, size, "%s%s", n == 1 ? "0" : "", x);
        return 1;
    case EBTS__XC_PCT:
        return percent_in(x, out, size);
    case EBTS__XC_CGA: {
        const char *label = ebts__xml_cga_label(x);
        if (!label)
            return 0;
        snprintf(out, size, "%s", label);
        return 1;
    }
    default:
        return 0;
    }
}

static int cmp_val(const void *a, const void *b)
{
    const val *x = a, *y = b;
    if (x->field != y->field)
        return x->field == 999 ? 1 : y->field == 999 ? -1 : x->field < y->field ? -1 : 1;
    if (x->sub != y->sub)
        return x->sub < y->sub ? -1 : 1;
    if (x->item != y->item)
        return x->item < y->item ? -1 : 1;
    return x->part < y->part ? -1 : x->part > y->part;
}

/* What the traditional encoding's reader says of a value (the XML reader builds values it never
 * frames): a leading space, a byte above 0x7F where 7-bit ASCII is declared, an item that begins
 * like a tag of its record (it stays an item here; in traditional bytes it would end the field). */
/* The line of the value at (sub, item), asked in their order: *k, where the last search
 * stopped, moves forward only (vs is sorted by subfield, then item), so a field of n values
 * costs n steps, not n per separator. */
static xmlNodePtr node_of(const val *vs, size_t nvs, long sub, long item, size_t *k)
{
    while (*k < nvs && ((long)vs[*k].sub < sub ||
                        ((long)vs[*k].sub == sub && vs[*k].item >= 0 && vs[*k].item < item)))
        ++*k;
    if (*k < nvs && (long)vs[*k].sub == sub && (vs[*k].item < 0 || vs[*k].item == item))
        return vs[*k].node;
    return vs[0].node;
}

/* vs[0, nvs): the values the field was made of, for their lines. */
static void check_value(R *r, size_t ri, const ebts_field *f, const val *vs, size_t nvs)
{
    unsigned rtype = r->t->recs[ri]->type;
    size_t n0 = r->t->dl.n;
    if (!f || (f->flags & EBTS__F_BINARY))
        return;
    if (f->len > 0 && f->val[0] == ' ' && !(f->flags & EBTS__F_MALFORMED))
        ebts__diag(r->t, EBTS__C_LEADING_SPACE, EBTS__AT_FIELD(0, (long)ri, rtype, f->number),
                   "value begins with a space");
    for (uint32_t i = 0; (rtype == 1 || r->ascii7) && i < f->len; i++)
        if (f->val[i] >= 0x80) {
            ebts__diag(r->t, EBTS__C_NON_ASCII, EBTS__AT_FIELD(0, (long)ri, rtype, f->number),
                       "byte 0x%02X at byte %u of the value in 7-bit ASCII data%s", f->val[i], i,
                       rtype == 1 ? " (Type-1 is always 7-bit)" : "");
            break;
        }
    long sub = 0, item = 0;
    size_t k = 0;
    for (uint32_t i = 0; !(f->flags & EBTS__F_MALFORMED) && i < f->len; i++) {
        while (i < f->len && (f->val[i] & 0xFE) != EBTS__RS) /* neither RS (1E) nor US (1F) */
            i++;
        if (i == f->len)
            break;
        unsigned char c = f->val[i];
        sub += c == EBTS__RS;
        item = c == EBTS__RS ? 0 : item + 1;
        size_t len = ebts__tag_of_type(f->val, f->len, i + 1, rtype);
        size_t n1 = r->t->dl.n;
        if (len)
            ebts__diag(r->t, EBTS__C_VALUE_READS_AS_TAG,
                       EBTS__AT_ITEM(0, (long)ri, rtype, f->number, sub, item),
                       EBTS__READS_AS_TAG_MSG, (int)len, (const char *)(f->val + i + 1),
                       c == EBTS__RS ? "RS" : "US");
        if (r->t->dl.n > n1)
            at_node(r, n1, node_of(vs, nvs, sub, item, &k));
    }
    at_node(r, n0, vs[0].node);
}

/* The first field numbered `number` of record ri (first: 1) or its last (looked for from the
 * end, where a field just appended stands). */
static const ebts_field *field_at(const ebts_record *rec, unsigned number, int first)
{
    for (uint32_t k = 0; k < rec->nfields; k++) {
        uint32_t i = first ? k : rec->nfields - 1 - k;
        if (rec->fields[i].number == number && !(rec->fields[i].flags & EBTS__F_MALFORMED))
            return &rec->fields[i];
    }
    return NULL;
}

/* The field just carried gets its tag's record type, as the traditional reader keeps it, and
 * the same warning. */
static void foreign_tag(R *r, size_t ri, const val *x)
{
    ebts_record *rec = r->t->recs[ri];
    ebts_field *f = NULL; /* the last of its number whose tag is the record's own: just added */
    for (uint32_t i = rec->nfields; i-- > 0 && !f;)
        if (rec->fields[i].number == x->field && ebts__tagtype(&rec->fields[i]) == rec->type)
            f = &rec->fields[i];
    if (!f)
        return;
    char tag[32];
    int tw = snprintf(tag, sizeof tag, "%u", x->tagtype);
    int nw = snprintf(tag + tw, sizeof tag - (size_t)tw, ".%03u:", x->field) - 2;
    f->type_w = (uint8_t)tw;
    f->num_w = (uint8_t)nw;
    if (x->tagtype < EBTS__TAGTYPE_BIG) {
        f->tagtype = (uint8_t)x->tagtype;
    } else { /* its type is read from the tag before the value, as the traditional reader has it */
        size_t pre = (size_t)f->type_w + f->num_w + 2u;
        unsigned char *p = ebts__arena_alloc(&r->t->arena, pre + f->len);
        if (!p) {
            r->oom = 1;
            return;
        }
        memcpy(p, tag, pre); /* "T.N:" */
        if (f->len)
            memcpy(p + pre, f->val, f->len);
        f->val = p + pre;
        f->tagtype = EBTS__TAGTYPE_BIG;
    }
    long line = vline(r, x);
    finding(r, line, EBTS__C_TAG_TYPE_MISMATCH, (long)ri, rec->type, x->field, -1,
            "line %ld: tag %u.%u in a Type-%u record", line, x->tagtype, x->field, rec->type);
}

/* A lebts:Field whose tag names another record type than its record's (14.005 in Type-2): it
 * has no place among the record's numbers, and is added after the record's other fields, where
 * the writer puts it in the document. */
static int foreign(const val *x)
{
    return x->item == -2 && x->foreign;
}

/* Added after the record's other fields, in document order: a foreign tag's carrier, and one of
 * the record's own tag that the document has after a foreign tag of its number (1.002 after 2.2
 * in a Type-1 record), so that the occurrences of the number keep their order. */
static int at_end(const val *x)
{
    return foreign(x) || (x->item == -2 && x->late);
}

/* Mark late the carriers of the record's own tags that follow, in the document, a foreign tag's
 * carrier of their number (carriers are the first values, in document order): their numbers'
 * runs sorted, n log n whatever the order of the numbers. -1 without memory. */
static int mark_late(R *r)
{
    size_t n = 0;
    for (size_t k = 0; k < r->nv; k++)
        n += r->v[k].item == -2;
    if (n < 2)
        return 0;
    uint64_t *key = malloc(n * sizeof *key);
    if (!key)
        return -1;
    n = 0;
    for (size_t k = 0; k < r->nv; k++)
        if (r->v[k].item == -2)
            key[n++] = (uint64_t)r->v[k].field << 32 | k;
    qsort(key, n, sizeof *key, ebts__cmp_u64);
    int seen = 0;
    for (size_t i = 0; i < n; i++) {
        val *x = &r->v[(uint32_t)key[i]];
        if (i == 0 || key[i] >> 32 != key[i - 1] >> 32)
            seen = 0;
        x->late = seen && !foreign(x);
        seen |= foreign(x);
    }
    free(key);
    return 0;
}

static int cmp_uint(const void *a, const void *b)
{
    unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
    return (x > y) - (x < y);
}

/* 1 when record ri's carried fields can be added at its end and the record then sorted by
 * number: each carries a tag T.N, N above 1, no two the same N, none the number of a field
 * there already, whose fields are text in strictly increasing number order. Added one by one
 * in number order, they would give the same (each first of its number goes where its number
 * puts it); -1 without memory. */
static int carried_sortable(R *r, const ebts_record *rec)
{
    size_t n = 0, k;
    for (k = 0; k < r->nv; k++)
        n += (r->v[k].item == -2 || r->v[k].item == -3) && !at_end(&r->v[k]);
    if (n < 2)
        return 0;
    unsigned *num = malloc((n + rec->nfields) * sizeof *num);
    if (!num)
        return -1;
    n = 0;
    for (k = 0; k < r->nv; k++) {
        const val *x = &r->v[k];
        if (at_end(x))
            continue;
        if (x->item == -3 || (x->item == -2 && x->field <= 1)) {
            free(num);
            return 0;
        }
        if (x->item == -2)
            num[n++] = x->field;
    }
    for (uint32_t i = 0; i < rec->nfields; i++) {
        const ebts_field *f = &rec->fields[i];
        if ((f->flags & (EBTS__F_BINARY | EBTS__F_MALFORMED)) ||
            (i > 0 && f->number <= rec->fields[i - 1].number)) {
            free(num);
            return 0;
        }
        num[n++] = f->number;
    }
    qsort(num, n, sizeof *num, cmp_uint);
    for (k = 1; k < n && num[k] != num[k - 1]; k++)
        ;
    free(num);
    return k == n;
}

/* The carriers build_carried adds in one pass: those of the record's own tags placed by number,
 * then the bytes without a tag, then those added at the end (at_end). */
enum { CARRIED_OWN, CARRIED_RAW, CARRIED_LAST };

static int carried_in(const val *x, int pass)
{
    if (pass == CARRIED_RAW)
        return x->item == -3;
    return x->item == -2 && at_end(x) == (pass == CARRIED_LAST);
}

/* Fields carried by lebts:Field from value from on, those of the pass, in document order: each
 * its own field (a repeated number stays repeated; item -3: bytes without a tag). Where the
 * order of their numbers alone places them (carried_sortable), they are added at the end and the
 * record sorted once, so that carriers in decreasing number order do not cost a search and a
 * move each. */
static int build_carried(R *r, size_t ri, size_t from, int pass, ebts_error *err)
{
    ebts_txn *t = r->t;
    unsigned rtype = t->recs[ri]->type;
    int sortable = pass == CARRIED_OWN ? carried_sortable(r, t->recs[ri]) : 1;
    if (sortable < 0) {
        ebts__error_oom(err);
        return -1;
    }
    /* the record has its 999 (image data) already, or an element's value will be it */
    int data = rtype >= 10 && field_at(t->recs[ri], 999, 1) != NULL;
    for (size_t k = 0; rtype >= 10 && !data && k < r->nv; k++)
        data = r->v[k].field == 999 && r->v[k].item > -2;
    for (size_t k = from; k < r->nv; k++) {
        const val *x = &r->v[k];
        if (!carried_in(x, pass))
            continue;
        ebts__buf b = {0};
        if (x->conv == EBTS__XC_BASE64 && base64_to_buf(x->text, &b) < 0 && !b.oom) {
            finding(r, vline(r, x), EBTS__C_XML_VALUE_INVALID, (long)ri, rtype, x->field, -1,
                    "line %ld: lebts:Field %u.%03u: not base64; left out", vline(r, x), rtype,
                    x->field);
            free(b.p);
            continue;
        } else if (x->conv != EBTS__XC_BASE64) {
            ebts__buf_puts(&b, x->text);
        }
        int rc = 0;
        const unsigned char *bytes = b.p ? b.p : (const unsigned char *)"";
        if (x->item == -2 && x->field == 1)
            finding(r, vline(r, x), EBTS__C_XML_VALUE_INVALID, (long)ri, rtype, 1, -1,
                    "lebts:Field %u.001: LEN is derived by the writer; left out", rtype);
        else if (x->item == -3 &&
                 (memchr(bytes, EBTS__FS, b.len) || memchr(bytes, EBTS__GS, b.len)))
            /* bytes without a tag lie between two GS: one of their own would end them there */
            finding(r, vline(r, x), EBTS__C_XML_ELEMENT_UNPLACED, (long)ri, rtype, 0, -1,
                    "line %ld: lebts:Field %u holds FS or GS, which no bytes without a tag can; "
                    "left out", vline(r, x), rtype);
        else if (x->item == -2 && x->field == 999 && rtype >= 10 && data++)
            /* the data ends the record: a second 999 would read back as the end of the first's
             * (ebts_txn_insert_field refuses one too) */
            finding(r, vline(r, x), EBTS__C_XML_ELEMENT_UNPLACED, (long)ri, rtype, 999, -1,
                    "line %ld: lebts:Field %u.999: the record has its 999 already; left out",
                    vline(r, x), rtype);
        else if (x->item == -2 && !(x->field == 999 && rtype >= 10) &&
                 (memchr(bytes, EBTS__FS, b.len) || memchr(bytes, EBTS__GS, b.len)))
            finding(r, vline(r, x), EBTS__C_XML_ELEMENT_UNPLACED, (long)ri, rtype, x->field, -1,
                    "line %ld: lebts:Field %u.%03u holds FS or GS, which no text field can; "
                    "left out", vline(r, x), rtype, x->field);
        else if (!b.oom)
            rc = x->item == -3 ? ebts__append_raw_field(t, ri, bytes, b.len, err)
                 : x->field == 0 || sortable /* at the end */
                     ? ebts__push_field(t, ri, x->field, bytes, b.len, err)
                     : ebts__append_field(t, ri, x->field, bytes, b.len, err);
        free(b.p);
        if (b.oom)
            ebts__error_oom(err);
        if (b.oom || rc < 0)
            return -1;
        if (foreign(x))
            foreign_tag(r, ri, x);
        if (x->item != -3)
            check_value(r, ri, field_at(t->recs[ri], x->field, 0), x, 1);
    }
    if (sortable && pass == CARRIED_OWN)
        ebts__sort_fields(t, ri);
    return 0;
}

/* The parts of one item (a name, a version) joined as the traditional encoding has them. */
typedef struct {
    const char *given, *middle, *sur, *fourth, *fifth, *maj, *min;
    int name, ver, parts;
} parts;

static void flush_parts(parts *q, ebts__buf *b)
{
    if (q->name) { /* SURNAME,GIVEN NAMES: the fourth and fifth names are given names too */
        const char *given[] = {q->given, q->middle, q->fourth, q->fifth};
        int any = 0;
        ebts__buf_printf(b, "%s,", q->sur);
        for (size_t i = 0; i < sizeof given / sizeof *given; i++)
            if (given[i][0]) { /* one space between the names there are */
                ebts__buf_printf(b, "%s%s", any ? " " : "", given[i]);
                any = 1;
            }
    }
    if (q->ver)
        ebts__buf_printf(b, "%.2s%.2s", q->maj, q->min);
    *q = (parts){"", "", "", "", "", "", "", 0, 0, 0};
}

/* text onto b as an xs:token reads: no white space at either end, each run of it one space. */
static void put_collapsed(const char *text, ebts__buf *b)
{
    int space = 0, any = 0;
    for (const char *p = text; *p; p++) {
        if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
            space = any;
            continue;
        }
        if (space)
            ebts__buf_putc(b, ' ');
        ebts__buf_putc(b, *p);
        space = 0;
        any = 1;
    }
}

/* One value x of field f onto b, in its traditional form. */
static void put_value(R *r, size_t ri, const val *x, parts *q, ebts__buf *b)
{
    unsigned rtype = r->t->recs[ri]->type;
    char conv[64];
    if (x->part > 0 && q->parts && x->text[0])
        ebts__buf_puts(b, x->sep);
    q->parts |= x->text[0] != 0;
    switch (x->conv) {
    case EBTS__XC_GIVEN: q->given = x->text; q->name = 1; break;
    case EBTS__XC_MIDDLE: q->middle = x->text; q->name = 1; break;
    case EBTS__XC_SUR: q->sur = x->text; q->name = 1; break;
    case EBTS__XC_FOURTH: q->fourth = x->text; q->name = 1; break;
    case EBTS__XC_FIFTH: q->fifth = x->text; q->name = 1; break;
    case EBTS__XC_VER_MAJ: q->maj = x->text; q->ver = 1; break;
    case EBTS__XC_VER_MIN: q->min = x->text; q->ver = 1; break;
    case EBTS__XC_DATE:
    case EBTS__XC_DATETIME:
    case EBTS__XC_BOOL:
    case EBTS__XC_INT2:
    case EBTS__XC_CGA:
    case EBTS__XC_PCT:
        if (convert_in(x->conv, x->text, conv, sizeof conv)) {
            ebts__buf_puts(b, conv);
        } else {
            finding(r, vline(r, x), EBTS__C_XML_VALUE_INVALID, (long)ri, rtype, x->field, -1,
                    "%u.%03u: \"%.40s\" is not of the XML form expected; kept as given", rtype,
                    x->field, x->text);
            ebts__buf_puts(b, x->text);
        }
        break;
    case EBTS__XC_TOKEN:
        put_collapsed(x->text, b);
        break;
    default:
        ebts__buf_puts(b, x->text);
    }
}

/* The values v[i, j) of one field joined: RS between subfields, US between items (empty ones
 * where an item has no element). */
static void join_values(R *r, size_t ri, size_t i, size_t j, ebts__buf *b)
{
    size_t sub = (size_t)-1;
    int item = -1;
    parts q = {"", "", "", "", "", "", "", 0, 0, 0};
    for (size_t k = i; k <= j; k++) {
        int flush = k == j || r->v[k].sub != sub || r->v[k].item != item;
        if (flush && (q.name || q.ver))
            flush_parts(&q, b);
        if (flush)
            q.parts = 0;
        if (k == j)
            break;
        const val *x = &r->v[k];
        if (x->sub != sub) {
            if (sub != (size_t)-1)
                ebts__buf_putc(b, EBTS__RS);
            sub = x->sub;
            item = -1;
        }
        if (x->item >= 0) {
            for (int p = item < 0 ? 0 : item; p < x->item; p++)
                ebts__buf_putc(b, EBTS__US);
            item = x->item;
        }
        put_value(r, ri, x, &q, b);
    }
}

/* One field from its values v[i, j): before a carried field of its number (the writer maps the
 * first occurrence and carries the others). */
static int build_field(R *r, size_t ri, size_t i, size_t j, ebts_error *err)
{
    ebts_txn *t = r->t;
    unsigned f = r->v[i].field;
    int rc;
    if (r->v[i].text == NULL) { /* an image, decoded where it stays */
        rc = ebts__set_first_field_owned(t, ri, f, r->v[i].bytes, r->v[i].nbytes, err);
    } else {
        ebts__buf b = {0};
        join_values(r, ri, i, j, &b);
        rc = b.oom ? -1
                   : ebts__set_first_field(t, ri, f, b.p ? b.p : (unsigned char *)"", b.len, err);
        if (b.oom)
            ebts__error_oom(err);
        free(b.p);
        if (b.oom)
            return -1;
    }
    if (rc < 0 && !(err && err->code && strcmp(err->code, "BAD_ARGUMENT") == 0 && f == 1))
        return -1;
    if (rc == 0)
        check_value(r, ri, field_at(t->recs[ri], f, 1), &r->v[i], j - i);
    return 0;
}

/* Build the record's fields from the collected values into record ri. */
static int build_record(R *r, size_t ri, xmlNodePtr top, ebts_error *err)
{
    if (mark_late(r) < 0) {
        ebts__error_oom(err);
        return r->oom = 1, -1;
    }
    if (build_carried(r, ri, 0, CARRIED_OWN, err) < 0 ||
        build_carried(r, ri, 0, CARRIED_RAW, err) < 0)
        return -1;
    size_t keep = 0, nf = 0; /* the values of elements first, then the carriers added at the end */
    for (size_t k = 0; k < r->nv; k++)
        nf += at_end(&r->v[k]);
    val *later = nf ? malloc(nf * sizeof *later) : NULL;
    if (nf && !later) {
        ebts__error_oom(err);
        return r->oom = 1, -1;
    }
    nf = 0;
    for (size_t k = 0; k < r->nv; k++) {
        if (at_end(&r->v[k]))
            later[nf++] = r->v[k];
        else if (r->v[k].item < -1 && r->v[k].own)
            free(r->v[k].text);
        else
            r->v[keep++] = r->v[k];
    }
    if (nf)
        memcpy(r->v + keep, later, nf * sizeof *later);
    free(later);
    r->nv = keep + nf;
    if (keep > 1) /* qsort wants a non-null array even for no elements */
        qsort(r->v, keep, sizeof *r->v, cmp_val);
    for (size_t i = 0, j; i < keep; i = j) {
        for (j = i; j < keep && r->v[j].field == r->v[i].field;)
            j++;
        if (build_field(r, ri, i, j, err) < 0)
            return -1;
    }
    if (build_carried(r, ri, keep, CARRIED_LAST, err) < 0)
        return -1;
    drop_vals(r);
    const ebts_record *rec = r->t->recs[ri];
    size_t k, n0 = r->t->dl.n;
    uint64_t *keys = ebts__field_numbers_sorted(rec, &k);
    if (!keys)
        return r->oom = 1, -1;
    for (size_t i = 1; i < k; i++) { /* a repeated field, at its second occurrence */
        uint32_t num = (uint32_t)(keys[i] >> 32);
        if (num == (uint32_t)(keys[i - 1] >> 32) && (i < 2 || num != (uint32_t)(keys[i - 2] >> 32)))
            ebts__diag(r->t, EBTS__C_DUPLICATE_FIELD, EBTS__AT_FIELD(0, (long)ri, rec->type, num),
                       "field %u.%03u occurs more than once; the first one counts", rec->type, num);
    }
    free(keys);
    at_node(r, n0, top);
    return 0;
}

/* A binary record (Type-4 or Type-7, ANSI/NIST-ITL 1-2011 Table 8.4 layout) from its values:
 * IDC, IMP, FGP (six positions, 255 for none), ISR, HLL, VLL, GCA, then the image. */
static int binary_head(R *r, unsigned char head[18], ebts__buf *data)
{
    int fgp = 0, bad = 0;
    for (size_t k = 0; k < r->nv; k++) {
        const val *x = &r->v[k];
        if (x->item < -1 || (x->field >= 2 && x->field <= 8 && x->conv == EBTS__XC_BASE64)) {
            bad = 1;
            continue;
        }
        if (x->field == 9 || x->conv == EBTS__XC_BASE64) {
            bad |= base64_to_buf(x->text, data) < 0;
            continue;
        }
        unsigned long v = strtoul(x->text, NULL, 10);
        size_t len = strlen(x->text);
        if (!(len > 0 && all_digits((const unsigned char *)x->text, len) && v <= 65535) ||
            x->item > 0) {
            bad = 1;
            continue;
        }
        switch (x->field) {
        case 2: case 3: case 5: case 8:
            bad |= v > 255;
            head[x->field == 2   ? 4
                 : x->field == 3 ? 5
                 : x->field == 5 ? 12
                                 : 17] = (unsigned char)v;
            break;
        case 4:
            if (fgp < 6 && v <= 255)
                head[6 + fgp++] = (unsigned char)v;
            else
                bad = 1;
            break;
        case 6: case 7:
            head[x->field == 6 ? 13 : 15] = (unsigned char)(v >> 8);
            head[x->field == 6 ? 14 : 16] = (unsigned char)v;
            break;
        default:
            bad = 1;
        }
    }
    return bad;
}

static int build_binary(R *r, unsigned type, xmlNodePtr top, ebts_error *err)
{
    unsigned char head[18] = {0};
    memset(head + 6, 255, 6);
    ebts__buf data = {0};
    int bad = binary_head(r, head, &data);
    drop_vals(r);
    ebts__buf rec = {0};
    ebts__buf_put(&rec, head, sizeof head);
    ebts__buf_put(&rec, data.p ? data.p : (unsigned char *)"", data.len);
    free(data.p);
    int rc = rec.oom || data.oom
                 ? -1
                 : ebts_txn_insert_binary_record(r->t, r->t->nrecs, type, rec.p, rec.len, err);
    if (rec.oom || data.oom)
        ebts__error_oom(err);
    free(rec.p);
    long line = rc == 0 && bad ? node_line(r, top) : 0;
    if (line)
        finding(r, line, EBTS__C_XML_ELEMENT_UNPLACED, rec_now(r), type, 0, -1,
                "line %ld: a value of this Type-%u record does not fit its binary field; "
                "left out",
                line, type);
    return rc;
}

/* A lebts:Record: its traditional bytes, decoded into the transaction's arena, framed as one
 * record (form="tagged": a record of a binary type that was read tagged). */
static void read_carrier_record(R *r, xmlNodePtr c)
{
    xmlChar *ty = xmlGetProp(c, (const xmlChar *)"type");
    xmlChar *form = xmlGetProp(c, (const xmlChar *)"form");
    int tagged = form && strcmp((const char *)form, "tagged") == 0;
    size_t tyl = ty ? strlen((const char *)ty) : 0, used = 0;
    unsigned rt = ty ? (unsigned)strtoul((const char *)ty, NULL, 10) : 0;
    const unsigned char *bytes;
    size_t len;
    long line = node_line(r, c);
    size_t n0 = r->t->dl.n;
    /* any type the reader gives a record, 0 included (a tag "0.001:"), 1 (a second Type-1) */
    int ok = tyl > 0 && tyl < 10 && all_digits(ty, tyl) && decode_image(r, c, &bytes, &len) == 0 &&
             ebts__frame_record(r->t, bytes, len, rt, rt >= 3 && rt <= 8 && !tagged, r->o, &used,
                                NULL) == 0;
    if (!ok && !r->oom)
        finding(r, line, EBTS__C_XML_VALUE_INVALID, -1, rt, 0, -1,
                "line %ld: lebts:Record of Type-%u could not be read as one; left out", line, rt);
    else if (ok && used < len)
        finding(r, line, EBTS__C_XML_ELEMENT_UNPLACED, rec_now(r), rt, 0, -1,
                "line %ld: lebts:Record of Type-%u: %zu bytes after the record's FS; left out",
                line, rt, len - used);
    at_line(r, n0, line);
    xmlFree(form);
    xmlFree(ty);
}

/* One element under the root: a record of the tables, a carried record, or a finding. */
static int read_record(R *r, xmlNodePtr c, ebts_error *err)
{
    if (!r->m && set_map(r, map_below(c, 3) ? map_below(c, 3) : &ebts__xmap_v112) < 0)
        return -1;
    int rk = lookup(r, c, -1);
    unsigned type = rk >= 0 ? r->m->nodes[rk].rtype : 0;
    if (!r->t && type != 1) {
        long line = node_line(r, c);
        ebts__error_set(err, EBTS__C_XML_NOT_TRANSACTION, line_offset(r, line), -1, NULL,
                        "line %ld: the first record is not itl:PackageInformationRecord", line);
        return -1;
    }
    if (type == 1 && !r->t) {
        r->t = ebts_txn_new("0500", err);
        if (!r->t)
            return -1;
        ebts_txn_delete_field(r->t, 0, 2, NULL); /* VER comes from the document */
        read_mapped(r, c, rk);
        int rc = r->oom ? -1 : build_record(r, 0, c, err);
        r->ascii7 = ebts__txn_ascii7(r->t);
        if (r->early_line)
            finding(r, r->early_line, EBTS__C_XML_ELEMENT_UNPLACED, -1, 0, 0, -1,
                    "line %ld: text \"%s\" between records is no field's; left out",
                    r->early_line, r->early);
        return rc;
    }
    if (type == 4 || type == 7) {
        read_mapped(r, c, rk);
        return r->oom ? -1 : build_binary(r, type, c, err);
    }
    if (type == 2 || type >= 9) {
        if (ebts_txn_insert_record(r->t, r->t->nrecs, type, 0, err) < 0)
            return -1;
        ebts_txn_delete_field(r->t, r->t->nrecs - 1, 2, NULL);
        read_mapped(r, c, rk);
        return r->oom ? -1 : build_record(r, r->t->nrecs - 1, c, err);
    }
    if (is_ns(c, EBTS__NS_LEBTS, "Record"))
        read_carrier_record(r, c);
    else if (has_text(c))
        unplaced(r, c, "but is not a record the mapping knows; left out");
    else
        unknown(r, c);
    return r->oom ? -1 : 0;
}

/* CNT and LEN as the writer derives them, and each record's IDC in CNT (a content summary's for
 * a record without its own), as a transaction read from traditional bytes has them. */
static int finish(R *r, ebts_error *err)
{
    ebts_txn *t = r->t;
    for (size_t k = 0; k < r->ncnt && k + 1 < t->nrecs; k++) {
        ebts_record *rec = t->recs[k + 1];
        if (r->cnt_idc[k] >= 0 && !rec->binary && ebts__record_idc_of(rec) < 0)
            rec->cnt_idc = r->cnt_idc[k];
    }
    for (size_t k = 1; k < t->nrecs; k++)
        t->recs[k]->cnt_idc = ebts__cnt_idc(t->recs[k]);
    ebts__buf b = {0};
    ebts__cnt_value(t, &b);
    int rc = b.oom ? (ebts__error_oom(err), -1) : ebts__set_cnt(t, b.p, b.len, err);
    free(b.p);
    t->recs[0]->cnt_idc = -1;
    ebts__writer w;
    memset(&w, 0, sizeof w);
    for (size_t k = 0; rc == 0 && k < t->nrecs; k++) { /* LEN, which the writer derives */
        if (t->recs[k]->binary)
            continue;
        rc = ebts__writer_record(&w, t, k) < 0 ? (ebts__error_oom(err), -1)
                                               : ebts__set_len(t, k, w.f[0].val, w.f[0].len, err);
    }
    ebts__writer_free(&w);
    ebts__dlist_sort(&t->dl);
    return rc;
}

/* libxml2 reports some errors (encoding conversion) on its generic channel, which prints to
 * stderr; the library never prints: the channel is muted while the document is read (it is per
 * thread). */
static void mute(void *ctx, const char *fmt, ...)
{
    (void)ctx;
    (void)fmt;
}

/* The first fatal error: the others (a namespace prefix not declared) leave a document that
 * reads, its elements then in no namespace. */
static void catch_xml(void *ctx, xmlErrorPtr e)
{
    char *msg = ctx;
    if (msg[0] || !e || e->level < XML_ERR_FATAL)
        return;
    snprintf(msg, 200, "line %d: %s", e->line, e->message ? e->message : "not well-formed");
    size_t n = strlen(msg);
    while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
        msg[--n] = 0;
}

/* To the root element: 1 there, 0 when the document ends first, -1 on an error; *dtd when a
 * document type declaration came before it. */
static int to_root(xmlTextReaderPtr rd, int *dtd)
{
    int ret;
    while ((ret = xmlTextReaderRead(rd)) == 1) {
        int type = xmlTextReaderNodeType(rd);
        if (type == XML_READER_TYPE_DOCUMENT_TYPE)
            *dtd = 1;
        if (type == XML_READER_TYPE_ELEMENT)
            return 1;
    }
    return ret;
}

/* The root's records, one subtree at a time: 1 at the end of the document, 0 when it is not
 * well-formed, -1 (err) when a record cannot be built. */
static int read_records(R *r, xmlTextReaderPtr rd, const char *msg, ebts_error *err)
{
    int ret = xmlTextReaderIsEmptyElement(rd) ? xmlTextReaderNext(rd) : xmlTextReaderRead(rd);
    while (ret == 1) {
        if (xmlTextReaderDepth(rd) != 1 || xmlTextReaderNodeType(rd) != XML_READER_TYPE_ELEMENT) {
            int type = xmlTextReaderNodeType(rd);
            xmlNodePtr n = type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA
                               ? xmlTextReaderCurrentNode(rd) : NULL;
            if (n && xmlTextReaderDepth(rd) == 1)
                stray_text(r, n);
            ret = xmlTextReaderRead(rd);
            continue;
        }
        xmlNodePtr c = xmlTextReaderExpand(rd);
        if (!c || msg[0])
            return 0;
        if (count_elements(r, c)) {
            ebts__error_set(err, EBTS__C_XML_SYNTAX, line_offset(r, node_line(r, c)), -1, NULL,
                            "XML not well-formed: line %ld: elements nested deeper than %d",
                            node_line(r, c), MAX_DEPTH);
            return -1;
        }
        int rc = read_record(r, c, err);
        r->top = NULL; /* freed as the reader moves on */
        r->top_big = 0;
        if (rc < 0)
            return -1;
        ret = xmlTextReaderNext(rd);
    }
    return ret == 0 && !msg[0];
}

#define READ_OPTIONS                                                                               \
    (XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES)

static xmlTextReaderPtr new_reader(const unsigned char *p, size_t n, int options, char *msg)
{
    msg[0] = 0;
    xmlTextReaderPtr rd = xmlReaderForMemory((const char *)p, (int)n, "transaction.xml", NULL,
                                             options);
    if (rd)
        xmlTextReaderSetStructuredErrorHandler(rd, catch_xml, msg);
    return rd;
}

/* The prolog, with libxml2's limits on: 1 when the document has no DTD (so the records may be
 * read with its text-size limit lifted, for large images; its depth limit stays), 0 (err) when
 * it is refused, -1 without memory. A document with a DTD is read to its end first, so that one
 * that is not well-formed (an entity expanding without bound) says so. */
static int prolog(const unsigned char *p, size_t n, char *msg, ebts_error *err)
{
    xmlTextReaderPtr rd = new_reader(p, n, READ_OPTIONS, msg);
    if (!rd)
        return -1;
    int dtd = 0, ret = to_root(rd, &dtd);
    while (dtd && ret == 1)
        ret = xmlTextReaderRead(rd);
    xmlFreeTextReader(rd);
    if (ret < 0 || msg[0] || (ret == 0 && !dtd)) {
        ebts__error_set(err, EBTS__C_XML_SYNTAX, 0, -1, NULL, "XML not well-formed: %s",
                        msg[0] ? msg : "no root element");
        return 0;
    }
    if (dtd) {
        ebts__error_set(err, EBTS__C_XML_DTD_FORBIDDEN, 0, -1, NULL,
                        "XML with a DTD (document type declaration) is refused: transactions "
                        "need none, and entities are a known attack");
        return 0;
    }
    return 1;
}

static ebts_txn *read_document(R *r, xmlTextReaderPtr rd, const char *msg, ebts_error *err)
{
    int dtd = 0, ret = to_root(rd, &dtd);
    if (ret < 0 || msg[0] || dtd) {
        ebts__error_set(err, EBTS__C_XML_SYNTAX, 0, -1, NULL, "XML not well-formed: %s",
                        msg[0] ? msg : "unreadable");
        return NULL;
    }
    xmlNodePtr root = ret == 1 ? xmlTextReaderCurrentNode(rd) : NULL;
    if (!root || !is_ns(root, EBTS__NS_ITL, "NISTBiometricInformationExchangePackage")) {
        ebts__error_set(err, ret == 1 ? EBTS__C_XML_NOT_TRANSACTION : EBTS__C_XML_SYNTAX, 0, -1,
                        NULL,
                        ret == 1 ? "the root is not itl:NISTBiometricInformationExchangePackage "
                                   "(namespace http://biometrics.nist.gov/standard/2011)"
                                 : "XML not well-formed: no root element");
        return NULL;
    }
    r->nelem = 1; /* the root: big_lines counts the start tags of the document */
    r->root = root;
    if (map_of_root(root) && set_map(r, map_of_root(root)) < 0)
        return NULL;
    ret = read_records(r, rd, msg, err);
    if (ret < 0)
        return NULL;
    if (ret == 0 || msg[0]) {
        ebts__error_set(err, EBTS__C_XML_SYNTAX, 0, -1, NULL, "XML not well-formed: %s",
                        msg[0] ? msg : "unreadable");
        return NULL;
    }
    if (!r->t) {
        ebts__error_set(err, EBTS__C_XML_NOT_TRANSACTION, 0, -1, NULL,
                        "no itl:PackageInformationRecord");
        return NULL;
    }
    if (finish(r, err) < 0)
        return NULL;
    ebts_txn *t = r->t;
    r->t = NULL;
    return t;
}

ebts_txn *ebts__xml_read(const unsigned char *p, size_t n, const ebts_read_options *o,
                         ebts_error *err)
{
    if (n > (size_t)0x7fffffff || n > o->max_input) {
        ebts__error_set(err, EBTS__C_INPUT_TOO_LARGE, 0, -1, NULL,
                        "XML input larger than the limit");
        return NULL;
    }
    if (ebts__xml_init(err) < 0)
        return NULL;
    char msg[256] = "";
    xmlGenericErrorFunc saved = xmlGenericError;
    void *saved_ctx = xmlGenericErrorContext;
    xmlSetGenericErrorFunc(NULL, mute);
    int ok = prolog(p, n, msg, err);
    xmlTextReaderPtr rd = ok > 0 ? new_reader(p, n, READ_OPTIONS | XML_PARSE_HUGE, msg) : NULL;
    R r;
    memset(&r, 0, sizeof r);
    r.o = o;
    r.xml = p;
    r.xlen = n;
    r.cur_line = 1;
    r.nnsc = -1;
    if (n >= 4 && ((p[0] == 0xFF && p[1] == 0xFE) || memcmp(p, "<\0?\0", 4) == 0))
        r.u16 = 1;
    else if (n >= 4 && ((p[0] == 0xFE && p[1] == 0xFF) || memcmp(p, "\0<\0?", 4) == 0))
        r.u16 = 2;
    ebts_txn *t = NULL;
    if (rd) {
        t = read_document(&r, rd, msg, err);
        xmlFreeTextReader(rd);
    }
    xmlSetGenericErrorFunc(saved_ctx, saved);
    if (!t && (ok < 0 || (ok > 0 && !rd) || r.oom || (r.t && r.t->dl.oom)))
        ebts__error_oom(err); /* the first error wins: a reported one stays */
    drop_vals(&r);
    free(r.v);
    free(r.ck);
    free(r.count);
    free(r.last_sub);
    free(r.last_grp);
    free(r.is_grp);
    free(r.places);
    free(r.cnt_idc);
    ebts_txn_free(r.t);
    return t;
}
