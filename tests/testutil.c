#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "testutil.h"

unsigned char *tu_slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    size_t cap = 65536, n = 0;
    unsigned char *p = malloc(cap);
    size_t r;
    while (p && (r = fread(p + n, 1, cap - n, fp)) > 0) {
        n += r;
        if (n == cap) {
            unsigned char *q = realloc(p, cap *= 2);
            if (!q) {
                free(p);
                p = NULL;
            }
            p = q;
        }
    }
    fclose(fp);
    *len = n;
    return p;
}

static int has_suffix(const char *name, const char *suffixes)
{
    char tmp[256];
    snprintf(tmp, sizeof tmp, "%s", suffixes);
    for (char *s = strtok(tmp, ";"); s; s = strtok(NULL, ";")) {
        size_t a = strlen(name), b = strlen(s);
        if (a >= b && strcmp(name + a - b, s) == 0)
            return 1;
    }
    return 0;
}

static void walk(const char *dir, const char *suffixes, char ***list, size_t *n, size_t *cap)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct stat st;
        if (stat(path, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode)) {
            walk(path, suffixes, list, n, cap);
        } else if (has_suffix(e->d_name, suffixes)) {
            if (*n + 2 > *cap) {
                *cap = *cap ? *cap * 2 : 64;
                *list = realloc(*list, *cap * sizeof **list);
            }
            (*list)[(*n)++] = strdup(path);
            (*list)[*n] = NULL;
        }
    }
    closedir(d);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

size_t tu_list(const char *dir, const char *suffixes, char ***out)
{
    char **list = NULL;
    size_t n = 0, cap = 0;
    walk(dir, suffixes, &list, &n, &cap);
    if (!list) {
        list = calloc(1, sizeof *list);
    }
    qsort(list, n, sizeof *list, cmp_str);
    *out = list;
    return n;
}

void tu_free_list(char **list)
{
    for (size_t i = 0; list && list[i]; i++)
        free(list[i]);
    free(list);
}

ebts_txn *tu_read(const char *s, size_t n, unsigned flags, ebts_error *err)
{
    return ebts_read_buffer(s, n, flags, err);
}

const char *tu_diags(const ebts_txn *t, char *buf, size_t size)
{
    size_t k = 0;
    buf[0] = 0;
    for (size_t i = 0; i < ebts_txn_diag_count(t) && k < size; i++) {
        const ebts_diag *d = ebts_txn_diag(t, i);
        int w = snprintf(buf + k, size - k, "%s%s@%zu", i ? " " : "", d->code, d->offset);
        if (w < 0)
            break;
        k += (size_t)w;
    }
    return buf;
}

unsigned char *tu_write(const ebts_txn *t, unsigned flags, size_t *len)
{
    unsigned char *out = NULL;
    ebts_error err = {0};
    if (ebts_write_buffer(t, flags, &out, len, &err) != 0)
        return NULL;
    return out;
}

size_t tu_differences(const ebts_txn *a, const ebts_txn *b)
{
    ebts_diff_options o = {EBTS_DIFF_RECORDS_ONLY, NULL, 0};
    ebts_diff_result *d = ebts_diff(a, b, &o, NULL);
    size_t n = ebts_diff_count(d);
    char line[512];
    for (size_t i = 0; i < n && i < 5; i++)
        fprintf(stderr, "  %s\n", ebts_difference_format(ebts_diff_at(d, i), 0, line, sizeof line));
    ebts_diff_free(d);
    return n;
}

size_t tu_xml_round_trip(const ebts_txn *t, unsigned flags)
{
    size_t xn;
    unsigned char *xml = tu_write(t, flags, &xn);
    ck_assert_ptr_nonnull(xml);
    ebts_txn *back = ebts_read_buffer(xml, xn, EBTS_READ_XML, NULL);
    ck_assert_ptr_nonnull(back);
    size_t n = tu_differences(t, back);
    ebts_txn_free(back);
    ebts_free(xml);
    return n;
}

void tu_assert_writes(const ebts_txn *t, const void *want, size_t n)
{
    size_t wl = 0;
    unsigned char *w = tu_write(t, 0, &wl);
    ck_assert_ptr_nonnull(w);
    ck_assert_uint_eq(wl, n);
    ck_assert_mem_eq(w, want, n);
    ebts_free(w);
}

const char *tu_str(ebts_span s)
{
    static char buf[8192];
    size_t n = s.len < sizeof buf - 1 ? s.len : sizeof buf - 1;
    if (n)
        memcpy(buf, s.ptr, n);
    buf[n] = 0;
    return buf;
}
