#!/usr/bin/env python3
"""Generate lib/xmlmap.c, the XML element <-> field tables, from the FBI's EBTS XML IEPDs.

Usage: tools/gen-xml-map.py DIR > lib/xmlmap.c
DIR holds one folder per version (10.0, 11.2), each with the FBI's per-TOT templates
(Template(TOT)....xml, anywhere below) and the XSDs.

What the templates give: each element that carries data, the field it belongs to (the comment
before it, "<!--NAM 2.018-->", "<!-- 1.017 DAN -->", "<!--MAK 2.067A-->", or a mnemonic alone
inside a field, "<!--APO-->", which names an item), the record element of each type, and the
schema's order of siblings (every template validates against its XSD). The XSDs give the
namespaces and which elements may repeat (maxOccurs), with repeats seen in the templates.

The tables, per version, are a tree of element nodes in depth-first order (a node's descendants
follow it), children sorted by name for lookup, each with its rank among its siblings in schema
order. A leaf node names its field, item and value conversion, and the ancestor that starts a
new subfield (rep) and, for items that repeat inside a subfield (polygon vertices), the ancestor
that starts a new group of them (grp). For the writer, the XSDs give each node's rank (its place
in its parent's content model), whether it is required, how often it may occur, the choice it
is an alternative of, and each leaf's simple type with its facets (a table of types). Python 3,
standard library only; the same inputs give the same bytes.
"""
import gzip
import os
import re
import sys
import xml.etree.ElementTree as ET

VERSIONS = ["10.0", "11.2"]
PREFIXES = {  # canonical prefix of each namespace the templates use
    "http://biometrics.nist.gov/standard/2011": "itl",
    "http://niem.gov/niem/biometrics/1.0": "ansi-nist",
    "http://publication.niem.gov/niem/domains/biometrics/4.0/1/": "biom",
    "http://niem.gov/niem/niem-core/2.0": "nc",
    "http://release.niem.gov/niem/niem-core/4.0/": "nc",
    "http://niem.gov/niem/domains/jxdm/4.1": "j",
    "http://release.niem.gov/niem/domains/jxdm/6.0/": "j",
    "http://cjis.fbi.gov/fbi_ebts/10.0": "ebts",
    "http://cjis.fbi.gov/fbi_ebts/11.2": "ebts",
}
# Fields of the binary records and record-level mnemonics, which some templates name without
# a number (ANSI/NIST-ITL 1-2011 Tables 8.4 and 8.7: Type-4 and Type-7 have the same layout).
BUILTIN_MNEMONICS = {
    "RCC": 1, "IDC": 2, "IMP": 3, "FGP": 4, "ISR": 5, "HLL": 6, "VLL": 7, "GCA": 8, "CGA": 8,
    "IMG": 9, "UTE": 998,
}
BUILTIN_RECORDS = {  # records whose templates name no field number
    "itl:PackageHighResolutionGrayscaleImageRecord": 4,
    "itl:PackageLegacyFingerprintImageRecord": 4,
    "itl:PackageUserDefinedImageRecord": 7,
}
# The order of a field's items, where the templates do not give it by letter (their document
# order is the schema's, not the standard's). Taken from the standard: EBTS (1.013 DOM, 1.015
# DCS: lib/rules_ebts91.c, after the EBTS 9.1 verification file; 2.017 MNU "XX-number", 2.023
# AGR, 2.028 HTR, 2.030 WTR minimum then maximum, 2.039 EAD and 2.041 RES one text item:
# /work/shared/spec/EBTS-DIGEST.md) and ANSI/NIST-ITL 1-2011 (the image and feature records).
# An item is one element ("A|B": the 10.0 or the 11.2 name; an element matches when it or an
# ancestor below the field's anchor has the name) or (separator, [parts]): parts joined in
# order by the separator into one item. Every leaf of a field listed here must match.
QUALITY = ["QualityValue",
           "QualityAlgorithmVendorIdentification|QualityAlgorithmVendorID"
           "|QualityMeasureVendorIdentification",
           "QualityAlgorithmProductIdentification|QualityAlgorithmProductID"]
RANGE = [("", ["RangeMinimumValue|RangeMinimumIntegerValue",
               "RangeMaximumValue|RangeMaximumIntegerValue"])]
ADDRESS = ["StreetNumberText", "StreetName", "LocationCityName",
           "LocationStateNCICLSTACode|LocationStateCode", "LocationPostalCode"]
POSITION = "FrictionRidgePositionCode|LatentFrictionRidgePositionCode|FingerPositionCode" \
           "|PalmPositionCode"
