#!/bin/bash
# A minetd-limit link after minetd-tcp (and its fused minetd-env) runs in
# minetd-tcp's own process: each limit seen from inside the connection is
# the same fused and exec'd (-E); parse errors come at start; a time limit
# is a usage error with -w, the other limits apply to the wait-mode
# program; a chroot is refused when minetd-tcp itself would drop root.
. "$(dirname "$0")/../lib.sh"

cp "$ROOT/tests/minetd-limit/limitprobe" "$T/probe" && chmod 755 "$T/probe"
printf 'allow 127.0.0.0/8 RULE=set\n' >"$T/rules"
. "$ROOT/tests/minetd-limit/probe.sh"
OPTS=("${LIMIT_OPTS[@]}" -x RULE -u 65534 -g 65534)
want=$(limit_want set 65534:65534)
export KEEP=kept DROP=dropped

for mode in exec fused; do
  flag=; [ $mode = exec ] && flag=-E
  start_tcp "$T/$mode.log" -v $flag 127.0.0.1 0 "$B/minetd-env" -r "$T/rules" "$B/minetd-limit" "${OPTS[@]}" "$T/probe"
  ok $? "${mode}_server_started"
  fetch 127.0.0.1 "$PORT" >"$T/$mode.out"
  stop "$SRV_PID"
done
is "$(cat "$T/fused.out")" "$want" "fused_limits_seen_inside_the_connection"
# without -x RULE a rule variable is filtered as the launcher's are (DROP)
start_tcp "$T/x.log" 127.0.0.1 0 "$B/minetd-env" -r "$T/rules" "$B/minetd-limit" -x KEEP "$T/probe"
like "$(fetch 127.0.0.1 "$PORT")" 'RULE=unset' "fused_x_filters_what_earlier_links_set_as_the_exec_chain_does"
stop "$SRV_PID"
diff "$T/exec.out" "$T/fused.out" >&2; ok $? "fused_and_exec_same_view"
# fused: one process per connection, the program itself (no link exec'd)
like "$(grep 'accept ' "$T/fused.log")" 'pid [0-9]+ count 1/40' "fused_accept_logged"
is "$(grep -c 'minetd-limit\|minetd-env' "$T/fused.log")" 0 "fused_nothing_logged_by_the_links"

# -S, and a link after minetd-limit is exec'd inside its limits
start_tcp "$T/s.log" 127.0.0.1 0 "$B/minetd-limit" -S -o 40 "$B/minetd-env" -r "$T/rules" "$T/probe"
ok $? "fused_session_started"
got=$(fetch 127.0.0.1 "$PORT")
like "$got" $'pgrp=own\nsession=own' "fused_session_of_its_own_with_S"
like "$got" 'RULE=set' "fused_link_after_minetd_limit_runs_as_a_program"
like "$got" 'nofile=40:' "fused_limit_before_an_exec_link_applies"
stop "$SRV_PID"

# parse errors at start, under minetd-limit's name; a missing program too
"$B/minetd-tcp" 127.0.0.1 0 "$B/minetd-limit" -x A=B true </dev/null >/dev/null 2>"$T/err"; rc=$?
is "$rc" 100 "fused_bad_limit_exits_100_at_start"
like "$(head -n 1 "$T/err")" '^minetd-limit: fatal: expected a variable name for -x: A=B$' "fused_bad_limit_says_why"
usage_check minetd-tcp fused_missing_program '^minetd-tcp: fatal: unable to find no-such-program in PATH' 127.0.0.1 0 "$B/minetd-limit" -o 10 no-such-program
mkdir -p "$T/jail" && chmod 755 "$T/jail"
usage_check minetd-tcp fused_chroot_with_launcher_drop '^minetd-tcp: fatal: minetd-limit -/ needs root in the connection.s process' -u 65534 -g 65534 127.0.0.1 0 "$B/minetd-limit" -/ "$T/jail" /bin/true
chmod 775 "$T/jail"
usage_check minetd-tcp fused_chroot_checked_at_start "^minetd-limit: fatal: refusing chroot directory: $T/jail is writable by group or others" 127.0.0.1 0 "$B/minetd-limit" -/ "$T/jail" /bin/true

# wait mode: no time limit (fused or -E), the other limits apply
usage_check minetd-tcp wait_time_limit '^minetd-tcp: fatal: a time limit \(minetd-limit -T\) does not apply with -w' -w 127.0.0.1 0 "$B/minetd-limit" -T 5 true
usage_check minetd-tcp wait_exec_time_limit '^minetd-tcp: fatal: a time limit \(minetd-limit -T\) does not apply with -w' -w -E 127.0.0.1 0 "$B/minetd-limit" -o 20 -T 5 true
# (it accepts nothing: started again while the client waits, so its
# view is written whole or not at all)
start_tcp "$T/w.log" -w 127.0.0.1 0 "$B/minetd-limit" -o 48 -M 077 sh -c "echo \$\$ >>\"$T/w.pids\"; \"$T/probe\" >\"$T/w.tmp\" && mv \"$T/w.tmp\" \"$T/w.out\""
ok $? "wait_server_started"
hold wc 127.0.0.1 127.0.0.1 "$PORT"
wait_until 5 test -s "$T/w.out"; ok $? "wait_program_started"
like "$(cat "$T/w.out")" $'nofile=48:[0-9]+\n' "wait_program_gets_the_limits"
like "$(cat "$T/w.out")" $'umask=0077\n' "wait_program_gets_the_umask"
release wc
stop "$SRV_PID"
# a run started just before the stop outlives minetd-tcp (it leaves its
# programs running): each ends by itself once it has written its view
for p in $(cat "$T/w.pids"); do wait_until 5 exited "$p"; done
done_testing
