#!/bin/sh
# Tool tests for output that never destroys data: -o replaces a file only once the whole output
# is written (a temporary file beside it, renamed over it), devices, FIFOs and /dev/stdout are
# written in place and never removed, and standard output is checked like a file.
# Run from the project root: BUILD=build sh tests/tools-writes.sh
BUILD=${BUILD:-build}
CONV="$BUILD/bin/ebts-conv"
VAL="$BUILD/bin/ebts-validate"
DIFF="$BUILD/bin/ebts-diff"
GEN="$BUILD/bin/ebts-gen"
. "$(dirname "$0")/lib.sh"

same() { # same FILE EXPECTED DESCRIPTION
    if cmp -s "$1" "$2"; then ok; else bad "$3: $1 differs from $2"; fi
}
only() { # only DIR NAMES DESCRIPTION: DIR holds exactly these names (no temporary file left)
    got=$(ls -A "$1" | tr '\n' ' ')
    if [ "$got" = "$2 " ]; then ok; else bad "$3: $1 holds '$got', expected '$2 '"; fi
}
mode() { stat -c %a "$1"; }

F=fixtures/samples/clean
SUB="--in fixtures/validate/valid-car.eft --date 20260115 --tcn IDENT2026011500001"

# ---- a write that fails leaves the target as it was and no temporary file
# (ulimit -f counts 512-byte blocks: one block is less than any of these outputs; -q keeps the
# warnings, which go to a file too, within it)
for to in readable json xml; do
    D="$T/lim-$to"
    mkdir "$D"
    cp "$F/idr-iar-match.eft" "$D/in.eft"
    expect 2 "conv -o F F --to $to under ulimit -f 1" -- \
        sh -c 'ulimit -f 1 && exec "$0" -q --to "$1" -o "$2" "$2"' "$CONV" "$to" "$D/in.eft"
    has "$T/err" "IO_ERROR" "failed write of $to reported"
    same "$D/in.eft" "$F/idr-iar-match.eft" "input kept after a failed --to $to over it"
    only "$D" "in.eft" "failed --to $to"
done
D="$T/lim-gen"
mkdir "$D"
cp "$F/errt-doa.eft" "$D/resp.eft"
expect 2 "gen -o under ulimit -f 1" -- sh -c 'ulimit -f 1 && exec "$0" "$@"' "$GEN" idr-match $SUB \
    --encounter "1105048570;DOE,JOHN;19630101;XX;M" -o "$D/resp.eft"
has "$T/err" "IO_ERROR" "failed gen write reported"
same "$D/resp.eft" "$F/errt-doa.eft" "gen destination kept after a failed write"
only "$D" "resp.eft" "failed gen write"

# ---- a write that succeeds replaces the file and leaves nothing beside it
D="$T/ok"
mkdir "$D"
cp "$F/errt-doa.eft" "$D/x.eft"
expect 0 "conv -o F F" -- "$CONV" --to readable --plain -o "$D/x.eft" "$D/x.eft"
same "$D/x.eft" "$F/errt-doa.txt" "conv -o F F replaces F"
only "$D" "x.eft" "successful write"
expect 0 "gen -o" -- "$GEN" idr-nomatch $SUB -o "$D/nm.eft"
same "$D/nm.eft" fixtures/generated/idr-nomatch.eft "gen -o writes the response"
only "$D" "nm.eft x.eft" "successful gen write"

# ---- permissions: a replaced file keeps its mode, a new one gets 0666 less the umask
cp "$F/errt-doa.eft" "$D/p.eft"
chmod 640 "$D/p.eft"
expect 0 "conv over a 0640 file" -- "$CONV" --to traditional -o "$D/p.eft" "$F/idr-nomatch.eft"
if [ "$(mode "$D/p.eft")" = 640 ]; then ok; else bad "replaced file mode $(mode "$D/p.eft"), expected 640"; fi
chmod 604 "$D/p.eft"
expect 0 "conv over a 0604 file" -- "$CONV" --to traditional -o "$D/p.eft" "$F/idr-nomatch.eft"
if [ "$(mode "$D/p.eft")" = 604 ]; then ok; else bad "replaced file mode $(mode "$D/p.eft"), expected 604"; fi
expect 0 "conv to a new file under umask 027" -- \
    sh -c 'umask 027 && exec "$0" --to traditional -o "$1" "$2"' "$CONV" "$D/new.eft" "$F/idr-nomatch.eft"
if [ "$(mode "$D/new.eft")" = 640 ]; then ok; else bad "new file mode $(mode "$D/new.eft"), expected 640"; fi

