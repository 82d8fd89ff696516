#!/usr/bin/env python3
"""Generate fixtures/validate/: for each validation rule a passing and a failing transaction.

The valid-*.eft files are valid EBTS 10 transactions of the TOTs the rules cover (SRE match and
no-match, ERRT, CAR, CNA, CPNU, CPDR): every rule passes on them, and they have no .expect (a file
without one passes only with no error). Every other file breaks one rule of a valid base and sits
beside NAME.eft.expect, the codes it must produce. All values are synthetic.
Run from the project root: python3 tests/gen-validate.py
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ebtsgen import GS, RS, US, binary4, cnt, jpeg, png, tagged  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
OUT = os.path.join(ROOT, "fixtures", "validate")
FACE = open(os.path.join(ROOT, "fixtures", "samples", "face-48x64.jpg"), "rb").read()

T1 = {2: b"0500", 4: b"SRE", 5: b"20260115", 7: b"TX0000000", 8: b"USVISIT0Z",
      9: b"TCN2026011500001", 10: b"TX2026011400042", 11: b"00.00", 12: b"00.00"}
NOMATCH = b"IDENT Data Response (IDR)\r\n\r\n- NO MATCH -\r\n"
ENCOUNTER = b"EID = 1105048570\r\nNAME = DOE,JOHN\r\nDOB = 19800101\r\nPOB = TX\r\nSEX = M\r\n"
ENCOUNTER2 = b"EID = 1105046343\r\nNAME = DOE,JOHNNY Q\r\nDOB = 19800208\r\nPOB = TX\r\nSEX = M\r\n"


def match_ers(encounters=(ENCOUNTER,), photo=True):
    return (b"IDENT Data Response (IDR)\r\n\r\n------ MATCH -----\r\n" + b"".join(encounters)
            + (b"Photo Attached\r\n" if photo else b""))


# an IDENT no-match (the Type-2 of most cases), and a match with one encounter and its photo
SRE2 = {2: b"00", 15: b"TX07227801", 18: b"DOE,JOHN", 59: b"N", 73: b"TX1081100", 75: NOMATCH}
SRE2M = dict(SRE2)
SRE2M.update({59: b"I", 75: match_ers()})
ERRT2 = {2: b"00", 9: b"9163838806", 60: b"L0013 DOA/DPR of [20260101] older than 7 days",
         73: b"TX1081100"}
CAR2 = {2: b"00", 5: b"N", 18: b"DOE,JOHN", 20: b"TX", 22: b"19800101", 24: b"M", 25: b"W",
        27: b"510", 29: b"180", 31: b"BRO", 32: b"BLK", 45: b"20260114",
        47: b"20260114" + US + b"BURGLARY", 73: b"TX1081100"}
T10 = {2: b"01", 3: b"FACE", 4: b"USVISIT0Z", 5: b"20260115", 6: b"48", 7: b"64", 8: b"0",
       9: b"1", 10: b"1", 11: b"JPEGB", 12: b"YCC", 13: b"1", 999: FACE}


def record(rtype, fields):
    return tagged(rtype, sorted(fields.items()))


def txn(t1=None, t2=None, t10s=(), extra=(), tot=None):
    """Type-1 (CNT derived from the records), Type-2, Type-10s, extra (type, idc, bytes)."""
    t1 = dict(T1 if t1 is None else t1)
    if tot:
        t1[4] = tot
    recs = []
    if t2 is not None:
        recs.append((2, int(t2.get(2, b"0")), record(2, t2)))
    for t10 in t10s:
        recs.append((10, int(t10.get(2, b"0")), record(10, t10)))
    recs += list(extra)
    t1[3] = cnt([(t, i) for t, i, _ in recs])
    return record(1, t1) + b"".join(r for _, _, r in recs)


def with_(base, **changes):
    d = dict(base)
    for k, v in changes.items():
        n = int(k[1:])
        if v is None:
            d.pop(n, None)
        else:
            d[n] = v
    return d


FINGER = (4, 1, binary4(1))  # a Type-4 fingerprint image record (data not checked)

CASES = {}


def valid(name, data):
    CASES[name] = (data, None)


def bad(name, data, *codes):
    CASES[name] = (data, sorted(set(codes)))


def build():
    valid("valid-sre-match", txn(t2=SRE2M, t10s=[T10]))
    valid("valid-sre-nomatch", txn(t2=SRE2))
    valid("valid-errt", txn(t2=ERRT2, tot=b"ERRT"))
    for tot in (b"CAR", b"CNA", b"CPNU", b"CPDR"):
        t1 = with_(T1, f4=tot, f8=b"TX0000000", f7=b"WVIAFIS0Z", f10=None, f11=b"19.69",
                   f12=b"19.69")
        t2 = with_(CAR2, f43=b"P") if tot == b"CPDR" else CAR2  # 2.043 TSR: mandatory in CPDR
        valid("valid-" + tot.decode().lower(), txn(t1=t1, t2=t2, extra=[FINGER]))
    car1 = with_(T1, f4=b"CAR", f8=b"TX0000000", f7=b"WVIAFIS0Z", f10=None, f11=b"19.69",
                 f12=b"19.69")

    # Type-1
    bad("type1-tcr-missing-in-response", txn(t1=with_(T1, f10=None), t2=SRE2), "FIELD_MISSING")
    bad("type1-dai-missing", txn(t1=with_(T1, f7=None), t2=SRE2), "FIELD_MISSING")
    bad("type1-tot-unknown", txn(t1=with_(T1, f4=b"XYZ"), t2=SRE2), "TOT_UNKNOWN")
    bad("type1-ver-unknown", txn(t1=with_(T1, f2=b"9999"), t2=SRE2), "VER_UNKNOWN")
    bad("type1-ver-unexpected", txn(t1=with_(T1, f2=b"0400"), t2=SRE2), "VER_UNEXPECTED")
    bad("type1-dat-not-a-date", txn(t1=with_(T1, f5=b"20260230"), t2=SRE2), "DATE_INVALID")
    bad("type1-gmt-not-a-time", txn(t1=with_(T1, f14=b"20260115256000Z"), t2=SRE2),
        "DATE_INVALID")
    bad("type1-dai-8-characters", txn(t1=with_(T1, f7=b"TX000000"), t2=SRE2), "LENGTH_INVALID")
    bad("type1-ori-special-character", txn(t1=with_(T1, f8=b"USVISIT-Z"), t2=SRE2),
        "CHARSET_INVALID")
    bad("type1-tcn-too-short", txn(t1=with_(T1, f9=b"TCN1"), t2=SRE2), "LENGTH_INVALID")
    bad("type1-nsr-not-nn.nn", txn(t1=with_(T1, f11=b"0.000"), t2=SRE2), "FORMAT_INVALID")
    bad("type1-pry-out-of-range", txn(t1=with_(T1, f6=b"0"), t2=SRE2), "VALUE_NOT_ALLOWED")
    # DOM's version as the FBI's EBTS 10.0 templates write it (9.1 allowed 1-5 characters)
    valid("valid-sre-dom-ebts-10", txn(t1=with_(T1, f13=b"NORAM" + US + b"EBTS 10.0"), t2=SRE2))
    bad("type1-dcs-too-many-items",
        txn(t1=with_(T1, f15=b"0" + US + b"ASCII" + US + b"1" + US + b"X"), t2=SRE2), "ITEM_COUNT")
    bad("type1-ver-missing", txn(t1=with_(T1, f2=None), t2=SRE2), "FIELD_ORDER", "FIELD_MISSING")

    # Type-2, SRE
    bad("sre-srf-missing", txn(t2=with_(SRE2, f59=None)), "FIELD_MISSING")
    bad("sre-srf-not-i-or-n", txn(t2=with_(SRE2, f59=b"X")), "VALUE_NOT_ALLOWED")
    bad("sre-nam-missing", txn(t2=with_(SRE2, f18=None)), "FIELD_MISSING")
    bad("sre-nam-digit", txn(t2=with_(SRE2, f18=b"DOE2,JOHN")), "CHARSET_INVALID")
    bad("sre-nam-51-characters", txn(t2=with_(SRE2, f18=b"DOE," + b"J" * 47)), "LENGTH_INVALID")
    bad("sre-nam-has-items", txn(t2=with_(SRE2, f18=b"DOE" + US + b"JOHN")), "ITEM_COUNT")
    bad("sre-nam-no-comma", txn(t2=with_(SRE2, f18=b"DOE JOHN")), "NAME_FORMAT")
    bad("sre-nam-no-surname", txn(t2=with_(SRE2, f18=b",JOHN")), "NAME_FORMAT")
    bad("sre-nam-blank-surname", txn(t2=with_(SRE2, f18=b"  ,JOHN")), "NAME_FORMAT",
        "LEADING_SPACE")
    bad("sre-cri-four-times", txn(t2=with_(SRE2, f73=RS.join([b"TX1081100"] * 4))),
        "OCCURRENCE_COUNT")
    bad("sre-cri-too-long", txn(t2=with_(SRE2, f73=b"TX10811001234")), "LENGTH_INVALID")
    bad("sre-field-not-for-tot", txn(t2=with_(SRE2, f5=b"N")), "FIELD_NOT_ALLOWED")
    bad("sre-ers-line-too-long", txn(t2=with_(SRE2, f75=b"IDENT Data Response (IDR)\r\n\r\n" + b"X" * 73 + b"\r\n- NO MATCH -\r\n")),
        "ERS_LINE_TOO_LONG")
    bad("sre-msg-allowed-in-ebts10", txn(t2=with_(SRE2, f60=b"MATCH MADE")))
    CASES["sre-msg-allowed-in-ebts10"] = (CASES["sre-msg-allowed-in-ebts10"][0], None)
    bad("sre-two-photos", txn(t2=SRE2M, t10s=[T10, with_(T10, f2=b"02")]), "IDR_PHOTO_COUNT")
    # IDENT responses hold together (2.059, the marker, encounters, photos)
    bad("sre-ident-srf-n-with-match-text", txn(t2=with_(SRE2M, f59=b"N", f75=match_ers(photo=False))),
        "IDR_SRF_MISMATCH")
    bad("sre-ident-six-encounters", txn(t2=with_(SRE2M, f75=match_ers((ENCOUNTER,) * 6, False))),
        "IDR_ENCOUNTER_COUNT")
    bad("sre-ident-encounter-without-dob",
        txn(t2=with_(SRE2M, f75=match_ers((ENCOUNTER.replace(b"DOB = 19800101\r\n", b""),),
                                          False))), "IDR_ENCOUNTER_INCOMPLETE")
    bad("sre-ident-nomatch-with-photo", txn(t2=SRE2, t10s=[T10]), "IDR_NOMATCH_CONTENT")
    bad("sre-ident-without-ers", txn(t2=with_(SRE2, f75=None)), "FIELD_MISSING")
    bad("sre-ident-photo-not-announced", txn(t2=with_(SRE2M, f75=match_ers(photo=False)),
                                             t10s=[T10]), "IDR_PHOTO_ATTACHED")
    # an IDR carries a photo per encounter that has one (ebts-gen writes them so)
    valid("valid-sre-two-encounters-two-photos",
          txn(t2=with_(SRE2M, f75=match_ers((ENCOUNTER, ENCOUNTER2))),
              t10s=[T10, with_(T10, f2=b"02")]))
    bad("sre-type4-not-allowed", txn(t2=SRE2, extra=[FINGER]), "RECORD_NOT_ALLOWED")
    bad("sre-no-type2", txn(), "RECORD_COUNT")
    bad("sre-idc-duplicate", txn(t2=with_(SRE2M, f75=match_ers((ENCOUNTER, ENCOUNTER2))),
                                 t10s=[T10, T10]), "IDC_DUPLICATE")
    bad("sre-type2-field-order", txn(t2=SRE2).replace(b"2.002:00" + GS + b"2.015:",
                                                      b"2.015:", 1).replace(
        b"2.073:TX1081100", b"2.073:TX1081100" + GS + b"2.002:00", 1),
        "FIELD_ORDER")

    # characters, items and blanks the reader passes on and the rules refuse
    bad("sre-nam-byte-above-0x7f", txn(t2=with_(SRE2, f18=b"D\xc3\x96E,JOHN")),
        "CHARSET_INVALID", "NON_ASCII")
    bad("sre-t10-com-nul", txn(t2=SRE2M, t10s=[with_(T10, f38=b"LEFT\x00PROFILE")]),
        "CONTROL_CHARACTER")
    bad("sre-oca-bell-and-nul", txn(t2=with_(SRE2, f9=b"91\x0763\x00")),
        "CONTROL_CHARACTER")
    bad("type1-dcs-name-empty", txn(t1=with_(T1, f15=b"0" + US + US + b"1"),
                                    t2=SRE2), "ITEM_EMPTY")
    valid("valid-sre-dom-without-version", txn(t1=with_(T1, f13=b"NORAM" + US),
                                                t2=SRE2))
    bad("errt-oca-leading-blank", txn(t2=with_(ERRT2, f9=b" 9163838806"), tot=b"ERRT"),
        "FORMAT_INVALID", "LEADING_SPACE")

    # what public files and the FBI's templates carry, and the rules allowed only in part
    t1car = with_(car1, f13=b"NORAM" + US + b"EBTS 10.0", f16=b"DoD" + US + b"EBTS" + US + b"3.0")
    iris = (17, 3, tagged(17, [(2, b"03"), (3, b"0"), (999, b"\x00" * 16)]))
    valid("valid-car-ebts10-template-fields",
          txn(t1=t1car, t2=with_(CAR2, f98=b"1"), extra=[FINGER, iris]))
    face = with_(T10, f2=b"02", f13=b"1", f23=b"VENDOR" + US + b"ACME FACECAM 2",
                 f26=b"MOUTH OPEN" + RS + b"CLEAR GLASSES",
                 f29=b"1" + US + b"2.1" + US + b"20" + US + b"30" + RS + b"2" + US + b"12" + US
                 + b"24" + US + b"40")
    tattoo = with_(T10, f2=b"03", f3=b"TATTOO", f13=None, f40=b"TAT ARM" + RS + b"TAT UL ARM")
    valid("valid-car-face-and-tattoo-descriptions",
          txn(t1=car1, t2=CAR2, t10s=[face, tattoo], extra=[FINGER]))

    # Type-2, ERRT
    bad("errt-msg-missing", txn(t2=with_(ERRT2, f60=None), tot=b"ERRT"), "FIELD_MISSING")
    bad("errt-msg-twelve-times", txn(t2=with_(ERRT2, f60=RS.join([b"E0001 x"] * 12)), tot=b"ERRT"),
        "OCCURRENCE_COUNT")
    bad("errt-msg-301-characters", txn(t2=with_(ERRT2, f60=b"E0001 " + b"x" * 295), tot=b"ERRT"),
        "LENGTH_INVALID")
    bad("errt-oca-period", txn(t2=with_(ERRT2, f9=b"916.38"), tot=b"ERRT"), "FORMAT_INVALID")
    bad("errt-atn-period", txn(t2=with_(ERRT2, f6=b"DET. J Q PUBLIC"), tot=b"ERRT"),
        "FORMAT_INVALID")
    bad("errt-nam-not-allowed", txn(t2=with_(ERRT2, f18=b"DOE,JOHN"), tot=b"ERRT"),
        "FIELD_NOT_ALLOWED")

    # Type-2, tenprint submissions
    bad("car-dob-not-a-date", txn(t1=car1, t2=with_(CAR2, f22=b"19800230"), extra=[FINGER]),
        "DATE_INVALID")
    bad("car-sex-not-in-set", txn(t1=car1, t2=with_(CAR2, f24=b"Q"), extra=[FINGER]),
        "VALUE_NOT_ALLOWED")
    bad("car-eye-not-in-set", txn(t1=car1, t2=with_(CAR2, f31=b"PUR"), extra=[FINGER]),
        "VALUE_NOT_ALLOWED")
    bad("car-hai-too-long", txn(t1=car1, t2=with_(CAR2, f32=b"BLKK"), extra=[FINGER]),
        "LENGTH_INVALID", "VALUE_NOT_ALLOWED")
    bad("car-doa-missing", txn(t1=car1, t2=with_(CAR2, f45=None), extra=[FINGER]), "FIELD_MISSING")
    bad("car-asl-date-invalid", txn(t1=car1, t2=with_(CAR2, f47=b"20261301" + US + b"BURGLARY"),
                                    extra=[FINGER]), "DATE_INVALID")
    # the FBI's L0013 pre-check: DAT is 20260115
    bad("car-doa-eight-days-old", txn(t1=car1, t2=with_(CAR2, f45=b"20260107"), extra=[FINGER]),
        "DOA_TOO_OLD")
    valid("valid-car-doa-seven-days-old", txn(t1=car1, t2=with_(CAR2, f45=b"20260108"),
                                              extra=[FINGER]))
    bad("car-no-doa-dpr-old", txn(t1=car1, t2=with_(CAR2, f45=None, f38=b"20251231"),
                                  extra=[FINGER]), "FIELD_MISSING", "FIELD_NOT_ALLOWED", "DOA_TOO_OLD")
    bad("car-no-fingerprints", txn(t1=car1, t2=CAR2), "RECORD_COUNT")
    bad("car-dob-unknown-is-zeros", txn(t1=car1, t2=with_(CAR2, f22=b"00000000"), extra=[FINGER]))
    CASES["car-dob-unknown-is-zeros"] = (CASES["car-dob-unknown-is-zeros"][0], None)

    # Type-10
    bad("t10-sap-missing-for-face", txn(t2=SRE2M, t10s=[with_(T10, f13=None)]), "SAP_MISSING")
    bad("t10-sap-40-needs-pose-fields", txn(t2=SRE2M, t10s=[with_(T10, f13=b"40")]),
        "FIELD_MISSING")
    bad("t10-pos-angled-needs-poa", txn(t2=SRE2M, t10s=[with_(T10, f20=b"A")]), "FIELD_MISSING")
    bad("t10-imt-not-in-set", txn(t2=SRE2M, t10s=[with_(T10, f3=b"IRIS", f13=None)]),
        "VALUE_NOT_ALLOWED")
    bad("t10-csp-not-in-set", txn(t2=SRE2M, t10s=[with_(T10, f12=b"CMYK")]), "VALUE_NOT_ALLOWED")
    bad("t10-hll-missing", txn(t2=SRE2M, t10s=[with_(T10, f6=None)]), "FIELD_MISSING")
    bad("t10-image-empty", txn(t2=SRE2M, t10s=[with_(T10, f999=b"")]), "IMAGE_EMPTY")
    bad("t10-jpeg-wider-than-hll", txn(t2=SRE2M, t10s=[with_(T10, f6=b"50")]), "IMAGE_SIZE_MISMATCH")
    bad("t10-jpeg-taller-than-vll", txn(t2=SRE2M, t10s=[with_(T10, f7=b"60")]),
        "IMAGE_SIZE_MISMATCH")
    bad("t10-cga-png-but-jpeg", txn(t2=SRE2M, t10s=[with_(T10, f11=b"PNG")]),
        "IMAGE_FORMAT_MISMATCH")
    bad("t10-jpeg-without-sof", txn(t2=SRE2M, t10s=[with_(T10, f999=b"\xff\xd8\xff\xd9")]),
        "IMAGE_UNREADABLE")
    valid("valid-sre-png-photo", txn(t2=SRE2M, t10s=[with_(T10, f11=b"PNG", f12=b"GRAY",
                                                             f999=png(48, 64))]))
    bad("t10-png-size-mismatch", txn(t2=SRE2M, t10s=[with_(T10, f11=b"PNG", f12=b"GRAY",
                                                           f999=png(40, 64))]),
        "IMAGE_SIZE_MISMATCH")
    valid("valid-sre-jpeg-with-separators", txn(t2=SRE2M, t10s=[with_(
        T10, f999=jpeg(48, 64, bytes(range(0x1a, 0x22)) * 8))]))


def main():
    build()
    os.makedirs(OUT, exist_ok=True)
    for old in os.listdir(OUT):
        os.remove(os.path.join(OUT, old))
    for name, (data, codes) in CASES.items():
        with open(os.path.join(OUT, name + ".eft"), "wb") as f:
            f.write(data)
        if codes is not None:
            # every base lacks 1.013 DOM, which the default profile (ebts-11) warns of
            with open(os.path.join(OUT, name + ".eft.expect"), "w") as f:
                f.write("".join(c + "\n" for c in sorted(set(codes) | {"DOM_MISSING"})))
    print("%d cases written to fixtures/validate" % len(CASES))


if __name__ == "__main__":
    main()
