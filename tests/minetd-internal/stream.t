#!/bin/bash
# minetd-internal over TCP, under minetd-tcp, against real clients (socat,
# nc) on 127.0.0.1 and ::1: echo (RFC 862), discard (863), chargen (864),
# daytime (867), time (868).
. "$(dirname "$0")/../lib.sh"
MI=$B/minetd-internal

head -c 300000 /dev/urandom >"$T/bin"
# the first lines of RFC 864's ring: 72 of the 95 printable characters
# (space to tilde), one further on each line
python3 -c '
import sys
ring = "".join(chr(c) for c in range(32, 127))
for n in range(100):
    sys.stdout.write("".join(ring[(n + i) % 95] for i in range(72)) + "\r\n")' >"$T/chargen.want"

for fam in 4 6; do
  if [ $fam = 4 ]; then H=127.0.0.1; S=127.0.0.1; else H=::1; S='[::1]'; fi
  start_tcp "$T/echo$fam.log" -v "$H" 0 "$MI" echo; EP=$PORT
  start_tcp "$T/discard$fam.log" -v "$H" 0 "$MI" discard; DP=$PORT
  start_tcp "$T/daytime$fam.log" -v "$H" 0 "$MI" daytime; YP=$PORT
  start_tcp "$T/time$fam.log" -v "$H" 0 "$MI" time; TP=$PORT
  start_tcp "$T/chargen$fam.log" -v "$H" 0 "$MI" chargen; CP=$PORT

  timeout 10 socat -t 5 - "TCP:$S:$EP" <"$T/bin" >"$T/bin.out$fam"
  cmp -s "$T/bin" "$T/bin.out$fam"; ok $? "internal_echo_ipv${fam}_binary_round_trip_socat"
  is "$(printf 'one line\n' | timeout 10 nc -N "$H" "$EP")" "one line" "internal_echo_ipv${fam}_nc"

  out=$(head -c 1048576 /dev/zero | timeout 10 socat -t 5 - "TCP:$S:$DP"; echo "rc=$?")
  is "$out" "rc=0" "internal_discard_ipv${fam}_swallows_1MB_answers_nothing_closes_cleanly"
  wait_until 5 grep -q 'end .* exit 0' "$T/discard$fam.log"; ok $? "internal_discard_ipv${fam}_exits_0_at_client_eof"

  line=$(timeout 10 socat -t 5 - "TCP:$S:$YP" </dev/null | od -An -c | tr -d ' \n')
  like "$line" '^[A-Z][a-z][a-z][A-Z][a-z][a-z][0-9]{1,2}[0-9]{2}:[0-9]{2}:[0-9]{2}[0-9]{4}\\r\\n$' "internal_daytime_ipv${fam}_one_ctime_line_crlf"
  got=$(printf 'x\n' | timeout 10 nc -N "$H" "$YP")
  like "$got" "^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ 123][0-9] [0-2][0-9]:[0-5][0-9]:[0-6][0-9] $(date +%Y)"$'\r$' "internal_daytime_ipv${fam}_nc_client_that_sends_gets_the_line"

  secs=$(timeout 10 socat -t 5 - "TCP:$S:$TP" </dev/null | od -An -tu1 | awk '{ if (NF == 4) print (($1 * 256 + $2) * 256 + $3) * 256 + $4 - 2208988800; else print "bytes", NF }')
  now=$(date +%s)
  [ -n "$secs" ] && [ "${secs#bytes}" = "$secs" ] && [ $((secs - now)) -le 2 ] && [ $((now - secs)) -le 2 ]
  ok $? "internal_time_ipv${fam}_4_bytes_since_1900_within_2s"; note "time said $secs, date says $now"

  timeout 10 nc -d "$H" "$CP" 2>/dev/null | head -n 100 >"$T/chargen.got$fam"
  cmp -s "$T/chargen.want" "$T/chargen.got$fam"; ok $? "internal_chargen_ipv${fam}_first_100_lines_are_rfc864"
  is "$(head -c 2 "$T/chargen.got$fam" | od -An -tx1 | tr -d ' ')" 2021 "internal_chargen_ipv${fam}_line0_starts_with_space_then_bang"
  wait_until 5 grep -q 'end .* exit 0' "$T/chargen$fam.log"; ok $? "internal_chargen_ipv${fam}_exits_0_when_client_aborts"
  for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null; done
done

# tcpserver (ucspi-tcp) as the launcher: the same program, no minetd-tcp
if command -v tcpserver >/dev/null; then
  start_bg tcpserver -R -H -l0 127.0.0.1 0 "$MI" echo 2>"$T/tcpserver.log"
  tp=
  wait_until 5 sh -c "ss -ltnpH 2>/dev/null | grep -q 'pid=$LAST_PID,'"
  tp=$(ss -ltnpH 2>/dev/null | grep "pid=$LAST_PID," | awk '{print $4}' | sed 's/.*://' | head -n 1)
  is "$(printf 'under tcpserver\n' | timeout 10 nc -N 127.0.0.1 "$tp")" "under tcpserver" "internal_echo_under_tcpserver"
else
  skip "internal_echo_under_tcpserver (no tcpserver)"
fi
done_testing
