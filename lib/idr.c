/* The 2.075 text of IDENT responses (read off the FBI's published IDR/IAR examples; see the
 * spec digest, section 8): parser and composer.
 *
 *   ers        = [title] *disclaimer marker *encounter ["Photo Attached"] [iar]
 *   marker     = "- NO MATCH -" / "------ MATCH -----"      ; may run into the next line's text
 *   encounter  = "EID = " v, "NAME = " v, "DOB = " v, "POB = " v, "SEX = " v
 *   iar        = "*** LAW ENFORCEMENT SENSITIVE ***" "IAQ RECEIVED: " v *keyline
 *                "**** QUERY MESSAGE TEXT ENDS - L.E.S.C. RESPONSE BEGINS ****"
 *                *status-text *keyline-or-notice ["REQUESTING ORI INFORMATION:" *keyline]
 *                ["LESC QUERY ID:" v] ["END OF RESPONSE . . . ."]
 *   keyline    = KEY "/" value *(" " KEY "/" value)         ; values may continue on next lines
 *
 * Line ends LF, CR LF or CR; trailing spaces ignored; a NUL byte reads as '?' (values are C
 * strings). What cannot be placed is kept and reported.
 */
#include <stdlib.h>
#include <string.h>
#include "internal.h"

#define MAX_LINE 72

struct ebts_ers {
    ebts_idr idr;
    ebts_iar iar;
    char **unplaced;
    size_t nunplaced;
    ebts__dlist dl;
    ebts__arena arena;
};

/* growable arrays of the parse, moved into the arena at the end */
typedef struct vec {
    void *p;
    size_t n, cap, size;
} vec;

static void *vec_push(vec *v)
{
    if (v->n == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 8;
        void *q = realloc(v->p, cap * v->size);
        if (!q)
            return NULL;
        v->p = q;
        v->cap = cap;
    }
    void *slot = (char *)v->p + v->n++ * v->size;
    memset(slot, 0, v->size);
    return slot;
}

typedef struct line {
    const char *p;
    size_t n;
    size_t off;
} line;

typedef struct PS {
    ebts_ers *e;
    int oom;
    int nul; /* the text holds a NUL byte (most hold none: their values are copied alone) */
    vec enc, iaq, rem, status, record, notices, req, unplaced, lesc;
    vec *lastv;              /* the pair a continuation line extends: lastv[lasti] */
    size_t lasti;
    char *disclaimer;
    size_t dlen, dcap;
} PS;

static char *dup_n(PS *s, const char *p, size_t n)
{
    char *d = ebts__arena_alloc(&s->e->arena, n + 1);
    if (!d) {
        s->oom = 1;
        return NULL;
    }
    memcpy(d, p, n);
    d[n] = 0;
    for (char *z = s->nul ? memchr(d, 0, n) : NULL; z; z = memchr(z, 0, (size_t)(d + n - z)))
        *z = '?'; /* values are C strings: a NUL byte reads as '?' */
    return d;
}

static void trim(const char **p, size_t *n)
{
    while (*n && (**p == ' ' || **p == '\t')) {
        (*p)++;
        (*n)--;
    }
    while (*n && ((*p)[*n - 1] == ' ' || (*p)[*n - 1] == '\t'))
        (*n)--;
}

static int starts(const char *p, size_t n, const char *lit)
{
    size_t k = strlen(lit);
    return n >= k && memcmp(p, lit, k) == 0;
}

static int is_stars(const char *p, size_t n)
{
    if (n < 3)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (p[i] != '*')
            return 0;
    return 1;
}

/* "a" + " " + "b" into the arena (continuation lines) */
static const char *join(PS *s, const char *a, const char *b, size_t bn)
{
    size_t an = a ? strlen(a) : 0;
    char *d = ebts__arena_alloc(&s->e->arena, an + bn + 2);
    if (!d) {
        s->oom = 1;
        return a;
    }
    memcpy(d, a, an);
    size_t k = an;
    if (an && bn)
        d[k++] = ' ';
    for (size_t i = 0; i < bn; i++)
        d[k + i] = b[i] ? b[i] : '?';
    d[k + bn] = 0;
    return d;
}

static void unplaced(PS *s, const line *l)
{
    char **slot = vec_push(&s->unplaced);
    if (!slot) {
        s->oom = 1;
        return;
    }
    *slot = dup_n(s, l->p, l->n);
    ebts__diag_add(&s->e->dl, EBTS__C_IDR_TEXT_UNPLACED, EBTS__AT_FIELD(l->off, -1, 2, 75),
                   "2.075 line not understood, kept: \"%.*s\"", (int)(l->n > 60 ? 60 : l->n), l->p);
}

