#!/usr/bin/env python3
"""Generate lib/rules_ebts91.c: our EBTS 9.1 rule tables for Types 1, 2 and 10.

The facts (field numbers, character types, sizes, occurrences, which TOTs require or allow a
field, value sets, date formats, record make-up per TOT) are read from the OpenEBTS
"Verification File for EBTS 9.1" (IAFIS-DOC-01078-9.1, Apache-2.0), kept beside the project in
../shared/corpus/OpenEBTS/EBTS9.1_ENUS.txt. Only facts are taken; the table layout is ours.
Development tool only: the build uses the generated, committed C file.

usage: python3 tools/gen-rules.py [VERIFICATION-FILE] > lib/rules_ebts91.c
"""
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT = os.path.join(HERE, "..", "..", "shared", "corpus", "OpenEBTS", "EBTS9.1_ENUS.txt")

FIELD = re.compile(r'^\s*(\d+)\.(\d+)(:?)\s+(T\d+_\w+)\s+([A-Z]*)\s+(\S+)\s+(\S+)\s+desc="([^"]*)"')
ITEM = re.compile(r'^\s*(\d+)\.(\d+)\.\.(\d+)\s+(T\d+_\w+)\s+([A-Z]*)\s+(\S+)\s+(\S+)\s+desc="([^"]*)"')
ATTR = re.compile(r'(\w+)(\("(\w+)"\))?="')
CTYPES = {"A", "N", "AN", "ANS", "AS", "NS", "B"}


def c_str(s):
    if s is None:
        return "NULL"
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def size(s):
    if s in ("x", ""):
        return 0
    return int(s)


def rng(s):
    a, _, b = s.partition("-")
    lo = size(a)
    return lo, (lo if not _ else size(b))


def read_attr(lines, i, start):
    """The quoted value starting at lines[i][start:], across lines; returns (value, next i)."""
    buf = ""
    line = lines[i][start:]
    while True:
        j = 0
        while j < len(line):
            if line[j] == "\\" and j + 1 < len(line):
                j += 2
                continue
            if line[j] == '"':
                return buf + line[:j], i
            j += 1
        buf += line.rstrip("\n").rstrip("\\") + "\n"
        i += 1
        if i >= len(lines):
            return buf, i
        line = lines[i]


def parse_header(text):
    parts = [p.strip() for p in text.strip("[]").replace("\n", " ").split(",") if p.strip()]
    default = parts[0]
    mand, opt = [], []
    if len(parts) == 1:
        return ("*" if default == "M" else None), ("*" if default == "O" else None)
    for p in parts[1:]:
        words = p.split()
        tot = words[0]
        status = words[1] if len(words) > 1 else default
        (mand if status == "M" else opt).append(tot)
    f = lambda l: (" " + " ".join(l) + " ") if l else None
    return f(mand), f(opt)


def mmap_keys(v):
    keys = []
    for entry in v.replace("\n", "|").split("|"):
        entry = entry.strip()
        if not entry:
            continue
        key = entry.split(":", 1)[0].strip()
        if key:
            keys.append(key)
    return "|".join(keys)


def parse(path):
    lines = open(path, encoding="utf-8-sig").read().split("\n")
    tots, group, pending = [], None, []
    rules = []
    section = None
    header = None
    cur = None  # the field or item the attributes belong to
    i = 0
    while i < len(lines):
        line = lines[i]
        s = line.strip()
        if s.startswith("TRANSACTIONS"):
            section = "tot"
            group = s.split('"')[1]
            pending = []
        elif s == "FIELDS":
            section = "fields"
        elif section == "tot":
            m = re.match(r'^([A-Z0-9]+)\s+"([^"]*)"', s)
            if m:
                pending.append((m.group(1), m.group(2)))
            elif re.match(r'^[0-9]+:', s):
                for code, desc in pending:
                    tots.append((code, desc, s.rstrip(";").strip(), group))
                pending = []
        elif section == "fields":
            if s.startswith("["):
                text = s
                while "]" not in text:
                    i += 1
                    text += " " + lines[i].strip()
                header = parse_header(text[: text.index("]") + 1])
                cur = None
            else:
                m = FIELD.match(line)
                mi = ITEM.match(line)
                if mi:
                    rt, fn, ix, mn, ct, sz, oc, desc = mi.groups()
                    # items may follow their field directly or after a header of their own
                    owner = rules[-1] if rules else None
                    if owner and owner["rtype"] == int(rt) and owner["field"] == int(fn):
                        item = {"mnem": mn.split("_")[-1], "ctype": ct, "size": rng(sz),
                                "values": None, "sca": None, "date": None, "desc": desc}
                        owner["items"].append(item)
                        item["owner"] = owner
                        cur = item
                        tail = line[mi.end():]
                        for am in ATTR.finditer(tail):
                            v, _ = read_attr([tail], 0, am.end())
                            if am.group(1) == "sca":
                                item["sca"] = v
                    else:
                        cur = None
                elif m and header is not None:
                    rt, fn, colon, mn, ct, sz, oc, desc = m.groups()
                    if int(rt) in (1, 2, 10):
                        if ct not in CTYPES:  # "T10_VLL N" has no tab: the type ran into the name
                            ct, sz, oc = ct, sz, oc
                        rule = {"rtype": int(rt), "field": int(fn), "mnem": mn.split("_", 1)[1],
                                "ctype": ct, "size": rng(sz), "occ": rng(oc), "mand": header[0],
                                "opt": header[1], "values": None, "sca": None, "date": None,
                                "regex": None, "nregex": None, "maxlinelen": 0, "imt": None,
                                "items": [], "desc": desc}
                        rules.append(rule)
                        cur = rule
                    else:
                        cur = None
                elif cur is not None:
                    for am in ATTR.finditer(line):
                        name, cond = am.group(1), am.group(3)
                        v, i2 = read_attr(lines, i, am.end())
                        target = cur
                        if name == "mmap" and not v.startswith("file://"):
                            target["values"] = mmap_keys(v)  # file:// tables are not shipped
                        elif name == "sca":
                            target["sca"] = v
                        elif name == "date" and "rtype" not in target:
                            target["date"] = v
                        elif name in ("date", "regex", "nregex") and "rtype" in target:
                            target[name] = v
                        elif name == "maxlinelen" and "rtype" in target:
                            target["maxlinelen"] = int(v)
                        elif name == "supportedif" and cond == "T10_IMT" and "rtype" in target:
                            target["imt"] = v
                        if i2 != i:
                            i = i2
                            break
        i += 1
    return tots, rules


