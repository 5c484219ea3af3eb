# shellcheck shell=bash
# Shared by run.sh and record.sh (sourced): the dumps, the commands, how the browser
# runs them, and the one normalisation (a code object's repr holds its address).
TOP_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP_ROOT=$(cd "$TOP_DIR/../.." && pwd)
TOP_GOLDEN=$TOP_DIR/golden
BIN=${PSTATSH:-$TOP_ROOT/build/pstatsh}
REF_VERSION=3.11.7        # the CPython whose pstats ref.py runs on (pyenv)

# every dump of tests/dumps (repo-relative), the special ones aside (robust/ tests them)
top_dumps() { (cd "$TOP_ROOT" && ls tests/dumps/*.prof tests/dumps/*.prof.gz); }
top_commands() { grep -v '^#' "$TOP_DIR/commands.txt" | sed '/^$/d'; }
golden_of() { echo "$TOP_GOLDEN/${1##*/}.out"; }
# pstatsh -c COMMAND ... DUMP, from the repo root (the commands are read once, here: a
# process costs ~5 ms of CPU on a small VM, and this runs for every dump, in a pipeline)
TOP_ARGS=()
while IFS= read -r _c; do TOP_ARGS+=(-c "$_c"); done < <(top_commands)
unset _c
run_browser() {
    local dump=$1
    (cd "$TOP_ROOT" && "$BIN" "${TOP_ARGS[@]}" "$dump")
}
# ref.py DUMP COMMAND... (DUMP as CPython $REF_VERSION can load it)
run_ref() {
    local dump=$1 cmds=() c
    while IFS= read -r c; do cmds+=("$c"); done < <(top_commands)
    PYENV_VERSION=$REF_VERSION python3 "$TOP_DIR/ref.py" "$dump" "${cmds[@]}"
}
normalize() { sed -E 's/ at 0x[0-9a-f]+/ at 0xADDR/g'; }
