#!/bin/bash
# Wait mode (-w): the program is started only when a connection waits, gets
# the listening socket (fd 0, or fd 3 by socket activation with -L), serves
# several connections in one run, and the listener is watched again after
# it exits. Signals as in nowait mode.
. "$(dirname "$0")/../lib.sh"
WAITD=$B/tools/waitd

children() { cat "/proc/$1/task/$1/children" 2>/dev/null; }
starts() { grep -c 'info: start pid' "$1"; }

start_tcp "$T/log" -v -w 127.0.0.1 0 "$WAITD" -i 1000 "$T/marker"
ok $? "tcp_wait_listens_and_prints_port"
# nothing may start on its own: give a broken loop time to show it
sleep 0.5
is "$(children "$SRV_PID")$(cat "$T/marker" 2>/dev/null)" "" "tcp_wait_program_not_started_before_first_connection"
r1=$(fetch 127.0.0.1 "$PORT")
like "$r1" '^waitd pid [0-9]+ conn 1 mode fd0 blocking fds 3 ucspi none$' "tcp_wait_first_connection_starts_program_with_listener_on_fd0"
pid1=$(echo "$r1" | awk '{print $3}')
r2=$(fetch 127.0.0.1 "$PORT"); r3=$(fetch 127.0.0.1 "$PORT")
is "$(echo "$r2"; echo "$r3")" "$(printf 'waitd pid %s conn 2 mode fd0 blocking fds 3 ucspi none\nwaitd pid %s conn 3 mode fd0 blocking fds 3 ucspi none' "$pid1" "$pid1")" "tcp_wait_one_program_serves_several_connections"
is "$(starts "$T/log")" 1 "tcp_wait_program_started_once_for_three_connections"
grep -q "start pid $pid1\$" "$T/log"; ok $? "tcp_wait_verbose_logs_start_with_pid"
wait_until 5 grep -q "end pid $pid1 exit 0" "$T/log"; ok $? "tcp_wait_verbose_logs_end_with_pid_and_status"
r4=$(fetch 127.0.0.1 "$PORT")
like "$r4" '^waitd pid [0-9]+ conn 1 ' "tcp_wait_listener_watched_again_after_program_exits"
pid2=$(echo "$r4" | awk '{print $3}')
[ -n "$pid2" ] && [ "$pid2" != "$pid1" ]; ok $? "tcp_wait_second_start_is_a_new_process"
is "$(wc -l <"$T/marker")" 2 "tcp_wait_started_exactly_twice"
! grep -q pausing "$T/log"; ok $? "tcp_wait_program_that_serves_is_not_paced"
# SIGTERM: minetd-tcp goes, the running program keeps the listener and serves on
kill -TERM "$SRV_PID"; wait_pid "$SRV_PID"; rc=$?
is "$rc" 0 "tcp_wait_sigterm_exits_0"
kill -0 "$pid2" 2>/dev/null; ok $? "tcp_wait_sigterm_leaves_program_running"
like "$(fetch 127.0.0.1 "$PORT")" "^waitd pid $pid2 conn 2 " "tcp_wait_program_serves_after_minetd_tcp_exits"
wait_until 5 exited "$pid2"; ok $? "tcp_wait_orphaned_program_exits_when_idle"

# -L: socket activation. waitd checks LISTEN_PID is its pid, LISTEN_FDS=1,
# LISTEN_FDNAMES unset (here set in minetd-tcp's environment), fd 0 not the
# listener; UCSPI variables inherited are not passed on.
LISTEN_FDNAMES=stale TCPREMOTEIP=192.0.2.1 PROTO=TCP start_tcp "$T/logL" -v -w -L 127.0.0.1 0 "$WAITD" -s -i 5000 "$T/markerL"
r=$(fetch 127.0.0.1 "$PORT")
like "$r" '^waitd pid [0-9]+ conn 1 mode listen_fds blocking fds 4 ucspi none$' "tcp_wait_L_hands_listener_on_fd3_by_listen_fds"
pidL=$(echo "$r" | awk '{print $3}')
like "$(fetch 127.0.0.1 "$PORT")" "^waitd pid $pidL conn 2 mode listen_fds" "tcp_wait_L_program_serves_several_connections"
is "$(readlink "/proc/$pidL/fd/0")" /dev/null "tcp_wait_L_program_fd0_is_dev_null"
is "$(readlink "/proc/$pidL/fd/2")" "$(readlink "/proc/$SRV_PID/fd/2")" "tcp_wait_L_program_fd2_is_minetd_tcp_stderr"
# SIGQUIT: the program is sent SIGTERM too
kill -QUIT "$SRV_PID"; wait_pid "$SRV_PID"; rc=$?
is "$rc" 0 "tcp_wait_sigquit_exits_0"
wait_until 5 exited "$pidL"; ok $? "tcp_wait_sigquit_terminates_program"

# IPv6, readiness fd, and a program that exits with an error status
exec 4> >(cat >"$T/ready")
start_tcp "$T/log6" -v -w -d 4 ::1 0 sh -c 'exit 3'
exec 4>&-
wait_until 5 test -s "$T/ready"; ok $? "tcp_wait_notification_fd_gets_newline"
timeout 5 socat -T 1 - 'TCP:[::1]:'"$PORT" </dev/null >/dev/null 2>&1
wait_until 5 grep -q 'end pid [0-9]* exit 3' "$T/log6"; ok $? "tcp_wait_ipv6_logs_exit_status"
stop "$SRV_PID"

done_testing
