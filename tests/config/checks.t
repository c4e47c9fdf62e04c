#!/bin/bash
# minetd-sup -t (and start, and reload) checks what each chain checks when
# it starts, with the links' own code: a file -t accepts starts, instead of
# a chain crash-looping on a bad rules file, a bad refusal message, a
# file its user cannot read, or an unusable runtime directory.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../minetd-sup/sup.sh"
F=$T/c.conf
R=$T/run

# check CONF-TEXT [RUNDIR]: -t on it; sets OUT and RC
check() { printf '%s\n' "$1" >"$F"; OUT=$(timeout 10 "$SUP" -t -c "$F" -R "${2:-$R}" 2>&1); RC=$?; }
err() { # err NAME CONF-TEXT REGEX [RUNDIR]
  check "$2" "${4:-}"
  if [ "$RC" = 100 ]; then like "$OUT" "$3" "$1"; else is "$RC" 100 "$1 (exit code)"; echo "# $OUT"; fi
}

printf 'allow 127.0.0.1\nthis is not a rule\n' >"$T/bad.rules"
err conf_rules_syntax_error_found_by_the_rules_parser "service e 127.0.0.1:7000 1 rules=bad.rules $EX/echo-server" \
  "fatal: $F:1: rules file $T/bad.rules:2: unknown action \"this\" \(expected allow or deny\)"
mkfifo "$T/fifo.rules"
err conf_rules_fifo_does_not_block "service e 127.0.0.1:7000 1 rules=fifo.rules $EX/echo-server" \
  "$F:1: rules file $T/fifo.rules: not a regular file"
err conf_refuse_bad_escape_found_by_the_links_unescape "service e 127.0.0.1:7000 1 refuse=\"busy\\q\" $EX/echo-server" \
  "$F:1: invalid refuse=\"busy\\\\q\": unknown escape"
long=$(head -c 1100 /dev/zero | tr '\0' 'x')
err conf_refuse_longer_than_minetd_rate_takes "service e 127.0.0.1:7000 1 refuse=$long $EX/echo-server" \
  "$F:1: refuse= message too long \(at most 1023 bytes as written\)"

# the runtime directory: as minetd-sup requires it at start
: >"$T/plainfile"
err conf_rundir_not_a_directory "service e 127.0.0.1:7000 1 $EX/echo-server" \
  "fatal: $F: runtime directory $T/plainfile: not a directory" "$T/plainfile"
mkdir -m 0777 "$T/open"; chmod 0777 "$T/open"
err conf_rundir_writable_by_others "service e 127.0.0.1:7000 1 $EX/echo-server" \
  "$F: runtime directory $T/open: must be owned by us and writable by nobody else" "$T/open"
err conf_rundir_parent_missing "service e 127.0.0.1:7000 1 $EX/echo-server" \
  "$F: runtime directory $T/nope/run cannot be created: $T/nope: No such file" "$T/nope/run"
check "service e 127.0.0.1:7000 1 $EX/echo-server" "$T/not-yet"
is "$RC" 0 "conf_rundir_still_to_be_created_is_fine"
mkdir -p "$R/e.rate"
err conf_rate_state_file_not_a_regular_file "service e 127.0.0.1:7000 1 $EX/echo-server" \
  "$F:1: rate state file $R/e.rate is not a regular file"
rmdir "$R/e.rate"; ln -s /etc/passwd "$R/e.rate"
err conf_rate_state_file_symlink "service e 127.0.0.1:7000 1 $EX/echo-server" \
  "$F:1: rate state file $R/e.rate is a symbolic link"
rm -f "$R/e.rate"
check "service e 127.0.0.1:7000 0 $EX/echo-server"
is "$RC" 0 "conf_state_file_only_checked_for_rate_limited_services"

