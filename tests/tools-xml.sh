#!/bin/sh
# Tool tests for the XML round trip, the diagnostic cap and ebts-diff --semantic: exit codes and
# the summaries the tools print. Run from the project root: BUILD=build sh tests/tools-xml.sh
BUILD=${BUILD:-build}
CONV="$BUILD/bin/ebts-conv"
VALIDATE="$BUILD/bin/ebts-validate"
. "$(dirname "$0")/lib.sh"

# A Type-1 with 10 050 fields " X" (a LEADING_SPACE warning each), then a Type-2 whose LEN is
# wrong: the error comes after the 10 000 findings the list keeps.
awk 'BEGIN { printf "%c1.002:0500%c1.003:1%c1%c2%c00", 29, 29, 31, 30, 31;
             for (i = 0; i < 10050; i++) printf "%c1.%d: X", 29, 100 + i; printf "%c", 28 }' \
    > "$T/rest"
len=$(( $(wc -c < "$T/rest") + 14 ))
{ printf '1.001:%08d' "$len"; cat "$T/rest"; awk 'BEGIN { printf "2.001:99%c2.002:00%c", 29, 28 }'; } \
    > "$T/capped.eft"
expect 1 "an error beyond the kept findings makes the file invalid" -- "$VALIDATE" "$T/capped.eft"
has "$T/out" "invalid (" "summary says invalid"
has "$T/out" "warning: TOO_MANY_DIAGNOSTICS" "the note is listed"
has "$T/out" "not kept (" "the note says how many were not kept"
expect 1 "ebts-conv counts the error beyond the list" -- "$CONV" --to traditional -o "$T/o.eft" "$T/capped.eft"

# A control character and a byte that is no UTF-8 in mapped fields (2.018 NAM, 2.015 SID): the XML
# reads back, and gives the same traditional bytes.
"$CONV" --to readable --plain fixtures/validate/valid-sre-nomatch.eft 2>/dev/null |
    sed -e 's/^2\.018:DOE,JOHN/2.018:DOE,JO<HEX:11>HN/' -e 's/^2\.015:TX/2.015:TX<HEX:FF>/' \
    > "$T/odd.txt"
has "$T/odd.txt" "<HEX:11>" "the test input has its control character"
has "$T/odd.txt" "<HEX:FF>" "the test input has its byte that is no UTF-8"
# (2.001 LEN is wrong once the values change: the writer derives it; exit 1 says so)
expect 1 "readable to traditional" -- "$CONV" --from readable --to traditional -o "$T/odd.eft" "$T/odd.txt"
expect 0 "XML with bytes it cannot hold as text" -- "$CONV" --to xml -o "$T/odd.xml" "$T/odd.eft"
has "$T/err" "warning: XML_VALUE_CARRIED 2.018:" "2.018 is said to go to the carrier"
has "$T/err" "warning: XML_VALUE_CARRIED 2.015:" "2.015 is said to go to the carrier"
expect 0 "the XML reads back" -- "$CONV" --from xml --to traditional -o "$T/back.eft" "$T/odd.xml"
if cmp -s "$T/odd.eft" "$T/back.eft"; then ok; else bad "traditional -> XML -> traditional changed the bytes"; fi

# Two 2.018: both come back from XML.
"$CONV" --to readable --plain fixtures/validate/valid-sre-nomatch.eft 2>/dev/null |
    sed -e 's/^2\.018:\(DOE,JOHN<GS>\)$/2.018:\1\n2.018:ROE,RICHARD<GS>/' > "$T/two.txt"
expect 1 "readable with two 2.018" -- "$CONV" --from readable --to traditional -o "$T/two.eft" "$T/two.txt"
expect 0 "to XML" -- "$CONV" --to xml -o "$T/two.xml" "$T/two.eft"
expect 0 "and back" -- "$CONV" --from xml --to readable --plain "$T/two.xml"
has "$T/out" "2.018:ROE,RICHARD" "the second 2.018 survives XML"
has "$T/out" "2.018:DOE,JOHN" "the first 2.018 survives XML"

# Every FBI template reads to the transaction it read to when the reader composed traditional
# bytes: the readable notation of each, hashed in fixtures/ebts-xml/readable.sha256.
changed=0
while read -r sum path; do
    got=$("$CONV" --to readable --plain "$path" 2>/dev/null | sha256sum | cut -c1-64)
    [ "$got" = "$sum" ] || { changed=$((changed + 1)); echo "  differs: $path"; }
