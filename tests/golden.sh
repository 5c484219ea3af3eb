#!/usr/bin/env bash
# make golden: re-record every golden of tests/ from the reference tools.  What each needs
# (a missing one is skipped with a note; nothing else changes):
#   tests/pstats/record.sh     pyenv CPython 3.11.7 and 3.13.0 (python -m pstats), and the
#                              CPythons of tests/pstats/convert.txt (2.7.18, 3.6.15-3.10.13)
#   tests/merge/record.sh      pyenv CPython 2.7.18, 3.6.15 ... 3.13.0 (pstats.Stats)
#   tests/callgrind/record.sh  pyprof2calltree (Debian package pyprof2calltree)
#   tests/dot/record.sh        gprof2dot.py of jrfonseca/gprof2dot at commit d1ba70a, named
#                              by GPROF2DOT=/path/to/gprof2dot.py (never copied into this
#                              tree), and pyenv CPython 3.6.15 ... 3.13.0; also
#   tests/dot/compare/record.sh  (its --compare graphs, with the same gprof2dot)
# The folded suite and the robustness suite have no goldens (they check invariants).
# Afterwards `git status tests/` shows what changed; re-recording with the same tools
# changes nothing.
set -u
cd "$(dirname "$0")/.."
notes=() failed=()
have_py() { PYENV_VERSION=$1 "python${1%.*}" -c pass >/dev/null 2>&1; }
need_pys() {   # SUITE VERSION...: all there, or a note
    local s=$1 v; shift
    for v in "$@"; do
        if ! have_py "$v"; then notes+=("$s: skipped, CPython $v (pyenv) missing"); return 1; fi
    done
}
run() {   # SUITE COMMAND...
    local s=$1; shift
    echo "== $s: $*"
    "$@" || failed+=("$s")
}
if need_pys pstats 3.11.7 3.13.0 2.7.18 3.6.15 3.7.16 3.8.18 3.9.18 3.10.13; then
    run pstats bash tests/pstats/record.sh
fi
if need_pys merge 2.7.18 3.6.15 3.7.16 3.8.18 3.9.18 3.10.13 3.11.7 3.12.1 3.13.0; then
    run merge bash tests/merge/record.sh
fi
if command -v pyprof2calltree >/dev/null; then
    run callgrind bash tests/callgrind/record.sh
else
    notes+=("callgrind: skipped, pyprof2calltree missing (apt-get install pyprof2calltree)")
fi
if [ -z "${GPROF2DOT:-}" ] || [ ! -f "$GPROF2DOT" ]; then
    notes+=("dot: skipped, GPROF2DOT=/path/to/gprof2dot.py (jrfonseca/gprof2dot d1ba70a) not given")
elif need_pys dot 3.6.15 3.7.16 3.8.18 3.9.18 3.10.13 3.11.7 3.12.1 3.13.0; then
    run dot bash tests/dot/record.sh "$GPROF2DOT"
    run dot-compare bash tests/dot/compare/record.sh "$GPROF2DOT"
fi
for n in "${notes[@]}"; do echo "note: $n"; done
if [ ${#failed[@]} -ne 0 ]; then echo "golden: failed: ${failed[*]}"; exit 1; fi
echo "golden: done; git status tests/ shows what changed"
