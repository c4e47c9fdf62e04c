#!/bin/bash
# A chain starts clean whatever minetd-sup inherited: no fd but its own
# listener and 0/1/2 (an fd left open by minetd-sup's parent does not
# reach it), no signal ignored (a shell starts background jobs with
# SIGINT/SIGQUIT ignored), nothing blocked by minetd-sup's selfpipe.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/sup.sh"

free_ports 1; P1=$PORTS
printf '%s\n' "service probe 127.0.0.1:$P1 0 $B/tools/probe" >"$T/conf"
: >"$T/leak"
# bash starts this background job with SIGINT and SIGQUIT ignored
start_sup "$T/log" "$T/conf" 7>"$T/leak"; ok $? "sup_started"
ign=$(awk '/^SigIgn:/ { print $2 }' "/proc/$SUP_PID/status")
# SIGQUIT (bit 3) is not one minetd-sup traps: still ignored, as inherited
is "$(( 0x$ign & 0x4 ))" 4 "sup_itself_inherited_ignored_sigquit"
# SIGINT (bit 2) it traps: an inherited SIG_IGN must not stay
is "$(( 0x$ign & 0x2 ))" 0 "sup_does_not_keep_an_inherited_ignored_sigint"
[ "$(readlink "/proc/$SUP_PID/fd/7")" = "$T/leak" ]; ok $? "sup_itself_inherited_fd_7"
cp=$(chain_pid probe)
fds_of() { for f in /proc/$1/fd/*; do readlink "$f"; done; }
fds_of "$cp" | grep -q "^$T/leak\$"; ok $((! $?)) "sup_chain_does_not_inherit_parents_fds"
other=$(ls "/proc/$cp/fd" | while read -r f; do
  case $f in 0|1|2) ;; *) l=$(readlink "/proc/$cp/fd/$f"); case $l in anon_inode:*) ;; *) echo "$l" ;; esac ;; esac
done | sort -u)
# minetd-tcp keeps the listener minetd-sup gave it (the one socket
# minetd-sup holds) and its own signalfd; nothing else
is "$other" "$(fds_of "$SUP_PID" | grep "^socket:" | sort -u)" "sup_chain_holds_only_its_listener"
like "$other" "^socket:" "sup_chain_listener_is_a_socket"
# ignored signals: mask of SIGINT (bit 2) and SIGQUIT (bit 3)
ign=$(awk '/^SigIgn:/ { print $2 }' "/proc/$cp/status")
is "$(( 0x$ign & 0x6 ))" 0 "sup_chain_has_default_sigint_sigquit"
out=$(fetch 127.0.0.1 "$P1")
like "$out" "status SigBlk:[[:space:]]+0+$" "sup_connection_has_empty_signal_mask"
like "$out" "status SigIgn:[[:space:]]+0+$" "sup_connection_ignores_no_signal"
like "$out" "^fds 0 1 2$" "sup_connection_has_only_fds_012"
stop "$SUP_PID"
done_testing
