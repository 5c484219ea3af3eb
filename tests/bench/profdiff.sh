#!/usr/bin/env bash
# Bench: profdiff on two 200k-function / 1M-edge synthetic dumps (gen_synth.py with
# seeds 1 and 2: the same functions, other edges and times; build/bench/diff/, made
# once).  In the same run:
#   - pstatsh loading both dumps (pstatsh -c 'read B' A): profdiff's text report must
#     take at most BENCH_DIFF_LOAD_RATIO (1.3) times as long;
#   - tests/diff/ref.py, the same comparison written with pstats (full JSON, like
#     profdiff -f json): profdiff -f json must be BENCH_DIFF_TARGET (30) times faster.
# C tools: fastest of 3 runs; Python: once.  Exit 1 when a target is missed.
#   BENCH_PY   the CPython (default python3.11 from pyenv if present, else python3)
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
LOAD_RATIO=${BENCH_DIFF_LOAD_RATIO:-1.3}
TARGET=${BENCH_DIFF_TARGET:-30}
if [ -z "${BENCH_PY:-}" ]; then
    if PYENV_VERSION=3.11.7 python3.11 -c pass 2>/dev/null; then
        BENCH_PY="env PYENV_VERSION=3.11.7 python3.11"
    else
        BENCH_PY=python3
    fi
fi
dir=build/bench/diff
mkdir -p "$dir"
[ -x build/profdiff ] && [ -x build/pstatsh ] || make -s build/profdiff build/pstatsh
for seed in 1 2; do
    f=$dir/synth-seed$seed.prof
    if [ ! -s "$f" ]; then
        echo "generating $f (once) ..." >&2
        GEN_SYNTH_SEED=$seed $BENCH_PY tests/bench/gen_synth.py 200000 1000000 "$f.tmp" && mv "$f.tmp" "$f"
    fi
done
A=$dir/synth-seed1.prof B=$dir/synth-seed2.prof
best3() {   # command...: the fastest wall time of 3 runs
    local best= w
    for i in 1 2 3; do
        /usr/bin/time -f '%e' -o "$dir/time.txt" "$@" >/dev/null 2>"$dir/err.txt" </dev/null ||
            { echo "failed: $* ($(head -c 200 "$dir/err.txt"))" >&2; echo 999; return; }
        w=$(tail -n 1 "$dir/time.txt")
        if [ -z "$best" ] || awk -v a="$w" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$w; fi
    done
    echo "$best"
}
load=$(best3 build/pstatsh -c "read $B" "$A")
text=$(best3 build/profdiff "$A" "$B")
json=$(best3 build/profdiff -f json -o "$dir/out.json" "$A" "$B")
/usr/bin/time -f '%e' -o "$dir/time.txt" $BENCH_PY tests/diff/ref.py --base "$A" --new "$B" >"$dir/ref.json" ||
    { echo "ref.py failed" >&2; exit 1; }
py=$(tail -n 1 "$dir/time.txt")
rows=$(grep -c '"status"' "$dir/out.json")
echo "inputs: 2 x 200000 functions / 1000000 edges, $rows functions compared"
printf 'pstatsh (load both)       %6.2f s\n' "$load"
printf 'profdiff (text)           %6.2f s   %.2fx the load (target <= %s)\n' "$text" \
    "$(awk -v a="$text" -v b="$load" 'BEGIN { print a / b }')" "$LOAD_RATIO"
printf 'profdiff -f json          %6.2f s\n' "$json"
printf 'pstats (tests/diff/ref.py) %5.2f s   profdiff -f json is %.1fx faster (target >= %s)\n' "$py" \
    "$(awk -v a="$py" -v b="$json" 'BEGIN { print a / b }')" "$TARGET"
status=0
awk -v a="$text" -v b="$load" -v r="$LOAD_RATIO" 'BEGIN { exit !(a <= b * r) }' ||
    { echo "profdiff: over ${LOAD_RATIO}x the load time"; status=1; }
awk -v a="$py" -v b="$json" -v t="$TARGET" 'BEGIN { exit !(a >= b * t) }' ||
    { echo "profdiff: less than ${TARGET}x faster than pstats"; status=1; }
exit $status
