#!/usr/bin/env bash
# Records tests/merge/golden/ from real CPythons (pyenv), for every case of cases.txt:
#   golden/NAME.out.gz   the reports (seq/SEQ) of pstats.Stats(*REFERENCE) on the case's
#                        CPython, files lines left out, code-object addresses masked
#   golden/NAME.prof.gz  (3.x cases without code objects) that Stats' .stats encoded as
#                        profmerge's writer encodes at marshal version 4: a correct merge
#                        is byte-identical to it
# Run it after regenerating the dumps (make_dumps.sh) or changing cases.txt.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
mkdir -p "$GOLDEN"
rm -f "$GOLDEN"/*.gz
record_case() {
    local name=$1 py=$2 seq=$3 opts=$4 ref=$6
    local -a files popts
    mapfile -t files < <(reference_files "$ref")
    mapfile -t popts < <(pyref_opts "$opts")
    (cd "$DUMPS" && pyv "$py" "$PYREF" report "$seq" "${popts[@]}" "${files[@]}") |
        gzip -9n > "$GOLDEN/$name.out.gz"
    if [ "${py%%.*}" = 3 ] &&
        (cd "$DUMPS" && pyv "$py" "$PYREF" enc4 "${popts[@]}" "${files[@]}") > "$GOLDEN/$name.prof" 2>/dev/null; then
        gzip -9nf "$GOLDEN/$name.prof"
    else
        rm -f "$GOLDEN/$name.prof"
    fi
    echo "recorded $name ($py)"
}
each_case record_case
du -sh "$GOLDEN"
