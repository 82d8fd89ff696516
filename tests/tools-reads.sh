#!/bin/sh
# Tool tests: reads bounded by what the input is (a file over the limit refused from its size,
# input that cannot be a transaction refused after a small prefix, with peak memory measured),
# ebts-gen's photo size limit and its option checks.
# Run from the project root: BUILD=build sh tests/tools-reads.sh
BUILD=${BUILD:-build}
VAL="$BUILD/bin/ebts-validate"
CONV="$BUILD/bin/ebts-conv"
GEN="$BUILD/bin/ebts-gen"
. "$(dirname "$0")/lib.sh"

# Peak memory: commands run under GNU time write their peak RSS (KiB) as the last line of
# $T/rss; small_rss checks it is under 64 MiB. Without /usr/bin/time the check is skipped (the
# codes and exit statuses are still checked).
TIME=/usr/bin/time
if [ -x "$TIME" ] && "$TIME" -o "$T/rss" -f %M true 2>/dev/null; then
    TIMED="$TIME -o $T/rss -f %M"
else
    TIMED=
    echo "tools-reads: no GNU time at $TIME: peak memory not checked"
fi
small_rss() { # small_rss DESCRIPTION
    [ -n "$TIMED" ] || return 0
    kb=$(tail -n 1 "$T/rss")
    if [ "$kb" -lt 65536 ] 2>/dev/null; then ok; else bad "$1: peak RSS $kb KiB, expected under 65536"; fi
    rm -f "$T/rss"
}

F=fixtures/samples

# ---- input that cannot be a transaction: refused from its first bytes
expect 1 "/dev/zero" -- $TIMED "$VAL" /dev/zero
has "$T/out" "/dev/zero:0: error: NOT_TRANSACTION" "/dev/zero is not a transaction"
small_rss "/dev/zero"

expect 1 "yes on standard input" -- sh -c "yes | $TIMED \"$VAL\" -"
has "$T/out" "<stdin>:0: error: NOT_TRANSACTION" "yes is not a transaction"
small_rss "yes on standard input"

truncate -s 1G "$T/sparse1g"
expect 1 "sparse file under the limit" -- $TIMED "$VAL" "$T/sparse1g"
has "$T/out" "error: NOT_TRANSACTION" "sparse file is not a transaction"
small_rss "sparse file under the limit"

expect 1 "sparse file under the limit, ebts-conv" -- $TIMED "$CONV" -o "$T/x.eft" "$T/sparse1g"
has "$T/err" "error: NOT_TRANSACTION" "ebts-conv refuses the sparse file"
small_rss "sparse file under the limit, ebts-conv"

# ---- a regular file larger than the limit (2 GiB): refused from its size
truncate -s 3G "$T/sparse3g"
expect 1 "file over the limit" -- $TIMED "$VAL" "$T/sparse3g"
has "$T/out" "sparse3g:0: error: INPUT_TOO_LARGE" "file over the limit refused"
small_rss "file over the limit"

# ---- gzip: inflated only until its first bytes say what it is. 512 members of 10 MB of zeros
# each: about 5 MB that inflate to 5 GB.
head -c 10000000 /dev/zero | gzip -c > "$T/z.gz"
for i in 1 2 3 4 5 6 7 8 9; do cat "$T/z.gz" "$T/z.gz" > "$T/z2.gz" && mv "$T/z2.gz" "$T/z.gz"; done
expect 1 "gzip of zeros" -- $TIMED "$VAL" "$T/z.gz"
has "$T/out" "error: NOT_TRANSACTION" "gzip of zeros is not a transaction"
small_rss "gzip of zeros"
expect 1 "gzip of zeros on standard input" -- sh -c "$TIMED \"$VAL\" - < \"$T/z.gz\""
has "$T/out" "<stdin>:0: error: NOT_TRANSACTION" "gzip of zeros on standard input"
small_rss "gzip of zeros on standard input"

