#!/bin/bash
# What a connection's program is given: the UCSPI environment, only fds
# 0 1 2, default signal dispositions and an empty signal mask.
. "$(dirname "$0")/../lib.sh"
PROBE=$B/tools/probe

# Started with extra fds open and SIGHUP/SIGUSR1 ignored: the child gets neither.
exec 7>"$T/held7" 9<"$T/held7"
(trap '' HUP USR1 INT; exec "$B/minetd-tcp" -1 0 0 "$PROBE" >"$T/port" 2>>"$T/log") &
SRV_PID=$!; PIDS+=("$SRV_PID")
wait_until 5 test -s "$T/port"; PORT=$(cat "$T/port")
like "$(grep ^SigIgn /proc/$SRV_PID/status)" 'SigIgn:.*[1-9a-f]' "tcp_server_itself_started_with_ignored_signals"
out=$(fetch 127.0.0.7 "$PORT")
is "$(printf '%s\n' "$out" | grep '^fds')" "fds 0 1 2" "tcp_child_has_only_fds_012_even_when_server_inherited_more"
is "$(printf '%s\n' "$out" | grep 'SigBlk' | awk '{print $3}')" 0000000000000000 "tcp_child_signal_mask_is_empty"
is "$(printf '%s\n' "$out" | grep 'SigIgn' | awk '{print $3}')" 0000000000000000 "tcp_child_signal_dispositions_are_default"
is "$(printf '%s\n' "$out" | grep -c '^env PROTO=TCP$')" 1 "tcp_child_env_proto_tcp"
is "$(printf '%s\n' "$out" | sed -n 's/^env TCPREMOTEIP=//p')" 127.0.0.1 "tcp_child_env_remote_ip"
like "$(printf '%s\n' "$out" | sed -n 's/^env TCPREMOTEPORT=//p')" '^[0-9]+$' "tcp_child_env_remote_port"
is "$(printf '%s\n' "$out" | sed -n 's/^env TCPLOCALIP=//p')" 127.0.0.7 "tcp_child_env_local_ip_is_real_address_not_wildcard"
is "$(printf '%s\n' "$out" | sed -n 's/^env TCPLOCALPORT=//p')" "$PORT" "tcp_child_env_local_port"
is "$(printf '%s\n' "$out" | sed -n 's/^env TCPCONNNUM=//p')" 1 "tcp_child_env_connnum_counts_this_connection"
stop "$SRV_PID"
exec 7>&- 9<&-

# The same through the fork path (a fused minetd-env with lookups must run
# in a forked child): same fds, signals and environment.
(trap '' HUP USR1 INT; exec "$B/minetd-tcp" -1 0 0 "$B/minetd-env" -h -t 300 "$PROBE" >"$T/portf" 2>>"$T/logf") &
SRV_PID=$!; PIDS+=("$SRV_PID")
wait_until 5 test -s "$T/portf"; PORT=$(cat "$T/portf")
out=$(fetch 127.0.0.7 "$PORT")
is "$(printf '%s\n' "$out" | grep '^fds')" "fds 0 1 2" "tcp_fork_path_child_has_only_fds_012"
is "$(printf '%s\n' "$out" | grep 'SigBlk' | awk '{print $3}')/$(printf '%s\n' "$out" | grep 'SigIgn' | awk '{print $3}')" 0000000000000000/0000000000000000 "tcp_fork_path_child_signals_default_and_unblocked"
is "$(printf '%s\n' "$out" | sed -n 's/^env TCPLOCALIP=//p')/$(printf '%s\n' "$out" | sed -n 's/^env TCPCONNNUM=//p')" "127.0.0.7/1" "tcp_fork_path_child_environment"
stop "$SRV_PID"

# TCPCONNNUM counts the connections open from this source, this one included.
start_tcp "$T/log2" 127.0.0.1 0 sh -c 'echo "n=$TCPCONNNUM"; exec cat >/dev/null'
exec 5<>/dev/tcp/127.0.0.1/$PORT; read -r -t 5 first <&5
exec 6<>/dev/tcp/127.0.0.1/$PORT; read -r -t 5 second <&6
is "$first $second" "n=1 n=2" "tcp_connnum_counts_concurrent_connections_from_source"
exec 5>&- 6>&-
stop "$SRV_PID"

# IPv6 addresses in RFC 5952 form, both ends.
start_tcp "$T/log3" ::1 0 "$PROBE"
out=$(fetch '[::1]' "$PORT")
is "$(printf '%s\n' "$out" | sed -n 's/^env TCPREMOTEIP=//p')/$(printf '%s\n' "$out" | sed -n 's/^env TCPLOCALIP=//p')" "::1/::1" "tcp_child_env_ipv6_rfc5952"
stop "$SRV_PID"

# -k passes a chosen fd through; -e puts the socket on stderr too.
exec 8>"$T/held8"
start_tcp "$T/log4" -k 8 127.0.0.1 0 "$PROBE"
is "$(fetch 127.0.0.1 "$PORT" | grep '^fds')" "fds 0 1 2 8" "tcp_keep_option_passes_named_fd"
stop "$SRV_PID"
exec 8>&-

start_tcp "$T/log5" -e 127.0.0.1 0 sh -c 'echo to-stderr >&2'
is "$(fetch 127.0.0.1 "$PORT")" "to-stderr" "tcp_e_option_puts_socket_on_stderr"
stop "$SRV_PID"
start_tcp "$T/log6" 127.0.0.1 0 sh -c 'echo to-log >&2; echo out'
is "$(fetch 127.0.0.1 "$PORT")" "out" "tcp_stderr_stays_the_log_by_default"
wait_until 5 grep -q to-log "$T/log6"; ok $? "tcp_child_stderr_reaches_server_log"
stop "$SRV_PID"

