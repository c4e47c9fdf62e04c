#!/bin/bash
# minetd-env standalone under socat (a launcher that sets no UCSPI variables):
# variables from the socket, rules over IPv4 and IPv6, env set/unset, deny
# message, default allow/deny, clean environment, exit code and log lines.
. "$(dirname "$0")/../lib.sh"

var() { # var NAME TEXT: the value of NAME in env output, or <unset>
  local line
  line=$(printf '%s\n' "$2" | grep -m1 "^$1=") || { echo '<unset>'; return; }
  echo "${line#*=}"
}

cat >"$T/rules" <<'R'
# test rules
allow 127.0.0.2      FOO="two words" -HOME EMPTY=
deny  127.0.0.3      msg="421 go away\r\n"
allow 127.0.0.0/27   NET=27
allow ::1            SIX=yes
deny  ::/0           msg="v6 denied\n"
R

LOG=$T/socat.log
start_socat "$LOG" TCP4-LISTEN:0,bind=127.0.0.1 "$B/minetd-env -r $T/rules env" || { fail "socat_started"; done_testing; exit; }

out=$(HOME=/nowhere fetch_from 127.0.0.2 127.0.0.1 "$SPORT")
is "$(var PROTO "$out")" TCP "env_socat_sets_proto_tcp"
is "$(var TCPREMOTEIP "$out")" 127.0.0.2 "env_socat_remote_ip_from_socket_127_0_0_2"
is "$(var TCPLOCALIP "$out")" 127.0.0.1 "env_socat_local_ip_is_real_address"
is "$(var TCPLOCALPORT "$out")" "$SPORT" "env_socat_local_port_is_listen_port"
like "$(var TCPREMOTEPORT "$out")" '^[1-9][0-9]*$' "env_socat_remote_port_numeric"
is "$(var TCPREMOTEHOST "$out")" '<unset>' "env_no_lookup_by_default_remotehost_unset"
is "$(var FOO "$out")" "two words" "env_rule_sets_variable_with_space"
is "$(var EMPTY "$out")" "" "env_rule_sets_empty_variable"
is "$(var HOME "$out")" '<unset>' "env_rule_unsets_variable"
is "$(var NET "$out")" '<unset>' "env_only_most_specific_rule_applies"
like "$(grep -c 'minetd-env:' "$LOG")" '^0$' "env_allow_not_logged_without_v"

# the remote port agrees with what socat saw on accept
rport=$(var TCPREMOTEPORT "$out")
like "$(cat "$LOG")" "accepting connection from AF=2 127\.0\.0\.2:$rport " "env_socat_remote_port_matches_socat_accept"

out=$(fetch_from 127.0.0.3 127.0.0.1 "$SPORT")
is "$out" $'421 go away\r' "env_deny_message_received_by_client"
wait_until 5 grep -q 'minetd-env: info: deny 127.0.0.3 port' "$LOG"
like "$(grep 'minetd-env:' "$LOG")" "^minetd-env: info: deny 127\.0\.0\.3 port [0-9]+ rule $T/rules:3\$" "env_deny_logs_one_line_with_rule"
is "$(grep -c 'minetd-env:' "$LOG")" 1 "env_deny_exactly_one_log_line"

out=$(fetch_from 127.0.0.9 127.0.0.1 "$SPORT")
is "$(var NET "$out")" 27 "env_prefix_27_rule_matches_127_0_0_9"
is "$(var FOO "$out")" '<unset>' "env_other_rules_variables_not_set"
out=$(fetch_from 127.0.0.40 127.0.0.1 "$SPORT")
is "$out" "" "env_default_with_rules_file_is_deny"
wait_until 5 grep -q 'deny 127.0.0.40 port [0-9]* rule default' "$LOG"
like "$(grep 'minetd-env:.*127.0.0.40' "$LOG")" 'rule default$' "env_default_deny_logged_as_rule_default"

# IPv6 on ::1
if socat -h >/dev/null 2>&1 && ip -6 addr show lo 2>/dev/null | grep -q '::1'; then
  LOG6=$T/socat6.log
  start_socat "$LOG6" "TCP6-LISTEN:0,bind=[::1]" "$B/minetd-env -r $T/rules env"
  out=$(fetch '[::1]' "$SPORT")
  is "$(var TCPREMOTEIP "$out")" ::1 "env_socat_ipv6_remote_ip_rfc5952"
  is "$(var TCPLOCALIP "$out")" ::1 "env_socat_ipv6_local_ip_rfc5952"
  is "$(var TCPLOCALPORT "$out")" "$SPORT" "env_socat_ipv6_local_port"
  is "$(var SIX "$out")" yes "env_ipv6_rule_sets_variable"
  # a v4-mapped peer on a dual-stack socket is IPv4 and meets IPv4 rules
  LOGM=$T/socatm.log
  start_socat "$LOGM" "TCP6-LISTEN:0,bind=[::],ipv6only=0" "$B/minetd-env -r $T/rules env"
  out=$(fetch_from 127.0.0.2 127.0.0.1 "$SPORT")
  is "$(var TCPREMOTEIP "$out")" 127.0.0.2 "env_v4_mapped_peer_shown_as_ipv4"
  is "$(var FOO "$out")" "two words" "env_v4_mapped_peer_meets_ipv4_rules"
  out=$(fetch '[::1]' "$SPORT")
  is "$(var SIX "$out")" yes "env_dual_stack_ipv6_peer_meets_ipv6_rule"
