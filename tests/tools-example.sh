#!/bin/sh
# examples/sib.c, the README's API example, on the FBI's published samples: what it prints, the
# photo it saves, the submission it builds. Run from the project root after make check has built
# it: BUILD=build sh tests/tools-example.sh
BUILD=${BUILD:-build}
SIB="$(pwd)/$BUILD/examples/sib"
CONV="$BUILD/bin/ebts-conv"
. "$(dirname "$0")/lib.sh"
# run NAME SAMPLE: sib on the sample in $T/NAME, stdout in $T/NAME.out
run() {
    mkdir -p "$T/$1"
    (cd "$T/$1" && "$SIB" "$OLDPWD/$2" sub.eft > ../"$1".out 2> ../"$1".err)
    st=$?
    if [ $st = 0 ]; then ok; else bad "$1: exit $st"; sed 's/^/  /' "$T/$1.err"; fi
}
same() { # same FILE WANT DESCRIPTION
    if printf '%s' "$2" | cmp -s - "$1"; then ok; else bad "$3"; printf '  want: %s\n  got:  ' "$2"; cat "$1"; fi
}
P=fixtures/samples/published
run match "$P/idr-iar-match.eft"
same "$T/match.out" 'TCN 42046114892: IDENT match ("Photo Attached", but no photo came)
  EID 1105048570: TEST,TEST, born 19630101 in XX
  EID 1105046343: TEST,Heather P, born 19650208 in CN
' "published match"
run nomatch "$P/idr-nomatch.eft"
same "$T/nomatch.out" 'TCN 42046114892: no IDENT match
' "published no-match"
run errt "$P/errt-amputated.eft"
same "$T/errt.out" 'TCN 42046114892: rejected
  S0002 Fingerprint 2 is amputated 
' "published ERRT"
run clean fixtures/samples/clean/idr-iar-match.eft
same "$T/clean.out" 'TCN 42046114892: IDENT match
  EID 1105048570: TEST,TEST, born 19630101 in XX
  photo: 1105048570.jpg
  EID 1105046343: TEST,Heather P, born 19650208 in CN
' "clean match"
if cmp -s "$T/clean/1105048570.jpg" fixtures/samples/face-48x64.jpg; then ok; else bad "photo saved"; fi
"$CONV" -q --plain "$T/clean/sub.eft" > "$T/sub.txt" 2>&1 || bad "the submission does not read"
for want in "1.004:CAR<GS>" "1.008:TX0000000<GS>" "1.009:TX0000000-" "1.014:" "2.018:TEST,TEST<FS>"; do
    if grep -qF -- "$want" "$T/sub.txt"; then ok; else bad "submission: no $want"; fi
done
"$SIB" > /dev/null 2>&1
if [ $? = 2 ]; then ok; else bad "no arguments: exit 2"; fi
# the README's program (build/examples/readme, cut from README.md by make): the encounters of the
# clean combined response, its count of errors, and its XML, which reads back as the response
RD="$(pwd)/$BUILD/examples/readme"
mkdir -p "$T/readme"
(cd "$T/readme" && "$RD" "$OLDPWD/fixtures/samples/clean/idr-iar-match.eft" > out.txt 2> err.txt)
if [ $? = 0 ]; then ok; else bad "README program: exit $?"; sed 's/^/  /' "$T/readme/err.txt"; fi
same "$T/readme/out.txt" 'EID 1105048570: TEST,TEST
EID 1105046343: TEST,Heather P
0 errors
' "README program's output"
expect 0 "README program's XML equals its input" -- "$BUILD/bin/ebts-diff" fixtures/samples/clean/idr-iar-match.eft "$T/readme/out.xml"
(cd "$T/readme" && "$RD" /nonexistent.eft > out2.txt 2>&1)
if [ $? = 1 ]; then ok; else bad "README program on a missing file: exit 1 expected"; fi
echo "tools-example: $pass passed, $fail failed"
[ "$fail" = 0 ]
