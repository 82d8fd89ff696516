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
echo "== Lossless: every bundled transaction written back byte for byte"
same=0
total=0
for f in "$S"/clean/*.eft fixtures/corpus/*/*; do
    case "$f" in *.expect) continue ;; esac
    total=$((total + 1))
    "$CONV" -q --to traditional -o "$T/rt" "$f" && cmp -s "$T/rt" "$f" && same=$((same + 1))
done
echo "   $same of $total files identical after read + write"
