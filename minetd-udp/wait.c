/* Wait mode (inetd's "dgram udp wait"): when a datagram is waiting, judge
   its source (the fused links), then start the program with the socket
   and stop watching until it exits; the program reads the datagrams.
   A program that exits without reading would have us start it again at
   once, forever: the datagram it left is recognised (same source, length
   and kernel receive time) and the next start waits, 100 ms doubling to
   3.2 s. Unlike inetd, which stops such a service for ten minutes, the
   service is never disabled: a program that reads ends the pause. */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <skalibs/djbunix.h>
#include <skalibs/iopause.h>
#include <skalibs/strerr.h>
#include <skalibs/tai.h>
#include <skalibs/types.h>
#include "mtd_addr.h"
#include "mtd_links.h"
#include "mtd_pause.h"
#include "mtd_signals.h"
#include "mtd_ucspi.h"
#include "minetd-udp.h"

#define REFUSE_BATCH 64

static udp_options const *opt ;
static int sock ;
static pid_t running ;          /* 0: watching */
static udp_dgram waking ;       /* the datagram that started it */
static mtd_pause unread = MTD_PAUSE_INIT(100, 3200) ;  /* ms 0: the last program read */

static int same_dgram (udp_dgram const *a, udp_dgram const *b)
{
  return a->len == b->len && a->remoteport == b->remoteport
      && a->remote.is6 == b->remote.is6 && !memcmp(a->remote.ip, b->remote.ip, 16)
      && a->stamp.tv_sec == b->stamp.tv_sec && a->stamp.tv_nsec == b->stamp.tv_nsec ;
}

/* Reads the waiting datagram, which nobody will get. */
static void drop (void)
{
  char b[1] ;
  ssize_t r ;
  do r = recv(sock, b, 1, MSG_DONTWAIT) ;
  while (r < 0 && errno == EINTR) ;
}

/* Once the program has exited: did it leave the datagram that woke it? */
static void check_unread (pid_t pid)
{
  udp_dgram d ;
  char b[1] ;
  if (udpsock_recv(sock, b, 1, MSG_PEEK, &d) >= 0 && same_dgram(&d, &waking))
  {
    unsigned int was = unread.ms ;
    int sixtieth = !(unread.count % 60) ;
    mtd_pause_next(&unread) ;
    if (unread.ms != was || sixtieth)
    {
      char peer[MTD_IP_FMT + 10] ;
      char pidfmt[PID_FMT] ;
      char ms[UINT_FMT] ;
      mtd_ip_port_fmt(peer, &d.remote, d.remoteport) ;
      pidfmt[pid_fmt(pidfmt, pid)] = 0 ;
      ms[uint_fmt(ms, unread.ms)] = 0 ;
      strerr_warnw(opt->common.argv[0], " pid ", pidfmt, " exited without reading the datagram from ", peer, " (pausing ", ms, " ms before starting it again)") ;
    }
    return ;
  }
  if (unread.ms)
  {
    char n[UINT_FMT] ;
    n[uint_fmt(n, unread.count)] = 0 ;
    strerr_warni(opt->common.argv[0], " read its datagram: serving normally again after ", n, " starts without a read") ;
  }
  mtd_pause_reset(&unread) ;
}