/* The marker: a run of '-', the words, a run of '-'. Returns the length it takes, 0 if none. */
static size_t marker(const char *p, size_t n, int *match)
{
    size_t i = 0;
    while (i < n && p[i] == '-')
        i++;
    if (i == 0)
        return 0;
    while (i < n && p[i] == ' ')
        i++;
    if (starts(p + i, n - i, "NO MATCH")) {
        *match = 0;
        i += 8;
    } else if (starts(p + i, n - i, "MATCH")) {
        *match = 1;
        i += 5;
    } else {
        return 0;
    }
    while (i < n && p[i] == ' ')
        i++;
    size_t dashes = i;
    while (i < n && p[i] == '-')
        i++;
    return i > dashes ? i : 0;
}

/* "KEY = value" of an encounter */
static int enc_line(PS *s, const line *l)
{
    static const char *const keys[] = {"EID", "NAME", "DOB", "POB", "SEX"};
    for (size_t k = 0; k < 5; k++) {
        size_t kn = strlen(keys[k]);
        if (!starts(l->p, l->n, keys[k]))
            continue;
        size_t i = kn;
        while (i < l->n && l->p[i] == ' ')
            i++;
        if (i >= l->n || l->p[i] != '=')
            continue;
        i++;
        const char *v = l->p + i;
        size_t vn = l->n - i;
        trim(&v, &vn);
        ebts_encounter *e = NULL;
        if (k == 0 || s->enc.n == 0) {
            e = vec_push(&s->enc);
        } else {
            e = (ebts_encounter *)s->enc.p + s->enc.n - 1;
        }
        if (!e) {
            s->oom = 1;
            return 1;
        }
        const char *val = dup_n(s, v, vn);
        const char **slot = k == 0 ? &e->eid : k == 1 ? &e->name : k == 2 ? &e->dob
                                             : k == 3 ? &e->pob : &e->sex;
        *slot = val;
        s->lastv = NULL;
        return 1;
    }
    return 0;
}

/* keys that may follow others on one line, and keys with '/' in them */
static const char *const inline_keys[] = {"ORI", "ATN", "PHN", "NAM", "DOB", "CUS", "OFF", "PUR",
                                          "POB", "SEX", "FBI", "ARN", "SOC", "SID", "REM", NULL};
static const char *const long_keys[] = {"DATE REMOVED/DEPORTED/EXCLUDED", NULL};

/* Length of a key at p (without the '/'), 0 if none: a long key, or 1-30 capitals and spaces. */
static size_t key_at(const char *p, size_t n)
{
    for (size_t i = 0; long_keys[i]; i++) {
        size_t k = strlen(long_keys[i]);
        if (n > k && memcmp(p, long_keys[i], k) == 0 && p[k] == '/')
            return k;
    }
    size_t i = 0;
    while (i < n && i <= 30 && ((p[i] >= 'A' && p[i] <= 'Z') || (p[i] == ' ' && i > 0)))
        i++;
    if (i == 0 || i >= n || p[i] != '/' || p[i - 1] == ' ')
        return 0;
    return i;
}

static int is_inline_key(const char *p, size_t n)
{
    for (size_t i = 0; inline_keys[i]; i++)
        if (strlen(inline_keys[i]) == n && memcmp(p, inline_keys[i], n) == 0)
            return 1;
    return 0;
}

/* Split a key line into pairs appended to v; 0 if the line is no key line. */
static int key_line(PS *s, const line *l, vec *v)
{
    size_t kn = key_at(l->p, l->n);
    if (!kn)
        return 0;
    const char *p = l->p;
    size_t n = l->n;
    while (kn) {
        const char *key = p;
        size_t vs = kn + 1, ve = n, next = 0;
        /* the next " KEY/" of a known short key ends this value */
        for (size_t i = vs; i + 1 < n; i++) {
            if (p[i] != ' ')
                continue;
            size_t j = i + 1;
            size_t k2 = key_at(p + j, n - j);
            if (k2 && is_inline_key(p + j, k2)) {
                ve = i;
                next = j;
                break;
            }
        }
        const char *val = p + vs;
        size_t vn = ve - vs;
        trim(&val, &vn);
        ebts_pair *pair = vec_push(v);
        if (!pair) {
            s->oom = 1;
            return 1;
        }
        pair->key = dup_n(s, key, kn);
        pair->value = dup_n(s, val, vn);
        s->lastv = v;
        s->lasti = v->n - 1;
        if (!next)
            break;
        p += next;
        n -= next;
        kn = key_at(p, n);
    }
    return 1;
}

static ebts_pair *last_pair(PS *s)
{
    return s->lastv ? (ebts_pair *)s->lastv->p + s->lasti : NULL;
}

