/* The minetd-env link: option parsing, rules, admission, child env.
   Shared by the minetd-env program and minetd-tcp's fused path. */
#include <errno.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <skalibs/sgetopt.h>
#include <skalibs/strerr.h>
#include <skalibs/types.h>
#include "mtd_addr.h"
#include "mtd_ucspi.h"
#include "mtd_lookup.h"
#include "mtd_envlink.h"
#include "mtd_usage.h"

#define USAGE "minetd-env [-v] [-c] [-r rulesfile] [-a | -d] [-h] [-p] [-l localname] [-t timeout_ms] prog..."

static void usage (char const *why, char const *what)
{
  strerr_warn(PROG, ": fatal: ", why, what) ;
  strerr_dieusage(100, USAGE) ;
}

int mtd_env_parse (int argc, char const *const *argv, mtd_env_config *cfg)
{
  subgetopt l = SUBGETOPT_ZERO ;
  mtd_usage_help(argc, argv, USAGE) ;
  int allow = -1 ;
  memset(cfg, 0, sizeof *cfg) ;
  cfg->timeout_ms = MTD_ENV_TIMEOUT_DEFAULT ;
  for (;;)
  {
    int opt = subgetopt_r(argc, argv, "vcr:adhpl:t:", &l) ;
    if (opt == -1) break ;
    switch (opt)
    {
      case 'v' : cfg->verbose = 1 ; break ;
      case 'c' : cfg->clean = 1 ; break ;
      case 'r' :
        if (!l.arg[0]) usage("empty rules file name", "") ;
        cfg->rulesfile = l.arg ; break ;
      case 'a' :
        if (allow == 0) usage("-a and -d cannot be used together", "") ;
        allow = 1 ; break ;
      case 'd' :
        if (allow == 1) usage("-a and -d cannot be used together", "") ;
        allow = 0 ; break ;
      case 'h' : cfg->lookup = 1 ; break ;
      case 'p' : cfg->paranoid = 1 ; cfg->lookup = 1 ; break ;
      case 'l' :
        if (!l.arg[0]) usage("empty local host name for -l", "") ;
        /* bounded like looked-up names: the environment has a fixed size */
        if (strlen(l.arg) > MTD_LOOKUP_NAME_MAX) usage("local host name for -l longer than 255 bytes", "") ;
        cfg->localname = l.arg ; break ;
      case 't' :
        if (!mtd_uint_scan(l.arg, MTD_ENV_TIMEOUT_MAX, &cfg->timeout_ms) || !cfg->timeout_ms)
          usage("invalid lookup timeout (1 to 600000 ms): ", l.arg) ;
        break ;
      default :
      {
        char o[2] = { (char)l.problem, 0 } ;
        (void)o ;
        mtd_usage_bad_option(l.problem, "vcr:adhpl:t:", USAGE) ;
      }
    }
  }
  if (l.ind >= argc) usage("missing program to run", "") ;
  /* A rules file is an allow-list unless it says otherwise: fail closed. */
  cfg->default_allow = allow >= 0 ? allow : !cfg->rulesfile ;
  return l.ind ;
}

int mtd_env_start (mtd_env_config *cfg)
{
  mtd_rules_error err ;
  if (!cfg->rulesfile) return 1 ;
  if (!mtd_rules_load(&cfg->rules, cfg->rulesfile, &err))
  {
    char fmt[UINT_FMT] ;
    if (err.sys) { errno = err.sys ; strerr_diefsys(111, cfg->rulesfile, ": ", err.why) ; }
    if (!err.line) strerr_dief(100, cfg->rulesfile, ": ", err.why) ;
    fmt[uint_fmt(fmt, err.line)] = 0 ;
    strerr_dief(100, cfg->rulesfile, ":", fmt, ": ", err.why) ;
  }
  return 1 ;
}

int mtd_env_reload (mtd_env_config *cfg)
{
  mtd_rules fresh = MTD_RULES_ZERO ;
  mtd_rules_error err ;
  if (!cfg->rulesfile) return 1 ;
  if (!mtd_rules_load(&fresh, cfg->rulesfile, &err))
  {
    char fmt[UINT_FMT] ;
    if (err.sys) { errno = err.sys ; strerr_warnwsys(cfg->rulesfile, ": ", err.why, " (keeping the previous rules)") ; return 0 ; }
    fmt[uint_fmt(fmt, err.line)] = 0 ;
    if (!err.line) strerr_warnw(cfg->rulesfile, ": ", err.why, " (keeping the previous rules)") ;
    else strerr_warnw(cfg->rulesfile, ":", fmt, ": ", err.why, " (keeping the previous rules)") ;
    return 0 ;
  }
  mtd_rules_free(&cfg->rules) ;
  cfg->rules = fresh ;
  if (cfg->verbose)
  {
    char fmt[UINT_FMT] ;
    fmt[uint_fmt(fmt, cfg->rules.n)] = 0 ;
    strerr_warni("reloaded ", cfg->rulesfile, ": ", fmt, " rules") ;
  }
  return 1 ;
}

