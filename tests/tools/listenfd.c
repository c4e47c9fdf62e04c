/* listenfd: binds a listening socket on 127.0.0.1 port 0 (or HOST PORT),
   puts it on fd 0 or, with -s, on fd 3 with LISTEN_FDS=1 LISTEN_PID set
   as systemd does, then execs the rest of the command line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

int main (int argc, char **argv)
{
  int systemd = argc > 1 && !strcmp(argv[1], "-s") ;
  char **cmd = argv + 1 + systemd ;
  struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = 0 } ;
  char pid[32] ;
  int fd = socket(AF_INET, SOCK_STREAM, 0) ;
  if (!*cmd) { fprintf(stderr, "usage: listenfd [-s] prog...\n") ; return 100 ; }
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK) ;
  if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(fd, 64) < 0) { perror("listenfd") ; return 111 ; }
  if (dup2(fd, systemd ? 3 : 0) < 0) { perror("listenfd: dup2") ; return 111 ; }
  if (fd != (systemd ? 3 : 0)) close(fd) ;
  if (systemd)
  {
    snprintf(pid, sizeof pid, "%d", (int)getpid()) ;
    setenv("LISTEN_PID", pid, 1) ;
    setenv("LISTEN_FDS", "1", 1) ;
    setenv("LISTEN_FDNAMES", "test", 1) ;
  }
  execvp(cmd[0], cmd) ;
  perror("listenfd: exec") ;
  return 127 ;
}
