#!/bin/sh
# Tool tests: exit codes, diagnostics on stderr, output on stdout or -o, for ebts-conv.
# Run from the project root: BUILD=build sh tests/tools.sh
BUILD=${BUILD:-build}
CONV="$BUILD/bin/ebts-conv"
. "$(dirname "$0")/lib.sh"

F=fixtures/samples
expect 0 "help" -- "$CONV" --help
has "$T/out" "usage: ebts-conv" "help text"
expect 2 "no arguments" -- "$CONV"
expect 2 "unknown option" -- "$CONV" --bogus x.eft
expect 2 "unknown format" -- "$CONV" --to pdf "$F/clean/errt-doa.eft"
expect 2 "missing file" -- "$CONV" fixtures/none.eft
has "$T/err" "IO_ERROR" "missing file reported"

expect 0 "clean sample" -- "$CONV" --to traditional -o "$T/o.eft" "$F/clean/idr-iar-match.eft"
if cmp -s "$T/o.eft" "$F/clean/idr-iar-match.eft"; then ok; else bad "clean sample not written back byte for byte"; fi
has "$T/err" "warning: SHORT_TAG 1.001:" "short tags are a warning"
hasnt "$T/err" "error:" "clean sample has no error"

expect 1 "published ERRT" -- "$CONV" --to traditional -o "$T/p.eft" "$F/published/errt-doa.eft"
has "$T/err" "$F/published/errt-doa.eft:152: error: LEN_MISMATCH 2.001: LEN says 2105, record is 109 bytes" "diagnostic line format"
if cmp -s "$T/p.eft" "$F/clean/errt-doa.eft"; then ok; else bad "published ERRT not repaired into the clean one"; fi

expect 1 "published no-match, strict" -- "$CONV" --strict --to traditional -o "$T/s.eft" "$F/published/idr-nomatch.eft"
if [ -e "$T/s.eft" ]; then bad "strict run wrote output despite errors"; else ok; fi
has "$T/err" "error: NON_ASCII 2.075" "strict turns recovered warnings into errors"
expect 0 "clean sample, strict" -- "$CONV" --strict -q -o "$T/x.txt" "$F/clean/errt-doa.eft"

expect 1 "fix" -- "$CONV" --fix --to traditional -o "$T/f.eft" "$F/published/idr-nomatch.eft"
if LC_ALL=C grep -q "$(printf '\342')" "$T/f.eft"; then bad "--fix left typographic quotes"; else ok; fi

expect 0 "stdin" -- sh -c "\"$CONV\" --to traditional - < $F/clean/errt-doa.eft > $T/stdin.eft"
if cmp -s "$T/stdin.eft" "$F/clean/errt-doa.eft"; then ok; else bad "stdin round trip"; fi
gzip -c "$F/clean/errt-doa.eft" > "$T/g.eft.gz"
expect 0 "gzip input" -- "$CONV" --to traditional -o "$T/g.eft" "$T/g.eft.gz"
if cmp -s "$T/g.eft" "$F/clean/errt-doa.eft"; then ok; else bad "gzip round trip"; fi

expect 0 "readable to traditional" -- "$CONV" --from readable --to traditional -o "$T/r.eft" "$F/clean/idr-iar-match.txt"
if cmp -s "$T/r.eft" "$F/clean/idr-iar-match.eft"; then ok; else bad "readable .txt is not its .eft"; fi
expect 0 "readable output" -- "$CONV" --plain "$F/clean/idr-nomatch.eft"
if cmp -s "$T/out" "$F/clean/idr-nomatch.txt"; then ok; else bad "readable output is not the .txt"; fi

expect 0 "json" -- "$CONV" --to json "$F/clean/idr-iar-match.eft"
has "$T/out" '{"tag":"2.018","value":"TEST,TEST"}' "json value"
expect 0 "redact" -- "$CONV" --redact --to json "$F/clean/idr-iar-match.eft"
hasnt "$T/out" "TEST,TEST" "redacted name"
hasnt "$T/out" "1105048570" "redacted EID"

