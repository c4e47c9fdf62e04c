/* minetd-sup's run loop: bind every listener, start one chain per service
   on it (minetd-tcp -i), restart dead chains with backoff, retry failed
   binds, reload on SIGHUP by swapping whole configs, stop on SIGTERM.
   The steps live next to it: service.c, reload.c, ready.c, status.c. */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif
#include <skalibs/djbunix.h>
#include <skalibs/iopause.h>
#include <skalibs/selfpipe.h>
#include <skalibs/strerr.h>
#include <skalibs/tai.h>
#include <skalibs/types.h>
#include "mtd_child.h"
#include "mtd_conf.h"
#include "run.h"

#define STOP_GRACE_SECS 10

sup_options const *sup_opt ;
svc *sup_svcs[MTD_CONF_SERVICES_MAX] ;
unsigned int sup_nsvc = 0 ;
int sup_stopping = 0 ;
int sup_pidfd = -1 ;

static void check_chain_program (char const *name)
{
  size_t bl = strlen(sup_opt->bindir), nl = strlen(name) ;
  char path[bl + nl + 2] ;
  memcpy(path, sup_opt->bindir, bl) ; path[bl] = '/' ; memcpy(path + bl + 1, name, nl + 1) ;
  if (access(path, X_OK) < 0) strerr_diefu2sys(111, "find the chain programs: ", path) ;
}

/* The launchers and minetd-internal the services need: a missing one
   fails the start, rather than every chain of its kind exiting 127. */
static void check_chain_programs (mtd_conf const *c)
{
  int udp = 0, internal = 0 ;
  if (!sup_opt->bindir) return ;
  check_chain_program("minetd-tcp") ;
  for (unsigned int i = 0 ; i < c->n ; i++)
  {
    udp |= c->services[i]->proto == MTD_CONF_UDP ;
    internal |= !!c->services[i]->internal ;
  }
  if (udp) check_chain_program("minetd-udp") ;
  if (internal) check_chain_program("minetd-internal") ;
}

static void refuse_running_instance (void)
{
  if (sup_opt->pidfile[0])
  {
    pid_t holder ;
    if (sup_pidfile_probe(sup_opt->pidfile, &holder) == 1)
    {
      char fmt[PID_FMT] ;
      fmt[pid_fmt(fmt, holder)] = 0 ;
      strerr_dief5x(111, "another minetd-sup is running (pid ", fmt, ", pidfile ", sup_opt->pidfile, "): use --reload or stop it first") ;
    }
  }
}

static void make_rundir (void)
{
  if (mkdir(sup_opt->rundir, 0755) < 0)
  {
    struct stat st ;
    if (errno != EEXIST) strerr_diefu2sys(111, "create runtime directory ", sup_opt->rundir) ;
    if (lstat(sup_opt->rundir, &st) < 0) strerr_diefu2sys(111, "stat ", sup_opt->rundir) ;
    if (!S_ISDIR(st.st_mode)) strerr_dief2x(111, sup_opt->rundir, ": not a directory") ;
    /* Rate state files live here: another user able to swap them would
       control the limits. */
    if (st.st_uid != geteuid() || st.st_mode & 022)
      strerr_dief2x(111, sup_opt->rundir, ": runtime directory must be owned by us and writable by nobody else") ;
  }
  else if (chmod(sup_opt->rundir, 0755) < 0) strerr_diefu2sys(111, "chmod ", sup_opt->rundir) ;
}

static void take_pidfile (void)
{
  if (sup_opt->pidfile[0])
  {
    pid_t holder = 0 ;
    sup_pidfd = sup_pidfile_take(sup_opt->pidfile, getpid(), &holder) ;
    if (sup_pidfd < 0)
    {
      char fmt[PID_FMT] ;
      fmt[pid_fmt(fmt, holder)] = 0 ;
      if (errno == EBUSY) fail_start(111, "another minetd-sup is running (pid ", fmt, "), pidfile ", sup_opt->pidfile) ;
      fail_start(111, "unable to write pidfile ", sup_opt->pidfile, ": ", strerror(errno)) ;
    }
  }
}

static void trapped_set (sigset_t *set)
{
  sigemptyset(set) ;
  sigaddset(set, SIGCHLD) ; sigaddset(set, SIGHUP) ; sigaddset(set, SIGTERM) ; sigaddset(set, SIGINT) ;
}

