#!/bin/bash
# minetd-convert on the edge cases of tests/minetd-convert/cases (written
# for these tests): what each line becomes, what is reported, the exit
# status, and that minetd-sup -t accepts every result.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/convert.sh"
cd "$CASES" || exit 1

conv "$T/i.conf" edge.inetd
is "$RC" 1 "inetd_tcpd_left_out_exits_1"
is "$(cat "$T/i.conf.err")" "edge.inetd:15: service 7107: tcpd left out, the program runs without the checks of hosts.allow and hosts.deny: write them as rules= (minetd-env(8))
minetd-convert: warning: incomplete: 1 thing not translated" "inetd_reports_only_the_tcpd_line"
like "$(services "$T/i.conf")" "service 7100 127.0.0.1:7100 30 user=nobody group=nogroup stderr=yes /bin/cat -u # edge.inetd:3" "inetd_addr_service_wait_max_user_dot_group_argv0_dropped"
like "$(services "$T/i.conf")" "service 7101 127.0.0.1:7101 256 user=nobody group=nogroup stderr=yes /bin/cat # edge.inetd:5" "inetd_addr_line_sets_host_user_colon_group_default_rate_256"
like "$(services "$T/i.conf")" "service 7102 127.0.0.1:7102/udp 256 user=nobody /bin/cat # edge.inetd:6" "inetd_dgram_udp_wait_no_stderr"
like "$(services "$T/i.conf")" "service 7103 \[::1\]:7103 256 stderr=yes /bin/cat #" "inetd_bracketed_ipv6_host"
like "$(services "$T/i.conf")" "service 7104 \[::1\]:7104 256" "inetd_bare_ipv6_host_split_at_last_colon"
like "$(cat "$T/i.conf")" "# note: wait.5: minetd cannot count.*
service 7105 \[::\]:7105 0 /bin/cat #" "inetd_tcp6_wait_rate_0_with_note"
like "$(services "$T/i.conf")" "service 7106 127.0.0.1:7106 .*
service 7106-tcp 127.0.0.2:7106 " "inetd_host_list_one_service_each_unique_names"
like "$(services "$T/i.conf")" "service echo \*:7 256 internal:echo #" "inetd_internal_echo_tcp_dual_stack"
like "$(services "$T/i.conf")" "service daytime \*:13/udp 256 internal:daytime #" "inetd_internal_daytime_udp"
like "$(cat "$T/i.conf")" "#service time \*:37 256 internal:time # edge.inetd:14" "inetd_update_inetd_off_line_commented_out"
like "$(services "$T/i.conf")" "service 7107 \*:7107 256 stderr=yes /bin/cat #" "inetd_tcpd_replaced_by_its_program"
sup_check "$T/i.conf"; ok $? "inetd_edge_result_passes_minetd_sup_t"

conv "$T/b.conf" bad.inetd
is "$RC" 1 "inetd_bad_exits_1"
is "$(grep -c '^bad.inetd:' "$T/b.conf.err")" 11 "inetd_bad_every_line_reported"
is "$(sed -n 's/^bad.inetd:\([0-9]*\):.*/\1/p' "$T/b.conf.err" | tr '\n' ' ')" "2 3 4 5 6 7 8 9 10 11 12 " "inetd_bad_reported_by_file_and_line"
like "$(cat "$T/b.conf.err")" "bad.inetd:2: service echo not translated: echo and chargen over UDP" "inetd_udp_echo_refused_reflection"
like "$(cat "$T/b.conf.err")" "bad.inetd:8: .*host \"host.example.com\" is not an IP address" "inetd_host_names_not_looked_up"
like "$(cat "$T/b.conf.err")" "bad.inetd:11: service 7205: argv\[0\] \"dog\" left out" "inetd_other_argv0_reported"
is "$(services "$T/b.conf" | wc -l)" 2 "inetd_bad_only_the_translatable_rest_written"
sup_check "$T/b.conf"; ok $? "inetd_bad_result_passes_minetd_sup_t"

