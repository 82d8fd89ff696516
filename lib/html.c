/* The HTML reports: one self-contained page (inline CSS, images as data: URIs, no script,
 * nothing fetched) that says what a transaction is, shows an IDENT response's encounters beside
 * their photos and the IAR's determination, then every record and field with its mnemonic, name
 * and value, each finding at the field it concerns; and the page on a batch of files (below).
 * Every value is escaped. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "rules.h"

static const char style[] =
    "body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222;max-width:75em}"
    "h1{font-size:1.3em;margin:.2em 0}h2{font-size:1.1em;margin:1.2em 0 .4em}"
    ".banner{padding:.8em 1em;border-radius:6px;background:#eef;border:1px solid #99c}"
    ".banner.match{background:#fee;border-color:#c66}.banner.nomatch{background:#efe;"
    "border-color:#6a6}.banner.errt{background:#fec;border-color:#c93}"
    "table{border-collapse:collapse;margin:.3em 0}td,th{border:1px solid #ccc;padding:.2em .5em;"
    "vertical-align:top;text-align:left}th{background:#f4f4f4}"
    ".tag{font-family:monospace;white-space:nowrap}.v{font-family:monospace;"
    "white-space:pre-wrap;word-break:break-all}.sep{color:#999}.esc{color:#a00}"
    ".idr{display:flex;flex-wrap:wrap;gap:1.5em;align-items:flex-start}"
    ".photos{display:flex;flex-wrap:wrap;gap:1em}.photos figure{margin:0}"
    ".photos img{max-width:240px;border:1px solid #999}"
    ".det{padding:.6em 1em;border-left:4px solid #c66;background:#fff6f6;margin:.5em 0}"
    ".f-error{color:#a00}.f-warning{color:#960}.findings{margin:.2em 0;padding-left:1.2em}"
    ".summary{margin-top:1.5em;font-weight:bold}";

static void esc_char(ebts__buf *b, unsigned char c)
{
    switch (c) {
    case '&': ebts__buf_puts(b, "&amp;"); break;
    case '<': ebts__buf_puts(b, "&lt;"); break;
    case '>': ebts__buf_puts(b, "&gt;"); break;
    case '"': ebts__buf_puts(b, "&quot;"); break;
    case '\'': ebts__buf_puts(b, "&#39;"); break;
    default: ebts__buf_putc(b, c);
    }
}

/* Text as HTML: markup characters escaped, separators and bytes that are not text shown as
 * visible marks (<US>, \x11), so the page never carries a raw control byte. */
static void esc(ebts__buf *b, const unsigned char *p, size_t n)
{
    size_t len;
    unsigned cp;
    static const char *const sep[] = {"&lt;FS&gt;", "&lt;GS&gt;", "&lt;RS&gt;", "&lt;US&gt;"};
    for (size_t i = 0; i < n;) {
        unsigned char c = p[i];
        if (c >= 0x1c && c <= 0x1f) {
            ebts__buf_printf(b, "<span class=\"sep\">%s</span>%s", sep[c - 0x1c],
                             c == 0x1e ? "\n" : "");
            i++;
        } else if (c == '\n' || c == '\t' || (c >= 0x20 && c < 0x7f)) {
            esc_char(b, c);
            i++;
        } else if (c == '\r') {
            i++; /* CR LF shows as one line break */
        } else if (c >= 0x80 && (len = ebts__utf8_seq(p + i, n - i, &cp)) != 0) {
            /* C1 controls and the bidirectional overrides are shown, not obeyed */
            if (cp <= 0x9f || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069))
                ebts__buf_printf(b, "<span class=\"esc\">U+%04X</span>", cp);
            else
                ebts__buf_put(b, p + i, len);
            i += len;
        } else {
            ebts__buf_printf(b, "<span class=\"esc\">\\x%02x</span>", c);
            i++;
        }
    }
}

static void esc_s(ebts__buf *b, const char *s)
{
    if (s)
        esc(b, (const unsigned char *)s, strlen(s));
}

static const char *tot_name(const char *tot)
{
    for (const ebts__tot_rule *x = ebts__tots_91; tot && x->code; x++)
        if (strcmp(x->code, tot) == 0)
            return x->desc;
    return NULL;
}

