#!/bin/bash
# Benchmark prof2dot on the 200k-function / 1M-edge synthetic dumps.
#   tests/bench/prof2dot.sh [BIN]        (BIN default: build/prof2dot)
# For build/bench/synth.prof (uniform) and build/bench/synth_skew.prof (skewed), both made
# with tests/bench/gen_synth.py if missing, times `BIN -f pstats DUMP` at default thresholds
# and with `-n 0 -e 0`, RUNS times each under /usr/bin/time -f '%e %M' (medians), against:
#   * gprof2dot itself when one can be run (GPROF2DOT="python3 /path/gprof2dot.py", or a
#     `gprof2dot` on PATH);
#   * the floor any Python tool pays: CPython's own `pstats.Stats(DUMP)` load;
#   * gprof2dot's figures on these dumps, measured once (uniform 22.0 s / 876 MB
#     and 46.3 s / 877 MB with -n0 -e0; skewed 23.0 s / 876 MB and 49.2 s / 877 MB).
# Target (issue 4): at least 50x faster and at most 1/5 of gprof2dot's peak memory.
# Environment: RUNS (default 3), PYTHON (python3), SYNTH_ARGS ("200000 1000000").
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 2
BIN=${1:-build/prof2dot}
RUNS=${RUNS:-3}
PYTHON=${PYTHON:-python3}
if [ ! -x "$BIN" ]; then echo "prof2dot.sh: $BIN: not found or not executable" >&2; exit 2; fi
if [ ! -x /usr/bin/time ]; then echo "prof2dot.sh: /usr/bin/time is required" >&2; exit 2; fi
GPROF2DOT=${GPROF2DOT:-}
if [ -z "$GPROF2DOT" ] && command -v gprof2dot >/dev/null 2>&1; then GPROF2DOT=gprof2dot; fi

work=$(mktemp -d "${TMPDIR:-/tmp}/prof2dot-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

median() { sort -g | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }

# measure TAG CMD...: RUNS runs; medians in $med_t (s) and $med_m (KB); $ok=0 on a failure
measure() {
    local tag=$1 i; shift
    : >"$work/$tag.times"
    ok=1
    for i in $(seq "$RUNS"); do
        /usr/bin/time -o "$work/$tag.time1" -f '%e %M %U %S' "$@" >"$work/$tag.out" 2>"$work/$tag.err"
        local rc=$?
        if [ "$rc" != 0 ]; then
            echo "prof2dot.sh: $tag exited $rc:" >&2; tail -n 5 "$work/$tag.err" >&2; ok=0
        fi
        tail -n 1 "$work/$tag.time1" >>"$work/$tag.times"
    done
    med_t=$(awk '{print $1}' "$work/$tag.times" | median)
    med_m=$(awk '{print $2}' "$work/$tag.times" | median)
    med_c=$(awk '{print $3 + $4}' "$work/$tag.times" | median)   # CPU: the machine may be shared
}

# ratio LINE-LABEL OUR_T OUR_KB THEIR_T THEIR_MB [target]
ratio() {
    awk -v l="$1" -v t="$2" -v m="$3" -v pt="$4" -v pm="$5" -v tgt="${6:-}" 'BEGIN {
        sp = (t > 0 ? pt / t : 0); mem = (pm > 0 ? (m / 1024) / pm : 0)
        verdict = ""
        if (tgt != "") verdict = (sp >= 50 && mem <= 0.2) ? "  [target met]" : "  [TARGET MISSED: want >= 50x, <= 0.20]"
        printf "    vs %-34s %6.2f s %5d MB: speed x%.1f, memory %.2f%s\n", l, pt, pm, sp, mem, verdict }'
}

status=0
for kind in uniform skew; do
    if [ $kind = uniform ]; then
        SYNTH=build/bench/synth.prof; pub_d="22.0 876"; pub_z="46.3 877"; extra=
    else
        SYNTH=build/bench/synth_skew.prof; pub_d="23.0 876"; pub_z="49.2 877"; extra=skew
    fi
    if [ ! -s "$SYNTH" ]; then
        mkdir -p build/bench
        echo "generating $SYNTH ..." >&2
        # shellcheck disable=SC2086
        "$PYTHON" tests/bench/gen_synth.py ${SYNTH_ARGS:-200000 1000000} "$SYNTH.tmp" $extra &&
            mv "$SYNTH.tmp" "$SYNTH" || { echo "prof2dot.sh: generator failed" >&2; exit 2; }
    fi
    echo "$SYNTH ($kind, $(stat -c %s "$SYNTH") bytes), medians of $RUNS"

    measure floor "$PYTHON" -c 'import sys, pstats; pstats.Stats(sys.argv[1])' "$SYNTH"
    floor_t=$med_t; floor_m=$med_m
    printf '  pstats.Stats(DUMP) load        %6.2f s %5d MB  (CPU %.2f s)\n' "$floor_t" $(((floor_m + 512) / 1024)) "$med_c"
    [ $ok = 1 ] || floor_t=0

    for mode in default all; do
        if [ $mode = default ]; then opts=(); pub=$pub_d; else opts=(-n 0 -e 0); pub=$pub_z; fi
        measure "dot-$mode" "$BIN" -f pstats "${opts[@]}" "$SYNTH" -o "$work/out.dot"
        [ $ok = 1 ] || status=1
        t=$med_t; m=$med_m
        nodes=$(grep -cE '^\s[0-9]+\s+\[' "$work/out.dot" 2>/dev/null)
        printf '  prof2dot -f pstats %-9s %6.2f s %5d MB  (CPU %.2f s; %s nodes, %s bytes of dot)\n' \
            "${opts[*]:-(defaults)}" "$t" $(((m + 512) / 1024)) "$med_c" "${nodes:-0}" \
            "$(stat -c %s "$work/out.dot" 2>/dev/null || echo 0)"
        if [ -n "$GPROF2DOT" ]; then
            # shellcheck disable=SC2086
            measure "g-$mode" $GPROF2DOT -f pstats "${opts[@]}" "$SYNTH" -o "$work/g.dot"
            [ $ok = 1 ] && ratio "gprof2dot (measured)" "$t" "$m" "$med_t" $(((med_m + 512) / 1024)) target
        fi
        set -- $pub
        ratio "gprof2dot (recorded figures)" "$t" "$m" "$1" "$2" target
        [ "$floor_t" != 0 ] && ratio "pstats.Stats load (floor)" "$t" "$m" "$floor_t" $(((floor_m + 512) / 1024))
    done
done
exit $status