ITEM_ORDER = {
    (1, 13): ["TransactionDomainName", "DomainVersionNumberIdentification|DomainVersionNumberID"],
    (1, 15): ["CharacterSetIndexCode", "CharacterSetCommonNameCode",
              "CharacterSetVersionIdentification|CharacterSetVersionID"],
    (2, 17): [("-", ["PersonIDCategoryCode", "IdentificationID"])],
    (2, 23): RANGE, (2, 28): RANGE, (2, 30): RANGE,
    (2, 27): ["MeasurePointValue|MeasureIntegerValue"],
    (2, 29): ["MeasurePointValue|MeasureIntegerValue"],
    # the parts of an address joined as one writes it, "5021 OAK LEAF DRIVE, BUFFALO, NY 14204"
    # (the separator before each part), so that the writer finds them again
    (2, 39): [(["", ", ", " ", ", ", ", ", " "], ["OrganizationName"] + ADDRESS)],
    (2, 41): [(["", " ", ", ", ", ", " "], ADDRESS)],
    (9, 316): QUALITY, (10, 24): QUALITY, (17, 24): QUALITY,
    (13, 24): [POSITION] + QUALITY, (14, 23): [POSITION] + QUALITY,
    (14, 24): [POSITION] + QUALITY, (15, 24): [POSITION] + QUALITY,
    (10, 14): ["SegmentLeftHorizontalCoordinateValue", "SegmentRightHorizontalCoordinateValue",
               "SegmentTopVerticalCoordinateValue", "SegmentBottomVerticalCoordinateValue",
               "FaceImageBoundingCategoryCode"],
    (10, 25): ["PoseYawAngleMeasure", "PosePitchAngleMeasure", "PoseRollAngleMeasure",
               "PoseYawUncertaintyValue", "PosePitchUncertaintyValue", "PoseRollUncertaintyValue"],
    (10, 29): ["FeaturePointCategoryCode", "FeaturePointIdentification|FeaturePointID",
               "FeaturePointHorizontalCoordinateValue", "FeaturePointVerticalCoordinateValue"],
    (10, 32): ["FeaturePointCategoryCode", "FeaturePointIdentification|FeaturePointID",
               "FeaturePointHorizontalCoordinateValue", "FeaturePointVerticalCoordinateValue",
               "FeaturePointZCoordinateValue"],
    (10, 42): ["PhysicalFeatureCategoryCode", "PhysicalFeatureClassCode",
               "PhysicalFeatureSubClassCode", "PhysicalFeatureDescriptionText"],
    (13, 15): ["SegmentFingerViewCode", "SegmentLocationCode",
               "SegmentLeftHorizontalCoordinateValue", "SegmentRightHorizontalCoordinateValue",
               "SegmentTopVerticalCoordinateValue", "SegmentBottomVerticalCoordinateValue"],
    (14, 15): ["SegmentFingerViewCode", "SegmentLocationCode",
               "SegmentLeftHorizontalCoordinateValue", "SegmentRightHorizontalCoordinateValue",
               "SegmentTopVerticalCoordinateValue", "SegmentBottomVerticalCoordinateValue"],
    (14, 21): ["FingerPositionCode", "SegmentLeftHorizontalCoordinateValue",
               "SegmentRightHorizontalCoordinateValue", "SegmentTopVerticalCoordinateValue",
               "SegmentBottomVerticalCoordinateValue"],
    # the examiner's names are two items, surname first (ANSI/NIST-ITL 1-2011 9.350 MFD: FIE
    # FME FAV FAL ESN EGN EAF EMT NTS; 9.353 EAA: AAV ALN AFN AAF AMT ACM CXF; 9.362 ECD: EDC
    # EDE WIP ELN EFN EAF DTG CZZ CCF), not one "SURNAME,GIVEN" item
    (9, 350): ["MinutiaeFeatureDetectionFieldListText", "MinutiaeFeatureDetectionMethodCode",
               "MinutiaeAlgorithmVendorIdentification|MinutiaeAlgorithmVendorID",
               "MinutiaeAlgorithmIdentification|MinutiaeAlgorithmID", "PersonSurName",
               "PersonGivenName", "MinutiaeExaminerAffiliation|OrganizationName",
               "MinutiaeFeatureDetectionDateTime", "MinutiaeCommentText"],
    (9, 353): ["MinutiaeValueAssessmentResultCode", "PersonSurName", "PersonGivenName",
               "MinutiaeExaminerAffiliation", "MinutiaeValueAssessmentDateTime",
               "MinutiaeCommentText", "MinutiaeAnalysisComplexityCode"],
    (9, 362): ["ImageReferenceIdentification",
               "MinutiaeExaminerComparisonDeterminationResultCode", "MinutiaeExaminerProgressCode",
               "PersonSurName", "PersonGivenName", "MinutiaeExaminerAffiliation",
               "MinutiaeExaminerComparisonDeterminationDateTime", "MinutiaeCommentText",
               "MinutiaeComparisonComplexityCode"],
    # AKA: one name, SURNAME,GIVEN NAMES; EBTS 10.0's fourth and fifth names of the FBI's
    # ebts:PersonNameType (a tribal or village name) are given names after the middle one
    (2, 19): ["PersonGivenName|PersonMiddleName|PersonSurName|PersonFourthImportanceName"
              "|PersonFifthImportanceName"],
    # FGP's position in either of EBTS 10.0's places; PAT's finger number, then its pattern
    (2, 74): ["FrictionRidgePositionCode|FingerPositionCode"],
    (2, 34): ["FingerPositionCode", "FingerprintPatternClassificationCode"],
    (17, 16): ["IrisImageHorizontalOrientationCode", "IrisImageVerticalOrientationCode",
               "IrisImageScanCategoryCode"],
    (17, 998): ["CaptureUTCDateTime", "LatitudeDegreeValue", "LatitudeMinuteValue",
                "LatitudeSecondValue", "LongitudeDegreeValue", "LongitudeMinuteValue",
                "LongitudeSecondValue", "LocationGeographicElevation",
                "GeodeticDatumCoordinateSystemCode", "UTMGridZoneID", "UTMEastingValue",
                "UTMNorthingValue", "LocationDescriptionText", "GeographicLocationSystemName",
                "GeographicLocationText"],
}
# A print position descriptor (finger position, finger image code: ANSI/NIST-ITL 1-2011 13.014
# PPD) inside one item of 2.2028 BID (E), 2.2032 (G) and 2.2033: its two values are one item,
# joined by a space, which no finger image code holds.
PPD_ITEMS = {(2, 2028), (2, 2032), (2, 2033)}
PPD_PARTS = ["FingerPositionCode", "FingerImageCode|MajorCasePrintCode"]
# Alternatives of a choice the writer takes by a field's value: ANSI/NIST-ITL 1-2011 10.003 IMT
# FACE is a face image, any other value (SCAR, MARK, TATTOO...) a physical feature's.
BRANCH_WHEN = {"FaceImage": (3, "FACE")}
# Elements that hold a fixed companion of a field's value, not an item: the unit of 2.027 HGT
# and 2.029 WGT (EBTS: feet and inches, pounds). Read without a value; the writer sets them.
CONST_ELEMENTS = {(2, 27): {"MeasureUnitText"}, (2, 29): {"MeasureUnitText"}}

# Leaves whose field the version's templates leave ambiguous, by the trailing elements of their
# path: (record type, field, item letter or None, levels from the leaf up to the field's
# element). EBTS 10.0 puts the capture organisation's name inside SRC's element with no comment
# of its own: it is 10.993 SAN, as 11.2 says.
FIELD_OF = {
    "10.0": {("ansi-nist:CaptureOrganization", "nc:OrganizationName"): (10, 993, None, 0)},
}

# Leaves whose field the parent's other children decide, by the trailing elements of their path:
# (the child whose presence decides, record type, field, item). EBTS 10.0's finger entry,
# ebts:FingerprintImageFinger, holds FGP 2.074's position alone (ULM, SPN), or PAT 2.034's
# finger number beside its pattern code in ebts:RidgeCoreDelta (LFS, LSR, LPNQ: "2.034A");
# the pattern code is then an item of the entry's subfield.
FIELD_BY_CHILD = {
    "10.0": {("ebts:FingerprintImageFinger", "ansi-nist:FingerPositionCode"):
             ("ebts:RidgeCoreDelta", 2, 34, 0)},
}

NUM = re.compile(r"\b(\d{1,2})\.(\d{3,4})([A-Z]?)\b")
MNEMONIC = re.compile(r"^\s*([A-Z][A-Z0-9]{1,5})\s*$")
NUM_MNEMONIC = re.compile(r"^\s*(\d{1,2})\.(\d{3,4})\s+([A-Z][A-Z0-9]{1,5})\s*$")


