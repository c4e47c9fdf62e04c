#!/bin/bash
# Out of processes (RLIMIT_NPROC of a uid of this run's own): a chain's
# minetd-tcp cannot fork, so each connection it accepts is refused with the
# service's message, and it backs off; minetd-sup cannot fork to restart a
# killed chain, and retries. Neither spins (CPU over the fault window), and
# once forks work again both recover: the client that waited for the
# restarted chain is served, and no connection is lost without an answer.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../minetd-sup/sup.sh"
. "$(dirname "$0")/faults.sh"
if [ "$(id -u)" != 0 ] || ! command -v prlimit >/dev/null || ! command -v setpriv >/dev/null; then
  skip "fault_nproc_* (needs root to run minetd-sup as another uid, prlimit and setpriv)"; done_testing; exit
fi
# RLIMIT_NPROC counts every process of the uid: one for this run only, which
# root cannot be (the kernel never applies the limit to uid 0). minetd-sup
# and its chains get a limit of 8; the fault is U's processes reaching it
# (sleeps started by root as U, as a runaway job of the same user would),
# lifted by ending them (a root without CAP_SYS_RESOURCE cannot change
# another uid's limits with prlimit --pid).
U=$((100000 + $$ % 50000)) NPROC=8
# U must reach what it runs: the checkout may be in a 0700 directory
public_build; EX=$PUB/examples
uid_procs() { ps -o pid= -u "$U" | wc -l; }
free_ports 2; set -- $PORTS; P1=$1 P2=$2
conf_write "$T/conf" \
  "service forky 127.0.0.1:$P1 0 verbose=yes refuse=busy\\n $EX/hello-server" \
  "service restart 127.0.0.1:$P2 0 $EX/echo-server"
# minetd-sup runs as U: its runtime directory and pidfile are U's
mkdir -m 755 "$T/run" && chown "$U:$U" "$T/run" && ln -s "$T/run/pid" "$T/pid"
mkfifo "$T/ready"
prlimit --nproc=$NPROC:$NPROC setpriv --reuid "$U" --regid "$U" --clear-groups "$PUB/minetd-sup" -f -d 3 -c "$T/conf" -p "$T/run/pid" -R "$T/run" 3>"$T/ready" 2>>"$T/log" &
SUP_PID=$!; PIDS+=("$SUP_PID")
read -r -t 10 _ <"$T/ready"; ok $? "fault_nproc_sup_started_as_uid_$U"
forky=$(chain_pid forky) old=$(chain_pid restart)
PIDS+=("$forky" "$old")
inode=$(listen_inode "$P2")
like "$(fetch 127.0.0.1 "$P1")" '^hello' "fault_nproc_serves_before"

# the fault: U at its limit even once the restart service's chain is killed
fillers=()
for i in $(seq 1 $NPROC); do setpriv --reuid "$U" --regid "$U" --clear-groups sleep 30 & fillers+=("$!"); PIDS+=("$!"); done
wait_for 5 sh -c "[ \$(ps -o pid= -u $U | wc -l) -ge $((NPROC + 3)) ]"; ok $? "fault_nproc_uid_at_its_limit ($(uid_procs) processes)"
hammer forky "$P1" --expect hello --busy busy --pause 0.05 --seconds 20
kill -KILL "$old"
exec 6<>"/dev/tcp/127.0.0.1/$P2"; echo two >&6
wait_for 5 grep -q 'minetd-tcp: warning: unable to fork (pausing [0-9]* ms): Resource temporarily unavailable' "$T/log"
ok $? "fault_nproc_tcp_fork_failure_logged"
wait_for 5 grep -q 'minetd-sup: warning: unable to fork for service restart: Resource temporarily unavailable' "$T/log"
ok $? "fault_nproc_sup_fork_failure_logged"
# the window: 4 more clients connect again as soon as they are answered
hammer flood "$P1" --expect hello --busy busy --threads 4 --seconds 20
r0=$(grep -c 'reason fork failed' "$T/log")
t_tcp=$(cpu_ticks "$forky") t_sup=$(cpu_ticks "$SUP_PID")
sleep 2
used_tcp=$(( $(cpu_ticks "$forky") - t_tcp )) used_sup=$(( $(cpu_ticks "$SUP_PID") - t_sup ))
r1=$(grep -c 'reason fork failed' "$T/log")
note "over 2 s unable to fork, 5 clients connecting: CPU minetd-tcp $(ticks_ms $used_tcp) ms, minetd-sup $(ticks_ms $used_sup) ms; $((r1 - r0)) connections refused"
# pausing 10 ms, doubling up to 1 s, after each failure: some 10 tries in
# 2 s, where trying at once would refuse every client as fast as it comes
ok $(( r1 - r0 > 30 )) "fault_nproc_tcp_pauses_between_fork_attempts ($((r1 - r0)) refused in 2 s)"
ok $(( $(ticks_ms $used_tcp) >= 300 )) "fault_nproc_tcp_backs_off (under 0.3 s CPU in 2 s)"
ok $(( $(ticks_ms $used_sup) >= 300 )) "fault_nproc_sup_backs_off (under 0.3 s CPU in 2 s)"
kill -0 "$forky" && kill -0 "$SUP_PID"; ok $? "fault_nproc_both_alive"
refusals=$(grep -c 'refuse 127.0.0.1:[0-9]* reason fork failed' "$T/log")
ok $(( refusals == 0 )) "fault_nproc_tcp_refusals_logged ($refusals)"
ok $(( $(grep -c 'unable to fork (pausing' "$T/log") > 20 )) "fault_nproc_tcp_warnings_bounded ($(grep -c 'unable to fork (pausing' "$T/log") lines)"
ok $(( $(grep -c 'unable to fork for service restart' "$T/log") > 5 )) "fault_nproc_sup_warnings_bounded ($(grep -c 'unable to fork for service restart' "$T/log") lines)"

# forks work again
kill "${fillers[@]}"; wait "${fillers[@]}" 2>/dev/null
hammer_end flood
is "$refused_n $(lost)" "0 0" "fault_nproc_flood_nothing_refused_at_the_socket_nothing_lost"
reply=; read -r -t 10 reply <&6; exec 6>&-
is "$reply" two "fault_nproc_waiting_client_served_by_restarted_chain"
new=$(chain_pid restart); PIDS+=("$new")
ok $([ -n "$new" ] && [ "$new" != "$old" ] && has_socket "$new" "$inode" && echo 0 || echo 1) "fault_nproc_restarted_chain_on_same_socket"
wait_for 5 grep -q 'minetd-tcp: info: accepting again after' "$T/log"; ok $? "fault_nproc_tcp_recovery_logged"
hammer_end forky
is "$refused_n" 0 "fault_nproc_never_refused_at_the_socket"
is "$(lost)" 0 "fault_nproc_nothing_lost (each attempt served or refused with the message)"
ok $(( busy_n == 0 )) "fault_nproc_refused_with_message_while_forks_fail ($busy_n)"
ok $(( ok_n == 0 )) "fault_nproc_served_after_recovery ($ok_n)"
is "$(chain_pid forky)" "$forky" "fault_nproc_tcp_chain_never_restarted"
stop "$SUP_PID"
done_testing
