#!/usr/bin/env bash
# Re-record tests/dot/compare/golden/ with gprof2dot's --compare.
#   tests/dot/compare/record.sh GPROF2DOT.PY      (jrfonseca/gprof2dot d1ba70a)
# For each case of cases.txt: gprof2dot.py -f pstats --compare OPTIONS BASE NEW, under the
# CPython of the newer dump (3.11 for the version-less ones), with one change to
# gprof2dot (patched into a temporary copy, never committed): a function of BASE missing
# from NEW gets no stale NEW function.  Unpatched, gprof2dot dies there
# (UnboundLocalError) when that function is the first, and otherwise labels its edges from
# the previous function's calls; patched, it draws the node as an unmatched one and its
# edges with BASE's numbers only, which is what prof2dot draws.  The script says which
# cases unpatched gprof2dot fails on.
set -uo pipefail
cd "$(dirname "$0")/../../.."
G2D=${1:?usage: tests/dot/compare/record.sh GPROF2DOT.PY}
C=tests/dot/compare
export TZ=UTC LC_ALL=C.UTF-8 PYTHONHASHSEED=0 PYTHONDONTWRITEBYTECODE=1
TMP=$(mktemp -d "${TMPDIR:-/tmp}/compare-record.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
bash "$C/patch.sh" "$G2D" "$TMP/g2d.py" || exit 1
declare -A FULL=([3.6]=3.6.15 [3.7]=3.7.16 [3.8]=3.8.18 [3.9]=3.9.18 [3.10]=3.10.13
                 [3.11]=3.11.7 [3.12]=3.12.1 [3.13]=3.13.0)
trim() { sed -E 's/^[[:space:]]+|[[:space:]]+$//g' <<<"$1"; }
nrec=0 ncrash=0
while IFS='|' read -r name opts base new; do
    name=$(trim "$name"); [ -n "$name" ] && [ "${name#\#}" = "$name" ] || continue
    base=$(trim "$base") new=$(trim "$new")
    v=$(printf '%s\n%s\n' "$base" "$new" | sed -nE 's/.*-(3\.[0-9]+)\.prof$/\1/p' | sort -V | tail -1)
    v=${FULL[${v:-3.11}]}
    set -f
    # shellcheck disable=SC2086
    if ! PYENV_VERSION=$v "python${v%.*}" "$TMP/g2d.py" -f pstats --compare $opts "$base" "$new" \
            -o "$C/golden/$name.dot" 2>"$TMP/err"; then
        echo "record.sh: $name: gprof2dot failed: $(tail -1 "$TMP/err")"; set +f; continue
    fi
    # shellcheck disable=SC2086
    if ! PYENV_VERSION=$v "python${v%.*}" "$G2D" -f pstats --compare $opts "$base" "$new" \
            -o "$TMP/orig.dot" 2>"$TMP/err"; then
        echo "record.sh: $name: unpatched gprof2dot fails: $(tail -1 "$TMP/err")"; ncrash=$((ncrash + 1))
    elif ! cmp -s "$TMP/orig.dot" "$C/golden/$name.dot"; then
        echo "record.sh: $name: unpatched gprof2dot labels an unmatched node's edges from a stale function"
    fi
    set +f
    nrec=$((nrec + 1))
done <"$C/cases.txt"
echo "dot compare: $nrec graphs recorded ($ncrash on which unpatched gprof2dot fails)"
