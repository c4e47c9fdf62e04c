#!/bin/bash
# A system error in a fused link (minetd-rate unable to rebuild its state
# file: the file system is full) refuses that one connection, is logged,
# and pauses accepting as a failed fork does; it never ends the server,
# which serves again once the fault is gone. The full file system is a
# small tmpfs in a mount namespace of the server's own.
. "$(dirname "$0")/../lib.sh"
unshare -m true 2>/dev/null || { skip "tcp_link_failure_* (cannot unshare a mount namespace)"; done_testing; exit; }

mkdir "$T/rate"
start_port "$T/log" unshare -m --propagation private sh -c 'mount -t tmpfs -o size=1m,mode=700 minetd-test "$0" && exec "$@"' "$T/rate" \
  "$B/minetd-tcp" -1 -v 127.0.0.1 0 "$B/minetd-rate" -n 1000 -f "$T/rate/state" /bin/echo served
R=/proc/$SRV_PID/root$T/rate   # the server's tmpfs, as seen from here
is "$(fetch 127.0.0.1 "$PORT")" served "tcp_link_failure_served_before_the_fault"

# The fault: the state file is empty (so it must be rebuilt) on a full disk.
: >"$R/state"
dd if=/dev/zero of="$R/fill" bs=64k status=none 2>/dev/null
is "$(fetch 127.0.0.1 "$PORT")" "" "tcp_link_failure_connection_refused"
wait_until 5 grep -q "^minetd-tcp: warning: unable to admit 127\.0\.0\.1:[0-9]* in minetd-rate (pausing 10 ms): No space left on device$" "$T/log"
ok $? "tcp_link_failure_logged"
kill -0 "$SRV_PID"; ok $? "tcp_link_failure_server_alive"
for i in 1 2 3; do fetch 127.0.0.1 "$PORT" >/dev/null; done
kill -0 "$SRV_PID" && [ "$(grep -c 'unable to admit' "$T/log")" -le 4 ]; ok $? "tcp_link_failure_keeps_accepting_during_fault (bounded log)"
rm -f "$R/fill"
wait_until 5 eval '[ "$(fetch 127.0.0.1 "$PORT")" = served ]'; ok $? "tcp_link_failure_serves_after_fault"
wait_until 5 grep -q 'accepting again after [0-9]* failures' "$T/log"; ok $? "tcp_link_failure_recovery_logged"
stop "$SRV_PID"
done_testing
