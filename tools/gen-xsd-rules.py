#!/usr/bin/env python3
"""Generate lib/rules_xsd.c: the formats of the EBTS 10.0 and 11.2 XML IEPDs' XSDs for the fields
whose EBTS 9.1 facts they change (code lists, lengths, items), applied under ebts-10 and ebts-11.

usage: python3 tools/gen-xsd-rules.py fixtures/ebts-xml > lib/rules_xsd.c

Each field below names, per item, the XSD element that carries it in each version (the elements
lib/xmlmap.c links to the field). The element's simple type gives the facts: an enumeration (a
union's members too) gives the code list, its lengths and character class; an integer range or
positiveInteger gives digits; a type with no facet (a string) says nothing about length or
characters, and then the fact in FALLBACK is kept and the table says so in a comment.
"""
import glob
import os
import re
import sys

VERSIONS = (("10.0", 100), ("11.2", 112))

# item: (mnemonic, name, {version: element}, fallback (class, min, max, specials), pad)
# pad: digits a number is written with in the traditional encoding (EBTS 9.1: FGP is 2 N)
TEXT = ("ANS", 1, 0, "PRINT")
FIELDS = [
    # 2.062 IMT: EBTS 9.1's "1-5" became category codes (NOU, FP, ...)
    (2, 62, "IMT", None, {"10.0": "ebts:RecordBiometricImageCategoryCode",
                          "11.2": "ebts:RecordBiometricImageCategoryCode"}, ("N", 1, 2, None), 0),
    # 2.074 FGP: finger, slap, palm and supplemental positions (9.1: fingers 00-10)
    (2, 74, "FGP", None, {"10.0": "ansi-nist:FrictionRidgePositionCode",
                          "11.2": "ebts:FrictionRidgePositionCode"}, ("N", 2, 2, None), 2),
    # 10.040 SMT: the NCIC scar, mark and tattoo codes of each version
    (10, 40, "SMT", None, {"10.0": "ansi-nist:PhysicalFeatureNCICCode",
                           "11.2": "biom:PhysicalFeatureNCICCode"}, ("ANS", 3, 10, " "), 0),
    # code lists the XSDs widen: 2.032 HAI and 10.028 SHC (STR), 2.070 RAP (X; a boolean in
    # 10.0), 10.012 CSP (UNK), 10.013 SAP (32, 42, 52). (2.059 SRF is not among them: the XSD's
    # list is every response's, the 9.1 table keeps each TOT's own, SRE's I and N.)
    (2, 32, "HAI", None, {"10.0": "ebts:PersonHairColorCode",
                          "11.2": "ebts:PersonHairColorCode"}, ("A", 3, 3, None), 0),
    (2, 70, "RAP", None, {"11.2": "ebts:RecordRapSheetFormatRequestCode"}, ("A", 1, 1, None), 0),
    (10, 12, "CSP", None, {"10.0": "ansi-nist:ImageColorSpaceCode",
                           "11.2": "biom:ImageColorSpaceCode"}, ("A", 3, 4, None), 0),
    (10, 13, "SAP", None, {"10.0": "ansi-nist:FaceImageAcquisitionProfileCode",
                           "11.2": "biom:FaceImageAcquisitionProfileCode"}, ("N", 1, 2, None), 0),
    (10, 28, "SHC", None, {"10.0": "ansi-nist:FaceImageHairColorAttributeCode",
                           "11.2": "biom:HairColorCode"}, ("A", 3, 3, None), 0),
    # 2.051 CSL: EBTS 10 adds the disposition's category and the count to 9.1's three items
    (2, 51, "CSL", [
        ("CDD", "Court Disposition Date", {}, ("N", 8, 8, None), 0),
        ("COL", "Court Offense Literal", {"10.0": "j:ChargeText", "11.2": "j:ChargeText"},
         ("ANS", 1, 300, "PRINT"), 0),
        ("CPL", "Other Court Sentence Provision Literal",
         {"10.0": "nc:DispositionText", "11.2": "nc:DispositionText"}, ("ANS", 1, 300, "PRINT"), 0),
        ("DCC", "Disposition Category Code", {"10.0": "ebts:DispositionCategoryCodeText",
                                              "11.2": "ebts:DispositionCategoryCode"}, TEXT, 0),
        ("CCN", "Court Count Number", {"10.0": "ebts:CourtCountNumber",
                                       "11.2": "ebts:CourtCountNumber"}, ("N", 1, 3, None), 0),
    ], None, None, 0),
    # 2.065 RSR: a parameter, its value and the criminal, civil and combined figures
    (2, 65, "RSR", [
        ("RPT", "Repository Parameter", {"10.0": "ebts:RepositoryParameterText",
                                         "11.2": "ebts:RepositoryParameterText"}, TEXT, 0),
        ("RPV", "Repository Parameter Value", {"10.0": "ebts:RepositoryParameterValueText",
                                               "11.2": "ebts:RepositoryParameterValueText"}, TEXT, 0),
        ("CRI", "Criminal Figure", {"10.0": "ebts:RepositoryCriminalParameterPercent",
                                    "11.2": "ebts:RepositoryCriminalParameterRatio"}, TEXT, 0),
        ("CIV", "Civil Figure", {"10.0": "ebts:RepositoryCivilParameterPercent",
                                 "11.2": "ebts:RepositoryCivilParameterRatio"}, TEXT, 0),
        ("CMB", "Combined Figure", {"10.0": "ebts:RepositoryCombinedParameterPercent",
                                    "11.2": "ebts:RepositoryCombinedParameterRatio"}, TEXT, 0),
    ], None, None, 0),
    # 10.022 PXS (ANSI/NIST-ITL 1-2011): the attribute's code and its description
    (10, 22, "PXS", [
        ("FAC", "Facial Attribute Code", {"10.0": "ansi-nist:FaceImageAttributeCode",
                                          "11.2": "biom:FaceImageAttributeCode"}, ("A", 3, 20, None), 0),
        ("FAD", "Facial Attribute Description", {"10.0": "ansi-nist:FaceImageAttributeText",
                                                 "11.2": "biom:FaceImageAttributeText"}, TEXT, 0),
    ], None, None, 0),
    # 10.026 SXS (11.2): the description's code, an NCIC code and text
    (10, 26, "SXS", [
        ("SXC", "Subject Facial Description Code", {"11.2": "biom:FaceImageDescriptionCode"},
         ("ANS", 3, 20, None), 0),
        ("SXN", "NCIC Code", {"11.2": "biom:PhysicalFeatureNCICCode"}, ("ANS", 0, 10, " "), 0),
        ("SXT", "Subject Facial Description Text", {"11.2": "biom:FaceImageDescriptionText"},
         ("ANS", 0, 0, "PRINT"), 0),
    ], None, None, 0),
    # 10.041 SMS: height and width
    (10, 41, "SMS", [
        ("HEIGHT", "Scar/Mark/Tattoo Height", {"10.0": "ansi-nist:PhysicalFeatureHeightMeasure",
                                               "11.2": "biom:PhysicalFeatureHeightMeasure"},
         ("N", 1, 2, None), 0),
        ("WIDTH", "Scar/Mark/Tattoo Width", {"10.0": "ansi-nist:PhysicalFeatureWidthMeasure",
                                             "11.2": "biom:PhysicalFeatureWidthMeasure"},
         ("N", 1, 2, None), 0),
    ], None, None, 0),
    # 10.043 COL (ANSI/NIST-ITL 1-2011): the primary color and up to five others, as items
    (10, 43, "COL", [("TC%d" % k, "Tattoo Color %d" % k,
                      {"10.0": "ansi-nist:PhysicalFeature%sColorCode" % ("Primary" if k == 1 else "Secondary"),
                       "11.2": "biom:PhysicalFeature%sColorCode" % ("Primary" if k == 1 else "Secondary")},
                      ("A", 3, 7, None), 0) for k in range(1, 7)], None, None, 0),
]
# optional items (an empty later item is an absent one): PXS and SXS descriptions, COL TC2-TC6
OPTIONAL_MIN0 = {(10, 22, 1), (10, 26, 1), (10, 26, 2)}


