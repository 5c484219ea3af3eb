#!/usr/bin/env bash
# profdiff tests.  Ends with "N passed, N failed"; exit 1 on any failure.
#
# Every case of cases.txt (real pairs: one program before and after a deliberate
# slowdown, the same programs under two CPythons, a regression made with pstats by
# scaling every time by 1.2, identical inputs, merged sides, hostile names):
#   - the exit status is the JSON's verdict (0 holds, 1 fails);
#   - the JSON, text and markdown outputs equal the goldens (record.sh: our own
#     output, recorded only after ref.py agreed with the JSON);
#   - live, where CPython is there (DIFF_LIVE=0 skips): ref.py, the same comparison
#     computed with pstats.Stats, agrees with the JSON (every function, in order,
#     every count and float).
# Then: the gate on the made regression and on identical inputs, a markdown table
# that names with '|' cannot break, the JSON read back by Python, bad inputs (exit 2,
# one line), usage errors, standard input, and -o written atomically.
set -u
source "$(dirname "$0")/lib.sh"
# tier.sh: python3.11 without pyenv's shims (a shim is a dozen bash start-ups a call);
# ref.py and the other Python checks run in one $REFPY process (pyrun)
source "$ROOT/tests/tier.sh"
PYRUN_PYTHON=$REFPY
source "$ROOT/tests/pyserve.sh"
REFRUN=pyrun
T=$(mktemp -d "${TMPDIR:-/tmp}/profdiff-test.XXXXXX")
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
check() { local what=$1; shift; if "$@"; then ok; else bad "$what"; fi; }
[ -x "$PD" ] || { echo "build first (make)"; echo "0 passed, 1 failed"; exit 1; }
live=1
[ "${DIFF_LIVE:-1}" = 0 ] && live=0
if [ $live = 1 ] && ! pyrun -c 'import pstats' 2>/dev/null; then
    live=0; echo "note: $REFPY not found: ref.py comparisons skipped"
fi
cd "$ROOT"
A=tests/diff/dumps

# ---- the cases ---------------------------------------------------------------------
one_case() {
    local name=$1 form=$2 opts=$3 base=$4 new=$5 rc want fmt ext
    run_case "$form" "$opts" "$base" "$new" json >"$T/$name.json" 2>"$T/$name.err"; rc=$?
    want=0
    grep -q '"verdict": {"failed": true' "$T/$name.json" && want=1
    [ "$rc" = "$want" ] || bad "$name: exit $rc, the verdict says $want ($(head -c 300 "$T/$name.err"))"
    [ "$rc" = "$want" ] && ok
    if [ $live = 1 ]; then
        if ref_check "$opts" "$base" "$new" "$T/$name.json" >"$T/$name.why" 2>&1; then ok
        else bad "$name: ref.py disagrees: $(head -3 "$T/$name.why")"; fi
    fi
    for fmt in json text markdown; do
        ext=$fmt; [ $fmt = text ] && ext=txt; [ $fmt = markdown ] && ext=md
        [ $fmt = json ] || run_case "$form" "$opts" "$base" "$new" $fmt >"$T/$name.$ext" 2>/dev/null
        if cmp -s "$T/$name.$ext" "$GOLDEN/$name.$ext"; then ok
        else bad "$name: $fmt differs from the golden: $(diff "$GOLDEN/$name.$ext" "$T/$name.$ext" | head -4)"; fi
    done
}
each_case one_case

# ref.py can fail: a float one digit off and a function dropped are both caught.
if [ $live = 1 ]; then
    sed '0,/"tottime": \([0-9]\)/s//"tottime": 9\1/' "$GOLDEN/app.json" >"$T/off.json"
    check "ref.py catches a changed float" \
        eval '! ( cd "$ROOT" && pyrun tests/diff/ref.py --base tests/diff/dumps/app-before-3.11.prof --new tests/diff/dumps/app-after-3.11.prof --check "$T/off.json" >/dev/null )'
    check "the changed float differs" bash -c '! cmp -s "$0" "$1"' "$GOLDEN/app.json" "$T/off.json"
fi

