/* The minetd-rate link: options, start-up, admission, refusal logging.
   Unlike inetd and xinetd, going over a limit never disables the service:
   only the excess connection is refused, and the next one is judged anew. */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <skalibs/types.h>
#include <skalibs/sgetopt.h>
#include <skalibs/strerr.h>
#include <skalibs/allreadwrite.h>
#include "mtd_addr.h"
#include "mtd_escape.h"
#include "mtd_ratelink.h"
#include "mtd_usage.h"

#define USAGE "minetd-rate [-v] [-n N] [-w SECONDS] [-s N] [-p V4BITS] [-P V6BITS] [-f STATEFILE] [-m MESSAGE] PROG..."
#define OPTIONS "vn:w:s:p:P:f:m:"
#define LIMIT_MAX 1000000000U
#define WINDOW_MAX 31536000U   /* a year */

/* Bad usage is fatal (exit 100), and says so, as in minetd-env. */
static void usage (char const *why, char const *what)
{
  strerr_warn(PROG, ": fatal: ", why, what) ;
  strerr_dieusage(100, USAGE) ;
}

int mtd_rate_parse (int argc, char const *const *argv, mtd_rate_config *cfg)
{
  subgetopt l = SUBGETOPT_ZERO ;
  mtd_usage_help(argc, argv, USAGE) ;
  l.err = 0 ;
  memset(cfg, 0, sizeof *cfg) ;
  cfg->window_s = 60 ;
  cfg->lim.v4bits = 32 ;
  cfg->lim.v6bits = 64 ;
  for (;;)
  {
    int opt = subgetopt_r(argc, argv, OPTIONS, &l) ;
    if (opt == -1) break ;
    switch (opt)
    {
      case 'v' : cfg->verbose++ ; break ;
      case 'n' : cfg->lim.n = mtd_uint_option(l.arg, 0, LIMIT_MAX, "-n value") ; break ;
      case 's' : cfg->lim.s = mtd_uint_option(l.arg, 0, LIMIT_MAX, "-s value") ; break ;
      case 'w' : cfg->window_s = mtd_uint_option(l.arg, 1, WINDOW_MAX, "-w value") ; break ;
      case 'p' : cfg->lim.v4bits = mtd_uint_option(l.arg, 0, 32, "-p value") ; break ;
      case 'P' : cfg->lim.v6bits = mtd_uint_option(l.arg, 0, 128, "-P value") ; break ;
      case 'f' :
        if (!*l.arg) strerr_dief(100, "invalid -f value: empty path") ;
        cfg->statefile = l.arg ;
        break ;
      case 'm' :
        if (strlen(l.arg) >= MTD_RATE_MSG_MAX) strerr_dief(100, "invalid -m value: message too long") ;
        if (!mtd_unescape(cfg->msg, l.arg, &cfg->msglen))
          strerr_dief(100, "invalid -m value \"", l.arg, "\": unknown escape (known: \\r \\n \\t \\\\)") ;
        break ;
      default :
      {
        mtd_usage_bad_option(l.problem, OPTIONS, USAGE) ;
      }
    }
  }
  if (l.ind >= argc)
    usage("missing program to run", "") ;
  /* separate processes can only share a window through a file: a limit
     without one would silently not limit anything in standalone use */
  if ((cfg->lim.n || cfg->lim.s) && !cfg->statefile)
    strerr_dief(100, "-n and -s need a state file (-f)") ;
  cfg->lim.window = (uint64_t)cfg->window_s * MTD_RATE_SECOND ;
  return l.ind ;
}

void mtd_rate_start (mtd_rate_config *cfg)
{
  uint64_t now ;
  if (!cfg->lim.n && !cfg->lim.s) return ;
  if (!mtd_rate_file_open(&cfg->file, cfg->statefile)) mtd_rate_file_report(&cfg->file, 1) ;
  /* a file that is not sound is found now, not at the first connection;
     if another process keeps it locked, the first admission checks it */
  switch (mtd_rate_file_lock(&cfg->file, &now))
  {
    case -1 : mtd_rate_file_report(&cfg->file, 1) ; break ;
    case 1 : mtd_rate_file_unlock(&cfg->file) ; break ;
  }
  cfg->started = 1 ;
}

static void log_line (char const *s, size_t len)
{
  /* one write per line, so lines from concurrent processes do not mix */
  char buf[MTD_RATE_LOG_BUF + 256] ;
  size_t plen = strlen(PROG) ;
  size_t n = 0 ;
  if (plen > 128) plen = 128 ;
  if (len > sizeof buf - plen - 10) len = sizeof buf - plen - 10 ;
  memcpy(buf, PROG, plen) ; n = plen ;
  memcpy(buf + n, ": info: ", 8) ; n += 8 ;
  memcpy(buf + n, s, len) ; n += len ;
  buf[n++] = '\n' ;
  allwrite(2, buf, n) ;
}