# ---- a symlink: its target is replaced, the link stays a link
L="$T/link"
mkdir "$L" "$L/real"
cp "$F/errt-doa.eft" "$L/real/t.eft"
ln -s real/t.eft "$L/ln.eft"
expect 0 "conv -o through a symlink" -- "$CONV" --to readable --plain -o "$L/ln.eft" "$F/errt-doa.eft"
if [ -L "$L/ln.eft" ]; then ok; else bad "the symlink was replaced by a file"; fi
same "$L/real/t.eft" "$F/errt-doa.txt" "the symlink's target was written"
only "$L/real" "t.eft" "write through a symlink"
ln -s real/new.eft "$L/dangling.eft"
expect 0 "conv -o to a dangling symlink" -- "$CONV" --to readable --plain -o "$L/dangling.eft" "$F/errt-doa.eft"
if [ -L "$L/dangling.eft" ]; then ok; else bad "the dangling symlink was replaced by a file"; fi
same "$L/real/new.eft" "$F/errt-doa.txt" "the dangling symlink's target was created"
cp "$F/idr-iar-match.eft" "$L/real/t.eft"
expect 2 "conv -o F F through a symlink under ulimit -f 1" -- \
    sh -c 'ulimit -f 1 && exec "$0" --to readable -o "$1" "$1"' "$CONV" "$L/ln.eft"
same "$L/real/t.eft" "$F/idr-iar-match.eft" "symlink target kept after a failed write"
only "$L/real" "new.eft t.eft" "failed write through a symlink"

# ---- special files are written in place and never removed
expect 0 "conv -o /dev/null" -- "$CONV" --to traditional -o /dev/null "$F/errt-doa.eft"
if [ -c /dev/null ]; then ok; else bad "/dev/null is no longer a device"; fi
if mknod "$T/full" c 1 7 2>/dev/null; then
    expect 2 "conv -o a full char device" -- "$CONV" --to traditional -o "$T/full" "$F/errt-doa.eft"
    has "$T/err" "IO_ERROR" "full device reported"
    if [ -c "$T/full" ]; then ok; else bad "the char device was removed or replaced"; fi
    ln -s full "$T/full-link"
    expect 2 "gen -o a symlink to a full char device" -- "$GEN" idr-nomatch $SUB -o "$T/full-link"
    if [ -c "$T/full" ] && [ -L "$T/full-link" ]; then ok; else bad "device or its link replaced"; fi
    expect 2 "conv --to json -o a full char device" -- "$CONV" --to json -o "$T/full" "$F/errt-doa.eft"
    if [ -c "$T/full" ]; then ok; else bad "the char device was removed by a json write"; fi
else
    echo "tools-writes: mknod not permitted here; the char device cases are skipped"
fi
mkfifo "$T/fifo"
timeout 20 cat "$T/fifo" > "$T/from-fifo" &
reader=$!
expect 0 "conv -o a FIFO" -- timeout 20 "$CONV" --to traditional -o "$T/fifo" "$F/errt-doa.eft"
wait $reader
same "$T/from-fifo" "$F/errt-doa.eft" "the reader got the output through the FIFO"
if [ -p "$T/fifo" ]; then ok; else bad "the FIFO was replaced"; fi
# /dev/stdout is standard output itself: a file it is redirected to keeps what is before
printf 'head\n' > "$T/stdout.txt"
expect 0 "conv -o /dev/stdout appended to a file" -- \
    sh -c '"$0" --to traditional -o /dev/stdout "$1" >> "$2"' "$CONV" "$F/errt-doa.eft" "$T/stdout.txt"
{ printf 'head\n'; cat "$F/errt-doa.eft"; } > "$T/stdout.want"
same "$T/stdout.txt" "$T/stdout.want" "-o /dev/stdout >> FILE appends"
expect 0 "conv -o /dev/stdout then more output" -- \
    sh -c '{ "$0" --to traditional -o /dev/stdout "$1"; echo tail; } > "$2"' "$CONV" "$F/errt-doa.eft" \
    "$T/stdout.txt"
{ cat "$F/errt-doa.eft"; echo tail; } > "$T/stdout.want"
same "$T/stdout.txt" "$T/stdout.want" "-o /dev/stdout shares standard output's offset"
expect 0 "conv -o /dev/fd/1" -- sh -c '"$0" --to traditional -o /dev/fd/1 "$1" > "$2"' "$CONV" \
    "$F/errt-doa.eft" "$T/fd1.eft"
same "$T/fd1.eft" "$F/errt-doa.eft" "-o /dev/fd/1 writes standard output"
if [ -f "$T/fd1.eft" ] && [ ! -L "$T/fd1.eft" ]; then ok; else bad "/dev/fd/1's file replaced"; fi

