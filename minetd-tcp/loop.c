/* The accept loop: one iopause over the selfpipe and the listener. Children
   are reaped as soon as SIGCHLD arrives; nothing polls, nothing sleeps. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <skalibs/allreadwrite.h>
#include <skalibs/alloc.h>
#include <skalibs/djbunix.h>
#include <skalibs/iopause.h>
#include <skalibs/sig.h>
#include <skalibs/strerr.h>
#include <skalibs/tai.h>
#include <skalibs/types.h>
#include "mtd_addr.h"
#include "mtd_linklimit.h"
#include "mtd_pause.h"
#include "mtd_signals.h"
#include "mtd_ucspi.h"
#include "minetd-tcp.h"

#define ACCEPT_BATCH 32

static tcp_options const *opt ;
static char const *exec_file ;
static char maxfmt[UINT_FMT] ;
static mtd_pause backoff = MTD_PAUSE_INIT(10, 1000) ;
static tain flush_at ;
static int flush_pending ;
static int use_clone ;
/* The connection being started came through a balancer: its own peer,
   for PROXYREMOTEIP and PROXYREMOTEPORT (PROXYLOCALIP and PROXYLOCALPORT
   are our end). One connection is started at a time. */
static struct { int proxied ; ip46 ip ; uint16_t port ; } via ;

/* A peer as the log shows it: "ADDR:PORT", and " via ADDR:PORT" when
   it came through a balancer (via, set for the connection at hand). */
#define PEER_FMT (2 * (MTD_IP_FMT + 10) + 5)
static void peer_fmt (char *s, mtd_conn const *c)
{
  mtd_ip_port_fmt(s, &c->remote, c->remoteport) ;
  if (via.proxied)
  {
    size_t n = strlen(s) ;
    memcpy(s + n, " via ", 5) ;
    mtd_ip_port_fmt(s + n + 5, &via.ip, via.port) ;
  }
}

static void log_count (char const *what, char const *peer, char const *pidlabel, char const *pidfmt, char const *extra1, char const *extra2, char const *extra3)
{
  char count[UINT_FMT] ;
  count[uint_fmt(count, conntable_count())] = 0 ;
  strerr_warni(what, peer, pidlabel, pidfmt, extra1, extra2, extra3, " count ", count, "/", maxfmt) ;
}

static void refuse (int fd, char const *peer, char const *reason)
{
  if (opt->refusallen)
  {
    /* The socket is fresh: its send buffer takes a short message at once. */
    ssize_t r = send(fd, opt->refusal, opt->refusallen, MSG_DONTWAIT | MSG_NOSIGNAL) ;
    (void)r ;
  }
  fd_close(fd) ;
  if (opt->common.verbose) log_count("refuse ", peer, "", "", " reason ", reason, "") ;
}


static int set_proxy_env (mtd_envmod *env, ip46 const *local, uint16_t localport)
{
  char fmt[MTD_IP_FMT] ;
  char pfmt[UINT16_FMT] ;
  return mtd_envmod_setn(env, "PROXYREMOTEIP", fmt, mtd_ip_fmt(fmt, &via.ip))
      && mtd_envmod_setn(env, "PROXYREMOTEPORT", pfmt, uint16_fmt(pfmt, via.port))
      && mtd_envmod_setn(env, "PROXYLOCALIP", fmt, mtd_ip_fmt(fmt, local))
      && mtd_envmod_setn(env, "PROXYLOCALPORT", pfmt, uint16_fmt(pfmt, localport)) ;
}

/* The environment of connection c's program: minetd-tcp's own variables
   first, then what the links decided before the fork, then the links'
   child work: the order the exec chain has. 1, or 0 with errno set. */
static int conn_prepare (mtd_conn *c, mtd_envmod *env, unsigned int connnum)
{
  char num[UINT_FMT] ;
  ip46 local ;
  uint16_t localport ;
  if (!mtd_socket_local(c->fd, &local, &localport)) return 0 ;
  if (!c->have_local) { c->local = local ; c->localport = localport ; c->have_local = 1 ; }
  num[uint_fmt(num, connnum)] = 0 ;
  mtd_envmod_init(env) ;
  /* through a balancer: its end of the connection, and ours */
  if (via.proxied && !set_proxy_env(env, &local, localport)) return 0 ;
  if (!mtd_ucspi_setaddrs(env, &c->local, c->localport, &c->remote, c->remoteport)
   || !mtd_envmod_set(env, "TCPCONNNUM", num)
   /* no lookups here: a name inherited from whatever started us is stale */
   || !mtd_envmod_set(env, "TCPREMOTEHOST", 0)
   || !mtd_envmod_set(env, "TCPLOCALHOST", 0)
   || !mtd_envmod_set(env, "TCPREMOTEINFO", 0)
   || !mtd_envmod_append(env, c->env)) return 0 ;
  c->env = env ;
  mtd_links_child(c) ;
#ifndef __linux__
  listener_sockopts(opt, c->fd) ;
#endif
  return 1 ;
}

