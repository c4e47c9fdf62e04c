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

/* skalibs reads the address; a v4-mapped one is then shown as IPv4. */
int mtd_socket_local (int fd, ip46 *ip, uint16_t *port)
{
  if (socket_local46(fd, ip, port) < 0) return 0 ;
  mtd_ip_unmap(ip) ;
  return 1 ;
}

int mtd_socket_remote (int fd, ip46 *ip, uint16_t *port)
{
  if (socket_remote46(fd, ip, port) < 0) return 0 ;
  mtd_ip_unmap(ip) ;
  return 1 ;
}

int mtd_ucspi_from_socket (mtd_envmod *m, int fd)
{
  ip46 local, remote ;
  uint16_t localport, remoteport ;
  if (!mtd_socket_local(fd, &local, &localport) || !mtd_socket_remote(fd, &remote, &remoteport)) return 0 ;
  return mtd_ucspi_setaddrs(m, &local, localport, &remote, remoteport) ;
}
