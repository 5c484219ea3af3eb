#!/usr/bin/env bash
# Bench: prof2callgrind against `pyprof2calltree -i` on the 200k-function /
# 1M-edge synthetic dump (build/bench/synth.prof, made by gen_synth.py if
# missing).  Each side runs under /usr/bin/time -f '%e %M %U %S'; prof2callgrind
# 3 times (median), pyprof2calltree once (it takes 20-40 s).  Without
# pyprof2calltree, CPython's pstats.Stats(dump) (the load alone) is the floor.
# Prints the wall-clock ratio and the CPU-time ratio (steadier on a busy machine).
#   BENCH_PY      CPython for the floor and the generator (default python3)
#   BENCH_TARGET  required wall-clock ratio (default 50); exit 1 when not reached
#   BENCH_VERIFY  1: also check that both files hold the same functions and costs
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
PY=${BENCH_PY:-python3}
TARGET=${BENCH_TARGET:-50}
SYNTH=build/bench/synth.prof
dir=build/bench/callgrind
mkdir -p "$dir"
[ -x build/prof2callgrind ] || make -s build/prof2callgrind
if [ ! -s "$SYNTH" ]; then
    echo "generating $SYNTH (once) ..." >&2
    $PY tests/bench/gen_synth.py 200000 1000000 "$SYNTH.tmp" && mv "$SYNTH.tmp" "$SYNTH"
fi

timed() {   # command... -> "WALL KIB CPU"
    /usr/bin/time -f '%e %M %U %S' -o "$dir/time.txt" "$@" >/dev/null 2>"$dir/err.txt" ||
        { cat "$dir/err.txt" >&2; echo "0 0 0"; return 1; }
    awk '{ printf "%s %s %.2f\n", $1, $2, $3 + $4 }' "$dir/time.txt"
}
median3() { printf '%s\n' "$@" | sort -g | sed -n 2p; }

walls=() cpus=() kb=0
for i in 1 2 3; do
    read -r w k c < <(timed build/prof2callgrind -q "$SYNTH" -o "$dir/ours.cg")
    walls+=("$w"); cpus+=("$c"); kb=$k
done
c_wall=$(median3 "${walls[@]}")
c_cpu=$(median3 "${cpus[@]}")
printf '%-36s %7s s wall %7s s cpu %6s MiB  (%s MB)\n' "prof2callgrind" "$c_wall" "$c_cpu" \
    "$((kb / 1024))" "$(($(stat -c %s "$dir/ours.cg") / 1000000))"

if command -v pyprof2calltree >/dev/null 2>&1; then
    ref="pyprof2calltree -i"
    read -r p_wall p_kb p_cpu < <(timed pyprof2calltree -i "$SYNTH" -o "$dir/pyprof2calltree.cg")
    printf '%-36s %7s s wall %7s s cpu %6s MiB  (%s MB)\n' "$ref" "$p_wall" "$p_cpu" \
        "$((p_kb / 1024))" "$(($(stat -c %s "$dir/pyprof2calltree.cg") / 1000000))"
    if [ "${BENCH_VERIFY:-0}" = 1 ]; then
        python3 tests/callgrind/cgcheck.py same "$dir/ours.cg" "$dir/pyprof2calltree.cg" &&
            echo "verified: same functions, self costs, calls and call costs"
    fi
else
    ref="pstats.Stats (load only; no pyprof2calltree)"
    read -r p_wall p_kb p_cpu < <(timed $PY -c 'import pstats, sys; pstats.Stats(sys.argv[1])' "$SYNTH")
    printf '%-36s %7s s wall %7s s cpu %6s MiB\n' "$ref" "$p_wall" "$p_cpu" "$((p_kb / 1024))"
fi
ratio=$(awk -v p="$p_wall" -v c="$c_wall" 'BEGIN { if (c < 0.005) c = 0.005; printf "%.1f", p / c }')
cratio=$(awk -v p="$p_cpu" -v c="$c_cpu" 'BEGIN { if (c < 0.005) c = 0.005; printf "%.1f", p / c }')
echo "prof2callgrind: ${ratio}x faster than $ref (wall), ${cratio}x (cpu); target ${TARGET}x"
awk -v r="$ratio" -v t="$TARGET" 'BEGIN { exit !(r >= t) }' || { echo "callgrind bench: below target" >&2; exit 1; }
