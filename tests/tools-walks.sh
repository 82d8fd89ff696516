#!/bin/sh
# Tool tests for directory walks and the honesty of reports: symbolic link loops, special files,
# deep and long paths, unreadable inputs, names that are not UTF-8, JUnit errors, no input at
# all, and UTF-16 XML. Run from the project root: BUILD=build sh tests/tools-walks.sh
# Commands that could hang run under timeout(1), so a hang is a failure, not a stuck make check.
BUILD=${BUILD:-build}
VAL="$BUILD/bin/ebts-validate"
DIFF="$BUILD/bin/ebts-diff"
. "$(dirname "$0")/lib.sh"

GOOD=fixtures/samples/clean/errt-doa.eft     # valid, with warnings its .expect lists
INVALID=fixtures/samples/published/errt-doa.eft # errors its .expect lists
TO="timeout 20"

# ---- symbolic link loops: every file once, and the walk ends
mkdir "$T/loop"
cp "$GOOD" "$GOOD.expect" "$T/loop/"
ln -s . "$T/loop/l1"
ln -s . "$T/loop/l2"
ln -s errt-doa.eft "$T/loop/link.eft"
ln "$T/loop/errt-doa.eft" "$T/loop/hard.eft"
expect 0 "two links to . end" -- $TO "$VAL" "$T/loop"
has "$T/out" "ebts-validate: 1 file, 1 valid, 0 invalid" "a file reached through links counts once"
expect 0 "two links to ., --expect" -- $TO "$VAL" --expect "$T/loop"
has "$T/out" "ebts-validate: 1 passed, 0 failed" "--expect: each file once"
mkdir -p "$T/mutual/a" "$T/mutual/b"
ln -s ../b "$T/mutual/a/to-b"
ln -s ../a "$T/mutual/b/to-a"
cp "$GOOD" "$T/mutual/a/x.eft"
expect 0 "directories linked to each other" -- $TO "$VAL" "$T/mutual"
has "$T/out" "ebts-validate: 1 file, 1 valid" "mutual links: the file once"

# ---- FIFOs, sockets, devices: reported and skipped in a walk, never opened
mkdir "$T/special"
cp "$GOOD" "$T/special/good.eft"
mkfifo "$T/special/fifo.eft"
ln -s /dev/null "$T/special/null.eft"
if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$T/special/sock.eft"
fi
expect 0 "FIFO and device in a walk" -- $TO "$VAL" "$T/special"
has "$T/out" "ebts-validate: 1 file, 1 valid" "special files are not counted"
has "$T/err" "fifo.eft:0: warning: NOT_REGULAR: not a regular file (FIFO), skipped" "FIFO reported"
has "$T/err" "null.eft:0: warning: NOT_REGULAR: not a regular file (character device), skipped" "device reported"
if [ -S "$T/special/sock.eft" ]; then
    has "$T/err" "sock.eft:0: warning: NOT_REGULAR: not a regular file (socket), skipped" "socket reported"
fi
expect 0 "special files, --expect" -- $TO "$VAL" --expect "$T/special"
expect 0 "special files, -q" -- $TO "$VAL" -q "$T/special"
if [ -s "$T/err" ]; then bad "-q printed the skipped files"; else ok; fi
mkfifo "$T/arg.eft"
$TO sh -c "cat '$GOOD' > '$T/arg.eft'" &
expect 0 "a FIFO named as argument is read as a stream" -- $TO "$VAL" "$T/arg.eft"
wait