expect 1 "empty input" -- "$CONV" fixtures/invalid/empty.eft
has "$T/err" "fixtures/invalid/empty.eft:0: error: EMPTY_INPUT: " "fatal error line"
expect 1 "hostile input" -- "$CONV" -o "$T/h.eft" --to traditional fixtures/invalid/binary-len-0xfffffff0.eft

has "$T/err" "error: LEN_BEYOND_END" "huge binary LEN"
expect 2 "unwritable output" -- "$CONV" --to traditional -o /nonexistent/dir/x.eft "$F/clean/errt-doa.eft"

# ---- ebts-validate
VAL="$BUILD/bin/ebts-validate"
V=fixtures/validate
expect 0 "validate help" -- "$VAL" --help
has "$T/out" "usage: ebts-validate" "validate help text"
expect 2 "validate no arguments" -- "$VAL"
expect 2 "validate unknown format" -- "$VAL" --format pdf "$V/valid-errt.eft"
expect 2 "validate unknown profile" -- "$VAL" --profile ebts-7 "$V/valid-errt.eft"
has "$T/err" "PROFILE_INVALID" "unknown profile named"
expect 2 "validate missing file" -- "$VAL" fixtures/none.eft
expect 0 "valid SRE" -- "$VAL" "$V/valid-sre-dom-ebts-10.eft"
has "$T/out" "$V/valid-sre-dom-ebts-10.eft: valid (0 errors, 0 warnings)" "per-file summary"
has "$T/out" "ebts-validate: 1 file, 1 valid, 0 invalid (profile ebts-11)" "run summary"
expect 1 "invalid SRF" -- "$VAL" "$V/sre-srf-not-i-or-n.eft"
has "$T/out" 'error: VALUE_NOT_ALLOWED 2.059: SRF: value "X" not in {I,N}' "rule message names field and rule"
expect 0 "warnings pass" -- "$VAL" "$V/sre-ers-line-too-long.eft"
expect 1 "warnings fail with --strict" -- "$VAL" --strict "$V/sre-ers-line-too-long.eft"
expect 1 "quiet" -- "$VAL" -q "$V/sre-srf-not-i-or-n.eft"
if [ -s "$T/out" ] || [ -s "$T/err" ]; then bad "-q printed something"; else ok; fi
# -q speaks by its exit status alone, whatever -j: warnings pass unless --strict
for j in 1 2; do
    expect 0 "quiet, warnings, -j $j" -- "$VAL" -q -j $j "$V/sre-ers-line-too-long.eft" \
        "$V/valid-sre-dom-ebts-10.eft"
    expect 1 "quiet, warnings with --strict, -j $j" -- "$VAL" -q --strict -j $j \
        "$V/valid-sre-dom-ebts-10.eft" "$V/sre-ers-line-too-long.eft"
    expect 1 "quiet, one invalid among valid ones, -j $j" -- "$VAL" -q -j $j \
        "$V/valid-sre-dom-ebts-10.eft" "$V/sre-srf-not-i-or-n.eft" "$V/sre-ers-line-too-long.eft"
    expect 2 "quiet, one unreadable, -j $j" -- "$VAL" -q -j $j "$V/valid-sre-dom-ebts-10.eft" \
        "$T/missing.eft"
done
expect 0 "ebts-9.1 profile" -- "$VAL" --profile ebts-9.1 "$V/valid-errt.eft"
has "$T/out" "VER_UNEXPECTED" "9.1 expects VER 0400"
expect 1 "ebts-9.1: NAM of 40 characters" -- "$VAL" --profile ebts-9.1 "$V/sre-nam-51-characters.eft"
expect 1 "json" -- "$VAL" --format json "$V/valid-sre-dom-ebts-10.eft" "$V/sre-srf-missing.eft"
has "$T/out" '{"path":"fixtures/validate/valid-sre-dom-ebts-10.eft","valid":true,"diagnostics":[]}' \
    "json valid file"
