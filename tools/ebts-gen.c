/* ebts-gen: generate the responses CJIS sends a SIB for IDENT (no-match IDR, match IDR with
 * IAR and photos, ERRT), answering a submission or from options. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

/* Photos and the LESC text are read up to this size: an IDENT photo is a JPEG of some tens of
 * kilobytes, a LESC response a few lines. */
#define FILE_MAX ((size_t)1 << 20)

static const char usage[] =
    "usage: ebts-gen idr-nomatch|idr-match|errt [--in SUBMISSION] [options] [-o OUT]\n"
    "                [--to traditional|readable|json]\n"
    "\n"
    "Answers a submission (--in: TCR = its TCN, DAI = its ORI, NAM, SID, CRI and OCA from it) or\n"
    "builds the response from options. ORI is USVISIT0Z; TOT is SRE (IDR) or ERRT.\n"
    "An option the chosen response does not use is refused.\n"
    "\n"
    "  --tcr --dai --name --sid --cri --oca VALUE   values instead of (or without) --in\n"
    "  --encounter \"EID;LAST,FIRST;CCYYMMDD;POB;SEX\"   an IDENT encounter (idr-match: 1 to 5)\n"
    "  --photo FILE.jpg        a Type-10 FACE record; HLL/VLL read from the JPEG (idr-match:\n"
    "                          one per encounter at most;\n"
    "                          each file at most 1 MiB)\n"
    "  --iar-status TEXT       the LESC status line: adds the IAR (immigration alien response)\n"
    "  --iar FILE              the LESC response as LESC sent it (what it lacks is added;\n"
    "                          at most 1 MiB)\n"
    "  --iaq KEY=VALUE         a value of the IAQ echo instead of the submission's or CJIS's\n"
    "                          (KEY: ORI ATN PHN NAM DOB CUS OFF PUR POB SEX FBI ARN SOC SID)\n"
    "  --iar-received TEXT     the IAQ's RECEIVED: line (default: 1.005's date, 12:00:00 PM)\n"
    "  --error \"CODE TEXT\"     an ERRT message, e.g. \"L0013 DOA older than 7 days\" (up to 11)\n"
    "  --date CCYYMMDD --tcn TCN --ver VER   1.005, 1.009 and 1.002 of the response\n"
    "  --dvn TEXT              1.013 DOM's version (default \"EBTS 11.1\"; \"EBTS 10.0\")\n"
    "  --to F                  traditional (default), readable or json\n"
    "  -o OUT                  write to OUT instead of standard output\n"
    "  --version               print the version and exit\n"
    "\n"
    "Exit status: 0 written, 1 the submission could not be read, 2 usage or I/O, or a response\n"
    "the FBI would not send (an option its kind does not carry, an invalid TCN as TCR).\n";

/* The bytes of path, read up to FILE_MAX and one byte more: NULL when it cannot be read or is
 * larger (said on stderr, what names it). */
static unsigned char *slurp(const char *what, const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        fprintf(stderr, "ebts-gen: cannot read %s%s\n", what, path);
        return NULL;
    }
    unsigned char *p = malloc(FILE_MAX + 1);
    size_t n = p ? fread(p, 1, FILE_MAX + 1, fp) : 0;
    int bad = !p || ferror(fp);
    fclose(fp);
    if (!bad && n <= FILE_MAX) {
        unsigned char *q = realloc(p, n ? n : 1);
        *len = n;
        return q ? q : p;
    }
    if (bad)
        fprintf(stderr, "ebts-gen: cannot read %s%s\n", what, path);
    else
        fprintf(stderr, "ebts-gen: %s%s is larger than the limit of %zu bytes\n", what, path,
                FILE_MAX);
    free(p);
    return NULL;
}

/* The first option given that a response of kind does not use, or NULL. */
static const char *unused_option(int kind, const ebts_gen_options *o)
{
    if (kind != EBTS_GEN_IDR_MATCH) {
        if (o->nencounters)
            return "--encounter";
        if (o->nphotos)
            return "--photo";
        if (o->iar_status)
            return "--iar-status";
        if (o->iar_text)
            return "--iar";
        if (o->niaq)
            return "--iaq";
        if (o->iar_received)
            return "--iar-received";
    }
    if (kind != EBTS_GEN_ERRT && o->nerrors)
        return "--error";
    if (kind == EBTS_GEN_ERRT && o->name)
        return "--name";
    if (kind == EBTS_GEN_ERRT && o->sid)
        return "--sid";
    return NULL;
}