/* An image as a data: URI when a browser can show it, else its description. */
static void put_image(ebts__buf *b, const unsigned char *p, size_t n, const char *alt)
{
    uint32_t w = 0, h = 0;
    int k = n ? ebts__image_sniff(p, n, &w, &h) : 0;
    int kind = k & EBTS__IMG_KIND;
    const char *mime = kind == EBTS__IMG_JPEG ? "image/jpeg" : kind == EBTS__IMG_PNG ? "image/png"
                                                                                    : NULL;
    if (mime) {
        ebts__buf_printf(b, "<img alt=\"%s\" src=\"data:%s;base64,", alt, mime);
        ebts__base64(b, p, n);
        ebts__buf_puts(b, "\">");
        return;
    }
    const char *ext = ebts_image_extension(p, n);
    const char *what = strcmp(ext, "jp2") == 0 ? "JPEG 2000" : strcmp(ext, "wsq") == 0 ? "WSQ"
                                                                                      : NULL;
    ebts__buf_printf(b, "<span class=\"v\">%s, %zu bytes", what ? what : "binary data", n);
    if (k & EBTS__IMG_SIZED)
        ebts__buf_printf(b, ", %ux%u", (unsigned)w, (unsigned)h);
    ebts__buf_puts(b, what ? " (not shown: browsers cannot display it)</span>" : "</span>");
}

static void put_findings(ebts__buf *b, const ebts_diag **d, size_t n)
{
    if (!n)
        return;
    ebts__buf_puts(b, "<ul class=\"findings\">");
    for (size_t i = 0; i < n; i++) {
        const char *sev = ebts_severity_name(d[i]->severity);
        ebts__buf_printf(b, "<li class=\"f-%s\">%s <b>%s</b>", sev, sev, d[i]->code);
        if (d[i]->subfield >= 0)
            ebts__buf_printf(b, " (subfield %ld%s", d[i]->subfield + 1, d[i]->item >= 0 ? "" : ")");
        if (d[i]->item >= 0)
            ebts__buf_printf(b, "%sitem %ld)", d[i]->subfield >= 0 ? ", " : " (", d[i]->item + 1);
        ebts__buf_printf(b, " at byte %zu: ", d[i]->offset);
        esc_s(b, d[i]->msg);
        ebts__buf_puts(b, "</li>");
    }
    ebts__buf_puts(b, "</ul>");
}

typedef struct H {
    ebts__buf *b;
    const ebts_diag **diags; /* every finding, in input order */
    size_t ndiags;
    const ebts_diag **sel;         /* room for one selection */
} H;

/* The findings of record rec (-1: of the file) whose tag is `tag` ("" for the record). */
static size_t select_diags(H *h, long rec, const char *tag)
{
    size_t n = 0;
    for (size_t i = 0; i < h->ndiags; i++)
        if (h->diags[i]->record == rec && strcmp(h->diags[i]->tag, tag) == 0)
            h->sel[n++] = h->diags[i];
    return n;
}

/* A text value: subfields on lines of their own, items apart by a visible US. */
static void put_value(ebts__buf *b, const ebts_field *f)
{
    ebts_span v = ebts_field_value(f);
    ebts__buf_puts(b, "<span class=\"v\">");
    esc(b, v.ptr, v.len);
    ebts__buf_puts(b, "</span>");
}

static void put_field(H *h, const ebts_record *r, size_t ri, const ebts_field *f)
{
    ebts__buf *b = h->b;
    char tag[24];
    ebts_field_tag(f, tag, sizeof tag);
    char canon[24];
    snprintf(canon, sizeof canon, "%u.%03u", ebts_record_type(r), ebts_field_number(f));
    const char *mnem, *desc;
    ebts__field_names(ebts_record_type(r), ebts_field_number(f), &mnem, &desc);
    ebts__buf_printf(b, "<tr id=\"r%zu-%s\"><td class=\"tag\">%s</td><td>", ri, canon, canon);
    esc_s(b, mnem);
    ebts__buf_puts(b, "</td><td>");
    esc_s(b, desc);
    ebts__buf_puts(b, "</td><td>");
    if (ebts_field_is_binary(f)) {
        ebts_span v = ebts_field_value(f);
        put_image(b, v.ptr, v.len, canon);
    } else {
        put_value(b, f);
    }
    size_t n = select_diags(h, (long)ri, canon);
    put_findings(b, h->sel, n);
    ebts__buf_puts(b, "</td></tr>\n");
}

