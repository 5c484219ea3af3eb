#!/bin/bash
# layers.sh - the library's objects form a DAG that follows the layer order.
#
# Every object of libpstats.a comes from src/LAYER/NAME.c (or protoc-c's
# output for src/LAYER/NAME.proto), the layers being,
# bottom to top: base data analysis output shell.  nm gives each object's
# undefined symbols and the object defining each of them, hence the edges
# "user -> definer".  An edge may go down the order or stay in its layer,
# never up, and the objects may not form a cycle (tsort finds one).  An object
# whose source is not in exactly one layer directory is an error too, and so is a
# global symbol without the ps_ prefix.
#
# usage: tests/unit/layers.sh [ARCHIVE [SRCDIR]]   (build/libpstats.a src)
# Prints "N passed, N failed" like every suite; exits non-zero on a failure.
set -u
lib=${1:-build/libpstats.a}
src=${2:-src}
layers="base data analysis output shell"
pass=0 fail=0
ok()  { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

[ -r "$lib" ] || { echo "layers.sh: no $lib (run make)"; echo "0 passed, 1 failed"; exit 1; }

# rank of each object: the position of its source's directory in $layers
declare -A rank
for obj in $(ar t "$lib"); do
    base=${obj%.o}
    found=()
    for f in "$src"/*/"$base".c; do [ -e "$f" ] && found+=("$f"); done
    # protoc-c's output (build/gen/NAME.pb-c.c) belongs where its NAME.proto is
    case $base in *.pb-c) for f in "$src"/*/"${base%.pb-c}".proto; do [ -e "$f" ] && found+=("$f"); done ;; esac
    if [ ${#found[@]} -ne 1 ]; then
        bad "$obj: its source is not in exactly one layer directory (${found[*]:-none})"
        continue
    fi
    dir=$(basename "$(dirname "${found[0]}")")
    r=0 i=0
    for l in $layers; do i=$((i + 1)); [ "$l" = "$dir" ] && r=$i; done
    if [ $r -eq 0 ]; then
        bad "$obj: $dir is not a layer of the library ($layers)"
        continue
    fi
    rank[$obj]=$r
    ok
done

# edges "user definer symbol", one per symbol
edges=$(nm -A "$lib" 2>/dev/null | awk '
    { n = split($1, p, ":"); obj = p[n - 1] }
    $2 == "U" && NF == 3 { use[obj " " $3] = 1; next }
    NF == 3 && $2 ~ /^[TDRBCVW]$/ { def[$3] = obj }
    END { for (k in use) { split(k, u, " "); d = def[u[2]]
              if (d != "" && d != u[1]) print u[1], d, u[2] } }' | sort)

up=0
while read -r user definer sym; do
    [ -n "$user" ] || continue
    ru=${rank[$user]:-0} rd=${rank[$definer]:-0}
    if [ "$ru" -gt 0 ] && [ "$rd" -gt "$ru" ]; then
        bad "upward edge: $user -> $definer ($sym)"
        up=$((up + 1))
    fi
done <<< "$edges"
[ $up -eq 0 ] && ok

# cycles: tsort reports a loop on stderr
loops=$(awk '{ print $2, $1 }' <<< "$edges" | sort -u | tsort 2>&1 >/dev/null)
if [ -n "$loops" ]; then
    bad "the objects form a cycle:"
    echo "$loops" | sed 's/^/    /'
else
    ok
fi

# the public namespace: every symbol the library defines for others starts with ps_
# (protoc-c's pprof messages included: their package is ps.pprof; under ASan each global
# gets an __odr_asan.NAME marker beside it, the sanitizer's, not ours)
unprefixed=$(nm -g --defined-only "$lib" 2>/dev/null | awk 'NF == 3 && $2 ~ /^[TDRBCVW]$/ { print $3 }' |
             grep -v '^ps_' | grep -v '^__odr_asan' | sort -u)
if [ -n "$unprefixed" ]; then
    bad "exported without the ps_ prefix: $(echo $unprefixed)"
else
    ok
fi

echo "$(awk '{ print $1, $2 }' <<< "$edges" | sort -u | wc -l) object edges"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
