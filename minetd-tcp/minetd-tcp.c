/* minetd-tcp: listen on one TCP address, and for each connection run a
   program with the connection on its fds 0 and 1 (UCSPI). */
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>
#include <skalibs/allreadwrite.h>
#include <skalibs/djbunix.h>
#include <skalibs/selfpipe.h>
#include <skalibs/sig.h>
#include <skalibs/strerr.h>
#include <skalibs/tai.h>
#include "minetd-tcp.h"

char const *PROG = "minetd-tcp" ;

/* An accepted connection must never land on fd 0, 1 or 2 of this process. */
static void ensure_std_fds (void)
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
static void signals_hold (void)
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

static int signals_setup (void)
{
  int fd = selfpipe_init() ;
  if (fd < 0) strerr_diefusys(111, "init selfpipe") ;
  if (selfpipe_trapset(&trapped) < 0) strerr_diefusys(111, "trap signals") ;
  if (sig_restore(SIGHUP) < 0) strerr_diefusys(111, "restore SIGHUP") ;
  return fd ;
}

/* Variables that describe how minetd-tcp itself was started, by systemd
   say: a connection's program would take them as its own (write to the
   service manager's socket, take fd 3 for a listener). Removed once, from
   our environment, so neither spawn path passes them on. */
static void environment_scrub (void)
{
  static char const *const names[] = { "NOTIFY_SOCKET", "LISTEN_PID", "LISTEN_FDS", "LISTEN_FDNAMES" } ;
  for (unsigned int i = 0 ; i < sizeof names / sizeof *names ; i++)
    if (unsetenv(names[i]) < 0) strerr_diefusys(111, "remove ", names[i], " from the environment") ;
}

static void notify_ready (int fd)
{
  if (fd < 0) return ;
  if (fd_write(fd, "\n", 1) != 1) strerr_diefusys(111, "write to the notification fd") ;
  fd_close(fd) ;
}

int main (int argc, char const *const *argv)
{
  tcp_options o ;
  int listener = -1, sigfd ;
  signals_hold() ;
  if (sig_altignore(SIGPIPE) < 0) strerr_diefusys(111, "ignore SIGPIPE") ;
  options_parse(argc, argv, &o) ;
  o.argv = links_parse(o.argv, o.force_exec) ;
  if (o.notif_fd >= 0 && fcntl(o.notif_fd, F_GETFD) < 0) strerr_dief(100, "notification fd is not open") ;
  for (unsigned int i = 0 ; i < o.child.nkeep ; i++)
    if (fcntl(o.child.keepfds[i], F_GETFD) < 0) strerr_dief(100, "an fd given with -k is not open") ;
  /* A given listener may be fd 0: take it before filling fds 0-2. */
  if (o.inherited) listener = listener_inherited() ;
  environment_scrub() ;
  ensure_std_fds() ;
  if (!o.inherited) listener = listener_bind(&o) ;
  if (o.notif_fd >= 0 && coe(o.notif_fd) < 0) strerr_diefusys(111, "set close-on-exec on the notification fd") ;
  listener_sockopts(&o, listener) ;
  mtd_privdrop_apply(&o.priv) ;
  links_start() ;
  conntable_init(o.maxconn, o.v4bits, o.v6bits) ;
  tain_now_set_stopwatch_g() ;
  sigfd = signals_setup() ;
  if (o.print_port) listener_print_port(listener) ;
  notify_ready(o.notif_fd) ;
  loop_run(&o, listener, sigfd) ;
}
