# Checks beyond `make check`, run by .ci/run: the suite on a sanitized build
# (check-san), libFuzzer targets (fuzz), static analysis (analyze), valgrind
# memcheck (check-valgrind). Each builds into its own folder.

# --- check-san: the whole suite built with ASan and UBSan ----------------
# Differences from the normal build, on purpose: minetd-tcp starts
# connections on the fork path (spawn.c: ASan cannot follow the clone child
# on our stack); tests/config/input.t bounds memory with ASan's malloc limit
# instead of ulimit -v. Reports are fatal and fail the run (tests/san/run).
SAN_B = build-san
# clang: GCC 12's UBSan ignores log_path, and tests/san/run needs every
# report in its folder, whichever process made it.
SAN_CC = clang
SAN_FLAGS = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

build-san:
	$(MAKE) -s B=$(SAN_B) CC=$(SAN_CC) CFLAGS="-O1 -g $(SAN_FLAGS)" LDFLAGS="$(SAN_FLAGS)" all

check-san: build-san
	MINETD_BUILD=$(SAN_B) tests/san/run

.PHONY: build-san check-san

# The examples and the test tools (clients, load generators, stand-in
# programs) are built with UBSan only: they are started and ended thousands
# of times by the suite, and ASan with LeakSanitizer costs each process
# about 80 ms of CPU at start and exit (14 ms unsanitized, measured), so the
# timing checks would measure the sanitizer instead of minetd. The programs,
# libminetd and the unit tests get both. bpfcheck links libminetd: both.
SAN_UB_FLAGS = -fsanitize=undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
$(SAN_B)/examples/%: override CFLAGS = -O1 -g $(SAN_UB_FLAGS)
$(SAN_B)/examples/%: override LDFLAGS = $(SAN_UB_FLAGS)
$(SAN_B)/tools/%: override CFLAGS = -O1 -g $(SAN_UB_FLAGS)
$(SAN_B)/tools/%: override LDFLAGS = $(SAN_UB_FLAGS)
$(SAN_B)/tools/bpfcheck: override CFLAGS = -O1 -g $(SAN_FLAGS)
$(SAN_B)/tools/bpfcheck: override LDFLAGS = $(SAN_FLAGS)

# The LD_PRELOAD shims stay unsanitized: preloaded ahead of the ASan runtime,
# instrumented code would run before ASan is set up.
$(SAN_B)/shims/%.so: override CFLAGS = -O1 -g
$(SAN_B)/shims/%.so: override LDFLAGS =

# --- fuzz: libFuzzer targets (fuzz/*.c), clang -----------------------------
# Each target links libminetd's sources compiled for fuzzing, in their own
# folder; fuzz/conf.c replaces mtd_conf_check.c (system checks, forks) by a
# stub. `make fuzz` runs each for FUZZ_SECONDS from fuzz/corpus/TARGET (and
# fuzz/TARGET.dict if there is one); any crash, leak or timeout fails it,
# the input is left in build-fuzz/artifacts/.
FUZZ_B = build-fuzz
FUZZ_CC = clang
FUZZ_SAN = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_CFLAGS = -O1 -g $(FUZZ_SAN) -std=c99 -D_GNU_SOURCE -Wall -Wextra -Wno-unused-parameter -Ilibminetd $(VERSION_DEF)
FUZZ_TARGETS = conf rules rulesbpf addr escape ratefile ratestate limit convert proxy
FUZZ_SECONDS ?= 60
FUZZ_LIB_OBJ = $(LIB_SRC:libminetd/%.c=$(FUZZ_B)/obj/%.o)
fuzz_lib_of = $(if $(filter conf,$(1)),$(filter-out %/mtd_conf_check.o,$(FUZZ_LIB_OBJ)) $(FUZZ_B)/obj/stub_conf_check.o $(FUZZ_B)/obj/stub_sysdb.o,$(FUZZ_LIB_OBJ)) \
	$(if $(filter rulesbpf,$(1)),$(FUZZ_B)/obj/bpfvm.o) \
	$(if $(filter convert,$(1)),$(CONVERT_FUZZ_OBJ) $(FUZZ_B)/obj/stub_sysdb.o)
# fuzz/convert.c: minetd-convert's parsers and writer, without its main
CONVERT_FUZZ_OBJ = $(patsubst minetd-convert/%.c,$(FUZZ_B)/obj/convert/%.o,$(filter-out %/minetd-convert.c,$(wildcard minetd-convert/*.c)))

$(FUZZ_B)/obj/mtd_usage.o: VERSION

$(FUZZ_B)/obj/%.o: libminetd/%.c $(HEADERS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

$(FUZZ_B)/obj/convert/%.o: minetd-convert/%.c $(HEADERS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Iminetd-convert -fsanitize=fuzzer-no-link -c -o $@ $<

$(FUZZ_B)/obj/stub_%.o: fuzz/stub_%.c $(HEADERS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

# the oracle of fuzz/rulesbpf.c, sanitized but not traced for coverage
$(FUZZ_B)/obj/bpfvm.o: fuzz/bpfvm.c fuzz/bpfvm.h tests/unit/bpfvm.h
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c -o $@ $<

$(FUZZ_B)/fuzz-%: fuzz/%.c $$(call fuzz_lib_of,$$*) $(HEADERS)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Iminetd-convert -fsanitize=fuzzer -o $@ $< $(call fuzz_lib_of,$*) $(SKALIBS_LIB)

fuzz-build: $(FUZZ_TARGETS:%=$(FUZZ_B)/fuzz-%)

fuzz: fuzz-build
	FUZZ_B=$(FUZZ_B) fuzz/run $(FUZZ_SECONDS) $(FUZZ_TARGETS)

.PHONY: fuzz fuzz-build

# --- analyze: gcc -fanalyzer and cppcheck, warnings fatal ----------------
# cppcheck's check set: warning, portability, performance (style is taste);
# suppressions, each justified, in mk/cppcheck.supp.
ANALYZE_SRC = $(LIB_SRC) $(foreach p,$(PROGRAMS),$(wildcard $(p)/*.c)) $(wildcard examples/*.c)
CPPCHECK_FLAGS = -q --std=c99 --enable=warning,portability,performance --inline-suppr \
	--suppressions-list=mk/cppcheck.supp --error-exitcode=1 -D__linux__ -D_GNU_SOURCE $(VERSION_DEF) \
	-Ilibminetd -I/usr/include/$(shell gcc -print-multiarch 2>/dev/null)

analyze:
	@for f in $(ANALYZE_SRC); do \
	  gcc -std=c99 -D_GNU_SOURCE -O1 -fanalyzer -Werror -Wall -Wextra -Wno-unused-parameter -Ilibminetd $(VERSION_DEF) -c -o /dev/null $$f || exit 1; \
	done
	cppcheck $(CPPCHECK_FLAGS) libminetd $(PROGRAMS) examples fuzz

.PHONY: analyze

# --- check-valgrind: memcheck and --track-fds on a subset (slow: not in CI)
VALGRIND_CONNS ?= 200
check-valgrind: all
	MINETD_BUILD=$(B) tests/valgrind/run $(VALGRIND_CONNS)

.PHONY: check-valgrind
