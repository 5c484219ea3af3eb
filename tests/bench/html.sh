#!/usr/bin/env bash
# Bench: prof2html on the 200k-function / 1M-edge synthetic dump
# (build/bench/synth.prof, made by gen_synth.py if missing): writing the page
# within 2x prof2folded's time on the same dump in the same run (median of 3
# each), the page no bigger than the dump, and, in headless Chromium when it
# is installed, the chart and the table drawn within 3 s of opening the page
# (the page's own performance.now() mark, best of 3 loads).
#   BENCH_PY        CPython for the generator (default python3)
#   BENCH_HTML_MS   required drawing time in ms (default 3000)
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
PY=${BENCH_PY:-python3}
MAX_MS=${BENCH_HTML_MS:-3000}
dir=build/bench/html
mkdir -p "$dir"
[ -x build/prof2html ] && [ -x build/prof2folded ] || make -s build/prof2html build/prof2folded
SYNTH=build/bench/synth.prof
if [ ! -s "$SYNTH" ]; then
    echo "generating $SYNTH (once) ..." >&2
    $PY tests/bench/gen_synth.py 200000 1000000 "$SYNTH.tmp" && mv "$SYNTH.tmp" "$SYNTH"
fi
median3() { printf '%s\n' "$@" | sort -g | sed -n 2p; }
status=0
declare -A wall
for prog in prof2folded prof2html; do
    walls=()
    for i in 1 2 3; do
        /usr/bin/time -f '%e %M' -o "$dir/time.txt" build/$prog "$SYNTH" -o "$dir/out.$prog" ||
            { echo "$prog failed on $SYNTH" >&2; status=1; continue 2; }
        read -r w k <"$dir/time.txt"
        walls+=("$w")
    done
    wall[$prog]=$(median3 "${walls[@]}")
    printf '%-12s %-10s %6s s wall %5s MiB %9s KB\n' "$prog" "$(basename "$SYNTH")" "${wall[$prog]}" \
        "$((k / 1024))" "$(($(stat -c %s "$dir/out.$prog") / 1000))"
done
[ $status -eq 0 ] || exit 1
ratio=$(awk -v a="${wall[prof2html]}" -v b="${wall[prof2folded]}" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
echo "prof2html / prof2folded: x$ratio (target <= 2)"
awk -v r="$ratio" 'BEGIN { exit !(r <= 2) }' || { echo "prof2html: x$ratio prof2folded's time" >&2; status=1; }
page=$(stat -c %s "$dir/out.prof2html") dump=$(stat -c %s "$SYNTH")
echo "page $((page / 1000)) KB, dump $((dump / 1000)) KB"
[ "$page" -le "$dump" ] || { echo "prof2html: the page is bigger than the dump" >&2; status=1; }
if command -v chromium >/dev/null && [ -x /usr/bin/chromedriver ] && /usr/bin/python3 -c 'import selenium' 2>/dev/null; then
    cp "$dir/out.prof2html" "$dir/synth.html"
    if out=$(/usr/bin/python3 tests/bench/html_open.py "$dir/synth.html" 3); then
        read -r _ drawn _ ready <<<"$out"
        echo "headless Chromium: chart and table drawn in $drawn ms, call edges read in $ready ms (target ${MAX_MS} ms; load average $(cut -d' ' -f1 /proc/loadavg))"
        [ "$drawn" -le "$MAX_MS" ] || { echo "prof2html: page drawn in $drawn ms" >&2; status=1; }
    else
        echo "headless Chromium: the page did not open" >&2
        status=1
    fi
else
    echo "headless Chromium: not installed, skipped"
fi
exit $status
