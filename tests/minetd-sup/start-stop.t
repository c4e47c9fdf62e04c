#!/bin/bash
# minetd-sup starts every service of a config, reports readiness, shows
# them in --status, refuses a second instance, stops cleanly on SIGTERM;
# background mode returns only once every listener is bound.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/sup.sh"

free_ports 3; set -- $PORTS; P1=$1 P2=$2 P3=$3
cat >"$T/conf" <<CONF
# three services
service echo    127.0.0.1:$P1 60 $EX/echo-server
service daytime 127.0.0.1:$P2 30 maxconn=5 $EX/daytime-server

service hello   [::1]:$P3 0 $EX/hello-server
CONF
start_sup "$T/log" "$T/conf"; ok $? "sup_readiness_on_notification_fd"
is "$(fetch 127.0.0.1 "$P1" 'ping')" "ping" "sup_serves_echo"
like "$(fetch 127.0.0.1 "$P2")" 'UTC' "sup_serves_daytime"
like "$(fetch "[::1]" "$P3")" '^hello ::1 port [0-9]+' "sup_serves_ipv6_service"
is "$(cat "$T/pid")" "$SUP_PID" "sup_pidfile_holds_its_pid"
st=$("$SUP" --status -p "$T/pid" -R "$T/run")
like "$st" "echo +127.0.0.1:$P1 +running +[0-9]+ +0 " "sup_status_lists_running_service"
like "$st" "hello +\[::1\]:$P3 +running" "sup_status_shows_ipv6_address"
[ "$(stat -c %a "$T/run")" = 755 ]; ok $? "sup_rundir_mode_0755"

# the chain it runs is the one -t prints, with -i in place of HOST PORT and
# "-d 3" (its readiness report to minetd-sup) after minetd-tcp
cp=$(chain_pid daytime)
want=$("$SUP" -t -c "$T/conf" -R "$T/run" | grep -v '^#' | sed -n 2p | sed "s/ 127.0.0.1 $P2 / -i /; s|^\([^ ]*/minetd-tcp\) |\1 -d 3 |")
got=$(tr '\0' ' ' </proc/$cp/cmdline | sed 's/ $//')
is "$got" "$want" "sup_runs_the_chain_that_t_prints"

out=$("$SUP" -f -c "$T/conf" -p "$T/pid" -R "$T/run" 2>&1); rc=$?
is "$rc" 111 "sup_second_instance_exits_111"
like "$out" "another minetd-sup is running \(pid $SUP_PID" "sup_second_instance_clear_message"

# connections live on after SIGTERM, by default
# (an echoed line first: the connection is accepted and served, not
# still in the listen queue, which closing the listener would reset)
exec 5<>/dev/tcp/127.0.0.1/$P1
echo first >&5; read -r -t 5 line <&5
is "$line" first "sup_live_connection_served_before_sigterm"
kill -TERM "$SUP_PID"; wait "$SUP_PID"; rc=$?
is "$rc" 0 "sup_sigterm_exits_0"
echo still-here >&5; read -r -t 5 line <&5
is "$line" "still-here" "sup_sigterm_leaves_live_connection_running"
exec 5>&-
refused 127.0.0.1 "$P1"; ok $? "sup_sigterm_closes_listeners"
[ ! -e "$T/pid" ]; ok $? "sup_removes_pidfile_on_exit"

out=$("$SUP" --reload -p "$T/pid" 2>&1); rc=$?
ok $([ $rc -ne 0 ] && echo 0 || echo 1) "sup_reload_with_nothing_running_fails"
like "$out" "no running minetd-sup: pidfile $T/pid does not exist" "sup_reload_nothing_running_clear_message"
echo 999999 >"$T/pid"
out=$("$SUP" --reload -p "$T/pid" 2>&1)
like "$out" "pidfile $T/pid is stale" "sup_reload_stale_pidfile_clear_message"
rm -f "$T/pid"

# -K: SIGTERM also ends the connections (chains get SIGQUIT)
start_sup "$T/log" "$T/conf" -K
exec 5<>/dev/tcp/127.0.0.1/$P1
echo first >&5; read -r -t 5 line <&5
is "$line" first "sup_K_live_connection_served_before_sigterm"
kill -TERM "$SUP_PID"; wait "$SUP_PID"
line=; read -r -t 5 line <&5; rc=$?
# EOF (read status 1), not a 5 s timeout (status > 128) with the connection alive
ok $([ -z "$line" ] && [ "$rc" -eq 1 ] && echo 0 || echo 1) "sup_K_ends_connections_on_stop"
exec 5>&-

# background: the parent returns 0 once all are bound, the daemon serves
"$SUP" -c "$T/conf" -p "$T/pid" -R "$T/run"; rc=$?
is "$rc" 0 "sup_background_parent_exits_0_when_bound"
dpid=$(cat "$T/pid" 2>/dev/null); PIDS+=("$dpid")
is "$(fetch 127.0.0.1 "$P1" 'bg')" "bg" "sup_background_daemon_serves"
kill -TERM "$dpid"; wait_until 10 sh -c "! kill -0 $dpid 2>/dev/null"; ok $? "sup_background_daemon_stops_on_sigterm"

# background with a port taken: non-zero and the reason, nothing left running
python3 -c 'import socket,sys,time; s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(); print("up", flush=True); time.sleep(30)' "$P2" >"$T/holder" &
holder=$!; PIDS+=("$holder")
wait_until 10 grep -q up "$T/holder"
out=$("$SUP" -c "$T/conf" -p "$T/pid" -R "$T/run" 2>&1); rc=$?
is "$rc" 111 "sup_background_bind_failure_exits_111"
like "$out" "^minetd-sup: fatal: unable to bind service daytime to 127.0.0.1:$P2: $(errstr EADDRINUSE)$" "sup_background_bind_failure_says_why"
[ ! -e "$T/pid" ]; ok $? "sup_background_failure_leaves_no_pidfile"
kill "$holder"

# A runtime directory others can write to is refused: they could swap the
# rate state files.
mkdir -m 0777 "$T/openrun"; chmod 0777 "$T/openrun"
"$SUP" -f -c "$T/conf" -p "$T/pid2" -R "$T/openrun" 2>"$T/err" & bad=$!; PIDS+=("$bad")
wait "$bad"; rc=$?
is "$rc:$(cat "$T/err")" "111:minetd-sup: fatal: $T/openrun: runtime directory must be owned by us and writable by nobody else" "sup_refuses_world_writable_runtime_dir"
done_testing
