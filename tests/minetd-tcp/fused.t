#!/bin/bash
# The fused path (links run inside minetd-tcp) and the exec path (-E) give
# the same result: admitted or not, environment, fds, link log lines. A
# denied connection costs no fork on the fused path.
. "$(dirname "$0")/../lib.sh"
PROBE=$B/tools/probe

cat >"$T/rules" <<'RULES'
allow 127.0.0.2 FOO=two -UNSETME
deny 127.0.0.3 msg="denied\n"
allow 127.0.0.0/8 LOOP=yes
RULES

scenario() { # scenario MODE-FLAG OUTDIR
  local flag=$1 out=$2
  mkdir -p "$out"
  start_port "$out/log" env UNSETME=x "$B/minetd-tcp" -1 -v $flag 0 0 \
    "$B/minetd-env" -v -r "$T/rules" "$PROBE"
  for src in 127.0.0.2 127.0.0.3 127.0.0.4 127.0.0.5; do
    fetch_from "$src" 127.0.0.1 "$PORT" | grep -v '^env TCP\(REMOTE\|LOCAL\)PORT=' | sort >"$out/$src"
  done
  wait_until 5 sh -c "[ \$(grep -c 'minetd-env: ' '$out/log') -ge 4 ]"
  stop "$SRV_PID"
  grep '^minetd-env: ' "$out/log" | sed 's/ port [0-9]*/ port P/' | sort >"$out/envlog"
}
scenario -E "$T/exec"
scenario "" "$T/fused"

for src in 127.0.0.2 127.0.0.3 127.0.0.4; do
  diff "$T/exec/$src" "$T/fused/$src" >&2; ok $? "fused_and_exec_same_result_for_$src"
done
grep -q '^env FOO=two$' "$T/fused/127.0.0.2"; ok $? "fused_rule_variable_set"
grep -q '^env UNSETME=' "$T/fused/127.0.0.2"; ok $(( ! $? )) "fused_rule_variable_unset"
is "$(cat "$T/fused/127.0.0.3")" "denied" "fused_deny_message_sent"
grep -q '^env LOOP=yes$' "$T/fused/127.0.0.4"; ok $? "fused_most_specific_rule_wins_for_other_source"
is "$(grep '^fds' "$T/fused/127.0.0.4")" "fds 0 1 2" "fused_child_has_only_fds_012"
is "$(grep -c 'status SigBlk:.*0000000000000000' "$T/fused/127.0.0.4")" 1 "fused_child_signal_mask_empty"
diff "$T/exec/envlog" "$T/fused/envlog" >&2; ok $? "fused_and_exec_same_link_log_lines"
is "$(grep -c 'deny 127.0.0.3' "$T/fused/envlog")" 1 "fused_deny_logged_once"
is "$(grep -c 'accept 127.0.0.3' "$T/fused/log")" 0 "fused_denied_connection_costs_no_fork"
is "$(grep -c 'accept 127.0.0.3' "$T/exec/log")" 1 "exec_path_forks_for_denied_connection"

