/* One service's life under minetd-sup: bind its listener (retrying with
   backoff), start its chain (minetd-tcp -i) on it, restart a dead chain
   with backoff, retire a chain on reload, stop them all on SIGTERM. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <skalibs/djbunix.h>
#include <skalibs/nsig.h>
#include <skalibs/sig.h>
#include <skalibs/socket.h>
#include <skalibs/stralloc.h>
#include <skalibs/strerr.h>
#include <skalibs/tai.h>
#include <skalibs/types.h>
#include "mtd_child.h"
#include "mtd_conf.h"
#include "mtd_sup_chain.h"
#include "run.h"

#define RETIRED_MAX 1024
#define RESTART_RESET_SECS 10     /* a chain that ran this long restarts at once */
#define RESTART_BACKOFF_MAX 30
#define BIND_BACKOFF_MAX 5

/* chains stopped by a reload, still running until their connections end */
typedef struct retired_s retired ;
struct retired_s
{
  pid_t pid ;
  char name[MTD_CONF_NAME_MAX + 1] ;
} ;

static retired retireds[RETIRED_MAX] ;
static unsigned int nretired = 0 ;

static void fmt_wstat (char *buf, int wstat)
{
  if (WIFSIGNALED(wstat))
  {
    strcpy(buf, "killed by signal SIG") ;
    strcat(buf, sig_name(WTERMSIG(wstat))) ;
  }
  else
  {
    strcpy(buf, "exit code ") ;
    buf[10 + uint_fmt(buf + 10, WEXITSTATUS(wstat))] = 0 ;
  }
}

void sup_address_fmt (char *out, mtd_conf_service const *c)
{
  char port[UINT16_FMT] ;
  port[uint16_fmt(port, c->port)] = 0 ;
  strcpy(out, c->ip.is6 && !c->dualstack ? "[" : "") ;
  strcat(out, c->hosttext) ;
  strcat(out, c->ip.is6 && !c->dualstack ? "]:" : ":") ;
  strcat(out, port) ;
}

svc *svc_new (mtd_conf_service *c)
{
  svc *s = calloc(1, sizeof *s) ;
  int n ;
  if (!s) strerr_diefu1sys(111, "allocate a service") ;
  s->conf = c ;
  s->fd = -1 ;
  s->state = SVC_BINDING ;
  n = mtd_sup_chain(&s->chain, c, sup_opt->bindir, sup_opt->rundir, 0, -1) ;
  if (n < 0) strerr_diefu1sys(111, "build a chain") ;
  s->chainn = n ;
  sup_address_fmt(s->addr, c) ;
  return s ;
}

void svc_free (svc *s)
{
  stralloc_free(&s->chain) ;
  mtd_conf_service_free(s->conf) ;
  free(s) ;
}

static void set_deadline (svc *s, tain const *delay)
{
  tain_add_g(&s->deadline, delay) ;
  s->has_deadline = 1 ;
}

/* 250 ms the first time, then doubling, up to max_secs. */
static void backoff_grow (tain *backoff, unsigned int max_secs)
{
  tain max ;
  tain_uint(&max, max_secs) ;
  if (!tain_less(&tain_zero, backoff)) tain_from_millisecs(backoff, 250) ;
  else { tain_add(backoff, backoff, backoff) ; if (tain_less(&max, backoff)) *backoff = max ; }
}

int svc_backlog (mtd_conf_service const *c)
{
  return c->backlog > 0 ? c->backlog : SOMAXCONN ;
}

int svc_bind (svc *s)
{
  mtd_conf_service const *c = s->conf ;
  int is6 = c->ip.is6 || c->dualstack ;
  int one = 1, v6only = !c->dualstack ;
  int fd = is6 ? socket_tcp6_internal(O_CLOEXEC) : socket_tcp4_internal(O_CLOEXEC) ;
  if (fd < 0) goto err ;
  if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0) goto errclose ;
  if (is6 && setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, sizeof v6only) < 0) goto errclose ;
  if ((is6 ? socket_bind6(fd, c->ip.ip, c->port) : socket_bind4(fd, c->ip.ip, c->port)) < 0) goto errclose ;
  if (socket_listen(fd, svc_backlog(c)) < 0) goto errclose ;
  s->fd = fd ;
  s->note[0] = 0 ;
  return 1 ;
 errclose:
  {
    int e = errno ;
    fd_close(fd) ;
    errno = e ;
  }
 err:
  strcpy(s->note, "bind: ") ;
  strncat(s->note, strerror(errno), sizeof s->note - 8) ;
  return 0 ;
}

