/* udpask HOST PORT DATA [MS]: a test client that sends DATA in one datagram
   to HOST (IPv4 or IPv6 literal) PORT and prints the one reply. Exit 0
   with a reply, 1 with none within MS milliseconds (default 2000) or a
   closed port, 100 on usage. A C client: Python starts too slowly on a
   loaded machine for tests that ask many times. */
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>

int main (int argc, char **argv)
{
  struct sockaddr_storage ss ;
  socklen_t sl ;
  char buf[65536] ;
  struct pollfd p ;
  ssize_t r ;
  int fd, ms = argc > 4 ? atoi(argv[4]) : 2000 ;
  memset(&ss, 0, sizeof ss) ;
  if (argc < 4) { fprintf(stderr, "udpask: usage: udpask host port data [ms]\n") ; return 100 ; }
  if (inet_pton(AF_INET, argv[1], &((struct sockaddr_in *)&ss)->sin_addr) == 1)
  {
    ((struct sockaddr_in *)&ss)->sin_family = AF_INET ;
    ((struct sockaddr_in *)&ss)->sin_port = htons(atoi(argv[2])) ;
    sl = sizeof(struct sockaddr_in) ;
  }
  else if (inet_pton(AF_INET6, argv[1], &((struct sockaddr_in6 *)&ss)->sin6_addr) == 1)
  {
    ((struct sockaddr_in6 *)&ss)->sin6_family = AF_INET6 ;
    ((struct sockaddr_in6 *)&ss)->sin6_port = htons(atoi(argv[2])) ;
    sl = sizeof(struct sockaddr_in6) ;
  }
  else { fprintf(stderr, "udpask: bad host %s\n", argv[1]) ; return 100 ; }
  fd = socket(ss.ss_family, SOCK_DGRAM, 0) ;
  /* connected: a closed port reads as ECONNREFUSED, at once */
  if (fd < 0 || connect(fd, (struct sockaddr *)&ss, sl) < 0 || send(fd, argv[3], strlen(argv[3]), 0) < 0)
  {
    fprintf(stderr, "udpask: %s\n", strerror(errno)) ;
    return 1 ;
  }
  p.fd = fd ; p.events = POLLIN ;
  if (poll(&p, 1, ms) != 1) return 1 ;
  r = recv(fd, buf, sizeof buf, 0) ;
  if (r < 0) return 1 ;
  return fwrite(buf, 1, r, stdout) == (size_t)r && !fflush(stdout) ? 0 : 1 ;
}
