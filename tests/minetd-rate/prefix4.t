#!/bin/bash
# minetd-rate's IPv4 sources are single addresses unless -p groups them
# (default 32), fused in minetd-tcp and under socat (getpeername):
# 127.0.0.2 and 127.0.0.3 differ only in the last bit.
. "$(dirname "$0")/../lib.sh"
R=$B/minetd-rate
HELLO=$B/examples/hello-server

for mode in fused socat; do
  case $mode in
    fused) start_tcp "$T/$mode" 127.0.0.1 0 "$R" -v -s 1 -f "$T/$mode.state" -m 'no\n' "$HELLO" ;;
    socat) start_socat "$T/$mode" TCP4-LISTEN:0,bind=127.0.0.1 "$R -v -s 1 -f $T/$mode.state -m no\\n $HELLO" && PORT=$SPORT SRV_PID=$LAST_PID ;;
  esac
  like "$(fetch_from 127.0.0.2 127.0.0.1 "$PORT")" '^hello' "rate4_${mode}_first_from_address_admitted"
  is "$(fetch_from 127.0.0.2 127.0.0.1 "$PORT")" "no" "rate4_${mode}_second_from_address_refused"
  like "$(fetch_from 127.0.0.3 127.0.0.1 "$PORT")" '^hello' "rate4_${mode}_default_prefix_is_32_neighbour_admitted"
  like "$(grep 'admit 127.0.0.3 ' "$T/$mode")" 'source 127\.0\.0\.3/32 1/1' "rate4_${mode}_source_logged_as_slash_32"
  stop "$SRV_PID"
done

start_tcp "$T/p31" 127.0.0.1 0 "$R" -s 1 -p 31 -f "$T/p31.state" -m 'no\n' "$HELLO"
fetch_from 127.0.0.2 127.0.0.1 "$PORT" >/dev/null
is "$(fetch_from 127.0.0.3 127.0.0.1 "$PORT")" "no" "rate4_prefix_31_groups_neighbour_addresses"
stop "$SRV_PID"

done_testing
