/* minetd-sup's make-before-break for a changed service: the new chain runs
   on its socket (the same one, shared, or a new address bound before the
   old one is let go) beside the old chain, which keeps accepting until the
   new one reports ready on its notification fd. A new chain that exits or
   is not ready in time is stopped and the old configuration stays, with
   the reason in the log and in --status. Unlike xinetd and inetd, a reload
   that cannot start the new program never leaves the port unserved. */
#include <signal.h>
#include <string.h>
#include <skalibs/tai.h>
#include <skalibs/types.h>
#include "run.h"

void handover_start (svc *cur, svc *next)
{
  cur->next = next ;
  cur->kept[0] = 0 ;
  svc_sockopts(next) ;
  svc_start(next) ;
  if (!next->pid) { handover_fail(cur, "unable to start the new chain") ; return ; }
  next->has_deadline = 0 ;
  tain_addsec_g(&next->ready_deadline, SUP_READY_TIMEOUT_SECS) ;
  status_dirty = 1 ;
}

static unsigned int slot_of (svc const *s)
{
  unsigned int i = 0 ;
  while (i < sup_nsvc && sup_svcs[i] != s) i++ ;
  return i ;
}

void handover_ready (svc *cur)
{
  svc *next = cur->next ;
  unsigned int i = slot_of(cur) ;
  char fmt[PID_FMT] ;
  fmt[pid_fmt(fmt, next->pid)] = 0 ;
  sup_info("service ", next->conf->name, " on ", next->addr, ": new configuration ready, chain pid ", fmt) ;
  cur->next = 0 ;
  svc_retire(cur, "changed") ;
  svc_free(cur) ;
  if (i < sup_nsvc) sup_svcs[i] = next ;
  status_dirty = 1 ;
  reload_settled(1) ;
}

void handover_abort (svc *cur, char const *why)
{
  svc *next = cur->next ;
  size_t len ;
  cur->next = 0 ;
  svc_giveup(next) ;
  svc_free(next) ;
  /* the shared socket may have been given the new options */
  svc_sockopts(cur) ;
  /* and the new chain's socket filter: a wait-mode launcher attaches its
     rules again when its links reload */
  if (cur->pid && cur->conf->rules && cur->conf->wait) kill(cur->pid, SIGHUP) ;
  strcpy(cur->kept, "previous configuration kept: ") ;
  len = strlen(cur->kept) ;
  strncpy(cur->kept + len, why, sizeof cur->kept - len - 1) ;
  cur->kept[sizeof cur->kept - 1] = 0 ;
  sup_warn("service ", cur->conf->name, ": reload not applied: ", why, "; the previous configuration keeps serving on ", cur->addr) ;
  status_dirty = 1 ;
}

void handover_fail (svc *cur, char const *why)
{
  reload_note(cur->conf->name, why) ;
  handover_abort(cur, why) ;
  reload_settled(0) ;
}

void handover_timeouts (void)
{
  for (unsigned int i = 0 ; i < sup_nsvc ; i++)
  {
    svc *s = sup_svcs[i] ;
    if (s->next && !tain_less(&STAMP, &s->next->ready_deadline))
    {
      char secs[UINT_FMT] ;
      char why[UINT_FMT + 48] ;
      secs[uint_fmt(secs, SUP_READY_TIMEOUT_SECS)] = 0 ;
      strcpy(why, "the new chain was not ready within ") ;
      strcat(why, secs) ; strcat(why, " seconds") ;
      handover_fail(s, why) ;
    }
  }
}
