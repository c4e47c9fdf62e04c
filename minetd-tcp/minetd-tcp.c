/* minetd-tcp: listen on one TCP address, and for each connection run a
   program with the connection on its fds 0 and 1 (UCSPI). */
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/socket.h>
#include <skalibs/djbunix.h>
#include <skalibs/sig.h>
#include <skalibs/strerr.h>
#include <skalibs/tai.h>
#include "mtd_launch.h"
#include "mtd_linklimit.h"
#include "minetd-tcp.h"

char const *PROG = "minetd-tcp" ;

int main (int argc, char const *const *argv)
{
  tcp_options o ;
  int listener = -1, sigfd ;
  mtd_launch_signals_hold() ;
  if (sig_altignore(SIGPIPE) < 0) strerr_diefusys(111, "ignore SIGPIPE") ;
  options_parse(argc, argv, &o) ;
  o.common.argv = mtd_links_parse(o.common.argv, o.common.force_exec) ;
  if (o.wait)
  {
    mtd_links_wait_check(o.common.argv, o.common.force_exec) ;
    mtd_linklimit_wait_check(o.common.argv, o.common.force_exec, "with -w: the program serves every connection, there is none to time") ;
  }
  mtd_launch_options_check_fds(&o.common) ;
  /* the program's fd 3 is the listener, put there before the fds are closed */
  if (o.socket_activation) mtd_childspec_keep(&o.common.child, 3) ;
  /* A given listener may be fd 0: take it before filling fds 0-2. */
  if (o.common.inherited) listener = mtd_launch_given_socket(SOCK_STREAM) ;
  mtd_launch_env_scrub() ;
  mtd_launch_std_fds() ;
  if (!o.common.inherited) listener = mtd_launch_bind(&o.common, SOCK_STREAM, o.backlog) ;
  if (o.common.notif_fd >= 0 && coe(o.common.notif_fd) < 0) strerr_diefusys(111, "set close-on-exec on the notification fd") ;
  listener_sockopts(&o, listener) ;
  /* In wait mode the program shares the listener's file description, so
     its O_NONBLOCK too: it gets a blocking socket, as from inetd or
     systemd, and minetd-tcp, which only waits for it to be readable and
     never accepts, has no use for the flag. */
  if (o.wait && ndelay_off(listener) < 0) strerr_diefusys(111, "make the listening socket blocking") ;
  /* the chroot checks as the real root: before our own drop */
  mtd_linklimit_start(&o.common.priv) ;
  mtd_privdrop_apply(&o.common.priv) ;
  mtd_links_start() ;
  if (o.wait) mtd_links_filter(listener, 1, WAIT_UNJUDGED) ;
  else conntable_init(o.maxconn, o.v4bits, o.v6bits) ;
  tain_now_set_stopwatch_g() ;
  sigfd = mtd_launch_signals_setup() ;
  if (o.common.print_port) mtd_launch_print_port(listener, SOCK_STREAM) ;
  mtd_launch_notify(o.common.notif_fd) ;
  if (o.wait) wait_run(&o, listener, sigfd) ;
  loop_run(&o, listener, sigfd) ;
}
