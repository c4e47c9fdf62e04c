/* minetd-limit: resource limits, nice, umask, chroot, no_new_privs,
   process group and environment for the connection's program, then exec
   the rest of the command line. With a time limit (-T) it cannot exec
   itself away: it stays as a small supervisor of the program's group. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <skalibs/strerr.h>
#include <skalibs/types.h>
#include "mtd_child.h"
#include "mtd_envmod.h"
#include "mtd_limit.h"

static mtd_envmod env ;

static void run (mtd_limit_config const *c, char const *const *argv)
{
  int clean_env = 0 ;
  mtd_envmod_init(&env) ;
  mtd_limit_child(c, &env, &clean_env) ;
  mtd_child_exec(argv[0], argv, &env, clean_env) ;
}

static int status_of (int wstat)
{
  return WIFSIGNALED(wstat) ? 128 + WTERMSIG(wstat) : WEXITSTATUS(wstat) ;
}

static void now (struct timespec *ts)
{
  clock_gettime(CLOCK_MONOTONIC, ts) ;
}

/* Time left until deadline, in ts; 0 if it has passed. */
static int left (struct timespec const *deadline, struct timespec *ts)
{
  struct timespec t ;
  now(&t) ;
  ts->tv_sec = deadline->tv_sec - t.tv_sec ;
  ts->tv_nsec = deadline->tv_nsec - t.tv_nsec ;
  if (ts->tv_nsec < 0) { ts->tv_nsec += 1000000000 ; ts->tv_sec-- ; }
  return ts->tv_sec >= 0 ;
}

/* The whole group, or the pid alone if it has not made its group yet. */
static void signal_group (pid_t pid, int sig)
{
  if (kill(-pid, sig) < 0 && errno == ESRCH) kill(pid, sig) ;
}

/* Reaps every child that has ended; *wstat gets the program's status once
   it has. 0 when no child at all is left. */
static int reap (pid_t pid, int *done, int *wstat)
{
  for (;;)
  {
    int w ;
    pid_t r = waitpid(-1, &w, WNOHANG) ;
    if (r < 0) { if (errno == ECHILD) return 0 ; strerr_diefusys(111, "wait for the program") ; }
    if (!r) return 1 ;
    if (r == pid) { *done = 1 ; *wstat = w ; }
  }
}

static int supervise (mtd_limit_config const *c, char const *const *argv)
{
  sigset_t set, old ;
  struct timespec deadline, ts ;
  int done = 0, wstat = 0, phase = 0 ;  /* 0 running, 1 SIGTERM sent, 2 SIGKILL sent */
  int null ;
  pid_t pid ;
  sigemptyset(&set) ;
  sigaddset(&set, SIGCHLD) ; sigaddset(&set, SIGTERM) ;
  sigaddset(&set, SIGINT) ; sigaddset(&set, SIGHUP) ;
  /* an ignored SIGCHLD (left by a launcher) would reap for us */
  signal(SIGCHLD, SIG_DFL) ;
  if (sigprocmask(SIG_BLOCK, &set, &old) < 0) strerr_diefusys(111, "block signals") ;
  /* what the program starts and leaves behind is still ours to reap and
     to count: "no child left" ends the grace period early */
  if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0) strerr_diefusys(111, "become a child subreaper") ;
  now(&deadline) ;
  deadline.tv_sec += mtd_limit_deadline(c) ;
  pid = fork() ;
  if (pid < 0) strerr_diefusys(111, "fork") ;
  if (!pid)
  {
    if (sigprocmask(SIG_SETMASK, &old, 0) < 0) strerr_diefusys(111, "restore the signal mask") ;
    run(c, argv) ;
  }
  /* both sides make the group, so that it exists whoever runs first;
     setsid would fail in a process that already leads a group */
  if (c->group == MTD_LIMIT_GROUP_PGRP) setpgid(pid, pid) ;
  /* the connection ends when the program closes it, not when we do */
  null = open("/dev/null", O_RDWR) ;
  if (null < 0) strerr_diefusys(111, "open /dev/null") ;
  if (dup2(null, 0) < 0 || dup2(null, 1) < 0) strerr_diefusys(111, "move fds 0 and 1 to /dev/null") ;
  if (null > 1) close(null) ;

  for (;;)
  {
    siginfo_t info ;
    int sig ;
    int children = reap(pid, &done, &wstat) ;
    /* what the program left behind (a subreaper's children) is part of
       the connection: it is ended at the time limit too */
    if (done && !children) break ;
    if (!left(&deadline, &ts)) { ts.tv_sec = 0 ; ts.tv_nsec = 0 ; }
    sig = phase == 2 ? sigwaitinfo(&set, &info) : sigtimedwait(&set, &info, &ts) ;
    if (sig < 0)
    {
      if (errno == EINTR) continue ;
      if (errno != EAGAIN) strerr_diefusys(111, "wait for signals") ;
      if (!phase)
      {
        char p[PID_FMT], t[UINT_FMT] ;
        p[pid_fmt(p, pid)] = 0 ;
        t[uint_fmt(t, mtd_limit_deadline(c))] = 0 ;
        strerr_warnw("pid ", p, " ended by the time limit of ", t, " s") ;
        signal_group(pid, SIGTERM) ;
        signal_group(pid, SIGCONT) ;
        now(&deadline) ;
        deadline.tv_sec += mtd_limit_grace(c) ;
        phase = 1 ;
      }
      else if (phase == 1)
      {
        signal_group(pid, SIGKILL) ;
        phase = 2 ;
        if (done) break ;
      }
      continue ;
    }
    if (sig == SIGCHLD) continue ;
    /* asked to stop (minetd-tcp -K...): the program is told, and gets the
       same grace as at the time limit */
    signal_group(pid, sig) ;
    if (!phase)
    {
      now(&deadline) ;
      deadline.tv_sec += mtd_limit_grace(c) ;
      phase = 1 ;
    }
  }
  /* descendants left in the group after the grace, or after the program
     ended on its own past the time limit */
  if (phase) signal_group(pid, SIGKILL) ;
  return status_of(wstat) ;
}

int main (int argc, char const *const *argv)
{
  mtd_limit_config c ;
  int rest ;
  PROG = "minetd-limit" ;
  rest = mtd_limit_parse(argc, argv, &c) ;
  mtd_limit_start(&c) ;
  if (!mtd_limit_deadline(&c)) run(&c, argv + rest) ;
  return supervise(&c, argv + rest) ;
}
