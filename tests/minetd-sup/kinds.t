#!/bin/bash
# minetd-sup with the real programs of each new kind: minetd-udp in wait
# mode and nowait mode (a UDP and a TCP service on one port; reload under
# a client loop; a running wait-mode program is never killed by a
# reload), minetd-internal over TCP and UDP, minetd-tcp -w with the
# listener on fd 0 and by socket activation. Each part skips, saying which
# program is missing, until that program is built.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/sup.sh"

have_udp=1 have_internal=1 have_wait=1
[ -x "$B/minetd-udp" ] || have_udp=0
[ -x "$B/minetd-internal" ] || have_internal=0
# minetd-tcp without wait mode says "unknown option -w"
"$B/minetd-tcp" -w 2>&1 | grep -q 'unknown option -w' && have_wait=0

free_ports 7; set -- $PORTS; P1=$1 P2=$2 P3=$3 P4=$4 P5=$5 P6=$6 P7=$7
conf() { printf '%s\n' "$@" >"$T/conf.new" && mv "$T/conf.new" "$T/conf"; }
SA=$B/tools/udpstandin   # a UDP program: answers "PID DATA" on the socket it is given
export STANDIN_LOG=$T/standin.log

if [ $have_udp = 1 ]; then
  TCP="service echo 127.0.0.1:$P1 0 $EX/echo-server"
  UW="service uwait 127.0.0.1:$P1/udp 0 $SA one"
  UN="service unowait 127.0.0.1:$P2/udp 0 wait=no idle=5 maxconn=4 /bin/cat"
  conf "$TCP" "$UW" "$UN"
  start_sup "$T/log" "$T/conf"; ok $? "sup_real_udp_started"
  is "$(fetch 127.0.0.1 "$P1" ping)" ping "sup_real_tcp_beside_udp_same_port"
  r=$(udp_ask 127.0.0.1 "$P1" hi)
  like "$r" "^[0-9]+ hi$" "sup_real_udp_wait_program_answers"
  prog=${r%% *}
  ok $([ -n "$prog" ] && [ "$prog" != "$(chain_pid uwait)" ] && echo 0 || echo 1) "sup_real_udp_wait_program_is_not_the_launcher"
  is "$(udp_ask 127.0.0.1 "$P1" again)" "$prog again" "sup_real_udp_wait_one_program_serves_the_socket"
  # nowait: each peer its own process; cat echoes each message
  is "$(udp_ask 127.0.0.1 "$P2" peer1)" peer1 "sup_real_udp_nowait_first_peer_echoed"
  is "$(udp_ask 127.0.0.1 "$P2" peer2)" peer2 "sup_real_udp_nowait_second_peer_echoed"
  like "$("$SUP" --status -p "$T/pid" -R "$T/run")" "uwait +127.0.0.1:$P1/udp +running" "sup_real_udp_status"

  # reloads under a client loop on the nowait service; the wait-mode
  # service changed too: its running program is never killed
  udp_hammer "$P2" "$T/h" "$T/stop" same
  wait_until 15 test -e "$T/h.started"; ok $? "sup_udp_client_loop_served_before_reloads"
  for i in 1 2 3 4; do
    if [ $((i % 2)) = 1 ]; then conf "$TCP" "service uwait 127.0.0.1:$P1/udp 0 $SA two" "service unowait 127.0.0.1:$P2/udp 0 wait=no idle=6 /bin/cat" "service uadded 127.0.0.1:$P3/udp 0 $SA"
    else conf "$TCP" "$UW" "$UN"
    fi
    reload_and_wait "$T/log" || break
    sleep 0.1
  done
  touch "$T/stop"; wait "$HAMMER_PID"
  read -r _ okn _ failn <"$T/h"
  note "udp nowait service through 4 reloads: $okn answered, $failn lost"
  is "$failn" 0 "sup_real_udp_reloads_nothing_lost"
  ok $([ "$okn" -gt 4 ] && echo 0 || echo 1) "sup_real_udp_hammer_served"
  kill -0 "$prog" 2>/dev/null; ok $? "sup_real_reload_never_kills_running_wait_program"
  kill -TERM "$prog" 2>/dev/null
  is "$(udp_ask 127.0.0.1 "$P3" x)" "" "sup_real_udp_removed_service_answers_nothing"
  wait_until 5 sh -c "\"$B/tools/udpask\" 127.0.0.1 $P1 after 500 >/dev/null"; ok $? "sup_real_udp_wait_served_again_after_its_program_exits"
  stop "$SUP_PID"; ok $? "sup_real_udp_stopped"
