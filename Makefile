# pstats toolkit: libpstats and its programs.
#   make              build/libpstats.a and the programs in build/
#   make check        every test (unit, golden, differential, corruption)
#   make SANITIZE=1 check    the same, built with ASan + UBSan + LSan
#   make bench        speed and memory against the tools we replace
#   make deps         install the Debian packages the build and tests need
#   make install PREFIX=/usr/local DESTDIR=

PREFIX  ?= /usr/local
DESTDIR ?=
CC      ?= cc
PKGS    := zlib libpcre2-8 readline libcgraph libgvc

ifeq ($(SANITIZE),1)
OBJDIR  := build/obj-san
SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
OPT     := -O1 -g
else
OBJDIR  := build/obj
SANFLAGS :=
OPT     := -O2 -g
endif

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CFLAGS  ?= $(OPT)
ALL_CFLAGS := -std=c11 -D_GNU_SOURCE -pthread -Wall -Wextra -Werror -Iinclude $(PKG_CFLAGS) $(CFLAGS) $(SANFLAGS)
LDLIBS  := $(PKG_LIBS) -lm -lpthread

LIB_SRC  := $(sort $(wildcard src/*.c))
LIB_OBJ  := $(patsubst src/%.c,$(OBJDIR)/%.o,$(LIB_SRC))
PROGRAMS := $(patsubst src/cli/%.c,build/%,$(sort $(wildcard src/cli/*.c)))
UNIT_SRC := $(sort $(wildcard tests/unit/*.c))
UNIT_BIN := $(patsubst tests/unit/%.c,build/tests/%,$(UNIT_SRC))
HEADERS  := $(wildcard include/pstats/*.h) $(wildcard src/*.h) $(wildcard src/cli/*.h)
# Robustness (tests/robust/run.sh): its drivers, and every fuzz target built
# with a plain main() that replays tests/fuzz/regress/ (make fuzz: libFuzzer).
ROBUST_BIN := $(patsubst tests/robust/%.c,build/robust/%,$(sort $(wildcard tests/robust/*.c))) \
              $(patsubst tests/fuzz/%.c,build/robust/%,$(sort $(wildcard tests/fuzz/fuzz_*.c)))

# Objects of the other build flavour must not be mixed in: the stamp records which one built build/.
FLAVOUR := build/.flavour-$(if $(filter 1,$(SANITIZE)),san,plain)

.PHONY: all check deps install bench fuzz clean FORCE
all: build/libpstats.a $(PROGRAMS)

$(FLAVOUR):
	@mkdir -p build
	@rm -f build/.flavour-*
	@rm -f $(PROGRAMS) $(UNIT_BIN) $(ROBUST_BIN) build/libpstats.a
	@touch $@

$(OBJDIR)/%.o: src/%.c $(HEADERS) | $(OBJDIR)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(OBJDIR)/cli/%.o: src/cli/%.c $(HEADERS) | $(OBJDIR)
	@mkdir -p $(OBJDIR)/cli
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(OBJDIR):
	@mkdir -p $(OBJDIR)/cli

# The HTML page's sources become C arrays (build/gen/html_page.inc) that
# src/html.c writes: nothing is looked up at run time.
HTML_SRC := src/html/page.html src/html/page.css src/html/page.js
build/tools/html_embed: src/html/embed.c
	@mkdir -p build/tools
	$(CC) -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror -o $@ $<

build/gen/html_page.inc: build/tools/html_embed $(HTML_SRC)
	@mkdir -p build/gen
	build/tools/html_embed $(HTML_SRC) > $@.tmp && mv $@.tmp $@

$(OBJDIR)/html.o: build/gen/html_page.inc
$(OBJDIR)/html.o: ALL_CFLAGS += -Ibuild/gen

# The script of prof2folded's interactive SVG (src/flame.c).
build/gen/flame_js.inc: build/tools/html_embed src/html/flame.js
	@mkdir -p build/gen
	build/tools/html_embed --svg-script flame_js src/html/flame.js > $@.tmp && mv $@.tmp $@

$(OBJDIR)/flame.o: build/gen/flame_js.inc
$(OBJDIR)/flame.o: ALL_CFLAGS += -Ibuild/gen

build/libpstats.a: $(FLAVOUR) $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $(LIB_OBJ)

build/%: $(OBJDIR)/cli/%.o build/libpstats.a
	$(CC) $(ALL_CFLAGS) -o $@ $< build/libpstats.a $(LDLIBS)

build/tests/%: tests/unit/%.c build/libpstats.a $(HEADERS)
	@mkdir -p build/tests
	$(CC) $(ALL_CFLAGS) -Itests/unit -o $@ $< build/libpstats.a $(LDLIBS)

build/robust/%: tests/robust/%.c build/libpstats.a $(HEADERS)
	@mkdir -p build/robust
	$(CC) $(ALL_CFLAGS) -o $@ $< build/libpstats.a $(LDLIBS)

build/robust/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_common.h tests/fuzz/replay_main.c build/libpstats.a $(HEADERS)
	@mkdir -p build/robust
	$(CC) $(ALL_CFLAGS) -Itests/fuzz -o $@ $< tests/fuzz/replay_main.c build/libpstats.a $(LDLIBS)

check: all $(UNIT_BIN) $(ROBUST_BIN)
	@bash tests/check.sh

bench: all
	@bash tests/bench/bench.sh

fuzz:
	@bash tests/fuzz/run.sh $(or $(FUZZ_SECONDS),60)

deps:
	@bash .ci/deps.sh

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/include/pstats \
	           $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(PROGRAMS) $(DESTDIR)$(PREFIX)/bin/
	install -m 644 build/libpstats.a $(DESTDIR)$(PREFIX)/lib/
	install -m 644 include/pstats/*.h $(DESTDIR)$(PREFIX)/include/pstats/
	install -m 644 $(wildcard man/*.1) $(DESTDIR)$(PREFIX)/share/man/man1/

clean:
	rm -rf build
