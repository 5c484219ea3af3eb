#!/usr/bin/env bash
# prof2callgrind: the same functions, self costs, calls and call costs as
# pyprof2calltree (goldens recorded by record.sh), a complete file that
# callgrind_annotate reads without a warning, every real dump (profile.py,
# Python 2.7, gzip included), --recursion=drop, merging, errors, atomic
# output, pstatsh's `export callgrind`.  Ends with "N passed, N failed".
# Quick tier (tests/tier.sh): a third of the goldens and a quarter of the dumps of
# sections 1 and 2 (each costs a Python checker and callgrind_annotate runs).
set -u
cd "$(dirname "$0")/../.."
ROOT=$PWD
. tests/tier.sh
. tests/pyserve.sh
BIN=$ROOT/build/prof2callgrind
CHECK="pyrun $ROOT/tests/callgrind/cgcheck.py"
GOLDEN=tests/callgrind/golden
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0

ok() { pass=$((pass + 1)); }
bad() {
    fail=$((fail + 1))
    echo "FAIL: $1"
    [ -n "${2:-}" ] && printf '%s\n' "$2" | head -8
}
# expect_quiet NAME CMD...: passes when CMD exits 0 and prints nothing
expect_quiet() {
    local name=$1 out
    shift
    if out=$("$@" 2>&1) && [ -z "$out" ]; then ok; else bad "$name" "$out"; fi
}
# annotate FILE OUT: callgrind_annotate, all functions; stderr must stay empty
annotate() {
    callgrind_annotate --threshold=100 "$@" 2>"$T/annotate.err"
}

