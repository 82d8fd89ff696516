#!/bin/sh
# ebts-validate's reports and options (--explain, --version, JUnit, .expect tags and counts,
# -j), the code table's documents and the libebts(3) page.
# Run from the project root: BUILD=build sh tests/tools-op.sh
BUILD=${BUILD:-build}
VAL="$BUILD/bin/ebts-validate"
. "$(dirname "$0")/lib.sh"

same() { # same FILE FILE DESCRIPTION
    if cmp -s "$1" "$2"; then ok; else bad "$3: $1 and $2 differ"; diff "$1" "$2" | head -5; fi
}

# --explain: the code table's meaning and what to do
expect 0 "explain a code" -- "$VAL" --explain LEN_MISMATCH
has "$T/out" "code: LEN_MISMATCH" "explain names the code"
has "$T/out" "severity: error" "explain gives the severity"
has "$T/out" "meaning: LEN differs from the record's real length" "explain gives the meaning"
has "$T/out" "what to do: " "explain says what to do"
expect 0 "explain a warning" -- "$VAL" --explain SHORT_TAG
has "$T/out" "severity: warning" "a warning's severity"
expect 2 "explain an unknown code" -- "$VAL" --explain NO_SUCH_CODE
has "$T/err" "NO_SUCH_CODE" "the unknown code is named"
expect 2 "explain without a code" -- "$VAL" --explain
# every code of the table explains, and docs/codes.md and ebts-codes(7) say what to do
"$BUILD/bin/gen-codes" md > "$T/codes.md"
for c in $(sed -n 's/^| `\([A-Z0-9_]*\)` |.*/\1/p' "$T/codes.md"); do
    "$VAL" --explain "$c" > "$T/x" 2>&1 || bad "explain $c: exit $?"
    if grep -q '^what to do: ..........' "$T/x"; then ok; else bad "explain $c: no what to do"; fi
done
has "$T/codes.md" "| code | severity | recovery | meaning | what to do |" "codes.md has the column"
"$BUILD/bin/gen-codes" man > "$T/codes.7"
has "$T/codes.7" "What to do:" "ebts-codes(7) says what to do"

# --version on every tool; the libebts(3) page
version=$(sed -n 's/^#define EBTS_VERSION_STRING "\(.*\)"/\1/p' include/ebts.h)
for tool in ebts-conv ebts-validate ebts-diff ebts-gen; do
    expect 0 "$tool --version" -- "$BUILD/bin/$tool" --version
    if [ "$(cat "$T/out")" = "$tool libebts $version" ]; then ok; else bad "$tool --version: '$(cat "$T/out")'"; fi
done
if [ -f man/libebts.3 ]; then ok; else bad "man/libebts.3 missing"; fi
if [ -z "$(groff -man -ww -z man/libebts.3 2>&1)" ]; then ok; else bad "groff warns on libebts(3)"; fi
for topic in "Reading" "The model" "Editing" "Writing" "Validation" "The response view" \
    "Generating responses" "Differences" "Errors and ownership" "Threads"; do
    has man/libebts.3 ".SS $topic" "libebts(3) covers $topic"
done
# every function of ebts.h is named in the page
for f in $(sed -n 's/^EBTS_API [^(]*[ *]\(ebts_[a-z0-9_]*\)(.*/\1/p' include/ebts.h); do
    if grep -q "$f" man/libebts.3; then ok; else bad "libebts(3) does not name $f"; fi
done
make -s install BUILD="$BUILD" PREFIX="$T/usr" >"$T/install.log" 2>&1 || cat "$T/install.log"
if [ -f "$T/usr/share/man/man3/libebts.3" ]; then ok; else bad "make install puts no man3/libebts.3"; fi
make -s uninstall BUILD="$BUILD" PREFIX="$T/usr" >/dev/null 2>&1
if [ ! -e "$T/usr/share/man/man3/libebts.3" ]; then ok; else bad "make uninstall leaves man3/libebts.3"; fi