# ---- depth and length: no fixed-size path buffer
deep="$T/deep"
i=0
p=""
while [ $i -lt 1100 ]; do p="${p}d/"; i=$((i + 1)); done
mkdir -p "$deep/$p"
cp "$GOOD" "$deep/${p}x.eft"
expect 0 "1100 directories deep" -- $TO "$VAL" "$deep"
has "$T/out" "ebts-validate: 1 file, 1 valid" "the deepest file is found"
long="$T/long"
n250=$(printf '%0250d' 0)
mkdir -p "$long/$n250/$n250/$n250/$n250/$n250/$n250/$n250/$n250/$n250"
cp "$INVALID" "$INVALID.expect" "$long/$n250/$n250/$n250/$n250/$n250/$n250/$n250/$n250/$n250/"
expect 1 "path over 2047 bytes" -- $TO "$VAL" "$long"
has "$T/out" "ebts-validate: 1 file, 0 valid, 1 invalid" "a long path is validated"
expect 0 "path over 2047 bytes, --expect reads the .expect beside it" -- $TO "$VAL" --expect "$long"
has "$T/out" "ebts-validate: 1 passed, 0 failed" "long path's .expect"
# beyond PATH_MAX (4096): built one cd at a time, the inputs copied through descriptors
huge="$T/huge"
mkdir "$huge"
(
    exec 3<"$INVALID" 4<"$INVALID.expect"
    cd "$huge" || exit 1
    i=0
    while [ $i -lt 20 ]; do mkdir "$n250" && cd -P "$n250" || exit 1; i=$((i + 1)); done
    cat <&3 > x.eft && cat <&4 > x.eft.expect
) || bad "could not build the tree beyond PATH_MAX"
expect 1 "path over PATH_MAX" -- $TO "$VAL" "$huge"
has "$T/out" "ebts-validate: 1 file, 0 valid, 1 invalid" "a path beyond PATH_MAX is validated"
expect 0 "path over PATH_MAX, --expect" -- $TO "$VAL" --expect "$huge"
has "$T/out" "ebts-validate: 1 passed, 0 failed" "the .expect beyond PATH_MAX"

# ---- an input that cannot be read is an error of that input, and the counts stay right.
# Root reads anything chmod 000 guards, so the deterministic case is a name that cannot be
# opened by anyone: a dangling symbolic link named like a transaction. Where setpriv can drop
# to nobody, unreadable directories are checked as well.
mkdir "$T/gone"
cp "$GOOD" "$T/gone/good.eft"
ln -s nowhere.eft "$T/gone/dangling.eft"
expect 2 "dangling link in a walk" -- $TO "$VAL" "$T/gone"
has "$T/err" "dangling.eft:0: error: IO_ERROR: " "dangling link reported"
has "$T/out" "ebts-validate: 2 files, 1 valid, 0 invalid, 1 unreadable" "counts with an unreadable file"
expect 2 "dangling link, --expect" -- $TO "$VAL" --expect "$T/gone"
has "$T/out" "ebts-validate: 1 passed, 0 failed, 1 unreadable" "--expect counts"
expect 2 "dangling link, json" -- $TO "$VAL" --format json "$T/gone"
has "$T/out" '"error":{"code":"IO_ERROR"' "json line for the unreadable file"
if setpriv --reuid=65534 --regid=65534 --clear-groups true 2>/dev/null; then
    mkdir "$T/locked" "$T/locked/a" "$T/locked/b" "$T/locked/c"
    cp "$GOOD" "$T/locked/c/in-c.eft"
    chmod 755 "$T" "$T/locked"
    chmod 000 "$T/locked/a" "$T/locked/b"
    chmod 644 "$T/locked/c" # its names can be listed, not opened
    expect 2 "unreadable directories" -- setpriv --reuid=65534 --regid=65534 --clear-groups \
        $TO "$VAL" "$T/locked"
    has "$T/out" "ebts-validate: 3 files, 0 valid, 0 invalid, 3 unreadable" "unreadable directories counted"
    hasnt "$T/out" "18446744073709551614" "no wrapped count"
    has "$T/err" "locked/a:0: error: IO_ERROR: " "unreadable directory reported"
    has "$T/err" "locked/c:0: error: IO_ERROR: cannot read $T/locked/c: Permission denied" \
        "a directory that cannot be searched is reported"
    expect 2 "a directory that cannot be searched, alone" -- \
        setpriv --reuid=65534 --regid=65534 --clear-groups $TO "$VAL" "$T/locked/c"
    has "$T/err" "locked/c:0: error: IO_ERROR: " "a directory that cannot be searched, alone, reported"
    chmod 755 "$T/locked/c"
    chmod 700 "$T"
