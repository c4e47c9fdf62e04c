#!/bin/bash
# Supervision: a chain killed with SIGKILL is restarted on the same socket
# and logged; a service whose port is taken retries its bind with backoff
# while the others serve, and comes up once the port is free.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/sup.sh"

free_ports 2; set -- $PORTS; P1=$1 P2=$2
printf '%s\n' "service echo 127.0.0.1:$P1 0 $EX/echo-server" "service late 127.0.0.1:$P2 0 $EX/hello-server" >"$T/conf"

# hold P2 so that minetd-sup cannot bind it
python3 -c 'import socket,sys,time; s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(); print("up", flush=True); time.sleep(60)' "$P2" >"$T/holder" &
holder=$!; PIDS+=("$holder")
wait_until 10 grep -q up "$T/holder"

# foreground: it runs what it can; readiness waits for every listener
"$SUP" -f -c "$T/conf" -p "$T/pid" -R "$T/run" 2>>"$T/log" &
SUP_PID=$!; PIDS+=("$SUP_PID")
echo_ok() { [ "$(fetch 127.0.0.1 "$P1" hi)" = hi ]; }
hello_ok() { fetch 127.0.0.1 "$P2" | grep -q '^hello'; }
wait_until 10 echo_ok; ok $? "sup_other_service_serves_while_one_cannot_bind"
like "$(cat "$T/log")" "warning: service late: unable to bind to 127.0.0.1:$P2: $(errstr EADDRINUSE) \(retrying\)" "sup_bind_failure_logged"
wait_until 5 sh -c "\"$SUP\" --status -p $T/pid -R $T/run | grep -q 'late .*retrying-bind'"; ok $? "sup_status_shows_retrying_bind"
like "$("$SUP" --status -p "$T/pid" -R "$T/run")" "late .*bind: $(errstr EADDRINUSE)" "sup_status_shows_bind_error"
kill "$holder"; wait "$holder" 2>/dev/null
wait_until 15 hello_ok; ok $? "sup_service_comes_up_once_port_is_free"
like "$(cat "$T/log")" "service late: bound to 127.0.0.1:$P2 after retrying" "sup_late_bind_logged"
is "$(svc_state late)" running "sup_status_running_after_retry"

# kill -9 of a chain: restarted, same socket, logged with its status
old=$(chain_pid echo)
sock=$(chain_socket "$old" "$P1")
like "$sock" '^socket:' "sup_chain_holds_the_listener"
kill -KILL "$old"
wait_until 10 sh -c "p=\$(\"$SUP\" --status -p $T/pid -R $T/run | awk '\$1 == \"echo\" && \$3 == \"running\" { print \$4 }'); [ -n \"\$p\" ] && [ \"\$p\" != $old ]"
ok $? "sup_killed_chain_restarted"
new=$(chain_pid echo)
is "$(chain_socket "$new" "$P1")" "$sock" "sup_restarted_chain_has_same_socket"
is "$(fetch 127.0.0.1 "$P1" again)" again "sup_restarted_chain_serves"
like "$(cat "$T/log")" "service echo: chain pid $old died \(killed by signal SIGKILL\), restarting in [0-9]+ ms" "sup_chain_death_logged_with_status"
like "$("$SUP" --status -p "$T/pid" -R "$T/run")" "echo +127.0.0.1:$P1 +running +$new +1 " "sup_status_counts_restart"

# a chain that keeps dying is restarted with growing delays, not in a hot loop
kill -KILL "$(chain_pid echo)"; sleep 0.1
wait_until 10 sh -c "\"$SUP\" --status -p $T/pid -R $T/run | grep -q 'echo .* running .* 2 '"
kill -KILL "$(chain_pid echo)"
wait_until 10 sh -c "\"$SUP\" --status -p $T/pid -R $T/run | grep -q 'echo .* running .* 3 '"
delays=$(grep -o 'service echo: chain pid [0-9]* died .*restarting in [0-9]* ms' "$T/log" | grep -o '[0-9]* ms' | tr '\n' ' ')
note "restart delays: $delays"
set -- $delays
ok $([ "$3" -gt "$1" ] && echo 0 || echo 1) "sup_restart_backoff_grows"
stop "$SUP_PID"
done_testing
