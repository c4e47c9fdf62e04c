#!/bin/bash
# SIGQUIT ends every connection process, a stopped one too: SIGTERM stays
# pending in a stopped process, so minetd-tcp sends SIGCONT after it.
. "$(dirname "$0")/../lib.sh"

start_tcp "$T/log" -v 127.0.0.1 0 sh -c 'echo up; read -r line; echo "got $line"'
hold C 127.0.0.1 127.0.0.1 "$PORT"
is "$(held_line C)" "up" "tcp_connection_process_running"
child=$(sed -n 's/.*accept .* pid \([0-9]*\) .*/\1/p' "$T/log" | head -n 1)
PIDS+=("$child")
kill -STOP "$child"
stopped() { [ "$(proc_state "$child")" = T ]; }
wait_until 5 stopped; ok $? "tcp_connection_process_stopped"
kill -QUIT "$SRV_PID"; wait_pid "$SRV_PID"
is "$?" 0 "tcp_sigquit_exits_0_with_a_stopped_connection"
wait_until 5 exited "$child"; ok $? "tcp_sigquit_terminates_a_stopped_connection_process"
release C
done_testing
