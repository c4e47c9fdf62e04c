#!/bin/bash
# Under the real s6-svscan/s6-supervise: minetd-sup as one service (the
# package/ run script) is ready via notification-fd (s6-svwait -U), reloads
# on s6-svc -h, stops on s6-svc -d; and the s6 service directories
# --generate-s6 writes run each service's chain and serve.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/sup.sh"
command -v s6-svscan >/dev/null || { skip "s6 not installed"; done_testing; exit; }

free_ports 4; set -- $PORTS; P1=$1 P2=$2 P3=$3 P4=$4
printf '%s\n' "service echo 127.0.0.1:$P1 0 $EX/echo-server" >"$T/conf"
mkdir -p "$T/scan/minetd"
cp "$ROOT/package/s6/minetd/notification-fd" "$T/scan/minetd/"
sed -e "s#exec minetd-sup #exec $SUP -p $T/pid -R $T/run #" -e "s#/etc/minetd.conf#$T/conf#" \
  "$ROOT/package/s6/minetd/run" >"$T/scan/minetd/run"
chmod 755 "$T/scan/minetd/run"
grep -q "exec $SUP -p $T/pid -R $T/run -f -d 3 -c $T/conf" "$T/scan/minetd/run"; ok $? "s6_package_run_script_adapted"

s6-svscan "$T/scan" >"$T/svscan.log" 2>&1 &
SCAN=$!; PIDS+=("$SCAN")
s6_stop_all() {
  s6-svscanctl -t "$1" 2>/dev/null
  wait_until 10 sh -c "! kill -0 $2 2>/dev/null"
}
wait_until 10 test -e "$T/scan/minetd/supervise/status"
s6-svwait -U -t 10000 "$T/scan/minetd"; ok $? "s6_svwait_U_sees_readiness"
is "$(fetch 127.0.0.1 "$P1" s6)" s6 "s6_service_serves"
sup=$(cat "$T/pid")
printf '%s\n' "service echo 127.0.0.1:$P1 0 $EX/echo-server" "service hello 127.0.0.1:$P2 0 $EX/hello-server" >"$T/conf"
s6-svc -h "$T/scan/minetd"
hello_up() { fetch 127.0.0.1 "$P2" | grep -q '^hello'; }
wait_until 10 hello_up; ok $? "s6_svc_h_reloads_config"
is "$(cat "$T/pid")" "$sup" "s6_reload_keeps_same_supervisor"
s6-svc -d "$T/scan/minetd"
s6-svwait -D -t 10000 "$T/scan/minetd"; ok $? "s6_svc_d_stops"
wait_until 10 refused 127.0.0.1 "$P1"; ok $? "s6_down_closes_listeners"
s6_stop_all "$T/scan" "$SCAN"

# generated per-service directories, each with its own chain and logger
printf '%s\n' "service echo 127.0.0.1:$P3 0 $EX/echo-server" "service hello 127.0.0.1:$P4 10 $EX/hello-server" >"$T/conf2"
out=$("$SUP" --generate-s6 "$T/scan2" -c "$T/conf2" -R "$T/run2"); ok $? "s6_generate_succeeds"
is "$(printf '%s\n' "$out" | wc -l)" 2 "s6_generate_lists_each_service_dir"
is "$(cat "$T/scan2/hello/notification-fd")" 3 "s6_generated_notification_fd"
like "$(cat "$T/scan2/hello/run")" "exec $B/minetd-tcp -d 3 127.0.0.1 $P4 $B/minetd-rate -n 10 -w 60 -f $T/run2/hello.rate $EX/hello-server" "s6_generated_run_execs_chain"
[ -x "$T/scan2/hello/log/run" ]; ok $? "s6_generated_log_service"
s6-svscan "$T/scan2" >"$T/svscan2.log" 2>&1 &
SCAN2=$!; PIDS+=("$SCAN2")
wait_until 10 test -e "$T/scan2/hello/supervise/status"
wait_until 10 test -e "$T/scan2/echo/supervise/status"
s6-svwait -U -t 10000 "$T/scan2/echo" "$T/scan2/hello"; ok $? "s6_generated_services_ready"
is "$(fetch 127.0.0.1 "$P3" gen)" gen "s6_generated_echo_serves"
like "$(fetch 127.0.0.1 "$P4")" '^hello 127.0.0.1' "s6_generated_hello_serves"
wait_until 10 sh -c "ls $T/scan2/hello/log/main/current >/dev/null 2>&1"; ok $? "s6_generated_logger_writes"
s6_stop_all "$T/scan2" "$SCAN2"
done_testing
