#!/bin/bash
# Nowait mode: a process per peer (address and port), on a SOCK_SEQPACKET
# relay: each sees its own peer's datagrams and its own address in the
# environment; replies leave from the address the peer wrote to; the
# relay ends (EOF) after -t idle seconds; -c and -C cap the processes.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/udp.sh"

start_udp "$T/log" -v -n -t 1 0 0 "$UPROBE" -n 0 -t 10
ok $? "udp_nowait_started"
ask -b 127.0.0.2 -d 0.1 127.0.0.7 "$PORT" a1 a2 a3 >"$T/a" &
A=$!; PIDS+=("$A")
ask -b 127.0.0.3 -d 0.1 127.0.0.7 "$PORT" b1 b2 >"$T/b" &
Bc=$!; PIDS+=("$Bc")
wait_pid "$A" 10; wait_pid "$Bc" 10
is "$(sed 's/.* got=//' "$T/a" | tr '\n' ' ')" "a1 a2 a3 " "udp_nowait_peer_a_gets_all_its_datagrams_relayed"
is "$(sed 's/.* got=//' "$T/b" | tr '\n' ' ')" "b1 b2 " "udp_nowait_peer_b_gets_only_its_own"
pa=$(sed 's/.* pid=\([0-9]*\).*/\1/' "$T/a" | sort -u); pb=$(sed 's/.* pid=\([0-9]*\).*/\1/' "$T/b" | sort -u)
[ "$(echo "$pa" | wc -l)" = 1 ] && [ "$(echo "$pb" | wc -l)" = 1 ] && [ "$pa" != "$pb" ]
ok $? "udp_nowait_one_process_per_peer"
is "$(field remoteip "$(head -n 1 "$T/a")")" 127.0.0.2 "udp_nowait_env_remote_ip_is_own_peer"
is "$(field remoteip "$(head -n 1 "$T/b")")" 127.0.0.3 "udp_nowait_other_env_remote_ip_is_own_peer"
pra=$(field remoteport "$(head -n 1 "$T/a")"); prb=$(field remoteport "$(head -n 1 "$T/b")")
[ -n "$pra" ] && [ -n "$prb" ] && [ "$pra" != "$prb" ]; ok $? "udp_nowait_env_remote_port_is_own_peer"
is "$(field localip "$(head -n 1 "$T/a")")/$(field connnum "$(head -n 1 "$T/a")")" "127.0.0.7/1" "udp_nowait_env_local_ip_and_connnum"
is "$(cut -d' ' -f1,2 "$T/a" | sort -u)" "127.0.0.7 $PORT" "udp_nowait_replies_come_from_the_address_written_to"
is "$(field fds "$(head -n 1 "$T/a")")" "0,1,2" "udp_nowait_child_has_only_fds_012"
wait_until 5 grep -q 'relay: idle' "$T/log"; ok $? "udp_nowait_idle_relay_closed"
lines() { [ "$(grep -c "$1" "$T/log")" = "$2" ]; }  # re-evaluated on each try
wait_until 5 lines 'udpprobe: eof' 2; ok $? "udp_nowait_program_reads_eof_on_idle"
wait_until 5 lines 'info: end ' 2; ok $? "udp_nowait_programs_end_after_eof"
stop "$SRV_PID"

# IPv6, and the same peer port from two addresses is two peers.
start_udp "$T/log6" -n ::1 0 "$UPROBE" -n 1
r=$(ask ::1 "$PORT" six)
is "$(field remoteip "$r")/$(field localip "$r")/$(field got "$r")" "::1/::1/six" "udp_nowait_ipv6"
stop "$SRV_PID"

# -c 1: a second peer while the first runs is refused; -C 1 per source.
start_udp "$T/logc" -v -n -c 1 127.0.0.1 0 "$UPROBE" -n 0 -t 3
ask -b 127.0.0.2 127.0.0.1 "$PORT" first >/dev/null
r=$(ask -w 1 -b 127.0.0.3 127.0.0.1 "$PORT" second)
is "$r" "" "udp_nowait_maxprocs_refuses_new_peer"
like "$(grep refuse "$T/logc")" 'refuse 127\.0\.0\.3:[0-9]+ reason maxprocs count 1/1' "udp_nowait_maxprocs_refusal_logged"
like "$(ask -b 127.0.0.2:$(field remoteport "$(grep -m1 -o 'start 127.0.0.2:[0-9]*' "$T/logc" | sed 's/start 127.0.0.2:/remoteport=/')") 127.0.0.1 "$PORT" again)" 'got=again' "udp_nowait_existing_peer_served_at_cap"
stop "$SRV_PID"
start_udp "$T/logC" -v -n -C 1 127.0.0.1 0 "$UPROBE" -n 0 -t 3
ask -b 127.0.0.2 127.0.0.1 "$PORT" first >/dev/null
is "$(ask -w 1 -b 127.0.0.2 127.0.0.1 "$PORT" second)" "" "udp_nowait_persource_refuses_second_port_of_source"
like "$(ask -b 127.0.0.3 127.0.0.1 "$PORT" other)" 'got=other' "udp_nowait_persource_other_source_served"
stop "$SRV_PID"

done_testing