def qname(tag):
    uri, local = tag[1:].split("}")
    return PREFIXES[uri] + ":" + local


def parse(path):
    tb = ET.TreeBuilder(insert_comments=True)
    parser = ET.XMLParser(target=tb)
    with gzip.open(path, "rb") as f:
        parser.feed(f.read())
    return parser.close()


def is_elem(n):
    return isinstance(n.tag, str)


class Ann:
    """A field context: record type, field, item name (a letter or a mnemonic), anchor path."""

    def __init__(self, rtype, field, item, anchor):
        self.rtype, self.field, self.item, self.anchor = rtype, field, item, anchor


def comment_ann(text, ctx, rtype_guess):
    """The context a comment opens, or None when it names no field."""
    m = NUM_MNEMONIC.match(text)
    if m:
        return (int(m.group(1)), int(m.group(2)), m.group(3))
    m = NUM.search(text)
    if m and not re.search(r"\bType[- ]?\d", text):
        return (int(m.group(1)), int(m.group(2)), m.group(3) or None)
    m = MNEMONIC.match(text)
    if m:
        mn = m.group(1)
        if ctx is not None:
            return (ctx.rtype, ctx.field, mn)
        if mn in BUILTIN_MNEMONICS and rtype_guess:
            return (rtype_guess, BUILTIN_MNEMONICS[mn], None)
    return None


class Version:
    def __init__(self, name):
        self.name = name
        self.records = {}  # record element qname -> type
        self.leaves = {}  # full path tuple -> dict(field, rtype, itemname, anchor, values)
        self.sibling_seqs = {}  # parent path -> list of child-name sequences
        self.repeated = set()  # full paths seen twice under one parent
        self.conflicts = []
        self.namespaces = {}
        self.empty = set()

    def add_template(self, path):
        root = parse(path)
        for k, v in root.attrib.items():
            pass
        for uri, pre in PREFIXES.items():
            pass
        for rec in root:
            if not is_elem(rec):
                continue
            self.walk_record(rec)

    def record_type(self, rec):
        for n in rec:
            if is_elem(n) and n.tag.endswith("}RecordCategoryCode") and (n.text or "").strip().isdigit():
                return int(n.text)
        if qname(rec.tag) in BUILTIN_RECORDS:
            return BUILTIN_RECORDS[qname(rec.tag)]
        for n in rec.iter():
            if not is_elem(n):
                m = NUM.search(n.text or "")
                if m:
                    return int(m.group(1))
        return None

    def walk_record(self, rec):
        rq = qname(rec.tag)
        rtype = self.record_type(rec)
        if rtype is None:
            rtype = self.records.get(rq)
        if rtype is None:
            self.conflicts.append("record %s: no type" % rq)
            return
        old = self.records.setdefault(rq, rtype)
        if old != rtype:
            self.conflicts.append("record %s: type %d and %d" % (rq, old, rtype))
        self.walk(rec, (rq,), None, rtype)

    def walk(self, node, path, ctx, rtype):
        seq, counts = [], {}
        pending, prev_ctx, prev_name = None, None, None
        for c in node:
            if not is_elem(c):
                if c.tag is ET.Comment:
                    a = comment_ann(c.text or "", ctx, rtype)
                    if a:
                        pending = a
                continue
            q = qname(c.tag)
            if not seq or seq[-1] != q:
                seq.append(q)
            counts[q] = counts.get(q, 0) + 1
            if counts[q] == 2:
                self.repeated.add(path + (q,))
            leaf = len([x for x in c if is_elem(x)]) == 0
            explicit = pending is not None
            if pending:
                rt, f, item = pending
                if ctx is not None and (rt, f) == (ctx.rtype, ctx.field):
                    cctx = Ann(rt, f, item or ctx.item, ctx.anchor)
                else:
                    cctx = Ann(rt, f, item, path + (q,))
            elif prev_ctx is not None and (q == prev_name or leaf) and prev_ctx is not ctx:
                cctx = Ann(prev_ctx.rtype, prev_ctx.field, None, path + (q,)) \
                    if prev_ctx.anchor != path + (q,) and q != prev_name else prev_ctx
            else:
                cctx = ctx
            pending = None
            prev_ctx, prev_name = cctx, q
            if leaf:
                text = (c.text or "").strip()
                if text:
                    self.add_leaf(path + (q,), cctx, text, explicit)
                else:  # known to the schema, holds nothing here: read without a finding
                    self.empty.add(path + (q,))
            else:
                self.walk(c, path + (q,), cctx, rtype)
        self.sibling_seqs.setdefault(path, []).append(seq)

    def add_leaf(self, p, ctx, text, explicit):
        """One vote for the leaf's field: a comment right before it counts more than one it
        inherits from a sibling or an ancestor (templates differ; most agree)."""
        e = self.leaves.get(p)
        if e is None:
            self.leaves[p] = e = {"votes": {}, "values": set(), "counts": {},
                                  "seq": len(self.leaves)}
        e["values"].add(text)
        e["counts"][text] = e["counts"].get(text, 0) + 1
        if ctx is not None:
            key = (ctx.rtype, ctx.field, ctx.item, ctx.anchor)
            e["votes"][key] = e["votes"].get(key, 0) + (3 if explicit else 1)

    def settle(self):
        for p in list(self.leaves):
            e = self.leaves[p]
            if not e["votes"]:
                self.conflicts.append("no field for %s" % "/".join(p))
                del self.leaves[p]
                continue
            best = sorted(e["votes"].items(), key=lambda kv: (-kv[1], kv[0][0], kv[0][1],
                                                               str(kv[0][2]), kv[0][3]))
            (e["rtype"], e["field"], e["item"], e["anchor"]), _ = best[0]
            for tail, (rt, f, item, up) in FIELD_OF.get(self.name, {}).items():
                if p[-len(tail):] == tail and rt == e["rtype"]:
                    e["field"], e["item"], e["anchor"] = f, item, p[:len(p) - up]


def xsd_repeatable(xsd_dir):
    """Qualified names of elements some XSD declares or references with maxOccurs above 1."""
    out = set()
    xs = "{http://www.w3.org/2001/XMLSchema}"
    for dirpath, _, files in sorted(os.walk(xsd_dir)):
        for fn in sorted(files):
            if not fn.endswith(".xsd"):
                continue
            tree = ET.parse(os.path.join(dirpath, fn))
            root = tree.getroot()
            tns = root.get("targetNamespace")
            nsmap = {}
            for _, (pre, uri) in ET.iterparse(os.path.join(dirpath, fn), events=["start-ns"]):
                nsmap[pre] = uri
            for el in root.iter(xs + "element"):
                mx = el.get("maxOccurs")
                if mx not in ("unbounded",) and not (mx and mx.isdigit() and int(mx) > 1):
                    continue
                ref = el.get("ref")
                if ref and ":" in ref:
                    pre, local = ref.split(":", 1)
                    uri = nsmap.get(pre)
                elif el.get("name"):
                    uri, local = tns, el.get("name")
                else:
                    continue
                if uri in PREFIXES:
                    out.add(PREFIXES[uri] + ":" + local)
    return out


