/* Reverse DNS with a hard deadline: getnameinfo() in a helper process. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include "mtd_addr.h"
#include "mtd_compat.h"
#include "mtd_lookup.h"

static socklen_t to_sockaddr (ip46 const *ip, struct sockaddr_storage *ss)
{
  memset(ss, 0, sizeof *ss) ;
  if (ip->is6)
  {
    struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss ;
    in6->sin6_family = AF_INET6 ;
    memcpy(in6->sin6_addr.s6_addr, ip->ip, 16) ;
    return sizeof *in6 ;
  }
  else
  {
    struct sockaddr_in *in = (struct sockaddr_in *)ss ;
    in->sin_family = AF_INET ;
    memcpy(&in->sin_addr.s_addr, ip->ip, 4) ;
    return sizeof *in ;
  }
}

/* Names go into the environment: accept only host name characters. */
static int name_ok (char const *s)
{
  size_t n = strlen(s) ;
  if (!n || n > MTD_LOOKUP_NAME_MAX) return 0 ;
  for (size_t i = 0 ; i < n ; i++)
    if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '.' || s[i] == '-' || s[i] == '_')) return 0 ;
  return 1 ;
}

/* Does name resolve to ip? (forward confirmation) */
static int confirms (char const *name, ip46 const *ip)
{
  struct addrinfo hints, *res, *a ;
  int ok = 0 ;
  memset(&hints, 0, sizeof hints) ;
  hints.ai_family = AF_UNSPEC ;
  hints.ai_socktype = SOCK_STREAM ;
  if (getaddrinfo(name, 0, &hints, &res)) return 0 ;
  for (a = res ; a && !ok ; a = a->ai_next)
  {
    ip46 got ;
    uint16_t port ;
    if (mtd_sockaddr_to_ip46(a->ai_addr, &got, &port) && got.is6 == ip->is6 && !memcmp(got.ip, ip->ip, ip->is6 ? 16 : 4)) ok = 1 ;
  }
  freeaddrinfo(res) ;
  return ok ;
}

static size_t lookup_one (ip46 const *ip, int paranoid, char *out)
{
  struct sockaddr_storage ss ;
  char host[NI_MAXHOST] ;
  socklen_t len = to_sockaddr(ip, &ss) ;
  if (getnameinfo((struct sockaddr *)&ss, len, host, sizeof host, 0, 0, NI_NAMEREQD)) return 0 ;
  if (!name_ok(host)) return 0 ;
  if (paranoid && !confirms(host, ip)) return 0 ;
  len = strlen(host) ;
  memcpy(out, host, len) ;
  return len ;
}

static void helper (int fd, ip46 const *remote, ip46 const *local, int paranoid)
{
  char buf[2 * (MTD_LOOKUP_NAME_MAX + 1)] ;
  size_t n ;
  /* Hold no copy of the connection: if our parent goes, the client must
     see the close now, not when a slow resolver gives up. */
  if (fd < 3 && (fd = fcntl(fd, F_DUPFD, 3)) < 0) _exit(1) ;
  close(0) ; close(1) ;
  if (fd > 3) mtd_close_range(3, (unsigned int)fd - 1) ;
  mtd_close_range((unsigned int)fd + 1, ~0U) ;
  n = lookup_one(remote, paranoid, buf) ;
  buf[n++] = '\n' ;
  if (local)
  {
    n += lookup_one(local, paranoid, buf + n) ;
    buf[n++] = '\n' ;
  }
  /* Under PIPE_BUF: one atomic write. */
  _exit(write(fd, buf, n) == (ssize_t)n ? 0 : 1) ;
}

static long long now_ms (void)
{
  struct timespec ts ;
  clock_gettime(CLOCK_MONOTONIC, &ts) ;
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 ;
}

int mtd_lookup_names (ip46 const *remote, ip46 const *local, int paranoid, unsigned int timeout_ms, char *rname, char *lname)
{
  char buf[2 * (MTD_LOOKUP_NAME_MAX + 1)] ;
  size_t len = 0 ;
  unsigned int want = local ? 2 : 1, lines = 0 ;
  long long deadline = now_ms() + timeout_ms ;
  int p[2], done = 0, e = 0 ;
  pid_t pid ;
  rname[0] = 0 ;
  if (lname) lname[0] = 0 ;
  if (pipe2(p, O_CLOEXEC) < 0) return 0 ;
  pid = fork() ;
  if (pid < 0) { e = errno ; close(p[0]) ; close(p[1]) ; errno = e ; return 0 ; }
  if (!pid) { close(p[0]) ; helper(p[1], remote, local, paranoid) ; }
  close(p[1]) ;
  for (;;)
  {
    struct pollfd pfd = { .fd = p[0], .events = POLLIN, .revents = 0 } ;
    long long left = deadline - now_ms() ;
    ssize_t k ;
    int r ;
    if (left <= 0) { e = ETIMEDOUT ; break ; }
    r = poll(&pfd, 1, (int)left) ;
    if (r < 0) { if (errno == EINTR) continue ; e = errno ; break ; }
    if (!r) { e = ETIMEDOUT ; break ; }
    k = read(p[0], buf + len, sizeof buf - len) ;
    if (k < 0) { if (errno == EINTR || errno == EAGAIN) continue ; e = errno ; break ; }
    if (!k) { e = EPIPE ; break ; }
    for (ssize_t i = 0 ; i < k ; i++) if (buf[len + i] == '\n') lines++ ;
    len += k ;
    if (lines >= want) { done = 1 ; break ; }
    if (len == sizeof buf) { e = EPROTO ; break ; }
  }
  close(p[0]) ;
  if (!done) kill(pid, SIGKILL) ;
  while (waitpid(pid, 0, 0) < 0 && errno == EINTR) ;
  if (!done) { errno = e ; return 0 ; }
  {
    char *nl = memchr(buf, '\n', len) ;
    size_t n = nl - buf ;
    memcpy(rname, buf, n) ; rname[n] = 0 ;
    if (lname)
    {
      char *start = nl + 1 ;
      char *nl2 = memchr(start, '\n', len - (start - buf)) ;
      n = nl2 - start ;
      memcpy(lname, start, n) ; lname[n] = 0 ;
    }
  }
  return 1 ;
}
