/*
 * libebts — read, write and edit FBI EBTS / ANSI/NIST-ITL transactions.
 *
 * One public header. It includes only standard headers and compiles alone as C99 and as C++.
 *
 * Ownership, once for the whole API:
 *   - whatever a function returns through `ebts_txn *` is yours: free it with ebts_txn_free();
 *   - bytes the library hands you through `unsigned char **out` are yours: free them with ebts_free();
 *   - every other pointer (records, fields, spans, diagnostics) is borrowed from its transaction and
 *     lives as long as the transaction, or until the next edit of that transaction;
 *   - but a response view (ebts_response_view) and a parsed 2.075 (ebts_ers_parse) hold copies:
 *     they stay valid after the transaction is freed, until their own _free;
 *   - all accessors accept NULL and answer with NULL, 0 or an empty span, so calls chain; an
 *     index out of range answers the same way; `_free(NULL)` is a no-op.
 * Errors: a function that can fail takes an optional last `ebts_error *` (NULL is allowed) and
 * returns NULL or a negative status; the library never prints, exits or aborts on bad input.
 * Bad arguments are such a failure, with code BAD_ARGUMENT: a NULL handle or pointer the call
 * needs, a NULL array or buffer with a non-zero count, a number out of its range.
 * An ebts_error keeps the first error recorded in it: later failures leave it unchanged, so one
 * ebts_error may follow several calls and still name what went wrong first (clear it with
 * memset, or `ebts_error err = {0};`, to reuse it for a new cause).
 * Threads: the library's only global mutable state is the once-only initialisation of libxml2
 * (under a mutex, by the first call that does XML work: any thread may make it). Beyond that:
 *   - different objects may be used from different threads at the same time, freely;
 *   - one object may be used from several threads at once by functions that take it `const`:
 *     reading a transaction (accessors, ebts_write_*, ebts_validate, ebts_diff,
 *     ebts_response_view), a profile (its tables are made when it is loaded, but for each
 *     TOT's answers: the first ebts_validate of a transaction of that TOT makes them and
 *     publishes them atomically, without a lock, and they never change after), an ebts_ers, a
 *     report, a diff result, a JUnit or batch report being written;
 *   - a function that takes it non-const (edits, ebts_txn_fix, ebts_txn_redact, ebts_junit_add,
 *     ebts_batch_add,
 *     the _free functions) needs it to itself: no other call on that object meanwhile;
 *   - the library's own threads: ebts_validate's, which end before it returns, and one that a
 *     large transaction that was read may own while its items are asked for (see
 *     ebts_field_item_count), which reads only that transaction, on a stack of its own, and
 *     takes no signal but those of a fault it makes itself (SIGBUS, SIGFPE, SIGILL, SIGSEGV:
 *     the program's handler then runs on that thread, where a siglongjmp to a point set on
 *     another thread is undefined); the edits and ebts_txn_free stop it and wait for it
 *     before they change anything (no cancellation point for the caller);
 *   - an application that uses libxml2 itself must not call xmlCleanupParser() while this
 *     library may still do XML work.
 */
#ifndef EBTS_H
#define EBTS_H

#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#  define EBTS_API
#elif defined(__GNUC__) && __GNUC__ >= 4
#  define EBTS_API __attribute__((visibility("default")))
#else
#  define EBTS_API
#endif

#define EBTS_VERSION_MAJOR 0
#define EBTS_VERSION_MINOR 1
#define EBTS_VERSION_PATCH 0
#define EBTS_VERSION_STRING "0.1.0"
/** The version as one number for compile-time checks: MAJOR * 10000 + MINOR * 100 + PATCH. */
#define EBTS_VERSION_NUMBER \
    (EBTS_VERSION_MAJOR * 10000 + EBTS_VERSION_MINOR * 100 + EBTS_VERSION_PATCH)

/** The library's version string, e.g. "0.1.0". Static; never NULL. */
EBTS_API const char *ebts_version(void);

/* ------------------------------------------------------------------------------------------ */
/* Spans, errors, diagnostics                                                                  */

/** A run of bytes inside a transaction: not NUL-terminated, may hold any byte. */
typedef struct ebts_span {
    const unsigned char *ptr;
    size_t len;
} ebts_span;

enum ebts_severity {
    EBTS_SEV_WARNING = 1,
    EBTS_SEV_ERROR = 2
};

/** A fatal error. `code` is a stable upper-case string (see docs/codes.md, ebts-codes(7)). The
 *  first error recorded stays: a function given an ebts_error whose code is already set does not
 *  overwrite it. */
typedef struct ebts_error {
    const char *code;     /* NULL when no error was recorded */
    size_t offset;        /* byte offset in the input (decompressed), or 0 */
    long record;          /* record index (0 = Type-1), or -1 */
    char tag[24];         /* "2.075", or "" */
    char msg[256];
} ebts_error;

/** One finding about a transaction: framing and encoding defects found while reading. */
typedef struct ebts_diag {
    const char *code;     /* stable upper-case string, e.g. "LEN_MISMATCH" */
    int severity;         /* EBTS_SEV_WARNING or EBTS_SEV_ERROR */
    int recovered;        /* 1 when the reader repaired or guessed: --strict turns these into errors */
    size_t offset;        /* byte offset in the input */
    long record;          /* record index (0 = Type-1), -1 for the file as a whole */
    char tag[24];         /* field tag "2.001" (canonical spelling), or "" */
    long subfield, item;  /* 0-based, or -1 when not relevant */
    char msg[200];
    long line;            /* read from XML: the line of the element it is about (1-based), else 0 */
} ebts_diag;

/** The name of a severity: "error" for EBTS_SEV_ERROR and above, else "warning". */
EBTS_API const char *ebts_severity_name(int severity);

/* ------------------------------------------------------------------------------------------ */
/* Reading                                                                                     */

typedef struct ebts_txn ebts_txn;
typedef struct ebts_record ebts_record;
typedef struct ebts_field ebts_field;

/* Read flags. */
#define EBTS_READ_STRICT        0x0001u /* any recovery (see ebts_diag.recovered) fails the read */
#define EBTS_READ_BORROW        0x0002u /* ebts_read_buffer: do not copy; buf stays as it is
                                           until ebts_txn_free (a thread of the library may read
                                           it: ebts_field_item_count) */
