#!/bin/bash
# Between reloads the configuration file is replaced by a directory, a FIFO
# (nobody writing), deleted, truncated to half a line, made unreadable: each
# reload keeps the running configuration, logs the error once, and returns
# to the loop (a FIFO must not block minetd-sup); the services serve
# throughout, and the next good file is applied.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../minetd-sup/sup.sh"
. "$(dirname "$0")/faults.sh"

# Unreadable means something only without the capabilities that let root
# read any file: minetd-sup runs without CAP_DAC_OVERRIDE and
# CAP_DAC_READ_SEARCH (as under systemd's CapabilityBoundingSet=), which
# changes nothing else here: it owns what it writes.
WRAP=() unreadable=yes
if [ "$(id -u)" = 0 ]; then
  if command -v setpriv >/dev/null && setpriv --bounding-set -dac_override,-dac_read_search true 2>/dev/null; then
    WRAP=(setpriv --bounding-set -dac_override,-dac_read_search)
  else unreadable="needs setpriv to run minetd-sup as root without CAP_DAC_OVERRIDE"; fi
fi

free_ports 3; set -- $PORTS; P1=$1 P2=$2 P3=$3
GOOD=("service s 127.0.0.1:$P1 0 $EX/echo-server" "service t 127.0.0.1:$P2 0 $EX/hello-server")
conf_write "$T/conf" "${GOOD[@]}"
mkfifo "$T/ready"
"${WRAP[@]}" "$SUP" -f -d 3 -c "$T/conf" -p "$T/pid" -R "$T/run" 3>"$T/ready" 2>>"$T/log" &
SUP_PID=$!; PIDS+=("$SUP_PID")
read -r -t 10 _ <"$T/ready"; ok $? "fault_conf_sup_started"
s_pid=$(chain_pid s) t_pid=$(chain_pid t)
PIDS+=("$s_pid" "$t_pid")
hammer s "$P1" --send $'ping\n' --expect ping --pause 0.05 --seconds 30

keeps() { grep -c 'keeping the running configuration' "$T/log"; }
# file errors: "minetd-sup: warning: FILE: reason" or "FILE:LINE: reason"
errors() { grep -c "^minetd-sup: warning: $T/conf[:]" "$T/log"; }
# try_fault NAME: SIGHUP with the file as it is now; the reload must be
# refused with one error line, the chains untouched, t still serving
try_fault() {
  local k=$(keeps) e=$(errors) h=$(grep -c 'SIGHUP: reloading' "$T/log")
  kill -HUP "$SUP_PID"
  more_keeps() { [ "$(keeps)" -gt "$k" ]; }
  wait_for 2 more_keeps
  refused_ok=$?
  ok $refused_ok "fault_conf_${1}_reload_refused_and_sup_not_blocked"
  is "$(( $(errors) - e ))" 1 "fault_conf_${1}_error_logged_once"
  is "$(( $(grep -c 'SIGHUP: reloading' "$T/log") - h ))" 1 "fault_conf_${1}_one_reload"
  note "$(grep "^minetd-sup: warning: $T/conf[:]" "$T/log" | tail -n 1)"
  is "$(chain_pid s) $(chain_pid t)" "$s_pid $t_pid" "fault_conf_${1}_chains_untouched"
  like "$(fetch 127.0.0.1 "$P2")" '^hello' "fault_conf_${1}_old_configuration_serves"
}
restore() { timeout 5 rm -rf "$T/conf"; conf_write "$T/conf" "${GOOD[@]}"; }

timeout 5 rm -f "$T/conf" && mkdir "$T/conf"
try_fault directory; restore

timeout 5 rm -f "$T/conf" && mkfifo "$T/conf"
try_fault fifo
# blocked on the FIFO? a writer frees it: the good file, through the FIFO
[ "$refused_ok" = 0 ] || printf '%s\n' "${GOOD[@]}" | timeout 5 tee "$T/conf" >/dev/null
restore

timeout 5 rm -f "$T/conf"
try_fault deleted; restore

line=$(head -n 1 "$T/conf")
printf '%s' "${line:0:$(( ${#line} / 2 ))}" >"$T/conf.half" && mv "$T/conf.half" "$T/conf"
try_fault half_line; restore

if [ "$unreadable" = yes ]; then
  chmod 000 "$T/conf"
  if "${WRAP[@]}" sh -c "cat '$T/conf'" >/dev/null 2>&1; then skip "fault_conf_unreadable_* (the file stays readable)"
  else try_fault unreadable; fi
  restore
else skip "fault_conf_unreadable_* ($unreadable)"; fi

# a good file again: applied
conf_write "$T/conf" "${GOOD[@]}" "service u 127.0.0.1:$P3 0 $EX/daytime-server"
reload_and_wait "$T/log"; ok $? "fault_conf_good_file_reloaded"
like "$(fetch 127.0.0.1 "$P3")" 'UTC' "fault_conf_good_file_applied"
is "$(chain_pid s)" "$s_pid" "fault_conf_unchanged_chain_kept_through_all"
hammer_end s
is "$refused_n" 0 "fault_conf_service_never_refused"
is "$(lost)" 0 "fault_conf_service_nothing_lost"
ok $(( ok_n < 20 )) "fault_conf_service_served_throughout ($ok_n)"
stop "$SUP_PID"
done_testing
