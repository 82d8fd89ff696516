/* JSON rendering of a transaction for scripts: records, fields (value, items or subfields),
 * binary data as length + CRC-32 (+ base64 on request), and the diagnostics. Text is emitted as
 * UTF-8; a byte that is not part of valid UTF-8 is written as \u00XX and the field is marked
 * "invalid_utf8": true. */
#include <string.h>
#include "internal.h"

static void put_str(ebts__buf *b, const unsigned char *p, size_t n, int *bad)
{
    static const char hx[] = "0123456789abcdef";
    ebts__buf_putc(b, '"');
    for (size_t i = 0; i < n;) {
        unsigned char c = p[i];
        if (c == '"' || c == '\\') {
            ebts__buf_putc(b, '\\');
            ebts__buf_putc(b, c);
            i++;
        } else if (c == '\n') {
            ebts__buf_puts(b, "\\n");
            i++;
        } else if (c == '\r') {
            ebts__buf_puts(b, "\\r");
            i++;
        } else if (c == '\t') {
            ebts__buf_puts(b, "\\t");
            i++;
        } else if (c < 0x20 || c == 0x7f) {
            char e[6] = {'\\', 'u', '0', '0', hx[c >> 4], hx[c & 15]};
            ebts__buf_put(b, e, 6);
            i++;
        } else if (c < 0x80) {
            size_t j = i;
            while (j < n && p[j] >= 0x20 && p[j] < 0x7f && p[j] != '"' && p[j] != '\\')
                j++;
            ebts__buf_put(b, p + i, j - i);
            i = j;
        } else {
            size_t len = ebts__utf8_seq(p + i, n - i, NULL);
            if (len) { /* a well-formed UTF-8 sequence passes through */
                ebts__buf_put(b, p + i, len);
                i += len;
            } else {
                char e[6] = {'\\', 'u', '0', '0', hx[c >> 4], hx[c & 15]};
                ebts__buf_put(b, e, 6);
                if (bad)
                    *bad = 1;
                i++;
            }
        }
    }
    ebts__buf_putc(b, '"');
}

static void put_cstr(ebts__buf *b, const char *s)
{
    put_str(b, (const unsigned char *)s, strlen(s), NULL);
}

static void put_base64(ebts__buf *b, const unsigned char *p, size_t n)
{
    ebts__buf_putc(b, '"');
    ebts__base64(b, p, n);
    ebts__buf_putc(b, '"');
}

static void put_binary(ebts__buf *b, const unsigned char *p, size_t n, unsigned flags)
{
    ebts__buf_printf(b, "\"binary\":true,\"length\":%zu,\"crc32\":\"%08x\"", n,
                     (unsigned)ebts__crc32(p, n));
    if (flags & EBTS_WRITE_BASE64) {
        ebts__buf_puts(b, ",\"base64\":");
        put_base64(b, p, n);
    }
}

static void put_field(ebts__buf *b, const ebts_field *f, unsigned flags)
{
    char tag[24];
    int bad = 0;
    ebts__buf_puts(b, "{\"tag\":");
    if (f->flags & EBTS__F_MALFORMED) {
        ebts__buf_puts(b, "null,\"malformed\":true,\"value\":");
        put_str(b, f->val, f->len, &bad);
    } else {
        ebts__spelled_tag(f, tag, sizeof tag);
        put_cstr(b, tag);
        ebts__buf_putc(b, ',');
        if (f->flags & EBTS__F_BINARY) {
            put_binary(b, f->val, f->len, flags);
        } else if (ebts__nitems(f) == 1) {
            ebts__buf_puts(b, "\"value\":");
            put_str(b, f->val, f->len, &bad);
        } else if (ebts__nsub(f) == 1) {
            ebts__buf_puts(b, "\"items\":[");
            for (size_t i = 0, n = ebts__nitems(f); i < n; i++) {
                ebts_span it = ebts_field_item(f, 0, i);
                if (i)
                    ebts__buf_putc(b, ',');
                put_str(b, it.ptr, it.len, &bad);
            }
            ebts__buf_putc(b, ']');
        } else {
            ebts__buf_puts(b, "\"subfields\":[");
            for (size_t s = 0, n = ebts__nsub(f); s < n; s++) {
                ebts__buf_puts(b, s ? ",[" : "[");
                for (size_t i = 0; i < ebts_field_item_count(f, s); i++) {
                    ebts_span it = ebts_field_item(f, s, i);
                    if (i)
                        ebts__buf_putc(b, ',');
                    put_str(b, it.ptr, it.len, &bad);
                }
                ebts__buf_putc(b, ']');
            }
            ebts__buf_putc(b, ']');
        }
    }
    if (bad)
        ebts__buf_puts(b, ",\"invalid_utf8\":true");
    ebts__buf_putc(b, '}');
}

