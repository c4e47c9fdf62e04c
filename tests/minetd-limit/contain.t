#!/bin/bash
# What the limits contain, from inside a connection run by minetd-tcp -E:
# a CPU-bound program stopped by -t, a fork bomb (bounded) by -p as a
# non-root user, a chroot into a prepared directory with a static program.
. "$(dirname "$0")/../lib.sh"

now() { date +%s%N; }
ms_since() { echo $(( ($(now) - $1) / 1000000 )); }
read_all() { local t0; t0=$(now); GOT=$(timeout 15 socat -u "TCP:127.0.0.1:$1" - 2>/dev/null); MS=$(ms_since "$t0"); }

# CPU: SIGXCPU at the soft limit (SIGKILL at the hard one)
"$B/minetd-limit" -t 1:2 sh -c 'while :; do :; done' </dev/null 2>/dev/null; rc=$?
ok $(( rc == 152 || rc == 137 ? 0 : 1 )) "cpu_bound_program_stopped_by_t (status $rc)"
start_tcp "$T/cpu.log" -E 127.0.0.1 0 "$B/minetd-limit" -t 1:2 sh -c 'echo started; while :; do :; done'; ok $? "cpu_server_started"
read_all "$PORT"
is "$GOT" started "cpu_program_ran"
[ "$MS" -lt 8000 ]; ok $? "cpu_bound_connection_ended_by_t (${MS} ms)"
stop "$SRV_PID"

# fork bomb as nobody: at most 100 forks, each sleeper ends by itself and by -T
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
  public_build
  if pgrep -u 65534 >/dev/null; then
    skip "processes of uid 65534 already run: cannot count the bomb's"
  else
    start_tcp "$T/bomb.log" -E 127.0.0.1 0 setpriv --reuid=65534 --regid=65534 --clear-groups \
      "$PUB/minetd-limit" -p 10 -T 3 -k 1 sh -c 'i=0; while [ $i -lt 100 ]; do sleep 10 & i=$((i+1)); done; echo uncontained; wait'
    ok $? "bomb_server_started"
    socat -u "TCP:127.0.0.1:$PORT" - >"$T/bomb.out" 2>/dev/null & client=$!; PIDS+=("$client")
    wait_until 5 grep -q 'Cannot fork' "$T/bomb.log"; ok $? "bomb_fork_refused_inside_the_connection"
    n=$(pgrep -c -u 65534)
    [ "$n" -le 10 ]; ok $? "bomb_contained_by_p (${n} processes of uid 65534, limit 10)"
    wait_pid "$client" 10
    is "$(cat "$T/bomb.out")" "" "bomb_loop_never_completed"
    wait_until 5 sh -c '! pgrep -u 65534 >/dev/null'; ok $? "bomb_sleepers_ended_by_the_time_limit"
    stop "$SRV_PID"
  fi
else
  skip "the fork bomb test needs root (to become uid 65534) and setpriv"
fi

# chroot: a static program inside sees only the prepared directory
if [ "$(id -u)" = 0 ] && command -v cc >/dev/null; then
  mkdir -p "$T/jail/bin" "$T/jail/etc"
  cat >"$T/lsroot.c" <<'EOF2'
#include <dirent.h>
#include <stdio.h>
#include <unistd.h>
int main (void)
{
  char cwd[256] ;
  struct dirent *d ;
  DIR *dir = opendir("/") ;
  if (!dir || !getcwd(cwd, sizeof cwd)) return 1 ;
  printf("cwd=%s\n", cwd) ;
  while ((d = readdir(dir))) if (d->d_name[0] != '.') printf("%s\n", d->d_name) ;
  return 0 ;
}
EOF2
  if cc -static -o "$T/jail/bin/lsroot" "$T/lsroot.c" 2>"$T/cc.err"; then
    chmod 755 "$T/jail" "$T/jail/bin" "$T/jail/etc"
    start_tcp "$T/jail.log" -E 127.0.0.1 0 "$B/minetd-limit" -/ "$T/jail" -N /bin/lsroot; ok $? "chroot_server_started"
    read_all "$PORT"
    is "$(printf '%s\n' "$GOT" | sort | tr '\n' ' ')" "bin cwd=/ etc " "chroot_program_sees_only_the_prepared_root"
    stop "$SRV_PID"
    chmod 775 "$T/jail"
    start_tcp "$T/jailw.log" -E 127.0.0.1 0 "$B/minetd-limit" -/ "$T/jail" /bin/lsroot; ok $? "chroot_writable_server_started"
    read_all "$PORT"
    is "$GOT" "" "chroot_group_writable_nothing_runs"
    wait_until 5 grep -q 'refusing chroot' "$T/jailw.log"
    like "$(cat "$T/jailw.log")" "minetd-limit: fatal: refusing chroot directory: $T/jail is writable by group or others" "chroot_group_writable_refused_and_logged"
    stop "$SRV_PID"
  else
    skip "cannot build a static program: $(head -n 1 "$T/cc.err")"
  fi
else
  skip "chroot needs root and cc"
fi
done_testing
