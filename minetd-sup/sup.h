/* minetd-sup: the multi-service supervisor. Shared declarations between
   its parts: options, logging, the run loop, control, generators. The
   run loop's own state is in run.h. */
#ifndef SUP_H
#define SUP_H

#include <stdarg.h>
#include <stddef.h>
#include <sys/types.h>
#include <syslog.h>
#include <string.h>
#include <skalibs/fmtscan.h>
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
extern int sup_syslog ;         /* set: messages go to syslog */
/* Once, first thing in main: skalibs' strerr (strerr_die*, strerr_warn*)
   follows sup_syslog too, so a fatal error after going to the background
   reaches syslog, not the /dev/null on fd 2. */
extern void sup_log_init (void) ;
/* Going to the background, once fd 2 is /dev/null: openlog and set
   sup_syslog. From then on every message, strerr's included, goes to
   syslog (LOG_DAEMON, with the pid). */
extern void sup_log_to_syslog (void) ;
extern void sup_log_va (int prio, char const *level, ...) ;
#define sup_info(...) sup_log_va(LOG_INFO, "info: ", __VA_ARGS__, (char const *)0)
#define sup_warn(...) sup_log_va(LOG_WARNING, "warning: ", __VA_ARGS__, (char const *)0)
/* Forwards a line a chain wrote on its stderr (background mode). */
extern void sup_log_line (char const *s, size_t len) ;
/* Prints every "file:line: reason" line of errs with the given level. */
extern void sup_log_errors (int prio, char const *level, char const *errs, size_t len) ;
/* Appends the strings of ap, up to a null pointer, to buf (len bytes used
   of size), cut to keep 2 bytes free; returns the new length. */
extern size_t sup_cat_va (char *buf, size_t len, size_t size, va_list ap) ;

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

/* children.c: calls each(pid, arg) for every child of parent (Linux
   /proc; each may be 0) and returns how many there are, or -1. */
extern int sup_children_each (pid_t parent, void (*each) (pid_t, void *), void *arg) ;

/* check.c: -t */
extern int sup_check (sup_options const *o) ;
/* generate.c: --generate-s6 / --generate-runit */
extern int sup_generate (sup_options const *o, char const *dir, int s6) ;
/* run.c: the supervisor */
extern int sup_run (sup_options const *o) ;

/* status.c: the status file the supervisor writes and --status reads,
   in a buffer of SUP_STATUS_PATH_SIZE(rundir) */
#define SUP_STATUS_NAME "/status"
#define SUP_STATUS_PATH_SIZE(rundir) (strlen(rundir) + sizeof SUP_STATUS_NAME)
extern void sup_status_path (char *file, char const *rundir) ;
/* PIDFILE.reload: "GEN STATE\n" then the errors of reload number GEN;
   beside the pidfile, which is how --reload finds the instance */
#define SUP_RELOAD_SUFFIX ".reload"
#define SUP_RELOAD_PATH_SIZE(pidfile) (strlen(pidfile) + sizeof SUP_RELOAD_SUFFIX)
extern void sup_reload_path (char *file, char const *pidfile) ;
/* --reload waits this long for the answer: longer than a new chain has */
#define SUP_RELOAD_WAIT_SECS 30

/* service.c: a service's address as status and -t show it: "127.0.0.1:7000",
   "[::1]:7000", "*:7000", and for udp "127.0.0.1:69/udp" */
#define SUP_ADDRESS_FMT (IP6_FMT + 14)
struct mtd_conf_service_s ;
extern void sup_address_fmt (char *out, struct mtd_conf_service_s const *c) ;

/* conf.c */
struct mtd_conf_s ;
/* Reads and checks the config, with everything its chains check at start
   (mtd_conf_parse_file); on errors prints them all and exits 100. */
extern void sup_conf_load_or_die (struct mtd_conf_s *c, char const *file) ;
/* Then what starting needs of the runtime directory rundir
   (mtd_conf_check_rundir); on errors the same. */
extern void sup_conf_check_rundir_or_die (struct mtd_conf_s *c, char const *file, char const *rundir) ;

#endif
