#!/usr/bin/env bash
# Re-record tests/hostile: the dumps (gen.py, written by CPython's own
# pstats.dump_stats) and what CPython 3.11's `python -m pstats` prints for
# each with script.cmd (script-big.cmd for nan-big-*; lib.sh) (golden/NAME.out).  Needs pyenv's CPython 3.11.7 or a
# python3.11 on PATH.
set -euo pipefail
cd "$(dirname "$0")"
PY=$(PYENV_VERSION=3.11.7 command -v python3.11 || true)
[ -n "$PY" ] || { echo "record.sh: python3.11 not found: not recorded"; exit 0; }
rm -rf dumps golden
PYENV_VERSION=3.11.7 "$PY" gen.py dumps
mkdir golden
. ./lib.sh
for f in dumps/*.prof; do
    run_browser "$f" env PYENV_VERSION=3.11.7 "$PY" -m pstats > "golden/$(basename "$f" .prof).out"
done
echo "record.sh: $(ls golden | wc -l) goldens"
