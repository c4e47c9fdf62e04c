/* The per-connection links a launcher (minetd-tcp, minetd-udp) runs in
   its own process when its command starts with them (DESIGN.md §1): admission before fork, so a
   denied or refused connection costs no fork; environment in the child;
   one exec, of the final program. The links' own functions decide and log,
   under their own names, exactly as the standalone programs do. */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <skalibs/strerr.h>
#include "mtd_envlink.h"
#include "mtd_ratelink.h"
#include "mtd_linklimit.h"
#include "mtd_links.h"
#include "mtd_rulesbpf.h"

#define LINKS_MAX 4

typedef struct link_s link_t ;
struct link_s
{
  char const *name ;   /* "minetd-env" or "minetd-rate": also its PROG */
  int is_rate ;
  mtd_env_config env ;
  mtd_rate_config rate ;
  uint64_t failure_second ;   /* when a failure of this link was last logged */
} ;

static link_t links[LINKS_MAX] ;
static unsigned int nlinks ;
static char const *launcher ;   /* PROG outside the links' calls */

static int is_program (char const *arg, char const *name)
{
  char const *slash = strrchr(arg, '/') ;
  return !strcmp(slash ? slash + 1 : arg, name) ;
}

/* Options only: usage errors are found before anything is opened. */
char const *const *mtd_links_parse (char const *const *argv, int force_exec)
{
  int argc = 0 ;
  launcher = PROG ;
  if (force_exec) return argv ;
  while (argv[argc]) argc++ ;
  while (nlinks < LINKS_MAX && argv[0])
  {
    link_t *l = links + nlinks ;
    int used ;
    if (is_program(argv[0], "minetd-env")) l->name = "minetd-env" ;
    else if (is_program(argv[0], "minetd-rate")) l->name = "minetd-rate", l->is_rate = 1 ;
    else break ;
    PROG = l->name ;
    used = l->is_rate ? mtd_rate_parse(argc, argv, &l->rate) : mtd_env_parse(argc, argv, &l->env) ;
    PROG = launcher ;
    argv += used ; argc -= used ;
    nlinks++ ;
  }
  /* the last link that runs in-process: what follows it (a minetd-env
     too) is exec'd inside its limits, as in the exec chain */
  return mtd_linklimit_parse(argv) ;
}

/* Rules and state files are opened once fds 0-2 are filled and privileges
   are dropped: as the exec path would open them, in the connection's
   process, with the connection's credentials. */
void mtd_links_start (void)
{
  for (unsigned int i = 0 ; i < nlinks ; i++)
  {
    PROG = links[i].name ;
    if (links[i].is_rate) mtd_rate_start(&links[i].rate) ;
    else mtd_env_start(&links[i].env) ;
  }
  PROG = launcher ;
}

/* 1 admitted, 0 refused (logged by the link), -1 a link failed (errno
   set, *failed names it, its own warning logged at most once a second):
   nothing judged the connection, and the links after the failed one were
   not asked. */
static int admit (mtd_conn *c, char const **failed, int rates)
{
  int r = 1 ;
  mtd_links_started() ;   /* what an earlier call left pending counts */
  for (unsigned int i = 0 ; r > 0 && i < nlinks ; i++)
  {
    link_t *l = links + i ;
    if (l->is_rate && !rates) continue ;
    PROG = l->name ;
    r = l->is_rate ? mtd_rate_admit(&l->rate, c) : mtd_env_admit(&l->env, c) ;
    if (r < 0) *failed = l->name ;
    if (r < 0 && l->is_rate)
    {
      uint64_t second = mtd_rate_now() / MTD_RATE_SECOND ;
      if (second != l->failure_second) mtd_rate_file_report(&l->rate.file, 0) ;
      l->failure_second = second ;
    }
  }
  PROG = launcher ;
  return r ;
}

int mtd_links_admit (mtd_conn *c, char const **failed) { return admit(c, failed, 1) ; }

int mtd_links_admit_uncounted (mtd_conn *c, char const **failed) { return admit(c, failed, 0) ; }

/* The rate links count a connection they admitted only if its process
   started: the exec chain's minetd-rate runs only then. A connection
   that a later link refused or failed has reached that link, as it would
   have in the exec chain: it counts. */
void mtd_links_started (void)
{
  for (unsigned int i = 0 ; i < nlinks ; i++)
    if (links[i].is_rate) mtd_rate_commit(&links[i].rate) ;
}

/* Keeps errno: the caller reports why the process did not start. Its
   warnings are as few as failed forks, which pause the loop. */