/* The forked child drops everything of the server's before any work of
   its own (name lookups may take seconds): holding the listener would keep
   the port listening after the server stops, and the server's blocked
   signals would make it deaf to SIGTERM. Then the connection is fd 0. */
static void child_run (mtd_conn *c, unsigned int connnum) gccattr_noreturn ;
static void child_run (mtd_conn *c, unsigned int connnum)
{
  mtd_envmod env ;
  if (!mtd_child_setup(&opt->common.child, c->fd)) strerr_diefusys(111, "set up the connection's fds and signals") ;
  c->fd = 0 ;
  if (!conn_prepare(c, &env, connnum)) strerr_diefusys(111, "set up the environment") ;
  mtd_linklimit_child(c->env, &c->clean_env) ;
  mtd_child_exec(exec_file, opt->common.argv, c->env, c->clean_env) ;
}

/* The pid, -1 if no process could be made, or 0 if this connection could
   not be prepared (the client is already gone, say): nobody's fault. */
static pid_t conn_spawn (mtd_conn *c, unsigned int connnum, char const *peer)
{
  pid_t pid ;
  if (use_clone)
  {
    mtd_envmod env ;
    if (!conn_prepare(c, &env, connnum))
    {
      if (opt->common.verbose) strerr_warnwusys("set up the connection of ", peer) ;
      return 0 ;
    }
    return spawn_clone(c->fd, &opt->common.child, exec_file, opt->common.argv, c->env, c->clean_env) ;
  }
  pid = fork() ;
  if (!pid) child_run(c, connnum) ;
  if (pid > 0) mtd_linklimit_forked(pid) ;
  return pid ;
}

/* Admission and start of an accepted connection, c filled (its peer
   the client's, from a PROXY header or the socket); counted 0 for a
   balancer's own connection (v2 LOCAL), in no source's count or rate.
   Returns 0 when accepting must pause. */
static int conn_admit (mtd_conn *c, int counted, char *peer)
{
  unsigned int persource = 0 ;
  char const *failed = 0 ;
  pid_t pid ;
  int fd = c->fd ;
  int r ;
  if (conntable_count() >= opt->maxconn) { refuse(fd, peer, "maxconn") ; return 1 ; }
  if (counted) persource = conntable_count_source(&c->remote) ;
  if (opt->persource && persource >= opt->persource) { refuse(fd, peer, "persource") ; return 1 ; }
  r = counted ? mtd_links_admit(c, &failed) : mtd_links_admit_uncounted(c, &failed) ;
  if (r < 0)
  {
    /* Unlike a refusal, nobody judged this one: refused as if the fork
       had failed, and if the fault lasts (a full disk under the rate
       state file, say), accepting pauses as for a failed fork. */
    int e = errno ;
    if (!opt->common.verbose) peer_fmt(peer, c) ;
    refuse(fd, peer, "link failed") ;
    errno = e ;
    mtd_pause_fault(&backoff, "admit ", peer, failed) ;
    return 0 ;
  }
  if (!r)
  {
    fd_close(fd) ;
    /* While refusals go on, minetd-rate writes its summaries itself; a
       little over a second after the last one, the last summary is due. */
    tain_from_millisecs(&flush_at, 1100) ;
    tain_add_g(&flush_at, &flush_at) ;
    flush_pending = 1 ;
    return 1 ;
  }
  pid = conn_spawn(c, persource + 1, peer) ;
  if (pid <= 0) mtd_links_not_started() ;  /* keeps errno */
  if (!pid) { fd_close(fd) ; return 1 ; }
  if (pid < 0)
  {
    int e = errno ;
    refuse(fd, peer, "fork failed") ;
    errno = e ;
    mtd_pause_fault(&backoff, "fork", "", 0) ;
    return 0 ;
  }
  fd_close(fd) ;
  mtd_links_started() ;
  mtd_pause_recovered(&backoff, "accepting again") ;
  conntable_add(pid, &c->remote, c->remoteport, counted) ;
  if (opt->common.verbose)
  {
    char pidfmt[PID_FMT] ;
    pidfmt[pid_fmt(pidfmt, pid)] = 0 ;
    log_count("accept ", peer, " pid ", pidfmt, "", "", "") ;
  }
  return 1 ;
}

