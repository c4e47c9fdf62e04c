#!/bin/bash
# When fork fails, minetd-tcp refuses that one connection (with the -r
# message), logs it, backs off, and serves again once it can fork.
. "$(dirname "$0")/../lib.sh"
if [ "$(id -u)" != 0 ] || ! command -v prlimit >/dev/null; then
  skip "tcp_fork_failure_* (needs root to run the server as another uid, and prlimit)"; done_testing; exit
fi
# RLIMIT_NPROC counts the processes of the server's dropped uid: at 2,
# the server and one connection, the next fork fails until that one ends.
SVC='read -r line; echo "got $line"'
start_port "$T/log" prlimit --nproc=2:2 "$B/minetd-tcp" -1 -v -u 64999 -g 64999 -r 'try later\n' 127.0.0.1 0 sh -c "$SVC"
exec 5<>/dev/tcp/127.0.0.1/$PORT
wait_until 5 grep -q 'accept 127.0.0.1' "$T/log"
is "$(fetch 127.0.0.1 "$PORT")" "try later" "tcp_fork_failure_refuses_connection_with_message"
wait_until 5 grep -q 'warning: unable to fork (pausing [0-9]* ms): Resource temporarily unavailable' "$T/log"; ok $? "tcp_fork_failure_logged"
grep -q 'refuse 127.0.0.1:[0-9]* reason fork failed' "$T/log"; ok $? "tcp_fork_failure_refusal_logged"
kill -0 "$SRV_PID"; ok $? "tcp_fork_failure_server_survives"
echo one >&5; read -r -t 5 reply <&5; exec 5>&-
is "$reply" "got one" "tcp_fork_failure_leaves_live_connection_alone"
wait_until 5 grep -q 'end 127.0.0.1' "$T/log"
is "$(fetch 127.0.0.1 "$PORT" $'two\n')" "got two" "tcp_fork_failure_service_resumes"
stop "$SRV_PID"
done_testing; exit
fi
# RLIMIT_NPROC counts the processes of the server's (dropped) uid: at 1,
# the server itself, no child can be forked.
start_tcp "$T/log" -v -u 65534 -g 65534 -r 'try later\n' 127.0.0.1 0 "$B/examples/daytime-server"
prlimit --pid "$SRV_PID" --nproc=1:1
is "$(fetch 127.0.0.1 "$PORT")" "try later" "tcp_fork_failure_refuses_connection_with_message"
wait_until 5 grep -q 'warning: unable to fork (pausing [0-9]* ms): Resource temporarily unavailable' "$T/log"; ok $? "tcp_fork_failure_logged"
grep -q 'refuse 127.0.0.1:[0-9]* reason fork failed' "$T/log"; ok $? "tcp_fork_failure_refusal_logged"
kill -0 "$SRV_PID"; ok $? "tcp_fork_failure_server_survives"
prlimit --pid "$SRV_PID" --nproc=unlimited:unlimited
like "$(fetch 127.0.0.1 "$PORT")" 'UTC' "tcp_fork_failure_service_resumes"
stop "$SRV_PID"
done_testing
