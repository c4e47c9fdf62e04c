/* The UCSPI TCP environment of a connection: PROTO, TCPLOCAL*, TCPREMOTE*. */
#ifndef MTD_UCSPI_H
#define MTD_UCSPI_H

#include <stdint.h>
#include <skalibs/ip46.h>
#include "mtd_envmod.h"

/* Sets PROTO=TCP, TCPLOCALIP, TCPLOCALPORT, TCPREMOTEIP, TCPREMOTEPORT
   (addresses unmapped, IPv6 in RFC 5952 form). 1 or 0 if m is full. */
extern int mtd_ucspi_setaddrs (mtd_envmod *m, ip46 const *local, uint16_t localport, ip46 const *remote, uint16_t remoteport) ;

/* The same, reading both ends of the connected socket fd.
   1, or 0 with errno set (not a socket, not connected, not TCP/IP). */
extern int mtd_ucspi_from_socket (mtd_envmod *m, int fd) ;

/* getsockname / getpeername to ip46 + port, unmapped. 1 or 0 (errno). */
extern int mtd_socket_local (int fd, ip46 *ip, uint16_t *port) ;
extern int mtd_socket_remote (int fd, ip46 *ip, uint16_t *port) ;

#endif
