# libebts — plain Makefile. `make help` lists the targets.
CC ?= cc
AR ?= ar
PREFIX ?= /usr/local
DESTDIR ?=
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
PKG_CONFIG ?= pkg-config

CFLAGS ?= -O2 -g
# Our own flags live apart so user CFLAGS never drop them.
WARN = -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter
EBTS_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -fvisibility=hidden -Iinclude -Ilib $(WARN)
DEP_PKGS = libxml-2.0 zlib
DEP_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(DEP_PKGS) 2>/dev/null)
# -pthread: libxml2 is loaded once under a mutex (lib/xml.c); -ldl: dlopen before glibc 2.34
DEP_LIBS = $(shell $(PKG_CONFIG) --libs $(DEP_PKGS) 2>/dev/null || echo -lxml2 -lz) -pthread -ldl
# what the library links: libxml2 is loaded by name when first needed (lib/xmlapi.h), so only
# programs that call it themselves (tests, the bench) link it
LIB_LIBS = $(shell $(PKG_CONFIG) --libs zlib 2>/dev/null || echo -lz) -pthread -ldl
LIBXML2_SONAME := $(shell objdump -p "$$($(PKG_CONFIG) --variable=libdir libxml-2.0 2>/dev/null)/libxml2.so" \
	2>/dev/null | awk '/SONAME/ {print $$2}')
EBTS_CFLAGS += $(if $(LIBXML2_SONAME),-DEBTS__LIBXML2_SONAME='"$(LIBXML2_SONAME)"')
CHECK_CFLAGS = $(shell $(PKG_CONFIG) --cflags check 2>/dev/null)
CHECK_LIBS = $(shell $(PKG_CONFIG) --libs check 2>/dev/null || echo -lcheck -lsubunit -lm -lrt -pthread)