CT = {"A": "EBTS__CT_A", "N": "EBTS__CT_N", "AN": "EBTS__CT_AN", "ANS": "EBTS__CT_ANS",
      "AS": "EBTS__CT_AS", "NS": "EBTS__CT_NS", "B": "EBTS__CT_B", "": "EBTS__CT_ANS"}
DATES = {None: "EBTS__DATE_NONE", "CCYYMMDD": "EBTS__DATE_YMD", "ZCCYYMMDD": "EBTS__DATE_YMD_OR_ZERO",
         "YYYYMMDDhhmmssZ": "EBTS__DATE_GMT"}


def fmt_flags(r):
    f = []
    if r["regex"] == r"[0-9][0-9]\.[0-9][0-9]":
        f.append("EBTS__FMT_NN_NN")
    elif r["regex"] == "[^ ].*":
        f.append("EBTS__FMT_NO_LEADING_BLANK")
    elif r["regex"]:
        raise SystemExit("unknown regex %r" % r["regex"])
    if r["nregex"] == r".*\..*":
        f.append("EBTS__FMT_NO_PERIOD")
    elif r["nregex"]:
        raise SystemExit("unknown nregex %r" % r["nregex"])
    return " | ".join(f) or "0"


# Where IDENT's responses go beyond the Verification File: an SRE from IDENT carries a Type-10
# photo for each encounter that has one, and an IDR names up to five encounters (the FBI's
# published IDR/IAR samples; spec digest, section 8).
MAKEUP_OVERRIDES = {"SRE": "1:1 2:1 10:0-5"}


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else DEFAULT
    tots, rules = parse(path)
    out = ["/* Generated by tools/gen-rules.py from the facts of the OpenEBTS \"Verification File for",
           " * EBTS 9.1\" (IAFIS-DOC-01078-9.1; Apache-2.0), and the SRE's photos for IDENT's encounters",
           " * (MAKEUP_OVERRIDES). Do not edit: change the generator. */",
           '#include "rules.h"', ""]
    # lib/validate.c finds a field's rules by binary search: sorted by (type, field), stable so
    # that the TOT variants of a field keep their order
    rules.sort(key=lambda r: (r["rtype"], r["field"]))
    for r in rules:
        if r["items"]:
            name = "items_%d_%03d_%d" % (r["rtype"], r["field"], rules.index(r))
            r["items_name"] = name
            out.append("static const ebts__item_rule %s[] = {" % name)
            for it in r["items"]:
                out.append("    {%s, %s, %d, %d, %s, %s, %s, %s}," % (
                    c_str(it["mnem"]), CT[it["ctype"]], it["size"][0], it["size"][1],
                    c_str(it["values"]), c_str(it["sca"]), DATES[it["date"]], c_str(it["desc"])))
            out.append("};")
    out.append("")
    out.append("const ebts__field_rule ebts__rules_91[] = {")
    for r in rules:
        items = r.get("items_name", "NULL")
        out.append("    {%d, %d, %s, %s, %d, %d, %d, %d, %s, %s, %s, %s, %s, %s, %d, %s, %s, %d, %s}," % (
            r["rtype"], r["field"], c_str(r["mnem"]), CT[r["ctype"]], r["size"][0], r["size"][1],
            r["occ"][0], r["occ"][1], c_str(r["mand"]), c_str(r["opt"]), c_str(r["values"]),
            c_str(r["sca"]), DATES[r["date"]], fmt_flags(r), r["maxlinelen"], c_str(r["imt"]),
            items, len(r["items"]), c_str(r["desc"])))
    out.append("    {0}")
    out.append("};")
    out.append("const size_t ebts__rules_91_count = sizeof ebts__rules_91 / sizeof ebts__rules_91[0] - 1;")
    out.append("")
    out.append("const ebts__tot_rule ebts__tots_91[] = {")
    for code, desc, makeup, group in tots:
        makeup = MAKEUP_OVERRIDES.get(code, makeup)
        out.append("    {%s, %s, %s, %s}," % (c_str(code), c_str(desc), c_str(makeup), c_str(group)))
    out.append("    {0}")
    out.append("};")
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
