/* The command line of a service's chain, built from its config entry. */
#include <string.h>
#include <skalibs/types.h>
#include <skalibs/stralloc.h>
#include "mtd_sup_chain.h"

static int word (stralloc *sa, int *n, char const *w)
{
  (*n)++ ;
  return stralloc_catb(sa, w, strlen(w) + 1) ;
}

static int uword (stralloc *sa, int *n, unsigned int u)
{
  char fmt[UINT_FMT] ;
  fmt[uint_fmt(fmt, u)] = 0 ;
  return word(sa, n, fmt) ;
}

static int prog (stralloc *sa, int *n, char const *bindir, char const *name)
{
  (*n)++ ;
  if (bindir && (!stralloc_cats(sa, bindir) || !stralloc_catb(sa, "/", 1))) return 0 ;
  return stralloc_catb(sa, name, strlen(name) + 1) ;
}

/* The launcher and its own options: minetd-tcp, or minetd-udp. What the
   parser rejects for a kind (maxconn= with tcp wait=yes, backlog= on udp)
   is never here, and the launcher's usage stays the judge. */
static int launcher (stralloc *sa, int *n, mtd_conf_service const *s, char const *bindir)
{
  int ok = 1 ;
  if (s->proto == MTD_CONF_UDP)
  {
    ok = ok && prog(sa, n, bindir, "minetd-udp") ;
    if (s->verbose == 1) ok = ok && word(sa, n, "-v") ;
    ok = ok && word(sa, n, s->wait ? "-w" : "-n") ;
    if (s->wait && s->activation == 1) ok = ok && word(sa, n, "-L") ;
    /* an internal service's idle= is minetd-internal's */
    if (!s->wait && s->idle >= 0 && !s->internal) ok = ok && word(sa, n, "-t") && uword(sa, n, s->idle) ;
    if (!s->wait)
    {
      if (s->maxconn >= 0) ok = ok && word(sa, n, "-c") && uword(sa, n, s->maxconn) ;
      if (s->persource >= 0) ok = ok && word(sa, n, "-C") && uword(sa, n, s->persource) ;
      if (s->prefix4 >= 0) ok = ok && word(sa, n, "-p") && uword(sa, n, s->prefix4) ;
      if (s->prefix6 >= 0) ok = ok && word(sa, n, "-P") && uword(sa, n, s->prefix6) ;
    }
    return ok ;
  }
  ok = ok && prog(sa, n, bindir, "minetd-tcp") ;
  if (s->verbose == 1) ok = ok && word(sa, n, "-v") ;
  if (s->wait) ok = ok && word(sa, n, "-w") ;
  if (s->wait && s->activation == 1) ok = ok && word(sa, n, "-L") ;
  if (s->nodelay == 1) ok = ok && word(sa, n, "-D") ;
  if (s->keepalive == 1) ok = ok && word(sa, n, "-K") ;
  if (s->stderr_to_socket == 1) ok = ok && word(sa, n, "-e") ;
  if (s->maxconn >= 0) ok = ok && word(sa, n, "-c") && uword(sa, n, s->maxconn) ;
  if (s->persource >= 0) ok = ok && word(sa, n, "-C") && uword(sa, n, s->persource) ;
  if (s->prefix4 >= 0) ok = ok && word(sa, n, "-p") && uword(sa, n, s->prefix4) ;
  if (s->prefix6 >= 0) ok = ok && word(sa, n, "-P") && uword(sa, n, s->prefix6) ;
  if (s->backlog >= 0) ok = ok && word(sa, n, "-b") && uword(sa, n, s->backlog) ;
  if (s->refuse) ok = ok && word(sa, n, "-r") && word(sa, n, s->refuse) ;
  if (s->proxy)
  {
    ok = ok && word(sa, n, "-H") && word(sa, n, s->proxy) && word(sa, n, "-F") && word(sa, n, s->proxy_from) ;
    if (s->proxy_untrusted == 1) ok = ok && word(sa, n, "-X") ;
    if (s->proxy_timeout >= 0) ok = ok && word(sa, n, "-W") && uword(sa, n, (unsigned int)s->proxy_timeout) ;
  }
  return ok ;
}

