#!/bin/bash
# Concurrency caps: stop accepting (clients wait in the backlog) or refuse
# with a message without forking; per-source caps by prefix.
. "$(dirname "$0")/../lib.sh"
# The service answers once it has read one line: a client holds a slot
# as long as it keeps its connection open without sending.
SVC='read -r line; echo "got $line"'

# -c 1 without -r: the second client waits until the first is done.
start_tcp "$T/log1" -v -c 1 127.0.0.1 0 sh -c "$SVC"
exec 5<>/dev/tcp/127.0.0.1/$PORT
wait_until 5 grep -q 'accept 127.0.0.1' "$T/log1"
exec 6<>/dev/tcp/127.0.0.1/$PORT
echo second >&6
read -r -t 1 reply6 <&6; rc=$?
ok $(( rc == 0 )) "tcp_at_cap_without_r_second_client_waits_in_backlog"
echo first >&5; read -r -t 5 reply5 <&5
is "$reply5" "got first" "tcp_at_cap_first_client_served"
read -r -t 5 reply6 <&6
is "$reply6" "got second" "tcp_at_cap_waiting_client_served_when_slot_frees"
exec 5>&- 6>&-
is "$(grep -c 'refuse' "$T/log1")" 0 "tcp_at_cap_without_r_refuses_nobody"
stop "$SRV_PID"

# -c 1 with -r: the second client gets the message at once; no fork for it.
start_tcp "$T/log2" -v -c 1 -r '421 busy\r\n' 127.0.0.1 0 sh -c "$SVC"
exec 5<>/dev/tcp/127.0.0.1/$PORT
wait_until 5 grep -q 'accept 127.0.0.1' "$T/log2"
got=$(fetch 127.0.0.1 "$PORT" | od -c | head -1)
like "$got" '4   2   1       b   u   s   y  \\r  \\n' "tcp_at_cap_with_r_sends_refusal_with_escapes"
wait_until 5 grep -q 'refuse 127.0.0.1:[0-9]* reason maxconn count 1/1' "$T/log2"; ok $? "tcp_refusal_logged_with_reason_and_count"
is "$(grep -c ' accept ' "$T/log2")" 1 "tcp_refused_connection_costs_no_fork"
echo first >&5; read -r -t 5 reply5 <&5
is "$reply5" "got first" "tcp_refusal_does_not_disturb_live_connection"
exec 5>&-
wait_until 5 grep -q 'end 127.0.0.1:[0-9]* pid' "$T/log2"
is "$(fetch 127.0.0.1 "$PORT" hi$'\n')" "got hi" "tcp_serves_again_after_slot_frees"
stop "$SRV_PID"

# Per-source cap: 127.0.0.2 is held to 1, 127.0.0.3 is still served.
start_tcp "$T/log3" -v -C 1 -r 'too many from you\n' 0 0 sh -c "$SVC"
coproc HOLD { exec socat - TCP:127.0.0.1:$PORT,bind=127.0.0.2; }
PIDS+=("$HOLD_PID")
wait_until 5 grep -q 'accept 127.0.0.2' "$T/log3"; ok $? "tcp_persource_first_connection_from_source_accepted"
is "$(fetch_from 127.0.0.2 127.0.0.1 "$PORT")" "too many from you" "tcp_persource_cap_refuses_same_source_with_message"
is "$(printf 'x\n' | timeout 10 socat -t 5 - TCP:127.0.0.1:$PORT,bind=127.0.0.3)" "got x" "tcp_persource_cap_serves_other_source"
like "$(grep refuse "$T/log3")" 'refuse 127.0.0.2:[0-9]+ reason persource' "tcp_persource_refusal_logged"
echo done >&"${HOLD[1]}"; read -r -t 5 r <&"${HOLD[0]}"
is "$r" "got done" "tcp_persource_held_connection_completes"
wait "$HOLD_PID" 2>/dev/null
stop "$SRV_PID"

# Sources grouped by prefix: with -p 24, 127.0.0.2 and 127.0.0.3 are one source.
start_tcp "$T/log4" -v -C 1 -p 24 -r 'same /24\n' 0 0 sh -c "$SVC"
coproc HOLD2 { exec socat - TCP:127.0.0.1:$PORT,bind=127.0.0.2; }
PIDS+=("$HOLD2_PID")
wait_until 5 grep -q 'accept 127.0.0.2' "$T/log4"
is "$(fetch_from 127.0.0.3 127.0.0.1 "$PORT")" "same /24" "tcp_persource_prefix_groups_sources"
echo bye >&"${HOLD2[1]}"; wait "$HOLD2_PID" 2>/dev/null
stop "$SRV_PID"

# Per-source cap without -r: accepted and closed silently, others unaffected.
start_tcp "$T/log5" -v -C 1 0 0 sh -c "$SVC"
coproc HOLD3 { exec socat - TCP:127.0.0.1:$PORT,bind=127.0.0.2; }
PIDS+=("$HOLD3_PID")
wait_until 5 grep -q 'accept 127.0.0.2' "$T/log5"
is "$(fetch_from 127.0.0.2 127.0.0.1 "$PORT")" "" "tcp_persource_cap_without_r_closes_silently"
echo bye >&"${HOLD3[1]}"; wait "$HOLD3_PID" 2>/dev/null
stop "$SRV_PID"

# IPv6 sources group by /64 by default.
start_tcp "$T/log6" -v -C 1 -r 'v6 busy\n' ::1 0 sh -c "$SVC"
coproc HOLD4 { exec socat - "TCP:[::1]:$PORT"; }
PIDS+=("$HOLD4_PID")
wait_until 5 grep -q 'accept \[::1\]' "$T/log6"; ok $? "tcp_ipv6_peer_logged_in_brackets"
is "$(fetch '[::1]' "$PORT")" "v6 busy" "tcp_persource_cap_applies_to_ipv6"
echo bye >&"${HOLD4[1]}"; wait "$HOLD4_PID" 2>/dev/null
stop "$SRV_PID"

done_testing
