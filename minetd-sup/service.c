/* One service's life under minetd-sup: bind its socket (a TCP listener or
   a UDP socket, retrying with backoff), start its chain (minetd-tcp -i or
   minetd-udp -i) on it, restart a dead chain
   with backoff, retire a chain on reload, stop them all on SIGTERM. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <skalibs/djbunix.h>
#include <skalibs/genalloc.h>
#include <skalibs/nsig.h>
#include <skalibs/sig.h>
#include <skalibs/socket.h>
#include <skalibs/stralloc.h>
#include <skalibs/strerr.h>
#include <skalibs/tai.h>
#include <skalibs/types.h>
#include "mtd_child.h"
#include "mtd_compat.h"
#include "mtd_conf.h"
#include "mtd_sup_chain.h"
#include "run.h"

#define RESTART_RESET_SECS 10     /* a chain that ran this long restarts at once */
#define RESTART_BACKOFF_MAX 30
#define BIND_BACKOFF_MAX 5

/* Chains stopped by a reload, or given up before they were ready, still
   running until they exit: as many as there are, never a fixed table. */
typedef struct retired_s retired ;
struct retired_s
{
  pid_t pid ;
  int quiet ;               /* a new chain given up: its exit is expected */
  char name[MTD_CONF_NAME_MAX + 1] ;
} ;

static genalloc retireds = GENALLOC_ZERO ;

