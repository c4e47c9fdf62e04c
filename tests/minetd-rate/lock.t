#!/bin/bash
# A process that keeps the state file locked (flock(1) here) never stalls
# minetd-rate for more than a short wait: the connection is refused with
# the message and a warning, minetd-tcp's loop stays responsive (SIGTERM
# works), the warnings stay few, and service resumes once the lock is gone.
. "$(dirname "$0")/../lib.sh"
S=$T/state
REFUSED='^minetd-rate: warning: refuse 127\.0\.0\.1 port [0-9]+: state file .* locked by another process for over 50 ms$'

start_tcp "$T/log" -v 127.0.0.1 0 "$B/minetd-rate" -n 100 -w 60 -f "$S" -m 'busy\n' /bin/echo served
is "$(fetch 127.0.0.1 "$PORT")" served "rate_lock_served_before_the_lock_is_taken"

exec 9<>"$S"
flock -x 9
t0=$(date +%s%N)
is "$(fetch 127.0.0.1 "$PORT")" busy "fused_rate_locked_state_refuses_with_message"
t1=$(date +%s%N)
ok $(( (t1 - t0) / 1000000 >= 3000 )) "fused_rate_locked_state_refused_within_3s ($(( (t1 - t0) / 1000000 )) ms)"
wait_until 3 grep -Eq "$REFUSED" "$T/log"; ok $? "fused_rate_locked_state_refusal_logged"
for i in 1 2 3 4 5 6 7 8; do fetch 127.0.0.1 "$PORT"; done >"$T/more"
t2=$(date +%s%N)
is "$(grep -c '^busy$' "$T/more")" 8 "fused_rate_locked_state_refuses_every_connection"
wait_until 3 grep -q 'refused [0-9]* more in the last [0-9]*ms: state file .* locked by another process' "$T/log"
ok $? "fused_rate_locked_state_later_refusals_summed_up"
# a line, then at most a summary and a line a second, and a last summary
lines=$(grep -c 'locked by another process' "$T/log")
ok $(( lines > 2 + 2 * ((t2 - t0) / 1000000000 + 1) || lines >= 9 )) "fused_rate_locked_state_warnings_bounded ($lines lines for 9 refusals)"
is "$(grep -c ' accept ' "$T/log")" 1 "fused_rate_locked_state_no_fork_for_refused"

flock -u 9
is "$(fetch 127.0.0.1 "$PORT")" served "fused_rate_service_resumes_once_the_lock_is_released"

# SIGTERM while a connection waits on the lock: minetd-tcp exits at once.
# It has taken it once it says so (a line, or a summary a second later).
flock -x 9
said=$(grep -c 'locked by another process' "$T/log")
fetch 127.0.0.1 "$PORT" >/dev/null &
CLIENT=$!
wait_until 3 sh -c "[ \$(grep -c 'locked by another process' '$T/log') -gt $said ]"
ok $? "fused_rate_locked_again_connection_refused_and_logged"
kill -TERM "$SRV_PID"
gone() { ! kill -0 "$SRV_PID" 2>/dev/null; }
wait_until 3 gone; ok $? "fused_rate_sigterm_works_while_the_state_file_is_locked"
wait "$CLIENT"

# Standalone, the same: refused (exit 1) with the message and the warning.
out=$(TCPREMOTEIP=127.0.0.1 timeout 5 "$B/minetd-rate" -n 100 -w 60 -f "$S" -m 'busy\n' echo admitted 2>"$T/err"); rc=$?
is "$out.$rc" "busy.1" "rate_locked_state_refused_exit_1_with_message"
like "$(cat "$T/err")" "$REFUSED" "rate_locked_state_refusal_logged"
flock -u 9
exec 9>&-
out=$(TCPREMOTEIP=127.0.0.1 timeout 5 "$B/minetd-rate" -n 100 -w 60 -f "$S" echo admitted 2>"$T/err"); rc=$?
is "$out.$rc" "admitted.0" "rate_admits_once_the_lock_is_released"
done_testing
