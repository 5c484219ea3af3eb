# shellcheck shell=bash
# The test tiers (sourced by the suites' run.sh; bash).
#   PSTATS_TIER=quick   make check: every program and every suite, in minutes: sampled
#                       truncation offsets, fewer random corruptions, a sample of the dumps
#                       where a suite runs external checkers on each, goldens but no live
#                       CPython runs.  The default.
#   PSTATS_TIER=full    make check-full: everything (every-byte truncations, every dump,
#                       live CPython comparisons where pyenv's CPythons are there).
# make check-full then runs the quick tier on a SANITIZE=1 build with
# PSTATS_TRUNCATE=every (every-byte truncations under the sanitizers).
PSTATS_TIER=${PSTATS_TIER:-quick}
case $PSTATS_TIER in
    quick|full) ;;
    *) echo "PSTATS_TIER=$PSTATS_TIER: not quick or full" >&2; echo "0 passed, 1 failed"; exit 1 ;;
esac
export PSTATS_TIER
tier_full() { [ "$PSTATS_TIER" = full ]; }
# sample N ITEMS...: all items in the full tier; in the quick tier every Nth one (the first,
# the N+1st, ...), so that each kind of input stays represented when the list is ordered.
sample() {
    local n=$1 i=0 x; shift
    for x in "$@"; do
        if tier_full || [ $((i % n)) -eq 0 ]; then printf '%s\n' "$x"; fi
        i=$((i + 1))
    done
}
# python3 through pyenv's shims costs a few bash start-ups per call, and the suites call
# their Python checkers hundreds of times: resolve it once (the same interpreter).
if command -v pyenv >/dev/null 2>&1 && _py=$(pyenv which python3 2>/dev/null) && [ -x "$_py" ]; then
    PATH=${_py%/*}:$PATH; export PATH
fi
unset _py
