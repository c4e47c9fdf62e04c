#!/bin/bash
# chroot= with user= under a real minetd-sup: the chain keeps root until
# the connection's process has entered the directory (minetd-limit -/ then
# -u -g -G), which a static probe sees from inside: its root, uid, gids,
# no_new_privs. Needs root, and minetd-limit -u -g -G.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/sup.sh"

if [ "$(id -u)" != 0 ] || ! command -v cc >/dev/null; then
  skip "chroot needs root and cc"; done_testing; exit 0
fi
mkdir -p "$T/jail/bin" "$T/jail/etc"
cat >"$T/probe.c" <<'EOF2'
#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/types.h>
int main (void)
{
  char cwd[256], line[256] ;
  gid_t g[64] ;
  int n = getgroups(64, g) ;
  struct dirent *d ;
  DIR *dir = opendir("/") ;
  FILE *f = fopen("/proc/self/status", "r") ;
  if (!dir || !getcwd(cwd, sizeof cwd)) return 1 ;
  printf("uid=%u gid=%u groups=%d cwd=%s\n", (unsigned)getuid(), (unsigned)getgid(), n, cwd) ;
  /* no /proc in the jail: NoNewPrivs is unknown from inside */
  printf("proc=%s\n", f ? "mounted" : "absent") ;
  while ((d = readdir(dir))) if (d->d_name[0] != '.') printf("entry=%s\n", d->d_name) ;
  return 0 ;
}
EOF2
if ! cc -static -o "$T/jail/bin/probe" "$T/probe.c" 2>"$T/cc.err"; then
  skip "cannot build a static program: $(head -n 1 "$T/cc.err")"; done_testing; exit 0
fi
chmod 755 "$T/jail" "$T/jail/bin" "$T/jail/etc" "$T/jail/bin/probe"

free_ports 1; P1=$PORTS
u=$(id -u nobody) g=$(id -g nobody)
printf '%s\n' "service jail 127.0.0.1:$P1 60 user=nobody chroot=$T/jail no_new_privs=yes /bin/probe" >"$T/conf"
out=$("$SUP" -t -c "$T/conf" -R "$T/run" 2>&1)
like "$out" "minetd-tcp 127.0.0.1 $P1 [^ ]*/minetd-rate -n 60 -w 60 -f $T/run/jail.rate [^ ]*/minetd-limit -/ $T/jail -N -u $u -g $g -G [0-9,]* /bin/probe\$" "sup_chroot_chain_drops_in_minetd_limit"
start_sup "$T/log" "$T/conf"; ok $? "sup_started"
got=$(fetch 127.0.0.1 "$P1")
is "$(printf '%s\n' "$got" | sort | tr '\n' ' ')" "entry=bin entry=etc proc=absent uid=$u gid=$g groups=1 cwd=/ " "sup_chroot_user_program_runs_as_user_inside_the_directory"
# minetd-rate runs as root here: the state file is root's, not the user's
is "$(stat -c %u "$T/run/jail.rate")" 0 "sup_chroot_rate_file_stays_ours"
# the chain itself kept root: its launcher is still uid 0
lpid=$(chain_pid jail)
is "$(awk '/^Uid:/ { print $2 }' "/proc/$lpid/status")" 0 "sup_chroot_launcher_keeps_root"
chmod 775 "$T/jail"
printf '%s\n' "service jail 127.0.0.1:$P1 60 user=nobody chroot=$T/jail no_new_privs=yes /bin/probe" >"$T/conf"
reload_and_wait "$T/log"
like "$(cat "$T/log")" "$T/conf:1: refusing chroot directory: $T/jail is writable by group or others" "sup_reload_refuses_a_writable_chroot"
is "$(chain_pid jail)" "$lpid" "sup_reload_refused_keeps_the_running_chain"
stop "$SUP_PID"
done_testing
