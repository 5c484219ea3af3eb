# shellcheck shell=bash disable=SC2034
# Shared helpers for record.sh and live_diff.sh (bash; sourced, not run); run_golden.py
# reads the same case format and golden layout in Python.
#
# cases.txt: one case per line, `NAME | ARGS | SCRIPT | FLAGS`
#   NAME    golden file stem (see "Golden layout" below)
#   ARGS    command-line arguments of the browser, paths relative to the repo root
#           (they are copied into a fresh temp dir under the same relative name, so the
#           files line and the prompt show exactly these strings); may be empty
#   SCRIPT  stdin of the browser, a file in tests/pstats/scripts/
#   FLAGS   optional, comma separated:
#           prefix  CPython died with a traceback (rc != 0); compare only the stdout it
#                   wrote before dying, as a prefix of the implementation's stdout, and
#                   not the exit status
# Files named by `read X` / `add X` lines of the script are copied too when they exist in
# the repo (directories are created).  Blank lines and lines starting with # are ignored.
#
# convert.txt: `PATH | WRITER` for dumps CPython 3.11/3.13 cannot read as they are
# (record.sh only; see convert_dump.py).  WRITER = pyenv version that wrote the file, or
# `gunzip` for .gz dumps.  Replay always uses the original file.

# Golden layout: for each case, CPython 3.11's and 3.13's stdout (.out), stderr (.err) and
# exit status (.rc).  A kind on which both agree is one file, golden/NAME.KIND; where they
# differ, golden/NAME.3.11.KIND and golden/NAME.3.13.KIND.  A missing .err means empty, a
# missing .rc means 0 (golden_file finds a version's file; collapse_golden writes them).

PSTATS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$PSTATS_DIR/../.." && pwd)
SCRIPTS=$PSTATS_DIR/scripts
GOLDEN=$PSTATS_DIR/golden
CASES=${CASES:-$PSTATS_DIR/cases.txt}
STAMP='2024-01-02 03:04:05 UTC'
# golden tag -> pyenv version
GOLDEN_VERSIONS="3.11:3.11.7 3.13:3.13.0"

# The environment every browser run (CPython or pstatsh) gets; call it in a subshell.
set_run_env() {
    export TZ=UTC LC_ALL=C.UTF-8 PYTHONHASHSEED=0 PYTHONIOENCODING=utf-8 TERM=dumb
}

trim() { local s=$1; s=${s#"${s%%[![:space:]]*}"}; s=${s%"${s##*[![:space:]]}"}; printf '%s' "$s"; }

# each_case CALLBACK: calls CALLBACK NAME ARGS SCRIPT FLAGS for every case line.
each_case() {
    local cb=$1 line name args script flags
    while IFS= read -r line || [ -n "$line" ]; do
        case $line in ''|'#'*) continue ;; esac
        IFS='|' read -r name args script flags <<<"$line"
        "$cb" "$(trim "$name")" "$(trim "$args")" "$(trim "$script")" "$(trim "$flags")"
    done < "$CASES"
}

# needed_paths ARGS SCRIPT: the repo-relative paths a case uses (args + read/add targets).
needed_paths() {
    local args=$1 script=$2 p
    for p in $args; do printf '%s\n' "$p"; done
    sed -nE 's/^[[:space:]]*(read|add)[[:space:]]+(.*[^[:space:]])[[:space:]]*$/\2/p' \
        "$SCRIPTS/$script"
}

# prepare_dir DIR ARGS SCRIPT [COPYFN]: populate DIR with the case's files, each touched
# to $STAMP.  COPYFN SRC DST does the copy (default: cp).
prepare_dir() {
    local dir=$1 args=$2 script=$3 copyfn=${4:-cp} p
    while IFS= read -r p; do
        case $p in /*|*..*) continue ;; esac   # never reach outside the temp dir
        if [ -d "$ROOT/$p" ]; then
            mkdir -p "$dir/$p"
        elif [ -f "$ROOT/$p" ]; then
            mkdir -p "$dir/$(dirname "$p")"
            "$copyfn" "$ROOT/$p" "$dir/$p"
            touch -d "$STAMP" "$dir/$p"
        fi
    done < <(needed_paths "$args" "$script")
}

# normalise run-time addresses (code object reprs) on stdin
normalise() { LC_ALL=C sed -E 's/at 0x[0-9a-fA-F]+/at 0xADDR/g'; }

# golden_file NAME TAG KIND: the golden file of one CPython (tag 3.11, 3.13) and kind
# (out, err, rc); nothing when the default holds (empty .err, .rc 0) or .out is missing.
golden_file() {
    if [ -f "$GOLDEN/$1.$2.$3" ]; then echo "$GOLDEN/$1.$2.$3"
    elif [ -f "$GOLDEN/$1.$3" ]; then echo "$GOLDEN/$1.$3"; fi
}

# collapse_golden NAME DIR: DIR holds TAG.out, TAG.err, TAG.rc for every golden tag;
# write them into golden/ in the layout above (and remove the files they replace).
collapse_golden() {
    local name=$1 dir=$2 kind tv tag first same
    for kind in out err rc; do
        rm -f "$GOLDEN/$name.$kind"
        for tv in $GOLDEN_VERSIONS; do rm -f "$GOLDEN/$name.${tv%%:*}.$kind"; done
        first= same=1
        for tv in $GOLDEN_VERSIONS; do
            tag=${tv%%:*}
            if [ -z "$first" ]; then first=$tag
            elif ! cmp -s "$dir/$first.$kind" "$dir/$tag.$kind"; then same=0; fi
        done
        if [ $same = 1 ]; then
            case $kind in
                err) [ -s "$dir/$first.err" ] || continue ;;
                rc) [ "$(cat "$dir/$first.rc")" != 0 ] || continue ;;
            esac
            cp "$dir/$first.$kind" "$GOLDEN/$name.$kind"
        else
            for tv in $GOLDEN_VERSIONS; do
                tag=${tv%%:*}
                cp "$dir/$tag.$kind" "$GOLDEN/$name.$tag.$kind"
            done
        fi
    done
}

has_flag() { case ",$1," in *",$2,"*) return 0 ;; esac; return 1; }

# ---- recording side only (needs pyenv CPythons) ----------------------------------------

# pyexe FULLVERSION: the interpreter command for a pyenv CPython (PY27=, PY311=, ...
# override it); run it with PYENV_VERSION=FULLVERSION in the environment.
pyexe() {
    local var=PY$(echo "${1%.*}" | tr -d .)
    if [ -n "${!var:-}" ]; then echo "${!var}"; else echo "python${1%.*}"; fi
}
# pyrun FULLVERSION args...: run a pyenv CPython
pyrun() {
    local v=$1; shift
    PYENV_VERSION=$v "$(pyexe "$v")" "$@"
}

# convert_file WRITER TARGET SRC OUT: make OUT, a form of dump SRC that CPython TARGET can
# load (WRITER = pyenv version that wrote SRC, or gunzip).  See convert_dump.py.
convert_file() {
    local w=$1 target=$2 src=$3 out=$4 mid
    mkdir -p "$(dirname "$out")"
    if [ "$w" = gunzip ]; then
        gzip -dc "$src" > "$out"
    else
        mid=$out.mid
        pyrun "$w" "$PSTATS_DIR/convert_dump.py" export "$src" "$mid" &&
            pyrun "$target" "$PSTATS_DIR/convert_dump.py" import "$mid" "$out"
        local rc=$?
        rm -f "$mid"
        return $rc
    fi
}
