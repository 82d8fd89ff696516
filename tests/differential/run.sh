#!/bin/sh
# Differential run: the library as built in this tree against the one of revision BASE, over the
# fixtures, ../shared's corpus and samples when present, and COUNT inputs mutated from them
# (mutate.py). Every input is dumped by each (dump.c: the reader's error or findings, the
# traditional, readable and JSON forms, the validation report and every field's item layout, in
# three read modes) and the dumps must be identical. For changes that must not change what a
# user sees: a faster reader, validator or writer. Every input is also taken through this tree's
# XML writer, EBTS 11.2 and 10.0, and reader (dump FILE xml): it must give back what the
# traditional encoding does.
#
#   tests/differential/run.sh BASE [COUNT]     (make differential BASE=rev [DIFFN=count])
#
# FLAGS="hex ..." dumps this tree's library once more per input with each of these read flags
# added, against the same base dump (the internal EBTS__READ_SSE2 = 80000000 and
# EBTS__READ_AVX2 = 40000000 compare the narrower block scans too, EBTS__READ_GENERAL =
# 20000000 the reader without its short path). Exit 0 when nothing differs and nothing is lost
# through XML, 1 when some input does (listed, with the first lines of the difference), 2 on a
# usage or build error. BUILD, CC and PKG_CONFIG as for make.
set -u
base=${1:-}
count=${2:-2000}
if [ -z "$base" ]; then
    echo "usage: $0 BASE [COUNT]" >&2
    exit 2
fi
here=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD:-build}
cc=${CC:-cc}
pc=${PKG_CONFIG:-pkg-config}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

libs=$($pc --libs libxml-2.0 zlib) || exit 2
rev=$(git -C "$here" rev-parse --verify -q "$base^{commit}") || {
    echo "$0: $base is not a revision" >&2
    exit 2
}
mkdir -p "$work/base"
git -C "$here" archive "$rev" | tar -x -C "$work/base" || exit 2
echo "building $base ($rev) and this tree"
make -s -C "$work/base" BUILD=build build/libebts.a >"$work/base.log" 2>&1 || {
    cat "$work/base.log" >&2
    exit 2
}
make -s -C "$here" "$build/libebts.a" || exit 2
dump=$here/tests/differential/dump.c
$cc -O1 -I"$work/base/include" -o "$work/dump-base" "$dump" "$work/base/build/libebts.a" $libs ||
    exit 2
$cc -O1 -I"$here/include" -o "$work/dump-new" "$dump" "$here/$build/libebts.a" $libs || exit 2

seeds="$here/fixtures"
for d in "$here/../shared/corpus" "$here/../shared/samples"; do
    [ -d "$d" ] && seeds="$seeds $d"
done
seeds="$seeds $here/fuzz/regressions"
python3 "$here/tests/differential/mutate.py" "$work/mut" 1 "$count" $seeds || exit 2

# dump.c validates under every built-in profile, and under this XML one
EBTS_DIFF_PROFILE=$here/profiles/example-state.xml
export EBTS_DIFF_PROFILE
total=0
differ=0
xmlbad=0
list=$(find $seeds "$work/mut" -type f -size -3M | sort)
for f in $list; do
    total=$((total + 1))
    "$work/dump-base" "$f" >"$work/a" 2>&1
    same=1
    for flags in 0 ${FLAGS:-}; do
        "$work/dump-new" "$f" "$flags" >"$work/b" 2>&1
        if ! cmp -s "$work/a" "$work/b"; then
            same=0
            echo "DIFFERS: $f (read flags $flags)"
            diff "$work/a" "$work/b" | head -8
            break
        fi
    done
    [ $same = 1 ] || differ=$((differ + 1))
    if ! "$work/dump-new" "$f" xml >"$work/x" 2>&1; then
        xmlbad=$((xmlbad + 1))
        echo "XML ROUND TRIP: $f"
        head -6 "$work/x"
    fi
done
echo "differential: $total inputs, $differ differ (base $base, this tree${FLAGS:+, flags $FLAGS});" \
    "$xmlbad lose something through XML"
[ $differ = 0 ] && [ $xmlbad = 0 ]