/* The chain drops to the service's user before minetd-rate opens its
   state file, and the runtime directory is ours: create the file for that
   user, or give an existing one to it. */
static void rate_file_give (svc const *s)
{
  mtd_conf_service const *c = s->conf ;
  size_t rl = strlen(sup_opt->rundir), nl = strlen(c->name) ;
  char path[rl + nl + 7] ;
  struct stat st ;
  int fd ;
  if (!c->has_user || (!c->rate && c->source_rate <= 0)) return ;
  memcpy(path, sup_opt->rundir, rl) ; path[rl] = '/' ;
  memcpy(path + rl + 1, c->name, nl) ; memcpy(path + rl + 1 + nl, ".rate", 6) ;
  fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0600) ;
  if (fd < 0) { sup_warn("unable to create rate state file ", path, ": ", strerror(errno)) ; return ; }
  errno = 0 ;
  if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_nlink != 1
   || ((st.st_uid != c->uid || st.st_gid != c->gid) && fchown(fd, c->uid, c->gid) < 0)
   || ((st.st_mode & 07777) != 0600 && fchmod(fd, 0600) < 0))
    sup_warn("unable to give rate state file ", path, " to user ", c->user, ": ", errno ? strerror(errno) : "not a plain file") ;
  fd_close(fd) ;
}

void svc_start (svc *s)
{
  char const *argv[s->chainn + 1] ;
  pid_t pid ;
  mtd_sup_chain_argv(s->chain.s, s->chainn, argv) ;
  rate_file_give(s) ;
  pid = fork() ;
  if (pid < 0)
  {
    tain delay ;
    sup_warn("unable to fork for service ", s->conf->name, ": ", strerror(errno)) ;
    tain_from_millisecs(&delay, 1000) ;
    s->state = SVC_WAITING ;
    set_deadline(s, &delay) ;
    return ;
  }
  if (!pid)
  {
    /* The chain starts clean: default dispositions (we ignore SIGPIPE, and
       a shell starts background jobs with SIGINT/SIGQUIT ignored), an
       empty mask (selfpipe blocks the trapped signals), and only its own
       listener on 0 besides the log on 1 and 2: fds we inherited without
       close-on-exec must not reach every service. */
    sigset_t hup ;
    int log = logpipe[1] >= 0 ? logpipe[1] : 2 ;
    for (int sig = 1 ; sig < SKALIBS_NSIG ; sig++)
      if (sig != SIGKILL && sig != SIGSTOP) mtd_sig_default(sig) ;
    /* SIGHUP stays blocked: a reload that reaches a chain still starting
       must wait for minetd-tcp to read it, not kill the chain. minetd-tcp
       gives its connections an empty mask. */
    sigemptyset(&hup) ;
    sigaddset(&hup, SIGHUP) ;
    if (sigprocmask(SIG_SETMASK, &hup, 0) < 0) strerr_diefu1sys(111, "reset the chain's signal mask") ;
    if ((s->fd ? dup2(s->fd, 0) : fcntl(0, F_SETFD, 0)) < 0
     || (log != 1 && dup2(log, 1) < 0) || (log != 2 && dup2(log, 2) < 0))
      strerr_diefu1sys(111, "set up the chain's fds") ;
    if (close_range(3, ~0U, 0) < 0)
      for (int fd = sysconf(_SC_OPEN_MAX) - 1 ; fd >= 3 ; fd--) close(fd) ;
    unsetenv("NOTIFY_SOCKET") ; unsetenv("LISTEN_FDS") ; unsetenv("LISTEN_PID") ; unsetenv("LISTEN_FDNAMES") ;
    execv(argv[0], (char *const *)argv) ;
    strerr_dieexec(errno == ENOENT ? 127 : 126, argv[0]) ;
  }
  {
    char fmt[PID_FMT] ;
    fmt[pid_fmt(fmt, pid)] = 0 ;
    if (sup_opt->verbose || s->restarts) sup_info("service ", s->conf->name, " on ", s->addr, ": chain started, pid ", fmt) ;
  }
  s->pid = pid ;
  s->state = SVC_RUNNING ;
  s->has_deadline = 0 ;
  s->since = time(0) ;
  tain_copynow(&s->started) ;
  status_dirty = 1 ;
}

