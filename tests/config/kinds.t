#!/bin/bash
# minetd-sup -t on the service kinds: HOST:PORT/udp (and /tcp), wait=,
# activation=, idle=, internal:NAME. Every form prints its chain; every
# option that does not apply to a kind is "file:line: reason", exit 100.
. "$(dirname "$0")/../lib.sh"
SUP=$B/minetd-sup
EX=$B/examples
F=$T/c.conf

. "$(dirname "$0")/check.sh"

# every existing form stays tcp, and prints as it did
chain "service e 127.0.0.1:7000 60 $EX/echo-server" \
  "/B/minetd-tcp 127.0.0.1 7000 /B/minetd-rate -n 60 -w 60 -f /run/minetd/e.rate $EX/echo-server" "conf_no_suffix_is_tcp_unchanged"
like "$OUT" "^# service e \($F:1\) on 127.0.0.1:7000;" "conf_tcp_address_shown_without_suffix"
chain "service e 127.0.0.1:7000/tcp 0 $EX/echo-server" "/B/minetd-tcp 127.0.0.1 7000 $EX/echo-server" "conf_tcp_suffix_same_as_none"

# udp: wait mode by default
chain "service tftp 127.0.0.1:69/udp 0 $EX/echo-server -s /srv" "/B/minetd-udp -w 127.0.0.1 69 $EX/echo-server -s /srv" "conf_udp_defaults_to_wait"
like "$OUT" "^# service tftp \($F:1\) on 127.0.0.1:69/udp;" "conf_udp_address_shown_with_suffix"
chain "service tftp [::1]:tftp/udp 0 $EX/echo-server" "/B/minetd-udp -w ::1 69 $EX/echo-server" "conf_udp_v6_port_name"
chain "service tftp *:69/udp 0 wait=yes activation=systemd verbose=yes $EX/echo-server" \
  "/B/minetd-udp -v -w -L '*' 69 $EX/echo-server" "conf_udp_wait_systemd_activation"
chain "service u 127.0.0.1:69/udp 0 activation=inetd $EX/echo-server" "/B/minetd-udp -w 127.0.0.1 69 $EX/echo-server" "conf_udp_activation_inetd_is_fd0"
printf 'allow 127.0.0.0/8\n' >"$T/lo.rules"
chain "service u 127.0.0.1:69/udp 30 source_rate=5 prefix4=24 rules=lo.rules $EX/echo-server" \
  "/B/minetd-udp -w 127.0.0.1 69 /B/minetd-env -r $T/lo.rules /B/minetd-rate -n 30 -w 60 -s 5 -p 24 -f /run/minetd/u.rate $EX/echo-server" \
  "conf_udp_wait_rules_and_rates_prefix_to_rate_only"
chain "service u 127.0.0.1:514/udp 0 wait=no idle=10 maxconn=8 persource=2 prefix4=24 prefix6=56 $EX/echo-server" \
  "/B/minetd-udp -n -t 10 -c 8 -C 2 -p 24 -P 56 127.0.0.1 514 $EX/echo-server" "conf_udp_nowait_caps_and_idle"

# tcp wait mode
chain "service w 127.0.0.1:8080 0 wait=yes $EX/echo-server" "/B/minetd-tcp -w 127.0.0.1 8080 $EX/echo-server" "conf_tcp_wait"
chain "service w 127.0.0.1:8080 0 wait=yes activation=systemd nodelay=yes keepalive=yes backlog=5 rules=lo.rules $EX/echo-server" \
  "/B/minetd-tcp -w -L -D -K -b 5 127.0.0.1 8080 /B/minetd-env -r $T/lo.rules $EX/echo-server" "conf_tcp_wait_systemd_no_rate_link"
chain "service w 127.0.0.1:8080 0 wait=no $EX/echo-server" "/B/minetd-tcp 127.0.0.1 8080 $EX/echo-server" "conf_tcp_wait_no_is_the_default"