void mtd_links_not_started (void)
{
  int e = errno ;
  for (unsigned int i = 0 ; i < nlinks ; i++)
  {
    link_t *l = links + i ;
    int r ;
    if (!l->is_rate) continue ;
    PROG = l->name ;
    r = mtd_rate_release(&l->rate) ;
    if (r < 0) mtd_rate_file_report(&l->rate.file, 0) ;
    if (!r) strerr_warnw("state file ", l->rate.statefile, " locked by another process") ;
    if (r <= 0) strerr_warnw("the admission of a connection not started still counts") ;
  }
  PROG = launcher ;
  errno = e ;
}

void mtd_links_child (mtd_conn *c)
{
  for (unsigned int i = 0 ; i < nlinks ; i++)
  {
    if (links[i].is_rate) continue ;
    PROG = links[i].name ;
    mtd_env_child(&links[i].env, c) ;
  }
  PROG = launcher ;
}

void mtd_links_reload (void)
{
  for (unsigned int i = 0 ; i < nlinks ; i++)
  {
    PROG = links[i].name ;
    if (links[i].is_rate) mtd_rate_reload(&links[i].rate) ;
    else mtd_env_reload(&links[i].env) ;
  }
  PROG = launcher ;
}

/* A refusal summary of minetd-rate, or the count of minetd-env denials not
   logged, is due a second after the refusals it counts; the loop calls
   this then, so it does not wait for the next connection. */
void mtd_links_flush (void)
{
  for (unsigned int i = 0 ; i < nlinks ; i++)
  {
    PROG = links[i].name ;
    if (links[i].is_rate) mtd_rate_flush(&links[i].rate) ;
    else mtd_env_flush(&links[i].env) ;
  }
  PROG = launcher ;
}

/* Does a link's child phase do more than compute variables (lookups,
   the limits)? Then it must run in a forked child, not in the launcher
   itself. */
int mtd_links_child_blocks (void)
{
  if (mtd_linklimit_fused()) return 1 ;
  for (unsigned int i = 0 ; i < nlinks ; i++)
    if (!links[i].is_rate && links[i].env.lookup) return 1 ;
  return 0 ;
}

mtd_env_config const *mtd_links_env (unsigned int *n)
{
  mtd_env_config const *first = 0 ;
  *n = 0 ;
  for (unsigned int i = 0 ; i < nlinks ; i++)
    if (!links[i].is_rate)
    {
      if (!first) first = &links[i].env ;
      (*n)++ ;
    }
  return first ;
}

/* A wait-mode program (minetd-tcp -w) accepts by itself: no link sees a
   connection. A rate has nothing to count, so it cannot be asked for; a
   rules file still holds, as a socket filter on the listener
   (mtd_links_filter), which has room for one. Run as programs (-E), the
   links would get the listener instead of a connection. */
void mtd_links_wait_check (char const *const *argv, int force_exec)
{
  unsigned int nenv = 0 ;
  if (force_exec && argv[0] && (is_program(argv[0], "minetd-env") || is_program(argv[0], "minetd-rate")))
    strerr_dief(100, "-E does not apply with -w: the links would be given the listening socket, not a connection") ;
  for (unsigned int i = 0 ; i < nlinks ; i++)
  {
    if (links[i].is_rate)
      strerr_dief(100, "minetd-rate does not apply with -w: the program accepts the connections, minetd-tcp cannot count them") ;
    nenv++ ;
  }
  if (nenv > 1) strerr_dief(100, "at most one minetd-env link with -w: the listener takes one socket filter") ;
}

/* The first minetd-env link's rules, compiled into a kernel filter on the
   socket a wait-mode program is given: what a denied source sends is
   dropped before anyone reads it, however long the program runs. Rules
   that do not fit leave no filter (mtd_rules_bpf_attach removes the old
   one: a filter of previous rules would judge by those), and say once what
   is then left unjudged. A system error is fatal at start; on reload the
   filter is removed and the error told. */
void mtd_links_filter (int fd, int at_start, char const *unjudged)
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
  if (r < 0)
  {
    int e = errno ;
    if (at_start) strerr_diefusys(111, "attach the rules as a socket filter") ;
    mtd_rules_bpf_detach(fd) ;
    errno = e ;
    strerr_warnwusys("attach the reloaded rules as a socket filter (", unjudged, ")") ;
    return ;
  }
  if (!warned)
    strerr_warnwu("make the rules a socket filter (", errno == E2BIG ? "too many rules" : "no room for it", "): ", unjudged) ;
  warned = 1 ;
}
