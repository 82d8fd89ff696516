#!/bin/sh
# ebts-gen against the FBI's published layout: what the 2.075 text of each kind looks like, the
# IAQ echo, the LESC response with and without its text, and the responses the FBI would not
# send (refused with exit 2). Run from the project root: BUILD=build sh tests/tools-gen.sh
BUILD=${BUILD:-build}
GEN="$BUILD/bin/ebts-gen"
CONV="$BUILD/bin/ebts-conv"
VAL="$BUILD/bin/ebts-validate"
. "$(dirname "$0")/lib.sh"

# line FILE TEXT DESCRIPTION: TEXT is a whole line of FILE
line() {
    if grep -qxF -- "$2" "$1"; then ok; else bad "$3: no line '$2' in $1"; fi
}
# count FILE TEXT N DESCRIPTION: TEXT is on N lines
count() {
    n=$(grep -cF -- "$2" "$1")
    if [ "$n" = "$3" ]; then ok; else bad "$4: '$2' on $n lines, expected $3"; fi
}
# the readable form of a response, CR dropped: one line per 2.075 line
readable() { "$CONV" -q --plain --to readable "$1" | tr -d '\r' > "$2"; }

SUB="--in fixtures/validate/valid-car.eft --date 20260115 --tcn IDENT2026011500001"
E1="1105048570;DOE,JOHN;19630101;XX;M"
E2="1105046343;DOE,JOHNNY Q;19650208;CN;M"
JPG=fixtures/samples/face-48x64.jpg
STATUS="SUBJECT APPEARS TO HAVE BEEN PREVIOUSLY REMOVED"

# ---- the match: no title, an empty line before the marker, the IAQ echo as the FBI writes it
expect 0 "match" -- "$GEN" idr-match $SUB --encounter "$E1" --encounter "$E2" --photo "$JPG" \
    --iar-status "$STATUS" -o "$T/m.eft"
readable "$T/m.eft" "$T/m.txt"
hasnt "$T/m.txt" "IDENT Data Response (IDR)" "the match has no title"
line "$T/m.txt" "2.075:This record is being sent for identification purposes only. It does not" \
    "the match begins with the disclaimer"
if grep -B1 -xF -- "------ MATCH -----" "$T/m.txt" | head -1 | grep -qx ""; then ok; else
    bad "no empty line before the MATCH marker"; fi
line "$T/m.txt" "ORI/ WVFBIID00 ATN/ORI=TX0000000" "IAQ ORI is CJIS's, ATN the submitter's"
line "$T/m.txt" "PHN/3046252000" "IAQ PHN"
line "$T/m.txt" "NAM/ DOE, JOHN" "IAQ NAM in NCIC's form"
line "$T/m.txt" "DOB/ 19800101 CUS/ Y OFF/0399 PUR/ C POB/TX SEX/M" "IAQ DOB line groups six keys"
line "$T/m.txt" "FBI/" "IAQ FBI"
line "$T/m.txt" "ARN/ SOC/" "IAQ ARN and SOC share a line"
line "$T/m.txt" "REM/ IDSM=IDENT2026011500001ENCOUNTER" "IDSM is the response's 1.009"
hasnt "$T/m.txt" "IDSM=TCN2026011500001" "IDSM is not the submission's TCN"
# --iar-status alone: the whole LESC response
line "$T/m.txt" "THIS IS NOT A GOVERNMENT DETAINER! THIS INFORMATION IS FOR" "detainer preamble"
line "$T/m.txt" "$STATUS" "status line"
line "$T/m.txt" "THE FOLLOWING I.C.E. RECORD APPEARS TO RELATE:" "ICE record announced"
line "$T/m.txt" "REQUESTING ORI INFORMATION:" "requesting ORI block"
has "$T/m.txt" "LESC QUERY ID:" "LESC query id"
count "$T/m.txt" "END OF RESPONSE . . . ." 1 "one END OF RESPONSE"
# IAQ values and the RECEIVED line from options, in place of the submission's and CJIS's
expect 0 "match with IAQ values" -- "$GEN" idr-match $SUB --encounter "$E1" --iar-status "$STATUS" \
    --iaq ATN=ORI=TX1234567 --iaq PHN=5125550100 --iaq OFF=2399 \
    --iar-received "2026-01-15 09:30:00 AM" -o "$T/q.eft"
readable "$T/q.eft" "$T/q.txt"
line "$T/q.txt" "ORI/ WVFBIID00 ATN/ORI=TX1234567" "--iaq ATN"
line "$T/q.txt" "PHN/5125550100" "--iaq PHN"
has "$T/q.txt" "OFF/2399" "--iaq OFF"
line "$T/q.txt" "IAQ RECEIVED: 2026-01-15 09:30:00 AM" "--iar-received"
# long values are written whole: RECEIVED on its line, an IAQ value in the I.C.E. record too
R40=RECEIVED-0123456789-0123456789-0123456789
F130=$(printf 'F%.0s' $(seq 1 130))
expect 0 "long --iar-received and --iaq FBI" -- "$GEN" idr-match $SUB --encounter "$E1" \
    --iar-status "$STATUS" --iar-received "$R40" --iaq "FBI=$F130" -o "$T/long.eft"