/* "IP port PORT" */
static size_t put_peer (char *buf, size_t len, mtd_conn const *c)
{
  len += mtd_ip_fmt(buf + len, &c->remote) ;
  len = mtd_rate_put(buf, len, " port ") ;
  return mtd_rate_put_u64(buf, len, c->remoteport) ;
}

static void log_refusal (mtd_rate_config const *cfg, mtd_conn const *c, mtd_rate_verdict const *v)
{
  char buf[512] ;
  size_t len = mtd_rate_put(buf, 0, "refuse ") ;
  len = put_peer(buf, len, c) ;
  if (v->what == MTD_RATE_REFUSE_SERVICE)
  {
    len = mtd_rate_put(buf, len, ": service limit ") ;
    len = mtd_rate_put_u64(buf, len, cfg->lim.n) ;
  }
  else
  {
    len = mtd_rate_put(buf, len, ": source limit ") ;
    len = mtd_rate_put_u64(buf, len, cfg->lim.s) ;
  }
  len = mtd_rate_put(buf, len, " per ") ;
  len = mtd_rate_put_u64(buf, len, cfg->window_s) ;
  len = mtd_rate_put(buf, len, "s for ") ;
  len += mtd_rate_key_fmt(buf + len, &v->key) ;
  log_line(buf, len) ;
}

static void log_admission (mtd_rate_config const *cfg, mtd_conn const *c, mtd_rate_verdict const *v)
{
  char buf[512] ;
  size_t len = mtd_rate_put(buf, 0, "admit ") ;
  len = put_peer(buf, len, c) ;
  if (!cfg->lim.n && !cfg->lim.s) len = mtd_rate_put(buf, len, ": no limit") ;
  if (cfg->lim.n)
  {
    len = mtd_rate_put(buf, len, ": service ") ;
    len = mtd_rate_put_u64(buf, len, v->svc) ;
    len = mtd_rate_put(buf, len, "/") ;
    len = mtd_rate_put_u64(buf, len, cfg->lim.n) ;
  }
  if (cfg->lim.s)
  {
    len = mtd_rate_put(buf, len, cfg->lim.n ? ", source " : ": source ") ;
    len += mtd_rate_key_fmt(buf + len, &v->key) ;
    len = mtd_rate_put(buf, len, " ") ;
    len = mtd_rate_put_u64(buf, len, v->src) ;
    len = mtd_rate_put(buf, len, "/") ;
    len = mtd_rate_put_u64(buf, len, cfg->lim.s) ;
  }
  if (cfg->lim.n || cfg->lim.s)
  {
    len = mtd_rate_put(buf, len, " in ") ;
    len = mtd_rate_put_u64(buf, len, cfg->window_s) ;
    len = mtd_rate_put(buf, len, "s") ;
  }
  log_line(buf, len) ;
}

/* A refusal because another process keeps the state file locked cannot
   be counted in the file: this process bounds its own lines, one a second
   and a count of the rest. */
static void busy_summary (mtd_rate_config *cfg, uint64_t now)
{
  char n[UINT_FMT], ms[UINT64_FMT] ;
  if (!cfg->busy_dropped) return ;
  n[uint_fmt(n, cfg->busy_dropped)] = 0 ;
  ms[uint64_fmt(ms, (now - cfg->busy_last) / 1000000)] = 0 ;
  strerr_warnw("refused ", n, " more in the last ", ms, "ms: state file ", cfg->statefile, " locked by another process") ;
  cfg->busy_dropped = 0 ;
  cfg->busy_last = now ;
}

static void log_busy (mtd_rate_config *cfg, mtd_conn const *c)
{
  char ip[MTD_IP_FMT + 1], port[UINT16_FMT], ms[UINT_FMT] ;
  uint64_t now = mtd_rate_now() ;
  if (cfg->busy_last && now - cfg->busy_last < MTD_RATE_SECOND) { cfg->busy_dropped++ ; return ; }
  busy_summary(cfg, now) ;
  ip[mtd_ip_fmt(ip, &c->remote)] = 0 ;
  port[uint16_fmt(port, c->remoteport)] = 0 ;
  ms[uint_fmt(ms, MTD_RATE_LOCK_WAIT_MS)] = 0 ;
  strerr_warnw("refuse ", ip, " port ", port, ": state file ", cfg->statefile, " locked by another process for over ", ms, " ms") ;
  cfg->busy_last = now ;
}

