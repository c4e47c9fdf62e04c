/* The listening socket, when bound here (a given one: mtd_launch_given_socket). */
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

int listener_bind (tcp_options const *o)
{
  char ipfmt[MTD_IP_FMT + 1] ;
  char portfmt[UINT16_FMT] ;
  int fd = socket_tcp46_nbcoe(o->common.ip.is6) ;
  ipfmt[mtd_ip_fmt(ipfmt, &o->common.ip)] = 0 ;
  portfmt[uint16_fmt(portfmt, o->common.port)] = 0 ;
  if (o->common.dualstack) ipfmt[0] = '*', ipfmt[1] = 0 ;
  if (fd < 0) strerr_diefusys(111, "create a socket for ", ipfmt) ;
  if (o->common.ip.is6)
  {
    int v6only = !o->common.dualstack ;
    if (setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, sizeof v6only) < 0)
      strerr_diefusys(111, "set IPV6_V6ONLY on ", ipfmt) ;
  }
  if (socket_bind46_reuse(fd, &o->common.ip, o->common.port) < 0)
    strerr_diefusys(111, "bind to ", ipfmt, " port ", portfmt) ;
  if (socket_listen(fd, o->backlog) < 0)
    strerr_diefusys(111, "listen on ", ipfmt, " port ", portfmt) ;
  return fd ;
}

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