else
  for i in 1 2 3 4 5 6 7; do skip "no IPv6 loopback"; done
fi

# default allow / deny without and with rules; -a overrides the rules-file default
LOG2=$T/socat2.log
start_socat "$LOG2" TCP4-LISTEN:0,bind=127.0.0.1 "$B/minetd-env -v env"
out=$(fetch 127.0.0.1 "$SPORT")
is "$(var TCPREMOTEIP "$out")" 127.0.0.1 "env_no_rules_default_allow"
wait_until 5 grep -q 'minetd-env: info: allow' "$LOG2"
like "$(grep 'minetd-env:' "$LOG2")" '^minetd-env: info: allow 127\.0\.0\.1 port [0-9]+ rule default$' "env_verbose_logs_allow_line"

LOG3=$T/socat3.log
printf '#!/bin/sh\n"$1"/minetd-env -d env\necho $? >"$2"/status\n' >"$T/wrap"; chmod +x "$T/wrap"
start_socat "$LOG3" TCP4-LISTEN:0,bind=127.0.0.1 "$T/wrap $B $T"
out=$(fetch 127.0.0.1 "$SPORT")
is "$out" "" "env_d_without_rules_denies_everyone"
wait_until 5 test -s "$T/status"
is "$(cat "$T/status" 2>/dev/null)" 1 "env_deny_exits_1"

LOG4=$T/socat4.log
start_socat "$LOG4" TCP4-LISTEN:0,bind=127.0.0.1 "$B/minetd-env -a -r $T/rules env"
out=$(fetch_from 127.0.0.40 127.0.0.1 "$SPORT")
is "$(var TCPREMOTEIP "$out")" 127.0.0.40 "env_a_with_rules_allows_unmatched"
out=$(fetch_from 127.0.0.3 127.0.0.1 "$SPORT")
is "$out" $'421 go away\r' "env_a_still_applies_deny_rules"

# clean environment: only PATH, UCSPI variables, launcher facts, rule variables
LOG5=$T/socat5.log
SECRET=leak TCPCONNNUM=7 start_socat "$LOG5" TCP4-LISTEN:0,bind=127.0.0.1 "$B/minetd-env -c -r $T/rules env"
out=$(fetch_from 127.0.0.2 127.0.0.1 "$SPORT")
names=$(printf '%s\n' "$out" | sed -n 's/=.*//p' | sort | tr '\n' ' ')
is "$names" "EMPTY FOO PATH PROTO TCPCONNNUM TCPLOCALIP TCPLOCALPORT TCPREMOTEIP TCPREMOTEPORT " "env_c_clean_environment_has_only_expected_names"
is "$(var SECRET "$out")" '<unset>' "env_c_drops_launcher_environment"
is "$(var TCPCONNNUM "$out")" 7 "env_c_keeps_launcher_tcpconnnum"

# minetd-env execs PROG directly: the rules file, the lookup pipe and
# anything else it opened must not reach PROG. socat's children inherit a
# varying set of socat's fds, so a wrapper closes all but 0-2 first; PROG
# is ls itself (a script would show its own fd), which opens fd 3.
printf '#!/bin/bash\nfor fd in $(ls /proc/$$/fd); do [ "$fd" -gt 2 ] && eval "exec $fd>&-"; done\nexec "$@"\n' >"$T/closer"
chmod +x "$T/closer"
start_socat "$T/fds0.log" TCP4-LISTEN:0,bind=127.0.0.1 "$T/closer ls /proc/self/fd"
is "$(fetch 127.0.0.1 "$SPORT" | tr '\n' ' ')" "0 1 2 3 " "env_fd_test_wrapper_leaves_only_012"
start_socat "$T/fds1.log" TCP4-LISTEN:0,bind=127.0.0.1 "$T/closer $B/minetd-env -h -t 2000 -r $T/rules ls /proc/self/fd"
is "$(fetch 127.0.0.1 "$SPORT" | tr '\n' ' ')" "0 1 2 3 " "env_prog_gets_no_extra_fds_with_rules_and_lookup"
done_testing
