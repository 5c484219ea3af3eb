# Shared by tests/merge/run.sh and record.sh (bash; sourced, not run).
MERGE_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$MERGE_DIR/../.." && pwd)
DUMPS=$MERGE_DIR/dumps
GOLDEN=$MERGE_DIR/golden
PYREF=$MERGE_DIR/pyref.py
PM=$ROOT/build/profmerge
PSH=$ROOT/build/pstatsh
# every CPython the live checks use, as pyenv versions
PY3_VERSIONS="3.6.15 3.7.16 3.8.18 3.9.18 3.10.13 3.11.7 3.12.1 3.13.0"
PY2_VERSION=2.7.18
export TZ=UTC LC_ALL=C.UTF-8 PYTHONHASHSEED=0 PYTHONIOENCODING=utf-8 PYTHONDONTWRITEBYTECODE=1

# prof_text FILE: a dump as text, the form of the byte-exact goldens (golden/NAME.prof.txt):
# 16 bytes a line in hex, their printable characters between > <, so that a change
# reads in a diff
prof_text() { od -An -v -tx1z -w16 "$1"; }

trim() { local s=$1; s=${s#"${s%%[![:space:]]*}"}; s=${s%"${s##*[![:space:]]}"}; printf '%s' "$s"; }

# pyv VERSION args...: run a pyenv CPython
pyv() { local v=$1; shift; PYENV_VERSION=$v "python${v%.*}" "$@"; }
have_py() { pyv "$1" -c pass >/dev/null 2>&1; }

source "$(dirname "${BASH_SOURCE[0]}")/../shlib.sh"   # trim_vars

# each_case CALLBACK: CALLBACK NAME PYTHON SEQ OPTIONS INPUTS REFERENCE for every case.
each_case() {
    local cb=$1 line name py seq opts inputs ref
    while IFS= read -r line || [ -n "$line" ]; do
        case $line in ''|'#'*) continue ;; esac
        IFS='|' read -r name py seq opts inputs ref <<<"$line"
        trim_vars name py seq opts inputs ref
        [ -n "$ref" ] || ref=$inputs
        "$cb" "$name" "$py" "$seq" "$opts" "$inputs" "$ref"
    done < "$MERGE_DIR/cases.txt"
}

# make_bad_inputs DIR: the unreadable inputs @garbage @truncated @empty (@missing is not made)
make_bad_inputs() {
    local d=$1
    printf 'this is not a profile\n' > "$d/garbage.prof"
    head -c 1000 "$DUMPS/c311-002.prof" > "$d/truncated.prof"
    : > "$d/empty.prof"
}

# expand_inputs BAD_DIR "WORDS": the input words of a case as paths, one a line
# (globs are expanded in $DUMPS); -=FILE is "-" (see stdin_of).
expand_inputs() {
    local bad_dir=$1 w f
    local -a words
    read -ra words <<<"$2"
    for w in "${words[@]}"; do
        case $w in
            @*) echo "$bad_dir/${w#@}.prof" ;;
            -=*) echo - ;;
            *) (cd "$DUMPS" && for f in $w; do echo "$DUMPS/$f"; done) ;;
        esac
    done
}

# stdin_of "WORDS": the file a -=FILE word names, or /dev/null
stdin_of() {
    local w
    local -a words
    read -ra words <<<"$1"
    for w in "${words[@]}"; do
        case $w in -=*) echo "$DUMPS/${w#-=}"; return ;; esac
    done
    echo /dev/null
}

# reference_files "WORDS": the CPython reference inputs, relative to $DUMPS, one a line
reference_files() {
    local w f
    local -a words
    read -ra words <<<"$1"
    for w in "${words[@]}"; do (cd "$DUMPS" && for f in $w; do echo "$f"; done); done
}

# run_merge OUT EXTRA_OPTS CASE_OPTS INPUT_PATH...: profmerge as the case says
# (ACCUM: two steps), standard input from $STDIN_FILE
run_merge() {
    local out=$1 extra=$2 opts=$3; shift 3
    local -a inputs=("$@")
    if [[ " $opts " == *" ACCUM "* ]]; then
        opts=${opts//ACCUM/}
        local n=${#inputs[@]}
        rm -f "$out"
        "$PM" $opts $extra "${inputs[@]:0:n-1}" -o "$out" < "$STDIN_FILE" &&
            "$PM" $opts $extra "$out" "${inputs[n-1]}" -o "$out" < "$STDIN_FILE"
    else
        "$PM" $opts $extra "${inputs[@]}" -o "$out" < "$STDIN_FILE"
    fi
}

# pyref_opts OPTIONS: the pyref.py options for a case's profmerge options
pyref_opts() {
    local o
    for o in $1; do
        case $o in
            --strip-dirs) printf -- '--strip\n' ;;
            ACCUM) printf -- '--accum\n' ;;
        esac
    done
}

# drop_files_lines: pstatsh prints the files line ("ctime    path") and a blank
# line before the totals; CPython's reference clears files.  Code-object
# addresses are masked as pyref.py masks them.
drop_files_lines() {
    awk 'skip && $0 == "" { skip = 0; next } { skip = 0 }
         /^[A-Z][a-z][a-z] [A-Z][a-z][a-z] [ 0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9] [0-9]+    / { skip = 1; next }
         { print }' | sed -E 's/ at 0x[0-9a-fA-F]+/ at 0xX/g'
}

# psh_report SEQ FILE: the reports of SEQ by pstatsh
psh_report() {
    local seq=$1 f=$2 c
    local -a args=()
    while IFS= read -r c; do [ -n "$c" ] && args+=(-c "$c"); done < "$MERGE_DIR/seq/$seq"
    "$PSH" "$f" "${args[@]}" | drop_files_lines
}

# norm SEQ: total-order reports are compared without trailing spaces (2.7 prints
# none after an empty callers list, 3.x prints one)
norm() { if [ "$1" = total ]; then sed 's/ *$//'; else cat; fi; }
