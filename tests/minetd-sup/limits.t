#!/bin/bash
# minetd.conf's limit keys under a real minetd-sup: the connection's
# process shows them in /proc/self; a reload that changes one service's
# limit key restarts that chain alone, and the other service's live
# connection goes on.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/sup.sh"

cat >"$T/probe" <<'EOF2'
#!/bin/sh
p=/proc/$$
lim() { sed -n "s/^$1  *\([^ ]*\)  *\([^ ]*\).*/\1:\2/p" $p/limits; }
echo "as=$(lim 'Max address space') nofile=$(lim 'Max open files') cpu=$(lim 'Max cpu time') fsize=$(lim 'Max file size')"
set -- $(sed 's/^.*) //' $p/stat)
echo "nice=${17}"
[ "$3" = $$ ] && echo "pgrp=own" || echo "pgrp=other"
[ "$4" = $$ ] && echo "session=own" || echo "session=other"
echo "umask=$(sed -n 's/^Umask:[[:space:]]*//p' $p/status)"
echo "nnp=$(sed -n 's/^NoNewPrivs:[[:space:]]*//p' $p/status)"
echo "SET=${SET-unset} TWO=${TWO-unset} KEEP=${KEEP-unset} DROP=${DROP-unset} PROTO=${PROTO-unset}"
EOF2
chmod +x "$T/probe"
export KEEP=kept DROP=dropped

free_ports 2; set -- $PORTS; P1=$1 P2=$2
conf() { printf '%s\n' "$@" >"$T/conf.new" && mv "$T/conf.new" "$T/conf"; }
LIM="service lim 127.0.0.1:$P1 0 rlimit_as=512m:1g rlimit_files=64:128 rlimit_cpu=30:40 rlimit_fsize=1m nice=7 umask=027 no_new_privs=yes process_group=yes env=SET=yes 'env=TWO=a b' passenv=KEEP"
ECHO="service echo 127.0.0.1:$P2 0 rlimit_files=100 $B/examples/echo-server"
conf "$LIM $T/probe" "$ECHO"
start_sup "$T/log" "$T/conf"; ok $? "sup_started"

want="as=536870912:1073741824 nofile=64:128 cpu=30:40 fsize=1048576:$(ulimit -Hf | sed 's/^unlimited$/unlimited/')
nice=7
pgrp=own
session=other
umask=0027
nnp=1
SET=yes TWO=a b KEEP=kept DROP=unset PROTO=TCP"
is "$(fetch 127.0.0.1 "$P1")" "$want" "sup_limit_keys_seen_inside_the_connection"

# a live connection on the other service, held open across the reload
exec 5<>/dev/tcp/127.0.0.1/$P2
echo before >&5; read -r -t 5 line <&5
is "$line" before "sup_live_connection_works_before_the_reload"
echo_pid=$(chain_pid echo); lim_pid=$(chain_pid lim)

conf "$(printf '%s' "$LIM" | sed 's/rlimit_files=64:128/rlimit_files=32:128/') $T/probe" "$ECHO"
reload_and_wait "$T/log"; ok $? "sup_reload_done"
like "$(grep reloaded "$T/log" | tail -n 1)" "0 added, 1 changed, 0 removed, 1 unchanged" "sup_reload_limit_key_change_counts_one_changed"
like "$(fetch 127.0.0.1 "$P1")" "nofile=32:128" "sup_reload_changed_limit_applies_to_new_connections"
new_lim=$(chain_pid lim)
ok $([ -n "$new_lim" ] && [ "$new_lim" != "$lim_pid" ] && echo 0 || echo 1) "sup_reload_changed_limit_restarts_its_chain"
is "$(chain_pid echo)" "$echo_pid" "sup_reload_other_service_keeps_its_chain"
echo after >&5; read -r -t 5 line <&5
is "$line" after "sup_reload_other_service_live_connection_survives"
exec 5>&-

# the same value written again is no change
conf "$(printf '%s' "$LIM" | sed 's/rlimit_files=64:128/rlimit_files=32:128/') $T/probe" "$ECHO"
reload_and_wait "$T/log"
like "$(grep reloaded "$T/log" | tail -n 1)" "0 added, 0 changed, 0 removed, 2 unchanged" "sup_reload_same_limits_unchanged"
is "$(chain_pid lim)" "$new_lim" "sup_reload_same_limits_keeps_the_chain"
stop "$SUP_PID"
done_testing
