#!/usr/bin/env bash
# Records tests/merge/golden/ from real CPythons (pyenv), for every case of cases.txt:
#   golden/NAME.out      the reports (seq/SEQ) of pstats.Stats(*REFERENCE) on the case's
#                        CPython, files lines left out, code-object addresses masked
#   golden/NAME.prof.txt (3.x cases without code objects) that Stats' .stats encoded as
#                        profmerge's writer encodes at marshal version 4, as text (lib.sh:
#                        prof_text): a correct merge is byte-identical to it
# Run by `make golden` (tests/golden.sh); needs pyenv's CPythons of cases.txt (2.7.18,
# 3.6.15-3.13.0).
# Run it after regenerating the dumps (make_dumps.sh) or changing cases.txt.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
mkdir -p "$GOLDEN"
rm -f "$GOLDEN"/*.out "$GOLDEN"/*.prof.txt
TMPPROF=$(mktemp "${TMPDIR:-/tmp}/merge-golden.XXXXXX")
trap 'rm -f "$TMPPROF"' EXIT
record_case() {
    local name=$1 py=$2 seq=$3 opts=$4 ref=$6
    local -a files popts
    mapfile -t files < <(reference_files "$ref")
    mapfile -t popts < <(pyref_opts "$opts")
    (cd "$DUMPS" && pyv "$py" "$PYREF" report "$seq" "${popts[@]}" "${files[@]}") \
        > "$GOLDEN/$name.out"
    if [ "${py%%.*}" = 3 ] &&
        (cd "$DUMPS" && pyv "$py" "$PYREF" enc4 "${popts[@]}" "${files[@]}") > "$TMPPROF" 2>/dev/null; then
        prof_text "$TMPPROF" > "$GOLDEN/$name.prof.txt"
    else
        rm -f "$GOLDEN/$name.prof.txt"
    fi
    echo "recorded $name ($py)"
}
each_case record_case
du -sh "$GOLDEN"
