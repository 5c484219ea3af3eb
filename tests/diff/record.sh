#!/usr/bin/env bash
# Records tests/diff/golden/: for every case of cases.txt, profdiff's JSON, text and
# markdown.  The goldens are our own output: each case's JSON is first checked against
# ref.py (the same comparison computed by CPython's pstats) and nothing is written if
# any disagrees; the text and markdown come from that same checked comparison.
set -u
source "$(dirname "$0")/lib.sh"
[ -x "$PD" ] || { echo "build first (make)"; exit 1; }
T=$(mktemp -d "${TMPDIR:-/tmp}/profdiff-record.XXXXXX")
trap 'rm -rf "$T"' EXIT
bad=0
rec() {
    local name=$1 form=$2 opts=$3 base=$4 new=$5
    run_case "$form" "$opts" "$base" "$new" json >"$T/$name.json" 2>/dev/null
    if ! ref_check "$opts" "$base" "$new" "$T/$name.json" >"$T/$name.why"; then
        echo "$name: our JSON differs from ref.py:"; head -5 "$T/$name.why"; bad=1; return
    fi
    run_case "$form" "$opts" "$base" "$new" text >"$T/$name.txt" 2>/dev/null
    run_case "$form" "$opts" "$base" "$new" markdown >"$T/$name.md" 2>/dev/null
}
each_case rec
[ $bad = 0 ] || { echo "nothing recorded"; exit 1; }
mkdir -p "$GOLDEN"
rm -f "$GOLDEN"/*
cp "$T"/*.json "$T"/*.txt "$T"/*.md "$GOLDEN/"
echo "recorded $(ls "$GOLDEN" | wc -l) goldens in tests/diff/golden"
