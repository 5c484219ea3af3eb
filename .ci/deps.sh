#!/usr/bin/env bash
# make deps: install the Debian packages the build and the tests need, only
# those missing. Everything comes from Debian; nothing is downloaded at build
# or test time.
set -euo pipefail
packages=(
    gcc make pkg-config            # build
    zlib1g-dev libreadline-dev libpcre2-dev libgraphviz-dev   # libraries (pkg-config)
    libjansson-dev libprotobuf-c-dev protobuf-c-compiler      # JSON in/out, pprof's profile.proto
    python3-jsonschema             # tests/export: our speedscope files against speedscope's schema
    golang-go                      # tests/export: go tool pprof reads our pprof profiles
    clang libclang-rt-14-dev       # sanitizers and libFuzzer (make SANITIZE=1, make fuzz)
    graphviz                       # dot: every produced graph is parsed by it
    valgrind                       # callgrind_annotate reads our callgrind files
    pyprof2calltree                # make bench: prof2callgrind against the tool it replaces
    libxml2-utils                  # xmllint: flame-graph SVGs are valid XML
    python3                        # a few tests drive CPython's pstats when no pyenv is present
    time                           # /usr/bin/time for make bench
    austin                         # tests/sampled: real Austin 1.x samples of CPython 3.6-3.8
    tmux                           # tests/robust: Ctrl-C at pstatsh's readline prompt
    chromium chromium-driver python3-selenium   # tests/html: prof2html's pages in headless Chromium
    nodejs                         # tests/html: node --check on the page's script
)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
    echo "deps: all ${#packages[@]} packages present"
    exit 0
fi
echo "deps: installing ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
