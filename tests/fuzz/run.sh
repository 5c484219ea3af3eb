#!/usr/bin/env bash
# The libFuzzer targets tests/fuzz/fuzz_*.c, built with clang
# -fsanitize=fuzzer,address,undefined against an instrumented library.
#
#   bash tests/fuzz/run.sh SECONDS [TARGET...]   fuzz each target SECONDS (make fuzz FUZZ_SECONDS=N);
#                                                FUZZ_RUNS=N stops a target at N executions first
#   bash tests/fuzz/run.sh --smoke [SECONDS] [TARGET...]
#                                                each target SECONDS (30) on the committed seeds
#                                                only, in a scratch corpus: make check-full's run
#   bash tests/fuzz/run.sh --build [TARGET...]  build them, run nothing
#   bash tests/fuzz/run.sh --replay [TARGET...] every input of the kept corpus once, under
#                                                ASan+UBSan (after a FUZZ_SAN=ub campaign)
#   FUZZ_SAN=ub bash tests/fuzz/run.sh SECONDS [TARGET...]
#                                                a campaign built with UBSan only, in
#                                                build/fuzz-ub/ (same corpus; see below)
#   (without arguments, as tests/check.sh runs every tests/*/run.sh: the smoke run in the
#   full tier, nothing in the quick tier)
#
# Seeds: tests/fuzz/seeds/TARGET/ (small files; the dump targets share seeds/dumps/) and
# tests/fuzz/regress/TARGET/.  The corpus is kept between runs in build/fuzz-corpus/TARGET
# (FUZZ_CORPUS=DIR moves it; outside git).  Each target has a -max_len that fits its format
# (max_len below); the harnesses bound the work per input (fuzz_common.h).  Everything else
# goes under build/fuzz/: the instrumented library and targets, logs/, artifacts/TARGET.
# A crash, leak, timeout or out-of-memory input found by a fuzzing run is copied to
# tests/fuzz/regress/TARGET/ -- replayed by `make check` from then on (tests/robust/run.sh)
# -- and the script exits non-zero (a smoke run leaves it in build/fuzz/artifacts/).
# Reproduce one with  build/fuzz/TARGET FILE
# Environment: CLANG (default clang), FUZZ_JOBS (targets run in parallel, default 1),
# FUZZ_FLAGS (more libFuzzer flags), FUZZ_RUNS, FUZZ_CORPUS, FUZZ_SAN (asan or ub).
#
# Depth on a small machine: ASan costs the targets two to four times their speed (its
# shadow memory, quarantine and checks on every access).  A long campaign can run the
# UBSan-only build (FUZZ_SAN=ub: undefined behaviour, crashes, hangs and memory limits
# are still caught) and then --replay its corpus under ASan+UBSan: every input that
# reached new coverage is run once with the memory checks.  The ledger says which build
# made each run's executions.
set -u
cd "$(dirname "$0")/../.."
ROOT=$PWD
# tests/check.sh runs every tests/*/run.sh without arguments: the smoke run in the full
# tier (make check-full), nothing in the quick tier (tests/robust/run.sh replays
# tests/fuzz/regress/ there).
SMOKE=0
if [ $# -eq 0 ]; then
    source tests/tier.sh
    if ! tier_full; then
        echo "fuzz: not run in the quick tier (make check-full smokes every target; make fuzz FUZZ_SECONDS=N fuzzes); regressions: tests/robust"
        echo "0 passed, 0 failed"
        exit 0
    fi
    set -- --smoke
fi
BUILD_ONLY=0 REPLAY=0
if [ "$1" = --build ]; then BUILD_ONLY=1; shift; set -- 0 "$@"; fi
if [ "$1" = --replay ]; then
    REPLAY=1; shift; set -- 0 "$@"
    [ "${FUZZ_SAN:-asan}" = asan ] || { echo "fuzz: --replay runs the ASan build (FUZZ_SAN=asan)"; exit 2; }
fi
if [ "$1" = --smoke ]; then
    SMOKE=1; shift
    SECONDS_EACH=30
    case ${1:-} in [0-9]*) SECONDS_EACH=$1; shift ;; esac
else
    SECONDS_EACH=$1
    shift
