/* Connections from a trusted balancer, held until their PROXY header is
   read (-H -F): a table of -Q slots allocated once, each with a deadline
   (-W) and a buffer the size of the largest header we take; the accept
   loop waits on them with the listener and never blocks on one. */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <skalibs/alloc.h>
#include <skalibs/djbunix.h>
#include <skalibs/strerr.h>
#include <skalibs/tai.h>
#include <skalibs/types.h>
#include "mtd_addr.h"
#include "mtd_proxy.h"
#include "minetd-tcp.h"

typedef struct pending_s pending ;
struct pending_s
{
  int fd ;
  ip46 peer ;
  uint16_t port ;
  tain deadline ;
  size_t len ;                  /* header bytes consumed so far */
  char buf[MTD_PROXY_MAX] ;
} ;

/* the closing reasons the summary counts */
enum { CLOSE_TIMEOUT, CLOSE_INVALID, CLOSE_TOOLONG, CLOSE_EOF, CLOSE_UNTRUSTED, CLOSE_N } ;
static char const *const close_name[CLOSE_N] = { "timeout", "invalid", "too long", "closed by peer", "untrusted refused" } ;

static tcp_options const *opt ;
static pending *slots ;
static unsigned int nslots, nlive ;
static tain next ;                 /* the earliest deadline, if !next_stale */
static int next_stale ;
static unsigned int counts[CLOSE_N] ;
static int summary_due ;
static tain summary_at ;           /* when the next summary line may be written */

void proxy_init (tcp_options const *o)
{
  opt = o ;
  /* no pending header, no deadline: without -H too, or the loop spins */
  next = tain_infinite ;
  nslots = o->proxy ? o->proxy_pending : 0 ;
  if (!nslots) return ;
  slots = alloc(nslots * sizeof(pending)) ;
  if (!slots) strerr_diefusys(111, "allocate the table of pending PROXY headers") ;
  summary_at = tain_zero ;
}

int proxy_trusted (ip46 const *ip)
{
  for (unsigned int i = 0 ; i < opt->nproxy_from ; i++)
    if (mtd_prefix_match(ip, &opt->proxy_from[i].net, opt->proxy_from[i].bits)) return 1 ;
  return 0 ;
}

unsigned int proxy_pending_count (void) { return nlive ; }

int proxy_pending_room (void) { return nlive < nslots ; }

void proxy_pending_add (int fd, ip46 const *ip, uint16_t port)
{
  pending *p = slots + nlive++ ;
  p->fd = fd ;
  p->peer = *ip ;
  p->port = port ;
  p->len = 0 ;
  tain_addsec_g(&p->deadline, opt->proxy_timeout) ;
  if (!next_stale && tain_less(&p->deadline, &next)) next = p->deadline ;
}

/* Bounded: at most a line a second, of what was closed since the last
   one, as minetd-rate writes its refusals. */
static void summary_write (void)
{
  char fmt[CLOSE_N][UINT_FMT] ;
  for (unsigned int i = 0 ; i < CLOSE_N ; i++) { fmt[i][uint_fmt(fmt[i], counts[i])] = 0 ; counts[i] = 0 ; }
  strerr_warnw("PROXY headers: closed ", fmt[CLOSE_TIMEOUT], " timeout, ", fmt[CLOSE_INVALID], " invalid, ",
    fmt[CLOSE_TOOLONG], " too long, ", fmt[CLOSE_EOF], " closed by peer, ", fmt[CLOSE_UNTRUSTED], " untrusted refused") ;
  summary_due = 0 ;
  tain_addsec_g(&summary_at, 1) ;
}

static void count (unsigned int reason, ip46 const *ip, uint16_t port, char const *why)
{
  counts[reason]++ ;
  summary_due = 1 ;
  if (opt->common.verbose)
  {
    char peer[MTD_IP_FMT + 10] ;
    mtd_ip_port_fmt(peer, ip, port) ;
    strerr_warni("proxy-close ", peer, " reason ", close_name[reason], why ? ": " : "", why ? why : "") ;
  }
}