SOVERSION = 0
# The one version number lives in include/ebts.h.
VERSION := $(shell sed -n 's/^\#define EBTS_VERSION_STRING "\(.*\)"/\1/p' include/ebts.h)
BUILD ?= build
LIB_SRC = $(wildcard lib/*.c)
LIB_OBJ = $(LIB_SRC:lib/%.c=$(BUILD)/lib/%.o)
PIC_OBJ = $(LIB_SRC:lib/%.c=$(BUILD)/pic/%.o)
TOOLS = ebts-conv ebts-validate ebts-gen ebts-diff
TOOL_BIN = $(TOOLS:%=$(BUILD)/bin/%)
TEST_SRC = $(wildcard tests/test_*.c)
TEST_BIN = $(BUILD)/tests/run-tests
STATIC = $(BUILD)/libebts.a
SHARED = $(BUILD)/libebts.so.$(VERSION)

# Debian packages the build needs; `make deps` installs the missing ones (root or sudo).
DEB_PKGS = libxml2-dev zlib1g-dev check pkg-config clang gzip binutils valgrind groff-base libxml2-utils chromium

.SECONDARY:

.PHONY: all deps lib tools docs check asan fuzz fuzz-build demo bench differential install uninstall \
	clean help

all: lib tools docs

# The targets that may install missing Debian packages first; all and install never do.
DEPS_GOALS = demo check asan fuzz fuzz-build bench differential
NEED_DEPS = $(if $(filter $(DEPS_GOALS),$(MAKECMDGOALS)),deps)

help:
	@echo "make [all]      library (static + shared) and tools in $(BUILD)/"
	@echo "make demo       build, then show ebts-conv on the bundled samples"
	@echo "make check      build and run every test"
	@echo "make asan       the test suite under AddressSanitizer + UBSan"
	@echo "make fuzz       libFuzzer targets with clang (FUZZTIME=seconds per target)"
	@echo "make bench      benchmarks against a memchr scan (BENCHMB=size of the datasets)"
	@echo "make differential BASE=rev   this tree's library against revision rev (DIFFN=inputs)"
	@echo "make install    PREFIX=$(PREFIX) DESTDIR=$(DESTDIR)"

deps:
	@missing=""; for p in $(DEB_PKGS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

lib: $(STATIC) $(SHARED)

tools: $(TOOL_BIN)

LIB_HDRS = lib/internal.h lib/simd.h lib/codes.def lib/rules.h lib/validate.h lib/xmlmap.h include/ebts.h $(BUILD)/gen/profile_xsd.h

# The profile XSD, compiled into the library as a C string.
$(BUILD)/gen/profile_xsd.h: profiles/ebts-profile.xsd
	@mkdir -p $(dir $@)
	{ echo 'static const char ebts__profile_xsd[] ='; \
	  sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/' $<; echo ';'; } > $@

$(BUILD)/lib/%.o: lib/%.c $(LIB_HDRS) | $(NEED_DEPS)
	@mkdir -p $(dir $@)
	$(CC) $(EBTS_CFLAGS) -I$(BUILD)/gen $(DEP_CFLAGS) $(CFLAGS) -c $< -o $@

$(BUILD)/pic/%.o: lib/%.c $(LIB_HDRS) | $(NEED_DEPS)
	@mkdir -p $(dir $@)
	$(CC) $(EBTS_CFLAGS) -I$(BUILD)/gen $(DEP_CFLAGS) $(CFLAGS) -fPIC -c $< -o $@

$(STATIC): $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(SHARED): $(PIC_OBJ)
	$(CC) -shared -Wl,-soname,libebts.so.$(SOVERSION) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LIB_LIBS)
	ln -sf libebts.so.$(VERSION) $(BUILD)/libebts.so.$(SOVERSION)
	ln -sf libebts.so.$(SOVERSION) $(BUILD)/libebts.so

$(BUILD)/tools/%.o: tools/%.c tools/cli.h include/ebts.h | $(NEED_DEPS)
	@mkdir -p $(dir $@)
	$(CC) $(EBTS_CFLAGS) $(CFLAGS) -c $< -o $@

$(BUILD)/bin/%: $(BUILD)/tools/%.o $(BUILD)/tools/cli.o $(STATIC)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/tools/cli.o $(STATIC) $(LIB_LIBS)

# The diagnostic code table as docs/codes.md (committed; make check compares) and ebts-codes(7).
$(BUILD)/bin/gen-codes: tools/gen-codes.c $(STATIC)
	@mkdir -p $(dir $@)
	$(CC) $(EBTS_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(STATIC) $(LIB_LIBS)

$(BUILD)/man/ebts-codes.7: $(BUILD)/bin/gen-codes
	@mkdir -p $(dir $@)
	$< man > $@.tmp && mv $@.tmp $@

docs: $(BUILD)/man/ebts-codes.7

$(BUILD)/tests/%.o: tests/%.c tests/testutil.h $(LIB_HDRS) | $(NEED_DEPS)
	@mkdir -p $(dir $@)
	$(CC) $(EBTS_CFLAGS) $(CHECK_CFLAGS) $(DEP_CFLAGS) $(CFLAGS) -Wno-missing-prototypes -c $< -o $@

$(TEST_BIN): $(TEST_SRC:tests/%.c=$(BUILD)/tests/%.o) $(BUILD)/tests/testutil.o $(BUILD)/tests/main.o $(STATIC)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(filter %.o,$^) $(STATIC) $(DEP_LIBS) $(CHECK_LIBS)

# The programs of examples/, built as a user builds against the library: the public header only.
EXAMPLES = $(patsubst examples/%.c,$(BUILD)/examples/%,$(wildcard examples/*.c)) $(BUILD)/examples/readme
# the README's program, as a reader copies it
$(BUILD)/examples/readme.c: README.md
	@mkdir -p $(dir $@)
	sed -n '/^## The API/,/^## /p' README.md | sed -n '/^```c$$/,/^```$$/p' | sed '1d;$$d' > $@
$(BUILD)/examples/readme: $(BUILD)/examples/readme.c include/ebts.h $(STATIC)
	$(CC) -std=c99 -pedantic $(WARN) -Iinclude $(CFLAGS) $(LDFLAGS) -o $@ $< $(STATIC) $(LIB_LIBS)
$(BUILD)/examples/%: examples/%.c include/ebts.h $(STATIC)
	@mkdir -p $(dir $@)
	$(CC) -std=c99 -pedantic $(WARN) -Iinclude $(CFLAGS) $(LDFLAGS) -o $@ $< $(STATIC) $(LIB_LIBS)

FUZZ_TARGETS = read ers xml profile
# each target's seeds besides its regressions: the replay in check and make fuzz use the same
FUZZ_SEEDS_read = fixtures
FUZZ_SEEDS_ers = fixtures/samples
FUZZ_SEEDS_xml = fixtures/xml fixtures/invalid fixtures/ebts-xml/10.0/templates fixtures/ebts-xml/11.2/templates
FUZZ_SEEDS_profile = profiles
$(BUILD)/fuzz/replay-%: fuzz/fuzz_%.c fuzz/replay.c $(STATIC)
	@mkdir -p $(dir $@)
	$(CC) $(EBTS_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ fuzz/fuzz_$*.c fuzz/replay.c $(STATIC) $(LIB_LIBS)

$(BUILD)/tests/failalloc: tests/failalloc.c tests/wrapalloc.h $(STATIC)
	@mkdir -p $(dir $@)
	$(CC) $(EBTS_CFLAGS) $(CFLAGS) $(LDFLAGS) -Wno-missing-prototypes -o $@ tests/failalloc.c $(STATIC) \
	  -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc $(LIB_LIBS)

$(BUILD)/tests/xmlpeak: tests/xmlpeak.c tests/wrapalloc.h $(STATIC)
	@mkdir -p $(dir $@)
	$(CC) $(EBTS_CFLAGS) $(DEP_CFLAGS) $(CFLAGS) $(LDFLAGS) -Wno-missing-prototypes -o $@ tests/xmlpeak.c \
	  $(STATIC) -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=free,--wrap=strdup $(DEP_LIBS)

$(BUILD)/tests/xmlthreads: tests/xmlthreads.c $(STATIC)
	@mkdir -p $(dir $@)
	$(CC) $(EBTS_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ tests/xmlthreads.c $(STATIC) $(LIB_LIBS)

$(BUILD)/tests/splitthreads: tests/splitthreads.c $(STATIC)
	@mkdir -p $(dir $@)
	$(CC) $(EBTS_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ tests/splitthreads.c $(STATIC) $(LIB_LIBS)

$(BUILD)/tests/claims: tests/claims.c tests/wrapalloc.h $(BUILD)/tests/testutil.o $(STATIC)
	@mkdir -p $(dir $@)
	$(CC) $(EBTS_CFLAGS) $(CFLAGS) $(LDFLAGS) -Wno-missing-prototypes -o $@ tests/claims.c \
	  $(BUILD)/tests/testutil.o $(STATIC) -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc \
	  $(LIB_LIBS) $(CHECK_LIBS)

# ebts-validate with its readdir, read, fstat and lseek wrapped: names of unknown type, files
# renamed mid-walk, slow reads, system calls counted
$(BUILD)/tests/ebts-validate-shim: tests/walkshim.c $(BUILD)/tools/ebts-validate.o $(BUILD)/tools/cli.o \
	  $(STATIC)
	@mkdir -p $(dir $@)
	$(CC) $(EBTS_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ tests/walkshim.c $(BUILD)/tools/ebts-validate.o \
	  $(BUILD)/tools/cli.o $(STATIC) -Wl,--wrap=readdir,--wrap=read,--wrap=fstat,--wrap=lseek $(LIB_LIBS)

# the tools as they run where libxml2 cannot be loaded: lib/xml.c built to look for a library
# no system has
$(BUILD)/tests/xml-absent.o: lib/xml.c $(LIB_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(filter-out -DEBTS__LIBXML2_SONAME%,$(EBTS_CFLAGS)) \
	  -DEBTS__LIBXML2_SONAME='"libebts-test-absent.so.0"' -I$(BUILD)/gen $(DEP_CFLAGS) $(CFLAGS) \
	  -c lib/xml.c -o $@
$(BUILD)/tests/%-noxml: $(BUILD)/tools/%.o $(BUILD)/tools/cli.o $(BUILD)/tests/xml-absent.o $(STATIC)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/tools/cli.o $(BUILD)/tests/xml-absent.o $(STATIC) \
	  $(LIB_LIBS)

check: $(NEED_DEPS) all $(TEST_BIN) $(FUZZ_TARGETS:%=$(BUILD)/fuzz/replay-%) $(BUILD)/tests/failalloc \
	  $(BUILD)/tests/claims $(BUILD)/tests/xmlthreads $(BUILD)/tests/splitthreads \
	  $(BUILD)/tests/xmlpeak $(EXAMPLES) \
	  $(BUILD)/tests/ebts-validate-shim $(BUILD)/tests/ebts-validate-noxml \
	  $(BUILD)/tests/ebts-conv-noxml
	$(TEST_BIN)
	for m in man/*.1 man/*.3 $(BUILD)/man/*.7; do w=$$(groff -man -ww -z $$m 2>&1); \
	  [ -z "$$w" ] || { echo "$$w"; exit 1; }; done
	$(BUILD)/bin/gen-codes md | diff -u docs/codes.md - || \
	  { echo "docs/codes.md is stale: $(BUILD)/bin/gen-codes md > docs/codes.md"; exit 1; }
	$(BUILD)/tests/failalloc fixtures/samples/clean/idr-iar-match.eft
	$(BUILD)/tests/failalloc fixtures/samples/published/idr-nomatch.eft
	$(BUILD)/tests/failalloc fixtures/xml/sre-match.xml
	$(BUILD)/tests/claims fixtures
	$(BUILD)/tests/xmlpeak
	$(foreach t,$(FUZZ_TARGETS),$(BUILD)/fuzz/replay-$(t) $(FUZZ_SEEDS_$(t)) fuzz/regressions/$(t) &&) true
	@echo "$(BUILD)/bin/ebts-validate --expect fixtures"; \
	  $(BUILD)/bin/ebts-validate --expect fixtures > $(BUILD)/expect.log || \
	  { grep -v ': PASS$$' $(BUILD)/expect.log; exit 1; }; tail -n 1 $(BUILD)/expect.log
	for t in tests/tools*.sh; do BUILD=$(BUILD) sh $$t || exit 1; done
	BUILD=$(BUILD) VALGRIND="$(VALGRIND)" sh tests/valgrind.sh
	BUILD=$(BUILD) CC="$(CC)" CFLAGS="$(CFLAGS)" LDFLAGS="$(LDFLAGS)" sh tests/pkgconfig.sh

VALGRIND ?= valgrind
asan:
	$(MAKE) check BUILD=build-asan CC=clang VALGRIND= \
	  CFLAGS="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
	  LDFLAGS="-fsanitize=address,undefined"

FUZZTIME ?= 60
FUZZ_FLAGS = -max_total_time=$(FUZZTIME) -max_len=65536 -timeout=30 -dict=fuzz/ebts.dict
fuzz-build: $(NEED_DEPS) build/gen/profile_xsd.h
	@mkdir -p build-fuzz
	for t in $(FUZZ_TARGETS); do \
	  clang $(EBTS_CFLAGS) -Ibuild/gen $(DEP_CFLAGS) -O1 -g -fsanitize=fuzzer,address,undefined \
	    -fno-sanitize-recover=all -o build-fuzz/fuzz_$$t fuzz/fuzz_$$t.c $(LIB_SRC) $(LIB_LIBS) || exit 1; \
	done

# Each target runs FUZZTIME seconds from its seeds; a finding stops make with an error and
# leaves its input in build-fuzz/ (keep it in fuzz/regressions/TARGET/). An input that takes more
# than 30 s is a finding too (libFuzzer's own limit is 20 minutes).
fuzz: fuzz-build
	@mkdir -p $(FUZZ_TARGETS:%=build-fuzz/corpus-%)
	$(foreach t,$(FUZZ_TARGETS),build-fuzz/fuzz_$(t) $(FUZZ_FLAGS) -artifact_prefix=build-fuzz/$(t)- \
	  build-fuzz/corpus-$(t) $(FUZZ_SEEDS_$(t)) fuzz/regressions/$(t) &&) true

# Benchmarks (not tests): BENCHMB sets the size of the large datasets in MiB.
BENCHMB ?= 100
$(BUILD)/bench/ebts-bench: bench/bench.c $(STATIC)
	@mkdir -p $(dir $@)
	$(CC) $(EBTS_CFLAGS) $(DEP_CFLAGS) $(CFLAGS) -o $@ bench/bench.c $(STATIC) $(DEP_LIBS)

bench: $(NEED_DEPS) all $(BUILD)/bench/ebts-bench
	$(BUILD)/bench/ebts-bench $(BUILD)/bin/ebts-validate $(BENCHMB)

# What a user sees (findings, written forms, validation, item layout) must not change: this
# tree's library against revision BASE's over the fixtures and DIFFN mutated inputs.
BASE ?=
DIFFN ?= 2000
differential: $(NEED_DEPS)
	@[ -n "$(BASE)" ] || { echo "make differential BASE=<revision> [DIFFN=count]"; exit 2; }
	BUILD=$(BUILD) CC=$(CC) PKG_CONFIG=$(PKG_CONFIG) sh tests/differential/run.sh $(BASE) $(DIFFN)

demo: $(NEED_DEPS) all
	@sh tools/demo.sh $(BUILD)

install: all
	install -d $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR) $(DESTDIR)$(BINDIR) \
	  $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man3 \
	  $(DESTDIR)$(MANDIR)/man7
	install -m 644 include/ebts.h $(DESTDIR)$(INCLUDEDIR)/ebts.h
	install -m 644 $(STATIC) $(DESTDIR)$(LIBDIR)/libebts.a
	install -m 755 $(SHARED) $(DESTDIR)$(LIBDIR)/libebts.so.$(VERSION)
	ln -sf libebts.so.$(VERSION) $(DESTDIR)$(LIBDIR)/libebts.so.$(SOVERSION)
	ln -sf libebts.so.$(SOVERSION) $(DESTDIR)$(LIBDIR)/libebts.so
	for t in $(TOOLS); do install -m 755 $(BUILD)/bin/$$t $(DESTDIR)$(BINDIR)/$$t; done
	for m in man/*.1; do install -m 644 $$m $(DESTDIR)$(MANDIR)/man1/; done
	for m in man/*.3; do install -m 644 $$m $(DESTDIR)$(MANDIR)/man3/; done
	install -m 644 $(BUILD)/man/ebts-codes.7 $(DESTDIR)$(MANDIR)/man7/ebts-codes.7
	install -d $(DESTDIR)$(PREFIX)/share/libebts/profiles
	install -m 644 profiles/ebts-profile.xsd profiles/example-state.xml $(DESTDIR)$(PREFIX)/share/libebts/profiles/
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@LIBDIR@|$(LIBDIR)|g' -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|g' \
	  -e 's|@VERSION@|$(VERSION)|g' pkgconfig/libebts.pc.in > $(DESTDIR)$(LIBDIR)/pkgconfig/libebts.pc

uninstall:
	rm -f $(DESTDIR)$(INCLUDEDIR)/ebts.h $(DESTDIR)$(LIBDIR)/libebts.a \
	  $(DESTDIR)$(LIBDIR)/libebts.so.$(VERSION) $(DESTDIR)$(LIBDIR)/libebts.so.$(SOVERSION) \
	  $(DESTDIR)$(LIBDIR)/libebts.so $(DESTDIR)$(LIBDIR)/pkgconfig/libebts.pc
	for t in $(TOOLS); do rm -f $(DESTDIR)$(BINDIR)/$$t; done
	for m in man/*.1; do rm -f $(DESTDIR)$(MANDIR)/man1/$$(basename $$m); done
	for m in man/*.3; do rm -f $(DESTDIR)$(MANDIR)/man3/$$(basename $$m); done
	rm -f $(DESTDIR)$(MANDIR)/man7/ebts-codes.7
	rm -rf $(DESTDIR)$(PREFIX)/share/libebts

clean:
	rm -rf build build-asan build-fuzz
