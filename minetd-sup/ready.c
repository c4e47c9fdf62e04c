/* minetd-sup's start-up report: in the background the parent waits until
   every listener is bound (or prints why not); once ready, -d's fd and
   systemd's $NOTIFY_SOCKET are told. */
#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <skalibs/allreadwrite.h>
#include <skalibs/djbunix.h>
#include <skalibs/strerr.h>
#include <skalibs/types.h>
#include "run.h"

static int reportfd = -1 ;            /* to the waiting parent, in the background */
static int ready = 0 ;

static void notify_systemd (void)
{
  char const *path = getenv("NOTIFY_SOCKET") ;
  struct sockaddr_un sa ;
  size_t len ;
  int fd ;
  if (!path || !*path) return ;
  len = strlen(path) ;
  if (len >= sizeof sa.sun_path || (path[0] != '/' && path[0] != '@'))
  {
    sup_warn("invalid $NOTIFY_SOCKET: ", path) ;
    return ;
  }
  memset(&sa, 0, sizeof sa) ;
  sa.sun_family = AF_UNIX ;
  memcpy(sa.sun_path, path, len) ;
  if (path[0] == '@') sa.sun_path[0] = 0 ;
  fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0) ;
  if (fd < 0 || sendto(fd, "READY=1", 7, 0, (struct sockaddr *)&sa, offsetof(struct sockaddr_un, sun_path) + len) < 0)
    sup_warn("unable to notify systemd at ", path, ": ", strerror(errno)) ;
  if (fd >= 0) fd_close(fd) ;
}

void check_ready (void)
{
  if (ready) return ;
  /* ready: every listener bound and every chain has said it is ready
     (or has exited: its restarts are then supervision's business) */
  for (unsigned int i = 0 ; i < sup_nsvc ; i++) if (sup_svcs[i]->fd < 0 || !sup_svcs[i]->ever_ready) return ;
  ready = 1 ;
  /* whoever waits for readiness may ask --status next */
  if (status_dirty) status_write() ;
  for (unsigned int i = 0 ; i < sup_nsvc ; i++)
    sup_info("service ", sup_svcs[i]->conf->name, " listening on ", sup_svcs[i]->addr) ;
  {
    char fmt[UINT_FMT] ;
    fmt[uint_fmt(fmt, sup_nsvc)] = 0 ;
    sup_info("ready: ", fmt, sup_nsvc == 1 ? " service listening" : " services listening") ;
  }
  if (sup_opt->notif_fd >= 0)
  {
    if (allwrite(sup_opt->notif_fd, "\n", 1) < 1) sup_warn("unable to write to notification fd: ", strerror(errno)) ;
    fd_close(sup_opt->notif_fd) ;
  }
  notify_systemd() ;
  if (reportfd >= 0) { allwrite(reportfd, "\n", 1) ; fd_close(reportfd) ; reportfd = -1 ; }
}

/* Background: the parent waits on a pipe and exits 0 only once every
   listener is bound, else with the reason the daemon wrote. */
void background (void)
{
  int p[2] ;
  pid_t pid ;
  if (pipecoe(p) < 0) strerr_diefu1sys(111, "pipe") ;
  pid = fork() ;
  if (pid < 0) strerr_diefu1sys(111, "fork") ;
  if (pid)
  {
    char buf[1024] ;
    size_t len = 0 ;
    sigset_t none ;
    /* the daemon holds its signals until its loop reads them; we need not */
    sigemptyset(&none) ;
    sigprocmask(SIG_SETMASK, &none, 0) ;
    fd_close(p[1]) ;
    for (;;)
    {
      ssize_t r = read(p[0], buf + len, sizeof buf - 1 - len) ;
      if (r < 0 && errno == EINTR) continue ;
      if (r <= 0) break ;
      len += r ;
      if (len >= sizeof buf - 1) break ;
    }
    if (len && buf[0] == '\n') _exit(0) ;
    if (!len) strerr_dief1x(111, "the daemon died before it was ready (see syslog)") ;
    if (buf[len-1] == '\n') len-- ;
    buf[len] = 0 ;
    strerr_dief1x(111, buf) ;
  }
  fd_close(p[0]) ;
  reportfd = p[1] ;
  if (setsid() < 0) strerr_diefu1sys(111, "setsid") ;
  /* from here on every message, strerr's fatal ones too, goes to syslog:
     stderr is about to be /dev/null */
  sup_log_to_syslog() ;
  {
    int null = open("/dev/null", O_RDWR) ;
    if (null < 0) fail_start(111, "unable to open /dev/null: ", strerror(errno)) ;
    logpipe_open() ;
    if (dup2(null, 0) < 0 || dup2(null, 1) < 0 || dup2(null, 2) < 0) fail_start(111, "unable to dup2: ", strerror(errno)) ;
    if (null > 2) fd_close(null) ;
  }
  if (chdir("/") < 0) sup_warn("unable to chdir to /: ", strerror(errno)) ;
}

int parent_waits (void)
{
  return reportfd >= 0 ;
}

void fail_start_ (int e, ...)
{
  char buf[1024] ;
  size_t len ;
  va_list ap ;
  va_start(ap, e) ;
  len = sup_cat_va(buf, 0, sizeof buf, ap) ;
  va_end(ap) ;
  buf[len] = 0 ;
  if (reportfd >= 0)
  {
    buf[len] = '\n' ;
    allwrite(reportfd, buf, len + 1) ;
    buf[len] = 0 ;
  }
  sup_log_va(LOG_ERR, "fatal: ", buf, (char const *)0) ;
  /* only our own: a refused second instance leaves the running one's alone */
  if (sup_pidfd >= 0) unlink(sup_opt->pidfile) ;
  _exit(e) ;
}
