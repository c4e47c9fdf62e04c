/* bpfcheck: the rules' socket filter in the kernel, for tests.
     bpfcheck udp|tcp HOST RULES a|d SRC...
   Binds HOST port 0 (HOST "::" is dual stack), attaches the filter for
   RULES (default allow with a, deny with d) by mtd_rules_bpf_attach, then
   from each SRC (bound to it) sends a datagram or connects, and prints
   "attach 1" (or "attach 0 REASON": nothing attached), then per SRC
   "SRC pass" or "SRC drop". UDP: after the datagrams, the filter is
   removed and a marker sent, so that every datagram that passed has been
   read. TCP: a connect that has not completed within 700 ms is dropped
   (the listener's SYNs go through the filter; a dropped SYN is retried
   only after a second). Loopback only. Exit 111 on a system error. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "mtd_rules.h"
#include "mtd_rulesbpf.h"

#define MAXSRC 16

static void die (char const *what)
{
  fprintf(stderr, "bpfcheck: fatal: %s: %s\n", what, strerror(errno)) ;
  exit(111) ;
}

typedef union { struct sockaddr sa ; struct sockaddr_in in ; struct sockaddr_in6 in6 ; struct sockaddr_storage ss ; } addr ;

static socklen_t addr_make (addr *a, char const *host, unsigned short port)
{
  memset(a, 0, sizeof *a) ;
  if (inet_pton(AF_INET, host, &a->in.sin_addr) == 1)
  {
    a->in.sin_family = AF_INET ; a->in.sin_port = htons(port) ;
    return sizeof a->in ;
  }
  if (inet_pton(AF_INET6, host, &a->in6.sin6_addr) == 1)
  {
    a->in6.sin6_family = AF_INET6 ; a->in6.sin6_port = htons(port) ;
    return sizeof a->in6 ;
  }
  fprintf(stderr, "bpfcheck: fatal: not an address: %s\n", host) ;
  exit(100) ;
}

/* Where a SRC reaches the listener: its own family's loopback. */
static socklen_t target (addr *a, char const *host, char const *src, unsigned short port)
{
  int src6 = !!strchr(src, ':') ;
  if (!strcmp(host, "::")) return addr_make(a, src6 ? "::1" : "127.0.0.1", port) ;
  return addr_make(a, host, port) ;
}

static int src_socket (char const *src, int type)
{
  addr a ;
  socklen_t len = addr_make(&a, src, 0) ;
  int fd = socket(a.sa.sa_family, type | SOCK_CLOEXEC, 0) ;
  if (fd < 0) die("socket") ;
  if (bind(fd, &a.sa, len) < 0) die("bind to the source") ;
  return fd ;
}