#define EBTS_READ_TRADITIONAL   0x0010u /* input is the traditional encoding (no detection) */
#define EBTS_READ_READABLE      0x0020u /* input is the readable notation (<FS> <GS> <RS> <US>) */
#define EBTS_READ_XML           0x0040u /* input is the ANSI/NIST-ITL 2011 XML encoding */
/* With no format flag, the format is detected: gzip is always inflated; an XML document whose
 * root is itl:NISTBiometricInformationExchangePackage is the XML encoding; text with <FS>/<GS>
 * tokens and no separator bytes is the readable notation; anything else is traditional. */

/** Limits and flags for a read. Initialise with ebts_read_options_init(). */
typedef struct ebts_read_options {
    unsigned flags;
    size_t max_input;     /* bytes after decompression (default 2 GiB, at most 4 GiB - 1) */
    size_t max_records;   /* records in a transaction (default 100000) */
    size_t max_fields;    /* fields in one record (default 100000) */
    size_t max_items;     /* items in one field (default 10000000) */
} ebts_read_options;

/** Fill `o` with the defaults and `flags`. */
EBTS_API void ebts_read_options_init(ebts_read_options *o, unsigned flags);

/** Read a transaction from memory. NULL on a fatal error (err filled). Defects that the reader
 *  recovers from do not fail the read (unless EBTS_READ_STRICT): they become diagnostics. */
EBTS_API ebts_txn *ebts_read_buffer(const void *buf, size_t len, unsigned flags, ebts_error *err);
/** Read from a path; "-" means standard input. A path, stream or descriptor is read no further
 *  than the input can be a transaction: a regular file larger than max_input is refused from its
 *  size, before any byte is read (INPUT_TOO_LARGE); input whose first bytes (inflated, for gzip)
 *  begin no transaction in the encodings the flags allow is refused once they are read
 *  (NOT_TRANSACTION). */
EBTS_API ebts_txn *ebts_read_file(const char *path, unsigned flags, ebts_error *err);
/** Read everything from an open stream (not closed). */
EBTS_API ebts_txn *ebts_read_stream(FILE *fp, unsigned flags, ebts_error *err);
/** Read everything from a file descriptor (not closed); a negative fd is BAD_ARGUMENT. */
EBTS_API ebts_txn *ebts_read_fd(int fd, unsigned flags, ebts_error *err);
/** The same four with explicit limits; `o` may be NULL for the defaults. */
EBTS_API ebts_txn *ebts_read_buffer_opts(const void *buf, size_t len, const ebts_read_options *o,
                                         ebts_error *err);
EBTS_API ebts_txn *ebts_read_file_opts(const char *path, const ebts_read_options *o, ebts_error *err);
EBTS_API ebts_txn *ebts_read_stream_opts(FILE *fp, const ebts_read_options *o, ebts_error *err);
EBTS_API ebts_txn *ebts_read_fd_opts(int fd, const ebts_read_options *o, ebts_error *err);

/** Free a transaction and everything borrowed from it. NULL is a no-op. */
EBTS_API void ebts_txn_free(ebts_txn *t);
/** Free bytes the library returned (ebts_write_buffer). NULL is a no-op. */
EBTS_API void ebts_free(void *p);

/** Freed transactions' large blocks (2 MiB and more: the copy of a large input, the memory of
 *  its fields) are kept for the transactions read after them, up to this many bytes in all,
 *  so that these find memory the kernel need not map and zero again. While kept, their pages
 *  are offered back to the kernel, which takes them when it needs memory (Linux MADV_FREE). */
#define EBTS_KEEP_MEMORY_DEFAULT ((size_t)256 << 20)
/** Set that bound for the process, releasing what is kept beyond it; 0 keeps nothing and
 *  releases all. Returns the bound before. Thread-safe. */
EBTS_API size_t ebts_keep_memory(size_t max_bytes);

/* ------------------------------------------------------------------------------------------ */
/* Walking a transaction                                                                       */

/** Number of records, Type-1 included. */
EBTS_API size_t ebts_txn_record_count(const ebts_txn *t);
/** Record `index` in transmission order (0 = Type-1); NULL when out of range. */
EBTS_API const ebts_record *ebts_txn_record(const ebts_txn *t, size_t index);
/** Findings of the read, in input order: at most 10 000, then one TOO_MANY_DIAGNOSTICS that says
 *  how many more there were (their texts are not kept; the error counts include them). */
EBTS_API size_t ebts_txn_diag_count(const ebts_txn *t);
EBTS_API const ebts_diag *ebts_txn_diag(const ebts_txn *t, size_t index);
/** Number of findings of severity error (with `strict`, recovered warnings count too), those
 *  beyond the kept list included. */
EBTS_API size_t ebts_txn_error_count(const ebts_txn *t, int strict);
/** Bytes after the last record that could not be read as a record (trailing or unparsable),
 *  kept so that nothing is lost silently; empty span when there are none. */
EBTS_API ebts_span ebts_txn_unread(const ebts_txn *t);
/** The bytes the transaction was read from, as the framer read them: gzip inflated, the readable
 *  notation decoded (LEN, CNT and separators exactly as the text spells them). Edits do not
 *  change them. Empty span for NULL, for a transaction read from XML (built from its elements,
 *  not framed) and for one that was not read (ebts_txn_new, ebts_gen_response). */
EBTS_API ebts_span ebts_txn_input(const ebts_txn *t);

/** Record type (1, 2, 4, 10, 99 …); 0 for NULL. */
EBTS_API unsigned ebts_record_type(const ebts_record *r);
/** 1 for the binary record types 3-8, 0 for tagged records. */
EBTS_API int ebts_record_is_binary(const ebts_record *r);
/** IDC: field 2 of a tagged record (not Type-1), byte 5 of a binary record, else the IDC given in
 *  CNT; -1 when unknown. */
EBTS_API int ebts_record_idc(const ebts_record *r);
/** Byte offset of the record in the input; (size_t)-1 for a record added by an edit. */
EBTS_API size_t ebts_record_offset(const ebts_record *r);
/** A binary record's bytes, 4-byte LEN included; empty span for tagged records. */
EBTS_API ebts_span ebts_record_data(const ebts_record *r);
/** Number of fields of a tagged record (0 for binary records). */
EBTS_API size_t ebts_record_field_count(const ebts_record *r);
/** Field at position `index` in record order. */
EBTS_API const ebts_field *ebts_record_field_at(const ebts_record *r, size_t index);
/** First field with this number (1 = LEN); NULL if absent. */
EBTS_API const ebts_field *ebts_record_field(const ebts_record *r, unsigned number);