static void add_text(PS *s, vec *v, const line *l)
{
    const char **slot = vec_push(v);
    if (!slot)
        s->oom = 1;
    else
        *slot = dup_n(s, l->p, l->n);
}

/* REM/ IDSM=<tcn>ENCOUNTER INFO[EID;LAST;FIRST;MIDDLE;DOB;POB;SEX]v;v;v;v;v;v;v;... */
static void parse_rem(PS *s, const char *rem)
{
    const char *idsm = strstr(rem, "IDSM=");
    const char *info = strstr(rem, "ENCOUNTER INFO[");
    if (!idsm || !info || info < idsm)
        return;
    const char *t = idsm + 5;
    s->e->iar.idsm = dup_n(s, t, (size_t)(info - t));
    const char *close = strchr(info, ']');
    if (!close)
        return;
    const char *p = close + 1;
    const char *f[7];
    size_t fl[7];
    int k = 0;
    for (;;) {
        const char *semi = strchr(p, ';');
        size_t n = semi ? (size_t)(semi - p) : strlen(p);
        const char *q = p;
        trim(&q, &n);
        f[k] = q;
        fl[k] = n;
        k++;
        if (k == 7) {
            ebts_encounter *e = vec_push(&s->rem);
            if (!e) {
                s->oom = 1;
                return;
            }
            e->eid = dup_n(s, f[0], fl[0]);
            e->last = dup_n(s, f[1], fl[1]);
            e->first = dup_n(s, f[2], fl[2]);
            e->middle = dup_n(s, f[3], fl[3]);
            e->dob = dup_n(s, f[4], fl[4]);
            e->pob = dup_n(s, f[5], fl[5]);
            e->sex = dup_n(s, f[6], fl[6]);
            k = 0;
        }
        if (!semi)
            break;
        p = semi + 1;
    }
}

enum st { ST_HEAD, ST_ENC, ST_IAQ, ST_LESC, ST_RECORD, ST_AFTER, ST_REQ, ST_END };

static void *finish_vec(PS *s, vec *v, size_t *count)
{
    *count = v->n;
    if (!v->n)
        return NULL;
    void *d = ebts__arena_dup(&s->e->arena, v->p, v->n * v->size);
    if (!d)
        s->oom = 1;
    return d;
}

static void add_disclaimer(PS *s, const line *l)
{
    size_t need = s->dlen + l->n + 2;
    if (need > s->dcap) {
        size_t cap = s->dcap ? s->dcap * 2 : 1024;
        while (cap < need)
            cap *= 2;
        char *d = realloc(s->disclaimer, cap);
        if (!d) {
            s->oom = 1;
            return;
        }
        s->disclaimer = d;
        s->dcap = cap;
    }
    if (s->dlen)
        s->disclaimer[s->dlen++] = '\n';
    memcpy(s->disclaimer + s->dlen, l->p, l->n);
    s->dlen += l->n;
    s->disclaimer[s->dlen] = 0;
}

static void one_line(PS *s, enum st *st, line l);

/* A line before the marker: the title, the disclaimer, or the marker itself (the marker and the
 * next line's text run together in the published print). */
static void head_line(PS *s, enum st *st, line l)
{
    ebts_ers *e = s->e;
    int m;
    size_t mk;
    if (starts(l.p, l.n, "IDENT Data Response") && !e->idr.title) {
        e->idr.title = dup_n(s, l.p, l.n);
        e->idr.present = 1;
        return;
    }
    if ((mk = marker(l.p, l.n, &m)) != 0) {
        e->idr.present = 1;
        e->idr.match = m;
        *st = ST_ENC;
        if (mk < l.n) {
            ebts__diag_add(&e->dl, EBTS__C_IDR_MARKER_RUN_IN, EBTS__AT_FIELD(l.off + mk, -1, 2, 75),
                           "the %s marker runs into the next line's text; read as two lines",
                           m ? "MATCH" : "NO MATCH");
            line rest = {l.p + mk, l.n - mk, l.off + mk};
            one_line(s, st, rest);
        }
        return;
    }
    if (starts(l.p, l.n, "*** LAW ENFORCEMENT SENSITIVE ***")) {
        *st = ST_IAQ;
        e->iar.present = 1;
        return;
    }
    add_disclaimer(s, &l);
}

