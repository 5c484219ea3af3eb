#!/usr/bin/env bash
# make bench: every benchmark in tests/bench/ (each prints its own ratio lines),
# run one after the other so they do not compete for the machine.
set -u
cd "$(dirname "$0")/../.."
status=0
for b in tests/bench/*.sh; do
    [ "$(basename "$b")" = bench.sh ] && continue
    echo "== $(basename "$b" .sh)"
    bash "$b" || status=1
done
exit $status
