#!/usr/bin/env python3
"""Generate lib/rules_tmpl.c: per TOT, the fields and records of the FBI's EBTS XML templates.

The FBI publishes one XML template per transaction type for EBTS 10.0 and EBTS 11.2 (U.S.
Government works, FBI CJIS). Each names its fields in comments: `<!--NAM 2.018-->`,
`<!-- 10.999 DATA -->`, with `Optional`, `Required for EBTS` or occurrences `(0..9)`; items carry
a letter (`2.067A`) and are not fields. The records a TOT holds are its `itl:Package...Record`
elements. From them this script writes, per version and TOT: the record types, the fields the
template carries, and the Type-1 and Type-2 fields it requires ("Required for EBTS", or a lower
bound of 1 or more; a field without a marker is not taken as required). Lengths and character sets are not in the templates: the validator keeps the
EBTS 9.1 facts for them (rules_ebts91.c).

Two steps, both byte-reproducible:
  python3 tools/gen-tmpl-rules.py extract [SPEC-DIR]   # ../shared/spec/ebts-xml -> fixtures/ebts-xml
  python3 tools/gen-tmpl-rules.py > lib/rules_tmpl.c   # fixtures/ebts-xml -> C tables
The excerpts in fixtures/ebts-xml (one per template: its field comments and record elements, in
order) are what the tests read, so the project builds and tests without ../shared.
Development tool only: the build uses the generated, committed C file.
"""
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..")
SPEC = os.path.join(ROOT, "..", "shared", "spec", "ebts-xml")
EXCERPTS = os.path.join(ROOT, "fixtures", "ebts-xml")
VERSIONS = {"10.0": ("10.0/samples/xml", "100"), "11.2": ("11.2/iep-sample", "112")}

# itl record elements of both versions and the record type each is
RECORDS = {
    "PackageInformationRecord": 1, "PackageDescriptiveTextRecord": 2,
    "PackageHighResolutionGrayscaleImageRecord": 4, "PackageLegacyFingerprintImageRecord": 4,
    "PackageUserDefinedImageRecord": 7, "PackageMinutiaeRecord": 9,
    "PackageFacialAndSMTImageRecord": 10, "PackagePhotographicBodyPartImageRecord": 10,
    "PackageLatentImageRecord": 13, "PackageFingerprintImageRecord": 14,
    "PackageFingerImpressionImageRecord": 14, "PackagePalmprintImageRecord": 15,
    "PackagePalmPrintImageRecord": 15, "PackageIrisImageRecord": 17,
}
COMMENT = re.compile(r"<!--(.*?)-->", re.S)
ELEMENT = re.compile(r"<itl:(Package\w+Record)\b")
# "NAM 2.018", "NAM 2.018, Optional", "SCO 2.007 (0..9)", "10.999 DATA", "DOM 1.013, Required..."
FIELD = re.compile(r"^\s*(?:([A-Z][A-Z0-9]*)\s+)?(\d{1,2})\.(\d{3,4})(?![0-9A-Za-z.])(.*)$", re.S)
OCC = re.compile(r"\(\s*(\d+)\s*\.\.\s*(\d+|\*|n)\s*\)")


def extract(spec):
    """Write fixtures/ebts-xml/VERSION/TOT.tmpl: the template's field comments and records."""
    for ver, (sub, _) in VERSIONS.items():
        out_dir = os.path.join(EXCERPTS, ver)
        os.makedirs(out_dir, exist_ok=True)
        seen = {}
        for root, _, files in sorted(os.walk(os.path.join(spec, sub))):
            for name in sorted(files):
                m = re.match(r"Template\((\w+)\)", name)
                if not m or m.group(1) in seen:
                    continue  # a TOT listed under two services has one template
                path = os.path.join(root, name)
                seen[m.group(1)] = os.path.relpath(path, spec)
                text = open(path, encoding="utf-8-sig").read()
                lines = ["# " + seen[m.group(1)]]
                pos = 0
                for tok in re.finditer(r"<!--.*?-->|<itl:Package\w+Record\b", text, re.S):
                    t = tok.group(0)
                    if t.startswith("<itl:"):
                        lines.append(t[1:])
                    else:
                        body = " ".join(t[4:-3].split())
                        if FIELD.match(body):
                            lines.append(body)
                        elif OCC.match(body) and FIELD.match(lines[-1]) and \
                                not OCC.search(lines[-1]):
                            lines[-1] += " " + body  # "(0..10) i.e., ..." under its field
                    pos = tok.end()
                with open(os.path.join(out_dir, m.group(1) + ".tmpl"), "w", newline="\n") as f:
                    f.write("\n".join(lines) + "\n")


def parse_excerpt(path):
    """(records, fields, required): record types; {(type, field): (min, max)}; required set."""
    records, fields, required = set(), {}, set()
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if line.startswith("#"):
            continue
        if line.startswith("itl:"):
            records.add(RECORDS.get(line[4:], 0))
            continue
        m = FIELD.match(line)
        if not m:
            continue
        rtype, num, rest = int(m.group(2)), int(m.group(3)), m.group(4)
        occ = OCC.search(rest)
        lo, hi = (int(occ.group(1)), 0 if occ.group(2) in "*n" else int(occ.group(2))) if occ \
            else (0 if "Optional" in rest else 1, 1)
        fields.setdefault((rtype, num), (lo, hi))
        # required where the template says so: "Required for EBTS", or a lower bound of 1 or
        # more; a field with no marker at all is not taken as required
        if rtype in (1, 2) and "Optional" not in rest and ("Required" in rest or (occ and lo > 0)):
            required.add((rtype, num))
    records.discard(0)
    return records, fields, required


def c_list(items):
    return '" ' + " ".join(items) + ' "' if items else '" "'


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "extract":
        extract(sys.argv[2] if len(sys.argv) > 2 else SPEC)
        return
    out = ["/* Generated by tools/gen-tmpl-rules.py from the FBI's EBTS 10.0 and EBTS 11.2 XML",
           " * templates (U.S. Government works; excerpts in fixtures/ebts-xml). Do not edit. */",
           '#include "rules.h"', ""]
    for ver, (_, tag) in VERSIONS.items():
        d = os.path.join(EXCERPTS, ver)
        out.append("const ebts__tmpl_tot ebts__tmpl_%s[] = {" % tag)
        for name in sorted(os.listdir(d)):
            if not name.endswith(".tmpl"):
                continue
            records, fields, required = parse_excerpt(os.path.join(d, name))
            tot = name[:-5]
            f = ["%d.%03d" % k for k in sorted(fields)]
            r = ["%d.%03d" % k for k in sorted(required)]
            occ = ["%d.%03d:%d-%d" % (k + fields[k]) for k in sorted(fields) if fields[k] != (1, 1)
                   and fields[k] != (0, 1)]
            out.append("    {\"%s\", %s,\n     %s,\n     %s,\n     %s}," % (
                tot, c_list([str(x) for x in sorted(records)]), c_list(f), c_list(r), c_list(occ)))
        out.append("    {0}")
        out.append("};")
        out.append("")
    sys.stdout.write("\n".join(out))


if __name__ == "__main__":
    main()
