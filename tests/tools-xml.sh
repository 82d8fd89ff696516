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

# Validation findings on XML input, whose records and fields have no byte offset: at offset 0
# (the record's line when it has one), never at an offset past the input.
carry() { # carry NAME XML: errt.xml with XML before the Type-2 record's first child
    sed -e "s|^  <itl:PackageDescriptiveTextRecord>\$|  <itl:PackageDescriptiveTextRecord xmlns:lebts=\"urn:libebts:xml:1\">\\
$2|" fixtures/xml/errt.xml > "$T/$1.xml"
}
carry na '<lebts:Field tag="2.901" encoding="text">v</lebts:Field>'
expect 0 "validate XML with a field its TOT does not allow" -- "$VALIDATE" "$T/na.xml"
has "$T/out" ":0: warning: FIELD_NOT_ALLOWED 2.901:" "FIELD_NOT_ALLOWED on XML is at offset 0"
expect 0 "validate XML without 1.013 DOM" -- "$VALIDATE" "$T/d.xml"
has "$T/out" ":0: warning: DOM_MISSING 1.013:" "DOM_MISSING on XML is at offset 0"
hasnt "$T/out" ":4294967295:" "no finding at offset (uint32_t)-1"

# The XML mapping tables are generated from the FBI's templates and XSDs: the same bytes again.
if command -v python3 >/dev/null 2>&1; then
    expect 0 "gen-xml-map runs" -- python3 tools/gen-xml-map.py fixtures/ebts-xml
    if cmp -s "$T/out" lib/xmlmap.c; then ok; else bad "lib/xmlmap.c differs from what tools/gen-xml-map.py writes"; fi
fi

# Hostile lebts: carriers in fixtures/xml/errt.xml's Type-2 record: each is a finding at its
# line (exit 1), never a failed read (exit 2) and never data dropped without a word.
carry() { # carry NAME XML: errt.xml with XML before the Type-2 record's first child
    sed -e "s|^  <itl:PackageDescriptiveTextRecord>\$|  <itl:PackageDescriptiveTextRecord xmlns:lebts=\"urn:libebts:xml:1\">\\
$2|" fixtures/xml/errt.xml > "$T/$1.xml"
}
carry gs '<lebts:Field tag="2.901" encoding="base64">YR1i</lebts:Field>'
expect 1 "lebts:Field whose bytes hold GS" -- "$CONV" --to traditional -o "$T/o.eft" "$T/gs.xml"
has "$T/err" "error: XML_ELEMENT_UNPLACED 2.901: line 35:" "GS in a carried field is a finding at its line"
for tag in 2.99999999999 2.-5 1234567890.005 14 " 2.5" 2.5x 2.; do
    carry tag "<lebts:Field tag=\"$tag\" encoding=\"text\">v</lebts:Field>"
    expect 1 "lebts:Field tag=\"$tag\"" -- "$CONV" --to traditional -o "$T/o.eft" "$T/tag.xml"
    has "$T/err" "error: XML_ELEMENT_UNPLACED: line 35: element lebts:Field" "tag=\"$tag\" is said to be left out"
done
# a tag of another record type (0 and those above 254 too) is a field whose tag names that
# type, as in a traditional record, with the same warning
for type in 14 0 300; do
    carry tag "<lebts:Field tag=\"$type.005\" encoding=\"text\">v</lebts:Field>"
    expect 0 "lebts:Field tag=\"$type.005\" in a Type-2 record" -- \
        "$CONV" --to traditional -o "$T/o.eft" "$T/tag.xml"
    has "$T/err" "warning: TAG_TYPE_MISMATCH 2.005: line 35: tag $type.5 in a Type-2 record" \
        "$type.005 is kept and said"
    tr '\035' '|' < "$T/o.eft" > "$T/o.txt"
    has "$T/o.txt" "|$type.005:v" "$type.005 keeps its tag"
done
# An element inside a value's element, or inside a carrier, is no part of the value: said, and
# its text left out of the value (the value's own text around it stays, comments do not split it).
sed -e 's|<nc:CaseTrackingID>9163838806<|<nc:CaseTrackingID>916<!-- c -->38<ebts:Junk>zz</ebts:Junk>38806<|' \
    fixtures/xml/errt.xml > "$T/inval.xml"
expect 1 "an element with text inside a value" -- "$CONV" --to readable --plain "$T/inval.xml"
has "$T/err" "error: XML_ELEMENT_UNPLACED 2.009: line 44: element ebts:Junk holds data" \
    "an element with text inside a value is said to be left out"
