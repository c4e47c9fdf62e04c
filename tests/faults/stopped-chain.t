#!/bin/bash
# Chains stopped with SIGSTOP: minetd-sup stays responsive: --status
# answers, a reload is processed (one that changes the stopped service too:
# its new chain takes over the socket, and the client queued meanwhile is
# served), and SIGTERM stops minetd-sup within the documented grace (10 s,
# minetd-sup(8) Stopping) by killing the chain that did not stop. Once it
# has exited, no chain of its own is left and every port is free.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../minetd-sup/sup.sh"
. "$(dirname "$0")/faults.sh"

free_ports 3; set -- $PORTS; P1=$1 P2=$2 P3=$3
conf_write "$T/conf" \
  "service a 127.0.0.1:$P1 0 $EX/echo-server" \
  "service b 127.0.0.1:$P2 0 $EX/hello-server" \
  "service c 127.0.0.1:$P3 0 $EX/echo-server"
start_sup "$T/log" "$T/conf"; ok $? "fault_stop_sup_started"
pa=$(chain_pid a) pc=$(chain_pid c); PIDS+=("$pa" "$pc")
kill -STOP "$pa" "$pc"
stopped() { [ "$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null)" = T ]; }
wait_for 5 stopped "$pa" && wait_for 5 stopped "$pc"; ok $? "fault_stop_chains_stopped"

st=$(timeout 5 "$SUP" --status -p "$T/pid" -R "$T/run"); ok $? "fault_stop_status_answers"
like "$st" "a +127.0.0.1:$P1 +running +$pa " "fault_stop_status_lists_the_stopped_chain"
exec 5<>"/dev/tcp/127.0.0.1/$P1" && echo queued >&5; ok $? "fault_stop_stopped_service_not_refused"
exec 6<>"/dev/tcp/127.0.0.1/$P3" && echo queued >&6

# a reload: b changes, and so does c, whose chain is stopped
conf_write "$T/conf" \
  "service a 127.0.0.1:$P1 0 $EX/echo-server" \
  "service b 127.0.0.1:$P2 0 $EX/daytime-server" \
  "service c 127.0.0.1:$P3 0 maxconn=9 $EX/echo-server"
reload_and_wait "$T/log"; ok $? "fault_stop_reload_processed"
like "$(grep reloaded "$T/log" | tail -n 1)" "2 changed" "fault_stop_reload_changed_both"
like "$(fetch 127.0.0.1 "$P2")" 'UTC' "fault_stop_reloaded_service_serves"
pc2=$(chain_pid c); PIDS+=("$pc2")
reply=; read -r -t 5 reply <&6; exec 6>&-
is "$reply" queued "fault_stop_client_queued_at_stopped_chain_served_by_new_chain"
# its SIGTERM is followed by SIGCONT (as s6-svc -d does): it ends
dead() { ! kill -0 "$1" 2>/dev/null || [ "$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null)" = Z ]; }
wait_for 5 dead "$pc"; ok $? "fault_stop_replaced_stopped_chain_continued_and_ends"
timeout 5 "$SUP" --status -p "$T/pid" -R "$T/run" >/dev/null; ok $? "fault_stop_status_answers_after_reload"

# SIGTERM: a's stopped chain is continued after its SIGTERM and ends at once
t0=${EPOCHREALTIME/./}
kill -TERM "$SUP_PID"
gone() { ! kill -0 "$SUP_PID" 2>/dev/null || [ "$(awk '{ print $3 }' "/proc/$SUP_PID/stat" 2>/dev/null)" = Z ]; }
wait_for 20 gone; ok $? "fault_stop_sup_exits_on_sigterm"
wait "$SUP_PID"; rc=$?
t1=${EPOCHREALTIME/./}
ms=$(( (t1 - t0) / 1000 ))
note "minetd-sup exited $rc after $ms ms"
is "$rc" 0 "fault_stop_sup_exit_status_0"
ok $(( ms >= 5000 )) "fault_stop_sup_stops_a_stopped_chain_without_waiting_the_grace ($ms ms)"
grep -q 'did not stop in time' "$T/log"; ok $((! $?)) "fault_stop_nothing_left_to_kill"
exec 5>&-
wait_for 2 dead "$pa"; ok $? "fault_stop_stopped_chain_ended"
# a chain retired by the reload while stopped is a chain too: it must not
# outlive minetd-sup, holding its port
wait_for 1 dead "$pc"; ok $? "fault_stop_retired_stopped_chain_does_not_outlive_sup"
refused 127.0.0.1 "$P1" && refused 127.0.0.1 "$P2"; ok $? "fault_stop_ports_of_current_chains_free"
refused 127.0.0.1 "$P3"; ok $? "fault_stop_port_of_retired_stopped_chain_free"
done_testing
