/* minetd-sup's supervisor: the state its parts share. run.c is the loop,
   service.c one service's life, reload.c the SIGHUP swap, ready.c the
   start-up report, status.c the status file, logpipe.c the chains' stderr. */
#ifndef RUN_H
#define RUN_H

#include <time.h>
#include <sys/types.h>
#include <skalibs/stralloc.h>
#include <skalibs/tai.h>
#include "mtd_conf.h"
#include "sup.h"

enum svc_state { SVC_BINDING, SVC_WAITING, SVC_RUNNING } ;

/* A chain started by a reload has this long to say it is ready before it
   is stopped and the service stays on its previous configuration. */
#define SUP_READY_TIMEOUT_SECS 10
/* The fd on which a chain's minetd-tcp reports readiness (-d). */
#define SUP_CHAIN_NOTIF_FD 3

typedef struct svc_s svc ;
struct svc_s
{
  mtd_conf_service *conf ;
  stralloc chain ;          /* words, each 0-terminated */
  unsigned int chainn ;
  char addr[SUP_ADDRESS_FMT] ; /* "127.0.0.1:7000", "[::1]:7000", "*:7000", "127.0.0.1:69/udp" */
  int fd ;                  /* listening (tcp) or bound (udp) socket, or -1 */
  pid_t pid ;               /* chain, or 0 */
  enum svc_state state ;
  int has_deadline ;
  tain deadline ;
  tain backoff ;
  tain started ;
  time_t since ;
  unsigned int restarts ;
  int notif ;               /* read end of the chain's readiness pipe, or -1 */
  int ready ;               /* the running chain said it is ready */
  int ever_ready ;          /* some chain of this service was ready or exited */
  svc *next ;               /* a reload's new configuration, not yet ready */
  tain ready_deadline ;     /* for a next: when it is given up */
  char note[96] ;           /* last bind error, for status */
  char kept[160] ;          /* why the last reload left this service on its previous configuration */
} ;

/* run.c */
extern sup_options const *sup_opt ;
extern svc *sup_svcs[MTD_CONF_SERVICES_MAX] ;
extern unsigned int sup_nsvc ;
extern int sup_stopping ;       /* SIGTERM seen: chains are stopping, nothing restarts */
extern int sup_pidfd ;          /* the locked pidfile, once it is ours */

/* service.c: one service's life */
extern svc *svc_new (mtd_conf_service *c) ;
extern void svc_free (svc *s) ;
extern int svc_backlog (mtd_conf_service const *c) ;
/* Binds (and listens, for tcp), the socket kept close-on-exec in minetd-sup. */
extern int svc_bind (svc *s) ;
extern void svc_start (svc *s) ;
/* One bind attempt; on success the chain starts, else a retry is set. */
extern void svc_try (svc *s) ;
/* Stops the chain (its connections finish) and closes the socket. */
extern void svc_retire (svc *s, char const *why) ;
/* Stops a new chain that never became ready, and closes its socket. */
extern void svc_giveup (svc *s) ;
extern void reap_children (void) ;
extern void stop_all_chains (void) ;
extern int chains_alive (void) ;

/* Sets TCP_NODELAY, SO_KEEPALIVE and the backlog of s's socket as its
   config says (tcp), and removes a socket filter its chain will not
   replace: a socket handed over keeps none of the old ones. */
extern void svc_sockopts (svc *s) ;
/* Reads a readiness report; 1 when the chain just became ready. */
extern int svc_notif_read (svc *s) ;
extern void svc_notif_close (svc *s) ;
/* Signals every chain (current, new, retired); returns how many live. */
extern unsigned int chains_signal (int sig) ;

/* reload.c */
/* Validate the whole new config, then swap: the old one keeps running
   if anything is wrong with the new one. */
extern void reload_config (void) ;
/* A changed service switched (applied) or stayed on its previous
   configuration: the reload is logged once every one has. */
extern void reload_settled (int applied) ;
/* The reload file (RUNDIR/reload) for --reload; a service's failure. */
extern void reload_file_write (char const *state) ;
extern void reload_note (char const *name, char const *why) ;

/* handover.c: a changed service's new chain runs beside the old one until
   it reports ready; only then is the old one stopped. */
extern void handover_start (svc *cur, svc *next) ;
extern void handover_ready (svc *cur) ;
/* The new chain is given up (why): it is stopped, cur keeps serving.
   _fail: because it failed, which its reload counts. */
extern void handover_abort (svc *cur, char const *why) ;
extern void handover_fail (svc *cur, char const *why) ;
/* Gives up the new chains that are past their deadline. */
extern void handover_timeouts (void) ;

/* orphans.c: connections whose chain is gone are our children (subreaper) */
/* Sends sig to each child of ours that is not a chain; returns how many. */
extern unsigned int orphans_signal (int sig) ;
extern int sup_is_chain (pid_t pid) ;

/* ready.c */
extern void background (void) ;
/* 1 while a parent waits for our start to succeed or fail. */
extern int parent_waits (void) ;
extern void check_ready (void) ;
/* Report to the waiting parent (background) or die on stderr: the
   reason reaches whoever started us, not only syslog. */
#define fail_start(e, ...) fail_start_(e, __VA_ARGS__, (char const *)0)
extern void fail_start_ (int e, ...) ;

/* status.c */
extern int status_dirty ;
extern void status_write (void) ;
extern void status_remove (void) ;

/* logpipe.c: the chains' stderr, in the background */
extern int logpipe[2] ;
extern void logpipe_open (void) ;
extern void logpipe_drain (void) ;

#endif
