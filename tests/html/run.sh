#!/usr/bin/env bash
# prof2html: the page of every real dump holds what CPython's pstats reads
# (check_page.py), its data blocks cannot be ended by a name and are JSON,
# its CSP allows only its own script and style and no request; the page of a
# 20,000-function dump is smaller than the dump; bad input and atomic output;
# pstatsh's `export html`.  Then, when Debian's chromium, chromium-driver and
# python3-selenium are present, the pages in headless Chromium (browser.py):
# no console error, no request, pstats' rows, sorting, filtering, zoom and
# breadcrumbs, callers and callees, search highlighting, the URL state, the
# dark theme, and a profile of hostile names shown as text with nothing run;
# prof2folded's SVG flame graph: click to zoom, reset, search.
# Ends with "N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
ROOT=$PWD
. tests/tier.sh
. tests/pyserve.sh
BIN=$ROOT/build/prof2html
CHECK="pyrun $ROOT/tests/html/check_page.py"
OUT=$ROOT/build/tests/html
mkdir -p "$OUT"
T=$(mktemp -d)
browser_pid=
trap '[ -n "$browser_pid" ] && kill "$browser_pid" 2>/dev/null; rm -rf "$T"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() {
    fail=$((fail + 1))
    echo "FAIL: $1"
    [ -n "${2:-}" ] && printf '%s\n' "$2" | head -8
}
[ -x "$BIN" ] || make -s build/prof2html build/pstatsh

