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
