#!/usr/bin/env bash
# Records tests/top/golden/DUMP.out: what ref.py (pstats.Stats of CPython 3.11.7, pyenv)
# computes for the commands of commands.txt on every dump of tests/dumps.  Dumps 3.11
# cannot load (2.7 dumps, other versions' code objects, the .gz one) are first converted
# as the pstats goldens' are (tests/pstats/convert.txt, convert_dump.py).  Not part of
# make check; run it after changing commands.txt or ref.py.
set -u
source "$(dirname "$0")/../pstats/lib.sh"    # convert_file, pyrun
source "$(dirname "$0")/lib.sh"
T=$(mktemp -d "${TMPDIR:-/tmp}/top-record.XXXXXX")
trap 'rm -rf "$T"' EXIT
writer_of() {
    awk -F'|' -v p="$1" '{ k = $1; w = $2; gsub(/^ +| +$/, "", k); gsub(/^ +| +$/, "", w)
                           if (k == p) { print w; exit } }' "$TOP_ROOT/tests/pstats/convert.txt"
}
bad=0
cd "$TOP_ROOT"
for d in $(top_dumps); do
    src=$d w=$(writer_of "$d")
    if [ -n "$w" ]; then
        src=$T/$(basename "$d")
        [ "$w" = gunzip ] && src=${src%.gz}
        convert_file "$w" "$REF_VERSION" "$d" "$src" || { echo "cannot convert $d"; bad=1; continue; }
    fi
    run_ref "$src" | normalize >"$T/$(basename "$d").out" || { echo "ref.py failed on $d"; bad=1; }
done
[ $bad = 0 ] || { echo "nothing recorded"; exit 1; }
mkdir -p "$TOP_GOLDEN"
rm -f "$TOP_GOLDEN"/*.out
cp "$T"/*.out "$TOP_GOLDEN/"
echo "recorded $(ls "$TOP_GOLDEN" | wc -l) goldens in tests/top/golden"
