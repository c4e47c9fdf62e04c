/* One connection as the per-connection links see it. minetd-tcp fills it
   after accept, minetd-udp from a datagram's source, and run the links
   in-process (the fused path); the standalone minetd-env and minetd-rate
   programs fill it from fd 0 and the environment. Either way the same
   link functions decide and log. */
#ifndef MTD_CONN_H
#define MTD_CONN_H

#include <stdint.h>
#include <skalibs/ip46.h>
#include "mtd_envmod.h"

typedef struct mtd_conn_s mtd_conn ;
struct mtd_conn_s
{
  int fd ;              /* the connected socket; -1 for UDP: nothing is
                           ever sent to a datagram's source before the
                           program runs (no reflection) */
  unsigned int proto ;  /* MTD_PROTO_TCP (0) or MTD_PROTO_UDP: variable names */
  ip46 remote ;         /* unmapped */
  uint16_t remoteport ;
  ip46 local ;          /* unmapped; valid only if have_local */
  uint16_t localport ;
  int have_local ;
  int clean_env ;       /* exec the program with only PATH + env modifications */
  mtd_envmod *env ;     /* modifications accumulated for the final program */
} ;

#endif
