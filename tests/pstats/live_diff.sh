#!/bin/bash
# Live differential test against the real CPythons (needs pyenv; skipped without it).
#   tests/pstats/live_diff.sh [BIN [SCRIPT-REGEX]]     (BIN default: build/pstatsh)
# Generates fresh dumps of tests/progs/*.py with every pyenv CPython (python -m cProfile -o
# and python -m profile -o), then for each dump and each script of a subset runs
# `python3.11 -m pstats` and `python3.13 -m pstats` and BIN exactly as run_golden.py does
# (fresh temp dir, file touched to 2024-01-02 03:04:05 UTC, same environment, addresses
# normalised) and compares stdout byte for byte; each (dump, script, CPython) is one test.
# Dumps CPython 3.11/3.13 cannot load (2.7, and profile.py dumps of 3.6-3.10 whose code
# objects have another marshal layout) are converted for the CPython side only (see
# convert_dump.py); 2.7 dumps only get scripts whose output does not depend on dict order.
# Prints `N passed, N failed` last; exit status 1 if anything failed.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
BIN=${1:-build/pstatsh}
filter=${2:-}
MAXDIFFS=${MAXDIFFS:-5}
TIMEOUT=${TIMEOUT:-20}
VERSIONS=${VERSIONS:-"2.7.18 3.6.15 3.7.16 3.8.18 3.9.18 3.10.13 3.11.7 3.12.1 3.13.0"}
SCRIPTS3=${SCRIPTS3:-"basic.cmd ordered.cmd tail.cmd restrict-lite.cmd strip.cmd sortkeys.cmd"}
SCRIPTS27=${SCRIPTS27:-"basic-total.cmd ordered.cmd"}
PROGS=${PROGS:-"mutual objects multimod"}

if ! command -v pyenv >/dev/null 2>&1; then
    echo "live_diff.sh: pyenv not found, skipped"
    exit 0
fi
case $BIN in /*) ;; */*) BIN=$ROOT/$BIN ;; *) BIN=$(command -v "$BIN" || echo "$ROOT/$BIN") ;; esac
if [ ! -x "$BIN" ]; then
    echo "live_diff.sh: $BIN: not found or not executable" >&2
    exit 2
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/pstats-live.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/dumps" "$work/progs"
cp "$ROOT"/tests/progs/*.py "$work/progs/"

# 1. fresh dumps
for v in $VERSIONS; do
    for p in $PROGS; do
        for prof in cProfile profile; do
            out=$work/dumps/$p-$(echo "$prof" | tr 'A-Z' 'a-z')-${v%.*}.prof
            (cd "$work/progs" && PYTHONDONTWRITEBYTECODE=1 pyrun "$v" -m "$prof" -o "$out" "$p.py" \
                > /dev/null 2>&1) || echo "live_diff.sh: $v -m $prof $p.py failed" >&2
        done
    done
done

pass=0; fail=0; shown=0
# run_one DIR-WITH-FILE NAME CMD... -> stdout normalised into $work/out.<tag>, rc in $rc_one
run_one() {
    local src=$1 name=$2 tag=$3; shift 3
    rm -rf "$work/run"; mkdir -p "$work/run"
    cp "$src" "$work/run/$name"; touch -d "$STAMP" "$work/run/$name"
    (cd "$work/run" && set_run_env && timeout "$TIMEOUT" "$@" "$name" \
        < "$SCRIPTS/$script" > "$work/raw" 2> /dev/null)
    rc_one=$?
    normalise < "$work/raw" > "$work/out.$tag"
}

for dump in "$work"/dumps/*.prof; do
    name=$(basename "$dump")
    wver=${name##*-}; wver=${wver%.prof}            # 2.7, 3.6, ...
    wfull=$(for v in $VERSIONS; do [ "${v%.*}" = "$wver" ] && echo "$v"; done | head -n1)
    case $name in
        *-2.7.prof) scripts=$SCRIPTS27; needconv=1 ;;
        *-profile-3.[6-9].prof|*-profile-3.10.prof) scripts=$SCRIPTS3; needconv=1 ;;
        *) scripts=$SCRIPTS3; needconv=0 ;;
    esac
    for script in $scripts; do
        if [ -n "$filter" ] && ! [[ $script =~ $filter ]]; then continue; fi
        for try in 1 2 3; do   # 126/127: BIN being rebuilt concurrently
            run_one "$dump" "$name" bin "$BIN"; brc=$rc_one
            case $brc in 126|127) ;; *) break ;; esac
            sleep 2
        done
        for tv in $GOLDEN_VERSIONS; do
            tag=${tv%%:*}; ver=${tv#*:}
            src=$dump
            if [ "$needconv" = 1 ]; then
                src=$work/conv/$ver/$name
                [ -f "$src" ] || convert_file "$wfull" "$ver" "$dump" "$src" >/dev/null 2>&1 || {
                    fail=$((fail + 1)); echo "FAIL $name $script ($tag): cannot convert"; continue; }
            fi
            run_one "$src" "$name" "$tag" env PYENV_VERSION="$ver" "$(pyexe "$ver")" -m pstats
            prc=$rc_one
            if [ "$prc" -ge 124 ]; then
                fail=$((fail + 1)); echo "FAIL $name $script ($tag): CPython could not run ($prc)"
                continue
            fi
            exp=$work/out.$tag; act=$work/out.bin
            if [ "$prc" != 0 ]; then     # CPython crashed: compare what it printed before
                head -c "$(wc -c < "$exp")" "$work/out.bin" > "$work/out.binprefix"
                act=$work/out.binprefix
            fi
            if cmp -s "$exp" "$act" && { [ "$prc" != 0 ] || [ "$brc" = 0 ]; }; then
                pass=$((pass + 1))
            else
                fail=$((fail + 1))
                echo "FAIL $name $script ($tag): exit $brc (CPython $prc)"
                if [ "$shown" -lt "$MAXDIFFS" ]; then
                    shown=$((shown + 1))
                    diff -u --label "python$ver" --label "$(basename "$BIN")" "$exp" "$act" | head -n 60
                fi
            fi
        done
    done
done
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
