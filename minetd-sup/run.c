/* minetd-sup's run loop: bind every listener, start one chain per service
   on it (minetd-tcp -i), restart dead chains with backoff, retry failed
   binds, reload on SIGHUP by swapping whole configs, stop on SIGTERM.
   Unlike xinetd, a reload never signals a connection process; unlike
   rlinetd, an unchanged or changed-in-place service keeps its socket. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif
#include <skalibs/allreadwrite.h>
#include <skalibs/djbunix.h>
#include <skalibs/iopause.h>
#include <skalibs/nsig.h>
#include <skalibs/selfpipe.h>
#include <skalibs/sig.h>
#include <skalibs/socket.h>
#include <skalibs/stralloc.h>
#include <skalibs/strerr.h>
#include <skalibs/tai.h>
#include <skalibs/types.h>
#include "mtd_addr.h"
#include "mtd_conf.h"
#include "mtd_sup_chain.h"
#include "sup.h"

#define RETIRED_MAX 1024
#define RESTART_RESET_SECS 10     /* a chain that ran this long restarts at once */
#define RESTART_BACKOFF_MAX 30
#define BIND_BACKOFF_MAX 5
#define STOP_GRACE_SECS 10

enum svc_state { SVC_BINDING, SVC_WAITING, SVC_RUNNING } ;
static char const *const state_names[] = { "retrying-bind", "restarting", "running" } ;

typedef struct svc_s svc ;
struct svc_s
{
  mtd_conf_service *conf ;
  stralloc chain ;          /* words, each 0-terminated */
  unsigned int chainn ;
  char addr[IP6_FMT + 10] ; /* "127.0.0.1:7000", "[::1]:7000", "*:7000" */
  int fd ;                  /* listening socket, or -1 */
  pid_t pid ;               /* chain, or 0 */
  enum svc_state state ;
  int has_deadline ;
  tain deadline ;
  tain backoff ;
  tain started ;
  time_t since ;
  unsigned int restarts ;
  char note[96] ;           /* last bind error, for status */
} ;

typedef struct retired_s retired ;
struct retired_s
{
  pid_t pid ;
  char name[MTD_CONF_NAME_MAX + 1] ;
} ;

static sup_options const *opt ;
static svc *svcs[MTD_CONF_SERVICES_MAX] ;
static unsigned int nsvc = 0 ;
static retired retireds[RETIRED_MAX] ;
static unsigned int nretired = 0 ;
static int logpipe[2] = { -1, -1 } ;  /* chains' stderr, in the background */
static int reportfd = -1 ;            /* to the waiting parent, in the background */
static int ready = 0 ;
static int status_dirty = 1 ;
static int stopping = 0 ;
static pid_t mypid ;
static int pidfd = -1 ;               /* the locked pidfile, once it is ours */

static void status_write (void)
{
  stralloc sa = STRALLOC_ZERO ;
  size_t rl = strlen(opt->rundir) ;
  char file[rl + 8] ;
  int ok = 1 ;
  memcpy(file, opt->rundir, rl) ; memcpy(file + rl, "/status", 8) ;
  for (unsigned int i = 0 ; i < nsvc && ok ; i++)
  {
    svc *s = svcs[i] ;
    char pid[PID_FMT], restarts[UINT_FMT], since[ULONG_FMT] ;
    pid[pid_fmt(pid, s->pid)] = 0 ;
    restarts[uint_fmt(restarts, s->restarts)] = 0 ;
    since[ulong_fmt(since, s->state == SVC_RUNNING ? (unsigned long)s->since : 0)] = 0 ;
    ok = stralloc_cats(&sa, s->conf->name) && stralloc_catb(&sa, "\t", 1)
      && stralloc_cats(&sa, s->addr) && stralloc_catb(&sa, "\t", 1)
      && stralloc_cats(&sa, state_names[s->state]) && stralloc_catb(&sa, "\t", 1)
      && stralloc_cats(&sa, pid) && stralloc_catb(&sa, "\t", 1)
      && stralloc_cats(&sa, restarts) && stralloc_catb(&sa, "\t", 1)
      && stralloc_cats(&sa, since) && stralloc_catb(&sa, "\t", 1)
      && stralloc_cats(&sa, s->note) && stralloc_catb(&sa, "\n", 1) ;
  }
  if (!ok || !openwritenclose_suffix(file, sa.s ? sa.s : "", sa.len, ".tmp"))
    sup_warn("unable to write ", file, ": ", strerror(errno)) ;
  else status_dirty = 0 ;
  stralloc_free(&sa) ;
}

