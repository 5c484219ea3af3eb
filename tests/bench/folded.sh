#!/usr/bin/env bash
# Bench: prof2folded (folded lines and --svg) on the 200k-function / 1M-edge
# synthetic dumps, uniform and skewed (build/bench/synth.prof and
# synth_skew.prof, made by gen_synth.py if missing); 3 runs each under
# /usr/bin/time -f '%e %M %U %S', median.  The target is under one second.
#   BENCH_PY         CPython for the generator (default python3)
#   BENCH_FOLDED_MAX required wall seconds (default 1.0); exit 1 when above
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
PY=${BENCH_PY:-python3}
MAX=${BENCH_FOLDED_MAX:-1.0}
dir=build/bench/folded
mkdir -p "$dir"
[ -x build/prof2folded ] || make -s build/prof2folded
status=0
median3() { printf '%s\n' "$@" | sort -g | sed -n 2p; }
for spec in "synth:" "synth_skew:skew"; do
    SYNTH=build/bench/${spec%%:*}.prof
    if [ ! -s "$SYNTH" ]; then
        echo "generating $SYNTH (once) ..." >&2
        $PY tests/bench/gen_synth.py 200000 1000000 "$SYNTH.tmp" ${spec#*:} && mv "$SYNTH.tmp" "$SYNTH"
    fi
    for mode in folded svg; do
        out=$dir/out.$mode
        opt=
        [ "$mode" = svg ] && opt=--svg
        walls=() cpus=() kb=0
        for i in 1 2 3; do
            /usr/bin/time -f '%e %M %U %S' -o "$dir/time.txt" build/prof2folded $opt "$SYNTH" -o "$out" ||
                { echo "prof2folded failed on $SYNTH" >&2; status=1; continue; }
            read -r w k u s <"$dir/time.txt"
            walls+=("$w"); cpus+=("$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }')"); kb=$k
        done
        [ ${#walls[@]} -eq 3 ] || continue
        wall=$(median3 "${walls[@]}")
        cpu=$(median3 "${cpus[@]}")
        lines=$(wc -l <"$out")
        printf 'prof2folded %-6s %-16s %6s s wall %6s s cpu %5s MiB  %7s lines %6s KB\n' "$mode" \
            "$(basename "$SYNTH")" "$wall" "$cpu" "$((kb / 1024))" "$lines" "$(($(stat -c %s "$out") / 1000))"
        awk -v w="$wall" -v m="$MAX" 'BEGIN { exit !(w < m) }' ||
            { echo "prof2folded $mode on $SYNTH: ${wall} s, target under ${MAX} s" >&2; status=1; }
    done
done
exit $status