readable "$T/long.eft" "$T/long.txt"
line "$T/long.txt" "IAQ RECEIVED: $R40" "a long --iar-received whole"
# (a value wrapped onto two lines reads back with a blank where it was cut)
n=$("$CONV" -q --to json "$T/long.eft" | tr -d ' ' | grep -o "\"$F130\"" | wc -l)
if [ "$n" = 2 ]; then ok; else
    bad "a long --iaq FBI: not read back whole from the IAQ echo and the I.C.E. record"; fi
# a key given again: its last value counts, however often it was given
set --
for n in 01 02 03 04 05 06 07 08 09 10 11 12 13 14 15 16; do
    set -- "$@" --iaq "PHN=51255501$n"
done
expect 0 "--iaq PHN sixteen times" -- "$GEN" idr-match $SUB --encounter "$E1" \
    --iar-status "$STATUS" "$@" -o "$T/r.eft"
readable "$T/r.eft" "$T/r.txt"
line "$T/r.txt" "PHN/5125550116" "--iaq PHN given again: the last counts"
set --
# several photos, one per encounter
expect 0 "two photos for two encounters" -- "$GEN" idr-match $SUB --encounter "$E1" --encounter "$E2" \
    --photo "$JPG" --photo "$JPG" -o "$T/p2.eft"
readable "$T/p2.eft" "$T/p2.txt"
count "$T/p2.txt" "10.003:FACE" 2 "two Type-10 photos"
count "$T/p2.txt" "Photo Attached" 1 "Photo Attached once"

# ---- the no-match: the title and an empty line, no empty line before the marker, no line end
# after it
expect 0 "no-match" -- "$GEN" idr-nomatch $SUB -o "$T/n.eft"
readable "$T/n.eft" "$T/n.txt"
line "$T/n.txt" "2.075:IDENT Data Response (IDR)" "no-match title"
if grep -A1 -xF "2.075:IDENT Data Response (IDR)" "$T/n.txt" | tail -1 | grep -qx ""; then ok; else
    bad "no empty line after the title"; fi
line "$T/n.txt" "- NO MATCH -<FS>" "the marker ends the text"
if grep -B1 -xF -- "- NO MATCH -<FS>" "$T/n.txt" | head -1 | grep -qx ""; then
    bad "an empty line before NO MATCH"; else ok; fi

# ---- the LESC text given whole is not ended twice
printf 'THIS IS NOT A GOVERNMENT DETAINER! THIS INFORMATION IS FOR\nLAW ENFORCEMENT USE AND IS BEING PROVIDED FOR INFORMATIONAL\nPURPOSES ONLY.\nNO RECORD FOUND\nLESC QUERY ID:12345678 *** LIMITED OFFICIAL USE ***\nEND OF RESPONSE . . . .\n' > "$T/lesc.txt"
expect 0 "match with the LESC text" -- "$GEN" idr-match $SUB --encounter "$E1" --iar "$T/lesc.txt" -o "$T/l.eft"
readable "$T/l.eft" "$T/l.txt"
count "$T/l.txt" "END OF RESPONSE . . . ." 1 "LESC text: one END OF RESPONSE"
count "$T/l.txt" "THIS IS NOT A GOVERNMENT DETAINER!" 1 "LESC text: one preamble"
line "$T/l.txt" "NO RECORD FOUND" "LESC text carried as sent"
hasnt "$T/l.txt" "REQUESTING ORI INFORMATION:" "nothing added after the LESC's end"
# the view reads the status back without star lines
"$CONV" -q --to json "$T/l.eft" > "$T/l.json"
has "$T/l.json" '"status":"NO RECORD FOUND"' "status found without star lines"

expect 0 "generated responses validate" -- "$VAL" --strict "$T/m.eft" "$T/p2.eft" "$T/n.eft" "$T/l.eft"
# 1.013 DOM: NORAM and EBTS 11.1 as the 11.2 templates write it, or the version asked
"$CONV" -q --to readable --plain "$T/n.eft" > "$T/n.txt"
has "$T/n.txt" "1.013:NORAM<US>EBTS 11.1" "DOM as the 11.2 templates write it"
expect 0 "gen --dvn" -- "$GEN" idr-nomatch $SUB --dvn "EBTS 10.0" -o "$T/d.eft"
"$CONV" -q --to readable --plain "$T/d.eft" > "$T/d.txt"
has "$T/d.txt" "1.013:NORAM<US>EBTS 10.0" "DOM with the version asked"
expect 0 "its response validates under ebts-10" -- "$VAL" --strict --profile ebts-10 "$T/d.eft"