done < fixtures/ebts-xml/readable.sha256
if [ "$changed" = 0 ]; then ok; else bad "$changed templates read to other values"; fi

# --xml-version: EBTS 11.2 by default, 10.0 on request; each reads back to the same bytes, and
# says what keeps it from validating (this sample has no 1.013 DOM). With DOM, a document
# written without a warning validates against the FBI's XSD of its version.
"$CONV" --to traditional -q -o "$T/sre.eft" fixtures/validate/valid-sre-nomatch.eft
expect 0 "XML, the default version" -- "$CONV" --to xml -o "$T/d.xml" "$T/sre.eft"
has "$T/d.xml" 'xmlns:ebts="http://cjis.fbi.gov/fbi_ebts/11.2"' "the default is EBTS 11.2"
has "$T/err" "warning: XML_REQUIRED_MISSING 1.013: the EBTS 11.2 schema requires itl:TransactionDomain" "1.013 DOM is said to be missing"
for v in 10.0 11.2; do
    expect 0 "XML $v" -- "$CONV" --to xml --xml-version $v -o "$T/v$v.xml" "$T/sre.eft"
    has "$T/v$v.xml" "xmlns:ebts=\"http://cjis.fbi.gov/fbi_ebts/$v\"" "--xml-version $v writes EBTS $v"
    has "$T/err" "XML_REQUIRED_MISSING 1.013: the EBTS $v schema" "EBTS $v says what it misses"
    expect 0 "XML $v reads back" -- "$CONV" --from xml --to traditional -o "$T/back$v.eft" "$T/v$v.xml"
    if cmp -s "$T/sre.eft" "$T/back$v.eft"; then ok; else bad "traditional -> XML $v -> traditional changed the bytes"; fi
done
if cmp -s "$T/d.xml" "$T/v11.2.xml"; then ok; else bad "the default and --xml-version 11.2 differ"; fi
"$CONV" --to readable --plain "$T/sre.eft" 2>/dev/null |
    sed -e 's/^1\.012:\(.*\)<FS>$/1.012:\1<GS>\n1.013:NORAM<US>EBTS 11.2<FS>/' > "$T/dom.txt"
has "$T/dom.txt" "1.013:NORAM" "the test input has its DOM"
expect 1 "readable with DOM to traditional" -- "$CONV" --from readable --to traditional -o "$T/dom.eft" "$T/dom.txt"
xsd10=fixtures/ebts-xml/10.0/xsd/ebts/10.0/fbi_ebts/10.0/fbi_ebts.xsd
xsd11=fixtures/ebts-xml/11.2/xsd/fbi_ebts/11.2/fbi_ebts.xsd
for v in 10.0 11.2; do
    expect 0 "XML $v with DOM" -- "$CONV" --to xml --xml-version $v -o "$T/dom$v.xml" "$T/dom.eft"
    hasnt "$T/err" "XML_" "EBTS $v: no warning about the XML"
    if command -v xmllint >/dev/null 2>&1; then
        xsd=$xsd11; [ $v = 10.0 ] && xsd=$xsd10
        expect 0 "EBTS $v XML validates against its XSD" -- xmllint --noout --nonet --schema "$xsd" "$T/dom$v.xml"
    fi
done
expect 2 "a version that is not one" -- "$CONV" --to xml --xml-version 12.0 "$T/sre.eft"
has "$T/err" "--xml-version takes 10.0 or 11.2" "the usage error names the versions"
expect 2 "a version for another output" -- "$CONV" --to json --xml-version 10.0 "$T/sre.eft"
expect 2 "a version without its value" -- "$CONV" --to xml --xml-version

# The XML mapping tables are generated from the FBI's templates and XSDs: the same bytes again.
if command -v python3 >/dev/null 2>&1; then
    expect 0 "gen-xml-map runs" -- python3 tools/gen-xml-map.py fixtures/ebts-xml
    if cmp -s "$T/out" lib/xmlmap.c; then ok; else bad "lib/xmlmap.c differs from what tools/gen-xml-map.py writes"; fi
fi

echo "tools-xml: $pass passed, $fail failed"
[ "$fail" = 0 ]
