/* The launchers' signals, as read from the selfpipe: SIGCHLD reaps,
   SIGTERM and SIGINT exit leaving the programs running, SIGQUIT exits
   terminating them, SIGHUP reloads the links. */
#ifndef MTD_SIGNALS_H
#define MTD_SIGNALS_H

typedef struct mtd_signals_s mtd_signals ;
struct mtd_signals_s
{
  int verbose ;
  int close_fd ;                  /* closed before exiting; -1: none */
  int flush_links ;               /* mtd_links_flush before exiting */
  char const *leaving ;           /* the line on SIGTERM and SIGINT */
  char const *terminating ;       /* the line on SIGQUIT */
  void (*reap) (void) ;
  void (*terminate_all) (void) ;  /* on SIGQUIT, before exiting 0 */
  void (*reloaded) (void) ;       /* after mtd_links_reload; 0: none */
  void (*drain) (void) ;          /* on SIGTERM and SIGINT, after the line,
                                     instead of exiting: the loop ends
                                     when it is done; 0: exit 0 at once */
} ;

/* Handles the signals waiting on the selfpipe, then returns; exits 0 on
   SIGTERM or SIGINT (unless drain is set), or SIGQUIT, 111 if the selfpipe
   cannot be read. */
extern void mtd_signals_handle (mtd_signals const *s) ;

#endif