static void status_remove (void)
{
  size_t rl = strlen(opt->rundir) ;
  char file[rl + 8] ;
  memcpy(file, opt->rundir, rl) ; memcpy(file + rl, "/status", 8) ;
  unlink(file) ;
}

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

static void fmt_addr (char *out, mtd_conf_service const *c)
{
  char port[UINT16_FMT] ;
  port[uint16_fmt(port, c->port)] = 0 ;
  strcpy(out, c->ip.is6 && !c->dualstack ? "[" : "") ;
  strcat(out, c->hosttext) ;
  strcat(out, c->ip.is6 && !c->dualstack ? "]:" : ":") ;
  strcat(out, port) ;
}

static svc *svc_new (mtd_conf_service *c)
{
  svc *s = calloc(1, sizeof *s) ;
  int n ;
  if (!s) strerr_diefu1sys(111, "allocate a service") ;
  s->conf = c ;
  s->fd = -1 ;
  s->state = SVC_BINDING ;
  n = mtd_sup_chain(&s->chain, c, opt->bindir, opt->rundir, 0, -1) ;
  if (n < 0) strerr_diefu1sys(111, "build a chain") ;
  s->chainn = n ;
  fmt_addr(s->addr, c) ;
  return s ;
}

static void svc_free (svc *s)
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

/* Binds and listens, the socket kept close-on-exec in minetd-sup. */
static int svc_bind (svc *s)
{
  mtd_conf_service const *c = s->conf ;
  int is6 = c->ip.is6 || c->dualstack ;
  int one = 1, v6only = !c->dualstack ;
  int fd = is6 ? socket_tcp6_internal(O_CLOEXEC) : socket_tcp4_internal(O_CLOEXEC) ;
  if (fd < 0) goto err ;
  if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0) goto errclose ;
  if (is6 && setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, sizeof v6only) < 0) goto errclose ;
  if ((is6 ? socket_bind6(fd, c->ip.ip, c->port) : socket_bind4(fd, c->ip.ip, c->port)) < 0) goto errclose ;
  if (socket_listen(fd, c->backlog > 0 ? c->backlog : SOMAXCONN) < 0) goto errclose ;
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

static void svc_start (svc *s)
{
  char const *argv[s->chainn + 1] ;
  pid_t pid ;
  mtd_sup_chain_argv(s->chain.s, s->chainn, argv) ;
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
    sigset_t empty ;
    int log = logpipe[1] >= 0 ? logpipe[1] : 2 ;
    for (int sig = 1 ; sig < SKALIBS_NSIG ; sig++)
      if (sig != SIGKILL && sig != SIGSTOP) signal(sig, SIG_DFL) ;
    sigemptyset(&empty) ;
    if (sigprocmask(SIG_SETMASK, &empty, 0) < 0) strerr_diefu1sys(111, "reset the chain's signal mask") ;
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
    if (opt->verbose || s->restarts) sup_info("service ", s->conf->name, " on ", s->addr, ": chain started, pid ", fmt) ;
  }
  s->pid = pid ;
  s->state = SVC_RUNNING ;
  s->has_deadline = 0 ;
  s->since = time(0) ;
  tain_copynow(&s->started) ;
  status_dirty = 1 ;
}

