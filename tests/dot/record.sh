#!/usr/bin/env bash
# Re-record tests/dot/golden/ and the node ids of tests/dot/walks/cases.txt with gprof2dot.
#   tests/dot/record.sh GPROF2DOT.PY
# GPROF2DOT.PY: gprof2dot.py of jrfonseca/gprof2dot at commit d1ba70a (the goldens' version),
# e.g. from a clone outside this tree (`make golden` takes it from $GPROF2DOT, or skips).
# Each dump runs under the pyenv CPython that wrote it (NAME-...-3.X.prof -> python3.X):
#   gprof2dot.py -f pstats OPTIONS NAME.prof -o NAME.OPTSET.dot
# for every option set of golden/optsets.txt; where gprof2dot fails (its root or leaf
# pattern matches nothing, or it cannot read the dump) there is no golden.  profile.py
# dumps print their code objects with a run-time address (0x...): a graph that differs from
# the recorded one only there is left as it is.  Python 2.7 dumps (gprof2dot cannot read
# them) and the gzip-compressed dump have no goldens.
set -uo pipefail
cd "$(dirname "$0")/../.."
G2D=${1:?usage: tests/dot/record.sh GPROF2DOT.PY}
G2D=$(cd "$(dirname "$G2D")" && pwd)/$(basename "$G2D")
T=tests/dot
export TZ=UTC LC_ALL=C.UTF-8 PYTHONHASHSEED=0 PYTHONDONTWRITEBYTECODE=1
TMP=$(mktemp -d "${TMPDIR:-/tmp}/dot-record.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
# pyenv versions by minor version
declare -A FULL=([3.6]=3.6.15 [3.7]=3.7.16 [3.8]=3.8.18 [3.9]=3.9.18 [3.10]=3.10.13
                 [3.11]=3.11.7 [3.12]=3.12.1 [3.13]=3.13.0)
py_of() {   # NAME -> pyenv version of the CPython that wrote it (nothing for 2.7)
    local v=${1##*-}; v=${v%%.prof}
    echo "${FULL[$v]:-}"
}
g2d() {     # VERSION args...: gprof2dot under that CPython
    local v=$1; shift
    PYENV_VERSION=$v "python${v%.*}" "$G2D" "$@"
}
noaddr() { sed 's/0x[0-9a-fA-F]*/0x/g' "$1"; }
nrec=0 nkept=0 nnone=0 nmissing=0
dumps=("$T"/dumps/*.prof)
set -f    # option sets carry globs (-z *:<module>)
while IFS='|' read -r set opts; do
    [ -n "$set" ] || continue
    # shellcheck disable=SC2086
    set -- $opts
    for dump in "${dumps[@]}"; do
        name=$(basename "$dump" .prof)
        gold=$T/golden/$name.$set.dot
        v=$(py_of "$name.prof")
        if [ -z "$v" ]; then rm -f "$gold"; continue; fi
        if ! PYENV_VERSION=$v "python${v%.*}" -c pass 2>/dev/null; then
            echo "record.sh: CPython $v missing: $name not recorded"; nmissing=$((nmissing + 1)); continue
        fi
        if (cd "$T/dumps" && g2d "$v" -f pstats "$@" "$name.prof" -o "$TMP/out.dot") 2>"$TMP/err"; then
            if [ -f "$gold" ] && ! cmp -s "$gold" "$TMP/out.dot" &&
                cmp -s <(noaddr "$gold") <(noaddr "$TMP/out.dot"); then
                nkept=$((nkept + 1))
            else
                cp "$TMP/out.dot" "$gold"; nrec=$((nrec + 1))
            fi
        else
            rm -f "$gold"; nnone=$((nnone + 1))
        fi
    done
done <"$T/golden/optsets.txt"
# walks: the ids of the nodes gprof2dot keeps
: >"$TMP/walks"
while IFS='|' read -r dump opts want; do
    [ -n "$dump" ] || continue
    v=$(py_of "$dump")
    # shellcheck disable=SC2086
    got=$(cd "$T/walks" && g2d "$v" -f pstats $opts "$dump" | grep -oE '^	[0-9]+ \[' | tr -d '\t [' |
          sort -n | tr '\n' ' ' | sed 's/ $//')
    if [ -z "$got" ]; then echo "record.sh: walk $dump $opts: no graph"; got=$want; fi
    printf '%s|%s|%s\n' "$dump" "$opts" "$got" >>"$TMP/walks"
done <"$T/walks/cases.txt"
set +f
cp "$TMP/walks" "$T/walks/cases.txt"
echo "dot: $nrec graphs recorded, $nkept kept (only addresses differ), $nnone refused by gprof2dot, $nmissing without their CPython"