/* Does the service have a minetd-limit link? Only for what changes
   something: process_group=no and no_new_privs=no are the defaults. */
static int has_limit (mtd_conf_service const *s)
{
  for (unsigned int i = 0 ; i < MTD_CONF_RLIMITS ; i++) if (s->rlimit[i]) return 1 ;
  return s->has_nice || s->umask >= 0 || s->chroot || s->no_new_privs == 1 || s->process_group > 0
      || s->nenv || s->npassenv || s->time_limit > 0 ;
}

/* The user's credentials, as minetd-tcp -u -g -G and minetd-limit take them. */
static int credentials (stralloc *sa, int *n, mtd_conf_service const *s)
{
  int ok = 1 ;
  if (s->has_user) ok = ok && word(sa, n, "-u") && uword(sa, n, s->uid) ;
  if (s->has_user || s->has_group) ok = ok && word(sa, n, "-g") && uword(sa, n, s->gid) ;
  if (s->has_user && s->gidlist && s->gidlist[0]) ok = ok && word(sa, n, "-G") && word(sa, n, s->gidlist) ;
  return ok ;
}

/* minetd-limit, the last link before the program (or minetd-internal):
   everything earlier links do is done before the limits bind, and the
   program runs inside them. Options in minetd-limit(8)'s order. */
static int limit (stralloc *sa, int *n, mtd_conf_service const *s, char const *bindir)
{
  static char const letters[MTD_CONF_RLIMITS][3] = { "-a", "-c", "-d", "-f", "-o", "-p", "-s", "-t" } ;
  int ok ;
  if (!has_limit(s)) return 1 ;
  ok = prog(sa, n, bindir, "minetd-limit") ;
  for (unsigned int i = 0 ; i < MTD_CONF_RLIMITS ; i++)
    if (s->rlimit[i]) ok = ok && word(sa, n, letters[i]) && word(sa, n, s->rlimit[i]) ;
  if (s->has_nice)
  {
    char fmt[INT_FMT] ;
    fmt[int_fmt(fmt, s->nice)] = 0 ;
    ok = ok && word(sa, n, "-n") && word(sa, n, fmt) ;
  }
  if (s->umask >= 0)
  {
    char o[4] = { (char)('0' + ((s->umask >> 6) & 7)), (char)('0' + ((s->umask >> 3) & 7)), (char)('0' + (s->umask & 7)), 0 } ;
    ok = ok && word(sa, n, "-M") && word(sa, n, o) ;
  }
  if (s->chroot) ok = ok && word(sa, n, "-/") && word(sa, n, s->chroot) ;
  if (s->no_new_privs == 1) ok = ok && word(sa, n, "-N") ;
  if (s->process_group == 1) ok = ok && word(sa, n, "-P") ;
  else if (s->process_group == 2) ok = ok && word(sa, n, "-S") ;
  for (unsigned int i = 0 ; i < s->nenv ; i++) ok = ok && word(sa, n, "-e") && word(sa, n, s->env[i]) ;
  for (unsigned int i = 0 ; i < s->npassenv ; i++) ok = ok && word(sa, n, "-x") && word(sa, n, s->passenv[i]) ;
  if (s->time_limit > 0)
  {
    ok = ok && word(sa, n, "-T") && uword(sa, n, (unsigned int)s->time_limit) ;
    if (s->time_limit_grace >= 0) ok = ok && word(sa, n, "-k") && uword(sa, n, (unsigned int)s->time_limit_grace) ;
  }
  /* the drop after chroot and a negative nice, which need root */
  if (mtd_conf_drops_late(s)) ok = ok && credentials(sa, n, s) ;
  return ok ;
}

