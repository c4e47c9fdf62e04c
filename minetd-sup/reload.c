/* minetd-sup on SIGHUP: read the config again and reconcile. An unchanged
   service keeps its chain; a changed one gets a new chain on the socket of
   the same address, started before the old chain stops. Unlike xinetd, a
   reload never signals a connection process; unlike rlinetd, an unchanged
   or changed-in-place service keeps its socket. */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <skalibs/socket.h>
#include <skalibs/types.h>
#include "mtd_conf.h"
#include "run.h"

static int same_address (mtd_conf_service const *a, mtd_conf_service const *b)
{
  return a->port == b->port && a->dualstack == b->dualstack && a->ip.is6 == b->ip.is6
      && !memcmp(a->ip.ip, b->ip.ip, a->ip.is6 ? 16 : 4) ;
}

static int same_service (svc const *old, svc const *new)
{
  return same_address(old->conf, new->conf) && old->chainn == new->chainn && old->chain.len == new->chain.len
      && !memcmp(old->chain.s, new->chain.s, old->chain.len) ;
}

void reload_config (void)
{
  mtd_conf nc = MTD_CONF_ZERO ;
  svc *next[MTD_CONF_SERVICES_MAX] ;
  int keep[MTD_CONF_SERVICES_MAX] = { 0 } ;   /* old index kept as is */
  int fresh[MTD_CONF_SERVICES_MAX] = { 0 } ;  /* new entry needs a start */
  unsigned int nn, added = 0, changed = 0, kept = 0, removed = 0 ;
  int r = mtd_conf_parse_file(&nc, sup_opt->config) ;
  if (r <= 0)
  {
    char fmt[UINT_FMT] ;
    if (r < 0) sup_warn("reload: unable to read ", sup_opt->config, ": ", strerror(errno)) ;
    else sup_log_errors(LOG_WARNING, "warning: ", nc.errors.s, nc.errors.len) ;
    fmt[uint_fmt(fmt, nc.nerrors)] = 0 ;
    sup_warn("reload: ", fmt, nc.nerrors == 1 ? " error" : " errors", " in ", sup_opt->config, ": keeping the running configuration") ;
    mtd_conf_free(&nc) ;
    return ;
  }
  nn = nc.n ;
  for (unsigned int i = 0 ; i < nn ; i++)
  {
    svc *s = svc_new(mtd_conf_take(&nc, i)) ;
    unsigned int j ;
    for (j = 0 ; j < sup_nsvc ; j++) if (!keep[j] && !strcmp(sup_svcs[j]->conf->name, s->conf->name)) break ;
    if (j < sup_nsvc && same_service(sup_svcs[j], s))
    {
      keep[j] = 1 ;
      next[i] = sup_svcs[j] ;
      /* same chain: the rules file may have changed, minetd-tcp rereads it on SIGHUP */
      if (sup_svcs[j]->pid && sup_svcs[j]->conf->rules) kill(sup_svcs[j]->pid, SIGHUP) ;
      sup_svcs[j]->conf->line = s->conf->line ;
      svc_free(s) ;
      kept++ ;
      continue ;
    }
    if (j < sup_nsvc) changed++ ; else added++ ;
    next[i] = s ;
    fresh[i] = 1 ;
  }
  mtd_conf_free(&nc) ;
  /* hand over listening sockets by address, whichever service held them */
  for (unsigned int i = 0 ; i < nn ; i++)
  {
    if (!fresh[i]) continue ;
    for (unsigned int j = 0 ; j < sup_nsvc ; j++)
      if (!keep[j] && sup_svcs[j]->fd >= 0 && same_address(sup_svcs[j]->conf, next[i]->conf))
      {
        next[i]->fd = sup_svcs[j]->fd ;
        sup_svcs[j]->fd = -1 ;
        /* listen() again on a listening socket only sets its backlog,
           which backlog= may have changed */
        if (next[i]->conf->backlog != sup_svcs[j]->conf->backlog
         && socket_listen(next[i]->fd, svc_backlog(next[i]->conf)) < 0)
          sup_warn("service ", next[i]->conf->name, ": unable to change the backlog of ", next[i]->addr, ": ", strerror(errno)) ;
        break ;
      }
  }
  /* new chains first, on the inherited sockets: both accept for a moment, none refuses */
  for (unsigned int i = 0 ; i < nn ; i++)
    if (fresh[i] && next[i]->fd >= 0) svc_start(next[i]) ;
  for (unsigned int j = 0 ; j < sup_nsvc ; j++)
    if (!keep[j])
    {
      unsigned int i ;
      for (i = 0 ; i < nn ; i++) if (fresh[i] && !strcmp(next[i]->conf->name, sup_svcs[j]->conf->name)) break ;
      if (i == nn) removed++ ;
      svc_retire(sup_svcs[j], i < nn ? "changed" : "removed") ;
      svc_free(sup_svcs[j]) ;
    }
  for (unsigned int i = 0 ; i < nn ; i++) sup_svcs[i] = next[i] ;
  sup_nsvc = nn ;
  /* freed addresses are closed now, so new binds can take them */
  for (unsigned int i = 0 ; i < nn ; i++)
    if (fresh[i] && next[i]->fd < 0) svc_try(next[i]) ;
  {
    char a[UINT_FMT], c[UINT_FMT], k[UINT_FMT], rm[UINT_FMT] ;
    a[uint_fmt(a, added)] = 0 ; c[uint_fmt(c, changed)] = 0 ;
    k[uint_fmt(k, kept)] = 0 ; rm[uint_fmt(rm, removed)] = 0 ;
    /* --status agrees with the new configuration once this is logged */
    status_write() ;
    sup_info("reloaded ", sup_opt->config, ": ", a, " added, ", c, " changed, ", rm, " removed, ", k, " unchanged") ;
  }
}
