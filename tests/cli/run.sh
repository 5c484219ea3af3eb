#!/usr/bin/env bash
# The command line of every program: tests/cli/cases.txt, one case a line
# (program | arguments | exit status | an ERE one line of the output matches, or
# "(empty)": no output at all).
# Ends with "N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
. tests/tier.sh
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
V=$(sed -n 's/^#define PSTATS_VERSION "\(.*\)"$/\1/p' include/pstats/version.h)
V=${V//./\\.}
D=tests/dumps S=tests/sampled/data
pass=0 fail=0
trim() { local s=$1; s=${s#"${s%%[![:space:]]*}"}; printf '%s' "${s%"${s##*[![:space:]]}"}"; }
while IFS='|' read -r prog args want_rc want; do
    prog=$(trim "$prog")
    case "$prog" in ''|\#*) continue ;; esac
    args=$(trim "$args") want_rc=$(trim "$want_rc") want=$(trim "$want")
    want=${want//\$V/$V}
    # the arguments as the shell would split them (quotes kept), $D $S $T expanded
    eval "set -- $args"
    "build/$prog" "$@" > "$T/out" 2> "$T/err" < /dev/null
    rc=$?
    if [ "$want" = "(empty)" ]; then   # nothing on either stream
        [ ! -s "$T/out" ] && [ ! -s "$T/err" ] && matched=1 || matched=0
    else
        cat "$T/out" "$T/err" | grep -qE -- "$want" && matched=1 || matched=0
    fi
    if [ "$rc" = "$want_rc" ] && [ $matched = 1 ]; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL: $prog $args: exit $rc (want $want_rc), want a line matching: $want"
        cat "$T/out" "$T/err" | head -3
    fi
done < tests/cli/cases.txt
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
