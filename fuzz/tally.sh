#!/bin/sh
# Sums libFuzzer's executions over the logs of one run (run with -print_final_stats=1) and
# fails on any sign of a finding (see docs/testing.md).
# Usage: sh fuzz/tally.sh LOG... [-- ARTIFACT_PREFIX...]
# A log without final stats (a process still running or killed) counts as a failure: its count
# would be a guess. An artifact prefix is the one given to -artifact_prefix=; any file starting
# with it (crash-, leak-, timeout-, oom-, slow-unit-) is a finding.
if [ $# = 0 ] || [ "$1" = "--" ]; then
    echo "usage: sh fuzz/tally.sh LOG... [-- ARTIFACT_PREFIX...]" >&2
    exit 2
fi
status=0
total=0
while [ $# -gt 0 ]; do
    log=$1; shift
    [ "$log" = "--" ] && break
    n=$(sed -n 's/^stat::number_of_executed_units: *\([0-9][0-9]*\)$/\1/p' "$log" | tail -n 1)
    if [ -z "$n" ]; then echo "$log: no final stats"; status=1; continue; fi
    bad=$(grep -c -E 'ERROR: |runtime error|deadly signal|^Done 0 runs' "$log")
    [ "$bad" = 0 ] || { echo "$log: $bad line(s) reporting an error"; status=1; }
    echo "$log: $n"
    total=$((total + n))
done
for prefix in "$@"; do # what is left after --
    for f in "$prefix"*; do
        [ -e "$f" ] && { echo "artifact: $f"; status=1; }
    done
done
echo "total: $total"
exit $status
