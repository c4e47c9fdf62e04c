/* One connection's time limit as the launcher's loop holds it: two
   deadlines in turn, no timer of its own and no polling. */
#include <errno.h>
#include <signal.h>
#include <skalibs/strerr.h>
#include <skalibs/types.h>
#include "mtd_addr.h"
#include "mtd_linklimit.h"
#include "mtd_timelimit.h"

static void in_seconds (tain *at, unsigned int seconds)
{
  tain d ;
  tain_uint(&d, seconds) ;
  tain_add(at, &STAMP, &d) ;
}

void mtd_timelimit_arm (mtd_timelimit *t)
{
  unsigned int seconds = mtd_linklimit_time() ;
  t->stage = 0 ;
  if (seconds) in_seconds(&t->at, seconds) ;
  else t->at = tain_infinite ;
}

int mtd_timelimit_due (mtd_timelimit const *t)
{
  return !tain_less(&STAMP, &t->at) ;
}

/* The whole group, or pid alone if it has not made its group yet. */
static void signal_group (pid_t pid, int sig)
{
  if (kill(-pid, sig) < 0 && errno == ESRCH) kill(pid, sig) ;
}

void mtd_timelimit_fire (mtd_timelimit *t, pid_t pid, ip46 const *peer, uint16_t port)
{
  if (t->stage)
  {
    signal_group(pid, SIGKILL) ;
    t->stage = 2 ;
    t->at = tain_infinite ;
    return ;
  }
  {
    char p[PID_FMT], s[UINT_FMT], who[MTD_IP_FMT + 10] ;
    p[pid_fmt(p, pid)] = 0 ;
    s[uint_fmt(s, mtd_linklimit_time())] = 0 ;
    mtd_ip_port_fmt(who, peer, port) ;
    strerr_warnw("pid ", p, " ended by the time limit of ", s, " s: peer ", who) ;
  }
  signal_group(pid, SIGTERM) ;
  signal_group(pid, SIGCONT) ;
  t->stage = 1 ;
  in_seconds(&t->at, mtd_linklimit_grace()) ;
}

void mtd_timelimit_reaped (mtd_timelimit const *t, pid_t pid)
{
  /* the group outlives its leader while a member is left, and its id
     cannot be given to a new process until it is empty */
  if (t->stage && kill(-pid, SIGKILL) < 0 && errno != ESRCH) strerr_warnwusys("kill what is left of the group of a connection ended by the time limit") ;
}

char const *mtd_timelimit_end (mtd_timelimit const *t)
{
  return t->stage ? " ended by the time limit" : "" ;
}
