/* The service socket (bound or given by mtd_launch): the local address
   of each datagram (a wildcard bind tells nothing) and its receive time
   asked for; receiving and replying with them. */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <skalibs/djbunix.h>
#include <skalibs/socket.h>
#include <skalibs/strerr.h>
#include <skalibs/types.h>
#include "mtd_addr.h"
#include "mtd_ucspi.h"
#include "minetd-udp.h"

static int sock_family ;
static ip46 bound ;          /* getsockname, for datagrams without pktinfo */
static uint16_t bound_port ;

void udpsock_setup (int fd)
{
  struct sockaddr_storage ss ;
  socklen_t len = sizeof ss ;
  int one = 1 ;
  if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0) strerr_diefusys(111, "read the socket's address") ;
  sock_family = ss.ss_family ;
  if (!mtd_socket_local(fd, &bound, &bound_port)) strerr_diefusys(111, "read the socket's address") ;
  /* On an IPv6 socket, IPv4 datagrams (dual stack) come with an
     IPV6_PKTINFO too, holding the v4-mapped address. */
  if (sock_family == AF_INET6)
  {
    if (setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &one, sizeof one) < 0)
      strerr_diefusys(111, "set IPV6_RECVPKTINFO") ;
  }
  else if (setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof one) < 0)
    strerr_diefusys(111, "set IP_PKTINFO") ;
  /* the receive time tells a datagram left unread from its successor */
  if (setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof one) < 0)
    strerr_diefusys(111, "set SO_TIMESTAMPNS") ;
}

ssize_t udpsock_recv (int fd, char *buf, size_t max, int flags, udp_dgram *d)
{
  union { struct cmsghdr h ; char b[CMSG_SPACE(sizeof(struct in6_pktinfo)) + CMSG_SPACE(sizeof(struct in_pktinfo)) + CMSG_SPACE(sizeof(struct timespec))] ; } cbuf ;
  struct iovec v = { .iov_base = buf, .iov_len = max } ;
  struct msghdr mh = { .msg_name = &d->from, .msg_namelen = sizeof d->from, .msg_iov = &v, .msg_iovlen = 1, .msg_control = cbuf.b, .msg_controllen = sizeof cbuf.b } ;
  ssize_t r ;
  do r = recvmsg(fd, &mh, flags | MSG_DONTWAIT | MSG_TRUNC) ;
  while (r < 0 && errno == EINTR) ;
  if (r < 0) return -1 ;
  d->fromlen = mh.msg_namelen ;
  d->len = r ;
  d->have_pktinfo = 0 ;
  d->stamp.tv_sec = 0 ; d->stamp.tv_nsec = 0 ;
  d->local = bound ;
  d->localport = bound_port ;
  if (!mtd_sockaddr_to_ip46((struct sockaddr *)&d->from, &d->remote, &d->remoteport))
    return (errno = EAFNOSUPPORT, -1) ;
  for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh) ; c ; c = CMSG_NXTHDR(&mh, c))
  {
    if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO && c->cmsg_len >= CMSG_LEN(sizeof(struct in_pktinfo)))
    {
      memcpy(&d->pktinfo.v4, CMSG_DATA(c), sizeof d->pktinfo.v4) ;
      d->local.is6 = 0 ;
      /* the address replies leave from: the destination itself for a
         unicast one, an address of the interface for a broadcast */
      memcpy(d->local.ip, &d->pktinfo.v4.ipi_spec_dst, 4) ;
      d->have_pktinfo = 1 ;
    }
    else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO && c->cmsg_len >= CMSG_LEN(sizeof(struct in6_pktinfo)))
    {
      memcpy(&d->pktinfo.v6, CMSG_DATA(c), sizeof d->pktinfo.v6) ;
      d->local.is6 = 1 ;
      memcpy(d->local.ip, &d->pktinfo.v6.ipi6_addr, 16) ;
      mtd_ip_unmap(&d->local) ;
      d->have_pktinfo = 1 ;
    }
    else if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS && c->cmsg_len >= CMSG_LEN(sizeof(struct timespec)))
      memcpy(&d->stamp, CMSG_DATA(c), sizeof d->stamp) ;
  }
  return r < (ssize_t)max ? r : (ssize_t)max ;
}

ssize_t udpsock_reply (int fd, char const *buf, size_t len, udp_dgram const *d)
{
  union { struct cmsghdr h ; char b[CMSG_SPACE(sizeof(struct in6_pktinfo))] ; } cbuf ;
  struct iovec v = { .iov_base = (char *)buf, .iov_len = len } ;
  struct msghdr mh = { .msg_name = (void *)&d->from, .msg_namelen = d->fromlen, .msg_iov = &v, .msg_iovlen = 1 } ;
  ssize_t r ;
  memset(&cbuf, 0, sizeof cbuf) ;
  if (d->have_pktinfo)
  {
    struct cmsghdr *c ;
    mh.msg_control = cbuf.b ;
    if (sock_family == AF_INET6)
    {
      struct in6_pktinfo pi = { .ipi6_addr = d->pktinfo.v6.ipi6_addr, .ipi6_ifindex = d->pktinfo.v6.ipi6_ifindex } ;
      mh.msg_controllen = CMSG_SPACE(sizeof pi) ;
      c = CMSG_FIRSTHDR(&mh) ;
      c->cmsg_level = IPPROTO_IPV6 ; c->cmsg_type = IPV6_PKTINFO ; c->cmsg_len = CMSG_LEN(sizeof pi) ;
      memcpy(CMSG_DATA(c), &pi, sizeof pi) ;
    }
    else
    {
      struct in_pktinfo pi = { .ipi_ifindex = 0, .ipi_spec_dst = d->pktinfo.v4.ipi_spec_dst } ;
      mh.msg_controllen = CMSG_SPACE(sizeof pi) ;
      c = CMSG_FIRSTHDR(&mh) ;
      c->cmsg_level = IPPROTO_IP ; c->cmsg_type = IP_PKTINFO ; c->cmsg_len = CMSG_LEN(sizeof pi) ;
      memcpy(CMSG_DATA(c), &pi, sizeof pi) ;
    }
  }
  do r = sendmsg(fd, &mh, MSG_DONTWAIT | MSG_NOSIGNAL) ;
  while (r < 0 && errno == EINTR) ;
  /* a multicast destination is no source address: let the kernel choose */
  if (r < 0 && errno == EINVAL && d->have_pktinfo)
  {
    mh.msg_control = 0 ; mh.msg_controllen = 0 ;
    do r = sendmsg(fd, &mh, MSG_DONTWAIT | MSG_NOSIGNAL) ;
    while (r < 0 && errno == EINTR) ;
  }
  return r ;
}
