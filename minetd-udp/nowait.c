/* Nowait mode: a process per peer (address and port), as udpsvd, but
   the program gets every datagram of its peer, not only the first: its
   fds 0 and 1 are an AF_UNIX SOCK_SEQPACKET relay, one message per
   datagram each way, and minetd-udp sends its replies from the address
   the peer wrote to. The table of peers is sized by -c once. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <skalibs/alloc.h>
#include <skalibs/djbunix.h>
#include <skalibs/iopause.h>
#include <skalibs/strerr.h>
#include <skalibs/tai.h>
#include <skalibs/types.h>
#include "mtd_addr.h"
#include "mtd_links.h"
#include "mtd_signals.h"
#include "mtd_timelimit.h"
#include "mtd_ucspi.h"
#include "minetd-udp.h"

#define RECV_BATCH 64
#define RELAY_BATCH 16
#define REFUSE_LOG_MAX 10     /* lines a second, the rest summed up */

typedef struct peer_s peer_t ;
struct peer_s
{
  pid_t pid ;
  int relay ;            /* our end; -1 once closed (idle, or by the program) */
  udp_dgram d ;          /* the peer, and our address it wrote to */
  ip46 source ;          /* masked to the grouping prefix, for -C */
  tain idle_at ;
  unsigned int dropped ; /* datagrams to a full relay */
  mtd_timelimit limit ;  /* of a fused minetd-limit -T */
} ;

static udp_options const *opt ;
static int sock ;
static peer_t *peers ;
static unsigned int npeers ;
static iopause_fd *x ;
static unsigned int *xpeer ;   /* x[i] is the relay of peers[xpeer[i]] */
static char buf[65536] ;
static char maxfmt[UINT_FMT] ;
static tain idle ;
static uint64_t refuse_second ;
static unsigned int refuse_lines, refuse_unlogged ;

static void source_key (ip46 *key, ip46 const *ip)
{
  mtd_ip_mask(key, ip, ip->is6 ? opt->v6bits : opt->v4bits) ;
}

static int same_peer (udp_dgram const *a, udp_dgram const *b)
{
  return a->remoteport == b->remoteport && a->remote.is6 == b->remote.is6 && !memcmp(a->remote.ip, b->remote.ip, 16) ;
}

static peer_t *peer_find (udp_dgram const *d)
{
  for (unsigned int i = 0 ; i < npeers ; i++)
    if (peers[i].relay >= 0 && same_peer(&peers[i].d, d)) return peers + i ;
  return 0 ;
}

static unsigned int count_source (ip46 const *ip)
{
  ip46 key ;
  unsigned int n = 0 ;
  source_key(&key, ip) ;
  for (unsigned int i = 0 ; i < npeers ; i++)
    if (peers[i].source.is6 == key.is6 && !memcmp(peers[i].source.ip, key.ip, 16)) n++ ;
  return n ;
}

static void log_peer (char const *what, peer_t const *p, char const *extra1, char const *extra2, char const *extra3, char const *extra4)
{
  char peer[MTD_IP_FMT + 10] ;
  char pidfmt[PID_FMT] ;
  char count[UINT_FMT] ;
  mtd_ip_port_fmt(peer, &p->d.remote, p->d.remoteport) ;
  pidfmt[pid_fmt(pidfmt, p->pid)] = 0 ;
  count[uint_fmt(count, npeers)] = 0 ;
  strerr_warni(what, peer, " pid ", pidfmt, extra1, extra2, extra3, extra4, " count ", count, "/", maxfmt) ;
}

/* A flood of new peers past a cap must not flood the log. */
static void refuse_summary (void)
{
  uint64_t second = tai_sec(tain_secp(&STAMP)) ;
  if (second == refuse_second) return ;
  if (refuse_unlogged)
  {
    char n[UINT_FMT] ;
    n[uint_fmt(n, refuse_unlogged)] = 0 ;
    strerr_warni(n, " more refusals not logged (at most 10 lines a second)") ;
  }
  refuse_second = second ;
  refuse_lines = refuse_unlogged = 0 ;
}

static void refuse (udp_dgram const *d, char const *reason)
{
  char peer[MTD_IP_FMT + 10] ;
  char count[UINT_FMT] ;
  if (!opt->common.verbose) return ;
  refuse_summary() ;
  if (refuse_lines >= REFUSE_LOG_MAX) { refuse_unlogged++ ; flush_schedule() ; return ; }
  refuse_lines++ ;
  mtd_ip_port_fmt(peer, &d->remote, d->remoteport) ;
  count[uint_fmt(count, npeers)] = 0 ;
  strerr_warni("refuse ", peer, " reason ", reason, " count ", count, "/", maxfmt) ;
}

static void relay_close (peer_t *p, char const *why)
{
  if (p->relay < 0) return ;
  fd_close(p->relay) ;
  p->relay = -1 ;
  if (opt->common.verbose) log_peer("close ", p, " relay: ", why, "", "") ;
}

