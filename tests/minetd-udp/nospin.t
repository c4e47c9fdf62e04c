#!/bin/bash
# Wait mode: a program that exits without reading the datagram must not
# make minetd-udp spin (start it again and again at once): it is paused,
# 100 ms doubling, logged, never disabled; once a program reads, the
# service runs as before.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/udp.sh"

# Reads only once $T/serve exists.
printf '#!/bin/sh\n[ -e %s/serve ] || exit 0\nexec %s\n' "$T" "$UPROBE" >"$T/prog"; chmod 755 "$T/prog"
start_udp "$T/log" -v 127.0.0.1 0 "$T/prog"
ok $? "udp_nospin_server_started"
# the client waits for its reply, which comes once a program reads
ask -w 12 127.0.0.1 "$PORT" waiting >"$T/reply" &
CLIENT=$!; PIDS+=("$CLIENT")
wait_until 5 grep -q 'exited without reading' "$T/log"
ok $? "udp_nospin_program_that_does_not_read_is_noticed"
t0=$(cputicks "$SRV_PID")
sleep 2
t1=$(cputicks "$SRV_PID")
ticks=$((t1 - t0))
note "minetd-udp used $ticks clock ticks in 2 s"
[ "$ticks" -lt 30 ]; ok $? "udp_nospin_minetd_udp_does_not_spin"
starts=$(grep -c 'info: start' "$T/log")
note "$starts starts"
[ "$starts" -ge 3 ] && [ "$starts" -le 8 ]; ok $? "udp_nospin_starts_again_with_growing_pauses_not_disabled"
like "$(grep 'exited without reading' "$T/log" | head -n 2 | tr '\n' ' ')" 'pausing 100 ms.*pausing 200 ms' "udp_nospin_logs_first_pause_and_each_doubling"
kill -0 "$SRV_PID"; ok $? "udp_nospin_server_still_running"

# A program that reads: the waiting datagram is served, the pauses end.
touch "$T/serve"
wait_pid "$CLIENT" 10
like "$(cat "$T/reply")" 'got=waiting$' "udp_nospin_service_resumes_when_program_reads"
wait_until 5 grep -q 'serving normally again' "$T/log"; ok $? "udp_nospin_logs_service_resumed"
like "$(ask -w 2 127.0.0.1 "$PORT" fresh)" 'got=fresh$' "udp_nospin_next_datagram_served_without_pause"
stop "$SRV_PID"

done_testing