static unsigned be16(const unsigned char *p)
{
    return (unsigned)p[0] << 8 | p[1];
}

static void put_binary_record(ebts__buf *b, const ebts_record *r, unsigned flags)
{
    const unsigned char *p = r->raw;
    ebts__buf_printf(b, ",\"idc\":%u,\"header\":{", p[4]);
    if (r->type == 8 && r->rawlen >= 12) {
        ebts__buf_printf(b, "\"sig\":%u,\"srt\":%u,\"isr\":%u,\"hll\":%u,\"vll\":%u", p[5], p[6],
                         p[7], be16(p + 8), be16(p + 10));
    } else if (r->type != 7 && r->rawlen >= 18) {
        ebts__buf_printf(b, "\"imp\":%u,\"fgp\":[", p[5]);
        int first = 1;
        for (int i = 6; i < 12; i++)
            if (p[i] != 255) {
                ebts__buf_printf(b, first ? "%u" : ",%u", p[i]);
                first = 0;
            }
        ebts__buf_printf(b, "],\"isr\":%u,\"hll\":%u,\"vll\":%u,\"gca\":%u", p[12], be16(p + 13),
                         be16(p + 15), p[17]);
    }
    ebts__buf_puts(b, "},");
    put_binary(b, p, r->rawlen, flags);
}

static void put_opt(ebts__buf *b, const char *key, const char *v, int comma)
{
    ebts__buf_printf(b, "%s\"%s\":", comma ? "," : "", key);
    if (v)
        put_cstr(b, v);
    else
        ebts__buf_puts(b, "null");
}

static void put_encounter(ebts__buf *b, const ebts_encounter *e, int rem)
{
    put_opt(b, "eid", e->eid, 0);
    if (rem) {
        put_opt(b, "last", e->last, 1);
        put_opt(b, "first", e->first, 1);
        put_opt(b, "middle", e->middle, 1);
    } else {
        put_opt(b, "name", e->name, 1);
    }
    put_opt(b, "dob", e->dob, 1);
    put_opt(b, "pob", e->pob, 1);
    put_opt(b, "sex", e->sex, 1);
}

/* ",\"encounters\":[{...},...]" */
static void put_encounters(ebts__buf *b, const ebts_encounter *e, size_t n, int rem)
{
    ebts__buf_puts(b, ",\"encounters\":[");
    for (size_t i = 0; i < n; i++) {
        ebts__buf_puts(b, i ? ",{" : "{");
        put_encounter(b, &e[i], rem);
        ebts__buf_putc(b, '}');
    }
    ebts__buf_putc(b, ']');
}

static void put_pairs(ebts__buf *b, const char *key, const ebts_pair *p, size_t n)
{
    ebts__buf_printf(b, ",\"%s\":[", key);
    for (size_t i = 0; i < n; i++) {
        ebts__buf_puts(b, i ? ",{" : "{");
        put_opt(b, "key", p[i].key, 0);
        put_opt(b, "value", p[i].value, 1);
        ebts__buf_putc(b, '}');
    }
    ebts__buf_putc(b, ']');
}

static void put_strings(ebts__buf *b, const char *key, const char *const *s, size_t n)
{
    ebts__buf_printf(b, ",\"%s\":[", key);
    for (size_t i = 0; i < n; i++) {
        if (i)
            ebts__buf_putc(b, ',');
        put_cstr(b, s[i]);
    }
    ebts__buf_putc(b, ']');
}