static void conn_init (mtd_conn *c, int fd)
{
  static mtd_envmod env ;
  c->fd = fd ;
  c->proto = MTD_PROTO_TCP ;
  c->have_local = 0 ;
  c->clean_env = 0 ;
  c->env = &env ;
  mtd_envmod_init(&env) ;
}

/* Returns 0 when the backlog is empty or accepting must pause. */
static int accept_one (int listener)
{
  struct sockaddr_storage ss ;
  socklen_t sslen = sizeof ss ;
  mtd_conn c ;
  char peer[PEER_FMT] = "" ;
  int fd = accept4(listener, (struct sockaddr *)&ss, &sslen, SOCK_CLOEXEC) ;
  if (fd < 0)
  {
    switch (errno)
    {
      case EAGAIN :
#if EWOULDBLOCK != EAGAIN
      case EWOULDBLOCK :
#endif
      case EINTR : return 0 ;
      /* A network error of the connection itself, which Linux passes on
         as accept's: that connection is dequeued and gone, the next one
         may be fine. */
      case ECONNABORTED : case EPROTO :
      case ENETDOWN : case ENOPROTOOPT : case EHOSTDOWN : case ENONET :
      case EHOSTUNREACH : case EOPNOTSUPP : case ENETUNREACH : case ETIMEDOUT :
        return 1 ;
      /* EMFILE, ENFILE, ENOBUFS, ENOMEM, and any error that may leave the
         connection queued (EPERM from a security module's hook, say):
         the listener stays readable, and trying again at once would spin. */
      default :
        mtd_pause_fault(&backoff, "accept", "", 0) ;
        return 0 ;
    }
  }
  conn_init(&c, fd) ;
  if (!mtd_sockaddr_to_ip46((struct sockaddr *)&ss, &c.remote, &c.remoteport))
  {
    fd_close(fd) ;
    return 1 ;
  }
  if (opt->proxy)
  {
    /* Only a balancer's header is believed: from anywhere else a header
       is the client's bytes (or, with -X, the connection is closed). */
    if (proxy_trusted(&c.remote)) { proxy_pending_add(fd, &c.remote, c.remoteport) ; return 1 ; }
    if (opt->proxy_refuse_others)
    {
      fd_close(fd) ;
      proxy_refused_untrusted(&c.remote, c.remoteport) ;
      return 1 ;
    }
  }
  via.proxied = 0 ;
  if (opt->common.verbose) peer_fmt(peer, &c) ;
  return conn_admit(&c, 1, peer) ;
}

/* A header read in full: the connection, with the client's addresses,
   goes where accept_one sends the others. */
static void proxy_admit (int fd, proxy_conn const *pc)
{
  mtd_conn c ;
  char peer[PEER_FMT] = "" ;
  conn_init(&c, fd) ;
  c.remote = pc->remote ;
  c.remoteport = pc->remoteport ;
  if (pc->have_local)
  {
    c.local = pc->local ;
    c.localport = pc->localport ;
    c.have_local = 1 ;
  }
  via.proxied = 1 ;
  via.ip = pc->balancer ;
  via.port = pc->balancerport ;
  if (opt->common.verbose) peer_fmt(peer, &c) ;
  conn_admit(&c, pc->counted, peer) ;
  via.proxied = 0 ;
}

