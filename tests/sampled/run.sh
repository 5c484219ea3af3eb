#!/usr/bin/env bash
# Sampled profiles (folded stacks, Austin, plop): the case table against the
# recorded goldens; the pstats view and the exact stacks of every file against
# an independent Python reference (sref.py); profmerge's dumps loaded by
# CPython 3.8-3.13; bad input refused with one line naming the file, the line
# and what was expected; truncations; deep stacks, huge counts, bad UTF-8.
# Ends with "N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
ROOT=$PWD
. tests/tier.sh
. tests/sampled/lib.sh
B=$ROOT/build
D=tests/sampled/data
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
PY=${PYTHON:-python3}
# sref.py and the other Python checks in one python3 process (tests/pyserve.sh)
PYRUN_PYTHON=$PY
. tests/pyserve.sh
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() {
    fail=$((fail + 1))
    echo "FAIL: $1"
    [ -n "${2:-}" ] && printf '%s\n' "$2" | head -8
}

# ---- 1. the case table -------------------------------------------------------------------
while IFS='|' read -r name cmd; do
    name=$(trim "$name")
    case "$name" in ''|\#*) continue ;; esac
    if run_case "$cmd" > "$T/out" && cmp -s "$T/out" "tests/sampled/golden/$name.out"; then
        ok
    else
        bad "case $name" "$(diff "tests/sampled/golden/$name.out" "$T/out" | head -8)"
    fi
done < tests/sampled/cases.txt

# ---- 2. the reference: pstats view and exact stacks from the raw stacks -----------------
# FORMAT FILE: for each option set, pstatsh's dump loaded by CPython's pstats equals the
# reference's table (sref.py stats), and prof2folded gives back the input's stacks with
# weights in proportion (sref.py folded).
refs="folded:pyspy-raw.folded folded:pyspy-old.folded folded:cpython315.collapsed
folded:plop-tokenize.flamegraph plop:plop-tokenize.plop austin:austin3-full.austin
austin:austin3-wall.austin"
for f in $D/austin-*.austin $D/work-*.austin; do refs="$refs austin:${f#$D/}"; done
for r in $refs; do
    fmt=${r%%:*} file=$D/${r#*:}
    opts=("" --threads --lines "--interval 0.001")
    case $file in */austin-*) opts=("" --lines) ;; esac   # the big ones: fewer runs
    # the quick tier: every option on one file of each format, the others as they are
    if ! tier_full; then
        case $r in folded:pyspy-raw.folded|plop:*|austin:austin3-full.austin) ;; *) opts=("") ;; esac
    fi
    for opt in "${opts[@]}"; do
        # shellcheck disable=SC2086
        if "$B/pstatsh" $opt "$file" -c "dump $T/d.prof" > "$T/log" 2>&1 &&
           out=$(pyrun tests/sampled/sref.py stats "$fmt" "$file" "$T/d.prof" $opt 2>&1) &&
           [ "$out" = ok ]; then ok; else bad "reference stats: $r $opt" "$out $(cat "$T/log")"; fi
        # shellcheck disable=SC2086
        if "$B/prof2folded" $opt "$file" -o "$T/f.txt" 2> "$T/log" &&
           out=$(pyrun tests/sampled/sref.py folded "$fmt" "$file" "$T/f.txt" $opt 2>&1) &&
           [ "$out" = ok ]; then ok; else bad "round trip: $r $opt" "$out $(cat "$T/log")"; fi
    done
done
# the SVG says the stacks are the sampler's
"$B/prof2folded" --svg "$D/austin-tokenize-3.6.austin" -o "$T/f.svg" &&
    grep -q 'sampled: exact stacks' "$T/f.svg" && ok || bad "SVG does not say sampled"
grep -q 'sampled' <<<"$("$B/prof2folded" --svg tests/dumps/mutual-cprofile-3.13.prof)" &&
    bad "a deterministic profile's SVG says sampled" || ok