static void idle_renew (peer_t *p)
{
  tain_add_g(&p->idle_at, &idle) ;
}

/* A datagram from a peer not seen (or whose relay is closed): judged,
   and if admitted, a process and a relay for it. Returns 0 when reading
   must pause. */
static int peer_new (udp_dgram const *d, size_t len)
{
  static mtd_envmod env ;
  char const *failed = 0 ;
  unsigned int persource ;
  mtd_conn c ;
  peer_t *p ;
  pid_t pid ;
  int sv[2] ;
  int r ;
  if (npeers >= opt->maxprocs) { refuse(d, "maxprocs") ; return 1 ; }
  persource = count_source(&d->remote) ;
  if (opt->persource && persource >= opt->persource) { refuse(d, "persource") ; return 1 ; }
  mtd_envmod_init(&env) ;
  memset(&c, 0, sizeof c) ;
  c.fd = -1 ;
  c.proto = MTD_PROTO_UDP ;
  c.remote = d->remote ; c.remoteport = d->remoteport ;
  c.local = d->local ; c.localport = d->localport ; c.have_local = 1 ;
  c.env = &env ;
  r = mtd_links_admit(&c, &failed) ;
  if (r < 0)
  {
    char peer[MTD_IP_FMT + 10] ;
    mtd_ip_port_fmt(peer, &d->remote, d->remoteport) ;
    pause_start("admit ", peer, failed) ;
    return 0 ;
  }
  if (!r) { flush_schedule() ; return 1 ; }
  if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
  {
    mtd_links_not_started() ;
    pause_start("create a relay", "", 0) ;
    return 0 ;
  }
  pid = spawn_program(sv[1], &c, persource + 1) ;
  fd_close(sv[1]) ;
  if (pid < 0)
  {
    fd_close(sv[0]) ;
    mtd_links_not_started() ;
    pause_start("fork", "", 0) ;
    return 0 ;
  }
  mtd_links_started() ;
  pause_end() ;
  if (ndelay_on(sv[0]) < 0) strerr_diefusys(111, "make a relay nonblocking") ;
  p = peers + npeers++ ;
  p->pid = pid ;
  p->relay = sv[0] ;
  p->d = *d ;
  source_key(&p->source, &d->remote) ;
  p->dropped = 0 ;
  mtd_timelimit_arm(&p->limit) ;
  idle_renew(p) ;
  if (opt->common.verbose) log_peer("start ", p, "", "", "", "") ;
  /* the relay is new and empty: the first datagram fits */
  if (send(p->relay, buf, len, MSG_DONTWAIT | MSG_NOSIGNAL) < 0) p->dropped++ ;
  return 1 ;
}

static void socket_read (void)
{
  for (unsigned int i = 0 ; i < RECV_BATCH ; i++)
  {
    udp_dgram d ;
    peer_t *p ;
    ssize_t r = udpsock_recv(sock, buf, sizeof buf, 0, &d) ;
    if (r < 0)
    {
      if (errno == EAGAIN || errno == EWOULDBLOCK) return ;
      if (errno == EAFNOSUPPORT) continue ;
      pause_start("read the socket", "", 0) ;
      return ;
    }
    p = peer_find(&d) ;
    if (!p) { if (!peer_new(&d, r)) return ; continue ; }
    /* a program that does not keep up loses datagrams, as a socket
       whose buffer is full would: counted, never blocking the others */
    if (send(p->relay, buf, r, MSG_DONTWAIT | MSG_NOSIGNAL) < 0) p->dropped++ ;
    else idle_renew(p) ;
  }
}

/* On SOCK_SEQPACKET an empty message reads as end of file does: the
   peer's hangup tells them apart. */
static int relay_hung_up (int fd)
{
  struct pollfd pfd = { .fd = fd, .events = POLLRDHUP } ;
  return poll(&pfd, 1, 0) > 0 && pfd.revents & (POLLHUP | POLLRDHUP | POLLERR) ;
}

static void relay_read (peer_t *p)
{
  for (unsigned int i = 0 ; i < RELAY_BATCH && p->relay >= 0 ; i++)
  {
    ssize_t r = recv(p->relay, buf, sizeof buf, MSG_DONTWAIT) ;
    if (r < 0)
    {
      if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return ;
      relay_close(p, "read error") ;
      return ;
    }
    if (!r && relay_hung_up(p->relay)) { relay_close(p, "closed by the program") ; return ; }
    /* a full send buffer drops the reply, as a datagram is dropped */
    udpsock_reply(sock, buf, r, &p->d) ;
    idle_renew(p) ;
  }
}

