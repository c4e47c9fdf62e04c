# minetd: build with `make`, test with `make check`, install with `make install`;
# `make doc` renders the man pages to HTML, `make deb` builds the Debian
# package, `make check-deb` tests it installed.
# GNU make; skalibs is linked statically (Debian: skalibs-dev).
# `make MUSL=1` builds everything statically against musl into build-musl/
# (see below); `make check-musl` tests that build.

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
DESTDIR ?=

# The version, kept in the VERSION file only: --version of every program
# prints it (libminetd/mtd_usage.c), the Debian package checks against it.
VERSION := $(shell cat VERSION)
VERSION_DEF = -DMTD_VERSION='"$(VERSION)"'

CC ?= cc
CFLAGS ?= -O2 -g
CPPFLAGS ?=
WERROR ?=
MTD_CFLAGS = -std=c99 -D_GNU_SOURCE -Wall -Wextra -Wno-unused-parameter $(WERROR) -Ilibminetd $(VERSION_DEF)
SKALIBS_LIB ?= -l:libskarnet.a
LDFLAGS ?=
# STATIC=1 links the programs fully statically: less memory per process
# (see bench/RESULTS.md), but glibc then loads its NSS modules (port names,
# host name lookups) from the installed glibc, which must be the same version.
STATIC ?=
PROG_LDFLAGS = $(if $(STATIC),-static)

B = build

