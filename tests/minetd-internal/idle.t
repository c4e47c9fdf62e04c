#!/bin/bash
# minetd-internal -t: a client that neither sends nor reads is closed once
# idle, whatever the service; echo to a client that sends and never reads
# holds a bounded buffer and stops reading, so it neither deadlocks nor
# grows: the idle deadline closes it.
. "$(dirname "$0")/../lib.sh"
MI=$B/minetd-internal

# client.py PORT: connects, sends without reading until the send blocks
# for 1 s, prints the bytes sent, then holds the connection for 10 s
# without reading.
cat >"$T/client.py" <<'PY'
import socket, sys, time, select
c = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
c.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
c.setblocking(False)
sent = 0
block = b"x" * 65536
while sent < 200 << 20:
    if not select.select([], [c], [], 1)[1]: break
    try: sent += c.send(block)
    except BlockingIOError: pass
print("sent", sent, flush=True)
time.sleep(10)
PY

# A client (this shell) that connects, then neither sends nor reads.
for svc in echo discard chargen; do
  start_tcp "$T/$svc.log" -v 127.0.0.1 0 "$MI" -t 1 "$svc"
  exec 7<>"/dev/tcp/127.0.0.1/$PORT"
  SECONDS=0
  wait_until 8 grep -q 'end .* exit 0' "$T/$svc.log"; ok $? "internal_${svc}_idle_client_closed_process_exits_0"
  note "$svc: closed after about $SECONDS s"
  [ "$SECONDS" -ge 1 ] && [ "$SECONDS" -le 4 ]; ok $? "internal_${svc}_idle_close_after_about_t_seconds"
  grep -q "minetd-internal: info: closing the connection: idle for 1 s" "$T/$svc.log"; ok $? "internal_${svc}_idle_close_is_logged"
  exec 7>&-
  stop "$SRV_PID"
done

start_tcp "$T/flood.log" -v 127.0.0.1 0 "$MI" -t 2 echo
start_bg python3 "$T/client.py" "$PORT" >"$T/flood.out"
wait_until 20 grep -q sent "$T/flood.out"
note "$(cat "$T/flood.out")"
sent=$(awk '/^sent/ {print $2}' "$T/flood.out")
[ -n "$sent" ] && [ "$sent" -lt $((32 << 20)) ]; ok $? "internal_echo_to_client_that_never_reads_stops_reading"
SECONDS=0
wait_until 8 grep -q 'end .* exit 0' "$T/flood.log"; ok $? "internal_echo_flood_closed_by_idle_deadline"
[ "$SECONDS" -le 5 ]; ok $? "internal_echo_flood_closed_within_idle"
stop "$SRV_PID"

# the default: 300 s, so a client quiet for 2 s is still served
start_tcp "$T/default.log" 127.0.0.1 0 "$MI" echo
is "$( (sleep 2; echo late) | timeout 10 nc -N 127.0.0.1 "$PORT")" "late" "internal_default_idle_is_longer_than_2s"
stop "$SRV_PID"
done_testing
