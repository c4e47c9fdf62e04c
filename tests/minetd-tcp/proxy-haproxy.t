#!/bin/bash
# PROXY headers from a real balancer: HAProxy (Debian's, run here in the
# foreground by PID, its config in $T) in front of minetd-tcp -H, with
# send-proxy (v1) and send-proxy-v2, clients from 127.0.0.2, .3, .4 and
# ::1. The program sees each client's own address (and the balancer's in
# PROXY*); a per-source cap, a per-source rate and a deny rule apply to
# the real client; HAProxy's v2 health checks (LOCAL) count for no
# source; a header from an untrusted source is the client's bytes; IPv6
# clients through an IPv4 balancer connection and the reverse.
. "$(dirname "$0")/../lib.sh"
command -v haproxy >/dev/null || { echo "1..0 # SKIP no haproxy (apt-get install haproxy)"; exit 0; }
LG=$B/tools/loadgen

cat >"$T/svc" <<'SH'
#!/bin/sh
echo "remote $TCPREMOTEIP:$TCPREMOTEPORT local $TCPLOCALIP:$TCPLOCALPORT proxy ${PROXYREMOTEIP-none} ${PROXYLOCALIP-none}:${PROXYLOCALPORT-none}"
read -r line && echo "read $line"
SH
chmod +x "$T/svc"
printf 'deny 127.0.0.4 msg="denied\\n"\nallow 0.0.0.0/0\nallow ::/0\n' >"$T/rules"

start_tcp "$T/log4" -v -H any -F 127.0.0.1 -C 1 -W 2 127.0.0.1 0 \
  "$B/minetd-env" -r "$T/rules" "$B/minetd-rate" -s 3 -w 60 -f "$T/rate4" "$T/svc" || { echo "Bail out! minetd-tcp"; exit 1; }
P4=$PORT TCP4=$SRV_PID
start_tcp "$T/log6" -v -H any -F ::1 ::1 0 "$T/svc" || { echo "Bail out! minetd-tcp ::1"; exit 1; }
P6=$PORT
read -r F1 F2 F3 F4 <<<"$("$LG" -F 4 | tr '\n' ' ')"

haproxy_config "$T/haproxy.cfg" 500 <<CFG
listen v1
  bind 127.0.0.1:$F1
  bind [::1]:$F1
  server s 127.0.0.1:$P4 send-proxy
listen v2
  bind 127.0.0.1:$F2
  bind [::1]:$F2
  server s 127.0.0.1:$P4 send-proxy-v2 check check-send-proxy inter 100
listen v1to6
  bind 127.0.0.1:$F3
  server s [::1]:$P6 send-proxy
listen v2to6
  bind 127.0.0.1:$F4
  server s [::1]:$P6 send-proxy-v2
CFG
start_bg haproxy -db -f "$T/haproxy.cfg"; HAP=$LAST_PID
exec 3>"$T/haproxy.log"
# via SRC HOST PORT: a client that sends a line, then reads to EOF. Not
# nothing: HAProxy resets the server side of a client that closes at once
via() { echo x | timeout 10 socat -t 5 - "TCP:$2:$3,bind=$1" 2>/dev/null; }
# ready: a client through the balancer is served
wait_until 10 sh -c "echo x | timeout 5 socat -t 5 - TCP:127.0.0.1:$F1,bind=127.0.0.5 2>/dev/null | grep -q '^remote 127.0.0.5'" \
  || { echo "Bail out! haproxy not serving"; exit 1; }