# ---------------------------------------------------------------------------------- the XSDs
# What the writer needs of the schema: each element's place among its siblings (the content
# model's order), whether it is required (minOccurs, required choices), how often it may occur,
# and the simple type of each leaf's text (base type and facets), so that the writer can say
# when a value falls outside it. Only what these XSDs use is modelled: sequences and choices,
# element references and local elements, complexContent extension and restriction,
# simpleContent, substitution groups, simple types by restriction and union.

XS = "{http://www.w3.org/2001/XMLSchema}"
UNBOUNDED = 0


class Schema:
    def __init__(self, xsd_dir):
        self.elements, self.ctypes, self.stypes, self.subst = {}, {}, {}, {}
        for dirpath, _, files in sorted(os.walk(xsd_dir)):
            for fn in sorted(files):
                if fn.endswith(".xsd"):
                    self.load(os.path.join(dirpath, fn))

    def load(self, path):
        nsmap = {}
        for _, (pre, uri) in ET.iterparse(path, events=["start-ns"]):
            nsmap.setdefault(pre, uri)
        root = ET.parse(path).getroot()
        tns = root.get("targetNamespace")
        for c in root:
            name = c.get("name")
            if not name:
                continue
            if c.tag == XS + "element":
                self.elements[(tns, name)] = (c, nsmap, tns)
                for h in (c.get("substitutionGroup") or "").split():
                    self.subst.setdefault(self.res(h, nsmap), []).append((tns, name))
            elif c.tag == XS + "complexType":
                self.ctypes[(tns, name)] = (c, nsmap, tns)
            elif c.tag == XS + "simpleType":
                self.stypes[(tns, name)] = (c, nsmap, tns)

    @staticmethod
    def res(q, nsmap):
        pre, local = q.split(":", 1) if ":" in q else ("", q)
        return (nsmap.get(pre), local)

    def members(self, head):
        """The element and every element that may stand for it, transitively."""
        out, todo = [], [head]
        while todo:
            e = todo.pop(0)
            if e not in out:
                out.append(e)
                todo.extend(self.subst.get(e, []))
        return out

    def elem_type(self, decl):
        node, nsmap, tns = decl
        if node.get("type"):
            q = self.res(node.get("type"), nsmap)
            if q in self.ctypes:
                return ("c", self.ctypes[q])
            if q in self.stypes:
                return ("s", self.stypes[q])
            return ("b", q[1])
        for c in node:
            if c.tag == XS + "complexType":
                return ("c", (c, nsmap, tns))
            if c.tag == XS + "simpleType":
                return ("s", (c, nsmap, tns))
        return ("b", "anyType")

    def particles(self, ctype):
        """A complex type's content model: ("seq"|"choice", min, max, [particles]),
        ("elem", min, max, qname) or ("any", min, max); None for text-only content."""
        node, nsmap, tns = ctype
        for c in node:
            if c.tag == XS + "simpleContent":
                return None
            if c.tag == XS + "complexContent":
                for d in c:
                    if d.tag == XS + "restriction":
                        return self.group_of(d, nsmap, tns)
                    if d.tag == XS + "extension":
                        base = self.res(d.get("base"), nsmap)
                        parts = [self.particles(self.ctypes[base]) if base in self.ctypes else None,
                                 self.group_of(d, nsmap, tns)]
                        return ("seq", 1, 1, [p for p in parts if p is not None])
        return self.group_of(node, nsmap, tns)

    def group_of(self, node, nsmap, tns):
        for c in node:
            if c.tag in (XS + "sequence", XS + "choice"):
                return self.particle(c, nsmap, tns)
        return None

    def particle(self, c, nsmap, tns):
        mn = int(c.get("minOccurs", "1"))
        mx = c.get("maxOccurs", "1")
        mx = UNBOUNDED if mx == "unbounded" else int(mx)
        if c.tag in (XS + "sequence", XS + "choice"):
            kids = [self.particle(d, nsmap, tns) for d in c
                    if d.tag in (XS + "sequence", XS + "choice", XS + "element", XS + "any")]
            return ("seq" if c.tag == XS + "sequence" else "choice", mn, mx, kids)
        if c.tag == XS + "element":
            if c.get("ref"):
                return ("elem", mn, mx, self.res(c.get("ref"), nsmap))
            q = (tns, c.get("name"))
            self.elements.setdefault(q, (c, nsmap, tns))
            return ("elem", mn, mx, q)
        return ("any", mn, mx)

    def find(self, ptree, q, pos=(), mn=1, mx=1, choice=None):
        """Where element q may stand in a content model: (position, minOccurs, maxOccurs, the
        innermost choice it is an alternative of: (its position, the branch, whether the choice
        is required, whether it repeats), or None), minOccurs and maxOccurs through the groups
        around it (0 = unbounded)."""
        kind = ptree[0]
        if kind == "elem":
            if q in self.members(ptree[3]):
                yield (pos, mn * ptree[1], mul(mx, ptree[2]), choice)
            return
        if kind == "any":
            return
        _, pmin, pmax, kids = ptree
        for i, k in enumerate(kids):
            if kind == "choice":
                c = (pos, i, mn * pmin >= 1, mul(mx, pmax) != 1)
                yield from self.find(k, q, pos + (i,), 0, mul(mx, pmax), c)
            else:
                yield from self.find(k, q, pos + (i,), mn * pmin, mul(mx, pmax), choice)

    # simple types: {"base", "ws", "enum", "pat", "minlen", "maxlen", "min", "max", "minx",
    # "maxx", "members"}
    def simple_of(self, t):
        """The simple type of a type's text, or None when it holds elements only."""
        kind, key = t
        if kind == "b":
            return builtin(key)
        if kind == "s":
            return self.simple_type(key)
        node, nsmap, tns = key
        for c in node:
            if c.tag == XS + "simpleContent":
                for d in c:
                    if d.tag in (XS + "extension", XS + "restriction"):
                        base = self.res(d.get("base"), nsmap)
                        st = self.simple_of(self.type_of(base))
                        return facets(st, d) if d.tag == XS + "restriction" else st
        return None

    def type_of(self, q):
        if q in self.ctypes:
            return ("c", self.ctypes[q])
        if q in self.stypes:
            return ("s", self.stypes[q])
        return ("b", q[1])

    def simple_type(self, key):
        node, nsmap, tns = key
        for d in node:
            if d.tag == XS + "restriction":
                if d.get("base"):
                    st = self.simple_of(self.type_of(self.res(d.get("base"), nsmap)))
                else:
                    st = self.simple_type((d.find(XS + "simpleType"), nsmap, tns))
                return facets(st, d)
            if d.tag == XS + "union":
                members = [self.simple_of(self.type_of(self.res(m, nsmap)))
                           for m in (d.get("memberTypes") or "").split()]
                members += [self.simple_type((s, nsmap, tns)) for s in d.findall(XS + "simpleType")]
                return dict(NO_FACETS, base="UNION", members=members)
            if d.tag == XS + "list":
                return dict(NO_FACETS, base="STRING")
        return dict(NO_FACETS, base="STRING")