/* First thing: the signals we handle go to the selfpipe (a SIGHUP or
   SIGTERM while we start must wait for the loop, not kill us), after
   getting their default dispositions: with a signalfd, one inherited as
   ignored would be discarded, never read (an ignored SIGCHLD would stop
   all supervision). selfpipe_init empties the signal mask, so it comes
   before anything is blocked. Returns the selfpipe's fd. */
static int trap_signals (void)
{
  sigset_t set ;
  int sfd = selfpipe_init() ;
  if (sfd < 0) strerr_diefu1sys(111, "init the selfpipe") ;
  trapped_set(&set) ;
  for (int sig = 1 ; sig < NSIG ; sig++)
    if (sigismember(&set, sig)) mtd_sig_default(sig) ;
  if (selfpipe_trapset(&set) < 0) strerr_diefu1sys(111, "trap signals") ;
  signal(SIGPIPE, SIG_IGN) ;
  return sfd ;
}

static void start_services (mtd_conf *c)
{
  for (unsigned int i = 0 ; i < c->n ; i++) sup_svcs[sup_nsvc++] = svc_new(mtd_conf_take(c, i)) ;
  mtd_conf_free(c) ;
  /* bind everything before starting anything: in the background a bad
     address fails the start as a whole, with its reason */
  for (unsigned int i = 0 ; i < sup_nsvc ; i++)
    if (!svc_bind(sup_svcs[i]) && parent_waits())
      fail_start(111, "unable to bind service ", sup_svcs[i]->conf->name, " to ", sup_svcs[i]->addr, ": ", sup_svcs[i]->note + 6) ;
  for (unsigned int i = 0 ; i < sup_nsvc ; i++) svc_try(sup_svcs[i]) ;
  check_ready() ;
}

static void handle_signals (tain *grace)
{
  int sig ;
  while ((sig = selfpipe_read()) > 0)
  {
    switch (sig)
    {
      case SIGCHLD : reap_children() ; break ;
      case SIGHUP :
        if (!sup_stopping) { sup_info("SIGHUP: reloading ", sup_opt->config) ; reload_config() ; }
        break ;
      case SIGTERM :
      case SIGINT :
        if (!sup_stopping)
        {
          tain g ;
          stop_all_chains() ;
          if (sup_opt->kill_conns) orphans_signal(SIGTERM) ;
          tain_uint(&g, STOP_GRACE_SECS) ;
          tain_add_g(grace, &g) ;
        }
        break ;
    }
  }
  if (sig < 0) strerr_diefu1sys(111, "read selfpipe") ;
}

/* Stopping: a chain (with -K, a connection) still there after the grace
   period is killed. */
static void kill_chains_past_grace (tain *grace)
{
  if (!tain_less(&STAMP, grace))
  {
    unsigned int n = chains_signal(SIGKILL) ;
    if (sup_opt->kill_conns) n += orphans_signal(SIGKILL) ;
    if (n)
    {
      char fmt[UINT_FMT] ;
      fmt[uint_fmt(fmt, n)] = 0 ;
      sup_warn(fmt, " processes did not stop in time, killing them") ;
    }
    tain_uint(grace, 1) ;
    tain_add_g(grace, grace) ;
  }
}

/* With -K, connections whose chain is gone (crashed, retired) are ended
   too: we are their subreaper, and nobody else would. */
static int stop_done (void)
{
  if (chains_alive()) return 0 ;
  return !sup_opt->kill_conns || !orphans_signal(0) ;
}

/* A due retry: start the chain again, or bind again. */
static void run_due_deadlines (void)
{
  for (unsigned int i = 0 ; i < sup_nsvc ; i++)
    if (sup_svcs[i]->has_deadline && !tain_less(&STAMP, &sup_svcs[i]->deadline))
    {
      sup_svcs[i]->has_deadline = 0 ;
      if (sup_svcs[i]->fd >= 0) svc_start(sup_svcs[i]) ;
      else svc_try(sup_svcs[i]) ;
    }
}

