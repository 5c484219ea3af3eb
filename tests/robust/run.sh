#!/usr/bin/env bash
# Robustness suite (make check; make SANITIZE=1 check runs it on the
# sanitized build).  Ends with "N passed, N failed"; exit status 1 on failure.
#
#  1. corruption, in process: build/robust/corrupt truncates 9 real dumps of
#     different writers at every byte offset, every other dump in tests/dumps/
#     and data/ at 48 offsets, and makes 3000 random corruptions (fixed seeds);
#     every input must fail with a well-formed error or load and report.
#     Quick tier (tests/tier.sh): those 9 at 192 offsets and 500 random
#     corruptions, unless PSTATS_TRUNCATE=every (make check-full's sanitized pass).
#  2. fuzz regressions: every input in tests/fuzz/regress/TARGET/ replayed
#     through its target (build/robust/fuzz_TARGET, plain main, this build's
#     sanitizers): no crash, no sanitizer report.
#  3. corruption, through the programs: 90 corrupted dumps (build/robust/corrupt
#     --write) and hostile ones made here (gzip bomb, nesting beyond 2000,
#     lying lengths, a dict shared by reference) through every program in
#     build/ with a 10-second timeout and a memory limit: exit 0, or exit
#     non-zero with exactly one line on stderr, "PROG: FILE: ..."; never a
#     signal, a hang or a sanitizer report.
#  4. pipes: each program writing a big report into `head -1` ends quietly
#     (pstatsh also with SIGPIPE ignored).
#  5. atomic output: profmerge and pstatsh's dump killed mid-write (kill -9;
#     SIGTERM/SIGINT/SIGHUP) leave the previous output byte-identical, and a
#     caught signal leaves no temporary behind.
#  6. SIGINT at pstatsh's prompt (tmux) drops the line, the session goes on.
#
# Memory: ulimit -v 2 GiB on a plain build; ASan reserves terabytes of
# address space, so a sanitized build gets ASAN_OPTIONS hard_rss_limit_mb.
set -u
cd "$(dirname "$0")/../.."
ROOT=$PWD
. tests/tier.sh
pass=0 fail=0 notes=()
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
note() { notes+=("$*"); }
T=$(mktemp -d "${TMPDIR:-/tmp}/robust.XXXXXX")
TMUX_SOCK=robust$$
cleanup() {
    command -v tmux >/dev/null && tmux -L "$TMUX_SOCK" kill-server 2>/dev/null
    rm -rf "$T"
}
trap cleanup EXIT

SAN=0
[ -f build/.flavour-san ] && SAN=1
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:hard_rss_limit_mb=2048}
# Graphviz's font and plugin caches are never freed (a replayed fuzz_shell input may draw a
# graph): not ours to report (tests/lsan.supp)
export LSAN_OPTIONS="${LSAN_OPTIONS:+$LSAN_OPTIONS:}suppressions=$PWD/tests/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
export PSTATSH_HISTORY=
SAN_RE='ERROR: AddressSanitizer|ERROR: LeakSanitizer|runtime error:|SUMMARY: [A-Za-z]*Sanitizer|Sanitizer CHECK failed'
MEM_KB=$((2 * 1024 * 1024))
t_start=$(date +%s)

# limited CMD...: run with the time and memory bounds
limited() {
    if [ $SAN -eq 1 ]; then timeout -k 5 10 "$@"
    else (ulimit -v $MEM_KB; exec timeout -k 5 10 "$@"); fi
}

for b in build/robust/corrupt; do
    [ -x "$b" ] || { echo "robust: $b missing (make check builds it)"; echo "0 passed, 1 failed"; exit 1; }
done

