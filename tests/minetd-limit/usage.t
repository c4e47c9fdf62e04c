#!/bin/bash
# minetd-limit refuses bad values and a chroot directory that is missing,
# not a directory, or writable by others, with the reason and exit 100,
# before running anything.
. "$(dirname "$0")/../lib.sh"

L=$B/minetd-limit
run_limit() { ERR=$("$L" "$@" </dev/null 2>&1 >/dev/null); RC=$?; }
check_usage() { # check_usage NAME REGEX ARGS...
  local name=$1 re=$2; shift 2
  run_limit "$@"
  is "$RC" 100 "${name}_exits_100"
  like "$ERR" "$re" "${name}_says_why"
}

check_usage usage_no_program '^minetd-limit: fatal: missing program to run' -o 10
check_usage usage_unknown_option '^minetd-limit: fatal: unknown option -z' -z true
check_usage usage_missing_argument '^minetd-limit: fatal: missing argument for option -a' -a
check_usage usage_negative '^minetd-limit: fatal: invalid value for -o: negative value: -1' -o -1 true
check_usage usage_negative_hard 'invalid value for -a: negative value: 1m:-1' -a 1m:-1 true
check_usage usage_overflow 'invalid value for -d: value too large: 18446744073709551616' -d 18446744073709551616 true
check_usage usage_suffix_overflow 'invalid value for -s: value too large: 17179869184g' -s 17179869184g true
check_usage usage_unknown_unit 'invalid value for -f: unknown unit \(k, m or g\): 10t' -f 10t true
check_usage usage_unit_on_count 'invalid value for -p: not a number' -p 1k true
check_usage usage_soft_above_hard 'invalid value for -c: soft limit above the hard limit: 2m:1m' -c 2m:1m true
check_usage usage_not_a_number 'invalid value for -t: not a number' -t lots true
check_usage usage_nice_range 'invalid value for -n: expected an integer from -20 to 19: 20' -n 20 true
check_usage usage_nice_range_low 'invalid value for -n: expected an integer from -20 to 19: -21' -n -21 true
check_usage usage_umask_not_octal 'invalid value for -M: expected an octal umask from 0 to 0777: 0778' -M 0778 true
check_usage usage_umask_too_big 'invalid value for -M: expected an octal umask' -M 1777 true
check_usage usage_env_without_equals 'expected VAR=VALUE for -e: FOO' -e FOO true
check_usage usage_env_bad_name 'expected VAR=VALUE for -e: 1X=2' -e 1X=2 true
check_usage usage_passenv_bad_name 'expected a variable name for -x: A=B' -x A=B true
check_usage usage_time_zero 'invalid time limit for -T' -T 0 true
check_usage usage_time_negative 'invalid time limit for -T' -T -5 true
check_usage usage_grace_without_time '^minetd-limit: fatal: -k needs -T' -k 2 true
check_usage usage_P_and_S '^minetd-limit: fatal: -P and -S cannot be used together' -P -S true
check_usage usage_uid_without_gid '^minetd-limit: fatal: -u \(or \$UID\) needs -g' -u 65534 true
check_usage usage_uid_not_a_number '^minetd-limit: fatal: invalid uid "nobody"' -u nobody -g 65534 true
check_usage usage_gid_too_large 'invalid gid "4294967296"' -g 4294967296 true
check_usage usage_gidlist_bad 'invalid gid list "1,x": expected up to 64' -G 1,x true
check_usage usage_U_without_variables '-U given but none of \$UID \$GID \$GIDLIST is set' -U true
check_usage usage_chroot_relative 'chroot directory must be an absolute path: rel' -/ rel true
run_limit -x
like "$ERR" $'\nminetd-limit: usage: minetd-limit \\[-a bytes\\]' "usage_line_printed_after_error"

# the chroot directory, checked at start, as root would enter it
mkdir -p "$T/ok/sub" "$T/gw" "$T/ow" "$T/wparent/inner"
chmod 755 "$T/ok" "$T/ok/sub" "$T/wparent/inner"
chmod 775 "$T/gw"; chmod 757 "$T/ow"; chmod 777 "$T/wparent"
: >"$T/file"
check_usage chroot_missing "^minetd-limit: fatal: chroot directory $T/none: No such file or directory" -/ "$T/none" true
check_usage chroot_not_a_directory "^minetd-limit: fatal: chroot directory $T/file: not a directory" -/ "$T/file" true
check_usage chroot_group_writable "^minetd-limit: fatal: refusing chroot directory: $T/gw is writable by group or others" -/ "$T/gw" true
check_usage chroot_other_writable "refusing chroot directory: $T/ow is writable by group or others" -/ "$T/ow" true
check_usage chroot_parent_writable "refusing chroot directory: $T/wparent is writable by group or others" -/ "$T/wparent/inner" true
check_usage chroot_through_symlink_checks_the_target "refusing chroot directory: $T/gw is writable" -/ "$(ln -s "$T/gw" "$T/link"; echo "$T/link")" true
if [ "$(id -u)" = 0 ]; then
  "$L" -/ "$T/ok" /bin/true 2>/dev/null; rc=$?
  is "$rc" 127 "chroot_accepted_then_exec_inside_it_fails_127_without_bin_true"
else
  skip "chroot needs root"
fi

# exec failures and the program's exit status pass through
"$L" -o 64 "$T/no-such-program" 2>/dev/null; is "$?" 127 "exec_not_found_127"
"$L" -o 64 sh -c 'exit 7'; is "$?" 7 "exit_status_of_program"
"$L" -T 5 sh -c 'exit 7'; is "$?" 7 "exit_status_of_program_under_time_limit"
"$L" -T 5 sh -c 'kill -USR1 $$'; is "$?" 138 "signal_of_program_under_time_limit_128_plus_sig"
"$L" -o 10:5 true 2>/dev/null; is "$?" 100 "soft_above_hard_refused_before_running"
ERR=$(ulimit -n 1024 && "$L" -o 2048 true 2>&1); RC=$?
is "$RC" 111 "soft_above_current_hard_limit_is_111"
like "$ERR" 'unable to set RLIMIT_NOFILE \(-o\): soft limit above the current hard limit' "soft_above_current_hard_limit_says_why"
done_testing
