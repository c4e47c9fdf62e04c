#!/bin/bash
# Nowait mode on SIGTERM (what a reload of minetd-sup sends the old chain):
# minetd-udp stops reading the socket but keeps relaying for the programs
# it started, so a reply written after the signal still reaches its peer;
# it exits once no relay is left. (Before, it exited at once and the
# relay's end was gone: the reply was lost.)
. "$(dirname "$0")/../lib.sh"
# a program that answers its first message half a second later
cat >"$T/slow" <<'EOF2'
#!/bin/sh
m=$(dd bs=2048 count=1 2>/dev/null)
sleep 0.5
printf 'late %s' "$m"
EOF2
chmod +x "$T/slow"
start_port "$T/log" "$B/minetd-udp" -1 -v -n -t 5 127.0.0.1 0 "$T/slow"
ok $? "udp_drain_started"
"$B/tools/udpask" 127.0.0.1 "$PORT" hello 5000 >"$T/out" &
C=$!; PIDS+=("$C")
wait_until 5 grep -q 'info: start ' "$T/log"; ok $? "udp_drain_program_started"
kill -TERM "$SRV_PID"
wait_pid "$C" 10; ok $? "udp_drain_client_answered"
is "$(cat "$T/out")" "late hello" "udp_drain_reply_written_after_sigterm_reaches_the_peer"
wait_pid "$SRV_PID" 10; ok $? "udp_drain_exits_0_once_no_relay_is_left"
like "$(cat "$T/log")" 'leaving on signal: relaying for the programs running until they are done' "udp_drain_says_so"
done_testing
