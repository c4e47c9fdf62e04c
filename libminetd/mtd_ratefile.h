/* The shared rate state file: open, map, lock, validate, rebuild. */
#ifndef MTD_RATEFILE_H
#define MTD_RATEFILE_H

#include <stdint.h>
#include "mtd_rate.h"

/* The shared state file. These print "PROG: ..." messages themselves and
   die 111 on system errors. */

typedef struct mtd_rate_file_s mtd_rate_file ;
struct mtd_rate_file_s
{
  int fd ;
  mtd_rate_state *st ;
  char const *path ;
  unsigned char bootid[16] ;
  char const *rebuilt ;   /* why the state was rebuilt under the lock, told at unlock */
} ;

/* Opens or creates path (0600, never through a symlink, must be a regular
   file owned by the effective uid), maps it. Dies 111 on refusal. */
extern void mtd_rate_file_open (mtd_rate_file *f, char const *path) ;
/* Takes the lock, reads the clock, and makes sure the mapped state is sound
   (rebuilding it with a warning if not). Returns the time. */
extern uint64_t mtd_rate_file_lock (mtd_rate_file *f) ;
/* Marks the state as being changed; mtd_rate_file_unlock clears it. */
extern void mtd_rate_file_dirty (mtd_rate_file *f) ;
/* Releases the lock, then prints the rebuild warning if there was one. */
extern void mtd_rate_file_unlock (mtd_rate_file *f) ;
/* Under the lock: starts again from an empty state (its blocks allocated,
   so writing the mapping cannot SIGBUS on a full file system); the warning
   saying why is printed by mtd_rate_file_unlock, so a slow log never holds
   the lock that every process of the service waits on. */
extern void mtd_rate_file_rebuild (mtd_rate_file *f, char const *why) ;

/* CLOCK_MONOTONIC in nanoseconds. */
extern uint64_t mtd_rate_now (void) ;

#endif