has "$T/out" "2.009:9163838806<GS>" "the value keeps its own text, without the element's"
sed -e 's|<nc:CaseTrackingID>9163838806<|<nc:CaseTrackingID>91638<ebts:Junk/>38806<|' \
    fixtures/xml/errt.xml > "$T/inval.xml"
expect 0 "an empty element inside a value" -- "$CONV" --to readable --plain "$T/inval.xml"
has "$T/err" "warning: XML_UNKNOWN_ELEMENT 2.009: line 44: element Junk" \
    "an empty element inside a value is said"
has "$T/out" "2.009:9163838806<GS>" "the value around an empty element"
carry inc '<lebts:Field tag="2.901" encoding="text">a<b>c</b>d</lebts:Field>'
expect 1 "an element inside a lebts:Field" -- "$CONV" --to readable --plain "$T/inc.xml"
has "$T/err" "error: XML_ELEMENT_UNPLACED 2.901: line 35: element b holds data" \
    "an element inside a carrier is said to be left out"
has "$T/out" "2.901:ad<" "the carrier keeps its own text"
# A field whose tag names another record type has no place among its record's numbers: the
# writer carries it after the record's elements, and it reads back there, last in its record,
# not where its number would sort it (14.005 among 2.00x).
"$CONV" --to readable --plain fixtures/validate/valid-sre-nomatch.eft 2>/dev/null |
    sed -e 's/^2\.059:N<GS>$/&\n14.005:V<GS>/' > "$T/foreign.txt"
"$CONV" -q --from readable --to traditional -o "$T/foreign.eft" "$T/foreign.txt"
expect 0 "a foreign tag to XML" -- "$CONV" --to xml -o "$T/foreign.xml" "$T/foreign.eft"
expect 0 "and back" -- "$CONV" --to readable --plain "$T/foreign.xml"
has "$T/out" "14.005:V<FS>" "a foreign tag reads back where the document holds it: last"
tr '\n' '|' < "$T/out" > "$T/out1"
hasnt "$T/out1" "2.002:00<GS>|14.005" "a foreign tag is not sorted by its number"
carry enc '<lebts:Field tag="2.901" encoding="rot13">v</lebts:Field>'
expect 1 "lebts:Field of an unknown encoding" -- "$CONV" --to traditional -o "$T/o.eft" "$T/enc.xml"
has "$T/err" "error: XML_ELEMENT_UNPLACED: line 35: element lebts:Field" "an unknown encoding is said"
sed -e 's|^</itl:NISTBiometricInformationExchangePackage>$|  <lebts:Record xmlns:lebts="urn:libebts:xml:1" type="2" encoding="base64">\
MS4wMDE6MB0xLjAwMjowNTAwHA==</lebts:Record>\
&|' fixtures/xml/errt.xml > "$T/rec1.xml"
expect 1 "a Type-1 carried as lebts:Record type=2" -- "$CONV" --to traditional -o "$T/o.eft" "$T/rec1.xml"
has "$T/err" "error: XML_VALUE_INVALID: line 52:" "the carried Type-1 is refused at its line"
expect 0 "no second Type-1 is written" -- "$CONV" --to readable --plain "$T/o.eft"
hasnt "$T/out" "1.002:0500<FS>" "the carried Type-1 is not in the transaction"
sed -e 's|^</itl:NISTBiometricInformationExchangePackage>$|  <lebts:Record xmlns:lebts="urn:libebts:xml:1" type="2" encoding="base64">\
Mi4wMDE6MB0yLjAwMjowMRwyLjAwMTowHTIuMDAyOjAyHA==</lebts:Record>\
&|' fixtures/xml/errt.xml > "$T/rec2.xml"
expect 1 "two records in one lebts:Record" -- "$CONV" --to traditional -o "$T/o.eft" "$T/rec2.xml"
has "$T/err" "error: XML_ELEMENT_UNPLACED: line 52: lebts:Record of Type-2: 17 bytes after" "bytes after the carried record are said"
# A carried binary record whose own LEN (its first four bytes) is not its length: said, as the
# traditional reader says a tagged record's; one whose LEN is right draws nothing.
for len in 99:AAAAYwEBAf 28:AAAAHAEBAf; do
    rec="<lebts:Record xmlns:lebts=\"urn:libebts:xml:1\" type=\"3\">${len#*:}"
    rec="$rec//////AAACAAIAQUJDREVGR0hJSg==</lebts:Record>"
    sed -e "s|^</itl:NISTBiometricInformationExchangePackage>\$|  $rec\\
