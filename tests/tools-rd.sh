#!/bin/sh
# Tool tests for the readable notation as people read and write it (ebts-conv --as-read,
# mnemonics, summaries of binary data) and for ebts-diff's multi-line values, unread bytes,
# CNT and IAR comparisons. Run from the project root: BUILD=build sh tests/tools-rd.sh
BUILD=${BUILD:-build}
CONV="$BUILD/bin/ebts-conv"
DIFF="$BUILD/bin/ebts-diff"
. "$(dirname "$0")/lib.sh"

same() { # same GOT WANT DESCRIPTION
    if cmp -s "$1" "$2"; then ok; else bad "$3: $1 differs from $2"; cmp "$1" "$2" | sed 's/^/  /'; fi
}

S=fixtures/samples

# --as-read: the bytes the notation spells, defects included, nothing derived
for n in idr-iar-match idr-nomatch errt-doa errt-amputated; do
    rm -f "$T/$n.eft"
    expect 1 "as-read $n" -- "$CONV" --from readable --to traditional --as-read -o "$T/$n.eft" \
        "$S/published/$n.txt"
    same "$T/$n.eft" "$S/published/$n.eft" "as-read $n"
done
has "$T/err" "LEN_MISMATCH" "as-read still reports the defects it writes"
expect 0 "as-read clean" -- "$CONV" --as-read --to traditional -o "$T/c.eft" "$S/clean/errt-doa.txt"
same "$T/c.eft" "$S/clean/errt-doa.eft" "as-read clean sample"
expect 2 "as-read needs the traditional encoding" -- \
    "$CONV" --as-read --to json "$S/published/errt-doa.txt"
has "$T/err" "--as-read" "as-read with json: the message names the option"
expect 2 "as-read refuses --fix" -- \
    "$CONV" --as-read --fix --to traditional -o "$T/x.eft" "$S/published/errt-doa.txt"
if [ -e "$T/x.eft" ]; then bad "as-read with --fix wrote output"; else ok; fi

# the readable notation for people: a mnemonic per tag, binary data as a summary
expect 0 "readable default" -- "$CONV" "$S/clean/idr-iar-match.eft"
cp "$T/out" "$T/people.txt"
has "$T/people.txt" "1.01 LEN:157<GS>" "mnemonic of LEN"
has "$T/people.txt" "2.018 NAM:TEST,TEST<GS>" "mnemonic of 2.018"
has "$T/people.txt" "10.999 DATA:<SUMMARY 888 bytes, JPEG 48x64, CRC-32 " "binary data summarised"
hasnt "$T/people.txt" "<HEX:" "no hex without --full"
expect 1 "a summary is not read back" -- "$CONV" --to traditional -o "$T/people.eft" "$T/people.txt"
has "$T/err" "error: READABLE_SUMMARY" "the summary refused with its code"
has "$T/err" "888 bytes" "the refusal says how many bytes are missing"
if [ -e "$T/people.eft" ]; then bad "a summary was turned into bytes"; else ok; fi
expect 0 "readable --full" -- "$CONV" --full "$S/clean/idr-iar-match.eft"
cp "$T/out" "$T/full.txt"
has "$T/full.txt" "2.018 NAM:TEST,TEST<GS>" "mnemonics with --full"
has "$T/full.txt" "10.999 DATA:<HEX:ffd8ffe0" "every byte with --full"
expect 0 "--full reads back" -- "$CONV" --to traditional -o "$T/full.eft" "$T/full.txt"
same "$T/full.eft" "$S/clean/idr-iar-match.eft" "--full is lossless"
expect 0 "readable --plain" -- "$CONV" --plain "$S/clean/idr-iar-match.eft"
same "$T/out" "$S/clean/idr-iar-match.txt" "--plain is the fixtures' notation"
expect 2 "--full is for readable output" -- "$CONV" --full --to json "$S/clean/errt-doa.eft"

