#!/bin/bash
# IPv4 sources are single addresses for -C and TCPCONNNUM unless -p groups
# them (default 32): 127.0.0.2 and 127.0.0.3 differ only in the last bit.
. "$(dirname "$0")/../lib.sh"
SVC='echo "$TCPREMOTEIP $TCPCONNNUM"; read -r line; echo "got $line"'

start_tcp "$T/cap" -v -C 1 -r 'busy\n' 127.0.0.1 0 sh -c "$SVC"
hold A 127.0.0.2 127.0.0.1 "$PORT"
is "$(held_line A)" "127.0.0.2 1" "tcp4_first_client_admitted"
hold B 127.0.0.3 127.0.0.1 "$PORT"
is "$(held_line B)" "127.0.0.3 1" "tcp4_default_prefix_is_32_neighbour_address_admitted"
is "$(fetch_from 127.0.0.2 127.0.0.1 "$PORT")" "busy" "tcp4_default_prefix_caps_one_address"
release A x; release B x
stop "$SRV_PID"

# TCPCONNNUM per address: a second connection from 127.0.0.2 is its 2nd.
start_tcp "$T/num" -v 127.0.0.1 0 sh -c "$SVC"
hold N1 127.0.0.2 127.0.0.1 "$PORT"; n1=$(held_line N1)
hold N2 127.0.0.3 127.0.0.1 "$PORT"; n2=$(held_line N2)
hold N3 127.0.0.2 127.0.0.1 "$PORT"; n3=$(held_line N3)
is "$n1|$n2|$n3" "127.0.0.2 1|127.0.0.3 1|127.0.0.2 2" "tcp4_tcpconnnum_counts_per_address_by_default"
release N1 x; release N2 x; release N3 x
stop "$SRV_PID"

# -p 31: 127.0.0.2 and 127.0.0.3 are one source.
start_tcp "$T/p31" -C 1 -p 31 -r 'busy\n' 127.0.0.1 0 sh -c "$SVC"
hold P 127.0.0.2 127.0.0.1 "$PORT"; held_line P >/dev/null
is "$(fetch_from 127.0.0.3 127.0.0.1 "$PORT")" "busy" "tcp4_prefix_31_groups_neighbour_addresses"
release P x
stop "$SRV_PID"

done_testing
