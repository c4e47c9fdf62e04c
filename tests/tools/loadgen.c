/* loadgen: a loopback-only TCP load generator for the minetd benchmarks.
   One process, epoll, K connections in flight; each connection is
   connect -> read to EOF -> close. Bounded by a count and by a time. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
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

#define USAGE "usage: loadgen [-k inflight] [-n count] [-t seconds] [-i interval_ms] [-T timeout_ms] [-w warmup] [-s srcip] [-x expect] [-q] host port\n       loadgen -F [n]   (print n free ports of 127.0.0.1)\n"
#define TOOL "loadgen"
#include "loadcommon.h"

enum { F_CONNECT, F_RESET, F_TIMEOUT, F_EMPTY, F_MISMATCH, F_OTHER, F_N } ;
static char const *fname[F_N] = { "connect", "reset", "timeout", "empty", "mismatch", "other" } ;

typedef struct slot_s
{
  int fd ;
  uint64_t start ;   /* ns */
  size_t got ;       /* bytes received */
  int bad ;          /* data did not match the expected prefix */
} slot ;


/* Only 127.0.0.0/8 and ::1 (also as v4-mapped loopback): this tool must never load a real network. */
static int is_loopback (struct sockaddr_storage const *ss)
{
  if (ss->ss_family == AF_INET)
    return (ntohl(((struct sockaddr_in const *)ss)->sin_addr.s_addr) >> 24) == 127 ;
  if (ss->ss_family == AF_INET6)
  {
    struct in6_addr const *a = &((struct sockaddr_in6 const *)ss)->sin6_addr ;
    if (IN6_IS_ADDR_LOOPBACK(a)) return 1 ;
    if (IN6_IS_ADDR_V4MAPPED(a)) return a->s6_addr[12] == 127 ;
  }
  return 0 ;
}

static int parse_addr (char const *host, unsigned int port, struct sockaddr_storage *ss, socklen_t *len)
{
  memset(ss, 0, sizeof *ss) ;
  struct sockaddr_in *s4 = (struct sockaddr_in *)ss ;
  struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss ;
  if (inet_pton(AF_INET, host, &s4->sin_addr) == 1)
  {
    s4->sin_family = AF_INET ; s4->sin_port = htons(port) ; *len = sizeof *s4 ;
    return 1 ;
  }
  if (inet_pton(AF_INET6, host, &s6->sin6_addr) == 1)
  {
    s6->sin6_family = AF_INET6 ; s6->sin6_port = htons(port) ; *len = sizeof *s6 ;
    return 1 ;
  }
  return 0 ;
}

/* Prints n distinct free ports of 127.0.0.1 (held together, so no repeats),
   for peers that cannot bind port 0 and print what they got. */
static int free_ports (unsigned int n)
{
  int fds[1024] ;
  if (!n || n > 1024) dieusage("-F takes 1 to 1024") ;
  for (unsigned int i = 0 ; i < n ; i++)
  {
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(0x7f000001) } ;
    socklen_t l = sizeof sa ;
    fds[i] = socket(AF_INET, SOCK_STREAM, 0) ;
    if (fds[i] < 0) die("socket") ;
    if (bind(fds[i], (struct sockaddr *)&sa, sizeof sa) < 0) die("bind") ;
    if (getsockname(fds[i], (struct sockaddr *)&sa, &l) < 0) die("getsockname") ;
    printf("%u\n", ntohs(sa.sin_port)) ;
  }
  for (unsigned int i = 0 ; i < n ; i++) close(fds[i]) ;
  return 0 ;
}

static int cmp_u64 (void const *a, void const *b)
{
  uint64_t x = *(uint64_t const *)a, y = *(uint64_t const *)b ;
  return x < y ? -1 : x > y ;
}