# ---- the gate ----------------------------------------------------------------------
gate() {   # expected-status args...
    local want=$1; shift
    "$PD" "$@" >"$T/gate.out" 2>"$T/gate.err"; local rc=$?
    [ $rc = "$want" ] || { bad "gate: profdiff $* exited $rc, not $want"; return; }
    ok
}
gate 1 --fail-above 19.9 $A/app-before-3.11.prof $A/app-before-x1.2-3.11.prof
check "the last line names what failed" grep -q '^FAILED: total time grew by 20.0% .*--fail-above 19.9%$' <(tail -n 1 "$T/gate.out")
gate 0 --fail-above 20.1 $A/app-before-3.11.prof $A/app-before-x1.2-3.11.prof
check "a passed gate says so" grep -q '^PASSED: the gate holds (total time +20.0%' <(tail -n 1 "$T/gate.out")
gate 1 --fail-function-above 19 $A/app-before-3.11.prof $A/app-before-x1.2-3.11.prof
check "the function over the limit is named" grep -q '^FAILED: .*builtins.exec}: cumtime grew by' "$T/gate.out"
gate 0 --fail-function-above 21 $A/app-before-3.11.prof $A/app-before-x1.2-3.11.prof
gate 0 --fail-above 19.9 --min-time 1 $A/app-before-3.11.prof $A/app-before-x1.2-3.11.prof
gate 0 --normalize --fail-above 0.001 --fail-function-above 0.001 $A/app-before-3.11.prof $A/app-before-x1.2-3.11.prof
gate 0 --fail-above 0 --fail-function-above 0 $A/app-before-3.11.prof $A/app-before-3.11.prof
gate 0 --fail-above 0 --fail-function-above 0 --sort ncalls tests/dumps/unittest-difflib-cprofile-3.11.prof tests/dumps/unittest-difflib-cprofile-3.11.prof.gz
check "identical inputs: no changed function" grep -q '0 functions changed' "$T/gate.out"
gate 1 --fail-function-above 10 $A/app-before-3.11.prof $A/app-after-3.11.prof
check "a new function counts as grown from 0" grep -q '^FAILED: app.py:7(validate): cumtime grew by .* (new)' "$T/gate.out"
gate 1 -f json --fail-above 50 -o "$T/v.json" $A/app-before-3.11.prof $A/app-after-3.11.prof
check "JSON to a file: the verdict on stderr" grep -q '^profdiff: FAILED: total time grew' "$T/gate.err"
check "JSON to a file: the verdict in it" grep -q '"verdict": {"failed": true, "reasons": \["total time grew' "$T/v.json"
check "removed functions are listed" grep -q -A1 'Removed (in BASE only): 1 function' "$GOLDEN/app.txt"

# ---- a file with several functions of one name -------------------------------------
check "one name several times: in order, after the file's shift (10->15, 30->35, 20 gone)" \
    bash -c 'grep -q "\"line\": 15, \"name\": \"<lambda>\", \"status\": \"matched\", \"base_line\": 10," "$0" &&
             grep -q "\"line\": 35, \"name\": \"<lambda>\", \"status\": \"matched\", \"base_line\": 30," "$0" &&
             grep -q "\"line\": 20, \"name\": \"<lambda>\", \"status\": \"removed\"" "$0"' "$GOLDEN/groups.json"

# ---- names that would break a table or a JSON string -------------------------------
"$PD" -f markdown $A/names-base.prof $A/names-new.prof >"$T/names.md"
check "markdown: every table row has 12 cell borders" awk '
    /^\|/ { line = $0; gsub(/\\\\/, "", line); gsub(/\\\|/, "", line); n = gsub(/\|/, "", line)
            if (n != 5 && n != 12) bad = 1; rows++ }
    END { exit bad || rows < 9 }' "$T/names.md"
check "markdown: a name's '|' is escaped" grep -qF 'pkg/pipe\|file.py:3(a\|b)' "$T/names.md"
if [ $live = 1 ]; then
    "$PD" -f json $A/names-base.prof $A/names-new.prof >"$T/names.json"
    check "JSON: names read back as they were" pyrun -c '
import json, sys
names = {f["name"] for f in json.load(open(sys.argv[1], encoding="utf-8"))["functions"]}
sys.exit(names != {"a|b", "<b>*x*</b> `q` [l](u) #h", "quote\" back\\slash\nnl", "naïve_µ",
                   "<built-in method x at 0x7f00aa>"})' "$T/names.json"
fi

