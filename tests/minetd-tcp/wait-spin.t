#!/bin/bash
# Wait mode: a program that exits without accepting leaves the connection
# waiting and the listener readable. minetd-tcp must not spin restarting
# it: it pauses (100 ms, doubling), uses little CPU, never disables the
# service, and serves again as soon as a program accepts.
. "$(dirname "$0")/../lib.sh"
WAITD=$B/tools/waitd

cputicks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
starts() { grep -c 'info: start pid' "$1"; }

start_tcp "$T/log" -v -w 127.0.0.1 0 /bin/true
hold c1 127.0.0.1 127.0.0.1 "$PORT"
wait_until 5 grep -q 'pausing 100 ms' "$T/log"; ok $? "tcp_wait_quick_exit_with_connection_waiting_pauses_100ms"
before=$(cputicks "$SRV_PID"); n0=$(starts "$T/log")
sleep 2
after=$(cputicks "$SRV_PID"); n1=$(starts "$T/log")
used=$((after - before)); n=$((n1 - n0))
note "over 2 s: $used clock ticks of CPU, $n starts"
[ "$used" -le 20 ]; ok $? "tcp_wait_quick_exits_cost_little_cpu"
[ "$n" -ge 1 ] && [ "$n" -le 6 ]; ok $? "tcp_wait_quick_exits_restart_a_few_times_not_in_a_loop"
grep -q 'pausing 200 ms' "$T/log" && grep -q 'pausing 400 ms' "$T/log"; ok $? "tcp_wait_pause_doubles_and_each_doubling_is_logged"
like "$(grep -m1 pausing "$T/log")" '^minetd-tcp: warning: pid [0-9]+ exited after [0-9]+ ms leaving connections waiting \(pausing 100 ms\)$' "tcp_wait_pause_warning_names_pid_and_time"
kill -0 "$SRV_PID"; ok $? "tcp_wait_service_never_disabled"
release c1

# A program that accepts only from its third start (a counter file): the
# waiting client is served after the pauses, and the service goes on.
cat >"$T/flaky" <<EOF
#!/bin/sh
n=\$(cat "$T/count" 2>/dev/null || echo 0)
echo \$((n + 1)) >"$T/count"
[ "\$n" -ge 2 ] || exit 0
exec "$WAITD" -i 500 "$T/marker"
EOF
chmod +x "$T/flaky"
start_tcp "$T/log2" -v -w 127.0.0.1 0 "$T/flaky"
like "$(fetch 127.0.0.1 "$PORT")" '^waitd pid [0-9]+ conn 1 ' "tcp_wait_service_resumes_when_program_accepts"
is "$(cat "$T/count")" 3 "tcp_wait_client_served_by_third_start"
wait_until 5 grep -q 'starting the program on demand again after 2 quick exits' "$T/log2"; ok $? "tcp_wait_pause_reset_after_program_ran_is_logged"
like "$(fetch 127.0.0.1 "$PORT")" '^waitd pid [0-9]+ conn 1 ' "tcp_wait_next_connection_started_at_once"
# the first quick exit is started again at once, the second pauses
is "$(grep -c pausing "$T/log2")" 1 "tcp_wait_no_pause_after_reset"
stop "$SRV_PID"

# A program that takes one connection and exits while others wait made
# progress: it is started again at once, not paced.
# All three wait before the first run accepts (it waits for "go"), so
# each run leaves the queue one shorter however slowly the clients come.
cat >"$T/gated" <<EOF
#!/bin/sh
while [ ! -e "$T/go" ]; do sleep 0.01; done
exec "$WAITD" -n 1 "$T/marker3"
EOF
chmod +x "$T/gated"
start_tcp "$T/log3" -v -w 127.0.0.1 0 "$T/gated"
for i in 1 2 3; do hold "h$i" 127.0.0.1 127.0.0.1 "$PORT"; done
queued3() { [ "$(ss -Hltn "sport = :$PORT" | awk '{ print $2 }')" = 3 ]; }
wait_until 10 queued3; ok $? "tcp_wait_three_connections_queued"
touch "$T/go"
for i in 1 2 3; do wait_until 5 grep -q . "$T/h$i.out"; done
is "$(cat "$T"/h[123].out | grep -c '^waitd pid [0-9]* conn 1 ')" 3 "tcp_wait_one_connection_per_run_serves_all_waiting"
! grep -q pausing "$T/log3"; ok $? "tcp_wait_program_that_took_a_connection_is_not_paced"
for i in 1 2 3; do release "h$i"; done
stop "$SRV_PID"

done_testing