has "$T/out" 'sre-srf-missing.eft","valid":false,"diagnostics":[{"code":"DOM_MISSING"' \
    "json invalid file"
has "$T/out" '{"code":"FIELD_MISSING","severity":"error"' "json invalid file's error"
expect 1 "junit" -- "$VAL" --format junit "$V/valid-errt.eft" "$V/sre-srf-missing.eft"
has "$T/out" '<testsuite name="ebts-validate" tests="2" failures="1" errors="0">' "junit suite"
has "$T/out" '<testcase classname="fixtures/validate" name="fixtures/validate/valid-errt.eft" time="' "junit passing case"
has "$T/out" '<failure message="FIELD_MISSING 2.059: SRF is mandatory for TOT SRE" type="invalid">' "junit failure"
expect 1 "redact" -- "$VAL" --redact "$V/sre-srf-not-i-or-n.eft" "$V/sre-nam-digit.eft"
hasnt "$T/out" 'value "X"' "redacted value"
has "$T/out" 'value "*" not in {I,N}' "redaction keeps the rule"
hasnt "$T/out" "'2'" "redacted character of a name"
expect 1 "directory walk" -- "$VAL" fixtures/samples
has "$T/out" "ebts-validate: 16 files, 8 valid, 8 invalid" "samples: the 8 published files invalid"
gzip -c "$V/valid-errt.eft" > "$T/v.eft.gz"
expect 0 "gzip" -- "$VAL" "$T/v.eft.gz"
expect 0 "stdin" -- sh -c "\"$VAL\" - < $V/valid-errt.eft"
expect 0 "expect mode" -- "$VAL" --expect fixtures/validate
NV=$(ls "$V"/*.eft | wc -l | tr -d ' ')
has "$T/out" "ebts-validate: $NV passed, 0 failed" "expect summary (every file of $V)"
cp "$V/sre-srf-missing.eft" "$T/x.eft"
printf 'DOM_MISSING\nVALUE_NOT_ALLOWED\n' > "$T/x.eft.expect"
expect 1 "expect mismatch" -- "$VAL" --expect "$T/x.eft"
has "$T/out" "FAIL (missing: VALUE_NOT_ALLOWED; unexpected: FIELD_MISSING)" "expect says why"
cp "$V/sre-srf-missing.eft" "$T/y.eft"
expect 1 "expect without .expect needs no error" -- "$VAL" --expect "$T/y.eft"
has "$T/out" "no .expect file and 1 error" "expect without file"

# profiles
P=profiles/example-state.xml
car=$V/valid-car.eft
expect 1 "state profile: booking number mandatory for CAR" -- "$VAL" --profile "$P" "$car"
has "$T/out" "FIELD_MISSING 2.901: BKN is mandatory for TOT CAR" "profile mandatory field"
has "$T/out" "FIELD_MISSING 2.009: OCA is mandatory for TOT CAR" "profile makes OCA mandatory"
"$CONV" -q --to readable --plain "$car" | sed 's/^2.073:/2.009:OCA-1<GS>\n2.016:123456789<GS>\n2.901:BK12345<GS>\n2.904:Q<GS>\n2.073:/' > "$T/state.txt"
expect 1 "state profile: user-defined fields checked" -- "$VAL" --profile "$P" "$T/state.txt"
has "$T/out" "FIELD_FORBIDDEN 2.016" "profile forbids SOC in CAR"
has "$T/out" 'VALUE_NOT_ALLOWED 2.904: JUV: value "Q" not in {Y,N}' "user-defined value set"
hasnt "$T/out" "2.901" "valid user-defined field passes"
hasnt "$T/out" "SHORT_TAG" "severity off"
expect 0 "state profile: ERRT unaffected" -- "$VAL" --profile "$P" "$V/valid-errt.eft"
printf '<profile xmlns="urn:libebts:profile:1" name="x"><field tag="2.901" mnemonic="X" type="Q"/></profile>' > "$T/bad.xml"
expect 2 "profile failing the XSD" -- "$VAL" --profile "$T/bad.xml" "$V/valid-errt.eft"
has "$T/err" "does not conform to the profile schema" "XSD refusal"
has "$T/err" "line 1" "XSD refusal names the line"
printf '<profile' > "$T/broken.xml"
expect 2 "profile not well-formed" -- "$VAL" --profile "$T/broken.xml" "$V/valid-errt.eft"
has "$T/err" "not well-formed XML" "XML refusal"
printf '<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]><profile xmlns="urn:libebts:profile:1" name="x"><description>&x;</description></profile>' > "$T/xxe.xml"
expect 2 "external entity refused, not loaded" -- "$VAL" --profile "$T/xxe.xml" "$V/valid-errt.eft"
has "$T/err" "PROFILE_INVALID" "entity profile refused"
hasnt "$T/err" "root:" "no file content leaked"

# ---- ebts-gen
GEN="$BUILD/bin/ebts-gen"
SUB="--in fixtures/validate/valid-car.eft --date 20260115 --tcn IDENT2026011500001"
expect 0 "gen help" -- "$GEN" --help
has "$T/out" "usage: ebts-gen" "gen help text"
expect 2 "gen without kind" -- "$GEN" $SUB
expect 2 "gen unknown kind" -- "$GEN" idr-maybe $SUB
expect 2 "gen bad encounter" -- "$GEN" idr-match $SUB --encounter "only-eid"
expect 2 "gen missing photo" -- "$GEN" idr-match $SUB --photo fixtures/none.jpg
expect 2 "gen without TCR" -- "$GEN" idr-nomatch --dai TX0000000 --name DOE,JOHN --cri TX0000000
has "$T/err" "GEN_INVALID" "gen says what is missing"
expect 2 "gen with six encounters" -- "$GEN" idr-match $SUB --encounter "1;A,B;;;" --encounter "2;A,B;;;" \
    --encounter "3;A,B;;;" --encounter "4;A,B;;;" --encounter "5;A,B;;;" --encounter "6;A,B;;;"
expect 2 "gen errt without messages" -- "$GEN" errt $SUB
expect 2 "gen photo that is no JPEG" -- "$GEN" idr-match $SUB --encounter "1;DOE,JOHN;19800101;XX;M" \
    --photo fixtures/README.md
expect 1 "gen from a non-transaction" -- "$GEN" idr-nomatch --in fixtures/invalid/empty.eft
# the golden responses in fixtures/generated are reproduced exactly
expect 0 "gen no-match" -- "$GEN" idr-nomatch $SUB -o "$T/nm.eft"
if cmp -s "$T/nm.eft" fixtures/generated/idr-nomatch.eft; then ok; else bad "no-match differs from fixtures/generated"; fi
expect 0 "gen match" -- "$GEN" idr-match $SUB --encounter "1105048570;DOE,JOHN;19630101;XX;M" \
    --encounter "1105046343;DOE,JOHNNY Q;19650208;CN;M" --photo fixtures/samples/face-48x64.jpg \
    --iar-status "SUBJECT APPEARS TO HAVE BEEN PREVIOUSLY REMOVED" -o "$T/m.eft"
if cmp -s "$T/m.eft" fixtures/generated/idr-iar-match.eft; then ok; else bad "match differs from fixtures/generated"; fi
expect 0 "gen errt" -- "$GEN" errt $SUB --error "L0013 DOA/DPR of [20260101] older than 7 days" \
    --error "S0002 [EFTS-1031] Fingerprint 2 is amputated" -o "$T/e.eft"
if cmp -s "$T/e.eft" fixtures/generated/errt.eft; then ok; else bad "errt differs from fixtures/generated"; fi
expect 0 "generated responses validate" -- "$VAL" --strict "$T/nm.eft" "$T/m.eft" "$T/e.eft"
expect 0 "gen json view" -- "$GEN" idr-match $SUB --encounter "1105048570;DOE,JOHN;19630101;XX;M" --to json
has "$T/out" '"sre":{"srf":"I","tcr":"TCN2026011500001","ori":"USVISIT0Z","dai":"TX0000000"' "sre view"
has "$T/out" '"encounters":[{"eid":"1105048570","name":"DOE,JOHN","dob":"19630101","pob":"XX","sex":"M"}]' "encounters"
expect 0 "gen from options only" -- "$GEN" errt --tcr TX2026011400042 --dai TX0000000 --error "E0001 2.018 NAM missing" --to json
has "$T/out" '"errt":{"messages":[{"code":"E0001","ref":null,"text":"2.018 NAM missing"}]}' "errt view"
printf 'NAM/ DOE, JOHN\nIMPORTANT NOTICE\n' > "$T/lesc.txt"
expect 0 "gen with LESC text" -- "$GEN" idr-match $SUB --encounter "1;DOE,JOHN;19800101;XX;M" --iar "$T/lesc.txt" --to readable
has "$T/out" "IMPORTANT NOTICE" "LESC text carried"
# ebts-conv shows the views of the published samples
expect 0 "conv json sre" -- "$CONV" -q --to json "$F/clean/idr-iar-match.eft"
has "$T/out" '"status":"SUBJECT APPEARS TO HAVE BEEN PREVIOUSLY REMOVED"' "IAR status in JSON"
has "$T/out" '"lesc_query_id":"XXXXXXXX"' "LESC query id in JSON"

# ---- ebts-diff
DIFF="$BUILD/bin/ebts-diff"
expect 0 "diff help" -- "$DIFF" --help
has "$T/out" "usage: ebts-diff" "diff help text"
expect 2 "diff one input" -- "$DIFF" "$F/clean/errt-doa.eft"
expect 2 "diff unknown format" -- "$DIFF" --format xml "$F/clean/errt-doa.eft" "$F/clean/errt-doa.eft"
expect 2 "diff missing file" -- "$DIFF" "$F/clean/errt-doa.eft" fixtures/none.eft
expect 0 "diff equal (LEN only)" -- "$DIFF" "$F/published/errt-doa.eft" "$F/clean/errt-doa.eft"
has "$T/out" "ebts-diff: 0 differences" "diff summary"
expect 1 "diff the two ERRTs" -- "$DIFF" "$F/clean/errt-doa.eft" "$F/clean/errt-amputated.eft"
has "$T/out" '2.060 MSG: "L0013 DOA/DPR of [20090210] older than 7 days " -> "S0002 [EFTS-1031] Fingerprint 2 is amputated "' "value change line"
expect 0 "diff ignore" -- "$DIFF" --ignore 2.060,1.009 "$F/clean/errt-doa.eft" "$F/clean/errt-amputated.eft"
expect 1 "diff quiet" -- "$DIFF" -q "$F/clean/errt-doa.eft" "$F/clean/errt-amputated.eft"
if [ -s "$T/out" ]; then bad "diff -q printed"; else ok; fi
expect 1 "diff redact" -- "$DIFF" --redact "$F/clean/errt-doa.eft" "$F/clean/errt-amputated.eft"
hasnt "$T/out" "L0013" "redacted message text"
has "$T/out" "2.060 MSG: changed" "redacted line says where"
expect 0 "diff semantic" -- "$DIFF" --semantic --ignore-space "$F/published/idr-nomatch.eft" "$F/clean/idr-nomatch.eft"
expect 1 "diff json" -- "$DIFF" --format json --semantic --ignore-space "$F/published/idr-iar-match.eft" "$F/clean/idr-iar-match.eft"
has "$T/out" '{"equal":false,"differences":[' "diff json head"
has "$T/out" '{"kind":"record-added","tag":null,"type":10,"idc":1,"record_a":-1,"record_b":2' "record added in json"
gzip -c "$F/clean/errt-doa.eft" > "$T/d.eft.gz"
expect 0 "diff gzip and stdin" -- sh -c "\"$DIFF\" $T/d.eft.gz - < $F/clean/errt-doa.eft"
expect 1 "diff generated responses" -- "$DIFF" --ignore-volatile fixtures/generated/idr-nomatch.eft fixtures/generated/idr-iar-match.eft
has "$T/out" '2.059 SRF: "N" -> "I"' "SRF change"
has "$T/out" "+ Type-10 record (IDC 01)" "photo added"

# ---- the XML encoding through the tools
expect 0 "conv to xml" -- "$CONV" -q --to xml -o "$T/m.xml" "$F/clean/idr-iar-match.eft"
has "$T/m.xml" "<itl:NISTBiometricInformationExchangePackage" "XML root"
has "$T/m.xml" "<nc:Date>2008-09-04</nc:Date>" "XML date form"
expect 0 "xml back to traditional" -- "$CONV" -q --from xml --to traditional -o "$T/m.eft" "$T/m.xml"
expect 0 "no difference after XML" -- "$DIFF" "$F/clean/idr-iar-match.eft" "$T/m.xml"
expect 0 "validate reads XML" -- "$VAL" fixtures/xml/errt.xml
expect 0 "validate walks XML" -- "$VAL" --expect fixtures/xml
has "$T/out" "ebts-validate: 3 passed, 0 failed" "XML fixtures pass"
expect 1 "hostile XML" -- "$CONV" fixtures/invalid/xml-external-entity.xml
has "$T/err" "XML_DTD_FORBIDDEN" "DTD refused"
gzip -c "$T/m.xml" > "$T/m.xml.gz"
expect 0 "gzip XML" -- "$DIFF" "$T/m.xml.gz" "$F/clean/idr-iar-match.eft"

# XML holding an item that begins like a tag: to traditional it is an error (it would read
# back as a new field); to XML or readable it is not
sed 's/S0002 \[EFTS-1031\]/2.05:[EFTS-1031] /' fixtures/xml/errt.xml > "$T/tagitem.xml"
expect 1 "conv tag-like item to traditional" -- \
    "$CONV" --to traditional -o "$T/ti.eft" "$T/tagitem.xml"
has "$T/err" "warning: VALUE_READS_AS_TAG 2.060:" "tag-like item reported"
has "$T/err" "error: 1 item would read back as a new field" "tag-like item an error"
expect 1 "conv tag-like item --strict" -- \
    "$CONV" --strict --to traditional -o "$T/ti2.eft" "$T/tagitem.xml"
if [ -e "$T/ti2.eft" ]; then bad "--strict wrote what reads back different"; else ok; fi
expect 0 "conv tag-like item to xml" -- "$CONV" --to xml -o "$T/ti.xml" "$T/tagitem.xml"
expect 0 "conv errt xml to traditional" -- \
    "$CONV" --to traditional -o "$T/e.eft" fixtures/xml/errt.xml
hasnt "$T/err" "VALUE_READS_AS_TAG" "no tag-like item in the plain ERRT"

# every hostile fixture: no crash (exit 0 or 1, never a signal or 2)
for f in fixtures/invalid/*.eft fixtures/invalid/*.gz fixtures/invalid/*.txt fixtures/invalid/*.xml; do
    "$CONV" -q --to traditional -o "$T/any" "$f" 2>/dev/null
    st=$?
    if [ $st -le 1 ]; then ok; else bad "$f: exit $st"; fi
done

echo "tools: $pass passed, $fail failed"
[ "$fail" = 0 ]