# Rules then rate gate, both ways: a burst of 9 admits exactly 3; a denied
# source spends no token; refused connections cost no fork when fused.
printf 'deny 127.0.0.3 msg="no\\n"\nallow 0.0.0.0/0\n' >"$T/rules2"
rate_scenario() { # rate_scenario MODE-FLAG OUTDIR
  local flag=$1 out=$2
  mkdir -p "$out"
  start_port "$out/log" "$B/minetd-tcp" -1 -v $flag 0 0 \
    "$B/minetd-env" -r "$T/rules2" "$B/minetd-rate" -n 3 -w 60 -f "$out/state" -m 'slow down\n' "$PROBE"
  for i in 1 2 3 4 5 6; do fetch_from 127.0.0.3 127.0.0.1 "$PORT" >>"$out/denied"; done
  for i in 1 2 3 4 5 6 7 8 9; do fetch_from 127.0.0.2 127.0.0.1 "$PORT" >"$out/r$i"; done
  # fused, a pending refusal summary is written a second later, unprompted
  [ -z "$flag" ] && wait_until 5 grep -q 'minetd-rate: .*refused [0-9]* in the last' "$out/log"
  stop "$SRV_PID"
  cat "$out"/r* | grep -c '^end$' >"$out/admitted"
  cat "$out"/r* | grep -c '^slow down$' >"$out/refused"
}
rate_scenario -E "$T/rexec"
rate_scenario "" "$T/rfused"
is "$(cat "$T/rexec/admitted")/$(cat "$T/rexec/refused")" "3/6" "exec_chain_burst_of_9_admits_exactly_3"
is "$(cat "$T/rfused/admitted")/$(cat "$T/rfused/refused")" "3/6" "fused_chain_burst_of_9_admits_exactly_3"
is "$(grep -c '^no$' "$T/rfused/denied")" 6 "fused_chain_denied_source_gets_deny_message"
is "$(grep -c ' accept ' "$T/rfused/log")" 3 "fused_chain_forks_only_for_admitted_connections"
is "$(grep -c ' accept ' "$T/rexec/log")" 15 "exec_chain_forks_for_every_connection"
like "$(grep 'minetd-rate: ' "$T/rfused/log" | head -1)" '^minetd-rate: (info|warning): refuse 127\.0\.0\.2 port [0-9]+: service limit 3 per 60s' "fused_chain_first_refusal_logged_by_minetd_rate"
is "$(grep 'minetd-rate: ' "$T/rfused/log" | head -1 | sed 's/port [0-9]*/port P/')" "$(grep 'minetd-rate: ' "$T/rexec/log" | head -1 | sed 's/port [0-9]*/port P/')" "fused_and_exec_first_refusal_line_identical"
grep -q 'minetd-rate: .*refused [0-9]* in the last' "$T/rfused/log"; ok $? "fused_chain_refusal_summary_flushed_without_new_connection"

# One service on IPv4 and IPv6: two fused minetd-tcp share one rate state.
start_port "$T/log4" "$B/minetd-tcp" -1 127.0.0.1 0 "$B/minetd-rate" -n 4 -w 60 -f "$T/shared.rate" -m 'full\n' "$B/examples/daytime-server"
PORT4=$PORT
start_port "$T/log6" "$B/minetd-tcp" -1 ::1 0 "$B/minetd-rate" -n 4 -w 60 -f "$T/shared.rate" -m 'full\n' "$B/examples/daytime-server"
PORT6=$PORT
for i in 1 2 3; do fetch 127.0.0.1 "$PORT4"; fetch '[::1]' "$PORT6"; done >"$T/dual"
is "$(grep -c UTC "$T/dual")/$(grep -c '^full$' "$T/dual")" "4/2" "fused_ipv4_and_ipv6_listeners_share_one_rate_window"
is "$(stat -c %a "$T/shared.rate")" 600 "fused_rate_state_file_created_0600"

# Link files are opened after fds 0-2 are filled and after -d is checked:
# a closed stderr or an unopened -d never lands on the state file.
start_port "$T/log7" sh -c 'exec 2>&- ; exec "$@"' sh "$B/minetd-tcp" -1 127.0.0.1 0 "$B/minetd-rate" -n 1 -w 60 -f "$T/closed2.rate" "$B/examples/daytime-server"
for i in 1 2 3; do fetch 127.0.0.1 "$PORT"; done >"$T/closed2"
is "$(grep -c UTC "$T/closed2")" 1 "fused_rate_with_stderr_closed_admits_1_of_3"
stop "$SRV_PID"
timeout 5 "$B/minetd-tcp" -d 3 127.0.0.1 0 "$B/minetd-rate" -n 1 -f "$T/notif.rate" "$B/examples/daytime-server" 3>&- 2>"$T/err3"; rc=$?
is "$rc:$(cat "$T/err3")" "100:minetd-tcp: fatal: notification fd is not open" "fused_rate_does_not_hide_an_unopened_notification_fd"

# With -u/-g the links open their files as that user, on both paths.
if [ "$(id -u)" = 0 ]; then
  mkdir -m 0700 "$T/userdir"; chown 65534:65534 "$T/userdir"
  # what runs as that user comes from a copy it can reach
  public_build
  for mode in fused exec; do
    flag=; [ $mode = exec ] && flag=-E
    start_port "$T/log8$mode" "$B/minetd-tcp" -1 $flag -u 65534 -g 65534 127.0.0.1 0 "$PUB/minetd-rate" -n 2 -w 60 -f "$T/userdir/$mode.rate" "$PUB/examples/daytime-server"
    for i in 1 2 3; do fetch 127.0.0.1 "$PORT"; done >"$T/user$mode"
    stop "$SRV_PID"
    is "$(grep -c UTC "$T/user$mode")/$(stat -c %u "$T/userdir/$mode.rate")" "2/65534" "${mode}_path_opens_link_files_as_the_dropped_user"
  done
