/* udpstandin: a stand-in for minetd-udp in minetd-sup's tests, until the
   real program is built. It does only what minetd-sup relies on: takes
   the chain's options (-d N: readiness), the socket on fd 0 (-i), ends on
   SIGTERM; so the tests exercise minetd-sup's own UDP code (binding, the
   socket options, --status, reload and handover on one socket). It
   appends its pid, its socket (type, family, IPV6_V6ONLY, SO_REUSEADDR,
   inode) and argv to $STANDIN_LOG, and answers each datagram with
   "PID DATA". Also a wait-mode UDP program for tests that run the real
   minetd-udp (it serves the socket on fd 0 until SIGTERM). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>

static volatile sig_atomic_t stop = 0 ;
static void term (int sig) { (void)sig ; stop = 1 ; }

static int opt (int fd, int level, int name)
{
  int v = -1 ;
  socklen_t l = sizeof v ;
  if (getsockopt(fd, level, name, &v, &l) < 0) return -1 ;
  return v ;
}

int main (int argc, char **argv)
{
  char const *log = getenv("STANDIN_LOG") ;
  int notif = -1 ;
  struct sockaddr_storage ss ;
  socklen_t sl = sizeof ss ;
  struct sigaction sa ;
  for (int i = 1 ; i < argc && argv[i][0] == '-' ; i++)
  {
    if (!strcmp(argv[i], "-i")) break ;
    if (!strcmp(argv[i], "-d") && i + 1 < argc) notif = atoi(argv[i + 1]) ;
    if (strchr("dtcCpPugGk", argv[i][1]) && !argv[i][2]) i++ ;
  }
  if (getsockname(0, (struct sockaddr *)&ss, &sl) < 0) { perror("udpstandin: fd 0") ; return 111 ; }
  if (log)
  {
    FILE *f = fopen(log, "a") ;
    struct stat st ;
    if (!f || fstat(0, &st) < 0) { perror("udpstandin: log") ; return 111 ; }
    fprintf(f, "pid=%d type=%d family=%d v6only=%d reuseaddr=%d ino=%lu argv=", (int)getpid(),
      opt(0, SOL_SOCKET, SO_TYPE), ss.ss_family,
      ss.ss_family == AF_INET6 ? opt(0, IPPROTO_IPV6, IPV6_V6ONLY) : -1,
      opt(0, SOL_SOCKET, SO_REUSEADDR), (unsigned long)st.st_ino) ;
    for (int i = 1 ; i < argc ; i++) fprintf(f, "%s%s", i > 1 ? " " : "", argv[i]) ;
    fprintf(f, "\n") ;
    fclose(f) ;
  }
  memset(&sa, 0, sizeof sa) ;
  sa.sa_handler = term ;
  sigaction(SIGTERM, &sa, 0) ;
  if (notif >= 0) { if (write(notif, "\n", 1) < 0) return 111 ; close(notif) ; }
  while (!stop)
  {
    char buf[65536], out[65600] ;
    struct pollfd p = { .fd = 0, .events = POLLIN } ;
    ssize_t r ;
    int n ;
    if (poll(&p, 1, 100) <= 0) continue ;
    sl = sizeof ss ;
    r = recvfrom(0, buf, sizeof buf, MSG_DONTWAIT, (struct sockaddr *)&ss, &sl) ;
    if (r < 0) continue ;
    /* a datagram read is always answered, SIGTERM or not */
    n = snprintf(out, sizeof out, "%d ", (int)getpid()) ;
    memcpy(out + n, buf, r) ;
    sendto(0, out, n + r, 0, (struct sockaddr *)&ss, sl) ;
  }
  return 0 ;
}