int mtd_sup_chain (stralloc *sa, mtd_conf_service const *s, char const *bindir, char const *rundir, unsigned int flags, int notiffd)
{
  int n = 0 ;
  int ok = 1 ;
  /* the parser refuses a rate with tcp wait=yes: no connection to count */
  int rate = s->rate > 0 || s->source_rate > 0 ;
  ok = ok && launcher(sa, &n, s, bindir) ;
  if (!mtd_conf_drops_late(s)) ok = ok && credentials(sa, &n, s) ;
  if (notiffd >= 0) ok = ok && word(sa, &n, "-d") && uword(sa, &n, notiffd) ;
  if (flags & MTD_CHAIN_STANDALONE)
  {
    char fmt[UINT16_FMT] ;
    fmt[uint16_fmt(fmt, s->port)] = 0 ;
    ok = ok && word(sa, &n, s->hosttext) && word(sa, &n, fmt) ;
  }
  else ok = ok && word(sa, &n, "-i") ;
  if (s->rules)
  {
    ok = ok && prog(sa, &n, bindir, "minetd-env") ;
    /* minetd-env's own default with -r is -d: said only when written */
    if (s->rules_default >= 0) ok = ok && word(sa, &n, s->rules_default ? "-a" : "-d") ;
    ok = ok && word(sa, &n, "-r") && word(sa, &n, s->rules) ;
  }
  if (rate)
  {
    ok = ok && prog(sa, &n, bindir, "minetd-rate") ;
    if (s->rate) ok = ok && word(sa, &n, "-n") && uword(sa, &n, s->rate) ;
    ok = ok && word(sa, &n, "-w") && word(sa, &n, "60") ;
    if (s->source_rate > 0) ok = ok && word(sa, &n, "-s") && uword(sa, &n, s->source_rate) ;
    if (s->prefix4 >= 0) ok = ok && word(sa, &n, "-p") && uword(sa, &n, s->prefix4) ;
    if (s->prefix6 >= 0) ok = ok && word(sa, &n, "-P") && uword(sa, &n, s->prefix6) ;
    ok = ok && word(sa, &n, "-f") && stralloc_cats(sa, rundir) && stralloc_catb(sa, "/", 1)
       && stralloc_cats(sa, s->name) && stralloc_catb(sa, ".rate", 6) ;
    n++ ;
    if (s->refuse) ok = ok && word(sa, &n, "-m") && word(sa, &n, s->refuse) ;
  }
  ok = ok && limit(sa, &n, s, bindir) ;
  if (s->internal)
  {
    ok = ok && prog(sa, &n, bindir, "minetd-internal") ;
    if (s->idle >= 0) ok = ok && word(sa, &n, "-t") && uword(sa, &n, s->idle) ;
    ok = ok && word(sa, &n, s->internal) ;
  }
  for (unsigned int i = 0 ; i < s->argc ; i++) ok = ok && word(sa, &n, s->argv[i]) ;
  return ok ? n : -1 ;
}

void mtd_sup_chain_argv (char const *s, unsigned int n, char const **argv)
{
  for (unsigned int i = 0 ; i < n ; i++) { argv[i] = s ; s += strlen(s) + 1 ; }
  argv[n] = 0 ;
}

int mtd_sup_shell_quote (stralloc *sa, char const *w)
{
  size_t i = 0 ;
  if (*w)
  {
    for (; w[i] ; i++)
      if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./:=,+@%", w[i])) break ;
    if (!w[i]) return stralloc_cats(sa, w) ;
  }
  if (!stralloc_catb(sa, "'", 1)) return 0 ;
  for (i = 0 ; w[i] ; i++)
    if (w[i] == '\'' ? !stralloc_catb(sa, "'\\''", 4) : !stralloc_catb(sa, w + i, 1)) return 0 ;
  return stralloc_catb(sa, "'", 1) ;
}

int mtd_sup_shell_line (stralloc *sa, char const *s, unsigned int n)
{
  for (unsigned int i = 0 ; i < n ; i++)
  {
    if (i && !stralloc_catb(sa, " ", 1)) return 0 ;
    if (!mtd_sup_shell_quote(sa, s)) return 0 ;
    s += strlen(s) + 1 ;
  }
  return 1 ;
}
