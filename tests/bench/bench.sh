#!/usr/bin/env bash
# make bench: every benchmark in tests/bench/ (each prints its own ratio lines),
# run one after the other so they do not compete for the machine.
set -u
cd "$(dirname "$0")/../.."
# A benchmark reports; it does not fail the build: a missed target is listed at the end.
missed=()
for b in tests/bench/*.sh; do
    [ "$(basename "$b")" = bench.sh ] && continue
    echo "== $(basename "$b" .sh)"
    bash "$b" || missed+=("$(basename "$b" .sh)")
done
if [ ${#missed[@]} -eq 0 ]; then
    echo "bench: every target met"
else
    echo "bench: target missed by: ${missed[*]}"
fi
