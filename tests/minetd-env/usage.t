#!/bin/bash
# minetd-env refuses bad usage and bad rules files with a clear message and
# exit 100 (111 for an unreadable file), before touching the connection:
# never fail open.
. "$(dirname "$0")/../lib.sh"

ENV=$B/minetd-env
# run_env ARGS...: runs minetd-env with stdin from /dev/null; sets RC and ERR
run_env() { ERR=$("$ENV" "$@" </dev/null 2>&1 >/dev/null); RC=$?; }

check_usage() { # check_usage NAME REGEX ARGS...
  local name=$1 re=$2; shift 2
  run_env "$@"
  is "$RC" 100 "${name}_exits_100"
  like "$ERR" "$re" "${name}_says_why"
}

check_usage usage_no_program '^minetd-env: fatal: missing program to run' 
check_usage usage_only_options '^minetd-env: fatal: missing program to run' -v -c
check_usage usage_unknown_option '^minetd-env: fatal: unknown option -x' -x true
check_usage usage_r_without_file '^minetd-env: fatal: missing argument for option -r' -r
check_usage usage_r_empty '^minetd-env: fatal: empty rules file name' -r '' true
check_usage usage_l_without_name '^minetd-env: fatal: missing argument for option -l' -l
check_usage usage_l_empty '^minetd-env: fatal: empty local host name' -l '' true
check_usage usage_l_too_long '^minetd-env: fatal: local host name for -l longer than 255 bytes' -l "$(printf 'a%.0s' $(seq 1 256))" true
check_usage usage_t_without_value '^minetd-env: fatal: missing argument for option -t' -t
check_usage usage_t_zero '^minetd-env: fatal: invalid lookup timeout \(1 to 600000 ms\): 0' -t 0 true
check_usage usage_t_not_number 'invalid lookup timeout.*: 2s' -t 2s true
check_usage usage_t_too_big 'invalid lookup timeout.*: 600001' -t 600001 true
check_usage usage_a_and_d '^minetd-env: fatal: -a and -d cannot be used together' -a -d true
check_usage usage_d_and_a '^minetd-env: fatal: -a and -d cannot be used together' -d -a true
run_env -x true
like "$ERR" $'\nminetd-env: usage: minetd-env \\[-v\\] \\[-c\\] \\[-r rulesfile\\]' "usage_line_printed_after_error"

# the program's own options are not minetd-env's
run_env -v true -x
is "$RC" 100 "usage_options_after_program_belong_to_program (stops at fd 0 check, not option parsing)"
like "$ERR" 'is it a TCP socket' "usage_not_a_socket_message"

# a bad rules file: "FILE:LINE: reason", exit 100
bad_rules() { # bad_rules NAME CONTENT REGEX
  printf '%b' "$2" >"$T/bad.rules"
  run_env -r "$T/bad.rules" true
  is "$RC" 100 "$1_exits_100"
  like "$ERR" "^minetd-env: fatal: $T/bad\\.rules:$3" "$1_reports_file_line_reason"
}
bad_rules rules_unknown_action 'allow 127.0.0.1\npermit 10.0.0.0/8\n' '2: unknown action "permit"'
bad_rules rules_missing_address 'deny\n' '1: missing address'
bad_rules rules_bad_address '# x\nallow 300.1.2.3\n' '2: invalid address "300\.1\.2\.3"'
bad_rules rules_host_bits 'allow 10.0.0.1/8\n' '1: invalid address .*bits set past the prefix'
bad_rules rules_prefix_too_long 'allow ::/129\n' '1: invalid address .*0 to 128'
bad_rules rules_duplicate 'deny 10.0.0.0/8\nallow 10.0.0.0/8\n' '2: duplicate rule for 10\.0\.0\.0/8 \(first at line 1\)'
bad_rules rules_var_on_deny 'deny 10.0.0.0/8 A=b\n' '1: variables are only allowed on allow rules'
bad_rules rules_msg_on_allow 'allow 10.0.0.0/8 msg=hi\n' '1: msg= is only allowed on deny rules'
bad_rules rules_reserved_var 'allow 10.0.0.0/8 TCPREMOTEIP=1\n' '1: variable "TCPREMOTEIP" is a fact about the connection'
bad_rules rules_bad_var_name 'allow 10.0.0.0/8 9A=1\n' '1: invalid variable name'
bad_rules rules_unexpected_word 'allow 10.0.0.0/8 please\n' '1: unexpected word "please"'
bad_rules rules_unterminated_quote 'deny 10.0.0.0/8 msg="bye\n' '1: unterminated quoted string'
bad_rules rules_unknown_escape 'deny 10.0.0.0/8 msg="\\q"\n' '1: unknown escape'
bad_rules rules_backslash_unquoted 'deny 10.0.0.0/8 msg=a\\\\nb\n' '1: backslash outside quotes'
bad_rules rules_var_twice 'allow 10.0.0.0/8 A=1 A=2\n' '1: variable "A" given twice'
bad_rules rules_nul_byte 'allow 10.0.0.0/8\ndeny 1.2.3.4 msg=a\0b\n' '2: NUL byte'
long=$(printf 'x%.0s' $(seq 1 4100))
bad_rules rules_line_too_long "allow 10.0.0.0/8 A=$long\n" '1: line too long'
seq 0 4096 | awk '{ printf "allow 10.%d.%d.0/24\n", int($1/256), $1%256 }' >"$T/many.rules"
run_env -r "$T/many.rules" true
is "$RC" 100 "rules_too_many_exits_100"
like "$ERR" "many\\.rules:4097: too many rules" "rules_too_many_reports_line_4097"

run_env -r "$T/missing.rules" true
is "$RC" 111 "rules_missing_file_exits_111"
like "$ERR" "^minetd-env: fatal: $T/missing\\.rules: unable to open: No such file" "rules_missing_file_says_why"
truncate -s 5M "$T/big.rules"
run_env -r "$T/big.rules" true
is "$RC" 100 "rules_too_large_file_exits_100"
like "$ERR" "big\\.rules: file too large" "rules_too_large_file_says_why"
# a FIFO would block start-up (and minetd-tcp's reload) for ever
mkfifo "$T/fifo.rules"
ERR=$(timeout 5 "$ENV" -r "$T/fifo.rules" true </dev/null 2>&1 >/dev/null); RC=$?
is "$RC" 100 "rules_fifo_refused_without_blocking_exits_100"
like "$ERR" "^minetd-env: fatal: $T/fifo\\.rules: not a regular file" "rules_fifo_says_why"
run_env -r /dev/zero true
is "$RC" 100 "rules_device_exits_100"
like "$ERR" "/dev/zero: not a regular file" "rules_device_says_why"

# a good rules file passes the start; the next check is the socket on fd 0
printf 'allow 127.0.0.1\n' >"$T/good.rules"
run_env -r "$T/good.rules" true
is "$RC" 100 "not_a_socket_exits_100"
like "$ERR" '^minetd-env: fatal: unable to read the peer address of fd 0 \(is it a TCP socket\?\)' "not_a_socket_message"

done_testing