/* One bind attempt; on success the chain starts, else a retry is set. */
static void svc_try (svc *s)
{
  if (s->fd < 0 && !svc_bind(s))
  {
    tain max ;
    int first = !tain_less(&tain_zero, &s->backoff) ;
    tain_uint(&max, BIND_BACKOFF_MAX) ;
    if (first) tain_from_millisecs(&s->backoff, 250) ;
    else { tain_add(&s->backoff, &s->backoff, &s->backoff) ; if (tain_less(&max, &s->backoff)) s->backoff = max ; }
    if (first || opt->verbose)
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

static void chain_exited (svc *s, int wstat)
{
  char why[64], fmt[PID_FMT] ;
  tain ran, reset, max ;
  fmt_wstat(why, wstat) ;
  fmt[pid_fmt(fmt, s->pid)] = 0 ;
  s->pid = 0 ;
  status_dirty = 1 ;
  if (stopping) return ;
  tain_sub(&ran, &STAMP, &s->started) ;
  tain_uint(&reset, RESTART_RESET_SECS) ;
  tain_uint(&max, RESTART_BACKOFF_MAX) ;
  if (!tain_less(&ran, &reset)) s->backoff = tain_zero ;
  else if (!tain_less(&tain_zero, &s->backoff)) tain_from_millisecs(&s->backoff, 250) ;
  else { tain_add(&s->backoff, &s->backoff, &s->backoff) ; if (tain_less(&max, &s->backoff)) s->backoff = max ; }
  {
    char ms[ULONG_FMT] ;
    ms[ulong_fmt(ms, (unsigned long)tain_to_millisecs(&s->backoff))] = 0 ;
    sup_warn("service ", s->conf->name, ": chain pid ", fmt, " died (", why, "), restarting in ", ms, " ms") ;
  }
  s->restarts++ ;
  s->state = SVC_WAITING ;
  set_deadline(s, &s->backoff) ;
}

static void reap (void)
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
    for (i = 0 ; i < nsvc ; i++) if (svcs[i]->pid == pid) break ;
    if (i < nsvc) { chain_exited(svcs[i], wstat) ; continue ; }
    for (i = 0 ; i < nretired ; i++) if (retireds[i].pid == pid) break ;
    if (i < nretired)
    {
      if (opt->verbose || !WIFEXITED(wstat) || WEXITSTATUS(wstat))
        sup_info("service ", retireds[i].name, ": stopped chain pid ", fmt, " exited (", why, ")") ;
      retireds[i] = retireds[--nretired] ;
      continue ;
    }
    /* a connection whose minetd-tcp is gone: we are its subreaper */
    if (opt->verbose) sup_info("reaped connection process pid ", fmt, " (", why, ")") ;
  }
}

static void retire (svc *s, char const *why)
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

static int same_address (mtd_conf_service const *a, mtd_conf_service const *b)
{
  return a->port == b->port && a->dualstack == b->dualstack && a->ip.is6 == b->ip.is6
      && !memcmp(a->ip.ip, b->ip.ip, a->ip.is6 ? 16 : 4) ;
}

static int same_service (svc const *old, svc const *new)
{
  return same_address(old->conf, new->conf) && old->chainn == new->chainn && old->chain.len == new->chain.len
      && !memcmp(old->chain.s, new->chain.s, old->chain.len) ;
}

/* Validate the whole new config, then swap: the old one keeps running
   if anything is wrong with the new one. */
static void reload (void)
{
  mtd_conf nc = MTD_CONF_ZERO ;
  svc *next[MTD_CONF_SERVICES_MAX] ;
  int keep[MTD_CONF_SERVICES_MAX] = { 0 } ;   /* old index kept as is */
  int fresh[MTD_CONF_SERVICES_MAX] = { 0 } ;  /* new entry needs a start */
  unsigned int nn, added = 0, changed = 0, kept = 0, removed = 0 ;
  int r = mtd_conf_parse_file(&nc, opt->config) ;
  if (r <= 0)
  {
    char fmt[UINT_FMT] ;
    if (r < 0) sup_warn("reload: unable to read ", opt->config, ": ", strerror(errno)) ;
    else sup_log_errors(LOG_WARNING, "warning: ", nc.errors.s, nc.errors.len) ;
    fmt[uint_fmt(fmt, nc.nerrors)] = 0 ;
    sup_warn("reload: ", fmt, nc.nerrors == 1 ? " error" : " errors", " in ", opt->config, ": keeping the running configuration") ;
    mtd_conf_free(&nc) ;
    return ;
  }
  nn = nc.n ;
  for (unsigned int i = 0 ; i < nn ; i++)
  {
    svc *s = svc_new(mtd_conf_take(&nc, i)) ;
    unsigned int j ;
    for (j = 0 ; j < nsvc ; j++) if (!keep[j] && !strcmp(svcs[j]->conf->name, s->conf->name)) break ;
    if (j < nsvc && same_service(svcs[j], s))
    {
      keep[j] = 1 ;
      next[i] = svcs[j] ;
      /* same chain: the rules file may have changed, minetd-tcp rereads it on SIGHUP */
      if (svcs[j]->pid && svcs[j]->conf->rules) kill(svcs[j]->pid, SIGHUP) ;
      svcs[j]->conf->line = s->conf->line ;
      svc_free(s) ;
      kept++ ;
      continue ;
    }
    if (j < nsvc) changed++ ; else added++ ;
    next[i] = s ;
    fresh[i] = 1 ;
  }
  mtd_conf_free(&nc) ;
  /* hand over listening sockets by address, whichever service held them */
  for (unsigned int i = 0 ; i < nn ; i++)
  {
    if (!fresh[i]) continue ;
    for (unsigned int j = 0 ; j < nsvc ; j++)
      if (!keep[j] && svcs[j]->fd >= 0 && same_address(svcs[j]->conf, next[i]->conf))
      {
        next[i]->fd = svcs[j]->fd ;
        svcs[j]->fd = -1 ;
        /* listen() again on a listening socket only sets its backlog,
           which backlog= may have changed */
        if (next[i]->conf->backlog != svcs[j]->conf->backlog
         && socket_listen(next[i]->fd, next[i]->conf->backlog > 0 ? next[i]->conf->backlog : SOMAXCONN) < 0)
          sup_warn("service ", next[i]->conf->name, ": unable to change the backlog of ", next[i]->addr, ": ", strerror(errno)) ;
        break ;
      }
  }
  /* new chains first, on the inherited sockets: both accept for a moment, none refuses */
  for (unsigned int i = 0 ; i < nn ; i++)
    if (fresh[i] && next[i]->fd >= 0) svc_start(next[i]) ;
  for (unsigned int j = 0 ; j < nsvc ; j++)
    if (!keep[j])
    {
      unsigned int i ;
      for (i = 0 ; i < nn ; i++) if (fresh[i] && !strcmp(next[i]->conf->name, svcs[j]->conf->name)) break ;
      if (i == nn) removed++ ;
      retire(svcs[j], i < nn ? "changed" : "removed") ;
      svc_free(svcs[j]) ;
    }
  for (unsigned int i = 0 ; i < nn ; i++) svcs[i] = next[i] ;
  nsvc = nn ;
  /* freed addresses are closed now, so new binds can take them */
  for (unsigned int i = 0 ; i < nn ; i++)
    if (fresh[i] && next[i]->fd < 0) svc_try(next[i]) ;
  {
    char a[UINT_FMT], c[UINT_FMT], k[UINT_FMT], rm[UINT_FMT] ;
    a[uint_fmt(a, added)] = 0 ; c[uint_fmt(c, changed)] = 0 ;
    k[uint_fmt(k, kept)] = 0 ; rm[uint_fmt(rm, removed)] = 0 ;
    sup_info("reloaded ", opt->config, ": ", a, " added, ", c, " changed, ", rm, " removed, ", k, " unchanged") ;
  }
  status_dirty = 1 ;
}

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

