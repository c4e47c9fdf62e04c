# Helpers for the fault tests (sourced after ../lib.sh and ../minetd-sup/sup.sh):
# CPU, fds, memory and children of a process from /proc, the socket a chain
# serves, and a bounded client loop that counts what it lost.
FAULTS=$ROOT/tests/faults
# the interpreter itself, not a version manager's shell shim per call
PY=$(python3 -c 'import sys; print(sys.executable)')
HZ=$(getconf CLK_TCK)

# nap SECONDS: sleep without starting a process (a read that times out on
# a FIFO we hold both ends of).
mkfifo "$T/nap" && exec {NAP}<>"$T/nap"
nap() { read -r -t "$1" -u "$NAP" _; return 0; }
# wait_for SECONDS CMD...: as wait_until, but bounded by the clock, not by a
# count of tries (on a loaded machine each try may take far more than 20 ms).
wait_for() {
  local end=$(( ${EPOCHREALTIME/./} + $1 * 1000000 )); shift
  until "$@"; do [ "${EPOCHREALTIME/./}" -ge "$end" ] && return 1; nap 0.03; done
}

# cpu_ticks PID: user + system CPU of PID so far, in clock ticks.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
# ticks_ms TICKS: the same in milliseconds.
ticks_ms() { echo $(( $1 * 1000 / HZ )); }
# fd_count PID
fd_count() { ls "/proc/$1/fd" 2>/dev/null | wc -l; }
# rss_kb PID, anon_kb PID (the anonymous part of it), dirty_kb PID
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
anon_kb() { awk '/^RssAnon:/ { print $2 }' "/proc/$1/status"; }
# dirty pages: ours, written (heap, stack, data), whether a forked child
# still shares them or not; unlike Pss or Private_Dirty, not moved by
# other processes starting or exiting (forks, other test files)
dirty_kb() { awk '/^(Private|Shared)_Dirty:/ { n += $2 } END { print n }' "/proc/$1/smaps_rollup"; }
# zombies_of PID: how many children of PID are zombies.
zombies_of() { ps -o stat= --ppid "$1" 2>/dev/null | grep -c '^Z'; }
# no_zombies PID...: true if none of them has a zombie child.
no_zombies() { local p; for p in "$@"; do [ "$(zombies_of "$p")" = 0 ] || return 1; done; }

# listen_inode PORT: inode of the socket listening on 127.0.0.1:PORT.
listen_inode() {
  awk -v p="$(printf '%04X' "$1")" '$2 == "0100007F:" p && $4 == "0A" { print $10; exit }' /proc/net/tcp
}
# has_socket PID INODE: PID holds that socket.
has_socket() { ls -l "/proc/$1/fd" 2>/dev/null | grep -q "socket:\[$2\]"; }

# status_read: the status file into ST_PID[NAME] and ST_STATE[NAME], and
# children_of PID into KIDS: as chain_pid, svc_state and ps do, but without
# starting a process, for loops that must keep pace on a loaded machine.
declare -A ST_PID ST_STATE
status_read() {
  local name addr state pid rest
  ST_PID=() ST_STATE=()
  while IFS=$'\t' read -r name addr state pid rest; do
    ST_PID[$name]=$pid ST_STATE[$name]=$state
  done <"$T/run/status"
}
children_of() { KIDS=; [ "${1:-0}" -gt 0 ] && read -r KIDS <"/proc/$1/task/$1/children" 2>/dev/null; }
# children PID: its children's pids.
children() { children_of "$1"; echo $KIDS; }

# running NAME: the service's chain runs and said it is ready.
running() { [ "$(svc_state "$1")" = running ]; }

# conf_write FILE LINE...: replace FILE atomically.
conf_write() { local f=$1; shift; printf '%s\n' "$@" >"$f.new" && mv -f "$f.new" "$f"; }

# hammer NAME PORT [hammer.py options]: a bounded client loop in the
# background, until $T/stop.NAME exists; counts in $T/h.NAME once it ends:
# "ok N refused N reset N timeout N other N busy N maxms N".
hammer() {
  local name=$1 port=$2; shift 2
  "$PY" "$FAULTS/hammer.py" --port "$port" --out "$T/h.$name" --stop "$T/stop.$name" "$@" &
  PIDS+=("$!"); eval "HAMMER_$name=\$!"
}
# hammer_end NAME: stop it, wait, and set ok_n refused_n reset_n timeout_n
# other_n busy_n maxms.
hammer_end() {
  local pid
  eval "pid=\$HAMMER_$1"
  touch "$T/stop.$1"
  wait "$pid"
  read -r _ ok_n _ refused_n _ reset_n _ timeout_n _ other_n _ busy_n _ maxms <"$T/h.$1" ||
    { ok_n=0 refused_n=-1 reset_n=-1 timeout_n=-1 other_n=-1 busy_n=-1 maxms=-1; }
  note "$1: ok $ok_n busy $busy_n refused $refused_n reset $reset_n timeout $timeout_n other $other_n, slowest ${maxms} ms"
}
# lost: the count of failures of the last hammer_end that were not refusals.
lost() { echo $(( reset_n + timeout_n + other_n )); }
