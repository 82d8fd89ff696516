#!/usr/bin/env python3
"""Generate fixtures/invalid/: hostile and defective transactions, each beside NAME.codes.

NAME.codes lists, one per line, `CODE OFFSET`: every diagnostic code the reader must produce
(no more, no fewer) and the byte offset of its first occurrence. A fatal error is listed the same
way. The offsets are computed here from how each input is built, independently of the library.
All data is synthetic. Run from the project root: python3 tests/gen-invalid.py
"""
import gzip
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from ebtsgen import FS, GS, RS, US, binary4, cnt, jpeg, tagged

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "invalid")

# A JPEG-shaped image whose APP1 segment holds every separator and the bytes of a record start,
# as real image data can: the reader must delimit it by LEN alone.
IMAGE = jpeg(48, 64, bytes(range(0x10, 0x30)) * 4 + b"\x1c1.001:" + bytes(range(0x80, 0xa0)))


# The base transaction is a valid EBTS 10 SRE from the FBI (ORI WVIAFIS0Z, a photo; not an
# IDENT response, which carries 2.075), so that each case's .expect holds the consequences of
# its defect and nothing else.
def type1(entries, extra=(), count=None, cnt_value=None, tot=b"SRE"):
    fields = [(2, b"0500"), (3, cnt_value if cnt_value is not None else cnt(entries, count)),
              (4, tot), (5, b"20260101"), (7, b"XX0000000"), (8, b"WVIAFIS0Z"),
              (9, b"TCN0000000001"), (10, b"TCN0000000000"), (11, b"00.00"), (12, b"00.00")]
    extra = list(extra)
    fields = [f for f in fields if f[0] not in [e[0] for e in extra]] + extra
    fields.sort(key=lambda f: f[0])
    return tagged(1, fields)


def type2(idc=0, extra=()):
    fields = [(2, b"%02d" % idc), (18, b"DOE,JOHN"), (59, b"N"), (73, b"XX0000000")] + list(extra)
    fields.sort(key=lambda f: f[0])
    return tagged(2, fields)


def type10(idc=1, image=IMAGE, len_value=None):
    fields = [(2, b"%02d" % idc), (3, b"FACE"), (4, b"USVISIT0Z"), (5, b"20260101"), (6, b"48"),
              (7, b"64"), (8, b"0"), (9, b"1"), (10, b"1"), (11, b"JPEGB"), (12, b"YCC"),
              (13, b"1"), (999, image)]
    return tagged(10, fields, len_value=len_value)


def type4(idc=2, data=b"\x00" * 64, len_value=None):
    return binary4(idc, data, len_value)


CASES = []

# What validation adds to the reader's codes, per case: each a consequence of the defect
# (reviewed by hand; `make check` runs ebts-validate --expect over these).
VALIDATION = {
    "binary-idc-mismatch": ["RECORD_NOT_ALLOWED"],          # an SRE has no Type-4 record
    "non-ascii-type1": ["CHARSET_INVALID"],                 # Type-1 is 7-bit in every encoding
    "non-ascii-type2": ["CHARSET_INVALID"],                 # no DCS: 2.075 is 7-bit ASCII
    "cnt-missing": ["FIELD_MISSING", "FIELD_NOT_ALLOWED", "RECORD_COUNT"],  # a bare CAR Type-1
    "hundred-thousand-items": ["ITEM_COUNT", "LENGTH_INVALID"],  # 2.075 has no items
    "len-missing": ["FIELD_MISSING"],                       # the LEN-less Type-2 lacks SRF, CRI
    "len-type10-beyond-end-truncated": ["IMAGE_UNREADABLE"],  # the JPEG lost its SOF
    "million-rs": ["LENGTH_INVALID", "OCCURRENCE_COUNT", "TOO_MANY_DIAGNOSTICS"],
    "only-type1": ["RECORD_COUNT"],                         # an SRE needs its Type-2
    "second-type1": ["RECORD_COUNT"],                       # two Type-1 records
    "tag-without-colon": ["FIELD_MISSING"],                 # 2.018 NAM unreadable
    "type-number-30-digits": ["FIELD_MISSING"],             # 2.002 IDC unreadable
    "truncated-in-type1": ["FIELD_MISSING"],                # TOT, DAT, ... cut off
    "type1-len-only": ["FIELD_MISSING"],
    # a bare Type-1 (no VER, TOT, ...): Type-1's mandatory fields missing, CNT right after LEN;
    # the date kept as given fails its checks
    "xml-huge-text-node": ["FIELD_MISSING", "FIELD_ORDER"],
    "xml-date-not-a-date": ["CHARSET_INVALID", "DATE_INVALID", "FIELD_MISSING", "FIELD_ORDER",
                            "LENGTH_INVALID"],
}


