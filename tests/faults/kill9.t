#!/bin/bash
# kill -9 under load: 30 kills at random moments over a few seconds, of
# chains (their minetd-tcp) and of connection processes, while clients
# hammer both services. Every chain comes back on the very same listening
# socket, and no connection attempt is refused: a killed chain leaves its
# connections queued on minetd-sup's socket for the next one. Only the
# connections whose own process was killed (or that their killed chain had
# accepted and not yet started) end without a reply, at most one per kill.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../minetd-sup/sup.sh"
. "$(dirname "$0")/faults.sh"

free_ports 2; set -- $PORTS; P1=$1 P2=$2
conf_write "$T/conf" \
  "service e1 127.0.0.1:$P1 1000000 $EX/echo-server" \
  "service e2 127.0.0.1:$P2 0 $EX/echo-server"
start_sup "$T/log" "$T/conf"; ok $? "fault_kill9_sup_started"
declare -A inode chain kills
for s in e1 e2; do chain[$s]=$(chain_pid "$s"); PIDS+=("${chain[$s]}"); kills[$s]=0; done
inode[e1]=$(listen_inode "$P1") inode[e2]=$(listen_inode "$P2")
for s in e1 e2; do has_socket "${chain[$s]}" "${inode[$s]}"; ok $? "fault_kill9_${s}_chain_serves_its_socket_before"; done

# each attempt holds its connection 200 ms before it sends, so that there
# are connection processes to kill
hammer e1 "$P1" --send $'ping\n' --expect ping --delay 0.2 --threads 2 --seconds 30
hammer e2 "$P2" --send $'ping\n' --expect ping --delay 0.2 --threads 2 --seconds 30
chain_kills=0 conn_kills=0 missed=0
i=0
while [ $((chain_kills + conn_kills)) -lt 30 ] && [ $i -lt 100 ]; do
  i=$((i + 1))
  printf -v t '0.%03d' $((RANDOM % 100 + 30))
  nap "$t"
  s=e$((RANDOM % 2 + 1))
  status_read   # no process started in this loop: it keeps its pace
  # a third of the kills are of a chain, at most 3 per service (its restart
  # delay doubles from 250 ms when it ran less than 10 s) and only while it runs
  if [ $((RANDOM % 3)) = 0 ] && [ "${kills[$s]}" -lt 3 ] && [ "${ST_STATE[$s]}" = running ]; then
    kill -KILL "${ST_PID[$s]}" && { chain_kills=$((chain_kills + 1)); kills[$s]=$((kills[$s] + 1)); }
    continue
  fi
  # else a connection process: a child of a chain, or one whose chain was
  # killed (then minetd-sup's child); never a chain
  c1=${ST_PID[e1]} c2=${ST_PID[e2]}
  victims=
  for c in "$c1" "$c2" "$SUP_PID"; do
    children_of "$c"
    for p in $KIDS; do [ "$p" = "$c1" ] || [ "$p" = "$c2" ] || victims="$victims $p"; done
  done
  set -- $victims
  if [ $# -gt 0 ]; then
    shift $((RANDOM % $#))
    kill -KILL "$1" 2>/dev/null && conn_kills=$((conn_kills + 1)) || missed=$((missed + 1))
  else missed=$((missed + 1)); fi
done
note "kills: $chain_kills of chains (e1 ${kills[e1]}, e2 ${kills[e2]}), $conn_kills of connection processes, in $i tries ($missed found nothing to kill)"
ok $(( chain_kills + conn_kills < 30 || chain_kills < 3 || conn_kills < 10 )) "fault_kill9_30_kills_of_chains_and_connections"

for s in e1 e2; do
  wait_for 10 running "$s"; ok $? "fault_kill9_${s}_chain_back"
  new=$(chain_pid "$s"); PIDS+=("$new")
  has_socket "$new" "${inode[$s]}"; ok $? "fault_kill9_${s}_chain_back_on_the_same_socket"
done
is "$(listen_inode "$P1") $(listen_inode "$P2")" "${inode[e1]} ${inode[e2]}" "fault_kill9_listening_sockets_never_replaced"
sleep 0.3   # the clients see the restarted chains serve
lost_total=0
for s in e1 e2; do
  hammer_end "$s"
  is "$refused_n" 0 "fault_kill9_${s}_never_refused"
  is "$timeout_n" 0 "fault_kill9_${s}_no_attempt_left_unanswered"
  ok $(( ok_n < 10 )) "fault_kill9_${s}_served_throughout ($ok_n)"
  lost_total=$((lost_total + $(lost)))
done
note "ended without a reply (their process or their chain killed): $lost_total, for $((chain_kills + conn_kills)) kills"
ok $(( lost_total > chain_kills + conn_kills )) "fault_kill9_at_most_one_connection_lost_per_kill"
like "$(cat "$T/log")" "service e[12]: chain pid [0-9]+ died \(killed by signal SIGKILL\), restarting in" "fault_kill9_chain_deaths_logged"
wait_for 5 no_zombies "$SUP_PID" "$(chain_pid e1)" "$(chain_pid e2)"; ok $? "fault_kill9_no_zombies"
is "$(fetch 127.0.0.1 "$P1" $'after\n')$(fetch 127.0.0.1 "$P2" $'after\n')" "afterafter" "fault_kill9_both_serve_after"
stop "$SUP_PID"
done_testing
