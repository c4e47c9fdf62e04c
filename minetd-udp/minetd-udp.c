/* minetd-udp: serve one UDP address: in wait mode run a program with the
   socket itself when a datagram is waiting, in nowait mode a program per
   peer with a relay of its datagrams; the links judge the source first. */
#include <signal.h>
#include <sys/socket.h>
#include <skalibs/djbunix.h>
#include <skalibs/sig.h>
#include <skalibs/strerr.h>
#include <skalibs/tai.h>
#include "mtd_launch.h"
#include "mtd_linklimit.h"
#include "mtd_links.h"
#include "minetd-udp.h"

char const *PROG = "minetd-udp" ;

int main (int argc, char const *const *argv)
{
  udp_options o ;
  int sock = -1, sigfd ;
  mtd_launch_signals_hold() ;
  if (sig_altignore(SIGPIPE) < 0) strerr_diefusys(111, "ignore SIGPIPE") ;
  options_parse(argc, argv, &o) ;
  o.common.argv = mtd_links_parse(o.common.argv, o.common.force_exec) ;
  if (!o.nowait) mtd_linklimit_wait_check(o.common.argv, o.common.force_exec, "in wait mode: the program serves every peer, there is no connection to time (use -n)") ;
  mtd_launch_options_check_fds(&o.common) ;
  /* A given socket may be fd 0: take it before filling fds 0-2. */
  if (o.common.inherited) sock = mtd_launch_given_socket(SOCK_DGRAM) ;
  mtd_launch_env_scrub() ;
  mtd_launch_std_fds() ;
  if (!o.common.inherited) sock = mtd_launch_bind(&o.common, SOCK_DGRAM, 0) ;
  if (o.common.notif_fd >= 0 && coe(o.common.notif_fd) < 0) strerr_diefusys(111, "set close-on-exec on the notification fd") ;
  udpsock_setup(sock) ;
  /* the chroot checks as the real root: before our own drop */
  mtd_linklimit_start(&o.common.priv) ;
  mtd_privdrop_apply(&o.common.priv) ;
  mtd_links_start() ;
  if (!o.nowait) mtd_links_filter(sock, 1, WAIT_UNJUDGED) ;
  spawn_init(&o) ;
  tain_now_set_stopwatch_g() ;
  sigfd = mtd_launch_signals_setup() ;
  if (o.common.print_port) mtd_launch_print_port(sock, SOCK_DGRAM) ;
  mtd_launch_notify(o.common.notif_fd) ;
  if (o.nowait) nowait_run(&o, sock, sigfd) ;
  wait_run(&o, sock, sigfd) ;
}
