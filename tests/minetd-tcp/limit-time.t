#!/bin/bash
# The time limit of a fused minetd-limit -T, held by minetd-tcp's loop: a
# hanging connection ends at its limit (the client sees EOF, the log says
# why, with -v its end line too) while the loop serves others, and what
# the program started ends with it; a well-behaved connection is not
# touched; a program ignoring SIGTERM is KILLed after the grace; what is
# left of the group when the program ends is KILLed at once.
. "$(dirname "$0")/../lib.sh"

now() { date +%s%N; }
ms_since() { echo $(( ($(now) - $1) / 1000000 )); }
in_range() { [ "$1" -ge "$2" ] && [ "$1" -le "$3" ]; }

# "hang" on the first line: hang with a child; anything else: answer
cat >"$T/serve" <<EOF2
#!/bin/sh
read -r line
case \$line in
  hang) sleep 30 & echo \$! >"$T/child.pid"; echo started; wait ;;
  stubborn) trap '' TERM; echo started; while :; do sleep 1; done ;;
  leave) sh -c 'trap "" TERM; echo \$\$ >"$T/left.pid"; exec sleep 30' & echo started; wait ;;
  *) echo hello ;;
esac
EOF2
chmod 755 "$T/serve"
ask() { # ask LINE: send it, half-close, read to EOF; GOT, MS as read_all
  local t0; t0=$(now)
  GOT=$(printf '%s\n' "$1" | timeout 15 socat -t 20 - "TCP:127.0.0.1:$PORT" 2>/dev/null); MS=$(ms_since "$t0")
}

start_tcp "$T/log" -v 127.0.0.1 0 "$B/minetd-limit" -T 1 -k 1 "$T/serve"; ok $? "server_started"
hold held 127.0.0.1 127.0.0.1 "$PORT"
release_t0=$(now)
printf 'hang\n' >&"$held_FD"
wait_until 5 grep -q started "$T/held.out"; ok $? "hanging_connection_started"
# the loop serves while one hangs, and the quick one is left alone
ask hello
is "$GOT" hello "served_while_one_hangs"
in_range "$MS" 0 900; ok $? "well_behaved_connection_not_delayed (${MS} ms)"
wait_pid "$held_PID" 5; ms=$(ms_since "$release_t0")
in_range "$ms" 800 2900; ok $? "hanging_client_sees_eof_at_the_time_limit (${ms} ms, limit 1 s)"
wait_until 3 exited "$(cat "$T/child.pid")"; ok $? "child_of_the_program_ended_with_it"
wait_until 3 grep -q 'ended by the time limit count' "$T/log"
like "$(grep 'warning:' "$T/log")" '^minetd-tcp: warning: pid [0-9]+ ended by the time limit of 1 s: peer 127\.0\.0\.1:[0-9]+$' "log_says_time_limit_with_peer"
is "$(grep -c 'ended by the time limit of' "$T/log")" 1 "one_warning_for_one_connection_ended"
like "$(grep 'info: end ' "$T/log")" $'exit 0 count [0-9]/40\n.*end 127\\.0\\.0\\.1:[0-9]+ pid [0-9]+ signal 15 ended by the time limit count 0/40' "end_lines_say_which_was_ended_by_the_time_limit"

# SIGTERM ignored: KILLed after the grace, not before
ask stubborn
is "$GOT" started "stubborn_program_ran"
in_range "$MS" 1800 3900; ok $? "stubborn_killed_after_the_grace (${MS} ms, limit 1 s + grace 1 s)"
like "$(tail -n 1 "$T/log")" 'signal 9 ended by the time limit' "stubborn_end_line_signal_9"
stop "$SRV_PID"

# the program ends at SIGTERM, a child ignoring it is left in the group
# (and holds the connection): KILLed when the program is reaped, not at
# the end of a 5 s grace
start_tcp "$T/log2" 127.0.0.1 0 "$B/minetd-limit" -T 1 -k 5 "$T/serve"; ok $? "leave_server_started"
ask leave
is "$GOT" started "leave_program_ran"
in_range "$MS" 800 2900; ok $? "left_child_killed_when_the_program_is_reaped (${MS} ms, limit 1 s, grace 5 s)"
wait_until 3 exited "$(cat "$T/left.pid")"; ok $? "left_child_gone"
stop "$SRV_PID"
done_testing