/* Readiness reports of the chains: a new chain's makes its service switch. */
static void read_notifs (iopause_fd const *x, svc *const *who, int const *isnext, unsigned int n)
{
  for (unsigned int k = 0 ; k < n ; k++)
  {
    svc *s = who[k] ;
    if (!x[k].revents) continue ;
    if (isnext[k])
    {
      /* s may have been switched already by an earlier report of this round */
      if (s->next && s->next->notif == x[k].fd && svc_notif_read(s->next)) handover_ready(s) ;
    }
    else if (s->notif == x[k].fd) svc_notif_read(s) ;
  }
}

/* Until every chain has stopped after SIGTERM. */
static void supervise (int sfd)
{
  static iopause_fd x[2 + 2 * MTD_CONF_SERVICES_MAX] ;
  static svc *who[2 * MTD_CONF_SERVICES_MAX] ;
  static int isnext[2 * MTD_CONF_SERVICES_MAX] ;
  tain grace = TAIN_ZERO ;
  for (;;)
  {
    tain deadline = TAIN_INFINITE ;
    unsigned int n = 1, nn = 0, base ;
    int r ;
    if (status_dirty) status_write() ;
    if (sup_stopping && stop_done()) break ;
    x[0].fd = sfd ; x[0].events = IOPAUSE_READ ;
    if (logpipe[0] >= 0) { x[1].fd = logpipe[0] ; x[1].events = IOPAUSE_READ ; n = 2 ; }
    base = n ;
    for (unsigned int i = 0 ; i < sup_nsvc && !sup_stopping ; i++)
    {
      svc *s = sup_svcs[i] ;
      if (s->notif >= 0) { x[base + nn].fd = s->notif ; x[base + nn].events = IOPAUSE_READ ; who[nn] = s ; isnext[nn++] = 0 ; }
      if (s->next && s->next->notif >= 0) { x[base + nn].fd = s->next->notif ; x[base + nn].events = IOPAUSE_READ ; who[nn] = s ; isnext[nn++] = 1 ; }
      if (s->has_deadline && tain_less(&s->deadline, &deadline)) deadline = s->deadline ;
      if (s->next && tain_less(&s->next->ready_deadline, &deadline)) deadline = s->next->ready_deadline ;
    }
    if (sup_stopping && tain_less(&grace, &deadline)) deadline = grace ;
    r = iopause_g(x, n + nn, &deadline) ;
    if (r < 0) strerr_diefu1sys(111, "iopause") ;
    if (n == 2 && x[1].revents) logpipe_drain() ;
    /* readiness before deaths: a chain that said ready then died is seen in that order */
    if (!sup_stopping) read_notifs(x + base, who, isnext, nn) ;
    if (x[0].revents & IOPAUSE_READ) handle_signals(&grace) ;
    if (sup_stopping)
    {
      kill_chains_past_grace(&grace) ;
      continue ;
    }
    handover_timeouts() ;
    run_due_deadlines() ;
    check_ready() ;
  }
}

int sup_run (sup_options const *o)
{
  mtd_conf c = MTD_CONF_ZERO ;
  int sfd ;
  sup_opt = o ;
  sfd = trap_signals() ;
  sup_conf_load_or_die(&c, o->config) ;
  check_chain_programs(&c) ;
  refuse_running_instance() ;
  make_rundir() ;
  sup_conf_check_rundir_or_die(&c, o->config, o->rundir) ;
  if (o->notif_fd >= 0 && coe(o->notif_fd) < 0) strerr_diefu1sys(111, "use the notification fd") ;
  if (!o->foreground) background() ;
  take_pidfile() ;
#ifdef PR_SET_CHILD_SUBREAPER
  /* connections outlive a stopped minetd-tcp: they become ours to reap */
  if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0) sup_warn("unable to become a child subreaper: ", strerror(errno)) ;
#endif
  tain_now_set_stopwatch_g() ;
  reload_file_write("none") ;
  start_services(&c) ;
  supervise(sfd) ;
  /* connections that ended as we stopped are reaped, not left to init */
  reap_children() ;
  if (logpipe[0] >= 0) logpipe_drain() ;
  status_remove() ;
  if (o->pidfile[0]) unlink(o->pidfile) ;
  sup_info("stopped") ;
  if (sup_pidfd >= 0) fd_close(sup_pidfd) ;
  return 0 ;
}
