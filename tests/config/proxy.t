#!/bin/bash
# minetd-sup -t on the PROXY keys (proxy, proxy_from, proxy_untrusted,
# proxy_timeout): they become minetd-tcp -H -F -X -W in the chain; each
# bad value or combination is "file:line: reason", exit 100.
. "$(dirname "$0")/../lib.sh"
SUP=$B/minetd-sup
EX=$B/examples
F=$T/c.conf

. "$(dirname "$0")/check.sh"

chain "service e 127.0.0.1:7000 0 proxy=v2 proxy_from=10.0.0.0/8,2001:db8::/32 $EX/echo-server" \
  "/B/minetd-tcp -H v2 -F 10.0.0.0/8,2001:db8::/32 127.0.0.1 7000 $EX/echo-server" "conf_proxy_keys_become_minetd_tcp_H_F"
chain "service e 127.0.0.1:7000 0 proxy=any proxy_from=127.0.0.1 proxy_untrusted=refuse proxy_timeout=2 persource=3 $EX/echo-server" \
  "/B/minetd-tcp -C 3 -H any -F 127.0.0.1 -X -W 2 127.0.0.1 7000 $EX/echo-server" "conf_proxy_untrusted_refuse_and_timeout"
chain "service e 127.0.0.1:7000 0 proxy=v1 proxy_from=127.0.0.1 proxy_untrusted=serve internal:echo" \
  "/B/minetd-tcp -H v1 -F 127.0.0.1 127.0.0.1 7000 /B/minetd-internal echo" "conf_proxy_untrusted_serve_is_the_default"
err conf_proxy_bad_version "service e 127.0.0.1:7000 0 proxy=v3 proxy_from=127.0.0.1 $EX/echo-server" 'invalid proxy="v3": expected v1, v2 or any'
err conf_proxy_without_from "service e 127.0.0.1:7000 0 proxy=v1 $EX/echo-server" "proxy= needs proxy_from=: a PROXY header is read only from the balancers' prefixes"
err conf_proxy_from_without_proxy "service e 127.0.0.1:7000 0 proxy_from=127.0.0.1 $EX/echo-server" 'proxy_from= needs proxy=: which header the balancers send (v1, v2 or any)'
err conf_proxy_timeout_without_proxy "service e 127.0.0.1:7000 0 proxy_timeout=3 $EX/echo-server" 'proxy_timeout= needs proxy=: no PROXY header is read without it'
err conf_proxy_bad_prefix "service e 127.0.0.1:7000 0 proxy=v1 proxy_from=10.0.0.1/8 $EX/echo-server" 'invalid proxy_from="10.0.0.1/8": address has bits set past the prefix length'
err conf_proxy_empty_prefix "service e 127.0.0.1:7000 0 proxy=v1 proxy_from=10.0.0.0/8,,1.2.3.4 $EX/echo-server" 'invalid proxy_from="10.0.0.0/8,,1.2.3.4": expected PREFIX[,PREFIX...]'
err conf_proxy_bad_untrusted "service e 127.0.0.1:7000 0 proxy=v1 proxy_from=127.0.0.1 proxy_untrusted=drop $EX/echo-server" 'invalid proxy_untrusted="drop": expected serve (as without a balancer) or refuse'
err conf_proxy_timeout_zero "service e 127.0.0.1:7000 0 proxy=v1 proxy_from=127.0.0.1 proxy_timeout=0 $EX/echo-server" 'invalid proxy_timeout="0": expected an integer from 1 to 3600'
err conf_proxy_udp "service e 127.0.0.1:7000/udp 0 proxy=v1 proxy_from=127.0.0.1 $EX/echo-server" 'proxy= applies only to a tcp service with wait=no: a datagram carries no PROXY header'
err conf_proxy_wait "service e 127.0.0.1:7000 0 wait=yes proxy=v1 proxy_from=127.0.0.1 $EX/echo-server" 'proxy= applies only to a tcp service with wait=no: with wait=yes the program accepts the connections, minetd-tcp never reads from them'
many=$(for i in $(seq 33); do printf '10.0.%s.0/24,' "$i"; done); many=${many%,}
check "service e 127.0.0.1:7000 0 proxy=v1 proxy_from=$many $EX/echo-server"
like "$RC/$OUT" "^100/.*:1: invalid proxy_from=\".*\": at most 32 prefixes" conf_proxy_from_at_most_32
# what -t accepts, minetd-tcp accepts: the options of the chain it prints
check "service e 127.0.0.1:7000 0 proxy=any proxy_from=127.0.0.1,::1/128 proxy_untrusted=refuse proxy_timeout=1 $EX/echo-server"
opts=$(printf '%s\n' "$OUT" | grep -v '^#' | sed 's|^/B/minetd-tcp \(.*\) 127.0.0.1 7000 .*|\1|')
is "$opts" "-H any -F 127.0.0.1,::1/128 -X -W 1" conf_proxy_chain_options
start_tcp "$T/err" $opts 127.0.0.1 0 "$EX/echo-server"; ok $? conf_proxy_chain_options_start_minetd_tcp
done_testing
