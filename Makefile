# pstats toolkit: libpstats and its programs.
#   make                     build/libpstats.a and the programs in build/
#   make check               the quick tier: every program and every suite, in minutes
#   make check-full          everything: every-byte truncations, live CPython comparisons,
#                            then the suites again on a SANITIZE=1 build (what .ci/run runs)
#   make SANITIZE=1 check    the quick tier built with ASan + UBSan + LSan
#   make golden              re-record every golden from the reference tools (tests/golden.sh)
#   make bench               speed and memory against the tools we replace
#   make deps                install the Debian packages the build and tests need
#   make install PREFIX=/usr/local DESTDIR=    programs, libpstats.a, headers, pstats.pc, man pages
# Variables: WERROR=1 (warnings are errors; .ci/run sets it), SANITIZE=1, CFLAGS, CC,
# PKG_CONFIG, PREFIX, DESTDIR.

SHELL   := /bin/bash
PREFIX  ?= /usr/local
DESTDIR ?=
CC      ?= cc
PKG_CONFIG ?= pkg-config
# the version pstats.pc states: the library's version macro (PS_VERSION or PSTATS_VERSION)
VERSION := $(shell sed -nE 's/^\#define (PS|PSTATS)_VERSION "(.*)"/\2/p' $(wildcard include/pstats/*.h src/*.h src/*/*.h) /dev/null | head -n 1)
ifeq ($(VERSION),)
VERSION := 1.0
endif

# The pkg-config packages of the library's objects (pstats.pc's Requires.private), and of
# each program: a program links only what it uses.  Graphviz is there for every program
# as long as the library's exporters form one knot (export.o pulls dot.o into any program
# that links the others); drop it from a program's list once nothing it links needs it
# (tests/build/run.sh checks that no program links a library outside its list).
LIB_PKGS := zlib libpcre2-8 libcgraph libgvc jansson libprotobuf-c
PKGS_pstatsh        := $(LIB_PKGS) readline
PKGS_profmerge      := $(LIB_PKGS)
PKGS_prof2dot       := $(LIB_PKGS)
PKGS_prof2callgrind := $(LIB_PKGS)
PKGS_prof2folded    := $(LIB_PKGS)

ifeq ($(SANITIZE),1)
OBJDIR  := build/obj-san
SANFLAGS := -fsanitize=address,undefined,float-cast-overflow -fno-sanitize-recover=undefined,float-cast-overflow -fno-omit-frame-pointer
OPT     := -O1 -g
else
OBJDIR  := build/obj
SANFLAGS :=
OPT     := -O2 -g
endif
WERROR_FLAG := $(if $(filter 1,$(WERROR)),-Werror)

