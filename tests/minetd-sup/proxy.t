#!/bin/bash
# minetd-sup behind HAProxy (Debian's, run here in the foreground by PID):
# a service with proxy=v2 proxy_from=127.0.0.1 sees each client's own
# address, from 127.0.0.2 and 127.0.0.3, through send-proxy-v2; its
# rules and persource= apply to the real client; HAProxy's health checks
# (v2 LOCAL, every 100 ms) are served but hold no client's place; a
# reload that changes the service keeps it behind the balancer.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/sup.sh"
command -v haproxy >/dev/null || { echo "1..0 # SKIP no haproxy (apt-get install haproxy)"; exit 0; }

cat >"$T/svc" <<'SH'
#!/bin/sh
echo "remote $TCPREMOTEIP local $TCPLOCALIP proxy ${PROXYREMOTEIP-none}"
read -r line && echo "read $line"
SH
chmod 755 "$T/svc"
printf 'deny 127.0.0.4 msg="denied\\n"\nallow 0.0.0.0/0\n' >"$T/rules"
free_ports 2; set -- $PORTS; P=$1 F=$2
conf_write() { local f=$1; shift; printf '%s\n' "$@" >"$f.new" && mv -f "$f.new" "$f"; }
svc() { echo "service p 127.0.0.1:$P 0 proxy=v2 proxy_from=127.0.0.1 persource=1 rules=$T/rules verbose=yes $* $T/svc"; }
conf_write "$T/conf" "$(svc)"
start_sup "$T/log" "$T/conf" || { echo "Bail out! minetd-sup did not start"; exit 1; }
pass "sup_proxy_started"

haproxy_config "$T/haproxy.cfg" 100 <<CFG
listen v2
  bind 127.0.0.1:$F
  server s 127.0.0.1:$P send-proxy-v2 check check-send-proxy inter 100
CFG
start_bg sh -c 'exec haproxy -db -f "$1" >>"$2" 2>&1' haproxy "$T/haproxy.cfg" "$T/haproxy.log"; HAP=$LAST_PID
# a client that sends a line, then reads to EOF (HAProxy resets the server
# side of a client that closes at once)
via() { echo x | timeout 10 socat -t 5 - "TCP:127.0.0.1:$F,bind=$1" 2>/dev/null; }
served() { via 127.0.0.5 | grep -q '^remote 127.0.0.5 '; }
wait_until 10 served; ok $? "sup_proxy_haproxy_serving"

like "$(via 127.0.0.2)" "^remote 127\.0\.0\.2 local 127\.0\.0\.1 proxy 127\.0\.0\.1"$'\n'"read x" "sup_proxy_client_127_0_0_2_seen"
like "$(via 127.0.0.3)" "^remote 127\.0\.0\.3 local 127\.0\.0\.1 proxy 127\.0\.0\.1" "sup_proxy_client_127_0_0_3_seen"
is "$(via 127.0.0.4)" "denied" "sup_proxy_deny_rule_applies_to_the_real_client"
# persource=1: 127.0.0.2 holds its one place, its second connection gets
# nothing; 127.0.0.3 is served; HAProxy's health checks (v2 LOCAL: logged
# with the connection's own address on both sides) go on being served
# meanwhile, and none is ever refused: they hold no client's place
local_checks() { grep -cE 'accept (127\.0\.0\.1:[0-9]+) via \1 ' "$T/log"; }
hold A 127.0.0.2 127.0.0.1 "$F"
like "$(held_line A)" "^remote 127\.0\.0\.2" "sup_proxy_cap_first_served"
n0=$(local_checks)
is "$(via 127.0.0.2)" "" "sup_proxy_persource_applies_to_the_real_client"
like "$(via 127.0.0.3)" "^remote 127\.0\.0\.3" "sup_proxy_other_client_served_at_the_cap"
more_checks() { [ "$(local_checks)" -gt "$n0" ]; }
wait_until 10 more_checks; ok $? "sup_proxy_health_checks_served_while_a_client_holds_its_place"
release A

# a changed service (its refusal message) stays behind the balancer
chain=$(chain_pid p)
conf_write "$T/conf" "$(svc refuse=busy\\r\\n)"
kill -HUP "$SUP_PID"
changed() { [ -n "$(chain_pid p)" ] && [ "$(chain_pid p)" != "$chain" ]; }
wait_until 10 changed; ok $? "sup_proxy_reload_restarts_the_changed_chain"
wait_until 10 sh -c "echo x | timeout 5 socat -t 5 - TCP:127.0.0.1:$F,bind=127.0.0.6 2>/dev/null | grep -q '^remote 127.0.0.6 '"
ok $? "sup_proxy_client_seen_after_reload"

stop "$HAP"
stop "$SUP_PID"
is "$(grep -c 'refuse 127\.0\.0\.1:' "$T/log")" 0 "sup_proxy_no_health_check_refused"
done_testing