/* "sre" / "errt": the response view, for scripts */
static void put_response(const ebts_txn *t, ebts__buf *b)
{
    ebts_response *r = ebts_response_view(t, NULL);
    if (!r) { /* out of memory: the write fails rather than leave the view out */
        b->oom = 1;
        return;
    }
    if (!r->tot)
        goto done;
    if (strcmp(r->tot, "ERRT") == 0) {
        ebts__buf_puts(b, ",\n\"errt\":{\"messages\":[");
        for (size_t i = 0; i < r->nmessages; i++) {
            ebts__buf_puts(b, i ? ",{" : "{");
            put_opt(b, "code", r->messages[i].code, 0);
            put_opt(b, "ref", r->messages[i].ref, 1);
            put_opt(b, "text", r->messages[i].text, 1);
            ebts__buf_putc(b, '}');
        }
        ebts__buf_puts(b, "]}");
        goto done;
    }
    if (strcmp(r->tot, "SRE") != 0)
        goto done;
    ebts__buf_puts(b, ",\n\"sre\":{");
    put_opt(b, "srf", r->srf, 0);
    put_opt(b, "tcr", r->tcr, 1);
    put_opt(b, "ori", r->ori, 1);
    put_opt(b, "dai", r->dai, 1);
    put_opt(b, "sid", r->sid, 1);
    put_opt(b, "nam", r->nam, 1);
    put_opt(b, "cri", r->ncri ? r->cri[0] : NULL, 1);
    ebts__buf_printf(b, ",\"from_ident\":%s,\"photos\":[", r->from_ident ? "true" : "false");
    for (size_t i = 0; i < r->nphotos; i++)
        ebts__buf_printf(b, "%s%zu", i ? "," : "", r->photos[i]);
    ebts__buf_puts(b, "],\"idr\":");
    const ebts_idr *idr = ebts_ers_idr(r->ers);
    if (idr && idr->present) {
        ebts__buf_printf(b, "{\"match\":%s", idr->match < 0 ? "null" : idr->match ? "true" : "false");
        put_opt(b, "title", idr->title, 1);
        put_encounters(b, idr->encounters, idr->nencounters, 0);
        ebts__buf_printf(b, ",\"photo_attached\":%s", idr->photo_attached ? "true" : "false");
        put_opt(b, "disclaimer", idr->disclaimer, 1);
        ebts__buf_putc(b, '}');
    } else {
        ebts__buf_puts(b, "null");
    }
    const ebts_iar *iar = ebts_ers_iar(r->ers);
    ebts__buf_puts(b, ",\"iar\":");
    if (iar && iar->present) {
        ebts__buf_putc(b, '{');
        put_opt(b, "received", iar->received, 0);
        put_pairs(b, "iaq", iar->iaq, iar->niaq);
        put_opt(b, "idsm", iar->idsm, 1);
        put_encounters(b, iar->encounters, iar->nencounters, 1);
        put_opt(b, "status", iar->status, 1);
        put_strings(b, "status_lines", iar->status_lines, iar->nstatus_lines);
        put_pairs(b, "record", iar->record, iar->nrecord);
        put_strings(b, "notices", iar->notices, iar->nnotices);
        put_pairs(b, "requesting", iar->requesting, iar->nrequesting);
        put_opt(b, "lesc_query_id", iar->query_id, 1);
        ebts__buf_putc(b, '}');
    } else {
        ebts__buf_puts(b, "null");
    }
    size_t nu = ebts_ers_unplaced_count(r->ers);
    ebts__buf_puts(b, ",\"unplaced\":[");
    for (size_t i = 0; i < nu; i++) {
        if (i)
            ebts__buf_putc(b, ',');
        put_cstr(b, ebts_ers_unplaced(r->ers, i));
    }
    ebts__buf_puts(b, "]}");
done:
    ebts_response_free(r);
}

void ebts__write_json(const ebts_txn *t, unsigned flags, ebts__buf *b)
{
    ebts__buf_puts(b, "{\"records\":[");
    for (size_t ri = 0; ri < t->nrecs; ri++) {
        const ebts_record *r = t->recs[ri];
        ebts__buf_printf(b, "%s\n{\"index\":%zu,\"type\":%u", ri ? "," : "", ri, r->type);
        if (r->offset != EBTS__NOWHERE)
            ebts__buf_printf(b, ",\"offset\":%u", r->offset);
        if (r->binary) {
            put_binary_record(b, r, flags);
            ebts__buf_putc(b, '}');
            continue;
        }
        ebts__buf_puts(b, ",\"fields\":[");
        for (uint32_t i = 0; i < r->nfields; i++) {
            ebts__buf_puts(b, i ? ",\n " : "\n ");
            put_field(b, &r->fields[i], flags);
        }
        ebts__buf_puts(b, "]}");
    }
    ebts__buf_puts(b, "]");
    if (t->unread_len)
        ebts__buf_printf(b, ",\n\"unread_bytes\":%zu", t->unread_len);
    put_response(t, b);
    if (!(flags & EBTS_WRITE_NO_DIAGS)) {
        ebts__buf_puts(b, ",\n\"diagnostics\":[");
        for (size_t i = 0; i < t->dl.n; i++) {
            const ebts_diag *d = &t->dl.d[i];
            ebts__buf_printf(b, "%s\n{\"code\":\"%s\",\"severity\":\"%s\",\"recovered\":%s,"
                                "\"offset\":%zu,\"record\":%ld,\"tag\":",
                             i ? "," : "", d->code, ebts_severity_name(d->severity),
                             d->recovered ? "true" : "false", d->offset, d->record);
            if (d->tag[0])
                put_cstr(b, d->tag);
            else
                ebts__buf_puts(b, "null");
            if (d->subfield >= 0)
                ebts__buf_printf(b, ",\"subfield\":%ld", d->subfield);
            if (d->item >= 0)
                ebts__buf_printf(b, ",\"item\":%ld", d->item);
            if (d->line > 0)
                ebts__buf_printf(b, ",\"line\":%ld", d->line);
            ebts__buf_puts(b, ",\"message\":");
            put_cstr(b, d->msg);
            ebts__buf_putc(b, '}');
        }
        ebts__buf_puts(b, "]");
    }
    ebts__buf_puts(b, "}\n");
}
