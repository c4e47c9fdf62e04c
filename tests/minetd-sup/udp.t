#!/bin/bash
# minetd-sup's own UDP code, with a stand-in for minetd-udp (tests/tools/udpstandin.c,
# until the real program is built): it binds a UDP socket per udp service
# (SOCK_DGRAM, IPV6_V6ONLY as for TCP, no listen) and hands
# it on fd 0; a TCP and a UDP service share a port number; --status, -t and
# the generators show HOST:PORT/udp; reloads change, add and remove UDP
# services under a client loop without losing a datagram, on the same socket.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/sup.sh"

# -B: the real chain programs, and the stand-in as minetd-udp
mkdir -p "$T/bin"
for p in minetd-tcp minetd-env minetd-rate; do ln -s "$B/$p" "$T/bin/$p"; done
ln -s "$B/tools/udpstandin" "$T/bin/minetd-udp"
export STANDIN_LOG=$T/standin.log
: >"$STANDIN_LOG"
rec() { grep "$1" "$STANDIN_LOG" | tail -n 1; }

free_ports 4; set -- $PORTS; P1=$1 P2=$2 P3=$3 P4=$4
conf() { printf '%s\n' "$@" >"$T/conf.new" && mv "$T/conf.new" "$T/conf"; }
TCP="service echo 127.0.0.1:$P1 0 $EX/echo-server"
UDP="service uecho 127.0.0.1:$P1/udp 0 $EX/echo-server one"
DUAL="service dual *:$P2/udp 0 wait=no $EX/echo-server"
V6="service six [::1]:$P3/udp 0 $EX/echo-server"
conf "$TCP" "$UDP" "$DUAL" "$V6"
start_sup "$T/log" "$T/conf" -B "$T/bin"; ok $? "sup_udp_started"

is "$(fetch 127.0.0.1 "$P1" ping)" ping "sup_tcp_service_serves_beside_udp_on_same_port"
upid=$(chain_pid uecho)
is "$(udp_ask 127.0.0.1 "$P1" hi)" "$upid hi" "sup_udp_service_on_same_port_number_answers"
r=$(rec " argv=.*$EX/echo-server one")
like "$r" "type=2 family=2 v6only=-1 reuseaddr=0 " "sup_udp_socket_is_dgram_v4_without_reuseaddr"
like "$r" "argv=-d 3 -w -i $EX/echo-server one$" "sup_udp_chain_gets_minus_i_and_d3"
like "$(rec " argv=.* -n -i ")" "family=10 v6only=0 " "sup_udp_star_is_dual_stack"
is "$(udp_ask 127.0.0.1 "$P2" v4)" "$(chain_pid dual) v4" "sup_udp_dual_stack_answers_ipv4"
is "$(udp_ask ::1 "$P2" v6)" "$(chain_pid dual) v6" "sup_udp_dual_stack_answers_ipv6"
like "$(rec " argv=-d 3 -w -i $EX/echo-server$")" "family=10 v6only=1 " "sup_udp_v6_socket_is_v6only"
is "$(udp_ask ::1 "$P3" x)" "$(chain_pid six) x" "sup_udp_v6_service_answers"

st=$("$SUP" --status -p "$T/pid" -R "$T/run")
like "$st" "uecho +127.0.0.1:$P1/udp +running +$upid " "sup_status_shows_udp_address"
like "$st" "echo +127.0.0.1:$P1 +running" "sup_status_tcp_address_unchanged"
like "$st" "dual +\*:$P2/udp +running" "sup_status_shows_dual_stack_udp"
like "$st" "six +\[::1\]:$P3/udp +running" "sup_status_shows_v6_udp"

# the chain it runs is the one -t prints, with -i for HOST PORT and -d 3
want=$("$SUP" -t -c "$T/conf" -R "$T/run" -B "$T/bin" | grep -v '^#' | sed -n 2p | sed "s/ 127.0.0.1 $P1 / -i /; s|^\([^ ]*/minetd-udp\) |\1 -d 3 |")
is "$(tr '\0' ' ' </proc/$upid/cmdline | sed 's/ $//')" "$want" "sup_runs_the_udp_chain_that_t_prints"
like "$("$SUP" -t -c "$T/conf" -R "$T/run" -B "$T/bin")" "# service uecho \($T/conf:2\) on 127.0.0.1:$P1/udp;" "sup_t_comment_shows_udp_address"

