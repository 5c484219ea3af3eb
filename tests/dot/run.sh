#!/usr/bin/env bash
# prof2dot against the graphs gprof2dot wrote (see README.md), plus its own
# checks: both writers, inputs gprof2dot cannot read, errors, the pprof-style
# options, rendering and pstatsh's `export dot`.  Ends with "N passed, N failed".
# Quick tier (tests/tier.sh): each option set on a third of the dumps, rotating, so that
# every dump and every option set still runs.
set -u
cd "$(dirname "$0")/../.."
. tests/tier.sh
T=tests/dot
BIN=build/prof2dot
SH=build/pstatsh
CMP=build/testtools/dotcmp
# Graphviz's font and plugin caches are never freed: not ours to report
export LSAN_OPTIONS="${LSAN_OPTIONS:+$LSAN_OPTIONS:}suppressions=$PWD/tests/lsan.supp:print_suppressions=0"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/prof2dot-test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
check() {   # description, command...
    local what=$1; shift
    if "$@"; then ok; else bad "$what"; fi
}

if [ ! -x "$BIN" ]; then
    echo "$BIN is missing (run make)"; echo "0 passed, 1 failed"; exit 1
fi
if [ ! -x "$CMP" ] || [ "$T/dotcmp.c" -nt "$CMP" ]; then
    mkdir -p build/testtools
    # shellcheck disable=SC2046
    if ! ${CC:-cc} -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra $([ "${WERROR:-}" = 1 ] && echo -Werror) $(pkg-config --cflags libcgraph) \
            "$T/dotcmp.c" -o "$CMP" $(pkg-config --libs libcgraph); then
        echo "cannot build dotcmp"; echo "0 passed, 1 failed"; exit 1
    fi
fi

noaddr() { sed 's/0x[0-9a-fA-F]*/0x/g' "$1"; }

# Graphviz must read every graph we write: dot's own layout, or sfdp for big
# graphs (dot needs minutes beyond a few hundred nodes).
parses() {
    local f=$1 n
    # (the first field without cut, the name below without basename: a process costs
    # ~5 ms of CPU on a small VM)
    n=$("$CMP" --stats "$f" 2>/dev/null)
    n=${n%% *}
    [ -n "$n" ] || return 1
    if [ "$n" -le 400 ]; then
        dot -Tsvg "$f" -o "$TMP/check.svg" 2>"$TMP/dot.err"
    else
        dot -Ksfdp -Tsvg "$f" -o "$TMP/check.svg" 2>"$TMP/dot.err"
    fi || { cat "$TMP/dot.err"; return 1; }
    grep -q '<svg' "$TMP/check.svg"
}

# The message gprof2dot gives when -z or -l matches nothing.
refusal_for() {   # options...
    local prev=
    for w in "$@"; do
        case $prev in
        -z) echo "prof2dot: root node $w not found (might already be pruned : try -e0 -n0 flags)"; return ;;
        -l) echo "prof2dot: leaf node $w not found (maybe already pruned : try -e0 -n0 flags)"; return ;;
        esac
        prev=$w
    done
}

# ---- every dump x every option set -----------------------------------------
dumps=("$T"/dumps/*.prof)
set -f    # option sets carry globs (-z *:<module>)
nset=0
while IFS='|' read -r set opts; do
    [ -n "$set" ] || continue
    nset=$((nset + 1))
    # shellcheck disable=SC2086
    set -- $opts
    ndump=0
    for dump in "${dumps[@]}"; do
        ndump=$((ndump + 1))
        tier_full || [ $(((ndump + nset) % 3)) -eq 0 ] || continue
        name=${dump##*/} name=${name%.prof}
        gold=$T/golden/$name.$set.dot
        out=$TMP/$name.$set.dot
        "$BIN" -f pstats "$@" "$dump" -o "$out" 2>"$TMP/err"
        rc=$?
        if [ -f "$gold" ]; then
            if [ $rc -ne 0 ]; then
                bad "$name $set: exit $rc: $(head -c 300 "$TMP/err")"
                continue
            fi
            if "$CMP" "$gold" "$out" >"$TMP/diff"; then ok; else
                bad "$name $set: graph differs from gprof2dot's"; head -n 8 "$TMP/diff"
            fi
            # the streaming writer prints gprof2dot's own text
            if "$BIN" -f pstats "$@" --dot-writer=text "$dump" -o "$TMP/text.dot" 2>/dev/null &&
                cmp -s <(noaddr "$gold") <(noaddr "$TMP/text.dot"); then ok; else
                bad "$name $set: --dot-writer=text is not gprof2dot's text"
            fi
        else
            want=$(refusal_for "$@")
            if [ $rc -ne 0 ]; then
                # gprof2dot refused (or, for 2.7, could not read the dump):
                # only a root/leaf miss is a reason for us to refuse
                if [ -n "$want" ] && [ "$(cat "$TMP/err")" = "$want" ] && [ ! -e "$out" ]; then ok; else
                    bad "$name $set: exit $rc: $(head -c 300 "$TMP/err") (wanted: ${want:-success})"
                fi
                if [[ $name == *-2.7 ]]; then
                    # a 2.7 dump refused for a miss: the pattern matches nothing at all
                    pat=$(printf '%s\n' "$want" | sed -E 's/^prof2dot: (root|leaf) node (.*) not found.*/\2/')
                    check "$name $set: '$pat' really matches nothing" \
                        test "$("$BIN" -n0 -e0 --list-functions "$pat" "$dump" 2>&1)" = ""
                fi
                continue
            fi
            if [[ $name == *-2.7 ]]; then ok; else
                bad "$name $set: gprof2dot refused (${want:-?}) but prof2dot drew a graph"
            fi
        fi
        check "$name $set: Graphviz reads the graph" parses "$out"
    done
