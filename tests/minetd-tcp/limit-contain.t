#!/bin/bash
# What a fused minetd-limit contains, from inside a connection of
# minetd-tcp: a CPU-bound program stopped by -t; a fork bomb stopped by
# -p, run as an unprivileged user by minetd-limit -u (RLIMIT_NPROC does
# not bind root), its sleepers ended by the time limit.
. "$(dirname "$0")/../lib.sh"

now() { date +%s%N; }
ms_since() { echo $(( ($(now) - $1) / 1000000 )); }
read_all() { local t0; t0=$(now); GOT=$(timeout 15 socat -u "TCP:127.0.0.1:$1" - 2>/dev/null); MS=$(ms_since "$t0"); }

# CPU: SIGXCPU at the soft limit (SIGKILL at the hard one)
start_tcp "$T/cpu.log" -v 127.0.0.1 0 "$B/minetd-limit" -t 1:2 sh -c 'echo started; while :; do :; done'; ok $? "cpu_server_started"
read_all "$PORT"
is "$GOT" started "cpu_program_ran"
[ "$MS" -lt 8000 ]; ok $? "cpu_bound_connection_ended_by_t (${MS} ms)"
wait_until 3 grep -q 'info: end ' "$T/cpu.log"
like "$(grep 'info: end ' "$T/cpu.log")" 'signal (24|9) count' "cpu_end_line_says_sigxcpu_or_sigkill"
stop "$SRV_PID"

# fork bomb as a uid of its own (none of the machine's): at most 10
# processes, the loop of 100 never completes (the shell dies of it), the
# program goes on (exec sleep) and the sleepers end with it at -T
U=64987
if [ "$(id -u)" != 0 ]; then
  skip "the fork bomb test needs root (to become uid $U)"
elif pgrep -u "$U" >/dev/null; then
  skip "processes of uid $U already run: cannot count the bomb's"
else
  start_tcp "$T/bomb.log" 127.0.0.1 0 "$B/minetd-limit" -u "$U" -g "$U" -p 10 -T 2 -k 1 \
    sh -c 'sh -c '\''i=0; while [ $i -lt 100 ]; do sleep 10 & i=$((i+1)); done; echo uncontained'\''; exec sleep 10'
  ok $? "bomb_server_started"
  socat -u "TCP:127.0.0.1:$PORT" - >"$T/bomb.out" 2>/dev/null & client=$!; PIDS+=("$client")
  wait_until 5 grep -q 'Cannot fork\|Resource temporarily unavailable' "$T/bomb.log"; ok $? "bomb_fork_refused_inside_the_connection"
  n=$(pgrep -c -u "$U")
  [ "$n" -le 10 ] && [ "$n" -ge 2 ]; ok $? "bomb_contained_by_p (${n} processes of uid $U, limit 10)"
  wait_until 5 sh -c "! pgrep -u $U >/dev/null"; ok $? "bomb_sleepers_ended_by_the_time_limit"
  wait_pid "$client" 5
  is "$(cat "$T/bomb.out")" "" "bomb_loop_never_completed"
  stop "$SRV_PID"
fi
done_testing
