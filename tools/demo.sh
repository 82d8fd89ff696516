#!/bin/sh
# make demo: ebts-conv on the bundled samples (the FBI's published IDENT responses).
BUILD=${1:-build}
CONV="$BUILD/bin/ebts-conv"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
S=fixtures/samples

echo "== libebts demo: ebts-conv reads the FBI's published example responses to a SIB"
echo "   (fixtures/samples/published: as printed, with the defects real traffic carries)"
for f in "$S"/published/*.eft; do
    name=$(basename "$f" .eft)
    echo
    echo "-- $f"
    "$CONV" --to traditional -o "$T/$name.eft" "$f"
    echo "   exit status $? ; written repaired to a temporary file"
    if cmp -s "$T/$name.eft" "$S/clean/$name.eft"; then
        echo "   the repaired file is byte for byte the clean version ($S/clean/$name.eft)"
    fi
done

echo
echo "== The clean combined IDR/IAR response in readable notation (first 24 lines)"
"$CONV" "$S/clean/idr-iar-match.eft" | head -24
echo "   ..."

echo
echo "== The clean ERRT as JSON, for scripts"
"$CONV" --to json --base64 "$S/clean/errt-doa.eft" | head -12

echo
echo "== ebts-validate: the clean and published responses against the EBTS 10 rules"
"$BUILD/bin/ebts-validate" "$S"/clean/*.eft "$S"/published/*.eft | grep -E ': (valid|invalid) |^ebts-validate:'
echo "   a rule failure names the field and the rule:"
"$BUILD/bin/ebts-validate" fixtures/validate/sre-srf-not-i-or-n.eft | head -1

echo
echo "== The IDENT round: answer a booking submission (fixtures/validate/valid-car.eft)"
GEN="$BUILD/bin/ebts-gen"
SUB="--in fixtures/validate/valid-car.eft"
"$GEN" idr-nomatch $SUB -o "$T/nomatch.eft"
"$GEN" idr-match $SUB --encounter "1105048570;DOE,JOHN;19630101;XX;M" \
    --encounter "1105046343;DOE,JOHNNY Q;19650208;CN;M" --photo "$S/face-48x64.jpg" \
    --iar-status "SUBJECT APPEARS TO HAVE BEEN PREVIOUSLY REMOVED" -o "$T/match.eft"
"$BUILD/bin/ebts-validate" "$T/nomatch.eft" "$T/match.eft" | grep -E ': (valid|invalid) ' | sed "s|$T/||"
for r in nomatch match; do
    "$CONV" -q --to json "$T/$r.eft" | grep -o '"sre":{"srf":"[A-Z]"' | sed "s/^/   $r.eft: /"
    "$CONV" -q --to json "$T/$r.eft" | grep -o '"encounters":\[[^]]*\]' | head -1 | sed 's/^/   /'
done
echo "   match.eft 2.075, as a SIB reads it:"
"$CONV" -q "$T/match.eft" | sed -n '/MATCH -----/,/^Photo Attached/p' | sed 's/^/     /'
"$CONV" -q --to html -o "$BUILD/demo-match.html" "$T/match.eft"
echo "   and as a page with its photos: open $BUILD/demo-match.html in a browser"

echo
echo "== Lossless: every bundled transaction written back byte for byte"
same=0
total=0
for f in "$S"/clean/*.eft fixtures/corpus/*/*; do
    case "$f" in *.expect) continue ;; esac
    total=$((total + 1))
    "$CONV" -q --to traditional -o "$T/rt" "$f" && cmp -s "$T/rt" "$f" && same=$((same + 1))
done
echo "   $same of $total files identical after read + write"
