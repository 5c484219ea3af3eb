# shellcheck shell=bash
# tests/pyserve.sh: `pyrun SCRIPT ARGS...` runs a Python checker as `python3 SCRIPT ARGS...`
# would, in one Python process per suite (tests/pyserve.py says how and what is shared).
# Sourced by a suite after tests/tier.sh (which picks the python3).  A Python start-up
# costs ~0.1 s of CPU here, more than most checks, and the suites make hundreds of them.
#   pyrun SCRIPT ARGS...     standard output and error and the exit status of the script
#   pyrun -c CODE ARGS...    the same for a program given as a string
#   pyrun - ARGS... <<'EOF'  the same for a program on standard input (it reads /dev/null)
#   PYRUN_STDIN=FILE pyrun ...   the script reads FILE as its standard input (else /dev/null)
# The server starts when this file is sourced, in the suite's shell, so that subshells
# ($(pyrun ...)) share it; calls must not run in parallel (one request at a time).  It
# ends with the suite's shell.  PYRUN_PYTHON: the interpreter (default python3).  PYRUN=0
# (or no PYRUN_PYTHON) makes pyrun start the interpreter each time.
PYRUN_PYTHON=${PYRUN_PYTHON:-python3}
if [ "${PYRUN:-1}" != 0 ] && command -v "$PYRUN_PYTHON" >/dev/null; then
    PYRUN_DIR=$(mktemp -d "${TMPDIR:-/tmp}/pyserve.XXXXXX")
    mkfifo "$PYRUN_DIR/req" "$PYRUN_DIR/rep"
    "$PYRUN_PYTHON" "$(dirname "${BASH_SOURCE[0]}")/pyserve.py" "$PYRUN_DIR" $$ \
        </dev/null >"$PYRUN_DIR/log" 2>&1 &
    PYRUN_PID=$!
    # read-write opens do not wait for the server; pyrun notices when it is gone
    exec {PYRUN_REQ}<>"$PYRUN_DIR/req" {PYRUN_REP}<>"$PYRUN_DIR/rep"
else
    PYRUN=0
fi

pyrun() {
    if [ "${PYRUN:-1}" = 0 ]; then
        "$PYRUN_PYTHON" "$@" <"${PYRUN_STDIN:-/dev/null}"
        return
    fi
    local rc part got= stdin=${PYRUN_STDIN:-} code
    if [ "${1-}" = - ]; then   # the program on standard input (a here-document)
        IFS= read -r -d '' code
        shift
        set -- -c "$code" "$@"
    fi
    [ -z "$stdin" ] || [[ $stdin == /* ]] || stdin=$PWD/$stdin
    printf '%s\0' "$PWD" "$stdin" "$#" "$@" >&"$PYRUN_REQ"
    # (a poll that times out keeps what it read: the answer's digits may come before it
    # ends and the newline after)
    until IFS= read -r -t 2 part <&"$PYRUN_REP"; do
        got+=$part
        if ! kill -0 "$PYRUN_PID" 2>/dev/null; then
            echo "pyrun: the Python server is gone: $(tail -n 3 "$PYRUN_DIR/log" 2>/dev/null)" >&2
            return 125
        fi
    done
    rc=$got$part
    [ -s "$PYRUN_DIR/out" ] && cat "$PYRUN_DIR/out"
    [ -s "$PYRUN_DIR/err" ] && cat "$PYRUN_DIR/err" >&2
    return "$rc"
}
