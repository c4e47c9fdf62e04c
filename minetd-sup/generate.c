/* minetd-sup --generate-s6 DIR / --generate-runit DIR: one service
   directory per configured service, its run script exec'ing the chain
   (minetd-tcp binding the address itself), with a logger service.
   DIR may be a live scan directory: a scanner never sees a service
   directory without its final files (see write_service). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <skalibs/allreadwrite.h>
#include <skalibs/buffer.h>
#include <skalibs/djbunix.h>
#include <skalibs/stralloc.h>
#include <skalibs/strerr.h>
#include <skalibs/types.h>
#include "mtd_conf.h"
#include "mtd_sup_chain.h"
#include "sup.h"

#define S6_LOG_RUN "#!/bin/sh\nexec s6-log -- t ./main\n"
#define RUNIT_LOG_RUN "#!/bin/sh\nmkdir -p main || exit 111\nexec svlogd -tt main\n"

/* What a failure must remove before dying: the directory being built. */
static char cleanup[PATH_MAX] ;

static void die_sys (char const *what, char const *path)
{
  int e = errno ;
  if (cleanup[0]) rm_rf(cleanup) ;
  errno = e ;
  strerr_diefu2sys(111, what, path) ;
}

/* minetd-tcp drops to the service's user before minetd-rate opens its
   state file in the root-owned runtime directory: the run script creates
   the file for that user first. */
static int give_rate_file (stralloc *run, mtd_conf_service const *s, char const *rundir)
{
  char owner[UINT_FMT * 2 + 2] ;
  size_t n ;
  if (!s->has_user || (!s->rate && s->source_rate <= 0)) return 1 ;
  /* when minetd-limit drops (chroot=, a negative nice=), minetd-rate runs
     as the script's own user: the file is given back to it */
  if (mtd_conf_drops_late(s)) memcpy(owner, "\"$(id -u):$(id -g)\"", 20) ;
  else
  {
    n = uint_fmt(owner, s->uid) ; owner[n++] = ':' ;
    n += uint_fmt(owner + n, s->gid) ; owner[n] = 0 ;
  }
  return stralloc_cats(run, "f=")
      && mtd_sup_shell_quote(run, rundir) && stralloc_cats(run, "/")
      && mtd_sup_shell_quote(run, s->name) && stralloc_cats(run, ".rate\n")
      && stralloc_cats(run, "[ -e \"$f\" ] || ( umask 077 && : >\"$f\" ) || exit 111\nchown -h ")
      && stralloc_cats(run, owner)
      && stralloc_cats(run, " \"$f\" && chmod 0600 \"$f\" || exit 111\n") ;
}

/* dir/name into buf (PATH_MAX), or die. */
static void path_join (char *buf, char const *dir, char const *name)
{
  size_t dl = strlen(dir), nl = strlen(name) ;
  if (dl + nl + 2 > PATH_MAX) { errno = ENAMETOOLONG ; die_sys("use ", dir) ; }
  memcpy(buf, dir, dl) ; buf[dl] = '/' ; memcpy(buf + dl + 1, name, nl + 1) ;
}

/* dir/.name.tmp-PID */
static void temp_name (char *buf, char const *dir, char const *name)
{
  char tmp[MTD_CONF_NAME_MAX + 32 + PID_FMT] ;
  size_t n = 0 ;
  tmp[n++] = '.' ;
  memcpy(tmp + n, name, strlen(name)) ; n += strlen(name) ;
  memcpy(tmp + n, ".tmp-", 5) ; n += 5 ;
  n += pid_fmt(tmp + n, getpid()) ;
  tmp[n] = 0 ;
  path_join(buf, dir, tmp) ;
}

/* dir/name holds s with mode, whole: written under a dot name beside it,
   its mode set, synced, then renamed over name. A reader sees the old
   file or the new one, never a partial or non-executable run. */
static void put_file (char const *dir, char const *name, char const *s, size_t len, mode_t mode)
{
  char final[PATH_MAX], tmp[PATH_MAX] ;
  int fd ;
  path_join(final, dir, name) ;
  temp_name(tmp, dir, name) ;
  fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode) ;
  if (fd < 0) die_sys("create ", tmp) ;
  if (fchmod(fd, mode) < 0 || allwrite(fd, s, len) < len || fsync(fd) < 0)
  {
    int e = errno ;
    fd_close(fd) ; unlink(tmp) ;
    errno = e ; die_sys("write ", tmp) ;
  }
  if (close(fd) < 0 || rename(tmp, final) < 0)
  {
    int e = errno ;
    unlink(tmp) ;
    errno = e ; die_sys("write ", final) ;
  }
}

static void make_dir (char const *dir)
{
  if (mkdir(dir, 0755) < 0) die_sys("mkdir ", dir) ;
  /* the umask must not make a service directory unreadable */
  if (chmod(dir, 0755) < 0) die_sys("chmod ", dir) ;
}

static void put_files (char const *sdir, int s6, char const *run, size_t runlen)
{
  char ldir[PATH_MAX] ;
  path_join(ldir, sdir, "log") ;
  if (s6) put_file(ldir, "run", S6_LOG_RUN, sizeof S6_LOG_RUN - 1, 0755) ;
  else put_file(ldir, "run", RUNIT_LOG_RUN, sizeof RUNIT_LOG_RUN - 1, 0755) ;
  if (s6) put_file(sdir, "notification-fd", "3\n", 2, 0644) ;
  /* last: the supervisor runs whatever run it finds */
  put_file(sdir, "run", run, runlen, 0755) ;
}

