#!/usr/bin/env bash
# Regenerates tests/merge/dumps/: real profile dumps written by real CPythons
# (pyenv 2.7 and 3.6-3.13, and the system python3 with yappi) profiling
# tests/merge/progs/work.py with varying arguments.  The outputs are committed
# test inputs; re-running changes every timing, so re-record the goldens
# afterwards (tests/merge/record.sh).
#   c311-NNN.prof      100 cProfile dumps, 3.11, seed NNN        (run.py: only the work)
#   cv-VER-S.prof      cProfile, every CPython, seeds 1 and 2
#   pv-VER-S.prof      profile.py (int callers), every CPython, seeds 1-3
#   mc-VER.prof        python -m cProfile -o, every CPython    (imports included)
#   mp-VER-S.prof      python -m profile -o, every CPython, seeds 1 and 2
#                      (3.x: the script's key has a code object as its name)
#   y-S.prof           yappi (system python3), seeds 1 and 2
#   other-profile-3.11.prof   profile.py dump of other.py (no edge shared with work.py)
#   c311-001.prof.gz   gzip of c311-001.prof
#   latin1-2.7.prof    2.7 cProfile dump whose file name is Latin-1 bytes (not UTF-8)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$here/dumps
progs=$here/progs
VERSIONS=${VERSIONS:-"2.7.18 3.6.15 3.7.16 3.8.18 3.9.18 3.10.13 3.11.7 3.12.1 3.13.0"}
py() { local v=$1; shift; PYENV_VERSION=$v PYTHONDONTWRITEBYTECODE=1 PYTHONHASHSEED=0 "python${v%.*}" "$@"; }
mkdir -p "$out"
rm -f "$out"/*.prof "$out"/*.gz
cd "$progs"
for i in $(seq 1 100); do
    py 3.11.7 run.py cprofile "$out/c311-$(printf %03d "$i").prof" "$i" $((10 + i * 7 % 40))
done
for v in $VERSIONS; do
    s=${v%.*}
    for seed in 1 2; do py "$v" run.py cprofile "$out/cv-$s-$seed.prof" "$seed" 25; done
    for seed in 1 2 3; do py "$v" run.py profile "$out/pv-$s-$seed.prof" "$seed" 15; done
    py "$v" -m cProfile -o "$out/mc-$s.prof" work.py 3 20 >/dev/null
    for seed in 1 2; do py "$v" -m profile -o "$out/mp-$s-$seed.prof" work.py "$seed" 10 >/dev/null; done
done
for seed in 1 2; do
    /usr/bin/python3 - "$out/y-$seed.prof" "$seed" <<'PY'
import os, sys
sys.path.insert(0, os.getcwd())
import work, yappi
yappi.set_clock_type('cpu')
yappi.start()
work.main(int(sys.argv[2]), 20)
yappi.stop()
yappi.get_func_stats().save(sys.argv[1], type='pstat')
PY
done
py 3.11.7 other.py "$out/other-profile-3.11.prof" 30
py 2.7.18 latin1.py "$out/latin1-2.7.prof"
gzip -9n < "$out/c311-001.prof" > "$out/c311-001.prof.gz"
du -sh "$out"
