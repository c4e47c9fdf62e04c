#!/bin/bash
# minetd-sup's own signals: an inherited ignored SIGCHLD does not stop
# supervision; with -K, SIGTERM also ends the connections whose chain is gone
# (retired by a reload, or crashed): minetd-sup is their subreaper. A reload
# that turns nodelay/keepalive off leaves neither on the handed-over socket.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/sup.sh"

free_ports 2; set -- $PORTS; P1=$1 P2=$2
conf() { printf '%s\n' "$@" >"$T/conf.new" && mv "$T/conf.new" "$T/conf"; }

# 1. started with SIGCHLD ignored: a killed chain is still seen and restarted
conf "service echo 127.0.0.1:$P1 0 $EX/echo-server"
fifo=$T/ready1; mkfifo "$fifo"
(trap '' CHLD; exec "$SUP" -f -d 3 -c "$T/conf" -p "$T/pid" -R "$T/run" 3>"$fifo" 2>>"$T/log") &
SUP_PID=$!; PIDS+=("$SUP_PID")
read -r -t 10 line <"$fifo"; ok $? "sup_started_with_sigchld_ignored"
old=$(chain_pid echo)
kill -KILL "$old"
restarted() { p=$(chain_pid echo); [ -n "$p" ] && [ "$p" != "$old" ] && [ "$(svc_state echo)" = running ]; }
wait_until 10 restarted; ok $? "sup_with_inherited_ignored_sigchld_restarts_a_killed_chain"
is "$(fetch 127.0.0.1 "$P1" x)" x "sup_with_inherited_ignored_sigchld_serves"
stop "$SUP_PID"

# 2. -K: connections left by a retired chain and by a crashed chain end too
start_sup "$T/log2" "$T/conf" -K; ok $? "sup_K_started"
exec 5<>/dev/tcp/127.0.0.1/$P1
echo a >&5; read -r -t 5 line <&5
conn1=$(ps -o pid= --ppid "$(chain_pid echo)" | tr -d ' ')
# retire that chain by a change: its connection is left to minetd-sup
conf "service echo 127.0.0.1:$P1 0 maxconn=9 $EX/echo-server"
reload_and_wait "$T/log2"
wait_until 10 sh -c "[ \"\$(ps -o ppid= -p $conn1 | tr -d ' ')\" = $SUP_PID ]"; ok $? "sup_K_retired_chains_connection_is_ours"
exec 6<>/dev/tcp/127.0.0.1/$P1
echo b >&6; read -r -t 5 line <&6
conn2=$(ps -o pid= --ppid "$(chain_pid echo)" | tr -d ' ')
kill -KILL "$(chain_pid echo)"
wait_until 10 sh -c "[ \"\$(ps -o ppid= -p $conn2 | tr -d ' ')\" = $SUP_PID ]"; ok $? "sup_K_crashed_chains_connection_is_ours"
kill -TERM "$SUP_PID"; wait "$SUP_PID"; rc=$?
is "$rc" 0 "sup_K_stops_cleanly"
kill -0 "$conn1" 2>/dev/null; ok $((! $?)) "sup_K_ends_connection_of_retired_chain"
kill -0 "$conn2" 2>/dev/null; ok $((! $?)) "sup_K_ends_connection_of_crashed_chain"
exec 5>&- 6>&-

# 3. nodelay and keepalive follow the config across a reload on one socket
cat >"$T/opts.py" <<'EOF'
import socket
s = socket.socket(fileno=0)
print(s.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0, s.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE) != 0)
s.detach()
EOF
PY=$(command -v python3)
conf "service opts 127.0.0.1:$P2 0 nodelay=yes keepalive=yes $PY $T/opts.py"
start_sup "$T/log3" "$T/conf"; ok $? "sup_opts_started"
is "$(fetch 127.0.0.1 "$P2")" "True True" "sup_nodelay_keepalive_on"
conf "service opts 127.0.0.1:$P2 0 nodelay=no keepalive=no $PY $T/opts.py"
reload_and_wait "$T/log3"
is "$(fetch 127.0.0.1 "$P2")" "False False" "sup_reload_turns_nodelay_keepalive_off_on_kept_socket"
stop "$SUP_PID"

# 4. SIGHUP and SIGTERM while it starts (during the user look-up of the
# config, before the pidfile and the loop): held until the loop reads
# them, never fatal
if slow=$(shim slow_getpwnam); then
  public_build   # nobody must reach the program: the checkout may be 0700
  conf "service who 127.0.0.1:$P1 0 user=nobody $PUB/examples/echo-server"
  fifo=$T/ready4; mkfifo "$fifo"
  SLOW_GETPWNAM_MARK=$T/mark LD_PRELOAD=$slow "$SUP" -f -d 3 -c "$T/conf" -p "$T/pid" -R "$T/run" 3>"$fifo" 2>>"$T/log4" &
  SUP_PID=$!; PIDS+=("$SUP_PID")
  exec 7<"$fifo"
  wait_until 10 test -e "$T/mark"
  kill -HUP "$SUP_PID"
  read -r -t 10 line <&7; ok $? "sup_sighup_during_startup_not_fatal"
  exec 7<&-
  is "$(fetch 127.0.0.1 "$P1" y)" y "sup_sighup_during_startup_then_serves"
  wait_until 10 grep -q reloaded "$T/log4"; ok $? "sup_sighup_during_startup_reloads_once_up"
  stop "$SUP_PID"
  rm -f "$T/mark"
  SLOW_GETPWNAM_MARK=$T/mark LD_PRELOAD=$slow "$SUP" -f -c "$T/conf" -p "$T/pid" -R "$T/run" 2>>"$T/log5" &
  SUP_PID=$!; PIDS+=("$SUP_PID")
  wait_until 10 test -e "$T/mark"
  kill -TERM "$SUP_PID"
  timeout 20 tail --pid="$SUP_PID" -f /dev/null; wait "$SUP_PID"; rc=$?
  is "$rc" 0 "sup_sigterm_during_startup_is_a_clean_stop"
  like "$(cat "$T/log5")" "info: stopped" "sup_sigterm_during_startup_logged_stop"
  [ ! -e "$T/pid" ]; ok $? "sup_sigterm_during_startup_leaves_no_pidfile"
else
  skip "no LD_PRELOAD shim on a static build: start-up signals untested"
fi
done_testing
