#!/usr/bin/env bash
# make check / make check-full: the unit tests in build/tests/, then every suite
# tests/*/run.sh, PSTATS_JOBS of them at a time (see JOBS below); each reads the tier from
# PSTATS_TIER (tests/tier.sh).  Each suite ends with a line "N passed, N failed"; this
# prints them in order, adds them up and ends with the same line for the whole run.
set -u
cd "$(dirname "$0")/.."
export PSTATS_TIER=${PSTATS_TIER:-quick}
# One more job than cores in the plain quick tier: html waits on Chromium and export and
# folded on their checkers, so two jobs on two cores left a core idle a third of the time
# (fresh clone, 2 cores: 164 s wall with 2 jobs, 145 s with 3, for ~230 s of CPU).  Two
# in the full tier and on the sanitized build, whose timed checks (10 s per program run)
# need the headroom.
JOBS=2
if [ "$PSTATS_TIER" = quick ] && [ ! -f build/.flavour-san ]; then
    JOBS=$(( $(nproc 2>/dev/null || echo 2) + 1 ))
fi
JOBS=${PSTATS_JOBS:-$JOBS}
total_pass=0 total_fail=0 cpu_total=0 failed_suites=()
W=$(mktemp -d "${TMPDIR:-/tmp}/pstats-check.XXXXXX")
trap 'rm -rf "$W"' EXIT
names=() cmds=()
for t in build/tests/*; do
    [ -f "$t" ] && [ -x "$t" ] || continue   # (build/tests/html/ holds screenshots)
    names+=("unit/$(basename "$t")"); cmds+=("$t")
done
# the library's objects follow the layer order, without a cycle (nm over libpstats.a)
names+=("unit/layers"); cmds+=("bash tests/unit/layers.sh")
# pyrun, the suites' one Python process (tests/pyserve.sh)
names+=("unit/pyserve"); cmds+=("bash tests/unit/pyserve.sh")
for s in tests/*/run.sh; do
    [ -f "$s" ] || continue
    names+=("$(basename "$(dirname "$s")")"); cmds+=("bash $s")
done
echo "tier: $PSTATS_TIER$([ -f build/.flavour-san ] && echo ', sanitized build')"
# Started longest first (the quick tier's CPU, heaviest first), so that the jobs stay busy
# to the end instead of a long suite starting last; the report keeps the order above.
# (measured with pyrun, tests/pyserve.sh: robust ~37 s, merge ~36, html ~27, dot ~26,
# folded ~21, export, hostile, top ~17, sampled, diff, callgrind ~11, test_pipeline ~9)
order=()
for h in robust merge html dot folded export hostile top sampled diff callgrind unit/test_pipeline; do
    for i in "${!names[@]}"; do [ "${names[$i]}" = "$h" ] && order+=("$i"); done
done
for i in "${!names[@]}"; do
    case " ${order[*]} " in *" $i "*) ;; *) order+=("$i") ;; esac
done
t0=$(date +%s)
running=0
for i in "${order[@]}"; do
    if [ "$running" -ge "$JOBS" ]; then wait -n; running=$((running - 1)); fi
    ( s=$(date +%s)
      if [ -x /usr/bin/time ]; then   # the CPU time too: wall time says little on a busy machine
          /usr/bin/time -o "$W/$i.cpu" -f '%U %S' ${cmds[$i]} >"$W/$i.out" 2>&1
      else ${cmds[$i]} >"$W/$i.out" 2>&1; fi
      echo $? >"$W/$i.rc"
      echo $(( $(date +%s) - s )) >"$W/$i.sec" ) &
    running=$((running + 1))
done
wait
for i in "${!names[@]}"; do
    name=${names[$i]} out=$(cat "$W/$i.out") rc=$(cat "$W/$i.rc" 2>/dev/null || echo 1)
    line=$(printf '%s\n' "$out" | grep -E '^[0-9]+ passed, [0-9]+ failed' | tail -n 1)
    if [ -z "$line" ]; then
        printf '%s\n' "$out" | tail -n 20
        echo "suite $name: no summary line (exit $rc)"
        total_fail=$((total_fail + 1)); failed_suites+=("$name"); continue
    fi
    p=${line%% passed*}; f=${line#*, }; f=${f%% failed*}
    total_pass=$((total_pass + p)); total_fail=$((total_fail + f))
    if [ "$f" -ne 0 ] || [ "$rc" -ne 0 ]; then
        printf '%s\n' "$out" | tail -n 40
        failed_suites+=("$name")
        [ "$f" -eq 0 ] && total_fail=$((total_fail + 1))
    fi
    cpu=$(awk '/^[0-9.]+ [0-9.]+$/ { printf "%.0f", $1 + $2 }' "$W/$i.cpu" 2>/dev/null)
    cpu_total=$((cpu_total + ${cpu:-0}))
    printf '%-28s %-26s %4ss%s\n' "$name" "$line" "$(cat "$W/$i.sec")" "${cpu:+ (CPU ${cpu}s)}"
done
echo "tier $PSTATS_TIER: $(( $(date +%s) - t0 ))s wall, ${cpu_total}s CPU in the tests"
if [ ${#failed_suites[@]} -ne 0 ]; then
    echo "failing suites: ${failed_suites[*]}"
fi
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
