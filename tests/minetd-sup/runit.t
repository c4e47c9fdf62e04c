#!/bin/bash
# Under the real runsv: minetd-sup as one service (the package/ run
# script) reloads on sv hup and stops on sv down; the runit service
# directories --generate-runit writes run each chain under runsv.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/sup.sh"
command -v runsv >/dev/null || { skip "runit not installed"; done_testing; exit; }

free_ports 4; set -- $PORTS; P1=$1 P2=$2 P3=$3 P4=$4
printf '%s\n' "service echo 127.0.0.1:$P1 0 $EX/echo-server" >"$T/conf"
mkdir -p "$T/sv/minetd"
sed -e "s#exec minetd-sup #exec $SUP -p $T/pid -R $T/run #" -e "s#/etc/minetd.conf#$T/conf#" \
  "$ROOT/package/runit/minetd/run" >"$T/sv/minetd/run"
chmod 755 "$T/sv/minetd/run"
runsv "$T/sv/minetd" >"$T/runsv.log" 2>&1 &
RSV=$!; PIDS+=("$RSV")
echo_up() { [ "$(fetch 127.0.0.1 "$P1" rn)" = rn ]; }
wait_until 10 echo_up; ok $? "runit_service_serves"
sup=$(cat "$T/pid")
printf '%s\n' "service echo 127.0.0.1:$P1 0 $EX/echo-server" "service hello 127.0.0.1:$P2 0 $EX/hello-server" >"$T/conf"
sv hup "$T/sv/minetd" >/dev/null
hello_up() { fetch 127.0.0.1 "$P2" | grep -q '^hello'; }
wait_until 10 hello_up; ok $? "runit_sv_hup_reloads_config"
is "$(cat "$T/pid")" "$sup" "runit_reload_keeps_same_supervisor"
sv down "$T/sv/minetd" >/dev/null
wait_until 10 sh -c "sv status $T/sv/minetd | grep -q '^down:'"; ok $? "runit_sv_down_stops"
refused 127.0.0.1 "$P1"; ok $? "runit_down_closes_listeners"
sv exit "$T/sv/minetd" >/dev/null; wait "$RSV"

printf '%s\n' "service echo 127.0.0.1:$P3 0 $EX/echo-server" "service hello 127.0.0.1:$P4 0 $EX/hello-server" >"$T/conf2"
"$SUP" --generate-runit "$T/runit" -c "$T/conf2" -R "$T/run2" >/dev/null; ok $? "runit_generate_succeeds"
[ ! -e "$T/runit/echo/notification-fd" ]; ok $? "runit_generated_has_no_s6_readiness"
like "$(cat "$T/runit/echo/run")" "exec $B/minetd-tcp 127.0.0.1 $P3 $EX/echo-server" "runit_generated_run_execs_chain"
# one runsv per generated directory (as runsvdir would start them); the
# test is their parent, so it reaps them
runsv "$T/runit/echo" >"$T/runsv-echo.log" 2>&1 & R1=$!; PIDS+=("$R1")
runsv "$T/runit/hello" >"$T/runsv-hello.log" 2>&1 & R2=$!; PIDS+=("$R2")
gen_echo() { [ "$(fetch 127.0.0.1 "$P3" g)" = g ]; }
gen_hello() { fetch 127.0.0.1 "$P4" | grep -q '^hello'; }
wait_until 10 gen_echo; ok $? "runit_generated_echo_serves"
wait_until 10 gen_hello; ok $? "runit_generated_hello_serves"
wait_until 10 test -e "$T/runit/echo/log/main/current"; ok $? "runit_generated_logger_writes"
sv exit "$T/runit/echo" "$T/runit/hello" >/dev/null
wait "$R1" "$R2"
refused 127.0.0.1 "$P3"; ok $? "runit_generated_services_stop"
done_testing
