/* minetd-sup on SIGHUP: read the config again and reconcile. An unchanged
   service keeps its chain; a changed one gets a new chain on the socket of
   the same address, started before the old chain stops. Unlike xinetd, a
   reload never signals a connection process; unlike rlinetd, an unchanged
   or changed-in-place service keeps its socket. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <skalibs/djbunix.h>
#include <skalibs/socket.h>
#include <skalibs/stralloc.h>
#include <skalibs/types.h>
#include "mtd_conf.h"
#include "run.h"

/* The same socket: protocol too (69/tcp is not 69/udp). */
static int same_address (mtd_conf_service const *a, mtd_conf_service const *b)
{
  return a->proto == b->proto && a->port == b->port && a->dualstack == b->dualstack && a->ip.is6 == b->ip.is6
      && !memcmp(a->ip.ip, b->ip.ip, a->ip.is6 ? 16 : 4) ;
}

static int same_service (svc const *old, svc const *new)
{
  return same_address(old->conf, new->conf) && old->chainn == new->chainn && old->chain.len == new->chain.len
      && !memcmp(old->chain.s, new->chain.s, old->chain.len) ;
}

/* A socket of ours on s's address, given to s as its own fd (dup): the
   old and the new chain then accept from the very same socket. */
static int share_socket (svc *s, svc **old, unsigned int n)
{
  for (unsigned int j = 0 ; j < n ; j++)
    if (old[j] && old[j]->fd >= 0 && same_address(old[j]->conf, s->conf))
    {
      s->fd = fcntl(old[j]->fd, F_DUPFD_CLOEXEC, SUP_CHAIN_NOTIF_FD + 1) ;
      if (s->fd >= 0) return 1 ;
      strcpy(s->note, "bind: ") ;
      strncat(s->note, strerror(errno), sizeof s->note - 8) ;
      return 0 ;
    }
  return 0 ;
}

/* The reload file tells --reload how its SIGHUP went: "GEN STATE" (none,
   running, applied, partial, refused), then one line per error. */
static unsigned long reload_gen = 0 ;
static stralloc reload_msgs = STRALLOC_ZERO ;

void reload_file_write (char const *state)
{
  char file[SUP_RELOAD_PATH_SIZE(sup_opt->pidfile)] ;
  char gen[ULONG_FMT] ;
  stralloc sa = STRALLOC_ZERO ;
  if (!sup_opt->pidfile[0]) return ;   /* no pidfile, no --reload */
  sup_reload_path(file, sup_opt->pidfile) ;
  gen[ulong_fmt(gen, reload_gen)] = 0 ;
  if (!stralloc_cats(&sa, gen) || !stralloc_catb(&sa, " ", 1) || !stralloc_cats(&sa, state) || !stralloc_catb(&sa, "\n", 1)
   || !stralloc_catb(&sa, reload_msgs.s ? reload_msgs.s : "", reload_msgs.len)
   || !openwritenclose_suffix(file, sa.s, sa.len, ".tmp"))
    sup_warn("unable to write ", file, ": ", strerror(errno)) ;
  stralloc_free(&sa) ;
}

void reload_note (char const *name, char const *why)
{
  /* bounded: a few lines per service at most, reset by every reload */
  if (reload_msgs.len < 65536
   && !(stralloc_cats(&reload_msgs, "service ") && stralloc_cats(&reload_msgs, name)
     && stralloc_cats(&reload_msgs, ": ") && stralloc_cats(&reload_msgs, why) && stralloc_catb(&reload_msgs, "\n", 1)))
    sup_warn("unable to record a reload error: ", strerror(errno)) ;
}

/* A reload is reported once it is settled: every changed service has
   switched to its new chain or stayed on its previous configuration. */
static struct { int pending ; unsigned int added, changed, removed, kept, refused, waiting ; } report ;

static void report_log (char const *how)
{
  char a[UINT_FMT], c[UINT_FMT], k[UINT_FMT], rm[UINT_FMT], rf[UINT_FMT] ;
  a[uint_fmt(a, report.added)] = 0 ; c[uint_fmt(c, report.changed)] = 0 ;
  k[uint_fmt(k, report.kept)] = 0 ; rm[uint_fmt(rm, report.removed)] = 0 ; rf[uint_fmt(rf, report.refused)] = 0 ;
  report.pending = 0 ;
  /* --status agrees with the new configuration once this is logged */
  status_write() ;
  reload_file_write(report.refused ? "partial" : "applied") ;
  sup_info("reloaded ", sup_opt->config, ": ", a, " added, ", c, " changed, ", rm, " removed, ", k, " unchanged",
    report.refused ? ", " : "", report.refused ? rf : "", report.refused ? " kept on the previous configuration" : "", how) ;
}

void reload_settled (int applied)
{
  if (!report.pending) return ;
  if (applied) report.changed++ ; else report.refused++ ;
  if (report.waiting && !--report.waiting) report_log("") ;
}

