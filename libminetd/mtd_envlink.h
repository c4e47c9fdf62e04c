/* The minetd-env link: UCSPI environment and access rules for one
   connection. The standalone minetd-env program and minetd-tcp's fused
   path call the same functions, in this order:
     mtd_env_parse (once) -> mtd_env_start (once) -> per connection:
     mtd_env_admit (before fork) -> mtd_env_child (in the child).
   The caller sets PROG to "minetd-env" around these calls so log lines
   read the same in both modes. */
#ifndef MTD_ENVLINK_H
#define MTD_ENVLINK_H

#include <stdint.h>
#include "mtd_conn.h"
#include "mtd_rules.h"

#define MTD_ENV_TIMEOUT_DEFAULT 2000   /* ms, for -h lookups */
#define MTD_ENV_TIMEOUT_MAX 600000

typedef struct mtd_env_config_s mtd_env_config ;
struct mtd_env_config_s
{
  char const *rulesfile ;   /* -r; 0: no rules */
  int default_allow ;       /* when no rule matches: -a 1, -d 0; default: 0 with -r, 1 without */
  int verbose ;             /* -v: log allowed connections too */
  int clean ;               /* -c: exec with a clean environment */
  int lookup ;              /* -h: TCPREMOTEHOST / TCPLOCALHOST by reverse lookup */
  int paranoid ;            /* -p: keep a name only if it resolves back (implies -h) */
  char const *localname ;   /* -l: fixed TCPLOCALHOST, no local lookup */
  unsigned int timeout_ms ; /* -t: bound on the lookups */
  mtd_rules rules ;
  /* deny lines of this process: at most MTD_ENV_DENY_LOG_MAX a second */
  uint64_t log_second ;
  unsigned int log_lines ;
  unsigned int log_dropped ;
} ;

#define MTD_ENV_DENY_LOG_MAX 10

/* argv[0] is "minetd-env" (or a path to it). Returns the index of the rest
   of the chain: argv + ret is PROG... On bad usage prints
   "minetd-env: fatal: ..." and the usage line, and exits 100. */
extern int mtd_env_parse (int argc, char const *const *argv, mtd_env_config *cfg) ;

/* Reads the rules file. Exits 100 with "minetd-env: fatal: FILE:LINE: reason"
   on a bad rule, 111 if the file cannot be read: never fails open. 1. */
extern int mtd_env_start (mtd_env_config *cfg) ;

/* Reads the rules file again (SIGHUP in fused minetd-tcp). 1 on success;
   on any error logs a warning, keeps the previous rules, returns 0. */
extern int mtd_env_reload (mtd_env_config *cfg) ;

/* Uses c->remote, c->remoteport, c->fd, c->env. Allow: with -c, drops
   what earlier links put in c->env but PATH; appends the rule's
   variables to c->env, logs with -v, returns 1. Deny: writes the rule's
   message (if any) to c->fd without blocking, logs one line, returns 0.
   Allocates nothing. */
extern int mtd_env_admit (mtd_env_config *cfg, mtd_conn *c) ;

/* After fork: appends PROTO, TCPLOCALIP/PORT (from c->local if have_local,
   else getsockname on c->fd), TCPREMOTEIP/PORT, TCPREMOTEHOST and
   TCPLOCALHOST (set when known, unset otherwise) to c->env; does the
   lookups (bounded by the timeout); sets c->clean_env with -c. Exits 111
   if the environment cannot be built. */
extern void mtd_env_child (mtd_env_config *cfg, mtd_conn *c) ;

/* In a long-running caller (minetd-tcp), a second after denials went
   unlogged: says how many. Nothing otherwise. */
extern void mtd_env_flush (mtd_env_config *cfg) ;

#endif
