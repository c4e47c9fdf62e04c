#!/bin/bash
# minetd-rate groups IPv6 sources by /64 unless told otherwise (-P, default
# 64), whoever finds the source: fused in minetd-tcp, exec'd with
# TCPREMOTEIP, or under socat from getpeername. Real clients bound to
# documentation addresses, in a network namespace of the test's own.
. "$(dirname "$0")/../lib.sh"
V1=2001:db8::1            # V1, V2 and V3: one /64
V2=2001:db8::2
V3=2001:db8::8000:0:0:1   # differs from V1 at bit 65: the far end of V1's /64
W1=2001:db8:0:1::1        # the next /64, same /48
netns_enter "$V1" "$V2" "$V3" "$W1"
R=$B/minetd-rate
HELLO=$B/examples/hello-server
DST="[$V1]"

from() { fetch_from "[$1]" "$DST" "$PORT"; }

for mode in fused exec socat; do
  case $mode in
    fused) start_tcp "$T/$mode" :: 0 "$R" -v -s 1 -f "$T/$mode.state" -m 'no\n' "$HELLO" ;;
    exec) start_tcp "$T/$mode" -E :: 0 "$R" -v -s 1 -f "$T/$mode.state" -m 'no\n' "$HELLO" ;;
    socat) start_socat "$T/$mode" 'TCP6-LISTEN:0,bind=[::]' "$R -v -s 1 -f $T/$mode.state -m no\\n $HELLO" && PORT=$SPORT SRV_PID=$LAST_PID ;;
  esac
  ok $? "rate6_${mode}_started_in_namespace"
  # hello-server greets $TCPREMOTEIP, which socat does not set
  hello1="^hello $V1 " hello2="^hello $W1 "; [ $mode = socat ] && hello1='^hello ' hello2='^hello '
  like "$(from "$V1")" "$hello1" "rate6_${mode}_first_of_a_64_admitted"
  is "$(from "$V2")" "no" "rate6_${mode}_default_prefix_groups_the_64_second_address_refused"
  is "$(from "$V3")" "no" "rate6_${mode}_default_prefix_is_64_not_longer_far_end_refused"
  like "$(from "$W1")" "$hello2" "rate6_${mode}_default_prefix_is_64_not_shorter_next_64_admitted"
  like "$(grep "admit $V1 " "$T/$mode")" "source 2001:db8::/64 1/1" "rate6_${mode}_source_logged_as_its_64"
  stop "$SRV_PID"
done

# -P 128: every address is its own source; -P 48: the next /64 is not.
start_tcp "$T/p128" :: 0 "$R" -v -s 1 -P 128 -f "$T/p128.state" -m 'no\n' "$HELLO"
from "$V1" >/dev/null
like "$(from "$V2")" "^hello $V2 " "rate6_prefix_128_separates_addresses_of_a_64"
is "$(from "$V1")" "no" "rate6_prefix_128_still_limits_one_address"
like "$(grep "admit $V2 " "$T/p128")" "source $V2/128 1/1" "rate6_prefix_128_source_logged_as_the_address"
stop "$SRV_PID"
start_tcp "$T/p48" :: 0 "$R" -s 1 -P 48 -f "$T/p48.state" -m 'no\n' "$HELLO"
from "$V1" >/dev/null
is "$(from "$W1")" "no" "rate6_prefix_48_groups_neighbouring_64s"
stop "$SRV_PID"

done_testing
