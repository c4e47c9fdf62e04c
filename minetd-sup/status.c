/* minetd-sup's status file: one line per service (name, address, state,
   chain pid, restarts, up since, last bind error), read by --status. */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <skalibs/djbunix.h>
#include <skalibs/stralloc.h>
#include <skalibs/types.h>
#include "run.h"

static char const *const state_names[] = { "retrying-bind", "restarting", "running" } ;

static char const *state_name (svc const *s)
{
  return s->state == SVC_RUNNING && !s->ready ? "starting" : state_names[s->state] ;
}

/* The note: a bind error, a reload that was not applied, or one whose new
   chain is starting. */
static int note_cat (stralloc *sa, svc const *s)
{
  if (s->next)
  {
    char pid[PID_FMT] ;
    pid[pid_fmt(pid, s->next->pid)] = 0 ;
    return stralloc_cats(sa, "reload pending: new chain pid ") && stralloc_cats(sa, pid) && stralloc_cats(sa, " starting") ;
  }
  if (s->note[0] && !stralloc_cats(sa, s->note)) return 0 ;
  if (s->note[0] && s->kept[0] && !stralloc_cats(sa, "; ")) return 0 ;
  return stralloc_cats(sa, s->kept) ;
}

int status_dirty = 1 ;

void sup_status_path (char *file, char const *rundir)
{
  size_t rl = strlen(rundir) ;
  memcpy(file, rundir, rl) ; memcpy(file + rl, SUP_STATUS_NAME, sizeof SUP_STATUS_NAME) ;
}

void sup_reload_path (char *file, char const *pidfile)
{
  size_t pl = strlen(pidfile) ;
  memcpy(file, pidfile, pl) ; memcpy(file + pl, SUP_RELOAD_SUFFIX, sizeof SUP_RELOAD_SUFFIX) ;
}

void status_write (void)
{
  stralloc sa = STRALLOC_ZERO ;
  char file[SUP_STATUS_PATH_SIZE(sup_opt->rundir)] ;
  int ok = 1 ;
  sup_status_path(file, sup_opt->rundir) ;
  for (unsigned int i = 0 ; i < sup_nsvc && ok ; i++)
  {
    svc *s = sup_svcs[i] ;
    char pid[PID_FMT], restarts[UINT_FMT], since[ULONG_FMT] ;
    pid[pid_fmt(pid, s->pid)] = 0 ;
    restarts[uint_fmt(restarts, s->restarts)] = 0 ;
    since[ulong_fmt(since, s->state == SVC_RUNNING ? (unsigned long)s->since : 0)] = 0 ;
    ok = stralloc_cats(&sa, s->conf->name) && stralloc_catb(&sa, "\t", 1)
      && stralloc_cats(&sa, s->addr) && stralloc_catb(&sa, "\t", 1)
      && stralloc_cats(&sa, state_name(s)) && stralloc_catb(&sa, "\t", 1)
      && stralloc_cats(&sa, pid) && stralloc_catb(&sa, "\t", 1)
      && stralloc_cats(&sa, restarts) && stralloc_catb(&sa, "\t", 1)
      && stralloc_cats(&sa, since) && stralloc_catb(&sa, "\t", 1)
      && note_cat(&sa, s) && stralloc_catb(&sa, "\n", 1) ;
  }
  if (!ok || !openwritenclose_suffix(file, sa.s ? sa.s : "", sa.len, ".tmp"))
    sup_warn("unable to write ", file, ": ", strerror(errno)) ;
  else status_dirty = 0 ;
  stralloc_free(&sa) ;
}

void status_remove (void)
{
  char file[SUP_STATUS_PATH_SIZE(sup_opt->rundir)] ;
  char rfile[SUP_RELOAD_PATH_SIZE(sup_opt->pidfile)] ;
  sup_status_path(file, sup_opt->rundir) ;
  sup_reload_path(rfile, sup_opt->pidfile) ;
  unlink(file) ;
  if (sup_opt->pidfile[0]) unlink(rfile) ;
}