static void start_one (void)
{
  static mtd_envmod env ;
  char peer[MTD_IP_FMT + 10] ;
  char const *failed = 0 ;
  for (unsigned int i = 0 ; i < REFUSE_BATCH ; i++)
  {
    udp_dgram d ;
    char b[1] ;
    mtd_conn c ;
    pid_t pid ;
    int r ;
    if (udpsock_recv(sock, b, 1, MSG_PEEK, &d) < 0)
    {
      if (errno == EAGAIN || errno == EWOULDBLOCK) return ;
      /* not from an IP source we can name: nobody to judge, nor serve */
      if (errno == EAFNOSUPPORT) { drop() ; continue ; }
      pause_start("read the socket", "", 0) ;
      return ;
    }
    mtd_ip_port_fmt(peer, &d.remote, d.remoteport) ;
    mtd_envmod_init(&env) ;
    memset(&c, 0, sizeof c) ;
    c.fd = -1 ;
    c.proto = MTD_PROTO_UDP ;
    c.remote = d.remote ; c.remoteport = d.remoteport ;
    c.local = d.local ; c.localport = d.localport ; c.have_local = 1 ;
    c.env = &env ;
    r = mtd_links_admit(&c, &failed) ;
    if (r < 0)
    {
      /* nobody judged it: dropped, as a failed fork's client would be */
      drop() ;
      pause_start("admit a datagram from ", peer, failed) ;
      return ;
    }
    if (!r) { drop() ; flush_schedule() ; continue ; }
    pid = spawn_program(sock, &c, 0) ;
    if (pid < 0)
    {
      /* the datagram stays: it is judged again after the pause */
      mtd_links_not_started() ;
      pause_start("fork", "", 0) ;
      return ;
    }
    mtd_links_started() ;
    pause_end() ;
    running = pid ;
    waking = d ;
    if (opt->common.verbose)
    {
      char pidfmt[PID_FMT] ;
      pidfmt[pid_fmt(pidfmt, pid)] = 0 ;
      strerr_warni("start ", peer, " pid ", pidfmt) ;
    }
    return ;
  }
}

static void reap (void)
{
  for (;;)
  {
    int wstat ;
    pid_t pid = waitpid(-1, &wstat, WNOHANG) ;
    if (pid <= 0) break ;
    if (pid != running) continue ;
    running = 0 ;
    if (opt->common.verbose)
    {
      char pidfmt[PID_FMT] ;
      char code[UINT_FMT] ;
      int signaled = WIFSIGNALED(wstat) ;
      pidfmt[pid_fmt(pidfmt, pid)] = 0 ;
      code[uint_fmt(code, signaled ? WTERMSIG(wstat) : WEXITSTATUS(wstat))] = 0 ;
      strerr_warni("end pid ", pidfmt, signaled ? " signal " : " exit ", code) ;
    }
    check_unread(pid) ;
  }
}

static void terminate_all (void)
{
  if (running) { kill(running, SIGTERM) ; kill(running, SIGCONT) ; }
}

static void reloaded (void) { mtd_links_filter(sock, 0, WAIT_UNJUDGED) ; }

static mtd_signals signals =
{
  .close_fd = -1,
  .flush_links = 1,
  .leaving = "exiting on signal, leaving the program running",
  .terminating = "exiting on SIGQUIT, terminating the program",
  .reap = &reap,
  .terminate_all = &terminate_all,
  .reloaded = &reloaded,
} ;

void wait_run (udp_options const *o, int fd, int sigfd)
{
  opt = o ;
  sock = fd ;
  signals.verbose = o->common.verbose ;
  for (;;)
  {
    iopause_fd x[2] = { { .fd = sigfd, .events = IOPAUSE_READ }, { .fd = sock, .events = IOPAUSE_READ } } ;
    int unread_wait = !running && mtd_pause_active(&unread) ;
    int paused = !running && pause_active() ;
    int watching = !running && !unread_wait && !paused ;
    tain const *deadline = &tain_infinite ;
    int r ;
    if (paused) deadline = pause_until() ;
    if (unread_wait && tain_less(&unread.until, deadline)) deadline = &unread.until ;
    flush_deadline(&deadline) ;
    r = iopause_g(x, watching ? 2 : 1, deadline) ;
    if (r < 0) strerr_diefusys(111, "iopause") ;
    flush_if_due() ;
    if (x[0].revents & IOPAUSE_READ) mtd_signals_handle(&signals) ;
    if (watching && !running && x[1].revents & IOPAUSE_READ) start_one() ;
  }
}
