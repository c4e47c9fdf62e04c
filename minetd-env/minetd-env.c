/* minetd-env: UCSPI environment and access rules for the connection on
   fd 0, then exec the rest of the command line. A chain link: it changes
   the environment and nothing else (fds and signals are the launcher's). */
#include <stdlib.h>
#include <skalibs/strerr.h>
#include "mtd_ucspi.h"
#include "mtd_child.h"
#include "mtd_envlink.h"

/* Facts a launcher (minetd-tcp, tcpserver) may have set that minetd-env
   does not compute: kept under -c, as they are in the fused path. */
static char const *const launcher_vars[] = { "TCPCONNNUM", "TCPREMOTEINFO", 0 } ;

int main (int argc, char const *const *argv)
{
  mtd_env_config cfg ;
  mtd_envmod env ;
  mtd_conn c = { .fd = 0, .have_local = 0, .clean_env = 0, .env = &env } ;
  int rest ;
  PROG = "minetd-env" ;
  rest = mtd_env_parse(argc, argv, &cfg) ;
  mtd_env_start(&cfg) ;
  mtd_envmod_init(&env) ;

  /* Not an inet socket is a launcher misconfiguration (e.g. socat EXEC
     without nofork): retrying will not help, hence 100. */
  if (!mtd_socket_remote(0, &c.remote, &c.remoteport))
    strerr_diefusys(100, "read the peer address of fd 0 (is it a TCP socket?)") ;
  if (mtd_socket_local(0, &c.local, &c.localport)) c.have_local = 1 ;

  /* freed on the way out so that a leak checker (ASan) reports none */
  if (!mtd_env_admit(&cfg, &c)) { mtd_rules_free(&cfg.rules) ; return 1 ; }

  if (cfg.clean)
    for (unsigned int i = 0 ; launcher_vars[i] ; i++)
    {
      char const *v = getenv(launcher_vars[i]) ;
      if (v && !mtd_envmod_set(&env, launcher_vars[i], v)) strerr_diefusys(111, "set up the environment") ;
    }
  mtd_env_child(&cfg, &c) ;
  mtd_child_exec(argv[rest], argv + rest, &env, c.clean_env) ;
}
