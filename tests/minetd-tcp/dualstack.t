#!/bin/bash
# On a dual-stack listener ("*"), an IPv4 client arrives as ::ffff:a.b.c.d
# and must be an IPv4 source everywhere: the per-source cap (-C, -p 32),
# the source rate of minetd-rate (-s, -p 32), the rules of minetd-env, the
# log (a.b.c.d:port, no brackets) and TCPREMOTEIP. Kept as IPv6, every
# IPv4 client would be ::/64, one source, and match no IPv4 rule.
. "$(dirname "$0")/../lib.sh"
HELLO=$B/examples/hello-server
[ -e /proc/net/if_inet6 ] || { echo "1..0 # SKIP no IPv6: no dual-stack socket"; exit 0; }
SVC='echo "$TCPREMOTEIP $TCPCONNNUM $TCPLOCALIP"; read -r line; echo "got $line"'

# -C 1: 127.0.0.2 and 127.0.0.3 are two sources, served at once.
start_tcp "$T/cap" -v -C 1 -r 'too many\n' '*' 0 sh -c "$SVC"
ok $? "dualstack_listener_started"
hold A 127.0.0.2 127.0.0.1 "$PORT"
is "$(held_line A)" "127.0.0.2 1 127.0.0.1" "dualstack_ipv4_client_env_tcpremoteip_connnum_localip_plain_ipv4"
hold B 127.0.0.3 127.0.0.1 "$PORT"
is "$(held_line B)" "127.0.0.3 1 127.0.0.1" "dualstack_persource_cap_admits_second_ipv4_source_at_once"
is "$(fetch_from 127.0.0.2 127.0.0.1 "$PORT")" "too many" "dualstack_persource_cap_refuses_same_ipv4_source"
like "$(grep ' accept ' "$T/cap" | head -n 1)" '^minetd-tcp: info: accept 127\.0\.0\.2:[0-9]+ pid [0-9]+ count 1/' \
  "dualstack_accept_logged_as_ipv4_address_colon_port"
wait_until 5 grep -q ' refuse ' "$T/cap"
like "$(grep ' refuse ' "$T/cap")" '^minetd-tcp: info: refuse 127\.0\.0\.2:[0-9]+ reason persource' "dualstack_refusal_logged_as_ipv4"
is "$(grep -c -e '\[' -e ffff "$T/cap")" 0 "dualstack_log_has_no_brackets_nor_mapped_form"
release A "a"; release B "b"
is "$(tail -n 1 "$T/A.out")" "got a" "dualstack_held_ipv4_clients_complete"
wait_until 5 grep -q 'end 127\.0\.0\.3:' "$T/cap"; ok $? "dualstack_end_logged_as_ipv4"
stop "$SRV_PID"

# minetd-rate -s 1 with the default -p 32, fused and as its own process.
for mode in fused exec; do
  flag=; [ $mode = exec ] && flag=-E
  start_tcp "$T/rate.$mode" $flag '*' 0 "$B/minetd-rate" -v -s 1 -f "$T/rate.$mode.state" -m 'slow down\n' "$HELLO"
  like "$(fetch_from 127.0.0.2 127.0.0.1 "$PORT")" '^hello 127\.0\.0\.2 ' "dualstack_rate_${mode}_first_from_source_admitted"
  is "$(fetch_from 127.0.0.2 127.0.0.1 "$PORT")" "slow down" "dualstack_rate_${mode}_second_from_same_ipv4_source_refused"
  like "$(fetch_from 127.0.0.3 127.0.0.1 "$PORT")" '^hello 127\.0\.0\.3 ' "dualstack_rate_${mode}_other_ipv4_source_admitted"
  like "$(grep 'admit 127.0.0.3' "$T/rate.$mode")" 'source 127\.0\.0\.3/32 1/1' "dualstack_rate_${mode}_source_is_ipv4_slash_32"
  stop "$SRV_PID"
done

# minetd-env rules: only 127.0.0.2/32 allowed, no match denied (-d).
printf 'allow 127.0.0.2/32\n' >"$T/rules"
for mode in fused exec; do
  flag=; [ $mode = exec ] && flag=-E
  start_tcp "$T/env.$mode" $flag '*' 0 "$B/minetd-env" -v -d -r "$T/rules" sh -c 'echo "in $TCPREMOTEIP"'
  is "$(fetch_from 127.0.0.2 127.0.0.1 "$PORT")" "in 127.0.0.2" "dualstack_rules_${mode}_ipv4_rule_allows_ipv4_client"
  is "$(fetch_from 127.0.0.3 127.0.0.1 "$PORT")" "" "dualstack_rules_${mode}_other_ipv4_client_denied"
  wait_until 5 grep -q 'deny 127' "$T/env.$mode"
  like "$(grep 'minetd-env: info:' "$T/env.$mode" | sort | tr '\n' '|')" \
    "allow 127\\.0\\.0\\.2 port [0-9]+ rule $T/rules:1\\|.*deny 127\\.0\\.0\\.3 port [0-9]+ rule default\\|" \
    "dualstack_rules_${mode}_log_names_ipv4_clients_and_rules"
  stop "$SRV_PID"
done

done_testing
