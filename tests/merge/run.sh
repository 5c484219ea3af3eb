#!/usr/bin/env bash
# profmerge tests.  Ends with "N passed, N failed"; exit 1 on any failure.
#
# Offline (always): every case of cases.txt is merged (marshal version 4, version 2,
# gzip) and checked against goldens recorded from real CPythons (record.sh):
#   - pstatsh's reports of the output == CPython's reports of pstats.Stats(*inputs)
#   - the output is byte-identical to CPython's merged .stats encoded as our writer
#     encodes (3.x cases without code objects)
# then the command line, refusals, --keep-going, file descriptors, atomic output
# (kill -9 / SIGTERM / SIGXFSZ mid-way), and pstatsh's `dump` command.
#
# Live (full tier only, tests/tier.sh; when pyenv's CPythons are there; MERGE_LIVE=0
# skips): the reference
# CPython computes the same statistics as our output holds (every key, count and
# float bit, in order); every CPython 3.6-3.13 loads every output with
# pstats.Stats and prints the golden reports; Python 2.7 loads every
# --marshal-version 2 output; the goldens still match what CPython says.
set -u
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
. tests/tier.sh
. tests/pyserve.sh
T=$(mktemp -d "${TMPDIR:-/tmp}/profmerge-test.XXXXXX")
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
check() { local what=$1; shift; if "$@"; then ok; else bad "$what"; fi; }

[ -x "$PM" ] && [ -x "$PSH" ] || { echo "build first (make)"; echo "0 passed, 1 failed"; exit 1; }
mkdir -p "$T/bad" "$T/out"
make_bad_inputs "$T/bad"

live=1
[ "${MERGE_LIVE:-1}" = 0 ] && live=0
tier_full || live=0
if [ $live = 1 ]; then
    for v in $PY3_VERSIONS $PY2_VERSION; do
        have_py "$v" || { live=0; echo "note: CPython $v not found: live comparisons skipped"; break; }
    done
fi
SYSPY=$(command -v python3 || true)

# ---- the cases ------------------------------------------------------------------------
declare -a CASES=()
declare -A C_PY C_SEQ C_OPTS C_REF
collect() { CASES+=("$1"); C_PY[$1]=$2; C_SEQ[$1]=$3; C_OPTS[$1]=$4; C_REF[$1]=$6; C_IN[$1]=$5; }
declare -A C_IN
each_case collect