# generators: minetd-udp binds HOST PORT itself, readiness on 3 for s6
"$SUP" --generate-s6 "$T/s6" -c "$T/conf" -R "$T/run" -B "$T/bin" >/dev/null; ok $? "sup_generate_s6_with_udp_services"
like "$(tail -n 1 "$T/s6/uecho/run")" "^exec $T/bin/minetd-udp -w -d 3 127.0.0.1 $P1 $EX/echo-server one$" "sup_generate_s6_udp_run_line"
like "$(tail -n 1 "$T/s6/dual/run")" "^exec $T/bin/minetd-udp -n -d 3 '\*' $P2 " "sup_generate_s6_udp_nowait_run_line"

# reloads under a client loop: the service changed (same socket), another
# added, another removed; nothing lost
ino=$(rec "pid=$upid " | sed 's/.* ino=\([0-9]*\) .*/\1/')
udp_hammer "$P1" "$T/h" "$T/stop"
wait_until 15 test -e "$T/h.started"; ok $? "sup_udp_client_loop_served_before_reloads"
for i in $(seq 1 6); do
  if [ $((i % 2)) = 1 ]; then conf "$TCP" "$UDP" "$DUAL" "$V6"
  else conf "$TCP" "service uecho 127.0.0.1:$P1/udp 0 $EX/echo-server two" "$V6" "service added 127.0.0.1:$P4/udp 0 $EX/echo-server"
  fi
  reload_and_wait "$T/log" || break
  sleep 0.1
done
touch "$T/stop"; wait "$HAMMER_PID"
read -r _ okn _ failn <"$T/h"
note "udp service changed through 6 reloads: $okn answered, $failn lost"
is "$failn" 0 "sup_udp_changed_through_reloads_no_datagram_lost"
ok $([ "$okn" -gt 6 ] && echo 0 || echo 1) "sup_udp_hammer_client_was_served"
is "$(grep -c 'reloaded' "$T/log")" 6 "sup_udp_six_reloads_done"
like "$(grep reloaded "$T/log" | tail -n 1)" "1 added, 1 changed, 1 removed, 2 unchanged" "sup_udp_reload_counts"
nupid=$(chain_pid uecho)
ok $([ -n "$nupid" ] && [ "$nupid" != "$upid" ] && echo 0 || echo 1) "sup_udp_changed_service_has_new_chain"
is "$(rec "pid=$nupid " | sed 's/.* ino=\([0-9]*\) .*/\1/')" "$ino" "sup_udp_changed_service_same_socket"
is "$(udp_ask 127.0.0.1 "$P1" z)" "$nupid z" "sup_udp_new_chain_answers"
is "$(fetch 127.0.0.1 "$P1" tcp)" tcp "sup_tcp_on_same_port_untouched_by_udp_reloads"

# the last reload removed "dual" and added "added"
is "$(udp_ask 127.0.0.1 "$P4" a)" "$(chain_pid added) a" "sup_udp_added_service_answers"
! udp_bound "$P2"; ok $? "sup_udp_removed_service_socket_closed"
is "$(udp_ask 127.0.0.1 "$P2" gone)" "" "sup_udp_removed_service_answers_nothing"

# a udp service changed to tcp on the same port: a new socket, not the old one
conf "$TCP" "service uecho 127.0.0.1:$P4 0 $EX/echo-server" "$V6"
reload_and_wait "$T/log"
is "$(fetch 127.0.0.1 "$P4" now-tcp)" now-tcp "sup_udp_service_changed_to_tcp_serves_tcp"
! udp_bound "$P4"; ok $? "sup_udp_service_changed_to_tcp_udp_socket_closed"
stop "$SUP_PID"; ok $? "sup_udp_stops_cleanly"
wait_until 5 sh -c "! ps -o pid= --ppid $SUP_PID >/dev/null 2>&1"
udp_bound "$P3"; ok $([ $? != 0 ] && echo 0 || echo 1) "sup_udp_sockets_closed_after_stop"

# a udp service needs minetd-udp in -B: a clear error at start, not chains exiting 127
mkdir -p "$T/bin2"; ln -s "$B/minetd-tcp" "$T/bin2/minetd-tcp"
conf "$UDP"
out=$("$SUP" -f -c "$T/conf" -p "$T/pid2" -R "$T/run2" -B "$T/bin2" 2>&1); rc=$?
is "$rc" 111 "sup_udp_without_minetd_udp_exits_111"
like "$out" "find the chain programs: $T/bin2/minetd-udp: No such file" "sup_udp_without_minetd_udp_says_which"
conf "service d 127.0.0.1:$P1 0 internal:daytime"
out=$("$SUP" -f -c "$T/conf" -p "$T/pid2" -R "$T/run2" -B "$T/bin2" 2>&1); rc=$?
is "$rc/$(printf '%s' "$out" | grep -c "find the chain programs: $T/bin2/minetd-internal")" "111/1" "sup_internal_without_minetd_internal_exits_111"
done_testing