if [ "$(id -u)" = 0 ]; then
  # as the service's user, with the credentials minetd-tcp gives it
  printf 'allow 127.0.0.1\n' >"$T/secret.rules"; chmod 600 "$T/secret.rules"
  err conf_rules_unreadable_by_the_service_user "service e 127.0.0.1:7000 0 user=nobody rules=secret.rules /bin/cat" \
    "$F:1: rules file $T/secret.rules: unable to open: Permission denied \(as user nobody, whom the chain runs as\)"
  check "service e 127.0.0.1:7000 0 user=root rules=secret.rules /bin/cat"
  is "$RC" 0 "conf_rules_readable_by_root_user"
  chgrp daemon "$T/secret.rules"; chmod 640 "$T/secret.rules"
  check "service e 127.0.0.1:7000 0 user=nobody group=daemon rules=secret.rules /bin/cat"
  is "$RC" 0 "conf_rules_readable_through_group_option"
  mkdir -m 0700 "$T/private"; cp /bin/cat "$T/private/cat"
  err conf_program_not_executable_by_the_service_user "service e 127.0.0.1:7000 0 user=nobody $T/private/cat" \
    "$F:1: program $T/private/cat: not executable by user nobody: Permission denied"
  mkdir -m 0700 "$T/private/run"
  err conf_rundir_not_searchable_by_the_service_user "service e 127.0.0.1:7000 5 user=nobody /bin/cat" \
    "$F:1: runtime directory $T/private/run: not searchable by user nobody, who opens the rate state file: Permission denied" "$T/private/run"
  err conf_rundir_to_create_not_searchable_by_the_service_user "service e 127.0.0.1:7000 5 user=nobody /bin/cat" \
    "$F:1: runtime directory $T/private: not searchable by user nobody" "$T/private/run2"
else
  skip "conf_*_service_user (needs root)"
fi

# What -t accepts starts: every option at the largest value -t takes.
free_ports 3; set -- $PORTS
printf 'allow 127.0.0.1\n' >"$T/ok.rules"
u=; [ "$(id -u)" = 0 ] && u=user=nobody
cat >"$T/max.conf" <<CONF
service max 127.0.0.1:$1 1000000000 $u maxconn=65535 persource=65535 source_rate=1000000 prefix4=32 prefix6=128 backlog=65535 rules=ok.rules refuse="busy\\r\\n" nodelay=yes keepalive=yes stderr=no verbose=yes /bin/cat
service min 127.0.0.1:$3 0 $u maxconn=1 persource=1 source_rate=0 prefix4=0 prefix6=0 backlog=1 /bin/cat
CONF
"$SUP" -t -c "$T/max.conf" -R "$R" >/dev/null 2>&1; ok $? "conf_max_and_min_values_accepted"
start_sup "$T/log" "$T/max.conf"; ok $? "sup_starts_what_t_accepts"
is "$(fetch 127.0.0.1 "$1" hi)" "hi" "sup_chain_of_max_values_serves"
is "$(fetch 127.0.0.1 "$3" lo)" "lo" "sup_chain_of_min_values_serves"
is "$(svc_state max)/$(svc_state min)/$(grep -c 'died' "$T/log")" "running/running/0" "sup_chains_of_max_and_min_values_do_not_die"

# the same checks on a reload: refused, the running chain kept
p=$(chain_pid max)
sed -i 's/ok.rules/bad.rules/' "$T/max.conf"
reload_and_wait "$T/log"
like "$(grep 'warning' "$T/log")" "warning: $T/max.conf:1: rules file $T/bad.rules:2: unknown action" "sup_reload_refuses_rules_syntax_error"
is "$(chain_pid max)" "$p" "sup_reload_with_bad_rules_keeps_the_chain"
stop "$SUP_PID"

printf 'service e 127.0.0.1:%s 1 refuse="busy\\q" /bin/cat\n' "$2" >"$T/bad.conf"
timeout 10 "$SUP" -f -c "$T/bad.conf" -p "$T/pid2" -R "$R" 2>"$T/log2"; rc=$?
is "$rc" 100 "sup_start_refuses_what_t_refuses"
done_testing
