#!/usr/bin/env bash
# Record pyprof2calltree's output for every dump in tests/dumps it can read
# (Python 3 cProfile dumps; it crashes on profile.py, Python 2.7 and gzip
# dumps) into tests/callgrind/golden/NAME.cg.  Needs the Debian package
# pyprof2calltree (1.4.5); the tests only read the recorded files.
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v pyprof2calltree >/dev/null || { echo "record.sh: pyprof2calltree is not installed" >&2; exit 1; }
out=tests/callgrind/golden
mkdir -p "$out"
for f in tests/dumps/*.prof; do
    name=$(basename "$f")
    if pyprof2calltree -i "$f" -o "$out/$name.cg.tmp" 2>/dev/null; then
        mv "$out/$name.cg.tmp" "$out/$name.cg"
        echo "recorded $name"
    else
        rm -f "$out/$name.cg.tmp"
        echo "skipped $name (pyprof2calltree fails on it)"
    fi
done