# Sources: every .c under src/ outside src/cli/ goes into libpstats.a (objects mirror the
# directories); each src/cli/*.c with a main() is a program, and the other files under
# src/cli/ are linked into every program.
LIB_SRC   := $(sort $(shell find src -name '*.c' ! -path 'src/cli/*' ! -path 'src/html/*'))
LIB_OBJ   := $(patsubst src/%.c,$(OBJDIR)/%.o,$(LIB_SRC))
# pprof's messages (src/output/profile.proto), compiled by protoc-c into build/gen/.
PROTO_GEN := build/gen/profile.pb-c.c build/gen/profile.pb-c.h
LIB_OBJ   += $(OBJDIR)/gen/profile.pb-c.o
CLI_SRC   := $(sort $(shell find src/cli -name '*.c' 2>/dev/null))
MAIN_SRC  := $(sort $(shell grep -lE '^int[[:space:]]+main[^_[:alnum:]]' $(CLI_SRC) /dev/null 2>/dev/null))
CLI_COMMON_OBJ := $(patsubst src/%.c,$(OBJDIR)/%.o,$(filter-out $(MAIN_SRC),$(CLI_SRC)))
PROGRAM_NAMES := $(patsubst src/cli/%.c,%,$(MAIN_SRC))
PROGRAMS  := $(addprefix build/,$(PROGRAM_NAMES))
ALL_PKGS  := $(sort $(LIB_PKGS) $(foreach p,$(PROGRAM_NAMES),$(PKGS_$(p))))
UNIT_SRC  := $(sort $(wildcard tests/unit/*.c))
UNIT_BIN  := $(patsubst tests/unit/%.c,build/tests/%,$(UNIT_SRC))
# Robustness (tests/robust/run.sh): its drivers, and every fuzz target built
# with a plain main() that replays tests/fuzz/regress/ (make fuzz: libFuzzer).
ROBUST_BIN := $(patsubst tests/robust/%.c,build/robust/%,$(sort $(wildcard tests/robust/*.c))) \
              $(patsubst tests/fuzz/%.c,build/robust/%,$(sort $(wildcard tests/fuzz/fuzz_*.c)))
TEST_OBJ  := $(patsubst %.c,$(OBJDIR)/%.o,$(UNIT_SRC) $(wildcard tests/robust/*.c) \
               $(wildcard tests/fuzz/fuzz_*.c) tests/fuzz/replay_main.c)

# pkg-config: every package must be there; a missing one is an error naming it (not for
# the goals that need no compiler: deps, clean, golden).
NO_BUILD_GOALS := deps clean golden print-%
ifneq ($(filter-out $(NO_BUILD_GOALS),$(or $(MAKECMDGOALS),all)),)
ifeq ($(shell command -v $(PKG_CONFIG)),)
$(error $(PKG_CONFIG) not found: install pkg-config (make deps does))
endif
MISSING_PKGS := $(shell for p in $(ALL_PKGS); do $(PKG_CONFIG) --exists $$p || echo $$p; done)
ifneq ($(MISSING_PKGS),)
$(error pkg-config does not know $(MISSING_PKGS): install their -dev packages (make deps does) or set PKG_CONFIG_PATH)
endif
endif
pkg_cflags = $(shell $(PKG_CONFIG) --cflags $(1))
pkg_libs   = $(shell $(PKG_CONFIG) --libs $(1))
LIB_CFLAGS := $(call pkg_cflags,$(LIB_PKGS))
LIB_LIBS   := $(call pkg_libs,$(LIB_PKGS)) -lm -pthread

CFLAGS  ?= $(OPT)
WARN    := -Wall -Wextra $(WERROR_FLAG)
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE -pthread $(WARN) -Iinclude -Isrc -Ibuild/gen $(CFLAGS) $(SANFLAGS)
DEPFLAGS = -MMD -MP

# Objects of the other build flavour must not be mixed in: the stamp records which one built build/.
FLAVOUR := build/.flavour-$(if $(filter 1,$(SANITIZE)),san,plain)

.PHONY: all check check-full check-full-run check-san-run golden deps install bench fuzz clean
.DELETE_ON_ERROR:
all: build/libpstats.a $(PROGRAMS)

$(FLAVOUR):
	@mkdir -p build
	@rm -f build/.flavour-*
	@rm -f $(PROGRAMS) $(UNIT_BIN) $(ROBUST_BIN) build/libpstats.a
	@touch $@

# Library and program objects (cflags of every library package: the headers are found
# wherever pkg-config says; a program's own packages for src/cli/).
$(OBJDIR)/cli/%.o: src/cli/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(DEPFLAGS) $(call pkg_cflags,$(or $(PKGS_$*),$(LIB_PKGS))) -c $< -o $@

$(OBJDIR)/%.o: src/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(DEPFLAGS) $(LIB_CFLAGS) -c $< -o $@

# protoc-c's output: generated before any object is compiled (they may include it).
build/gen/%.pb-c.c build/gen/%.pb-c.h: src/output/%.proto
	@mkdir -p build/gen
	protoc-c --proto_path=src/output --c_out=build/gen $<

$(OBJDIR)/gen/%.o: build/gen/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(DEPFLAGS) $(LIB_CFLAGS) -c $< -o $@

$(LIB_OBJ) $(TEST_OBJ) $(patsubst src/%.c,$(OBJDIR)/%.o,$(CLI_SRC)): | $(PROTO_GEN)

# The HTML page's sources (src/html/) become C arrays in build/gen/ that
# src/output/html.c and flame.c write: nothing is looked up at run time.
HTML_SRC := src/html/page.html src/html/page.css src/html/page.js
build/tools/html_embed: src/html/embed.c
	@mkdir -p build/tools
	$(CC) -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra $(WERROR_FLAG) -o $@ $<

build/gen/html_page.inc: build/tools/html_embed $(HTML_SRC)
	@mkdir -p build/gen
	build/tools/html_embed $(HTML_SRC) > $@.tmp && mv $@.tmp $@

build/gen/flame_js.inc: build/tools/html_embed src/html/flame.js
	@mkdir -p build/gen
	build/tools/html_embed --svg-script flame_js src/html/flame.js > $@.tmp && mv $@.tmp $@

$(OBJDIR)/output/html.o: build/gen/html_page.inc
$(OBJDIR)/output/flame.o: build/gen/flame_js.inc

$(OBJDIR)/tests/%.o: tests/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(DEPFLAGS) -Itests/unit -Itests/fuzz $(LIB_CFLAGS) -c $< -o $@

build/libpstats.a: $(LIB_OBJ) $(FLAVOUR)
	@rm -f $@
	ar rcs $@ $(LIB_OBJ)

# A program: its main object, the shared src/cli objects, the library, its own packages.
define program_rule
build/$(1): $(OBJDIR)/cli/$(1).o $(CLI_COMMON_OBJ) build/libpstats.a
	$$(CC) $$(ALL_CFLAGS) -o $$@ $$(OBJDIR)/cli/$(1).o $$(CLI_COMMON_OBJ) build/libpstats.a \
	    $$(call pkg_libs,$$(or $$(PKGS_$(1)),$$(LIB_PKGS))) -lm -pthread
endef
$(foreach p,$(PROGRAM_NAMES),$(eval $(call program_rule,$(p))))

build/tests/%: $(OBJDIR)/tests/unit/%.o build/libpstats.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $< build/libpstats.a $(LIB_LIBS)

build/robust/fuzz_%: $(OBJDIR)/tests/fuzz/fuzz_%.o $(OBJDIR)/tests/fuzz/replay_main.o build/libpstats.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LIB_LIBS)

build/robust/%: $(OBJDIR)/tests/robust/%.o build/libpstats.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LIB_LIBS)

-include $(LIB_OBJ:.o=.d) $(CLI_COMMON_OBJ:.o=.d) $(patsubst src/%.c,$(OBJDIR)/%.d,$(MAIN_SRC)) \
         $(TEST_OBJ:.o=.d)

# The tiers (tests/check.sh; each suite reads PSTATS_TIER).  check-full: the full tier on
# this build, then the quick tier's suites plus the every-byte truncations on a SANITIZE=1
# build (the live CPython comparisons say nothing new under sanitizers).
TEST_BINS := all $(UNIT_BIN) $(ROBUST_BIN)
# The programs and test binaries are built first, in parallel: one job per core unless make
# was given -j (on a fresh clone of a 2-core machine a serial build was a third of make
# check's wall time).  CHECK_JOBS=1 builds serially.
CHECK_JOBS ?= $(shell nproc 2>/dev/null || echo 2)
build_tests = $(MAKE) --no-print-directory $(if $(findstring jobserver,$(MAKEFLAGS)),,-j$(CHECK_JOBS)) $(TEST_BINS)

check:
	@$(build_tests)
	@PSTATS_TIER=quick bash tests/check.sh

# Both passes run even when the first fails; the last line adds them up.
check-full:
	@mkdir -p build; rc=0; \
	$(MAKE) --no-print-directory check-full-run 2>&1 | tee build/check-full.log; \
	[ $${PIPESTATUS[0]} = 0 ] || rc=1; \
	$(MAKE) --no-print-directory SANITIZE=1 check-san-run 2>&1 | tee build/check-san.log; \
	[ $${PIPESTATUS[0]} = 0 ] || rc=1; \
	for f in build/check-full.log build/check-san.log; do \
	    grep -E '^[0-9]+ passed, [0-9]+ failed$$' $$f | tail -n 1 | grep . || echo '0 passed, 1 failed'; \
	done | awk '{ p += $$1; f += $$3 } END { print "check-full: full tier, then the sanitized pass"; \
	                                          print p " passed, " f " failed" }'; \
	exit $$rc

check-full-run:
	@$(build_tests)
	@PSTATS_TIER=full bash tests/check.sh

check-san-run:
	@$(build_tests)
	@PSTATS_TIER=quick PSTATS_TRUNCATE=every bash tests/check.sh

golden:
	@bash tests/golden.sh

bench: all
	@bash tests/bench/bench.sh

fuzz:
	@bash tests/fuzz/run.sh $(or $(FUZZ_SECONDS),60)

deps:
	@bash .ci/deps.sh

# pstats.pc for a static libpstats.a: the packages its objects use in Requires.private,
# -lm and the threads in Libs.private (pkg-config --static --libs pstats lists them).
install: all
	@printf '%s\n' 'prefix=$(PREFIX)' 'exec_prefix=$${prefix}' 'libdir=$${exec_prefix}/lib' \
	    'includedir=$${prefix}/include' '' 'Name: pstats' \
	    'Description: read, merge and export Python profile data (cProfile, profile, yappi dumps)' \
	    'Version: $(VERSION)' 'Requires.private: $(LIB_PKGS)' 'Cflags: -I$${includedir}' \
	    'Libs: -L$${libdir} -lpstats' 'Libs.private: -lm -pthread' > build/pstats.pc
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/pkgconfig \
	           $(DESTDIR)$(PREFIX)/include/pstats \
	           $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/man/man5
	install -m 755 $(PROGRAMS) $(DESTDIR)$(PREFIX)/bin/
	install -m 644 build/libpstats.a $(DESTDIR)$(PREFIX)/lib/
	install -m 644 build/pstats.pc $(DESTDIR)$(PREFIX)/lib/pkgconfig/
	install -m 644 include/pstats/*.h $(DESTDIR)$(PREFIX)/include/pstats/
	install -m 644 $(wildcard man/*.1) $(DESTDIR)$(PREFIX)/share/man/man1/
	$(if $(wildcard man/*.5),install -m 644 $(wildcard man/*.5) $(DESTDIR)$(PREFIX)/share/man/man5/)

clean:
	rm -rf build

# make print-VAR: a variable's value (tests/build/run.sh asks for PKGS_PROGRAM, LIB_OBJ)
print-%:
	@echo $($*)