def mul(a, b):
    return UNBOUNDED if a == UNBOUNDED or b == UNBOUNDED else a * b


NO_FACETS = {"base": "STRING", "ws": 0, "enum": None, "pat": [], "minlen": -1, "maxlen": -1,
             "min": None, "max": None, "minx": 0, "maxx": 0, "fracdig": -1, "members": []}
BUILTIN = {  # XSD built-in types: (base, whiteSpace 0 preserve/1 replace/2 collapse, min, max)
    "string": ("STRING", 0), "normalizedString": ("STRING", 1), "anySimpleType": ("STRING", 0),
    "anyType": ("STRING", 0), "anyURI": ("STRING", 2), "QName": ("STRING", 2),
    "boolean": ("BOOLEAN", 2), "date": ("DATE", 2), "dateTime": ("DATETIME", 2),
    "time": ("TIME", 2), "gYear": ("GYEAR", 2), "gYearMonth": ("GYEARMONTH", 2),
    "decimal": ("DECIMAL", 2), "double": ("DOUBLE", 2), "float": ("DOUBLE", 2),
    "duration": ("DURATION", 2), "base64Binary": ("BASE64", 2), "hexBinary": ("HEX", 2),
    "integer": ("INTEGER", 2, None, None),
    "nonNegativeInteger": ("INTEGER", 2, "0", None), "positiveInteger": ("INTEGER", 2, "1", None),
    "nonPositiveInteger": ("INTEGER", 2, None, "0"), "negativeInteger": ("INTEGER", 2, None, "-1"),
    "long": ("INTEGER", 2, "-9223372036854775808", "9223372036854775807"),
    "int": ("INTEGER", 2, "-2147483648", "2147483647"), "short": ("INTEGER", 2, "-32768", "32767"),
    "byte": ("INTEGER", 2, "-128", "127"),
    "unsignedLong": ("INTEGER", 2, "0", "18446744073709551615"),
    "unsignedInt": ("INTEGER", 2, "0", "4294967295"), "unsignedShort": ("INTEGER", 2, "0", "65535"),
    "unsignedByte": ("INTEGER", 2, "0", "255"),
}
TOKENS = {"token", "language", "Name", "NCName", "ID", "IDREF", "NMTOKEN", "ENTITY"}


def builtin(name):
    if name in TOKENS:
        return dict(NO_FACETS, base="STRING", ws=2)
    if name not in BUILTIN:
        sys.exit("XSD built-in type %s is not modelled" % name)
    b = BUILTIN[name]
    st = dict(NO_FACETS, base=b[0], ws=b[1])
    if len(b) > 2:
        st["min"], st["max"] = b[2], b[3]
    return st


def facets(st, d):
    """st narrowed by the facets of restriction d."""
    st = dict(st, pat=list(st["pat"]))
    enum, pats = [], []
    for f in d:
        tag, val = f.tag[len(XS):], f.get("value")
        if tag == "enumeration":
            enum.append(val)
        elif tag == "pattern":
            pats.append(val)
        elif tag == "length":
            st["minlen"] = st["maxlen"] = int(val)
        elif tag == "minLength":
            st["minlen"] = max(st["minlen"], int(val))
        elif tag == "maxLength":
            st["maxlen"] = int(val) if st["maxlen"] < 0 else min(st["maxlen"], int(val))
        elif tag in ("minInclusive", "minExclusive"):
            if st["min"] is None or float(val) >= float(st["min"]):
                st["min"], st["minx"] = val, int(tag == "minExclusive")
        elif tag in ("maxInclusive", "maxExclusive"):
            if st["max"] is None or float(val) <= float(st["max"]):
                st["max"], st["maxx"] = val, int(tag == "maxExclusive")
        elif tag == "whiteSpace":
            st["ws"] = {"preserve": 0, "replace": 1, "collapse": 2}[val]
        elif tag == "fractionDigits":
            st["fracdig"] = int(val) if st["fracdig"] < 0 else min(st["fracdig"], int(val))
        elif tag == "totalDigits":
            sys.exit("XSD facet %s is not modelled" % tag)
    if enum:
        st["enum"] = enum
    if pats:  # the patterns of one step are alternatives; each step's must hold
        st["pat"].append("|".join("(%s)" % p for p in pats) if len(pats) > 1 else pats[0])
    return st


def xsd_annotate(v, xsd_dir):
    """Each node's place in its parent's content model (rank in schema order), minOccurs,
    maxOccurs and required choice; each leaf's simple type."""
    S = Schema(xsd_dir)
    uri = dict(v.ns)
    decl = []
    for i, n in enumerate(v.nodes):
        pre, local = n["name"].split(":")
        q = (uri[pre], local)
        n["min"], n["max"], n["choice"], n["pos"], n["stype"] = 0, 1, None, (), None
        if n["parent"] < 0:
            pt = S.particles(S.elem_type(S.elements[(uri["itl"], ROOT)])[1])
            hits = list(S.find(pt, q))
        else:
            pd = decl[n["parent"]]
            pt = S.particles(S.elem_type(pd)[1]) if pd else None
            hits = list(S.find(pt, q)) if pt else []
        if not hits:
            sys.exit("%s: %s is not in its parent's content model" % (v.name, n["name"]))
        n["pos"], n["min"], n["max"], n["choice"] = hits[0]
        d = S.elements.get(q)
        decl.append(d)
        if n["leaf"] and n["leaf"]["conv"] not in ("NONE",):
            n["stype"] = S.simple_of(S.elem_type(d))
    for i, n in enumerate(v.nodes):  # rank: schema order, template order among alternatives
        kids = [k for k in range(n["first"], n["end"]) if v.nodes[k]["parent"] == i]
        for r, k in enumerate(sorted(kids, key=lambda k: (v.nodes[k]["pos"], v.nodes[k]["rank"]))):
            v.nodes[k]["rank"] = r
    roots = [k for k, n in enumerate(v.nodes) if n["parent"] < 0]
    for r, k in enumerate(sorted(roots, key=lambda k: (v.nodes[k]["pos"], v.nodes[k]["rank"]))):
        v.nodes[k]["rank"] = r
    # a choice: its alternatives share the index of the first (by rank) in the table, and say
    # their branch; one the schema requires makes them min 2; a repeated one lets branches mix
    for i, n in enumerate(v.nodes + [{"first": 0, "end": len(v.nodes), "parent": None}]):
        kids = [k for k in range(n["first"], n["end"]) if v.nodes[k]["parent"] ==
                (i if n["parent"] is not None else -1)]
        groups = {}
        for k in sorted(kids, key=lambda k: v.nodes[k]["rank"]):
            c = v.nodes[k]["choice"]
            if c is not None and (c[2] or not c[3]):
                groups.setdefault(c[0], []).append(k)
        for ks in groups.values():
            for k in ks:
                c = v.nodes[k]["choice"]
                v.nodes[k]["alt"] = ks[0]
                v.nodes[k]["branch"] = -1 if c[3] else c[1]
                if c[2]:
                    v.nodes[k]["min"] = 2
    for n in v.nodes:
        n.setdefault("alt", -1)
        n.setdefault("branch", -1)