# ---- bad input: exit 2, one line naming the file ------------------------------------
head -c 700 $A/app-before-3.11.prof >"$T/trunc.prof"
printf 'not a profile at all\n' >"$T/garbage.prof"
: >"$T/empty.prof"
bad_input() {   # file pattern, then where it goes: base or new
    local f=$1 pat=$2 rc
    for side in base new; do
        if [ $side = base ]; then "$PD" "$f" $A/app-after-3.11.prof >"$T/b.out" 2>"$T/b.err"; rc=$?
        else "$PD" $A/app-after-3.11.prof "$f" >"$T/b.out" 2>"$T/b.err"; rc=$?; fi
        if [ $rc = 2 ] && [ "$(wc -l <"$T/b.err")" = 1 ] && [ ! -s "$T/b.out" ] &&
           grep -qE "^profdiff: $pat" "$T/b.err"; then ok
        else bad "bad input $f as $side: exit $rc, stderr: $(head -c 300 "$T/b.err")"; fi
    done
}
bad_input "$T/trunc.prof" "$T/trunc.prof: byte [0-9]+: "
# text that no format reads: one line saying which formats were tried
bad_input "$T/garbage.prof" "$T/garbage.prof: not a profile: tried a pstats dump"
bad_input "$T/empty.prof" "$T/empty.prof: "
bad_input "$T/nonexistent.prof" "$T/nonexistent.prof: "
bad_input "$T" "$T: "
bad_input tests/dumps/special/intvalue.prof "tests/dumps/special/intvalue.prof: byte 245: "
bad_input tests/dumps/special/bignum-huge.prof "tests/dumps/special/bignum-huge.prof: byte 65: "

# ---- usage -------------------------------------------------------------------------
usage() {   # args...: exit 2 with a message
    "$PD" "$@" >/dev/null 2>"$T/u.err"; local rc=$?
    if [ $rc = 2 ] && grep -q '^profdiff: ' "$T/u.err"; then ok
    else bad "usage: profdiff $* exited $rc"; fi
}
usage
usage $A/app-before-3.11.prof
usage $A/app-before-3.11.prof $A/app-after-3.11.prof $A/app-after-3.11.prof
usage --sort bogus $A/app-before-3.11.prof $A/app-after-3.11.prof
usage --format xml $A/app-before-3.11.prof $A/app-after-3.11.prof
usage -n -3 $A/app-before-3.11.prof $A/app-after-3.11.prof
usage --fail-above ten $A/app-before-3.11.prof $A/app-after-3.11.prof
usage --match=line $A/app-before-3.11.prof $A/app-after-3.11.prof
usage --bogus $A/app-before-3.11.prof $A/app-after-3.11.prof
usage --base $A/app-before-3.11.prof
usage $A/app-before-3.11.prof --
check "--help exits 0" bash -c '"$0" --help >/dev/null' "$PD"

# ---- the forms of the command line give one answer --------------------------------
"$PD" -f json -n 5 $A/app-before-3.11.prof $A/app-after-3.11.prof >"$T/f0.json"
"$PD" -f json --base $A/app-before-3.11.prof $A/app-after-3.11.prof -n 5 >"$T/f1.json"
"$PD" -f json --new $A/app-after-3.11.prof $A/app-before-3.11.prof >"$T/f2.json"
"$PD" -f json $A/app-before-3.11.prof -- $A/app-after-3.11.prof >"$T/f3.json"
"$PD" -f json - $A/app-after-3.11.prof <$A/app-before-3.11.prof | sed 's/"files": \["-"\]/"files": ["tests\/diff\/dumps\/app-before-3.11.prof"]/' >"$T/f4.json"
for k in 1 2 3 4; do check "command-line form $k" cmp -s "$T/f0.json" "$T/f$k.json"; done

# ---- -o: atomic --------------------------------------------------------------------
echo previous >"$T/out.txt"
"$PD" -o "$T/out.txt" "$T/garbage.prof" $A/app-after-3.11.prof 2>/dev/null
check "-o: a failed run leaves the old file" grep -qx previous "$T/out.txt"
"$PD" -o "$T/out.txt" -n 15 $A/app-before-3.11.prof $A/app-after-3.11.prof
check "-o: the report written" cmp -s "$T/out.txt" "$GOLDEN/app.txt"
check "-o: no temporary left" bash -c '[ -z "$(ls -A "$0" | grep "^\.out")" ]' "$T"
"$PD" -o /nonexistent-dir/x.txt $A/app-before-3.11.prof $A/app-after-3.11.prof 2>"$T/o.err"
check "-o: an unwritable output exits 2" [ $? = 2 ]
check "-o: ... with one line" [ "$(wc -l <"$T/o.err")" = 1 ]

# ---- pstatsh: diff FILE [restrictions] ----------------------------------------------
PSH=$ROOT/build/pstatsh
N=$A/app-after-3.11.prof
"$PSH" -c "diff $A/app-before-3.11.prof 15" $N >"$T/sh.txt" 2>"$T/sh.err"
check "pstatsh diff: profdiff's table, the loaded stats as NEW" \
    cmp -s <(grep -v '^New: ' "$T/sh.txt") <(grep -v '^New: ' "$GOLDEN/app.txt")