/** Field number (18 for 2.018); 0 for a malformed field kept as raw bytes. */
EBTS_API unsigned ebts_field_number(const ebts_field *f);
/** The tag as spelled in the file ("1.01"); written into buf (NUL-terminated), returns buf. */
EBTS_API const char *ebts_field_tag(const ebts_field *f, char *buf, size_t size);
/** The field's bytes after "T.N:" up to its separator. */
EBTS_API ebts_span ebts_field_value(const ebts_field *f);
/** 1 when the value is binary data delimited by LEN (x.999 in Types 10-99). */
EBTS_API int ebts_field_is_binary(const ebts_field *f);
/** Byte offset of the tag in the input; (size_t)-1 for a field set by an edit. */
EBTS_API size_t ebts_field_offset(const ebts_field *f);
/** Subfields (RS-separated); at least 1. */
EBTS_API size_t ebts_field_subfield_count(const ebts_field *f);
/** Items (US-separated) in subfield `sub`; 0 when out of range. For a field that was read, the
 *  first call that needs it builds the field's index of subfields and items and keeps it with
 *  the transaction (several threads reading one transaction may call it at once); without
 *  memory for the index the answer comes from the value's bytes, and is the same.
 *  Once these accessors have built 64 indexes of a transaction read from 1 MiB or more (of the
 *  traditional encoding or the readable notation; the reader's own, of CNT, is one), and the
 *  library may use a second thread (ebts_validate_threads), a thread of the library builds
 *  those of its other fields, record by record, so that a program that goes on through the
 *  items finds them built: they then take as much memory as if every field had been asked
 *  for, and ebts_txn_free or an edit may wait for the index of one field being built. An edit
 *  of the transaction stops that thread, and no other starts for it. */
EBTS_API size_t ebts_field_item_count(const ebts_field *f, size_t sub);
/** Item `item` of subfield `sub`; empty span when out of range (see ebts_field_item_count). */
EBTS_API ebts_span ebts_field_item(const ebts_field *f, size_t sub, size_t item);

/** Convenience: the value of field `number` in the first record of type `type`. */
EBTS_API ebts_span ebts_txn_value(const ebts_txn *t, unsigned type, unsigned number);
/** The first field of record `rec` named by `name`: a tag ("2.018"; any spelling of the number,
 *  "2.18" too; its type must be the record's) or an EBTS mnemonic of the record's type ("NAM",
 *  "TCN"). NULL when the record has no such field or the name is unknown. */
EBTS_API const ebts_field *ebts_txn_find(const ebts_txn *t, size_t rec, const char *name);

/* ------------------------------------------------------------------------------------------ */
/* Editing. Values are copied. An edit invalidates field pointers taken from the same record
 * before it (records themselves stay valid). Status 0 on success, -1 on error (err filled).
 * Text values may not contain FS or GS; RS and US inside a value make subfields and items.
 * `val` may be NULL only when `len` is 0. A refused edit (BAD_ARGUMENT) changes nothing. */

/** A new transaction holding only a Type-1 record with 1.001 LEN, 1.002 VER (`ver`, e.g. "0500";
 *  NULL or "" for "0500") and 1.003 CNT. NULL on out-of-memory, or when `ver` holds FS or GS
 *  (BAD_ARGUMENT). */
EBTS_API ebts_txn *ebts_txn_new(const char *ver, ebts_error *err);
/** Set field `number` of record `rec`, inserting it in number order (999 last) if absent.
 *  1.001 LEN and 1.003 CNT are derived by the writer: setting them is refused (BAD_ARGUMENT),
 *  like every other edit of those two fields. */
EBTS_API int ebts_txn_set_field(ebts_txn *t, size_t rec, unsigned number, const void *val,
                                size_t len, ebts_error *err);
/** The same with the field named as in ebts_txn_find ("2.018", "NAM") and a NUL-terminated
 *  value: ebts_txn_set(t, 1, "NAM", "DOE,JOHN", &err). An unknown name, or a NULL
 *  name or value, is BAD_ARGUMENT. */
EBTS_API int ebts_txn_set(ebts_txn *t, size_t rec, const char *name, const char *value,
                          ebts_error *err);
/** Fill what a new submission's Type-1 needs from the clock: 1.005 DAT (CCYYMMDD) and 1.014 GMT
 *  (CCYYMMDDHHMMSSZ) from the current UTC time, and 1.009 TCN: `tcn` when not NULL, else 1.008
 *  ORI (or "TCN" without one), '-' and the date and time ("TX0000000-20260115123000"; a sender
 *  of more than one submission a second gives its own `tcn`). 0 or -1. */
EBTS_API int ebts_txn_stamp(ebts_txn *t, const char *tcn, ebts_error *err);
/** Insert a new field before position `pos` (ebts_record_field_count() appends). */
EBTS_API int ebts_txn_insert_field(ebts_txn *t, size_t rec, size_t pos, unsigned number,
                                   const void *val, size_t len, ebts_error *err);
/** Delete the first field with this number. LEN (field 1) cannot be deleted. */
EBTS_API int ebts_txn_delete_field(ebts_txn *t, size_t rec, unsigned number, ebts_error *err);
/** Replace item `item` of subfield `sub` of field `number`. */
EBTS_API int ebts_txn_set_item(ebts_txn *t, size_t rec, unsigned number, size_t sub, size_t item,
                               const void *val, size_t len, ebts_error *err);
/** Insert an item before position `item` (the item count appends). */
EBTS_API int ebts_txn_insert_item(ebts_txn *t, size_t rec, unsigned number, size_t sub, size_t item,
                                  const void *val, size_t len, ebts_error *err);
EBTS_API int ebts_txn_delete_item(ebts_txn *t, size_t rec, unsigned number, size_t sub, size_t item,
                                  ebts_error *err);
/** Insert a subfield (its items given US-separated in val) before position `sub`. */
EBTS_API int ebts_txn_insert_subfield(ebts_txn *t, size_t rec, unsigned number, size_t sub,
                                      const void *val, size_t len, ebts_error *err);
