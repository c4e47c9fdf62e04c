#!/bin/bash
# Privileges are dropped after binding: uid, gid and supplementary groups,
# given as numbers or by the s6-envuidgid variables.
. "$(dirname "$0")/../lib.sh"
# the probe runs as other users: from a copy they can reach
public_build
PROBE=$PUB/tools/probe

if [ "$(id -u)" != 0 ]; then
  skip "tcp_privdrop_* (not root: cannot test dropping privileges)"
  done_testing; exit
fi
field() { printf '%s\n' "$1" | sed -n "s/^status $2:[[:space:]]*//p" | tr -s ' \t' ' ' | sed 's/ $//'; }

start_tcp "$T/log1" -u 65534 -g 65534 -G 65534,100 127.0.0.1 0 "$PROBE"
ok $? "tcp_privdrop_binds_then_drops"
out=$(fetch 127.0.0.1 "$PORT")
is "$(field "$out" Uid)" "65534 65534 65534 65534" "tcp_privdrop_child_uid"
is "$(field "$out" Gid)" "65534 65534 65534 65534" "tcp_privdrop_child_gid"
is "$(field "$out" Groups)" "100 65534" "tcp_privdrop_child_supplementary_groups"
is "$(awk '/^Uid:/{print $2}' /proc/$SRV_PID/status)" 65534 "tcp_privdrop_server_itself_runs_unprivileged"
stop "$SRV_PID"

# -u alone: root's supplementary groups must not survive.
start_tcp "$T/log2" -u 65534 -g 65534 127.0.0.1 0 "$PROBE"
out=$(fetch 127.0.0.1 "$PORT")
is "$(field "$out" Groups)" "65534" "tcp_privdrop_without_G_clears_root_groups"
stop "$SRV_PID"

start_port "$T/log3" env UID=1234 GID=2345 GIDLIST=3456,4567 "$B/minetd-tcp" -1 -U 127.0.0.1 0 "$PROBE"
out=$(fetch 127.0.0.1 "$PORT")
is "$(field "$out" Uid)/$(field "$out" Gid)/$(field "$out" Groups)" "1234 1234 1234 1234/2345 2345 2345 2345/3456 4567" "tcp_privdrop_from_s6_envuidgid_variables"
stop "$SRV_PID"

env -u UID -u GID -u GIDLIST "$B/minetd-tcp" -U 127.0.0.1 0 "$PROBE" 2>"$T/err"; rc=$?
is "$rc" 100 "tcp_U_without_variables_exits_100"

done_testing
