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

typedef struct svc_s svc ;
struct svc_s
{
  mtd_conf_service *conf ;
  stralloc chain ;          /* words, each 0-terminated */
  unsigned int chainn ;
  char addr[SUP_ADDRESS_FMT] ; /* "127.0.0.1:7000", "[::1]:7000", "*:7000" */
  int fd ;                  /* listening socket, or -1 */
  pid_t pid ;               /* chain, or 0 */
  enum svc_state state ;
  int has_deadline ;
  tain deadline ;
  tain backoff ;
  tain started ;
  time_t since ;
  unsigned int restarts ;
  char note[96] ;           /* last bind error, for status */
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
/* Binds and listens, the socket kept close-on-exec in minetd-sup. */
extern int svc_bind (svc *s) ;
extern void svc_start (svc *s) ;
/* One bind attempt; on success the chain starts, else a retry is set. */
extern void svc_try (svc *s) ;
/* Stops the chain (its connections finish) and closes the socket. */
extern void svc_retire (svc *s, char const *why) ;
extern void reap_children (void) ;
extern void stop_all_chains (void) ;
extern int chains_alive (void) ;

/* reload.c */
/* Validate the whole new config, then swap: the old one keeps running
   if anything is wrong with the new one. */
extern void reload_config (void) ;

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