static void put_record(H *h, const ebts_txn *t, size_t ri)
{
    ebts__buf *b = h->b;
    const ebts_record *r = ebts_txn_record(t, ri);
    unsigned type = ebts_record_type(r);
    ebts__buf_printf(b, "<h2 id=\"r%zu\">Record %zu: Type-%u", ri, ri, type);
    if (ri)
        ebts__buf_printf(b, ", IDC %d", ebts_record_idc(r));
    ebts__buf_puts(b, "</h2>\n");
    size_t n = select_diags(h, (long)ri, "");
    put_findings(b, h->sel, n);
    if (ebts_record_is_binary(r)) {
        ebts_span d = ebts_record_data(r);
        ebts__buf_printf(b, "<p>Binary record of %zu bytes.</p>\n", d.len);
        return;
    }
    ebts__buf_puts(b, "<table><tr><th>tag</th><th>mnemonic</th><th>name</th><th>value</th></tr>\n");
    for (size_t i = 0; i < ebts_record_field_count(r); i++)
        put_field(h, r, ri, ebts_record_field_at(r, i));
    ebts__buf_puts(b, "</table>\n");
}

static void put_encounters(ebts__buf *b, const ebts_encounter *e, size_t n)
{
    ebts__buf_puts(b, "<table><tr><th>#</th><th>EID</th><th>name</th><th>date of birth</th>"
                      "<th>place of birth</th><th>sex</th></tr>\n");
    for (size_t i = 0; i < n; i++) {
        const char *v[5] = {e[i].eid, e[i].name, e[i].dob, e[i].pob, e[i].sex};
        ebts__buf_printf(b, "<tr><td>%zu</td>", i + 1);
        for (int k = 0; k < 5; k++) {
            ebts__buf_puts(b, "<td>");
            esc_s(b, v[k]);
            ebts__buf_puts(b, "</td>");
        }
        ebts__buf_puts(b, "</tr>\n");
    }
    ebts__buf_puts(b, "</table>\n");
}

static void put_pairs(ebts__buf *b, const ebts_pair *p, size_t n)
{
    if (!n)
        return;
    ebts__buf_puts(b, "<table>");
    for (size_t i = 0; i < n; i++) {
        ebts__buf_puts(b, "<tr><th>");
        esc_s(b, p[i].key);
        ebts__buf_puts(b, "</th><td class=\"v\">");
        esc_s(b, p[i].value);
        ebts__buf_puts(b, "</td></tr>");
    }
    ebts__buf_puts(b, "</table>\n");
}

static void put_photos(ebts__buf *b, const ebts_txn *t, const ebts_response *r)
{
    if (!r->nphotos)
        return;
    ebts__buf_puts(b, "<div class=\"photos\">");
    for (size_t i = 0; i < r->nphotos; i++) {
        const ebts_record *rec = ebts_txn_record(t, r->photos[i]);
        const ebts_field *f = ebts_record_field(rec, 999);
        ebts_span v = f ? ebts_field_value(f) : (ebts_span){NULL, 0};
        char alt[48];
        snprintf(alt, sizeof alt, "photo %zu", i + 1);
        ebts__buf_puts(b, "<figure>");
        put_image(b, v.ptr, v.len, alt);
        ebts__buf_printf(b, "<figcaption>Photo %zu: <a href=\"#r%zu\">record %zu</a>, IDC %d"
                            "</figcaption></figure>", i + 1, r->photos[i], r->photos[i],
                         ebts_record_idc(rec));
    }
    ebts__buf_puts(b, "</div>\n");
}

