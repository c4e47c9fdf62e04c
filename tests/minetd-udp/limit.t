#!/bin/bash
# A fused minetd-limit under minetd-udp: the limits seen from inside the
# program the same fused and exec'd (-E); in nowait mode (-n) a time limit
# per process, ended at it with the log line; in wait mode -T is a usage
# error and the other limits apply.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/udp.sh"

cp "$ROOT/tests/minetd-limit/limitprobe" "$T/probe" && chmod 755 "$T/probe"
# the probe's lines to a file, one reply datagram when done
cat >"$T/udpprobe" <<EOF2
#!/bin/sh
"$T/probe" >"\$OUT.tmp" && mv "\$OUT.tmp" "\$OUT"
echo done
exec sleep 30
EOF2
chmod 755 "$T/udpprobe"
OPTS=(-o 64:128 -n 5 -M 027 -N -e SET=yes -x OUT -x KEEP -T 1 -k 1)
export KEEP=kept DROP=dropped

for mode in exec fused; do
  flag=; [ $mode = exec ] && flag=-E
  OUT=$T/$mode.out start_udp "$T/$mode.log" -v -n $flag 127.0.0.1 0 "$B/minetd-limit" "${OPTS[@]}" "$T/udpprobe"
  ok $? "${mode}_server_started"
  like "$(ask 127.0.0.1 "$PORT" hi)" 'done$' "${mode}_program_replied"
  wait_until 5 test -s "$T/$mode.out"
  # the time limit ends the program (exec'd: minetd-limit's supervisor)
  wait_until 5 grep -q 'ended by the time limit' "$T/$mode.log"; ok $? "${mode}_ended_by_the_time_limit"
  wait_until 5 grep -q 'info: end ' "$T/$mode.log"; ok $? "${mode}_end_logged"
  stop "$SRV_PID"
done
# (the probe is a child of the program: the group is not its own)
is "$(grep -x -e nofile=64:128 -e nice=5 -e umask=0027 -e nnp=1 "$T/fused.out" | tr '\n' ' ')" "nofile=64:128 nice=5 umask=0027 nnp=1 " "fused_limits_seen_inside_the_program"
like "$(cat "$T/fused.out")" 'SET=yes KEEP=kept DROP=unset PROTO=UDP' "fused_environment_seen_inside_the_program"
like "$(cat "$T/fused.out")" 'UDPREMOTEIP=127.0.0.1' "fused_ucspi_variables_pass"
diff "$T/exec.out" "$T/fused.out" >&2; ok $? "fused_and_exec_same_view"
like "$(grep warning: "$T/fused.log")" '^minetd-udp: warning: pid [0-9]+ ended by the time limit of 1 s: peer 127\.0\.0\.1:[0-9]+$' "fused_time_limit_logged_with_peer"
like "$(grep 'info: end ' "$T/fused.log")" 'end 127\.0\.0\.1:[0-9]+ pid [0-9]+ signal 15 ended by the time limit count 0/40$' "fused_end_line_says_time_limit"

# wait mode: no time limit; the other limits apply
usage_check minetd-udp wait_time_limit '^minetd-udp: fatal: a time limit \(minetd-limit -T\) does not apply in wait mode' 127.0.0.1 0 "$B/minetd-limit" -T 5 true
usage_check minetd-udp wait_exec_time_limit '^minetd-udp: fatal: a time limit \(minetd-limit -T\) does not apply in wait mode' -E 127.0.0.1 0 "$B/minetd-limit" -T 5 true
# (it reads nothing: started again while the datagram waits, so its view
# is written whole or not at all)
OUT=$T/wait.out start_udp "$T/wait.log" 127.0.0.1 0 "$B/minetd-limit" -o 48 sh -c "\"$T/probe\" >\"$T/w.tmp\" && mv \"$T/w.tmp\" \"$T/wait.out\""
ok $? "wait_server_started"
ask -w 1 127.0.0.1 "$PORT" hi >/dev/null
wait_until 5 test -s "$T/wait.out"; ok $? "wait_program_ran"
like "$(cat "$T/wait.out")" $'nofile=48:[0-9]+\n' "wait_program_gets_the_limits"
stop "$SRV_PID"
done_testing
