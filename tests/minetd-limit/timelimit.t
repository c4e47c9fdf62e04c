#!/bin/bash
# -T: a connection that hangs is ended at its time limit (the client sees
# EOF within the limit plus the grace, the log says why), one that ends in
# time is not touched, a program ignoring SIGTERM is KILLed after the
# grace, what it started ends with it; minetd-tcp keeps serving meanwhile.
. "$(dirname "$0")/../lib.sh"

L=$B/minetd-limit
now() { date +%s%N; }
ms_since() { echo $(( ($(now) - $1) / 1000000 )); }
# read the connection to EOF (no half-close timeout): sets GOT and MS
read_all() { local t0; t0=$(now); GOT=$(timeout 15 socat -u "TCP:127.0.0.1:$1" - 2>/dev/null); MS=$(ms_since "$t0"); }
in_range() { [ "$1" -ge "$2" ] && [ "$1" -le "$3" ]; }

cat >"$T/hang" <<EOF2
#!/bin/sh
sleep 30 &
echo \$! >"$T/child.pid"
echo started
wait
EOF2
cat >"$T/stubborn" <<'EOF2'
#!/bin/sh
trap '' TERM
echo started
while :; do sleep 1; done
EOF2
chmod +x "$T/hang" "$T/stubborn"

start_tcp "$T/hang.log" -E 127.0.0.1 0 "$L" -T 1 -k 2 "$T/hang"; ok $? "hang_server_started"
HANG_PORT=$PORT; HANG_SRV=$SRV_PID
read_all "$HANG_PORT"
is "$GOT" started "hang_program_ran"
in_range "$MS" 900 2900; ok $? "hang_client_sees_eof_at_the_time_limit (${MS} ms, limit 1 s)"
wait_until 5 grep -q 'ended by the time limit' "$T/hang.log"
like "$(grep minetd-limit: "$T/hang.log")" '^minetd-limit: warning: pid [0-9]+ ended by the time limit of 1 s$' "hang_log_says_time_limit"
child=$(cat "$T/child.pid")
wait_until 3 exited "$child"; ok $? "hang_child_of_program_ended_with_it"

# the accept loop serves during a hanging connection
start_tcp "$T/well.log" -E 127.0.0.1 0 "$L" -T 3 -k 1 echo hello; ok $? "well_server_started"
hold held 127.0.0.1 127.0.0.1 "$HANG_PORT"
wait_until 5 grep -q started "$T/held.out"; ok $? "hold_a_hanging_connection"
read_all "$HANG_PORT"
is "$GOT" started "second_connection_served_while_one_hangs"
read_all "$PORT"
is "$GOT" hello "well_behaved_connection_served"
in_range "$MS" 0 900; ok $? "well_behaved_connection_not_delayed (${MS} ms)"
sleep 0.3
if grep -q 'time limit' "$T/well.log"; then fail "well_behaved_connection_not_logged_as_ended"; else pass "well_behaved_connection_not_logged_as_ended"; fi
release held
stop "$SRV_PID"
stop "$HANG_SRV"

# SIGTERM ignored: KILLed after the grace, not before
start_tcp "$T/stub.log" -E 127.0.0.1 0 "$L" -T 1 -k 1 "$T/stubborn"; ok $? "stubborn_server_started"
read_all "$PORT"
is "$GOT" started "stubborn_program_ran"
in_range "$MS" 1800 3900; ok $? "stubborn_killed_after_the_grace (${MS} ms, limit 1 s + grace 1 s)"
stop "$SRV_PID"

# exit statuses, standalone
"$L" -T 1 -k 1 sleep 30 </dev/null 2>/dev/null; is "$?" 143 "status_of_program_ended_by_sigterm_is_143"
"$L" -T 1 -k 1 "$T/stubborn" </dev/null >/dev/null 2>&1; is "$?" 137 "status_of_program_killed_after_grace_is_137"
# the supervisor's own fds 0 and 1 are /dev/null: only the program holds the connection
out=$("$L" -T 5 sh -c 'ls -l /proc/$PPID/fd/0 /proc/$PPID/fd/1' 2>&1)
is "$(printf '%s\n' "$out" | grep -c -- '-> /dev/null')" 2 "supervisor_fds_0_1_are_dev_null"
# asked to stop: the program is told
t0=$(now)
"$L" -T 30 sleep 30 </dev/null & sup=$!; PIDS+=("$sup")
wait_until 5 pgrep -P "$sup" -x sleep >/dev/null; ok $? "supervised_program_started"
kill -TERM "$sup"
wait_pid "$sup" 5; is "$?" 143 "sigterm_to_supervisor_ends_the_program"
done_testing