# ---- 1. pyprof2calltree's goldens: same content, same callgrind_annotate totals --------
ngold=0
mapfile -t goldens < <(sample 3 "$GOLDEN"/*.cg)
for g in "${goldens[@]}"; do
    name=$(basename "$g" .cg)
    dump=tests/dumps/$name
    [ -f "$dump" ] || { bad "$name: dump missing"; continue; }
    ngold=$((ngold + 1))
    if ! "$BIN" -q "$dump" -o "$T/ours.cg" 2>"$T/err"; then
        bad "$name: prof2callgrind failed" "$(cat "$T/err")"
        continue
    fi
    expect_quiet "$name: same functions, self costs, calls, call costs as pyprof2calltree" \
        $CHECK same "$T/ours.cg" "$g"
    annotate "$T/ours.cg" >"$T/a1.txt"
    if [ -s "$T/annotate.err" ]; then bad "$name: callgrind_annotate warns" "$(cat "$T/annotate.err")"; else ok; fi
    annotate "$g" >"$T/a2.txt"
    expect_quiet "$name: callgrind_annotate self totals equal pyprof2calltree's" \
        $CHECK annotate "$T/a1.txt" "$T/a2.txt"
done
nall=$(ls "$GOLDEN"/*.cg | wc -l)
[ "$nall" -ge 30 ] && ok || bad "only $nall goldens"

# ---- 2. every real dump: a complete file, read without warnings; drop mode ----------
mapfile -t dumps < <(sample 4 tests/dumps/*.prof.gz tests/dumps/*.prof)
for dump in "${dumps[@]}"; do
    name=$(basename "$dump")
    if ! "$BIN" -q "$dump" -o "$T/k.cg" 2>"$T/err"; then
        bad "$name: prof2callgrind failed" "$(cat "$T/err")"
        continue
    fi
    expect_quiet "$name: header order, totals = sum of self costs, ids" $CHECK strict "$T/k.cg"
    annotate "$T/k.cg" >/dev/null
    if [ -s "$T/annotate.err" ]; then bad "$name: callgrind_annotate warns" "$(cat "$T/annotate.err")"; else ok; fi
    if ! "$BIN" -q --recursion=drop "$dump" -o "$T/d.cg" 2>"$T/err"; then
        bad "$name: --recursion=drop failed" "$(cat "$T/err")"
        continue
    fi
    expect_quiet "$name: drop = keep less the calls inside cycles" $CHECK drop "$T/k.cg" "$T/d.cg"
    callgrind_annotate --threshold=100 --inclusive=yes "$T/d.cg" >"$T/incl.txt" 2>"$T/annotate.err"
    if [ -s "$T/annotate.err" ]; then bad "$name: callgrind_annotate warns (drop)" "$(cat "$T/annotate.err")"; else ok; fi
    expect_quiet "$name: drop: no inclusive cost above 100 %" $CHECK incl100 "$T/incl.txt"
done
# keep mode really does exceed 100 % on recursive dumps (so the test above means something)
"$BIN" -q tests/dumps/mutual-cprofile-3.13.prof -o "$T/k.cg"
callgrind_annotate --threshold=100 --inclusive=yes "$T/k.cg" >"$T/incl.txt" 2>/dev/null
if $CHECK incl100 "$T/incl.txt" >/dev/null; then bad "keep mode never exceeds 100 % (test is vacuous)"; else ok; fi

# ---- 3. gzip input = plain input; stdout; merge; pstatsh export ------------------------
strip_cmd() { grep -v '^cmd:' "$1"; }
"$BIN" -q tests/dumps/unittest-difflib-cprofile-3.11.prof -o "$T/plain.cg"
"$BIN" -q tests/dumps/unittest-difflib-cprofile-3.11.prof.gz -o "$T/gz.cg"
if diff <(strip_cmd "$T/plain.cg") <(strip_cmd "$T/gz.cg") >/dev/null; then ok; else bad "gzip input differs"; fi
"$BIN" -q tests/dumps/unittest-difflib-cprofile-3.11.prof -o - >"$T/stdout.cg"
if cmp -s "$T/plain.cg" "$T/stdout.cg"; then ok; else bad "-o - differs from a file"; fi
for d in recur-cprofile-3.12 mutual-profile-3.11 objects-cprofile-2.7; do
    "$BIN" -q "tests/dumps/$d.prof" -o "$T/one.cg"
    "$BIN" -q "tests/dumps/$d.prof" "tests/dumps/$d.prof" -o "$T/two.cg"
    expect_quiet "$d: merged with itself doubles counts and costs" $CHECK double "$T/one.cg" "$T/two.cg"
done
if "$BIN" -q tests/dumps/recur-cprofile-3.12.prof tests/dumps/recur-profile-3.12.prof -o "$T/mix.cg" 2>"$T/err"; then
    bad "merging cProfile and profile dumps should fail"
else
    [ "$(wc -l <"$T/err")" -eq 1 ] && ok || bad "merge error is not one line" "$(cat "$T/err")"
fi
printf 'export callgrind %s\nexport callgrind %s --recursion=drop\n' "$T/sh.cg" "$T/shd.cg" |
    build/pstatsh tests/dumps/mutual-cprofile-3.12.prof >/dev/null 2>"$T/err"
"$BIN" -q tests/dumps/mutual-cprofile-3.12.prof -o "$T/p.cg"
"$BIN" -q --recursion=drop tests/dumps/mutual-cprofile-3.12.prof -o "$T/pd.cg"
if diff <(strip_cmd "$T/sh.cg") <(strip_cmd "$T/p.cg") >/dev/null &&
   diff <(strip_cmd "$T/shd.cg") <(strip_cmd "$T/pd.cg") >/dev/null; then ok
else bad "pstatsh export callgrind differs from prof2callgrind" "$(cat "$T/err")"; fi
printf 'export callgrind %s --recursion=sometimes\n' "$T/bad.cg" |
    build/pstatsh tests/dumps/mutual-cprofile-3.12.prof >/dev/null 2>"$T/err"
if [ ! -e "$T/bad.cg" ] && grep -q "recursion" "$T/err"; then ok; else bad "pstatsh bad option" "$(cat "$T/err")"; fi

# ---- 4. default output name (pyprof2calltree's), -k without a viewer ------------------
mkdir -p "$T/cwd"
(cd "$T/cwd" && "$BIN" "$ROOT/tests/dumps/recur-cprofile-3.12.prof" 2>"$T/err")
if [ -f "$T/cwd/recur-cprofile-3.12.prof.log" ] && grep -q "recur-cprofile-3.12.prof.log" "$T/err"; then ok
else bad "default output name" "$(cat "$T/err")"; fi
mkdir -p "$T/nobin"
rm -f "$T/cwd/k.cg"
(cd "$T/cwd" && PATH="$T/nobin" "$BIN" -q -k "$ROOT/tests/dumps/recur-cprofile-3.12.prof" -o k.cg 2>"$T/err")
rc=$?
if [ $rc -ne 0 ] && [ -s "$T/cwd/k.cg" ] && grep -q "kcachegrind" "$T/err"; then ok
else bad "-k without kcachegrind: rc=$rc" "$(cat "$T/err")"; fi

# ---- 5. bad input: one line, non-zero exit, no output, old output kept ------------------
for dump in tests/dumps/special/*.prof; do
    name=$(basename "$dump")
    rm -f "$T/s.cg"
    if "$BIN" -q "$dump" -o "$T/s.cg" 2>"$T/err"; then
        expect_quiet "special $name: complete file" $CHECK strict "$T/s.cg"
        annotate "$T/s.cg" >/dev/null
        if [ -s "$T/annotate.err" ]; then bad "special $name: callgrind_annotate warns" "$(cat "$T/annotate.err")"; else ok; fi
    else
        if [ "$(wc -l <"$T/err")" -eq 1 ] && grep -q "^prof2callgrind: $dump: " "$T/err" && [ ! -e "$T/s.cg" ]; then ok
        else bad "special $name: error report" "$(cat "$T/err")"; fi
    fi
done
printf 'old\n' >"$T/keep.cg"
"$BIN" -q tests/dumps/special/truncated.prof -o "$T/keep.cg" 2>"$T/err"
rc=$?
if [ $rc -ne 0 ] && [ "$(cat "$T/keep.cg")" = old ] && grep -qE '^prof2callgrind: tests/dumps/special/truncated.prof: byte [0-9]+: ' "$T/err" &&
   [ -z "$(ls "$T" | grep '\.tmp')" ]; then ok
else bad "bad input must keep the old output" "$(cat "$T/err")"; fi
"$BIN" -q "$T/does-not-exist.prof" -o "$T/x.cg" 2>"$T/err"
[ $? -ne 0 ] && [ "$(wc -l <"$T/err")" -eq 1 ] && ok || bad "missing input" "$(cat "$T/err")"
"$BIN" 2>/dev/null
[ $? -eq 2 ] && ok || bad "no input: exit status 2"
"$BIN" --recursion=maybe tests/dumps/recur-cprofile-3.12.prof 2>/dev/null
[ $? -eq 2 ] && ok || bad "bad --recursion: exit status 2"
"$BIN" -q tests/dumps/recur-cprofile-3.12.prof -o /nonexistent-dir/x.cg 2>"$T/err"
[ $? -ne 0 ] && [ "$(wc -l <"$T/err")" -eq 1 ] && ok || bad "unwritable output" "$(cat "$T/err")"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