ROOT = "NISTBiometricInformationExchangePackage"


def topo(seqs):
    """One order of the names consistent with every sequence (first seen wins ties)."""
    names, edges, indeg = [], {}, {}
    for s in seqs:
        for n in s:
            if n not in indeg:
                names.append(n)
                indeg[n] = 0
                edges[n] = []
        for a, b in zip(s, s[1:]):
            if a != b and b not in edges[a]:
                edges[a].append(b)
                indeg[b] += 1
    out, ready = [], [n for n in names if indeg[n] == 0]
    while ready:
        n = ready.pop(0)
        out.append(n)
        for b in edges[n]:
            indeg[b] -= 1
            if indeg[b] == 0:
                ready.append(b)
    for n in names:  # a cycle: keep first-seen order for the rest
        if n not in out:
            out.append(n)
    return out


CONV = ["TEXT", "DATE", "DATETIME", "BOOL", "BASE64", "GIVEN", "MIDDLE", "SUR", "VER_MAJ",
        "VER_MIN", "CNT", "RCC", "CONST", "INT2", "CGA", "TOKEN", "PCT", "FOURTH", "FIFTH"]
NAME_PARTS = {"nc:PersonGivenName": "GIVEN", "nc:PersonMiddleName": "MIDDLE",
              "nc:PersonSurName": "SUR", "ebts:PersonFourthImportanceName": "FOURTH",
              "ebts:PersonFifthImportanceName": "FIFTH"}


def conversion(p, e):
    last = p[-1]
    vals = e["values"]
    if e["field"] == 1:
        return "RCC"
    if e["rtype"] == 1 and e["field"] == 3:
        return "CNT"
    if e["rtype"] == 1 and e["field"] == 2:
        return "VER_MAJ" if "Major" in last else "VER_MIN"
    if last in ("nc:BinaryBase64Object", "nc:Base64BinaryObject"):
        return "BASE64"
    if vals <= {"true", "false"}:
        return "BOOL"
    if all(re.fullmatch(r"\d{4}-\d\d-\d\d", v) for v in vals):
        return "DATE"
    if all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", v) for v in vals):
        return "DATETIME"
    if last in NAME_PARTS:
        return NAME_PARTS[last]
    return "TEXT"


# Finger positions EBTS writes in two digits (2.057 FNR, 2.074 FGP N 2; the position of 2.034
# PAT, 2.072 FIU and 2.084 AMP: /work/shared/spec/EBTS-DIGEST.md), the XSD as an integer.
TWO_DIGITS = {(2, 34), (2, 57), (2, 72), (2, 74), (2, 84)}


# Percents EBTS writes in digits (2.078 PEN: /work/shared/spec/EBTS-DIGEST.md), an XSD as a
# fraction of one (EBTS 10.0's nc:PercentageType, a decimal from 0 to 1).
PERCENTS = {(2, 78)}


def integer_type(st):
    """Can a value of the simple type be an integer (a union: of one of its members)?"""
    if st["base"] == "UNION":
        return any(integer_type(m) for m in st["members"])
    return st["base"] == "INTEGER"


def collapsed(st):
    """Does the simple type collapse white space (xs:token), every member of a union?"""
    if st["base"] == "UNION":
        return bool(st["members"]) and all(collapsed(m) for m in st["members"])
    return st["base"] == "STRING" and st["ws"] == 2


def type_conversion(n):
    """A text leaf's conversion by its XSD type: the schema's boolean is EBTS's Y/N; EBTS writes
    a Type-2 finger position in two digits, the XSD as an integer; EBTS 11.2 codes a
    compression algorithm by its number, the traditional encoding by its label (ANSI/NIST-ITL
    1-2011 Table 15); EBTS's percent is a fraction of one where the schema says so; a string whose type collapses white space reads as the schema reads it."""
    e, st = n["leaf"], n["stype"]
    if not e or e["conv"] != "TEXT" or not st:
        return e["conv"] if e else None
    local = n["name"].split(":")[1]
    if st["base"] == "BOOLEAN":
        return "BOOL"
    if integer_type(st) and (e["rtype"], e["field"]) in TWO_DIGITS:
        return "INT2"
    if st["base"] == "DECIMAL" and st["max"] == "1" and (e["rtype"], e["field"]) in PERCENTS:
        return "PCT"
    if integer_type(st) and e["rtype"] >= 10 and local == "ImageCompressionAlgorithmCode":
        return "CGA"
    if collapsed(st):
        return "TOKEN"
    return "TEXT"


