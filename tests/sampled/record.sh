#!/usr/bin/env bash
# Record the real sampler files and the goldens of tests/sampled.
#   record.sh austin   sample tests/sampled/progs/work.py with Debian's austin
#                      (1.0.1) over pyenv's CPython 3.6-3.8: default, -a
#                      (alternative frames) and -f (full metrics); paths are
#                      rewritten to /opt/python/X.Y.Z and /home/user so the
#                      files do not depend on this machine
#   record.sh golden   the expected outputs of cases.txt, from build/
# The files in data/ that no sampler here writes are described in README.md.
set -eu
cd "$(dirname "$0")/../.."
what=${1:-golden}
if [ "$what" = austin ]; then
    command -v austin >/dev/null || { echo "record.sh: austin is not installed (make deps)"; exit 1; }
    prog=$PWD/tests/sampled/progs/work.py
    rec() {  # VERSION NAME OPTIONS...
        local v=$1 name=$2
        shift 2
        local py
        py=$(PYENV_VERSION=$v pyenv which python)
        local root
        root=$(dirname "$(dirname "$py")")
        austin "$@" -i 500 -o "/tmp/austin.$$" "$py" "$prog" 2>/dev/null
        sed -e "s|$root|/opt/python/$v|g" -e "s|$(dirname "$prog")|/home/user|g" "/tmp/austin.$$" \
            > "tests/sampled/data/$name"
        rm -f "/tmp/austin.$$"
        echo "recorded tests/sampled/data/$name ($(wc -l < "tests/sampled/data/$name") samples)"
    }
    rec 3.6.15 work-3.6.austin
    rec 3.7.16 work-3.7-alt.austin -a
    rec 3.7.16 work-3.7-full.austin -f
    rec 3.8.18 work-3.8.austin
    exit 0
fi
mkdir -p tests/sampled/golden
. tests/sampled/lib.sh
while IFS='|' read -r name cmd; do
    name=$(trim "$name")
    case "$name" in ''|\#*) continue ;; esac
    run_case "$cmd" > "tests/sampled/golden/$name.out"
done < tests/sampled/cases.txt
echo "recorded $(ls tests/sampled/golden | wc -l) goldens"
