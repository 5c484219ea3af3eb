#!/usr/bin/env bash
# Bench: a sampled profile in folded stacks, 1M samples over 100k functions
# (about 100 MB, build/bench/sampled-v2.folded, made by gen_folded.py if missing):
# `pstatsh -c 'sort cumulative' -c 'stats 20'` against the obvious Python
# converter (folded_to_pstats.py: read lines, sum into dicts), in the same run,
# medians of 5 pstatsh runs and 3 converter runs, alternated.  Targets: at least 30x
# the converter's CPU time (user + sys: wall clock on a shared machine measures
# the neighbours), and a peak RSS under the file's size.
#   BENCH_PY            CPython for the generator and the converter (default python3)
#   BENCH_SAMPLED_RATIO required ratio (default 30); exit 1 when below
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
PY=${BENCH_PY:-python3}
RATIO=${BENCH_SAMPLED_RATIO:-30}
dir=build/bench
mkdir -p "$dir"
[ -x build/pstatsh ] || make -s build/pstatsh
# (named for the generator's version: a file from the old one reached only 74k functions)
F=$dir/sampled-v2.folded
if [ ! -s "$F" ]; then
    echo "generating $F (once) ..." >&2
    $PY tests/bench/gen_folded.py 1000000 100000 "$F.tmp" && mv "$F.tmp" "$F"
fi
size_kb=$(( $(stat -L -c %s "$F") / 1024 ))
cat "$F" > /dev/null   # both runs start with the file in the page cache
# medians: of 5 pstatsh runs (a third of a second each; one run alone varies by half on a
# virtual machine) and of 3 converter runs; CPU = user + sys of each run
: > "$dir/sampled.c.times"; : > "$dir/sampled.py.times"
for i in 1 2 3 4 5; do
    /usr/bin/time -f '%e %M %U %S' -o "$dir/sampled.c.time" build/pstatsh "$F" -c 'sort cumulative' -c 'stats 20' \
        > "$dir/sampled.c.out" || { echo "pstatsh failed on $F"; exit 1; }
    tail -n 1 "$dir/sampled.c.time" >> "$dir/sampled.c.times"
    [ "$i" -le 3 ] || continue
    /usr/bin/time -f '%e %M %U %S' -o "$dir/sampled.py.time" $PY tests/bench/folded_to_pstats.py "$F" \
        > "$dir/sampled.py.out" || { echo "the Python converter failed on $F"; exit 1; }
    tail -n 1 "$dir/sampled.py.time" >> "$dir/sampled.py.times"
done
# the run of median CPU: its wall, peak, user and sys
median_run() { awk '{ print $3 + $4, $0 }' "$1" | sort -g | awk '{ a[NR] = $0 } END { print a[int((NR + 1) / 2)] }' | cut -d' ' -f2-; }
read -r cw ck cu cs <<< "$(median_run "$dir/sampled.c.times")"
read -r pw pk pu ps <<< "$(median_run "$dir/sampled.py.times")"
ccpu=$(awk -v u="$cu" -v s="$cs" 'BEGIN { printf "%.2f", u + s }')
pcpu=$(awk -v u="$pu" -v s="$ps" 'BEGIN { printf "%.2f", u + s }')
ratio=$(awk -v a="$pcpu" -v b="$ccpu" 'BEGIN { printf "%.1f", (b > 0 ? a / b : 0) }')
printf 'sampled folded %s MB: pstatsh %5s s cpu (%s s wall) %4s MiB peak; python %6s s cpu (%s s wall) %4s MiB; x%s cpu\n' \
    "$((size_kb / 1024))" "$ccpu" "$cw" "$((ck / 1024))" "$pcpu" "$pw" "$((pk / 1024))" "$ratio"
# the converter's ten heaviest functions are in pstatsh's top 20 with the same sample
# counts (ties at the end of a top 20 may order differently)
grep -E '^ +[0-9]+ ' "$dir/sampled.c.out" | awk '{print $1, $NF}' | sed -E 's/:[0-9]+\(/(/' > "$dir/sampled.c.top"
if awk '{print $1, $NF}' "$dir/sampled.py.out" | sed -E 's/:[0-9]+\(/(/' | head -10 |
        grep -qvxFf "$dir/sampled.c.top"; then
    echo "sampled: pstatsh and the Python converter disagree on the heaviest functions"; exit 1
fi
status=0
# the generator's promise: every one of the 100k functions is in the profile
nfuncs=$(sed -nE 's/^ *List reduced from ([0-9]+) to .*/\1/p' "$dir/sampled.c.out")
[ "$nfuncs" = 100000 ] || { echo "sampled: $F holds ${nfuncs:-?} functions, not 100000 (the generator changed: delete it)"; status=1; }
awk -v r="$ratio" -v t="$RATIO" 'BEGIN { exit !(r >= t) }' || { echo "sampled: x$ratio is below x$RATIO"; status=1; }
[ "$ck" -lt "$size_kb" ] || { echo "sampled: peak $ck KB is not under the file's $size_kb KB"; status=1; }
exit $status