else
    echo "note: setpriv cannot drop privileges here; unreadable directories not checked"
fi

# ---- names that are not UTF-8 keep JSON and JUnit well-formed
mkdir "$T/names"
cp "$GOOD" "$T/names/$(printf 'ff\377.eft')"
cp "$INVALID" "$T/names/$(printf 'esc\033.eft')"
expect 1 "json with odd names" -- $TO "$VAL" --format json "$T/names"
if LC_ALL=C grep -q "$(printf '[\033\377]')" "$T/out"; then bad "raw 0xFF or ESC in JSON"; else ok; fi
has "$T/out" 'esc\u001b.eft' "ESC escaped in JSON"
has "$T/out" 'ff\u00ff.eft' "0xFF escaped in JSON"
if command -v python3 >/dev/null 2>&1; then
    if python3 -c 'import json,sys
for l in open(sys.argv[1], "rb"): json.loads(l.decode("utf-8"))' "$T/out" 2>"$T/perr"; then ok; else
        bad "json lines do not parse"; head -3 "$T/perr"; fi
fi
expect 1 "junit with odd names" -- $TO "$VAL" --format junit "$T/names"
if LC_ALL=C grep -q "$(printf '[\033\377]')" "$T/out"; then bad "raw 0xFF or ESC in JUnit"; else ok; fi
has "$T/out" 'esc\x1b.eft' "ESC escaped in JUnit"
if command -v xmllint >/dev/null 2>&1; then
    if xmllint --noout "$T/out" 2>"$T/xerr"; then ok; else bad "JUnit not well-formed"; head -3 "$T/xerr"; fi
fi
expect 2 "junit with an odd missing name" -- $TO "$VAL" --format junit "$(printf '%s/names/no\377.eft' "$T")"
if command -v xmllint >/dev/null 2>&1; then
    if xmllint --noout "$T/out" 2>"$T/xerr"; then ok; else bad "JUnit error case not well-formed"; head -3 "$T/xerr"; fi
fi
# ebts-diff's JSON, with a value that is not UTF-8 (0xFF, ESC in place of "er" of 2.060)
LC_ALL=C sed "s/older/old$(printf '\377\033')/" "$GOOD" > "$T/oddvalue.eft"
expect 1 "diff json with a value not UTF-8" -- $TO "$DIFF" --format json "$GOOD" "$T/oddvalue.eft"
if LC_ALL=C grep -q "$(printf '[\033\377]')" "$T/out"; then bad "raw 0xFF or ESC in diff JSON"; else ok; fi
has "$T/out" 'old\u00ff\u001b' "diff JSON escapes the value's bytes"

# ---- missing and unreadable inputs are JUnit errors; no input at all is exit 2
expect 2 "junit with a missing file" -- $TO "$VAL" --format junit "$T/none.eft" "$GOOD"
has "$T/out" 'tests="2" failures="0" errors="1"' "junit counts the error"
has "$T/out" "<error message=\"cannot open $T/none.eft" "junit error case"
has "$T/out" 'type="IO_ERROR"' "junit error code"
expect 2 "junit with a dangling link in a walk" -- $TO "$VAL" --format junit "$T/gone"
has "$T/out" 'errors="1"' "junit walk error"
mkdir "$T/empty" "$T/other"
echo notes > "$T/other/README"
expect 2 "empty directory" -- $TO "$VAL" "$T/empty"
has "$T/err" "NO_INPUT" "empty directory is no input"
expect 2 "no matching file" -- $TO "$VAL" --expect "$T/other"
has "$T/err" "NO_INPUT" "no matching file is no input"
expect 2 "no input, junit" -- $TO "$VAL" --format junit "$T/empty"
has "$T/out" 'errors="1"' "junit shows no input as an error"
has "$T/out" 'type="NO_INPUT"' "junit no-input code"

