#!/bin/bash
# In the background minetd-sup's stderr is /dev/null: a fatal error there
# (skalibs' strerr_die*, from any part of it) must reach syslog instead.
# The test runs minetd-sup in its own mount namespace whose /dev/log is a
# datagram socket the test reads; it then lowers the daemon's fd limit so
# its iopause fails (poll refuses more fds than RLIMIT_NOFILE) after a
# reload that cannot open the config.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/sup.sh"
if [ "$(id -u)" != 0 ] || ! unshare -m --propagation private true 2>/dev/null || ! command -v prlimit >/dev/null; then
  skip "sup_background_fatal_* (needs root, unshare -m and prlimit)"
  done_testing; exit
fi

mkdir "$T/dev"; : >"$T/dev/null"; ln -s "$T/log.sock" "$T/dev/log"
python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); s.bind(sys.argv[1])
print("listening", flush=True)
while True:
    print(s.recv(4096).decode(errors="replace").rstrip("\n"), flush=True)' "$T/log.sock" >"$T/syslog" &
PIDS+=($!)
wait_until 10 grep -q listening "$T/syslog"

free_ports 1
printf 'service e 127.0.0.1:%s 0 %s\n' "$PORTS" "$EX/echo-server" >"$T/conf"
unshare -m --propagation private sh -c 'mount --bind /dev/null "$1/dev/null" && mount --bind "$1/dev" /dev && exec "$2" -c "$1/conf" -p "$1/pid" -R "$1/run"' sh "$T" "$SUP"
ok $? "sup_background_started"
DPID=$(cat "$T/pid"); PIDS+=("$DPID")
wait_until 10 grep -q 'info: ready' "$T/syslog"; ok $? "sup_background_logs_to_syslog"
CPID=$(chain_pid e); [ -n "$CPID" ] && PIDS+=("$CPID")

prlimit --pid "$DPID" --nofile=1:1
kill -HUP "$DPID"
wait_until 10 sh -c "! kill -0 $DPID 2>/dev/null"; ok $? "sup_background_dies_of_the_induced_error"
wait_until 5 grep -q 'fatal: unable to iopause' "$T/syslog"
like "$(grep fatal "$T/syslog")" "minetd-sup\[$DPID\]: fatal: unable to iopause: Invalid argument" "sup_background_fatal_error_goes_to_syslog"
is "$(grep -c 'minetd-sup: fatal' "$T/syslog")" 0 "sup_background_syslog_lines_without_program_prefix"
[ -n "$CPID" ] && kill "$CPID" 2>/dev/null
done_testing