&|" fixtures/xml/errt.xml > "$T/bin.xml"
    "$CONV" --to traditional -o "$T/o.eft" "$T/bin.xml" 2>"$T/err"
    case $len in
    99:*) has "$T/err" "error: LEN_MISMATCH 3.001: LEN says 99, record is 28 bytes" \
              "a carried binary record's wrong LEN is said" ;;
    *) hasnt "$T/err" "LEN_MISMATCH" "a carried binary record's right LEN draws nothing" ;;
    esac
done
sed -e 's|^  <itl:PackageDescriptiveTextRecord>$|LOST TEXT\n&|' \
    -e 's|^    <itl:UserDefinedDescriptiveDetail>$|& MORE|' fixtures/xml/errt.xml > "$T/text.xml"
expect 1 "text outside any element that takes it" -- "$CONV" --to traditional -o "$T/o.eft" "$T/text.xml"
has "$T/err" "error: XML_ELEMENT_UNPLACED: line 34: text" "text between records is said, at its line"
has "$T/err" "error: XML_ELEMENT_UNPLACED: line 38: text" "text in a container element is said, at its line"

# 200 000 lebts:Field elements in decreasing number order read to the transaction the same
# fields in increasing order give (number order), in time linear enough for a timeout(1) that
# placing each one first, by a search, did not meet.
for order in dec inc; do
    awk -v order=$order 'BEGIN { for (i = 0; i < 200000; i++)
        printf "<lebts:Field tag=\"2.%d\" encoding=\"text\">v</lebts:Field>\n",
               order == "dec" ? 400000 - i : 200001 + i }' > "$T/many.in"
    sed -e "/^  <itl:PackageDescriptiveTextRecord>\$/r $T/many.in" \
        -e 's|^  <itl:PackageDescriptiveTextRecord>$|  <itl:PackageDescriptiveTextRecord xmlns:lebts="urn:libebts:xml:1">|' \
        fixtures/xml/errt.xml > "$T/many-$order.xml"
    expect 0 "200 000 carried fields, $order" -- timeout 20 "$CONV" -q --to traditional \
        -o "$T/many-$order.eft" "$T/many-$order.xml"
done
if cmp -s "$T/many-dec.eft" "$T/many-inc.eft"; then ok; else
    bad "carried fields in decreasing order read to other fields than in increasing order"; fi

# Past line 65535 libxml2 keeps no element's line (its nodes hold 16 bits): the lines said are
# still those of the elements, as grep -n finds them, with CRLF line ends too.
for eol in lf crlf; do
    awk -v eol="$eol" '{ sub(/\r$/, "") }
        /^  <itl:PackageDescriptiveTextRecord>$/ { for (i = 0; i < 70000; i++) printf "%s", (eol == "crlf" ? "\r\n" : "\n") }
        /^    <itl:UserDefinedDescriptiveDetail>$/ { e = (eol == "crlf" ? "\r\n" : "\n")
            printf "<ebts:Bogus/>%s  <ebts:Gone>x</ebts:Gone>%s<ebts:Also\n  a=\"1\"/><ebts:Last/>%s", e, e, e }
        { printf "%s%s", $0, (eol == "crlf" ? "\r\n" : "\n") }' fixtures/xml/errt.xml > "$T/long.xml"
    expect 1 "a document of 70 000 lines ($eol)" -- "$CONV" --to traditional -o "$T/o.eft" "$T/long.xml"
    for el in Bogus ebts:Gone Last; do
        n=$(grep -n "<ebts:${el#ebts:}" "$T/long.xml" | cut -d: -f1)
        has "$T/err" "line $n: element $el " "$el at line $n ($eol)"
    done
    n=$(grep -n 'a="1"' "$T/long.xml" | cut -d: -f1) # where its start tag ends, as libxml2 says
    has "$T/err" "line $n: element Also " "a start tag over two lines, at line $n ($eol)"
done

# 300 000 occurrences of one element, and 300 000 lebts:Field of a few numbers, in one record:
# read in time linear in their number (each finding's line was looked for from the first value,
# each carried field from the record's first field: minutes).
awk '/<ebts:TransactionStatusText>S0002/ { for (i = 0; i < 300000; i++)
        print "<ebts:TransactionStatusText>A" i "</ebts:TransactionStatusText>" } { print }' \
    fixtures/xml/errt.xml > "$T/many.xml"