# ---- UTF-16 XML read like UTF-8 XML, by every tool
X=fixtures/xml/sre-nomatch.xml
iconv -f UTF-8 -t UTF-16LE "$X" > "$T/le.raw"
iconv -f UTF-8 -t UTF-16BE "$X" > "$T/be.raw"
{ printf '\377\376'; cat "$T/le.raw"; } > "$T/u16le.xml"
{ printf '\376\377'; cat "$T/be.raw"; } > "$T/u16be.xml"
expect 0 "validate UTF-16LE XML" -- $TO "$VAL" "$T/u16le.xml"
expect 0 "validate UTF-16BE XML" -- $TO "$VAL" "$T/u16be.xml"
expect 0 "diff UTF-16 XML against UTF-8" -- $TO "$DIFF" "$T/u16le.xml" "$X"
expect 0 "diff UTF-16BE XML against UTF-16LE" -- $TO "$DIFF" "$T/u16be.xml" "$T/u16le.xml"

# ---- a listing is taken in strcmp's order (the sort tells most names apart by their first eight
# bytes at once): names alike in their first eight bytes or more, shorter than eight, one a
# prefix of another, with bytes above 0x7F; the same order as sort(1) in the C locale
mkdir "$T/order"
for n in a.eft abcdefgh.eft abcdefgh1.eft abcdefghA.eft abcdefgg.eft abcdefg.eft ab.eft \
    "$(printf 'abcdefg\377.eft')" "$(printf '\377.eft')" "$(printf 'abcdefgh\200.eft')" B.eft \
    abcdefgh.eft.gz; do
    cp "$GOOD" "$T/order/$n"
done
gzip -c "$GOOD" > "$T/order/abcdefgh.eft.gz"
expect 0 "names alike in their first bytes" -- $TO "$VAL" "$T/order"
LC_ALL=C sed -n 's|^.*/order/\(.*\): valid (.*|\1|p' "$T/out" > "$T/order.got"
(cd "$T/order" && ls -1 | LC_ALL=C sort) > "$T/order.want"
if [ "$(wc -l < "$T/order.want")" = 12 ] && cmp -s "$T/order.want" "$T/order.got"; then ok; else
    bad "the walk's order is not strcmp's"; diff "$T/order.want" "$T/order.got" | head -8; fi

# ---- each file once, by the first name the walk meets, and the same output for every -j: a
# link to a file met before the file, a directory met first through a link, a hard link, a
# link back up; the names listed in walk order (sorted, a directory's files at its place)
mkdir -p "$T/once/a" "$T/once/b" "$T/once/c" "$T/once/d"
cp "$GOOD" "$T/once/a/one.eft"
ln "$T/once/a/one.eft" "$T/once/b/hard.eft"
cp "$INVALID" "$T/once/c/target.eft"
ln -s ../c/target.eft "$T/once/a/0.eft"
ln -s ../d "$T/once/a/dirlink"
cp "$GOOD" "$T/once/d/z.eft"
ln -s .. "$T/once/d/up"
ln -s loop1 "$T/once/b/loop2"
ln -s loop2 "$T/once/b/loop1"
ln -s loop1 "$T/once/b/loop.eft"
mkfifo "$T/once/b/fifo.eft"
checked() { sed -n 's/: \(in\)\{0,1\}valid (.*//p' "$T/out" | tr '\n' ' '; }
O="$T/once"
want_once="$O/a/0.eft $O/a/dirlink/z.eft $O/a/one.eft "
for j in 1 2 8; do
    expect 2 "each file once, -j $j" -- $TO "$VAL" -j $j "$O"
    if [ "$(checked)" = "$want_once" ]; then ok; else
        bad "-j $j checked: $(checked); expected: $want_once"; fi
    has "$T/out" "ebts-validate: 4 files, 2 valid, 1 invalid, 1 unreadable" "-j $j: counts"
    has "$T/err" "loop.eft:0: error: IO_ERROR: cannot open $O/b/loop.eft: dangling symbolic link" \
        "-j $j: a link that loops is a dangling one"
    cat "$T/out" "$T/err" > "$T/once-$j.all"
    expect 2 "a file named before the walk that meets it, -j $j" -- \
        $TO "$VAL" -j $j "$O/c/target.eft" "$O"
    if [ "$(checked)" = "$O/c/target.eft $O/a/dirlink/z.eft $O/a/one.eft " ]; then ok; else
        bad "-j $j: argument then walk checked: $(checked)"; fi
    cat "$T/out" "$T/err" > "$T/arg-$j.all"
    expect 0 "fixtures in json, -j $j" -- $TO "$VAL" -j $j --expect --format json fixtures/samples
    cat "$T/out" "$T/err" > "$T/fx-$j.all"
