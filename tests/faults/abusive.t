#!/bin/bash
# Hostile clients for about 3 s: 600 connections reset at once (SO_LINGER 0),
# to a service and to a rate-limited one that refuses them with a message;
# 30 that never send; 3 that send 10 MB through the echo, and one that
# sends without ever reading. Meanwhile a client from another address is
# served promptly, every time, by both: the accept loops never block. The
# 10 MB come back whole; no chain dies (of SIGPIPE, say).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../minetd-sup/sup.sh"
. "$(dirname "$0")/faults.sh"

free_ports 2; set -- $PORTS; P1=$1 P2=$2
conf_write "$T/conf" \
  "service echo 127.0.0.1:$P1 100000 maxconn=100 persource=40 refuse=busy\\r\\n $EX/echo-server" \
  "service lim 127.0.0.1:$P2 5 refuse=busy\\r\\n $EX/hello-server"
start_sup "$T/log" "$T/conf"; ok $? "fault_abuse_sup_started"
echo_pid=$(chain_pid echo) lim_pid=$(chain_pid lim); PIDS+=("$echo_pid" "$lim_pid")

# the well-behaved clients: from 127.0.0.2 and 127.0.0.3, not counted
# against the attackers' source (127.0.0.1)
hammer echo "$P1" --src 127.0.0.2 --send $'probe\n' --expect probe --pause 0.03 --timeout 10 --seconds 30
hammer lim "$P2" --src 127.0.0.3 --expect hello --busy busy --pause 0.05 --timeout 10 --seconds 30
t0=${EPOCHREALTIME/./}
res=$(timeout 40 "$PY" "$FAULTS/abuse.py" "$P1" "$P2" 3)
t1=${EPOCHREALTIME/./}
note "attack ($(( (t1 - t0) / 1000 )) ms): $res"
set -- $res
ok $(( $2 < 400 )) "fault_abuse_resets_made ($2)"
is "$4" 30 "fault_abuse_silent_clients_connected"
is "$6" 3 "fault_abuse_10MB_echoed_whole_three_times"
ok $(( ${10} < 1000000 )) "fault_abuse_stalled_sender_sent_into_full_buffers (${10} bytes)"

hammer_end echo
is "$refused_n $(lost)" "0 0" "fault_abuse_echo_prompt_client_never_refused_nothing_lost"
ok $(( ok_n < 20 )) "fault_abuse_echo_prompt_client_served_throughout ($ok_n)"
# a blocked accept loop would keep it waiting for the whole attack
ok $(( maxms >= 2000 )) "fault_abuse_echo_prompt_client_never_waits (slowest ${maxms} ms)"
hammer_end lim
is "$refused_n $(lost)" "0 0" "fault_abuse_lim_prompt_client_answered_every_time"
ok $(( ok_n + busy_n < 10 )) "fault_abuse_lim_prompt_client_served_or_told_busy ($ok_n ok, $busy_n busy)"
ok $(( maxms >= 2000 )) "fault_abuse_lim_prompt_client_never_waits (slowest ${maxms} ms)"

is "$(chain_pid echo) $(chain_pid lim)" "$echo_pid $lim_pid" "fault_abuse_no_chain_died"
kill -0 "$echo_pid" && kill -0 "$lim_pid"; ok $? "fault_abuse_chains_alive"
ok $(grep -q 'died\|fatal' "$T/log"; echo $((! $?))) "fault_abuse_nothing_fatal_logged"
conns() { [ "$(children "$echo_pid" | wc -w)" = 0 ]; }
wait_for 10 conns; ok $? "fault_abuse_every_connection_process_ended"
wait_for 5 no_zombies "$echo_pid" "$lim_pid" "$SUP_PID"; ok $? "fault_abuse_no_zombies"
is "$(fetch 127.0.0.1 "$P1" $'after\n')" after "fault_abuse_serves_after"
stop "$SUP_PID"
done_testing