# ---- every format is still read, whole, from files and pipes
expect 0 "traditional from a pipe" -- sh -c "cat $F/clean/errt-doa.eft | \"$CONV\" --to traditional - > $T/p.eft"
if cmp -s "$T/p.eft" "$F/clean/errt-doa.eft"; then ok; else bad "traditional from a pipe"; fi
expect 0 "readable from a pipe" -- sh -c "cat $F/clean/errt-doa.txt | \"$CONV\" --to traditional - > $T/r.eft"
if cmp -s "$T/r.eft" "$F/clean/errt-doa.eft"; then ok; else bad "readable from a pipe"; fi
"$CONV" -q --to xml -o "$T/m.xml" "$F/clean/idr-iar-match.eft"
"$CONV" -q --to traditional -o "$T/m.eft" "$T/m.xml"
{ printf '\357\273\277'; cat "$T/m.xml"; } > "$T/bom.xml"
expect 0 "XML with a BOM from a pipe" -- sh -c "cat $T/bom.xml | \"$CONV\" --to traditional - > $T/x.eft"
if cmp -s "$T/x.eft" "$T/m.eft"; then ok; else bad "XML with a BOM from a pipe"; fi
{ printf '\n  \n'; sed 1d "$T/m.xml"; } > "$T/ws.xml"
expect 0 "XML after white space from a pipe" -- sh -c "cat $T/ws.xml | \"$CONV\" --to traditional - > $T/x.eft"
if cmp -s "$T/x.eft" "$T/m.eft"; then ok; else bad "XML after white space from a pipe"; fi
# a large transaction (a 3 MB Type-2 value), gzipped, through a pipe
{ printf '1.001:0\0351.002:0500\0351.003:1\0371\0362\03700\0341.004:CAR\034'
  printf '2.001:0\0352.002:00\0352.005:'; head -c 3000000 /dev/zero | tr '\0' A; printf '\034'; } > "$T/big.eft"
"$CONV" -q --to traditional -o "$T/big-fixed.eft" "$T/big.eft" # LENs derived
gzip -c "$T/big-fixed.eft" > "$T/big.eft.gz"
expect 0 "large gzip from a pipe" -- sh -c "cat $T/big.eft.gz | \"$CONV\" --to traditional - > $T/big-out.eft"
if [ "$(wc -c < "$T/big-out.eft")" -gt 3000000 ] && cmp -s "$T/big-out.eft" "$T/big-fixed.eft"; then ok; else bad "large gzip read whole"; fi

# ---- ebts-gen: photos and LESC text have a size limit (1 MiB), read no further than it
SUB="--in fixtures/validate/valid-car.eft --date 20260115 --tcn IDENT2026011500001"
ENC="--encounter 1105048570;DOE,JOHN;19630101;XX;M"
printf 'NAM/ DOE, JOHN\nIMPORTANT NOTICE\n' > "$T/lesc.txt"
# (endless input comes from 200 MB of zeros, so that a regression cannot take all memory)
expect 2 "gen photo of endless zeros" -- sh -c "head -c 200000000 /dev/zero | \
    $TIMED \"$GEN\" idr-match $SUB --encounter '1;DOE,JOHN;;;' --photo /dev/stdin -o $T/g.eft"
has "$T/err" "ebts-gen: photo /dev/stdin is larger than the limit of 1048576 bytes" "photo limit message"
small_rss "gen photo of endless zeros"
if [ -e "$T/g.eft" ]; then bad "gen wrote a response with a photo over the limit"; else ok; fi
{ cat "$F/face-48x64.jpg"; head -c $((1048576 - $(wc -c < "$F/face-48x64.jpg"))) /dev/zero; } > "$T/1m.jpg"
expect 0 "gen photo of exactly the limit" -- "$GEN" idr-match $SUB $ENC --photo "$T/1m.jpg" -o "$T/g.eft"
printf '\0' >> "$T/1m.jpg"
expect 2 "gen photo one byte over the limit" -- "$GEN" idr-match $SUB $ENC --photo "$T/1m.jpg"
has "$T/err" "is larger than the limit of 1048576 bytes" "photo one byte over"
expect 2 "gen LESC text of endless zeros" -- sh -c "head -c 200000000 /dev/zero | \
    $TIMED \"$GEN\" idr-match $SUB --encounter '1;DOE,JOHN;;;' --iar /dev/stdin"
has "$T/err" "ebts-gen: /dev/stdin is larger than the limit of 1048576 bytes" "LESC text limit message"
small_rss "gen LESC text of endless zeros"
expect 0 "gen help names the photo limit" -- "$GEN" --help
has "$T/out" "at most 1 MiB" "photo limit in --help"

