# Helpers for minetd-sup process tests (sourced after ../lib.sh).
SUP=$B/minetd-sup
EX=$B/examples

# free_ports N: N distinct TCP ports the kernel says are free now, in $PORTS.
free_ports() {
  PORTS=$(python3 -c '
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))' "$1")
}

# start_sup LOG CONF [ARGS...]: minetd-sup in the foreground with readiness on
# fd 3; waits for the newline. Sets SUP_PID. Pidfile $T/pid, rundir $T/run.
start_sup() {
  local log=$1 conf=$2; shift 2
  local fifo=$T/ready.$$.$RANDOM line=
  mkfifo "$fifo"
  "$SUP" -f -d 3 -c "$conf" -p "$T/pid" -R "$T/run" "$@" 3>"$fifo" 2>>"$log" &
  SUP_PID=$!; PIDS+=("$SUP_PID")
  read -r -t 10 line <"$fifo"
  local rc=$?
  rm -f "$fifo"
  return $rc
}

# chain_pid NAME: the chain pid of a service, from --status.
chain_pid() { timeout 10 "$SUP" --status -p "$T/pid" -R "$T/run" 2>/dev/null | awk -v n="$1" '$1 == n { print $4 }'; }
# svc_state NAME
svc_state() { timeout 10 "$SUP" --status -p "$T/pid" -R "$T/run" 2>/dev/null | awk -v n="$1" '$1 == n { print $3 }'; }

# reload_and_wait LOG: SIGHUP the supervisor, wait for its "reload" log line.
reload_and_wait() {
  local log=$1 before
  before=$(grep -c 'reloaded\|keeping the running configuration' "$log")
  kill -HUP "$SUP_PID"
  wait_until 10 sh -c "[ \$(grep -c 'reloaded\|keeping the running configuration' '$log') -gt $before ]"
}

# refused HOST PORT: true if a connection attempt is refused.
refused() { ! (exec 9<>"/dev/tcp/$1/$2") 2>/dev/null; }

# chain_socket PID PORT: "socket:[INODE]" if PID holds the socket listening
# on 127.0.0.1:PORT (minetd-tcp -i moves it off fd 0), else nothing.
chain_socket() {
  local ino
  ino=$(awk -v p="$(printf '%04X' "$2")" '$2 == "0100007F:" p && $4 == "0A" { print $10; exit }' /proc/net/tcp)
  [ -n "$ino" ] && ls -l "/proc/$1/fd" 2>/dev/null | grep -q "socket:\[$ino\]" && echo "socket:[$ino]"
}

# udp_ask HOST PORT DATA: one datagram, the reply on stdout (nothing after
# 2 s, or if the port is closed). HOST a literal: 127.0.0.1, ::1.
udp_ask() { "$B/tools/udpask" "$1" "$2" "$3"; }

# udp_hammer PORT OUT STOPFILE [same]: one datagram after another to
# 127.0.0.1:PORT, each waiting (up to 2 s) for its reply, until STOPFILE
# exists; writes "ok N fail M" to OUT (and OUT.started once one is
# answered: wait for it before the reloads). Each from a new source port, or
# with "same" all from one (one peer, for a nowait service). Sets HAMMER_PID.
udp_hammer() {
  python3 - "$1" "$2" "$3" "${4-}" <<'PY' &
import os, socket, sys, time
port, out, stop, same = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4] == "same"
one = None
ok = fail = 0
n = 0
while not os.path.exists(stop) and ok + fail < 200000:
    time.sleep(0.002)   # a steady client, not a flood: the machine is shared
    s = one or socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    if same: one = s
    s.settimeout(2)
    n += 1
    want = b"n%d" % n
    try:
        s.sendto(want, ("127.0.0.1", port))
        got = s.recv(65536)
        # a late reply to an earlier one that timed out is skipped
        while not (got.endswith(b" " + want) or got == want) and same:
            got = s.recv(65536)
        if got.endswith(b" " + want) or got == want:
            ok += 1
            if ok == 1: open(out + ".started", "w").close()
        else: fail += 1
    except OSError:
        fail += 1
    if not same: s.close()
open(out, "w").write("ok %d fail %d\n" % (ok, fail))
PY
  HAMMER_PID=$!; PIDS+=("$HAMMER_PID")
}

# udp_bound PORT: true if some socket is bound to UDP port PORT (any address).
udp_bound() { awk -v p="$(printf ':%04X' "$1")" 'NR > 1 && substr($2, length($2) - 4) == p { f = 1 } END { exit !f }' /proc/net/udp /proc/net/udp6; }
