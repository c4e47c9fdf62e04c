/* udpprobe: a UDP program for tests. Reads datagrams from its socket (fd 0,
   or fd 3 with LISTEN_FDS) or messages from its minetd-udp relay, and
   answers each with one line saying what it was given: its pid, the UCSPI
   variables, its open fds, the activation variables, the payload.
   udpprobe [-n count] [-t seconds]: stop after count datagrams (default 1;
   0: until EOF or the time limit), or seconds without one (default 5).
   On the relay's end of file it says "udpprobe: eof" on stderr. */
#include <dirent.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>

static char const *var (char const *name)
{
  char const *s = getenv(name) ;
  return s ? s : "-" ;
}

static size_t fds (char *s, size_t max)
{
  DIR *d = opendir("/proc/self/fd") ;
  struct dirent *e ;
  size_t n = 0 ;
  int self ;
  s[0] = 0 ;
  if (!d) return 0 ;
  self = dirfd(d) ;
  while ((e = readdir(d)))
  {
    int fd ;
    if (e->d_name[0] == '.') continue ;
    fd = atoi(e->d_name) ;
    if (fd != self && n + 12 < max) n += snprintf(s + n, max - n, "%s%d", n ? "," : "", fd) ;
  }
  closedir(d) ;
  return n ;
}

int main (int argc, char **argv)
{
  int count = 1, seconds = 5, opt, fd = 0, type = 0, seen = 0 ;
  socklen_t tlen = sizeof type ;
  while ((opt = getopt(argc, argv, "n:t:")) != -1)
    switch (opt)
    {
      case 'n' : count = atoi(optarg) ; break ;
      case 't' : seconds = atoi(optarg) ; break ;
      default : return 100 ;
    }
  if (getenv("LISTEN_FDS")) fd = 3 ;
  if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &tlen) < 0) { perror("udpprobe: SO_TYPE") ; return 111 ; }
  while (!count || seen < count)
  {
    struct pollfd p = { .fd = fd, .events = POLLIN } ;
    struct sockaddr_storage from ;
    socklen_t fromlen = sizeof from ;
    char in[2048], out[4096], fdlist[256] ;
    ssize_t r ;
    int n ;
    if (poll(&p, 1, seconds * 1000) <= 0) { fprintf(stderr, "udpprobe: timeout\n") ; return 0 ; }
    r = type == SOCK_DGRAM ? recvfrom(fd, in, sizeof in - 1, 0, (struct sockaddr *)&from, &fromlen) : recv(fd, in, sizeof in - 1, 0) ;
    if (r < 0) { perror("udpprobe: recv") ; return 111 ; }
    if (!r && type != SOCK_DGRAM) { fprintf(stderr, "udpprobe: eof\n") ; return 0 ; }
    in[r] = 0 ;
    if (r && in[r-1] == '\n') in[r-1] = 0 ;
    seen++ ;
    fds(fdlist, sizeof fdlist) ;
    n = snprintf(out, sizeof out, "pid=%d proto=%s remoteip=%s remoteport=%s localip=%s localport=%s connnum=%s fds=%s listen_fds=%s listen_pid=%s n=%d got=%s\n",
      (int)getpid(), var("PROTO"), var("UDPREMOTEIP"), var("UDPREMOTEPORT"), var("UDPLOCALIP"), var("UDPLOCALPORT"), var("UDPCONNNUM"), fdlist, var("LISTEN_FDS"), var("LISTEN_PID"), seen, in) ;
    if (type == SOCK_DGRAM) r = sendto(fd, out, n, 0, (struct sockaddr *)&from, fromlen) ;
    else r = write(type == SOCK_DGRAM ? fd : 1, out, n) ;
    if (r < 0) { perror("udpprobe: send") ; return 111 ; }
  }
  return 0 ;
}
