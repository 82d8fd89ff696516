#!/bin/sh
# Tool tests: exit codes, diagnostics on stderr, output on stdout or -o, for ebts-conv.
# Run from the project root: BUILD=build sh tests/tools.sh
BUILD=${BUILD:-build}
CONV="$BUILD/bin/ebts-conv"
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
hasnt() {
    if grep -qF -- "$2" "$1"; then bad "$3: '$2' found in $1"; else ok; fi
}

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
expect 0 "readable output" -- "$CONV" "$F/clean/idr-nomatch.eft"
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

# every hostile fixture: no crash (exit 0 or 1, never a signal or 2)
for f in fixtures/invalid/*.eft fixtures/invalid/*.gz fixtures/invalid/*.txt; do
    "$CONV" -q --to traditional -o "$T/any" "$f" 2>/dev/null
    st=$?
    if [ $st -le 1 ]; then ok; else bad "$f: exit $st"; fi
done

echo "tools: $pass passed, $fail failed"
[ "$fail" = 0 ]