static void retired_add (pid_t pid, char const *name, int quiet)
{
  retired r = { .pid = pid, .quiet = quiet } ;
  strncpy(r.name, name, MTD_CONF_NAME_MAX) ;
  /* out of memory: the chain is still reaped, only its exit is not named */
  if (!genalloc_append(retired, &retireds, &r))
    sup_warn("service ", name, ": unable to track a stopped chain: ", strerror(errno)) ;
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

void sup_address_fmt (char *out, mtd_conf_service const *c)
{
  char port[UINT16_FMT] ;
  port[uint16_fmt(port, c->port)] = 0 ;
  strcpy(out, c->ip.is6 && !c->dualstack ? "[" : "") ;
  strcat(out, c->hosttext) ;
  strcat(out, c->ip.is6 && !c->dualstack ? "]:" : ":") ;
  strcat(out, port) ;
  /* tcp as it always was: "/tcp" would change every existing line */
  if (c->proto == MTD_CONF_UDP) strcat(out, "/udp") ;
}

svc *svc_new (mtd_conf_service *c)
{
  svc *s = calloc(1, sizeof *s) ;
  int n ;
  if (!s) strerr_diefu1sys(111, "allocate a service") ;
  s->conf = c ;
  s->fd = -1 ;
  s->notif = -1 ;
  s->state = SVC_BINDING ;
  n = mtd_sup_chain(&s->chain, c, sup_opt->bindir, sup_opt->rundir, 0, -1) ;
  if (n < 0) strerr_diefu1sys(111, "build a chain") ;
  s->chainn = n ;
  sup_address_fmt(s->addr, c) ;
  return s ;
}

void svc_free (svc *s)
{
  svc_notif_close(s) ;
  if (s->fd >= 0) fd_close(s->fd) ;
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
  int udp = c->proto == MTD_CONF_UDP ;
  int one = 1, v6only = !c->dualstack ;
  /* a UDP socket is bound the same way, and never listens: minetd-udp
     sets the options it reads datagrams with (IP_PKTINFO) itself */
  int fd = udp ? (is6 ? socket_udp6_internal(O_CLOEXEC) : socket_udp4_internal(O_CLOEXEC))
               : (is6 ? socket_tcp6_internal(O_CLOEXEC) : socket_tcp4_internal(O_CLOEXEC)) ;
  if (fd < 0) goto err ;
  /* TCP: a restart must not wait for TIME_WAIT. UDP has none, and there
     the option would let a second socket bind the port and take its
     datagrams */
  if (!udp && setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0) goto errclose ;
  if (is6 && setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, sizeof v6only) < 0) goto errclose ;
  if ((is6 ? socket_bind6(fd, c->ip.ip, c->port) : socket_bind4(fd, c->ip.ip, c->port)) < 0) goto errclose ;
  if (!udp && socket_listen(fd, svc_backlog(c)) < 0) goto errclose ;
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

/* A kernel socket filter (minetd-env rules compiled by a wait-mode
   launcher, which attaches it) stays on the socket after its chain: a
   new chain that attaches none must not inherit the old rules, and one
   that does replaces them in one step, with no moment unfiltered. */
static int chain_attaches_filter (mtd_conf_service const *c)
{
  return c->rules && c->wait ;
}

void svc_sockopts (svc *s)
{
  int nodelay = s->conf->nodelay == 1, keepalive = s->conf->keepalive == 1 ;
  if (s->fd < 0) return ;
  if (!chain_attaches_filter(s->conf) && setsockopt(s->fd, SOL_SOCKET, SO_DETACH_FILTER, 0, 0) < 0 && errno != ENOENT)
    sup_warn("service ", s->conf->name, ": unable to remove the previous chain's socket filter from ", s->addr, ": ", strerror(errno)) ;
  /* TCP_NODELAY and SO_KEEPALIVE are TCP's, and so is a backlog */
  if (s->conf->proto == MTD_CONF_UDP) return ;
  if (setsockopt(s->fd, IPPROTO_TCP, TCP_NODELAY, &nodelay, sizeof nodelay) < 0
   || setsockopt(s->fd, SOL_SOCKET, SO_KEEPALIVE, &keepalive, sizeof keepalive) < 0)
    sup_warn("service ", s->conf->name, ": unable to set the socket options of ", s->addr, ": ", strerror(errno)) ;
  /* listen() again on a listening socket only sets its backlog */
  if (socket_listen(s->fd, svc_backlog(s->conf)) < 0)
    sup_warn("service ", s->conf->name, ": unable to set the backlog of ", s->addr, ": ", strerror(errno)) ;
}

void svc_notif_close (svc *s)
{
  if (s->notif >= 0) fd_close(s->notif) ;
  s->notif = -1 ;
}

int svc_notif_read (svc *s)
{
  char buf[64] ;
  ssize_t r = read(s->notif, buf, sizeof buf) ;
  if (r < 0 && (errno == EAGAIN || errno == EINTR)) return 0 ;
  svc_notif_close(s) ;
  if (r > 0 && memchr(buf, '\n', r))
  {
    s->ready = s->ever_ready = 1 ;
    status_dirty = 1 ;
    return 1 ;
  }
  return 0 ;
}

/* The chain drops to the service's user before minetd-rate opens its
   state file, and the runtime directory is ours: create the file for that
   user, or give an existing one to it. When minetd-limit drops instead
   (chroot=, a negative nice=), minetd-rate runs as us: the file is ours,
   taken back if an earlier configuration gave it to the user. */
static void rate_file_give (svc const *s)
{
  mtd_conf_service const *c = s->conf ;
  size_t rl = strlen(sup_opt->rundir), nl = strlen(c->name) ;
  char path[rl + nl + 7] ;
  struct stat st ;
  int late = mtd_conf_drops_late(c) ;
  uid_t uid = late ? geteuid() : c->uid ;
  gid_t gid = late ? getegid() : c->gid ;
  int fd ;
  if (!c->has_user || (!c->rate && c->source_rate <= 0)) return ;
  memcpy(path, sup_opt->rundir, rl) ; path[rl] = '/' ;
  memcpy(path + rl + 1, c->name, nl) ; memcpy(path + rl + 1 + nl, ".rate", 6) ;
  fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0600) ;
  if (fd < 0) { sup_warn("unable to create rate state file ", path, ": ", strerror(errno)) ; return ; }
  errno = 0 ;
  if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_nlink != 1
   || ((st.st_uid != uid || st.st_gid != gid) && fchown(fd, uid, gid) < 0)
   || ((st.st_mode & 07777) != 0600 && fchmod(fd, 0600) < 0))
    sup_warn("unable to give rate state file ", path, " to user ", late ? "running minetd-sup" : c->user, ": ", errno ? strerror(errno) : "not a plain file") ;
  fd_close(fd) ;
}

