/* Pauses that grow while a fault lasts: see mtd_pause.h. */
#include <skalibs/strerr.h>
#include <skalibs/tai.h>
#include <skalibs/types.h>
#include "mtd_pause.h"

void mtd_pause_next (mtd_pause *p)
{
  p->ms = p->ms ? p->ms * 2 : p->min_ms ;
  if (p->ms > p->max_ms) p->ms = p->max_ms ;
  tain_from_millisecs(&p->until, p->ms) ;
  tain_add_g(&p->until, &p->until) ;
  p->count++ ;
}

int mtd_pause_active (mtd_pause const *p)
{
  return p->ms && tain_less(&STAMP, &p->until) ;
}

void mtd_pause_reset (mtd_pause *p)
{
  p->ms = 0 ;
  p->count = 0 ;
}

void mtd_pause_fault (mtd_pause *p, char const *what, char const *peer, char const *link)
{
  unsigned int was = p->ms ;
  int sixtieth = !(p->count % 60) ;
  mtd_pause_next(p) ;
  if (!was || p->ms < p->max_ms || sixtieth)
  {
    char ms[UINT_FMT] ;
    ms[uint_fmt(ms, p->ms)] = 0 ;
    strerr_warnwusys(what, peer, link ? " in " : "", link ? link : "", " (pausing ", ms, " ms)") ;
  }
}

void mtd_pause_recovered (mtd_pause *p, char const *again)
{
  if (p->count)
  {
    char n[UINT_FMT] ;
    n[uint_fmt(n, p->count)] = 0 ;
    strerr_warni(again, " after ", n, " failures") ;
  }
  mtd_pause_reset(p) ;
}
