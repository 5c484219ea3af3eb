#!/bin/bash
# Re-record every golden transcript from real CPython (pyenv 3.11.7 and 3.13.0).
#   tests/pstats/record.sh [NAME-REGEX]
# For each case of cases.txt and each CPython: copy the case's files into a fresh temp dir
# under their relative names (dumps listed in convert.txt are first converted into a form
# that CPython can load -- see convert_dump.py), touch them to 2024-01-02 03:04:05 UTC, cd
# there and run
#   TZ=UTC LC_ALL=C.UTF-8 PYTHONHASHSEED=0 PYTHONIOENCODING=utf-8 TERM=dumb \
#       python3.X -m pstats ARGS < script > 3.X.out 2> 3.X.err; echo $? > 3.X.rc
# then write them into golden/ without redundancy (lib.sh: collapse_golden).
# Run by `make golden` (tests/golden.sh); needs pyenv's CPython 3.11.7 and 3.13.0 (and the
# CPythons of convert.txt for the dumps they wrote).  Override interpreters with PY311=...
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
    rm -f "$RECDIR"/*
    for tv in $GOLDEN_VERSIONS; do
        tag=${tv%%:*}; ver=${tv#*:}; TARGET=$ver
        tmp=$(mktemp -d "${TMPDIR:-/tmp}/pstats-rec.XXXXXX")
        prepare_dir "$tmp" "$args" "$script" copy_converted
        base=$RECDIR/$tag
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
    keep_addresses "$name" "$RECDIR"
    collapse_golden "$name" "$RECDIR"
}
# keep_addresses NAME DIR: where a new recording differs from the golden only in the
# run-time addresses of code objects (`at 0x...`, which the replay masks), keep the
# golden's bytes, so that re-recording changes nothing that matters.
keep_addresses() {
    local name=$1 dir=$2 tv tag kind old
    for tv in $GOLDEN_VERSIONS; do
        tag=${tv%%:*}
        for kind in out err; do
            old=$(golden_file "$name" "$tag" "$kind")
            [ -n "$old" ] && [ -f "$dir/$tag.$kind" ] || continue
            if ! cmp -s "$old" "$dir/$tag.$kind" &&
                cmp -s <(normalise < "$old") <(normalise < "$dir/$tag.$kind"); then
                cp "$old" "$dir/$tag.$kind"
            fi
        done
    done
}
RECDIR=$(mktemp -d "${TMPDIR:-/tmp}/pstats-golden.XXXXXX")
trap 'rm -rf "$RECDIR"' EXIT
each_case record_case
echo "recorded $ncases cases ($((ncases * 2)) goldens), $nwarn warnings"