check "pstatsh diff: NEW named as the loaded statistics" grep -qx 'New:  (the loaded statistics)' "$T/sh.txt"
"$PSH" -c "diff $A/app-before-3.11.prof 15 parse" $N >"$T/sh2.txt"
check "pstatsh diff: restrictions as stats takes them" \
    grep -qx "   List reduced from 15 to 1 due to restriction <'parse'>" "$T/sh2.txt"
check "pstatsh diff: ... the rows they leave" \
    bash -c '[ "$(grep -c "app.py:13(parse_record)$" "$0")" = 1 ] && [ "$(grep -c "(<listcomp>)$" "$0")" = 0 ]' "$T/sh2.txt"
"$PSH" -c "diff $T/garbage.prof" -c "diff --bogus $A/app-before-3.11.prof" -c "stats 0" $N >"$T/sh3.txt" 2>"$T/sh3.err"
check "pstatsh diff: a bad file, a bad option: one line each" \
    bash -c '[ "$(wc -l <"$0")" = 2 ] && grep -q "^pstatsh: $1: not a profile: tried " "$0"' "$T/sh3.err" "$T/garbage.prof"
check "pstatsh diff: the session goes on" grep -q "function calls" "$T/sh3.txt"

# ---- prof2folded --diff: differential folded lines and flame graph --------------------
PF=$ROOT/build/prof2folded
B=$A/app-before-3.11.prof N=$A/app-after-3.11.prof
"$PF" --diff $B $N >"$T/d.folded"
check "--diff: every line is 'stack count count' as flamegraph.pl reads it" \
    awk '!/^.* [0-9]+ [0-9]+$/ { bad = 1 } END { exit bad || NR < 100 }' "$T/d.folded"
check "--diff: the lines are sorted bytewise, each stack once" \
    bash -c 'sed "s/ [0-9]* [0-9]*\$//" "$0" | LC_ALL=C sort -c -u' "$T/d.folded"
sum_col() { awk -v c="$2" '{ s += $(NF - c) } END { print s }' "$1"; }
check "--diff: BASE's column adds up to prof2folded's count of BASE" \
    [ "$(sum_col "$T/d.folded" 1)" = "$("$PF" $B | awk '{ s += $NF } END { print s }')" ]
check "--diff: NEW's column adds up to prof2folded's count of NEW" \
    [ "$(sum_col "$T/d.folded" 0)" = "$("$PF" $N | awk '{ s += $NF } END { print s }')" ]
check "--diff: a moved function's stacks match (frames without lines)" \
    grep -qE '^.*;main \(app.py\);<listcomp> \(app.py\);parse_record \(app.py\) [1-9][0-9]* [1-9][0-9]*$' "$T/d.folded"
check "--diff: the slowdown's new frames count 0 in BASE" \
    grep -qE ';validate \(app.py\) 0 [1-9][0-9]*$' "$T/d.folded"
"$PF" --diff $B $B >"$T/same.folded"
check "--diff: a profile against itself: equal columns" awk '$(NF-1) != $NF { bad = 1 } END { exit bad || NR < 10 }' "$T/same.folded"
"$PF" --svg --diff $B $N -o "$T/d.svg"
if [ $live = 1 ]; then
    check "--diff --svg: well-formed, red frames that grew, blue that shrank" pyrun -c '
import re, sys, xml.etree.ElementTree as E
t = open(sys.argv[1], encoding="utf-8").read(); E.fromstring(t)
fills = re.findall(r"<title>([^<]*)</title><rect [^>]*fill=.rgb\((\d+),(\d+),(\d+)\)", t)
grew = [n for n, r, g, b in fills if r == "255" and g == b and int(g) < 255]
shrank = [n for n, r, g, b in fills if b == "255" and r == g and int(r) < 255]
sys.exit(not (grew and shrank and any(n.startswith("validate (app.py)") for n in grew)))' "$T/d.svg"
fi
"$PF" --svg --diff $B $B -o "$T/same.svg"
check "--diff --svg: a profile against itself: no change coloured" \
    bash -c '! grep -qE "fill=.rgb\((255,[0-9]+,[0-9]+|[0-9]+,[0-9]+,255)\)" "$0"' "$T/same.svg"
"$PF" --diff "$T/garbage.prof" $N >"$T/g.out" 2>"$T/g.err"
check "--diff: a bad BASE exits non-zero with one line" \
    bash -c '[ $? != 0 ] || true; [ "$(wc -l <"$0")" = 1 ] && [ ! -s "$1" ]' "$T/g.err" "$T/g.out"

echo "$pass passed, $fail failed"
[ $fail = 0 ]