static void put_iar(ebts__buf *b, const ebts_iar *iar)
{
    ebts__buf_puts(b, "<h2>Immigration Alien Response (IAR)</h2>\n<div class=\"det\"><b>"
                      "Determination:</b> ");
    esc_s(b, iar->status ? iar->status : "(no status line)");
    for (size_t i = 0; i < iar->nstatus_lines; i++) {
        if (iar->status && strcmp(iar->status_lines[i], iar->status) == 0)
            continue;
        ebts__buf_puts(b, "<br>");
        esc_s(b, iar->status_lines[i]);
    }
    ebts__buf_puts(b, "</div>\n");
    if (iar->nrecord) {
        ebts__buf_puts(b, "<h3>ICE record</h3>\n");
        put_pairs(b, iar->record, iar->nrecord);
    }
    if (iar->nnotices) {
        ebts__buf_puts(b, "<h3>Notices</h3>\n<p class=\"v\">");
        for (size_t i = 0; i < iar->nnotices; i++) {
            esc_s(b, iar->notices[i]);
            ebts__buf_putc(b, '\n');
        }
        ebts__buf_puts(b, "</p>\n");
    }
    if (iar->niaq) {
        ebts__buf_puts(b, "<h3>The query (IAQ)</h3>\n");
        put_pairs(b, iar->iaq, iar->niaq);
    }
    if (iar->nrequesting) {
        ebts__buf_puts(b, "<h3>Requesting ORI</h3>\n");
        put_pairs(b, iar->requesting, iar->nrequesting);
    }
    if (iar->query_id) {
        ebts__buf_puts(b, "<p>LESC query id: ");
        esc_s(b, iar->query_id);
        ebts__buf_puts(b, "</p>\n");
    }
}

/* The banner: what the transaction is and what it means. */
static void put_banner(ebts__buf *b, const ebts_response *r)
{
    const ebts_idr *idr = r ? ebts_ers_idr(r->ers) : NULL;
    const char *tot = r ? r->tot : NULL;
    int errt = tot && strcmp(tot, "ERRT") == 0;
    int ident = idr && idr->present && r->from_ident;
    const char *cls = errt ? "errt" : ident && idr->match == 1 ? "match"
                                    : ident && idr->match == 0 ? "nomatch" : "";
    ebts__buf_printf(b, "<div class=\"banner %s\"><h1>", cls);
    if (errt)
        ebts__buf_puts(b, "Rejected: the FBI returned an error (ERRT)");
    else if (ident && idr->match == 1)
        ebts__buf_printf(b, "IDENT match: %zu encounter%s", idr->nencounters,
                         idr->nencounters == 1 ? "" : "s");
    else if (ident && idr->match == 0)
        ebts__buf_puts(b, "IDENT: no match");
    else if (ident)
        ebts__buf_puts(b, "IDENT response (no MATCH / NO MATCH marker)");
    else if (tot && strcmp(tot, "SRE") == 0)
        ebts__buf_puts(b, "Submission results (SRE)");
    else {
        const char *name = tot_name(tot);
        esc_s(b, tot ? tot : "Transaction without a TOT");
        if (name) {
            ebts__buf_puts(b, ": ");
            esc_s(b, name);
        }
    }
    ebts__buf_puts(b, "</h1>\n");
    if (r && (r->tcr || r->tcn)) {
        ebts__buf_puts(b, r->tcr ? "In answer to TCN " : "TCN ");
        esc_s(b, r->tcr ? r->tcr : r->tcn);
        ebts__buf_puts(b, ". ");
    }
    if (r && r->ori) {
        ebts__buf_puts(b, "From ORI ");
        esc_s(b, r->ori);
        ebts__buf_puts(b, r->from_ident ? " (IDENT, through FBI CJIS)" : "");
        ebts__buf_puts(b, ". ");
    }
    if (r && r->dai) {
        ebts__buf_puts(b, "To ");
        esc_s(b, r->dai);
        ebts__buf_puts(b, ".");
    }
    ebts__buf_puts(b, "</div>\n");
}

