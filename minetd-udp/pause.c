/* The pause after a fault, and the links' summary deadline, for both
   loops (see minetd-udp.h). Unlike inetd, nothing here ever disables the
   service: the loop only waits a little longer each time. */
#include <skalibs/strerr.h>
#include <skalibs/tai.h>
#include <skalibs/types.h>
#include "mtd_links.h"
#include "minetd-udp.h"

#define PAUSE_MIN_MS 10
#define PAUSE_MAX_MS 1000

static unsigned int pause_ms ;
static tain pause_at ;
static unsigned int failures ;
static tain flush_at ;
static int flush_pending ;

void pause_start (char const *what, char const *peer, char const *link)
{
  unsigned int was = pause_ms ;
  pause_ms = pause_ms ? pause_ms * 2 : PAUSE_MIN_MS ;
  if (pause_ms > PAUSE_MAX_MS) pause_ms = PAUSE_MAX_MS ;
  tain_from_millisecs(&pause_at, pause_ms) ;
  tain_add_g(&pause_at, &pause_at) ;
  if (!was || pause_ms < PAUSE_MAX_MS || !(failures % 60))
  {
    char ms[UINT_FMT] ;
    ms[uint_fmt(ms, pause_ms)] = 0 ;
    strerr_warnwusys(what, peer, link ? " in " : "", link ? link : "", " (pausing ", ms, " ms)") ;
  }
  failures++ ;
}

void pause_end (void)
{
  if (failures)
  {
    char n[UINT_FMT] ;
    n[uint_fmt(n, failures)] = 0 ;
    strerr_warni("serving again after ", n, " failures") ;
  }
  failures = 0 ;
  pause_ms = 0 ;
}

int pause_active (void) { return pause_ms && tain_less(&STAMP, &pause_at) ; }

tain const *pause_until (void) { return &pause_at ; }

/* While refusals go on, minetd-rate writes its summaries itself; a
   little over a second after the last one, the last summary is due. */
void flush_schedule (void)
{
  tain_from_millisecs(&flush_at, 1100) ;
  tain_add_g(&flush_at, &flush_at) ;
  flush_pending = 1 ;
}

void flush_deadline (tain const **deadline)
{
  if (flush_pending && tain_less(&flush_at, *deadline)) *deadline = &flush_at ;
}

void flush_if_due (void)
{
  if (flush_pending && !tain_less(&STAMP, &flush_at))
  {
    flush_pending = 0 ;
    mtd_links_flush() ;
  }
}
