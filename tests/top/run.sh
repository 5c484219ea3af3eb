#!/usr/bin/env bash
# The browser's pprof commands (top, peek, tree, the filters, granularity, web, > FILE).
# Ends with "N passed, N failed"; exit 1 on any failure.
#   - every dump of tests/dumps: the commands of commands.txt print what ref.py computes
#     from pstats.Stats (golden/, recorded by record.sh from CPython 3.11.7); in the full
#     tier, where pyenv's 3.11.7 is there, ref.py runs live on the dumps it loads as they are;
#   - the filters of filters.txt against prof2dot's --focus/--ignore/--hide/--keep/
#     --keep-from on the same dumps (every dump in the full tier, every 16th in the quick one);
#   - granularity adds up (calls, time), redirection is atomic, errors are one line,
#     web opens the page with $BROWSER, help and -c know every command, CPython's unknown
#     syntax stays unknown.
set -u
source "$(dirname "$0")/../tier.sh"
source "$(dirname "$0")/lib.sh"
T=$(mktemp -d "${TMPDIR:-/tmp}/top-test.XXXXXX")
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
check() { local what=$1; shift; if "$@"; then ok; else bad "$what"; fi; }
[ -x "$BIN" ] || { echo "build first (make)"; echo "0 passed, 1 failed"; exit 1; }
P2D=$TOP_ROOT/build/prof2dot
cd "$TOP_ROOT"
export TZ=UTC LC_ALL=C.UTF-8

# ---- top, peek, tree on every dump, against ref.py ----------------------------------------
for d in $(top_dumps); do
    g=$(golden_of "$d")
    [ -f "$g" ] || { bad "$d: no golden (tests/top/record.sh)"; continue; }
    run_browser "$d" 2>"$T/err" | normalize >"$T/out"
    if cmp -s "$T/out" "$g"; then ok
    else bad "$d: differs from ref.py's golden: $(diff "$g" "$T/out" | head -4)"; fi
done
# the comparison can fail: one percentage one digit off is caught
g=$(golden_of tests/dumps/recur-cprofile-3.12.prof)
sed '0,/ \([0-9]\)\.\([0-9][0-9]\)%/s// \1.9\2%/' "$g" | head -c 100000 >"$T/off"
run_browser tests/dumps/recur-cprofile-3.12.prof 2>/dev/null | normalize >"$T/out"
check "a golden one digit off differs" bash -c '! cmp -s "$0" "$1" && cmp -s "$1" "$2"' "$T/off" "$T/out" "$g"
if tier_full && PYENV_VERSION=$REF_VERSION python3 -c 'import pstats' 2>/dev/null; then
    for d in $(top_dumps); do
        grep -q "^$d " tests/pstats/convert.txt && continue    # record.sh converts those
        run_ref "$d" 2>"$T/err" | normalize >"$T/ref" || { bad "$d: ref.py failed: $(head -2 "$T/err")"; continue; }
        run_browser "$d" 2>/dev/null | normalize >"$T/out"
        if cmp -s "$T/ref" "$T/out"; then ok; else bad "$d: live ref.py differs: $(diff "$T/ref" "$T/out" | head -4)"; fi
    done
fi

# ---- the filters: the view is prof2dot's graph -------------------------------------------
source "$(dirname "${BASH_SOURCE[0]}")/../shlib.sh"   # trim_vars
graph_of() { "$P2D" -n0 -e0 --full-names --dot-writer text "$@"; }
: >"$T/pairs"
n=0
for d in $(sample 16 $(top_dumps)); do
    while IFS='|' read -r kind re; do
        trim_vars kind re
        case $kind in ''|'#'*) continue ;; esac
        opt=--$kind
        case $kind in show) opt=--keep ;; show_from) opt=--keep-from ;; esac
        n=$((n + 1))
        if graph_of "$opt" "$re" "$d" >"$T/want$n.dot" 2>"$T/want.err"; then
            "$BIN" -c "$kind $re" -c "dump $T/view.prof" "$d" >/dev/null 2>"$T/err"
            graph_of "$T/view.prof" >"$T/got$n.dot" 2>>"$T/err"
            printf '%s\t%s\t%s\n' "$d: $kind $re" "$T/got$n.dot" "$T/want$n.dot" >>"$T/pairs"
        else
            # prof2dot refuses it (a focus matching nothing): the browser too, in one line
            "$BIN" -c "$kind $re" -c "top" "$d" >"$T/out" 2>"$T/err"
            check "$d: $kind $re refused as prof2dot refuses it" \
                bash -c '[ "$(wc -l <"$0")" = 1 ] && ! grep -q "^Active filters" "$1"' "$T/err" "$T/out"
        fi
    done < "$TOP_DIR/filters.txt"
