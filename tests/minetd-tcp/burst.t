#!/bin/bash
# Children are reaped as they exit: no zombie after a burst of 500
# connections, and the server's connection count returns to zero.
. "$(dirname "$0")/../lib.sh"

start_tcp "$T/log" -v -c 100 127.0.0.1 0 "$B/examples/daytime-server"
# 500 connections, 20 at a time, from one client process (tests/tools/loadgen:
# 500 shell clients cost more CPU than the server under test)
line=$("$B/tools/loadgen" -q -k 20 -n 500 -t 60 -T 5000 -x "$(date -u +%Y-)" 127.0.0.1 "$PORT")
note "$line"
like "$line" ' ok=500 fail=0 ' "tcp_burst_of_500_connections_all_served"
# ps lists zombies too: no child at all means none left unreaped.
wait_until 10 sh -c "[ \$(ps -o stat= --ppid $SRV_PID | wc -l) -eq 0 ]"; ok $? "tcp_no_child_or_zombie_left_after_burst"
wait_until 10 sh -c "[ \$(grep -c ' end 127' '$T/log') -ge 500 ]"
is "$(grep -c ' end 127.0.0.1:[0-9]* pid [0-9]* exit 0 count' "$T/log")" 500 "tcp_every_child_reaped_and_logged"
like "$(tail -1 "$T/log")" 'count 0/100$' "tcp_connection_count_back_to_zero"
cpu=$(awk '{print $14+$15}' /proc/$SRV_PID/stat)
note "server CPU for 500 connections: $cpu ticks"
stop "$SRV_PID"
done_testing
