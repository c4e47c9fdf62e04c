#!/bin/bash
# Reload is make-before-break with proof of life: a changed service's new
# chain must report ready before the old one stops; a new chain that exits
# or never gets ready is stopped and the old configuration keeps serving,
# with the reason in the log and in --status; a new address is bound before
# the old one is let go, and a busy one leaves the service where it was.
# No reload, whatever fails, ends a live connection.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/sup.sh"

# minetd-sup -B: chain programs from $T/bin, where minetd-tcp fails or hangs
# on demand (a fault a validated config cannot show: a chain that dies or
# stalls at start)
mkdir "$T/bin"
cat >"$T/bin/minetd-tcp" <<EOF
#!/bin/sh
[ -e "$T/fail" ] && { echo "minetd-tcp: fatal: injected start failure" >&2; exit 111; }
[ -e "$T/hang" ] && exec sleep 30
exec "$B/minetd-tcp" "\$@"
EOF
chmod 755 "$T/bin/minetd-tcp"
ln -s "$B/minetd-env" "$T/bin/minetd-env"; ln -s "$B/minetd-rate" "$T/bin/minetd-rate"

free_ports 3; set -- $PORTS; P1=$1 P2=$2 P3=$3
conf() { printf '%s\n' "$@" >"$T/conf.new" && mv "$T/conf.new" "$T/conf"; }
status_line() { "$SUP" --status -p "$T/pid" -R "$T/run" 2>/dev/null | awk -v n="$1" '$1 == n'; }
reloads() { grep -c 'reloaded' "$T/log"; }

conf "service echo 127.0.0.1:$P1 0 maxconn=5 $EX/echo-server"
start_sup "$T/log" "$T/conf" -B "$T/bin"; ok $? "sup_started"
old=$(chain_pid echo)
is "$(fetch 127.0.0.1 "$P1" a)" a "sup_serves_before_reloads"

# a live connection that every reload below must leave alone
exec 5<>/dev/tcp/127.0.0.1/$P1
echo live >&5; read -r -t 5 line <&5
is "$line" live "sup_live_connection_before_reloads"

# 1. the new chain exits at start: the old chain keeps serving
touch "$T/fail"
conf "service echo 127.0.0.1:$P1 0 maxconn=6 $EX/echo-server"
out=$(timeout 40 "$SUP" --reload -p "$T/pid" 2>&1); rc=$?
is "$rc" 111 "sup_reload_command_exits_111_when_a_change_is_not_applied"
like "$out" "warning: service echo: the new chain exited before it was ready \(exit code 111\)" "sup_reload_command_prints_why"
like "$out" "fatal: reload partly applied by pid $SUP_PID" "sup_reload_command_says_partly_applied"
like "$(cat "$T/log")" "minetd-tcp: fatal: injected start failure" "sup_failed_new_chain_own_error_logged"
like "$(cat "$T/log")" "service echo: reload not applied: the new chain exited before it was ready \(exit code 111\)" "sup_failed_new_chain_reason_logged"
like "$(grep reloaded "$T/log" | tail -n 1)" "0 changed, .*1 kept on the previous configuration" "sup_failed_new_chain_counted_as_kept"
is "$(chain_pid echo)" "$old" "sup_failed_new_chain_old_chain_untouched"
is "$(fetch 127.0.0.1 "$P1" b)" b "sup_failed_new_chain_old_chain_serves"
like "$(status_line echo)" "running .*previous configuration kept: the new chain exited" "sup_failed_new_chain_status_shows_previous_config"
rm -f "$T/fail"

# 2. the new chain never gets ready: given up after the documented 10 s
touch "$T/hang"
conf "service echo 127.0.0.1:$P1 0 maxconn=7 $EX/echo-server"
kill -HUP "$SUP_PID"
wait_until 5 sh -c "$SUP --status -p $T/pid -R $T/run | grep -q 'reload pending: new chain pid'"; ok $? "sup_pending_new_chain_shown_in_status"
hung=$(status_line echo | sed -n 's/.*new chain pid \([0-9]*\).*/\1/p')
is "$(fetch 127.0.0.1 "$P1" c)" c "sup_pending_new_chain_old_chain_serves"
before=$(date +%s)
wait_until 15 grep -q "reload not applied: the new chain was not ready within 10 seconds" "$T/log"; ok $? "sup_unready_new_chain_given_up"
after=$(date +%s)
ok $([ $((after - before)) -ge 7 ] && echo 0 || echo 1) "sup_unready_new_chain_had_its_time"
wait_until 5 sh -c "! kill -0 $hung 2>/dev/null"; ok $? "sup_unready_new_chain_stopped"
is "$(chain_pid echo)" "$old" "sup_unready_new_chain_old_chain_untouched"
is "$(fetch 127.0.0.1 "$P1" d)" d "sup_unready_new_chain_old_chain_serves"
like "$(status_line echo)" "previous configuration kept: the new chain was not ready" "sup_unready_new_chain_status_reason"
rm -f "$T/hang"

# 3. a new address that is busy: the service stays where it was
python3 -c '
import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(1)
open(sys.argv[2], "w").close(); time.sleep(60)' "$P2" "$T/busy" &
BUSY=$!; PIDS+=("$BUSY")
wait_until 5 test -e "$T/busy"
conf "service echo 127.0.0.1:$P2 0 $EX/echo-server"
reload_and_wait "$T/log"
like "$(cat "$T/log")" "service echo: reload not applied: unable to bind to 127.0.0.1:$P2: $(errstr EADDRINUSE)" "sup_busy_new_address_reason_logged"
is "$(chain_pid echo)" "$old" "sup_busy_new_address_old_chain_untouched"
is "$(fetch 127.0.0.1 "$P1" e)" e "sup_busy_new_address_old_address_serves"
like "$(status_line echo)" "127.0.0.1:$P1 .*previous configuration kept: unable to bind" "sup_busy_new_address_status_shows_old_address"
kill "$BUSY"; wait "$BUSY" 2>/dev/null

# 4. a free new address: bound and served before the old one goes
conf "service echo 127.0.0.1:$P3 0 $EX/echo-server"
out=$(timeout 40 "$SUP" --reload -p "$T/pid" 2>&1); rc=$?
is "$rc:$out" "0:" "sup_reload_command_exits_0_silently_when_applied"
like "$(grep 'new configuration ready' "$T/log")" "service echo on 127.0.0.1:$P3: new configuration ready" "sup_new_address_switches_when_ready"
is "$(fetch 127.0.0.1 "$P3" f)" f "sup_new_address_serves"
wait_until 10 refused 127.0.0.1 "$P1"; ok $? "sup_new_address_old_address_released"
new=$(chain_pid echo)
ok $([ -n "$new" ] && [ "$new" != "$old" ] && echo 0 || echo 1) "sup_new_address_new_chain"
is "$(status_line echo | awk '{ print $NF }')" "0" "sup_switched_service_has_no_stale_note"

# the live connection survived every one of those reloads
echo still >&5; read -r -t 5 line <&5
is "$line" still "sup_reloads_never_end_a_live_connection"
exec 5>&-
grep -q 'restarting in' "$T/log"; ok $((! $?)) "sup_no_failed_new_chain_was_restarted"
stop "$SUP_PID"
done_testing
