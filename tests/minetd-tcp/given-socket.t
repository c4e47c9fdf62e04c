#!/bin/bash
# minetd-tcp -i serves a listening socket it is given: on fd 0 (s6 style)
# or as fd 3 with LISTEN_FDS/LISTEN_PID (systemd style).
. "$(dirname "$0")/../lib.sh"
PROBE=$B/tools/probe

given() { # given LOG [-s]: listenfd [-s] minetd-tcp -1 -i PROBE
  local log=$1; shift
  start_port "$log" "$B/tools/listenfd" "$@" "$B/minetd-tcp" -1 -i "$PROBE"
}

given "$T/log0"
ok $? "tcp_i_serves_socket_given_on_fd0"
out=$(fetch 127.0.0.1 "$PORT")
is "$(printf '%s\n' "$out" | grep ^fds)" "fds 0 1 2" "tcp_i_child_has_no_listener_fd"
is "$(printf '%s\n' "$out" | sed -n 's/^env TCPLOCALPORT=//p')" "$PORT" "tcp_i_child_env_on_given_socket"
stop "$SRV_PID"

given "$T/log1" -s
ok $? "tcp_i_serves_socket_from_listen_fds"
out=$(fetch 127.0.0.1 "$PORT")
is "$(printf '%s\n' "$out" | grep ^fds)" "fds 0 1 2" "tcp_listen_fds_child_has_only_012"
is "$(printf '%s\n' "$out" | grep -c '^env LISTEN_')" 0 "tcp_listen_fds_variables_removed_from_child"
stop "$SRV_PID"

# Not a listening socket on fd 0: a usage error.
"$B/minetd-tcp" -i "$PROBE" </dev/null 2>"$T/err"; rc=$?
is "$rc" 100 "tcp_i_without_listening_socket_exits_100"
is "$(cat "$T/err")" "minetd-tcp: fatal: fd 0 is not a listening socket" "tcp_i_without_listening_socket_message"

# A listening Unix socket is not TCP/IP: refused at start, not per connection.
python3 -c 'import os,socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen(); os.dup2(s.fileno(), 0); os.execv(sys.argv[2], sys.argv[2:])' \
  "$T/unix.sock" "$B/minetd-tcp" -i "$PROBE" 2>"$T/err3"; rc=$?
is "$rc:$(cat "$T/err3")" "100:minetd-tcp: fatal: fd 0 is not a TCP/IP socket" "tcp_i_refuses_unix_socket"

# LISTEN_PID naming another process: fall back to fd 0.
LISTEN_PID=1 LISTEN_FDS=1 "$B/minetd-tcp" -i "$PROBE" </dev/null 2>"$T/err2"; rc=$?
is "$rc:$(cat "$T/err2")" "100:minetd-tcp: fatal: fd 0 is not a listening socket" "tcp_listen_pid_of_other_process_ignored"

done_testing
