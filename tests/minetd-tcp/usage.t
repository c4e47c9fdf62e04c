#!/bin/bash
# Every class of bad argument: exit 100 and one line naming the fault.
# A bind failure: exit 111 naming the address and the reason.
. "$(dirname "$0")/../lib.sh"
P=$B/examples/hello-server

check() { usage_check minetd-tcp "$@" ; }  # check NAME WANT-REGEX ARGS...
check tcp_usage_no_arguments '^minetd-tcp: usage: minetd-tcp '
check tcp_usage_missing_program '^minetd-tcp: usage: ' 127.0.0.1 0
check tcp_usage_bad_host '^minetd-tcp: fatal: invalid host "1\.2\.3\.4xyz"' 1.2.3.4xyz 0 "$P"
check tcp_usage_bad_ipv6_host '^minetd-tcp: fatal: invalid host "\[::1"' '[::1' 0 "$P"
check tcp_usage_v4mapped_host_says_write_ipv4 '^minetd-tcp: fatal: invalid host "::ffff:127\.0\.0\.1": an IPv4-mapped IPv6 address: write the IPv4 address 127\.0\.0\.1 instead$' ::ffff:127.0.0.1 0 "$P"
check tcp_usage_v4mapped_bracketed_host '^minetd-tcp: fatal: invalid host "\[::ffff:10\.1\.2\.3\]": .* write the IPv4 address 10\.1\.2\.3 instead$' '[::ffff:10.1.2.3]' 0 "$P"
check tcp_usage_bad_octet '^minetd-tcp: fatal: invalid host "300\.1\.1\.1"' 300.1.1.1 0 "$P"
check tcp_usage_program_not_in_path_fails_at_start '^minetd-tcp: fatal: unable to find no-such-program-here in PATH$' 127.0.0.1 0 no-such-program-here
check tcp_usage_bad_port '^minetd-tcp: fatal: invalid port "70000"' 127.0.0.1 70000 "$P"
check tcp_usage_bad_port_junk '^minetd-tcp: fatal: invalid port "80x"' 127.0.0.1 80x "$P"
check tcp_usage_bad_maxconn '^minetd-tcp: fatal: invalid maximum connections "0": expected an integer from 1 to 65536' -c 0 127.0.0.1 0 "$P"
check tcp_usage_bad_persource '^minetd-tcp: fatal: invalid per-source maximum "x"' -C x 127.0.0.1 0 "$P"
check tcp_usage_bad_v4_prefix '^minetd-tcp: fatal: invalid IPv4 prefix length "33"' -p 33 127.0.0.1 0 "$P"
check tcp_usage_bad_v6_prefix '^minetd-tcp: fatal: invalid IPv6 prefix length "129"' -P 129 127.0.0.1 0 "$P"
check tcp_usage_bad_escape '^minetd-tcp: fatal: invalid refusal message: unknown escape' -r 'x\q' 127.0.0.1 0 "$P"
check tcp_usage_bad_backlog '^minetd-tcp: fatal: invalid backlog "0"' -b 0 127.0.0.1 0 "$P"
check tcp_usage_bad_uid '^minetd-tcp: fatal: invalid uid "root"' -u root 127.0.0.1 0 "$P"
check tcp_usage_bad_gidlist '^minetd-tcp: fatal: invalid gid list "1,,2"' -G 1,,2 127.0.0.1 0 "$P"
check tcp_usage_uid_without_gid '^minetd-tcp: fatal: -u \(or \$UID\) needs -g \(or \$GID\) too$' -u 65534 127.0.0.1 0 "$P"
check tcp_usage_bad_notif_fd '^minetd-tcp: fatal: invalid notification fd "1"' -d 1 127.0.0.1 0 "$P"
check tcp_usage_closed_notif_fd '^minetd-tcp: fatal: notification fd is not open' -d 77 127.0.0.1 0 "$P"
check tcp_usage_closed_keep_fd '^minetd-tcp: fatal: an fd given with -k is not open' -k 78 127.0.0.1 0 "$P"
check tcp_usage_i_without_socket '^minetd-tcp: fatal: fd 0 is not a listening socket' -i "$P"

# Port in use: 111, address and reason named.
start_tcp "$T/log" 127.0.0.1 0 "$P"
"$B/minetd-tcp" 127.0.0.1 "$PORT" "$P" 2>"$T/err"; rc=$?
is "$rc" 111 "tcp_bind_failure_exits_111"
is "$(cat "$T/err")" "minetd-tcp: fatal: unable to bind to 127.0.0.1 port $PORT: $(errstr EADDRINUSE)" "tcp_bind_failure_names_address_and_reason"
stop "$SRV_PID"
done_testing
