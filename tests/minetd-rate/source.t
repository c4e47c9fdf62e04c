#!/bin/bash
# minetd-rate per-source limits: one flooding source cannot starve others,
# sources are grouped by prefix, and one state file serves an IPv4 and an
# IPv6 listener of the same service. socat is the launcher: it sets no
# TCPREMOTEIP, so minetd-rate finds the source with getpeername(0).
. "$(dirname "$0")/../lib.sh"
R=$B/minetd-rate
HELLO=$B/examples/hello-server

flood() { # flood SRC HOST PORT K: K sequential connections, prints replies
  local i; for i in $(seq "$4"); do fetch_from "$1" "$2" "$3"; echo; done
}
count() { printf '%s\n' "$1" | grep -c -- "$2"; }

start_socat "$T/s1" TCP4-LISTEN:0,bind=127.0.0.1 "$R -v -s 3 -f $T/state -m no\\n $HELLO"
ok $? "rate_runs_under_socat"
out=$(flood 127.0.0.2 127.0.0.1 "$SPORT" 10)
is "$(count "$out" '^hello')" 3 "rate_flooding_source_gets_only_its_limit"
is "$(count "$out" '^no$')" 7 "rate_flooding_source_excess_refused"
out=$(flood 127.0.0.3 127.0.0.1 "$SPORT" 5)
is "$(count "$out" '^hello')" 3 "rate_other_source_still_admitted_up_to_its_limit"
like "$(fetch_from 127.0.0.4 127.0.0.1 "$SPORT")" '^hello' "rate_third_source_unaffected"
is "$(grep -c 'admit 127.0.0.2 ' "$T/s1")" 3 "rate_log_shows_flooder_admitted_3_times"
like "$(grep 'admit 127.0.0.3' "$T/s1" | tail -n 1)" 'minetd-rate: info: admit 127\.0\.0\.3 port [0-9]+: source 127\.0\.0\.3/32 3/3 in 60s' \
  "rate_verbose_admit_line_from_getpeername"
stop "$LAST_PID"

# -p 24: the whole /24 is one source
start_socat "$T/s2" TCP4-LISTEN:0,bind=127.0.0.1 "$R -s 2 -p 24 -f $T/state24 $HELLO"
out=$(flood 127.0.0.2 127.0.0.1 "$SPORT" 1; flood 127.0.0.3 127.0.0.1 "$SPORT" 1; flood 127.0.0.4 127.0.0.1 "$SPORT" 1)
is "$(count "$out" '^hello')" 2 "rate_sources_grouped_by_v4_prefix_option"
stop "$LAST_PID"

# One service, two listeners (IPv4 and IPv6), one state file.
if [ -e /proc/net/if_inet6 ]; then
  start_socat "$T/v4" TCP4-LISTEN:0,bind=127.0.0.1 "$R -v -n 4 -w 60 -f $T/shared -m full\\n $HELLO"; P4=$SPORT
  v4pid=$LAST_PID
  start_socat "$T/v6" TCP6-LISTEN:0,bind=[::1] "$R -v -n 4 -w 60 -f $T/shared -m full\\n $HELLO"; P6=$SPORT
  v6pid=$LAST_PID
  out=$(for i in 1 2 3; do fetch 127.0.0.1 "$P4"; echo; fetch '[::1]' "$P6"; echo; done)
  is "$(count "$out" '^hello')" 4 "rate_ipv4_and_ipv6_listeners_share_one_window"
  is "$(grep -c 'admit ::1 ' "$T/v6")" 2 "rate_ipv6_listener_counted_in_shared_window"
  is "$(count "$out" '^full')" 2 "rate_shared_window_refuses_the_rest"
  stop "$v4pid"; stop "$v6pid"
else
  skip "no IPv6 loopback"; skip "no IPv6 loopback"; skip "no IPv6 loopback"
fi

# -P 48: IPv6 sources grouped by /48; ::1 alone is one source
start_socat "$T/s3" TCP6-LISTEN:0,bind=[::1] "$R -v -s 1 -P 48 -f $T/state6 $HELLO"
fetch '[::1]' "$SPORT" >/dev/null
like "$(grep 'admit ::1' "$T/s3")" 'source ::/48 1/1' "rate_ipv6_source_shown_as_its_prefix"
stop "$LAST_PID"
done_testing
