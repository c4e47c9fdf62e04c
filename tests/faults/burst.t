#!/bin/bash
# A burst of 10,000 connections, 64 in flight (tests/tools/loadgen, loopback
# only), at a service capped at 4 connection processes that refuses the
# excess with a message: every connection gets an answer (served or told
# busy), the listener is the same socket afterwards, no zombie is left,
# and minetd-tcp and minetd-sup hold the same fds as before.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../minetd-sup/sup.sh"
. "$(dirname "$0")/faults.sh"
[ -x "$B/tools/loadgen" ]; ok $? "fault_burst_loadgen_built"

free_ports 2; set -- $PORTS; P1=$1 P2=$2
conf_write "$T/conf" \
  "service burst 127.0.0.1:$P1 1000000 maxconn=4 refuse=busy\\r\\n $EX/hello-server" \
  "service steady 127.0.0.1:$P2 0 $EX/echo-server"
start_sup "$T/log" "$T/conf"; ok $? "fault_burst_sup_started"
chain=$(chain_pid burst); PIDS+=("$chain")
inode=$(listen_inode "$P1")
like "$(fetch 127.0.0.1 "$P1")" '^hello' "fault_burst_serves_before"
idle() { [ -z "$(children "$chain")" ]; }
wait_for 5 idle
fds_tcp=$(fd_count "$chain") fds_sup=$(fd_count "$SUP_PID")

hammer steady "$P2" --src 127.0.0.2 --send $'ping\n' --expect ping --pause 0.05 --seconds 60
# -x hello: a "busy" answer counts as a mismatch, so the counts split into
# served (ok), told busy (mismatch) and lost (every other failure)
res=$(timeout 60 "$B/tools/loadgen" -q -k 64 -n 10000 -t 50 -T 10000 -x hello 127.0.0.1 "$P1")
note "$res"
val() { printf '%s\n' "$res" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
is "$(val conns)" 10000 "fault_burst_10000_connections_made"
served=$(val ok) busy=$(val f_mismatch)
lost=$(( $(val fail) - busy ))
note "served $served, told busy $busy, lost $lost"
is "$lost" 0 "fault_burst_every_connection_answered"
ok $(( served < 100 || busy < 100 )) "fault_burst_some_served_some_refused_with_the_message"

wait_for 10 idle; ok $? "fault_burst_every_connection_process_ended"
wait_for 5 no_zombies "$chain" "$SUP_PID"; ok $? "fault_burst_no_zombies"
is "$(listen_inode "$P1")" "$inode" "fault_burst_same_listening_socket"
is "$(chain_pid burst)" "$chain" "fault_burst_chain_never_restarted"
like "$(fetch 127.0.0.1 "$P1")" '^hello' "fault_burst_serves_after"
wait_for 5 idle
is "$(fd_count "$chain") $(fd_count "$SUP_PID")" "$fds_tcp $fds_sup" "fault_burst_fd_counts_unchanged (minetd-tcp, minetd-sup)"
hammer_end steady
is "$refused_n $(lost)" "0 0" "fault_burst_other_service_nothing_refused_nothing_lost"
ok $(( ok_n < 10 )) "fault_burst_other_service_served_throughout ($ok_n)"
stop "$SUP_PID"
done_testing
