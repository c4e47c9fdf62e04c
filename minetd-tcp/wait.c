/* Wait mode (-w; inetd's "stream tcp wait", systemd's Accept=no): when a
   connection is waiting, start the program with the listening socket
   itself, and leave the listener to it until it exits. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <skalibs/djbunix.h>
#include <skalibs/iopause.h>
#include <skalibs/strerr.h>
#include <skalibs/tai.h>
#include <skalibs/types.h>
#include "mtd_envmod.h"
#include "mtd_linklimit.h"
#include "mtd_pause.h"
#include "mtd_signals.h"
#include "minetd-tcp.h"

/* A program that exits at once, the connection still waiting, would be
   started again at once, forever: the listener stays readable. Unlike
   inetd, which stops such a service for ten minutes, minetd-tcp only
   paces it: 100 ms, doubling to 3.2 s, back to none once a program ran a
   second or more, took a connection, or left none waiting. */
#define RAN_A_WHILE_MS 1000

static tcp_options const *opt ;
static char const *exec_file ;
static int listen_fd ;
static pid_t prog ;              /* the running program, 0 if none */
static tain started ;
static int queued_at_start ;     /* -1: unknown */
static mtd_pause quick_exits = MTD_PAUSE_INIT(100, 3200) ;

/* UCSPI variables describe one connection; the program has none. Any
   that minetd-tcp inherited would be stale. */
static char const *const ucspi_names[] =
{
  "PROTO", "TCPLOCALIP", "TCPLOCALPORT", "TCPLOCALHOST", "TCPREMOTEIP",
  "TCPREMOTEPORT", "TCPREMOTEHOST", "TCPREMOTEINFO", "TCPCONNNUM"
} ;

/* In the forked child: inetd's way, the listener on fds 0 and 1; or
   systemd's, on fd 3 with LISTEN_FDS, and LISTEN_PID naming this very
   process, which only the child knows. */
static void child_run (int listener) gccattr_noreturn ;
static void child_run (int listener)
{
  static mtd_envmod env ;
  int clean_env = 0 ;
  mtd_envmod_init(&env) ;
  if (opt->socket_activation)
  {
    char pid[PID_FMT] ;
    if (!mtd_child_setup_activation(&opt->common.child, listener))
      strerr_diefusys(111, "set up the program's fds (the listening socket on fd 3) and signals") ;
    pid[pid_fmt(pid, getpid())] = 0 ;
    if (!mtd_envmod_set(&env, "LISTEN_PID", pid)
     || !mtd_envmod_set(&env, "LISTEN_FDS", "1")
     || !mtd_envmod_set(&env, "LISTEN_FDNAMES", 0))
      strerr_diefusys(111, "set up the environment") ;
  }
  else if (!mtd_child_setup(&opt->common.child, listener)) strerr_diefusys(111, "set up the program's fds and signals") ;
  for (unsigned int i = 0 ; i < sizeof ucspi_names / sizeof *ucspi_names ; i++)
    if (!mtd_envmod_set(&env, ucspi_names[i], 0)) strerr_diefusys(111, "set up the environment") ;
  mtd_linklimit_child(&env, &clean_env) ;
  mtd_child_exec(exec_file, opt->common.argv, &env, clean_env) ;
}

/* Connections waiting in the accept queue, where the kernel says (Linux:
   tcpi_unacked of a listening socket), else -1. */
static int queue_length (int listener)
{
#ifdef __linux__
  struct tcp_info ti ;
  socklen_t len = sizeof ti ;
  if (getsockopt(listener, IPPROTO_TCP, TCP_INFO, &ti, &len) == 0 && len >= sizeof ti)
    return ti.tcpi_unacked > 0x7fffffff ? 0x7fffffff : (int)ti.tcpi_unacked ;
#endif
  return -1 ;
}

/* Never accepts: a check only, the connection is the program's. */
static int connection_waiting (int listener)
{
  iopause_fd x = { .fd = listener, .events = IOPAUSE_READ } ;
  tain now = STAMP ;
  int r = iopause(&x, 1, &now, &now) ;
  if (r < 0) strerr_diefusys(111, "iopause") ;
  return r > 0 && x.revents & IOPAUSE_READ ;
}

/* Sets the next pause. 1 if it is to be logged: at the first, at each
   doubling, then once every 60: a program that keeps failing cannot flood
   the log. *ms gets the pause. */
static int pause_next (char *ms)
{
  unsigned int was = quick_exits.ms ;
  mtd_pause_next(&quick_exits) ;
  ms[uint_fmt(ms, quick_exits.ms)] = 0 ;
  return was != quick_exits.ms || !(quick_exits.count % 60) ;
}