static void one_line(PS *s, enum st *st, line l)
{
    ebts_ers *e = s->e;
    trim(&l.p, &l.n);
    if (l.n == 0) {
        if (*st == ST_RECORD)
            s->lastv = NULL;
        return;
    }
    if (*st >= ST_LESC && *st != ST_END)
        add_text(s, &s->lesc, &l);
    switch (*st) {
    case ST_HEAD:
        head_line(s, st, l);
        return;
    case ST_ENC:
        if (enc_line(s, &l))
            return;
        if (starts(l.p, l.n, "Photo Attached")) {
            e->idr.photo_attached = 1;
            return;
        }
        if (starts(l.p, l.n, "*** LAW ENFORCEMENT SENSITIVE ***")) {
            *st = ST_IAQ;
            e->iar.present = 1;
            return;
        }
        if (s->enc.n && ((ebts_encounter *)s->enc.p)[s->enc.n - 1].name &&
            !((ebts_encounter *)s->enc.p)[s->enc.n - 1].dob) {
            /* a NAME that continues on the next line */
            ebts_encounter *en = (ebts_encounter *)s->enc.p + s->enc.n - 1;
            en->name = join(s, en->name, l.p, l.n);
            return;
        }
        unplaced(s, &l);
        return;
    case ST_IAQ:
        if (starts(l.p, l.n, "IAQ RECEIVED:")) {
            const char *v = l.p + 13;
            size_t vn = l.n - 13;
            trim(&v, &vn);
            e->iar.received = dup_n(s, v, vn);
            return;
        }
        if (starts(l.p, l.n, "**** QUERY MESSAGE TEXT ENDS")) {
            *st = ST_LESC;
            s->lastv = NULL;
            return;
        }
        if (key_line(s, &l, &s->iaq))
            return;
        if (last_pair(s)) {
            last_pair(s)->value = join(s, last_pair(s)->value, l.p, l.n);
            return;
        }
        unplaced(s, &l);
        return;
    default:
        break;
    }
    /* the LESC response */
    if (starts(l.p, l.n, "END OF RESPONSE")) {
        e->iar.end = 1;
        *st = ST_END;
        return;
    }
    if (*st == ST_END) {
        unplaced(s, &l);
        return;
    }
    if (starts(l.p, l.n, "LESC QUERY ID:")) {
        const char *v = l.p + 14;
        size_t vn = l.n - 14;
        trim(&v, &vn);
        size_t id = 0;
        while (id < vn && v[id] != ' ')
            id++;
        e->iar.query_id = dup_n(s, v, id);
        if (id < vn) {
            line rest = {v + id, vn - id, l.off + (size_t)(v + id - l.p)};
            trim(&rest.p, &rest.n);
            add_text(s, &s->notices, &rest);
        }
        *st = ST_AFTER;
        return;
    }
    if (starts(l.p, l.n, "REQUESTING ORI INFORMATION:")) {
        *st = ST_REQ;
        return;
    }
    if (is_stars(l.p, l.n)) {
        if (*st == ST_RECORD)
            *st = ST_AFTER;
        s->lastv = NULL;
        return;
    }
    if (*st == ST_REQ && key_line(s, &l, &s->req))
        return;
    if ((*st == ST_LESC || *st == ST_RECORD) && key_line(s, &l, &s->record)) {
        *st = ST_RECORD;
        return;
    }
    if (*st == ST_RECORD && starts(l.p, l.n, "IMPORTANT NOTICE")) {
        *st = ST_AFTER; /* a new section: the record's last value ends here */
        s->lastv = NULL;
    }
    if (*st == ST_RECORD && last_pair(s) && !starts(l.p, l.n, "NOTE")) {
        last_pair(s)->value = join(s, last_pair(s)->value, l.p, l.n);
        return;
    }
    s->lastv = NULL;
    if (*st == ST_LESC) {
        /* status text; "**** TEXT *****" banners lose their stars */
        line t = l;
        while (t.n && t.p[0] == '*') {
            t.p++;
            t.n--;
        }
        while (t.n && t.p[t.n - 1] == '*')
            t.n--;
        trim(&t.p, &t.n);
        add_text(s, &s->status, &t);
        return;
    }
    add_text(s, &s->notices, &l);
}

/* needle in text[0, len): text is a span, not a C string */
static const char *find(const char *text, size_t len, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; k <= len && i <= len - k; i++) {
        const char *p = memchr(text + i, needle[0], len - k - i + 1);
        if (!p)
            return NULL;
        i = (size_t)(p - text);
        if (memcmp(p, needle, k) == 0)
            return p;
    }
    return NULL;
}