EBTS_API int ebts_txn_delete_subfield(ebts_txn *t, size_t rec, unsigned number, size_t sub,
                                      ebts_error *err);
/** Insert a tagged record of `type` (2, or 9 to 999999999: the reader takes a tag's numbers of
 *  up to nine digits) with fields LEN and IDC before position `index` (>= 1; the record count
 *  appends). `idc` is 0 to 99, written in two digits. Any other type, IDC or index is refused
 *  (BAD_ARGUMENT). */
EBTS_API int ebts_txn_insert_record(ebts_txn *t, size_t index, unsigned type, unsigned idc,
                                    ebts_error *err);
/** Insert a binary record (types 3-8) whose bytes (4-byte LEN included, rewritten on output)
 *  are copied from data (not NULL; 5 bytes at least). */
EBTS_API int ebts_txn_insert_binary_record(ebts_txn *t, size_t index, unsigned type,
                                           const void *data, size_t len, ebts_error *err);
/** Delete record `index` (>= 1). */
EBTS_API int ebts_txn_delete_record(ebts_txn *t, size_t index, ebts_error *err);

/* Repairs that change values (what `ebts-conv --fix` does). */
#define EBTS_FIX_LEADING_SPACE  0x01u /* drop leading spaces in text values */
#define EBTS_FIX_ASCII_PUNCT    0x02u /* typographic UTF-8 punctuation to ASCII in 7-bit fields */
#define EBTS_FIX_ALL            0x03u
/** Apply repairs (`what`: EBTS_FIX_* bits; another bit is BAD_ARGUMENT); returns the number of
 *  values changed, -1 on error. */
EBTS_API long ebts_txn_fix(ebts_txn *t, unsigned what, ebts_error *err);

/** Replace personal values, for logs and bug reports: every item of every Type-2 field but LEN
 *  and IDC becomes "*", x.999 image data becomes empty, binary records (3-8) keep their header and
 *  have their data zeroed. 0 or -1. */
EBTS_API int ebts_txn_redact(ebts_txn *t, ebts_error *err);

/* ------------------------------------------------------------------------------------------ */
/* Writing. LEN and CNT are always derived, so output never carries a wrong LEN; an unmodified,
 * well-formed transaction is written back byte for byte. */

#define EBTS_FORMAT_TRADITIONAL 0u
#define EBTS_FORMAT_READABLE    1u
#define EBTS_FORMAT_JSON        2u
#define EBTS_FORMAT_XML         3u /* the FBI's EBTS XML: EBTS 11.2 (NIEM 4.0), or EBTS 10.0
                                      with EBTS_WRITE_XML_10 (see docs/xml.md) */
#define EBTS_FORMAT_HTML        4u  /* a self-contained report page for people (no script) */
#define EBTS_FORMAT_MASK        0x0fu
#define EBTS_WRITE_BASE64       0x100u /* JSON: binary data as base64 too */
#define EBTS_WRITE_NO_DIAGS     0x200u /* JSON: leave out "diagnostics" */
#define EBTS_WRITE_VALIDATE     0x400u /* HTML: show the default profile's findings too */
#define EBTS_WRITE_MNEMONICS    0x800u /* readable: each tag followed by its mnemonic, "2.018
                                          NAM:" (read back: the reader drops it) */
#define EBTS_WRITE_SUMMARY      0x1000u /* readable: binary data as "<SUMMARY 888 bytes, JPEG
                                          48x64, CRC-32 ...>", which the reader refuses
                                          (READABLE_SUMMARY): the output is no longer lossless */
#define EBTS_WRITE_XML_10       0x2000u /* XML: the EBTS 10.0 encoding (NIEM 2.0) instead of the
                                          default EBTS 11.2 (NIEM 4.0) */

/** Write `t` in the format named in `flags` to a new buffer (free with ebts_free). 0 or -1. */
EBTS_API int ebts_write_buffer(const ebts_txn *t, unsigned flags, unsigned char **out, size_t *len,
                               ebts_error *err);
/** Write to an open stream. 0 or -1. The traditional encoding goes out record by record (through
 *  a 1 MiB buffer), so a large transaction is not held twice; after a failed write the stream
 *  may hold the records before the failure. Other formats are built whole, then written. */
EBTS_API int ebts_write_stream(const ebts_txn *t, unsigned flags, FILE *fp, ebts_error *err);
/** Write to a path ("-" = standard output). 0 or -1 (IO_ERROR). A file is never left half
 *  written: the output goes to a new temporary file in the target's directory
 *  (".NAME.tmpXXXXXX"), which is flushed, synced and renamed over the target only once complete;
 *  on failure it is removed and the target is left exactly as it was. A replaced file keeps its
 *  mode (and, where permitted, its owner); a new one gets 0666 less the umask. A symlink is
 *  followed and the file it ends at replaced; the link itself stays. Devices, FIFOs and links
 *  to the process's own descriptors (/dev/stdout, /dev/fd/N) are written in place, never
 *  truncated, renamed over or removed. A process killed during the write can leave its
 *  temporary file behind, never a partial target. Set SIGXFSZ to be ignored for a file size
 *  limit to end in IO_ERROR rather than in the signal. Bad arguments (a NULL transaction, an
 *  unknown format) are refused before anything is opened. */
EBTS_API int ebts_write_file(const ebts_txn *t, unsigned flags, const char *path, ebts_error *err);
/** Write len bytes to a path the way ebts_write_file writes a transaction. 0 or -1. */
EBTS_API int ebts_write_bytes_file(const void *data, size_t len, const char *path,
                                   ebts_error *err);
/** The usual file name extension of image data, from its signature: "jpg", "png", "jp2"
 *  (JPEG 2000), "wsq", or "bin" when it is none of these. Static; never NULL. */
EBTS_API const char *ebts_image_extension(const void *data, size_t len);

/* ------------------------------------------------------------------------------------------ */
/* Validation against the EBTS rules. A profile is a rule set: built in are "ebts-11" (the
 * default), "ebts-10", "ebts-9.1" and "ansi-nist-2011" (the base standard, any TOT); a SIB adds
 * its own rules in an XML profile file naming its base (see profiles/ebts-profile.xsd). A report holds the reader's diagnostics and the validator's, in
 * input order, with the profile's severity changes applied. */

typedef struct ebts_profile ebts_profile;
typedef struct ebts_report ebts_report;