done
python3 "$TOP_DIR/graphs.py" "$T/pairs" >"$T/verdicts"
while read -r verdict rest; do
    if [ "$verdict" = ok ]; then ok; else bad "not prof2dot's graph: $rest"; fi
done <"$T/verdicts"
check "every filter pair compared" test "$(wc -l <"$T/verdicts")" = "$(wc -l <"$T/pairs")"
# the filter stays for every report, named in its header, until reset
D=tests/dumps/recur-cprofile-3.12.prof
"$BIN" -c 'focus hanoi' -c 'stats 1' -c 'callers 1' -c 'top 1' -c 'tree 1' -c 'peek hanoi' -c reset -c 'top 1' "$D" >"$T/out" 2>&1
check "every report names the filter in force" test "$(grep -c '^   focus=hanoi$' "$T/out")" = 5
check "reset drops it" bash -c '[ "$(tail -n 5 "$0" | grep -c "^Active filters")" = 0 ]' "$T/out"
"$BIN" -c 'top -cum -hanoi' "$D" >"$T/out" 2>&1
check "top's -RE is an ignore for that report" grep -q '^   ignore=hanoi$' "$T/out"
check "... and hanoi is gone" bash -c '! grep -q "(hanoi)" "$0"' "$T/out"
"$BIN" -c 'show_from hanoi' -c 'top 0' "$D" >"$T/out" 2>&1
check "show_from drops what lies above" bash -c '! grep -q "(<module>)" "$0" && grep -q "(hanoi)" "$0"' "$T/out"
"$BIN" -c 'sort cumulative' -c 'focus hanoi' -c 'stats 2' "$D" >"$T/out" 2>&1
check "a view keeps the sort" grep -q 'Ordered by: cumulative time' "$T/out"

# ---- granularity: times and counts add up ------------------------------------------------
for d in $(sample 16 $(top_dumps)); do
    for level in functions files; do
        "$BIN" -c "stats 0" "$d" 2>/dev/null | sed -n 3p >"$T/lines"
        "$BIN" -c "granularity $level" -c "stats 0" "$d" 2>/dev/null | sed -n 3p >"$T/merged"
        check "$d: granularity $level keeps the calls and the time" cmp -s "$T/lines" "$T/merged"
    done
done
"$BIN" -c 'granularity files' -c 'top 0' tests/dumps/multimod-cprofile-3.12.prof >"$T/out" 2>&1
check "granularity files: one row per file" bash -c '[ "$(grep -cE ":0\(<file>\)$|\{built-in\}$" "$0")" = "$(grep -cE "^ +[0-9]" "$0")" ]' "$T/out"
"$BIN" -c 'granularity bogus' "$D" >"$T/out" 2>"$T/err"; rc=$?
check "granularity bogus: one line, exit 1" bash -c '[ "$0" = 1 ] && [ "$(wc -l <"$1")" = 1 ]' "$rc" "$T/err"

# ---- redirection: atomic ----------------------------------------------------------------
"$BIN" -c 'top 5' "$D" >"$T/top.out" 2>&1
"$BIN" -c "top 5 > $T/top.file" "$D" >"$T/out" 2>&1
check "top > FILE writes the report to FILE" cmp -s "$T/top.out" "$T/top.file"
check "... and nothing to the terminal" test ! -s "$T/out"
"$BIN" -c "stats 3 >$T/stats.file" "$D" >"$T/out" 2>&1
"$BIN" -c "stats 3" "$D" >"$T/stats.out" 2>&1
check "stats >FILE: a CPython report too" cmp -s "$T/stats.file" "$T/stats.out"
echo previous >"$T/keep"
"$BIN" -c "peek nosuchfunction > $T/keep" "$D" >"$T/out" 2>"$T/err"; rc=$?
check "a failing report leaves FILE as it was" grep -qx previous "$T/keep"
check "... says why in one line, exit 1" bash -c '[ "$0" = 1 ] && [ "$(wc -l <"$1")" = 1 ] && grep -q "no matches found for regexp: nosuchfunction" "$1"' "$rc" "$T/err"
check "... and leaves no temporary behind" test "$(ls "$T" | grep -c '\.tmp')" = 0
"$BIN" -c "top > $T/no/such/dir/x" "$D" >"$T/out" 2>"$T/err"; rc=$?
check "an unwritable FILE: one line, exit 1, nothing written" \
    bash -c '[ "$0" = 1 ] && [ "$(wc -l <"$1")" = 1 ] && [ ! -s "$2" ] && [ ! -e "$3" ]' "$rc" "$T/err" "$T/out" "$T/no"
