/* The fused minetd-limit link: one configuration, parsed and checked at
   start, applied by every connection's process before exec. */
#include <string.h>
#include <unistd.h>
#include <skalibs/strerr.h>
#include "mtd_child.h"
#include "mtd_limit.h"
#include "mtd_linklimit.h"

static mtd_limit_config config ;
static int fused ;
static char const *launcher ;   /* PROG outside the link's calls */

static int is_limit (char const *arg)
{
  char const *slash = strrchr(arg, '/') ;
  return !strcmp(slash ? slash + 1 : arg, "minetd-limit") ;
}

static int count (char const *const *argv)
{
  int n = 0 ;
  while (argv[n]) n++ ;
  return n ;
}

char const *const *mtd_linklimit_parse (char const *const *argv)
{
  int used ;
  if (!argv[0] || !is_limit(argv[0])) return argv ;
  launcher = PROG ;
  PROG = "minetd-limit" ;
  used = mtd_limit_parse(count(argv), argv, &config) ;
  PROG = launcher ;
  fused = 1 ;
  return argv + used ;
}

int mtd_linklimit_fused (void) { return fused ; }

void mtd_linklimit_start (mtd_privdrop const *priv)
{
  if (!fused) return ;
  if (config.chroot && priv->drop_uid && priv->uid)
    strerr_dief(100, "minetd-limit -/ needs root in the connection's process: give -u and -g to minetd-limit (it drops them after the chroot), not to ", launcher) ;
  PROG = "minetd-limit" ;
  mtd_limit_start(&config) ;
  PROG = launcher ;
}

char const *mtd_linklimit_program (char const *name)
{
  char const *file ;
  if (fused && config.chroot) return name ;
  file = mtd_path_resolve(name) ;
  /* every connection would exit 127: say so once, at start */
  if (!strchr(file, '/')) strerr_dief3x(100, "unable to find ", file, " in PATH") ;
  return file ;
}

void mtd_linklimit_child (mtd_envmod *env, int *clean_env)
{
  if (!fused) return ;
  if (*clean_env)
  {
    /* an earlier link cleared the environment: -x picks from what is
       left of it, PATH, as the exec chain's minetd-limit would */
    static char const *base[2] ;
    size_t n ;
    environ = (char **)mtd_child_baseenv(1, base, &n) ;
  }
  PROG = "minetd-limit" ;
  mtd_limit_child(&config, env, clean_env) ;
  PROG = launcher ;
}

void mtd_linklimit_forked (pid_t pid)
{
  /* a session cannot be made by a group leader: only the child makes it */
  if (fused && config.group == MTD_LIMIT_GROUP_PGRP) setpgid(pid, pid) ;
}

unsigned int mtd_linklimit_time (void) { return fused ? mtd_limit_deadline(&config) : 0 ; }
unsigned int mtd_linklimit_grace (void) { return mtd_limit_grace(&config) ; }

void mtd_linklimit_wait_check (char const *const *argv, int force_exec, char const *what)
{
  unsigned int t = mtd_linklimit_time() ;
  if (force_exec && argv[0] && is_limit(argv[0]))
  {
    /* the -E chain's link, parsed here only to see its -T */
    mtd_limit_config c ;
    char const *was = PROG ;
    PROG = "minetd-limit" ;
    mtd_limit_parse(count(argv), argv, &c) ;
    PROG = was ;
    t = mtd_limit_deadline(&c) ;
  }
  if (t) strerr_dief(100, "a time limit (minetd-limit -T) does not apply ", what) ;
}
