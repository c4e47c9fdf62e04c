/* The listening socket: bound here, or given on fd 0 or by LISTEN_FDS. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <skalibs/djbunix.h>
#include <skalibs/strerr.h>
#include <skalibs/types.h>
#include "mtd_addr.h"
#include "mtd_launch.h"
#include "mtd_ucspi.h"
#include "minetd-tcp.h"

int listener_bind (tcp_options const *o)
{
  char ipfmt[MTD_IP_FMT + 1] ;
  char portfmt[UINT16_FMT] ;
  int fd = socket_tcp46_nbcoe(o->ip.is6) ;
  ipfmt[mtd_ip_fmt(ipfmt, &o->ip)] = 0 ;
  portfmt[uint16_fmt(portfmt, o->port)] = 0 ;
  if (o->dualstack) ipfmt[0] = '*', ipfmt[1] = 0 ;
  if (fd < 0) strerr_diefusys(111, "create a socket for ", ipfmt) ;
  if (o->ip.is6)
  {
    int v6only = !o->dualstack ;
    if (setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, sizeof v6only) < 0)
      strerr_diefusys(111, "set IPV6_V6ONLY on ", ipfmt) ;
  }
  if (socket_bind46_reuse(fd, &o->ip, o->port) < 0)
    strerr_diefusys(111, "bind to ", ipfmt, " port ", portfmt) ;
  if (socket_listen(fd, o->backlog) < 0)
    strerr_diefusys(111, "listen on ", ipfmt, " port ", portfmt) ;
  return fd ;
}

/* fd 0 or fd 3 (mtd_launch_given_fd). main removes the variables
   afterwards, so connection processes never see them. */
int listener_inherited (void)
{
  char const *what ;
  int fd = mtd_launch_given_fd(&what) ;
  int accepting = 0 ;
  socklen_t len = sizeof accepting ;
  if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &accepting, &len) < 0 || !accepting)
    strerr_dief(100, what, " is not a listening socket") ;
  {
    ip46 ip ;
    uint16_t port ;
    if (!mtd_socket_local(fd, &ip, &port))
      strerr_dief(100, what, " is not a TCP/IP socket") ;
  }
  if (fd < 3)
  {
    /* Keep fd 0 for connections, not the listener. */
    int newfd = fcntl(fd, F_DUPFD_CLOEXEC, 3) ;
    if (newfd < 0) strerr_diefusys(111, "move the listening socket off fd 0") ;
    fd_close(fd) ;
    if (open2("/dev/null", O_RDONLY) != fd) strerr_diefusys(111, "open /dev/null on fd 0") ;
    fd = newfd ;
  }
  else if (coe(fd) < 0) strerr_diefusys(111, "set close-on-exec on the listening socket") ;
  if (ndelay_on(fd) < 0) strerr_diefusys(111, "make the listening socket nonblocking") ;
  return fd ;
}

void listener_print_port (int fd)
{
  ip46 ip ;
  uint16_t port ;
  char fmt[UINT16_FMT + 1] ;
  size_t n ;
  if (!mtd_socket_local(fd, &ip, &port)) strerr_diefusys(111, "read the listening address") ;
  n = uint16_fmt(fmt, port) ;
  fmt[n++] = '\n' ;
  if (write(1, fmt, n) != (ssize_t)n) strerr_diefusys(111, "print the port") ;
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
