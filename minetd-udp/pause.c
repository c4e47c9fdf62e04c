/* The pause after a fault, and the links' summary deadline, for both
   loops (see minetd-udp.h). Unlike inetd, nothing here ever disables the
   service: the loop only waits a little longer each time. */
#include <skalibs/tai.h>
#include "mtd_links.h"
#include "mtd_pause.h"
#include "minetd-udp.h"

static mtd_pause fault = MTD_PAUSE_INIT(10, 1000) ;
static tain flush_at ;
static int flush_pending ;

void pause_start (char const *what, char const *peer, char const *link)
{
  mtd_pause_fault(&fault, what, peer, link) ;
}

void pause_end (void) { mtd_pause_recovered(&fault, "serving again") ; }

int pause_active (void) { return mtd_pause_active(&fault) ; }

tain const *pause_until (void) { return &fault.until ; }

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
