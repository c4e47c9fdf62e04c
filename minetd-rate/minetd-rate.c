/* minetd-rate: admits or refuses this connection against the per-service
   and per-source rate limits in a shared state file, then execs the rest. */
#include <stdlib.h>
#include <string.h>
#include <skalibs/types.h>
#include <skalibs/strerr.h>
#include "mtd_addr.h"
#include "mtd_child.h"
#include "mtd_conn.h"
#include "mtd_envmod.h"
#include "mtd_ucspi.h"
#include "mtd_ratelink.h"

char const *PROG = "minetd-rate" ;

/* The source, as the launcher told it (${PROTO}REMOTEIP: TCPREMOTEIP,
   UDPREMOTEIP) or, over TCP, from fd 0. */
static void find_remote (mtd_conn *c)
{
  mtd_ucspi_names const *n = mtd_ucspi_names_of(c->proto) ;
  char const *ip = getenv(n->remoteip) ;
  char const *port = getenv(n->remoteport) ;
  if (ip)
  {
    /* not skalibs' ip46_scan: it wraps octets past 255 and does not read
       the dotted v4-mapped form ("::ffff:192.0.2.1") that dual-stack
       launchers write. A bare address scans as a full-length prefix. */
    unsigned int bits ;
    char const *why ;
    if (strchr(ip, '/') || !mtd_prefix_scan(ip, &c->remote, &bits, &why))
      strerr_dief(111, "invalid $", n->remoteip, ": ", ip) ;
    unsigned int u = 0 ;
    if (port && mtd_uint_scan(port, 65535, &u)) c->remoteport = u ;
    return ;
  }
  /* a UDP socket in wait mode is not connected: only the launcher knows */
  if (c->proto == MTD_PROTO_UDP) strerr_dief(111, "find the remote address: no $UDPREMOTEIP") ;
  if (!mtd_socket_remote(0, &c->remote, &c->remoteport))
    strerr_diefusys(111, "find the remote address: no $TCPREMOTEIP and getpeername on fd 0 failed") ;
}

int main (int argc, char const *const *argv)
{
  static mtd_rate_config cfg ;
  static mtd_envmod nomod ;
  mtd_conn c ;
  int r ;
  int i = mtd_rate_parse(argc, argv, &cfg) ;
  mtd_rate_start(&cfg) ;
  memset(&c, 0, sizeof c) ;
  c.proto = mtd_ucspi_proto_env() ;
  /* the UCSPI write end, for the refusal message; none to a datagram's
     source, which may be forged (reflection) */
  c.fd = c.proto == MTD_PROTO_UDP ? -1 : 1 ;
  mtd_envmod_init(&nomod) ;
  c.env = &nomod ;
  if (cfg.lim.n || cfg.lim.s || cfg.verbose) find_remote(&c) ;
  r = mtd_rate_admit(&cfg, &c) ;
  if (r < 0) mtd_rate_file_report(&cfg.file, 1) ;
  if (!r) return 1 ;
  mtd_child_exec(argv[i], argv + i, &nomod, 0) ;
}
