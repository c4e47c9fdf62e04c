#!/bin/bash
# Out of file descriptors (RLIMIT_NOFILE lowered under a running process):
# a chain's minetd-tcp cannot accept, minetd-sup cannot restart a killed
# chain nor read its config on reload. Neither spins (CPU over the fault
# window), neither dies, a third service serves throughout, and once fds
# are back the clients that waited are served: nothing is lost.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../minetd-sup/sup.sh"
. "$(dirname "$0")/faults.sh"
command -v prlimit >/dev/null || { skip "fault_emfile_* (no prlimit)"; done_testing; exit; }

free_ports 3; set -- $PORTS; P1=$1 P2=$2 P3=$3
conf_write "$T/conf" \
  "service acc 127.0.0.1:$P1 100000 $EX/echo-server" \
  "service restart 127.0.0.1:$P2 0 $EX/echo-server" \
  "service steady 127.0.0.1:$P3 0 $EX/hello-server"
start_sup "$T/log" "$T/conf"; ok $? "fault_emfile_sup_started"
acc=$(chain_pid acc) old=$(chain_pid restart)
PIDS+=("$acc" "$old")
inode=$(listen_inode "$P2")
soft_sup=$(prlimit --pid "$SUP_PID" --nofile --noheadings --output SOFT)
soft_acc=$(prlimit --pid "$acc" --nofile --noheadings --output SOFT)

# the fault: no fd can be opened by minetd-sup nor by acc's minetd-tcp
prlimit --pid "$acc" --nofile=3: && prlimit --pid "$SUP_PID" --nofile=3:
ok $? "fault_emfile_limits_lowered"
hammer steady "$P3" --expect hello --pause 0.05 --seconds 20
exec 5<>"/dev/tcp/127.0.0.1/$P1"; echo one >&5
kill -KILL "$old"
exec 6<>"/dev/tcp/127.0.0.1/$P2"; echo two >&6
wait_for 5 grep -q 'minetd-tcp: warning: unable to accept (pausing [0-9]* ms): '"$(errstr EMFILE)" "$T/log"
ok $? "fault_emfile_tcp_accept_failure_logged"
wait_for 5 grep -q 'minetd-sup: warning: unable to fork for service restart: '"$(errstr EMFILE)" "$T/log"
ok $? "fault_emfile_sup_restart_failure_logged"
reloads=$(grep -c 'keeping the running configuration' "$T/log")
kill -HUP "$SUP_PID"
wait_for 5 sh -c "[ \$(grep -c 'keeping the running configuration' '$T/log') -gt $reloads ]"
ok $? "fault_emfile_sup_reload_refused_not_stuck"
like "$(grep 'reload\|unable to read' "$T/log" | tail -n 3)" "conf: unable to read: $(errstr EMFILE)" "fault_emfile_sup_reload_reason_logged"

# the window: both processes wait with work queued, and must sleep
t_acc=$(cpu_ticks "$acc") t_sup=$(cpu_ticks "$SUP_PID")
sleep 2
used_acc=$(( $(cpu_ticks "$acc") - t_acc )) used_sup=$(( $(cpu_ticks "$SUP_PID") - t_sup ))
note "CPU over 2 s out of fds: minetd-tcp $(ticks_ms $used_acc) ms, minetd-sup $(ticks_ms $used_sup) ms"
ok $(( $(ticks_ms $used_acc) >= 300 )) "fault_emfile_tcp_does_not_spin (under 0.3 s CPU in 2 s)"
ok $(( $(ticks_ms $used_sup) >= 300 )) "fault_emfile_sup_does_not_spin (under 0.3 s CPU in 2 s)"
kill -0 "$acc" && kill -0 "$SUP_PID"; ok $? "fault_emfile_both_alive"
ok $(( $(grep -c 'unable to accept' "$T/log") > 20 )) "fault_emfile_tcp_warnings_bounded ($(grep -c 'unable to accept' "$T/log") lines)"
ok $(( $(grep -c 'unable to fork for service restart' "$T/log") > 5 )) "fault_emfile_sup_warnings_bounded ($(grep -c 'unable to fork for service restart' "$T/log") lines)"

# fds back: the waiting clients are served, the chain is back on its socket
prlimit --pid "$acc" --nofile="$soft_acc": ; prlimit --pid "$SUP_PID" --nofile="$soft_sup":
reply=; read -r -t 5 reply <&5; exec 5>&-
is "$reply" one "fault_emfile_tcp_waiting_client_served_after_fds_return"
reply=; read -r -t 10 reply <&6; exec 6>&-
is "$reply" two "fault_emfile_sup_waiting_client_served_by_restarted_chain"
new=$(chain_pid restart); PIDS+=("$new")
ok $([ -n "$new" ] && [ "$new" != "$old" ] && has_socket "$new" "$inode" && echo 0 || echo 1) "fault_emfile_restarted_chain_on_same_socket"
is "$(chain_pid acc)" "$acc" "fault_emfile_tcp_chain_never_restarted"
wait_for 5 grep -q 'minetd-tcp: info: accepting again after' "$T/log"; ok $? "fault_emfile_tcp_recovery_logged"
hammer_end steady
is "$refused_n" 0 "fault_emfile_steady_service_no_refusal"
is "$(lost)" 0 "fault_emfile_steady_service_nothing_lost"
ok $(( ok_n < 20 )) "fault_emfile_steady_service_served_throughout ($ok_n)"
conf_write "$T/conf" \
  "service acc 127.0.0.1:$P1 100000 $EX/echo-server" \
  "service restart 127.0.0.1:$P2 0 $EX/echo-server" \
  "service steady 127.0.0.1:$P3 0 $EX/daytime-server"
reload_and_wait "$T/log"; ok $? "fault_emfile_sup_reloads_after_fds_return"
daytime() { fetch 127.0.0.1 "$P3" | grep -q UTC; }
wait_for 10 daytime; ok $? "fault_emfile_sup_reload_applied"
stop "$SUP_PID"
done_testing
