#!/usr/bin/env bash
# The speedscope and pprof writers (prof2folded --output-format speedscope|pprof, pstatsh's
# `export speedscope|pprof`), checked by the tools that read them:
#   1. every dump of tests/dumps and data/ as speedscope JSON: valid against speedscope's
#      published schema (python3-jsonschema), the weights add up to the profile's total time
#      (prof2callgrind's `totals:`, an independent sum), named "(estimated stacks)";
#   2. the same dumps as pprof: decoded from the wire format (xcheck.py: string table, sample
#      types, one function per (name, file, first line), ids, leaf-first locations), the time
#      adds up to the same total; on a case table, `go tool pprof -top -lines` reports our total
#      and our heaviest functions, which are pstats' heaviest by tottime (CPython's pstats is the
#      oracle; the estimate may move a little self time, so within 5 % of the total); pprof's
#      output is recorded in golden/ and compared with our decoding where go is absent;
#   3. pstatsh's `export` writes what prof2folded writes; bad output paths fail with one line
#      and leave no file; unknown formats are refused.
# The quick tier takes every third dump of tests/dumps for 1 and 2.
# RECORD=1 rewrites the goldens (needs go).  Ends with "N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
. tests/tier.sh
ROOT=$PWD
BIN=$ROOT/build/prof2folded
CG=$ROOT/build/prof2callgrind
# Debian's python3 (python3-jsonschema is installed for it; a pyenv shim is slow to start)
PY=/usr/bin/python3
[ -x $PY ] || PY=python3
# the checks run in one $PY process (tests/pyserve.sh)
PYRUN_PYTHON=$PY
. tests/pyserve.sh
X="pyrun $ROOT/tests/export/xcheck.py"
SCHEMA=$ROOT/tests/export/speedscope-file-format-schema.json
GOLD=$ROOT/tests/export/golden
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0 skip=0

ok() { pass=$((pass + 1)); }
bad() {
    fail=$((fail + 1))
    echo "FAIL: $1"
    [ -n "${2:-}" ] && printf '%s\n' "$2" | head -8
}
# near A B TOL: |A - B| <= TOL
near() { awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= t) }'; }

HAVE_GO=0
command -v go >/dev/null 2>&1 && go tool pprof -h >/dev/null 2>&1 && HAVE_GO=1
[ "${NO_GO:-0}" = 1 ] && HAVE_GO=0   # check against the goldens as where go is absent
pyrun -c 'import jsonschema' 2>/dev/null || { echo "python3-jsonschema missing (make deps)"; echo "0 passed, 1 failed"; exit 1; }