/** A built-in profile by name ("ebts-11", "ebts-10", "ebts-9.1", "ansi-nist-2011"); NULL and
 *  err if unknown (PROFILE_INVALID), NULL (BAD_ARGUMENT) or out of memory (OUT_OF_MEMORY).
 *  A profile is made once for many validations: its lookup tables (rules by field, character
 *  classes, value sets) are made here, and by the first validation of each TOT. */
EBTS_API ebts_profile *ebts_profile_builtin(const char *name, ebts_error *err);
/** The built-in profiles: returns their count; for index < count, *name and *source (static
 *  strings: the profile's name and the sources of its facts; either pointer may be NULL). */
EBTS_API size_t ebts_profile_builtins(size_t index, const char **name, const char **source);
/** Load an XML profile file; it is validated against the profile XSD and refused with a clear
 *  message (code PROFILE_INVALID, line in the message) when it does not conform, or when a
 *  length or occurrence count is larger than 4294967295. */
EBTS_API ebts_profile *ebts_profile_load(const char *path, ebts_error *err);
/** The same from memory; `xml` NULL with a non-zero `len` is BAD_ARGUMENT. */
EBTS_API ebts_profile *ebts_profile_load_buffer(const void *xml, size_t len, ebts_error *err);
EBTS_API const char *ebts_profile_name(const ebts_profile *p);
EBTS_API void ebts_profile_free(ebts_profile *p);

/** Validate `t` against profile `p` (NULL = "ebts-11", made for this call: a program that
 *  validates many transactions loads a profile once and passes it). NULL only on
 *  out-of-memory, or when `t` is NULL (BAD_ARGUMENT). */
EBTS_API ebts_report *ebts_validate(const ebts_txn *t, const ebts_profile *p, ebts_error *err);
/** The threads ebts_validate may use for one transaction whose records hold 65 536 fields or
 *  more: its records are split into runs of about as many fields, checked at once, and the
 *  report is the one a single thread gives. 0 (the default): the processors online, at most
 *  8; 1: the calling thread only, and no thread builds item indexes ahead
 *  (ebts_field_item_count). Set for the process; returns the setting before. Thread-safe. */
EBTS_API unsigned ebts_validate_threads(unsigned n);
EBTS_API size_t ebts_report_count(const ebts_report *r);
EBTS_API const ebts_diag *ebts_report_diag(const ebts_report *r, size_t index);
/** Errors in the report (with `strict`, warnings count too). */
EBTS_API size_t ebts_report_error_count(const ebts_report *r, int strict);
/** Findings in all: ebts_report_count() lists at most 10 000 of them and a note
 *  (TOO_MANY_DIAGNOSTICS, counted here as one) for the rest, which the counts include. */
EBTS_API size_t ebts_report_finding_count(const ebts_report *r);
EBTS_API void ebts_report_free(ebts_report *r);
/** What writing `t` as XML with write `flags` (EBTS_WRITE_XML_10 or not; the format bits are
 *  ignored) would say, as warnings: XML_REQUIRED_MISSING for an element the FBI's schema
 *  requires whose field the transaction lacks (nothing is invented), XML_OUTSIDE_SCHEMA for a
 *  value outside its element's type or more occurrences than the schema allows (written as it
 *  is), XML_FIELD_CARRIED and XML_RECORD_CARRIED for a field or record with no element that
 *  carries it exactly, and XML_VALUE_CARRIED for a value XML text cannot hold: those go to
 *  lebts:Field / lebts:Record, outside the FBI's schema, and read back byte for byte. A document
 *  written without any of these validates against the XSD of its version. Free with
 *  ebts_report_free(); NULL on out-of-memory or a NULL transaction (BAD_ARGUMENT). */
EBTS_API ebts_report *ebts_txn_xml_report(const ebts_txn *t, unsigned flags, ebts_error *err);
/** The same for the default version, EBTS 11.2: ebts_txn_xml_report(t, EBTS_FORMAT_XML, err). */
EBTS_API ebts_report *ebts_txn_xml_findings(const ebts_txn *t, ebts_error *err);

/* ------------------------------------------------------------------------------------------ */
/* IDENT responses. 2.075 ERS of an SRE from IDENT holds the IDENT Data Response (IDR): the DHS
 * disclaimer, a MATCH / NO MATCH marker, up to five encounters, "Photo Attached", and, when ICE's
 * LESC answered, the Immigration Alien Response (IAR): the echo of the IAQ query and the LESC
 * response. The parsed text (an ebts_ers) owns its strings; structures are read-only. */

typedef struct ebts_encounter {
    const char *eid, *name, *dob, *pob, *sex; /* IDR encounters; NULL when absent */
    const char *last, *first, *middle;        /* IAQ REM encounter list only */
} ebts_encounter;

typedef struct ebts_pair {
    const char *key, *value; /* "DOB", "19800128"; values continued on later lines are joined */
} ebts_pair;

typedef struct ebts_idr {
    int present;      /* 2.075 holds an IDR (title or marker found) */
    int match;        /* 1 MATCH, 0 NO MATCH, -1 no marker */
    const char *title;       /* "IDENT Data Response (IDR)" or NULL */
    const char *disclaimer;  /* its lines joined with '\n', or NULL */
    const ebts_encounter *encounters;
    size_t nencounters;
    int photo_attached;
} ebts_idr;

typedef struct ebts_iar {
    int present;                 /* "*** LAW ENFORCEMENT SENSITIVE ***" and the IAQ echo found */
    const char *received;        /* IAQ RECEIVED: ... */
    const ebts_pair *iaq;        /* ORI, ATN, PHN, NAM, DOB, CUS, OFF, PUR, POB, SEX, FBI, ARN, ... */
    size_t niaq;
    const char *idsm;            /* REM/ IDSM=<TCN> */
    const ebts_encounter *encounters; /* REM ENCOUNTER INFO[EID;LAST;FIRST;MIDDLE;DOB;POB;SEX] */
    size_t nencounters;
    const char *status;          /* the LESC status line between star lines, or NULL */
    const char *const *status_lines; /* every LESC text line before the record */
    size_t nstatus_lines;
    const ebts_pair *record;     /* the ICE record: NAM/, DOB/, POB/, ... REM/ */
    size_t nrecord;
    const char *const *notices;  /* LESC text after the record starts */
    size_t nnotices;
    const ebts_pair *requesting; /* REQUESTING ORI INFORMATION: AGENCY/, PHONE/ */
    size_t nrequesting;
    const char *query_id;        /* LESC QUERY ID: */
    int end;                     /* "END OF RESPONSE" seen */
    const char *const *lesc_lines; /* the LESC response as sent: its lines (trailing spaces
                                      dropped, empty lines left out) from the one after "QUERY
                                      MESSAGE TEXT ENDS" to "END OF RESPONSE" */
    size_t nlesc_lines;
} ebts_iar;

