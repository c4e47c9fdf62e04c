#!/bin/bash
# Wait mode: the program gets the socket itself (fds 0 and 1) and reads
# the datagrams; its environment names the waking datagram's source and
# the real local address; a clean child; -L hands the socket as systemd
# does; -i serves a given socket.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/udp.sh"

start_udp "$T/log" -v 0 0 "$UPROBE"
ok $? "udp_wait_binds_and_prints_port"
r=$(ask -b 127.0.0.3 127.0.0.7 "$PORT" hello)
like "$r" 'got=hello$' "udp_wait_program_reads_the_datagram_from_its_socket"
is "$(field fds "$r")" "0,1,2" "udp_wait_child_has_only_fds_012"
is "$(field proto "$r")/$(field remoteip "$r")/$(field localip "$r")/$(field localport "$r")" "UDP/127.0.0.3/127.0.0.7/$PORT" "udp_wait_env_names_source_and_real_local_address_on_wildcard"
like "$(field remoteport "$r")" '^[0-9]+$' "udp_wait_env_remote_port"
is "$(field connnum "$r")" "-" "udp_wait_env_has_no_connnum"
wait_until 5 grep -q 'info: end pid' "$T/log"; ok $? "udp_wait_logs_program_end"
# watched again once it exited: a second datagram starts it again
r=$(ask 127.0.0.1 "$PORT" again)
like "$r" 'got=again$' "udp_wait_watches_again_after_program_exit"
stop "$SRV_PID"

# IPv6, and signals of the child back to default and unblocked.
start_udp "$T/log6" ::1 0 sh -c 'grep -E "^Sig(Blk|Ign)" /proc/self/status >&2; exec "$0" "$@"' "$UPROBE"
r=$(ask ::1 "$PORT" six)
is "$(field remoteip "$r")/$(field localip "$r")" "::1/::1" "udp_wait_ipv6_env"
wait_until 5 grep -q SigIgn "$T/log6"
is "$(awk '/^Sig/ {print $2}' "$T/log6" | tr '\n' ' ')" "0000000000000000 0000000000000000 " "udp_wait_child_signals_default_and_unblocked"
stop "$SRV_PID"

# -L: the socket on fd 3, LISTEN_FDS=1, LISTEN_PID the program's own pid.
start_udp "$T/logL" -L 127.0.0.1 0 "$UPROBE"
r=$(ask 127.0.0.1 "$PORT" act)
like "$r" 'got=act$' "udp_activation_program_reads_fd3"
is "$(field listen_fds "$r")" 1 "udp_activation_listen_fds_1"
is "$(field listen_pid "$r")" "$(field pid "$r")" "udp_activation_listen_pid_is_the_program"
is "$(field fds "$r")" "0,1,2,3" "udp_activation_fds_012_and_3"
stop "$SRV_PID"

# -i: a socket given on fd 0, or by LISTEN_FDS; the program's env never
# sees the LISTEN_ variables meant for minetd-udp.
start_port "$T/logi" "$D/udpfd.py" -- "$B/minetd-udp" -1 -i "$UPROBE"
r=$(ask 127.0.0.1 "$PORT" given)
like "$r" 'got=given$' "udp_i_serves_socket_given_on_fd0"
is "$(field fds "$r")" "0,1,2" "udp_i_child_has_only_fds_012"
stop "$SRV_PID"
start_port "$T/logs" "$D/udpfd.py" -s -- "$B/minetd-udp" -1 -i "$UPROBE"
r=$(ask 127.0.0.1 "$PORT" systemd)
like "$r" 'got=systemd$' "udp_i_serves_socket_from_listen_fds"
is "$(field listen_fds "$r")/$(field listen_pid "$r")" "-/-" "udp_i_listen_variables_removed_from_child"
stop "$SRV_PID"

# SIGTERM leaves a running program running; SIGQUIT terminates it.
start_udp "$T/logt" -v 127.0.0.1 0 "$UPROBE" -n 2 -t 10
ask 127.0.0.1 "$PORT" one >/dev/null
pid=$(sed -n 's/.*info: start .* pid \([0-9]*\).*/\1/p' "$T/logt" | head -n 1)
kill -TERM "$SRV_PID"; wait_pid "$SRV_PID" 5
kill -0 "$pid" 2>/dev/null; ok $? "udp_sigterm_leaves_program_running"
kill -TERM "$pid" 2>/dev/null
start_udp "$T/logq" -v 127.0.0.1 0 "$UPROBE" -n 2 -t 10
ask 127.0.0.1 "$PORT" one >/dev/null
pid=$(sed -n 's/.*info: start .* pid \([0-9]*\).*/\1/p' "$T/logq" | head -n 1)
kill -QUIT "$SRV_PID"; wait_pid "$SRV_PID" 5
wait_until 5 exited "$pid"; ok $? "udp_sigquit_terminates_program"

done_testing
