#!/bin/bash
# Reloads never refuse: a client hammering an unchanged service through 50
# reloads sees no failure, and a service whose program changes through 20
# reloads on the same port never refuses or drops a connection.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/sup.sh"

free_ports 3; set -- $PORTS; P1=$1 P2=$2 P3=$3
# hammer PORT OUT STOPFILE [SEND]: connect again and again until STOPFILE
# exists, sending SEND if given (echo); writes "ok N fail M" (a fail:
# refused, reset, or no reply at all). Services that never read get nothing
# sent, or their close would reset the connection.
hammer() {
  python3 - "$1" "$2" "$3" "${4-}" <<'PY' &
import socket, sys, os
port, out, stop, send = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4].encode()
ok = fail = 0
while not os.path.exists(stop) and ok + fail < 200000:
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        if send: s.sendall(send)
        s.shutdown(socket.SHUT_WR)
        data = b""
        while True:
            d = s.recv(4096)
            if not d: break
            data += d
        s.close()
        if data: ok += 1
        else: fail += 1
    except Exception as e:
        fail += 1
open(out, "w").write("ok %d fail %d\n" % (ok, fail))
PY
  HAMMER_PID=$!; PIDS+=("$HAMMER_PID")
}

A="service steady 127.0.0.1:$P1 0 $EX/echo-server"
B1="service other 127.0.0.1:$P3 0 $EX/daytime-server"
B2="service other 127.0.0.1:$P3 0 $EX/hello-server"
printf '%s\n' "$A" "$B1" >"$T/conf"
start_sup "$T/log" "$T/conf"; ok $? "sup_started"
steady=$(chain_pid steady)
hammer "$P1" "$T/h1" "$T/stop1" ping
for i in $(seq 1 50); do
  # every other reload also changes another service, so reloads do real work
  if [ $((i % 2)) = 0 ]; then printf '%s\n' "$A" "$B1" >"$T/conf"; else printf '%s\n' "$A" "$B2" >"$T/conf"; fi
  reload_and_wait "$T/log" || break
done
is "$(grep -c 'reloaded' "$T/log")" 50 "sup_fifty_reloads_done"
touch "$T/stop1"; wait "$HAMMER_PID"
read -r _ okn _ failn <"$T/h1"
note "unchanged service through 50 reloads: $okn ok, $failn failed"
is "$failn" 0 "sup_unchanged_service_zero_failures_through_50_reloads"
least=50; [ -n "${MINETD_SANITIZED:-}" ] && least=10  # make check-san: slower processes
ok $([ "$okn" -gt "$least" ] && echo 0 || echo 1) "sup_hammer_client_made_connections"
is "$(chain_pid steady)" "$steady" "sup_unchanged_chain_same_pid_after_50_reloads"

printf '%s\n' "$A" "service chg 127.0.0.1:$P2 0 $EX/hello-server" >"$T/conf"
reload_and_wait "$T/log"
hammer "$P2" "$T/h2" "$T/stop2"
for i in $(seq 1 20); do
  if [ $((i % 2)) = 0 ]; then prog=hello-server; else prog=daytime-server; fi
  printf '%s\n' "$A" "service chg 127.0.0.1:$P2 0 $EX/$prog" >"$T/conf"
  reload_and_wait "$T/log" || break
  sleep 0.05
done
touch "$T/stop2"; wait "$HAMMER_PID"
read -r _ okn _ failn <"$T/h2"
note "changed program through 20 reloads: $okn ok, $failn failed"
is "$failn" 0 "sup_changed_program_zero_refused_through_20_reloads"
ok $([ "$okn" -gt 20 ] && echo 0 || echo 1) "sup_changed_hammer_client_made_connections"
stop "$SUP_PID"
done_testing
