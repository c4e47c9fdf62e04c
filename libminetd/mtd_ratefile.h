/* The shared rate state file: open, map, lock, validate, rebuild. */
#ifndef MTD_RATEFILE_H
#define MTD_RATEFILE_H

#include <stdint.h>
#include <sys/types.h>
#include "mtd_rate.h"

/* The functions print only warnings about what they repaired (a mode
   reset, a rebuild). A failure is returned (0, or -1 where 0 means
   something else) and described in the struct, for the caller to report
   with mtd_rate_file_report: fatal in a program that serves one
   connection, a warning in a long-running one. */

/* The longest wait for the lock of the state file: a short decision
   holds it for microseconds; past this, another process keeps it. */
#define MTD_RATE_LOCK_WAIT_MS 50

typedef struct mtd_rate_file_s mtd_rate_file ;
struct mtd_rate_file_s
{
  int fd ;
  mtd_rate_state *st ;
  char const *path ;
  dev_t dev ;             /* the file open */
  ino_t ino ;
  unsigned char bootid[16] ;
  int checked ;           /* the contents were checked in full once */
  int busy ;              /* the last wait for the lock ran out */
  char const *rebuilt ;   /* why the state was rebuilt under the lock, told at unlock */
  /* the last failure: "unable to WHAT state file PATH: errno", or
     without what, "state file PATH WHY" */
  int fail_errno ;
  char const *fail_what ;
  char fail_why[96] ;
} ;

/* Opens or creates path (0600, never through a symlink, must be a regular
   file owned by the effective uid with no other link), maps it. 1, or 0
   on failure or refusal. */
extern int mtd_rate_file_open (mtd_rate_file *f, char const *path) ;
/* Takes the lock of the file the path names (see mtd_rate_file_follow),
   reads the clock into *now, and makes sure the mapped state is sound: checked in full the first time, rebuilt with a warning
   if not sound; a file that is not a state file is refused, never
   overwritten. 1 locked; 0 busy: another process kept the lock for
   MTD_RATE_LOCK_WAIT_MS (after that, until the lock is had again, calls
   try once without waiting); -1 on failure (not locked). */
extern int mtd_rate_file_lock (mtd_rate_file *f, uint64_t *now) ;
/* If the path no longer names the open file (deleted, renamed over,
   moved aside), opens the one it names, creating it if there is none;
   mtd_rate_file_lock does this too. 1, or 0 on failure (the old file
   stays open). */
extern int mtd_rate_file_follow (mtd_rate_file *f) ;
/* Marks the state as being changed; mtd_rate_file_unlock clears it. */
extern void mtd_rate_file_dirty (mtd_rate_file *f) ;
/* Releases the lock, then prints the rebuild warning if there was one. */
extern void mtd_rate_file_unlock (mtd_rate_file *f) ;
/* Under the lock: starts again from an empty state (its blocks allocated,
   so writing the mapping cannot SIGBUS on a full file system); the warning
   saying why is printed by mtd_rate_file_unlock, so a slow log never holds
   the lock that every process of the service waits on. 1, or 0 on failure
   (the lock is still held). */
extern int mtd_rate_file_rebuild (mtd_rate_file *f, char const *why) ;
/* "PROG: fatal: unable to lock state file X: reason" and exit 111, or
   with fatal 0 the same as a warning. errno is kept. */
extern void mtd_rate_file_report (mtd_rate_file const *f, int fatal) ;

/* CLOCK_MONOTONIC in nanoseconds. */
extern uint64_t mtd_rate_now (void) ;

#endif