fi
CLANG=${CLANG:-clang}
JOBS=${FUZZ_JOBS:-1}
# FUZZ_SAN=ub: a campaign build with UndefinedBehaviorSanitizer only (no ASan), in
# build/fuzz-ub/ (why: the "Depth on a small machine" paragraph above)
FLAVOUR=${FUZZ_SAN:-asan}
case $FLAVOUR in
    asan) OUT=$ROOT/build/fuzz ;;
    ub)   OUT=$ROOT/build/fuzz-ub ;;
    *) echo "fuzz: FUZZ_SAN=$FLAVOUR: expected asan or ub"; exit 2 ;;
esac
PKGS="zlib libpcre2-8 readline libcgraph libgvc jansson libprotobuf-c"

CORPUS=${FUZZ_CORPUS:-$ROOT/build/fuzz-corpus}
# skip WHY: no fuzzer here -- a smoke run passes with a line saying so, a fuzzing run fails
skip() {
    if [ $SMOKE = 1 ]; then echo "fuzz: smoke run skipped: $1"; echo "0 passed, 0 failed"; exit 0; fi
    echo "fuzz: $1"; exit 1
}
command -v "$CLANG" >/dev/null || skip "$CLANG not found (make deps installs clang and libclang-rt-14-dev)"
mkdir -p "$OUT/obj" "$OUT/artifacts" "$OUT/logs"
printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { (void)d; (void)n; return 0; }\n' \
    > "$OUT/probe.c"
$CLANG -fsanitize=fuzzer,address,undefined "$OUT/probe.c" -o "$OUT/probe" >"$OUT/logs/probe.log" 2>&1 ||
    skip "$CLANG cannot link libFuzzer (make deps installs libclang-rt-14-dev; see $OUT/logs/probe.log)"

PKG_CFLAGS=$(pkg-config --cflags $PKGS) || { echo "fuzz: pkg-config: a package of $PKGS is missing (make deps)"; exit 1; }
PKG_LIBS=$(pkg-config --libs $PKGS)
SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
[ "$FLAVOUR" = ub ] && SAN="-fsanitize=undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
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

build_target() {   # TARGET -> $OUT/TARGET
    local t=$1
    $CLANG $CFLAGS -fsanitize=fuzzer -Itests/fuzz "tests/fuzz/fuzz_$t.c" "$OUT/libpstats-fuzz.a" \
        $PKG_LIBS -lm -o "$OUT/$t" 2>"$OUT/logs/fuzz_$t.log"
}

# The committed seeds of TARGET (the dump targets share seeds/dumps/) and its regressions.
seed_dirs() {
    local t=$1
    if [ -d "tests/fuzz/seeds/$t" ]; then echo "tests/fuzz/seeds/$t"; else echo tests/fuzz/seeds/dumps; fi
    [ -d "tests/fuzz/regress/$t" ] && echo "tests/fuzz/regress/$t"
}
# -max_len: what the format needs to reach every path, and little more (a dump of a few
# functions is under 1 kB; a diff input holds two; shell: 16 short command lines).
max_len() {
    case $1 in shell) echo 512 ;; diff) echo 8192 ;; *) echo 4096 ;; esac
}