# MUSL=1: the lean build, for small systems. Every program, example, test
# and tool linked statically against musl (Debian: musl-tools), with
# skalibs built for musl from Debian's own skalibs source package
# (mk/musl-skalibs.sh: apt-get source, musl-gcc, kept in $(B)/skalibs and
# built once). Into build-musl/ unless B is given. musl's differences from
# glibc are met in libminetd/mtd_compat.h, nowhere else.
MUSL ?=
ifneq ($(MUSL),)
B = build-musl
ifeq ($(origin CC),default)
CC = musl-gcc
endif
MUSL_SKALIBS = $(B)/skalibs
SKALIBS_DEP = $(MUSL_SKALIBS)/lib/libskarnet.a
SKALIBS_LIB = $(SKALIBS_DEP)
CPPFLAGS += -isystem $(MUSL_SKALIBS)/include
PROG_LDFLAGS = -static
LINK_STATIC = -static
# An idle process dirties only the pages its small variables share: on
# x86_64, objects over 1 kB (the per-connection buffers: environments,
# argv copies) go to .lbss, after every small one, so an idle minetd-tcp
# touches one page of data instead of five (bench/idlemem). The medium
# code model only addresses those with 64-bit immediates.
ifneq ($(filter x86_64-%,$(shell $(CC) -dumpmachine 2>/dev/null)),)
MTD_CFLAGS += -mcmodel=medium -mlarge-data-threshold=1024
endif
endif
PROGRAMS = minetd-tcp minetd-udp minetd-env minetd-rate minetd-sup minetd-internal minetd-limit minetd-convert
EXAMPLES = echo-server daytime-server hello-server
LIB_SRC = $(wildcard libminetd/*.c)
LIB_OBJ = $(LIB_SRC:%.c=$(B)/obj/%.o)
UNIT_SRC = $(wildcard tests/unit/*.c)
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)
TOOL_SRC = $(wildcard tests/tools/*.c)
TOOL_BIN = $(TOOL_SRC:tests/tools/%.c=$(B)/tools/%)
# LD_PRELOAD shims that let tests play a failing kernel or library (none
# in the musl build: nothing preloads into a static program; the tests
# that need one skip there, tests/README.md).
SHIM_SRC = $(if $(MUSL),,$(wildcard tests/shims/*.c))
SHIM_BIN = $(SHIM_SRC:tests/shims/%.c=$(B)/shims/%.so)
# A program is built once its folder holds C sources.
BUILT_PROGRAMS = $(foreach p,$(PROGRAMS),$(if $(wildcard $(p)/*.c),$(B)/$(p)))
HEADERS = $(wildcard libminetd/*.h $(PROGRAMS:%=%/*.h))
objects_of = $(patsubst %.c,$(B)/obj/%.o,$(wildcard $(1)/*.c))

all: $(B)/libminetd.a $(BUILT_PROGRAMS) $(EXAMPLES:%=$(B)/examples/%) $(UNIT_BIN) $(TOOL_BIN) $(SHIM_BIN)

$(B)/obj/%.o: %.c $(HEADERS) | $(SKALIBS_DEP)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(MTD_CFLAGS) -c -o $@ $<

$(B)/obj/libminetd/mtd_usage.o: VERSION

ifneq ($(MUSL),)
$(SKALIBS_DEP):
	sh mk/musl-skalibs.sh $(MUSL_SKALIBS) $(CC)
endif

$(B)/libminetd.a: $(LIB_OBJ)
	@mkdir -p $(@D)
	rm -f $@
	ar rcs $@ $(LIB_OBJ)

.SECONDEXPANSION:
$(BUILT_PROGRAMS): $(B)/%: $$(call objects_of,$$*) $(B)/libminetd.a
	$(CC) $(LDFLAGS) $(PROG_LDFLAGS) -o $@ $(filter %.o,$^) $(B)/libminetd.a $(SKALIBS_LIB)

$(B)/examples/%: examples/%.c | $(SKALIBS_DEP)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(MTD_CFLAGS) $(LDFLAGS) $(LINK_STATIC) -o $@ $< $(SKALIBS_LIB)

$(B)/tests/%: tests/unit/%.c $(B)/libminetd.a
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(MTD_CFLAGS) $(LDFLAGS) $(LINK_STATIC) -o $@ $< $(B)/libminetd.a $(SKALIBS_LIB)

# The connection table lives in minetd-tcp/: its unit test links it in.
$(B)/tests/conntable_test: tests/unit/conntable_test.c $(B)/obj/minetd-tcp/conntable.o $(B)/libminetd.a
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(MTD_CFLAGS) -Iminetd-tcp $(LDFLAGS) $(LINK_STATIC) -o $@ $< $(B)/obj/minetd-tcp/conntable.o $(B)/libminetd.a $(SKALIBS_LIB)

$(B)/tools/%: tests/tools/%.c $(B)/libminetd.a
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(MTD_CFLAGS) $(LDFLAGS) $(LINK_STATIC) -o $@ $< $(B)/libminetd.a $(SKALIBS_LIB)

$(B)/shims/%.so: tests/shims/%.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -std=c99 -D_GNU_SOURCE -Wall -Wextra $(WERROR) -shared -fPIC $(LDFLAGS) -o $@ $< -ldl

check: all
	MINETD_BUILD=$(B) tests/run

# The lean build and its test run, by name.
musl:
	$(MAKE) MUSL=1 all

check-musl:
	$(MAKE) MUSL=1 check

bench: all
	MINETD_BUILD=$(B) bench/run

lint-man:
	mandoc -Tlint -Wwarning doc/*.[1-8]

# Every man page in doc/, its section from its name (doc/minetd.conf.5 ->
# man5): a page added there is installed, uninstalled and rendered by
# `make doc` with nothing to change here.
MAN_PAGES = $(wildcard doc/*.[1-8])

programs: $(BUILT_PROGRAMS)

install: programs
	for p in $(BUILT_PROGRAMS); do install -D -m 0755 $$p $(DESTDIR)$(BINDIR)/$${p##*/} || exit 1; done
	ln -sf minetd-sup $(DESTDIR)$(BINDIR)/minetd
	for m in $(MAN_PAGES); do install -D -m 0644 $$m $(DESTDIR)$(MANDIR)/man$${m##*.}/$${m##*/} || exit 1; done
	ln -sf minetd-sup.8 $(DESTDIR)$(MANDIR)/man8/minetd.8

# Removes exactly the files install puts there (the directories stay: they
# may hold other programs' files).
uninstall:
	for p in $(BUILT_PROGRAMS:$(B)/%=%) minetd; do rm -f $(DESTDIR)$(BINDIR)/$$p || exit 1; done
	for m in $(MAN_PAGES) doc/minetd.8; do rm -f $(DESTDIR)$(MANDIR)/man$${m##*.}/$${m##*/} || exit 1; done

# --- doc: every man page of doc/ as HTML, with an index page -------------
# Into $(DOC_B): NAME.SECTION.html for each, index.html listing them by
# section. A cross-reference to a page of doc/ links to its HTML beside it,
# any other to Debian's manpages.debian.org. Needs mandoc.
DOC_B = $(B)/doc

doc:
	rm -rf $(DOC_B)
	mkdir -p $(DOC_B)
	for m in $(MAN_PAGES); do \
	  (cd doc && mandoc -Thtml -Wwarning,stop -O'man=%N.%S.html;https://manpages.debian.org/bookworm/%N.%S.en.html' $${m##*/}) >$(DOC_B)/$${m##*/}.html || exit 1; \
	done
	sh mk/man-index.sh $(VERSION) $(MAN_PAGES) >$(DOC_B)/index.html

# --- deb: the Debian package, from package/debian ---------------------------
# The tree is copied into $(DEB_B)/minetd-VERSION with package/debian as its
# debian/, built there with dpkg-buildpackage (binary only, unsigned), and
# checked with lintian: any warning or error fails, each tag kept is in
# package/debian/minetd.lintian-overrides with its reason. The .deb is left
# in $(DEB_B). Needs dpkg-dev, debhelper and lintian.
DEB_B = $(B)/deb
DEB_SRC = $(DEB_B)/minetd-$(VERSION)
DEB_VERSION = $(shell dpkg-parsechangelog -l package/debian/changelog -S Version)

deb:
	@test "$(DEB_VERSION)" = "$(VERSION)" || { echo "make: package/debian/changelog is at $(DEB_VERSION), VERSION at $(VERSION): add a changelog entry (dch -v $(VERSION))" >&2; exit 1; }
	rm -rf $(DEB_B)
	mkdir -p $(DEB_SRC)
	tar -cf - --exclude='./build*' --exclude=./.git --exclude=./package/debian . | tar -xf - -C $(DEB_SRC)
	cp -R package/debian $(DEB_SRC)/debian
	cd $(DEB_SRC) && dpkg-buildpackage -b -us -uc
	lintian --fail-on error,warning --info --display-info --pedantic $(DEB_B)/minetd_$(VERSION)_*.changes

# --- check-deb: the .deb built, then installed (tests/deb/installed.sh) --
# Not part of `make check`: the build takes most of a minute. As root.
check-deb:
	@t0=$$(date +%s); $(MAKE) -s deb >$(B)/deb.log 2>&1 || { cat $(B)/deb.log; exit 1; }; \
	t1=$$(date +%s); grep -E '^[EWIPX]: ' $(B)/deb.log || echo "lintian: clean (pedantic, info)"; \
	MINETD_BUILD=$(B) MINETD_DEB_DIR=$(DEB_B) tests/run tests/deb/installed.sh || exit 1; \
	t2=$$(date +%s); echo "check-deb: .deb built and linted in $$((t1 - t0)) s, installed package tested in $$((t2 - t1)) s"

clean:
	rm -rf $(B)

.PHONY: all programs check musl check-musl bench install uninstall clean lint-man doc deb check-deb

# Sanitizers, fuzzing, static analysis, valgrind: see mk/checks.mk.
include mk/checks.mk