static void check_ready (void)
{
  if (ready) return ;
  for (unsigned int i = 0 ; i < nsvc ; i++) if (svcs[i]->fd < 0) return ;
  ready = 1 ;
  for (unsigned int i = 0 ; i < nsvc ; i++)
    sup_info("service ", svcs[i]->conf->name, " listening on ", svcs[i]->addr) ;
  {
    char fmt[UINT_FMT] ;
    fmt[uint_fmt(fmt, nsvc)] = 0 ;
    sup_info("ready: ", fmt, nsvc == 1 ? " service listening" : " services listening") ;
  }
  if (opt->notif_fd >= 0)
  {
    if (allwrite(opt->notif_fd, "\n", 1) < 1) sup_warn("unable to write to notification fd: ", strerror(errno)) ;
    fd_close(opt->notif_fd) ;
  }
  notify_systemd() ;
  if (reportfd >= 0) { allwrite(reportfd, "\n", 1) ; fd_close(reportfd) ; reportfd = -1 ; }
}

/* Background: the parent waits on a pipe and exits 0 only once every
   listener is bound, else with the reason the daemon wrote. */
static void background (void)
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
  {
    int null = open("/dev/null", O_RDWR) ;
    if (null < 0) strerr_diefu1sys(111, "open /dev/null") ;
    if (pipecoe(logpipe) < 0) strerr_diefu1sys(111, "pipe") ;
    ndelay_on(logpipe[0]) ;
    if (dup2(null, 0) < 0 || dup2(null, 1) < 0 || dup2(null, 2) < 0) strerr_diefu1sys(111, "dup2") ;
    if (null > 2) fd_close(null) ;
  }
  openlog("minetd-sup", LOG_PID, LOG_DAEMON) ;
  sup_syslog = 1 ;
  if (chdir("/") < 0) sup_warn("unable to chdir to /: ", strerror(errno)) ;
}

/* Report to the waiting parent (background) or die on stderr: the
   reason reaches whoever started us, not only syslog. */
