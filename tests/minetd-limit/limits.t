#!/bin/bash
# Each limit as the connection's process sees it (/proc/$$/limits, stat,
# status, its environment), with minetd-limit run as an exec link by
# minetd-tcp -E and by ucspi-tcp's tcpserver: both give the same view.
. "$(dirname "$0")/../lib.sh"

# what the connection's shell sees of itself (a copy: the checkout may be
# out of reach of other users)
cp "$ROOT/tests/minetd-limit/limitprobe" "$T/probe" && chmod 755 "$T/probe"

. "$ROOT/tests/minetd-limit/probe.sh"
OPTS=("${LIMIT_OPTS[@]}")
want=$(limit_want unset "$(id -u):$(id -g)")
export KEEP=kept DROP=dropped

start_tcp "$T/tcp.log" -E 127.0.0.1 0 "$B/minetd-limit" "${OPTS[@]}" "$T/probe"; ok $? "minetd_tcp_started"
got=$(fetch 127.0.0.1 "$PORT")
is "$got" "$want" "limits_seen_inside_the_connection_under_minetd_tcp"
stop "$SRV_PID"

# -S: a session of its own (and so a group); no -x: every variable passes
start_tcp "$T/tcp2.log" -E 127.0.0.1 0 "$B/minetd-limit" -S -n 0 -M 0 "$T/probe"; ok $? "minetd_tcp_session_started"
got=$(fetch 127.0.0.1 "$PORT")
like "$got" $'pgrp=own\nsession=own' "session_of_its_own_with_S"
like "$got" $'nice=0\n' "nice_zero"
like "$got" $'umask=0000\n' "umask_zero"
like "$got" $'nnp=0\n' "no_new_privs_not_set_without_N"
like "$got" 'KEEP=kept DROP=dropped PROTO=TCP' "without_x_every_variable_passes"
stop "$SRV_PID"

# soft only: the hard limit stays as it was
hard=$(ulimit -Hn)
start_tcp "$T/tcp3.log" -E 127.0.0.1 0 "$B/minetd-limit" -o 32 "$T/probe"; ok $? "minetd_tcp_soft_only_started"
got=$(fetch 127.0.0.1 "$PORT")
like "$got" "nofile=32:$hard"$'\n' "soft_only_keeps_the_hard_limit"
like "$got" $'pgrp=other\n' "no_group_of_its_own_by_default"
stop "$SRV_PID"

if command -v tcpserver >/dev/null; then
  fifo=$T/tport; mkfifo "$fifo"
  tcpserver -1 -R -H -l0 127.0.0.1 0 "$B/minetd-limit" "${OPTS[@]}" "$T/probe" >"$fifo" 2>>"$T/tcpserver.log" &
  TS_PID=$!; PIDS+=("$TS_PID")
  read -r -t 10 TPORT <"$fifo"
  ok $? "tcpserver_started"
  got=$(fetch 127.0.0.1 "$TPORT")
  is "$got" "$want" "limits_seen_inside_the_connection_under_tcpserver"
  stop "$TS_PID"
else
  skip "tcpserver (ucspi-tcp) not installed"
fi
done_testing
