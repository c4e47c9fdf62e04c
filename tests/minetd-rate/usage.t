#!/bin/bash
# minetd-rate: every bad option or missing argument is a clear message and
# exit 100, without running the program; no limits means a plain exec.
. "$(dirname "$0")/../lib.sh"
R=$B/minetd-rate
export TCPREMOTEIP=127.0.0.1

bad() { # bad REGEX NAME ARGS...: exit 100, message matches, program not run
  local re=$1 name=$2 out rc; shift 2
  out=$("$R" "$@" 2>&1); rc=$?
  is "$rc" 100 "${name}_exits_100"
  like "$out" "$re" "${name}_says_why"
  if printf '%s' "$out" | grep -q RAN; then fail "${name}_does_not_run_program"; fi
}
S=$T/state
bad '^minetd-rate: fatal: missing program to run' rate_no_program
bad 'missing program' rate_options_but_no_program -n 3 -f "$S"
bad '^minetd-rate: fatal: unknown option -x' rate_unknown_option -x echo RAN
bad '^minetd-rate: fatal: missing argument for option -n' rate_n_without_value -n
bad 'invalid -n value "abc"' rate_n_not_a_number -n abc -f "$S" echo RAN
bad 'invalid -n value "-1"' rate_n_negative -n -1 -f "$S" echo RAN
bad 'invalid -n value "99999999999"' rate_n_too_big -n 99999999999 -f "$S" echo RAN
bad 'invalid -s value "3x"' rate_s_trailing_junk -s 3x -f "$S" echo RAN
bad 'invalid -w value "0"' rate_window_zero -w 0 -n 1 -f "$S" echo RAN
bad 'invalid -w value ""' rate_window_empty -w '' -n 1 -f "$S" echo RAN
bad 'invalid -p value "33"' rate_v4_prefix_over_32 -p 33 echo RAN
bad 'invalid -P value "129"' rate_v6_prefix_over_128 -P 129 echo RAN
bad 'invalid -f value: empty' rate_empty_state_path -n 1 -f '' echo RAN
bad 'unknown escape' rate_message_bad_escape -m 'busy\q' echo RAN
bad 'unknown escape' rate_message_trailing_backslash -m 'busy\' echo RAN
bad 'message too long' rate_message_too_long -m "$(head -c 2000 /dev/zero | tr '\0' x)" echo RAN
bad 'need a state file \(-f\)' rate_limit_without_state_file -n 5 echo RAN
bad 'need a state file \(-f\)' rate_source_limit_without_state_file -s 5 echo RAN
bad '^minetd-rate: usage: minetd-rate \[-v\]' rate_usage_line_shown -Z echo RAN

is "$("$R" echo RAN 2>&1)" RAN "rate_without_limits_just_execs"
is "$("$R" -n 0 -s 0 echo RAN 2>&1)" RAN "rate_zero_limits_mean_unlimited_no_file_needed"
is "$("$R" -w 5 -p 24 -P 48 -m 'x\r\n' -- echo RAN 2>&1)" RAN "rate_double_dash_ends_options"
"$R" /nonexistent/prog 2>"$T/err"; rc=$?
is "$rc" 127 "rate_missing_program_exits_127"
like "$(cat "$T/err")" '^minetd-rate: fatal: unable to exec /nonexistent/prog' "rate_missing_program_message"
"$R" -n 1 -f "$T/nodir/state" echo RAN 2>"$T/err"; rc=$?
is "$rc" 111 "rate_unopenable_state_file_exits_111"
like "$(cat "$T/err")" "^minetd-rate: fatal: unable to open state file $T/nodir/state" "rate_unopenable_state_file_message"
TCPREMOTEIP=bogus "$R" -n 1 -f "$S" echo RAN 2>"$T/err"; rc=$?
is "$rc" 111 "rate_invalid_TCPREMOTEIP_exits_111"
like "$(cat "$T/err")" 'invalid \$TCPREMOTEIP: bogus' "rate_invalid_TCPREMOTEIP_message"
TCPREMOTEIP=300.1.2.3 "$R" -n 1 -f "$T/wrap" echo RAN >"$T/out" 2>"$T/err"; rc=$?
is "$rc.$(cat "$T/out")" "111." "rate_TCPREMOTEIP_octet_over_255_rejected_not_wrapped"
like "$(cat "$T/err")" 'invalid \$TCPREMOTEIP: 300\.1\.2\.3' "rate_TCPREMOTEIP_octet_over_255_message"
TCPREMOTEIP=10.0.0.0/8 "$R" -n 1 -f "$T/wrap" echo RAN >"$T/out" 2>"$T/err"; rc=$?
is "$rc.$(cat "$T/out")" "111." "rate_TCPREMOTEIP_prefix_rejected"
# a dual-stack launcher (ucspi-tcp with the IPv6 patch) writes IPv4 clients
# in the dotted v4-mapped form: they count as their IPv4 address
out=$(TCPREMOTEIP=::ffff:127.0.0.2 TCPREMOTEPORT=7 "$R" -v -s 1 -f "$T/mapped" echo RAN 2>"$T/err")
is "$out" RAN "rate_TCPREMOTEIP_v4_mapped_dotted_accepted"
like "$(cat "$T/err")" '^minetd-rate: info: admit 127\.0\.0\.2 port 7: source 127\.0\.0\.2/32 1/1 in 60s$' "rate_TCPREMOTEIP_v4_mapped_counts_as_ipv4"
(unset TCPREMOTEIP; "$R" -n 1 -f "$S" echo RAN </dev/null 2>"$T/err"); rc=$?
is "$rc" 111 "rate_no_source_address_exits_111"
like "$(cat "$T/err")" 'unable to find the remote address' "rate_no_source_address_message"
# minetd-rate execs PROG directly: the state file's fd must not reach it
is "$("$R" -n 5 -s 5 -f "$T/fdstate" ls /proc/self/fd 2>&1)" "$(ls /proc/self/fd)" "rate_prog_gets_no_extra_fds"
done_testing