# ebts-diff: multi-line values line by line
M="$S/clean/idr-iar-match"
sed 's|^POB/ HONDU --> HONDURAS$|POB/ GUATE --> GUATEMALA|' "$M.txt" > "$T/pob.txt"
hasnt "$T/pob.txt" "HONDURAS" "the test input has its change"
expect 1 "diff of a 2.075 line" -- "$DIFF" "$M.eft" "$T/pob.txt"
has "$T/out" '2.075 ERS line 58: "POB/ HONDU --> HONDURAS"' "the old line, whole"
has "$T/out" '+ 2.075 ERS line 58: "POB/ GUATE --> GUATEMALA"' "the new line, whole"
has "$T/out" "ebts-diff: 2 differences" "one line changed is two differences"
expect 1 "diff of a 2.075 line as JSON" -- "$DIFF" --format json "$M.eft" "$T/pob.txt"
has "$T/out" '"kind":"line-removed","tag":"2.075"' "line-removed kind"
has "$T/out" '"line_b":58' "line number in JSON"

# bytes not read as records
cp "$S/clean/errt-doa.eft" "$T/trail.eft"
printf 'TRAILING-BYTES!' >> "$T/trail.eft"
expect 1 "diff with trailing bytes" -- "$DIFF" "$T/trail.eft" "$S/clean/errt-doa.eft"
has "$T/out" "bytes not read as records: 15 -> 0 bytes" "trailing bytes are a difference"
expect 0 "--records-only leaves them out" -- "$DIFF" --records-only "$T/trail.eft" "$S/clean/errt-doa.eft"

# CNT that disagrees with the records on one side
expect 1 "published and clean match" -- "$DIFF" --semantic --ignore-space \
    "$S/published/idr-iar-match.eft" "$M.eft"
has "$T/out" '1.003 CNT disagrees with the records in A: "1:2 2:0 10:1" -> "1:2 2:0 10:1"' "CNT disagreement"
has "$T/out" "+ Type-10 record (IDC 01)" "and the record the published print lacks"

# --ignore-volatile: 10.005 PHD and the IAQ RECEIVED time too
sed -e 's|^10.005:20080904<GS>$|10.005:20080905<GS>|' \
    -e 's|^IAQ RECEIVED: 10/14/08 10:47:42 PM$|IAQ RECEIVED: 10/15/08 01:02:03 AM|' "$M.txt" > "$T/vol.txt"
expect 1 "volatile fields differ" -- "$DIFF" "$M.eft" "$T/vol.txt"
has "$T/out" '10.005 PHD: "20080904" -> "20080905"' "PHD differs"
has "$T/out" '+ 2.075 ERS line 36: "IAQ RECEIVED: 10/15/08 01:02:03 AM"' "IAQ RECEIVED differs"
expect 0 "--ignore-volatile" -- "$DIFF" --ignore-volatile "$M.eft" "$T/vol.txt"
expect 0 "--ignore-volatile --semantic" -- "$DIFF" --ignore-volatile --semantic "$M.eft" "$T/vol.txt"

# --semantic: the whole IAR, not only the status between star lines
sed 's|^THE FOLLOWING I.C.E. RECORD APPEARS TO RELATE:$|NO I.C.E. RECORD APPEARS TO RELATE:|' \
    "$M.txt" > "$T/det.txt"
expect 1 "--semantic, another determination" -- "$DIFF" --semantic "$M.eft" "$T/det.txt"
has "$T/out" '+ 2.075 ERS IAR determination: "NO I.C.E. RECORD APPEARS TO RELATE:"' "determination compared"
sed 's|^FCO/ NRC$|FCO/ XYZ|' "$M.txt" > "$T/rec.txt"
expect 1 "--semantic, another ICE record" -- "$DIFF" --semantic "$M.eft" "$T/rec.txt"
has "$T/out" '2.075 ERS IAR record FCO: "NRC" -> "XYZ"' "ICE record compared"
expect 1 "--semantic --redact" -- "$DIFF" --semantic --redact "$M.eft" "$T/rec.txt"
hasnt "$T/out" "XYZ" "no value when redacted"

echo "tools-rd: $pass passed, $fail failed"
[ "$fail" = 0 ]