done <"$T/golden/optsets.txt"
set +f

# ---- depth-limited walks in 3.6/3.7 set order ---------------------------------
set -f
while IFS='|' read -r dump opts want; do
    [ -n "$dump" ] || continue
    # shellcheck disable=SC2086
    got=$("$BIN" --dot-writer=text $opts "$T/walks/$dump" | grep -oE '^	[0-9]+ \[' | tr -d '\t [' |
          sort -n | tr '\n' ' ' | sed 's/ $//')
    check "walk $dump $opts" test "$got" = "$want"
done <"$T/walks/cases.txt"
set +f

# ---- inputs gprof2dot cannot read, and merging ----------------------------------
D=$T/dumps
U=$D/unittest-difflib-cprofile-3.11.prof
check "gzip input" sh -c "'$BIN' '$U.gz' -o '$TMP/gz.dot' && '$CMP' '$T/golden/unittest-difflib-cprofile-3.11.default.dot' '$TMP/gz.dot' >/dev/null"
check "standard input" sh -c "'$BIN' - <'$D/recur-profile-3.12.prof' -o '$TMP/stdin.dot' && '$CMP' '$T/golden/recur-profile-3.12.default.dot' '$TMP/stdin.dot' >/dev/null"
check "gzip on standard input" sh -c "'$BIN' -n0 -e0 - <'$U.gz' >'$TMP/gzstdin.dot' && '$CMP' '$T/golden/unittest-difflib-cprofile-3.11.all.dot' '$TMP/gzstdin.dot' >/dev/null"
for d in "$D"/*-2.7.prof; do
    check "$(basename "$d"): drawn with every node and edge" sh -c \
        "'$BIN' -n0 -e0 '$d' -o '$TMP/27.dot' && test \"\$('$CMP' --stats '$TMP/27.dot')\" != '0 0'"
done
# Stats(a, b) and Stats(b, a) add the same numbers: the same graph
check "merge is symmetric" sh -c "'$BIN' '$D/recur-cprofile-3.10.prof' '$D/recur-cprofile-3.8.prof' -o '$TMP/m1.dot' &&
    '$BIN' '$D/recur-cprofile-3.8.prof' '$D/recur-cprofile-3.10.prof' -o '$TMP/m2.dot' && '$CMP' '$TMP/m1.dot' '$TMP/m2.dot'"
check "a merge doubles the counts" sh -c "'$BIN' -n0 -e0 '$D/recur-cprofile-3.10.prof' '$D/recur-cprofile-3.10.prof' |
    grep -q 'recur:3:hanoi.n41.70%.n(38.93%).n16382×'"
check "merged graph parses" parses "$TMP/m1.dot"

# ---- both writers agree on a big graph ------------------------------------------
check "cgraph and streaming writers agree (-n0 -e0)" sh -c "'$BIN' -n0 -e0 --dot-writer=cgraph '$U' -o '$TMP/c.dot' &&
    '$BIN' -n0 -e0 --dot-writer=text '$U' -o '$TMP/t.dot' && '$CMP' '$TMP/c.dot' '$TMP/t.dot'"

# ---- errors: one line, non-zero exit, nothing written --------------------------
err_case() {   # description, expected stderr regex, args...
    local what=$1 want=$2; shift 2
    rm -f "$TMP/out.dot"
    "$BIN" "$@" -o "$TMP/out.dot" >/dev/null 2>"$TMP/err"
    local rc=$?
    if [ $rc -ne 0 ] && [ "$(wc -l <"$TMP/err")" -eq 1 ] && grep -Eq "$want" "$TMP/err" && [ ! -e "$TMP/out.dot" ]; then
        ok
    else
        bad "error $what: exit $rc: $(cat "$TMP/err")"
    fi
}
R=$D/recur-cprofile-3.10.prof
head -c 1000 "$D/tokenize-cprofile-3.11.prof" >"$TMP/trunc.prof"
printf 'not a profile' >"$TMP/text.prof"
err_case "missing file" '^prof2dot: .*nosuch\.prof: ' "$TMP/nosuch.prof"
err_case "truncated dump" '^prof2dot: .*trunc\.prof: byte [0-9]+: ' "$TMP/trunc.prof"
# text is tried as the sampled formats too: one line naming the line that failed
err_case "not a dump" '^prof2dot: .*text\.prof: (byte|line) [0-9]+: ' "$TMP/text.prof"
err_case "bad merge input" '^prof2dot: .*trunc\.prof: byte [0-9]+: ' "$R" "$TMP/trunc.prof"
err_case "unknown colormap" "^prof2dot: option -c: invalid choice: 'nope'" -c nope "$R"
# -f names the input's format (gprof2dot's -f pstats still reads a dump)
err_case "format" "^prof2dot: unknown input format 'callgrind'" -f callgrind "$R"
err_case "node label" "^prof2dot: option --node-label: invalid choice" --node-label=bogus "$R"
err_case "threshold" "^prof2dot: option -n: invalid floating-point value: 'x'" -n x "$R"
err_case "depth" "^prof2dot: option --depth: invalid integer value" --depth 1.5 "$R"
err_case "skew" "^prof2dot: option --skew: skew must be greater than 0" --skew -1 "$R"
err_case "unknown option" "^prof2dot: no such option: --bogus" --bogus "$R"
err_case "time format" "^prof2dot: --time-format %d%d: not enough arguments" --node-label total-time --time-format %d%d "$R"
err_case "root miss" '^prof2dot: root node \*:nothing not found \(might already be pruned : try -e0 -n0 flags\)$' -z '*:nothing' "$R"
err_case "leaf miss" '^prof2dot: leaf node x not found \(maybe already pruned : try -e0 -n0 flags\)$' -l x "$R"
err_case "focus miss" '^prof2dot: focus nothing matches no function' --focus nothing "$R"
err_case "bad regex" '^prof2dot: --hide \(: bad regular expression' --hide '(' "$R"
err_case "render format" '^prof2dot: -T nosuch: ' -T nosuch "$R"
check "no input" sh -c "! '$BIN' 2>'$TMP/err' && grep -q '^prof2dot: no input' '$TMP/err'"
# a failing run leaves an existing output alone
echo keep >"$TMP/keep.dot"
"$BIN" -z '*:nothing' "$R" -o "$TMP/keep.dot" 2>/dev/null
check "-o is atomic" test "$(cat "$TMP/keep.dot")" = keep
check "-o into a missing directory fails" sh -c "! '$BIN' '$R' -o '$TMP/no/such/dir/x.dot' 2>/dev/null"

# ---- options gprof2dot has, beyond the golden option sets ------------------------
check "--list-functions" sh -c "'$BIN' --list-functions '*:h*' '$R' 2>&1 >/dev/null | grep -qx 'recur:3:hanoi'"
check "--list-functions '*'" sh -c "'$BIN' --list-functions '*' '$R' 2>&1 >/dev/null | grep -q '^0:	recur:3:hanoi,\$'"
check "-p keeps a prefix" sh -c "'$BIN' -n0 -e0 -p recur --dot-writer=text '$R' | grep -c '^	[0-9]* \\[color' | grep -qx 9"
check "--depth 0 keeps the roots" sh -c "'$BIN' -n0 -e0 -z '*:hanoi' --depth 0 '$R' --dot-writer=text | grep -c '\\[color' | grep -qx 1"
check "abbreviated long options" sh -c "'$BIN' --node-t=0 --edge=0 --colorm=gray '$R' | '$CMP' /dev/stdin '$T/golden/recur-cprofile-3.10.all.dot' | grep -q differences"
check "clustered short options" sh -c "'$BIN' -swcprint '$R' -o '$TMP/sw.dot' && '$CMP' '$T/golden/recur-cprofile-3.10.print.dot' '$TMP/sw.dot'"
check "--skew 0 means unset" sh -c "'$BIN' --skew 0 '$R' | '$CMP' /dev/stdin '$T/golden/recur-cprofile-3.10.default.dot'"
check "--time-format %s (Python's str)" sh -c "'$BIN' --node-label self-time --time-format %s '$R' | grep -q 'label=\"recur:3:hanoi.n(0.002253854).n8191×'"
check "--show-samples changes nothing" sh -c "'$BIN' --show-samples '$R' | '$CMP' /dev/stdin '$T/golden/recur-cprofile-3.10.default.dot'"

# ---- ours: --focus, --ignore, --hide, --node-count, --full-names ----------------
labels() { grep -o 'label="[^"\\]*' "$1" | sed 's/label="//'; }
no_label() { ! labels "$1" | grep -Eq "$2"; }
has_label() { labels "$1" | grep -Eq "$2"; }
"$BIN" --dot-writer=text --node-count 5 "$U" -o "$TMP/nc.dot"
check "--node-count keeps 5 nodes" test "$(grep -c '\[color' "$TMP/nc.dot")" = 5
check "--node-count says what it dropped" grep -q 'label="76 of 81 nodes dropped by --node-count 5 (dotted edges pass through them)", labelloc=t' "$TMP/nc.dot"
check "--node-count links through dropped nodes" grep -q '^	[0-9]* -> [0-9]* .*label="[0-9.]*%\\n~[0-9]*×".*style=dotted' "$TMP/nc.dot"
check "--node-count graph parses" parses "$TMP/nc.dot"
"$BIN" --focus 'difflib.py:[0-9]+\(get_opcodes\)' "$U" -o "$TMP/focus.dot"
check "--focus keeps the match" grep -q 'difflib:492:get_opcodes' "$TMP/focus.dot"
check "--focus keeps its callees" grep -q 'difflib:305:find_longest_match' "$TMP/focus.dot"
check "--focus drops what is off its paths" no_label "$TMP/focus.dot" '^_(parser|compiler):' 
check "--focus graph parses" parses "$TMP/focus.dot"
"$BIN" --ignore '/unittest/' "$U" -o "$TMP/ignore.dot"
check "--ignore drops the matches" no_label "$TMP/ignore.dot" '^(case|suite|runner|loader|main):' 
check "--ignore drops what only they reach" no_label "$TMP/ignore.dot" '^difflib:' 
check "--ignore keeps the rest" has_label "$TMP/ignore.dot" 'builtins.exec' 
"$BIN" --hide 'builtins.sum|<genexpr>' --dot-writer=text "$R" -o "$TMP/hide.dot"
check "--hide drops the matches" sh -c "! grep -Eq 'builtins.sum|genexpr' '$TMP/hide.dot'"
check "--hide links callers to callees (dotted)" grep -q '^	8 -> 8 .*style=dotted' "$TMP/hide.dot"
check "--hide graph parses" parses "$TMP/hide.dot"
check "--full-names" sh -c "'$BIN' --full-names '$U' | grep -q 'label=\"/usr/lib/python3.11/unittest/case.py:578:_callTestMethod'"
check "--full-names with -z" sh -c "'$BIN' --full-names -z '/usr/lib/python3.11/unittest/case.py:*' '$U' | '$CMP' --stats /dev/stdin | grep -qv '^0 '"

# ---- rendering ---------------------------------------------------------------------
check "-T png" sh -c "'$BIN' '$R' -T png -o '$TMP/g.png' && head -c 8 '$TMP/g.png' | od -An -c | grep -q 'P   N   G'"
check "-T svg" sh -c "'$BIN' '$R' -T svg -o '$TMP/g.svg' && grep -q 'recur:3:hanoi' '$TMP/g.svg'"
check "-T pdf to standard output" sh -c "'$BIN' '$R' -T pdf | head -c 5 | grep -q '%PDF'"

# ---- --compare: gprof2dot's compare graph (compare/golden: compare/record.sh) ------------
C=$T/compare
trim() { sed -E 's/^[[:space:]]+|[[:space:]]+$//g' <<<"$1"; }
# live: gprof2dot itself (GPROF2DOT=/path/to/gprof2dot.py, patched as record.sh patches it)
live=0
if tier_full && [ -f "${GPROF2DOT:-}" ] && bash "$C/patch.sh" "$GPROF2DOT" "$TMP/g2d.py"; then live=1; fi
ncase=0
set -f
while IFS='|' read -r name opts base new; do
    name=$(trim "$name"); [ -n "$name" ] && [ "${name#\#}" = "$name" ] || continue
    base=$(trim "$base") new=$(trim "$new")
    ncase=$((ncase + 1))
    out=$TMP/compare.$name.dot
    # shellcheck disable=SC2086
    if ! "$BIN" --compare $opts "$base" "$new" -o "$out" 2>"$TMP/err"; then
        bad "compare $name: exit: $(head -c 300 "$TMP/err")"; continue
    fi
    check "compare $name: gprof2dot's text" cmp -s "$C/golden/$name.dot" "$out"
    check "compare $name: gprof2dot's graph (dotcmp)" sh -c "'$CMP' '$C/golden/$name.dot' '$out' >/dev/null"
    if [ $live = 1 ]; then
        # shellcheck disable=SC2086
        if python3 "$TMP/g2d.py" -f pstats --compare $opts "$base" "$new" -o "$TMP/live.dot" 2>"$TMP/err" &&
            cmp -s "$TMP/live.dot" "$out"; then ok; else bad "compare $name: live gprof2dot differs"; fi
    fi
    if tier_full || [ $((ncase % 4)) -eq 1 ]; then check "compare $name: Graphviz reads it" parses "$out"; fi
done <"$C/cases.txt"
set +f
# the corpus exercises what it should: both turns of the cds shape, unmatched nodes (drawn
# where gprof2dot fails), unmatched edges, colouring by difference
check "compare goldens: slower and faster nodes" sh -c "grep -q 'orientation=90, shape=cds' '$C/golden/app.dot' && grep -q 'orientation=0, shape=cds' '$C/golden/app.dot'"
check "compare goldens: an unmatched node" sh -c "grep -E '^	[0-9]+ \\[' '$C/golden/tokenize.dot' | grep -v ' ×/ ' | grep -q '×\", orientation=0, shape=box'"
check "compare goldens: an unmatched edge" sh -c "grep -E '^	[0-9]+ -> ' '$C/golden/tokenize.dot' | grep -qv ' / '"
R1=tests/diff/dumps/app-before-3.11.prof R2=tests/diff/dumps/app-after-3.11.prof
check "compare -T svg" sh -c "'$BIN' --compare '$R1' '$R2' -T svg -o '$TMP/cmp.svg' && grep -q 'app:22:main' '$TMP/cmp.svg'"
err_case "compare one input" '^prof2dot: --compare takes two inputs: BASE NEW$' --compare "$R1"
err_case "compare three inputs" '^prof2dot: --compare takes two inputs: BASE NEW$' --compare "$R1" "$R2" "$R2"
err_case "compare and diff" '^prof2dot: --compare and --diff exclude each other$' --compare --diff "$R1" "$R1" "$R2"
err_case "compare tolerance 0" '^prof2dot: option --compare-tolerance: must be a positive number' --compare --compare-tolerance 0 "$R1" "$R2"
err_case "compare missing NEW" '^prof2dot: .*nosuch\.prof: ' --compare "$R1" "$TMP/nosuch.prof"
err_case "compare --list-functions" '^prof2dot: --list-functions takes one profile, not --compare$' --compare --list-functions '*' "$R1" "$R2"

# ---- --diff BASE: NEW's graph painted by change (checked against profdiff's JSON) --------
diff_case() {   # name tolerance base new [options...]
    local name=$1 tol=$2 base=$3 new=$4; shift 4
    local out=$TMP/diff.$name.dot
    if ! "$BIN" --diff "$base" --diff-tolerance "$tol" "$@" --dot-writer=text "$new" -o "$out" 2>"$TMP/err"; then
        bad "diff $name: $(head -c 300 "$TMP/err")"; return
    fi
    "$BIN" "$@" --dot-writer=text "$new" | grep -oE '^	[0-9]+ \[' >"$TMP/ids.plain"
    check "diff $name: NEW's nodes" sh -c "grep -oE '^	[0-9]+ \\[' '$out' | cmp -s - '$TMP/ids.plain'"
    check "diff $name: both writers agree" sh -c "'$BIN' --diff '$base' --diff-tolerance '$tol' $* --dot-writer=cgraph '$new' |
        '$CMP' /dev/stdin '$out' >/dev/null"
    if command -v python3 >/dev/null; then
        local pd=()
        case " $* " in *" --diff-strip-dirs "*) pd=(--strip-dirs) ;; esac
        build/profdiff --format json "${pd[@]}" "$base" "$new" >"$TMP/diff.json"
        if python3 "$C/diffcheck.py" "$out" "$TMP/diff.json" "$tol" >"$TMP/check"; then ok; else
            bad "diff $name: colours or changes disagree with profdiff"; head -n 5 "$TMP/check"
        fi
    fi
    check "diff $name: Graphviz reads it" parses "$out"
}
diff_case app 1 "$R1" "$R2"
diff_case app-all 0.2 "$R1" "$R2" -n 0 -e 0
diff_case x12 1 "$R1" tests/diff/dumps/app-before-x1.2-3.11.prof
diff_case same 1 "$R1" "$R1" -n 0 -e 0
diff_case tokenize 0.5 tests/dumps/tokenize-cprofile-3.11.prof tests/dumps/tokenize-cprofile-3.13.prof
diff_case groups 0 tests/diff/dumps/groups-base.prof tests/diff/dumps/groups-new.prof -n 0 -e 0
diff_case tokenize-strip 0.5 tests/dumps/tokenize-cprofile-3.11.prof tests/dumps/tokenize-cprofile-3.13.prof --diff-strip-dirs
check "diff --diff-strip-dirs matches across installs" sh -c "grep -q 'tokenize:1:<module>.*new since' '$TMP/diff.tokenize.dot' &&
    ! grep -q 'tokenize:1:<module>.*new since' '$TMP/diff.tokenize-strip.dot'"
check "diff same: all grey, no change line" sh -c "! grep -qE 'Δ|new since|color=\"#[0-9a-f]{6}\", fontcolor=\"#ffffff\"' '$TMP/diff.same.dot'"
check "diff x12: slower everywhere it changed" sh -c "grep -q 'Δ +' '$TMP/diff.x12.dot' && ! grep -q 'Δ -' '$TMP/diff.x12.dot'"
check "diff app: a new function" grep -q 'app:7:validate.*new since BASE (+' "$TMP/diff.app.dot"
check "diff app: the note names BASE" grep -q "label=\"against $R1: total time 0.330314 s -> 1.05545 s (+219.5%)" "$TMP/diff.app.dot"
check "diff -T png" sh -c "'$BIN' --diff '$R1' '$R2' -T png -o '$TMP/diff.png' && head -c 8 '$TMP/diff.png' | od -An -c | grep -q 'P   N   G'"
err_case "diff missing BASE" '^prof2dot: .*nosuch\.prof: ' --diff "$TMP/nosuch.prof" "$R2"
err_case "diff tolerance" '^prof2dot: option --diff-tolerance: must be 0 or more' --diff "$R1" --diff-tolerance -1 "$R2"
err_case "diff BASE and NEW both on standard input" '^prof2dot: standard input \(-\) can be read only once$' --diff - -

# ---- pstatsh: export dot -----------------------------------------------------------
check "pstatsh export dot" sh -c "'$SH' -c 'export dot $TMP/e.dot -n 0 -c pink' '$R' >/dev/null &&
    '$BIN' -n 0 -c pink '$R' -o '$TMP/p.dot' && '$CMP' '$TMP/e.dot' '$TMP/p.dot'"
check "pstatsh export dot of added stats" sh -c "'$SH' -c 'add $D/recur-cprofile-3.8.prof' -c 'export dot $TMP/e2.dot' '$D/recur-cprofile-3.10.prof' >/dev/null &&
    '$CMP' '$TMP/e2.dot' '$TMP/m1.dot'"
check "pstatsh export dot --list-functions" sh -c "'$SH' -c 'export dot $TMP/l.txt --list-functions *:hanoi' '$R' >/dev/null && grep -qx 'recur:3:hanoi' '$TMP/l.txt'"
check "pstatsh export dot refuses --diff" sh -c "'$SH' -c 'export dot $TMP/x.dot --diff $R' '$R' 2>&1 | grep -q 'export dot: --diff compares two profiles: use prof2dot'"
check "pstatsh export dot refuses bad options" sh -c "'$SH' -c 'export dot $TMP/x.dot -c nope' '$R' 2>&1 | grep -q \"export dot: option -c: invalid choice\""

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
