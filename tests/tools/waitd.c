/* waitd: a wait-mode test daemon. Takes the listening socket it is given
   (fd 0, or with -s by LISTEN_FDS, fd 3), appends "start PID" to MARKER,
   accepts and answers each connection with one line saying what it was
   given, and exits after IDLE ms without a connection (-i, 1000) or after
   -n connections. Exits 3 if the socket activation variables are wrong. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>

static int count_fds (void)
{
  DIR *d = opendir("/proc/self/fd") ;
  struct dirent *e ;
  int n = 0 ;
  if (!d) return -1 ;
  while ((e = readdir(d))) if (e->d_name[0] != '.') n++ ;
  closedir(d) ;
  return n - 1 ;   /* the directory's own fd */
}

static int listening (int fd)
{
  int on = 0 ;
  socklen_t len = sizeof on ;
  return getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &on, &len) == 0 && on ;
}

int main (int argc, char **argv)
{
  int activation = 0, idle = 1000, max = 0, opt, fd, served = 0, fds ;
  char const *ucspi ;
  FILE *marker ;
  while ((opt = getopt(argc, argv, "si:n:")) != -1)
    switch (opt)
    {
      case 's' : activation = 1 ; break ;
      case 'i' : idle = atoi(optarg) ; break ;
      case 'n' : max = atoi(optarg) ; break ;
      default : return 100 ;
    }
  if (optind >= argc) { fprintf(stderr, "usage: waitd [-s] [-i idle-ms] [-n max] marker\n") ; return 100 ; }
  fds = count_fds() ;
  marker = fopen(argv[optind], "a") ;
  if (!marker || fprintf(marker, "start %d\n", (int)getpid()) < 0 || fclose(marker)) { perror("waitd: marker") ; return 111 ; }
  if (activation)
  {
    char const *pid = getenv("LISTEN_PID"), *n = getenv("LISTEN_FDS") ;
    if (!pid || atoi(pid) != (int)getpid()) { fprintf(stderr, "waitd: LISTEN_PID %s is not my pid %d\n", pid ? pid : "(unset)", (int)getpid()) ; return 3 ; }
    if (!n || strcmp(n, "1")) { fprintf(stderr, "waitd: LISTEN_FDS is not 1\n") ; return 3 ; }
    if (getenv("LISTEN_FDNAMES")) { fprintf(stderr, "waitd: LISTEN_FDNAMES is set\n") ; return 3 ; }
    if (listening(0)) { fprintf(stderr, "waitd: fd 0 is the listener too\n") ; return 3 ; }
    fd = 3 ;
  }
  else fd = 0 ;
  if (!listening(fd)) { fprintf(stderr, "waitd: fd %d is not a listening socket\n", fd) ; return 3 ; }
  ucspi = getenv("TCPREMOTEIP") ? "TCPREMOTEIP" : getenv("TCPLOCALPORT") ? "TCPLOCALPORT" : getenv("PROTO") ? "PROTO" : "none" ;
  for (;;)
  {
    struct pollfd p = { .fd = fd, .events = POLLIN } ;
    char line[256] ;
    int c, r = poll(&p, 1, idle) ;
    if (r < 0 && errno == EINTR) continue ;
    if (r < 0) { perror("waitd: poll") ; return 111 ; }
    if (!r) return 0 ;
    c = accept(fd, 0, 0) ;
    if (c < 0) { perror("waitd: accept") ; return 111 ; }
    served++ ;
    r = snprintf(line, sizeof line, "waitd pid %d conn %d mode %s %s fds %d ucspi %s\n",
      (int)getpid(), served, activation ? "listen_fds" : "fd0",
      fcntl(fd, F_GETFL) & O_NONBLOCK ? "nonblocking" : "blocking", fds, ucspi) ;
    if (write(c, line, r) != r) perror("waitd: write") ;
    close(c) ;
    if (max && served >= max) return 0 ;
  }
}
