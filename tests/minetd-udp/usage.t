#!/bin/bash
# Every class of bad argument: exit 100 and one line naming the fault.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/udp.sh"

check() { usage_check minetd-udp "$@" ; }  # check NAME WANT-REGEX ARGS...
check udp_usage_no_arguments '^minetd-udp: usage: minetd-udp ' 
check udp_usage_missing_program '^minetd-udp: usage: ' 127.0.0.1 0
check udp_usage_bad_host '^minetd-udp: fatal: invalid host "1\.2\.3\.4xyz"' 1.2.3.4xyz 0 true
check udp_usage_v4mapped_host '^minetd-udp: fatal: invalid host "::ffff:127\.0\.0\.1": .* write the IPv4 address 127\.0\.0\.1 instead$' ::ffff:127.0.0.1 0 true
check udp_usage_bad_port '^minetd-udp: fatal: invalid port "70000"' 127.0.0.1 70000 true
check udp_usage_w_and_n '^minetd-udp: fatal: -w and -n cannot be used together$' -w -n 127.0.0.1 0 true
check udp_usage_idle_in_wait_mode '^minetd-udp: fatal: -t applies to nowait mode \(-n\) only$' -t 5 127.0.0.1 0 true
check udp_usage_maxprocs_in_wait_mode '^minetd-udp: fatal: -c applies to nowait mode \(-n\) only$' -c 5 127.0.0.1 0 true
check udp_usage_activation_in_nowait '^minetd-udp: fatal: -L applies to wait mode only' -n -L 127.0.0.1 0 true
check udp_usage_bad_idle '^minetd-udp: fatal: invalid idle timeout "0"' -n -t 0 127.0.0.1 0 true
check udp_usage_uid_without_gid '^minetd-udp: fatal: -u \(or \$UID\) needs -g' -u 1000 127.0.0.1 0 true
check udp_usage_program_not_in_path '^minetd-udp: fatal: unable to find no-such-program-here in PATH$' 127.0.0.1 0 no-such-program-here
check udp_usage_i_not_a_datagram_socket '^minetd-udp: fatal: fd 0 is not a datagram socket$' -i true
check udp_usage_notif_fd_not_open '^minetd-udp: fatal: notification fd is not open$' -d 9 127.0.0.1 0 true

timeout 10 "$B/minetd-udp" -Z 127.0.0.1 0 true </dev/null 2>"$T/err"; rc=$?
is "$rc/$(head -n 1 "$T/err")" "100/minetd-udp: fatal: unknown option -Z" "udp_usage_unknown_option"

# A bind failure (the port is taken: no SO_REUSEADDR, no sharing): exit
# 111 naming the address.
start_udp "$T/log" 127.0.0.1 0 true
timeout 10 "$B/minetd-udp" 127.0.0.1 "$PORT" true 2>"$T/err"; rc=$?
is "$rc" 111 "udp_bind_failure_exits_111"
like "$(cat "$T/err")" "^minetd-udp: fatal: unable to bind to 127\.0\.0\.1 port $PORT: " "udp_bind_failure_message"
stop "$SRV_PID"

# -d: readiness once bound and the links started.
exec 5>"$T/ready"
start_bg "$B/minetd-udp" -d 5 127.0.0.1 0 true 2>"$T/logd"
exec 5>&-
wait_until 5 test -s "$T/ready"; ok $? "udp_readiness_written_when_bound"
stop "$LAST_PID"

# PROTO=UDP: the standalone links read UDPREMOTEIP, refuse an unknown PROTO.
out=$(PROTO=UDP UDPREMOTEIP=127.0.0.9 UDPREMOTEPORT=5 UDPLOCALIP=127.0.0.1 UDPLOCALPORT=69 "$B/minetd-env" sh -c 'echo $UDPREMOTEIP:$UDPREMOTEPORT:$PROTO' 2>&1)
is "$out" "127.0.0.9:5:UDP" "udp_standalone_env_link_reads_udp_variables"
PROTO=UDP "$B/minetd-env" true </dev/null 2>"$T/err"; is "$?" 100 "udp_standalone_env_link_without_udp_variables_exits_100"
PROTO=SCTP "$B/minetd-rate" true </dev/null 2>"$T/err"; rc=$?
is "$rc/$(cat "$T/err")" "100/minetd-rate: fatal: unknown \$PROTO: SCTP (expected TCP or UDP)" "udp_standalone_rate_link_refuses_unknown_proto"
out=$(PROTO=UDP UDPREMOTEIP=127.0.0.9 "$B/minetd-rate" -v -n 5 -w 60 -f "$T/st" sh -c 'echo in' 2>"$T/err")
is "$out" "in" "udp_standalone_rate_link_reads_udpremoteip"
like "$(cat "$T/err")" 'admit 127\.0\.0\.9' "udp_standalone_rate_link_logs_udp_source"

done_testing