done
for j in 2 8; do
    for what in once arg fx; do
        if cmp -s "$T/$what-1.all" "$T/$what-$j.all"; then ok; else
            bad "$what: -j $j output differs from -j 1"
            diff "$T/$what-1.all" "$T/$what-$j.all" | head -5; fi
    done
done

# ---- what a walk cannot be made to meet on demand, through ebts-validate with its readdir
# wrapped (tests/walkshim.c): names whose type the listing does not give, stat'ed one by one,
# walk as typed ones do; a file turned into a FIFO between the listing and its opening is
# skipped, not opened to wait for a writer; a file gone by then is unreadable
SHIM="$BUILD/tests/ebts-validate-shim"
if [ -x "$SHIM" ]; then
    for j in 1 2 8; do
        for what in once arg; do
            if [ $what = once ]; then set -- "$O"; else set -- "$O/c/target.eft" "$O"; fi
            WALKSHIM_UNKNOWN=1 $TO "$SHIM" -j $j "$@" > "$T/out" 2> "$T/err"
            cat "$T/out" "$T/err" > "$T/unknown.all"
            if cmp -s "$T/$what-1.all" "$T/unknown.all"; then ok; else
                bad "$what, -j $j: names of unknown type walk otherwise"
                diff "$T/$what-1.all" "$T/unknown.all" | head -5; fi
        done
        WALKSHIM_UNKNOWN=1 $TO "$SHIM" -j $j --expect --format json fixtures/samples \
            > "$T/out" 2> "$T/err"
        cat "$T/out" "$T/err" > "$T/unknown.all"
        if cmp -s "$T/fx-1.all" "$T/unknown.all"; then ok; else
            bad "fixtures, -j $j: names of unknown type walk otherwise"; fi
        rm -rf "$T/race"
        mkdir "$T/race"
        cp "$GOOD" "$T/race/a.eft"
        cp "$GOOD" "$T/race/b.eft"
        cp "$GOOD" "$T/race/c.eft"
        mkfifo "$T/race/.fifo"
        expect 0 "a file turned into a FIFO after the listing, -j $j" -- env \
            WALKSHIM_FROM="$T/race/.fifo" WALKSHIM_TO="$T/race/b.eft" $TO "$SHIM" -j $j "$T/race"
        has "$T/err" "race/b.eft:0: warning: NOT_REGULAR: not a regular file (FIFO), skipped" \
            "-j $j: the FIFO is skipped"
        has "$T/out" "ebts-validate: 2 files, 2 valid, 0 invalid" "-j $j: the others are checked"
        if command -v python3 >/dev/null 2>&1; then
            python3 -c 'import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' \
                "$T/race/.sock"
            expect 0 "a file turned into a socket after the listing, -j $j" -- env \
                WALKSHIM_FROM="$T/race/.sock" WALKSHIM_TO="$T/race/a.eft" \
                $TO "$SHIM" -j $j "$T/race"
            has "$T/err" "race/a.eft:0: warning: NOT_REGULAR: not a regular file (socket), skipped" \
                "-j $j: the socket, which cannot be opened, is skipped as one listed is"
            rm -f "$T/race/a.eft" && cp "$GOOD" "$T/race/a.eft"
        fi
        expect 2 "a file removed after the listing, -j $j" -- env \
            WALKSHIM_FROM="$T/race/c.eft" WALKSHIM_TO="$T/race/.c" $TO "$SHIM" -j $j "$T/race"
        has "$T/err" "race/c.eft:0: error: IO_ERROR: cannot open $T/race/c.eft: No such file" \
            "-j $j: the file gone is unreadable"
    done
    # a directory moved away while the walk is below it, under few descriptors (the frames
    # above it closed): those frames are opened again by their names, not lost with it
    mv="$T/moved"
    p="$mv/t"
    mkdir -p "$p"
    i=1
    while [ $i -le 30 ]; do
        p="$p/d" && mkdir "$p"
        if [ $i = 20 ]; then d20="$p"; fi
        if [ $((i % 5)) = 0 ]; then cp "$GOOD" "$p/z.eft"; fi
        i=$((i + 1))
    done
    expect 0 "a chain of 30 directories" -- $TO "$VAL" "$mv/t"
    cp "$T/out" "$T/moved.out"
    for j in 1 8; do
        expect 0 "a directory moved during the walk, -j $j, ulimit -n 16" -- env \
            WALKSHIM_FROM="$d20" WALKSHIM_TO="$mv/away" WALKSHIM_AFTER=26 \
            $TO sh -c 'ulimit -n 16 && exec "$0" -j "$1" "$2"' "$SHIM" $j "$mv/t"
        hasnt "$T/err" "IO_ERROR" "-j $j: the directories above the moved one are not lost"
        if cmp -s "$T/moved.out" "$T/out"; then ok; else
            bad "a directory moved during the walk, -j $j: output differs"
            diff "$T/moved.out" "$T/out" | head -5; fi
        mv "$mv/away" "$d20"
    done
    # more threads asked than the descriptors allow, every thread holding its file at once
    # (slow reads): as many threads run as have descriptors, and every file is checked
    mkdir "$T/slow"
    for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16; do cp "$GOOD" "$T/slow/f$i.eft"; done
    for n in 10 16; do
        for j in 1 8; do
            expect 0 "slow reads, -j $j, ulimit -n $n" -- env WALKSHIM_SLOW=1 \
                $TO sh -c 'ulimit -n "$1" && exec "$0" -j "$2" "$3"' "$SHIM" $n $j "$T/slow"
            has "$T/out" "ebts-validate: 16 files, 16 valid" "-j $j, ulimit -n $n: every file"
            cat "$T/out" "$T/err" > "$T/slow-$j.all"
        done
        if cmp -s "$T/slow-1.all" "$T/slow-8.all"; then ok; else
            bad "slow reads, ulimit -n $n: -j 8 output differs from -j 1"; fi
    done
    # reads of a regular file that return less than asked before its end (interrupted by a
    # signal, or from a FUSE file system): the file is read on to its end, not cut short
    expect 0 "reads of at most 100 bytes" -- env WALKSHIM_SHORT=100 $TO "$SHIM" -j 1 "$T/slow"
    has "$T/out" "ebts-validate: 16 files, 16 valid" "short reads: every file read whole"
    # what a file's check costs in system calls: one read of a regular file (its size and one
    # byte more, the short read being its end), no lseek, one fstat by the tool and one by the
    # library; the 16 files of the folder above
    for j in 1 2; do
        expect 0 "system calls counted, -j $j" -- env WALKSHIM_COUNT="$T/count" \
            $TO "$SHIM" -j $j "$T/slow"
        has "$T/count" "read 16" "-j $j: one read per file"
        has "$T/count" "lseek 0" "-j $j: no lseek"
        has "$T/count" "fstat 32" "-j $j: two fstats per file"
    done