# ---- 1. corruption in process -----------------------------------------------------------
corrupt_args=()
if ! tier_full && [ "${PSTATS_TRUNCATE:-}" != every ]; then corrupt_args=(--sampled --flips 500); fi
out=$(build/robust/corrupt "${corrupt_args[@]}" 2>&1); rc=$?
line=$(printf '%s\n' "$out" | grep -E '^[0-9]+ passed, [0-9]+ failed' | tail -1)
printf '%s\n' "$out" | grep '^corrupt:' | sed 's/^/  /'
if [ -n "$line" ]; then
    p=${line%% passed*}; f=${line#*, }; f=${f%% failed*}
    pass=$((pass + p)); fail=$((fail + f))
    [ "$f" -ne 0 ] && printf '%s\n' "$out" | grep '^FAIL' | head -20
    [ $rc -ne 0 ] && [ "$f" -eq 0 ] && bad "corrupt exited $rc"
else
    bad "corrupt crashed (exit $rc):"; printf '%s\n' "$out" | tail -30
fi

# ---- 2. fuzz regressions ------------------------------------------------------------------
nreg=0
for d in tests/fuzz/regress/*/; do
    [ -d "$d" ] || continue
    t=$(basename "$d")
    bin=build/robust/fuzz_$t
    if [ ! -x "$bin" ]; then bad "no replay binary $bin for $d"; continue; fi
    mkdir -p "$T/work-$t"
    for f in "$d"*; do
        [ -f "$f" ] || continue
        nreg=$((nreg + 1))
        FUZZ_WORKDIR=$T/work-$t limited "$bin" "$ROOT/$f" >"$T/reg.out" 2>&1; rc=$?   # (absolute: fuzz_shell works in a directory of its own)
        # (grep only what is there: a process costs ~5 ms of CPU on a small VM)
        if [ $rc -ne 0 ] || { [ -s "$T/reg.out" ] && grep -qE "$SAN_RE" "$T/reg.out"; }; then
            bad "fuzz regression $f (exit $rc):"; tail -20 "$T/reg.out"
        else ok; fi
    done
done

# ---- 3. corruption through the programs -------------------------------------------------
S=$T/samples
mkdir -p "$S" "$T/out"
build/robust/corrupt --write "$S" "$(tier_full && echo 90 || echo 30)" || bad "corrupt --write failed"
python3 - "$S" <<'EOF' || bad "could not make the hostile samples"
import gzip, struct, sys, zlib
d = sys.argv[1]
def w(name, data): open(f"{d}/{name}", "wb").write(data)
def key(i): return b")\x03z\x04a.py" + b"i" + struct.pack("<i", i) + b"z\x01f"
entry = b"(\x05\x00\x00\x00i\x01\x00\x00\x00i\x01\x00\x00\x00g" + bytes(8) + b"g" + bytes(8)
w("zz-deep-2001", b"{" + b")\x01" * 2001 + b"N" + entry + b"{0" + b"0")
w("zz-deep-1999", b"{" + b")\x01" * 1999 + b"N" + entry + b"{0" + b"0")
w("zz-deep-list", b"[\x01\x00\x00\x00" * 100000 + b"N")
w("zz-deep-code", b"c" + b"\x00" * 24 + b"c" * 3000)
def code(n):   # a 3.11-layout code object with another in its co_consts, n deep
    head = b"c" + bytes(20) + b"s\0\0\0\0"
    tail = (b")\x00)\x00s\0\0\0\0z\x01fz\x01nz\x01q" + struct.pack("<i", 1) +
            b"s\0\0\0\0s\0\0\0\0")
    return (head + b")\x01") * n + head + b")\x00" + tail * (n + 1)
for n in (997, 999):   # 2 levels each, with the key: 1996 levels (loads) and 2000 (refused)
    w("zz-deep-code-%d" % n, b"{)\x03z\x01fi\x01\x00\x00\x00" + code(n) + entry + b"{00")
for code, lie in [(b"(", 0x7fffffff), (b"[", 0x7fffffff), (b"s", 0x7fffffff), (b"u", 0x7ffffff0),
                  (b"l", 0x7fffffff), (b"l", -0x7fffffff), (b"<", 0x7fffffff), (b"r", 0x7fffffff)]:
    w("zz-lie-%s-%x" % (chr(code[0]).replace("<", "set"), lie & 0xffffffff),
      b"{" + key(1) + code + struct.pack("<i", lie) + b"N" * 64)
# 1990 nested tuples, each claiming every byte left: unless a count is held to the bytes
# the enclosing tuples do not still owe, their item slots take ~3 GB and 30 s for 200 kB
b = bytearray(b"{" + key(1))
for _ in range(1990):
    b += b"(" + struct.pack("<i", 200000 - len(b) - 5)
w("zz-lie-owed", bytes(b + b"N" * (200000 - len(b))))
w("zz-lie-nested", b"{" + key(1) + b"(\x05\x00\x00\x00" + b"(\xff\xff\xff\x7f" * 50)
w("zz-ref-forward", b"{" + key(1) + b"r\x05\x00\x00\x000")
w("zz-ref-self", b"{\xa9\x03r\x00\x00\x00\x00i\x01\x00\x00\x00z\x01f" + entry + b"{00")
# a gzip bomb: 300 MiB of zeros in ~300 kB (the readers stop at 64 MiB here)
c = zlib.compressobj(1, zlib.DEFLATED, 31)
w("zz-bomb.gz", b"".join([c.compress(bytes(1 << 20)) for _ in range(300)] + [c.flush()]))
w("zz-gzip-trailing-garbage.gz", gzip.compress(open("data/restats", "rb").read()) + b"garbage")
w("zz-empty", b"")
EOF
cp tests/fuzz/regress/load/shared-callers-dict.prof "$S/zz-shared-dict" 2>/dev/null
nsamples=$(ls "$S" | wc -l)

# check_run PROG FILE CMD...: one program on one input
check_run() {
    local prog=$1 file=$2; shift 2
    limited "$@" >"$T/stdout" 2>"$T/stderr" </dev/null; local rc=$?
    # stderr read by the shell itself (read, =~, expansions): three programs fewer
    # per run, of the ~2,000 this section starts.  n counts newlines, as wc -l does:
    # an error line without its newline is not a line
    local err= n nl
    [ -s "$T/stderr" ] && IFS= read -r -d '' err <"$T/stderr"
    nl=${err//[!$'\n']/}; n=${#nl}
    if [[ -n $err && $err =~ $SAN_RE ]]; then
        bad "$prog $file: sanitizer report:"; head -30 "$T/stderr"; return
    fi
    if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then bad "$prog $file: no answer within 10 s"; return; fi
    if [ $rc -ge 128 ]; then bad "$prog $file: killed by signal $((rc - 128))"; return; fi
    if [ $rc -ne 0 ]; then
        local first=${err%%$'\n'*}
        if [ "$n" -ne 1 ]; then
            bad "$prog $file: exit $rc with $n lines on stderr:"; head -5 "$T/stderr"; return
        fi
        case $first in
        "$prog: $file: "?*) ;;
        *) bad "$prog $file: error line not 'PROG: FILE: message': $first"; return ;;
        esac
    fi
    ok
}

programs=()
for p in pstatsh profmerge prof2dot prof2callgrind prof2folded prof2html; do
    if [ -x "build/$p" ]; then programs+=("$p"); else note "build/$p missing: not tested"; fi
done
for f in "$S"/*; do
    for p in "${programs[@]}"; do
        case $p in
        pstatsh)        check_run "$p" "$f" build/pstatsh -c 'sort cumulative' -c 'stats 5' -c 'callers 3' "$f" ;;
        profmerge)      check_run "$p" "$f" build/profmerge "$f" -o "$T/out/merged.prof" ;;
        prof2dot)       check_run "$p" "$f" build/prof2dot "$f" -o "$T/out/graph.dot" ;;
        prof2callgrind) check_run "$p" "$f" build/prof2callgrind -q "$f" -o "$T/out/cg.out" ;;
        prof2folded)    check_run "$p" "$f" build/prof2folded "$f" -o "$T/out/stacks.txt" ;;
        prof2html)      check_run "$p" "$f" build/prof2html "$f" -o "$T/out/page.html" ;;
        esac
    done
done
# memory in proportion to the input: the 200 kB of zz-lie-owed in 64 MB (its nested
# counts took 2-3 GB before a count was held to what the enclosing tuples still owe)
if [ $SAN -eq 0 ] && [ -x /usr/bin/time ]; then
    limited /usr/bin/time -f %M -o "$T/rss" build/pstatsh -c 'stats 5' "$S/zz-lie-owed" >/dev/null 2>&1
    rss=$(tail -n 1 "$T/rss")
    if [ "${rss:-0}" -gt 0 ] && [ "$rss" -lt 65536 ]; then ok
    else bad "pstatsh zz-lie-owed: peak ${rss:-?} kB for a 200 kB file (expected under 64 MB)"; fi
fi
if ls -A "$T/out" | grep -q '\.tmp'; then bad "temporaries left in the output directory: $(ls -A "$T/out")"; else ok; fi

# ---- a big dump for the pipe and kill tests -------------------------------------------------
BIG=build/robust/big.prof
if [ ! -s "$BIG" ] && [ -f tests/bench/gen_synth.py ]; then
    python3 tests/bench/gen_synth.py 50000 300000 "$BIG.part" >/dev/null && mv "$BIG.part" "$BIG"
fi
if [ ! -s "$BIG" ]; then
    note "no big dump (tests/bench/gen_synth.py missing?): pipe and kill tests skipped"
else

# ---- 4. pipes ------------------------------------------------------------------------------
# pipe_quiet NAME IGNORE CMD...: CMD | head -1 must end quietly
pipe_quiet() {
    local name=$1 ign=$2; shift 2
    : >"$T/perr"
    if [ "$ign" = 1 ]; then
        (trap '' PIPE; timeout -k 5 20 "$@" 2>"$T/perr"; echo $? >"$T/prc") | head -n 1 >/dev/null
    else
        (timeout -k 5 20 "$@" 2>"$T/perr"; echo $? >"$T/prc") | head -n 1 >/dev/null
    fi
    local rc; rc=$(cat "$T/prc")
    if [ -s "$T/perr" ]; then bad "$name | head -1 (SIGPIPE $([ "$ign" = 1 ] && echo ignored || echo default)): said: $(head -c 300 "$T/perr")"
    elif [ "$rc" -ne 0 ] && [ "$rc" -ne 141 ] && [ "$rc" -ne 1 ]; then bad "$name | head -1: exit $rc"
    else ok; fi
}
# pstatsh is quiet with SIGPIPE ignored too (EPIPE is not an error there);
# the other programs may say "Broken pipe" then, as most tools do.
pipe_quiet "pstatsh -c stats" 0 build/pstatsh -c stats "$BIG"
pipe_quiet "pstatsh -c stats" 1 build/pstatsh -c stats "$BIG"
[ -x build/prof2folded ] && pipe_quiet "prof2folded" 0 build/prof2folded "$BIG"
[ -x build/prof2html ] && pipe_quiet "prof2html" 0 build/prof2html "$BIG"
[ -x build/prof2callgrind ] && pipe_quiet "prof2callgrind -o -" 0 build/prof2callgrind -q -o - "$BIG"
[ -x build/prof2dot ] && pipe_quiet "prof2dot -n0 -e0" 0 build/prof2dot -n0 -e0 "$BIG"
[ -x build/profmerge ] && pipe_quiet "profmerge -o -" 0 build/profmerge "$BIG" -o -

# ---- 5. atomic output ------------------------------------------------------------------------
# kill_mid_write NAME SIG OUT CMD...: start CMD, wait for data in its temporary
# beside OUT, stop it there, send SIG; OUT must be unchanged.  Returns 2 when the
# write could not be caught (retried by the caller).
kill_mid_write() {
    local name=$1 sig=$2 out=$3; shift 3
    local dir base
    dir=$(dirname "$out"); base=$(basename "$out")
    rm -f "$dir"/."$base".tmp*
    printf 'the previous output\n' >"$out"; cp "$out" "$T/expected"
    "$@" >/dev/null 2>"$T/kerr" &
    local pid=$! caught=0 i
    # mid-write: the temporary exists and has data in it
    local tmps=()
    for ((i = 0; i < 200000; i++)); do
        tmps=("$dir/.$base".tmp*)
        if [ -s "${tmps[0]}" ]; then
            kill -STOP "$pid" 2>/dev/null
            [ -e "${tmps[0]}" ] && caught=1
            break
        fi
        kill -0 "$pid" 2>/dev/null || break
    done
    if [ $caught -eq 0 ]; then kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; return 2; fi
    kill -"$sig" "$pid"; kill -CONT "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    if ! cmp -s "$out" "$T/expected"; then bad "$name killed by SIG$sig mid-write: the previous output changed"; return 0; fi
    if [ "$sig" != KILL ] && compgen -G "$dir/.$base.tmp*" >/dev/null; then
        rm -f "$dir"/."$base".tmp*
        case $CLEANUP_PENDING in
        *" ${name%% *} "*) note "$name killed by SIG$sig mid-write leaves its temporary (needs src/cli/cleanup.h)"; ok; return 0 ;;
        esac
        bad "$name killed by SIG$sig mid-write: temporary left behind"; return 0
    fi
    if grep -qE "$SAN_RE" "$T/kerr"; then bad "$name SIG$sig: sanitizer report"; head -20 "$T/kerr"; return 0; fi
    rm -f "$dir"/."$base".tmp*
    ok
}
# Programs that do not remove their temporary on a signal yet (they should
# include src/cli/cleanup.h): a temporary left behind is a note, not a failure.
CLEANUP_PENDING=" prof2dot "
mkdir -p "$T/kill"
# The signals are reset to their default for the program: a background job
# starts with SIGINT ignored, and under nohup with SIGHUP ignored -- which the
# programs rightly keep ignoring (nohup's contract), so the test would see the
# write finish and the output change.
for what in profmerge pstatsh prof2dot prof2callgrind prof2folded prof2html; do
    [ -x "build/$what" ] || continue
    case $what in profmerge|pstatsh) sigs="KILL TERM INT HUP" ;; *) sigs="KILL TERM" ;; esac
    for sig in $sigs; do
        r=2
        for try in 1 2 3; do
            case $what in
            profmerge) kill_mid_write "profmerge -z" $sig "$T/kill/merged.prof" env --default-signal=INT,HUP,TERM build/profmerge -z "$BIG" -o "$T/kill/merged.prof" ;;
            pstatsh)   kill_mid_write "pstatsh -c dump" $sig "$T/kill/dump.prof" env --default-signal=INT,HUP,TERM build/pstatsh -c "dump $T/kill/dump.prof" "$BIG" ;;
            prof2dot)  kill_mid_write "prof2dot" $sig "$T/kill/graph.dot" build/prof2dot -n0 -e0 "$BIG" -o "$T/kill/graph.dot" ;;
            prof2callgrind) kill_mid_write "prof2callgrind" $sig "$T/kill/cg.out" build/prof2callgrind -q "$BIG" -o "$T/kill/cg.out" ;;
            prof2folded) kill_mid_write "prof2folded" $sig "$T/kill/stacks.txt" build/prof2folded "$BIG" -o "$T/kill/stacks.txt" ;;
            prof2html) kill_mid_write "prof2html" $sig "$T/kill/page.html" build/prof2html "$BIG" -o "$T/kill/page.html" ;;
            esac
            r=$?
            [ $r -ne 2 ] && break
        done
        [ $r -eq 2 ] && note "$what: could not catch the write in progress for SIG$sig (3 tries): not tested"
    done
done
fi   # big dump

# ---- 6. SIGINT at the prompt ------------------------------------------------------------------
if command -v tmux >/dev/null; then
    tx() { tmux -L "$TMUX_SOCK" "$@"; }
    if tx new-session -d -s t -x 160 -y 50 "build/pstatsh data/restats; echo SESSION-ENDED; sleep 30" 2>"$T/tmux.err"; then
        wait_for() {   # TEXT: up to 10 s
            local i
            for ((i = 0; i < 100; i++)); do
                tx capture-pane -t t -p -S -100 2>/dev/null | grep -qF -- "$1" && return 0
                sleep 0.1
            done
            return 1
        }
        wait_for 'data/restats%' || bad "tmux: no prompt: $(tx capture-pane -t t -p | head -5)"
        tx send-keys -t t 'callers this-line-is-dropped'
        wait_for 'this-line-is-dropped'
        tx send-keys -t t C-c
        sleep 0.3
        tx send-keys -t t 'stats 3' Enter
        if wait_for 'due to restriction <3>'; then
            screen=$(tx capture-pane -t t -p -S -100)
            if grep -q 'SESSION-ENDED' <<<"$screen"; then bad "C-c at the prompt ended the session"
            elif grep -q "restriction <'this-line-is-dropped'>" <<<"$screen"; then bad "C-c did not drop the line"
            else ok; fi
        else
            bad "after C-c at the prompt, 'stats 3' did not run: $(tx capture-pane -t t -p | tail -8)"
        fi
        tx send-keys -t t 'quit' Enter
        wait_for 'SESSION-ENDED' && ok || bad "quit after C-c did not end the session"
        tx kill-server 2>/dev/null
    else
        note "tmux could not start a session ($(head -c 200 "$T/tmux.err")): prompt SIGINT test skipped"
    fi
else
    note "tmux missing: prompt SIGINT test skipped (make deps installs it)"
fi

for n in "${notes[@]}"; do echo "note: $n"; done
echo "robust: $nsamples program inputs x ${#programs[@]} programs, $nreg fuzz regressions, sanitized=$SAN, $(( $(date +%s) - t_start ))s"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