# (the quick tier: every third dump of tests/dumps, in order, so every writer and version stays;
# tests/tier.sh)
mapfile -t DUMPS < <(sample 3 tests/dumps/*.prof tests/dumps/*.prof.gz)
DUMPS+=(data/*.prof data/restats
        tests/dumps/special/nonascii.prof tests/dumps/special/nanfloat.prof
        tests/dumps/special/bignum.prof tests/dumps/special/sampled.prof)

# ---- 1 and 2: every dump through both writers ---------------------------------------------
# (the files are made first, then one python checks them all: a python per file is slow)
ss_files=() pb_files=() refs=()
i=0
for dump in "${DUMPS[@]}"; do
    i=$((i + 1))
    name=$(basename "$dump")
    if ! "$CG" -q "$dump" -o "$T/ref.cg" 2>"$T/err"; then
        bad "$name: no callgrind reference" "$(cat "$T/err")"
        continue
    fi
    ref="$(sed -n 's/^totals: //p' "$T/ref.cg") $(grep -c '^fn=' "$T/ref.cg") $name"
    if "$BIN" --output-format speedscope "$dump" -o "$T/$i.json" 2>"$T/err" &&
       "$BIN" --output-format pprof "$dump" -o "$T/$i.pb.gz" 2>>"$T/err"; then
        ok
        ss_files+=("$T/$i.json")
        pb_files+=("$T/$i.pb.gz")
        refs+=("$ref")
    else
        bad "$name: --output-format speedscope or pprof failed" "$(cat "$T/err")"
    fi
done
# speedscope: schema-valid, weights adding up to the total (the callgrind writer's sum of the
# tottimes in truncated ns: one ns per function apart at most), named as estimated
# (the quick tier: the schema sees each profile's first 500 samples and weights; xcheck.py
# checks every one of them by its own rules, and the full tier gives the schema all)
ss_sample=(--schema-sample 500)
tier_full && ss_sample=()
if $X speedscope "${ss_sample[@]}" "$SCHEMA" "${ss_files[@]}" >"$T/ss.out" 2>"$T/err"; then ok; else
    bad "speedscope files not valid against the schema" "$(cat "$T/err")"; fi
n=0
while read -r total pname; do
    read -r ref nfn name <<<"${refs[$n]}"
    n=$((n + 1))
    if near "$(awk -v t="$total" 'BEGIN { printf "%.0f", t * 1e9 }')" "$ref" "$((nfn + 1))"; then ok; else
        bad "$name: speedscope weights add up to $total s, the profile total is $ref ns"; fi
    case "$pname" in
        *"(estimated stacks)") ok ;;
        *) bad "$name: profile name '$pname' does not say the stacks are estimated" ;;
    esac
done <"$T/ss.out"
[ "$n" -eq "${#ss_files[@]}" ] && ok || bad "speedscope: $n results for ${#ss_files[@]} files"
# pprof: well-formed; time adding up to the total (each stack rounded to a ns: within one ns a
# stack, and stacks are at most a few per function here); no sample count for estimated stacks
if $X pprofs "${pb_files[@]}" >"$T/pb.out" 2>"$T/err"; then ok; else
    bad "pprof profiles malformed" "$(cat "$T/err")"; fi
n=0
while read -r total_ns count; do
    read -r ref nfn name <<<"${refs[$n]}"
    n=$((n + 1))
    if near "$total_ns" "$ref" "$((4 * nfn + 1))"; then ok; else
        bad "$name: pprof total $total_ns ns, profile total $ref ns"; fi
    [ "$count" = 0 ] && ok || bad "$name: estimated stacks with a sample count ($count)"
done <"$T/pb.out"
[ "$n" -eq "${#pb_files[@]}" ] && ok || bad "pprof: $n results for ${#pb_files[@]} files"

# ---- 2. go tool pprof -top on a case table --------------------------------------------------
# the dumps CPython 3.11 or 3.13 reads (pstats is the oracle of the tottimes)
PPROF_CASES=(data/recur.prof data/tokenize.prof data/restats
             tests/dumps/multimod-cprofile-3.11.prof tests/dumps/objects-cprofile-3.11.prof
             tests/dumps/mutual-profile-3.11.prof tests/dumps/difflib-yappi-3.11.prof
             tests/dumps/unittest-difflib-cprofile-3.11.prof.gz)
[ "${RECORD:-0}" = 1 ] && [ $HAVE_GO = 0 ] && { echo "RECORD=1 needs go"; exit 1; }
mkdir -p "$GOLD"
for dump in "${PPROF_CASES[@]}"; do
    name=$(basename "$dump")
    "$BIN" --output-format pprof "$dump" -o "$T/case.pb.gz" 2>"$T/err" || { bad "$name: pprof failed" "$(cat "$T/err")"; continue; }
    $X pprof "$T/case.pb.gz" >"$T/case.dec" || { bad "$name: malformed"; continue; }
    if [ $HAVE_GO = 1 ]; then
        if ! go tool pprof -top -lines "$T/case.pb.gz" >"$T/case.top" 2>"$T/err"; then
            bad "$name: go tool pprof refused our profile" "$(cat "$T/err")"
            continue
        fi
        ok
        [ "${RECORD:-0}" = 1 ] && cp "$T/case.top" "$GOLD/$name.top"
    elif [ -f "$GOLD/$name.top" ]; then
        cp "$GOLD/$name.top" "$T/case.top"
        skip=$((skip + 1))
    else
        bad "$name: no go and no golden"
        continue
    fi
    $X top "$T/case.top" >"$T/case.rows" || { bad "$name: pprof -top unreadable"; continue; }
    # pprof's total is ours, to its printed precision (4 significant digits at least)
    ours=$(head -1 "$T/case.dec" | cut -d' ' -f1)
    theirs=$(head -1 "$T/case.rows")
    if near "$ours" "$theirs" "$(awk -v t="$ours" 'BEGIN { print t * 1e-3 + 1 }')"; then ok; else
        bad "$name: pprof reports a total of $theirs ns, ours is $ours ns"; fi
    # pprof's five heaviest rows are our five heaviest functions, with our flat times
    if pyrun - "$T/case.dec" "$T/case.rows" <<'EOF'; then ok; else bad "$name: pprof's heaviest rows are not ours"; fi
import sys
ours = [l.split(' ', 1) for l in open(sys.argv[1]).read().splitlines()[1:]]
rows = [l.split(' ', 1) for l in open(sys.argv[2]).read().splitlines()[1:]]
total = sum(float(v) for v, _ in ours)
# pprof leaves out line 0 (a builtin: file '~', or '' in profile.py dumps)
norm = lambda k: (k[:-2] if k.endswith(':0') else k).rstrip()
flat = {norm(k): float(v) for v, k in ours}
for v, k in rows[:5]:
    k = k.rstrip()
    if k not in flat or abs(flat[k] - float(v)) > max(1e-3 * float(v), 1e-4 * total) + 1:
        sys.exit('%s: pprof %s, ours %s' % (k, v, flat.get(k)))
EOF
    # and pstats' heaviest by tottime
    py=python3.11
    command -v $py >/dev/null 2>&1 || py=python3
    if ! $py "$ROOT/tests/export/xcheck.py" pstats "$dump" >"$T/case.pstats" 2>"$T/err"; then
        bad "$name: CPython's pstats cannot load it" "$(cat "$T/err")"
        continue
    fi
    # The stacks are estimated: prof2folded -v says how much self time the estimate draws in
    # another function than pstats gives it (M); a function's flat time is within 2M of its
    # tottime (M is half the L1 distance), so that is the tolerance.
    misplaced=$("$BIN" -v "$dump" -o /dev/null 2>&1 | sed -n 's/.*: \([0-9.]*\)% of the self time is drawn.*/\1/p')
    if pyrun - "$T/case.pstats" "$T/case.rows" "${misplaced:-100}" <<'EOF'; then ok; else bad "$name: pprof's heaviest functions are not pstats' heaviest"; fi
import sys
lines = open(sys.argv[1]).read().splitlines()
total = float(lines[0]) * 1e9
tt = {}
for l in lines[1:]:
    v, k = l.split(' ', 1)
    tt[(k[:-2] if k.endswith(':0') else k).rstrip()] = float(v) * 1e9
rows = [l.split(' ', 1) for l in open(sys.argv[2]).read().splitlines()[1:]]
tol = 2 * float(sys.argv[3]) / 100 * total + 1e-3 * total
heaviest = max(tt.values())
top = rows[0][1]
# the heaviest row is pstats' heaviest function, or within the tolerance of it
if tt.get(top, -1) < heaviest - tol:
    sys.exit('pprof heaviest %s (%s ns), pstats heaviest %s ns' % (top, tt.get(top), heaviest))
for v, k in rows[:5]:
    if k not in tt or abs(tt[k] - float(v)) > tol:
        sys.exit('%s: pprof flat %s ns, pstats tottime %s ns (tolerance %s)' % (k, v, tt.get(k), tol))
EOF
done
[ $HAVE_GO = 1 ] || echo "note: go absent: pprof -top checked against the goldens in tests/export/golden ($skip cases)"

# ---- 3. pstatsh export, bad paths, unknown formats -------------------------------------------
d=data/tokenize.prof
printf 'export speedscope %s\nexport pprof %s\n' "$T/sh.json" "$T/sh.pb.gz" | build/pstatsh "$d" >/dev/null 2>"$T/err"
"$BIN" --output-format speedscope "$d" -o "$T/p.json"
"$BIN" --output-format pprof "$d" -o "$T/p.pb.gz"
if cmp -s "$T/sh.json" "$T/p.json" 2>/dev/null; then ok; else
    # the names differ (files line against input names): the stacks must not
    if $X ssframes "$T/sh.json" >"$T/a" && $X ssframes "$T/p.json" >"$T/b" && cmp -s "$T/a" "$T/b"; then ok; else
        bad "pstatsh export speedscope differs from prof2folded" "$(cat "$T/err")"; fi
fi
# (one after the other: pyrun takes one call at a time)
if [ -f "$T/sh.pb.gz" ] && $X pprof "$T/sh.pb.gz" >"$T/sh.dec" && $X pprof "$T/p.pb.gz" >"$T/p.dec" &&
   cmp -s "$T/sh.dec" "$T/p.dec"; then ok; else
    bad "pstatsh export pprof differs from prof2folded" "$(cat "$T/err")"; fi
# the SVG alias still works and is the same as --output-format svg
"$BIN" --svg "$d" -o "$T/a.svg" && "$BIN" --output-format svg "$d" -o "$T/b.svg" && cmp -s "$T/a.svg" "$T/b.svg" && ok ||
    bad "--svg and --output-format svg differ"
"$BIN" --output-format folded "$d" -o "$T/a.folded" && "$BIN" "$d" -o "$T/b.folded" && cmp -s "$T/a.folded" "$T/b.folded" && ok ||
    bad "--output-format folded is not the default output"

mkdir -p "$T/ro"
for fmt in speedscope pprof; do
    for out in "$T/nodir/x.$fmt" "$T/ro"; do
        "$BIN" --output-format $fmt "$d" -o "$out" >"$T/out" 2>"$T/err"; rc=$?
        lines=$(wc -l <"$T/err")
        if [ $rc -ne 0 ] && [ "$lines" -eq 1 ] && grep -q '^prof2folded: ' "$T/err" && [ ! -s "$T/out" ]; then ok; else
            bad "$fmt -o $out: exit $rc, $lines stderr lines" "$(cat "$T/err")"; fi
    done
    [ -z "$(ls -A "$T/ro")" ] && [ ! -e "$T/nodir" ] && ok || bad "$fmt: a bad output path left a file"
    # a bad input: one line naming the file, nothing written
    "$BIN" --output-format $fmt tests/dumps/special/garbage.prof -o "$T/g.$fmt" 2>"$T/err"; rc=$?
    if [ $rc -ne 0 ] && [ "$(wc -l <"$T/err")" -eq 1 ] && grep -q 'garbage.prof' "$T/err" && [ ! -e "$T/g.$fmt" ] &&
       [ -z "$(ls -A "$T" | grep '\.tmp')" ]; then ok; else bad "$fmt: bad input" "$(cat "$T/err")"; fi
    printf 'export %s %s\n' $fmt "$T/nodir/y" | build/pstatsh "$d" >/dev/null 2>"$T/err"
    if [ "$(wc -l <"$T/err")" -eq 1 ] && grep -q '^pstatsh: ' "$T/err"; then ok; else
        bad "pstatsh export $fmt to a bad path" "$(cat "$T/err")"; fi
done
"$BIN" --output-format xml "$d" >/dev/null 2>"$T/err" && bad "--output-format xml accepted" || { grep -q "unknown output format 'xml'" "$T/err" && ok || bad "--output-format xml: $(head -1 "$T/err")"; }
printf 'export speedscope %s --bogus\n' "$T/z.json" | build/pstatsh "$d" >/dev/null 2>"$T/err"
if grep -q "unknown option '--bogus'" "$T/err" && [ ! -e "$T/z.json" ]; then ok; else bad "export speedscope --bogus" "$(cat "$T/err")"; fi

# ---- 4. the JSON importers -------------------------------------------------------------------
# Hand-built inputs (tests/export/inputs/), each following its format:
#   evented-ms.speedscope.json   speedscope's schema: an evented profile (OpenFrameEvent /
#                                CloseFrameEvent: type, frame, at) in milliseconds, a frame with
#                                `col`, a file-less frame (a builtin), an unused frame with
#                                escapes; a sampled profile in microseconds with an empty
#                                (idle) sample
#   pyspy-threads.speedscope.json  what py-spy writes: one sampled profile per thread, unit
#                                seconds, weights 1/rate, lines being executed (one function at
#                                two lines: one row, keyed by the smallest)
#   counts-none.speedscope.json  unit "none": weights are sample counts (x the interval)
#   session.pyisession           pyinstrument's session: frame_records [stack, seconds], root
#                                first, "function\0file\0first_line" with \x01 attributes (class,
#                                line, hide), thread roots "name\0<thread>\0ident", a C call
#                                "qualname\0<built-in>\00", a thread-only (idle) record
# (Debian has no pyinstrument package: `apt-cache policy python3-pyinstrument` is empty.)
# Each is read (merged threads, and --threads) and written back as speedscope; the stacks must
# be those xcheck.py's own reading of the input gives.
for f in tests/export/inputs/*; do
    name=$(basename "$f")
    for th in "" --threads; do
        if ! "$BIN" $th --output-format speedscope "$f" -o "$T/in.json" 2>"$T/err"; then
            bad "$name $th: not read" "$(cat "$T/err")"; continue; fi
        $X stacks $th "$f" >"$T/want" && $X stacks "$T/in.json" >"$T/got"
        if [ -s "$T/want" ] && cmp -s "$T/want" "$T/got"; then ok; else
            bad "$name $th: stacks differ from the format's" "$(diff "$T/want" "$T/got")"; fi
        case "$($X speedscope "$SCHEMA" "$T/in.json")" in
            *"(estimated stacks)") bad "$name $th: exact stacks named estimated" ;;
            "") bad "$name $th: our output is not schema-valid" ;;
            *) ok ;;
        esac
    done
    # pprof of exact stacks: the sample counts are the samples read
    "$BIN" --output-format pprof "$f" -o "$T/in.pb.gz" 2>"$T/err" && $X pprof "$T/in.pb.gz" >"$T/in.dec" ||
        { bad "$name: pprof of exact stacks" "$(cat "$T/err")"; continue; }
    want=$(build/pstatsh -c 'stats 0' "$f" | sed -n 's/^ *\([0-9]*\) samples.*/\1/p')
    read -r _ count <"$T/in.dec"
    [ -n "$want" ] && [ "$count" = "$want" ] && ok || bad "$name: pprof sample count $count, pstatsh says $want samples"
done
# Round trip: our speedscope output read back gives the same stacks (estimated ones of dumps,
# exact ones of a folded input), and so does pprof's time.
printf 'main (a.py:1);f (a.py:5) 3\nmain (a.py:1);g (a.py:9);f (a.py:5) 2\nmain (a.py:1) 1\n' >"$T/s.folded"
for f in data/recur.prof data/tokenize.prof data/restats tests/dumps/special/nonascii.prof "$T/s.folded"; do
    name=$(basename "$f")
    "$BIN" --output-format speedscope "$f" -o "$T/r1.json" && "$BIN" --output-format speedscope "$T/r1.json" -o "$T/r2.json" ||
        { bad "$name: round trip failed"; continue; }
    $X stacks "$T/r1.json" >"$T/a" && $X stacks "$T/r2.json" >"$T/b"
    cmp -s "$T/a" "$T/b" && [ -s "$T/a" ] && ok || bad "$name: speedscope round trip changed the stacks" "$(diff "$T/a" "$T/b")"
done
# profmerge --output-format speedscope|pprof: the merged stacks of sampled inputs are the stacks
# of each input added up (inputs without a (file, name) in common: a function met in both is one
# row, keyed by its smallest line, which this simple sum does not model)
a=tests/export/inputs/evented-ms.speedscope.json b=tests/export/inputs/session.pyisession
if build/profmerge --output-format speedscope "$a" "$b" -o "$T/m.json" 2>"$T/err" &&
   build/profmerge --output-format pprof "$a" "$b" -o "$T/m.pb.gz" 2>>"$T/err"; then
    { $X stacks "$a"; $X stacks "$b"; } | awk '{ w[substr($0, index($0, " ") + 1)] += $1 }
        END { for (k in w) printf "%.9f %s\n", w[k], k }' | LC_ALL=C sort -k2 >"$T/want"
    $X stacks "$T/m.json" | LC_ALL=C sort -k2 >"$T/got"
    cmp -s "$T/want" "$T/got" && ok || bad "profmerge speedscope: not the inputs' stacks added up" "$(diff "$T/want" "$T/got")"
    read -r total count < <($X pprofs "$T/m.pb.gz")
    want_ns=$(awk '{ s += $1 } END { printf "%.0f", s * 1e9 }' "$T/want")
    want_n=$(for f in "$a" "$b"; do build/pstatsh -c 'stats 0' "$f"; done | awk '/ samples/ { n += $1 } END { print n }')
    [ "$count" = "$want_n" ] && near "$total" "$want_ns" 2 && ok ||
        bad "profmerge pprof: $count samples, $total ns (the inputs: $want_n, $want_ns)"
else
    bad "profmerge --output-format speedscope|pprof failed" "$(cat "$T/err")"
fi
# Bad input: one line naming the file and where (a byte offset for malformed JSON, the JSON
# path otherwise), exit 1, no output file.
SS='{"$schema":"https://www.speedscope.app/file-format-schema.json","shared":{"frames":[{"name":"a"}]},"profiles":['
bad_json() {   # NAME EXPECTED-TEXT CONTENT
    printf '%s' "$3" >"$T/$1"
    "$BIN" --output-format speedscope "$T/$1" -o "$T/bad.out" 2>"$T/err"; rc=$?
    if [ $rc -eq 1 ] && [ "$(wc -l <"$T/err")" -eq 1 ] && grep -qF "$T/$1: " "$T/err" && grep -qF -- "$2" "$T/err" &&
       [ ! -e "$T/bad.out" ]; then ok; else bad "bad input $1 (want '$2')" "$(cat "$T/err")"; fi
}
bad_json trunc.json 'byte ' "${SS}"'{"type":"sampled","name":"p","unit":"seconds","startValue":0,"endValue":1,"samples":[[0]'
bad_json index.json 'profiles[0].samples[0][1]: expected a frame index below 1' "${SS}"'{"type":"sampled","name":"p","unit":"seconds","startValue":0,"endValue":1,"samples":[[0,1]],"weights":[1]}]}'
bad_json negw.json 'profiles[0].weights[0]: expected a weight >= 0' "${SS}"'{"type":"sampled","name":"p","unit":"seconds","startValue":0,"endValue":1,"samples":[[0]],"weights":[-1]}]}'
bad_json lens.json 'as long as' "${SS}"'{"type":"sampled","name":"p","unit":"seconds","startValue":0,"endValue":1,"samples":[[0]],"weights":[]}]}'
bad_json unit.json 'profiles[0].unit: expected a unit' "${SS}"'{"type":"sampled","name":"p","unit":"parsecs","startValue":0,"endValue":1,"samples":[],"weights":[]}]}'
bad_json open.json 'expected every opened frame to be closed' "${SS}"'{"type":"evented","name":"p","unit":"seconds","startValue":0,"endValue":1,"events":[{"type":"O","frame":0,"at":0}]}]}'
bad_json close.json 'expected to close the frame opened last' "${SS}"'{"type":"evented","name":"p","unit":"seconds","startValue":0,"endValue":1,"events":[{"type":"C","frame":0,"at":0}]}]}'
bad_json order.json 'expected events in time order' "${SS}"'{"type":"evented","name":"p","unit":"seconds","startValue":0,"endValue":1,"events":[{"type":"O","frame":0,"at":1},{"type":"C","frame":0,"at":0}]}]}'
bad_json frame.json 'shared.frames[0]: expected a frame' '{"shared":{"frames":[{"nom":"a"}]},"profiles":[{"type":"sampled","name":"p","unit":"seconds","startValue":0,"endValue":1,"samples":[[0]],"weights":[1]}]}'
bad_json pyi.json 'frame_records[0][0][0]: expected a frame' '{"frame_records":[[["main\u0000app.py"],0.5]]}'
bad_json pyit.json 'frame_records[1][1]: expected a time' '{"frame_records":[[["main\u0000app.py\u00001"],0.5],[["main\u0000app.py\u00001"],-2]]}'
bad_json pyir.json 'frame_records[0]: expected a record' '{"frame_records":[{"stack":[]}]}'

# The sample arrays are read from the text, not as a jansson tree (json_scan.c): a py-spy-like
# file loads in under 2.5 times its size (the mapped text included: the tree of its numbers
# alone took ten times the size), and gives the profile jansson's tree gives.
pyrun tests/export/gen_big_speedscope.py "$T/big.json" "$T/tree.json"
size_kb=$(( $(stat -c %s "$T/big.json") / 1024 ))
/usr/bin/time -f '%M' -o "$T/big.kb" "$ROOT/build/pstatsh" "$T/big.json" -c 'sort tottime' \
    -c 'stats 30' >"$T/big.out" 2>&1
# (not on the SANITIZE=1 build: ASan's shadow memory and quarantine are no measure of ours)
if [ -f "$ROOT/build/.flavour-san" ]; then :
elif [ "$(tail -1 "$T/big.kb")" -lt $((size_kb * 5 / 2)) ]; then ok
else bad "speedscope import: peak $(tail -1 "$T/big.kb") KB for a file of $size_kb KB"; fi
"$ROOT/build/pstatsh" "$T/tree.json" -c 'sort tottime' -c 'stats 30' >"$T/tree.out" 2>&1
if [ "$(grep -c 'm[0-9]*[.]py' "$T/big.out")" -eq 30 ] &&
   cmp -s <(grep -v json "$T/big.out") <(grep -v json "$T/tree.out"); then ok
else bad "speedscope import: the text's arrays and jansson's tree disagree" "$(diff "$T/big.out" "$T/tree.out" | head -5)"; fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