# ---- standard output that cannot be written: exit 2 and IO_ERROR, for every tool
full() { # full DESCRIPTION command...: the command with standard output on /dev/full
    what=$1; shift
    expect 2 "$what >/dev/full" -- sh -c '"$@" > /dev/full' sh "$@"
    has "$T/err" "IO_ERROR" "$what, IO_ERROR"
}
full "conv readable" "$CONV" "$F/errt-doa.eft"
full "conv traditional" "$CONV" --to traditional "$F/errt-doa.eft"
full "conv -o -" "$CONV" --to json -o - "$F/errt-doa.eft"
# a link to /dev/stdout: a failed write must not remove it (the link is ours to lose, not /dev's)
ln -s /dev/stdout "$T/stdout-link"
full "conv -o a link to /dev/stdout" "$CONV" --to json -o "$T/stdout-link" "$F/errt-doa.eft"
if [ -L "$T/stdout-link" ]; then ok; else bad "the link to /dev/stdout was removed or replaced"; fi
full "validate valid" "$VAL" "$F/errt-doa.eft"
full "validate json" "$VAL" --format json "$F/errt-doa.eft"
full "validate junit" "$VAL" --format junit "$F/errt-doa.eft"
full "validate --expect" "$VAL" --expect "$F"
full "diff equal" "$DIFF" "$F/errt-doa.eft" "$F/errt-doa.eft"
full "diff different" "$DIFF" "$F/errt-doa.eft" "$F/idr-nomatch.eft"
full "diff json" "$DIFF" --format json "$F/errt-doa.eft" "$F/idr-nomatch.eft"
full "gen" "$GEN" idr-nomatch $SUB
full "gen readable" "$GEN" idr-nomatch $SUB --to readable
for tool in "$CONV" "$VAL" "$DIFF" "$GEN"; do
    full "$(basename "$tool") --help" "$tool" --help
done
expect 0 "validate -q >/dev/full prints nothing, so nothing fails" -- \
    sh -c '"$0" -q "$1" > /dev/full' "$VAL" "$F/errt-doa.eft"

# ---- kill -9 during a large write leaves the old destination whole, and nothing beside it
# A 16 MiB Type-2 field; the run is stopped as soon as it holds a file in the folder other than
# the destination (its temporary file, which has no name there where the file system allows),
# or, were the destination written in place, as soon as it is truncated, then killed.
K="$T/kill"
mkdir "$K"
{ head -c 152 "$F/errt-doa.eft"; printf '2.001:105\0352.002:00\0352.060:'
  head -c 16777216 /dev/zero | tr '\0' A; printf '\034'; } > "$T/big.eft"
printf 'old\n' > "$K/out.eft"
"$CONV" -q --to traditional -o "$K/out.eft" "$T/big.eft" 2>/dev/null &
pid=$!
seen=none
i=0
while [ $i -lt 100000 ] && [ $seen = none ]; do
    ls -l /proc/$pid/fd 2>/dev/null | grep -F -e "$K/" | grep -v -F -e "$K/out.eft" \
        >/dev/null && seen=temp
    [ $seen = none ] && [ ! -s "$K/out.eft" ] && seen=truncated
    if [ -r /proc/$pid/stat ]; then
        read -r _ _ st _ < /proc/$pid/stat
        [ "$st" = Z ] && break
    else
        break
    fi
    i=$((i + 1))
done
kill -STOP $pid 2>/dev/null
stale=$(ls -A "$K" | grep -v '^out\.eft$')
if [ $seen = temp ]; then
    # stopped while it writes its temporary file, so before the rename
    kill -KILL $pid 2>/dev/null
    wait $pid 2>/dev/null
    printf 'old\n' > "$T/old"
    same "$K/out.eft" "$T/old" "destination after kill -9 mid-write"
    left=$(ls -A "$K" | grep -v '^out\.eft$')
    case $left in
    "") ok ;; # a temporary file without a name: gone with the process
    .out.eft.tmp??????) echo "tools-writes: this file system keeps a named temporary file"; ok ;;
    *) bad "after kill -9 the folder holds '$left' beside the destination" ;;
    esac
else
    kill -KILL $pid 2>/dev/null
    wait $pid 2>/dev/null
    if [ $seen = truncated ]; then
        bad "the destination was truncated in place during the write"
    elif [ "$(cat "$K/out.eft")" = old ] && [ -z "$stale" ]; then
        echo "tools-writes: the kill -9 run was not caught writing"; ok
    elif "$CONV" -q --to traditional "$T/big.eft" 2>/dev/null | cmp -s - "$K/out.eft"; then
        ok
    else
        bad "the destination after kill -9 is neither the old nor the whole new output"
    fi
fi

echo "tools-writes: $pass passed, $fail failed"
[ "$fail" = 0 ]
