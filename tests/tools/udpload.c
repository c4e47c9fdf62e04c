/* udpload: a loopback-only UDP load generator for the minetd benchmarks.
   One process, epoll, K requests in flight. A request is one datagram
   "udpload N" from a socket of its own (a new source port: a new peer for
   a per-peer server), answered by one datagram; a request with no answer
   within the timeout counts as lost and its slot starts the next one.
   Bounded by a count and by a time. Prints one key=value line.
   The bench (bench/udp) and the tests (tests/minetd-udp) both use it. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>

#define USAGE "usage: udpload [-k inflight] [-n count] [-t seconds] [-T timeout_ms] [-w warmup] [-q] host port\n"
#define TOOL "udpload"
#include "loadcommon.h"

typedef struct slot_s
{
  int fd ;
  uint64_t start ;   /* ns */
  unsigned long id ;
} slot ;


/* Only 127.0.0.0/8 and ::1: this tool must never load a real network. */
static int parse_loopback (char const *host, unsigned int port, struct sockaddr_storage *ss, socklen_t *len)
{
  struct sockaddr_in *s4 = (struct sockaddr_in *)ss ;
  struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss ;
  memset(ss, 0, sizeof *ss) ;
  if (inet_pton(AF_INET, host, &s4->sin_addr) == 1)
  {
    s4->sin_family = AF_INET ; s4->sin_port = htons(port) ; *len = sizeof *s4 ;
    return (ntohl(s4->sin_addr.s_addr) >> 24) == 127 ;
  }
  if (inet_pton(AF_INET6, host, &s6->sin6_addr) == 1)
  {
    s6->sin6_family = AF_INET6 ; s6->sin6_port = htons(port) ; *len = sizeof *s6 ;
    return IN6_IS_ADDR_LOOPBACK(&s6->sin6_addr) ;
  }
  return 0 ;
}

static int cmp_u64 (void const *a, void const *b)
{
  uint64_t x = *(uint64_t const *)a, y = *(uint64_t const *)b ;
  return x < y ? -1 : x > y ;
}

int main (int argc, char **argv)
{
  unsigned int k = 16, warmup = 0 ;
  unsigned long count = 1000 ;
  double seconds = 10 ;
  unsigned int timeout_ms = 1000 ;
  int quiet = 0, opt, ep ;
  struct sockaddr_storage dst ;
  socklen_t dstlen ;
  slot *slots ;
  uint64_t *lat, t0, deadline, timeout_ns ;
  unsigned long sent = 0, ok = 0, lost = 0, mismatch = 0, errors = 0, nlat = 0, nextid = 0 ;
  unsigned int active = 0 ;
  double cpu0 ;
  while ((opt = getopt(argc, argv, "k:n:t:T:w:q")) != -1)
    switch (opt)
    {
      case 'k' : k = strtoul(optarg, 0, 10) ; break ;
      case 'n' : count = strtoul(optarg, 0, 10) ; break ;
      case 't' : seconds = strtod(optarg, 0) ; break ;
      case 'T' : timeout_ms = strtoul(optarg, 0, 10) ; break ;
      case 'w' : warmup = strtoul(optarg, 0, 10) ; break ;
      case 'q' : quiet = 1 ; break ;
      default : dieusage(0) ;
    }
  if (argc - optind != 2) dieusage(0) ;
  if (!k || k > 4096 || !count || count > 10000000 || seconds <= 0 || seconds > 600 || !timeout_ms)
    dieusage("bounds: 1 <= k <= 4096, 1 <= n <= 10^7, 0 < t <= 600, T > 0") ;
  if (!parse_loopback(argv[optind], strtoul(argv[optind + 1], 0, 10), &dst, &dstlen))
    dieusage("the target must be a loopback address (127.0.0.0/8 or ::1)") ;
  slots = calloc(k, sizeof *slots) ;
  lat = malloc(count * sizeof *lat) ;
  if (!slots || !lat) die("allocate") ;
  ep = epoll_create1(EPOLL_CLOEXEC) ;
  if (ep < 0) die("epoll_create1") ;
  timeout_ns = (uint64_t)timeout_ms * 1000000 ;
  t0 = now_ns() ;
  deadline = t0 + (uint64_t)(seconds * 1e9) ;
  cpu0 = cpu_s() ;
  for (;;)
  {
    uint64_t now = now_ns() ;
    struct epoll_event ev[64] ;
    int n, wait_ms ;
    /* fill the free slots */
    for (unsigned int i = 0 ; i < k && sent < count + warmup && now < deadline ; i++)
    {
      slot *s = slots + i ;
      char buf[32] ;
      int len ;
      struct epoll_event e = { .events = EPOLLIN } ;
      if (s->fd > 0) continue ;
      s->fd = socket(dst.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0) ;
      if (s->fd < 0) die("socket") ;
      s->id = nextid++ ;
      len = snprintf(buf, sizeof buf, "udpload %lu", s->id) ;
      e.data.u32 = i ;
      if (epoll_ctl(ep, EPOLL_CTL_ADD, s->fd, &e) < 0) die("epoll_ctl") ;
      s->start = now_ns() ;
      if (sendto(s->fd, buf, len, 0, (struct sockaddr *)&dst, dstlen) != len) { errors++ ; close(s->fd) ; s->fd = 0 ; continue ; }
      sent++ ;
      active++ ;
    }
    if (!active) break ;
    wait_ms = 10 ;
    n = epoll_wait(ep, ev, 64, wait_ms) ;
    if (n < 0 && errno != EINTR) die("epoll_wait") ;
    now = now_ns() ;
    for (int j = 0 ; j < n ; j++)
    {
      slot *s = slots + ev[j].data.u32 ;
      char buf[64], want[32] ;
      ssize_t r = recv(s->fd, buf, sizeof buf - 1, 0) ;
      int wl = snprintf(want, sizeof want, "udpload %lu", s->id) ;
      if (r < 0 && errno == EAGAIN) continue ;
      if (r < 0) errors++ ;
      else if (r < wl || memcmp(buf, want, wl)) mismatch++ ;
      else
      {
        if (s->id >= warmup) { ok++ ; if (nlat < count) lat[nlat++] = now - s->start ; }
      }
      close(s->fd) ; s->fd = 0 ; active-- ;
    }
    for (unsigned int i = 0 ; i < k ; i++)
      if (slots[i].fd > 0 && now - slots[i].start > timeout_ns)
      {
        if (slots[i].id >= warmup) lost++ ;
        close(slots[i].fd) ; slots[i].fd = 0 ; active-- ;
      }
    if (now >= deadline + timeout_ns) break ;
  }
  {
    double el = (now_ns() - t0) / 1e9 ;
    double cpu = cpu_s() - cpu0 ;
    qsort(lat, nlat, sizeof *lat, &cmp_u64) ;
    printf("dgrams_per_s=%.1f ok=%lu lost=%lu mismatch=%lu errors=%lu inflight=%u p50_ms=%.3f p99_ms=%.3f elapsed_s=%.2f loadgen_cpu=%.2f\n",
      ok / el, ok, lost, mismatch, errors, k,
      nlat ? lat[nlat / 2] / 1e6 : 0, nlat ? lat[nlat * 99 / 100] / 1e6 : 0, el, el > 0 ? cpu / el : 0) ;
    (void)quiet ;
  }
  free(slots) ;
  free(lat) ;
  return 0 ;
}