class Xsd:
    def __init__(self, root):
        self.text = {}
        for f in sorted(glob.glob(os.path.join(root, "**", "*.xsd"), recursive=True)):
            with open(f, encoding="utf-8", errors="replace") as fh:
                self.text[f] = fh.read()

    def element_type(self, name):
        """The type of a global element: the first declaration in the file of its prefix."""
        pfx, local = name.split(":")
        hits = []
        for f, t in self.text.items():
            m = re.search(r'<(?:xs|xsd):element\s+name="%s"[^>]*?\stype="([^"]+)"'
                          % re.escape(local), t)
            if m:
                hits.append((f, m.group(1)))
        want = {"ebts": "fbi_ebts", "biom": "biom", "ansi-nist": "biometrics", "itl": "itl",
                "nc": "niem-core", "j": "jxdm"}.get(pfx, pfx)
        for f, ty in hits:
            if want in os.path.basename(f):
                return ty
        return hits[0][1] if hits else None

    def facts(self, tyname, depth=0):
        """(enums, minInclusive, maxInclusive, base) of a type, following bases and unions."""
        local = tyname.split(":")[-1]
        enums, lo, hi, base = [], None, None, None
        if depth > 6:
            return enums, lo, hi, base
        for t in self.text.values():
            m = re.search(r'<(?:xs|xsd):(simpleType|complexType) name="%s"[^>]*>(.*?)</(?:xs|xsd):\1>'
                          % re.escape(local), t, re.S)
            if not m:
                continue
            body = m.group(2)
            enums = re.findall(r'<(?:xs|xsd):enumeration value="([^"]*)"', body)
            x = re.search(r'<(?:xs|xsd):minInclusive value="([^"]*)"', body)
            lo = x.group(1) if x else None
            x = re.search(r'<(?:xs|xsd):maxInclusive value="([^"]*)"', body)
            hi = x.group(1) if x else None
            members = re.findall(r'memberTypes="([^"]+)"', body)
            bases = re.findall(r'base="([^"]+)"', body)
            for mt in " ".join(members).split():
                e, _, _, _ = self.facts(mt, depth + 1)
                enums += e
            for b in bases:
                if b.split(":")[0] in ("xs", "xsd", "niem-xs"):
                    base = b.split(":")[-1]
                    if b.split(":")[0] == "niem-xs":
                        base = b.split(":")[-1]
                elif not enums and lo is None and hi is None:
                    e, l2, h2, b2 = self.facts(b, depth + 1)
                    enums, lo, hi, base = e, l2, h2, b2
            if tyname.split(":")[0] in ("xs", "xsd", "niem-xs"):
                base = local
            return enums, lo, hi, base
        if tyname.split(":")[0] in ("xs", "xsd", "niem-xs"):
            base = local
        return enums, lo, hi, base


