/* Rules for every datagram, not only the one that wakes the program: in
   wait mode the program reads the socket itself, and in.tftpd, say, stays
   up for minutes serving whoever writes. So the fused minetd-env's rules
   are also a kernel socket filter on the socket (mtd_rulesbpf): a denied
   source's datagrams are dropped before anyone reads them. */
#include <errno.h>
#include <skalibs/strerr.h>
#include "mtd_links.h"
#include "mtd_rulesbpf.h"
#include "minetd-udp.h"

void rulesfilter_attach (int fd, int at_start)
{
  static int warned ;
  unsigned int n ;
  mtd_env_config const *env = mtd_links_env(&n) ;
  int r ;
  /* no rules and allowing by default: nothing to filter */
  if (!env || (!env->rulesfile && env->default_allow)) return ;
  if (n > 1 && at_start) strerr_warnw("only the first minetd-env link's rules become the socket filter") ;
  r = mtd_rules_bpf_attach(fd, &env->rules, env->default_allow) ;
  if (r > 0) return ;
  /* a filter of the previous rules would judge by those: removed */
  if (!at_start)
  {
    int e = errno ;
    mtd_rules_bpf_detach(fd) ;
    errno = e ;
  }
  if (r < 0)
  {
    if (at_start) strerr_diefusys(111, "attach the rules as a socket filter") ;
    strerr_warnwusys("attach the reloaded rules as a socket filter (only the datagram that wakes the program is judged by them)") ;
    return ;
  }
  if (!warned)
    strerr_warnwu("make the rules a socket filter (", errno == E2BIG ? "too many rules" : "not available", "): only the datagram that wakes the program is judged, not those it reads itself") ;
  warned = 1 ;
}
