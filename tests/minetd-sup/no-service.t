#!/bin/bash
# A configuration with no service (the Debian package's /etc/minetd.conf,
# every example commented out) passes -t, starts, reports ready, listens on
# nothing, reloads and stops; its internal examples, uncommented, pass -t.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/sup.sh"

shipped=$ROOT/package/debian/minetd.conf
is "$(grep -c '^[[:space:]]*service' "$shipped")" 0 "shipped_conf_has_no_active_service"
out=$("$SUP" -t -c "$shipped" -R "$T/run" 2>&1); rc=$?
is "$rc:$out" "0:" "shipped_conf_passes_check_with_no_chain"

start_sup "$T/log" "$shipped"; ok $? "sup_with_no_service_reports_ready"
like "$(cat "$T/log")" "ready: 0 services listening" "sup_with_no_service_logs_zero_services"
# no socket of its own: no fd of minetd-sup is a socket (the log and
# readiness fds are pipes), and it has no child
is "$(ls -l "/proc/$SUP_PID/fd" | grep -c 'socket:')" 0 "sup_with_no_service_holds_no_socket"
is "$(cat "/proc/$SUP_PID/task/$SUP_PID/children")" "" "sup_with_no_service_runs_no_chain"
timeout 10 "$SUP" --reload -p "$T/pid" >"$T/out" 2>&1; rc=$?
is "$rc:$(cat "$T/out")" "0:" "sup_with_no_service_reloads"
like "$(cat "$T/log")" "reloaded .*: 0 added, 0 changed, 0 removed, 0 unchanged" "sup_with_no_service_reload_logged"
stop "$SUP_PID"; is $? 0 "sup_with_no_service_stops_with_exit_0"

# the internal examples of the shipped file are valid lines as they stand
sed -n 's/^#\(service .*internal:.*\)/\1/p' "$shipped" >"$T/internal.conf"
test "$(wc -l <"$T/internal.conf")" -ge 3; ok $? "shipped_conf_has_internal_examples"
"$SUP" -t -c "$T/internal.conf" -R "$T/run" -B "$B" >"$T/out" 2>&1; rc=$?
is "$rc" 0 "shipped_internal_examples_pass_check_uncommented"
done_testing
