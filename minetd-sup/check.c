/* minetd-sup -t: check the config and print each service's chain as a
   command an operator can paste into a run script. */
#include <skalibs/buffer.h>
#include <skalibs/stralloc.h>
#include <skalibs/strerr.h>
#include <skalibs/types.h>
#include "mtd_addr.h"
#include "mtd_conf.h"
#include "mtd_sup_chain.h"
#include "sup.h"

int sup_check (sup_options const *o)
{
  mtd_conf c = MTD_CONF_ZERO ;
  stralloc words = STRALLOC_ZERO, out = STRALLOC_ZERO ;
  sup_conf_load_or_die(&c, o->config) ;
  /* it would be created at start if missing: only an unusable one fails */
  sup_conf_check_rundir_or_die(&c, o->config, o->rundir) ;
  for (unsigned int i = 0 ; i < c.n ; i++)
  {
    mtd_conf_service const *s = c.services[i] ;
    char line[UINT_FMT], addr[SUP_ADDRESS_FMT] ;
    int n ;
    line[uint_fmt(line, s->line)] = 0 ;
    sup_address_fmt(addr, s) ;
    words.len = 0 ;
    n = mtd_sup_chain(&words, s, o->bindir, o->rundir, MTD_CHAIN_STANDALONE, -1) ;
    if (n < 0
     || !stralloc_cats(&out, "# service ") || !stralloc_cats(&out, s->name)
     || !stralloc_cats(&out, " (") || !stralloc_cats(&out, o->config) || !stralloc_cats(&out, ":")
     || !stralloc_cats(&out, line) || !stralloc_cats(&out, ") on ") || !stralloc_cats(&out, addr)
     || !stralloc_cats(&out, "; minetd-sup runs it with -i on its own socket\n")
     || !mtd_sup_shell_line(&out, words.s, n) || !stralloc_catb(&out, "\n", 1))
      strerr_diefu1sys(111, "build the chain") ;
  }
  if (buffer_putflush(buffer_1, out.s ? out.s : "", out.len) < 0) strerr_diefu1sys(111, "write to stdout") ;
  stralloc_free(&out) ; stralloc_free(&words) ;
  mtd_conf_free(&c) ;
  return 0 ;
}