run_case() {
    local name=$1 seq=${C_SEQ[$1]} opts=${C_OPTS[$1]} o=$T/out/$1
    local -a inputs
    mapfile -t inputs < <(expand_inputs "$T/bad" "${C_IN[$name]}")
    STDIN_FILE=$(stdin_of "${C_IN[$name]}")
    local extra_err=$T/out/$name.err
    if ! run_merge "$o.prof" "" "$opts" "${inputs[@]}" 2>"$extra_err"; then
        bad "$name: profmerge failed: $(head -c 600 "$extra_err")"; return
    fi
    ok
    run_merge "$o.v2.prof" "--marshal-version 2" "$opts" "${inputs[@]}" 2>/dev/null ||
        { bad "$name: profmerge --marshal-version 2 failed"; return; }
    run_merge "$o.prof.gz" "-z" "$opts" "${inputs[@]}" 2>/dev/null ||
        { bad "$name: profmerge -z failed"; return; }
    norm "$seq" < "$GOLDEN/$name.out" > "$o.golden"
    psh_report "$seq" "$o.prof" | norm "$seq" > "$o.psh"
    check "$name: pstatsh reports of the merge differ from CPython's (diff $o.golden $o.psh)" \
        cmp -s "$o.golden" "$o.psh"
    psh_report "$seq" "$o.v2.prof" | norm "$seq" > "$o.v2.psh"
    check "$name: reports of the --marshal-version 2 merge differ from CPython's" \
        cmp -s "$o.golden" "$o.v2.psh"
    if [ -f "$GOLDEN/$name.prof.txt" ]; then
        check "$name: not byte-identical to CPython's merged stats (diff $GOLDEN/$name.prof.txt <(od -An -v -tx1z -w16 $o.prof))" \
            cmp -s "$GOLDEN/$name.prof.txt" <(prof_text "$o.prof")
    fi
    check "$name: -z output is not the gzip of the plain output" \
        cmp -s <(gzip -dc "$o.prof.gz") "$o.prof"
    # the type codes: asked of pyref.py for every case at once, after the loop (and the
    # codes outside the allowed set found by bash, not tr: ~5 ms of CPU a process here)
    CODES_OF+=("$name")
}
CODES_OF=()
for name in "${CASES[@]}"; do run_case "$name"; done
if [ -n "$SYSPY" ] && [ ${#CODES_OF[@]} -gt 0 ]; then
    files=()
    for name in "${CODES_OF[@]}"; do files+=("$T/out/$name.v2.prof" "$T/out/$name.prof"); done
    mapfile -t codes < <(pyrun "$PYREF" codes "${files[@]}" 2>&1)
    i=0
    for name in "${CODES_OF[@]}"; do
        c=${codes[$i]-"(no answer from pyref.py codes)"}
        check "$name: --marshal-version 2 output uses type codes '$c', not only ( u i l g { 0 N" \
            test -z "${c//[(uilg{0N]/}"
        c=${codes[$((i + 1))]-"(no answer from pyref.py codes)"}
        check "$name: version 4 output uses type codes '$c'" \
            test -z "${c//[()zaugil{0N+r]/}"
        i=$((i + 2))
    done
fi

# ---- live: CPython reads what we wrote ------------------------------------------------
if [ $live = 1 ]; then
    for name in "${CASES[@]}"; do
        py=${C_PY[$name]} o=$T/out/$name
        [ -f "$o.prof" ] || continue
        mapfile -t ref < <(reference_files "${C_REF[$name]}")
        mapfile -t popts < <(pyref_opts "${C_OPTS[$name]}")
        # the goldens are what CPython says today
        (cd "$DUMPS" && pyv "$py" "$PYREF" report "${C_SEQ[$name]}" "${popts[@]}" "${ref[@]}") \
            2>&1 | norm "${C_SEQ[$name]}" > "$o.live"
        check "$name: golden is stale: CPython $py now reports otherwise (record.sh)" \
            cmp -s "$o.live" "$o.golden"
        if [ "${py%%.*}" = 3 ]; then
            r=$(cd "$DUMPS" && pyv "$py" "$PYREF" same "$o.prof" "${popts[@]}" "${ref[@]}" 2>&1)
            check "$name: CPython $py's merge holds other statistics: $r" test $? = 0 -a "${r#same}" != "$r"
        fi
    done
    # every CPython 3.x loads every output and prints the golden reports
    for v in $PY3_VERSIONS; do
        : > "$T/jobs.$v"
        for name in "${CASES[@]}"; do
            [ -f "$T/out/$name.prof" ] || continue
            printf '%s\t%s\t%s\n' "$T/out/$name.$v.live" "${C_SEQ[$name]}" "$T/out/$name.prof" >> "$T/jobs.$v"
        done
        pyv "$v" "$PYREF" batch < "$T/jobs.$v"
        for name in "${CASES[@]}"; do
            o=$T/out/$name
            [ -f "$o.prof" ] || continue
            norm "${C_SEQ[$name]}" < "$o.$v.live" > "$o.$v.cmp"
            check "$name: CPython $v reads our merge and reports otherwise (diff $o.golden $o.$v.cmp)" \
                cmp -s "$o.golden" "$o.$v.cmp"
        done
    done
    # Python 2.7 loads every --marshal-version 2 output: same total-order reports as pstatsh's
    : > "$T/jobs.2"
    for name in "${CASES[@]}"; do
        [ -f "$T/out/$name.v2.prof" ] || continue
        printf '%s\t%s\t%s\n' "$T/out/$name.py2.live" total "$T/out/$name.v2.prof" >> "$T/jobs.2"
    done
    pyv "$PY2_VERSION" "$PYREF" batch < "$T/jobs.2"
    for name in "${CASES[@]}"; do
        o=$T/out/$name
        [ -f "$o.v2.prof" ] || continue
        psh_report total "$o.v2.prof" | norm total > "$o.v2.total"
        norm total < "$o.py2.live" > "$o.py2.cmp"
        check "$name: Python 2.7 reads our --marshal-version 2 merge and reports otherwise (diff $o.v2.total $o.py2.cmp)" \
            cmp -s "$o.v2.total" "$o.py2.cmp"
    done
fi

# ---- refusals and errors ------------------------------------------------------------------
D=$DUMPS
# a profile.py dump and a cProfile dump sharing an edge: CPython's add() raises; we refuse
echo old > "$T/clash.prof"
"$PM" "$D/pv-3.11-1.prof" "$D/c311-001.prof" -o "$T/clash.prof" 2> "$T/clash.err"
rc=$?
check "clash: exit status $rc, not 1" test $rc = 1
check "clash: message is not one line naming the edge: $(cat "$T/clash.err")" \
    test "$(wc -l < "$T/clash.err")" = 1 -a -n "$(grep -F 'cannot merge: the edge' "$T/clash.err")"
check "clash: the old output was touched" test "$(cat "$T/clash.prof")" = old
check "clash: a temporary file was left" test -z "$(ls -A "$T" | grep '\.tmp')"
"$PM" "$D/c311-001.prof" "$D/pv-3.11-1.prof" -o "$T/clash2.prof" 2>/dev/null
check "clash (other order): not refused" test $? = 1 -a ! -e "$T/clash2.prof"
# --keep-going skips the dump that cannot be merged: Stats of the others
"$PM" -k -q "$D/c311-001.prof" "$D/pv-3.11-1.prof" "$D/c311-002.prof" -o "$T/kclash.prof" 2> "$T/kclash.err"
check "keep-going over a clash: exit $?" test $? = 0
check "keep-going -q: printed a warning" test ! -s "$T/kclash.err"
"$PM" "$D/c311-001.prof" "$D/c311-002.prof" -o "$T/k12.prof"
check "keep-going over a clash: not the merge of the others" cmp -s "$T/kclash.prof" "$T/k12.prof"
if [ $live = 1 ]; then
    r=$(cd "$D" && pyv 3.11.7 "$PYREF" raises pv-3.11-1.prof c311-001.prof)
    check "clash: CPython did not raise on it (so we should merge): $r" test $? = 0
fi

# unreadable inputs without --keep-going: exit 1, one line naming the file, nothing written
for b in missing garbage truncated empty; do
    echo old > "$T/u.prof"
    "$PM" "$D/c311-001.prof" "$T/bad/$b.prof" -o "$T/u.prof" 2> "$T/u.err"
    rc=$?
    check "unreadable $b: exit $rc, not 1" test $rc = 1
    check "unreadable $b: message '$(cat "$T/u.err")'" \
        test "$(wc -l < "$T/u.err")" = 1 -a -n "$(grep -F "$b.prof" "$T/u.err")"
    check "unreadable $b: the old output was touched" test "$(cat "$T/u.prof")" = old
done
# --keep-going: a warning per skipped input, -q silences them; nothing readable: exit 1
"$PM" -k "$D/c311-001.prof" "$T/bad/missing.prof" "$T/bad/garbage.prof" -o "$T/k.prof" 2> "$T/k.err"
check "keep-going: exit $?" test $? = 0
check "keep-going: not one warning per skipped input: $(cat "$T/k.err")" \
    test "$(grep -c 'warning: skipped' "$T/k.err")" = 2
"$PM" -k "$T/bad/missing.prof" "$T/bad/empty.prof" -o "$T/none.prof" 2> "$T/none.err"
check "keep-going, nothing readable: exit $?, not 1" test $? = 1
check "keep-going, nothing readable: wrote an output" test ! -e "$T/none.prof"
check "keep-going, nothing readable: no message" grep -q 'none of the 2 inputs' "$T/none.err"

# a Python 2 file name that is not UTF-8 (Latin-1 bytes) is written as the Latin-1 text
"$PM" "$D/latin1-2.7.prof" -o "$T/lat.prof" && "$PM" --marshal-version 2 "$D/latin1-2.7.prof" -o "$T/lat2.prof"
check "latin-1 names: profmerge failed" test $? = 0
check "latin-1 names: pstatsh does not read /tmp/café/müll.py back" \
    grep -q '/tmp/café/müll.py:1(f)' <("$PSH" "$T/lat.prof" -c stats)
if [ $live = 1 ]; then
    for v in $PY3_VERSIONS; do
        check "latin-1 names: CPython $v does not load the output" grep -q '/tmp/café/müll.py:1(f)' \
            <(pyv "$v" -c 'import pstats, sys; pstats.Stats(sys.argv[1]).print_stats()' "$T/lat.prof" 2>&1)
    done
    check "latin-1 names: Python 2.7 does not load the version 2 output" grep -q '/tmp/café/müll.py:1(f)' \
        <(pyv "$PY2_VERSION" -c 'import pstats, sys; pstats.Stats(sys.argv[1]).print_stats()' "$T/lat2.prof" 2>&1)
fi

# counts beyond 32 bits ('l' longs, also at version 2), from the crafted dumps of tests/dumps
BIG=$ROOT/tests/dumps/special/bignum.prof
if [ -f "$BIG" ]; then
    "$PM" --marshal-version 2 "$BIG" "$BIG" -o "$T/big2.prof" && "$PM" "$BIG" "$BIG" -o "$T/big4.prof"
    check "bignum: profmerge failed" test $? = 0
    check "bignum: counts differ between versions 2 and 4" \
        cmp -s <("$PSH" "$T/big2.prof" -c 'sort calls' -c stats | drop_files_lines) \
               <("$PSH" "$T/big4.prof" -c 'sort calls' -c stats | drop_files_lines)
    check "bignum: 18000000014/6000000000 calls not merged" \
        grep -q '18000000014/6000000000' <("$PSH" "$T/big2.prof" -c stats)
    if [ -n "$SYSPY" ]; then
        c=$(pyrun "$PYREF" codes "$T/big2.prof" 2>&1)
        check "bignum: version 2 output uses '$c', not only ( u i l g { 0 N (with l)" \
            test -z "${c//[(uilg{0N]/}" -a "${c#*l}" != "$c"
    fi
    if [ $live = 1 ]; then
        r=$(pyv 3.13.0 "$PYREF" same "$T/big2.prof" "$BIG" "$BIG" 2>&1)
        check "bignum: CPython 3.13 merges otherwise: $r" test "${r#same}" != "$r"
        check "bignum: Python 2.7 does not read the version 2 output" grep -q '18000000014/6000000000' \
            <(pyv "$PY2_VERSION" -c 'import pstats, sys; pstats.Stats(sys.argv[1]).print_stats()' "$T/big2.prof" 2>&1)
    fi
fi

# ---- command line ---------------------------------------------------------------------------
"$PM" -h > "$T/h.out"; rc=$?
check "-h: exit $rc" test $rc = 0
check "-h: no usage" grep -q '^usage: profmerge' "$T/h.out"
"$PM" "$D/c311-001.prof" > /dev/null 2>&1
check "no -o: exit $?, not 2" test $? = 2
"$PM" -o "$T/x.prof" > /dev/null 2>&1
check "no inputs: exit $?, not 2" test $? = 2
"$PM" "$D/c311-001.prof" -o > /dev/null 2>&1
check "-o without a value: exit $?, not 2" test $? = 2
"$PM" --marshal-version 3 "$D/c311-001.prof" -o "$T/x.prof" > /dev/null 2>&1
check "--marshal-version 3: exit $?, not 2" test $? = 2
"$PM" --bogus "$D/c311-001.prof" -o "$T/x.prof" > /dev/null 2>&1
check "unknown option: exit $?, not 2" test $? = 2
"$PM" - - -o "$T/x.prof" < /dev/null > /dev/null 2>&1
check "- twice: exit $?, not 2" test $? = 2
check "usage errors wrote an output" test ! -e "$T/x.prof"
# -o - writes the dump to standard output; the same bytes as a file
"$PM" "$D/c311-001.prof" "$D/c311-002.prof" -o - > "$T/stdout.prof"
check "-o -: not the same bytes as -o FILE" cmp -s "$T/stdout.prof" "$T/k12.prof"
"$PM" --output="$T/eq.prof" --marshal-version=4 "$D/c311-001.prof" "$D/c311-002.prof"
check "--output=, --marshal-version=: not the same bytes" cmp -s "$T/eq.prof" "$T/k12.prof"
# -v: the summary line; -vv: a line per input
"$PM" -v "$D/c311-001.prof" "$D/c311-002.prof" -o "$T/v.prof" 2> "$T/v.err"
check "-v: summary '$(cat "$T/v.err")'" grep -qE \
    '^profmerge: 2 inputs merged: [0-9]+ functions, [0-9]+ function calls( \([0-9]+ primitive calls\))?, [0-9.]+ seconds total time -> ' "$T/v.err"
nfun=$("$PSH" "$T/v.prof" -c stats | grep -cE '^ +[0-9/]+ +[0-9]')
check "-v: function count is not $nfun" grep -q " $nfun functions" "$T/v.err"
"$PM" -vv "$D/c311-001.prof" "$D/c311-002.prof" -o "$T/v.prof" 2> "$T/vv.err"
check "-vv: not a line per input" test "$(grep -c '^profmerge: merged ' "$T/vv.err")" = 2
"$PM" "$D/c311-001.prof" "$D/c311-002.prof" -o "$T/q.prof" 2> "$T/q.err"
check "quiet by default: wrote to stderr" test ! -s "$T/q.err"
# --files-from: names from a list (and standard input), after the arguments
printf '%s\n' "$D/c311-002.prof" > "$T/list"
"$PM" "$D/c311-001.prof" --files-from "$T/list" -o "$T/ff.prof"
check "--files-from: not the same merge" cmp -s "$T/ff.prof" "$T/k12.prof"

# ---- many inputs, few descriptors -------------------------------------------------------------
for i in 1 2 3 4 5; do ls "$D"/c311-*.prof; done > "$T/list500"
(ulimit -n 12; "$PM" --files-from "$T/list500" -o "$T/fd.prof" 2> "$T/fd.err")
check "500 inputs with 12 descriptors: failed: $(head -c 300 "$T/fd.err")" test $? = 0
if [ $live = 1 ]; then
    r=$(pyv 3.11.7 "$PYREF" same "$T/fd.prof" $(cat "$T/list500") 2>&1)
    check "500 inputs: not what CPython merges: $r" test "${r#same}" != "$r"
fi

# ---- parallel loading: the result does not depend on -j ------------------------------------------
"$PM" -j 1 "$D"/c311-*.prof -o "$T/j1.prof"
for j in 2 5; do
    "$PM" -j $j "$D"/c311-*.prof -o "$T/j$j.prof"
    check "-j $j: not the bytes of -j 1" cmp -s "$T/j$j.prof" "$T/j1.prof"
done
mapfile -t kg < <(expand_inputs "$T/bad" "${C_IN[keep-going]}")
"$PM" -j 4 -k -q "${kg[@]}" -o "$T/kgj.prof"
check "-j 4 --keep-going: not the bytes of the case keep-going" cmp -s "$T/kgj.prof" "$T/out/keep-going.prof"
"$PM" -j 4 "$D/c311-001.prof" "$D/c311-002.prof" "$D/pv-3.11-1.prof" "$D"/c311-0[1-3]?.prof -o "$T/cj.prof" 2>/dev/null
check "-j 4: a clash was not refused" test $? = 1 -a ! -e "$T/cj.prof"
"$PM" -j 0 "$D/c311-001.prof" -o "$T/j0.prof" 2>/dev/null
check "-j 0: exit $?, not 2" test $? = 2

# ---- a tree of merges (the man page's xargs recipe) gives the flat merge's statistics --------------
mkdir -p "$T/tree/shards" && cp "$D"/c311-*.prof "$T/tree/shards/"
(
    cd "$T/tree" && export PATH=$ROOT/build:$PATH &&
    ls shards/*.prof > list.0
    n=0
    while [ "$(wc -l < list.$n)" -gt 1 ]; do
        m=$((n + 1)); mkdir -p r$m
        split -l 16 list.$n r$m/part.
        find r$m -name 'part.*' ! -name '*.prof' |
            xargs -P 4 -I{} profmerge -j 1 -q --files-from {} -o {}.prof
        ls r$m/*.prof > list.$m; n=$m
    done
    cp "$(cat list.$n)" all.prof
)
check "tree merge: no output" test -s "$T/tree/all.prof"
sorted_report() { "$PSH" "$1" -c 'sort stdname' -c stats -c callers -c callees | drop_files_lines; }
check "tree merge: other statistics than the flat merge" \
    cmp -s <(sorted_report "$T/tree/all.prof") <(sorted_report "$T/out/merge100.prof")

# ---- atomic output ------------------------------------------------------------------------------
# An input may be the output: it accumulates, and is replaced only when complete.
cp "$D/c311-001.prof" "$T/all.prof"
"$PM" "$T/all.prof" "$D/c311-002.prof" -o "$T/all.prof"
check "input as output: not the merge" cmp -s "$T/all.prof" "$T/k12.prof"
# SIGXFSZ while writing (a file size limit): killed mid-write, the old file stays,
# the temporary is removed
big=("$D"/mc-3.*.prof "$D"/cv-3.*-1.prof)
"$PM" "${big[@]}" -o "$T/new.prof"
head -c 3000 "$D/c311-050.prof" > "$T/old.prof"; cp "$T/old.prof" "$T/old.copy"
mkdir -p "$T/x1"; cp "$T/old.prof" "$T/x1/out.prof"
( (ulimit -f 8; exec "$PM" "${big[@]}" -o "$T/x1/out.prof"); echo $? > "$T/x1.rc" ) 2>/dev/null
check "SIGXFSZ mid-write: not killed by it (status $(cat "$T/x1.rc"))" test "$(cat "$T/x1.rc")" = 153
check "SIGXFSZ mid-write: the old output changed" cmp -s "$T/x1/out.prof" "$T/old.copy"
check "SIGXFSZ mid-write: temporary left: $(ls "$T/x1")" test "$(ls -A "$T/x1")" = out.prof
# the same with SIGXFSZ ignored: the write fails, the temporary file is removed
mkdir -p "$T/x2"; cp "$T/old.prof" "$T/x2/out.prof"
(trap '' XFSZ; ulimit -f 8; exec "$PM" "${big[@]}" -o "$T/x2/out.prof") 2> "$T/x2.err"
rc=$?
check "write error: exit $rc, not 1" test $rc = 1
check "write error: the old output changed" cmp -s "$T/x2/out.prof" "$T/old.copy"
check "write error: temporary left: $(ls "$T/x2")" test "$(ls -A "$T/x2")" = out.prof
check "write error: no message" test -s "$T/x2.err"
# kill -9 / SIGTERM at many moments of a long merge: the target is the old file
# or the complete new one, never anything else; SIGTERM leaves no temporary
for i in 1 2 3 4 5 6; do cat "$T/list500"; done > "$T/list3k"
mkdir -p "$T/k"
t0=$(date +%s%N)
"$PM" --files-from "$T/list3k" -o "$T/k/ref.prof"
t1=$(date +%s%N)
dur=$(( (t1 - t0) / 1000000 ))   # ms
[ $dur -lt 20 ] && dur=20
intact=1 clean=1 moments=0
for sig in KILL TERM; do
    for k in 1 2 3 4 5 6 7 8 9; do
        cp "$T/old.prof" "$T/k/out.prof"
        "$PM" --files-from "$T/list3k" -o "$T/k/out.prof" &
        pid=$!
        sleep "$(awk -v d="$dur" -v k="$k" 'BEGIN { printf "%.3f", d * k / 9 / 1000 }')"
        kill -s "$sig" "$pid" 2>/dev/null && moments=$((moments + 1))
        wait "$pid" 2>/dev/null
        if ! cmp -s "$T/k/out.prof" "$T/old.copy" && ! cmp -s "$T/k/out.prof" "$T/k/ref.prof"; then
            intact=0; echo "  $sig at $k/9 of ${dur} ms: the output is neither the old nor the new file"
        fi
        if [ $sig = TERM ] && [ -n "$(ls -A "$T/k" | grep -v -e '^out.prof$' -e '^ref.prof$')" ]; then
            clean=0; echo "  TERM at $k/9: left $(ls "$T/k")"
        fi
        rm -f "$T"/k/.out.prof.tmp*
    done
done
check "kill -9 / SIGTERM mid-way: a broken output" test $intact = 1
check "SIGTERM mid-way: a temporary file was left" test $clean = 1
check "kill -9 / SIGTERM: the merge was never interrupted ($moments)" test $moments -gt 0

# ---- pstatsh's dump command uses the same writer ---------------------------------------------------
for f in c311-001.prof mp-3.11-1.prof y-1.prof other-profile-3.11.prof cv-2.7-1.prof; do
    "$PSH" "$D/$f" -c "dump $T/psh-$f" > /dev/null 2>&1
    "$PM" "$D/$f" -o "$T/pm-$f"
    check "pstatsh dump $f: not the bytes profmerge writes" cmp -s "$T/psh-$f" "$T/pm-$f"
done
"$PSH" "$D/c311-001.prof" -c 'strip' -c "dump $T/psh-strip.prof" > /dev/null 2>&1
"$PM" --strip-dirs "$D/c311-001.prof" -o "$T/pm-strip.prof"
check "pstatsh strip + dump: not the bytes of profmerge --strip-dirs" cmp -s "$T/psh-strip.prof" "$T/pm-strip.prof"
if [ $live = 1 ]; then
    for f in c311-001.prof mp-3.11-1.prof y-1.prof; do
        r=$(cd "$D" && pyv 3.11.7 "$PYREF" same "$T/psh-$f" "$f" 2>&1)
        check "pstatsh dump $f: CPython reads other statistics: $r" test "${r#same}" != "$r"
    done
fi

# ---- no bigger than CPython's dump -------------------------------------------------------
# Our output is never bigger than what CPython's dump_stats writes for the same statistics
# (references for repeated keys and strings, as CPython writes them): every real 3.x dump
# of tests/dumps that this python3 loads and four of tests/merge/dumps, alone and merged with
# the one before.  That every CPython reads the output back is checked by the live tier.
if [ -n "$SYSPY" ]; then
    sizes=0 prev=
    for f in "$ROOT"/tests/dumps/*cprofile-3.*.prof "$ROOT"/tests/dumps/*yappi*.prof "$D"/c311-00[1-4].prof; do
        for set in "$f" ${prev:+"$prev $f"}; do
            # shellcheck disable=SC2086
            pyrun -c 'import pstats, sys; pstats.Stats(*sys.argv[2:]).dump_stats(sys.argv[1])' \
                "$T/cpy.prof" $set 2>/dev/null || continue
            # shellcheck disable=SC2086
            "$PM" $set -o "$T/ours.prof" 2>/dev/null
            ours=$(stat -c %s "$T/ours.prof") theirs=$(stat -c %s "$T/cpy.prof")
            check "size: our merge of $(basename -a $set | tr '\n' ' ')is $ours bytes, CPython's $theirs" \
                test "$ours" -le "$theirs"
            sizes=$((sizes + 1))
        done
        prev=$f
    done
    check "size: fewer than 20 dumps compared with CPython's ($sizes)" test $sizes -ge 20
fi

echo "$pass passed, $fail failed"
[ $fail = 0 ]