/* The LESC text of --iar FILE, NUL-terminated (free it), or NULL (said on stderr). */
static char *read_lesc(const char *path)
{
    size_t n;
    unsigned char *t = slurp("", path, &n);
    if (!t)
        return NULL;
    if (memchr(t, 0, n)) { /* the LESC text is text: a NUL would end it there */
        fprintf(stderr, "ebts-gen: %s: a NUL byte in the LESC text\n", path);
        free(t);
        return NULL;
    }
    char *text = realloc(t, n + 1);
    if (!text) {
        free(t);
        return NULL;
    }
    text[n] = 0;
    return text;
}

/* "EID;NAME;DOB;POB;SEX" into e; the string is cut in place */
static int parse_encounter(char *s, ebts_encounter *e)
{
    char *f[5] = {0};
    for (int i = 0; i < 5; i++) {
        f[i] = s;
        char *semi = s ? strchr(s, ';') : NULL;
        if (semi) {
            *semi = 0;
            s = semi + 1;
        } else {
            s = NULL;
        }
    }
    memset(e, 0, sizeof *e);
    e->eid = f[0];
    e->name = f[1];
    e->dob = f[2];
    e->pob = f[3];
    e->sex = f[4];
    return s == NULL && f[4] != NULL; /* exactly five parts */
}

