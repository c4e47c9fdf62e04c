/* The minetd-env / minetd-rate links run in the launcher's process (the
   fused path of minetd-tcp and minetd-udp): admission before fork, the
   environment in the child. PROG is the launcher's name when these are
   called; the links log under their own. */
#ifndef MTD_LINKS_H
#define MTD_LINKS_H

#include "mtd_conn.h"
#include "mtd_envlink.h"

/* Parses the links at the head of argv (options only: usage errors are
   found before anything is opened); returns the rest of the command.
   A minetd-limit link after them is parsed too (mtd_linklimit), and ends
   the fused links. With force_exec, parses nothing: the links will be
   exec'd. */
extern char const *const *mtd_links_parse (char const *const *argv, int force_exec) ;
extern void mtd_links_start (void) ;
/* 1: admitted. 0: refused by a link, which logged it. -1: a link failed
   (errno set; *failed names it): nobody judged the connection. */
extern int mtd_links_admit (mtd_conn *c, char const **failed) ;
/* The same without the rate links: a connection that is no client's
   (a balancer's health check, PROXY v2 LOCAL) is judged by the rules
   but counted by no rate. */
extern int mtd_links_admit_uncounted (mtd_conn *c, char const **failed) ;
/* After mtd_links_admit said 1: the connection's process started, or not
   (then the rate links take their admissions back). */
extern void mtd_links_started (void) ;
extern void mtd_links_not_started (void) ;
extern void mtd_links_child (mtd_conn *c) ;
extern void mtd_links_reload (void) ;
extern void mtd_links_flush (void) ;
extern int mtd_links_child_blocks (void) ;

/* The first fused minetd-env link's configuration (its current rules and
   default), or 0 if there is none; *n gets how many there are. */
extern mtd_env_config const *mtd_links_env (unsigned int *n) ;

/* Wait mode (the program accepts by itself): usage errors, exit 100, for
   links that cannot apply (minetd-rate, -E links, two minetd-env). */
extern void mtd_links_wait_check (char const *const *argv, int force_exec) ;
/* The minetd-env rules as a kernel socket filter on fd (mtd_rulesbpf), at
   start and after each reload; unjudged says what goes unjudged when they
   do not fit (warned once). */
extern void mtd_links_filter (int fd, int at_start, char const *unjudged) ;

#endif