typedef struct ebts_ers ebts_ers;

/** Parse 2.075 text (LF, CR LF or CR line ends). Lines it cannot place are kept
 *  (ebts_ers_unplaced) and reported (IDR_TEXT_UNPLACED). NULL only on out-of-memory, or when
 *  `text` is NULL and `len` is not 0 (BAD_ARGUMENT). */
EBTS_API ebts_ers *ebts_ers_parse(const void *text, size_t len, ebts_error *err);
EBTS_API const ebts_idr *ebts_ers_idr(const ebts_ers *e);
EBTS_API const ebts_iar *ebts_ers_iar(const ebts_ers *e);
EBTS_API size_t ebts_ers_unplaced_count(const ebts_ers *e);
EBTS_API const char *ebts_ers_unplaced(const ebts_ers *e, size_t index);
/** Findings of the parse (IDR_MARKER_RUN_IN, IDR_TEXT_UNPLACED); offsets relative to the text. */
EBTS_API size_t ebts_ers_diag_count(const ebts_ers *e);
EBTS_API const ebts_diag *ebts_ers_diag(const ebts_ers *e, size_t index);
EBTS_API void ebts_ers_free(ebts_ers *e);

/** Compose 2.075 text in the published layout (lines of at most 72 characters plus CR LF) from
 *  an IDR and an optional IAR (NULL or !present); parsing it gives the same structure back.
 *  The layout is the FBI's: the title and an empty line when there is a title; the disclaimer;
 *  an empty line and "------ MATCH -----" (a match) or "- NO MATCH -" (the text's last line, with
 *  no line end after it); the encounters; "Photo Attached"; the IAR with the IAQ echo's keys on
 *  the FBI's lines ("ORI/ x ATN/y", "DOB/ x CUS/ y OFF/z PUR/ p POB/q SEX/s", "ARN/x SOC/y"). When
 *  the IAR has lesc_lines, those are the LESC response (wrapped at 72 characters) and its other
 *  LESC members are not used. Returns a NUL-terminated string to free with ebts_free(); *len
 *  gets its length (`len` may be NULL). NULL on out-of-memory, and BAD_ARGUMENT for a NULL `idr`, a NULL array with a count,
 *  a NULL string in status_lines, lesc_lines or notices, or a pair without a key (a NULL string value
 *  composes as empty). */
EBTS_API char *ebts_ers_compose(const ebts_idr *idr, const ebts_iar *iar, size_t *len,
                                ebts_error *err);
/** The DHS disclaimer the IDR carries (public text), lines joined with '\n'. */
EBTS_API const char *ebts_idr_disclaimer(void);

typedef struct ebts_errt_message {
    const char *code;  /* "L0013": a letter and four digits, or NULL */
    const char *ref;   /* "EFTS-1031" from a bracketed reference, or NULL */
    const char *text;  /* the rest, as sent (trailing spaces kept) */
} ebts_errt_message;

/** An IDENT encounter as the response view gives it. */
typedef struct ebts_response_encounter {
    const char *eid, *name, *dob, *pob, *sex; /* NULL when absent */
    long photo;  /* record index of the encounter's Type-10 photo (the k-th Type-10 record is the
                    k-th encounter's, as ebts_gen_response writes them), -1 when none came */
} ebts_response_encounter;

/** What an SRE or ERRT says. Values are read as the FBI sends them and shown trimmed: leading
 *  and trailing blanks do not count in EBTS values (the published 1.010 " 42046114892" is
 *  "42046114892" here); 2.060 message text is kept as sent. The view holds copies of all it
 *  shows: it stays valid after its transaction is freed, until ebts_response_free(); record
 *  indices in it refer to the transaction it was made from. */
typedef struct ebts_response {
    const char *tot, *srf, *tcn, *tcr, *ori, *dai, *sid, *nam, *oca; /* NULL when absent */
    const char *const *cri;      /* 2.073, up to 3 */
    size_t ncri;
    int from_ident;              /* 1.008 ORI is USVISIT0Z */
    const size_t *photos;        /* record indices of the Type-10 records */
    size_t nphotos;
    const ebts_ers *ers;         /* parsed 2.075, or NULL */
    const ebts_errt_message *messages; /* 2.060 */
    size_t nmessages;
    const ebts_response_encounter *encounters; /* the IDR's encounters, in order */
    size_t nencounters;
    int photo_missing;           /* 2.075 says "Photo Attached" and no Type-10 record came */
} ebts_response;

/** The response view of an SRE or ERRT (any transaction: fields absent are NULL). NULL on
 *  out-of-memory, or for a NULL `t` (BAD_ARGUMENT). */
EBTS_API ebts_response *ebts_response_view(const ebts_txn *t, ebts_error *err);
EBTS_API void ebts_response_free(ebts_response *r);

enum ebts_response_kind {
    EBTS_RESPONSE_OTHER = 0,       /* not a response this library tells apart (or NULL) */
    EBTS_RESPONSE_IDR_MATCH = 1,   /* SRE from IDENT (ORI USVISIT0Z), 2.059 I: encounters follow */
    EBTS_RESPONSE_IDR_NOMATCH = 2, /* SRE from IDENT, 2.059 N */
    EBTS_RESPONSE_ERRT = 3,        /* ERRT: the submission was refused, see messages */
    EBTS_RESPONSE_SRE = 4          /* SRE from IAFIS (any other ORI) */
};
/** What kind of response `r` is, from TOT, ORI and 2.059 SRF (the 2.075 marker when SRF is
 *  absent). An SRE from IDENT whose answer cannot be told is EBTS_RESPONSE_OTHER. */
EBTS_API int ebts_response_kind(const ebts_response *r);
/** 1 when `r` answers `submission`: its 1.010 TCR is the submission's 1.009 TCN, both trimmed
 *  of blanks; 0 otherwise (NULL included). */