# The folded reader's fast paths against the reference: frames of every length from 1 to
# 40 bytes, so that their ';' fall at every place of the reader's 16-byte steps (and lines
# shorter than one); ":LINE)" of 1 to 9 digits, leading zeros too (eight digits and more
# are read a digit at a time, fewer in one word); "name (file)", bare and CPython-style
# frames; counts of 1 to 9 digits, blanks before them, a ';' ending the stack, CRLF.
pyrun - "$T/shapes.folded" <<'PYEOF'
import random, sys
rng = random.Random(5)
def frame():
    k = rng.randrange(10)
    name = "f%d" % rng.randrange(60)
    if k < 6:
        digits = rng.choice([1, 1, 2, 3, 4, 5, 6, 7, 8, 9])
        line = "%0*d" % (digits, rng.randrange(10 ** rng.randrange(1, digits + 1)))
        file = rng.choice(["a.py", "p/m.py", "x", "dir/sub/longer_name.py", "c:/w.py"])
        t = "%s (%s:%s)" % (name, file, line)
    elif k < 7:
        t = "%s (m%d.py)" % (name, rng.randrange(3))
    elif k < 9:
        t = "m%d.py:%s:%d" % (rng.randrange(3), name, rng.randrange(1, 99))
    else:
        t = name
    # padded or cut to a length of 1 to 40 now and then (a name of that length)
    if rng.random() < 0.3:
        n = rng.randrange(1, 41)
        t = ("%s_" % name * 40)[:n]
    return t
out = []
for i in range(4000):
    frames = [frame() for _ in range(rng.randrange(1, 12))]
    count = rng.randrange(1, 10 ** rng.randrange(1, 10)) if rng.random() < 0.2 else rng.randrange(1, 9)
    end = ";" if rng.random() < 0.1 else ""
    sep = " " * rng.randrange(1, 4)
    nl = "\r\n" if rng.random() < 0.1 else "\n"
    out.append(";".join(frames) + end + sep + str(count) + nl)
open(sys.argv[1], "w", newline="").write("".join(out))
PYEOF
for opt in "" --lines --threads; do
    # shellcheck disable=SC2086
    if "$B/pstatsh" $opt "$T/shapes.folded" -c "dump $T/d.prof" > "$T/log" 2>&1 &&
       out=$(pyrun tests/sampled/sref.py stats folded "$T/shapes.folded" "$T/d.prof" $opt 2>&1) &&
       [ "$out" = ok ]; then ok; else bad "reference stats: generated shapes $opt" "$out $(cat "$T/log")"; fi
    # shellcheck disable=SC2086
    if "$B/prof2folded" $opt "$T/shapes.folded" -o "$T/f.txt" 2> "$T/log" &&
       out=$(pyrun tests/sampled/sref.py folded folded "$T/shapes.folded" "$T/f.txt" $opt 2>&1) &&
       [ "$out" = ok ]; then ok; else bad "round trip: generated shapes $opt" "$out $(cat "$T/log")"; fi
done

# A frame cached without a ":LINE)" that its parse does not take as a line (the bare name
# "foo:12)"): the row has the first parse's line (none), and only a smaller line seen
# later is news for it (the frame cache keeps the smallest line, the row gets it at the end)
printf 'foo:12) 1\nfoo:15) 2\nfoo:13) 1\n' > "$T/keyline.folded"
printf 'foo:12) 1\nfoo:15) 2\nfoo:11) 1\nfoo:13) 1\n' > "$T/keyline2.folded"
a=$("$B/pstatsh" "$T/keyline.folded" -c stats 2>&1 | grep 'foo:')
b=$("$B/pstatsh" "$T/keyline2.folded" -c stats 2>&1 | grep 'foo:')
[[ "$a" == *' foo:12)' && "$b" == *' ~:11(foo:12))' ]] && ok || bad "a cached frame's line that its parse does not read" "$a / $b"

# ---- 3. merging ------------------------------------------------------------------------------
# profmerge: the stacks add up (merged folded = reference of both inputs' stacks together),
# same functions unify; the dump loads in CPython 3.8-3.13 with the merged totals.
cat "$D/work-3.8.austin" "$D/austin-tokenize-3.8.austin" > "$T/both.austin"
"$B/profmerge" --output-format folded -o "$T/m.txt" "$D/work-3.8.austin" "$D/austin-tokenize-3.8.austin" &&
    out=$(pyrun tests/sampled/sref.py folded austin "$T/both.austin" "$T/m.txt") && [ "$out" = ok ] &&
    ok || bad "profmerge --output-format folded" "$out"