def case(name, data, codes, ext="eft"):
    CASES.append((name, ext, data, codes))


def build():
    t2 = type2()
    t10 = type10()
    std = [(2, 0), (10, 1)]
    base = type1(std) + t2 + t10
    o2 = len(type1(std))
    o10 = o2 + len(t2)

    case("empty", b"", [("EMPTY_INPUT", 0)])
    case("random-bytes", bytes((i * 73 + 41) % 256 for i in range(512)), [("NOT_TRANSACTION", 0)])
    case("text-not-ansi-nist", b"hello, world\n", [("NOT_TRANSACTION", 0)])
    case("type2-first", type2() + t10, [("NOT_TRANSACTION", 0)])

    # --- LEN
    t1 = type1(std)
    bad = t1.replace(b"1.001:%d" % len(t1), b"1.001:%d" % (len(t1) + 3), 1)
    case("len-type1-wrong", bad + t2 + t10, [("LEN_MISMATCH", 0)])
    bad2 = t2.replace(b"2.001:%d" % len(t2), b"2.001:%07d" % 2105, 1)
    case("len-type2-wrong-padded", type1(std) + bad2 + t10, [("LEN_MISMATCH", o2)])
    bad2 = t2.replace(b"2.001:%d" % len(t2), b"2.001:12a", 1)
    case("len-not-a-number", type1(std) + bad2 + t10, [("LEN_INVALID", o2 + 6)])
    bad2 = t2.replace(b"2.001:%d" % len(t2), b"2.001:", 1)
    case("len-empty", type1(std) + bad2 + t10, [("LEN_INVALID", o2 + 6)])
    nolen = b"2.002:00" + GS + b"2.018:DOE,JOHN" + FS
    case("len-missing", type1(std) + nolen + type10(), [("LEN_MISSING", o2)])
    big = type10(len_value=4294967280)
    case("len-type10-huge", type1(std) + t2 + big, [("LEN_BEYOND_END", o10)])
    short = type10(len_value=len(t10) - 20)  # lands inside the image, not on FS
    case("len-type10-short", type1(std) + t2 + short, [("DATA_RESYNC", o10)])
    # LEN that lands on the 0x1C inside the image, followed by "1.001:" -- a false record start
    # would be accepted; here it is followed by other bytes, so the reader must resynchronise.
    img = jpeg(48, 64, bytes(range(0x10, 0x30)) * 4 + b"\x1cXYZ" + bytes(range(0x80, 0xa0)))
    t10b = type10(image=img)
    fs_in = t10b.index(b"\x1cXYZ") + 1
    case("len-type10-lands-on-image-fs", type1(std) + t2 + type10(image=img, len_value=fs_in),
         [("DATA_RESYNC", o10)])
    case("len-type10-beyond-end-truncated",
         type1(std) + t2 + t10[:-30],
         [("LEN_BEYOND_END", o10), ("MISSING_FS", len(base) - 30)])

    # --- separators
    t1 = type1(std)
    i = t1.index(b"1.004:")
    case("rs-before-tag", t1[:i - 1] + RS + t1[i:] + t2 + t10,
         [("SEPARATOR_BEFORE_TAG", i - 1)])
    i2 = t2.index(b"2.018:")
    case("us-before-tag", type1(std) + t2[:i2 - 1] + US + t2[i2:] + t10,
         [("SEPARATOR_BEFORE_TAG", o2 + i2 - 1)])
    case("missing-final-fs", base[:-1], [("MISSING_FS", len(base) - 1)] +
         [("LEN_BEYOND_END", o10)])
    nofs = type1([(2, 0)]) + type2()[:-1]
    case("missing-final-fs-text", nofs,
         [("MISSING_FS", len(nofs)), ("LEN_MISMATCH", len(type1([(2, 0)])))])
    gsend = type1([(2, 0)]) + type2()[:-1] + GS
    # the GS takes the FS's place, so LEN still counts right: only the terminator is wrong
    case("gs-instead-of-final-fs", gsend, [("MISSING_FS", len(gsend))])
    dbl = type1([(2, 0)])
    t2d = type2().replace(GS + b"2.018:", GS + GS + b"2.018:")
    case("empty-field-between-gs", dbl + t2d,
         [("BAD_TAG", len(dbl) + t2d.index(GS + GS) + 1), ("LEN_MISMATCH", len(dbl))])
    many_gs = type1([(2, 0)]) + b"2.001:99" + GS + b"2.002:00" + GS * 1000000 + b"2.018:X" + FS
    # a million empty fields: the 100001st passes the default limit of fields in a record
    # (each field costs a fixed-size slot, so the limit bounds memory); the read is refused there
    case("million-gs", many_gs,
         [("LIMIT_EXCEEDED", len(type1([(2, 0)])) + 18 + 99998)], ext="eft.gz")
    many_gs = type1([(2, 0)]) + b"2.001:99" + GS + b"2.002:00" + GS * 50000 + b"2.018:X" + FS
    # 50000 empty fields: 10000 BAD_TAG, then one TOO_MANY_DIAGNOSTICS stands for the rest
    case("fifty-thousand-gs", many_gs,
         [("BAD_TAG", len(type1([(2, 0)])) + 18),
          ("TOO_MANY_DIAGNOSTICS", len(type1([(2, 0)])) + 18 + 10000)], ext="eft.gz")

    # --- tags
    t2t = type2(extra=[(30, b"X")]).replace(b"2.030:", b"2.123456789012345678901234567890:")
    case("tag-30-digits", type1([(2, 0)]) + t2t,
         [("TAG_NUMBER_TOO_LONG", len(type1([(2, 0)])) + t2t.index(b"2.123456")),
          ("LEN_MISMATCH", len(type1([(2, 0)])))])
    t2t = type2().replace(b"2.002:", b"123456789012345678901234567890.002:")
    hdr = type1([(2, 0)])
    case("type-number-30-digits", hdr + b"2.001:9" + GS + t2t[t2t.index(b"1234567"):],
         [("TAG_NUMBER_TOO_LONG", len(hdr) + 8), ("LEN_MISMATCH", len(hdr))])
    t2t = type2().replace(b"2.018:", b"2.018")
    case("tag-without-colon", hdr + t2t,
         [("BAD_TAG", len(hdr) + t2t.index(b"2.018")), ("LEN_MISMATCH", len(hdr))])
    t2t = type2().replace(b"2.018:", b"9.018:")
    case("tag-type-mismatch", hdr + t2t, [("TAG_TYPE_MISMATCH", len(hdr) + t2t.index(b"9.018:"))])
    t2t = type2(extra=[(19, b"DOE,JANE")]).replace(b"2.019:", b"2.018:")
    case("duplicate-field", hdr + t2t,
         [("DUPLICATE_FIELD", len(hdr) + t2t.index(b"2.018:DOE,JANE"))])

    # --- CNT
    case("cnt-announces-missing-record", type1(std + [(10, 2)]) + t2 + t10,
         [("RECORD_MISSING", len(type1(std + [(10, 2)])) + len(t2) + len(t10))])
    case("cnt-omits-record", type1([(2, 0)]) + t2 + t10,
         [("RECORD_NOT_IN_CNT", len(type1([(2, 0)])) + len(t2))])
    case("cnt-type-mismatch", type1([(2, 0), (14, 1)]) + t2 + t10,
         [("CNT_TYPE_MISMATCH", len(type1([(2, 0), (14, 1)])) + len(t2))])
    case("cnt-idc-mismatch", type1([(2, 0), (10, 5)]) + t2 + t10,
         [("CNT_IDC_MISMATCH", len(type1([(2, 0), (10, 5)])) + len(t2))])
    case("cnt-count-mismatch", type1(std, count=1) + t2 + t10,
         [("CNT_COUNT_MISMATCH", type1(std, count=1).index(b"1.003:"))])
    cv = b"1" + US + b"2" + RS + b"2" + RS + b"10" + US + b"01"
    t1c = type1(std, cnt_value=cv)
    case("cnt-subfield-one-item", t1c + t2 + t10,
         [("CNT_INVALID", t1c.index(RS + b"2" + RS) + 1)])
    cv = b"1" + US + b"2" + RS + b"2" + US + b"00" + RS + b"X" + US + b"01"
    t1c = type1(std, cnt_value=cv)
    case("cnt-letters", t1c + t2 + t10,
         [("CNT_INVALID", t1c.index(b"X" + US)), ("CNT_TYPE_MISMATCH", len(t1c) + len(t2))])
    t1n = tagged(1, [(2, b"0500"), (4, b"CAR"), (5, b"20260101")])
    case("cnt-missing", t1n + t2 + t10,
         [("CNT_MISSING", 0), ("RECORD_NOT_IN_CNT", len(t1n))])
    t1x = type1([(2, 0), (10, 1)])
    case("second-type1", t1x + t2 + type1([]),
         [("CNT_TYPE_MISMATCH", len(t1x) + len(t2))])
    case("only-type1", type1(std), [("RECORD_MISSING", len(type1(std)))])
    t1t = type1(std)
    case("truncated-in-type1", t1t[:40],
         [("MISSING_FS", 40), ("LEN_MISMATCH", 0), ("RECORD_MISSING", 40)])
    case("type1-len-only", b"1.001:", [("LEN_INVALID", 6), ("MISSING_FS", 6), ("CNT_MISSING", 0)])

    # --- trailing and unreadable bytes
    case("trailing-newline", base + b"\n", [("TRAILING_BYTES", len(base))])
    case("trailing-garbage", base + b"\x00\x01garbage", [("TRAILING_BYTES", len(base))])
    case("garbage-instead-of-record", type1(std) + t2 + b"\x00\x01\x02not a record",
         [("UNREADABLE_BYTES", o10), ("RECORD_MISSING", o10 + 15)])

    # --- binary records
    t4std = [(2, 0), (4, 2)]
    h4 = type1(t4std) + t2
    case("binary-len-smaller-than-header", h4 + type4(len_value=10),
         [("BINARY_LEN_TOO_SMALL", len(h4)), ("UNREADABLE_BYTES", len(h4)),
          ("RECORD_MISSING", len(h4) + len(type4()))])
    case("binary-len-0xfffffff0", h4 + type4(len_value=0xFFFFFFF0),
         [("LEN_BEYOND_END", len(h4)), ("UNREADABLE_BYTES", len(h4)),
          ("RECORD_MISSING", len(h4) + len(type4()))])
    case("binary-len-beyond-end", h4 + type4()[:-1],
         [("LEN_BEYOND_END", len(h4)), ("UNREADABLE_BYTES", len(h4)),
          ("RECORD_MISSING", len(h4) + len(type4()) - 1)])
    case("binary-truncated-len", h4 + b"\x00\x00",
         [("LEN_BEYOND_END", len(h4)), ("UNREADABLE_BYTES", len(h4)), ("RECORD_MISSING", len(h4) + 2)])
    case("binary-idc-mismatch", h4 + type4(idc=7), [("CNT_IDC_MISMATCH", len(h4))])
    case("binary-len-zero", h4 + type4(len_value=0),
         [("BINARY_LEN_TOO_SMALL", len(h4)), ("UNREADABLE_BYTES", len(h4)),
          ("RECORD_MISSING", len(h4) + len(type4()))])

    # --- character data
    t1s = type1(std, extra=[(10, b" TCN0000000000")])
    case("leading-space-type1", t1s + t2 + t10, [("LEADING_SPACE", t1s.index(b" TCN0000000000"))])
    t2s = type2(extra=[(75, b"caf\xc3\xa9 \xe2\x80\x9cquoted\xe2\x80\x9d")])
    case("non-ascii-type2", type1(std) + t2s + t10,
         [("NON_ASCII", o2 + t2s.index(b"\xc3"))])
    t1u = type1(std, extra=[(10, b"TCN000000000\xff")])
    case("non-ascii-type1", t1u + t2 + t10, [("NON_ASCII", t1u.index(b"\xff"))])
    t1d = type1(std, extra=[(15, b"3" + US + b"UTF-8")])
    case("dcs-utf8-allows-non-ascii", t1d + t2s + type10(), [])
    many_us = type1([(2, 0)]) + type2(extra=[(75, US.join([b"x"] * 100000))])
    case("hundred-thousand-items", many_us, [], ext="eft.gz")
    many_rs = type1([(2, 0)]) + type2(extra=[(75, RS * 1000000)])
    case("million-rs", many_rs, [], ext="eft.gz")

    # --- gzip
    gz = gzip.compress(base, mtime=0)
    # where zlib notices the damage is zlib's business: the offset is not pinned (*)
    case("gzip-corrupt", gz[:20] + bytes(40) + gz[60:], [("GZIP_ERROR", "*")], ext="eft.gz")
    case("gzip-truncated", gz[: len(gz) // 2], [("GZIP_ERROR", len(gz) // 2)], ext="eft.gz")

    # --- readable notation
    case("readable-bad-hex", b"1.001:10<GS>\n1.002:<HEX:zz><FS>\n", [("READABLE_SYNTAX", 24)],
         ext="txt")
    case("readable-unclosed-hex", b"1.001:10<GS>\n1.002:<HEX:00ff", [("READABLE_SYNTAX", 19)],
         ext="txt")
    case("readable-odd-hex", b"1.001:10<GS>\n1.002:<HEX:0ff><FS>\n", [("READABLE_SYNTAX", 19)],
         ext="txt")

    # --- the XML encoding: hostile and malformed documents
    root = b'<itl:NISTBiometricInformationExchangePackage xmlns:itl="http://biometrics.nist.gov/standard/2011">'
    end = b"</itl:NISTBiometricInformationExchangePackage>"
    case("xml-not-well-formed", root + b"<itl:PackageInformationRecord>", [("XML_SYNTAX", 0)], ext="xml")
    ents = b"".join(b'<!ENTITY %c "%s">' % (ord(c), (b"&%c;" % (ord(c) - 1)) * 10) for c in "bcdefg")
    case("xml-entity-expansion",
         b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">' + ents + b"]>" + root +
         b"<itl:PackageInformationRecord>&g;&g;&g;&g;</itl:PackageInformationRecord>" + end,
         [("XML_SYNTAX", 0)], ext="xml")  # libxml2 stops the amplification while parsing
    case("xml-external-entity",
         b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY x SYSTEM "file:///etc/passwd">]>' + root +
         b"<itl:PackageInformationRecord>&x;</itl:PackageInformationRecord>" + end,
         [("XML_DTD_FORBIDDEN", 0)], ext="xml")
    case("xml-deep-nesting", root + b"<a>" * 100000 + b"</a>" * 100000 + end, [("XML_SYNTAX", 0)],
         ext="xml.gz")
    case("xml-wrong-namespace",
         b'<itl:NISTBiometricInformationExchangePackage xmlns:itl="urn:wrong"/>',
         [("XML_NOT_TRANSACTION", 0)], ext="xml")
    case("xml-type2-first", root + b"<itl:PackageDescriptiveTextRecord/>" + end,
         [("XML_NOT_TRANSACTION", 0)], ext="xml")
    # an 11 MB text node in an element outside the mapping: read within the input limit, and its
    # data, which no field takes, is an error
    case("xml-huge-text-node", root + b"<itl:PackageInformationRecord><itl:X>" + b"A" * 11000000 +
         b"</itl:X></itl:PackageInformationRecord>" + end, [("XML_ELEMENT_UNPLACED", 0)],
         ext="xml.gz")
    t1x = (b'<itl:PackageInformationRecord><ansi-nist:Transaction xmlns:ansi-nist="http://niem.gov/niem/biometrics/1.0" '
           b'xmlns:nc="http://niem.gov/niem/niem-core/2.0"><ansi-nist:TransactionDate><nc:Date>2008-13</nc:Date>'
           b"</ansi-nist:TransactionDate></ansi-nist:Transaction></itl:PackageInformationRecord>")
    case("xml-date-not-a-date", root + t1x + end, [("XML_VALUE_INVALID", 0)], ext="xml")


def main():
    build()
    os.makedirs(OUT, exist_ok=True)
    for old in os.listdir(OUT):
        if old != "README.md":
            os.remove(os.path.join(OUT, old))
    for name, ext, data, codes in CASES:
        path = os.path.join(OUT, name + "." + ext)
        if ext in ("eft.gz", "xml.gz") and not name.startswith("gzip-"):
            data = gzip.compress(data, mtime=0)
        with open(path, "wb") as f:
            f.write(data)
        with open(os.path.join(OUT, name + ".codes"), "w") as f:
            for code, off in codes:
                f.write("%s %s\n" % (code, off))
        with open(os.path.join(OUT, name + "." + ext + ".expect"), "w") as f:
            for code in sorted({c for c, _ in codes} | set(VALIDATION.get(name, []))):
                f.write(code + "\n")
    print("%d cases written to fixtures/invalid" % len(CASES))


if __name__ == "__main__":
    main()