static void put_response(ebts__buf *b, const ebts_txn *t, const ebts_response *r)
{
    if (!r || !r->tot)
        return;
    if (strcmp(r->tot, "ERRT") == 0) {
        ebts__buf_puts(b, "<h2>Reasons</h2>\n<table><tr><th>code</th><th>reference</th>"
                          "<th>text</th></tr>\n");
        for (size_t i = 0; i < r->nmessages; i++) {
            const char *v[3] = {r->messages[i].code, r->messages[i].ref, r->messages[i].text};
            ebts__buf_puts(b, "<tr>");
            for (int k = 0; k < 3; k++) {
                ebts__buf_puts(b, "<td>");
                esc_s(b, v[k]);
                ebts__buf_puts(b, "</td>");
            }
            ebts__buf_puts(b, "</tr>\n");
        }
        ebts__buf_puts(b, "</table>\n");
        return;
    }
    const ebts_idr *idr = ebts_ers_idr(r->ers);
    if (idr && idr->present && (idr->nencounters || r->nphotos)) {
        ebts__buf_puts(b, "<h2>Encounters (IDENT Data Response)</h2>\n<div class=\"idr\">");
        if (idr->nencounters)
            put_encounters(b, idr->encounters, idr->nencounters);
        put_photos(b, t, r);
        ebts__buf_puts(b, "</div>\n");
    } else {
        put_photos(b, t, r);
    }
    if (idr && idr->present && idr->photo_attached && !r->nphotos)
        ebts__buf_puts(b, "<p class=\"f-warning\">The text says \"Photo Attached\", but no "
                          "Type-10 photo came with the response.</p>\n");
    const ebts_iar *iar = ebts_ers_iar(r->ers);
    if (iar && iar->present)
        put_iar(b, iar);
}

void ebts__write_html(const ebts_txn *t, unsigned flags, ebts__buf *b)
{
    H h = {b, NULL, 0, NULL};
    ebts_profile *prof = NULL;
    ebts_report *rep = NULL;
    ebts_response *r = NULL;
    if (flags & EBTS_WRITE_VALIDATE) {
        prof = ebts_profile_builtin(EBTS__DEFAULT_PROFILE, NULL);
        rep = prof ? ebts_validate(t, prof, NULL) : NULL;
        if (!rep) {
            b->oom = 1; /* a built-in profile fails only when memory runs out */
            goto done;
        }
    }
    size_t n = rep ? ebts_report_count(rep) : ebts_txn_diag_count(t);
    h.diags = calloc(n + 1, sizeof *h.diags);
    h.sel = calloc(n + 1, sizeof *h.sel);
    r = ebts_response_view(t, NULL);
    if (!h.diags || !h.sel || !r) {
        b->oom = 1;
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        h.diags[i] = rep ? ebts_report_diag(rep, i) : ebts_txn_diag(t, i);
    h.ndiags = n;
    ebts__buf_puts(b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
                      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                      "img-src data:; style-src 'unsafe-inline'\">\n<title>");
    esc_s(b, r->tot ? r->tot : "transaction");
    ebts__buf_printf(b, " - libebts report</title>\n<style>%s</style></head><body>\n", style);
    put_banner(b, r);
    put_response(b, t, r);
    size_t nf = select_diags(&h, -1, "");
    if (nf) {
        ebts__buf_puts(b, "<h2>The file as a whole</h2>\n");
        put_findings(b, h.sel, nf);
    }
    for (size_t ri = 0; ri < ebts_txn_record_count(t); ri++)
        put_record(&h, t, ri);
    size_t errors = 0;
    for (size_t i = 0; i < n; i++)
        errors += h.diags[i]->severity >= EBTS_SEV_ERROR;
    ebts__buf_printf(b, "<p class=\"summary\">%zu record%s, %zu error%s, %zu warning%s.</p>\n",
                     ebts_txn_record_count(t), ebts_txn_record_count(t) == 1 ? "" : "s", errors,
                     errors == 1 ? "" : "s", n - errors, n - errors == 1 ? "" : "s");
    ebts__buf_puts(b, "</body></html>\n");
done:
    ebts_response_free(r);
    ebts_report_free(rep);
    ebts_profile_free(prof);
    free(h.diags);
    free(h.sel);
}

/* ---- the report on a batch of files (ebts-validate --format html): a table of files, their
 * verdicts and first errors, each linking to its findings further down the same page. */

typedef struct bfile {
    char *name, *verdict;
    int failed;
    char *error_code, *error_msg; /* a file that could not be checked */
    ebts_diag *diags;
    size_t ndiags;
} bfile;

struct ebts_batch {
    char *title;
    bfile *files;
    size_t n, cap;
};

static char *bdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    return d ? memcpy(d, s, n) : NULL;
}

ebts_batch *ebts_batch_new(const char *title)
{
    ebts_batch *b = calloc(1, sizeof *b);
    if (b && !(b->title = bdup(title ? title : "libebts"))) {
        free(b);
        return NULL;
    }
    return b;
}

