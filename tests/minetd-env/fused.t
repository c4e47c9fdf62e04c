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

done_testing
