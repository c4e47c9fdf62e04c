#!/bin/bash
# An accept(2) error that leaves the connection queued (EPERM from a
# security module, played by a shim) neither spins nor stops minetd-tcp:
# it backs off as for EMFILE, logs a bounded number of lines, and serves
# the waiting client once accept works again.
. "$(dirname "$0")/../lib.sh"
shim=$(shim accept_fail) || { skip "tcp_accept_eperm_* (no LD_PRELOAD shim: static build?)"; done_testing; exit; }

touch "$T/fault"
start_port "$T/log" env LD_PRELOAD="$shim" ACCEPT_FAIL_WHILE="$T/fault" "$B/minetd-tcp" -1 -v 127.0.0.1 0 /bin/echo served
exec 5<>/dev/tcp/127.0.0.1/$PORT
wait_until 5 grep -q 'warning: unable to accept (pausing 10 ms): Operation not permitted' "$T/log"; ok $? "tcp_accept_eperm_logged_as_warning_with_pause"
ticks() { awk '{print $14+$15}' /proc/$SRV_PID/stat; }
before=$(ticks); sleep 1; after=$(ticks)
used=$((after - before))
note "server CPU over 1 s of EPERM from accept with a client waiting: $used ticks"
ok $(( used > 10 )) "tcp_accept_eperm_does_not_spin (under 0.1 s CPU in 1 s)"
kill -0 "$SRV_PID"; ok $? "tcp_accept_eperm_server_still_alive"
warnings=$(grep -c 'unable to accept' "$T/log")
ok $(( warnings > 10 )) "tcp_accept_eperm_warnings_bounded ($warnings lines)"
rm -f "$T/fault"
read -r -t 5 reply <&5
is "${reply:-}" served "tcp_accept_eperm_waiting_client_served_once_accept_works"
exec 5>&-
is "$(fetch 127.0.0.1 "$PORT")" served "tcp_accept_eperm_service_resumes"
wait_until 5 grep -q 'accepting again after [0-9]* failures' "$T/log"; ok $? "tcp_accept_eperm_recovery_logged"
stop "$SRV_PID"
done_testing
