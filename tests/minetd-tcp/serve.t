#!/bin/bash
# minetd-tcp serves over IPv4, IPv6 and dual stack, to real UCSPI/TCP clients.
. "$(dirname "$0")/../lib.sh"
HELLO=$B/examples/hello-server

start_tcp "$T/log4" 127.0.0.1 0 "$HELLO"
ok $? "tcp_listens_on_ipv4_port_0_and_prints_port"
like "$(fetch 127.0.0.1 "$PORT")" '^hello 127\.0\.0\.1 port [0-9]+' "tcp_serves_ipv4_client_with_socat"
like "$(timeout 10 tcpclient -R -H -l0 127.0.0.1 "$PORT" sh -c 'cat <&6')" '^hello 127\.0\.0\.1' "tcp_serves_tcpclient_from_ucspi_tcp"
like "$(timeout 10 nc -N 127.0.0.1 "$PORT" </dev/null)" '^hello 127\.0\.0\.1' "tcp_serves_nc_client"
like "$(exec 5<>/dev/tcp/127.0.0.1/$PORT; timeout 5 cat <&5)" '^hello 127\.0\.0\.1' "tcp_serves_bash_dev_tcp_client"
# idle, it sleeps in iopause: no deadline of any table (time limits,
# pending PROXY headers) may wake it when it has none
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
t0=$(ticks "$SRV_PID"); sleep 1; t1=$(ticks "$SRV_PID")
ok $(( t1 - t0 > 5 )) "tcp_idle_server_uses_no_cpu ($(( t1 - t0 )) ticks in 1 s)"
stop "$SRV_PID"

start_tcp "$T/log6" ::1 0 "$HELLO"
ok $? "tcp_listens_on_ipv6_loopback"
like "$(fetch '[::1]' "$PORT")" '^hello ::1 port [0-9]+' "tcp_serves_ipv6_client_with_ipv6_address"
stop "$SRV_PID"

start_tcp "$T/log6b" '[::1]' 0 "$HELLO"
ok $? "tcp_accepts_bracketed_ipv6_host"
stop "$SRV_PID"

start_tcp "$T/logdual" '*' 0 "$HELLO"
ok $? "tcp_listens_dual_stack_on_star"
like "$(fetch 127.0.0.1 "$PORT")" '^hello 127\.0\.0\.1 port' "tcp_dual_stack_shows_ipv4_client_as_plain_ipv4"
like "$(fetch '[::1]' "$PORT")" '^hello ::1 port' "tcp_dual_stack_serves_ipv6_client"
is "$(ss -ltnH "sport = :$PORT" | wc -l)" 1 "tcp_dual_stack_is_one_listener"
stop "$SRV_PID"

start_tcp "$T/log0" 0 0 "$HELLO"
ok $? "tcp_host_0_binds_all_ipv4"
like "$(fetch 127.0.0.9 "$PORT")" '^hello 127\.0\.0\.1 port' "tcp_host_0_serves_other_loopback_address"
stop "$SRV_PID"

start_tcp "$T/loglh" localhost 0 "$HELLO"
ok $? "tcp_host_localhost_binds_ipv4_loopback"
like "$(fetch 127.0.0.1 "$PORT")" '^hello' "tcp_localhost_serves"
stop "$SRV_PID"

# Port by /etc/services name: bind may fail if in use; either way not a usage error.
"$B/minetd-tcp" 127.0.0.1 no-such-service-xyz "$HELLO" 2>"$T/err"; rc=$?
is "$rc" 100 "tcp_unknown_service_name_is_usage_error"
if [ "$(id -u)" = 0 ] && ! ss -ltnH 'sport = :1' | grep -q .; then
  start_tcp "$T/logname" 127.0.0.1 tcpmux "$HELLO"
  is "$PORT" 1 "tcp_port_name_from_etc_services_is_resolved"
  stop "$SRV_PID"
else
  skip "tcp_port_name_from_etc_services_is_resolved (needs root and free port 1)"
fi

done_testing