static int run(int argc, char **argv)
{
    ebts_gen_options o;
    memset(&o, 0, sizeof o);
    ebts_encounter enc[6];
    ebts_span photos[16];
    const char *errors[12];
    ebts_pair iaq[14];
    unsigned char *photo_bytes[16] = {0};
    char *iar_text = NULL;
    const char *in = NULL, *out = "-", *to = "traditional", *kind_s = NULL, *v;
    int rc = CLI_USAGE, kind = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--version") == 0) {
            return cli_version("ebts-gen");
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage, stdout);
            return CLI_OK;
        } else if ((v = cli_option(argc, argv, &i, "--in"))) {
            in = v;
        } else if ((v = cli_option(argc, argv, &i, "-o"))) {
            out = v;
        } else if ((v = cli_option(argc, argv, &i, "--to"))) {
            to = v;
        } else if ((v = cli_option(argc, argv, &i, "--tcr"))) {
            o.tcr = v;
        } else if ((v = cli_option(argc, argv, &i, "--dai"))) {
            o.dai = v;
        } else if ((v = cli_option(argc, argv, &i, "--name"))) {
            o.name = v;
        } else if ((v = cli_option(argc, argv, &i, "--sid"))) {
            o.sid = v;
        } else if ((v = cli_option(argc, argv, &i, "--cri"))) {
            o.cri = v;
        } else if ((v = cli_option(argc, argv, &i, "--oca"))) {
            o.oca = v;
        } else if ((v = cli_option(argc, argv, &i, "--date"))) {
            o.date = v;
        } else if ((v = cli_option(argc, argv, &i, "--tcn"))) {
            o.tcn = v;
        } else if ((v = cli_option(argc, argv, &i, "--ver"))) {
            o.ver = v;
        } else if ((v = cli_option(argc, argv, &i, "--dvn"))) {
            o.dvn = v;
        } else if ((v = cli_option(argc, argv, &i, "--iar-status"))) {
            o.iar_status = v;
        } else if ((v = cli_option(argc, argv, &i, "--encounter"))) {
            /* v, writable: the whole argument or what follows "--encounter=" in it */
            if (o.nencounters >= 6 ||
                !parse_encounter(argv[i] + (v - argv[i]), &enc[o.nencounters])) {
                fprintf(stderr, "ebts-gen: --encounter wants \"EID;NAME;DOB;POB;SEX\" (up to 5)\n");
                goto done;
            }
            o.nencounters++;
        } else if ((v = cli_option(argc, argv, &i, "--photo"))) {
            if (o.nphotos >= 16) {
                fprintf(stderr, "ebts-gen: at most 16 --photo files\n");
                goto done;
            }
            if (!(photo_bytes[o.nphotos] = slurp("photo ", v, &photos[o.nphotos].len)))
                goto done;
            photos[o.nphotos].ptr = photo_bytes[o.nphotos];
            o.nphotos++;
        } else if ((v = cli_option(argc, argv, &i, "--iar"))) {
            free(iar_text); /* the last --iar counts */
            if (!(o.iar_text = iar_text = read_lesc(v)))
                goto done;
        } else if ((v = cli_option(argc, argv, &i, "--iar-received"))) {
            o.iar_received = v;
        } else if ((v = cli_option(argc, argv, &i, "--iaq"))) {
            char *eq = strchr(argv[i] + (v - argv[i]), '='); /* v, writable, as --encounter's */
            size_t k = 0;
            if (eq) /* a key given again takes its place: the last value counts */
                while (k < o.niaq && (strlen(iaq[k].key) != (size_t)(eq - v) ||
                                      strncmp(iaq[k].key, v, (size_t)(eq - v)) != 0))
                    k++;
            if ((k == o.niaq && o.niaq >= 14) || !eq || eq == v) {
                fprintf(stderr, "ebts-gen: --iaq wants KEY=VALUE (at most 14 keys)\n");
                goto done;
            }
            *eq = 0;
            iaq[k] = (ebts_pair){v, eq + 1};
            o.niaq += k == o.niaq;
        } else if ((v = cli_option(argc, argv, &i, "--error"))) {
            if (o.nerrors >= 11) {
                fprintf(stderr, "ebts-gen: at most 11 --error messages (an ERRT holds no more)\n");
                goto done;
            }
            errors[o.nerrors++] = v;
        } else if (a[0] != '-' && !kind_s) {
            kind_s = a;
        } else {
            fprintf(stderr, "ebts-gen: unexpected argument '%s'\n%s", a, usage);
            goto done;
        }
    }
    if (kind_s)
        kind = strcmp(kind_s, "idr-nomatch") == 0 ? EBTS_GEN_IDR_NOMATCH
               : strcmp(kind_s, "idr-match") == 0 ? EBTS_GEN_IDR_MATCH
               : strcmp(kind_s, "errt") == 0      ? EBTS_GEN_ERRT
                                                  : 0;
    unsigned wflags = strcmp(to, "readable") == 0 ? EBTS_FORMAT_READABLE
                      : strcmp(to, "json") == 0   ? EBTS_FORMAT_JSON
                      : strcmp(to, "traditional") == 0 ? EBTS_FORMAT_TRADITIONAL
                                                       : 99;
    if (!kind || wflags == 99) {
        fprintf(stderr, "ebts-gen: name the kind (idr-nomatch, idr-match, errt) and a known format\n%s",
                usage);
        goto done;
    }
    const char *unused = unused_option(kind, &o);
    if (unused) {
        fprintf(stderr, "ebts-gen: %s does not apply to %s\n%s", unused, kind_s, usage);
        goto done;
    }
    o.encounters = enc;
    o.photos = photos;
    o.errors = errors;
    o.iaq = iaq;
    ebts_error err;
    memset(&err, 0, sizeof err);
    ebts_txn *sub = NULL;
    if (in && !(sub = ebts_read_file(in, 0, &err))) {
        cli_print_error(in, &err);
        rc = cli_error_is_content(&err) ? CLI_INVALID : CLI_USAGE;
        goto done;
    }
    ebts_txn *t = ebts_gen_response(kind, sub, &o, &err);
    ebts_txn_free(sub);
    if (!t) {
        fprintf(stderr, "ebts-gen: %s: %s\n", err.code, err.msg);
        /* what the options ask for cannot be sent (GEN_INVALID, BAD_ARGUMENT): a usage error */
        rc = cli_error_is_content(&err) && strcmp(err.code, "GEN_INVALID") != 0 ? CLI_INVALID
                                                                                : CLI_USAGE;
        goto done;
    }
    rc = ebts_write_file(t, wflags | EBTS_WRITE_NO_DIAGS, out, &err) == 0 ? CLI_OK : CLI_USAGE;
    if (rc != CLI_OK)
        cli_print_error(strcmp(out, "-") ? out : "<stdout>", &err);
    ebts_txn_free(t);
done:
    for (size_t i = 0; i < 16; i++)
        free(photo_bytes[i]);
    free(iar_text);
    return rc;
}

int main(int argc, char **argv)
{
    cli_init();
    return cli_finish(run(argc, argv));
}
