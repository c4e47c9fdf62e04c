#!/bin/bash
# The real TFTP server, in.tftpd (tftpd-hpa), in wait mode behind
# minetd-udp, fetched with the real tftp client (tftp-hpa): a 1 MB file
# intact over IPv4 and IPv6, two clients at once, a denied source gets
# nothing and starts nothing, a rate limit refuses only the excess.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/udp.sh"
TFTPD=/usr/sbin/in.tftpd
if [ ! -x "$TFTPD" ] || ! command -v tftp >/dev/null; then
  echo "1..0 # SKIP in.tftpd (tftpd-hpa) or tftp (tftp-hpa) not installed"; exit 0
fi
mkdir "$T/root"; chmod 755 "$T/root"
head -c 1048576 /dev/urandom >"$T/root/big"; chmod 644 "$T/root/big"
echo small >"$T/root/small"; chmod 644 "$T/root/small"
# in.tftpd in inetd mode: -s chroots to the folder, -t 1 lingers one
# second for more requests (the default is 15 minutes), -u root since the
# test folder may not be nobody's to enter.
SERVE=("$TFTPD" -t 1 -u root -s "$T/root")
# get HOST PORT FILE DEST [FAMILY]: tftp, binary mode, giving up after 2 s.
get() {
  rm -f "$4"
  printf 'rexmt 1\ntimeout 2\nget %s %s\n' "$3" "$4" | timeout 10 tftp ${5:-} -m binary "$1" "$2" >/dev/null 2>&1
  [ -s "$4" ]
}

start_udp "$T/log" -v 127.0.0.1 0 "${SERVE[@]}"
get 127.0.0.1 "$PORT" big "$T/got4"; ok $? "udp_tftp_ipv4_fetch_succeeds"
cmp -s "$T/root/big" "$T/got4"; ok $? "udp_tftp_ipv4_1mb_file_intact"
# two at once: both served, by the same in.tftpd or two
get 127.0.0.1 "$PORT" big "$T/gotA" & GA=$!
get 127.0.0.1 "$PORT" big "$T/gotB" & GB=$!
wait "$GA"; ra=$?; wait "$GB"; rb=$?
[ $ra = 0 ] && [ $rb = 0 ] && cmp -s "$T/root/big" "$T/gotA" && cmp -s "$T/root/big" "$T/gotB"
ok $? "udp_tftp_two_clients_at_once_both_intact"
stop "$SRV_PID"

start_udp "$T/log6" -v ::1 0 "${SERVE[@]}"
get ::1 "$PORT" big "$T/got6" -6; ok $? "udp_tftp_ipv6_fetch_succeeds"
cmp -s "$T/root/big" "$T/got6"; ok $? "udp_tftp_ipv6_1mb_file_intact"
stop "$SRV_PID"

# Rules allow 127.0.0.2 only: a client from 127.0.0.1 gets nothing, and
# no in.tftpd starts; the same chain allowing it serves.
printf 'allow 127.0.0.2\n' >"$T/only2.rules"
start_udp "$T/logd" -v 127.0.0.1 0 "$B/minetd-env" -r "$T/only2.rules" "${SERVE[@]}"
get 127.0.0.1 "$PORT" small "$T/gotd"; rc=$?
[ $rc != 0 ] && [ ! -s "$T/gotd" ]; ok $? "udp_tftp_denied_source_gets_nothing"
is "$(grep -c 'info: start' "$T/logd")" 0 "udp_tftp_denied_source_starts_nothing"
is "$(pgrep -c -P "$SRV_PID")" 0 "udp_tftp_denied_source_no_child_process"
# The rules are a kernel socket filter on the socket: the denied source's
# datagrams are dropped before minetd-udp could peek them (so no deny line),
# and in.tftpd, which reads the socket itself, never sees them either.
is "$(grep -c 'minetd-env: info: deny' "$T/logd")" 0 "udp_tftp_denied_source_dropped_by_the_socket_filter"
is "$(grep -c 'socket filter' "$T/logd")" 0 "udp_tftp_rules_fit_the_socket_filter"
kill -0 "$SRV_PID"; ok $? "udp_tftp_server_alive_after_denials"
stop "$SRV_PID"
printf 'allow 127.0.0.1\n' >"$T/only1.rules"
start_udp "$T/loga" 127.0.0.1 0 "$B/minetd-env" -r "$T/only1.rules" "${SERVE[@]}"
get 127.0.0.1 "$PORT" small "$T/gota"; ok $? "udp_tftp_allowed_source_served_through_same_chain"
stop "$SRV_PID"

# minetd-rate -n 2: two starts admitted, the third refused (its datagrams
# dropped, nothing started), each fetch after the last in.tftpd ended.
start_udp "$T/logr" -v 127.0.0.1 0 "$B/minetd-rate" -n 2 -w 60 -f "$T/rate.state" "${SERVE[@]}"
all_ended() { [ "$(grep -c 'info: end pid' "$T/logr")" -ge "$(grep -c 'info: start' "$T/logr")" ]; }
res=
for i in 1 2 3; do
  get 127.0.0.1 "$PORT" small "$T/gotr$i" && res="$res ok" || res="$res refused"
  wait_until 5 all_ended
done
is "$res" " ok ok refused" "udp_tftp_rate_limit_refuses_only_the_excess"
is "$(grep -c 'info: start' "$T/logr")" 2 "udp_tftp_rate_refused_start_runs_nothing"
like "$(grep -m1 'minetd-rate:.*refuse' "$T/logr")" 'refuse 127\.0\.0\.1' "udp_tftp_rate_refusal_logged_by_rate_link"
stop "$SRV_PID"

done_testing
