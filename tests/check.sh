#!/usr/bin/env bash
# make check: the unit tests in build/tests/, then every suite tests/*/run.sh.
# Each suite ends with a line "N passed, N failed"; this adds them up and
# ends with the same line for the whole run.
set -u
cd "$(dirname "$0")/.."
total_pass=0 total_fail=0 failed_suites=()
run_suite() {   # name, command...
    local name=$1; shift
    local out rc line p f
    out=$("$@" 2>&1); rc=$?
    line=$(printf '%s\n' "$out" | grep -E '^[0-9]+ passed, [0-9]+ failed' | tail -n 1)
    if [ -z "$line" ]; then
        printf '%s\n' "$out" | tail -n 20
        echo "suite $name: no summary line (exit $rc)"
        total_fail=$((total_fail + 1)); failed_suites+=("$name"); return
    fi
    p=${line%% passed*}; f=${line#*, }; f=${f%% failed*}
    total_pass=$((total_pass + p)); total_fail=$((total_fail + f))
    if [ "$f" -ne 0 ] || [ "$rc" -ne 0 ]; then
        printf '%s\n' "$out" | tail -n 40
        failed_suites+=("$name")
        [ "$f" -eq 0 ] && total_fail=$((total_fail + 1))
    fi
    printf '%-28s %s\n' "$name" "$line"
}
for t in build/tests/*; do
    [ -x "$t" ] || continue
    run_suite "unit/$(basename "$t")" "$t"
done
# the library's objects follow the layer order, without a cycle (nm over libpstats.a)
run_suite "unit/layers" bash tests/unit/layers.sh
for s in tests/*/run.sh; do
    [ -f "$s" ] || continue
    run_suite "$(basename "$(dirname "$s")")" bash "$s"
done
if [ ${#failed_suites[@]} -ne 0 ]; then
    echo "failing suites: ${failed_suites[*]}"
fi
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
