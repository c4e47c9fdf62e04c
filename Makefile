# minetd: build with `make`, test with `make check`, install with `make install`.
# GNU make; skalibs is linked statically (Debian: skalibs-dev).

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
DESTDIR ?=

CC ?= cc
CFLAGS ?= -O2 -g
WERROR ?=
MTD_CFLAGS = -std=c99 -D_GNU_SOURCE -Wall -Wextra -Wno-unused-parameter $(WERROR) -Ilibminetd
SKALIBS_LIB ?= -l:libskarnet.a
LDFLAGS ?=
# STATIC=1 links the programs fully statically: less memory per process
# (see bench/RESULTS.md), but glibc then loads its NSS modules (port names,
# host name lookups) from the installed glibc, which must be the same version.
STATIC ?=
PROG_LDFLAGS = $(if $(STATIC),-static)

B = build
PROGRAMS = minetd-tcp minetd-udp minetd-env minetd-rate minetd-sup minetd-internal minetd-limit minetd-convert
EXAMPLES = echo-server daytime-server hello-server
LIB_SRC = $(wildcard libminetd/*.c)
LIB_OBJ = $(LIB_SRC:%.c=$(B)/obj/%.o)
UNIT_SRC = $(wildcard tests/unit/*.c)
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)
TOOL_SRC = $(wildcard tests/tools/*.c)
TOOL_BIN = $(TOOL_SRC:tests/tools/%.c=$(B)/tools/%)
# LD_PRELOAD shims that let tests play a failing kernel or library.
SHIM_SRC = $(wildcard tests/shims/*.c)
SHIM_BIN = $(SHIM_SRC:tests/shims/%.c=$(B)/shims/%.so)
# A program is built once its folder holds C sources.
BUILT_PROGRAMS = $(foreach p,$(PROGRAMS),$(if $(wildcard $(p)/*.c),$(B)/$(p)))
HEADERS = $(wildcard libminetd/*.h $(PROGRAMS:%=%/*.h))
objects_of = $(patsubst %.c,$(B)/obj/%.o,$(wildcard $(1)/*.c))

all: $(B)/libminetd.a $(BUILT_PROGRAMS) $(EXAMPLES:%=$(B)/examples/%) $(UNIT_BIN) $(TOOL_BIN) $(SHIM_BIN)

$(B)/obj/%.o: %.c $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(MTD_CFLAGS) -c -o $@ $<

$(B)/libminetd.a: $(LIB_OBJ)
	@mkdir -p $(@D)
	rm -f $@
	ar rcs $@ $(LIB_OBJ)

.SECONDEXPANSION:
$(BUILT_PROGRAMS): $(B)/%: $$(call objects_of,$$*) $(B)/libminetd.a
	$(CC) $(LDFLAGS) $(PROG_LDFLAGS) -o $@ $(filter %.o,$^) $(B)/libminetd.a $(SKALIBS_LIB)

$(B)/examples/%: examples/%.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(MTD_CFLAGS) $(LDFLAGS) -o $@ $< $(SKALIBS_LIB)

$(B)/tests/%: tests/unit/%.c $(B)/libminetd.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(MTD_CFLAGS) $(LDFLAGS) -o $@ $< $(B)/libminetd.a $(SKALIBS_LIB)

# The connection table lives in minetd-tcp/: its unit test links it in.
$(B)/tests/conntable_test: tests/unit/conntable_test.c $(B)/obj/minetd-tcp/conntable.o $(B)/libminetd.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(MTD_CFLAGS) -Iminetd-tcp $(LDFLAGS) -o $@ $< $(B)/obj/minetd-tcp/conntable.o $(B)/libminetd.a $(SKALIBS_LIB)

$(B)/tools/%: tests/tools/%.c $(B)/libminetd.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(MTD_CFLAGS) $(LDFLAGS) -o $@ $< $(B)/libminetd.a $(SKALIBS_LIB)

$(B)/shims/%.so: tests/shims/%.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -std=c99 -D_GNU_SOURCE -Wall -Wextra $(WERROR) -shared -fPIC $(LDFLAGS) -o $@ $< -ldl

check: all
	MINETD_BUILD=$(B) tests/run

bench: all
	MINETD_BUILD=$(B) bench/run

lint-man:
	mandoc -Tlint -Wwarning doc/*.[1-8]

install: all
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man8
	for p in $(BUILT_PROGRAMS); do cp $$p $(DESTDIR)$(BINDIR)/ || exit 1; done
	ln -sf minetd-sup $(DESTDIR)$(BINDIR)/minetd
	for m in doc/*.8; do [ -f "$$m" ] && cp $$m $(DESTDIR)$(MANDIR)/man8/ || :; done
	ln -sf minetd-sup.8 $(DESTDIR)$(MANDIR)/man8/minetd.8
	for m in doc/*.5; do [ -f "$$m" ] && cp $$m $(DESTDIR)$(MANDIR)/man5/ || :; done
	mkdir -p $(DESTDIR)$(MANDIR)/man7
	for m in doc/*.7; do [ -f "$$m" ] && cp $$m $(DESTDIR)$(MANDIR)/man7/ || :; done

clean:
	rm -rf $(B)

.PHONY: all check bench install clean lint-man

# Sanitizers, fuzzing, static analysis, valgrind: see mk/checks.mk.
include mk/checks.mk