# ---- 7. in a real browser: started first, in the background ---------------------------
# (Chromium's run is mostly waiting -- for rendering, for the page's timers -- so the
# static checks of sections 1-6 run beside it; its results are counted at the end)
SEL_PY=/usr/bin/python3
browser=
if command -v chromium >/dev/null && [ -x /usr/bin/chromedriver ] &&
   $SEL_PY -c 'import selenium' 2>/dev/null; then
    browser=1
    P=$T/pages
    mkdir -p "$P"
    : >"$P/pages.txt"
    # the quick tier: the pages the interactions run on (recur, tokenize,
    # hostile); the full tier adds the table check on the other writers' dumps
    specs=(recur:data/recur.prof tokenize:data/tokenize.prof hostile:tests/html/hostile-cprofile-3.13.prof)
    tier_full && specs+=(restats:data/restats recur-py27:data/recur-py27.prof
                         multimod-profile:tests/dumps/multimod-profile-3.13.prof
                         yappi:tests/dumps/difflib-yappi-3.11.prof)
    for spec in "${specs[@]}"; do
        n=${spec%%:*} dump=${spec#*:}
        title=()
        [ "$n" = hostile ] && title=(--title '</title><script>window.__pwned=9</script>')
        "$BIN" "${title[@]}" "$dump" -o "$P/$n.html" && echo "$n $ROOT/$dump" >>"$P/pages.txt"
    done
    # --diff BASE: colours checked against profdiff's JSON
    A=tests/diff/dumps/app-before-3.11.prof B=tests/diff/dumps/app-after-3.11.prof
    "$BIN" --diff "$A" "$B" -o "$P/diff-app.html" && build/profdiff --format json "$A" "$B" >"$P/diff-app.json" &&
        echo "diff-app $ROOT/$B $P/diff-app.json" >>"$P/pages.txt"
    # prof2folded's interactive SVG
    build/prof2folded --svg data/tokenize.prof -o "$P/svg-tokenize.svg" && echo "svg-tokenize $ROOT/data/tokenize.prof" >>"$P/pages.txt"
    build/prof2folded --svg tests/html/hostile-cprofile-3.13.prof -o "$P/svg-hostile.svg" &&
        echo "svg-hostile $ROOT/tests/html/hostile-cprofile-3.13.prof" >>"$P/pages.txt"
    timeout 1200 $SEL_PY tests/html/browser.py "$ROOT/build" "$OUT" "$P" >"$T/browser.out" 2>&1 &
    browser_pid=$!
else
    echo "note: chromium, chromium-driver or python3-selenium missing: the browser checks are skipped"
fi

# ---- 1. the page's script parses ------------------------------------------------------
if command -v node >/dev/null; then
    if out=$(node --check src/html/page.js 2>&1); then ok; else bad "node --check page.js" "$out"; fi
else
    echo "note: node is missing: the script is not syntax-checked"
fi

# ---- 2. every real dump: static checks, and CPython's pstats as the oracle ---------------
dumps=(data/recur.prof data/restats data/tokenize.prof data/recur-py27.prof tests/dumps/*.prof
       tests/dumps/*.prof.gz tests/html/hostile-*.prof)
# the oracle where this CPython reads the dump (not 2.7 dumps, code objects of other
# versions, gzip): asked for every dump in one Python start-up
declare -A readable=()
while IFS= read -r d; do readable[$d]=1; done < <(pyrun -c '
import pstats, sys
for d in sys.argv[1:]:
    try:
        pstats.Stats(d)
    except BaseException:
        continue
    print(d)' "${dumps[@]}" 2>/dev/null)
for dump in "${dumps[@]}"; do
    name=$(basename "$dump")
    if ! "$BIN" "$dump" -o "$T/page.html" 2>"$T/err"; then
        bad "$name: prof2html failed" "$(cat "$T/err")"
        continue
    fi
    oracle=
    [ -n "${readable[$dump]:-}" ] && oracle=$dump
    if out=$($CHECK "$T/page.html" $oracle 2>&1); then ok; else bad "$name: page check${oracle:+ against pstats}" "$out"; fi
done

# ---- 3. size: no bigger than the dump ----------------------------------------------------
if pyrun tests/bench/gen_synth.py 20000 100000 "$T/synth.prof" >/dev/null 2>&1 &&
   "$BIN" "$T/synth.prof" -o "$T/synth.html"; then
    d=$(stat -c %s "$T/synth.prof") h=$(stat -c %s "$T/synth.html")
    if [ "$h" -le "$d" ]; then ok; else bad "20,000-function page $h bytes > dump $d bytes"; fi
    if out=$($CHECK "$T/synth.html" "$T/synth.prof" 2>&1); then ok; else bad "synthetic page check" "$out"; fi
else
    bad "synthetic dump or its page failed"
fi

# ---- 4. errors: one line, non-zero, nothing written ---------------------------------------
head -c 200 data/recur.prof >"$T/trunc.prof"
echo "previous" >"$T/keep.html"
"$BIN" "$T/trunc.prof" -o "$T/keep.html" 2>"$T/err"; rc=$?
if [ $rc -ne 0 ] && [ "$(wc -l <"$T/err")" -eq 1 ] && grep -Eq "^prof2html: $T/trunc.prof: byte [0-9]+: " "$T/err"; then ok
else bad "truncated dump: one error line, non-zero exit (rc $rc)" "$(cat "$T/err")"; fi
if [ "$(cat "$T/keep.html")" = previous ] && [ -z "$(ls -A "$T" | grep '\.tmp')" ]; then ok
else bad "a failed run left the previous output or a temporary behind"; fi
"$BIN" data/recur.prof -o "$T/no/such/dir/x.html" 2>"$T/err"; rc=$?
if [ $rc -ne 0 ] && [ "$(wc -l <"$T/err")" -eq 1 ] && grep -q '^prof2html: ' "$T/err"; then ok
else bad "unwritable output: one error line" "$(cat "$T/err")"; fi
"$BIN" "$T/missing.prof" -o "$T/m.html" 2>"$T/err"; rc=$?
if [ $rc -ne 0 ] && [ ! -e "$T/m.html" ] && grep -q "^prof2html: $T/missing.prof: " "$T/err"; then ok
else bad "missing input" "$(cat "$T/err")"; fi
"$BIN" --bogus data/recur.prof >/dev/null 2>"$T/err"; rc=$?
if [ $rc -eq 2 ] && grep -q '^prof2html: unknown option --bogus' "$T/err"; then ok; else bad "unknown option: exit 2" "$(cat "$T/err")"; fi
"$BIN" --min-fraction 2 data/recur.prof >/dev/null 2>"$T/err"; rc=$?
if [ $rc -eq 2 ]; then ok; else bad "--min-fraction 2 refused"; fi

# ---- 5. standard output, title, merged inputs -------------------------------------------
"$BIN" data/recur.prof -o "$T/a.html" && "$BIN" data/recur.prof >"$T/b.html"
if cmp -s "$T/a.html" "$T/b.html"; then ok; else bad "-o FILE and standard output differ"; fi
"$BIN" --title '</title><script>alert(1)</script> & "x"' data/recur.prof -o "$T/t.html"
if grep -q '<title>&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;</title>' "$T/t.html" &&
   $CHECK "$T/t.html" >/dev/null; then ok; else bad "the title is escaped"; fi
a=tests/dumps/mutual-cprofile-3.13.prof b=tests/dumps/mutual-cprofile-3.12.prof
"$BIN" "$a" "$b" -o "$T/m.html"
if out=$($CHECK "$T/m.html" "$a" "$b" 2>&1); then ok; else bad "two inputs merged as pstats.Stats(a, b) merges them" "$out"; fi

# ---- 5b. --diff BASE: the page's data with BASE's side (the colours: section 7) -----------
A=tests/diff/dumps/app-before-3.11.prof B=tests/diff/dumps/app-after-3.11.prof
if "$BIN" --diff "$A" "$B" -o "$T/d.html" 2>"$T/err" && out=$($CHECK "$T/d.html" "$B" 2>&1) &&
   grep -q '"diff":{"base":"tests/diff/dumps/app-before-3.11.prof","total_tt":330313861,' "$T/d.html"; then ok
else bad "--diff: the page and BASE's data" "$(cat "$T/err") $out"; fi
if "$BIN" --diff tests/dumps/tokenize-cprofile-3.11.prof --diff-strip-dirs tests/dumps/tokenize-cprofile-3.13.prof -o "$T/ds.html" &&
   grep -q '"tokenize.py"' "$T/ds.html" && ! grep -q 'lib/python3.13/tokenize.py' "$T/ds.html" &&
   pyrun -c 'import json, re, sys
h = open(sys.argv[1], encoding="utf-8").read()
d = json.loads(re.search(r"id=.profile-data.>(.*?)</script>", h, re.S).group(1))
m = d["str"].index("tokenize.py")
e = [i for i in range(len(d["nc"])) if d["ff"][i] == m and d["str"][d["fn"][i]] == "<module>"]
sys.exit(not e or e[0] in d["diff"]["absent"])' "$T/ds.html"; then ok
else bad "--diff-strip-dirs: NEW stripped, tokenize.py's <module> matched across the two installs"; fi
H=tests/html/hostile-cprofile-3.13.prof
if "$BIN" --diff "$H" "$H" -o "$T/dh.html" && out=$($CHECK "$T/dh.html" "$H" 2>&1); then ok
else bad "--diff of hostile names: the data blocks stay closed" "$out"; fi
"$BIN" --diff "$T/missing.prof" "$B" -o "$T/dm.html" 2>"$T/err"; rc=$?
if [ $rc -eq 1 ] && [ ! -e "$T/dm.html" ] && grep -q "^prof2html: $T/missing.prof: " "$T/err"; then ok
else bad "--diff with a missing BASE" "$(cat "$T/err")"; fi
"$BIN" --diff - - -o "$T/dm.html" </dev/null 2>"$T/err"; rc=$?
if [ $rc -eq 2 ] && grep -q '^prof2html: standard input (-) can be read only once' "$T/err"; then ok
else bad "--diff - -: refused" "$(cat "$T/err")"; fi

# ---- 6. pstatsh: export html ---------------------------------------------------------------
if build/pstatsh -c 'export html '"$T/e.html" data/tokenize.prof >/dev/null 2>"$T/err" &&
   out=$($CHECK "$T/e.html" data/tokenize.prof 2>&1); then ok; else bad "pstatsh export html" "$(cat "$T/err") $out"; fi
build/pstatsh -c strip -c "export html $T/s.html" data/tokenize.prof >/dev/null 2>&1
if grep -q '"tokenize.py"' "$T/s.html" && ! grep -q '/usr/lib/python3.13/tokenize.py' "$T/s.html"; then ok
else bad "export html writes the current (stripped) statistics"; fi
out=$(build/pstatsh -c "export html $T/no/dir/x.html" data/recur.prof 2>&1)
if printf '%s' "$out" | grep -q "cannot" && [ ! -e "$T/no" ]; then ok; else bad "export html to a bad path says why" "$out"; fi

# ---- 7. the browser's results ---------------------------------------------------------
if [ -n "$browser" ]; then
    wait "$browser_pid"
    grep -v '^browser: ' "$T/browser.out" | head -60
    line=$(grep -E '^browser: [0-9]+ passed, [0-9]+ failed' "$T/browser.out" | tail -1)
    if [ -n "$line" ]; then
        p=${line#browser: }; p=${p%% passed*}
        f=${line#*, }; f=${f%% failed*}
        pass=$((pass + p)) fail=$((fail + f))
        echo "browser checks: $p passed, $f failed (screenshots in $OUT)"
    else
        bad "the browser run ended without its summary" "$(tail -20 "$T/browser.out")"
    fi
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
