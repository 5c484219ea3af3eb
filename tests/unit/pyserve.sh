#!/usr/bin/env bash
# tests/unit/pyserve.sh: pyrun (tests/pyserve.sh), the suites' one Python process: a
# script's output, error and exit status come back as python3's would, and an answer
# split by pyrun's poll of the server (every 2 s) is read whole.
# Ends with "N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
. tests/tier.sh
. tests/pyserve.sh
[ "${PYRUN:-1}" = 0 ] && { echo "note: no python3: pyrun runs it each time, nothing to test"; echo "0 passed, 0 failed"; exit 0; }

out=$(pyrun -c 'import sys; print("out", sys.argv[1:]); print("err", file=sys.stderr); sys.exit(3)' a b 2>/dev/null); rc=$?
[ "$rc" = 3 ] && [ "$out" = "out ['a', 'b']" ] && ok || bad "pyrun: exit status 3 and output (got $rc, '$out')"
err=$(pyrun -c 'raise ValueError("x")' 2>&1 >/dev/null); rc=$?
[ "$rc" = 1 ] && [[ $err == *"ValueError: x"* ]] && ok || bad "pyrun: a traceback is status 1 (got $rc, '$err')"
out=$(PYRUN_STDIN=/dev/null pyrun - <<'PY'
print(sum(range(10)))
PY
); [ "$out" = 45 ] && ok || bad "pyrun -: a program on standard input (got '$out')"

# A stand-in server whose answer's digits and newline are 3 s apart: pyrun's 2 s poll
# times out between them (bash keeps the digits read so far in the variable).  pyrun
# returned "numeric argument required" for the newline alone before it kept them.
F=$(mktemp -d "${TMPDIR:-/tmp}/pyserve-test.XXXXXX")
mkfifo "$F/req" "$F/rep"
exec {freq}<>"$F/req" {frep}<>"$F/rep"
( IFS= read -r -d '' _ <&"$freq"; printf 4 >&"$frep"; sleep 3; printf '\n' >&"$frep" ) &
fake=$!
real=("$PYRUN_DIR" "$PYRUN_PID" "$PYRUN_REQ" "$PYRUN_REP")
PYRUN_DIR=$F PYRUN_PID=$fake PYRUN_REQ=$freq PYRUN_REP=$frep
err=$(pyrun -c pass 2>&1); rc=$?
PYRUN_DIR=${real[0]} PYRUN_PID=${real[1]} PYRUN_REQ=${real[2]} PYRUN_REP=${real[3]}
wait "$fake"
rm -rf "$F"
[ "$rc" = 4 ] && [ -z "$err" ] && ok || bad "pyrun: an answer split across polls (status $rc, '$err')"
# the real server still answers after that
out=$(pyrun -c 'print(6 * 7)'); [ "$out" = 42 ] && ok || bad "pyrun after the split answer (got '$out')"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
