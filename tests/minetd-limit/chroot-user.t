#!/bin/bash
# minetd-limit -/ with -u -g -G: the connection's process enters the
# chroot as root, then drops to the given user: seen from inside (a static
# probe in the prepared root), under minetd-tcp -E and fused in minetd-tcp:
# the same view. A bare program name is looked up in PATH inside the root.
. "$(dirname "$0")/../lib.sh"

if [ "$(id -u)" != 0 ] || ! command -v cc >/dev/null; then
  echo "1..0 # SKIP needs root (chroot, setuid) and cc"; exit 0
fi
# $T is root's, mode 0755, under /tmp: the jail is reachable by nobody
mkdir -p "$T/jail/bin" "$T/jail/etc"
if ! cc -static -o "$T/jail/bin/probe" "$ROOT/tests/minetd-limit/jailprobe.c" 2>"$T/cc.err"; then
  echo "1..0 # SKIP cannot build a static program: $(head -n 1 "$T/cc.err")"; exit 0
fi
chmod 755 "$T/jail" "$T/jail/bin" "$T/jail/etc" "$T/jail/bin/probe"
# the kernel keeps the groups sorted
want="cwd=/ nnp=1
root has bin
root has etc
uid=65534:65534 gid=65534:65534 groups=1,65534"
read_all() { GOT=$(timeout 10 socat -u "TCP:127.0.0.1:$1" - 2>/dev/null); }

for mode in exec fused; do
  flag=; [ $mode = exec ] && flag=-E
  start_tcp "$T/$mode.log" $flag 127.0.0.1 0 "$B/minetd-limit" -/ "$T/jail" -u 65534 -g 65534 -G 65534,1 -N /bin/probe
  ok $? "${mode}_server_started"
  read_all "$PORT"
  is "$(printf '%s\n' "$GOT" | sort)" "$want" "${mode}_chroot_then_user_seen_inside"
  stop "$SRV_PID"
  # no probe in this PATH outside the root: found inside it
  start_port "$T/$mode-path.log" env PATH=/bin "$B/minetd-tcp" -1 $flag 127.0.0.1 0 "$B/minetd-limit" -/ "$T/jail" -u 65534 -g 65534 probe
  ok $? "${mode}_bare_name_server_started"
  read_all "$PORT"
  like "$GOT" '^uid=65534:65534 gid=65534:65534' "${mode}_bare_name_found_in_path_inside_the_root"
  stop "$SRV_PID"
done

# without -G: the gid alone, none of root's groups kept
start_tcp "$T/exec2.log" -E 127.0.0.1 0 "$B/minetd-limit" -/ "$T/jail" -u 65534 -g 65534 /bin/probe
ok $? "exec_no_G_server_started"
read_all "$PORT"
like "$GOT" '^uid=65534:65534 gid=65534:65534 groups=65534$' "exec_without_G_only_the_gid"
stop "$SRV_PID"
done_testing