else
    echo "note: $SHIM not built (make check builds it); the walk's races not checked"
fi

# ---- deeper than the descriptors: 60 directories in a chain, the 30th reached through a link,
# a file at every tenth after its subdirectory (so the walk comes back to each), under
# ulimit -n 40; the same output as with descriptors to spare
c="$T/chain"
mkdir -p "$c/zz/t"
p="$c"
i=1
while [ $i -le 60 ]; do
    if [ $i = 30 ]; then ln -s "$c/zz/t" "$p/d" && p="$c/zz/t"; else mkdir "$p/d" && p="$p/d"; fi
    if [ $((i % 10)) = 0 ]; then cp "$GOOD" "$p/z.eft"; fi
    i=$((i + 1))
done
expect 0 "a chain of 60 directories" -- $TO "$VAL" "$c"
has "$T/out" "ebts-validate: 6 files, 6 valid" "every file of the chain, once"
cp "$T/out" "$T/chain.out"
for j in 1 2 8; do
    expect 0 "a chain of 60 directories, -j $j, ulimit -n 40" -- \
        $TO sh -c 'ulimit -n 40 && exec "$0" -j "$1" "$2"' "$VAL" $j "$c"
    if cmp -s "$T/chain.out" "$T/out"; then ok; else
        bad "chain under ulimit -n 40, -j $j: output differs"
        diff "$T/chain.out" "$T/out" | head -5; fi
