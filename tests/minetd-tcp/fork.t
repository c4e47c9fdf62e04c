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
# uids of this run only: RLIMIT_NPROC counts every process of the uid
UID1=$((40000 + $$ % 20000 * 2)) UID2=$((40001 + $$ % 20000 * 2))
start_port "$T/log" prlimit --nproc=2:2 "$B/minetd-tcp" -1 -v -u $UID1 -g $UID1 -r 'try later\n' 127.0.0.1 0 sh -c "$SVC"
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

# Forks that keep failing: the pause grows, the warnings stay few, and no
# "accepting again" line claims a recovery that did not happen.
start_port "$T/log2" prlimit --nproc=1:1 "$B/minetd-tcp" -1 -v -u $UID2 -g $UID2 -r 'later\n' 127.0.0.1 0 "$B/examples/daytime-server"
for i in $(seq 1 20); do fetch 127.0.0.1 "$PORT" >/dev/null; done
is "$(grep -c 'refuse 127.0.0.1:[0-9]* reason fork failed' "$T/log2")" 20 "tcp_fork_failures_each_refused"
like "$(grep -o 'pausing [0-9]* ms' "$T/log2" | tail -1)" 'pausing ([89][0-9]|[1-9][0-9][0-9]+) ms' "tcp_fork_failure_backoff_grows"
ok $(( $(grep -c 'unable to fork' "$T/log2") > 8 )) "tcp_fork_failure_warnings_bounded"
is "$(grep -c 'accepting again' "$T/log2")" 0 "tcp_no_recovery_logged_while_forks_fail"
stop "$SRV_PID"
done_testing
