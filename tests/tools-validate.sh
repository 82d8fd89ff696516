#!/bin/sh
# ebts-validate's profiles: the built-in list with its sources, the default (ebts-11), the base
# standard for files that are not EBTS, and XML profiles naming their base.
# Run from the project root: BUILD=build sh tests/tools-validate.sh
BUILD=${BUILD:-build}
VAL="$BUILD/bin/ebts-validate"
. "$(dirname "$0")/lib.sh"

expect 0 "profile list" -- "$VAL" --profile list
for p in ebts-11 ebts-10 ebts-9.1 ansi-nist-2011; do
    has "$T/out" "$p " "list names $p"
done
has "$T/out" "EBTS 11.2" "ebts-11 names its source"
has "$T/out" "(default)" "the default is marked"
head -n 1 "$T/out" > "$T/first"
has "$T/first" "ebts-11" "ebts-11 is the default"
expect 0 "default profile" -- "$VAL" fixtures/validate/valid-car.eft
has "$T/out" "(profile ebts-11)" "the run names ebts-11"
# NIST's face file is not EBTS: TOT_UNKNOWN under EBTS profiles, not under the base standard
F=fixtures/corpus/nbis/face_jpb_DOM_GMT_DCS.an2
expect 1 "NIST file under ebts-11" -- "$VAL" "$F"
has "$T/out" "TOT_UNKNOWN" "EBTS does not know TOT NISTDAAT"
"$VAL" --profile ansi-nist-2011 "$F" > "$T/out" 2>&1
hasnt "$T/out" "TOT_UNKNOWN" "the base standard takes any TOT"
hasnt "$T/out" "DAI: 8 characters" "the base standard has no 9-character DAI"
has "$T/out" "SAP is 40 or more" "the base standard's SAP rules apply"
# an XML profile names its base
printf '<profile xmlns="urn:libebts:profile:1" name="p" base="ansi-nist-2011"/>\n' > "$T/p.xml"
"$VAL" --profile "$T/p.xml" "$F" > "$T/out" 2>&1
hasnt "$T/out" "TOT_UNKNOWN" "a profile on ansi-nist-2011"
printf '<profile xmlns="urn:libebts:profile:1" name="p" base="ebts-12"/>\n' > "$T/q.xml"
expect 2 "unknown base refused" -- "$VAL" --profile "$T/q.xml" fixtures/validate/valid-car.eft
expect 2 "unknown profile" -- "$VAL" --profile ebts-12 fixtures/validate/valid-car.eft

# The rule tables generated from the FBI's templates and XSDs: the same bytes again.
if command -v python3 >/dev/null 2>&1; then
    expect 0 "gen-xsd-rules runs" -- python3 tools/gen-xsd-rules.py fixtures/ebts-xml
    if cmp -s "$T/out" lib/rules_xsd.c; then ok; else bad "lib/rules_xsd.c differs from what tools/gen-xsd-rules.py writes"; fi
    expect 0 "gen-tmpl-rules runs" -- python3 tools/gen-tmpl-rules.py
    if cmp -s "$T/out" lib/rules_tmpl.c; then ok; else bad "lib/rules_tmpl.c differs from what tools/gen-tmpl-rules.py writes"; fi
fi

echo "tools-validate: $pass passed, $fail failed"
[ "$fail" = 0 ]
