/* minetd-env: UCSPI environment and access rules for the connection on
   fd 0, then exec the rest of the command line. A chain link: it changes
   the environment and nothing else (fds and signals are the launcher's). */
#include <stdlib.h>
#include <string.h>
#include <skalibs/strerr.h>
#include "mtd_addr.h"
#include "mtd_ucspi.h"
#include "mtd_child.h"
#include "mtd_envlink.h"

/* Over UDP the launcher (minetd-udp, udpsvd) hands an unconnected socket
   (wait mode) or a relay (nowait): the addresses come from its variables.
   1 if they are all set and valid. */
static int addrs_from_env (mtd_ucspi_names const *n, mtd_conn *c)
{
  char const *rip = getenv(n->remoteip), *rport = getenv(n->remoteport) ;
  char const *lip = getenv(n->localip), *lport = getenv(n->localport) ;
  unsigned int u, bits ;
  char const *why ;
  if (!rip || !rport || !lip || !lport) return 0 ;
  if (strchr(rip, '/') || !mtd_prefix_scan(rip, &c->remote, &bits, &why)) return 0 ;
  if (!mtd_uint_scan(rport, 65535, &u)) return 0 ;
  c->remoteport = u ;
  if (strchr(lip, '/') || !mtd_prefix_scan(lip, &c->local, &bits, &why)) return 0 ;
  if (!mtd_uint_scan(lport, 65535, &u)) return 0 ;
  c->localport = u ;
  c->have_local = 1 ;
  return 1 ;
}

int main (int argc, char const *const *argv)
{
  mtd_env_config cfg ;
  mtd_envmod env ;
  mtd_conn c = { .fd = 0, .have_local = 0, .clean_env = 0, .env = &env } ;
  mtd_ucspi_names const *n ;
  int rest ;
  PROG = "minetd-env" ;
  rest = mtd_env_parse(argc, argv, &cfg) ;
  mtd_env_start(&cfg) ;
  mtd_envmod_init(&env) ;
  c.proto = mtd_ucspi_proto_env() ;
  n = mtd_ucspi_names_of(c.proto) ;

  if (c.proto == MTD_PROTO_UDP)
  {
    /* never a message to a datagram's source: it may be forged */
    c.fd = -1 ;
    if (!addrs_from_env(n, &c))
      strerr_dief(100, "PROTO is UDP but $UDPREMOTEIP, $UDPREMOTEPORT, $UDPLOCALIP or $UDPLOCALPORT is missing or invalid") ;
  }
  /* Not an inet socket is a launcher misconfiguration (e.g. socat EXEC
     without nofork): retrying will not help, hence 100. */
  else if (!mtd_socket_remote(0, &c.remote, &c.remoteport))
    strerr_diefusys(100, "read the peer address of fd 0 (is it a TCP socket?)") ;
  else if (mtd_socket_local(0, &c.local, &c.localport)) c.have_local = 1 ;

  /* freed on the way out so that a leak checker (ASan) reports none */
  if (!mtd_env_admit(&cfg, &c)) { mtd_rules_free(&cfg.rules) ; return 1 ; }

  /* Facts a launcher (minetd-tcp, tcpserver, minetd-udp) may have set
     that minetd-env does not compute: kept under -c, as they are in the
     fused path. */
  if (cfg.clean)
  {
    char const *const launcher_vars[] = { n->connnum, n->remoteinfo, 0 } ;
    for (unsigned int i = 0 ; launcher_vars[i] ; i++)
    {
      char const *v = getenv(launcher_vars[i]) ;
      if (v && !mtd_envmod_set(&env, launcher_vars[i], v)) strerr_diefusys(111, "set up the environment") ;
    }
  }
  mtd_env_child(&cfg, &c) ;
  mtd_child_exec(argv[rest], argv + rest, &env, c.clean_env) ;
}