static void pause_end (void)
{
  if (quick_exits.ms)
  {
    char n[UINT_FMT] ;
    n[uint_fmt(n, quick_exits.count)] = 0 ;
    strerr_warni("starting the program on demand again after ", n, " quick exits") ;
  }
  mtd_pause_reset(&quick_exits) ;
}

static void start (int listener)
{
  pid_t pid ;
  queued_at_start = queue_length(listener) ;
  pid = fork() ;
  if (pid < 0)
  {
    char ms[UINT_FMT] ;
    /* paced as a program that exits at once */
    if (pause_next(ms)) strerr_warnwusys("fork (pausing ", ms, " ms)") ;
    return ;
  }
  if (!pid) child_run(listener) ;
  mtd_linklimit_forked(pid) ;
  prog = pid ;
  tain_copynow(&started) ;
  if (opt->common.verbose)
  {
    char pidfmt[PID_FMT] ;
    pidfmt[pid_fmt(pidfmt, pid)] = 0 ;
    strerr_warni("start pid ", pidfmt) ;
  }
}

/* Did the program that just ended make progress? If not, and a
   connection still waits, starting it again at once would spin. */
static void judge_exit (int listener, char const *pidfmt)
{
  tain ran ;
  int ms, queued ;
  tain_sub(&ran, &STAMP, &started) ;
  ms = tain_to_millisecs(&ran) ;
  if (ms < 0) ms = 0x7fffffff ;
  queued = queue_length(listener) ;
  if (ms >= RAN_A_WHILE_MS || !connection_waiting(listener)
   || (queued >= 0 && queued_at_start >= 0 && queued < queued_at_start))
    pause_end() ;
  else
  {
    char pause[UINT_FMT] ;
    /* Connections that arrived while it ran can hide one it took (the
       queue is no shorter): the first such exit is given the benefit of
       the doubt, the program started again at once; from the second on,
       the pauses. */
    if (!quick_exits.count) { quick_exits.count = 1 ; return ; }
    if (pause_next(pause))
    {
      char ran[UINT_FMT] ;
      ran[uint_fmt(ran, ms)] = 0 ;
      strerr_warnw("pid ", pidfmt, " exited after ", ran, " ms leaving connections waiting (pausing ", pause, " ms)") ;
    }
  }
}

static void reap (void)
{
  for (;;)
  {
    int wstat ;
    pid_t pid = waitpid(-1, &wstat, WNOHANG) ;
    char pidfmt[PID_FMT] ;
    if (pid <= 0) break ;
    if (pid != prog) continue ;
    prog = 0 ;
    pidfmt[pid_fmt(pidfmt, pid)] = 0 ;
    if (opt->common.verbose)
    {
      char code[UINT_FMT] ;
      int signaled = WIFSIGNALED(wstat) ;
      code[uint_fmt(code, signaled ? WTERMSIG(wstat) : WEXITSTATUS(wstat))] = 0 ;
      strerr_warni("end pid ", pidfmt, signaled ? " signal " : " exit ", code) ;
    }
    judge_exit(listen_fd, pidfmt) ;
  }
}

/* the program keeps its copy of the listener, and serves on */
static void terminate_all (void)
{
  if (prog && kill(prog, SIGTERM) < 0 && errno != ESRCH) strerr_warnwusys("send SIGTERM to the program") ;
}

static void reloaded (void) { mtd_links_filter(listen_fd, 0, WAIT_UNJUDGED) ; }

static mtd_signals signals =
{
  .leaving = "exiting on signal, leaving the program running",
  .terminating = "exiting on SIGQUIT, terminating the program",
  .reap = &reap,
  .terminate_all = &terminate_all,
  .reloaded = &reloaded,
} ;

void wait_run (tcp_options const *o, int listener, int sigfd)
{
  opt = o ;
  listen_fd = listener ;
  signals.verbose = o->common.verbose ;
  signals.close_fd = listener ;
  exec_file = mtd_linklimit_program(o->common.argv[0]) ;
  for (;;)
  {
    iopause_fd x[2] = { { .fd = sigfd, .events = IOPAUSE_READ }, { .fd = listener, .events = IOPAUSE_READ } } ;
    int paused = mtd_pause_active(&quick_exits) ;
    int watching = !prog && !paused ;
    int r = iopause_g(x, watching ? 2 : 1, !prog && paused ? &quick_exits.until : &tain_infinite) ;
    if (r < 0) strerr_diefusys(111, "iopause") ;
    if (x[0].revents & IOPAUSE_READ) mtd_signals_handle(&signals) ;
    if (watching && !prog && x[1].revents & (IOPAUSE_READ | IOPAUSE_EXCEPT)) start(listener) ;
  }
}