void reload_config (void)
{
  mtd_conf nc = MTD_CONF_ZERO ;
  svc *next[MTD_CONF_SERVICES_MAX] ;
  svc *old[MTD_CONF_SERVICES_MAX] ;      /* old services not yet claimed by a new entry */
  svc *replaces[MTD_CONF_SERVICES_MAX] ; /* for a changed entry, the old service it replaces */
  int same[MTD_CONF_SERVICES_MAX] ;      /* next[i] is an old service, left as it is */
  unsigned int nn, nold = sup_nsvc, added = 0, changed = 0, kept = 0, removed = 0, refused = 0, waiting = 0 ;
  int r ;
  if (report.pending) report_log(" (superseded by a newer reload before every change was ready)") ;
  reload_gen++ ;
  reload_msgs.len = 0 ;
  reload_file_write("running") ;
  r = mtd_conf_parse_file(&nc, sup_opt->config) ;
  if (r > 0) r = mtd_conf_check_rundir(&nc, sup_opt->rundir) ;
  if (r <= 0)
  {
    char fmt[UINT_FMT] ;
    if (r < 0)
    {
      sup_warn("reload: unable to read ", sup_opt->config, ": ", strerror(errno)) ;
      if (!stralloc_cats(&reload_msgs, sup_opt->config) || !stralloc_cats(&reload_msgs, ": ")
       || !stralloc_cats(&reload_msgs, strerror(errno)) || !stralloc_catb(&reload_msgs, "\n", 1)) reload_msgs.len = 0 ;
    }
    else
    {
      sup_log_errors(LOG_WARNING, "warning: ", nc.errors.s, nc.errors.len) ;
      if (!stralloc_copyb(&reload_msgs, nc.errors.s, nc.errors.len)) reload_msgs.len = 0 ;
    }
    reload_file_write("refused") ;
    fmt[uint_fmt(fmt, nc.nerrors)] = 0 ;
    sup_warn("reload: ", fmt, nc.nerrors == 1 ? " error" : " errors", " in ", sup_opt->config, ": keeping the running configuration") ;
    mtd_conf_free(&nc) ;
    return ;
  }
  for (unsigned int j = 0 ; j < nold ; j++) old[j] = sup_svcs[j] ;
  nn = nc.n ;
  for (unsigned int i = 0 ; i < nn ; i++)
  {
    svc *s = svc_new(mtd_conf_take(&nc, i)) ;
    unsigned int j ;
    replaces[i] = 0 ;
    same[i] = 1 ;
    for (j = 0 ; j < nold ; j++) if (old[j] && !strcmp(old[j]->conf->name, s->conf->name)) break ;
    if (j < nold && same_service(old[j], s))
    {
      /* same chain: the rules file may have changed, minetd-tcp rereads it on SIGHUP */
      if (old[j]->pid && old[j]->conf->rules) kill(old[j]->pid, SIGHUP) ;
      if (old[j]->next) handover_abort(old[j], "the service was changed back") ;
      old[j]->kept[0] = 0 ;
      old[j]->conf->line = s->conf->line ;
      next[i] = old[j] ;
      old[j] = 0 ;
      svc_free(s) ;
      kept++ ;
      continue ;
    }
    if (j < nold && old[j]->next && same_service(old[j]->next, s))
    {
      /* the change an earlier reload is still starting: let it go on */
      next[i] = old[j] ;
      old[j] = 0 ;
      svc_free(s) ;
      waiting++ ;
      continue ;
    }
    if (j < nold)
    {
      if (old[j]->next) handover_abort(old[j], "superseded by a newer reload") ;
      replaces[i] = old[j] ;
      old[j] = 0 ;
    }
    else added++ ;
    next[i] = s ;
    same[i] = 0 ;
  }
  mtd_conf_free(&nc) ;

  /* Sockets: an address we already listen on is shared, whichever service
     held it. A changed service on a new address binds it now, while the
     old chain still serves the old one; if it cannot, it stays as it was. */
  for (unsigned int i = 0 ; i < nn ; i++)
  {
    svc *s = next[i], *prev = replaces[i] ;
    if (same[i]) continue ;
    if (share_socket(s, sup_svcs, nold)) continue ;
    if (!prev || prev->fd < 0) continue ;     /* added, or nothing to keep: bound below, with retries */
    if (s->fd < 0 && !s->note[0] && svc_bind(s)) continue ;
    {
      char why[sizeof s->note + SUP_ADDRESS_FMT + 24] ;
      strcpy(why, "unable to bind to ") ;
      strcat(why, s->addr) ; strcat(why, ": ") ; strcat(why, s->note + 6) ;
      prev->next = s ;
      reload_note(s->conf->name, why) ;
      handover_abort(prev, why) ;           /* frees s */
      next[i] = prev ;
      replaces[i] = 0 ;
      same[i] = 1 ;
      refused++ ;
    }
  }

  /* removed services: stopped now, their sockets closed unless shared */
  for (unsigned int j = 0 ; j < nold ; j++)
    if (old[j])
    {
      removed++ ;
      svc_retire(old[j], "removed") ;
      svc_free(old[j]) ;
    }
  for (unsigned int i = 0 ; i < nn ; i++) sup_svcs[i] = next[i] ;
  sup_nsvc = nn ;

  /* changed services with a live old chain: the new chain starts beside
     it; the rest start now (a bind that fails is retried) */
  for (unsigned int i = 0 ; i < nn ; i++)
  {
    svc *s = next[i], *prev = replaces[i] ;
    if (same[i]) continue ;
    if (prev && prev->fd >= 0)
    {
      sup_svcs[i] = prev ;
      waiting++ ;
      continue ;
    }
    if (prev) { svc_retire(prev, "changed") ; svc_free(prev) ; replaces[i] = 0 ; changed++ ; }
    if (s->fd >= 0) svc_start(s) ; else svc_try(s) ;
  }
  report.pending = 1 ;
  report.added = added ; report.changed = changed ; report.removed = removed ;
  report.kept = kept ; report.refused = refused ; report.waiting = waiting ;
  /* the new chains start last: one that fails at once is counted in this report */
  for (unsigned int i = 0 ; i < nn ; i++)
    if (!same[i] && replaces[i] && next[i] != replaces[i]) handover_start(replaces[i], next[i]) ;
  if (!waiting) report_log("") ;
  else if (report.pending) status_write() ;
}