def classify(values):
    """The character class and specials of a code list."""
    chars = set("".join(values))
    alpha = any(c.isalpha() for c in chars)
    digit = any(c.isdigit() for c in chars)
    other = sorted(c for c in chars if not c.isalnum())
    if not other:
        return ("AN" if alpha and digit else "A" if alpha else "N"), None
    if other == [" "] and not digit:
        return "AS", " "
    return "ANS", "".join(other)


def fact(xsd, element, fallback, pad):
    """(class, min, max, specials, values, note) of an element in one version."""
    cls, mn, mx, sca = fallback
    ty = xsd.element_type(element) if element else None
    if not ty:
        return cls, mn, mx, sca, None, ("%s: not in this version's XSD" % element if element else
                                        "no element of its own") + ": the older fact kept"
    enums, lo, hi, base = xsd.facts(ty)
    if enums:
        seen = []
        for e in enums:
            e = e.zfill(pad) if pad and e.isdigit() else e
            if e not in seen:
                seen.append(e)
        numeric = all(v.isdigit() for v in seen)
        seen.sort(key=lambda s: (len(s), s) if numeric else (0, s))
        c, s = classify(seen)
        return c, min(map(len, seen)), max(map(len, seen)), s, seen, "%s: code list" % element
    if base in ("integer", "positiveInteger", "nonNegativeInteger"):
        digits = len(hi) if hi and hi.isdigit() else 0  # 0: no upper bound
        return "N", pad or 1, max(pad, digits), None, None, "%s: %s%s" % (
            element, base, " to %s" % hi if hi else ", any number of digits")
    return cls, mn, mx, sca, None, "%s: %s, no length or characters: the older fact kept" % (
        element, base or ty)


