/* A loop's pause after a fault or a quick exit that would make it spin:
   min_ms, doubling up to max_ms, until the loop makes progress again. */
#ifndef MTD_PAUSE_H
#define MTD_PAUSE_H

#include <skalibs/tai.h>

typedef struct mtd_pause_s mtd_pause ;
struct mtd_pause_s
{
  unsigned int min_ms ;
  unsigned int max_ms ;
  unsigned int ms ;       /* the current pause; 0: none */
  unsigned int count ;    /* pauses since the last reset */
  tain until ;
} ;
#define MTD_PAUSE_INIT(min, max) { .min_ms = (min), .max_ms = (max), .ms = 0, .count = 0, .until = TAIN_ZERO }

/* The next pause, from now (STAMP): min_ms, or twice the last, at most
   max_ms. Counted. */
extern void mtd_pause_next (mtd_pause *p) ;

/* 1 while a pause is under way, per STAMP. */
extern int mtd_pause_active (mtd_pause const *p) ;

extern void mtd_pause_reset (mtd_pause *p) ;

/* A fault: the next pause, and "unable to WHAT[PEER][ in LINK] (pausing
   N ms): reason" (errno) at the first, while the pause grows, then once
   every 60: a fault that lasts cannot flood the log. */
extern void mtd_pause_fault (mtd_pause *p, char const *what, char const *peer, char const *link) ;

/* Progress: "AGAIN after N failures" if there were faults; reset. */
extern void mtd_pause_recovered (mtd_pause *p, char const *again) ;

#endif