expect 0 "300 000 occurrences of one element" -- timeout 30 "$CONV" -q --to traditional -o "$T/o.eft" "$T/many.xml"
awk '/^  <itl:PackageDescriptiveTextRecord>$/ { print "  <itl:PackageDescriptiveTextRecord xmlns:lebts=\"urn:libebts:xml:1\">"
        for (i = 0; i < 300000; i++) print "<lebts:Field tag=\"2." 900 + i % 50 "\" encoding=\"text\">v</lebts:Field>"
        next } { print }' fixtures/xml/errt.xml > "$T/many.xml"
expect 0 "300 000 lebts:Field" -- timeout 30 "$CONV" -q --to traditional -o "$T/o.eft" "$T/many.xml"

# Base64 goes on after its padding: not base64 (it would decode to other bytes), said at its line.
for b64 in QQ=QUJD QUJD=QUJD QUJDQ; do
    carry pad "<lebts:Field tag=\"2.901\" encoding=\"base64\">$b64</lebts:Field>"
    expect 1 "lebts:Field of base64 $b64" -- "$CONV" --to traditional -o "$T/o.eft" "$T/pad.xml"
    has "$T/err" "error: XML_VALUE_INVALID 2.901: line 35:" "base64 $b64 is said to be no base64"
done
carry pad '<lebts:Field tag="2.901" encoding="base64"> QUJD  QQ==  </lebts:Field>'
expect 0 "base64 with white space and its padding at the end" -- "$CONV" --to readable --plain "$T/pad.xml"
has "$T/out" "2.901:ABCA<" "white space and padding are read as base64 has them"

# A lebts:Record of a binary type shorter than its type's header (Type-4: 18 bytes) is no record:
# written, it would not read back.
sed -e 's|^</itl:NISTBiometricInformationExchangePackage>$|  <lebts:Record xmlns:lebts="urn:libebts:xml:1" type="4" encoding="base64">AAAABQE=</lebts:Record>\
&|' fixtures/xml/errt.xml > "$T/short4.xml"
expect 1 "a Type-4 lebts:Record of 5 bytes" -- "$CONV" --to traditional -o "$T/o.eft" "$T/short4.xml"
has "$T/err" "error: XML_VALUE_INVALID: line 52: lebts:Record of Type-4" "the short Type-4 is refused at its line"
expect 0 "what is written reads back" -- "$CONV" --to traditional -o "$T/o2.eft" "$T/o.eft"

# A finding's offset in a UTF-16 document is where its line begins: after the code unit LF, not
# after a byte 0x0A (half of it, or of another character such as U+010A).
if command -v iconv >/dev/null 2>&1; then
    for enc in UTF-16LE UTF-16BE; do
        sed -e 's/encoding="UTF-8"/encoding="UTF-16"/' -e '1a <!-- \xc4\x8a \xe0\xa8\x85 -->' \
            -e 's|^    <itl:UserDefinedDescriptiveDetail>$|&\n<ebts:Bogus>\xc4\x8a</ebts:Bogus>|' \
            fixtures/xml/errt.xml > "$T/u8.xml"
        { if [ $enc = UTF-16LE ]; then printf '\377\376'; else printf '\376\377'; fi
          iconv -f UTF-8 -t $enc "$T/u8.xml"; } > "$T/u16.xml"
        n=$(grep -n "<ebts:Bogus>" "$T/u8.xml" | cut -d: -f1)
        off=$(( 2 + $(head -n $((n - 1)) "$T/u8.xml" | iconv -f UTF-8 -t $enc | wc -c) ))
        expect 1 "a $enc document" -- "$CONV" --to traditional -o "$T/o.eft" "$T/u16.xml"
        has "$T/err" "u16.xml:$off: error: XML_ELEMENT_UNPLACED: line $n: element ebts:Bogus" "$enc: the line's first byte is the offset"
    done
fi

# A field whose tag names another record type (14.005 in a Type-2 record) keeps its tag through
# XML of either version: carried as bytes with its tag, not renamed 2.005.
printf '1.001:60\0351.002:0500\0351.003:1\0371\0362\03700\0351.004:CAR\0351.005:20260101\0342.001:44\0352.002:00\03514.005:ABC\0352.018:DOE,JOHN\034' > "$T/foreign.eft"
for v in 11.2 10.0; do
    expect 0 "foreign tag to XML $v" -- "$CONV" -q --to xml --xml-version $v -o "$T/foreign.xml" "$T/foreign.eft"
    expect 0 "foreign tag back from XML $v" -- "$CONV" -q --to traditional -o "$T/foreign2.eft" "$T/foreign.xml"
    tr '\035\034' '||' < "$T/foreign2.eft" > "$T/foreign2.txt"
    has "$T/foreign2.txt" "|14.005:ABC|" "XML $v keeps the tag 14.005"
    hasnt "$T/foreign2.txt" "2.005:" "XML $v does not rename it"
