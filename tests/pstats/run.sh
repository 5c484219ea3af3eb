#!/usr/bin/env bash
# make check's pstats suite: golden transcripts from CPython 3.11/3.13, the deliberate
# departures, and (full tier only, tests/tier.sh; where pyenv's CPythons are present) the
# live differential test.  run_golden.py replays the goldens in one process (the bash
# replayer it replaces spent ~15 processes a case: 45 s of CPU in the quick tier, now 3 s).
set -u
cd "$(dirname "$0")/../.."
. tests/tier.sh
tests=(run_golden.py diverge.sh)
tier_full && tests+=(live_diff.sh)
total_p=0 total_f=0 rc=0
for t in "${tests[@]}"; do
    case $t in *.py) run=python3 ;; *) run=bash ;; esac
    out=$($run "tests/pstats/$t" build/pstatsh 2>&1) || rc=1
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' <<<"$out" | tail -n 1)
    [ -n "$line" ] || { echo "$out" | tail -n 5; echo "$t: no summary"; rc=1; continue; }
    grep -E '^(FAIL|SKIP)' <<<"$out" | head -n 20
    echo "$t: $line"
    p=${line%% passed*}; f=${line#*, }; f=${f%% failed*}
    total_p=$((total_p + p)); total_f=$((total_f + f))
done
echo "$total_p passed, $total_f failed"
[ $rc -eq 0 ] && [ $total_f -eq 0 ]
