/* The fused time limit of one connection's process, held by the
   launcher's loop: a deadline per process (in its table, bounded by -c),
   the loop's iopause deadline the earliest of them. At the time limit its
   process group gets SIGTERM and SIGCONT, and the loop logs it; after the
   grace, SIGKILL. When the process is reaped, what is left of its group
   gets SIGKILL if the time limit had fired. Times are the loop's STAMP. */
#ifndef MTD_TIMELIMIT_H
#define MTD_TIMELIMIT_H

#include <stdint.h>
#include <sys/types.h>
#include <skalibs/ip46.h>
#include <skalibs/tai.h>

typedef struct mtd_timelimit_s mtd_timelimit ;
struct mtd_timelimit_s
{
  tain at ;             /* the next deadline; tain_infinite: none */
  unsigned int stage ;  /* 0 running, 1 SIGTERM sent, 2 SIGKILL sent */
} ;

/* A process just started: its deadline is now plus the fused link's time
   limit (none without one). */
extern void mtd_timelimit_arm (mtd_timelimit *t) ;
/* Is its deadline now (STAMP) or past? */
extern int mtd_timelimit_due (mtd_timelimit const *t) ;
/* Its deadline has come: at the time limit, SIGTERM and SIGCONT to the
   group of pid and "PROG: warning: pid N ended by the time limit of T s:
   peer IP:PORT", the next deadline at the end of the grace; at the end of
   the grace, SIGKILL, no deadline left. */
extern void mtd_timelimit_fire (mtd_timelimit *t, pid_t pid, ip46 const *peer, uint16_t port) ;
/* pid was reaped: if its time limit had fired, SIGKILL to what is left of
   its group. */
extern void mtd_timelimit_reaped (mtd_timelimit const *t, pid_t pid) ;
/* For the end line: " ended by the time limit", or "". */
extern char const *mtd_timelimit_end (mtd_timelimit const *t) ;

#endif
