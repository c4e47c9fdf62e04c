/* Start-up steps shared by the launchers: see mtd_launch.h. */
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>
#include <skalibs/allreadwrite.h>
#include <skalibs/djbunix.h>
#include <skalibs/selfpipe.h>
#include <skalibs/sig.h>
#include <skalibs/strerr.h>
#include "mtd_addr.h"
#include "mtd_launch.h"

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
  static char const *const names[] = { "NOTIFY_SOCKET", "LISTEN_PID", "LISTEN_FDS", "LISTEN_FDNAMES" } ;
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
