#!/bin/bash
# minetd-env's rules compiled to a socket filter (mtd_rulesbpf) in the real
# kernel: datagrams to UDP sockets and SYNs to TCP listeners on 127.0.0.1,
# ::1 and dual-stack ::, from bound loopback sources, arrive or not as the
# rules say; the largest program that fits is taken by the kernel; rules
# that do not fit attach nothing.
. "$(dirname "$0")/../lib.sh"
C=$B/tools/bpfcheck

printf 'allow 127.0.0.2/32\n' >"$T/allow2"
printf 'deny 127.0.0.3\nallow *\n' >"$T/deny3"
printf 'deny ::1\nallow 127.0.0.0/8\n' >"$T/deny6"

check() { # check NAME WANT PROTO HOST RULES DEFAULT SRC...
  local name=$1 want=$2; shift 2
  is "$("$C" "$@" 2>&1 | tr '\n' ' ')" "$want" "$name"
}

check udp4_allow_one_deny_rest "attach 1 127.0.0.1 drop 127.0.0.2 pass 127.0.0.3 drop " \
  udp 127.0.0.1 "$T/allow2" d 127.0.0.1 127.0.0.2 127.0.0.3
check udp4_deny_one_allow_star "attach 1 127.0.0.1 pass 127.0.0.2 pass 127.0.0.3 drop " \
  udp 127.0.0.1 "$T/deny3" d 127.0.0.1 127.0.0.2 127.0.0.3
check udp6_deny_one_v6_rule "attach 1 ::1 drop " udp ::1 "$T/deny6" a ::1
check udp6_star_rule_holds_for_ipv6 "attach 1 ::1 pass " udp ::1 "$T/deny3" d ::1
check udp6_ipv4_rules_leave_ipv6_to_default "attach 1 ::1 drop " udp ::1 "$T/allow2" d ::1
check udp_dual_stack_ipv4_sources_by_ipv4_rules "attach 1 127.0.0.1 drop 127.0.0.2 pass 127.0.0.3 drop ::1 drop " \
  udp :: "$T/allow2" d 127.0.0.1 127.0.0.2 127.0.0.3 ::1
check udp_dual_stack_deny_v6_allow_v4 "attach 1 127.0.0.2 pass ::1 drop " udp :: "$T/deny6" d 127.0.0.2 ::1
check udp_dual_stack_star "attach 1 127.0.0.3 drop 127.0.0.4 pass ::1 pass " udp :: "$T/deny3" d 127.0.0.3 127.0.0.4 ::1

check tcp4_denied_syn_dropped "attach 1 127.0.0.1 drop 127.0.0.2 pass 127.0.0.3 drop " \
  tcp 127.0.0.1 "$T/allow2" d 127.0.0.1 127.0.0.2 127.0.0.3
check tcp_dual_stack_denied_syn_dropped "attach 1 127.0.0.2 pass 127.0.0.3 drop ::1 pass " \
  tcp :: "$T/deny3" d 127.0.0.2 127.0.0.3 ::1
check tcp6_denied_syn_dropped "attach 1 ::1 drop " tcp ::1 "$T/deny6" a ::1

# The most rules of one shape that fit (the unit test finds 4055 IPv4
# /32s, half denies in an allowed /8, half allows in a denied /8, none left
# out; here 4054 and one more deny): the kernel takes the 4096
# instructions; one rule more does not fit.
shaped() { # shaped N
  awk -v n="$1" 'BEGIN { print "allow 10.0.0.0/8"; print "deny 11.0.0.0/8";
    for (i = 0; i < n; i++) { j = int(i / 2); printf "%s %d.%d.%d.0/32\n", (i % 2 ? "allow" : "deny"), 10 + i % 2, int(j / 256), j % 256 } }'
}
{ shaped 4054; echo "deny 127.0.0.3"; } >"$T/big"
{ shaped 4055; echo "deny 127.0.0.3"; } >"$T/bigger"
check udp4_largest_program_taken_by_kernel "attach 1 127.0.0.2 pass 127.0.0.3 drop " \
  udp 127.0.0.1 "$T/big" a 127.0.0.2 127.0.0.3
{ shaped 3900; echo "deny 127.0.0.3"; echo "deny ::1"; } >"$T/bigdual"
check udp_dual_stack_large_program_taken_by_kernel "attach 1 127.0.0.2 pass 127.0.0.3 drop ::1 drop " \
  udp :: "$T/bigdual" a 127.0.0.2 127.0.0.3 ::1
check udp4_too_many_rules_attach_nothing "attach 0 Argument list too long 127.0.0.2 pass 127.0.0.3 pass " \
  udp 127.0.0.1 "$T/bigger" a 127.0.0.2 127.0.0.3

done_testing
