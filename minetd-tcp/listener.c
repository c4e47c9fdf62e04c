/* The options of the listening socket and its connections. */
#include <errno.h>
#include <unistd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <skalibs/djbunix.h>
#include <skalibs/strerr.h>
#include <skalibs/types.h>
#include "mtd_addr.h"
#include "mtd_ucspi.h"
#include "minetd-tcp.h"

/* TCP_NODELAY and SO_KEEPALIVE. On Linux accepted sockets inherit them from
   the listener, so they are set once there; elsewhere on each connection. */
void listener_sockopts (tcp_options const *o, int fd)
{
  int one = 1 ;
  if (o->nodelay && setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) < 0)
    strerr_warnwusys("set TCP_NODELAY") ;
  if (o->keepalive && setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof one) < 0)
    strerr_warnwusys("set SO_KEEPALIVE") ;
}