run_target() {   # TARGET: prints one summary line
    local t=$1 extra=() corpus dirs=() vp=0
    # No value profile (libFuzzer's features for the operands of comparisons):
    # with it, libFuzzer's own bookkeeping of its features (entropic's
    # UpdateFeatureFrequency) became most of the time -- 15,000 inputs of the
    # smoke corpora: diff 5.9 -> 2.1 s of CPU, dot 5.2 -> 1.4, folded 3.5 x
    # faster, shell ~440 -> ~900 per CPU second -- while the compares of
    # constant bytes (the formats' type codes) are still fed back to the
    # mutator by its table of recent compares, which does not need it.
    # FUZZ_FLAGS=-use_value_profile=1 brings it back for a run.
    case $t in shell) extra=(-dict=$ROOT/tests/fuzz/shell.dict) ;; esac
    mkdir -p "$OUT/artifacts/$t"
    while read -r d; do dirs+=("$ROOT/$d"); done < <(seed_dirs "$t")
    if [ "$REPLAY" = 1 ]; then   # the kept corpus, each input once
        corpus=$CORPUS/$t; dirs=()
        [ -d "$corpus" ] || { echo "fuzz $t: no kept corpus in $corpus"; return 1; }
        extra+=(-runs=0)
    elif [ "$SMOKE" = 1 ]; then   # the seeds alone, in a scratch corpus
        corpus=$OUT/smoke-corpus/$t; rm -rf "$corpus"; mkdir -p "$corpus"
        rm -f "$OUT/artifacts/$t"/*   # a smoke run's findings are its own
    else
        corpus=$CORPUS/$t; mkdir -p "$corpus"
    fi
    local log=$OUT/logs/run_$t.log
    # More than 256 MB in one allocation or 1.5 GB in all is a size check missing (or a
    # harness cap), and is reported like a crash; so is one input taking 10 s.
    local timer=()
    [ -x /usr/bin/time ] && timer=(/usr/bin/time -o "$OUT/logs/cpu_$t" -f '%U %S')
    # ASan's quarantine of freed memory at 16 MB, not 256: each input frees all it
    # allocated, and recycling a 256 MB quarantine cost fuzz_shell a third of its
    # executions (its page faults and munmaps); a use after free is still caught
    # within the input that frees, which is where the harnesses' work happens.
    # Leak checks skip Graphviz's font and plugin caches (tests/lsan.supp): fuzz_shell's
    # drawn exports share one Graphviz context per process, whose fontconfig state is
    # never freed -- not ours to report (the smoke run of a fresh clone stopped on it).
    # Scratch files in memory (/dev/shm) where there is one: fuzz_shell's `dump` and
    # `export` write through the atomic-output path (fsync, rename) into its working
    # directory, and on a disk it waited on the writes three quarters of the time
    # (~150 executions a wall second in /tmp on ext4, ~600 in /dev/shm).
    local scratch=${TMPDIR:-/tmp}
    [ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ] && scratch=/dev/shm
    TMPDIR=$scratch FUZZ_WORKDIR= ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:quarantine_size_mb=16} \
    LSAN_OPTIONS="${LSAN_OPTIONS:+$LSAN_OPTIONS:}suppressions=$ROOT/tests/lsan.supp:print_suppressions=0" \
    "${timer[@]}" "$OUT/$t" "$corpus" "${dirs[@]}" -max_total_time="$SECONDS_EACH" ${FUZZ_RUNS:+-runs=$FUZZ_RUNS} \
        -max_len="$(max_len "$t")" -timeout=10 -rss_limit_mb=1536 -malloc_limit_mb=256 \
        -use_value_profile=$vp -print_final_stats=1 -artifact_prefix="$OUT/artifacts/$t/" \
        "${extra[@]}" ${FUZZ_FLAGS:-} >"$log" 2>&1
    local rc=$?
    local execs cov secs
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
    secs=$(grep -o 'Done [0-9]* runs in [0-9]* second' "$log" | grep -o '[0-9]* second' | grep -o '[0-9]*' | tail -1)
    cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -1)
    local found=0 where=tests/fuzz/regress/$t
    [ "$SMOKE" = 1 ] && where=$OUT/artifacts/$t
    for a in "$OUT/artifacts/$t"/*; do
        [ -f "$a" ] || continue
        found=$((found + 1))
        [ "$SMOKE" = 1 ] && continue
        mkdir -p "tests/fuzz/regress/$t"
        cp "$a" "tests/fuzz/regress/$t/$(basename "$a")"
        rm -f "$a"
    done
    if [ "$REPLAY" = 1 ]; then   # a replay stops at its first failing input
        printf 'fuzz %-10s replay of %s inputs under ASan+UBSan: exit %s, %s finding(s)%s\n' "$t" \
            "$(ls "$corpus" | wc -l)" "$rc" "$found" "$([ $found -gt 0 ] && echo " -> $where/ (log: $log)")"
        [ $found -eq 0 ] && [ $rc -eq 0 ]
        return
    fi
    # the rate per second of CPU time too: on a shared machine the wall-clock rate says little
    local cpu
    cpu=$(awk 'NF == 2 && $1 ~ /^[0-9.]+$/ { printf "%.1f", $1 + $2 }' "$OUT/logs/cpu_$t" 2>/dev/null)
    # The corpus's ledger: every fuzzing run's executions, so the depth a target has
    # reached over many runs is known (the smoke runs' scratch corpora keep none).
    local total=""
    if [ "$SMOKE" = 0 ] && [ -n "$execs" ]; then
        # date, target, executions, CPU seconds, build (asan: ASan+UBSan, ub: UBSan only)
        printf '%s %s %s %s %s\n' "$(date -u +%FT%TZ)" "$t" "$execs" "${cpu:-?}" "$FLAVOUR" >>"$CORPUS/ledger"
        total=$(awk -v t="$t" '$2 == t { n += $3 } END { printf "%d", n }' "$CORPUS/ledger")
    fi
    printf 'fuzz %-10s %9s executions in %ss (%s/s; %s s CPU: %s/s), %s, corpus %s, exit %s, %s finding(s)%s%s\n' \
        "$t" "${execs:-?}" "${secs:-$SECONDS_EACH}" \
        "$([ -n "$execs" ] && echo $((execs / (${secs:-$SECONDS_EACH} > 0 ? ${secs:-$SECONDS_EACH} : 1))) || echo '?')" \
        "${cpu:-?}" "$([ -n "$execs" ] && [ -n "$cpu" ] && awk -v e="$execs" -v c="$cpu" 'BEGIN { printf "%d", (c > 0 ? e / c : 0) }' || echo '?')" \
        "${cov:-cov ?}" "$(ls "$corpus" | wc -l)" "$rc" "$found" \
        "$([ $found -gt 0 ] && echo " -> $where/ (log: $log)")" \
        "${total:+; $total executions in all on this corpus (ledger: $CORPUS/ledger)}"
    [ $found -eq 0 ] && [ $rc -eq 0 ]
}

runnable=() unbuilt=0
for t in "${targets[@]}"; do
    if [ ! -f "tests/fuzz/fuzz_$t.c" ]; then echo "fuzz: no target tests/fuzz/fuzz_$t.c"; exit 2; fi
    if build_target "$t"; then runnable+=("$t")
    else echo "fuzz: note: target $t does not build (its library part missing?) -- skipped; see $OUT/logs/fuzz_$t.log"
         unbuilt=$((unbuilt + 1)); fi
done
[ ${#runnable[@]} -gt 0 ] || { echo "fuzz: nothing to run"; echo "0 passed, $unbuilt failed"; exit 1; }
if [ $BUILD_ONLY = 1 ]; then echo "fuzz: built ${runnable[*]} in $OUT/"; exit $((unbuilt != 0)); fi
if [ $REPLAY = 1 ]; then echo "fuzz: replaying the kept corpora of ${runnable[*]} under ASan+UBSan"
else echo "fuzz: $([ "$SMOKE" = 1 ] && echo "smoke run of" || echo running) ${runnable[*]} for ${SECONDS_EACH}s each ($JOBS at a time, $FLAVOUR build)"; fi
export -f run_target seed_dirs max_len
export OUT SECONDS_EACH ROOT SMOKE CORPUS REPLAY FLAVOUR
fail=0 failed=0
if [ "$JOBS" -gt 1 ]; then
    printf '%s\n' "${runnable[@]}" | xargs -P "$JOBS" -I{} bash -c 'run_target {}' || fail=1
else
    for t in "${runnable[@]}"; do run_target "$t" || { fail=1; failed=$((failed + 1)); }; done
fi
if [ "$SMOKE" = 1 ]; then
    [ $fail -eq 0 ] && echo "fuzz: no findings" || echo "fuzz: FINDINGS (see above; build/fuzz/logs/)"
    # a target that does not build fails the smoke run: it is committed code
    echo "$((${#runnable[@]} - failed)) passed, $((failed + unbuilt)) failed"
    [ $unbuilt -eq 0 ] || fail=1
else
    [ $fail -eq 0 ] && echo "fuzz: no findings" || echo "fuzz: FINDINGS (see above); fix them, then commit the inputs in tests/fuzz/regress/"
fi
exit $fail
