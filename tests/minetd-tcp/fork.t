#!/bin/bash
# When fork fails, minetd-tcp refuses that one connection (with the -r
# message), logs it, backs off, and serves again once it can fork.
. "$(dirname "$0")/../lib.sh"
# the servers drop to other uids: they run a copy those can reach
public_build
if [ "$(id -u)" != 0 ] || ! command -v prlimit >/dev/null; then
  skip "tcp_fork_failure_* (needs root to run the server as another uid, and prlimit)"; done_testing; exit
fi
# make check-san: LeakSanitizer starts a thread at exit to stop the world,
# which this test's process limit forbids (a fatal LSan error): no leak
# check here.
[ -n "${MINETD_SANITIZED:-}" ] && export ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0"
# RLIMIT_NPROC counts the processes of the server's dropped uid: at 2,
# the server and one connection, the next fork fails until that one ends.
SVC='read -r line; echo "got $line"'
# uids of this run only: RLIMIT_NPROC counts every process of the uid
UID1=$((40000 + $$ % 20000 * 2)) UID2=$((40001 + $$ % 20000 * 2))
start_port "$T/log" prlimit --nproc=2:2 "$PUB/minetd-tcp" -1 -v -u $UID1 -g $UID1 -r 'try later\n' 127.0.0.1 0 sh -c "$SVC"
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
start_port "$T/log2" prlimit --nproc=1:1 "$PUB/minetd-tcp" -1 -v -u $UID2 -g $UID2 -r 'later\n' 127.0.0.1 0 "$PUB/examples/daytime-server"
for i in $(seq 1 20); do fetch 127.0.0.1 "$PORT" >/dev/null; done
is "$(grep -c 'refuse 127.0.0.1:[0-9]* reason fork failed' "$T/log2")" 20 "tcp_fork_failures_each_refused"
like "$(grep -o 'pausing [0-9]* ms' "$T/log2" | tail -1)" 'pausing ([89][0-9]|[1-9][0-9][0-9]+) ms' "tcp_fork_failure_backoff_grows"
ok $(( $(grep -c 'unable to fork' "$T/log2") > 8 )) "tcp_fork_failure_warnings_bounded"
is "$(grep -c 'accepting again' "$T/log2")" 0 "tcp_no_recovery_logged_while_forks_fail"
stop "$SRV_PID"

# A connection refused because its process could not be started is not
# counted by an in-process minetd-rate, as it is not on the exec path
# (there minetd-rate never ran). -n 4: one connection held (the uid's
# second process: forks fail), five refused, then three more admitted.
rate_after_fork_failures() { # MODE-FLAG UID NAME
  start_port "$T/log.$3" prlimit --nproc=2:2 "$PUB/minetd-tcp" -1 -v $1 -u $2 -g $2 -r 'try later\n' 127.0.0.1 0 \
    "$PUB/minetd-rate" -n 4 -w 60 -f "$T/rate.$3" -m 'full\n' sh -c "$SVC"
  exec 5<>/dev/tcp/127.0.0.1/$PORT
  wait_until 5 grep -q 'accept 127.0.0.1' "$T/log.$3"
  for i in 1 2 3 4 5; do fetch 127.0.0.1 "$PORT"; done >"$T/failed.$3"
  echo one >&5; read -r -t 5 reply <&5; exec 5>&-
  wait_until 5 grep -q 'end 127.0.0.1' "$T/log.$3"
  for i in 1 2 3 4; do fetch 127.0.0.1 "$PORT" $'x\n'; done | tr '\n' ' ' >"$T/after.$3"
  stop "$SRV_PID"
}
UID3=$((80000 + $$ % 20000 * 2)) UID4=$((80001 + $$ % 20000 * 2))
mkdir -m 0777 "$T/r"
T=$T/r rate_after_fork_failures "" $UID3 fused
T=$T/r rate_after_fork_failures -E $UID4 exec
for mode in fused exec; do
  is "$(grep -c '^try later$' "$T/r/failed.$mode")" 5 "${mode}_rate_fork_failures_refused"
  is "$(cat "$T/r/after.$mode")" "got x got x got x full " "${mode}_rate_fork_failures_spend_no_rate_budget"
done
done_testing
