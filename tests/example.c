/* A small program against the installed library: read, walk, change a value, write. */
#include <stdio.h>
#include <ebts.h>

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: example IN OUT\n");
        return 2;
    }
    ebts_error err = {0};
    ebts_txn *t = ebts_read_file(argv[1], 0, &err);
    if (!t) {
        fprintf(stderr, "%s:%zu: %s: %s\n", argv[1], err.offset, err.code, err.msg);
        return 1;
    }
    printf("libebts %s, records: %zu\n", ebts_version(), ebts_txn_record_count(t));
    for (size_t i = 0; i < ebts_txn_diag_count(t); i++) {
        const ebts_diag *d = ebts_txn_diag(t, i);
        printf("  %s at byte %zu: %s\n", d->code, d->offset, d->msg);
    }
    const ebts_record *t2 = ebts_txn_record(t, 1);
    ebts_span msg = ebts_field_value(ebts_record_field(t2, 60)); /* 2.060 MSG */
    printf("2.060: %.*s\n", (int)msg.len, (const char *)msg.ptr);
    ebts_txn_set_field(t, 1, 9, "NEW-OCA", 7, NULL);             /* 2.009 OCA */
    int rc = ebts_write_file(t, EBTS_FORMAT_TRADITIONAL, argv[2], &err); /* LEN derived */
    ebts_txn_free(t);
    return rc == 0 ? 0 : 1;
}