void proxy_refused_untrusted (ip46 const *ip, uint16_t port)
{
  count(CLOSE_UNTRUSTED, ip, port, 0) ;
}

static void slot_drop (unsigned int i)
{
  if (!tain_less(&next, &slots[i].deadline)) next_stale = 1 ;
  slots[i] = slots[--nlive] ;
}

static void slot_close (unsigned int i, unsigned int reason, char const *why)
{
  fd_close(slots[i].fd) ;
  count(reason, &slots[i].peer, slots[i].port, why) ;
  slot_drop(i) ;
}

unsigned int proxy_pending_fill (iopause_fd *x)
{
  for (unsigned int i = 0 ; i < nlive ; i++)
  {
    x[i].fd = slots[i].fd ;
    x[i].events = IOPAUSE_READ ;
  }
  return nlive ;
}

/* What has come is looked at in place (MSG_PEEK), and only the bytes the
   parser says are the header's are then read, exactly: the client's
   bytes after it stay in the socket for the program. Bytes of a header
   still incomplete are read too, so the socket is readable again only
   when more come: a slow header never makes the loop spin. */
int proxy_pending_ready (unsigned int i, iopause_fd const *x, proxy_conn *pc)
{
  pending *p = slots + i ;
  mtd_proxy h ;
  char const *why = 0 ;
  ssize_t r ;
  size_t take ;
  int hlen ;
  if (!(x[i].revents & (IOPAUSE_READ | IOPAUSE_EXCEPT))) return -1 ;
  r = recv(p->fd, p->buf + p->len, sizeof p->buf - p->len, MSG_PEEK | MSG_DONTWAIT) ;
  if (r < 0)
  {
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return -1 ;
    slot_close(i, CLOSE_EOF, strerror(errno)) ;
    return -1 ;
  }
  if (!r) { slot_close(i, CLOSE_EOF, p->len ? "in the header" : "before the header") ; return -1 ; }
  hlen = mtd_proxy_parse(p->buf, p->len + (size_t)r, opt->proxy, &h, &why) ;
  if (hlen < 0) { slot_close(i, hlen == MTD_PROXY_TOOLONG ? CLOSE_TOOLONG : CLOSE_INVALID, why) ; return -1 ; }
  take = hlen ? (size_t)hlen - p->len : (size_t)r ;
  r = recv(p->fd, p->buf + p->len, take, MSG_DONTWAIT) ;
  if (r < 0 || (size_t)r != take)
  {
    /* what was there a moment ago is there still: only an error */
    slot_close(i, CLOSE_EOF, r < 0 ? strerror(errno) : "short read") ;
    return -1 ;
  }
  p->len += take ;
  if (!hlen) return -1 ;
  {
    int fd = p->fd ;
    pc->balancer = p->peer ;
    pc->balancerport = p->port ;
    pc->counted = !h.local ;
    pc->have_local = h.has_addresses ;
    if (h.has_addresses)
    {
      pc->remote = h.source ; pc->remoteport = h.sourceport ;
      pc->local = h.dest ; pc->localport = h.destport ;
    }
    else { pc->remote = p->peer ; pc->remoteport = p->port ; }
    slot_drop(i) ;
    return fd ;
  }
}

tain const *proxy_deadline (void)
{
  static tain d ;
  if (next_stale)
  {
    next = tain_infinite ;
    for (unsigned int i = 0 ; i < nlive ; i++)
      if (tain_less(&slots[i].deadline, &next)) next = slots[i].deadline ;
    next_stale = 0 ;
  }
  d = next ;
  if (summary_due && tain_less(&summary_at, &d)) d = summary_at ;
  return &d ;
}

void proxy_expire (void)
{
  for (unsigned int i = nlive ; i-- ;)
    if (!tain_less(&STAMP, &slots[i].deadline)) slot_close(i, CLOSE_TIMEOUT, slots[i].len ? "header incomplete" : "no header") ;
  if (summary_due && !tain_less(&STAMP, &summary_at)) summary_write() ;
}