def build(v, xsd_rep):
    """Leaves -> per-leaf (field, item, conv, rep path, grp path)."""
    def repeatable(p):
        return p in v.repeated or p[-1] in xsd_rep and p in v.repeated_any

    v.repeated_any = set(v.repeated)
    byfield = {}
    for p in sorted(v.leaves, key=lambda p: v.leaves[p]["seq"]):
        e = v.leaves[p]
        e["conv"] = conversion(p, e)
        byfield.setdefault((e["rtype"], e["field"]), []).append(p)
    for key, paths in byfield.items():
        # rep: the topmost element at or below an anchor, seen repeated, over every leaf
        common = os.path.commonprefix([list(p) for p in paths])
        anchors = {v.leaves[p]["anchor"] for p in paths}
        rep = None
        for i in range(min(len(a) for a in anchors), len(common) + 1):
            if tuple(common[:i]) in v.repeated:
                rep = tuple(common[:i])
                break
        for p in paths:
            e = v.leaves[p]
            e["rep"] = rep if rep else e["anchor"]
            e["grp"] = None
            for i in range(len(e["rep"]) + 1, len(p) + 1):
                if p[:i] in v.repeated:
                    e["grp"] = p[:i]
                    break
        # items: by the order table, or lettered ones by their letter, then the others in
        # order; names share one
        head = [p for p in paths if v.leaves[p]["grp"] is None]
        tail = [p for p in paths if v.leaves[p]["grp"] is not None]
        taken, slot = {}, {}
        for p in paths:
            v.leaves[p]["part"], v.leaves[p]["sep"] = 0, ""
        if key in CONST_ELEMENTS:
            for p in list(head):
                if p[-1].split(":")[1] in CONST_ELEMENTS[key]:
                    v.leaves[p]["conv"] = "CONST"
                    slot[p] = 0
                    head.remove(p)
        if key in ITEM_ORDER:
            for p in head:
                slot[p] = ordered_slot(v, key, p)
                taken[slot[p]] = p
        for p in head:
            if p in slot:
                continue
            it = v.leaves[p]["item"]
            if it and len(it) == 1:
                slot[p] = ord(it) - ord("A")
                taken[slot[p]] = p
        nxt = 0
        name_slot = None
        byrel = {}  # the same element below the same anchor, in another subtree: one item
        for p in head:
            if p in slot:
                continue
            rel = p[len(v.leaves[p]["anchor"]) - 1:]
            if rel in byrel:
                slot[p] = byrel[rel]
                continue
            if v.leaves[p]["conv"] in ("GIVEN", "MIDDLE", "SUR") and p[:-1] == \
                    (name_slot[0] if name_slot else None):
                slot[p] = name_slot[1]
                byrel[rel] = slot[p]
                continue
            while nxt in taken:
                nxt += 1
            slot[p] = nxt
            taken[nxt] = p
            byrel[rel] = nxt
            if v.leaves[p]["conv"] in ("GIVEN", "MIDDLE", "SUR"):
                name_slot = (p[:-1], nxt)
        if key[0] == 1 and key[1] == 2:
            for p in head:
                slot[p] = 0
        if key in PPD_ITEMS:
            for p in head:
                if p[-2].endswith(":PrintPositionDescriptors"):
                    k = [i for i, alt in enumerate(PPD_PARTS) if p[-1].split(":")[1] in alt.split("|")]
                    v.leaves[p]["part"], v.leaves[p]["sep"] = k[0], " "
        base = max(list(taken) + [-1]) + 1
        for k, p in enumerate(tail):
            slot[p] = k
        for p in paths:
            e = v.leaves[p]
            e["slot"] = slot[p]
            e["tail_base"] = base if tail else 0
            e["tail_len"] = len(tail)
        # name parts make one item "SURNAME,GIVEN MIDDLE" only with both a surname and a given
        # name in it; a lone part is text
        names = [p for p in head if v.leaves[p]["conv"] in ("GIVEN", "MIDDLE", "SUR", "FOURTH",
                                                             "FIFTH")]
        for p in names:
            same = {v.leaves[q]["conv"] for q in names if v.leaves[q]["slot"] == v.leaves[p]["slot"]}
            if not {"GIVEN", "SUR"} <= same:
                v.leaves[p]["conv"] = "TEXT"


def by_child(v):
    """FIELD_BY_CHILD: each such leaf's other field, and that field's other leaves below the
    same parent made items of the parent's subfield (its rep)."""
    for p, e in v.leaves.items():
        e["by_child"] = None
        for tail, (child, rt, f, item) in FIELD_BY_CHILD.get(v.name, {}).items():
            if p[-len(tail):] != tail:
                continue
            e["by_child"] = (p[:-1] + (child,), rt, f, item)
            for q, o in v.leaves.items():
                if q != p and q[:len(p) - 1] == p[:-1] and (o["rtype"], o["field"]) == (rt, f):
                    o["rep"], o["grp"] = p[:-1], None


def ordered_slot(v, key, p):
    """The item of leaf p by the order table (and its part and separator, when it is one)."""
    below = [x.split(":")[1] for x in p[len(v.leaves[p]["anchor"]) - 1:]]
    for i, it in enumerate(ITEM_ORDER[key]):
        sep, parts = it if isinstance(it, tuple) else ("", [it])
        for k, alt in enumerate(parts):
            if any(n in alt.split("|") for n in below):
                v.leaves[p]["part"] = k
                v.leaves[p]["sep"] = sep[k] if isinstance(sep, list) else sep
                return i
    sys.exit("%s: %d.%03d: %s is in no item of the order table" % (v.name, key[0], key[1],
                                                                    "/".join(p)))


def c_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def c_strs(xs):
    """A NULL-terminated array initializer, wrapped at 100 columns."""
    lines, line = [], "   "
    for x in [c_str(x) for x in xs] + ["NULL"]:
        if len(line) + len(x) + 2 > 100:
            lines.append(line)
            line = "   "
        line += " " + x + ","
    lines.append(line[:-1])
    return "{\n" + "\n".join(lines) + "}"


def type_table(v):
    """The leaves' simple types, each once, members of unions first: (types, index of each)."""
    types, index = [], {}

    def key(st):
        return repr(sorted((k, x if k != "members" else [key(m) for m in x])
                           for k, x in st.items()))

    def add(st):
        k = key(st)
        if k not in index:
            members = [add(m) for m in st["members"]]
            index[k] = len(types)
            types.append(dict(st, member_ix=members))
        return index[k]

    for n in v.nodes:
        n["type"] = add(n["stype"]) if n["stype"] else -1
    return types


BASES = ["STRING", "BOOLEAN", "DATE", "DATETIME", "TIME", "GYEAR", "GYEARMONTH", "DECIMAL",
         "INTEGER", "DOUBLE", "DURATION", "BASE64", "HEX", "UNION"]


