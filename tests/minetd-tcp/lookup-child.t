#!/bin/bash
# A connection process that does per-connection work before exec (a fused
# minetd-env -h whose lookup hangs: a shim plays the resolver, no query
# leaves the machine) holds nothing of the server's meanwhile: not the
# listening socket (stopping minetd-tcp frees the port at once), and not
# its blocked signals (SIGTERM ends the connection process at once).
. "$(dirname "$0")/../lib.sh"
hang=$(shim resolver_hang) || { skip "tcp_lookup_child_* (no LD_PRELOAD shim: static build?)"; done_testing; exit; }

start_port "$T/log" env LD_PRELOAD="$hang" "$B/minetd-tcp" -1 -v 127.0.0.1 0 "$B/minetd-env" -h -t 8000 /bin/echo hi
listener=$(readlink /proc/$SRV_PID/fd/* | grep '^socket:' | head -n 1)
exec 5<>/dev/tcp/127.0.0.1/$PORT
wait_until 5 grep -q 'accept 127.0.0.1' "$T/log"
child=$(sed -n 's/.*accept .* pid \([0-9]*\) .*/\1/p' "$T/log" | head -n 1)
# ready: the child has started its lookup helper
helper() { [ -n "$(cat /proc/$child/task/$child/children 2>/dev/null)" ]; }
wait_until 3 helper; ok $? "tcp_lookup_child_is_looking_up"
held=$(readlink /proc/$child/fd/* 2>/dev/null | grep -cxF "$listener")
is "$held" 0 "tcp_lookup_child_does_not_hold_the_listening_socket"
is "$(awk '/^SigBlk/ {print $2}' /proc/$child/status)" 0000000000000000 "tcp_lookup_child_has_signals_unblocked_during_lookup"
is "$(ls /proc/$child/fd | sort -n | head -n 3 | tr '\n' ' ')" "0 1 2 " "tcp_lookup_child_has_the_connection_on_012"

kill -TERM "$SRV_PID"; wait "$SRV_PID"
if start_tcp "$T/log2" 127.0.0.1 "$PORT" /bin/echo again; then
  pass "tcp_restart_binds_port_while_old_lookup_runs"
  is "$(fetch 127.0.0.1 "$PORT")" again "tcp_restarted_server_serves"
  stop "$SRV_PID"
else
  fail "tcp_restart_binds_port_while_old_lookup_runs"; note "$(cat "$T/log2")"
  fail "tcp_restarted_server_serves"
fi

# Its parent is gone: whoever reaps it now may be slow, so a zombie counts
# as ended. Unfixed, it would live on until the 8 s lookup timeout.
ended() { [ ! -e /proc/$child ] || [ "$(sed 's/.*) //' /proc/$child/stat 2>/dev/null | cut -d' ' -f1)" = Z ]; }
kill -TERM "$child"
wait_until 3 ended; ok $? "tcp_lookup_child_ends_on_sigterm_at_once"
read -r -t 2 reply <&5
is "${reply:-}" "" "tcp_lookup_child_killed_client_sees_close"
exec 5>&-
done_testing