# ---- what the FBI would not send: exit 2 and a message
refused() { # refused DESCRIPTION MESSAGE -- args...
    what=$1; msg=$2; shift 3
    expect 2 "$what" -- "$GEN" "$@"
    has "$T/err" "$msg" "$what: message"
    if [ -s "$T/out" ]; then bad "$what: wrote a response"; else ok; fi
}
refused "no-match with an encounter" "--encounter does not apply to idr-nomatch" -- idr-nomatch $SUB --encounter "$E1"
refused "no-match with a photo" "--photo does not apply to idr-nomatch" -- idr-nomatch $SUB --photo "$JPG"
refused "no-match with an IAR status" "--iar-status does not apply to idr-nomatch" -- idr-nomatch $SUB --iar-status "$STATUS"
refused "no-match with IAQ values" "--iaq does not apply to idr-nomatch" -- idr-nomatch $SUB --iaq ATN=X
refused "no-match with IAQ RECEIVED" "--iar-received does not apply to idr-nomatch" -- idr-nomatch $SUB --iar-received X
refused "IAQ values without an IAR" "IAQ values without an IAR" -- idr-match $SUB --encounter "$E1" --iaq ATN=X
refused "an IAQ key unknown" "no IAQ value \"XYZ\"" -- idr-match $SUB --encounter "$E1" --iar-status "$STATUS" --iaq XYZ=1
refused "an IAQ value without a key" "--iaq wants KEY=VALUE" -- idr-match $SUB --encounter "$E1" --iar-status "$STATUS" --iaq =1
refused "an IAQ value without =" "--iaq wants KEY=VALUE" -- idr-match $SUB --encounter "$E1" --iar-status "$STATUS" --iaq ATN
# a line end in a one-line value would start a line of the IAR's own (a forged FBI/ or DOB/)
NL='
'
refused "an IAQ value with a line end" "a line end in IAQ value PHN" -- idr-match $SUB --encounter "$E1" \
    --iar-status "$STATUS" --iaq "PHN=5125550100${NL}FBI/999"
refused "an IAQ value with a CR" "a line end in IAQ value ATN" -- idr-match $SUB --encounter "$E1" \
    --iar-status "$STATUS" --iaq "ATN=X$(printf '\r')DOB/ 1"
refused "IAQ RECEIVED with a line end" "a line end in the IAQ RECEIVED line" -- idr-match $SUB \
    --encounter "$E1" --iar-status "$STATUS" --iar-received "01/15/26${NL}DOB/ 19000101"
refused "a LESC status with a line end" "a line end in the LESC status line" -- idr-match $SUB \
    --encounter "$E1" --iar-status "$STATUS${NL}END OF RESPONSE . . . ."
refused "errt with an encounter" "--encounter does not apply to errt" -- errt $SUB --error "E0001 x" --encounter "$E1"
refused "match with an error" "--error does not apply to idr-match" -- idr-match $SUB --encounter "$E1" --error "E0001 x"
refused "match without encounters" "one to five encounters" -- idr-match $SUB
refused "encounter of two parts" "EID;NAME;DOB;POB;SEX" -- idr-match $SUB --encounter "1105048570;DOE"
refused "encounter without a first name" "an encounter is" -- idr-match $SUB --encounter "1105048570;DOE;19630101;XX;M"
refused "encounter with a bad DOB" "an encounter is" -- idr-match $SUB --encounter "1105048570;DOE,JOHN;1963;XX;M"
refused "more photos than encounters" "one photo per encounter" -- idr-match $SUB --encounter "$E1" --photo "$JPG" --photo "$JPG"
for tcn in FAKE-TCN "jck t5"; do
    "$CONV" -q --plain --to readable fixtures/validate/valid-car.eft | sed "s/^1.009:.*<GS>/1.009:$tcn<GS>/" > "$T/sub.txt"
    refused "submission TCN '$tcn'" "is not 10 to 40 printable characters" -- idr-nomatch --in "$T/sub.txt" --date 20260115
    refused "--tcr '$tcn'" "is not 10 to 40 printable characters" -- errt --tcr "$tcn" --dai TX0000000 --error "E0001 x"
done

# what the validator refuses is refused (exit 2), and a LESC text is text
expect 2 "errt with an empty message" -- "$GEN" errt $SUB --error ""
has "$T/err" "would not validate: LENGTH_INVALID 2.060" "empty message named"
expect 2 "a date that is no date" -- "$GEN" idr-nomatch $SUB --date 20261399
has "$T/err" "would not validate: DATE_INVALID 1.005" "bad date named"
expect 2 "a name too long for one line" -- "$GEN" idr-match $SUB \
    --encounter "1234567890;VANDERSTRAATENMONTGOMERYSMITHJONESWILLIAMS,ALEXANDRAELIZABETH;19700101;XX;M"
printf 'A\0B\n' > "$T/nul.txt"
expect 2 "a NUL in the LESC text" -- "$GEN" idr-match $SUB --encounter "$E1" --iar "$T/nul.txt"
has "$T/err" "NUL byte" "NUL named"
printf 'NAM/ DOE\035X\n' > "$T/gs.txt"
expect 2 "a separator in the LESC text" -- "$GEN" idr-match $SUB --encounter "$E1" --iar "$T/gs.txt"
echo "tools-gen: $pass passed, $fail failed"
[ "$fail" = 0 ]
