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

# The LD_PRELOAD shims stay unsanitized: preloaded ahead of the ASan runtime,
# instrumented code would run before ASan is set up.
$(SAN_B)/shims/%.so: override CFLAGS = -O1 -g
$(SAN_B)/shims/%.so: override LDFLAGS =