/* "allow 127.0.0.1 port 5555 rule FILE:3" (or "rule default") */
static void log_decision (mtd_env_config const *cfg, mtd_conn const *c, char const *what, mtd_rule const *rule, char const *extra)
{
  char ip[MTD_IP_FMT + 1] ;
  char port[UINT16_FMT] ;
  char line[UINT_FMT] ;
  ip[mtd_ip_fmt(ip, &c->remote)] = 0 ;
  port[uint16_fmt(port, c->remoteport)] = 0 ;
  if (rule)
  {
    line[uint_fmt(line, rule->line)] = 0 ;
    strerr_warni(what, " ", ip, " port ", port, " rule ", cfg->rulesfile, ":", line, extra) ;
  }
  else strerr_warni(what, " ", ip, " port ", port, " rule default", extra) ;
}

static uint64_t monotonic_second (void)
{
  struct timespec ts ;
  clock_gettime(CLOCK_MONOTONIC, &ts) ;
  return (uint64_t)ts.tv_sec ;
}

void mtd_env_flush (mtd_env_config *cfg)
{
  uint64_t now = monotonic_second() ;
  if (now == cfg->log_second) return ;
  if (cfg->log_dropped)
  {
    char n[UINT_FMT] ;
    n[uint_fmt(n, cfg->log_dropped)] = 0 ;
    strerr_warni(n, " more denials not logged (at most 10 lines a second)") ;
  }
  cfg->log_second = now ;
  cfg->log_lines = cfg->log_dropped = 0 ;
}

/* A flood of denied clients must not flood the log: in a long-running
   process, lines past the budget are counted and summed up later. */
static int deny_log_allowed (mtd_env_config *cfg)
{
  mtd_env_flush(cfg) ;
  if (cfg->log_lines < MTD_ENV_DENY_LOG_MAX) { cfg->log_lines++ ; return 1 ; }
  cfg->log_dropped++ ;
  return 0 ;
}

int mtd_env_admit (mtd_env_config *cfg, mtd_conn *c)
{
  mtd_rule const *rule = cfg->rulesfile ? mtd_rules_match(&cfg->rules, &c->remote) : 0 ;
  int allow = rule ? rule->allow : cfg->default_allow ;
  if (allow)
  {
    /* -c starts the environment again here, as the exec chain's clean
       exec does: what links before this one set is dropped, but for PATH,
       which that exec would keep (TCPCONNNUM and TCPREMOTEINFO, kept too,
       are set before any link, and no rule may change them). */
    if (cfg->clean) mtd_envmod_keep_only(c->env, "PATH") ;
    if (rule && rule->envn)
    {
      mtd_envmod *m = c->env ;
      if (rule->envlen > MTD_ENVMOD_MAX - m->len)
      {
        /* Running without the rule's variables could grant or drop
           something the rule meant: refuse instead. */
        if (deny_log_allowed(cfg)) log_decision(cfg, c, "deny", rule, ": environment full, cannot set the rule's variables") ;
        return 0 ;
      }
      memcpy(m->s + m->len, cfg->rules.strings + rule->env, rule->envlen) ;
      m->len += rule->envlen ;
      m->n += rule->envn ;
    }
    if (cfg->verbose) log_decision(cfg, c, "allow", rule, "") ;
    return 1 ;
  }
  if (rule && rule->msglen && c->fd >= 0)
  {
    /* Never block the accept loop: a fresh socket's buffer takes it all. */
    while (send(c->fd, cfg->rules.strings + rule->msg, rule->msglen, MSG_DONTWAIT | MSG_NOSIGNAL) < 0 && errno == EINTR) ;
    shutdown(c->fd, SHUT_WR) ;
  }
  if (deny_log_allowed(cfg)) log_decision(cfg, c, "deny", rule, "") ;
  return 0 ;
}

void mtd_env_child (mtd_env_config *cfg, mtd_conn *c)
{
  ip46 local ;
  uint16_t localport ;
  char rname[MTD_LOOKUP_NAME_MAX + 1] = "" ;
  char lname[MTD_LOOKUP_NAME_MAX + 1] = "" ;
  if (c->have_local) { local = c->local ; localport = c->localport ; }
  else if (!mtd_socket_local(c->fd, &local, &localport))
    strerr_diefusys(111, "read the local address of the connection") ;
  if (cfg->lookup && !mtd_lookup_names(&c->remote, cfg->localname ? 0 : &local, cfg->paranoid, cfg->timeout_ms, rname, cfg->localname ? 0 : lname))
  {
    char ip[MTD_IP_FMT + 1] ;
    char ms[UINT_FMT] ;
    ip[mtd_ip_fmt(ip, &c->remote)] = 0 ;
    ms[uint_fmt(ms, cfg->timeout_ms)] = 0 ;
    if (errno == ETIMEDOUT) strerr_warnw("reverse lookup for ", ip, " timed out after ", ms, " ms") ;
    else strerr_warnwusys("look up the name of ", ip) ;
  }
  /* UCSPI variables are facts about the connection: rules cannot set them
     (the parser refuses), so their order against rule variables does not
     matter. Unknown names are unset, so a stale value from whatever
     started us never passes for a fact. */
  if (!mtd_ucspi_set(c->env, c->proto, &local, localport, &c->remote, c->remoteport)
   || !mtd_envmod_set(c->env, mtd_ucspi_names_of(c->proto)->remotehost, rname[0] ? rname : 0)
   || !mtd_envmod_set(c->env, mtd_ucspi_names_of(c->proto)->localhost, cfg->localname ? cfg->localname : lname[0] ? lname : 0))
    strerr_diefusys(111, "set up the environment") ;
  if (cfg->clean) c->clean_env = 1 ;
}
