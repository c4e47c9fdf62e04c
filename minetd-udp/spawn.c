/* Starting the program for a datagram's source: fork, then in the child
   the clean start (fds, signals), the environment, exec. minetd-udp starts
   a program per wakeup (wait) or per peer (nowait), never per datagram:
   fork is cheap enough, and the child may have work to do (lookups of a
   fused minetd-env -h, LISTEN_PID, which only the child knows). */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <skalibs/strerr.h>
#include <skalibs/types.h>
#include "mtd_envmod.h"
#include "mtd_linklimit.h"
#include "mtd_links.h"
#include "mtd_ucspi.h"
#include "minetd-udp.h"

static udp_options const *opt ;
static char const *exec_file ;

void spawn_init (udp_options const *o)
{
  opt = o ;
  exec_file = mtd_linklimit_program(o->common.argv[0]) ;
}

/* minetd-udp's own variables first, then what the links decided before
   the fork, then the links' child work: the order the exec chain has. */
static void child_environment (mtd_conn *c, mtd_envmod *env, unsigned int connnum)
{
  mtd_ucspi_names const *n = mtd_ucspi_names_of(MTD_PROTO_UDP) ;
  mtd_envmod_init(env) ;
  if (!mtd_ucspi_set(env, MTD_PROTO_UDP, &c->local, c->localport, &c->remote, c->remoteport)
   /* no lookups here: a name inherited from whatever started us is stale */
   || !mtd_envmod_set(env, n->remotehost, 0)
   || !mtd_envmod_set(env, n->localhost, 0))
    strerr_diefusys(111, "set up the environment") ;
  if (connnum)
  {
    char num[UINT_FMT] ;
    num[uint_fmt(num, connnum)] = 0 ;
    if (!mtd_envmod_set(env, n->connnum, num)) strerr_diefusys(111, "set up the environment") ;
  }
  else if (!mtd_envmod_set(env, n->connnum, 0)) strerr_diefusys(111, "set up the environment") ;
  if (opt->activation)
  {
    /* the systemd protocol: LISTEN_PID names the process that execs */
    char pid[PID_FMT] ;
    pid[pid_fmt(pid, getpid())] = 0 ;
    if (!mtd_envmod_set(env, "LISTEN_FDS", "1") || !mtd_envmod_set(env, "LISTEN_PID", pid)
     || !mtd_envmod_set(env, "LISTEN_FDNAMES", 0))
      strerr_diefusys(111, "set up the environment") ;
  }
  if (!mtd_envmod_append(env, c->env)) strerr_diefusys(111, "set up the environment") ;
  c->env = env ;
  mtd_links_child(c) ;
  mtd_linklimit_child(c->env, &c->clean_env) ;
}

pid_t spawn_program (int sock, mtd_conn *c, unsigned int connnum)
{
  pid_t pid = fork() ;
  if (pid > 0) mtd_linklimit_forked(pid) ;
  if (pid) return pid ;
  {
    mtd_envmod env ;
    /* everything of the server's is dropped before any work of the
       child's own (lookups may take seconds) */
    if (!(opt->activation ? mtd_child_setup_activation(&opt->common.child, sock) : mtd_child_setup(&opt->common.child, sock)))
      strerr_diefusys(111, "set up the program's fds and signals") ;
    child_environment(c, &env, connnum) ;
    mtd_child_exec(exec_file, opt->common.argv, c->env, c->clean_env) ;
  }
}