/* In the chain: fds 0 (its listener), 1 and 2 (the log), 3 (readiness),
   nothing else; default dispositions, and only SIGHUP blocked. */
static void chain_exec (svc const *s, int notif, char const *const *argv) gccattr_noreturn ;
static void chain_exec (svc const *s, int notif, char const *const *argv)
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
   || (log != 1 && dup2(log, 1) < 0) || (log != 2 && dup2(log, 2) < 0)
   || (notif != SUP_CHAIN_NOTIF_FD ? dup2(notif, SUP_CHAIN_NOTIF_FD) : fcntl(notif, F_SETFD, 0)) < 0)
    strerr_diefu1sys(111, "set up the chain's fds") ;
  mtd_close_range(SUP_CHAIN_NOTIF_FD + 1, ~0U) ;
  unsetenv("NOTIFY_SOCKET") ; unsetenv("LISTEN_FDS") ; unsetenv("LISTEN_PID") ; unsetenv("LISTEN_FDNAMES") ;
  execv(argv[0], (char *const *)argv) ;
  strerr_dieexec(errno == ENOENT ? 127 : 126, argv[0]) ;
}

void svc_start (svc *s)
{
  /* the chain as -t prints it, with "-d 3" after minetd-tcp */
  char const *argv[s->chainn + 3] ;
  char notif[UINT_FMT] ;
  int p[2] ;
  pid_t pid = -1 ;
  mtd_sup_chain_argv(s->chain.s, s->chainn, argv + 2) ;
  notif[uint_fmt(notif, SUP_CHAIN_NOTIF_FD)] = 0 ;
  argv[0] = argv[2] ; argv[1] = "-d" ; argv[2] = notif ;
  rate_file_give(s) ;
  svc_notif_close(s) ;
  s->ready = 0 ;
  if (pipecoe(p) == 0)
  {
    pid = fork() ;
    if (!pid) chain_exec(s, p[1], argv) ;
    fd_close(p[1]) ;
    if (pid < 0) fd_close(p[0]) ;
    else { ndelay_on(p[0]) ; s->notif = p[0] ; }
  }
  if (pid < 0)
  {
    tain delay ;
    sup_warn("unable to fork for service ", s->conf->name, ": ", strerror(errno)) ;
    tain_from_millisecs(&delay, 1000) ;
    s->state = SVC_WAITING ;
    set_deadline(s, &delay) ;
    status_dirty = 1 ;
    return ;
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
  s->ready = 0 ;
  s->ever_ready = 1 ;
  svc_notif_close(s) ;
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
    unsigned int i, n ;
    retired *r = genalloc_s(retired, &retireds) ;
    char why[64], fmt[PID_FMT] ;
    if (pid <= 0) break ;
    fmt_wstat(why, wstat) ;
    fmt[pid_fmt(fmt, pid)] = 0 ;
    for (i = 0 ; i < sup_nsvc ; i++) if (sup_svcs[i]->pid == pid) break ;
    if (i < sup_nsvc) { chain_exited(sup_svcs[i], fmt, why) ; continue ; }
    for (i = 0 ; i < sup_nsvc ; i++) if (sup_svcs[i]->next && sup_svcs[i]->next->pid == pid) break ;
    if (i < sup_nsvc)
    {
      char msg[sizeof why + 48] ;
      sup_svcs[i]->next->pid = 0 ;
      strcpy(msg, "the new chain exited before it was ready (") ;
      strcat(msg, why) ; strcat(msg, ")") ;
      handover_fail(sup_svcs[i], msg) ;
      continue ;
    }
    n = genalloc_len(retired, &retireds) ;
    for (i = 0 ; i < n ; i++) if (r[i].pid == pid) break ;
    if (i < n)
    {
      if (!r[i].quiet && (sup_opt->verbose || !WIFEXITED(wstat) || WEXITSTATUS(wstat)))
        sup_info("service ", r[i].name, ": stopped chain pid ", fmt, " exited (", why, ")") ;
      r[i] = r[n-1] ;
      genalloc_setlen(retired, &retireds, n - 1) ;
      continue ;
    }
    /* a connection whose minetd-tcp is gone: we are its subreaper */
    if (sup_opt->verbose) sup_info("reaped connection process pid ", fmt, " (", why, ")") ;
  }
}

