/* The UCSPI TCP environment of a connection. */
#include <errno.h>
#include <sys/socket.h>
#include <skalibs/types.h>
#include "mtd_addr.h"
#include "mtd_ucspi.h"

static int set_ip_port (mtd_envmod *m, char const *ipkey, char const *portkey, ip46 const *ip, uint16_t port)
{
  char fmt[MTD_IP_FMT] ;
  char pfmt[UINT16_FMT] ;
  size_t len = mtd_ip_fmt(fmt, ip) ;
  size_t plen = uint16_fmt(pfmt, port) ;
  return mtd_envmod_setn(m, ipkey, fmt, len) && mtd_envmod_setn(m, portkey, pfmt, plen) ;
}

int mtd_ucspi_setaddrs (mtd_envmod *m, ip46 const *local, uint16_t localport, ip46 const *remote, uint16_t remoteport)
{
  return mtd_envmod_set(m, "PROTO", "TCP")
      && set_ip_port(m, "TCPLOCALIP", "TCPLOCALPORT", local, localport)
      && set_ip_port(m, "TCPREMOTEIP", "TCPREMOTEPORT", remote, remoteport) ;
}

static int socket_end (int fd, int peer, ip46 *ip, uint16_t *port)
{
  struct sockaddr_storage ss ;
  socklen_t len = sizeof ss ;
  if ((peer ? getpeername(fd, (struct sockaddr *)&ss, &len) : getsockname(fd, (struct sockaddr *)&ss, &len)) < 0) return 0 ;
  if (!mtd_sockaddr_to_ip46((struct sockaddr *)&ss, ip, port)) return (errno = EAFNOSUPPORT, 0) ;
  return 1 ;
}

int mtd_socket_local (int fd, ip46 *ip, uint16_t *port) { return socket_end(fd, 0, ip, port) ; }
int mtd_socket_remote (int fd, ip46 *ip, uint16_t *port) { return socket_end(fd, 1, ip, port) ; }

int mtd_ucspi_from_socket (mtd_envmod *m, int fd)
{
  ip46 local, remote ;
  uint16_t localport, remoteport ;
  if (!mtd_socket_local(fd, &local, &localport) || !mtd_socket_remote(fd, &remote, &remoteport)) return 0 ;
  return mtd_ucspi_setaddrs(m, &local, localport, &remote, remoteport) ;
}
