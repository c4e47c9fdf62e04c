/* The services over a datagram socket (UDP, inetd's "dgram udp wait"):
   one answer per datagram, to its source, from the address it was sent
   to; exit once idle. Only discard, daytime and time get here: one
   answer, no bigger than a datagram that asks for it. */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <skalibs/error.h>
#include <skalibs/iopause.h>
#include <skalibs/strerr.h>
#include <skalibs/tai.h>
#include <skalibs/types.h>
#include "minetd-internal.h"

#define BATCH 64
#define CONTROL_MAX 128

static uint64_t dropped ;

static uint16_t source_port (struct sockaddr_storage const *ss)
{
  if (ss->ss_family == AF_INET) return ntohs(((struct sockaddr_in const *)ss)->sin_port) ;
  if (ss->ss_family == AF_INET6) return ntohs(((struct sockaddr_in6 const *)ss)->sin6_port) ;
  return 0 ;
}

/* What the kernel said the datagram was sent to (IP_PKTINFO and
   IPV6_RECVPKTINFO, which minetd-udp sets), turned into what sendmsg
   takes to answer from that address: on a wildcard bind the answer then
   leaves from the address the client asked, not the route's choice. */
static size_t reply_control (struct msghdr const *in, char *out)
{
  for (struct cmsghdr *c = CMSG_FIRSTHDR((struct msghdr *)in) ; c ; c = CMSG_NXTHDR((struct msghdr *)in, c))
  {
    struct cmsghdr *o = (struct cmsghdr *)out ;
    if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO)
    {
      struct in_pktinfo pi ;
      memcpy(&pi, CMSG_DATA(c), sizeof pi) ;
      pi.ipi_spec_dst = pi.ipi_addr ;
      pi.ipi_ifindex = 0 ;
      o->cmsg_level = IPPROTO_IP ; o->cmsg_type = IP_PKTINFO ; o->cmsg_len = CMSG_LEN(sizeof pi) ;
      memcpy(CMSG_DATA(o), &pi, sizeof pi) ;
      return CMSG_SPACE(sizeof pi) ;
    }
    if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO)
    {
      o->cmsg_level = IPPROTO_IPV6 ; o->cmsg_type = IPV6_PKTINFO ; o->cmsg_len = CMSG_LEN(sizeof(struct in6_pktinfo)) ;
      memcpy(CMSG_DATA(o), CMSG_DATA(c), sizeof(struct in6_pktinfo)) ;
      return CMSG_SPACE(sizeof(struct in6_pktinfo)) ;
    }
  }
  return 0 ;
}

/* A lost answer is what UDP promises anyway: a full send buffer, an
   unreachable client, an address we cannot answer from (a broadcast
   one) drop it. The other errors say the socket is unusable. */
static void answer (struct sockaddr_storage const *to, socklen_t tolen, char *control, size_t controllen, char const *s, size_t len)
{
  struct iovec v = { .iov_base = (char *)s, .iov_len = len } ;
  struct msghdr m = { .msg_name = (void *)to, .msg_namelen = tolen, .msg_iov = &v, .msg_iovlen = 1, .msg_control = controllen ? control : 0, .msg_controllen = controllen } ;
  if (sendmsg(0, &m, MSG_DONTWAIT | MSG_NOSIGNAL) >= 0) return ;
  if (errno == EINVAL && controllen)
  {
    m.msg_control = 0 ; m.msg_controllen = 0 ;
    if (sendmsg(0, &m, MSG_DONTWAIT | MSG_NOSIGNAL) >= 0) return ;
  }
  switch (errno)
  {
    case EAGAIN :
#if EWOULDBLOCK != EAGAIN
    case EWOULDBLOCK :
#endif
    case ENOBUFS : case ECONNREFUSED : case EHOSTUNREACH : case ENETUNREACH :
    case EHOSTDOWN : case ENETDOWN : case EACCES : case EPERM : case EINVAL :
    case EADDRNOTAVAIL : case EMSGSIZE :
      return ;
    default : strerr_diefusys(111, "send an answer") ;
  }
}

/* Datagrams waiting now, at most BATCH: 1 if one came, else 0. */
static int serve_some (internal_service svc)
{
  int got = 0 ;
  for (unsigned int i = 0 ; i < BATCH ; i++)
  {
    struct sockaddr_storage from = { .ss_family = AF_UNSPEC } ;  /* no source: port 0, no answer */
    char buf[512] ;
    char control[CONTROL_MAX] __attribute__((aligned(8))) ;
    char outcontrol[CONTROL_MAX] __attribute__((aligned(8))) ;
    struct iovec v = { .iov_base = buf, .iov_len = sizeof buf } ;
    struct msghdr m = { .msg_name = &from, .msg_namelen = sizeof from, .msg_iov = &v, .msg_iovlen = 1, .msg_control = control, .msg_controllen = sizeof control } ;
    size_t controllen ;
    uint16_t port ;
    ssize_t r = recvmsg(0, &m, MSG_DONTWAIT) ;
    if (r < 0)
    {
      if (error_isagain(errno)) break ;
      /* an ICMP error from an earlier answer, queued on the socket */
      if (errno == ECONNREFUSED || errno == EHOSTUNREACH || errno == ENETUNREACH || errno == EINTR) continue ;
      strerr_diefusys(111, "read a datagram") ;
    }
    got = 1 ;
    if (svc == SVC_DISCARD) continue ;
    port = source_port(&from) ;
    /* A source port below 1024 is another service, or a forged source
       naming one: answering could start two services answering each
       other forever (daytime to echo, say). No client asks from there. */
    if (port < 1024)
    {
      if (!dropped++)
      {
        char p[UINT16_FMT] ;
        p[uint16_fmt(p, port)] = 0 ;
        strerr_warnw("no answer to a datagram from port ", p, ": below 1024, a service or a forged source (loops)") ;
      }
      continue ;
    }
    controllen = reply_control(&m, outcontrol) ;
    if (svc == SVC_DAYTIME)
    {
      char s[DAYTIME_MAX] ;
      size_t n = clock_daytime(s) ;
      if (!n) strerr_diefusys(111, "read the local time") ;
      answer(&from, m.msg_namelen, outcontrol, controllen, s, n) ;
    }
    else
    {
      char s[4] ;
      clock_time(s) ;
      answer(&from, m.msg_namelen, outcontrol, controllen, s, 4) ;
    }
  }
  return got ;
}

void dgram_run (internal_service svc, unsigned int idle)
{
  tain deadline ;
  tain_now_set_stopwatch_g() ;
  tain_addsec_g(&deadline, idle) ;
  for (;;)
  {
    iopause_fd x = { .fd = 0, .events = IOPAUSE_READ } ;
    int r = iopause_g(&x, 1, &deadline) ;
    if (r < 0) strerr_diefusys(111, "iopause") ;
    if (!r) break ;
    if (serve_some(svc)) tain_addsec_g(&deadline, idle) ;
  }
  if (dropped > 1)
  {
    char n[UINT64_FMT] ;
    n[uint64_fmt(n, dropped)] = 0 ;
    strerr_warnw("no answer to ", n, " datagrams from ports below 1024 in all") ;
  }
  _exit(0) ;
}