else
  skip "fused_and_exec_paths_open_link_files_as_the_dropped_user (needs root)"
fi

# A flood of denied clients does not flood the log: at most 10 deny lines
# a second, the rest counted in a summary line.
printf 'deny 0.0.0.0/0\n' >"$T/denyall"
start_port "$T/log9" "$B/minetd-tcp" -1 127.0.0.1 0 "$B/minetd-env" -r "$T/denyall" "$B/examples/daytime-server"
# one client process, so the 30 connections come within a second even on a
# loaded machine (30 socat runs may take longer and never flood)
timeout 20 python3 -c '
import socket, sys
for _ in range(30):
    s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
    s.recv(100)
    s.close()' "$PORT"
wait_until 5 grep -q 'more denials not logged' "$T/log9"; ok $? "fused_env_deny_flood_summed_up"
denials_seen() {  # deny lines plus the denials the summaries count
  lines=$(grep -c 'minetd-env: info: deny 127.0.0.1' "$T/log9")
  dropped=$(sed -n 's/^minetd-env: info: \([0-9]*\) more denials not logged.*/\1/p' "$T/log9" | awk '{n += $1} END {print n + 0}')
  [ $((lines + dropped)) -ge 30 ]
}
# a summary is due a second after the denials it counts
wait_until 5 denials_seen
is "$((lines + dropped))" 30 "fused_env_every_denial_logged_or_counted"
ok $(( lines >= 30 )) "fused_env_deny_lines_bounded ($lines lines)"
stop "$SRV_PID"

# minetd-env -c: a clean environment (PATH, UCSPI, rule variables), both ways.
for mode in fused exec; do
  flag=; [ $mode = exec ] && flag=-E
  start_port "$T/logc$mode" env FOO_FROM_PARENT=x "$B/minetd-tcp" -1 $flag 127.0.0.1 0 "$B/minetd-env" -c "$PROBE"
  out=$(fetch 127.0.0.1 "$PORT" | grep '^env ' | cut -d= -f1 | sort | tr '\n' ' ')
  is "$out" "env PATH env PROTO env TCPCONNNUM env TCPLOCALIP env TCPLOCALPORT env TCPREMOTEIP env TCPREMOTEPORT " "${mode}_clean_environment_keeps_only_path_and_ucspi"
  stop "$SRV_PID"
done

# SIGHUP reloads the rules of a fused minetd-env; a bad file keeps the old rules.
start_port "$T/log2" "$B/minetd-tcp" -1 -v 0 0 "$B/minetd-env" -v -r "$T/rules" "$PROBE"
is "$(fetch_from 127.0.0.3 127.0.0.1 "$PORT")" "denied" "fused_before_reload_denies"
printf 'allow 127.0.0.0/8 NEW=1\n' >"$T/rules"
kill -HUP "$SRV_PID"
wait_until 5 grep -q 'reloaded' "$T/log2"; ok $? "fused_sighup_reloads_rules"
grep -q '^env NEW=1$' <(fetch_from 127.0.0.3 127.0.0.1 "$PORT"); ok $? "fused_after_reload_new_rules_apply"
printf 'allow 127.0.0.0/99\n' >"$T/rules"
kill -HUP "$SRV_PID"
wait_until 5 grep -q 'keeping the previous rules' "$T/log2"; ok $? "fused_bad_rules_on_reload_logged"
grep -q '^env NEW=1$' <(fetch_from 127.0.0.3 127.0.0.1 "$PORT"); ok $? "fused_bad_rules_on_reload_keep_old_rules"
stop "$SRV_PID"

# A bad rules file at start-up: minetd-tcp refuses to start, exit 100.
"$B/minetd-tcp" 127.0.0.1 0 "$B/minetd-env" -r "$T/rules" "$PROBE" 2>"$T/err"; rc=$?
is "$rc" 100 "fused_bad_rules_at_start_exits_100"
like "$(cat "$T/err")" "^minetd-env: fatal: $T/rules:1: " "fused_bad_rules_at_start_names_file_and_line"
done_testing
