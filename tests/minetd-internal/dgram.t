#!/bin/bash
# minetd-internal on a datagram socket (inetd's "dgram udp wait", as
# minetd-udp runs it): discard, daytime and time answer every datagram, to
# its source, from the address it was sent to; exit once idle; echo and
# chargen refuse (reflection, amplification); no answer to ports < 1024.
. "$(dirname "$0")/../lib.sh"
MI=$B/minetd-internal

# udpfd [-p] HOST CMD... (tests/tools): binds a UDP socket on HOST port 0
# (-p: with IP_PKTINFO), prints the port, execs CMD with it on fds 0 and 1.
UDPFD=$B/tools/udpfd
# ask HOST PORT [SOCAT-OPTIONS]: one datagram, the answer (if any) on
# stdout. socat's UDP socket is connected: an answer from another address
# than HOST would not be read.
ask() { printf 'what time is it?\n' | timeout 5 socat -t 0.5 - "UDP:$1:$2${3:+,$3}" 2>/dev/null; }
# answer HOST PORT: the same, returning as soon as the answer comes
answer() { "$B/tools/udpask" "$1" "$2" 'what time is it?' 3000; }
bytes() { od -An -tu1 | tr -s ' \n' ' ' | sed 's/^ //; s/ $//'; }
seconds() { awk '{ if (NF == 4) print (($1 * 256 + $2) * 256 + $3) * 256 + $4 - 2208988800 }'; }
DAYTIME='^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ 123][0-9] [0-2][0-9]:[0-5][0-9]:[0-6][0-9] [0-9]{4}'$'\r$'

for H in 127.0.0.1 ::1; do
  case $H in *:*) S="[$H]";; *) S=$H;; esac
  start_port "$T/daytime.log" "$UDPFD" "$H" "$MI" -t 2 daytime
  n=0; for i in 1 2 3; do like "$(answer "$H" "$PORT")" "$DAYTIME" "internal_udp_daytime_answer_${i}_is_a_ctime_line_$H"; done
  SECONDS=0
  wait_pid "$SRV_PID" 10; rc=$?
  is "$rc" 0 "internal_udp_daytime_exits_0_when_idle_$H"
  [ "$SECONDS" -ge 1 ] && [ "$SECONDS" -le 4 ]; ok $? "internal_udp_exits_after_t_seconds_without_datagram_$H"

  start_port "$T/time.log" "$UDPFD" "$H" "$MI" -t 10 time
  for i in 1 2; do
    got=$(answer "$H" "$PORT" | bytes)
    secs=$(echo "$got" | seconds); now=$(date +%s)
    [ -n "$secs" ] && [ $((secs - now)) -le 2 ] && [ $((now - secs)) -le 2 ]; ok $? "internal_udp_time_answer_${i}_4_bytes_within_2s_$H"
  done
  stop "$SRV_PID"

  start_port "$T/discard.log" "$UDPFD" "$H" "$MI" -t 10 discard
  is "$(ask "$S" "$PORT"; ask "$S" "$PORT")" "" "internal_udp_discard_answers_nothing_$H"
  kill -0 "$SRV_PID"; ok $? "internal_udp_discard_still_running_after_datagrams_$H"
  stop "$SRV_PID"
done

# With IP_PKTINFO (minetd-udp sets it), the answer leaves from the address
# the datagram was sent to, not the route's choice: on a wildcard bind, a
# datagram from 127.0.0.1 to 127.0.0.2 is answered from 127.0.0.2.
start_port "$T/pkt.log" "$UDPFD" -p 0.0.0.0 "$MI" -t 10 daytime
like "$(ask 127.0.0.2 "$PORT" bind=127.0.0.1)" "$DAYTIME" "internal_udp_answers_from_the_address_asked_with_pktinfo"
stop "$SRV_PID"

# No answer to a source port below 1024 (another service, or forged:
# two services answering each other forever), with one warning.
if [ "$(id -u)" = 0 ]; then
  start_port "$T/low.log" "$UDPFD" 127.0.0.1 "$MI" -t 10 time
  is "$(ask 127.0.0.1 "$PORT" sourceport=13; ask 127.0.0.1 "$PORT" sourceport=13)" "" "internal_udp_no_answer_to_source_port_below_1024"
  is "$(answer 127.0.0.1 "$PORT" | bytes | wc -w)" 4 "internal_udp_still_answers_other_ports"
  stop "$SRV_PID"
  is "$(grep -c 'no answer to a datagram from port 13: below 1024' "$T/low.log")" 1 "internal_udp_low_port_warned_once"
else
  skip "internal_udp_no_answer_to_source_port_below_1024 (needs root to bind port 13)"
fi

# echo and chargen refuse a datagram socket: exit 100, one line, the reason
for svc in echo chargen; do
  "$UDPFD" 127.0.0.1 "$MI" "$svc" >/dev/null 2>"$T/$svc.err"; rc=$?
  is "$rc" 100 "internal_udp_${svc}_refused_exit_100"
  is "$(cat "$T/$svc.err")" "minetd-internal: fatal: $svc over a datagram socket would answer forged sources (reflection and amplification): TCP only" "internal_udp_${svc}_refusal_says_why"
done
done_testing