else
  skip "minetd-udp not built: the UDP services under the real minetd-udp (tests/minetd-sup/udp.t tests minetd-sup's side with a stand-in)"
fi

if [ $have_internal = 1 ]; then
  conf "service day 127.0.0.1:$P4 0 internal:daytime" "service ech 127.0.0.1:$P5 0 idle=5 internal:echo" \
    "$([ $have_udp = 1 ] && echo "service uday 127.0.0.1:$P4/udp 0 internal:daytime")"
  start_sup "$T/log2" "$T/conf"; ok $? "sup_internal_started"
  like "$(fetch 127.0.0.1 "$P4")" '^[A-Z][a-z][a-z] [A-Z][a-z][a-z] [ 0-9][0-9] [0-9:]{8} [0-9]{4}' "sup_internal_daytime_over_tcp"
  is "$(fetch 127.0.0.1 "$P5" echoed)" echoed "sup_internal_echo_over_tcp"
  if [ $have_udp = 1 ]; then
    like "$(udp_ask 127.0.0.1 "$P4" x)" '^[A-Z][a-z][a-z] [A-Z][a-z][a-z] ' "sup_internal_daytime_over_udp"
  else
    skip "minetd-udp not built: internal:daytime over UDP"
  fi
  stop "$SUP_PID"
else
  skip "minetd-internal not built: internal services under minetd-sup"
fi

if [ $have_wait = 1 ]; then
  # a wait-mode daemon: accepts one connection on the socket it is given
  # (fd 0, or fd 3 with LISTEN_FDS=1 and its own pid in LISTEN_PID), says
  # how it got it, and exits
  cat >"$T/waitd" <<'PY'
#!/usr/bin/env python3
import os, socket
if os.environ.get("LISTEN_FDS") == "1" and os.environ.get("LISTEN_PID") == str(os.getpid()):
    how, fd = "systemd", 3
else:
    how, fd = "inetd", 0
s = socket.socket(fileno=fd)
open(os.environ["WAITD_MARK"], "a").write("started %d\n" % os.getpid())
c, _ = s.accept()
c.sendall(("%s %d\n" % (how, os.getpid())).encode())
c.close()
PY
  chmod +x "$T/waitd"
  export WAITD_MARK=$T/waitd.mark
  conf "service wi 127.0.0.1:$P5 0 wait=yes $T/waitd" "service ws 127.0.0.1:$P6 0 wait=yes activation=systemd $T/waitd"
  start_sup "$T/log3" "$T/conf"; ok $? "sup_tcp_wait_started"
  sleep 0.3
  [ ! -e "$WAITD_MARK" ]; ok $? "sup_tcp_wait_program_not_started_before_a_connection"
  like "$(fetch 127.0.0.1 "$P5")" "^inetd [0-9]+$" "sup_tcp_wait_listener_on_fd0"
  like "$(fetch 127.0.0.1 "$P6")" "^systemd [0-9]+$" "sup_tcp_wait_socket_activation"
  like "$(fetch 127.0.0.1 "$P5")" "^inetd [0-9]+$" "sup_tcp_wait_started_again_after_exit"
  stop "$SUP_PID"

  # A reload that changes a wait-mode service never kills its running
  # program: the old chain's minetd-tcp -w leaves it serving, the new one
  # watches the same listener, and connections go on being served.
  WD="$B/tools/waitd -i 4000 $T/wl.mark"
  conf "service wl 127.0.0.1:$P7 0 wait=yes $WD"
  start_sup "$T/log4" "$T/conf"; ok $? "sup_tcp_wait_reload_started"
  first=$(fetch 127.0.0.1 "$P7")
  like "$first" '^waitd pid [0-9]+ conn 1 ' "sup_tcp_wait_reload_program_running"
  wpid=$(echo "$first" | awk '{print $3}')
  conf "service wl 127.0.0.1:$P7 0 wait=yes verbose=yes $WD"
  reload_and_wait "$T/log4"; ok $? "sup_tcp_wait_reload_applied"
  kill -0 "$wpid" 2>/dev/null; ok $? "sup_tcp_wait_reload_never_kills_the_running_program"
  like "$(fetch 127.0.0.1 "$P7")" '^waitd pid [0-9]+ conn ' "sup_tcp_wait_served_after_reload"
  stop "$SUP_PID"
  kill "$wpid" 2>/dev/null
else
  skip "minetd-tcp -w not built: wait-mode TCP services under minetd-sup"
fi
done_testing
