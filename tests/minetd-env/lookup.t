#!/bin/bash
# minetd-env -h / -p / -l / -t: reverse lookups only when asked, names from
# /etc/hosts only (no DNS leaves the machine), forward confirmation, and a
# resolver that hangs never holds the connection beyond the timeout (a small
# LD_PRELOAD shim plays the slow or lying resolver).
. "$(dirname "$0")/../lib.sh"

start_socat() { # as in socat.t: sets SPORT
  local log=$1 listen=$2 cmd=$3
  start_bg socat -d -d "$listen,reuseaddr,fork" "EXEC:$cmd,nofork" 2>"$log"
  wait_until 10 grep -q 'listening on' "$log" || return 1
  SPORT=$(sed -n 's/.* listening on .*:\([0-9][0-9]*\)$/\1/p' "$log" | head -n 1)
  [ -n "$SPORT" ]
}
var() {
  local line
  line=$(printf '%s\n' "$2" | grep -m1 "^$1=") || { echo '<unset>'; return; }
  echo "${line#*=}"
}
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# /etc/hosts names
if [ "$(getent hosts 127.0.0.1 | awk '{print $2; exit}')" = localhost ]; then
  start_socat "$T/h.log" TCP4-LISTEN:0,bind=127.0.0.1 "$B/minetd-env -h env"
  out=$(fetch 127.0.0.1 "$SPORT")
  is "$(var TCPREMOTEHOST "$out")" localhost "env_h_remotehost_from_etc_hosts"
  is "$(var TCPLOCALHOST "$out")" localhost "env_h_localhost_from_etc_hosts"
  start_socat "$T/p.log" TCP4-LISTEN:0,bind=127.0.0.1 "$B/minetd-env -p env"
  out=$(fetch 127.0.0.1 "$SPORT")
  is "$(var TCPREMOTEHOST "$out")" localhost "env_p_keeps_forward_confirmed_name"
  start_socat "$T/hl.log" TCP4-LISTEN:0,bind=127.0.0.1 "$B/minetd-env -h -l fixed.example env"
  out=$(fetch 127.0.0.1 "$SPORT")
  is "$(var TCPLOCALHOST "$out")" fixed.example "env_l_overrides_local_lookup"
  is "$(var TCPREMOTEHOST "$out")" localhost "env_h_with_l_still_looks_up_remote"
else
  for i in 1 2 3 4 5; do skip "127.0.0.1 is not 'localhost' first in /etc/hosts"; done
fi

# no lookup unless asked, and a launcher's stale TCPREMOTEHOST does not survive
TCPREMOTEHOST=stale.example start_socat "$T/n.log" TCP4-LISTEN:0,bind=127.0.0.1 "$B/minetd-env env"
out=$(fetch 127.0.0.1 "$SPORT")
is "$(var TCPREMOTEHOST "$out")" '<unset>' "env_without_h_unsets_stale_remotehost"

# the shim: SHIM_MODE=slow hangs getnameinfo; liar/honest/evil return fixed names
cat >"$T/shim.c" <<'C'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
typedef int gni_f (const struct sockaddr *, socklen_t, char *, socklen_t, char *, socklen_t, int) ;
typedef int gai_f (const char *, const char *, const struct addrinfo *, struct addrinfo **) ;
int getnameinfo (const struct sockaddr *sa, socklen_t salen, char *host, socklen_t hostlen, char *serv, socklen_t servlen, int flags)
{
  char const *m = getenv("SHIM_MODE") ;
  if (m && !strcmp(m, "slow")) { sleep(30) ; return EAI_AGAIN ; }
  if (m && !strcmp(m, "liar")) { strncpy(host, "liar.test", hostlen) ; return 0 ; }
  if (m && !strcmp(m, "honest")) { strncpy(host, "honest.test", hostlen) ; return 0 ; }
  if (m && !strcmp(m, "evil")) { strncpy(host, "evil\nX=1", hostlen) ; return 0 ; }
  return ((gni_f *)dlsym(RTLD_NEXT, "getnameinfo"))(sa, salen, host, hostlen, serv, servlen, flags) ;
}
int getaddrinfo (const char *node, const char *service, const struct addrinfo *hints, struct addrinfo **res)
{
  gai_f *real = (gai_f *)dlsym(RTLD_NEXT, "getaddrinfo") ;
  struct addrinfo h ;
  if (node && !strcmp(node, "liar.test")) node = "192.0.2.1" ;
  else if (node && !strcmp(node, "honest.test")) node = "127.0.0.1" ;
  else return real(node, service, hints, res) ;
  h = *hints ; h.ai_flags |= AI_NUMERICHOST ;
  return real(node, service, &h, res) ;
}
C
# A static minetd-env (make MUSL=1, STATIC=1) preloads nothing: skipped.
if ! ldd "$B/minetd-env" >/dev/null 2>&1; then
  for i in 1 2 3 4 5 6 7 8 9 10 11; do skip "static build: no LD_PRELOAD resolver shim can take effect"; done
