#!/bin/bash
# minetd-env inside minetd-tcp (fused) and as a separate exec (-E) give the
# same environment (incl. -c, -l, rule variables, TCPCONNNUM), the same deny
# message and the same log lines.
. "$(dirname "$0")/../lib.sh"

cat >"$T/rules" <<'R'
allow 127.0.0.2 FOO="x y" -HOME
deny  127.0.0.3 msg="421 no\r\n"
allow *
R

run_mode() { # run_mode NAME [-E]
  local name=$1; shift
  start_tcp "$T/$name.log" "$@" 127.0.0.1 0 "$B/minetd-env" -v -c -l name.example -r "$T/rules" env || return 1
  HOME=/h SECRET=s fetch_from 127.0.0.2 127.0.0.1 "$PORT" | sed 's/^TCPREMOTEPORT=.*/TCPREMOTEPORT=P/; s/^TCPLOCALPORT=.*/TCPLOCALPORT=L/' | sort >"$T/$name.env2"
  fetch_from 127.0.0.3 127.0.0.1 "$PORT" >"$T/$name.deny"
  fetch_from 127.0.0.4 127.0.0.1 "$PORT" | grep -c '^FOO=' >"$T/$name.other"
  wait_until 5 sh -c "[ \$(grep -c '^minetd-env: ' '$T/$name.log') -ge 3 ]"
  grep '^minetd-env: ' "$T/$name.log" | sed 's/ port [0-9]*/ port P/' >"$T/$name.envlog"
  stop "$SRV_PID"
}
run_mode fused || fail "fused_started"
run_mode exec -E || fail "exec_started"

like "$(cat "$T/fused.env2")" 'FOO=x y' "fused_rule_variable_set"
like "$(cat "$T/fused.env2")" 'TCPLOCALHOST=name\.example' "fused_l_sets_localhost"
like "$(cat "$T/fused.env2")" 'TCPCONNNUM=1' "fused_c_keeps_tcpconnnum"
is "$(cat "$T/fused.env2")" "$(cat "$T/exec.env2")" "env_same_environment_fused_and_exec"
is "$(cat "$T/fused.deny")" $'421 no\r' "fused_deny_message_received"
is "$(cat "$T/fused.deny")" "$(cat "$T/exec.deny")" "env_same_deny_message_fused_and_exec"
is "$(cat "$T/fused.other")" "$(cat "$T/exec.other")" "env_same_star_rule_fused_and_exec"
is "$(cat "$T/fused.envlog")" "$(cat "$T/exec.envlog")" "env_same_log_lines_fused_and_exec"
like "$(cat "$T/fused.envlog")" "^minetd-env: info: deny 127\\.0\\.0\\.3 port P rule $T/rules:2\$" "fused_deny_log_line"


# Two minetd-env links: a later -c starts the environment again, keeping
# only PATH (as an earlier rule left it), TCPCONNNUM and TCPREMOTEINFO;
# an earlier -c does not drop what a later link sets. Same both ways.
cat >"$T/first" <<'R'
allow * FIRST=1 PATH=/first/bin
R
two_links() { # two_links NAME [-E] -- CHAIN...: prog's whole environment
  local name=$1 flag=$2; shift 2
  start_tcp "$T/$name.log" $flag 127.0.0.1 0 "$@" "$(command -v env)" || return 1
  HOME=/h SECRET=s fetch 127.0.0.1 "$PORT" | sed 's/^TCPREMOTEPORT=.*/TCPREMOTEPORT=P/; s/^TCPLOCALPORT=.*/TCPLOCALPORT=L/' | sort >"$T/$name.env"
  stop "$SRV_PID"
}
two_links rc.fused "" "$B/minetd-env" -r "$T/first" "$B/minetd-env" -c
two_links rc.exec -E "$B/minetd-env" -r "$T/first" "$B/minetd-env" -c
is "$(cat "$T/rc.fused.env")" "$(cat "$T/rc.exec.env")" "env_two_links_later_c_same_environment_fused_and_exec"
is "$(grep -c '^FIRST=' "$T/rc.fused.env")/$(grep '^PATH=' "$T/rc.fused.env")" "0/PATH=/first/bin" "env_two_links_later_c_drops_earlier_variables_keeps_path"
two_links cr.fused "" "$B/minetd-env" -c "$B/minetd-env" -r "$T/first"
two_links cr.exec -E "$B/minetd-env" -c "$B/minetd-env" -r "$T/first"
is "$(cat "$T/cr.fused.env")" "$(cat "$T/cr.exec.env")" "env_two_links_earlier_c_same_environment_fused_and_exec"
grep -q '^FIRST=1$' "$T/cr.fused.env"; ok $? "env_two_links_earlier_c_keeps_later_rule_variables"

done_testing