done

# ---- few descriptors: the files a queue holds open (a directory each, or the file itself when
# named as an argument) stay within the limit, so -j N checks every file as -j 1 does
mkdir "$T/fds"
i=0
while [ $i -lt 300 ]; do
    mkdir "$T/fds/d$i" && cp "$GOOD" "$T/fds/d$i/f.eft"
    i=$((i + 1))
done
for j in 1 2 8; do
    expect 0 "300 directories of one file each, -j $j, ulimit -n 40" -- \
        $TO sh -c 'ulimit -n 40 && exec "$0" -j "$1" "$2"' "$VAL" $j "$T/fds"
    has "$T/out" "ebts-validate: 300 files, 300 valid" "-j $j: every file checked under ulimit -n 40"
    cp "$T/out" "$T/fds-dirs-$j.out"
    expect 0 "300 files as arguments, -j $j, ulimit -n 40" -- \
        $TO sh -c 'ulimit -n 40 && exec "$0" -j "$1" "$2"/d*/f.eft' "$VAL" $j "$T/fds"
    has "$T/out" "ebts-validate: 300 files, 300 valid" "-j $j: every argument checked"
    cp "$T/out" "$T/fds-args-$j.out"
done
for j in 2 8; do
    for what in dirs args; do
        if cmp -s "$T/fds-$what-1.out" "$T/fds-$what-$j.out"; then ok; else
            bad "few descriptors, $what: -j $j output differs from -j 1"; fi
    done
done

# ---- standard input named twice (as - or /dev/stdin): read by one job after the other, as
# with -j 1 (the first has it all, the second finds it empty), not by two threads that share
# out its bytes; the input arrives in pieces so that, read at once, each would take some of it
BIG=fixtures/samples/clean/idr-iar-match.eft
pieces() { head -c 100 "$BIG"; sleep 0.3; tail -c +101 "$BIG" | head -c 1000; sleep 0.3
    tail -c +1101 "$BIG"; }
for second in - /dev/stdin; do
    name=$second
    [ "$second" = - ] && name="<stdin>"
    for j in 1 2 8; do
        pieces | $TO "$VAL" -j $j - "$second" > "$T/out" 2> "$T/err"
        cat "$T/out" "$T/err" > "$T/stdin2-$j.all"
        has "$T/out" "<stdin>: valid" "-j $j: standard input read whole by the first -"
        has "$T/out" "$name:0: error: EMPTY_INPUT" "-j $j: $second finds it read"
        if [ $j = 1 ] || cmp -s "$T/stdin2-1.all" "$T/stdin2-$j.all"; then ok; else
            bad "standard input named as - and $second, -j $j: output differs from -j 1"; fi
    done
done

echo "tools-walks: $pass passed, $fail failed"
[ "$fail" = 0 ]
