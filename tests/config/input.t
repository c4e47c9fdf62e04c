#!/bin/bash
# Hostile input to the config reader: a FIFO or a device named as the
# config, a huge file, a huge word, a long line. minetd-sup never blocks or
# crashes on them, at -t or on a reload: it reports a bounded error.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../minetd-sup/sup.sh"
F=$T/c.conf

# check FILE: -t on it, bounded so a blocking read fails the test instead of
# hanging it; sets OUT and RC.
# Memory bounded at 2 GB; a sanitized build (make check-san) maps terabytes
# of shadow memory at start, so there ASan's own malloc limit bounds it.
memlimit() {
  if [ -n "${MINETD_SANITIZED:-}" ]; then export ASAN_OPTIONS="${ASAN_OPTIONS:-}:malloc_limit_mb=2000"
  else ulimit -v 2000000; fi
}
check() { OUT=$(memlimit; timeout 10 "$SUP" -t -c "$1" -R "$T/run" 2>&1); RC=$?; }

mkfifo "$T/fifo.conf"
check "$T/fifo.conf"
is "$RC" 100 "conf_fifo_as_config_does_not_block"
like "$OUT" "fatal: $T/fifo.conf: not a regular file" "conf_fifo_as_config_is_not_a_regular_file"

check /dev/zero
is "$RC" 100 "conf_device_as_config_is_refused"
like "$OUT" "fatal: /dev/zero: not a regular file" "conf_device_as_config_is_not_a_regular_file"

head -c 1048577 /dev/zero | tr '\0' '#' >"$F"
check "$F"
is "$RC/$OUT" "100/minetd-sup: fatal: $F: too large (at most 1048576 bytes)
minetd-sup: fatal: 1 error in $F: nothing applied" "conf_file_over_1_mib_is_refused"

# an 8 MB address word: no stack array sized by it
{ printf 'service e '; head -c 8000000 /dev/zero | tr '\0' 'a'; printf ':7000 1 %s\n' "$EX/echo-server"; } >"$F"
check "$F"
is "$RC" 100 "conf_8mb_word_is_an_error_not_a_crash"
like "$OUT" "$F: too large" "conf_8mb_word_file_too_large"

{ printf 'service e 127.0.0.1:7000 1 %s ' "$EX/echo-server"; head -c 100000 /dev/zero | tr '\0' 'a'; printf '\n'; } >"$F"
check "$F"
is "$RC" 100 "conf_long_line_exit_100"
like "$OUT" "fatal: $F:1: line too long \(at most 8192 bytes\)" "conf_long_line_reported_with_line"

{ printf '# fine\nservice e 127.0.0.1:7000 1 %s ' "$EX/echo-server"; head -c 4096 /dev/zero | tr '\0' 'a'; printf '\n'; } >"$F"
check "$F"
like "$OUT" "fatal: $F:2: word too long \(at most 4095 bytes\)" "conf_long_word_reported_with_line"

{ printf 'service e 127.0.0.1:7000 1 %s ' "$EX/echo-server"; head -c 4095 /dev/zero | tr '\0' 'a'; printf '\n'; } >"$F"
check "$F"
is "$RC" 0 "conf_word_of_4095_bytes_is_fine"

# many bad lines: the report is bounded too
for i in $(seq 1 500); do echo "bogus $i"; done >"$F"
check "$F"
is "$RC" 100 "conf_many_errors_exit_100"
is "$(printf '%s\n' "$OUT" | grep -c "fatal: $F:[0-9]*: unknown directive")" 100 "conf_at_most_100_errors_reported"
like "$OUT" "fatal: $F: too many errors, stopped at line 100" "conf_too_many_errors_says_where_it_stopped"

# the same on a reload: the running configuration stays, the supervisor lives
free_ports 1
printf 'service e 127.0.0.1:%s 0 %s\n' "$PORTS" "$EX/echo-server" >"$T/good.conf"
cp "$T/good.conf" "$T/live.conf"
start_sup "$T/log" "$T/live.conf"; ok $? "sup_started"
# a supervisor that crashed would leave its chain behind: ours to end
CPID=$(chain_pid e); [ -n "$CPID" ] && PIDS+=("$CPID")
{ printf 'service e '; head -c 8000000 /dev/zero | tr '\0' 'a'; printf ':7000 1 %s\n' "$EX/echo-server"; } >"$T/live.conf"
reload_and_wait "$T/log"; ok $? "sup_reload_of_8mb_word_is_refused"
kill -0 "$SUP_PID" 2>/dev/null; ok $? "sup_survives_reload_of_8mb_word"
rm -f "$T/live.conf"; mkfifo "$T/live.conf"
reload_and_wait "$T/log"; ok $? "sup_reload_of_fifo_does_not_block"
like "$(tail -2 "$T/log")" "$T/live.conf: not a regular file" "sup_reload_of_fifo_says_not_a_regular_file"
is "$(fetch 127.0.0.1 "$PORTS" x)" "x" "sup_keeps_serving_after_refused_reloads"
stop "$SUP_PID"
done_testing