int sup_is_chain (pid_t pid)
{
  retired const *r = genalloc_s(retired, &retireds) ;
  unsigned int n = genalloc_len(retired, &retireds) ;
  for (unsigned int i = 0 ; i < sup_nsvc ; i++)
    if (sup_svcs[i]->pid == pid || (sup_svcs[i]->next && sup_svcs[i]->next->pid == pid)) return 1 ;
  for (unsigned int i = 0 ; i < n ; i++) if (r[i].pid == pid) return 1 ;
  return 0 ;
}

/* A stopped chain acts on SIGTERM or SIGQUIT only once continued. */
static void chain_kill (pid_t pid, int sig)
{
  kill(pid, sig) ;
  if (sig == SIGTERM || sig == SIGQUIT) kill(pid, SIGCONT) ;
}

/* Stops s's chain (SIGTERM: minetd-tcp stops accepting, its connections
   live on) and closes s's socket. quiet: a new chain given up. */
static void chain_stop (svc *s, char const *why, int quiet)
{
  if (s->pid)
  {
    char fmt[PID_FMT] ;
    fmt[pid_fmt(fmt, s->pid)] = 0 ;
    chain_kill(s->pid, SIGTERM) ;
    if (!quiet) sup_info("service ", s->conf->name, ": ", why, ": stopping chain pid ", fmt, " (its connections finish)") ;
    retired_add(s->pid, s->conf->name, quiet) ;
    s->pid = 0 ;
  }
  svc_notif_close(s) ;
  if (s->fd >= 0) fd_close(s->fd) ;
  s->fd = -1 ;
  s->has_deadline = 0 ;
}

void svc_retire (svc *s, char const *why)
{
  if (s->next) handover_abort(s, "the service was changed again or removed") ;
  chain_stop(s, why, 0) ;
}

void svc_giveup (svc *s)
{
  chain_stop(s, "", 1) ;
}

void stop_all_chains (void)
{
  sup_stopping = 1 ;
  sup_info("stopping ", sup_opt->kill_conns ? "chains and their connections" : "chains (their connections finish)") ;
  chains_signal(sup_opt->kill_conns ? SIGQUIT : SIGTERM) ;
  for (unsigned int i = 0 ; i < sup_nsvc ; i++)
  {
    svc *s = sup_svcs[i] ;
    if (s->next) { svc_notif_close(s->next) ; if (s->next->fd >= 0) { fd_close(s->next->fd) ; s->next->fd = -1 ; } }
    if (s->fd >= 0) { fd_close(s->fd) ; s->fd = -1 ; }
    s->has_deadline = 0 ;
  }
}

/* Signals every chain: current, new, and those a reload retired that still
   run (without -K they had their SIGTERM already, a second one does no
   harm), and returns how many there are: stopping waits for them all, so
   no port outlives us. */
unsigned int chains_signal (int sig)
{
  retired const *r = genalloc_s(retired, &retireds) ;
  unsigned int n = genalloc_len(retired, &retireds), live = 0 ;
  for (unsigned int i = 0 ; i < sup_nsvc ; i++)
  {
    svc *s = sup_svcs[i] ;
    if (s->pid) { if (sig) chain_kill(s->pid, sig) ; live++ ; }
    if (s->next && s->next->pid) { if (sig) chain_kill(s->next->pid, sig) ; live++ ; }
  }
  for (unsigned int i = 0 ; i < n ; i++) { if (sig) chain_kill(r[i].pid, sig) ; live++ ; }
  return live ;
}

int chains_alive (void)
{
  return chains_signal(0) > 0 ;
}