#define fail_start(e, ...) fail_start_(e, __VA_ARGS__, (char const *)0)
static void fail_start_ (int e, ...)
{
  char buf[1024] ;
  size_t len = 0 ;
  char const *part ;
  va_list ap ;
  va_start(ap, e) ;
  while ((part = va_arg(ap, char const *)))
  {
    size_t l = strlen(part) ;
    if (len + l > sizeof buf - 2) l = sizeof buf - 2 - len ;
    memcpy(buf + len, part, l) ; len += l ;
  }
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
  if (pidfd >= 0) unlink(opt->pidfile) ;
  _exit(e) ;
}

static void logpipe_drain (void)
{
  static char buf[4096] ;
  static size_t len = 0 ;
  for (;;)
  {
    ssize_t r = read(logpipe[0], buf + len, sizeof buf - len) ;
    size_t start = 0 ;
    if (r <= 0) break ;
    len += r ;
    for (size_t i = 0 ; i < len ; i++)
      if (buf[i] == '\n') { sup_log_line(buf + start, i - start) ; start = i + 1 ; }
    if (start) { memmove(buf, buf + start, len - start) ; len -= start ; }
    else if (len == sizeof buf) { sup_log_line(buf, len) ; len = 0 ; }
  }
}

static void stop_all (void)
{
  int sig = opt->kill_conns ? SIGQUIT : SIGTERM ;
  stopping = 1 ;
  sup_info("stopping ", opt->kill_conns ? "chains and their connections" : "chains (their connections finish)") ;
  for (unsigned int i = 0 ; i < nsvc ; i++)
  {
    if (svcs[i]->pid) kill(svcs[i]->pid, sig) ;
    if (svcs[i]->fd >= 0) { fd_close(svcs[i]->fd) ; svcs[i]->fd = -1 ; }
    svcs[i]->has_deadline = 0 ;
  }
  if (opt->kill_conns) for (unsigned int i = 0 ; i < nretired ; i++) kill(retireds[i].pid, SIGQUIT) ;
}

static int chains_alive (void)
{
  for (unsigned int i = 0 ; i < nsvc ; i++) if (svcs[i]->pid) return 1 ;
  return 0 ;
}

static void make_rundir (void)
{
  if (mkdir(opt->rundir, 0755) < 0)
  {
    struct stat st ;
    if (errno != EEXIST) strerr_diefu2sys(111, "create runtime directory ", opt->rundir) ;
    if (lstat(opt->rundir, &st) < 0) strerr_diefu2sys(111, "stat ", opt->rundir) ;
    if (!S_ISDIR(st.st_mode)) strerr_dief2x(111, opt->rundir, ": not a directory") ;
    /* Rate state files live here: another user able to swap them would
       control the limits. */
    if (st.st_uid != geteuid() || st.st_mode & 022)
      strerr_dief2x(111, opt->rundir, ": runtime directory must be owned by us and writable by nobody else") ;
  }
  else if (chmod(opt->rundir, 0755) < 0) strerr_diefu2sys(111, "chmod ", opt->rundir) ;
}

int sup_run (sup_options const *o)
{
  mtd_conf c = MTD_CONF_ZERO ;
  iopause_fd x[2] ;
  tain grace = TAIN_ZERO ;
  int sfd ;
  opt = o ;
  sup_conf_load_or_die(&c, o->config) ;
  if (o->bindir)
  {
    size_t bl = strlen(o->bindir) ;
    char tcp[bl + 12] ;
    memcpy(tcp, o->bindir, bl) ; memcpy(tcp + bl, "/minetd-tcp", 12) ;
    if (access(tcp, X_OK) < 0) strerr_diefu2sys(111, "find the chain programs: ", tcp) ;
  }
  if (o->pidfile[0])
  {
    pid_t holder ;
    if (sup_pidfile_probe(o->pidfile, &holder) == 1)
    {
      char fmt[PID_FMT] ;
      fmt[pid_fmt(fmt, holder)] = 0 ;
      strerr_dief5x(111, "another minetd-sup is running (pid ", fmt, ", pidfile ", o->pidfile, "): use --reload or stop it first") ;
    }
  }
  make_rundir() ;
  if (o->notif_fd >= 0 && coe(o->notif_fd) < 0) strerr_diefu1sys(111, "use the notification fd") ;
  if (!o->foreground) background() ;
  mypid = getpid() ;
  if (o->pidfile[0])
  {
    pid_t holder = 0 ;
    pidfd = sup_pidfile_take(o->pidfile, mypid, &holder) ;
    if (pidfd < 0)
    {
      char fmt[PID_FMT] ;
      fmt[pid_fmt(fmt, holder)] = 0 ;
      if (errno == EBUSY) fail_start(111, "another minetd-sup is running (pid ", fmt, "), pidfile ", o->pidfile) ;
      fail_start(111, "unable to write pidfile ", o->pidfile, ": ", strerror(errno)) ;
    }
  }
#ifdef PR_SET_CHILD_SUBREAPER
  /* connections outlive a stopped minetd-tcp: they become ours to reap */
  if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0) sup_warn("unable to become a child subreaper: ", strerror(errno)) ;