static bfile *batch_slot(ebts_batch *b)
{
    if (b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 32;
        bfile *f = realloc(b->files, cap * sizeof *f);
        if (!f)
            return NULL;
        b->files = f;
        b->cap = cap;
    }
    bfile *f = &b->files[b->n];
    memset(f, 0, sizeof *f);
    return f;
}

static void bfile_free(bfile *f)
{
    free(f->name);
    free(f->verdict);
    free(f->error_code);
    free(f->error_msg);
    free(f->diags);
}

int ebts_batch_add(ebts_batch *b, const char *name, const char *verdict, int failed,
                   const ebts_diag *diags, size_t n, ebts_error *err)
{
    if (!b || !name || !verdict || (!diags && n) || n > SIZE_MAX / sizeof *diags) {
        ebts__error_set(err, EBTS__C_BAD_ARGUMENT, 0, -1, NULL,
                        "no report, name or verdict, or no "
                        "findings with a count");
        return -1;
    }
    bfile *f = batch_slot(b);
    if (!f)
        goto oom;
    f->name = bdup(name);
    f->verdict = bdup(verdict);
    f->failed = failed != 0;
    f->diags = n ? malloc(n * sizeof *diags) : NULL;
    if (!f->name || !f->verdict || (n && !f->diags)) {
        bfile_free(f);
        goto oom;
    }
    if (n)
        memcpy(f->diags, diags, n * sizeof *diags);
    f->ndiags = n;
    b->n++;
    return 0;
oom:
    ebts__error_oom(err);
    return -1;
}

int ebts_batch_add_error(ebts_batch *b, const char *name, const char *code, const char *message,
                         ebts_error *err)
{
    if (!b || !name || !code || !message) {
        ebts__error_set(err, EBTS__C_BAD_ARGUMENT, 0, -1, NULL, "no report, name, code or message");
        return -1;
    }
    bfile *f = batch_slot(b);
    if (!f) {
        ebts__error_oom(err);
        return -1;
    }
    f->name = bdup(name);
    f->verdict = bdup("unreadable");
    f->failed = 1;
    f->error_code = bdup(code);
    f->error_msg = bdup(message);
    if (!f->name || !f->verdict || !f->error_code || !f->error_msg) {
        bfile_free(f);
        ebts__error_oom(err);
        return -1;
    }
    b->n++;
    return 0;
}

/* "CODE tag: message" of a finding. */
static void put_diag_text(ebts__buf *o, const ebts_diag *d)
{
    esc_s(o, d->code);
    if (d->tag[0]) {
        ebts__buf_putc(o, ' ');
        esc(o, (const unsigned char *)d->tag, strnlen(d->tag, sizeof d->tag));
    }
    ebts__buf_puts(o, ": ");
    esc(o, (const unsigned char *)d->msg, strnlen(d->msg, sizeof d->msg));
}

static const ebts_diag *first_error(const bfile *f)
{
    for (size_t i = 0; i < f->ndiags; i++)
        if (f->diags[i].severity >= EBTS_SEV_ERROR)
            return &f->diags[i];
    return NULL;
}

static void put_batch_row(ebts__buf *o, const bfile *f, size_t i)
{
    size_t errors = 0;
    for (size_t k = 0; k < f->ndiags; k++)
        errors += f->diags[k].severity >= EBTS_SEV_ERROR;
    ebts__buf_printf(o, "<tr class=\"%s\"><td>%zu</td><td class=\"v\"><a href=\"#f%zu\">",
                     f->failed ? "bad" : "good", i + 1, i + 1);
    esc_s(o, f->name);
    ebts__buf_puts(o, "</a></td><td>");
    esc_s(o, f->verdict);
    if (f->error_code)
        ebts__buf_puts(o, "</td><td></td><td></td><td>");
    else
        ebts__buf_printf(o, "</td><td>%zu</td><td>%zu</td><td>", errors, f->ndiags - errors);
    const ebts_diag *d = first_error(f);
    if (f->error_code) {
        esc_s(o, f->error_code);
        ebts__buf_puts(o, ": ");
        esc_s(o, f->error_msg);
    } else if (d) {
        put_diag_text(o, d);
    }
    ebts__buf_puts(o, "</td></tr>\n");
}