/* A new service directory is built completely as dir/.name.tmp-PID and
   renamed into place: scanners skip dot names, and the rename makes it
   appear whole. An existing one is updated in place, one file at a time
   by rename (log/run, notification-fd, then run), so its supervise state
   and logs are kept and a running supervisor is never left without a
   directory; its new run takes effect at the service's next start. */
static void write_service (char const *dir, char const *name, int s6, char const *run, size_t runlen)
{
  char sdir[PATH_MAX], tmp[PATH_MAX] ;
  struct stat st ;
  path_join(sdir, dir, name) ;
  if (lstat(sdir, &st) < 0)
  {
    char ldir[PATH_MAX] ;
    if (errno != ENOENT) die_sys("stat ", sdir) ;
    temp_name(tmp, dir, name) ;
    make_dir(tmp) ;
    memcpy(cleanup, tmp, strlen(tmp) + 1) ;
    path_join(ldir, tmp, "log") ;
    make_dir(ldir) ;
    put_files(tmp, s6, run, runlen) ;
    if (!rename(tmp, sdir)) { cleanup[0] = 0 ; return ; }
    /* someone made it meanwhile: update theirs instead */
    if (errno != EEXIST && errno != ENOTEMPTY) die_sys("rename into place ", sdir) ;
    rm_rf(tmp) ;
    cleanup[0] = 0 ;
    if (lstat(sdir, &st) < 0) die_sys("stat ", sdir) ;
  }
  if (!S_ISDIR(st.st_mode)) strerr_dief2x(111, sdir, ": not a directory") ;
  {
    char ldir[PATH_MAX] ;
    path_join(ldir, sdir, "log") ;
    if (lstat(ldir, &st) < 0)
    {
      /* a log directory too appears whole */
      if (errno != ENOENT) die_sys("stat ", ldir) ;
      temp_name(tmp, sdir, "log") ;
      make_dir(tmp) ;
      memcpy(cleanup, tmp, strlen(tmp) + 1) ;
      if (s6) put_file(tmp, "run", S6_LOG_RUN, sizeof S6_LOG_RUN - 1, 0755) ;
      else put_file(tmp, "run", RUNIT_LOG_RUN, sizeof RUNIT_LOG_RUN - 1, 0755) ;
      if (rename(tmp, ldir) < 0) die_sys("rename into place ", ldir) ;
      cleanup[0] = 0 ;
    }
    else if (!S_ISDIR(st.st_mode)) strerr_dief2x(111, ldir, ": not a directory") ;
  }
  put_files(sdir, s6, run, runlen) ;
}

int sup_generate (sup_options const *o, char const *dir, int s6)
{
  mtd_conf c = MTD_CONF_ZERO ;
  stralloc words = STRALLOC_ZERO, run = STRALLOC_ZERO, rundir = STRALLOC_ZERO ;
  sup_conf_load_or_die(&c, o->config) ;
  if (mkdir(dir, 0755) < 0 && errno != EEXIST) strerr_diefu2sys(111, "mkdir ", dir) ;
  if (!mtd_sup_shell_quote(&rundir, o->rundir) || !stralloc_0(&rundir)) strerr_diefu1sys(111, "stralloc") ;
  for (unsigned int i = 0 ; i < c.n ; i++)
  {
    mtd_conf_service const *s = c.services[i] ;
    char sdir[PATH_MAX], line[UINT_FMT] ;
    int n ;
    path_join(sdir, dir, s->name) ;
    line[uint_fmt(line, s->line)] = 0 ;
    words.len = run.len = 0 ;
    n = mtd_sup_chain(&words, s, o->bindir, o->rundir, MTD_CHAIN_STANDALONE, s6 ? 3 : -1) ;
    if (n < 0
     || !stralloc_cats(&run, "#!/bin/sh\n# minetd service ") || !stralloc_cats(&run, s->name)
     || !stralloc_cats(&run, ", from ") || !stralloc_cats(&run, o->config) || !stralloc_cats(&run, ":")
     || !stralloc_cats(&run, line) || !stralloc_cats(&run, s6 ? "; generated by minetd-sup --generate-s6\n" : "; generated by minetd-sup --generate-runit\n")
     || !stralloc_cats(&run, "exec 2>&1\numask 022\nmkdir -p ") || !stralloc_cats(&run, rundir.s)
     || !stralloc_cats(&run, " || exit 111\n")
     || !give_rate_file(&run, s, rundir.s)
     || !stralloc_cats(&run, "exec ")
     || !mtd_sup_shell_line(&run, words.s, n) || !stralloc_catb(&run, "\n", 1))
      strerr_diefu1sys(111, "build the run script") ;
    write_service(dir, s->name, s6, run.s, run.len) ;
    if (buffer_puts(buffer_1, sdir) < 0 || buffer_put(buffer_1, "\n", 1) < 0) strerr_diefu1sys(111, "write to stdout") ;
  }
  if (!buffer_flush(buffer_1)) strerr_diefu1sys(111, "write to stdout") ;
  stralloc_free(&words) ; stralloc_free(&run) ; stralloc_free(&rundir) ;
  mtd_conf_free(&c) ;
  return 0 ;
}
