#!/bin/bash
# minetd-rate under ucspi-tcp's tcpserver: at most N connections admitted in
# any window of T seconds, the excess refused with the message, the service
# never disabled, and the limit exact under concurrent processes.
. "$(dirname "$0")/../lib.sh"
R=$B/minetd-rate
HELLO=$B/examples/hello-server

# start_tcpserver LOG ARGS...: tcpserver -1 on 127.0.0.1 port 0; sets PORT, SRV_PID.
start_tcpserver() {
  local log=$1 fifo=$T/port.$RANDOM; shift
  mkfifo "$fifo"
  tcpserver -R -H -l0 -1 127.0.0.1 0 "$@" >"$fifo" 2>>"$log" &
  SRV_PID=$!; PIDS+=("$SRV_PID")
  PORT=; read -r -t 10 PORT <"$fifo"; rm -f "$fifo"
  [ -n "$PORT" ]
}
count() { printf '%s\n' "$1" | grep -c -- "$2"; }

start_tcpserver "$T/log" "$R" -n 3 -w 4 -f "$T/state" -m '421 busy\r\n' "$HELLO"
ok $? "rate_runs_under_tcpserver"
t0=$(date +%s.%N)
out=
for i in 1 2 3 4 5 6 7 8 9; do out+=$(fetch 127.0.0.1 "$PORT")$'\n'; done
# exact only if the burst fit in the window: on a loaded machine (or the
# sanitized build) nine connections through tcpserver can outlast 4 s
if awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { exit !(b - a < 3.5) }'; then
  is "$(count "$out" '^hello 127')" 3 "rate_burst_of_3N_admits_exactly_N"
  is "$(count "$out" '^421 busy'$'\r''$')" 6 "rate_excess_gets_refusal_message_with_crlf"
else
  skip "rate_burst_of_3N_admits_exactly_N: the burst outlasted the window (machine loaded)"
  like "$out" '421 busy'$'\r' "rate_excess_gets_refusal_message_with_crlf"
fi
# Inside the window only if the burst was faster than the window: on a
# loaded machine ten connections through tcpserver can take seconds.
out=$(fetch 127.0.0.1 "$PORT")
if awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { exit !(b - a < 3.5) }'; then
  like "$out" '^421 busy' "rate_still_refused_inside_window"
else
  skip "rate_still_refused_inside_window: the burst outlasted the window (machine loaded)"
fi
admitted_again() { fetch 127.0.0.1 "$PORT" | grep -q '^hello'; }
wait_until 10 admitted_again
ok $? "rate_admits_again_after_window"
t1=$(date +%s.%N)
ok "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print (b - a >= 4.0) ? 0 : 1 }')" "rate_readmission_not_before_window_elapsed"
is "$(ls -l "$T/state" | cut -c1-10)" "-rw-------" "rate_state_file_created_0600"
stop "$SRV_PID"

# The limit holds when many processes decide at the same moment (locking).
start_tcpserver "$T/log2" "$R" -n 10 -w 60 -f "$T/state2" "$HELLO"
CLIENTS=()
# each client waits up to 30 s for its answer: 30 processes deciding at
# once on two loaded cores can take longer than fetch's 5 s
for i in $(seq 30); do timeout 40 socat -t 30 - "TCP:127.0.0.1:$PORT" </dev/null >"$T/par.$i" 2>/dev/null & CLIENTS+=($!); done
wait "${CLIENTS[@]}"
is "$(cat "$T"/par.* | grep -c '^hello')" 10 "rate_30_concurrent_connections_admit_exactly_10"
stop "$SRV_PID"

# Standalone processes racing on one file, no network: exactly N run.
export TCPREMOTEIP=10.0.0.1
CLIENTS=()
for i in $(seq 40); do "$R" -n 7 -f "$T/state3" echo admitted >"$T/race.$i" 2>/dev/null & CLIENTS+=($!); done
wait "${CLIENTS[@]}"
is "$(cat "$T"/race.* | grep -c '^admitted')" 7 "rate_40_racing_processes_admit_exactly_7"
done_testing