like "$(via 127.0.0.2 127.0.0.1 "$F1" | head -n 1)" "^remote 127\.0\.0\.2:[0-9]+ local 127\.0\.0\.1:$F1 proxy 127\.0\.0\.1 127\.0\.0\.1:$P4$" proxy_haproxy_v1_client_address_seen
like "$(via 127.0.0.3 127.0.0.1 "$F2")" "^remote 127\.0\.0\.3:[0-9]+ local 127\.0\.0\.1:$F2 proxy 127\.0\.0\.1 127\.0\.0\.1:$P4$" proxy_haproxy_v2_client_address_seen
like "$(grep 'accept 127.0.0.3:' "$T/log4")" "accept 127\.0\.0\.3:[0-9]+ via 127\.0\.0\.1:[0-9]+ pid" proxy_log_line_names_client_and_balancer
is "$(via 127.0.0.4 127.0.0.1 "$F1")" "denied" proxy_deny_rule_applies_to_the_real_client
like "$(via '[::1]' '[::1]' "$F1")" "^remote ::1:[0-9]+ local ::1:$F1 proxy 127\.0\.0\.1 " proxy_v1_ipv6_client_over_ipv4_connection
like "$(via '[::1]' '[::1]' "$F2")" "^remote ::1:[0-9]+ local ::1:$F2 proxy 127\.0\.0\.1 " proxy_v2_ipv6_client_over_ipv4_connection
like "$(via 127.0.0.2 127.0.0.1 "$F3")" "^remote 127\.0\.0\.2:[0-9]+ local 127\.0\.0\.1:$F3 proxy ::1 ::1:$P6$" proxy_v1_ipv4_client_over_ipv6_connection
like "$(via 127.0.0.2 127.0.0.1 "$F4")" "^remote 127\.0\.0\.2:[0-9]+ local 127\.0\.0\.1:$F4 proxy ::1 ::1:$P6$" proxy_v2_ipv4_client_over_ipv6_connection

# the program reads exactly the client's bytes, even sent with the header
out=$(printf 'PROXY TCP4 10.1.2.3 10.9.9.9 1111 80\r\nhello\n' | timeout 5 socat -t 5 - TCP:127.0.0.1:$P4,bind=127.0.0.7 2>/dev/null | tr -d '\r')
is "$(printf '%s\n' "$out" | sed 's/^remote \([^:]*\):.*/\1/')" "$(printf '127.0.0.7\nread PROXY TCP4 10.1.2.3 10.9.9.9 1111 80')" proxy_forged_header_from_untrusted_source_is_data
out=$(printf 'PROXY TCP6 2001:db8::9 ::1 2222 80\r\nafter\n' | timeout 5 socat -t 5 - TCP:[::1]:$P6 2>/dev/null)
is "$(printf '%s\n' "$out" | sed 's/^remote \([^ ]*\) .*/\1/;s/^read //')" "$(printf '2001:db8::9:2222\nafter')" proxy_client_bytes_after_header_reach_the_program

# per-source cap: 127.0.0.2 holds one, its second is refused, 127.0.0.3 is served
hold A 127.0.0.2 127.0.0.1 "$F1"
like "$(held_line A)" "^remote 127\.0\.0\.2" proxy_cap_first_connection_served
is "$(via 127.0.0.2 127.0.0.1 "$F2")" "" proxy_cap_applies_to_the_real_client
like "$(via 127.0.0.3 127.0.0.1 "$F1")" "^remote 127\.0\.0\.3" proxy_cap_other_client_served
# health checks (v2 LOCAL): the balancer's address, served while a
# client forged to be the balancer itself holds its source's one slot
hold B 127.0.0.1 127.0.0.1 "$P4"
printf 'PROXY TCP4 127.0.0.1 127.0.0.1 9 9\r\n' >&"$B_FD"
like "$(held_line B)" "^remote 127\.0\.0\.1:9 " proxy_balancer_address_slot_held
n0=$(grep -c 'accept 127\.0\.0\.1:[0-9]* via 127\.0\.0\.1' "$T/log4")
wait_until 5 sh -c "[ \$(grep -c 'accept 127\.0\.0\.1:[0-9]* via 127\.0\.0\.1' '$T/log4') -ge $((n0 + 3)) ]"
ok $? proxy_health_checks_served_with_the_balancer_address
is "$(grep -c 'refuse 127\.0\.0\.1' "$T/log4")" 0 proxy_health_checks_not_in_the_per_source_cap
is "$(grep -c 'minetd-rate.*127\.0\.0\.1' "$T/log4")" 0 proxy_health_checks_not_in_the_per_source_rate
release A bye; release B bye
# per-source rate (3 a minute): 127.0.0.3's fourth is refused, .5 is served
via 127.0.0.3 127.0.0.1 "$F1" >/dev/null
is "$(via 127.0.0.3 127.0.0.1 "$F2")" "" proxy_rate_applies_to_the_real_client
like "$(via 127.0.0.6 127.0.0.1 "$F2")" "^remote 127\.0\.0\.6" proxy_rate_other_client_served
stop "$HAP"
[ -n "${PROXY_DEBUG:-}" ] && sed "s/^/# /" "$T/log4" >&2
done_testing
