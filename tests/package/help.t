#!/bin/bash
# One behaviour for --help and bad options in all four programs: --help
# prints "usage: ..." on stdout and exits 0; an unknown option, or one
# missing its argument, says which on stderr, then the usage line, exit 100.
. "$(dirname "$0")/../lib.sh"

for p in minetd-tcp minetd-env minetd-rate minetd-sup; do
  out=$(timeout 10 "$B/$p" --help 2>"$T/err"); rc=$?
  is "$rc" 0 "${p}_help_exits_0"
  like "$out" "^usage: $p " "${p}_help_prints_usage_on_stdout"
  is "$(cat "$T/err")" "" "${p}_help_writes_nothing_on_stderr"
  timeout 10 "$B/$p" -Z x y z >"$T/out" 2>"$T/err" </dev/null; rc=$?
  is "$rc" 100 "${p}_unknown_option_exits_100"
  is "$(sed -n 1p "$T/err")" "$p: fatal: unknown option -Z" "${p}_unknown_option_named"
  like "$(sed -n 2p "$T/err")" "^$p: usage: $p " "${p}_unknown_option_then_usage"
  is "$(wc -l <"$T/err"):$(wc -c <"$T/out")" "2:0" "${p}_unknown_option_two_lines_on_stderr_only"
done
# an option whose argument is missing (each program has -v and one with an argument)
for pa in "minetd-tcp -c" "minetd-env -r" "minetd-rate -n" "minetd-sup -c"; do
  set -- $pa
  timeout 10 "$B/$1" "$2" 2>"$T/err" >/dev/null </dev/null; rc=$?
  is "$rc:$(sed -n 1p "$T/err")" "100:$1: fatal: missing argument for option $2" "${1}_missing_argument_named"
done
timeout 10 "$B/minetd-sup" --bogus 2>"$T/err" >/dev/null; rc=$?
is "$rc:$(sed -n 1p "$T/err")" "100:minetd-sup: fatal: unknown option --bogus" "minetd-sup_unknown_long_option_named"
done_testing