def emit(versions, out):
    w = out.write
    w("/* The XML element <-> field tables of the FBI's EBTS XML encodings, EBTS 10.0 and 11.2.\n")
    w(" *\n * Generated by tools/gen-xml-map.py from the FBI's EBTS 10.0 and 11.2 XML IEPDs\n")
    w(" * (fixtures/ebts-xml/: the per-TOT templates and the XSDs); do not edit, regenerate:\n")
    w(" *   python3 tools/gen-xml-map.py fixtures/ebts-xml > lib/xmlmap.c\n */\n")
    w('#include <stddef.h>\n#include "xmlmap.h"\n\n')
    for v in versions:
        sym = "v" + v.name.replace(".", "")
        types = type_table(v)
        strs = {}
        for t in types:
            for k in ("enum", "pat"):
                if t[k] and tuple(t[k]) not in strs:
                    strs[tuple(t[k])] = "%s_s%d" % (sym, len(strs))
                    w("static const char *const %s[] = %s;\n" % (strs[tuple(t[k])], c_strs(t[k])))
        for i, t in enumerate(types):
            if t["member_ix"]:
                w("static const int %s_u%d[] = {%s, -1};\n" % (
                    sym, i, ", ".join(str(m) for m in t["member_ix"])))
        w("\nstatic const ebts__xtype %s_types[] = {\n" % sym)
        for i, t in enumerate(types):
            w("    {EBTS__XB_%s, %d, %s, %s, %d, %d, %s, %s, %d, %d, %d, %s}, /* %d */\n" % (
                t["base"], t["ws"], strs[tuple(t["enum"])] if t["enum"] else "NULL",
                strs[tuple(t["pat"])] if t["pat"] else "NULL", t["minlen"], t["maxlen"],
                c_str(t["min"]) if t["min"] is not None else "NULL",
                c_str(t["max"]) if t["max"] is not None else "NULL", t["minx"], t["maxx"],
                t["fracdig"], "%s_u%d" % (sym, i) if t["member_ix"] else "NULL", i))
        w("};\n\n")
        nodes = v.nodes
        w("static const ebts__xnode %s_nodes[] = {\n" % sym)
        for i, n in enumerate(nodes):
            e = n["leaf"]
            when = BRANCH_WHEN.get(n["name"].split(":")[1]) if n["alt"] >= 0 else None
            tail = "%d, %d, %d, %d, %d, %s, %d, %s, %d, %d, %d" % (
                n["min"], n["max"], n["alt"], n["branch"], n["type"], c_str(n.get("value", "")),
                when[0] if when else 0, c_str(when[1] if when else ""),
                *n.get("by_child", (-1, 0, 0)))
            if e:
                w("    {%d, %d, %d, %d, %s, %d, %d, %d, %d, %d, %d, EBTS__XC_%s, %d, %d, %d, %s,\n"
                  "     %s}, /* %d */\n" % (
                      n["parent"], n["first"], n["nchild"], n["end"], c_str(n["name"]), n["rank"],
                      e["rtype"], e["field"], e["slot"], e["tail_base"], e["tail_len"], e["conv"],
                      n["rep"], n["grp"], e["part"], c_str(e["sep"]), tail, i))
            else:
                w("    {%d, %d, %d, %d, %s, %d, %d, 0, 0, 0, 0, EBTS__XC_NONE, -1, -1, 0, \"\",\n"
                  "     %s}, /* %d */\n" % (
                    n["parent"], n["first"], n["nchild"], n["end"], c_str(n["name"]), n["rank"],
                    n["rtype"], tail, i))
        w("};\n\n")
        w("static const ebts__xns %s_ns[] = {\n" % sym)
        for pre, uri in v.ns:
            w("    {%s, %s},\n" % (c_str(pre), c_str(uri)))
        w("};\n\n")
        w("const ebts__xmap ebts__xmap_%s = {%s, %s_nodes, sizeof %s_nodes / sizeof %s_nodes[0],\n"
          "    %s_ns, sizeof %s_ns / sizeof %s_ns[0],\n"
          "    %s_types, sizeof %s_types / sizeof %s_types[0]};\n\n" % (
              sym, c_str(v.name), sym, sym, sym, sym, sym, sym, sym, sym, sym))


def layout(v):
    """The node tree in depth-first order, children sorted by name."""
    tree = {}
    paths = set()
    for p in list(v.leaves) + sorted(v.empty):
        for i in range(1, len(p) + 1):
            paths.add(p[:i])
    ranks = {}
    for parent, seqs in v.sibling_seqs.items():
        for r, n in enumerate(topo(seqs)):
            ranks[parent + (n,)] = r
    roots = sorted(topo([[r for r in v.records_order]]))
    rank_root = {r: i for i, r in enumerate(topo([v.records_order]))}
    nodes, index = [], {}

    def add(p, parent):
        i = len(nodes)
        index[p] = i
        n = {"parent": parent, "name": p[-1], "rank": ranks.get(p, rank_root.get(p[-1], 0)),
             "leaf": v.leaves.get(p), "rtype": v.records.get(p[0], 0)}
        nodes.append(n)
        kids = sorted(q for q in paths if len(q) == len(p) + 1 and q[:-1] == p)
        n["first"] = len(nodes)
        n["nchild"] = len(kids)
        for q in kids:
            add(q, i)
        n["end"] = len(nodes)

    for r in sorted(p for p in paths if len(p) == 1):
        add(r, -1)
    for p, i in index.items():
        e = v.leaves.get(p)
        nodes[i]["rep"] = index[e["rep"]] if e else -1
        nodes[i]["grp"] = index[e["grp"]] if e and e["grp"] else -1
        bc = e.get("by_child") if e else None
        nodes[i]["by_child"] = (index[bc[0]], bc[2], bc[3]) if bc else (-1, 0, 0)
    v.nodes = nodes


def main():
    base = sys.argv[1]
    versions = []
    for name in VERSIONS:
        v = Version(name)
        v.records_order = []
        files = []
        for dirpath, _, fns in os.walk(os.path.join(base, name)):
            for fn in fns:
                if fn.startswith("Template(") and fn.endswith(".xmlgz"):
                    files.append(os.path.join(dirpath, fn))
        files.sort()
        nsused = set()
        for f in files:
            root = parse(f)
            for rec in root:
                if is_elem(rec) and qname(rec.tag) not in v.records_order:
                    v.records_order.append(qname(rec.tag))
            for el in root.iter():
                if is_elem(el):
                    nsused.add(el.tag[1:].split("}")[0])
            v.add_template(f)
        v.ns = sorted((PREFIXES[u], u) for u in nsused)
        v.settle()
        xsd_rep = xsd_repeatable(os.path.join(base, name, "xsd"))
        build(v, xsd_rep)
        by_child(v)
        layout(v)
        xsd_annotate(v, os.path.join(base, name, "xsd"))
        for n in v.nodes:
            if n["leaf"]:
                n["leaf"]["conv"] = type_conversion(n)
        for n in v.nodes:  # a fixed companion's text: what most templates hold
            if n["leaf"] and n["leaf"]["conv"] == "CONST":
                c = n["leaf"]["counts"]
                n["value"] = sorted(c, key=lambda t: (-c[t], t))[0]
        for c in v.conflicts:
            sys.stderr.write("%s: %s\n" % (name, c))
        versions.append(v)
    emit(versions, sys.stdout)


if __name__ == "__main__":
    main()