static void send_message (mtd_rate_config const *cfg, int fd)
{
  /* never block the accept loop, never die of SIGPIPE: best effort */
  if (!cfg->msglen || fd < 0) return ;
  if (send(fd, cfg->msg, cfg->msglen, MSG_DONTWAIT | MSG_NOSIGNAL) < 0 && errno == ENOTSOCK)
    allwrite(fd, cfg->msg, cfg->msglen) ;
}

int mtd_rate_admit (mtd_rate_config *cfg, mtd_conn *c)
{
  mtd_rate_verdict v ;
  char summary[MTD_RATE_LOG_BUF] ;
  size_t slen ;
  int alone = 0 ;
  uint64_t now ;
  int r ;
  cfg->pending = 0 ;
  if (!cfg->lim.n && !cfg->lim.s)
  {
    if (cfg->verbose)
    {
      memset(&v, 0, sizeof v) ;
      log_admission(cfg, c, &v) ;
    }
    return 1 ;
  }
  r = mtd_rate_file_lock(&cfg->file, &now) ;
  if (r < 0) return -1 ;
  if (!r)
  {
    log_busy(cfg, c) ;
    send_message(cfg, c->fd) ;
    return 0 ;
  }
  mtd_rate_file_dirty(&cfg->file) ;
  r = mtd_rate_decide(cfg->file.st, &cfg->lim, &c->remote, now, &v) ;
  if (r < 0)
  {
    if (!mtd_rate_file_rebuild(&cfg->file, "inconsistent data"))
    {
      int e = errno ;
      mtd_rate_file_unlock(&cfg->file) ;
      errno = e ;
      return -1 ;
    }
    mtd_rate_file_dirty(&cfg->file) ;
    r = mtd_rate_decide(cfg->file.st, &cfg->lim, &c->remote, now, &v) ;
  }
  if (r != MTD_RATE_ADMIT) alone = mtd_rate_log_note(cfg->file.st, &v.key, r, now) ;
  slen = mtd_rate_log_flush(cfg->file.st, now, summary) ;
  mtd_rate_file_unlock(&cfg->file) ;
  /* write only after unlocking: a slow log must not stall other processes */
  if (slen) log_line(summary, slen) ;
  if (r == MTD_RATE_ADMIT)
  {
    cfg->pending = 1 ;
    cfg->pending_time = now ;
    cfg->pending_key = v.key ;
    cfg->pending_dev = cfg->file.dev ;
    cfg->pending_ino = cfg->file.ino ;
    if (cfg->verbose) log_admission(cfg, c, &v) ;
    return 1 ;
  }
  if (alone) log_refusal(cfg, c, &v) ;
  send_message(cfg, c->fd) ;
  return 0 ;
}

void mtd_rate_commit (mtd_rate_config *cfg)
{
  cfg->pending = 0 ;
}

int mtd_rate_release (mtd_rate_config *cfg)
{
  uint64_t now ;
  int r ;
  if (!cfg->pending) return 1 ;
  cfg->pending = 0 ;
  r = mtd_rate_file_lock(&cfg->file, &now) ;
  if (r <= 0) return r ;
  /* a file replaced since does not hold it */
  if (cfg->file.dev == cfg->pending_dev && cfg->file.ino == cfg->pending_ino)
  {
    mtd_rate_file_dirty(&cfg->file) ;
    if (mtd_rate_undo(cfg->file.st, &cfg->lim, &cfg->pending_key, cfg->pending_time) < 0
     && !mtd_rate_file_rebuild(&cfg->file, "inconsistent data"))
    {
      int e = errno ;
      mtd_rate_file_unlock(&cfg->file) ;
      errno = e ;
      return -1 ;
    }
  }
  mtd_rate_file_unlock(&cfg->file) ;
  return 1 ;
}

void mtd_rate_reload (mtd_rate_config *cfg)
{
  if (cfg->started && (cfg->lim.n || cfg->lim.s) && !mtd_rate_file_follow(&cfg->file))
    mtd_rate_file_report(&cfg->file, 0) ;
}

void mtd_rate_flush (mtd_rate_config *cfg)
{
  char summary[MTD_RATE_LOG_BUF] ;
  size_t slen ;
  uint64_t now ;
  if (!cfg->started) return ;
  now = mtd_rate_now() ;
  if (now - cfg->busy_last >= MTD_RATE_SECOND) busy_summary(cfg, now) ;
  /* a failure is not ours to report here: the next admission does */
  if (mtd_rate_file_lock(&cfg->file, &now) <= 0) return ;
  slen = mtd_rate_log_flush(cfg->file.st, now, summary) ;
  mtd_rate_file_unlock(&cfg->file) ;
  if (slen) log_line(summary, slen) ;
}
