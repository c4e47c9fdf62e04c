/* The UCSPI environment of a connection or a datagram's source: PROTO and
   ${PROTO}LOCALIP, ${PROTO}LOCALPORT, ${PROTO}REMOTEIP, ${PROTO}REMOTEPORT,
   with PROTO TCP (tcpserver's names) or UDP (udpsvd's names). */
#ifndef MTD_UCSPI_H
#define MTD_UCSPI_H

#include <stdint.h>
#include <skalibs/ip46.h>
#include "mtd_envmod.h"

#define MTD_PROTO_TCP 0
#define MTD_PROTO_UDP 1

typedef struct mtd_ucspi_names_s mtd_ucspi_names ;
struct mtd_ucspi_names_s
{
  char const *proto ;       /* "TCP", "UDP" */
  char const *localip, *localport, *remoteip, *remoteport ;
  char const *localhost, *remotehost, *connnum, *remoteinfo ;
} ;

/* The variable names of proto (MTD_PROTO_TCP or MTD_PROTO_UDP). */
extern mtd_ucspi_names const *mtd_ucspi_names_of (unsigned int proto) ;

/* The protocol a standalone link serves, from $PROTO: TCP when unset.
   Exit 100 naming the value if it is neither TCP nor UDP. */
extern unsigned int mtd_ucspi_proto_env (void) ;

/* Sets PROTO and the four address variables of proto (addresses
   unmapped, IPv6 in RFC 5952 form). 1 or 0 if m is full. */
extern int mtd_ucspi_set (mtd_envmod *m, unsigned int proto, ip46 const *local, uint16_t localport, ip46 const *remote, uint16_t remoteport) ;

/* mtd_ucspi_set for TCP. */
extern int mtd_ucspi_setaddrs (mtd_envmod *m, ip46 const *local, uint16_t localport, ip46 const *remote, uint16_t remoteport) ;

/* The same, reading both ends of the connected socket fd.
   1, or 0 with errno set (not a socket, not connected, not TCP/IP). */
extern int mtd_ucspi_from_socket (mtd_envmod *m, int fd) ;

/* getsockname / getpeername to ip46 + port, unmapped. 1 or 0 (errno). */
extern int mtd_socket_local (int fd, ip46 *ip, uint16_t *port) ;
extern int mtd_socket_remote (int fd, ip46 *ip, uint16_t *port) ;

#endif
