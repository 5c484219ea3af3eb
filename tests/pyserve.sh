# shellcheck shell=bash
# tests/pyserve.sh: `pyrun SCRIPT ARGS...` runs a Python checker as `python3 SCRIPT ARGS...`
# would, in one Python process per suite (tests/pyserve.py says how and what is shared).
# Sourced by a suite after tests/tier.sh (which picks the python3).  A Python start-up
# costs ~0.1 s of CPU here, more than most checks, and the suites make hundreds of them.
#   pyrun SCRIPT ARGS...     standard output and error and the exit status of the script
#   pyrun -c CODE ARGS...    the same for a program given as a string
#   PYRUN_STDIN=FILE pyrun ...   the script reads FILE as its standard input (else /dev/null)
# The server starts when this file is sourced, in the suite's shell, so that subshells
# ($(pyrun ...)) share it; calls must not run in parallel (one request at a time).  It
# ends with the suite's shell.  PYRUN=0 makes pyrun start python3 each time (to compare).
PYRUN_DIR=$(mktemp -d "${TMPDIR:-/tmp}/pyserve.XXXXXX")
mkfifo "$PYRUN_DIR/req" "$PYRUN_DIR/rep"
python3 "$(dirname "${BASH_SOURCE[0]}")/pyserve.py" "$PYRUN_DIR" $$ \
    </dev/null >"$PYRUN_DIR/log" 2>&1 &
# in the order the server opens them (opening a FIFO waits for the other end)
exec {PYRUN_REQ}>"$PYRUN_DIR/req" {PYRUN_REP}<"$PYRUN_DIR/rep"

pyrun() {
    if [ "${PYRUN:-1}" = 0 ]; then
        if [ -n "${PYRUN_STDIN:-}" ]; then python3 "$@" <"$PYRUN_STDIN"; else python3 "$@" </dev/null; fi
        return
    fi
    local rc stdin=${PYRUN_STDIN:-}
    [ -z "$stdin" ] || [[ $stdin == /* ]] || stdin=$PWD/$stdin
    printf '%s\0' "$PWD" "$stdin" "$#" "$@" >&"$PYRUN_REQ" &&
        IFS= read -r rc <&"$PYRUN_REP" ||
        { echo "pyrun: the Python server is gone ($(tail -n 3 "$PYRUN_DIR/log" 2>/dev/null))" >&2; return 125; }
    [ -s "$PYRUN_DIR/out" ] && cat "$PYRUN_DIR/out"
    [ -s "$PYRUN_DIR/err" ] && cat "$PYRUN_DIR/err" >&2
    return "$rc"
}