EBTS_API int ebts_response_answers(const ebts_response *r, const ebts_txn *submission);

/* Generating responses (what CJIS sends for IDENT): a no-match IDR, a match IDR (with IAR when
 * LESC answered) with photos, or an ERRT. Values come from the submission when given. */
enum { EBTS_GEN_IDR_NOMATCH = 1, EBTS_GEN_IDR_MATCH = 2, EBTS_GEN_ERRT = 3 };

typedef struct ebts_gen_options {
    const char *tcr, *dai, *name, *sid, *cri, *oca; /* override / stand in for the submission */
    const char *date;            /* CCYYMMDD for 1.005 (default: today, UTC) */
    const char *tcn;             /* 1.009 of the response (default: derived from the date) */
    const char *ver;             /* 1.002 (default "0500") */
    const ebts_encounter *encounters; /* up to 5 (more are refused) */
    size_t nencounters;
    const ebts_span *photos;     /* JPEG images: one Type-10 FACE record each */
    size_t nphotos;
    const char *iar_status;      /* LESC status line: with it (or iar_text) the IAR is added */
    const char *iar_text;        /* the rest of the LESC response, as text */
    const char *const *errors;   /* ERRT: "CODE TEXT" messages, up to 11 */
    size_t nerrors;
    const char *iar_received;    /* IAQ RECEIVED: (default: 1.005's date at 12:00:00 PM) */
    const ebts_pair *iaq;        /* IAQ echo values that replace those taken from the
                                    submission, by key: ORI ATN PHN NAM DOB CUS OFF PUR POB SEX
                                    FBI ARN SOC SID (e.g. {"ATN", "ORI=TX1234567"}) */
    size_t niaq;
    const ebts_encounter *iar_encounters; /* the IAQ's REM ENCOUNTER INFO (eid, last, first,
                                    middle, dob, pob, sex); default: the encounters, upper-case */
    size_t niar_encounters;
    const char *dvn;             /* 1.013 DOM's version, after DNM NORAM (default "EBTS 11.1",
                                    as the FBI's 11.2 templates write it; "EBTS 10.0" as its
                                    10.0 ones do) */
} ebts_gen_options;

/** Build a response of `kind` answering `submission` (may be NULL). NULL and err on error.
 *  What the FBI would not send is refused (GEN_INVALID): a 1.010 TCR (the submission's TCN or
 *  o->tcr) that is not 10 to 40 printable characters; a match without encounters or with an
 *  encounter that lacks EID (digits), NAME (LAST,FIRST), DOB (CCYYMMDD), POB or SEX; more photos
 *  than encounters (one photo per encounter); options the kind does not carry (encounters,
 *  photos or the IAR for a no-match or an ERRT, error messages for an IDR, IAQ values without an
 *  IAR). BAD_ARGUMENT for an unknown `kind`, an array of `o` NULL with a count, a NULL error
 *  message or a photo's NULL bytes. */
EBTS_API ebts_txn *ebts_gen_response(int kind, const ebts_txn *submission,
                                     const ebts_gen_options *o, ebts_error *err);

/* ------------------------------------------------------------------------------------------ */
/* Differences between two transactions in EBTS terms: records aligned by type and IDC (then
 * order), fields by number, values compared by subfield and item, a value of several lines line
 * by line; LEN, tag spelling and LEN zero padding never count, nor does CNT where it agrees with
 * the records on both sides. Bytes not read as records count. */

#define EBTS_DIFF_IGNORE_VOLATILE 0x1u /* 1.005 DAT, 1.009 TCN, 1.014 GMT, 10.005 PHD and the
                                          2.075 "IAQ RECEIVED:" time */
#define EBTS_DIFF_SEMANTIC        0x2u /* IDENT responses: 2.075 by meaning (match, encounters
                                          by EID, the whole IAR), not by lines */
#define EBTS_DIFF_IGNORE_SPACE    0x4u /* leading and trailing spaces of values do not count */
#define EBTS_DIFF_RECORDS_ONLY    0x8u /* only what the records hold: bytes not read as records
                                          and CNT's disagreements with the records do not count
                                          (a transaction against its own rewrite, which drops
                                          the one and derives the other) */

typedef struct ebts_diff_options {
    unsigned flags;
    const char *const *ignore; /* tags "2.075", "1.005" (any spelling: "1.05") */
    size_t nignore;
} ebts_diff_options;

enum ebts_diff_kind {
    EBTS_DIFF_RECORD_ADDED = 1, EBTS_DIFF_RECORD_REMOVED, EBTS_DIFF_RECORD_MOVED,
    EBTS_DIFF_FIELD_ADDED, EBTS_DIFF_FIELD_REMOVED, EBTS_DIFF_FIELD_CHANGED,
    EBTS_DIFF_SUBFIELD_ADDED, EBTS_DIFF_SUBFIELD_REMOVED, EBTS_DIFF_ITEM_CHANGED,
    EBTS_DIFF_BINARY_CHANGED,
    EBTS_DIFF_MATCH_CHANGED, EBTS_DIFF_ENCOUNTER_ADDED, EBTS_DIFF_ENCOUNTER_REMOVED,
    EBTS_DIFF_ENCOUNTER_CHANGED, EBTS_DIFF_IAR_CHANGED,
    EBTS_DIFF_LINE_REMOVED, EBTS_DIFF_LINE_ADDED, /* a line of a multi-line text value */
    EBTS_DIFF_UNREAD_CHANGED,   /* the bytes not read as records (ebts_txn_unread) differ */
    EBTS_DIFF_CNT_CHANGED       /* 1.003 CNT disagrees with the records, not alike in A and B */
};

typedef struct ebts_difference {
    int kind;                   /* enum ebts_diff_kind */
    const char *kind_name;      /* "field-changed", ... (stable) */
    unsigned rtype;             /* record type */
    long rec_a, rec_b;          /* record index in A and in B, -1 where absent */
    unsigned idc;
    char tag[24];               /* "2.060", or "" for a whole record */
    const char *mnemonic;       /* "MSG", or NULL */
    long subfield, item;        /* 0-based, -1 when not relevant */
    const char *old_value, *new_value; /* text values (NUL-terminated copies), NULL if none */
    size_t old_len, new_len;    /* byte lengths (binary data and records) */
    char old_hash[9], new_hash[9]; /* CRC-32 of binary data, hex, or "" */
    long first_difference;      /* binary: first differing byte, -1 */
    const char *what;           /* semantic: "EID 1105048570", "IAR record DOB", or NULL; CNT:
                                   "disagrees with the records in A" (B, A and B) */
    long line_a, line_b;        /* line-removed/-added: 1-based line in A / in B, else 0 */
} ebts_difference;