def c_str(s):
    return "NULL" if s is None else '"%s"' % s.replace("\\", "\\\\").replace('"', '\\"')


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "fixtures/ebts-xml"
    out = ["/* Field formats of the FBI's EBTS XML IEPDs (10.0 and 11.2) that differ from the EBTS 9.1",
           " * facts, applied under ebts-10 and ebts-11 (lib/validate_rules.c).",
           " *",
           " * Generated by tools/gen-xsd-rules.py from the XSDs in fixtures/ebts-xml/VERSION/xsd;",
           " * do not edit, regenerate:",
           " *   python3 tools/gen-xsd-rules.py fixtures/ebts-xml > lib/rules_xsd.c",
           " */",
           '#include "rules.h"', ""]
    rows = []
    for ver, num in VERSIONS:
        xsd = Xsd(os.path.join(root, ver, "xsd"))
        for rtype, field, mnem, items, elems, fallback, pad in FIELDS:
            if items is None:
                el = elems.get(ver)
                c, mn, mx, s, vals, note = fact(xsd, el, fallback, pad)
                rows.append("    /* %s %d.%03d %s: %s */" % (ver, rtype, field, mnem, note))
                if not vals:
                    rows[-1] = rows[-1][:-3] + "; no row: the field's own fact */"
                    continue
                rows.append("    {%d, %d, %d, EBTS__CT_%s, %d, %d, %s, %s, NULL, 0}," % (
                    num, rtype, field, c, mn, mx, c_str("|".join(vals) if vals else None), c_str(s)))
                continue
            if not any(i[2].get(ver) for i in items):
                continue
            name = "items_%d_%d_%d" % (num, rtype, field)
            out.append("static const ebts__item_rule %s[] = {" % name)
            for k, (im, desc, iel, fb, ipad) in enumerate(items):
                c, mn, mx, s, vals, note = fact(xsd, iel.get(ver), fb, ipad)
                if (rtype, field, k) in OPTIONAL_MIN0 or (rtype, field) == (10, 43) and k > 0:
                    mn = 0
                date = "EBTS__DATE_YMD" if im == "CDD" else "EBTS__DATE_NONE"
                out.append("    /* %s */" % note)
                out.append("    {%s, EBTS__CT_%s, %d, %d, %s, %s, %s, %s}," % (
                    c_str(im), c, mn, mx, c_str("|".join(vals) if vals else None), c_str(s), date,
                    c_str(desc)))
            out.append("};")
            rows.append("    /* %s %d.%03d %s: items */" % (ver, rtype, field, mnem))
            rows.append("    {%d, %d, %d, -1, 0, 0, NULL, NULL, %s, %d}," % (
                num, rtype, field, name, len(items)))
    out.append("")
    out.append("const ebts__xsd_rule ebts__rules_xsd[] = {")
    out += rows
    out.append("    {0, 0, 0, 0, 0, 0, NULL, NULL, NULL, 0},")
    out.append("};")
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