done

# EBTS 10.0's fourth and fifth names of an alternate name are given names of AKA: joined to the
# others by one space, none after the comma when there is no given or middle name before them
CARX="fixtures/ebts-xml/10.0/templates/Identification-Service/Template(CAR)CriminalAnswerRequiredTransaction.xmlgz"
gzip -dc "$CARX" | sed -e '/<ebts:PersonAlternateName>/,/<\/ebts:PersonAlternateName>/{/ANTHONY\|PAUL/d}' \
    > "$T/aka45.xml"
expect 0 "an alternate name of a surname, a fourth and a fifth name" -- "$CONV" --to readable --plain "$T/aka45.xml"
has "$T/out" "JONES,TribalName CulturalName<GS>" "the fourth and fifth names follow the comma"

# libxml2 is loaded when XML is first read or written, not when the tools start: a traditional
# file checked or converted to the readable notation maps no libxml2 (nor the ICU and C++
# libraries it brings), an XML input does (glibc's loader lists what it loads under LD_DEBUG)
TRAD=fixtures/samples/clean/errt-doa.eft
XMLIN=fixtures/xml/sre-match.xml
expect 0 "a traditional file checked" -- env LD_DEBUG=libs "$VALIDATE" -q "$TRAD"
hasnt "$T/err" "libxml2" "no libxml2 loaded for a traditional file"
hasnt "$T/err" "libicu" "no ICU loaded for a traditional file"
expect 0 "a traditional file to the readable notation" -- env LD_DEBUG=libs "$CONV" --to readable \
    -o "$T/trad.txt" "$TRAD"
hasnt "$T/err" "libxml2" "ebts-conv: no libxml2 loaded for the readable notation"
expect 0 "an XML file checked" -- env LD_DEBUG=libs "$VALIDATE" -q "$XMLIN"
has "$T/err" "libxml2" "libxml2 loaded for an XML input"

# where libxml2 cannot be loaded (the tools built to look for a library no system has): what
# needs it fails as an unreadable input or a usage error (exit 2) with XML_UNAVAILABLE and the
# library's name, no output file is left, and the rest works
NOXML="$BUILD/tests/ebts-validate-noxml"
CONVNOXML="$BUILD/tests/ebts-conv-noxml"
if [ -x "$NOXML" ] && [ -x "$CONVNOXML" ]; then
    expect 2 "no libxml2: an XML input is unreadable" -- "$NOXML" "$XMLIN"
    has "$T/err" "error: XML_UNAVAILABLE: cannot load libebts-test-absent.so.0" \
        "no libxml2: the code and the library"
    has "$T/out" "1 unreadable" "no libxml2: counted unreadable, not invalid"
    expect 0 "no libxml2: a traditional file is checked" -- "$NOXML" "$TRAD"
    has "$T/out" "1 file, 1 valid" "no libxml2: the traditional file is valid"
    expect 2 "no libxml2: an XML profile" -- "$NOXML" --profile profiles/example-state.xml "$TRAD"
    has "$T/err" "XML_UNAVAILABLE" "no libxml2: the profile's error says why"
    expect 2 "no libxml2: a JUnit report" -- "$NOXML" --format junit "$TRAD"
    has "$T/err" "XML_UNAVAILABLE" "no libxml2: the JUnit report's error says why"
    expect 2 "no libxml2: writing XML" -- "$CONVNOXML" --to xml -o "$T/noxml.xml" "$TRAD"
    has "$T/err" "XML_UNAVAILABLE" "no libxml2: the writer's error says why"
    if [ -e "$T/noxml.xml" ]; then bad "no libxml2: an output file was left"; else ok; fi
    expect 0 "no libxml2: the readable notation" -- "$CONVNOXML" --to readable -o "$T/r.txt" "$TRAD"
    if cmp -s "$T/r.txt" "$T/trad.txt"; then ok; else bad "no libxml2: readable output differs"; fi
else
    echo "note: $NOXML not built (make check builds it); a missing libxml2 not checked"
fi

echo "tools-xml: $pass passed, $fail failed"
[ "$fail" = 0 ]