static void reap (void)
{
  for (;;)
  {
    int wstat ;
    ip46 ip ;
    uint16_t port ;
    mtd_timelimit limit ;
    pid_t pid = waitpid(-1, &wstat, WNOHANG) ;
    if (pid <= 0) break ;
    if (!conntable_remove(pid, &ip, &port, &limit)) continue ;
    mtd_timelimit_reaped(&limit, pid) ;
    if (opt->common.verbose)
    {
      char peer[MTD_IP_FMT + 10] ;
      char pidfmt[PID_FMT] ;
      char code[UINT_FMT] ;
      int signaled = WIFSIGNALED(wstat) ;
      mtd_ip_port_fmt(peer, &ip, port) ;
      pidfmt[pid_fmt(pidfmt, pid)] = 0 ;
      code[uint_fmt(code, signaled ? WTERMSIG(wstat) : WEXITSTATUS(wstat))] = 0 ;
      log_count("end ", peer, " pid ", pidfmt, signaled ? " signal " : " exit ", code, mtd_timelimit_end(&limit)) ;
    }
  }
}

static void terminate_all (void) { conntable_signal_all(SIGTERM) ; }

static mtd_signals signals =
{
  .flush_links = 1,
  .leaving = "exiting on signal, leaving connections running",
  .terminating = "exiting on SIGQUIT, terminating connections",
  .reap = &reap,
  .terminate_all = &terminate_all,
} ;

/* Room for one more: under -c unless -r answers past it, counting the
   headers still pending (each may become a connection), and a pending
   slot free for whatever the next accept brings. */
static int has_room (void)
{
  if (opt->proxy && !proxy_pending_room()) return 0 ;
  return opt->refuse_at_cap || conntable_count() + proxy_pending_count() < opt->maxconn ;
}

/* The iopause table: the selfpipe and the listener, and with -H the
   pending headers, allocated once; static, so that it stays reachable
   (and without -H no heap is touched at all: an idle process stays small). */
static iopause_fd x_fixed[2] ;
static iopause_fd *x_table ;

void loop_run (tcp_options const *o, int listener, int sigfd)
{
  iopause_fd *x = x_fixed ;
  opt = o ;
  exec_file = mtd_linklimit_program(o->common.argv[0]) ;
  use_clone = spawn_clone_available() && strchr(exec_file, '/') && !mtd_links_child_blocks() ;
  if (use_clone && !spawn_init())
  {
    strerr_warnwusys("map a stack for clone, forking instead") ;
    use_clone = 0 ;
  }
  maxfmt[uint_fmt(maxfmt, o->maxconn)] = 0 ;
  signals.verbose = o->common.verbose ;
  signals.close_fd = listener ;
  proxy_init(o) ;
  /* the selfpipe, the listener, the pending headers */
  if (o->proxy)
  {
    x_table = alloc((2 + o->proxy_pending) * sizeof *x_table) ;
    if (!x_table) strerr_diefusys(111, "allocate the iopause table") ;
    x = x_table ;
  }
  for (;;)
  {
    int paused_by_backoff = mtd_pause_active(&backoff) ;
    int accepting = !paused_by_backoff && has_room() ;
    tain const *deadline = &tain_infinite ;
    unsigned int npending ;
    int r ;
    x[0].fd = sigfd ; x[0].events = IOPAUSE_READ ;
    /* poll skips a negative fd: the listener left out, the rest in place */
    x[1].fd = accepting ? listener : -1 ; x[1].events = IOPAUSE_READ ; x[1].revents = 0 ;
    npending = proxy_pending_fill(x + 2) ;
    if (paused_by_backoff) deadline = &backoff.until ;
    if (flush_pending && tain_less(&flush_at, deadline)) deadline = &flush_at ;
    if (tain_less(conntable_deadline(), deadline)) deadline = conntable_deadline() ;
    if (tain_less(proxy_deadline(), deadline)) deadline = proxy_deadline() ;
    r = iopause_g(x, 2 + npending, deadline) ;
    if (r < 0) strerr_diefusys(111, "iopause") ;
    for (unsigned int i = npending ; i-- ;)
    {
      proxy_conn pc ;
      int fd = proxy_pending_ready(i, x + 2, &pc) ;
      if (fd >= 0) proxy_admit(fd, &pc) ;
    }
    proxy_expire() ;
    if (!tain_less(&STAMP, conntable_deadline())) conntable_expire() ;
    if (flush_pending && !tain_less(&STAMP, &flush_at))
    {
      flush_pending = 0 ;
      mtd_links_flush() ;
    }
    if (x[0].revents & IOPAUSE_READ) mtd_signals_handle(&signals) ;
    if (accepting && x[1].revents & IOPAUSE_READ)
      for (int i = 0 ; i < ACCEPT_BATCH && accept_one(listener) ; i++)
        if (!has_room()) break ;
  }
}
