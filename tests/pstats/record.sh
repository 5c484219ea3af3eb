#!/bin/bash
# Re-record every golden transcript from real CPython (pyenv 3.11.7 and 3.13.0).
#   tests/pstats/record.sh [NAME-REGEX]
# For each case of cases.txt and each CPython: copy the case's files into a fresh temp dir
# under their relative names (dumps listed in convert.txt are first converted into a form
# that CPython can load -- see convert_dump.py), touch them to 2024-01-02 03:04:05 UTC, cd
# there and run
#   TZ=UTC LC_ALL=C.UTF-8 PYTHONHASHSEED=0 PYTHONIOENCODING=utf-8 TERM=dumb \
#       python3.X -m pstats ARGS < script > NAME.py3XX.out 2> NAME.py3XX.err; echo $? > .rc
# Not run by `make check` (needs pyenv).  Override interpreters with PY311=... PY313=...
set -uo pipefail
. "$(dirname "$0")/lib.sh"
filter=${1:-}
CONV_CACHE=$ROOT/tests/tmp/conv
mkdir -p "$GOLDEN" "$CONV_CACHE"

writer_of() { # writer_of REPO-RELATIVE-PATH -> writer from convert.txt (or nothing)
    awk -F'|' -v p="$1" '
        /^[[:space:]]*(#|$)/ { next }
        { k = $1; w = $2; gsub(/^[[:space:]]+|[[:space:]]+$/, "", k)
          gsub(/^[[:space:]]+|[[:space:]]+$/, "", w)
          if (k == p) { print w; exit } }' "$PSTATS_DIR/convert.txt"
}

TARGET=  # pyenv version of the recording CPython, used by copy_converted
copy_converted() { # copy_converted SRC DST
    local src=$1 dst=$2 rel=${1#"$ROOT"/} w out
    w=$(writer_of "$rel")
    if [ -z "$w" ]; then cp "$src" "$dst"; return; fi
    out=$CONV_CACHE/$TARGET/$rel
    if [ ! -f "$out" ] || [ "$out" -ot "$src" ]; then
        convert_file "$w" "$TARGET" "$src" "$out" || {
            echo "record.sh: cannot convert $rel" >&2; rm -f "$out"; return 1; }
    fi
    cp "$out" "$dst"
}

ncases=0; nwarn=0
record_case() {
    local name=$1 args=$2 script=$3 flags=$4 tag ver tmp base rc
    if [ -n "$filter" ] && ! [[ $name =~ $filter ]]; then return; fi
    if [ ! -f "$SCRIPTS/$script" ]; then echo "record.sh: $name: no script $script" >&2; return; fi
    ncases=$((ncases + 1))
    for tv in $GOLDEN_VERSIONS; do
        tag=${tv%%:*}; ver=${tv#*:}; TARGET=$ver
        tmp=$(mktemp -d "${TMPDIR:-/tmp}/pstats-rec.XXXXXX")
        prepare_dir "$tmp" "$args" "$script" copy_converted
        base=$GOLDEN/$name.$tag
        # shellcheck disable=SC2086
        (cd "$tmp" && set_run_env && pyrun "$ver" -m pstats $args < "$SCRIPTS/$script" \
            > "$base.out" 2> "$base.err")
        rc=$?
        echo "$rc" > "$base.rc"
        rm -rf "$tmp"
        if [ "$rc" != 0 ] && ! has_flag "$flags" prefix; then
            echo "WARNING: $name ($tag) exited $rc but is not flagged prefix" >&2; nwarn=$((nwarn + 1))
        elif [ "$rc" = 0 ] && has_flag "$flags" prefix; then
            echo "WARNING: $name ($tag) exited 0 but is flagged prefix" >&2; nwarn=$((nwarn + 1))
        fi
    done
}
each_case record_case
echo "recorded $ncases cases ($((ncases * 2)) goldens), $nwarn warnings"