# JUnit: every case has its time, a failure's message is its first error, classname its folder
expect 1 "junit over folders" -- "$VAL" --format junit fixtures/validate fixtures/samples/published
cp "$T/out" "$T/j.xml"
n=$(xmllint --xpath 'count(//testcase)' "$T/j.xml")
if [ "$n" -gt 10 ]; then ok; else bad "junit: $n test cases"; fi
if [ "$(xmllint --xpath 'count(//testcase[not(@time)])' "$T/j.xml")" = 0 ]; then ok; else bad "junit: a case without time"; fi
xmllint --xpath '//testcase/@time' "$T/j.xml" | tr ' ' '\n' | grep . > "$T/times"
if [ "$(wc -l < "$T/times")" = "$n" ] && ! grep -qv '^time="[0-9][0-9]*\.[0-9][0-9]*"$' "$T/times"; then ok; else bad "junit: times not decimal seconds"; head -3 "$T/times"; fi
for f in fixtures/validate/valid-errt.eft fixtures/samples/published/errt-doa.eft; do
    c=$(xmllint --xpath "string(//testcase[@name='$f']/@classname)" "$T/j.xml")
    if [ "$c" = "$(dirname "$f")" ]; then ok; else bad "junit classname of $f: '$c'"; fi
done
for f in fixtures/samples/published/errt-doa.eft fixtures/samples/published/idr-nomatch.eft; do
    "$VAL" "$f" > "$T/text" 2>&1
    want=$(grep -m 1 ': error: ' "$T/text" | sed 's/^[^:]*:[0-9]*: error: //')
    got=$(xmllint --xpath "string(//testcase[@name='$f']/failure/@message)" "$T/j.xml")
    if [ -n "$want" ] && [ "$got" = "$want" ]; then ok; else bad "junit message of $f: '$got', expected '$want'"; fi
done

# .expect lines: CODE [TAG] [xCOUNT]; a tag or count that is wrong fails the case
mkdir "$T/e"
cp fixtures/samples/published/idr-nomatch.eft "$T/e/x.eft"
others=$(grep -v '^LEN_MISMATCH' fixtures/samples/published/idr-nomatch.eft.expect)
expect_case() { # expect_case STATUS DESCRIPTION LINE...
    want=$1; what=$2; shift 2
    { printf '%s\n' "$@"; printf '%s\n' $others; } > "$T/e/x.eft.expect"
    expect "$want" "$what" -- "$VAL" --expect "$T/e/x.eft"
}
expect_case 0 "codes alone" "LEN_MISMATCH"
expect_case 0 "right tags" "LEN_MISMATCH 1.001" "# a comment" "LEN_MISMATCH 2.001"
expect_case 0 "a tag in its short spelling" "LEN_MISMATCH 1.1" "LEN_MISMATCH 2.01"
expect_case 1 "a wrong tag" "LEN_MISMATCH 1.001" "LEN_MISMATCH 2.002"
has "$T/out" "missing: LEN_MISMATCH 2.002" "the wrong tag is named"
has "$T/out" "unexpected: LEN_MISMATCH 2.001" "the finding at the other tag is named"
expect_case 1 "a tag missing its twin" "LEN_MISMATCH 2.001"
has "$T/out" "unexpected: LEN_MISMATCH 1.001" "a finding at a tag not listed is unexpected"
expect_case 0 "the right count" "LEN_MISMATCH x2"
expect_case 1 "a wrong count" "LEN_MISMATCH x3"
has "$T/out" "missing: LEN_MISMATCH x3 (found 2)" "the wrong count is named"
expect_case 0 "tag and count" "LEN_MISMATCH 2.001 x1" "LEN_MISMATCH 1.001"
expect_case 1 "tag and a wrong count" "LEN_MISMATCH 2.001 x2" "LEN_MISMATCH 1.001"
expect_case 1 "a code that is not there" "LEN_MISMATCH" "DATE_INVALID"
has "$T/out" "missing: DATE_INVALID" "the missing code is named"
expect_case 1 "a malformed line" "LEN_MISMATCH 2.001 xx"
has "$T/out" "line 1" "the malformed line is named"
expect_case 1 "a count of zero" "LEN_MISMATCH x0"