#endif
  sfd = selfpipe_init() ;
  if (sfd < 0) fail_start(111, "unable to init selfpipe: ", strerror(errno)) ;
  {
    sigset_t set ;
    sigemptyset(&set) ;
    sigaddset(&set, SIGCHLD) ; sigaddset(&set, SIGHUP) ; sigaddset(&set, SIGTERM) ; sigaddset(&set, SIGINT) ;
    if (selfpipe_trapset(&set) < 0) fail_start(111, "unable to trap signals: ", strerror(errno)) ;
  }
  signal(SIGPIPE, SIG_IGN) ;
  tain_now_set_stopwatch_g() ;

  for (unsigned int i = 0 ; i < c.n ; i++) svcs[nsvc++] = svc_new(mtd_conf_take(&c, i)) ;
  mtd_conf_free(&c) ;
  /* bind everything before starting anything: in the background a bad
     address fails the start as a whole, with its reason */
  for (unsigned int i = 0 ; i < nsvc ; i++)
    if (!svc_bind(svcs[i]) && reportfd >= 0)
      fail_start(111, "unable to bind service ", svcs[i]->conf->name, " to ", svcs[i]->addr, ": ", svcs[i]->note + 6) ;
  for (unsigned int i = 0 ; i < nsvc ; i++) svc_try(svcs[i]) ;
  check_ready() ;

  for (;;)
  {
    tain deadline = TAIN_INFINITE ;
    unsigned int n = 1 ;
    int r ;
    if (status_dirty) status_write() ;
    if (stopping && !chains_alive()) break ;
    x[0].fd = sfd ; x[0].events = IOPAUSE_READ ;
    if (logpipe[0] >= 0) { x[1].fd = logpipe[0] ; x[1].events = IOPAUSE_READ ; n = 2 ; }
    for (unsigned int i = 0 ; i < nsvc ; i++)
      if (svcs[i]->has_deadline && tain_less(&svcs[i]->deadline, &deadline)) deadline = svcs[i]->deadline ;
    if (stopping && tain_less(&grace, &deadline)) deadline = grace ;
    r = iopause_g(x, n, &deadline) ;
    if (r < 0) strerr_diefu1sys(111, "iopause") ;
    if (n == 2 && x[1].revents) logpipe_drain() ;
    if (x[0].revents & IOPAUSE_READ)
    {
      int sig ;
      while ((sig = selfpipe_read()) > 0)
      {
        switch (sig)
        {
          case SIGCHLD : reap() ; break ;
          case SIGHUP :
            if (!stopping) { sup_info("SIGHUP: reloading ", o->config) ; reload() ; }
            break ;
          case SIGTERM :
          case SIGINT :
            if (!stopping)
            {
              tain g ;
              stop_all() ;
              tain_uint(&g, STOP_GRACE_SECS) ;
              tain_add_g(&grace, &g) ;
            }
            break ;
        }
      }
      if (sig < 0) strerr_diefu1sys(111, "read selfpipe") ;
    }
    if (stopping)
    {
      if (!tain_less(&STAMP, &grace))
      {
        for (unsigned int i = 0 ; i < nsvc ; i++)
          if (svcs[i]->pid) { sup_warn("service ", svcs[i]->conf->name, ": chain did not stop, killing it") ; kill(svcs[i]->pid, SIGKILL) ; }
        tain_uint(&grace, 1) ;
        tain_add_g(&grace, &grace) ;
      }
      continue ;
    }
    for (unsigned int i = 0 ; i < nsvc ; i++)
      if (svcs[i]->has_deadline && !tain_less(&STAMP, &svcs[i]->deadline))
      {
        svcs[i]->has_deadline = 0 ;
        if (svcs[i]->fd >= 0) svc_start(svcs[i]) ;
        else svc_try(svcs[i]) ;
      }
    check_ready() ;
  }
  if (logpipe[0] >= 0) logpipe_drain() ;
  status_remove() ;
  if (o->pidfile[0]) unlink(o->pidfile) ;
  sup_info("stopped") ;
  if (pidfd >= 0) fd_close(pidfd) ;
  return 0 ;
}