# internal services: no program looked up, minetd-internal from -B
chain "service d 127.0.0.1:13 60 internal:daytime" \
  "/B/minetd-tcp 127.0.0.1 13 /B/minetd-rate -n 60 -w 60 -f /run/minetd/d.rate /B/minetd-internal daytime" "conf_internal_daytime_tcp"
chain "service c 127.0.0.1:19 0 maxconn=2 idle=20 internal:chargen" \
  "/B/minetd-tcp -c 2 127.0.0.1 19 /B/minetd-internal -t 20 chargen" "conf_internal_idle_goes_to_minetd_internal"
chain "service t 127.0.0.1:37/udp 0 idle=5 internal:time" "/B/minetd-udp -w 127.0.0.1 37 /B/minetd-internal -t 5 time" "conf_internal_time_udp_wait"
for n in echo discard daytime time chargen; do
  check "service $n 127.0.0.1:7 0 internal:$n"; is "$RC" 0 "conf_internal_${n}_tcp_accepted"
done
for n in discard daytime; do
  check "service $n 127.0.0.1:9/udp 0 internal:$n"; is "$RC" 0 "conf_internal_${n}_udp_accepted"
done
OUT=$(PATH=/nonexistent "$SUP" -t -c "$F" -R /run/minetd 2>&1); RC=$?
is "$RC" 0 "conf_internal_needs_nothing_in_path"
like "$OUT" "minetd-internal daytime" "conf_internal_without_bindir_is_a_bare_name"

# tcp and udp on one port never conflict; the same protocol does
check "service a 127.0.0.1:7000 0 $EX/echo-server
service b 127.0.0.1:7000/udp 0 $EX/echo-server
service c *:7000/udp 0 $EX/echo-server"
like "$OUT" "$F:3: duplicate address \"\*:7000/udp\": conflicts with service b at line 2" "conf_udp_same_port_conflicts_with_udp"
is "$(printf '%s\n' "$OUT" | grep -c 'duplicate address')" 1 "conf_tcp_and_udp_same_port_no_conflict"

# the errors, exact
err conf_error_udp_echo "service e 127.0.0.1:7/udp 0 internal:echo" \
  "internal:echo over UDP would answer forged sources (reflection and amplification): TCP only"
err conf_error_udp_chargen "service e *:19/udp 0 wait=yes internal:chargen" \
  "internal:chargen over UDP would answer forged sources (reflection and amplification): TCP only"
err conf_error_udp_internal_nowait "service e 127.0.0.1:13/udp 0 wait=no internal:daytime" \
  "internal:daytime over UDP needs wait=yes: minetd-internal answers every datagram on the socket itself"
err conf_error_tcp_internal_wait "service e 127.0.0.1:13 0 wait=yes internal:daytime" \
  "internal:daytime with wait=yes: minetd-internal serves one accepted connection, not a listening socket (over TCP it runs with wait=no)"
err conf_error_internal_systemd "service e 127.0.0.1:37/udp 0 activation=systemd internal:time" \
  "activation=systemd with internal:time: minetd-internal takes its socket on fd 0 (activation=inetd)"
err conf_error_internal_arguments "service e 127.0.0.1:7 0 internal:echo -x" "internal:echo takes no arguments: nothing may follow it"
err conf_error_internal_unknown "service e 127.0.0.1:17 0 internal:qotd" \
  "unknown internal service \"qotd\": expected echo, discard, daytime, time or chargen"
err conf_error_tcp_wait_rate "service e 127.0.0.1:80 60 wait=yes $EX/echo-server" \
  "max_conn_per_min 60 with wait=yes: the program accepts the connections itself, minetd-tcp never sees them (write 0)"