"$B/pstatsh" "$T/both.austin" -c "dump $T/both.prof" > /dev/null
"$B/profmerge" -o "$T/m.prof" "$D/work-3.8.austin" "$D/austin-tokenize-3.8.austin" 2> "$T/err"
[ "$(cat "$T/err")" = "profmerge: note: the stacks of the sampled inputs do not survive in a pstats dump (--output-format folded keeps them)" ] &&
    ok || bad "profmerge: the note on stderr" "$(cat "$T/err")"
out=$(pyrun tests/sampled/sref.py stats austin "$T/both.austin" "$T/m.prof") && [ "$out" = ok ] &&
    ok || bad "profmerge dump = reference of both inputs" "$out"
tier_full && versions="3.8.18 3.11.7 3.13.0" || versions=   # live CPython: the full tier
for v in $versions; do
    if PYENV_VERSION=$v pyenv which python >/dev/null 2>&1; then
        out=$(PYENV_VERSION=$v pyenv exec python -c "
import pstats, sys
a = pstats.Stats(sys.argv[1]); b = pstats.Stats(sys.argv[2])
print(a.total_calls == b.total_calls and abs(a.total_tt - b.total_tt) < 1e-9 and len(a.stats) == len(b.stats))" \
            "$T/m.prof" "$T/both.prof" 2>&1)
        [ "$out" = True ] && ok || bad "CPython $v loads profmerge's dump" "$out"
    fi
done
# inputs read on four threads at once: the same merge as the reference of all their stacks
set -- work-3.6.austin work-3.8.austin work-3.7-alt.austin work-3.7-full.austin austin-tokenize-3.6.austin
(cd "$D" && cat "$@") > "$T/all.austin"
(cd "$D" && "$B/profmerge" -q -j 4 --output-format folded -o "$T/mj.txt" "$@") &&
    out=$(pyrun tests/sampled/sref.py folded austin "$T/all.austin" "$T/mj.txt") && [ "$out" = ok ] &&
    ok || bad "profmerge -j 4 of five Austin files" "$out"
# --sampled-marker: CPython 3.15's key, read back as sampled
"$B/profmerge" -q --sampled-marker -o "$T/mk.prof" "$D/plop-tokenize.plop" &&
    pyrun -c "import marshal,sys; d=marshal.load(open(sys.argv[1],'rb')); sys.exit(0 if d.get(('__sampled__',)) is True else 1)" "$T/mk.prof" &&
    grep -q ' nsamples  tottime persample' <<<"$("$B/pstatsh" "$T/mk.prof" -c stats)" &&
    ok || bad "--sampled-marker"
"$B/profmerge" -q -o "$T/nm.prof" "$D/plop-tokenize.plop" &&
    pyrun -c "import marshal,sys; d=marshal.load(open(sys.argv[1],'rb')); sys.exit(1 if ('__sampled__',) in d else 0)" "$T/nm.prof" &&
    ok || bad "the marker written without --sampled-marker"
# mixing sampled and deterministic inputs: one line, non-zero, nothing written
for prog in "profmerge -o $T/mix.prof" "pstatsh -c stats" "prof2dot -o $T/mix.dot"; do
    err=$($B/$prog "$D/plop-tokenize.plop" tests/dumps/mutual-cprofile-3.13.prof 2>&1 >/dev/null); rc=$?
    [ $rc -ne 0 ] && [ "$(wc -l <<<"$err")" -eq 1 ] && grep -q "cannot merge a sampled profile with a deterministic one" <<<"$err" &&
        [ ! -e "$T/mix.prof" ] && [ ! -e "$T/mix.dot" ] && ok || bad "mixing refused: $prog" "rc $rc: $err"
done
# strip_dirs keeps the stacks right: the stripped folded stacks are the input's with basenames
"$B/prof2folded" "$D/work-3.6.austin" -o "$T/nostrip.txt"
"$B/pstatsh" "$D/work-3.6.austin" -c strip -c "export folded $T/strip.txt" > /dev/null 2>&1
out=$(pyrun - "$T/nostrip.txt" "$T/strip.txt" <<'PYEOF'
import re, sys
def load(p, strip):
    d = {}
    for line in open(p):
        k, c = line.rstrip("\n").rsplit(" ", 1)
        if strip:
            k = re.sub(r" \((?:[^;()]*/)?([^;/()]*:\d+)\)", r" (\1)", k)
        d[k] = d.get(k, 0) + int(c)
    return d
a, b = load(sys.argv[1], True), load(sys.argv[2], False)
print("ok" if a == b else "differ: %d vs %d stacks" % (len(a), len(b)))
PYEOF
)
[ "$out" = ok ] && ok || bad "export folded after strip: the stacks with base names" "$out"

# ---- 4. bad input: one line "PROG: FILE: line N: what was expected" --------------------------
# name | printf text | expected stderr (a regex after "pstatsh: FILE: ")
while IFS='|' read -r name text want; do
    name=$(trim "$name")
    case "$name" in ''|\#*) continue ;; esac
    text=$(trim "$text") want=$(trim "$want")
    printf "$text" > "$T/$name"
    err=$("$B/pstatsh" "$T/$name" -c stats 2>&1 >/dev/null); rc=$?
    if [ $rc -ne 0 ] && [ $rc -lt 128 ] && [ "$(wc -l <<<"$err")" -eq 1 ] &&
       grep -qE "^pstatsh: $T/$name: $want" <<<"$err"; then ok; else bad "bad input $name (rc $rc)" "$err"; fi
done <<'EOF'
folded-nocount    | main (a.py:1);f (a.py:2)\n                    | line 1: expected a sample count \(digits\) after the last space
folded-badcount   | main (a.py:1) 3\nmain (a.py:1);f (a.py:2) 12x\n | line 2: expected a sample count \(digits\) after the last space, found '12x'
folded-negative   | main (a.py:1) 3\nf (a.py:2) -3\n           | line 2: expected a sample count \(digits\)
folded-emptyframe | main (a.py:1);;f (a.py:2) 3\n              | line 1: expected a frame between ';', found none
folded-nospace    | main;f;g\n                                 | line 1: expected 'frame;frame;... COUNT', found no space
austin1-badline   | Thread 1;f (a.py);L1 10\nThread 2;g a.py 5\n | line 2: expected a frame 'function \(file\)', found 'g a.py'
austin1-negative  | Thread 1;f (a.py);L1 10\nThread 1;f (a.py);L1 -5\n | line 2: expected a metric >= 0
austin-badmetric  | Thread 1;f (a.py);L1 1x\n                  | line 1: expected a metric \(an integer\) after the last space, found '1x'
austin3-badframe  | # mode: wall\nP1;T0:1;nocolon 5\n          | line 2: expected a frame 'file:function:line', found 'nocolon'
austin3-badfull   | # mode: full\nP1;T0:1;a.py:f:1 5,2\n       | line 2: expected the full-mode metric 'time,idle,rss'
austin3-badline   | # mode: cpu\nP1;T0:1;a.py:f:x1 5\n         | line 2: expected a line number after the last ':' of 'a.py:f:x1'
plop-badframe     | {(('a.py', 1),): 3}                        | line 1, column 13: expected ',' after the frame's line
plop-badcount     | {(('a.py', 1, 'f'),): -3}                  | line 1, column 23: expected an integer >= 0
plop-unclosed     | {(('a.py', 1, 'f'),): 3                    | line 1: expected ',' or '}' after a stack's count, found the end of the file
plop-badstring    | {(('a.py, 1, 'f'),): 3}                    | line 1, column 15: expected ',' after the frame's file
plop-trailing     | {(('a.py', 1, 'f'),): 3} x                 | line 1, column 26: expected the end of the file after the dict
plop-badescape    | {(('a\\x4', 1, 'f'),): 3}                  | line 1, column 9: expected a hexadecimal digit of the escape
plop-call         | {(('a.py', 1, __import__('os')),): 3}      | line 1, column 15: expected a string
nothing           | hello world\n                              | not a profile: tried a pstats dump \(marshal\), folded stacks, Austin, plop, speedscope and pyinstrument
empty-folded      | \n\n                                       | not a profile: tried
all-idle          | Thread 1 10\nThread 1 20\n                 | no samples with frames \(2 idle\)
EOF
# the line number is the file's, whatever the format finds first
printf '# mode: wall\n\nP1;T0:1;a.py:f:1 5\nP1;T0:1;a.py:f:1 5\nP1;T0:1;a.py:f:1 x\n' > "$T/l5.austin"
err=$("$B/prof2callgrind" -o "$T/cg" "$T/l5.austin" 2>&1); rc=$?
[ $rc -ne 0 ] && grep -q "^prof2callgrind: $T/l5.austin: line 5: " <<<"$err" && [ ! -e "$T/cg" ] && ok ||
    bad "prof2callgrind: line 5, nothing written" "$err"
# -f forces a format: a folded file read as Austin says why it is not
err=$("$B/pstatsh" -f austin "$D/pyspy-raw.folded" -c stats 2>&1 >/dev/null)
grep -q "pyspy-raw.folded: line 1: expected a line starting 'Thread ' (Austin 1.x) or 'P<pid>;T' (Austin 3.x)" <<<"$err" &&
    ok || bad "-f austin on folded" "$err"
err=$("$B/pstatsh" -f nosuch "$D/pyspy-raw.folded" -c stats 2>&1); rc=$?
[ $rc -eq 2 ] && grep -q "unknown input format 'nosuch'" <<<"$err" && ok || bad "-f nosuch" "$err"
err=$("$B/pstatsh" --interval -1 "$D/pyspy-raw.folded" -c stats 2>&1); rc=$?
[ $rc -eq 2 ] && grep -q "interval needs a number of seconds > 0" <<<"$err" && ok || bad "--interval -1" "$err"
err=$("$B/pstatsh" --interval nan "$D/pyspy-raw.folded" -c stats 2>&1); rc=$?
[ $rc -eq 2 ] && ok || bad "--interval nan" "$err"
# pstatsh's `add` reads the sampled formats too
out=$(printf 'add %s\nstats 1\n' "$D/plop-tokenize.plop" | "$B/pstatsh" "$D/plop-tokenize.flamegraph" 2>&1)
grep -q '53 samples (1 idle left out) in 0.530 seconds' <<<"$out" && ok || bad "pstatsh add" "$out"

# ---- 5. truncation at sampled offsets: a result or one line, never a crash ---------------------
for f in austin-tokenize-3.8.austin plop-tokenize.plop plop-tokenize.flamegraph austin3-full.austin cpython315.collapsed; do
    size=$(stat -c %s "$D/$f")
    for k in 1 2 3 5 7 11 13 17 19 23; do
        cut=$((size * k / 29))
        head -c "$cut" "$D/$f" > "$T/trunc.${f##*.}"
        err=$("$B/pstatsh" "$T/trunc.${f##*.}" -c 'stats 1' 2>&1 >/dev/null); rc=$?
        if [ $rc -eq 0 ] || { [ $rc -lt 128 ] && [ "$(wc -l <<<"$err")" -eq 1 ] &&
                               grep -qE "^pstatsh: $T/trunc[^:]*: (line [0-9]+|not a profile|no samples)" <<<"$err"; }; then
            ok
        else
            bad "truncated $f at $cut (rc $rc)" "$err"
        fi
    done
done
# a truncated plop dict is always an error, with the line
head -c 2000 "$D/plop-tokenize.plop" > "$T/t.plop"
grep -q "^pstatsh: $T/t.plop: line 1" <<<"$("$B/pstatsh" "$T/t.plop" -c stats 2>&1)" && ok || bad "truncated plop"

# ---- 6. extremes: deep stacks, huge counts, invalid UTF-8 ----------------------------------------
# A million frames of recursion: cumtime once per sample, ncalls 1, the edge f -> f once.
pyrun -c "import sys; sys.stdout.write('main (a.py:1);' + 'f (a.py:2);' * 1000000 + 'g (a.py:3) 2\n')" > "$T/deep.folded"
out=$("$B/pstatsh" "$T/deep.folded" -c 'sort cumulative' -c 'stats' -c 'callers f' 2>&1)
grep -qE '^ +2 +0\.000 +0\.000 +0\.020 +0\.010 a\.py:2\(f\)$' <<<"$out" &&
    grep -qE '^ +2 +0\.000 +0\.020  a\.py:2\(f\)$' <<<"$out" && ok || bad "a million frames" "$out"
"$B/prof2folded" "$T/deep.folded" -o "$T/deep.out" && [ "$(awk '{print $NF}' "$T/deep.out")" = 20000 ] &&
    [ "$(tr ';' '\n' < "$T/deep.out" | wc -l)" -eq 1000002 ] && ok || bad "a million frames through prof2folded"
# Counts beyond 2**63 saturate; the seconds follow the saturated count.
printf 'main (a.py:1);f (a.py:2) 99999999999999999999999\nmain (a.py:1) 9223372036854775807\n' > "$T/huge.folded"
out=$("$B/pstatsh" "$T/huge.folded" -c 'sort cumulative' -c 'stats' 2>&1)
grep -q '9223372036854775807 samples in' <<<"$out" && grep -qE '^9223372036854775807 .*a\.py:1\(main\)$' <<<"$out" &&
    ok || bad "huge counts saturate" "$out"
# Invalid UTF-8 in a name or a file: kept as text, the bad bytes written \xNN.
printf 'main (a.py:1);f\xff\xfe (b\xc3.py:2) 3\n' > "$T/utf.folded"
out=$("$B/pstatsh" "$T/utf.folded" -c stats 2>&1)
grep -qF 'b\xc3.py:2(f\xff\xfe)' <<<"$out" && ok || bad "invalid UTF-8 escaped" "$out"
"$B/pstatsh" "$T/utf.folded" -c "dump $T/utf.prof" > /dev/null &&
    pyrun -c "import pstats,sys; s=pstats.Stats(sys.argv[1]); sys.exit(0 if ('b\\\\xc3.py', 2, 'f\\\\xff\\\\xfe') in s.stats else 1)" "$T/utf.prof" &&
    ok || bad "escaped names survive a dump"
# Standard input and gzip go through the same detection.
"$B/pstatsh" - -c 'stats 1' < "$D/pyspy-raw.folded" | grep -q '19 samples in 0.190 seconds' && ok || bad "folded on standard input"
gzip -c "$D/austin-tokenize-3.6.austin" > "$T/a.austin.gz"
[ "$("$B/pstatsh" "$T/a.austin.gz" -c 'sort tottime' -c 'stats 5' | tail -n +2)" = \
  "$("$B/pstatsh" "$D/austin-tokenize-3.6.austin" -c 'sort tottime' -c 'stats 5' | tail -n +2)" ] &&
    ok || bad "gzip-compressed Austin file"
# A file over 64 kB is read a chunk of 2 MB at a time (import.c), not through its mapping:
# lines cut at a chunk's end, CRLF and blank lines, a line longer than a chunk, a last
# line without newline, read as the same bytes on standard input are (one buffer), and an
# error past the first chunk names the same line.
$PY - "$T/chunks.folded" "$T/chunks-bad.folded" <<'PYEOF'
import sys
lines = []
for i in range(60000):
    lines.append("main (app.py:1);f%d (m%d.py:%d);g%d (n.py:%d) %d" % (i % 5000, i % 97, 3 + i % 7, i % 13, i % 50, 1 + i % 3))
    if i % 1000 == 0:
        lines[-1] += " \r"
    if i % 777 == 0:
        lines.append("")
lines.insert(30000, ";".join("deep%d (d.py:%d)" % (j, j) for j in range(150000)) + " 2")
body = "\n".join(lines)
open(sys.argv[1], "w").write(body)
bad = lines[:]
bad.insert(50000, "main (app.py:1);f (m.py:2) 12x")
open(sys.argv[2], "w").write("\n".join(bad) + "\n")
PYEOF
a=$("$B/pstatsh" "$T/chunks.folded" -c 'sort cumulative' -c 'stats 12' -c 'callers deep149999' 2>&1 | tail -n +2)
b=$("$B/pstatsh" - -c 'sort cumulative' -c 'stats 12' -c 'callers deep149999' < "$T/chunks.folded" 2>&1 | tail -n +2)
[ -n "$a" ] && [ "$a" = "$b" ] && grep -q 'deep149999' <<<"$a" && ok || bad "a big file read in chunks" "$(diff <(echo "$a") <(echo "$b") | head -8)"
a=$("$B/pstatsh" "$T/chunks-bad.folded" -c stats 2>&1 | sed 's/^.*: line /line /')
b=$("$B/pstatsh" - -c stats < "$T/chunks-bad.folded" 2>&1 | sed 's/^.*: line /line /')
grep -q '^line 50[0-9]*: ' <<<"$a" && [ "$a" = "$b" ] && ok || bad "an error past the first chunk" "$a / $b"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