static void put_batch_file(ebts__buf *o, const bfile *f, size_t i)
{
    ebts__buf_printf(o, "<section id=\"f%zu\"><h2>%zu. <span class=\"v\">", i + 1, i + 1);
    esc_s(o, f->name);
    ebts__buf_printf(o, "</span>: <span class=\"%s\">", f->failed ? "f-error" : "ok");
    esc_s(o, f->verdict);
    ebts__buf_puts(o, "</span></h2>\n");
    if (f->error_code) {
        ebts__buf_puts(o, "<p class=\"f-error\">error <b>");
        esc_s(o, f->error_code);
        ebts__buf_puts(o, "</b>: ");
        esc_s(o, f->error_msg);
        ebts__buf_puts(o, "</p>\n");
    } else if (!f->ndiags) {
        ebts__buf_puts(o, "<p>No findings.</p>\n");
    } else {
        ebts__buf_puts(o, "<ul class=\"findings\">");
        for (size_t k = 0; k < f->ndiags; k++) {
            const ebts_diag *d = &f->diags[k];
            const char *sev = ebts_severity_name(d->severity);
            ebts__buf_printf(o, "<li class=\"f-%s\">%s at byte %zu: ", sev, sev, d->offset);
            put_diag_text(o, d);
            ebts__buf_puts(o, "</li>");
        }
        ebts__buf_puts(o, "</ul>\n");
    }
    ebts__buf_puts(o, "<p><a href=\"#top\">back to the table</a></p></section>\n");
}

static const char batch_style[] =
    "tr.bad td:nth-child(3){color:#a00;font-weight:bold}tr.good td:nth-child(3){color:#060}"
    ".ok{color:#060}section{border-top:1px solid #ccc;margin-top:1em}";

static void put_batch(ebts__buf *o, const ebts_batch *b)
{
    size_t failed = 0, unreadable = 0;
    for (size_t i = 0; i < b->n; i++) {
        failed += b->files[i].failed && !b->files[i].error_code;
        unreadable += b->files[i].error_code != NULL;
    }
    ebts__buf_puts(o, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
                      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                      "style-src 'unsafe-inline'\">\n<title>");
    esc_s(o, b->title);
    ebts__buf_printf(o, "</title>\n<style>%s%s</style></head><body>\n<h1 id=\"top\">", style,
                     batch_style);
    esc_s(o, b->title);
    ebts__buf_printf(o, "</h1>\n<p class=\"summary\">%zu file%s, %zu passed, %zu failed", b->n,
                     b->n == 1 ? "" : "s", b->n - failed - unreadable, failed);
    if (unreadable)
        ebts__buf_printf(o, ", %zu unreadable", unreadable);
    ebts__buf_puts(o, ".</p>\n<table><tr><th>#</th><th>file</th><th>verdict</th><th>errors</th>"
                      "<th>warnings</th><th>first error</th></tr>\n");
    for (size_t i = 0; i < b->n; i++)
        put_batch_row(o, &b->files[i], i);
    ebts__buf_puts(o, "</table>\n");
    for (size_t i = 0; i < b->n; i++)
        put_batch_file(o, &b->files[i], i);
    ebts__buf_puts(o, "</body></html>\n");
}

int ebts_batch_write(const ebts_batch *b, FILE *fp, ebts_error *err)
{
    if (!b || !fp) {
        ebts__error_set(err, EBTS__C_BAD_ARGUMENT, 0, -1, NULL, "no report or stream");
        return -1;
    }
    ebts__buf o = {0};
    put_batch(&o, b);
    if (o.oom) {
        free(o.p);
        ebts__error_oom(err);
        return -1;
    }
    int rc = fwrite(o.p, 1, o.len, fp) == o.len ? 0 : -1;
    free(o.p);
    if (rc < 0)
        ebts__error_set(err, EBTS__C_IO_ERROR, 0, -1, NULL, "could not write the HTML report");
    return rc;
}

void ebts_batch_free(ebts_batch *b)
{
    if (!b)
        return;
    for (size_t i = 0; i < b->n; i++)
        bfile_free(&b->files[i]);
    free(b->files);
    free(b->title);
    free(b);
}
