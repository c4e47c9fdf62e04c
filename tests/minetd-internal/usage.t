#!/bin/bash
# minetd-internal: bad usage is exit 100 and one line naming the fault;
# --help prints the usage line.
. "$(dirname "$0")/../lib.sh"
check() { usage_check minetd-internal "$@" ; }  # check NAME WANT-REGEX ARGS...
check internal_usage_no_service '^minetd-internal: usage: minetd-internal \[ -t idle \] echo\|discard\|daytime\|time\|chargen$'
check internal_usage_two_services '^minetd-internal: usage: ' echo time
check internal_usage_unknown_service '^minetd-internal: fatal: unknown service "qotd": expected echo, discard, daytime, time or chargen$' qotd
check internal_usage_bad_idle '^minetd-internal: fatal: invalid idle timeout "0"' -t 0 echo
"$B/minetd-internal" -x echo 2>"$T/err"; rc=$?
is "$rc" 100 "internal_usage_unknown_option_exits_100"
like "$(head -n 1 "$T/err")" '^minetd-internal: fatal: unknown option -x' "internal_usage_unknown_option_named_then_usage"
like "$("$B/minetd-internal" --help)" '^usage: minetd-internal ' "internal_help_prints_usage"
# not a socket at all: a pipe works as a stream (fd 0 in, fd 1 out)
is "$(printf 'through a pipe\n' | "$B/minetd-internal" echo)" "through a pipe" "internal_echo_over_pipes"
is "$("$B/minetd-internal" time </dev/null | wc -c)" 4 "internal_time_over_a_pipe_writes_4_bytes"
done_testing