/* The status line: the first status text between two star-only lines. */
static void find_status(PS *s, const char *text, size_t len)
{
    const char *q = find(text, len, "**** QUERY MESSAGE TEXT ENDS");
    if (!q)
        return;
    size_t off = (size_t)(q - text);
    int stars = 0;
    while (off < len) {
        const char *nl = memchr(text + off, '\n', len - off);
        size_t end = nl ? (size_t)(nl - text) : len;
        const char *p = text + off;
        size_t n = end - off;
        if (n && p[n - 1] == '\r')
            n--;
        trim(&p, &n);
        if (is_stars(p, n)) {
            stars = 1;
        } else if (n && stars && !key_at(p, n)) {
            const char *after = nl ? nl + 1 : text + len;
            size_t an = (size_t)(text + len - after);
            const char *a = after;
            const char *nl2 = memchr(a, '\n', an);
            size_t n2 = nl2 ? (size_t)(nl2 - a) : an;
            if (n2 && a[n2 - 1] == '\r')
                n2--;
            trim(&a, &n2);
            if (is_stars(a, n2)) {
                s->e->iar.status = dup_n(s, p, n);
                return;
            }
            stars = 0;
        } else if (n) {
            stars = 0;
        }
        if (!nl)
            break;
        off = end + 1;
    }
}

/* Without star lines around it, the status is the first status text that is neither the
 * "THIS IS NOT A GOVERNMENT DETAINER! ... ONLY." preamble nor the lines that announce the
 * record. */
static void status_without_stars(PS *s)
{
    ebts_iar *a = &s->e->iar;
    int preamble = 0;
    for (size_t i = 0; !a->status && i < a->nstatus_lines; i++) {
        const char *l = a->status_lines[i];
        size_t n = strlen(l);
        if (starts(l, n, "THIS IS NOT A GOVERNMENT DETAINER"))
            preamble = 1;
        if (preamble) {
            preamble = !(n >= 5 && strcmp(l + n - 5, "ONLY.") == 0);
            continue;
        }
        if (n && !starts(l, n, "BASED ON THE INFORMATION PROVIDED") &&
            !starts(l, n, "THE FOLLOWING I.C.E. RECORD"))
            a->status = l;
    }
}

ebts_ers *ebts_ers_parse(const void *text, size_t len, ebts_error *err)
{
    if (!text && len) {
        ebts__error_set(err, EBTS__C_BAD_ARGUMENT, 0, -1, NULL, "NULL text of %zu bytes", len);
        return NULL;
    }
    ebts_ers *e = calloc(1, sizeof *e);
    if (!e) {
        ebts__error_oom(err);
        return NULL;
    }
    ebts__arena_init(&e->arena, 4096);
    e->idr.match = -1;
    PS s;
    memset(&s, 0, sizeof s);
    s.e = e;
    s.enc.size = s.rem.size = sizeof(ebts_encounter);
    s.iaq.size = s.record.size = s.req.size = sizeof(ebts_pair);
    s.status.size = s.notices.size = s.unplaced.size = s.lesc.size = sizeof(char *);
    const char *t = text ? text : "";
    s.nul = len && memchr(t, 0, len) != NULL;
    enum st st = ST_HEAD;
    size_t i = 0;
    while (i < len && !s.oom) {
        size_t j = ebts__next_break((const unsigned char *)t, i, len);
        line l = {t + i, j - i, i};
        one_line(&s, &st, l);
        if (j < len && t[j] == '\r' && j + 1 < len && t[j + 1] == '\n')
            j++;
        i = j + 1;
    }
    s.lastv = NULL;
    if (s.disclaimer && e->idr.present)
        e->idr.disclaimer = dup_n(&s, s.disclaimer, s.dlen);
    e->idr.encounters = finish_vec(&s, &s.enc, &e->idr.nencounters);
    e->iar.iaq = finish_vec(&s, &s.iaq, &e->iar.niaq);
    for (size_t k = 0; k < e->iar.niaq; k++)
        if (strcmp(e->iar.iaq[k].key, "REM") == 0)
            parse_rem(&s, e->iar.iaq[k].value);
    e->iar.encounters = finish_vec(&s, &s.rem, &e->iar.nencounters);
    e->iar.status_lines = finish_vec(&s, &s.status, &e->iar.nstatus_lines);
    e->iar.record = finish_vec(&s, &s.record, &e->iar.nrecord);
    e->iar.notices = finish_vec(&s, &s.notices, &e->iar.nnotices);
    e->iar.requesting = finish_vec(&s, &s.req, &e->iar.nrequesting);
    e->iar.lesc_lines = finish_vec(&s, &s.lesc, &e->iar.nlesc_lines);
    e->unplaced = finish_vec(&s, &s.unplaced, &e->nunplaced);
    if (e->iar.present)
        find_status(&s, t, len);
    if (e->iar.present)
        status_without_stars(&s);
    if (!e->idr.present && !e->iar.present) {
        /* not an IDENT response (an IAFIS rap sheet, say): nothing is "unplaced" */
        e->nunplaced = 0;
        e->dl.n = 0;
        memset(e->dl.lost, 0, sizeof e->dl.lost);
    }
    free(s.enc.p);
    free(s.iaq.p);
    free(s.rem.p);
    free(s.status.p);
    free(s.record.p);
    free(s.notices.p);
    free(s.req.p);
    free(s.unplaced.p);
    free(s.lesc.p);
    free(s.disclaimer);
    if (s.oom || e->dl.oom) {
        ebts_ers_free(e);
        ebts__error_oom(err);
        return NULL;
    }
    return e;
}

