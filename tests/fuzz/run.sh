#!/usr/bin/env bash
# make fuzz FUZZ_SECONDS=N: build every libFuzzer target tests/fuzz/fuzz_*.c
# with clang -fsanitize=fuzzer,address,undefined and run each for N seconds
# (make fuzz: default 60), seeded from the real dumps in tests/dumps/ and data/ (the
# shell target: from the command scripts in tests/pstats/scripts/).
#
#   bash tests/fuzz/run.sh SECONDS [TARGET...]     e.g. run.sh 300 load shell
#   (without arguments -- as make check runs every tests/*/run.sh -- it does nothing)
#
# Everything goes under build/fuzz/: the instrumented library and targets,
# corpus/TARGET (grows from run to run; not committed), artifacts/TARGET.
# A crash, leak, timeout or out-of-memory input found is copied to
# tests/fuzz/regress/TARGET/ -- replayed by `make check` from then on
# (tests/robust/run.sh) -- and the script exits non-zero.  Reproduce one with
#   build/fuzz/TARGET tests/fuzz/regress/TARGET/FILE
# Environment: CLANG (default clang), FUZZ_JOBS (targets run in parallel,
# default 1), FUZZ_FLAGS (more libFuzzer flags).
set -u
cd "$(dirname "$0")/../.."
ROOT=$PWD
# make check runs every tests/*/run.sh without arguments: fuzzing is not part
# of it (tests/robust/run.sh replays tests/fuzz/regress/); make fuzz always
# passes the seconds.
if [ $# -eq 0 ]; then
    echo "fuzz: not run by make check (use make fuzz FUZZ_SECONDS=N); regressions: tests/robust"
    echo "0 passed, 0 failed"
    exit 0
fi
SECONDS_EACH=$1
shift
CLANG=${CLANG:-clang}
JOBS=${FUZZ_JOBS:-1}
OUT=$ROOT/build/fuzz
PKGS="zlib libpcre2-8 readline libcgraph libgvc jansson libprotobuf-c"

if ! command -v "$CLANG" >/dev/null; then
    echo "fuzz: $CLANG not found (make deps installs clang and libclang-rt-14-dev)"; exit 1
fi
mkdir -p "$OUT/obj" "$OUT/corpus" "$OUT/artifacts" "$OUT/logs"

PKG_CFLAGS=$(pkg-config --cflags $PKGS) || { echo "fuzz: pkg-config: a package of $PKGS is missing (make deps)"; exit 1; }
PKG_LIBS=$(pkg-config --libs $PKGS)
SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
CFLAGS="-std=c11 -D_GNU_SOURCE -Wall -Wextra $([ "${WERROR:-}" = 1 ] && echo -Werror) -Iinclude -Isrc -Ibuild/gen $PKG_CFLAGS -g -O1 $SAN"

# ---- the library, instrumented for coverage ---------------------------------------
echo "fuzz: building the instrumented library in $OUT/"
lib_objs=()
# every library source (src/ and its subdirectories, not the programs of src/cli/)
while IFS= read -r src; do
    obj=$OUT/obj/${src#src/}; obj=${obj%.c}.o
    mkdir -p "$(dirname "$obj")"
    if [ ! -f "$obj" ] || [ "$src" -nt "$obj" ] || \
       [ -n "$(find include src -name '*.h' -newer "$obj" -print -quit)" ]; then
        if ! $CLANG $CFLAGS -fsanitize=fuzzer-no-link -c "$src" -o "$obj" 2>"$OUT/logs/$(basename "$src").log"; then
            echo "fuzz: note: $src does not compile (work in progress?) -- left out; see $OUT/logs/"
            rm -f "$obj"; continue
        fi
    fi
    lib_objs+=("$obj")
done < <(make -s build/gen/profile.pb-c.c build/gen/profile.pb-c.h >&2   # pprof's messages (protoc-c)
         { find src -name '*.c' ! -path 'src/cli/*'; echo build/gen/profile.pb-c.c; } | sort)
# An archive: a target links only the objects it needs, so a half-written
# part of the library elsewhere does not stop it.
rm -f "$OUT/libpstats-fuzz.a"
ar rcs "$OUT/libpstats-fuzz.a" "${lib_objs[@]}"

# ---- targets -------------------------------------------------------------------------
if [ $# -gt 0 ]; then targets=("$@"); else
    targets=(); for f in tests/fuzz/fuzz_*.c; do t=${f##*/fuzz_}; targets+=("${t%.c}"); done
fi

# seeds TARGET DIR: fill DIR with the starting inputs of TARGET
dump_seeds() {
    find tests/dumps data -type f ! -name '*.py' ! -name '*.sh' ! -name '*.md' -size -70k
}
seeds() {
    local t=$1 dir=$2
    case $t in
    shell)
        for f in tests/pstats/scripts/*.cmd; do [ -f "$f" ] && cp "$f" "$dir/"; done
        printf 'sort cumulative\nstats 10\ncallers 0.5 re\ncallees __init__ 3\n' > "$dir/seed-basic"
        printf 'add b.prof\nsort time name\nreverse\nstrip\nstats\ndump out.prof\nread out.prof\nstats 5\n' > "$dir/seed-add"
        printf 'export callgrind out --recursion=drop\nexport dot out\nexport folded out\n?\nhelp stats\n\nEOF\n' > "$dir/seed-export"
        ;;
    sampled)   # the first byte picks the format: 0 folded, 1 Austin, 2 plop
        for f in tests/sampled/data/*; do
            case $f in *.austin) b='\001' ;; *.plop) b='\002' ;; *) b='\000' ;; esac
            { printf "$b"; head -c 60000 "$f"; } > "$dir/$(basename "$f")"
        done ;;
    *)  dump_seeds | while read -r f; do cp "$f" "$dir/$(echo "$f" | tr / _)"; done ;;
    esac
    if [ -d "tests/fuzz/regress/$t" ]; then cp tests/fuzz/regress/$t/* "$dir/" 2>/dev/null; fi
}

build_target() {   # TARGET -> $OUT/TARGET
    local t=$1
    $CLANG $CFLAGS -fsanitize=fuzzer -Itests/fuzz "tests/fuzz/fuzz_$t.c" "$OUT/libpstats-fuzz.a" \
        $PKG_LIBS -lm -o "$OUT/$t" 2>"$OUT/logs/fuzz_$t.log"
}

run_target() {   # TARGET: prints one summary line
    local t=$1 maxlen=70000 extra=()
    case $t in shell) maxlen=4096; extra=(-dict=$ROOT/tests/fuzz/shell.dict) ;; esac
    mkdir -p "$OUT/corpus/$t" "$OUT/artifacts/$t"
    seeds "$t" "$OUT/corpus/$t"
    local log=$OUT/logs/run_$t.log
    # Inputs are at most 70 kB: more than 256 MB in one allocation or 1.5 GB
    # in all is a size check missing, and is reported like a crash.
    FUZZ_WORKDIR= ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} \
    "$OUT/$t" "$OUT/corpus/$t" -max_total_time="$SECONDS_EACH" -max_len=$maxlen \
        -timeout=10 -rss_limit_mb=1536 -malloc_limit_mb=256 -use_value_profile=1 \
        -print_final_stats=1 -artifact_prefix="$OUT/artifacts/$t/" "${extra[@]}" \
        ${FUZZ_FLAGS:-} >"$log" 2>&1
    local rc=$?
    local execs cov
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
    cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -1)
    local found=0
    for a in "$OUT/artifacts/$t"/*; do
        [ -f "$a" ] || continue
        mkdir -p "tests/fuzz/regress/$t"
        cp "$a" "tests/fuzz/regress/$t/$(basename "$a")"
        rm -f "$a"
        found=$((found + 1))
    done
    printf 'fuzz %-10s %8s executions in %ss, %s, corpus %s, exit %s, %s new finding(s)%s\n' \
        "$t" "${execs:-?}" "$SECONDS_EACH" "${cov:-cov ?}" "$(ls "$OUT/corpus/$t" | wc -l)" \
        "$rc" "$found" "$([ $found -gt 0 ] && echo " -> tests/fuzz/regress/$t/ (log: $log)")"
    [ $found -eq 0 ] && [ $rc -eq 0 ]
}

runnable=()
for t in "${targets[@]}"; do
    if [ ! -f "tests/fuzz/fuzz_$t.c" ]; then echo "fuzz: no target tests/fuzz/fuzz_$t.c"; exit 2; fi
    if build_target "$t"; then runnable+=("$t")
    else echo "fuzz: note: target $t does not build (its library part missing?) -- skipped; see $OUT/logs/fuzz_$t.log"; fi
done
[ ${#runnable[@]} -gt 0 ] || { echo "fuzz: nothing to run"; exit 1; }
echo "fuzz: running ${runnable[*]} for ${SECONDS_EACH}s each ($JOBS at a time)"
export -f run_target seeds dump_seeds
export OUT SECONDS_EACH ROOT
fail=0
if [ "$JOBS" -gt 1 ]; then
    printf '%s\n' "${runnable[@]}" | xargs -P "$JOBS" -I{} bash -c 'run_target {}' || fail=1
else
    for t in "${runnable[@]}"; do run_target "$t" || fail=1; done
fi
[ $fail -eq 0 ] && echo "fuzz: no findings" || echo "fuzz: FINDINGS (see above); fix them, then commit the inputs in tests/fuzz/regress/"
exit $fail