typedef struct ebts_diff_result ebts_diff_result;

/** Compare a with b. NULL only on out-of-memory, or when a or b is NULL or `o->ignore` is NULL
 *  with a count (BAD_ARGUMENT); NULL tags in `o->ignore` are skipped. */
EBTS_API ebts_diff_result *ebts_diff(const ebts_txn *a, const ebts_txn *b,
                                     const ebts_diff_options *o, ebts_error *err);
EBTS_API size_t ebts_diff_count(const ebts_diff_result *d);
EBTS_API const ebts_difference *ebts_diff_at(const ebts_diff_result *d, size_t index);
EBTS_API void ebts_diff_free(ebts_diff_result *d);
/** One line: `2.060 MSG: "L0013 ..." -> "S0002 ..."`, `+ 10.999 (1034 bytes)`; with `redact`
 *  values are left out (only where and what kind of difference). Returns buf. */
EBTS_API const char *ebts_difference_format(const ebts_difference *x, int redact, char *buf,
                                            size_t size);

/** Redact a message in place: every character between double or single quotes becomes '*'
 *  (diagnostic messages quote the input's values, which may be personal data). Returns msg. */
EBTS_API char *ebts_redact_message(char *msg);

/* JUnit XML reports for CI systems: one test case per file, named by its path; its classname is
 * the path's directory ("in/sub" of "in/sub/a.eft", "." without a '/'), its time the seconds
 * set with ebts_junit_set_time (0 until then). Strings are copied; a byte XML cannot carry (not
 * well-formed UTF-8, or a control character other than tab, newline and carriage return) is
 * copied as the text \xHH, so any name leaves the report well-formed. */
typedef struct ebts_junit ebts_junit;
EBTS_API ebts_junit *ebts_junit_new(const char *suite_name);
/** Add a test case; `failure` NULL when it passed, else a one-line reason; `details` (may be
 *  NULL) goes into the failure's text. 0 or -1. */
EBTS_API int ebts_junit_add(ebts_junit *j, const char *name, const char *failure,
                            const char *details);
/** Add a test case that could not be run (an input missing or unreadable): an `<error>` with
 *  `code` (such as IO_ERROR) as its type and `message`, counted in the suite's errors. Neither
 *  may be NULL. 0 or -1. */
EBTS_API int ebts_junit_add_error(ebts_junit *j, const char *name, const char *code,
                                  const char *message);
/** The seconds the test case added last took (written with six decimals). 0, or -1 when there
 *  is no case yet or `seconds` is negative, not a number or beyond 1e12. */
EBTS_API int ebts_junit_set_time(ebts_junit *j, double seconds);
/** Write the report (libxml2's writer; properly escaped). 0 or -1. */
EBTS_API int ebts_junit_write(const ebts_junit *j, FILE *fp, ebts_error *err);
EBTS_API void ebts_junit_free(ebts_junit *j);

/* An HTML report on a batch of files (what `ebts-validate --format html` prints): one
 * self-contained page (inline CSS, no script, nothing fetched) with a table of the files, their
 * verdicts, counts and first errors, each row linking to the file's findings further down the
 * same page. Strings and findings are copied; every value is escaped, and a byte of a name that
 * is not well-formed UTF-8 or is a control character shows as the text \xHH. */
typedef struct ebts_batch ebts_batch;
/** A report titled `title` (NULL: "libebts"). NULL on out-of-memory. */
EBTS_API ebts_batch *ebts_batch_new(const char *title);
/** Add a file that was checked: `verdict` a few words ("valid", "invalid", "PASS"), `failed`
 *  non-zero when it counts against the run, its `n` findings as the reader of the page should
 *  see them (severity, redaction applied). 0, or -1: BAD_ARGUMENT for a NULL `b`, `name` or
 *  `verdict`, or NULL `diags` with a count; OUT_OF_MEMORY. */
EBTS_API int ebts_batch_add(ebts_batch *b, const char *name, const char *verdict, int failed,
                            const ebts_diag *diags, size_t n, ebts_error *err);
/** Add a file that could not be checked (missing, unreadable): its error's `code` and
 *  `message`, none of them NULL (BAD_ARGUMENT). 0 or -1. */
EBTS_API int ebts_batch_add_error(ebts_batch *b, const char *name, const char *code,
                                  const char *message, ebts_error *err);
/** Write the page to `fp`. 0, or -1 (BAD_ARGUMENT, OUT_OF_MEMORY, IO_ERROR). */
EBTS_API int ebts_batch_write(const ebts_batch *b, FILE *fp, ebts_error *err);
EBTS_API void ebts_batch_free(ebts_batch *b);

/** Format a diagnostic as `path:offset: severity: CODE tag: message` (no newline) into buf. */
EBTS_API const char *ebts_diag_format(const ebts_diag *d, const char *path, int strict, char *buf,
                                      size_t size);

/** The table of diagnostic codes the reader and the validator can produce: returns the number of codes and, when
 *  `codes`/`summaries` are not NULL, the code and a one-line summary at `index`. */
EBTS_API size_t ebts_diag_codes(size_t index, const char **code, const char **summary);

/** What the table says about one diagnostic code; every string is static. */
typedef struct ebts_code_info {
    const char *code;    /* "LEN_MISMATCH" */
    int severity;        /* its default severity */
    int recovery;        /* 1: the reader repaired or guessed (EBTS_READ_STRICT refuses it) */
    const char *summary; /* what it means, one line */
    const char *action;  /* what to do about it, one line */
} ebts_code_info;

/** Look `code` up in the table and fill *info. 0, or -1 with BAD_ARGUMENT when `code` or `info`
 *  is NULL or `code` is no diagnostic code (the message names it); *info is then untouched. */
EBTS_API int ebts_diag_code_info(const char *code, ebts_code_info *info, ebts_error *err);

#ifdef __cplusplus
}
#endif
#endif /* EBTS_H */