# The environment a child inherits is the server's, plus UCSPI.
FOO_FROM_PARENT=kept start_tcp "$T/log7" 127.0.0.1 0 "$PROBE"
is "$(fetch 127.0.0.1 "$PORT" | grep -c '^env FOO_FROM_PARENT=kept$')" 1 "tcp_child_inherits_server_environment"
stop "$SRV_PID"

# Variables that describe minetd-tcp's own start (a service manager's
# notification socket, socket activation) never reach a connection's
# program, on either spawn path.
SVCENV="NOTIFY_SOCKET=$T/notify LISTEN_PID=1 LISTEN_FDS=1 LISTEN_FDNAMES=x"
start_port "$T/log7c" env $SVCENV "$B/minetd-tcp" -1 127.0.0.1 0 "$PROBE"
is "$(fetch 127.0.0.1 "$PORT" | grep -c '^env \(NOTIFY_SOCKET\|LISTEN_PID\|LISTEN_FDS\|LISTEN_FDNAMES\)=')" 0 "tcp_child_never_sees_notify_socket_or_listen_fds"
stop "$SRV_PID"
start_port "$T/log7d" env $SVCENV "$B/minetd-tcp" -1 127.0.0.1 0 "$B/minetd-env" -h -t 300 "$PROBE"
is "$(fetch 127.0.0.1 "$PORT" | grep -c '^env \(NOTIFY_SOCKET\|LISTEN_PID\|LISTEN_FDS\|LISTEN_FDNAMES\)=')" 0 "tcp_fork_path_child_never_sees_notify_socket_or_listen_fds"
stop "$SRV_PID"

# Host names and ident info inherited by minetd-tcp are stale: unset.
start_port "$T/log7b" env TCPREMOTEHOST=stale TCPLOCALHOST=stale TCPREMOTEINFO=stale "$B/minetd-tcp" -1 127.0.0.1 0 "$PROBE"
is "$(fetch 127.0.0.1 "$PORT" | grep -c '^env TCP\(REMOTEHOST\|LOCALHOST\|REMOTEINFO\)=')" 0 "tcp_child_never_sees_stale_host_names"
stop "$SRV_PID"

# Bare program names are found in PATH.
start_tcp "$T/log8" 127.0.0.1 0 echo pathfound
is "$(fetch 127.0.0.1 "$PORT")" "pathfound" "tcp_bare_program_name_found_in_path"
stop "$SRV_PID"

# A program that cannot be executed: logged, exit 127, server keeps serving.
start_tcp "$T/log9" -v 127.0.0.1 0 /nonexistent/prog
is "$(fetch 127.0.0.1 "$PORT")" "" "tcp_missing_program_closes_connection"
wait_until 5 grep -q 'exit 127' "$T/log9"; ok $? "tcp_missing_program_logs_exit_127"
like "$(grep 'unable to exec' "$T/log9")" 'minetd-tcp: fatal: unable to exec /nonexistent/prog: No such file' "tcp_missing_program_message"
kill -0 "$SRV_PID"; ok $? "tcp_server_survives_exec_failure"
stop "$SRV_PID"

# On the clone path (as above) the child shares minetd-tcp's memory until
# it execs: it must not call strerror (a shim reports any call from such a
# child), and the reason is still logged, by the parent. Not executable:
# exit 126; with -e the client reads the line.
printf '#!/bin/sh\necho never\n' >"$T/notexec"; chmod 644 "$T/notexec"
if [ -n "${MINETD_SANITIZED:-}" ]; then
  # spawn.c: a sanitized build has no clone path (ASan cannot follow it)
  for i in 1 2 3; do skip "sanitized build (make check-san) forks: no clone path to test"; done
elif spy=$(shim strerror_spy); then
  start_port "$T/log10" env LD_PRELOAD="$spy" "$B/minetd-tcp" -1 -v 127.0.0.1 0 /nonexistent/prog
  fetch 127.0.0.1 "$PORT" >/dev/null
  wait_until 5 grep -q 'exit 127' "$T/log10"; ok $? "tcp_clone_path_missing_program_exit_127"
  like "$(grep 'unable to exec' "$T/log10")" '^minetd-tcp: fatal: unable to exec /nonexistent/prog: No such file or directory$' "tcp_clone_path_missing_program_reason_logged"
  is "$(grep -c strerror_spy "$T/log10")" 0 "tcp_clone_child_never_calls_strerror"
  stop "$SRV_PID"
else
  for i in 1 2 3; do skip "no LD_PRELOAD shim (static build?)"; done
fi
start_tcp "$T/log11" -v 127.0.0.1 0 "$T/notexec"
is "$(fetch 127.0.0.1 "$PORT")" "" "tcp_not_executable_program_closes_connection"
wait_until 5 grep -q 'exit 126' "$T/log11"; ok $? "tcp_not_executable_program_exit_126"
is "$(grep 'unable to exec' "$T/log11")" "minetd-tcp: fatal: unable to exec $T/notexec: Permission denied" "tcp_not_executable_program_reason_logged"
stop "$SRV_PID"
start_tcp "$T/log12" -e 127.0.0.1 0 "$T/notexec"
is "$(fetch 127.0.0.1 "$PORT")" "minetd-tcp: fatal: unable to exec $T/notexec: Permission denied" "tcp_e_exec_failure_reason_goes_to_client"
is "$(grep -c 'unable to exec' "$T/log12")" 0 "tcp_e_exec_failure_reason_not_in_log"
stop "$SRV_PID"

done_testing
