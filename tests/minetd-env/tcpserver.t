#!/bin/bash
# minetd-env standalone under ucspi-tcp's tcpserver: it computes the same
# UCSPI variables tcpserver set, from the socket on fd 0; rules apply.
. "$(dirname "$0")/../lib.sh"
command -v tcpserver >/dev/null || { skip "tcpserver (ucspi-tcp) not installed"; done_testing; exit; }

var() { # var NAME TEXT: the value of NAME in env output, or <unset>
  local line
  line=$(printf '%s\n' "$2" | grep -m1 "^$1=") || { echo '<unset>'; return; }
  echo "${line#*=}"
}
# start_tcpserver LOG ARGS...: tcpserver -1 prints its port once bound. Sets TPORT.
start_tcpserver() {
  local log=$1 fifo=$T/tport.$RANDOM; shift
  mkfifo "$fifo"
  tcpserver -1 -R -H -l0 127.0.0.1 0 "$@" >"$fifo" 2>>"$log" &
  PIDS+=("$!")
  TPORT=
  read -r -t 10 TPORT <"$fifo"
  rm -f "$fifo"
  [ -n "$TPORT" ]
}

# The program prints tcpserver's view (OUTER_*) and then minetd-env's (env).
cat >"$T/both" <<EOF2
#!/bin/sh
echo "OUTER_TCPLOCALIP=\$TCPLOCALIP"
echo "OUTER_TCPLOCALPORT=\$TCPLOCALPORT"
echo "OUTER_TCPREMOTEIP=\$TCPREMOTEIP"
echo "OUTER_TCPREMOTEPORT=\$TCPREMOTEPORT"
exec "$B/minetd-env" -r "$T/rules" env
EOF2
chmod +x "$T/both"
cat >"$T/rules" <<'R'
allow 127.0.0.0/8 UNDER=tcpserver
deny 127.0.0.3 msg="go away\n"
R

LOG=$T/tcpserver.log
start_tcpserver "$LOG" "$T/both" || { fail "tcpserver_started"; done_testing; exit; }
out=$(fetch_from 127.0.0.2 127.0.0.1 "$TPORT")
for v in TCPLOCALIP TCPLOCALPORT TCPREMOTEIP TCPREMOTEPORT; do
  is "$(var $v "$out")" "$(var OUTER_$v "$out")" "env_tcpserver_${v}_agrees_with_tcpserver"
done
is "$(var TCPREMOTEIP "$out")" 127.0.0.2 "env_tcpserver_remote_ip_is_client_source"
is "$(var TCPLOCALPORT "$out")" "$TPORT" "env_tcpserver_local_port_is_listen_port"
is "$(var PROTO "$out")" TCP "env_tcpserver_proto_tcp"
is "$(var UNDER "$out")" tcpserver "env_tcpserver_rule_variable_set"
# tcpserver -l0 sets TCPLOCALHOST=0; without -l or -h minetd-env unsets it
is "$(var TCPLOCALHOST "$out")" '<unset>' "env_tcpserver_stale_localhost_unset_without_l_or_h"

out=$(fetch_from 127.0.0.3 127.0.0.1 "$TPORT")
is "$(printf "%s\n" "$out" | grep -v "^OUTER_")" "go away" "env_tcpserver_deny_message_received"
wait_until 5 grep -q 'minetd-env: info: deny 127.0.0.3' "$LOG"
like "$(grep 'minetd-env:' "$LOG")" "^minetd-env: info: deny 127\\.0\\.0\\.3 port [0-9]+ rule $T/rules:2\$" "env_tcpserver_deny_logged"

# -l NAME under tcpserver replaces its TCPLOCALHOST
LOG2=$T/tcpserver2.log
start_tcpserver "$LOG2" "$B/minetd-env" -l service.example env
out=$(fetch 127.0.0.1 "$TPORT")
is "$(var TCPLOCALHOST "$out")" service.example "env_l_sets_fixed_localhost"
is "$(var TCPREMOTEHOST "$out")" '<unset>' "env_l_does_not_look_up_remote"

done_testing
