#!/bin/bash
# IPv6 sources are grouped by prefix for -C and TCPCONNNUM: /64 by default
# (-P 64), per address with -P 128. Real clients bound to documentation
# addresses, in a network namespace of the test's own (see netns_enter).
. "$(dirname "$0")/../lib.sh"
V1=2001:db8::1            # V1, V2 and V3: one /64
V2=2001:db8::2
V3=2001:db8::8000:0:0:1   # differs from V1 at bit 65: the far end of V1's /64
W1=2001:db8:0:1::1        # the next /64, same /48
netns_enter "$V1" "$V2" "$V3" "$W1"
SVC='echo "$TCPREMOTEIP $TCPCONNNUM"; read -r line; echo "got $line"'
DST="[$V1]"

# -C 1, default -P: V1, V2 and V3 are one source; W1 is another.
start_tcp "$T/cap" -v -C 1 -r 'busy\n' :: 0 sh -c "$SVC"
ok $? "tcp6_listener_in_namespace_started"
hold HA "[$V1]" "$DST" "$PORT"
is "$(held_line HA)" "$V1 1" "tcp6_first_client_of_a_64_admitted"
is "$(fetch_from "[$V2]" "$DST" "$PORT")" "busy" "tcp6_default_prefix_groups_the_64_second_address_refused"
is "$(fetch_from "[$V3]" "$DST" "$PORT")" "busy" "tcp6_default_prefix_is_64_not_longer_far_end_of_64_refused"
hold HO "[$W1]" "$DST" "$PORT"
is "$(held_line HO)" "$W1 1" "tcp6_default_prefix_is_64_not_shorter_next_64_admitted"
like "$(grep ' refuse ' "$T/cap" | head -n 1)" "refuse \\[$V2\\]:[0-9]+ reason persource" "tcp6_refusal_logged_with_bracketed_address"
release HA x; release HO x
stop "$SRV_PID"

# TCPCONNNUM counts the connections of the client's /64, this one included;
# -C 3 refuses the fourth of a /64. On "*", IPv6 clients stay IPv6.
start_tcp "$T/num" -v -C 3 -r 'busy\n' '*' 0 sh -c "$SVC"
hold N1 "[$V1]" "$DST" "$PORT"; n1=$(held_line N1)
hold N2 "[$V2]" "$DST" "$PORT"; n2=$(held_line N2)
hold N3 "[$W1]" "$DST" "$PORT"; n3=$(held_line N3)
hold N4 "[$V3]" "$DST" "$PORT"; n4=$(held_line N4)
is "$n1|$n2|$n3|$n4" "$V1 1|$V2 2|$W1 1|$V3 3" "tcp6_tcpconnnum_counts_per_64_source"
is "$(fetch_from "[$V2]" "$DST" "$PORT")" "busy" "tcp6_persource_cap_3_refuses_fourth_of_the_64"
release N2 x
wait_until 5 grep -q "end \\[$V2\\]:" "$T/num"
hold N5 "[$V2]" "$DST" "$PORT"
is "$(held_line N5)" "$V2 3" "tcp6_tcpconnnum_drops_when_a_connection_of_the_64_ends"
release N1 x; release N3 x; release N4 x; release N5 x
stop "$SRV_PID"

# -P 128: every address is its own source.
start_tcp "$T/p128" -v -C 1 -P 128 -r 'busy\n' :: 0 sh -c "$SVC"
hold PA "[$V1]" "$DST" "$PORT"; held_line PA >/dev/null
hold PB "[$V2]" "$DST" "$PORT"
is "$(held_line PB)" "$V2 1" "tcp6_prefix_128_separates_addresses_of_a_64"
is "$(fetch_from "[$V1]" "$DST" "$PORT")" "busy" "tcp6_prefix_128_still_caps_one_address"
release PA x; release PB x
stop "$SRV_PID"

# -P 48: the next /64 is the same source.
start_tcp "$T/p48" -C 1 -P 48 -r 'busy\n' :: 0 sh -c "$SVC"
hold QA "[$V1]" "$DST" "$PORT"; held_line QA >/dev/null
is "$(fetch_from "[$W1]" "$DST" "$PORT")" "busy" "tcp6_prefix_48_groups_neighbouring_64s"
release QA x
stop "$SRV_PID"

done_testing
