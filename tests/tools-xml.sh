#!/bin/sh
# Tool tests for the XML round trip, the diagnostic cap and ebts-diff --semantic: exit codes and
# the summaries the tools print. Run from the project root: BUILD=build sh tests/tools-xml.sh
BUILD=${BUILD:-build}
CONV="$BUILD/bin/ebts-conv"
VALIDATE="$BUILD/bin/ebts-validate"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0
fail=0

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
# expect STATUS DESCRIPTION -- command...
expect() {
    want=$1; what=$2; shift 3
    "$@" >"$T/out" 2>"$T/err"
    got=$?
    if [ "$got" = "$want" ]; then ok; else bad "$what: exit $got, expected $want"; sed 's/^/  /' "$T/err" | head -5; fi
}
has() { # has FILE TEXT DESCRIPTION
    if grep -qF -- "$2" "$1"; then ok; else bad "$3: '$2' not in $1"; sed 's/^/  /' "$1" | head -5; fi
}

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

echo "tools-xml: $pass passed, $fail failed"
[ "$fail" = 0 ]
