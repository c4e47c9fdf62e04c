#!/bin/bash
# Signals: SIGTERM stops accepting and leaves live connections running;
# SIGHUP kills nothing; SIGQUIT also ends the connections. Readiness fd.
. "$(dirname "$0")/../lib.sh"
SVC='read -r line; echo "got $line"'

start_tcp "$T/log1" -v 127.0.0.1 0 sh -c "$SVC"
exec 5<>/dev/tcp/127.0.0.1/$PORT
wait_until 5 grep -q 'accept 127.0.0.1' "$T/log1"
kill -HUP "$SRV_PID"
wait_until 5 grep -q 'SIGHUP' "$T/log1"
kill -0 "$SRV_PID"; ok $? "tcp_sighup_does_not_stop_server"
kill -TERM "$SRV_PID"; wait "$SRV_PID"; rc=$?
is "$rc" 0 "tcp_sigterm_exits_0"
echo alive >&5; read -r -t 5 reply <&5
is "$reply" "got alive" "tcp_sigterm_leaves_live_connection_running_and_client_gets_reply"
exec 5>&-
fetch 127.0.0.1 "$PORT" >/dev/null; (exec 6<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null; rc=$?
ok $(( rc == 0 )) "tcp_sigterm_closes_listener"

start_tcp "$T/log2" -v 127.0.0.1 0 sh -c "$SVC"
exec 5<>/dev/tcp/127.0.0.1/$PORT
wait_until 5 grep -q 'accept 127.0.0.1' "$T/log2"
child=$(sed -n 's/.*accept .* pid \([0-9]*\) .*/\1/p' "$T/log2" | head -1)
kill -QUIT "$SRV_PID"; wait "$SRV_PID"; rc=$?
is "$rc" 0 "tcp_sigquit_exits_0"
wait_until 5 sh -c "! kill -0 $child 2>/dev/null"; ok $? "tcp_sigquit_terminates_connection_processes"
read -r -t 5 reply <&5
is "${reply:-}" "" "tcp_sigquit_connection_closed_without_reply"
exec 5>&-

# A SIGHUP that arrives while minetd-tcp starts (here: pending from its
# launcher, which blocked it, as minetd-sup does) does not kill it; once
# it listens, SIGHUP reloads.
start_port "$T/log4" python3 -c 'import os, signal, sys
signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGHUP])
signal.raise_signal(signal.SIGHUP)
os.execv(sys.argv[1], sys.argv[1:])' "$B/minetd-tcp" -1 -v 127.0.0.1 0 sh -c "$SVC"
is "$(fetch 127.0.0.1 "$PORT" $'up\n')" "got up" "tcp_sighup_pending_at_start_does_not_kill"
kill -HUP "$SRV_PID"
wait_until 5 grep -q 'SIGHUP: reloading' "$T/log4"; ok $? "tcp_sighup_after_start_reloads"
stop "$SRV_PID"

# Readiness: a newline on the notification fd once listening.
exec 4> >(cat >"$T/ready")
start_tcp "$T/log3" -d 4 127.0.0.1 0 sh -c "$SVC"
exec 4>&-
wait_until 5 test -s "$T/ready"; ok $? "tcp_notification_fd_gets_newline_when_listening"
is "$(od -An -c "$T/ready" | tr -d ' ')" '\n' "tcp_notification_is_one_newline"
test ! -e /proc/$SRV_PID/fd/4; ok $? "tcp_notification_fd_closed_after_use"
stop "$SRV_PID"

# Started with the signals it traps ignored (SIGCHLD, SIGTERM): they get
# their default action back, so children are still reaped (with -c 2, the
# third client is served only once a slot was freed) and SIGTERM still stops it.
(trap '' CHLD TERM INT QUIT; exec "$B/minetd-tcp" -1 -c 2 127.0.0.1 0 /bin/echo hi >"$T/port5" 2>>"$T/log5") &
SRV_PID=$!; PIDS+=("$SRV_PID")
wait_until 5 test -s "$T/port5"; PORT=$(cat "$T/port5")
got=
for i in 1 2 3 4; do got="$got$(fetch 127.0.0.1 "$PORT")"; done
is "$got" "hihihihi" "tcp_ignored_sigchld_at_start_children_still_reaped"
kill -TERM "$SRV_PID"
wait_until 5 sh -c "! kill -0 $SRV_PID 2>/dev/null"; ok $? "tcp_ignored_sigterm_at_start_still_stops_server"
wait "$SRV_PID" 2>/dev/null

done_testing
