#!/bin/bash
# minetd-sup -t: every seed example line parses; each class of config
# error is reported as "file:line: reason", all in one pass, exit 100.
. "$(dirname "$0")/../lib.sh"
SUP=$B/minetd-sup
EX=$B/examples

# check CONF-TEXT: runs -t on it; sets OUT (stdout+stderr) and RC
check() { printf '%s\n' "$1" >"$T/c.conf"; OUT=$("$SUP" -t -c "$T/c.conf" -R /run/minetd -B /B 2>&1); RC=$?; }

# The seed README's lines, with the programs it names put where the build has them.
seed='# comment
service echo    0.0.0.0:7000 60 /usr/local/bin/echo-server
service daytime 0.0.0.0:7001 30 /usr/local/bin/daytime-server'
check "$(printf '%s\n' "$seed" | sed "s#/usr/local/bin#$EX#")"
is "$RC" 0 "conf_seed_config_checks"
like "$OUT" "/B/minetd-tcp 0.0.0.0 7000 /B/minetd-rate -n 60 -w 60 -f /run/minetd/echo.rate $EX/echo-server" "conf_seed_echo_chain_printed"
like "$OUT" "/B/minetd-tcp 0.0.0.0 7001 /B/minetd-rate -n 30 -w 60 -f /run/minetd/daytime.rate $EX/daytime-server" "conf_seed_daytime_chain_printed"
check "service daytime 0.0.0.0:7001 10 $EX/daytime-server
service echo 0.0.0.0:7002 60 $EX/echo-server"
is "$RC" 0 "conf_seed_second_example_checks"
# As written (programs not installed here) the only complaint is the program.
check "$seed"
is "$RC" 100 "conf_seed_missing_programs_exit_100"
is "$(printf '%s\n' "$OUT" | grep -c 'No such file or directory')" 2 "conf_seed_only_missing_programs_reported"

# the printed chain is shell-pasteable: it survives a round trip through sh
check "service hello 127.0.0.1:7003 0 refuse=\"421 it's busy\\r\\n\" $EX/hello-server 'two words'"
cmd=$(printf '%s\n' "$OUT" | grep -v '^#')
words=$(sh -c "set -- $cmd; for w; do printf '[%s]' \"\$w\"; done")
is "$words" "[/B/minetd-tcp][-r][421 it's busy\\r\\n][127.0.0.1][7003][$EX/hello-server][two words]" "conf_t_output_is_shell_pasteable"

err() { # err NAME CONF-TEXT REGEX
  check "$2"
  if [ "$RC" = 100 ]; then like "$OUT" "$3" "$1"; else is "$RC" 100 "$1 (exit code)"; fi
}
F=$T/c.conf
err conf_error_unknown_key "service e 127.0.0.1:7000 1 maxcon=3 $EX/echo-server" \
  "^minetd-sup: fatal: $F:1: unknown option \"maxcon\" \(did you mean \"maxconn\"\?\)"
err conf_error_duplicate_name "service e 127.0.0.1:7000 1 $EX/echo-server
service e 127.0.0.1:7001 1 $EX/echo-server" "$F:2: duplicate service name \"e\" \(first defined at line 1\)"
err conf_error_duplicate_address "service e 127.0.0.1:7000 1 $EX/echo-server
service f 127.0.0.1:7000 1 $EX/echo-server" "$F:2: duplicate address \"127.0.0.1:7000\": conflicts with service e at line 1"
err conf_error_star_overlaps_v4 "service e *:7000 1 $EX/echo-server
service f 127.0.0.1:7000 1 $EX/echo-server" "$F:2: duplicate address"
err conf_error_bad_port "service e 127.0.0.1:70000 1 $EX/echo-server" "$F:1: invalid port \"70000\""
err conf_error_bad_host "service e 300.1.1.1:7000 1 $EX/echo-server" "$F:1: invalid host \"300.1.1.1\""
err conf_error_v4_mapped_host "service e [::ffff:127.0.0.1]:7000 1 $EX/echo-server" \
  "$F:1: invalid host \"\[::ffff:127.0.0.1\]\": an IPv4-mapped IPv6 address cannot be bound: write the IPv4 address 127.0.0.1 instead"
err conf_error_bad_rate "service e 127.0.0.1:7000 lots $EX/echo-server" "$F:1: invalid max_conn_per_min \"lots\""
err conf_error_unknown_user "service e 127.0.0.1:7000 1 user=nosuchuser-x $EX/echo-server" "$F:1: unknown user \"nosuchuser-x\""
err conf_error_unknown_group "service e 127.0.0.1:7000 1 group=nosuchgroup-x $EX/echo-server" "$F:1: unknown group \"nosuchgroup-x\""
err conf_error_missing_program "service e 127.0.0.1:7000 1 /nonexistent/echo" "$F:1: program /nonexistent/echo: No such file or directory"
printf 'not a program\n' >"$T/plain"; chmod 644 "$T/plain"
err conf_error_non_executable_program "service e 127.0.0.1:7000 1 $T/plain" "$F:1: program $T/plain: not executable"
err conf_error_bad_value "service e 127.0.0.1:7000 1 prefix4=33 $EX/echo-server" "$F:1: invalid prefix4=\"33\": expected an integer from 0 to 32"
err conf_error_unknown_directive "server e 127.0.0.1:7000 1 $EX/echo-server" "$F:1: unknown directive \"server\""
err conf_error_short_line "service e 127.0.0.1:7000" "$F:1: service line needs a rate"
err conf_error_missing_rules "service e 127.0.0.1:7000 1 rules=nope.rules $EX/echo-server" "$F:1: rules file $T/nope.rules: unable to open: No such file"

check "service a 127.0.0.1:7000 1 $EX/echo-server
service a 127.0.0.1:7001 1 bogus=1 $EX/echo-server
service c nowhere 1 $EX/echo-server
service d 127.0.0.1:7003 1 /nonexistent"
is "$RC" 100 "conf_all_errors_exit_100"
is "$(printf '%s\n' "$OUT" | grep -c "^minetd-sup: fatal: $F:")" 4 "conf_all_errors_reported_in_one_pass"
like "$OUT" "fatal: 4 errors in $F: nothing applied" "conf_error_count_summary"
is "$(printf '%s\n' "$OUT" | grep -v '^minetd-sup:' | wc -l)" 0 "conf_no_chain_printed_when_invalid"

OUT=$("$SUP" -t -c "$T/none.conf" 2>&1); RC=$?
is "$RC" 100 "conf_missing_file_exit_100"
like "$OUT" "$T/none.conf: unable to read: No such file or directory" "conf_missing_file_message"

# the shipped example config is valid (it names the default build's
# examples, ../build/examples: for another build, its own)
EX=$ROOT/examples/minetd.conf
if [ "$B" != "$ROOT/build" ]; then
  sed "s|\.\./build/examples/|$B/examples/|" "$EX" >"$T/example.conf"; EX=$T/example.conf
fi
OUT=$("$SUP" -t -c "$EX" 2>&1); RC=$?
is "$RC" 0 "conf_shipped_example_is_valid"
done_testing
