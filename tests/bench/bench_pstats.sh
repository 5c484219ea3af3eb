#!/bin/bash
# Benchmark BIN against `python3 -m pstats` on a 200k-function / 1M-edge synthetic dump.
#   tests/bench/bench_pstats.sh [BIN]         (BIN default: build/pstatsh)
# Generates build/bench/synth.prof with tests/bench/gen_synth.py (python3 on PATH) if it is
# missing, then feeds "sort cumulative\nstats 20\n" to `python3 -m pstats build/bench/synth.prof`
# and to `BIN build/bench/synth.prof`, each 5 times under /usr/bin/time (issue 17's goal is
# the median of five runs); reports the medians
# (time, peak memory, page faults, context switches; the peak also against the dump's size),
# checks that both stdouts are identical; exit 1 if they are not or a target is missed.
# Environment: RUNS (default 5), SYNTH_ARGS (default "200000 1000000"), PYTHON (python3);
# the targets BENCH_MAX_TIME (0.15 s), BENCH_TARGET (x40), BENCH_MAX_MEM (1.5 times the dump).
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 2
BIN=${1:-build/pstatsh}
RUNS=${RUNS:-5}
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

# measure TAG CMD...: RUNS runs; leaves medians in $med_t (s), $med_m (KB), $med_f (page
# faults) and $med_c (context switches, voluntary and not)
measure() {
    local tag=$1 i; shift
    : > "$work/$tag.times"
    for i in $(seq "$RUNS"); do
        TZ=UTC LC_ALL=C.UTF-8 PYTHONHASHSEED=0 PYTHONIOENCODING=utf-8 TERM=dumb \
            /usr/bin/time -o "$work/$tag.time1" -f '%e %M %R %w %c' "$@" "$SYNTH" \
            < "$work/script" > "$work/$tag.out" 2> "$work/$tag.err"
        local rc=$?
        if [ "$rc" != 0 ]; then
            echo "bench_pstats.sh: $tag exited $rc:" >&2; tail -n 5 "$work/$tag.err" >&2
        fi
        tail -n 1 "$work/$tag.time1" >> "$work/$tag.times"
    done
    med_t=$(awk '{print $1}' "$work/$tag.times" | median)
    med_m=$(awk '{print $2}' "$work/$tag.times" | median)
    med_f=$(awk '{print $3}' "$work/$tag.times" | median)
    med_c=$(awk '{print $4 + $5}' "$work/$tag.times" | median)
}

measure bin "$BIN"; bin_t=$med_t; bin_m=$med_m; bin_f=$med_f; bin_c=$med_c
measure py "$PYTHON" -m pstats; py_t=$med_t; py_m=$med_m; py_f=$med_f; py_c=$med_c

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
echo "  medians of $RUNS runs each; page faults: $(basename "$BIN") $bin_f, python $py_f; context switches: $(basename "$BIN") $bin_c, python $py_c"
# The loader's targets (issue 17): at most BENCH_MAX_TIME s, at least BENCH_TARGET times
# CPython's speed, a peak of at most BENCH_MAX_MEM times the dump.  A miss is reported and
# makes the exit status 1, as the other benchmarks' misses do.
met=$(awk -v bt="$bin_t" -v pt="$py_t" -v bm="$bin_m" -v size="$(stat -L -c %s "$SYNTH")" \
    -v tmax="${BENCH_MAX_TIME:-0.15}" -v ratio="${BENCH_TARGET:-40}" -v mmax="${BENCH_MAX_MEM:-1.5}" 'BEGIN {
    m = bm * 1024 / size
    printf "  peak memory %.2f times the dump (%.1f of %.1f MB, 1,024 kB)\n", m, bm / 1024, size / 1048576
    miss = ""
    if (bt > tmax) miss = miss sprintf(" %.2f s > %.2f s;", bt, tmax)
    if (bt <= 0 || pt / bt < ratio) miss = miss sprintf(" x%.1f < x%d;", bt > 0 ? pt / bt : 0, ratio)
    if (m > mmax) miss = miss sprintf(" peak %.2f > %.2f times the dump;", m, mmax)
    print (miss == "" ? "  targets met" : "  TARGET MISSED:" miss) }')
echo "$met"
[ "$same" = 1 ] && [ "${met##*targets met*}" = "" ]
