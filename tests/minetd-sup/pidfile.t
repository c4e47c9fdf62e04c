#!/bin/bash
# The pidfile lets exactly one instance run: two minetd-sup started at the
# same moment on one pidfile (none there yet, or a stale one) never both
# run, the pidfile names the one that does, and the refused one leaves it
# in place.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/sup.sh"

free_ports 2; set -- $PORTS; P1=$1 P2=$2
printf '%s\n' "service a 127.0.0.1:$P1 0 $EX/echo-server" >"$T/c1"
printf '%s\n' "service b 127.0.0.1:$P2 0 $EX/echo-server" >"$T/c2"
both=0 wrong=0 unsettled=0
for r in $(seq 1 20); do
  # even rounds: a stale pidfile (no process holds its lock) is there
  if [ $((r % 2)) = 0 ]; then echo 999999 >"$T/pid"; else rm -f "$T/pid"; fi
  "$SUP" -f -c "$T/c1" -p "$T/pid" -R "$T/run1" 2>>"$T/log" & A=$!; PIDS+=("$A")
  "$SUP" -f -c "$T/c2" -p "$T/pid" -R "$T/run2" 2>>"$T/log" & Z=$!; PIDS+=("$Z")
  # settled: each one has either exited or serves its port
  settled() { { ! kill -0 "$A" 2>/dev/null || ! refused 127.0.0.1 "$P1"; } && { ! kill -0 "$Z" 2>/dev/null || ! refused 127.0.0.1 "$P2"; }; }
  wait_until 10 settled || unsettled=$((unsettled+1))
  alive=
  for p in "$A" "$Z"; do kill -0 "$p" 2>/dev/null && alive="$alive$p"; done
  case $alive in "$A"|"$Z") [ "$(cat "$T/pid" 2>/dev/null)" = "$alive" ] || wrong=$((wrong+1)) ;; *) both=$((both+1)) ;; esac
  kill "$A" "$Z" 2>/dev/null; wait "$A" "$Z" 2>/dev/null
done
is "$unsettled" 0 "sup_pidfile_race_rounds_settle"
is "$both" 0 "sup_pidfile_two_instances_at_once_never_both_run"
is "$wrong" 0 "sup_pidfile_names_the_running_instance_and_loser_leaves_it"
like "$(cat "$T/log")" "fatal: another minetd-sup is running \(pid [0-9]+" "sup_pidfile_race_loser_says_why"
ls "$T" | grep -q '\.tmp\.'; ok $((! $?)) "sup_pidfile_no_temporary_files_left"

# started with stderr closed: its log must not land in whatever file it
# opens next (the pidfile), and the service still serves
rm -f "$T/pid"
fifo=$T/ready; mkfifo "$fifo"
"$SUP" -f -d 3 -c "$T/c1" -p "$T/pid" -R "$T/run1" 3>"$fifo" 2>&- & S=$!; PIDS+=("$S")
read -r -t 10 line <"$fifo"; ok $? "sup_starts_with_stderr_closed"
is "$(cat "$T/pid")" "$S" "sup_stderr_closed_pidfile_holds_only_the_pid"
is "$(fetch 127.0.0.1 "$P1" x)" x "sup_stderr_closed_serves"
stop "$S"
done_testing
