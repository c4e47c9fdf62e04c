/* minetd-sup's pidfile (written atomically, locked while the daemon
   lives), --reload (SIGHUP through the pidfile) and --status. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <skalibs/allreadwrite.h>
#include <skalibs/djbunix.h>
#include <skalibs/stralloc.h>
#include <skalibs/strerr.h>
#include <skalibs/iopause.h>
#include <skalibs/tai.h>
#include <skalibs/types.h>
#include "sup.h"

/* fcntl locks: F_GETLK tells a prober who holds it without taking it. */
static int lock_held_by (int fd, pid_t *holder)
{
  struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0 } ;
  if (fcntl(fd, F_GETLK, &fl) < 0) return -1 ;
  if (fl.l_type == F_UNLCK) return 0 ;
  *holder = fl.l_pid ;
  return 1 ;
}

int sup_pidfile_probe (char const *file, pid_t *pid)
{
  int fd = open(file, O_RDONLY | O_CLOEXEC) ;
  int r ;
  if (fd < 0) return -1 ;
  r = lock_held_by(fd, pid) ;
  fd_close(fd) ;
  return r < 0 ? -1 : r ;
}

/* Whoever holds the lock on the inode now at the pidfile's path owns it.
   To put its own pid there, an instance writes and locks a temporary file,
   then either links it into place (no pidfile yet) or locks the current
   inode, checks it is still the one at the path, and renames over it.
   Two instances starting at once cannot both win: the loser finds the
   winner's inode locked. (A plain "probe, then rename" let both run.) */
static int pidfile_lock (int fd)
{
  struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0 } ;
  return fcntl(fd, F_SETLK, &fl) ;
}

