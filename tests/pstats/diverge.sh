#!/usr/bin/env bash
# Where pstatsh departs from python -m pstats 3.11/3.13 on purpose, assert what it does instead.
# Ends with "N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
BIN=${1:-build/pstatsh}
pass=0 fail=0
ok()   { pass=$((pass + 1)); }
bad()  { fail=$((fail + 1)); echo "FAIL: $*"; }
D=tests/dumps/special

# The 3.15 sampling profiler's ('__sampled__',) marker: popped on load, SampledStats headers.
out=$("$BIN" -c stats "$D/sampled.prof" 2>&1)
grep -qx ' nsamples  tottime persample cumtime persample filename:lineno(function)' <<<"$out" && ok || bad "sampled: SampledStats title line missing"
grep -q '__sampled__' <<<"$out" && bad "sampled: the marker is listed as a function" || ok
grep -q 'function calls' <<<"$out" && ok || bad "sampled: no totals line"

# Python 2.7 dumps: CPython 3 refuses them, pstatsh reads them.
out=$("$BIN" -c 'sort stdname' -c 'stats 3' tests/dumps/recur-cprofile-2.7.prof 2>&1); rc=$?
[ $rc -eq 0 ] && grep -q 'recur.py:3(hanoi)' <<<"$(  "$BIN" -c stats tests/dumps/recur-cprofile-2.7.prof)" && ok || bad "2.7 dump not read (rc $rc)"

# gzip: CPython says bad marshal data, pstatsh reads it the same as the plain file.
a=$("$BIN" -c 'sort time' -c 'stats 10' tests/dumps/unittest-difflib-cprofile-3.11.prof.gz | tail -n +2)
b=$("$BIN" -c 'sort time' -c 'stats 10' tests/dumps/unittest-difflib-cprofile-3.11.prof | tail -n +2)
[ -n "$a" ] && [ "$a" = "$b" ] && ok || bad "gzip dump differs from the plain one"

# Counts beyond 2**63: refused with one clear line and a non-zero status under -c.
err=$("$BIN" -c stats "$D/bignum-huge.prof" 2>&1 >/dev/null); rc=$?
[ $rc -ne 0 ] && [ "$(wc -l <<<"$err")" -eq 1 ] && grep -q "bignum-huge.prof: byte [0-9]*: a call count beyond 2\*\*63 is not supported" <<<"$err" && ok || bad "bignum: rc $rc, stderr: $err"

# Where CPython dies with a traceback, pstatsh prints one line and the session goes on.
out=$(printf 'add tests/dumps/special/truncated.prof\nstats 1\n' | "$BIN" tests/dumps/mutual-cprofile-3.13.prof 2>/tmp/diverge.err.$$); rc=$?
[ $rc -eq 0 ] && [ "$(wc -l < /tmp/diverge.err.$$)" -eq 1 ] && grep -q 'truncated.prof: byte [0-9]*:' /tmp/diverge.err.$$ && grep -q 'Goodbye.' <<<"$out" && ok || bad "corrupt add: rc $rc, stderr: $(cat /tmp/diverge.err.$$)"
rm -f /tmp/diverge.err.$$
out=$(printf 'add tests/dumps/mutual-profile-3.13.prof\nstats 1\n' | "$BIN" tests/dumps/mutual-cprofile-3.13.prof 2>&1); 
grep -q 'cannot merge' <<<"$out" && grep -q 'Goodbye.' <<<"$out" && ok || bad "int/tuple merge: $out"
out=$(printf 'sort name\nstats 2\n' | "$BIN" tests/dumps/recur-profile-3.13.prof 2>&1)
grep -q 'cannot sort by function name' <<<"$out" && grep -q 'Goodbye.' <<<"$out" && ok || bad "sort name with a code object: $out"

# dump: what pstatsh writes, pstatsh (and CPython, see tests/merge) reads back with the same report.
tmp=$(mktemp -d)
"$BIN" -c strip -c "dump $tmp/x.prof" tests/dumps/mutual-cprofile-3.13.prof tests/dumps/objects-cprofile-3.12.prof
a=$("$BIN" -c strip -c 'sort cumulative' -c 'stats 15' -c 'callers 5' tests/dumps/mutual-cprofile-3.13.prof tests/dumps/objects-cprofile-3.12.prof | sed '1,/^$/d')
b=$("$BIN" -c 'sort cumulative' -c 'stats 15' -c 'callers 5' "$tmp/x.prof" | sed '1,/^$/d')
[ -n "$a" ] && [ "$a" = "$b" ] && ok || bad "dump round trip differs"
rm -rf "$tmp"

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