elif cc -shared -fPIC -o "$T/shim.so" "$T/shim.c" -ldl 2>"$T/cc.err"; then
  SHIM="env LD_PRELOAD=$T/shim.so"
  start_socat "$T/slow.log" TCP4-LISTEN:0,bind=127.0.0.1 "$SHIM SHIM_MODE=slow $B/minetd-env -h -t 300 env"
  t0=$(now_ms)
  out=$(fetch 127.0.0.1 "$SPORT")
  t1=$(now_ms)
  is "$(var TCPREMOTEIP "$out")" 127.0.0.1 "env_hanging_resolver_connection_still_served"
  is "$(var TCPREMOTEHOST "$out")" '<unset>' "env_hanging_resolver_name_unset"
  ok $(( t1 - t0 < 2500 ? 0 : 1 )) "env_t_300_bounds_lookup_wait (took $((t1 - t0)) ms with a 30 s resolver)"
  ok $(( t1 - t0 >= 300 ? 0 : 1 )) "env_t_300_waits_for_the_timeout"
  wait_until 5 grep -q 'minetd-env: warning' "$T/slow.log"
  like "$(grep 'minetd-env:' "$T/slow.log")" '^minetd-env: warning: reverse lookup for 127\.0\.0\.1 timed out after 300 ms$' "env_lookup_timeout_logged"

  start_socat "$T/liar.log" TCP4-LISTEN:0,bind=127.0.0.1 "$SHIM SHIM_MODE=liar $B/minetd-env -h env"
  out=$(fetch 127.0.0.1 "$SPORT")
  is "$(var TCPREMOTEHOST "$out")" liar.test "env_h_takes_reverse_name_unconfirmed"
  start_socat "$T/liarp.log" TCP4-LISTEN:0,bind=127.0.0.1 "$SHIM SHIM_MODE=liar $B/minetd-env -p env"
  out=$(fetch 127.0.0.1 "$SPORT")
  is "$(var TCPREMOTEHOST "$out")" '<unset>' "env_p_drops_name_that_does_not_resolve_back"
  is "$(var TCPLOCALHOST "$out")" '<unset>' "env_p_drops_local_name_that_does_not_resolve_back"
  start_socat "$T/honest.log" TCP4-LISTEN:0,bind=127.0.0.1 "$SHIM SHIM_MODE=honest $B/minetd-env -p env"
  out=$(fetch 127.0.0.1 "$SPORT")
  is "$(var TCPREMOTEHOST "$out")" honest.test "env_p_keeps_name_that_resolves_back"
  start_socat "$T/evil.log" TCP4-LISTEN:0,bind=127.0.0.1 "$SHIM SHIM_MODE=evil $B/minetd-env -h env"
  out=$(fetch 127.0.0.1 "$SPORT")
  is "$(var TCPREMOTEHOST "$out")" '<unset>' "env_h_refuses_name_with_bad_characters"
  is "$(var X "$out")" '<unset>' "env_h_bad_name_cannot_inject_variables"
else
  note "$(cat "$T/cc.err")"
  for i in 1 2 3 4 5 6 7 8 9 10 11; do skip "cannot build the LD_PRELOAD resolver shim"; done
fi

done_testing