# ---- ebts-gen: --option=VALUE is the option's value, for every option
expect 0 "gen --encounter=" -- "$GEN" idr-match $SUB --encounter="1105048570;DOE,JOHN;19630101;XX;M" --to json
has "$T/out" '"encounters":[{"eid":"1105048570","name":"DOE,JOHN"' "--encounter= value"
hasnt "$T/out" "--encounter" "--encounter= is no EID"

# ---- ebts-gen: more messages than an ERRT holds (11)
E="--error E0001_x"
expect 0 "gen errt with 11 messages" -- "$GEN" errt $SUB $E $E $E $E $E $E $E $E $E $E $E
expect 2 "gen errt with 12 messages" -- "$GEN" errt $SUB $E $E $E $E $E $E $E $E $E $E $E $E
has "$T/err" "ebts-gen: at most 11 --error messages" "too many messages said"

# ---- ebts-gen: options the chosen response would ignore are refused
ignored() { # ignored KIND OPTION VALUE: exit 2, and the message names the option
    expect 2 "gen $1 $2" -- "$GEN" "$1" $SUB "$2" "$3"
    has "$T/err" "ebts-gen: $2 does not apply to $1" "gen $1 $2 message"
}
ignored idr-nomatch --encounter "1105048570;DOE,JOHN;19630101;XX;M"
ignored idr-nomatch --photo "$F/face-48x64.jpg"
ignored idr-nomatch --iar-status "SUBJECT APPEARS TO HAVE BEEN PREVIOUSLY REMOVED"
ignored idr-nomatch --iar "$T/lesc.txt"
ignored idr-nomatch --error "E0001 2.018 NAM missing"
ignored idr-match --error "E0001 2.018 NAM missing"
ignored errt --encounter "1105048570;DOE,JOHN;19630101;XX;M"
ignored errt --photo "$F/face-48x64.jpg"
ignored errt --iar-status "SUBJECT APPEARS TO HAVE BEEN PREVIOUSLY REMOVED"
ignored errt --iar "$T/lesc.txt"
ignored errt --name "DOE,JOHN"
ignored errt --sid "TX12345678"
# and the options each kind takes are taken
expect 0 "gen errt with every option it takes" -- "$GEN" errt $SUB --tcr TCN0000000001 --dai TX0000000 \
    --cri TX0000000 --oca OCA1 --ver 0500 --error "E0001 2.018 NAM missing" --to json
expect 0 "gen idr-nomatch with every option it takes" -- "$GEN" idr-nomatch $SUB --tcr TCN0000000001 \
    --dai TX0000000 --name DOE,JOHN --sid TX12345678 --cri TX0000000 --oca OCA1 --ver 0500
expect 0 "gen idr-match with every option it takes" -- "$GEN" idr-match $SUB --tcr TCN0000000001 \
    --dai TX0000000 --name DOE,JOHN --sid TX12345678 --cri TX0000000 --oca OCA1 --ver 0500 \
    $ENC --photo "$F/face-48x64.jpg" --iar-status "SUBJECT APPEARS TO HAVE BEEN PREVIOUSLY REMOVED" \
    --iar "$T/lesc.txt"

# zeros after the last gzip member are padding, as gzip -t takes them; other bytes are an error
# at their place, not at the start
gzip -c fixtures/samples/clean/errt-doa.eft > "$T/m.gz"
{ cat "$T/m.gz"; printf '\0\0\0\0'; } > "$T/pad.gz"
{ cat "$T/m.gz"; printf 'XYZ'; } > "$T/junk.gz"
expect 0 "gzip with zero padding" -- "$VAL" -q "$T/pad.gz"
expect 1 "gzip with bytes after its member" -- "$VAL" "$T/junk.gz"
gz=$(wc -c < "$T/m.gz" | tr -d ' ')
off=$(sed -n 's/^[^:]*junk.gz:\([0-9]*\): error: GZIP_ERROR.*/\1/p' "$T/out" "$T/err" | head -n 1)
if [ -n "$off" ] && [ "$off" -ge "$gz" ]; then ok; else bad "GZIP_ERROR at offset '$off', expected $gz or more"; fi

echo "tools-reads: $pass passed, $fail failed"
[ "$fail" = 0 ]
