#!/bin/bash
# Replay every golden case with an implementation of `python -m pstats`.
#   tests/pstats/run_golden.sh [BIN [NAME-REGEX]]      (BIN default: build/pstatsh)
# For each case of cases.txt: copy its files (originals, never converted) into a fresh
# temp dir under their relative names, touch them to 2024-01-02 03:04:05 UTC, cd there and
# run BIN ARGS < script with TZ=UTC LC_ALL=C.UTF-8 PYTHONHASHSEED=0 PYTHONIOENCODING=utf-8.
# Its stdout is compared byte for byte with CPython 3.11's and 3.13's (golden/NAME.out when
# they agree, else golden/NAME.3.11.out and golden/NAME.3.13.out; see lib.sh), each
# comparison counting as one test, after rewriting `at 0x<hex>` to `at 0xADDR` on both
# sides; the exit status must be 0 when CPython's was.  Cases flagged `prefix` (CPython died
# with a traceback) compare only the golden stdout as a prefix of BIN's stdout; cases flagged
# `diverge` are skipped here (deliberate departures, asserted by diverge.sh).
# Environment: MAXDIFFS (default 5) unified diffs shown, TIMEOUT seconds per run (20).
# Prints `N passed, N failed` last; exit status 1 if anything failed, 2 if BIN is missing.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
BIN=${1:-build/pstatsh}
filter=${2:-}
MAXDIFFS=${MAXDIFFS:-5}
TIMEOUT=${TIMEOUT:-20}
case $BIN in /*) ;; */*) BIN=$ROOT/$BIN ;; *) BIN=$(command -v "$BIN" || echo "$ROOT/$BIN") ;; esac
if [ ! -x "$BIN" ]; then
    echo "run_golden.sh: $BIN: not found or not executable" >&2
    exit 2
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/pstats-golden.XXXXXX")
trap 'rm -rf "$work"' EXIT
pass=0; fail=0; shown=0

report() { # report NAME TAG WHY EXPECTED-FILE ACTUAL-FILE
    echo "FAIL $1 ($2): $3"
    if [ "$shown" -lt "$MAXDIFFS" ] && [ -n "${4:-}" ]; then
        shown=$((shown + 1))
        diff -u --label "golden/$1 ($2)" --label "$(basename "$BIN") stdout" "$4" "$5" | head -n 60
    fi
}

# The quick tier (PSTATS_TIER=quick, tests/tier.sh) replays the cases that bring an input
# (ARGS) or a SCRIPT not replayed yet: every dump and every command script, in about two
# cases of five; the full tier, or a NAME-REGEX, replays them all.
quick=1
[ "${PSTATS_TIER:-quick}" = full ] || [ -n "$filter" ] && quick=0
declare -A seen_args=() seen_script=()
replay_case() {
    local name=$1 args=$2 script=$3 flags=$4 tmp rc tag gold grc exp act n
    if [ -n "$filter" ] && ! [[ $name =~ $filter ]]; then return; fi
    if [ $quick = 1 ] && [ -n "${seen_args["x$args"]:-}" ] && [ -n "${seen_script["x$script"]:-}" ]
    then return; fi
    seen_args["x$args"]=1 seen_script["x$script"]=1
    # `diverge`: pstatsh departs from 3.11/3.13 on purpose (tests/pstats/diverge.sh checks it)
    if has_flag "$flags" diverge; then return; fi
    tmp=$work/run
    rm -rf "$tmp"; mkdir -p "$tmp"
    prepare_dir "$tmp" "$args" "$script"
    local try
    for try in 1 2 3; do   # 126/127: BIN being rebuilt concurrently
        # shellcheck disable=SC2086
        (cd "$tmp" && set_run_env && timeout "$TIMEOUT" "$BIN" $args < "$SCRIPTS/$script" \
            > "$work/stdout" 2> "$work/stderr")
        rc=$?
        case $rc in 126|127) ;; *) break ;; esac
        sleep 2
    done
    normalise < "$work/stdout" > "$work/actual"
    for tv in $GOLDEN_VERSIONS; do
        tag=${tv%%:*}
        gold=$(golden_file "$name" "$tag" out)
        if [ -z "$gold" ]; then
            fail=$((fail + 1)); report "$name" "$tag" "golden missing (run record.sh)"; continue
        fi
        grc=$(golden_file "$name" "$tag" rc)
        if [ -n "$grc" ]; then grc=$(cat "$grc"); else grc=0; fi
        exp=$work/expected; act=$work/actual
        normalise < "$gold" > "$exp"
        if has_flag "$flags" prefix; then
            n=$(wc -c < "$exp")
            head -c "$n" "$work/actual" > "$work/actual.prefix"
            act=$work/actual.prefix
        fi
        if [ "$rc" = 124 ]; then
            fail=$((fail + 1)); report "$name" "$tag" "timed out after ${TIMEOUT}s"
        elif ! cmp -s "$exp" "$act"; then
            fail=$((fail + 1)); report "$name" "$tag" "stdout differs (exit $rc)" "$exp" "$act"
        elif [ "$grc" = 0 ] && [ "$rc" != 0 ] && ! has_flag "$flags" prefix; then
            fail=$((fail + 1))
            report "$name" "$tag" "exit status $rc, CPython 0; stderr: $(head -c 300 "$work/stderr")"
        else
            pass=$((pass + 1))
        fi
    done
}
each_case replay_case
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
