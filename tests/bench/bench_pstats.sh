#!/bin/bash
# Benchmark BIN against `python3 -m pstats` on a 200k-function / 1M-edge synthetic dump.
#   tests/bench/bench_pstats.sh [BIN]         (BIN default: build/pstatsh)
# Generates build/bench/synth.prof with tests/bench/gen_synth.py (python3 on PATH) if it is
# missing, then feeds "sort cumulative\nstats 20\n" to `python3 -m pstats build/bench/synth.prof`
# and to `BIN build/bench/synth.prof`, each 3 times under /usr/bin/time -f '%e %M'; reports
# the medians, checks that both stdouts are identical (exit 1 if not).
# Environment: RUNS (default 3), SYNTH_ARGS (default "200000 1000000"), PYTHON (python3).
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 2
BIN=${1:-build/pstatsh}
RUNS=${RUNS:-3}
PYTHON=${PYTHON:-python3}
SYNTH=build/bench/synth.prof
if [ ! -x "$BIN" ]; then echo "bench_pstats.sh: $BIN: not found or not executable" >&2; exit 2; fi
if [ ! -x /usr/bin/time ]; then echo "bench_pstats.sh: /usr/bin/time is required" >&2; exit 2; fi

if [ ! -s "$SYNTH" ]; then
    mkdir -p build/bench
    echo "generating $SYNTH ..." >&2
    # shellcheck disable=SC2086
    "$PYTHON" tests/bench/gen_synth.py ${SYNTH_ARGS:-200000 1000000} "$SYNTH.tmp" &&
        mv "$SYNTH.tmp" "$SYNTH" || { echo "bench_pstats.sh: generator failed" >&2; exit 2; }
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/pstats-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
printf 'sort cumulative\nstats 20\n' > "$work/script"

median() { sort -g | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }

# measure TAG CMD...: RUNS runs; leaves medians in $med_t (s) and $med_m (KB)
measure() {
    local tag=$1 i; shift
    : > "$work/$tag.times"
    for i in $(seq "$RUNS"); do
        TZ=UTC LC_ALL=C.UTF-8 PYTHONHASHSEED=0 PYTHONIOENCODING=utf-8 TERM=dumb \
            /usr/bin/time -o "$work/$tag.time1" -f '%e %M' "$@" "$SYNTH" \
            < "$work/script" > "$work/$tag.out" 2> "$work/$tag.err"
        local rc=$?
        if [ "$rc" != 0 ]; then
            echo "bench_pstats.sh: $tag exited $rc:" >&2; tail -n 5 "$work/$tag.err" >&2
        fi
        tail -n 1 "$work/$tag.time1" >> "$work/$tag.times"
    done
    med_t=$(awk '{print $1}' "$work/$tag.times" | median)
    med_m=$(awk '{print $2}' "$work/$tag.times" | median)
}

measure bin "$BIN"; bin_t=$med_t; bin_m=$med_m
measure py "$PYTHON" -m pstats; py_t=$med_t; py_m=$med_m

same=1
if ! cmp -s "$work/bin.out" "$work/py.out"; then
    same=0
    echo "OUTPUT DIFFERS ($BIN vs $PYTHON -m pstats):"
    diff -u --label "$PYTHON -m pstats" --label "$(basename "$BIN")" "$work/py.out" "$work/bin.out" | head -n 40
fi
awk -v bt="$bin_t" -v bm="$bin_m" -v pt="$py_t" -v pm="$py_m" -v name="$(basename "$BIN")" \
    -v py="$PYTHON" 'BEGIN {
    printf "%s: %.2f s %d MB | %s -m pstats: %.2f s %d MB | speed x%.1f, memory %.2f of CPython\n",
        name, bt, bm / 1024 + 0.5, py, pt, pm / 1024 + 0.5,
        (bt > 0 ? pt / bt : 0), (pm > 0 ? bm / pm : 0) }'
[ "$same" = 1 ]
