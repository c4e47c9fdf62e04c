/* Start-up steps shared by the launchers: see mtd_launch.h. */
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <skalibs/allreadwrite.h>
#include <skalibs/djbunix.h>
#include <skalibs/selfpipe.h>
#include <skalibs/sig.h>
#include <skalibs/socket.h>
#include <skalibs/strerr.h>
#include <skalibs/types.h>
#include "mtd_addr.h"
#include "mtd_launch.h"
#include "mtd_ucspi.h"

void mtd_launch_std_fds (void)
{
  for (int fd = 0 ; fd < 3 ; fd++)
    if (fcntl(fd, F_GETFD) < 0 && open2("/dev/null", fd ? O_WRONLY : O_RDONLY) != fd)
      strerr_diefusys(111, "open /dev/null") ;
}

static int const trapped_list[] = { SIGCHLD, SIGTERM, SIGINT, SIGQUIT, SIGHUP } ;
static sigset_t trapped ;

/* The selfpipe reads signals through a signalfd: it blocks them but keeps
   their dispositions, and a signal ignored by whoever started us would be
   discarded, never read (an ignored SIGCHLD: children reaped by the
   kernel unseen, slots never freed). So each trapped signal gets its
   default action first.
   A SIGHUP (a reload, from minetd-sup say) that arrives while we start
   must not end us by its default action. Until the loop can read it, it
   is ignored: the files it would have us reread are read after this
   anyway. (Blocking is not enough: selfpipe_init clears the mask.) */
void mtd_launch_signals_hold (void)
{
  sigemptyset(&trapped) ;
  for (unsigned int i = 0 ; i < sizeof trapped_list / sizeof *trapped_list ; i++)
  {
    sigaddset(&trapped, trapped_list[i]) ;
    if (trapped_list[i] != SIGHUP && sig_restore(trapped_list[i]) < 0)
      strerr_diefusys(111, "restore a default signal disposition") ;
  }
  if (sig_altignore(SIGHUP) < 0) strerr_diefusys(111, "ignore SIGHUP") ;
}

int mtd_launch_signals_setup (void)
{
  int fd = selfpipe_init() ;
  if (fd < 0) strerr_diefusys(111, "init selfpipe") ;
  if (selfpipe_trapset(&trapped) < 0) strerr_diefusys(111, "trap signals") ;
  if (sig_restore(SIGHUP) < 0) strerr_diefusys(111, "restore SIGHUP") ;
  return fd ;
}

/* Variables that describe how the launcher itself was started, by systemd
   say: a program would take them as its own (write to the service
   manager's socket, take fd 3 for a listener). Removed once, from our
   environment, so no spawn path passes them on. */
void mtd_launch_env_scrub (void)
{
  /* and the balancer variables minetd-tcp -H sets: a program whose
     connection came through none must not see stale ones */
  static char const *const names[] = { "NOTIFY_SOCKET", "LISTEN_PID", "LISTEN_FDS", "LISTEN_FDNAMES", "PROXYREMOTEIP", "PROXYREMOTEPORT", "PROXYLOCALIP", "PROXYLOCALPORT" } ;
  for (unsigned int i = 0 ; i < sizeof names / sizeof *names ; i++)
    if (unsetenv(names[i]) < 0) strerr_diefusys(111, "remove ", names[i], " from the environment") ;
}

void mtd_launch_notify (int fd)
{
  if (fd < 0) return ;
  if (fd_write(fd, "\n", 1) != 1) strerr_diefusys(111, "write to the notification fd") ;
  fd_close(fd) ;
}

/* systemd's protocol if it names this process, else the s6 one: fd 0.
   The caller removes the variables afterwards (mtd_launch_env_scrub), so
   programs never see them. */
int mtd_launch_given_fd (char const **what)
{
  char const *pidvar = getenv("LISTEN_PID") ;
  char const *fdsvar = getenv("LISTEN_FDS") ;
  *what = "fd 0" ;
  if (pidvar && fdsvar)
  {
    unsigned int pid, n ;
    if (mtd_uint_scan(pidvar, 0x7fffffff, &pid) && (pid_t)pid == getpid())
    {
      if (!mtd_uint_scan(fdsvar, 1024, &n) || n < 1) strerr_dief(100, "invalid $LISTEN_FDS: ", fdsvar) ;
      if (n > 1) strerr_warnw("$LISTEN_FDS is ", fdsvar, ": serving only the first socket, fd 3") ;
      *what = "fd 3 from $LISTEN_FDS" ;
      return 3 ;
    }
  }
  return 0 ;
}

