#!/bin/bash
# Regenerates the real profile dumps in tests/dumps/ and data/ from real CPythons (pyenv).
# The outputs are committed: they are test inputs. Re-running changes timings (and
# therefore every golden): re-run tests/pstats/record.sh afterwards.
#   tests/dumps/*.prof (corpus)       copied from /work/shared/corpus (override: CORPUS=dir)
#   tests/dumps/PROG-cprofile-VER.prof  python -m cProfile -o, for every pyenv CPython
#   tests/dumps/PROG-profile-VER.prof   python -m profile -o
#   data/restats                       cProfile.run('re.compile("foo|bar")', 'restats'), 3.11
#   data/recur.prof, data/recur-py27.prof, data/tokenize.prof   copies from the corpus
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
corpus=${CORPUS:-/work/shared/corpus}
VERSIONS=${VERSIONS:-"2.7.18 3.6.15 3.7.16 3.8.18 3.9.18 3.10.13 3.11.7 3.12.1 3.13.0"}
PROGS="mutual objects multimod"

py() { # py FULLVERSION args...   run a pyenv CPython
    local v=$1; shift
    PYENV_VERSION=$v PYTHONDONTWRITEBYTECODE=1 PYTHONHASHSEED=0 "python${v%.*}" "$@"
}

if [ -d "$corpus" ]; then
    for f in "$corpus"/*.prof "$corpus"/*.gz; do
        cp "$f" "$here/"; chmod 644 "$here/$(basename "$f")"
    done
fi

cd "$root/tests/progs"
for v in $VERSIONS; do
    short=${v%.*}
    for p in $PROGS; do
        py "$v" -m cProfile -o "$here/$p-cprofile-$short.prof" "$p.py" >/dev/null
        py "$v" -m profile -o "$here/$p-profile-$short.prof" "$p.py" >/dev/null
    done
done

mkdir -p "$root/data"
cd "$root/data"
py 3.11.7 -c 'import cProfile, re; cProfile.run('"'"'re.compile("foo|bar")'"'"', "restats")' >/dev/null
if [ -d "$corpus" ]; then
    cp "$corpus/recur-cprofile-3.13.prof" recur.prof
    cp "$corpus/recur-cprofile-2.7.prof" recur-py27.prof
    cp "$corpus/tokenize-cprofile-3.13.prof" tokenize.prof
    chmod 644 recur.prof recur-py27.prof tokenize.prof
fi
echo "dumps written to $here and $root/data"