const ebts_idr *ebts_ers_idr(const ebts_ers *e)
{
    return e ? &e->idr : NULL;
}

const ebts_iar *ebts_ers_iar(const ebts_ers *e)
{
    return e ? &e->iar : NULL;
}

size_t ebts_ers_unplaced_count(const ebts_ers *e)
{
    return e ? e->nunplaced : 0;
}

const char *ebts_ers_unplaced(const ebts_ers *e, size_t index)
{
    return e && index < e->nunplaced ? e->unplaced[index] : NULL;
}

size_t ebts_ers_diag_count(const ebts_ers *e)
{
    return e ? e->dl.n : 0;
}

const ebts_diag *ebts_ers_diag(const ebts_ers *e, size_t index)
{
    return e && index < e->dl.n ? &e->dl.d[index] : NULL;
}

void ebts_ers_free(ebts_ers *e)
{
    if (!e)
        return;
    ebts__arena_free(&e->arena);
    free(e->dl.d);
    free(e);
}

/* ---- composing */

/* The wording of the FBI's published match response, one line per paragraph (the composer
 * wraps them at 72 characters). */
static const char disclaimer[] =
    "This record is being sent for identification purposes only. It does not convey the "
    "individual's immigration status and is not an immigration detainer.\n"
    "Statement on Disclosure of Visa Records\n"
    "According to the Immigration and Nationality Act, section 222(f): The records of the "
    "Department of State and of diplomatic and consular offices of the United States pertaining "
    "to the issuance or refusal of visas or permits to enter the United States shall be "
    "considered confidential and shall be used only for the formulation, amendment, "
    "administration, or enforcement of the immigration, nationality, and other laws of the "
    "United States.\n"
    "The attached visa record may only be used for the purposes for which it is being shared. "
    "Information in this record may not under any circumstances be disclosed to any entity other "
    "than the receiving agency, including the general public, without the express written "
    "consent of the Department of State (DOS). Any questions concerning the interpretation of DOS "
    "visa records or the parameters for disclosure of such records under INA section 222(f) must "
    "be addressed by the DOS. However, should access to DOS visa records generate inquiries by "
    "receiving agencies about a person's legal status in the United States, such inquiries should "
    "be directed to the Department of Homeland Security (DHS), which has jurisdiction over "
    "questions of legal status in the United States.";

const char *ebts_idr_disclaimer(void)
{
    return disclaimer;
}

static void put_line(ebts__buf *b, const char *p, size_t n)
{
    ebts__buf_put(b, p, n);
    ebts__buf_put(b, "\r\n", 2);
}

/* text[0, n) wrapped at MAX_LINE after the prefix `first` ("NAME = "): each line breaks at the
 * last space that fits (the spaces there are dropped) or, with `brk`, after the last `brk` that
 * fits, whichever comes later; a word longer than a line is cut. */
static void put_wrapped(ebts__buf *b, const char *first, const char *text, size_t n, char brk)
{
    char lb[MAX_LINE];
    size_t used = strlen(first), i = 0;
    if (used > MAX_LINE)
        used = MAX_LINE;
    memcpy(lb, first, used);
    do {
        size_t room = MAX_LINE - used, take = n - i;
        if (take > room) {
            size_t cut = 0;
            for (size_t k = room; k > 0 && !cut; k--)
                if (text[i + k] == ' ' || (brk && text[i + k - 1] == brk))
                    cut = k;
            take = cut ? cut : room;
        }
        memcpy(lb + used, text + i, take);
        put_line(b, lb, used + take);
        i += take;
        while (i < n && text[i] == ' ')
            i++;
        used = 0;
    } while (i < n);
}

static void put_lines(ebts__buf *b, const char *text)
{
    const char *p = text;
    while (p && *p) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        put_wrapped(b, "", p, n, 0);
        p = nl ? nl + 1 : NULL;
    }
}

static void put_pair(ebts__buf *b, const ebts_pair *pr)
{
    char first[64];
    snprintf(first, sizeof first, "%s/%s", pr->key, pr->value && *pr->value ? " " : "");
    put_wrapped(b, first, pr->value ? pr->value : "", pr->value ? strlen(pr->value) : 0, 0);
}

static const char *nz(const char *s)
{
    return s ? s : "";
}