int mtd_launch_bind (mtd_launch_options const *o, int type, int backlog)
{
  char ipfmt[MTD_IP_FMT + 1] ;
  char portfmt[UINT16_FMT] ;
  int fd = type == SOCK_STREAM ? socket_tcp46_nbcoe(o->ip.is6) : socket_udp46_coe(o->ip.is6) ;
  ipfmt[mtd_ip_fmt(ipfmt, &o->ip)] = 0 ;
  portfmt[uint16_fmt(portfmt, o->port)] = 0 ;
  if (o->dualstack) ipfmt[0] = '*', ipfmt[1] = 0 ;
  if (fd < 0) strerr_diefusys(111, "create a socket for ", ipfmt) ;
  if (o->ip.is6)
  {
    int v6only = !o->dualstack ;
    if (setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, sizeof v6only) < 0)
      strerr_diefusys(111, "set IPV6_V6ONLY on ", ipfmt) ;
  }
  /* no SO_REUSEADDR for UDP: it has no TIME_WAIT to wait out, and with
     it a second server could bind the same port and share the datagrams */
  if ((type == SOCK_STREAM ? socket_bind46_reuse(fd, &o->ip, o->port) : socket_bind46(fd, &o->ip, o->port)) < 0)
    strerr_diefusys(111, "bind to ", ipfmt, " port ", portfmt) ;
  if (type == SOCK_STREAM && socket_listen(fd, backlog) < 0)
    strerr_diefusys(111, "listen on ", ipfmt, " port ", portfmt) ;
  return fd ;
}

static void given_check (int fd, int type, char const *what)
{
  int v = 0 ;
  socklen_t len = sizeof v ;
  ip46 ip ;
  uint16_t port ;
  if (type == SOCK_STREAM)
  {
    if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &v, &len) < 0 || !v)
      strerr_dief(100, what, " is not a listening socket") ;
    if (!mtd_socket_local(fd, &ip, &port))
      strerr_dief(100, what, " is not a TCP/IP socket") ;
    return ;
  }
  if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &v, &len) < 0 || v != SOCK_DGRAM)
    strerr_dief(100, what, " is not a datagram socket") ;
  len = sizeof v ;
  if (getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &v, &len) < 0 || v != IPPROTO_UDP
   || !mtd_socket_local(fd, &ip, &port) || !port)
    strerr_dief(100, what, " is not a bound UDP/IP socket") ;
}

int mtd_launch_given_socket (int type)
{
  char const *what ;
  char const *noun = type == SOCK_STREAM ? "the listening socket" : "the socket" ;
  int fd = mtd_launch_given_fd(&what) ;
  given_check(fd, type, what) ;
  if (fd < 3)
  {
    int newfd = fcntl(fd, F_DUPFD_CLOEXEC, 3) ;
    if (newfd < 0) strerr_diefusys(111, "move ", noun, " off fd 0") ;
    fd_close(fd) ;
    if (open2("/dev/null", O_RDONLY) != fd) strerr_diefusys(111, "open /dev/null on fd 0") ;
    fd = newfd ;
  }
  else if (coe(fd) < 0) strerr_diefusys(111, "set close-on-exec on ", noun) ;
  if (type == SOCK_STREAM)
  {
    if (ndelay_on(fd) < 0) strerr_diefusys(111, "make the listening socket nonblocking") ;
  }
  else if (ndelay_off(fd) < 0) strerr_diefusys(111, "make the socket blocking") ;
  return fd ;
}

void mtd_launch_print_port (int fd, int type)
{
  ip46 ip ;
  uint16_t port ;
  char fmt[UINT16_FMT + 1] ;
  size_t n ;
  if (!mtd_socket_local(fd, &ip, &port))
    strerr_diefusys(111, type == SOCK_STREAM ? "read the listening address" : "read the socket's address") ;
  n = uint16_fmt(fmt, port) ;
  fmt[n++] = '\n' ;
  if (write(1, fmt, n) != (ssize_t)n) strerr_diefusys(111, "print the port") ;
}