# xinetd: defaults, include, rules, limits
mkdir -p "$T/rules"
conv "$T/x.conf" -R "$T/rules" edge.xinetd
is "$RC" 0 "xinetd_edge_complete_exits_0"
is "$(cat "$T/x.conf.err")" "" "xinetd_edge_nothing_reported"
like "$(services "$T/x.conf")" "service included 127.0.0.1:7304 3000 maxconn=20 persource=4 stderr=yes rules=$T/rules/included.rules rules_default=allow /bin/cat # edge.xinetd.inc:2" "xinetd_include_defaults_cps_default_no_access_alone_allows_the_rest"
like "$(services "$T/x.conf")" "service cat 127.0.0.1:7300 300 user=nobody maxconn=20 persource=4 nodelay=yes keepalive=yes rlimit_as=64m:64m rlimit_files=64:64 nice=5 umask=027 env=GREETING=hello passenv=LANG stderr=yes rules=$T/rules/cat.rules /bin/cat -u #" "xinetd_stanza_to_options"
is "$(grep -v '^#' "$T/rules/cat.rules")" "deny 127.0.0.2/32
allow 127.0.0.0/8
allow 10.1.2.3/32
allow 10.1.2.4/32" "xinetd_only_from_no_access_rules_file"
is "$(grep -v '^#' "$T/rules/included.rules")" "deny 10.0.0.0/8" "xinetd_no_access_cidr"
like "$(services "$T/x.conf")" "service v6 \*:7301 3000 user=nobody group=nogroup maxconn=65535 persource=4 prefix6=128 stderr=yes /bin/cat #" "xinetd_ipv6_flag_dual_stack_per_source_per_address"
like "$(cat "$T/x.conf")" "# disabled \(in xinetd's disabled list\):
#service off-by-defaults 0:7302 " "xinetd_defaults_disabled_list_commented_out"
like "$(services "$T/x.conf")" "service daytime 127.0.0.1:7303/udp 3000 internal:daytime #" "xinetd_internal_udp_wait_no_per_source"
if has_limit_keys; then sup_check "$T/x.conf"; ok $? "xinetd_edge_result_passes_minetd_sup_t"
else skip "minetd-sup without issue 12's keys (nice=, rlimit_*=, env=): xinetd_edge_result_passes_minetd_sup_t"; fi

# without -R the services with rules are written commented out
conv "$T/n.conf" edge.xinetd
is "$RC" 1 "xinetd_rules_without_R_exits_1"
like "$(cat "$T/n.conf.err")" "edge.xinetd:12: service cat: its access rules need a rules file \(run with -R DIR\)" "xinetd_rules_without_R_reported"
like "$(cat "$T/n.conf")" "#   allow 10.1.2.3/32" "xinetd_rules_without_R_shown_as_comments"
is "$(services "$T/n.conf" | grep -c 'service cat ')" 0 "xinetd_rules_without_R_service_not_enabled"

# banner_fail, quoting, xinetd's own defaults-less file, -x forced
printf '421 go away\r\n' >"$T/fail.txt"
cat >"$T/q.xinetd" <<EOT
service quote
{
	socket_type	= stream
	wait		= no
	server		= /bin/echo
	server_args	= "#x" a\\"b  c\\\\
	port		= 7400
	bind		= 127.0.0.1
	banner_fail	= $T/fail.txt
	only_from	= 127.0.0.1
	access_times	= 2:00-8:59
	rlimit_rss	= 1M
}
EOT
conv "$T/q.conf" -x -R "$T/rules" "$T/q.xinetd"
is "$RC" 1 "xinetd_unsupported_attributes_exit_1"
like "$(cat "$T/q.conf.err")" "q.xinetd:11: service quote: access_times left out" "xinetd_access_times_reported"
like "$(cat "$T/q.conf.err")" "q.xinetd:12: service quote: rlimit_rss left out" "xinetd_rlimit_rss_reported"
like "$(services "$T/q.conf")" 'refuse="421 go away\\r\\n"' "xinetd_banner_fail_as_refuse"
is "$(grep -v '^#' "$T/rules/quote.rules")" 'allow 127.0.0.1/32
deny * msg="421 go away\r\n"' "xinetd_banner_fail_on_the_rules_denial"
sup_check "$T/q.conf"; ok $? "xinetd_quoted_result_passes_minetd_sup_t"
like "$(cat "$T/q.conf.t")" "/bin/echo '\"#x\"' 'a\\\\\"b' 'c\\\\\\\\'" "xinetd_args_survive_quoting"

# includedir: C order, names with a dot or ending in ~ skipped
mkdir -p "$T/d"
for n in b a c.rpmsave d~; do
  printf 'service %s\n{\n\tsocket_type = stream\n\twait = no\n\tserver = /bin/cat\n\tport = %s\n\tbind = 127.0.0.1\n}\n' "s$n" "$((7500 + ${#n} + $(printf '%d' "'$n") % 10))" >"$T/d/$n"
done
printf 'defaults\n{\n}\nincludedir d\n' >"$T/top.xinetd"
conv "$T/d.conf" "$T/top.xinetd"
is "$(services "$T/d.conf" | awk '{print $2}' | tr '\n' ' ')" "sa sb " "xinetd_includedir_c_order_skips_dot_and_tilde"
is "$RC" 0 "xinetd_includedir_relative_to_the_file"

# the format is guessed; -i forces inetd
conv "$T/f.conf" -i edge.xinetd
is "$RC" 1 "forced_inetd_on_xinetd_reports"
like "$(head -n 1 "$T/f.conf")" "\(inetd\)" "forced_inetd_said_in_header"

# exit statuses
"$CONV" >/dev/null 2>&1; is $? 100 "no_file_usage_100"
"$CONV" -z edge.inetd >/dev/null 2>&1; is $? 100 "bad_option_usage_100"
"$CONV" -R edge.inetd edge.inetd >/dev/null 2>&1; is $? 100 "R_not_a_directory_100"
"$CONV" "$T/missing" >/dev/null 2>"$T/err"; is $? 111 "missing_file_111"
like "$(cat "$T/err")" "minetd-convert: fatal: unable to open $T/missing" "missing_file_message"
done_testing