# --format html: one page for the batch, a table of files linking to each file's findings
mkdir "$T/h"
cp fixtures/samples/published/errt-doa.eft "$T/h/a<b>&\"'.eft"
cp fixtures/samples/published/idr-nomatch.eft "$T/h/$(printf 'n\377\001.eft')"
cp fixtures/validate/valid-errt.eft "$T/h/ok.eft"
ln -s "$T/h/none" "$T/h/gone.eft"
expect 2 "html batch with an unreadable file" -- "$VAL" --format html "$T/h"
cp "$T/out" "$T/b.html"
has "$T/b.html" "<!DOCTYPE html>" "a page"
has "$T/b.html" "<style>" "inline style"
hasnt "$T/b.html" "<script" "no script"
hasnt "$T/b.html" "http://" "nothing fetched"
hasnt "$T/b.html" "https://" "nothing fetched"
hasnt "$T/b.html" " src=" "nothing loaded"
has "$T/b.html" "a&lt;b&gt;&amp;&quot;&#39;.eft" "a name that is markup is escaped"
has "$T/b.html" 'n<span class="esc">\xff</span><span class="esc">\x01</span>.eft' "a name that is not UTF-8 is shown"
if LC_ALL=C grep -q "$(printf '[\001-\010\013\014\016-\037\377]')" "$T/b.html"; then bad "raw control or invalid byte in the page"; else ok; fi
has "$T/b.html" "LEN_MISMATCH 2.001: LEN says 2105, record is 109 bytes" "the first error in the table"
has "$T/b.html" "IO_ERROR" "the unreadable file"
has "$T/b.html" "4 files" "the summary counts the files"
# the table's rows link to a section each, in the same page
grep -o 'href="#[^"]*"' "$T/b.html" | sed 's/href="#\(.*\)"/\1/' | sort -u > "$T/links"
grep -o ' id="[^"]*"' "$T/b.html" | sed 's/ id="\(.*\)"/\1/' | sort -u > "$T/ids"
if [ "$(grep -c '^f' "$T/links")" = 4 ] && [ -z "$(comm -23 "$T/links" "$T/ids")" ]; then ok; else bad "links without their section: $(comm -23 "$T/links" "$T/ids" | head -3)"; fi
# a file's findings are listed in its section
sed -n '/<section id="f1">/,/<\/section>/p' "$T/b.html" > "$T/s1"
has "$T/s1" "LEN_MISMATCH" "the first file's section lists its findings"
has "$T/s1" "SHORT_TAG" "warnings too"
expect 0 "html batch, quiet" -- "$VAL" -q --format html "$T/h/ok.eft"
if [ -s "$T/out" ]; then bad "-q printed the page"; else ok; fi
expect 0 "html batch, expect" -- "$VAL" --expect --format html fixtures/samples/published
has "$T/out" "PASS" "conformance verdicts in the page"

# -j N: threads, results in the order one thread gives, byte for byte (JUnit times aside)
untime() { sed 's/ time="[0-9.]*"/ time=""/' "$1" > "$1.u"; }
for fmt in text json junit html; do
    for extra in "" "--expect" "--strict --redact"; do
        "$VAL" -j 1 --format $fmt $extra fixtures > "$T/j1.out" 2> "$T/j1.err"; s1=$?
        if [ "$s1" -le 1 ] && [ -s "$T/j1.out" ]; then ok; else bad "-j 1 --format $fmt $extra: exit $s1"; fi
        for j in 2 3; do
            "$VAL" -j $j --format $fmt $extra fixtures > "$T/jn.out" 2> "$T/jn.err"; sn=$?
            if [ "$s1" = "$sn" ]; then ok; else bad "-j $j --format $fmt $extra: exit $sn, -j 1 $s1"; fi
            untime "$T/j1.out"; untime "$T/jn.out"
            same "$T/j1.out.u" "$T/jn.out.u" "-j $j --format $fmt $extra: standard output"
            same "$T/j1.err" "$T/jn.err" "-j $j --format $fmt $extra: standard error"
        done
    done
done
# the default (every core) gives the same; so does a mix of files, folders and errors
"$VAL" fixtures/samples fixtures/none.eft fixtures/validate/valid-car.eft "$T/h" > "$T/d.out" 2> "$T/d.err"
"$VAL" -j 1 fixtures/samples fixtures/none.eft fixtures/validate/valid-car.eft "$T/h" > "$T/d1.out" 2> "$T/d1.err"
same "$T/d1.out" "$T/d.out" "default -j: standard output"
same "$T/d1.err" "$T/d.err" "default -j: standard error"
has "$T/d.out" "unreadable" "the errors are counted"
expect 2 "-j 0" -- "$VAL" -j 0 fixtures/samples
expect 2 "-j without a number" -- "$VAL" -j x fixtures/samples
expect 0 "-jN spelling" -- "$VAL" -q -j2 fixtures/validate/valid-car.eft fixtures/validate/valid-errt.eft

echo "tools-op: $pass passed, $fail failed"
[ "$fail" = 0 ]