"$BIN" -c 'callers main|<module>' tests/dumps/mutual-cprofile-3.12.prof >"$T/a" 2>&1
check "'>' inside a word is CPython's regular expression, no redirection" grep -q 'was called by' "$T/a"

# ---- errors: one line each --------------------------------------------------------------
for c in 'focus (' 'ignore [' 'hide *' 'show (?' 'show_from )' 'peek (' 'top (' 'focus nosuchfunction' 'peek'; do
    "$BIN" -c "$c" -c 'stats 1' "$D" >"$T/out" 2>"$T/err"; rc=$?
    check "'$c': one line, exit 1, the session goes on" \
        bash -c '[ "$0" = 1 ] && [ "$(wc -l <"$1")" = 1 ] && grep -q "^pstatsh: " "$1" && grep -q "function calls" "$2"' "$rc" "$T/err" "$T/out"
done
"$BIN" -c 'focus (' -c 'top 1' "$D" >"$T/out" 2>/dev/null
check "a refused filter is not in force" bash -c '! grep -q "Active filters" "$0"' "$T/out"

# ---- web ---------------------------------------------------------------------------------
cat >"$T/browser" <<'SH'
#!/bin/sh
echo "$1" >>"$BROWSER_LOG"
SH
chmod +x "$T/browser"
BROWSER=$T/browser BROWSER_LOG=$T/log TMPDIR=$T "$BIN" -c 'focus hanoi' -c web "$D" >"$T/out" 2>"$T/err"; rc=$?
page=$(cat "$T/log" 2>/dev/null)
check "web runs \$BROWSER with the page" bash -c '[ "$0" = 0 ] && [ -n "$1" ] && [ -s "$1" ] && grep -q "<html" "$1"' "$rc" "$page"
check "web says where the page is" grep -qF "$page" "$T/out"
check "the page is of the view" bash -c 'grep -q hanoi "$0" && ! grep -q "__init__" "$0"' "$page"
BROWSER=false TMPDIR=$T "$BIN" -c web "$D" >"$T/out" 2>"$T/err"; rc=$?
check "a failing browser: one line naming the page, exit 1" bash -c '[ "$0" = 1 ] && [ "$(wc -l <"$1")" = 1 ] && grep -q "the page is" "$1"' "$rc" "$T/err"

# ---- help, -c, CPython's syntax ---------------------------------------------------------
for c in top peek tree focus ignore hide show show_from reset granularity web; do
    "$BIN" -c "help $c" >"$T/out" 2>&1
    check "help $c" bash -c '[ -s "$0" ] && ! grep -q "No help" "$0" && grep -q "pstatsh only" "$0"' "$T/out"
done
"$BIN" -c 'help' "$D" >"$T/out" 2>&1
check "help lists CPython's commands only (its golden)" bash -c '! grep -qw top "$0"' "$T/out"
"$P2D" --show "$D" >"$T/a.dot" 2>&1
"$P2D" --show-samples "$D" >"$T/b.dot" 2>&1
check "prof2dot --show is still gprof2dot's --show-samples" cmp -s "$T/a.dot" "$T/b.dot"
printf 'topp\ntop_\npeeks 1\nweb2\n' | "$BIN" "$D" >"$T/out" 2>&1
check "CPython's unknown syntax stays unknown" test "$(grep -c '\*\*\* Unknown syntax: ' "$T/out")" = 4

# TAB completion on a terminal: the commands, granularity's levels, a file after '>'
mkdir -p "$T/home"
TMPDIR=$T/home python3 "$TOP_DIR/tab.py" "$BIN" "$D" granuTAB 'granularity fuTAB' show_fTAB peTAB \
    "top > $T/homTAB" >"$T/tab" 2>&1
check "TAB completes granularity" grep -qx 'granularity ' <(sed -n 1p "$T/tab")
check "TAB completes granularity's levels" grep -qx 'granularity functions ' <(sed -n 2p "$T/tab")
check "TAB completes show_from" grep -qx 'show_from ' <(sed -n 3p "$T/tab")
check "TAB completes peek" grep -qx 'peek ' <(sed -n 4p "$T/tab")
check "TAB completes a file after >" grep -qF "top > $T/home/" <(sed -n 5p "$T/tab")

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
