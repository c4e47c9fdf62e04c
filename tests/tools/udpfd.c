/* udpfd: binds a UDP socket on HOST port 0 (with -p, IP_PKTINFO or
   IPV6_RECVPKTINFO on), prints the port on stdout, then execs the rest of
   the command line with the socket on fds 0 and 1 (inetd's "dgram udp
   wait"). */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

int main (int argc, char **argv)
{
  int pktinfo = argc > 1 && !strcmp(argv[1], "-p") ;
  char **a = argv + 1 + pktinfo ;
  struct sockaddr_storage ss ;
  struct sockaddr_in *s4 = (struct sockaddr_in *)&ss ;
  struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss ;
  socklen_t len ;
  int fd, one = 1 ;
  if (!a[0] || !a[1]) { fprintf(stderr, "usage: udpfd [-p] host prog...\n") ; return 100 ; }
  memset(&ss, 0, sizeof ss) ;
  if (inet_pton(AF_INET6, a[0], &s6->sin6_addr) == 1) { s6->sin6_family = AF_INET6 ; len = sizeof *s6 ; }
  else if (inet_pton(AF_INET, a[0], &s4->sin_addr) == 1) { s4->sin_family = AF_INET ; len = sizeof *s4 ; }
  else { fprintf(stderr, "udpfd: bad host %s\n", a[0]) ; return 100 ; }
  fd = socket(ss.ss_family, SOCK_DGRAM, 0) ;
  if (fd < 0) { perror("udpfd: socket") ; return 111 ; }
  if (pktinfo && (ss.ss_family == AF_INET
      ? setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof one)
      : setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &one, sizeof one)) < 0) { perror("udpfd: pktinfo") ; return 111 ; }
  if (bind(fd, (struct sockaddr *)&ss, len) < 0 || getsockname(fd, (struct sockaddr *)&ss, &len) < 0) { perror("udpfd: bind") ; return 111 ; }
  printf("%u\n", ntohs(ss.ss_family == AF_INET ? s4->sin_port : s6->sin6_port)) ;
  fflush(stdout) ;
  if (dup2(fd, 0) < 0 || dup2(fd, 1) < 0) { perror("udpfd: dup2") ; return 111 ; }
  if (fd > 1) close(fd) ;
  execvp(a[1], a + 1) ;
  perror("udpfd: exec") ;
  return 127 ;
}