static void reap (void)
{
  for (;;)
  {
    int wstat ;
    pid_t pid = waitpid(-1, &wstat, WNOHANG) ;
    unsigned int i ;
    if (pid <= 0) break ;
    for (i = 0 ; i < npeers ; i++) if (peers[i].pid == pid) break ;
    if (i == npeers) continue ;
    /* what it wrote before it exited is still in the relay, unread if
       this round woke for something else: sent before the relay goes */
    if (peers[i].relay >= 0) relay_read(peers + i) ;
    if (peers[i].relay >= 0) { fd_close(peers[i].relay) ; peers[i].relay = -1 ; }
    npeers-- ;
    mtd_timelimit_reaped(&peers[i].limit, pid) ;
    if (opt->common.verbose)
    {
      char code[UINT_FMT] ;
      char dropped[10 + UINT_FMT] = " dropped " ;
      int signaled = WIFSIGNALED(wstat) ;
      code[uint_fmt(code, signaled ? WTERMSIG(wstat) : WEXITSTATUS(wstat))] = 0 ;
      dropped[9 + uint_fmt(dropped + 9, peers[i].dropped)] = 0 ;
      log_peer("end ", peers + i, signaled ? " signal " : " exit ", code, peers[i].dropped ? dropped : "", mtd_timelimit_end(&peers[i].limit)) ;
    }
    peers[i] = peers[npeers] ;
  }
}

static void terminate_all (void)
{
  for (unsigned int i = 0 ; i < npeers ; i++)
  {
    kill(peers[i].pid, SIGTERM) ;
    kill(peers[i].pid, SIGCONT) ;
  }
}

/* SIGTERM (a reload handing the socket to a new chain, say): the socket
   is no longer read, so new datagrams go to whoever reads it now, but the
   peers being served keep their relays until their programs close them or
   they idle out, so no reply of theirs is lost; then the loop exits. */
static int draining ;
static void drain (void) { draining = 1 ; }

static mtd_signals signals =
{
  .close_fd = -1,
  .flush_links = 1,
  .drain = &drain,
  .leaving = "leaving on signal: relaying for the programs running until they are done",
  .terminating = "exiting on SIGQUIT, terminating the programs",
  .reap = &reap,
  .terminate_all = &terminate_all,
} ;

void nowait_run (udp_options const *o, int fd, int sigfd)
{
  opt = o ;
  sock = fd ;
  signals.verbose = o->common.verbose ;
  peers = alloc(o->maxprocs * sizeof *peers) ;
  x = alloc((o->maxprocs + 2) * sizeof *x) ;
  xpeer = alloc((o->maxprocs + 2) * sizeof *xpeer) ;
  if (!peers || !x || !xpeer) strerr_diefusys(111, "allocate the table of peers") ;
  maxfmt[uint_fmt(maxfmt, o->maxprocs)] = 0 ;
  tain_from_millisecs(&idle, o->idle * 1000) ;
  for (;;)
  {
    unsigned int n = 2 ;
    int paused = pause_active() ;
    tain const *deadline = &tain_infinite ;
    int r ;
    x[0].fd = sigfd ; x[0].events = IOPAUSE_READ ;
    x[1].fd = sock ; x[1].events = paused || draining ? 0 : IOPAUSE_READ ;
    if (paused) deadline = pause_until() ;
    for (unsigned int i = 0 ; i < npeers ; i++)
    {
      /* a process whose relay is closed still has its time limit */
      if (tain_less(&peers[i].limit.at, deadline)) deadline = &peers[i].limit.at ;
      if (peers[i].relay < 0) continue ;
      x[n].fd = peers[i].relay ; x[n].events = IOPAUSE_READ ;
      xpeer[n++] = i ;
      if (tain_less(&peers[i].idle_at, deadline)) deadline = &peers[i].idle_at ;
    }
    if (draining && n == 2)
    {
      if (opt->common.verbose) strerr_warni("exiting: no relay left") ;
      _exit(0) ;
    }
    flush_deadline(&deadline) ;
    r = iopause_g(x, n, deadline) ;
    if (r < 0) strerr_diefusys(111, "iopause") ;
    flush_if_due() ;
    refuse_summary() ;
    /* relays first: the table may change below */
    for (unsigned int i = 2 ; i < n ; i++)
      if (x[i].revents & (IOPAUSE_READ | IOPAUSE_EXCEPT)) relay_read(peers + xpeer[i]) ;
    for (unsigned int i = 0 ; i < npeers ; i++)
    {
      if (peers[i].relay >= 0 && !tain_less(&STAMP, &peers[i].idle_at)) relay_close(peers + i, "idle") ;
      if (mtd_timelimit_due(&peers[i].limit)) mtd_timelimit_fire(&peers[i].limit, peers[i].pid, &peers[i].d.remote, peers[i].d.remoteport) ;
    }
    if (x[0].revents & IOPAUSE_READ) mtd_signals_handle(&signals) ;
    if (!paused && !draining && x[1].revents & IOPAUSE_READ) socket_read() ;
  }
}
