#!/bin/bash
# Children are reaped as they exit: no zombie after a burst of 500
# connections, and the server's connection count returns to zero.
. "$(dirname "$0")/../lib.sh"

start_tcp "$T/log" -v -c 100 127.0.0.1 0 "$B/examples/daytime-server"
served=0
for batch in $(seq 1 25); do
  for i in $(seq 1 20); do
    (exec 3<>/dev/tcp/127.0.0.1/$PORT && timeout 5 cat <&3 >"$T/out.$batch.$i") &
  done
  wait $(jobs -p | grep -v "^$SRV_PID$") 2>/dev/null
done
served=$(cat "$T"/out.* | grep -c 'UTC')
is "$served" 500 "tcp_burst_of_500_connections_all_served"
# ps lists zombies too: no child at all means none left unreaped.
wait_until 10 sh -c "[ \$(ps -o stat= --ppid $SRV_PID | wc -l) -eq 0 ]"; ok $? "tcp_no_child_or_zombie_left_after_burst"
wait_until 10 sh -c "[ \$(grep -c ' end 127' '$T/log') -ge 500 ]"
is "$(grep -c ' end 127.0.0.1:[0-9]* pid [0-9]* exit 0 count' "$T/log")" 500 "tcp_every_child_reaped_and_logged"
like "$(tail -1 "$T/log")" 'count 0/100$' "tcp_connection_count_back_to_zero"
cpu=$(awk '{print $14+$15}' /proc/$SRV_PID/stat)
note "server CPU for 500 connections: $cpu ticks"
stop "$SRV_PID"
done_testing
