#!/bin/bash
# Wait mode: what cannot apply when the program accepts by itself is a
# usage error (exit 100, one line naming it), found before anything runs.
# A minetd-env link's rules go to a socket filter on the listener.
. "$(dirname "$0")/../lib.sh"
P=$B/tools/waitd

check() { # check NAME WANT-REGEX ARGS...
  local name=$1 want=$2; shift 2
  timeout 10 "$B/minetd-tcp" "$@" </dev/null >/dev/null 2>"$T/err"; local rc=$?
  is "$rc" 100 "${name}_exits_100"
  is "$(wc -l <"$T/err")" 1 "${name}_one_line"
  like "$(cat "$T/err")" "$want" "${name}_message"
}
check tcp_wait_usage_c '^minetd-tcp: fatal: -c does not apply with -w: the program accepts the connections' -w -c 5 127.0.0.1 0 "$P" m
check tcp_wait_usage_C '^minetd-tcp: fatal: -C does not apply with -w' -C 2 -w 127.0.0.1 0 "$P" m
check tcp_wait_usage_r '^minetd-tcp: fatal: -r does not apply with -w' -w -r busy 127.0.0.1 0 "$P" m
check tcp_wait_usage_e '^minetd-tcp: fatal: -e does not apply with -w' -w -e 127.0.0.1 0 "$P" m
check tcp_wait_usage_L_without_w '^minetd-tcp: fatal: -L needs -w' -L 127.0.0.1 0 "$P" m
check tcp_wait_usage_L_k3 '^minetd-tcp: fatal: -k 3 conflicts with -L' -w -L -k 3 127.0.0.1 0 "$P" m
check tcp_wait_usage_rate_link '^minetd-tcp: fatal: minetd-rate does not apply with -w: the program accepts the connections, minetd-tcp cannot count them$' -w 127.0.0.1 0 "$B/minetd-rate" -s 10 -f "$T/state" "$P" m
check tcp_wait_usage_rate_after_env '^minetd-tcp: fatal: minetd-rate does not apply with -w' -w 127.0.0.1 0 "$B/minetd-env" "$B/minetd-rate" -s 10 -f "$T/state" "$P" m
check tcp_wait_usage_two_env_links '^minetd-tcp: fatal: at most one minetd-env link with -w' -w 127.0.0.1 0 "$B/minetd-env" "$B/minetd-env" "$P" m
check tcp_wait_usage_E_with_link '^minetd-tcp: fatal: -E does not apply with -w' -w -E 127.0.0.1 0 "$B/minetd-env" "$P" m
# the same options without -w are fine (nothing else changed)
"$B/minetd-tcp" -c 5 -C 2 -r x 127.0.0.1 no-such-service-xyz "$P" 2>"$T/err"
like "$(cat "$T/err")" 'invalid port' "tcp_nowait_keeps_c_C_r"

# minetd-env rules in wait mode: attached to the listener as a socket
# filter; where they cannot be (too many; or before mtd_rulesbpf is built
# in), a warning says so, and the service runs.
printf 'allow 127.0.0.1\ndeny *\n' >"$T/rules"
start_tcp "$T/log" -w 127.0.0.1 0 "$B/minetd-env" -r "$T/rules" "$P" -i 300 "$T/marker"
ok $? "tcp_wait_env_link_starts"
like "$(fetch 127.0.0.1 "$PORT")" '^waitd pid [0-9]+ conn 1 .* ucspi none$' "tcp_wait_env_link_program_gets_listener_and_no_variables"
if grep -q 'unable to apply the rules' "$T/log"; then
  like "$(grep -m1 'unable to apply' "$T/log")" "^minetd-env: warning: unable to apply the rules of $T/rules to the listening socket \(serving without them\): " "tcp_wait_env_rules_not_applied_is_warned"
else
  is "$(cat "$T/log")" "" "tcp_wait_env_rules_attached_silently"
fi
kill -HUP "$SRV_PID"
wait_until 5 grep -q 'new rules' "$T/log" || sleep 0.3
kill -0 "$SRV_PID"; ok $? "tcp_wait_env_sighup_reattaches_and_keeps_running"
stop "$SRV_PID"
printf 'bad line\n' >"$T/badrules"
check tcp_wait_env_bad_rules_still_fatal ':1: ' -w 127.0.0.1 0 "$B/minetd-env" -r "$T/badrules" "$P" m
done_testing