static int same_inode (int fd, char const *file)
{
  struct stat a, b ;
  return fstat(fd, &a) == 0 && stat(file, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino ;
}

int sup_pidfile_take (char const *file, pid_t pid, pid_t *holder)
{
  size_t len = strlen(file) ;
  char tmp[len + 6 + PID_FMT] ;
  char buf[PID_FMT + 1] ;
  size_t n = pid_fmt(buf, pid) ;
  int fd, e ;
  *holder = 0 ;
  buf[n++] = '\n' ;
  memcpy(tmp, file, len) ; memcpy(tmp + len, ".tmp.", 5) ;
  tmp[len + 5 + pid_fmt(tmp + len + 5, pid)] = 0 ;
  fd = open(tmp, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644) ;
  if (fd < 0) return -1 ;
  if (pidfile_lock(fd) < 0 || allwrite(fd, buf, n) < n || fsync(fd) < 0) goto err ;
  for (unsigned int tries = 0 ; tries < 100 ; tries++)
  {
    int cur = open(file, O_RDWR | O_CLOEXEC | O_NOFOLLOW) ;
    if (cur < 0)
    {
      if (errno != ENOENT) goto err ;
      if (link(tmp, file) == 0) { unlink(tmp) ; return fd ; }
      if (errno != EEXIST) goto err ;
      continue ;  /* someone created it meanwhile: look again */
    }
    /* a write lock: two instances replacing one stale file exclude each other */
    {
      if (pidfile_lock(cur) < 0)
      {
        e = errno ;
        if (e == EAGAIN || e == EACCES)
        {
          int r = lock_held_by(cur, holder) ;
          fd_close(cur) ;
          if (r == 0) continue ;  /* released just now: look again */
          errno = r < 0 ? e : EBUSY ;
          goto err ;
        }
        fd_close(cur) ;
        errno = e ;
        goto err ;
      }
    }
    if (!same_inode(cur, file)) { fd_close(cur) ; continue ; }  /* replaced or removed meanwhile */
    /* a stale pidfile, ours to replace: nobody else can lock it now */
    if (rename(tmp, file) < 0) { e = errno ; fd_close(cur) ; errno = e ; goto err ; }
    fd_close(cur) ;
    return fd ;
  }
  errno = EBUSY ;
 err:
  e = errno ;
  unlink(tmp) ; fd_close(fd) ;
  errno = e ;
  return -1 ;
}

/* A clear sentence for "nothing to signal". */
static void die_not_running (char const *file, int r)
{
  if (r < 0 && errno == ENOENT)
    strerr_dief3x(111, "no running minetd-sup: pidfile ", file, " does not exist (is it running? use -p to name its pidfile)") ;
  if (r < 0) strerr_diefu2sys(111, "open pidfile ", file) ;
  strerr_dief3x(111, "no running minetd-sup: pidfile ", file, " is stale (no process holds its lock)") ;
}

/* The instance's reload file: its generation and state; -1 if unreadable. */
static int reload_file_read (char const *file, stralloc *sa, unsigned long *gen, char **state, char **msgs)
{
  size_t i ;
  sa->len = 0 ;
  if (!openslurpclose(sa, file) || !stralloc_0(sa)) return -1 ;
  i = ulong_scan(sa->s, gen) ;
  if (!i || sa->s[i] != ' ') return -1 ;
  *state = sa->s + i + 1 ;
  *msgs = strchr(*state, '\n') ;
  if (!*msgs) return -1 ;
  *(*msgs)++ = 0 ;
  return 0 ;
}

/* the instance's errors, one "minetd-sup: warning: ..." line each */
static void print_lines (char *msgs)
{
  char *line = msgs ;
  for (char *p = msgs ; *p ; p++)
    if (*p == '\n') { *p = 0 ; if (*line) strerr_warnw1x(line) ; line = p + 1 ; }
}

/* SIGHUP, then wait (bounded) for the instance to say how the reload went:
   0 applied, 100 refused (errors in the file), 111 partly applied or no
   answer. */
int sup_reload (sup_options const *o)
{
  pid_t pid ;
  char fmt[PID_FMT] ;
  char file[SUP_RELOAD_PATH_SIZE(o->pidfile)] ;
  stralloc sa = STRALLOC_ZERO ;
  unsigned long gen0 = 0, gen ;
  char *state, *msgs ;
  tain deadline ;
  int r = sup_pidfile_probe(o->pidfile, &pid) ;
  if (r != 1) die_not_running(o->pidfile, r) ;
  fmt[pid_fmt(fmt, pid)] = 0 ;
  sup_reload_path(file, o->pidfile) ;
  if (reload_file_read(file, &sa, &gen0, &state, &msgs) < 0)
    strerr_diefu5sys(111, "read ", file, ", where pid ", fmt, " reports its reloads") ;
  if (kill(pid, SIGHUP) < 0) strerr_diefu2sys(111, "signal minetd-sup pid ", fmt) ;
  tain_now_set_stopwatch_g() ;
  tain_addsec_g(&deadline, SUP_RELOAD_WAIT_SECS) ;
  for (;;)
  {
    tain poll ;
    if (reload_file_read(file, &sa, &gen, &state, &msgs) == 0 && gen > gen0 && strcmp(state, "running"))
      break ;
    if (!tain_less(&STAMP, &deadline))
    {
      char secs[UINT_FMT] ;
      secs[uint_fmt(secs, SUP_RELOAD_WAIT_SECS)] = 0 ;
      strerr_dief5x(111, "sent SIGHUP to pid ", fmt, " but it did not report the reload within ", secs, " seconds (see its log)") ;
    }
    tain_from_millisecs(&poll, 20) ;
    tain_add_g(&poll, &poll) ;
    deepsleepuntil_g(&poll) ;
  }
  if (!strcmp(state, "applied"))
  {
    if (o->verbose) strerr_warni3x("pid ", fmt, ": reload applied") ;
    stralloc_free(&sa) ;
    return 0 ;
  }
  print_lines(msgs) ;
  if (!strcmp(state, "refused")) strerr_dief3x(100, "reload refused by pid ", fmt, ": the running configuration is kept") ;
  strerr_dief3x(111, "reload partly applied by pid ", fmt, ": the services above kept their previous configuration") ;
}

int sup_status (sup_options const *o)
{
  pid_t pid ;
  stralloc sa = STRALLOC_ZERO ;
  char file[SUP_STATUS_PATH_SIZE(o->rundir)] ;
  char fmt[PID_FMT] ;
  int r = sup_pidfile_probe(o->pidfile, &pid) ;
  size_t start = 0 ;
  if (r != 1) die_not_running(o->pidfile, r) ;
  sup_status_path(file, o->rundir) ;
  if (!openslurpclose(&sa, file)) strerr_diefu2sys(111, "read ", file) ;
  fmt[pid_fmt(fmt, pid)] = 0 ;
  printf("minetd-sup pid %s\n", fmt) ;
  printf("%-16s %-24s %-14s %8s %8s %-20s %s\n", "SERVICE", "ADDRESS", "STATE", "PID", "RESTARTS", "UP-SINCE", "CONNECTIONS") ;
  for (size_t i = 0 ; i < sa.len ; i++)
  {
    char *f[8] ;
    unsigned int nf = 0 ;
    if (sa.s[i] != '\n') continue ;
    sa.s[i] = 0 ;
    f[nf++] = sa.s + start ;
    for (char *q = sa.s + start ; *q && nf < 8 ; q++) if (*q == '\t') { *q = 0 ; f[nf++] = q + 1 ; }
    start = i + 1 ;
    if (nf < 7) continue ;
    {
      /* name addr state pid restarts since note */
      unsigned int cpid = 0, since = 0 ;
      char when[32] = "-", conns[16] = "-" ;
      uint0_scan(f[3], &cpid) ;
      if (uint0_scan(f[5], &since) && since)
      {
        time_t t = since ;
        struct tm tm ;
        strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&t, &tm)) ;
      }
      if (cpid)
      {
        int n = sup_children_each(cpid, 0, 0) ;
        if (n >= 0) snprintf(conns, sizeof conns, "%d", n) ;
      }
      printf("%-16s %-24s %-14s %8s %8s %-20s %s%s%s\n", f[0], f[1], f[2], cpid ? f[3] : "-", f[4], when, conns,
             f[6][0] ? "  " : "", f[6]) ;
    }
  }
  {
    int n = sup_children_each(pid, 0, 0) ;
    if (n >= 0) printf("children of minetd-sup (chains, and connections of stopped chains): %d\n", n) ;
  }
  stralloc_free(&sa) ;
  return fflush(stdout) ? 111 : 0 ;
}
