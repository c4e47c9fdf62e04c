/* The minetd-rate link: options, start-up, and the admission decision,
   shared by the minetd-rate program and minetd-tcp's fused path. */
#ifndef MTD_RATELINK_H
#define MTD_RATELINK_H

#include <stddef.h>
#include <stdint.h>
#include "mtd_conn.h"
#include "mtd_ratefile.h"

#define MTD_RATE_MSG_MAX 1024

typedef struct mtd_rate_config_s mtd_rate_config ;
struct mtd_rate_config_s
{
  unsigned int verbose ;
  mtd_rate_limits lim ;
  unsigned int window_s ;        /* -w, seconds */
  char const *statefile ;        /* -f; 0 if none */
  size_t msglen ;                /* -m, unescaped */
  char msg[MTD_RATE_MSG_MAX] ;
  int started ;                  /* the state file is open */
  mtd_rate_file file ;
  /* the last admission, until the caller says the connection started */
  int pending ;
  uint64_t pending_time ;
  mtd_rate_key pending_key ;
  dev_t pending_dev ;
  ino_t pending_ino ;
  uint64_t busy_last ;           /* last line about a file locked by another */
  unsigned int busy_dropped ;    /* refusals since, not logged yet */
} ;

/* Parses "minetd-rate [options] PROG..." (argv[0] is minetd-rate or a path
   to it). Returns the index of PROG in argv. Bad usage: message, exit 100. */
extern int mtd_rate_parse (int argc, char const *const *argv, mtd_rate_config *cfg) ;

/* Once, at start-up: opens (creating it if needed) and checks the state
   file when a limit is set. Exits 111 if it cannot. */
extern void mtd_rate_start (mtd_rate_config *cfg) ;

/* Judges connection c (c->remote, c->remoteport; c->fd for the message).
   1: admitted. 0: refused, by a limit or because another process kept
   the state file locked; the message, if any, has been written to c->fd
   and the refusal logged per the anti-flood policy; the caller closes.
   -1: the state file failed (errno set; mtd_rate_file_report on
   cfg->file says how): nothing was decided, nothing logged. */
extern int mtd_rate_admit (mtd_rate_config *cfg, mtd_conn *c) ;

/* A caller that starts the connection's process itself (minetd-tcp)
   says how that went. An admission counts once mtd_rate_admit returns 1,
   as it does for the standalone program, which then execs; but if the
   process could not be started (fork failed), mtd_rate_release takes it
   back, as if that connection had never been seen: only connections that
   were started count. mtd_rate_commit forgets the last admission, so a
   later release does not touch it (the next mtd_rate_admit does too).
   mtd_rate_release: 1 done (or nothing to do), 0 the state file stayed
   locked by another process, -1 failure (mtd_rate_file_report says how);
   then the admission still counts. */
extern void mtd_rate_commit (mtd_rate_config *cfg) ;
extern int mtd_rate_release (mtd_rate_config *cfg) ;

/* SIGHUP in a long-running caller: if the state file was deleted or
   replaced, opens the one the path names now (each admission checks
   this too). On failure, a warning; the old file stays in use. */
extern void mtd_rate_reload (mtd_rate_config *cfg) ;

/* For a long-running caller with nothing else to do: prints the pending
   refusal summary if one is due (at most one line a second). Optional:
   the next admit or refusal prints it anyway. */
extern void mtd_rate_flush (mtd_rate_config *cfg) ;

#endif
