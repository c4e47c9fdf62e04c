/* The UCSPI environment of a connection (TCP) or a datagram source (UDP). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <skalibs/strerr.h>
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

static mtd_ucspi_names const names[2] =
{
  { "TCP", "TCPLOCALIP", "TCPLOCALPORT", "TCPREMOTEIP", "TCPREMOTEPORT", "TCPLOCALHOST", "TCPREMOTEHOST", "TCPCONNNUM", "TCPREMOTEINFO" },
  { "UDP", "UDPLOCALIP", "UDPLOCALPORT", "UDPREMOTEIP", "UDPREMOTEPORT", "UDPLOCALHOST", "UDPREMOTEHOST", "UDPCONNNUM", "UDPREMOTEINFO" },
} ;

mtd_ucspi_names const *mtd_ucspi_names_of (unsigned int proto)
{
  return names + (proto == MTD_PROTO_UDP) ;
}

unsigned int mtd_ucspi_proto_env (void)
{
  char const *s = getenv("PROTO") ;
  if (!s || !strcmp(s, "TCP")) return MTD_PROTO_TCP ;
  if (!strcmp(s, "UDP")) return MTD_PROTO_UDP ;
  strerr_dief(100, "unknown $PROTO: ", s, " (expected TCP or UDP)") ;
}

int mtd_ucspi_set (mtd_envmod *m, unsigned int proto, ip46 const *local, uint16_t localport, ip46 const *remote, uint16_t remoteport)
{
  mtd_ucspi_names const *n = mtd_ucspi_names_of(proto) ;
  return mtd_envmod_set(m, "PROTO", n->proto)
      && set_ip_port(m, n->localip, n->localport, local, localport)
      && set_ip_port(m, n->remoteip, n->remoteport, remote, remoteport) ;
}

int mtd_ucspi_setaddrs (mtd_envmod *m, ip46 const *local, uint16_t localport, ip46 const *remote, uint16_t remoteport)
{
  return mtd_ucspi_set(m, MTD_PROTO_TCP, local, localport, remote, remoteport) ;
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
