# Shared helpers for process tests: TAP output, scratch dir, servers, cleanup.
# Source it from a bash test:  . "$(dirname "$0")/../lib.sh"
set -u
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# MINETD_BUILD: another build folder, absolute or relative to the top.
case ${MINETD_BUILD:-} in
  "") B=$ROOT/build ;;
  /*) B=$MINETD_BUILD ;;
  *) B=$ROOT/$MINETD_BUILD ;;
esac
T=$(mktemp -d /tmp/minetd-test.XXXXXX)
chmod 755 "$T"
# Debian's python3 (the CI installs it), not a version manager's shim that
# may come first in PATH: pyenv's costs about half a second of CPU per
# call, and the suite calls python3 hundreds of times (a third of the CPU
# of make check went there). What runs python3 or #!/usr/bin/env python3
# finds this one.
if [ -x /usr/bin/python3 ]; then
  mkdir "$T/.bin" && ln -s /usr/bin/python3 "$T/.bin/python3" && PATH=$T/.bin:$PATH
fi
PIDS=()
_tap_n=0
_tap_fail=0

cleanup() {
  local p
  for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null; done
  for p in "${PIDS[@]}"; do kill -0 "$p" 2>/dev/null && { sleep 0.2; kill -KILL "$p" 2>/dev/null; }; done
  rm -rf "$T"
}
trap cleanup EXIT

ok() { # ok COND-EXIT-STATUS NAME
  _tap_n=$((_tap_n+1))
  if [ "$1" -eq 0 ]; then echo "ok $_tap_n - $2"; else echo "not ok $_tap_n - $2"; _tap_fail=$((_tap_fail+1)); fi
}
pass() { ok 0 "$1"; }
fail() { ok 1 "$1"; }
is() { # is GOT WANT NAME
  if [ "$1" = "$2" ]; then ok 0 "$3"; else ok 1 "$3"; echo "#   got:  '$1'"; echo "#   want: '$2'"; fi
}
like() { # like GOT REGEX NAME
  if printf '%s' "$1" | grep -Eq -- "$2"; then ok 0 "$3"; else ok 1 "$3"; echo "#   got:  '$1'"; echo "#   want match: '$2'"; fi
}
# usage_check PROG NAME WANT-REGEX ARGS...: PROG ARGS is a usage error:
# exit 100 and one line on stderr, matching WANT-REGEX.
usage_check() {
  local prog=$1 name=$2 want=$3; shift 3
  timeout 10 "$B/$prog" "$@" </dev/null >/dev/null 2>"$T/err"; local rc=$?
  is "$rc" 100 "${name}_exits_100"
  is "$(wc -l <"$T/err")" 1 "${name}_one_line"
  like "$(cat "$T/err")" "$want" "${name}_message"
}
skip() { _tap_n=$((_tap_n+1)); echo "ok $_tap_n # skip $1"; }
# sanitized: true on the ASan+UBSan build (make check-san, tests/san/run)
sanitized() { [ -n "${MINETD_SANITIZED:-}" ]; }
note() { echo "# $*"; }
done_testing() { echo "1..$_tap_n"; [ "$_tap_fail" -eq 0 ]; }

# public_build: a copy of the build's programs, test tools and examples that
# every user can run, in $PUB (under $T, mode 755), made once per test file.
# For whatever a test runs as another user: the checkout itself may be in a
# directory only its owner can enter (root cloning into its home, mode 0700).
public_build() {
  [ -n "${PUB:-}" ] && return 0
  mkdir -p "$T/pub/tools" "$T/pub/examples" &&
  cp "$B"/minetd-* "$T/pub/" && cp "$B"/tools/* "$T/pub/tools/" && cp "$B"/examples/* "$T/pub/examples/" &&
  chmod -R a+rX "$T/pub" || { echo "Bail out! cannot copy the build to $T/pub"; exit 1; }
  PUB=$T/pub
}

# start_bg CMD...: run in background, remember PID in $LAST_PID
start_bg() { "$@" & LAST_PID=$!; PIDS+=("$LAST_PID"); }
# notify_listen SOCKET OUT: a fake systemd, receiving one datagram (10 s
# at most) on the unix socket SOCKET into OUT after a "listening" line;
# returns once it listens, its PID in NPID
notify_listen() {
  python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); s.bind(sys.argv[1])
print("listening", flush=True)
s.settimeout(10)
print(s.recv(100).decode(), flush=True)' "$1" >"$2" &
  NPID=$!; PIDS+=("$NPID")
  wait_until 10 grep -q listening "$2"
}
# haproxy_config FILE MAXCONN: a test's HAProxy configuration, TCP mode with
# short timeouts, its listen sections read from stdin
haproxy_config() {
  { printf 'global\n  maxconn %s\ndefaults\n  mode tcp\n  timeout connect 2s\n  timeout client 10s\n  timeout server 10s\n' "$2"; cat; } >"$1"
}

# start_port LOG CMD...: start CMD (which prints its port on stdout) with
# stderr to LOG; waits for the port (readiness), sets SRV_PID and PORT.
# Returns 1 if it died first.
start_port() {
  local log=$1; shift
  local fifo=$T/port.$$.$RANDOM
  mkfifo "$fifo"
  "$@" >"$fifo" 2>>"$log" &
  SRV_PID=$!; PIDS+=("$SRV_PID")
  PORT=
  read -r -t 10 PORT <"$fifo"
  rm -f "$fifo"
  [ -n "$PORT" ]
}

# start_tcp LOG ARGS...: start_port LOG minetd-tcp -1 ARGS...
start_tcp() {
  local log=$1; shift
  start_port "$log" "$B/minetd-tcp" -1 "$@"
}

# wait_until TIMEOUT-SECONDS CMD...: retry CMD every 20ms until it succeeds.
wait_until() {
  local limit=$(( $1 * 50 )) i=0; shift
  until "$@"; do i=$((i+1)); [ $i -ge $limit ] && return 1; sleep 0.02; done
}

# fetch HOST PORT [INPUT]: connect, send INPUT (if any) then read to EOF.
fetch() {
  local input=${3-}
  printf '%s' "$input" | timeout 10 socat -t 5 - "TCP:$1:$2" 2>/dev/null
}

# fetch_from SRCIP HOST PORT: as fetch, from a chosen local source address.
fetch_from() {
  timeout 10 socat -t 5 - "TCP:$2:$3,bind=$1" </dev/null 2>/dev/null
}

# wait_pid PID [SECONDS]: wait for a background child (default 15 s) and
# return its status; one that outlives the bound is KILLed, and a "not ok"
# line names it: a test must not hang on a process that will not end.
wait_pid() {
  local p=$1 limit=$(( ${2:-15} * 20 )) i=0 what
  until exited "$p"; do
    i=$((i+1))
    if [ $i -ge $limit ]; then
      what=$(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null); what=${what% }
      kill -KILL "$p" 2>/dev/null
      wait "$p" 2>/dev/null
      fail "pid $p ($what) did not exit within ${2:-15} s: KILLed"
      return 124
    fi
    sleep 0.05
  done
  wait "$p" 2>/dev/null
}
# proc_state PID: its state letter (R, S, T stopped, Z zombie...), or nothing.
proc_state() { local st; read -r st 2>/dev/null <"/proc/$1/stat" || return 1; st=${st##*) }; echo "${st%% *}"; }
# exited PID: true once PID runs no more (gone, or a zombie not yet reaped).
exited() { ! kill -0 "$1" 2>/dev/null || [ "$(proc_state "$1")" = Z ]; }

# stop PID [SECONDS]: TERM, then wait_pid (15 s by default) for it.
stop() { kill -TERM "$1" 2>/dev/null; wait_pid "$1" "${2:-15}"; }

# start_socat LOG LISTEN-ADDRESS CMD: socat as a foreign launcher: it forks
# per connection and, with nofork, execs CMD with the TCP socket itself on
# fds 0 and 1 (its default EXEC would hand the program a socketpair).
# Waits until it listens; sets SPORT.
start_socat() {
  local log=$1 listen=$2 cmd=$3
  start_bg socat -d -d "$listen,reuseaddr,fork" "EXEC:$cmd,nofork" 2>"$log"
  wait_until 10 grep -q 'listening on' "$log" || return 1
  SPORT=$(sed -n 's/.* listening on .*:\([0-9][0-9]*\)$/\1/p' "$log" | head -n 1)
  [ -n "$SPORT" ]
}

# errstr NAME: the C library's message for errno NAME (EMFILE...), as the
# programs of this build print it: glibc and musl word some differently
# ("Too many open files", "No file descriptors available").
errstr() { "$B/tools/errstr" "$1" ; }

# shim NAME: the path of an LD_PRELOAD shim built from tests/shims/NAME.c;
# fails if there is none or minetd-tcp is linked statically (STATIC=1),
# where no shim can take effect.
shim() {
  [ -f "$B/shims/$1.so" ] && ldd "$B/minetd-tcp" >/dev/null 2>&1 && echo "$B/shims/$1.so"
}

# hold NAME SRCIP HOST PORT: a client from SRCIP that stays connected until
# `release NAME`; what it receives goes to $T/NAME.out. Sets NAME_PID.
# HOST and SRCIP as socat wants them: 127.0.0.2, [2001:db8::1].
hold() {
  local name=$1 fd
  mkfifo "$T/$name.in"
  socat - "TCP:$3:$4,bind=$2" <"$T/$name.in" >"$T/$name.out" 2>"$T/$name.err" &
  PIDS+=("$!"); printf -v "${name}_PID" %s "$!"
  exec {fd}>"$T/$name.in"
  printf -v "${name}_FD" %s "$fd"
}
# held_line NAME: wait (up to 5 s) for the first line the held client got.
held_line() { wait_until 5 grep -q . "$T/$1.out" && head -n 1 "$T/$1.out"; }
# release NAME [LINE]: send LINE (if any), close, wait (bounded) for the client.
release() {
  local fdv=${1}_FD pidv=${1}_PID
  # in a subshell: a client the server has dropped would SIGPIPE the test
  [ $# -ge 2 ] && (printf '%s\n' "$2" >&"${!fdv}") 2>/dev/null
  eval "exec ${!fdv}>&-"
  wait_pid "${!pidv}" 10
}

# netns_enter ADDR...: run this test file again inside a new network
# namespace (unshare -n as root, else unshare -rn), with lo up and each
# IPv6 ADDR on it as a /128 (no DAD, usable at once); 127.0.0.0/8 and ::1
# come with lo. Skips the whole file, with the reason, where that is not
# permitted. Call it right after sourcing lib.sh; nothing leaves the machine.
netns_enter() {
  local a
  if [ -z "${MINETD_IN_NETNS:-}" ]; then
    local how=
    if unshare -n true 2>/dev/null; then how=-n
    elif unshare -rn true 2>/dev/null; then how=-rn
    else echo "1..0 # SKIP cannot create a network namespace (unshare -n and unshare -rn not permitted)"; exit 0
    fi
    rm -rf "$T"; trap - EXIT
    MINETD_IN_NETNS=1 exec unshare "$how" bash "$0"
  fi
  [ -e /proc/net/if_inet6 ] || { echo "1..0 # SKIP no IPv6 in this kernel"; exit 0; }
  ip link set lo up || { echo "1..0 # SKIP cannot bring lo up in the namespace"; exit 0; }
  for a; do
    ip -6 addr add "$a/128" dev lo nodad || { echo "1..0 # SKIP cannot add $a to lo in the namespace"; exit 0; }
  done
}
