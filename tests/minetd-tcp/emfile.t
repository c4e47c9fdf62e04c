#!/bin/bash
# Out of file descriptors, minetd-tcp neither spins nor dies: it pauses
# accepting with backoff, and serves the waiting client once fds are back.
. "$(dirname "$0")/../lib.sh"
command -v prlimit >/dev/null || { skip "tcp_emfile_* (no prlimit)"; done_testing; exit; }

start_tcp "$T/log" -v 127.0.0.1 0 "$B/examples/daytime-server"
soft=$(prlimit --pid "$SRV_PID" --nofile --noheadings --output SOFT)
prlimit --pid "$SRV_PID" --nofile=3: ; ok $? "tcp_emfile_lowered_server_fd_limit"
exec 5<>/dev/tcp/127.0.0.1/$PORT
wait_until 5 grep -q 'warning: unable to accept (pausing [0-9]* ms): '"$(errstr EMFILE)" "$T/log"; ok $? "tcp_emfile_logged_as_warning"
ticks() { awk '{print $14+$15}' /proc/$SRV_PID/stat; }
before=$(ticks); sleep 2; after=$(ticks)
used=$((after - before))
note "server CPU over 2 s of fd exhaustion with a client waiting: $used ticks"
ok $(( used > 20 )) "tcp_emfile_does_not_spin (under 0.2 s CPU in 2 s)"
kill -0 "$SRV_PID"; ok $? "tcp_emfile_server_still_alive"
warnings=$(grep -c 'unable to accept' "$T/log")
ok $(( warnings > 15 )) "tcp_emfile_warnings_bounded ($warnings lines)"
prlimit --pid "$SRV_PID" --nofile="$soft":
read -r -t 5 reply <&5
like "${reply:-}" 'UTC' "tcp_emfile_waiting_client_served_after_fds_return"
exec 5>&-
like "$(fetch 127.0.0.1 "$PORT")" 'UTC' "tcp_emfile_service_resumes"
wait_until 5 grep -q 'accepting again after' "$T/log"; ok $? "tcp_emfile_recovery_logged"
stop "$SRV_PID"
done_testing