int main (int argc, char **argv)
{
  unsigned int k = 1, warmup = 0, interval_ms = 0, timeout_ms = 5000 ;
  unsigned long count = 100000 ;
  double seconds = 5 ;
  char const *src = 0, *expect = 0 ;
  size_t expectlen = 0 ;
  int quiet = 0, opt ;
  struct sockaddr_storage dst, srcss ;
  socklen_t dstlen, srclen = 0 ;

  while ((opt = getopt(argc, argv, "k:n:t:i:T:w:s:x:qF")) != -1)
  {
    switch (opt)
    {
      case 'k' : k = strtoul(optarg, 0, 10) ; break ;
      case 'n' : count = strtoul(optarg, 0, 10) ; break ;
      case 't' : seconds = strtod(optarg, 0) ; break ;
      case 'i' : interval_ms = strtoul(optarg, 0, 10) ; break ;
      case 'T' : timeout_ms = strtoul(optarg, 0, 10) ; break ;
      case 'w' : warmup = strtoul(optarg, 0, 10) ; break ;
      case 's' : src = optarg ; break ;
      case 'x' : expect = optarg ; expectlen = strlen(expect) ; break ;
      case 'q' : quiet = 1 ; break ;
      case 'F' : return free_ports(argc > optind ? strtoul(argv[optind], 0, 10) : 1) ;
      default : dieusage(0) ;
    }
  }
  if (argc - optind != 2) dieusage(0) ;
  if (!k || k > 4096) dieusage("inflight must be 1 to 4096") ;
  if (!count || count > 50000000) dieusage("count must be 1 to 50000000") ;
  if (!(seconds > 0) || seconds > 3600) dieusage("seconds must be in (0, 3600]") ;
  if (!timeout_ms) timeout_ms = 1 ;
  {
    unsigned long port = strtoul(argv[optind + 1], 0, 10) ;
    if (!port || port > 65535) dieusage("invalid port") ;
    if (!parse_addr(argv[optind], port, &dst, &dstlen)) dieusage("host must be a numeric IP address") ;
    if (!is_loopback(&dst)) dieusage("refusing a non-loopback target: only 127.0.0.0/8 and ::1") ;
    if (src)
    {
      if (!parse_addr(src, 0, &srcss, &srclen) || srcss.ss_family != dst.ss_family)
        dieusage("source must be a numeric address of the target's family") ;
      if (!is_loopback(&srcss)) dieusage("refusing a non-loopback source") ;
    }
  }

  uint64_t *lat = malloc(sizeof(uint64_t) * count) ;
  slot *slots = calloc(k, sizeof(slot)) ;
  struct epoll_event *evs = calloc(k, sizeof(struct epoll_event)) ;
  if (!lat || !slots || !evs) die("malloc") ;
  int ep = epoll_create1(EPOLL_CLOEXEC) ;
  if (ep < 0) die("epoll_create1") ;
  for (unsigned int i = 0 ; i < k ; i++) slots[i].fd = -1 ;

  unsigned long started = 0, done = 0, ok = 0, fails[F_N] = { 0 } ;
  unsigned long nlat = 0, warm_left = warmup ;
  unsigned int inflight = 0 ;
  char buf[4096] ;
  uint64_t t0 = now_ns(), deadline = t0 + (uint64_t)(seconds * 1e9), next_start = t0 ;
  uint64_t tmeasure = t0 ;
  double cpu0 = cpu_s() ;
  int stopping = 0 ;

  for (;;)
  {
    uint64_t now = now_ns() ;
    if (!stopping && (now >= deadline || started >= count + warmup)) stopping = 1 ;
    /* Start connections into free slots. */
    if (!stopping)
    {
      for (unsigned int i = 0 ; i < k && started < count + warmup ; i++)
      {
        if (slots[i].fd >= 0) continue ;
        if (interval_ms)
        {
          if (now < next_start) break ;
          next_start += (uint64_t)interval_ms * 1000000u ;
          if (next_start < now) next_start = now ;  /* do not burst to catch up */
        }
        int fd = socket(dst.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0) ;
        if (fd < 0) die("socket") ;
        if (src)
        {
          int one = 1 ;
          setsockopt(fd, SOL_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one) ;
          if (bind(fd, (struct sockaddr *)&srcss, srclen) < 0) die("bind to the source address") ;
        }
        started++ ;
        slots[i].start = now_ns() ;
        slots[i].got = 0 ;
        slots[i].bad = 0 ;
        if (connect(fd, (struct sockaddr *)&dst, dstlen) < 0 && errno != EINPROGRESS)
        {
          close(fd) ;
          done++ ;
          if (warm_left) warm_left-- ;
          else fails[errno == ETIMEDOUT ? F_TIMEOUT : (errno == ECONNREFUSED || errno == EADDRNOTAVAIL || errno == EAGAIN) ? F_CONNECT : F_OTHER]++ ;
          continue ;
        }
        struct epoll_event ev = { .events = EPOLLIN | EPOLLRDHUP, .data.u32 = i } ;
        if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0) die("epoll_ctl") ;
        slots[i].fd = fd ;
        inflight++ ;
      }
    }
    if (stopping && !inflight) break ;
    if (stopping && now >= deadline + (uint64_t)timeout_ms * 1000000u) break ;

    int wait_ms = 100 ;
    if (interval_ms && !stopping)
    {
      int64_t d = ((int64_t)next_start - (int64_t)now_ns()) / 1000000 ;
      if (d < wait_ms) wait_ms = d < 0 ? 0 : d + 1 ;
    }
    int n = epoll_wait(ep, evs, k, wait_ms) ;
    if (n < 0) { if (errno == EINTR) continue ; die("epoll_wait") ; }
    for (int e = 0 ; e < n ; e++)
    {
      slot *s = slots + evs[e].data.u32 ;
      int kind = -1, finished = 0 ;
      for (;;)
      {
        ssize_t r = read(s->fd, buf, sizeof buf) ;
        if (r > 0)
        {
          if (expect && s->got < expectlen)
          {
            size_t m = expectlen - s->got < (size_t)r ? expectlen - s->got : (size_t)r ;
            if (memcmp(buf, expect + s->got, m)) s->bad = 1 ;
          }
          s->got += r ;
          continue ;
        }
        if (!r)
        {
          finished = 1 ;
          if (!s->got) kind = F_EMPTY ;
          else if (s->bad || (expect && s->got < expectlen)) kind = F_MISMATCH ;
          break ;
        }
        if (errno == EAGAIN) break ;
        if (errno == EINTR) continue ;
        finished = 1 ;
        kind = errno == ECONNREFUSED ? F_CONNECT : (errno == ECONNRESET || errno == EPIPE) ? F_RESET : errno == ETIMEDOUT ? F_TIMEOUT : F_OTHER ;
        break ;
      }
      if (!finished) continue ;
      uint64_t end = now_ns() ;
      close(s->fd) ;  /* also removes it from the epoll set */
      s->fd = -1 ;
      inflight-- ;
      done++ ;
      if (warm_left)
      {
        if (!--warm_left) { tmeasure = end ; cpu0 = cpu_s() ; }
        continue ;
      }
      if (kind < 0) { ok++ ; lat[nlat++] = end - s->start ; }
      else fails[kind]++ ;
    }
    /* Per-connection timeouts: a scan of K slots per wake-up is cheap. */
    uint64_t t = now_ns() ;
    for (unsigned int i = 0 ; i < k ; i++)
    {
      if (slots[i].fd < 0 || t - slots[i].start < (uint64_t)timeout_ms * 1000000u) continue ;
      close(slots[i].fd) ;
      slots[i].fd = -1 ;
      inflight-- ;
      done++ ;
      if (warm_left) warm_left-- ;
      else fails[F_TIMEOUT]++ ;
    }
  }

  for (unsigned int i = 0 ; i < k ; i++)
    if (slots[i].fd >= 0) { close(slots[i].fd) ; fails[F_TIMEOUT]++ ; done++ ; }
  uint64_t t1 = now_ns() ;
  double el = (t1 - tmeasure) / 1e9 ;
  double cpu = cpu_s() - cpu0 ;
  unsigned long nfail = 0 ;
  for (int i = 0 ; i < F_N ; i++) nfail += fails[i] ;
  qsort(lat, nlat, sizeof *lat, cmp_u64) ;
  double p50 = nlat ? lat[nlat / 2] / 1e3 : 0 ;
  double p99 = nlat ? lat[nlat * 99 / 100 < nlat ? nlat * 99 / 100 : nlat - 1] / 1e3 : 0 ;
  double total = ok + nfail ;
  printf("k=%u conns=%.0f ok=%lu fail=%lu cps=%.0f okps=%.0f p50_us=%.0f p99_us=%.0f elapsed_s=%.2f cpu_pct=%.1f",
    k, total, ok, nfail, el > 0 ? total / el : 0, el > 0 ? ok / el : 0, p50, p99, el, el > 0 ? 100 * cpu / el : 0) ;
  for (int i = 0 ; i < F_N ; i++) printf(" f_%s=%lu", fname[i], fails[i]) ;
  printf("\n") ;
  if (!quiet && nfail)
  {
    fprintf(stderr, "loadgen: %lu failures:", nfail) ;
    for (int i = 0 ; i < F_N ; i++) if (fails[i]) fprintf(stderr, " %s=%lu", fname[i], fails[i]) ;
    fprintf(stderr, "\n") ;
  }
  free(lat) ;
  free(slots) ;
  free(evs) ;
  return 0 ;
}
