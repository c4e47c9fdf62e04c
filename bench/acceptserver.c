/* acceptserver: the no-child limit. accept -> write one line -> close, in
   one process, on 127.0.0.1; prints its port (bound with port 0) on stdout. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

int main (int argc, char **argv)
{
  static char const line[] = "minetd-bench oneline\n" ;
  struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(0x7f000001) } ;
  socklen_t l = sizeof sa ;
  int one = 1 ;
  int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0) ;
  if (argc > 1) sa.sin_port = htons(atoi(argv[1])) ;
  if (s < 0 || setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0
   || bind(s, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(s, 1024) < 0
   || getsockname(s, (struct sockaddr *)&sa, &l) < 0)
  {
    fprintf(stderr, "acceptserver: fatal: unable to listen: %s\n", strerror(errno)) ;
    return 111 ;
  }
  printf("%u\n", ntohs(sa.sin_port)) ;
  fflush(stdout) ;
  for (;;)
  {
    int fd = accept4(s, 0, 0, SOCK_CLOEXEC) ;
    if (fd < 0) { if (errno == EINTR || errno == ECONNABORTED) continue ; return 111 ; }
    ssize_t r = write(fd, line, sizeof line - 1) ;
    (void)r ;
    close(fd) ;
  }
}
