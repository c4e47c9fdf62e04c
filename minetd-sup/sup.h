/* minetd-sup: the multi-service supervisor. Shared declarations between
   its parts: options, logging, the run loop, control, generators. */
#ifndef SUP_H
#define SUP_H

#include <sys/types.h>
#include <syslog.h>
#include <skalibs/gccattributes.h>

#define SUP_PIDFILE_DEFAULT "/run/minetd.pid"
#define SUP_RUNDIR_DEFAULT "/run/minetd"
#define SUP_CONFIG_DEFAULT "/etc/minetd.conf"

typedef struct sup_options_s sup_options ;
struct sup_options_s
{
  char const *config ;
  char const *pidfile ;   /* "" means no pidfile */
  char const *rundir ;
  char const *bindir ;    /* 0: chain programs found in PATH */
  int foreground ;
  int verbose ;
  int notif_fd ;          /* -d, or -1 */
  int kill_conns ;        /* -K: on SIGTERM, chains get SIGQUIT and end their connections */
} ;

/* log.c: "minetd-sup: info: ..." on stderr, or to syslog in the background */
extern int sup_syslog ;
extern void sup_log_va (int prio, char const *level, ...) ;
#define sup_info(...) sup_log_va(LOG_INFO, "info: ", __VA_ARGS__, (char const *)0)
#define sup_warn(...) sup_log_va(LOG_WARNING, "warning: ", __VA_ARGS__, (char const *)0)
/* Forwards a line a chain wrote on its stderr (background mode). */
extern void sup_log_line (char const *s, size_t len) ;
/* Prints every "file:line: reason" line of errs with the given level. */
extern void sup_log_errors (int prio, char const *level, char const *errs, size_t len) ;

/* control.c */
/* Takes the pidfile for pid: written atomically, locked while we live.
   Returns the locked fd, or -1: errno EBUSY with *holder set if another
   instance holds it, else a system error. */
extern int sup_pidfile_take (char const *file, pid_t pid, pid_t *holder) ;
/* 1: a live instance holds file (pid in *pid); 0: stale (not locked);
   -1: cannot open (errno, ENOENT: none). */
extern int sup_pidfile_probe (char const *file, pid_t *pid) ;
extern int sup_reload (sup_options const *o) ;
extern int sup_status (sup_options const *o) ;

/* check.c: -t */
extern int sup_check (sup_options const *o) ;
/* generate.c: --generate-s6 / --generate-runit */
extern int sup_generate (sup_options const *o, char const *dir, int s6) ;
/* run.c: the supervisor */
extern int sup_run (sup_options const *o) ;

/* Reads and checks the config; on errors prints them all and exits 100. */
struct mtd_conf_s ;
extern void sup_conf_load_or_die (struct mtd_conf_s *c, char const *file) ;

#endif
