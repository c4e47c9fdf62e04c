# Helpers for minetd-convert tests (sourced after ../lib.sh).
CONV=$B/minetd-convert
CASES=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/cases

# conv OUT ARGS...: minetd-convert ARGS > OUT, stderr in OUT.err; sets RC.
conv() { local out=$1; shift; "$CONV" "$@" >"$out" 2>"$out.err"; RC=$?; }

# sup_check CONF: minetd-sup -t on CONF (a throwaway rundir); 0 if it passes,
# its messages in CONF.t.
sup_check() { timeout 10 "$B/minetd-sup" -t -c "$1" -R "$T/run" -B "$B" >"$1.t" 2>&1; }

# has_limit_keys: minetd-sup knows issue 12's keys (nice=, rlimit_*=...)
has_limit_keys() {
  printf 'service k 127.0.0.1:1 0 nice=1 /bin/true\n' >"$T/keys.conf"
  sup_check "$T/keys.conf"
}

# services FILE: the service lines (not the commented-out ones)
services() { grep '^service ' "$1"; }
