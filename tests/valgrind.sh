#!/bin/sh
# The tools under valgrind on the hostile and defective fixtures: no invalid access, no leak;
# threads whose first library calls are XML work, and one validation split between threads,
# under helgrind: no race.
# Run from the project root: BUILD=build sh tests/valgrind.sh (skipped when VALGRIND is empty)
BUILD=${BUILD:-build}
VALGRIND=${VALGRIND-valgrind}
if [ -z "$VALGRIND" ]; then echo "valgrind: skipped (sanitizer build)"; exit 0; fi
VG="$VALGRIND -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0
fail=0
run() { # run DESCRIPTION command...
    what=$1; shift
    $VG "$@" >/dev/null 2>"$T/err"
    if [ $? -eq 99 ]; then fail=$((fail + 1)); echo "FAIL: $what"; head -20 "$T/err"; else pass=$((pass + 1)); fi
}
# one process reads and validates every hostile input (the largest are left to the sanitizers)
run "ebts-validate over fixtures/invalid" "$BUILD/bin/ebts-validate" -q --expect fixtures/invalid fixtures/samples/published
for f in fixtures/invalid/*.eft fixtures/invalid/*.txt fixtures/invalid/*.xml; do
    run "ebts-conv $f" "$BUILD/bin/ebts-conv" -q --to xml -o "$T/out" "$f"
done
run "ebts-diff" "$BUILD/bin/ebts-diff" -q --semantic fixtures/samples/published/idr-iar-match.eft fixtures/samples/clean/idr-iar-match.eft
run "ebts-gen" "$BUILD/bin/ebts-gen" idr-match --in fixtures/validate/valid-car.eft --encounter "1;A,B;19800101;XX;M" \
    --photo fixtures/samples/face-48x64.jpg --iar-status "X" -o "$T/g.eft"
printf 'SUBJECT APPEARS TO HAVE BEEN PREVIOUSLY REMOVED\n' > "$T/lesc.txt"
run "ebts-gen with --iar twice" "$BUILD/bin/ebts-gen" idr-match --in fixtures/validate/valid-car.eft \
    --encounter "1;A,B;19800101;XX;M" --iar "$T/lesc.txt" --iar "$T/lesc.txt" -o "$T/g2.eft"
run "ebts-validate with a profile" "$BUILD/bin/ebts-validate" -q --profile profiles/example-state.xml fixtures/validate
# helgrind's exit code 99 is a race; any other failure of the program counts too
$VALGRIND -q --tool=helgrind --error-exitcode=99 "$BUILD/tests/xmlthreads" fixtures/xml/sre-match.xml >/dev/null 2>"$T/err"
if [ $? -eq 0 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: xmlthreads under helgrind"; head -40 "$T/err"; fi
$VALGRIND -q --tool=helgrind --error-exitcode=99 "$BUILD/tests/splitthreads" \
    fixtures/samples/clean/idr-iar-match.eft >/dev/null 2>"$T/err"
if [ $? -eq 0 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: splitthreads under helgrind"; head -40 "$T/err"; fi
echo "valgrind: $pass passed, $fail failed"
[ "$fail" = 0 ]
