#!/bin/bash
# Wait mode: what cannot apply when the program accepts by itself is a
# usage error (exit 100, one line naming it), found before anything runs.
# A minetd-env link's rules go to a socket filter on the listener.
. "$(dirname "$0")/../lib.sh"
P=$B/tools/waitd

check() { usage_check minetd-tcp "$@" ; }  # check NAME WANT-REGEX ARGS...
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

# minetd-env rules in wait mode: a socket filter on the listener, so the
# SYNs of a denied source are dropped and the program, which accepts by
# itself, never sees them; SIGHUP attaches the reloaded rules.
printf 'allow 127.0.0.1\ndeny *\n' >"$T/rules"
start_tcp "$T/log" -w 127.0.0.1 0 "$B/minetd-env" -r "$T/rules" "$P" -i 300 "$T/marker"
ok $? "tcp_wait_env_link_starts"
like "$(fetch 127.0.0.1 "$PORT")" '^waitd pid [0-9]+ conn 1 .* ucspi none$' "tcp_wait_env_link_program_gets_listener_and_no_variables"
from2() { timeout 3 socat -T 2 - "TCP:127.0.0.1:$PORT,bind=127.0.0.2,connect-timeout=1" </dev/null 2>/dev/null; }
is "$(from2)" "" "tcp_wait_env_rules_filter_denied_source"
is "$(cat "$T/log")" "" "tcp_wait_env_rules_attached_silently"
printf 'allow 127.0.0.1\nallow 127.0.0.2\ndeny *\n' >"$T/rules"
kill -HUP "$SRV_PID"
served2() { from2 | grep -q '^waitd pid'; }
wait_until 5 served2; ok $? "tcp_wait_env_sighup_attaches_the_reloaded_rules"
kill -0 "$SRV_PID"; ok $? "tcp_wait_env_sighup_keeps_running"
stop "$SRV_PID"
printf 'bad line\n' >"$T/badrules"
check tcp_wait_env_bad_rules_still_fatal ':1: ' -w 127.0.0.1 0 "$B/minetd-env" -r "$T/badrules" "$P" m
done_testing