int main (int argc, char **argv)
{
  mtd_rules rules = MTD_RULES_ZERO ;
  mtd_rules_error err ;
  int tcp, lfd, nsrc, r ;
  unsigned short port ;
  addr a ;
  socklen_t len ;
  int pass[MAXSRC] = { 0 } ;
  if (argc < 6 || argc - 5 > MAXSRC || (strcmp(argv[1], "udp") && strcmp(argv[1], "tcp")))
  {
    fprintf(stderr, "usage: bpfcheck udp|tcp HOST RULES a|d SRC...\n") ;
    return 100 ;
  }
  tcp = !strcmp(argv[1], "tcp") ;
  nsrc = argc - 5 ;
  if (!mtd_rules_load(&rules, argv[3], &err))
  {
    fprintf(stderr, "bpfcheck: fatal: %s:%u: %s\n", argv[3], err.line, err.why) ;
    return 100 ;
  }

  len = addr_make(&a, argv[2], 0) ;
  lfd = socket(a.sa.sa_family, (tcp ? SOCK_STREAM : SOCK_DGRAM) | SOCK_CLOEXEC, 0) ;
  if (lfd < 0) die("socket") ;
  if (a.sa.sa_family == AF_INET6)
  {
    int v6only = !!strcmp(argv[2], "::") ;
    if (setsockopt(lfd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, sizeof v6only) < 0) die("IPV6_V6ONLY") ;
  }
  if (bind(lfd, &a.sa, len) < 0) die("bind") ;
  if (tcp && listen(lfd, 64) < 0) die("listen") ;
  len = sizeof a ;
  if (getsockname(lfd, &a.sa, &len) < 0) die("getsockname") ;
  port = ntohs(a.sa.sa_family == AF_INET ? a.in.sin_port : a.in6.sin6_port) ;

  r = mtd_rules_bpf_attach(lfd, &rules, argv[4][0] == 'a') ;
  if (r < 0) die("mtd_rules_bpf_attach") ;
  if (r) printf("attach 1\n") ; else printf("attach 0 %s\n", strerror(errno)) ;

  if (!tcp)
  {
    char buf[64] ;
    for (int i = 0 ; i < nsrc ; i++)
    {
      addr t ;
      socklen_t tl = target(&t, argv[2], argv[5 + i], port) ;
      int fd = src_socket(argv[5 + i], SOCK_DGRAM) ;
      if (sendto(fd, argv[5 + i], strlen(argv[5 + i]), 0, &t.sa, tl) < 0) die("sendto") ;
      close(fd) ;
    }
    if (mtd_rules_bpf_detach(lfd) < 0) die("mtd_rules_bpf_detach") ;
    {
      addr t ;
      char const *src = a.sa.sa_family == AF_INET ? "127.0.0.1" : "::1" ;
      socklen_t tl = target(&t, argv[2], src, port) ;
      int fd = src_socket(src, SOCK_DGRAM) ;
      if (sendto(fd, "marker", 6, 0, &t.sa, tl) < 0) die("sendto") ;
      close(fd) ;
    }
    for (;;)
    {
      struct pollfd p = { .fd = lfd, .events = POLLIN } ;
      ssize_t k ;
      int j = poll(&p, 1, 5000) ;
      if (j < 0) die("poll") ;
      if (!j) { fprintf(stderr, "bpfcheck: fatal: the marker did not arrive\n") ; return 111 ; }
      k = recv(lfd, buf, sizeof buf - 1, 0) ;
      if (k < 0) die("recv") ;
      buf[k] = 0 ;
      if (!strcmp(buf, "marker")) break ;
      for (int i = 0 ; i < nsrc ; i++) if (!strcmp(buf, argv[5 + i])) pass[i] = 1 ;
    }
  }
  else
  {
    struct pollfd p[MAXSRC] ;
    int left = nsrc ;
    for (int i = 0 ; i < nsrc ; i++)
    {
      addr t ;
      socklen_t tl = target(&t, argv[2], argv[5 + i], port) ;
      int fd = src_socket(argv[5 + i], SOCK_STREAM) ;
      if (fcntl(fd, F_SETFL, O_NONBLOCK) < 0) die("fcntl") ;
      if (connect(fd, &t.sa, tl) < 0 && errno != EINPROGRESS) die("connect") ;
      p[i].fd = fd ; p[i].events = POLLOUT ; p[i].revents = 0 ;
    }
    /* until all are connected or 700 ms went by with one still waiting */
    while (left)
    {
      int j = poll(p, (nfds_t)nsrc, 700) ;
      if (j < 0) die("poll") ;
      if (!j) break ;
      for (int i = 0 ; i < nsrc ; i++)
        if (p[i].revents)
        {
          int e = 0 ;
          socklen_t el = sizeof e ;
          if (getsockopt(p[i].fd, SOL_SOCKET, SO_ERROR, &e, &el) < 0) die("getsockopt") ;
          pass[i] = !e ;
          p[i].fd = -p[i].fd - 1 ;   /* poll no more */
          p[i].revents = 0 ;
          left-- ;
        }
    }
  }
  for (int i = 0 ; i < nsrc ; i++) printf("%s %s\n", argv[5 + i], pass[i] ? "pass" : "drop") ;
  mtd_rules_free(&rules) ;
  return 0 ;
}