for k in source_rate=3 maxconn=3 persource=3 prefix4=24 prefix6=48 refuse=no stderr=yes; do
  err "conf_error_tcp_wait_${k%%=*}" "service e 127.0.0.1:80 0 wait=yes $k $EX/echo-server" \
    "${k%%=*}= does not apply to a tcp service with wait=yes: the program accepts the connections itself, minetd-tcp never sees them"
done
err conf_error_udp_nodelay "service e 127.0.0.1:69/udp 0 nodelay=yes $EX/echo-server" "nodelay= does not apply to a udp service: TCP_NODELAY is a TCP option"
err conf_error_udp_keepalive "service e 127.0.0.1:69/udp 0 keepalive=no $EX/echo-server" "keepalive= does not apply to a udp service: SO_KEEPALIVE is a TCP option"
err conf_error_udp_backlog "service e 127.0.0.1:69/udp 0 backlog=5 $EX/echo-server" "backlog= does not apply to a udp service: a UDP socket has no queue of connections"
err conf_error_udp_refuse "service e 127.0.0.1:69/udp 0 wait=no refuse=busy $EX/echo-server" \
  "refuse= does not apply to a udp service: a refused datagram is dropped, there is no connection to answer on"
err conf_error_udp_stderr "service e 127.0.0.1:69/udp 0 stderr=yes $EX/echo-server" \
  "stderr= does not apply to a udp service: there is no connection to send the program's errors to"
err conf_error_udp_wait_maxconn "service e 127.0.0.1:69/udp 0 maxconn=3 $EX/echo-server" \
  "maxconn= does not apply to a udp service with wait=yes: one program serves the socket (wait=no starts one per peer)"
err conf_error_udp_wait_persource "service e 127.0.0.1:69/udp 0 persource=3 $EX/echo-server" \
  "persource= does not apply to a udp service with wait=yes: one program serves the socket (wait=no starts one per peer)"
err conf_error_activation_tcp_nowait "service e 127.0.0.1:80 0 activation=systemd $EX/echo-server" \
  "activation= without wait=yes: only a wait-mode program is handed the socket (with wait=no each connection gets its own process)"
err conf_error_activation_udp_nowait "service e 127.0.0.1:69/udp 0 wait=no activation=inetd $EX/echo-server" \
  "activation= without wait=yes: only a wait-mode program is handed the socket (with wait=no each peer gets its own process)"
for l in "127.0.0.1:80 0" "127.0.0.1:80 0 wait=yes" "127.0.0.1:69/udp 0"; do
  err "conf_error_idle_on_${l//[^a-z0-9]/_}" "service e $l idle=5 $EX/echo-server" \
    "idle= applies only to udp services with wait=no (minetd-udp -t) and to internal services (minetd-internal -t)"
done
err conf_error_bad_protocol "service e 127.0.0.1:80/sctp 0 $EX/echo-server" \
  "invalid protocol \"sctp\" in \"127.0.0.1:80/sctp\": expected /tcp or /udp (or nothing, for tcp)"
err conf_error_bad_wait "service e 127.0.0.1:80 0 wait=sometimes $EX/echo-server" "invalid wait=\"sometimes\": expected yes or no"
err conf_error_bad_activation "service e 127.0.0.1:80 0 wait=yes activation=launchd $EX/echo-server" \
  "invalid activation=\"launchd\": expected inetd (the socket on fd 0) or systemd (LISTEN_FDS, fd 3)"
err conf_error_bad_idle "service e 127.0.0.1:69/udp 0 wait=no idle=0 $EX/echo-server" "invalid idle=\"0\": expected an integer from 1 to 86400"
err conf_error_typo_suggests_new_key "service e 127.0.0.1:69/udp 0 wiat=no $EX/echo-server" "unknown option \"wiat\" (did you mean \"wait\"?)"
err conf_error_udp_unknown_port_name "service e 127.0.0.1:nosuchport-x/udp 0 $EX/echo-server" \
  "invalid port \"nosuchport-x\": expected 1 to 65535 or a name from /etc/services"
done_testing
