#!/bin/bash
# Per-service options reach the chain: user= runs connections as that user,
# rules= puts minetd-env first (and a reload rereads the rules file without
# restarting the chain); --status counts live connections; READY=1 reaches
# $NOTIFY_SOCKET.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/sup.sh"

free_ports 3; set -- $PORTS; P1=$1 P2=$2 P3=$3
printf 'allow 127.0.0.1\n' >"$T/r.rules"
# the probe runs as nobody: from a copy nobody can reach
public_build
cat >"$T/conf" <<CONF
service probe 127.0.0.1:$P1 10 user=nobody $PUB/tools/probe
service guarded 127.0.0.1:$P2 0 rules=r.rules $EX/hello-server
service echo 127.0.0.1:$P3 0 $EX/echo-server
CONF
# a fake systemd: receive one datagram on $NOTIFY_SOCKET
notify_listen "$T/notify" "$T/notified"
NOTIFY_SOCKET=$T/notify start_sup "$T/log" "$T/conf"; ok $? "sup_started"
wait "$NPID"
is "$(tail -1 "$T/notified")" "READY=1" "sup_sends_ready_to_notify_socket"

uid=$(fetch 127.0.0.1 "$P1" | awk '/^status Uid:/ { print $3 }')
is "$uid" "$(id -u nobody)" "sup_user_option_runs_connections_as_user"
is "$(stat -c '%U %a' "$T/run/probe.rate")" "nobody 600" "sup_rate_state_file_belongs_to_the_service_user"
like "$(tr '\0' ' ' </proc/$(chain_pid guarded)/cmdline)" "minetd-tcp -d 3 -i $B/minetd-env -r $T/r.rules $EX/hello-server" "sup_rules_option_puts_env_link_in_chain"
like "$(fetch 127.0.0.1 "$P2")" "^hello 127.0.0.1" "sup_rules_allow_serves"
g=$(chain_pid guarded)
printf 'deny 127.0.0.1 msg="go away\\n"\n' >"$T/r.rules"
reload_and_wait "$T/log"
is "$(chain_pid guarded)" "$g" "sup_reload_keeps_chain_when_only_rules_file_changes"
denied() { [ "$(fetch 127.0.0.1 "$P2")" = "go away" ]; }
wait_until 5 denied; ok $? "sup_reload_rereads_rules_file"

exec 5<>/dev/tcp/127.0.0.1/$P3
exec 6<>/dev/tcp/127.0.0.1/$P3
echo a >&5; read -r -t 5 line <&5; echo b >&6; read -r -t 5 line <&6
like "$("$SUP" --status -p "$T/pid" -R "$T/run")" "echo +127.0.0.1:$P3 +running .* 2$" "sup_status_counts_live_connections"
exec 5>&- 6>&-
stop "$SUP_PID"
done_testing