/* n pairs at p, each with a key (NULL p only when n is 0) */
static int pairs_ok(const ebts_pair *p, size_t n)
{
    for (size_t i = 0; p && i < n; i++)
        if (!p[i].key)
            return 0;
    return p || !n;
}

/* n strings at s, none NULL (NULL s only when n is 0) */
static int strings_ok(const char *const *s, size_t n)
{
    for (size_t i = 0; s && i < n; i++)
        if (!s[i])
            return 0;
    return s || !n;
}

/* What compose reads: an IDR, and arrays where their counts say there are elements. */
static const char *compose_refusal(const ebts_idr *idr, const ebts_iar *iar)
{
    if (!idr)
        return "no IDR";
    if (!idr->encounters && idr->nencounters)
        return "IDR encounters NULL";
    if (!iar || !iar->present)
        return NULL;
    if (!pairs_ok(iar->iaq, iar->niaq))
        return "IAR IAQ pairs NULL or without a key";
    if (!iar->encounters && iar->nencounters)
        return "IAR encounters NULL";
    if (!strings_ok(iar->status_lines, iar->nstatus_lines))
        return "IAR status lines NULL";
    if (!strings_ok(iar->lesc_lines, iar->nlesc_lines))
        return "IAR LESC lines NULL";
    if (!pairs_ok(iar->record, iar->nrecord))
        return "IAR record pairs NULL or without a key";
    if (!strings_ok(iar->notices, iar->nnotices))
        return "IAR notices NULL";
    if (!pairs_ok(iar->requesting, iar->nrequesting))
        return "IAR requesting pairs NULL or without a key";
    return NULL;
}

/* The IAQ echo as the FBI lays it out: keys of one group share a line, and each key has its own
 * spacing after the '/' ("ORI/ WVFBIID00 ATN/ORI=TX1234567"). Other keys get a line each. */
static const struct {
    const char *key, *sep;
    int group;
} iaq_layout[] = {{"ORI", "/ ", 1}, {"ATN", "/", 1}, {"PHN", "/", 2}, {"NAM", "/ ", 3},
                  {"DOB", "/ ", 4}, {"CUS", "/ ", 4}, {"OFF", "/", 4}, {"PUR", "/ ", 4},
                  {"POB", "/", 4},  {"SEX", "/", 4},  {"FBI", "/", 5}, {"ARN", "/", 6},
                  {"SOC", "/", 6},  {"SID", "/", 7}};

static void put_iaq(ebts__buf *b, const ebts_pair *pairs, size_t n)
{
    ebts__buf lb = {0};
    int cur = 0;
    for (size_t i = 0; i <= n; i++) {
        const char *key = i < n ? nz(pairs[i].key) : "", *val = i < n ? nz(pairs[i].value) : "";
        const char *sep = *val ? "/ " : "/";
        int group = 0;
        for (size_t k = 0; k < sizeof iaq_layout / sizeof iaq_layout[0]; k++)
            if (strcmp(key, iaq_layout[k].key) == 0) {
                sep = *val ? iaq_layout[k].sep : "/";
                group = iaq_layout[k].group;
            }
        size_t piece = strlen(key) + strlen(sep) + strlen(val);
        int join = i < n && cur && group == cur && lb.len + 1 + piece <= MAX_LINE;
        if (!join && lb.len) {
            put_wrapped(b, "", (const char *)lb.p, lb.len, 0);
            lb.len = 0;
        }
        if (i == n)
            break;
        ebts__buf_printf(&lb, "%s%s%s%s", join ? " " : "", key, sep, val);
        cur = group;
    }
    b->oom |= lb.oom;
    free(lb.p);
}

/* REM/ IDSM=<tcn>ENCOUNTER, then the list, which breaks only after ';' or at a space inside a
 * value so that it reads back exactly (a continuation joins with one space). */
static void put_rem(ebts__buf *b, const ebts_iar *iar)
{
    ebts__buf rem = {0};
    ebts__buf_printf(&rem, "REM/ IDSM=%sENCOUNTER", nz(iar->idsm));
    size_t head = rem.len;
    ebts__buf_puts(&rem, "INFO[EID;LAST;FIRST;MIDDLE;DOB;POB;SEX]");
    for (size_t k = 0; k < iar->nencounters; k++) {
        const ebts_encounter *e = &iar->encounters[k];
        ebts__buf_printf(&rem, "%s%s;%s;%s;%s;%s;%s;%s", k ? ";" : "", nz(e->eid), nz(e->last),
                         nz(e->first), nz(e->middle), nz(e->dob), nz(e->pob), nz(e->sex));
    }
    if (rem.oom) {
        b->oom = 1;
    } else {
        put_wrapped(b, "", (const char *)rem.p, head, 0);
        put_wrapped(b, "", (const char *)rem.p + head, rem.len - head, ';');
    }
    free(rem.p);
}

