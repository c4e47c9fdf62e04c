#!/bin/bash
# Reload (SIGHUP, --reload): unchanged services keep their chain and socket,
# added ones start, removed ones stop accepting while their live connections
# complete, changed ones get a new chain on the same socket; an invalid
# config leaves the running one untouched.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/sup.sh"

free_ports 4; set -- $PORTS; P1=$1 P2=$2 P3=$3 P4=$4
conf() { printf '%s\n' "$@" >"$T/conf.new" && mv "$T/conf.new" "$T/conf"; }
ECHO="service echo 127.0.0.1:$P1 0 $EX/echo-server"
GONE="service gone 127.0.0.1:$P2 0 $EX/echo-server"
HELLO="service chg 127.0.0.1:$P3 0 $EX/hello-server"
conf "$ECHO" "$GONE" "$HELLO"
start_sup "$T/log" "$T/conf"; ok $? "sup_started"
echo_pid=$(chain_pid echo); chg_pid=$(chain_pid chg)

# a live connection on the service about to be removed
exec 5<>/dev/tcp/127.0.0.1/$P2
echo before >&5; read -r -t 5 line <&5
is "$line" before "sup_live_connection_on_removed_service_works_before"

conf "$ECHO" "service chg 127.0.0.1:$P3 0 $EX/daytime-server" "service added 127.0.0.1:$P4 0 $EX/hello-server"
"$SUP" --reload -p "$T/pid"; ok $? "sup_reload_command_signals_running_instance"
wait_until 10 grep -q 'reloaded' "$T/log"; ok $? "sup_reload_logged"
like "$(grep reloaded "$T/log")" "1 added, 1 changed, 1 removed, 1 unchanged" "sup_reload_counts"
is "$(chain_pid echo)" "$echo_pid" "sup_reload_unchanged_service_keeps_its_chain"
like "$(fetch 127.0.0.1 "$P4")" "^hello 127.0.0.1" "sup_reload_added_service_serves"
like "$(fetch 127.0.0.1 "$P3")" "UTC" "sup_reload_changed_service_runs_new_program"
new_chg=$(chain_pid chg)
ok $([ -n "$new_chg" ] && [ "$new_chg" != "$chg_pid" ] && echo 0 || echo 1) "sup_reload_changed_service_has_new_chain"
wait_until 10 refused 127.0.0.1 "$P2"; ok $? "sup_reload_removed_service_stops_accepting"
echo after >&5; read -r -t 5 line <&5
is "$line" after "sup_reload_live_connection_on_removed_service_still_served"
exec 5>&-
is "$(fetch 127.0.0.1 "$P1" x)" x "sup_reload_unchanged_service_still_serves"

# the changed service kept its listening socket: the inode minetd-sup holds
# for that port is the one the new chain has on fd 0
sock_of() { chain_socket "$1" "$P3"; }
old_sock=$(sock_of "$new_chg")
like "$old_sock" '^socket:' "sup_reload_chain_holds_the_listener"
conf "$ECHO" "service chg 127.0.0.1:$P3 0 $EX/hello-server" "service added 127.0.0.1:$P4 0 $EX/hello-server"
reload_and_wait "$T/log"
newer_chg=$(chain_pid chg)
is "$(sock_of "$newer_chg")" "$old_sock" "sup_reload_changed_service_same_listening_socket"
like "$(fetch 127.0.0.1 "$P3")" "^hello" "sup_reload_changed_back_serves"

# backlog= is minetd-sup's listen(): a changed backlog applies to the
# handed-over socket too (ss shows a listener's backlog as Send-Q)
backlog_of() { ss -Hltn "sport = :$1" | awk '{ print $3 }'; }
conf "$ECHO" "service chg 127.0.0.1:$P3 0 backlog=7 $EX/hello-server" "service added 127.0.0.1:$P4 0 $EX/hello-server"
reload_and_wait "$T/log"
is "$(backlog_of "$P3")" 7 "sup_backlog_option_sets_listen_backlog"
conf "$ECHO" "service chg 127.0.0.1:$P3 0 backlog=9 $EX/hello-server" "service added 127.0.0.1:$P4 0 $EX/hello-server"
reload_and_wait "$T/log"
is "$(backlog_of "$P3")" 9 "sup_reload_changed_backlog_applies_to_kept_socket"
is "$(sock_of "$(chain_pid chg)")" "$old_sock" "sup_reload_backlog_change_keeps_socket"

# invalid config: every error logged, the old services keep serving
conf "$ECHO" "service broken 127.0.0.1:$P2 0 maxcon=1 $EX/echo-server" "service bad 127.0.0.1:$P2 0 /nonexistent"
out=$(timeout 40 "$SUP" --reload -p "$T/pid" 2>&1); rc=$?
is "$rc" 100 "sup_reload_command_exits_100_when_refused"
like "$out" "warning: $T/conf:2: unknown option \"maxcon\"" "sup_reload_command_prints_the_errors"
like "$out" "fatal: reload refused by pid $SUP_PID: the running configuration is kept" "sup_reload_command_says_refused"
like "$(cat "$T/log")" "warning: $T/conf:2: unknown option \"maxcon\" \(did you mean \"maxconn\"\?\)" "sup_reload_invalid_logs_first_error"
like "$(cat "$T/log")" "warning: $T/conf:3: program /nonexistent" "sup_reload_invalid_logs_every_error"
like "$(cat "$T/log")" "reload: 2 errors in $T/conf: keeping the running configuration" "sup_reload_invalid_keeps_old"
is "$(chain_pid echo)" "$echo_pid" "sup_reload_invalid_leaves_chains_alone"
like "$(fetch 127.0.0.1 "$P4")" "^hello" "sup_reload_invalid_old_services_serve"
refused 127.0.0.1 "$P2"; ok $? "sup_reload_invalid_nothing_half_applied"

# an orphaned connection of a stopped chain is reaped, not left a zombie
conf "$ECHO" "service gone 127.0.0.1:$P2 0 $EX/echo-server"
reload_and_wait "$T/log"
exec 5<>/dev/tcp/127.0.0.1/$P2
echo x >&5; read -r -t 5 line <&5
conf "$ECHO"
reload_and_wait "$T/log"
wait_until 10 refused 127.0.0.1 "$P2"
exec 5>&-
zombies() { ps -o stat= --ppid "$SUP_PID" | grep -c Z; }
wait_until 5 sh -c "[ \$(ps -o stat= --ppid $SUP_PID | grep -c Z) -eq 0 ]"; ok $? "sup_reaps_orphaned_connections"
is "$(ps -o pid= --ppid "$SUP_PID" | wc -l)" 1 "sup_only_remaining_chain_is_its_child"
stop "$SUP_PID"
done_testing
