#!/usr/bin/env bash
# The build as a packager sees it (both tiers).  Ends with "N passed, N failed".
#  1. make install into a temporary DESTDIR: the programs, libpstats.a, the headers,
#     lib/pkgconfig/pstats.pc, the man pages of sections 1 and 5; then a program outside
#     the tree (tests/build/prog.c, including <pstats/stats.h>) builds with
#     `pkg-config --cflags --libs --static pstats` against the installed tree
#     (PKG_CONFIG_SYSROOT_DIR) and prints the totals pstatsh prints for the same dump.
#  2. each program links only the libraries of its own pkg-config packages (the Makefile's
#     PKGS_PROGRAM: profmerge without readline ...).
#  3. a missing pkg-config package stops make with its name; -Werror only with WERROR=1.
#  4. the flavours: the programs and the library of this build are sanitized exactly when
#     it is the SANITIZE=1 one, and the other flavour is not taken as built.
set -u
cd "$(dirname "$0")/../.."
ROOT=$PWD
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
check() { local what=$1; shift; if "$@"; then ok; else bad "$what"; fi; }
T=$(mktemp -d "${TMPDIR:-/tmp}/pstats-build.XXXXXX")
trap 'rm -rf "$T"' EXIT
SAN=0
[ -f build/.flavour-san ] && SAN=1
# the flavour make check built (installing must not rebuild the other one)
# (a make of its own, not a sub-make of make check: no jobserver to share)
mk() { env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make --no-print-directory -s SANITIZE=$SAN "$@"; }
PREFIX=/opt/pstats
CC=${CC:-cc}

# ---- 1. install, pkg-config ---------------------------------------------------------------
if mk install DESTDIR="$T/root" PREFIX=$PREFIX >"$T/install.log" 2>&1; then ok; else
    bad "make install failed: $(tail -5 "$T/install.log")"
fi
R=$T/root$PREFIX
for p in pstatsh profmerge prof2dot prof2callgrind prof2folded; do
    check "install: bin/$p missing" test -x "$R/bin/$p"
done
check "install: lib/libpstats.a missing" test -f "$R/lib/libpstats.a"
check "install: include/pstats/stats.h missing" test -f "$R/include/pstats/stats.h"
check "install: lib/pkgconfig/pstats.pc missing" test -f "$R/lib/pkgconfig/pstats.pc"
check "install: share/man/man1/pstatsh.1 missing" test -f "$R/share/man/man1/pstatsh.1"
check "install: share/man/man5/pstats.5 missing" test -f "$R/share/man/man5/pstats.5"
check "pstats.pc: prefix is not $PREFIX" grep -qx "prefix=$PREFIX" "$R/lib/pkgconfig/pstats.pc"
export PKG_CONFIG_PATH=$R/lib/pkgconfig PKG_CONFIG_SYSROOT_DIR=$T/root
flags=$(pkg-config --cflags --libs --static pstats 2>"$T/pc.err"); rc=$?
check "pkg-config --static pstats: $(cat "$T/pc.err")" test $rc = 0 -a -n "$flags"
check "pkg-config --libs --static pstats lacks -lpstats, -lz, -lm: $flags" \
    sh -c "printf '%s\n' '$flags' | grep -q -- '-L$R/lib' && printf '%s\n' '$flags' | grep -q -- '-lpstats .*-lz' && printf '%s\n' '$flags' | grep -q -- '-lm'"
check "pkg-config --libs pstats (shared use) lists the private libraries" \
    test -z "$(pkg-config --libs pstats | grep -- '-lz')"
san_flags=()
[ $SAN = 1 ] && san_flags=(-fsanitize=address,undefined)
# shellcheck disable=SC2086
if (cd "$T" && $CC -std=c11 "${san_flags[@]}" "$ROOT/tests/build/prog.c" -o prog $flags) 2>"$T/cc.err"; then ok
else bad "prog.c does not build against the installed tree: $(head -c 600 "$T/cc.err")"; fi
unset PKG_CONFIG_PATH PKG_CONFIG_SYSROOT_DIR
if [ -x "$T/prog" ]; then
    want=$(build/pstatsh -c stats data/recur.prof | sed -n 's/^ *\([0-9].* seconds\)$/\1/p')
    got=$("$T/prog" data/recur.prof)
    check "prog: '$got' where pstatsh says '$want'" test "${got#* functions, }" = "$want"
    check "prog: no function count: '$got'" test "${got%% functions, *}" -gt 0
    "$T/prog" tests/dumps/special/truncated.prof >/dev/null 2>"$T/prog.err"; rc=$?
    check "prog: a truncated dump: exit $rc: $(cat "$T/prog.err")" test $rc = 1 -a -s "$T/prog.err"
fi

# ---- 2. each program links what its packages give ------------------------------------------
# (shared libraries a program needs beyond libc, libm and the dynamic loader)
for p in pstatsh profmerge prof2dot prof2callgrind prof2folded; do
    pkgs=$(mk print-PKGS_$p)
    allowed=$(pkg-config --libs $pkgs | tr ' ' '\n' | sed -n 's/^-l//p')
    for lib in $(readelf -d "build/$p" | sed -n 's/.*(NEEDED).*\[lib\([^].]*\)\.so.*/\1/p'); do
        case " c m pthread dl rt gcc_s stdc++ asan ubsan " in *" $lib "*) continue ;; esac
        grep -qx "$lib" <<<"$allowed" || { bad "$p links lib$lib, not in its packages ($pkgs)"; continue 2; }
    done
    ok
done
check "pstatsh does not link readline" sh -c "readelf -d build/pstatsh | grep -q 'NEEDED.*libreadline'"
check "profmerge links readline" sh -c "! readelf -d build/profmerge | grep -q 'NEEDED.*libreadline'"

# ---- 3. missing packages, -Werror ----------------------------------------------------------
mk -n LIB_PKGS="zlib no-such-package-xyz" all >"$T/miss.out" 2>&1
check "a missing package: exit 0 or no name: $(cat "$T/miss.out")" \
    sh -c "! make -s -n LIB_PKGS='zlib no-such-package-xyz' >/dev/null 2>&1 && grep -q 'no-such-package-xyz' '$T/miss.out'"
obj=$(mk print-LIB_OBJ | tr ' ' '\n' | head -n 1)
# (without the WERROR=1 a `make WERROR=1 check-full` passes down in MAKEFLAGS)
check "-Werror without WERROR=1" sh -c "! env -u MAKEFLAGS -u MAKELEVEL -u WERROR make -s -n -B SANITIZE=$SAN '$obj' | grep -q -- -Werror"
check "no -Werror with WERROR=1" sh -c "make -s -n -B SANITIZE=$SAN WERROR=1 '$obj' | grep -q -- -Werror"

# ---- 4. flavours ---------------------------------------------------------------------------
# make check-full's second pass runs `make SANITIZE=1` in a tree the first pass built plain.
# A blanket .SECONDARY: once made make take the missing sanitized objects as intermediates not
# worth remaking: it called the plain library and programs up to date, and the "sanitized"
# pass ran them.
for f in build/pstatsh build/libpstats.a; do
    if [ $SAN = 1 ]; then check "$f: SANITIZE=1 build without ASan" sh -c "nm '$f' 2>/dev/null | grep -q __asan_"
    else check "$f: plain build with ASan" sh -c "! nm '$f' 2>/dev/null | grep -q __asan_"; fi
done
check "make SANITIZE=$((1 - SAN)) takes this flavour's build/libpstats.a as its own" \
    sh -c "! env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -q SANITIZE=$((1 - SAN)) build/libpstats.a build/pstatsh"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