/* The LESC response from the IAR's members (an IAR without lesc_lines). */
static void put_lesc(ebts__buf *b, const ebts_iar *iar)
{
    static const char stars[] = "*****************************************************";
    int status_done = 0;
    for (size_t i = 0; i < iar->nstatus_lines; i++) {
        const char *sl = iar->status_lines[i];
        if (iar->status && !status_done && strcmp(sl, iar->status) == 0) {
            put_line(b, stars, sizeof stars - 1);
            put_line(b, sl, strlen(sl));
            put_line(b, stars, sizeof stars - 1);
            status_done = 1;
            continue;
        }
        put_line(b, sl, strlen(sl));
    }
    for (size_t i = 0; i < iar->nrecord; i++)
        put_pair(b, &iar->record[i]);
    if (iar->nrecord)
        put_line(b, stars, sizeof stars - 1);
    for (size_t i = 0; i < iar->nnotices; i++)
        put_line(b, iar->notices[i], strlen(iar->notices[i]));
    if (iar->nrequesting) {
        put_line(b, "REQUESTING ORI INFORMATION:", 27);
        for (size_t i = 0; i < iar->nrequesting; i++)
            put_pair(b, &iar->requesting[i]);
    }
    if (iar->query_id) {
        char q[128];
        snprintf(q, sizeof q, "LESC QUERY ID:%s", iar->query_id);
        put_line(b, q, strlen(q));
    }
    if (iar->end)
        put_line(b, "END OF RESPONSE . . . .", 23);
}

static void put_field(ebts__buf *b, const char *first, const char *v)
{
    put_wrapped(b, first, nz(v), strlen(nz(v)), 0);
}

char *ebts_ers_compose(const ebts_idr *idr, const ebts_iar *iar, size_t *len, ebts_error *err)
{
    const char *refusal = compose_refusal(idr, iar);
    if (refusal) {
        ebts__error_set(err, EBTS__C_BAD_ARGUMENT, 0, -1, NULL, "%s", refusal);
        return NULL;
    }
    ebts__buf b = {0};
    int nomatch_last = 0; /* the no-match marker ends the text: no line end after it */
    if (idr) {
        if (idr->title) {
            put_line(&b, idr->title, strlen(idr->title));
            put_line(&b, "", 0);
        }
        put_lines(&b, idr->disclaimer ? idr->disclaimer : disclaimer);
        if (idr->match == 1) {
            put_line(&b, "", 0);
            put_line(&b, "------ MATCH -----", 18);
        } else if (idr->match == 0) {
            put_line(&b, "- NO MATCH -", 12);
            nomatch_last = 1;
        }
        for (size_t i = 0; i < idr->nencounters; i++) {
            const ebts_encounter *e = &idr->encounters[i];
            put_field(&b, "EID = ", e->eid);
            put_field(&b, "NAME = ", e->name);
            put_field(&b, "DOB = ", e->dob);
            put_field(&b, "POB = ", e->pob);
            put_field(&b, "SEX = ", e->sex);
            nomatch_last = 0;
        }
        if (idr->photo_attached) {
            put_line(&b, "Photo Attached", 14);
            nomatch_last = 0;
        }
    }
    if (iar && iar->present) {
        nomatch_last = 0;
        put_line(&b, "", 0);
        put_line(&b, "*** LAW ENFORCEMENT SENSITIVE ***", 33);
        put_line(&b, "", 0);
        put_field(&b, "IAQ RECEIVED: ", iar->received);
        size_t from = 0;
        for (size_t i = 0; i <= iar->niaq; i++) {
            if (i < iar->niaq && strcmp(nz(iar->iaq[i].key), "REM") != 0)
                continue;
            put_iaq(&b, i > from ? iar->iaq + from : NULL, i - from); /* none: maybe NULL */
            if (i < iar->niaq)
                put_rem(&b, iar);
            from = i + 1;
        }
        put_line(&b, "**** QUERY MESSAGE TEXT ENDS - L.E.S.C. RESPONSE BEGINS ****", 60);
        for (size_t i = 0; i < iar->nlesc_lines; i++)
            put_field(&b, "", iar->lesc_lines[i]);
        if (!iar->nlesc_lines)
            put_lesc(&b, iar);
    }
    if (nomatch_last)
        b.len -= 2;
    ebts__buf_putc(&b, 0);
    if (b.oom) {
        free(b.p);
        ebts__error_oom(err);
        return NULL;
    }
    if (len)
        *len = b.len - 1;
    return (char *)b.p;
}