void svc_try (svc *s)
{
  if (s->fd < 0 && !svc_bind(s))
  {
    int first = !tain_less(&tain_zero, &s->backoff) ;
    backoff_grow(&s->backoff, BIND_BACKOFF_MAX) ;
    if (first || sup_opt->verbose)
      sup_warn("service ", s->conf->name, ": unable to bind to ", s->addr, ": ", s->note + 6, " (retrying)") ;
    s->state = SVC_BINDING ;
    set_deadline(s, &s->backoff) ;
    status_dirty = 1 ;
    return ;
  }
  if (s->state == SVC_BINDING && tain_less(&tain_zero, &s->backoff))
    sup_info("service ", s->conf->name, ": bound to ", s->addr, " after retrying") ;
  if (s->state == SVC_BINDING) s->backoff = tain_zero ;
  svc_start(s) ;
}

static void chain_exited (svc *s, char const *pid, char const *why)
{
  tain ran, reset ;
  s->pid = 0 ;
  status_dirty = 1 ;
  if (sup_stopping) return ;
  tain_sub(&ran, &STAMP, &s->started) ;
  tain_uint(&reset, RESTART_RESET_SECS) ;
  if (!tain_less(&ran, &reset)) s->backoff = tain_zero ;
  else backoff_grow(&s->backoff, RESTART_BACKOFF_MAX) ;
  {
    char ms[ULONG_FMT] ;
    ms[ulong_fmt(ms, (unsigned long)tain_to_millisecs(&s->backoff))] = 0 ;
    sup_warn("service ", s->conf->name, ": chain pid ", pid, " died (", why, "), restarting in ", ms, " ms") ;
  }
  s->restarts++ ;
  s->state = SVC_WAITING ;
  set_deadline(s, &s->backoff) ;
}

void reap_children (void)
{
  for (;;)
  {
    int wstat ;
    pid_t pid = wait_nohang(&wstat) ;
    unsigned int i ;
    char why[64], fmt[PID_FMT] ;
    if (pid <= 0) break ;
    fmt_wstat(why, wstat) ;
    fmt[pid_fmt(fmt, pid)] = 0 ;
    for (i = 0 ; i < sup_nsvc ; i++) if (sup_svcs[i]->pid == pid) break ;
    if (i < sup_nsvc) { chain_exited(sup_svcs[i], fmt, why) ; continue ; }
    for (i = 0 ; i < nretired ; i++) if (retireds[i].pid == pid) break ;
    if (i < nretired)
    {
      if (sup_opt->verbose || !WIFEXITED(wstat) || WEXITSTATUS(wstat))
        sup_info("service ", retireds[i].name, ": stopped chain pid ", fmt, " exited (", why, ")") ;
      retireds[i] = retireds[--nretired] ;
      continue ;
    }
    /* a connection whose minetd-tcp is gone: we are its subreaper */
    if (sup_opt->verbose) sup_info("reaped connection process pid ", fmt, " (", why, ")") ;
  }
}

void svc_retire (svc *s, char const *why)
{
  if (s->pid)
  {
    char fmt[PID_FMT] ;
    fmt[pid_fmt(fmt, s->pid)] = 0 ;
    /* SIGTERM: minetd-tcp stops accepting, its connections live on */
    kill(s->pid, SIGTERM) ;
    sup_info("service ", s->conf->name, ": ", why, ": stopping chain pid ", fmt, " (its connections finish)") ;
    if (nretired < RETIRED_MAX)
    {
      retireds[nretired].pid = s->pid ;
      strcpy(retireds[nretired].name, s->conf->name) ;
      nretired++ ;
    }
    s->pid = 0 ;
  }
  if (s->fd >= 0) fd_close(s->fd) ;
  s->fd = -1 ;
}

void stop_all_chains (void)
{
  int sig = sup_opt->kill_conns ? SIGQUIT : SIGTERM ;
  sup_stopping = 1 ;
  sup_info("stopping ", sup_opt->kill_conns ? "chains and their connections" : "chains (their connections finish)") ;
  for (unsigned int i = 0 ; i < sup_nsvc ; i++)
  {
    if (sup_svcs[i]->pid) kill(sup_svcs[i]->pid, sig) ;
    if (sup_svcs[i]->fd >= 0) { fd_close(sup_svcs[i]->fd) ; sup_svcs[i]->fd = -1 ; }
    sup_svcs[i]->has_deadline = 0 ;
  }
  if (sup_opt->kill_conns) for (unsigned int i = 0 ; i < nretired ; i++) kill(retireds[i].pid, SIGQUIT) ;
}

int chains_alive (void)
{
  for (unsigned int i = 0 ; i < sup_nsvc ; i++) if (sup_svcs[i]->pid) return 1 ;
  return 0 ;
}
