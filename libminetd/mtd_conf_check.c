/* minetd.conf checks beyond syntax: what each chain checks when it starts,
   done with the links' own functions, so a file minetd-sup -t accepts
   starts instead of crash-looping. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <skalibs/allreadwrite.h>
#include <skalibs/djbunix.h>
#include <skalibs/types.h>
#include "mtd_conf.h"
#include "mtd_escape.h"
#include "mtd_ratelink.h"
#include "mtd_rules.h"

#define WHY_MAX 512

/* ADD(c, line, parts...): one error; -1 from the function if out of memory. */
#define ADD(c, line, ...) do { \
  char const *const parts_[] = { __VA_ARGS__ } ; \
  if (!mtd_conf_error(c, line, parts_, sizeof parts_ / sizeof *parts_)) return -1 ; \
} while (0)

/* Will the program run with other credentials than ours? Only root can
   switch, and uid 0 reads whatever we read. */
static int program_drops (mtd_conf_service const *s)
{
  return s->has_user && s->uid && !geteuid() ;
}

/* And the links before minetd-limit (minetd-env reading the rules,
   minetd-rate opening its state file)? Not when minetd-limit drops. */
static int drops_privileges (mtd_conf_service const *s)
{
  return program_drops(s) && !mtd_conf_drops_late(s) ;
}

static void why_set (char *why, char const *a, char const *b, char const *c, char const *d)
{
  char const *parts[4] = { a, b, c, d } ;
  size_t n = 0 ;
  for (unsigned int i = 0 ; i < 4 ; i++)
  {
    size_t l ;
    if (!parts[i]) continue ;   /* unused parts are null */
    l = strlen(parts[i]) ;
    if (l > WHY_MAX - 1 - n) l = WHY_MAX - 1 - n ;
    memcpy(why + n, parts[i], l) ; n += l ;
  }
  why[n] = 0 ;
}

typedef void as_user_fn (mtd_conf_service const *s, char const *arg, char *why) ;

/* The rules file as minetd-env loads it; why empty if fine, else the
   reason after the file name (":12: unknown action ...", ": unable to
   open: Permission denied"). */
static void rules_load (mtd_conf_service const *s, char const *arg, char *why)
{
  mtd_rules r = MTD_RULES_ZERO ;
  mtd_rules_error e ;
  (void)arg ;
  why[0] = 0 ;
  if (mtd_rules_load(&r, s->rules, &e)) { mtd_rules_free(&r) ; return ; }
  if (e.sys) why_set(why, ": ", e.why, ": ", strerror(e.sys)) ;
  else if (!e.line) why_set(why, ": ", e.why, 0, 0) ;
  else
  {
    char fmt[UINT_FMT + 1] ;
    fmt[0] = ':' ;
    fmt[1 + uint_fmt(fmt + 1, e.line)] = 0 ;
    why_set(why, fmt, ": ", e.why, 0) ;
  }
}

/* access() checks with the real ids: in as_user's child, the user's. */
static void can_exec (mtd_conf_service const *s, char const *path, char *why)
{
  (void)s ;
  if (access(path, X_OK) < 0) why_set(why, strerror(errno), 0, 0, 0) ;
  else why[0] = 0 ;
}

/* Runs f in a child with the credentials the chain of s will have, set
   the way minetd-tcp -u -g -G sets them: setgroups, setgid, setuid.
   With chroot= (then minetd-limit drops, and only the program is checked
   as the user), the child enters the directory first, as the connection's
   process does: what lies above it is not the user's to search.
   Returns 1 (why empty if f found nothing wrong), or -1 (errno). */
static int as_user (mtd_conf_service const *s, as_user_fn *f, char const *arg, char *why)
{
  int p[2] ;
  pid_t pid ;
  size_t len = 0 ;
  int wstat ;
  why[0] = 0 ;
  if (pipecoe(p) < 0) return -1 ;
  pid = fork() ;
  if (pid < 0) { int e = errno ; fd_close(p[0]) ; fd_close(p[1]) ; errno = e ; return -1 ; }
  if (!pid)
  {
    gid_t gids[MTD_CONF_GROUPS_MAX] ;
    size_t ngids = 0, pos = 0 ;
    char const *list = s->gidlist ? s->gidlist : "" ;
    char buf[WHY_MAX], real[PATH_MAX] ;
    while (list[pos] && ngids < MTD_CONF_GROUPS_MAX)
    {
      unsigned int g ;
      size_t n = uint_scan(list + pos, &g) ;
      if (!n) break ;
      gids[ngids++] = g ;
      pos += n ;
      if (list[pos] == ',') pos++ ;
    }
    /* minetd-tcp without -G: the primary group alone */
    if (!ngids) gids[ngids++] = s->gid ;
    if (s->chroot && (!realpath(s->chroot, real) || chroot(real) < 0 || chdir("/") < 0))
      why_set(buf, "unable to enter chroot ", s->chroot, ": ", strerror(errno)) ;
    else if (setgroups(ngids, gids) < 0 || setgid(s->gid) < 0 || setuid(s->uid) < 0)
      why_set(buf, "unable to take the credentials of user ", s->user, ": ", strerror(errno)) ;
    else f(s, arg, buf) ;
    allwrite(p[1], buf, strlen(buf)) ;
    _exit(0) ;
  }
  fd_close(p[1]) ;
  for (;;)
  {
    ssize_t r = read(p[0], why + len, WHY_MAX - 1 - len) ;
    if (r < 0 && errno == EINTR) continue ;
    if (r <= 0) break ;
    len += r ;
    if (len >= WHY_MAX - 1) break ;
  }
  why[len] = 0 ;
  fd_close(p[0]) ;
  while (waitpid(pid, &wstat, 0) < 0)
    if (errno != EINTR) return -1 ;
  if (!len && (!WIFEXITED(wstat) || WEXITSTATUS(wstat)))
    why_set(why, "the check as user ", s->user, " did not finish", 0) ;
  return 1 ;
}

/* minetd-tcp -r and minetd-rate -m take the message: the same decoding,
   and minetd-rate's bound. */
static int check_refuse (mtd_conf *c, mtd_conf_service const *s)
{
  char buf[MTD_RATE_MSG_MAX] ;
  size_t len ;
  if (!s->refuse) return 0 ;
  if (strlen(s->refuse) >= MTD_RATE_MSG_MAX)
    ADD(c, s->line, "refuse= message too long (at most 1023 bytes as written)") ;
  else if (!mtd_unescape(buf, s->refuse, &len))
    ADD(c, s->line, "invalid refuse=\"", s->refuse, "\": unknown escape (known: \\r \\n \\t \\\\)") ;
  return 0 ;
}

static int check_rules (mtd_conf *c, mtd_conf_service const *s)
{
  char why[WHY_MAX] ;
  if (!s->rules) return 0 ;
  rules_load(s, 0, why) ;
  if (why[0]) ADD(c, s->line, "rules file ", s->rules, why) ;
  else if (drops_privileges(s))
  {
    if (as_user(s, &rules_load, 0, why) < 0) return -1 ;
    if (why[0]) ADD(c, s->line, "rules file ", s->rules, why, " (as user ", s->user, ", whom the chain runs as)") ;
  }
  return 0 ;
}

static int check_program (mtd_conf *c, mtd_conf_service const *s)
{
  char why[WHY_MAX] ;
  char const *prog = s->argv ? s->argv[0] : 0 ;
  if (!prog || !program_drops(s)) return 0 ;
  if (as_user(s, &can_exec, prog, why) < 0) return -1 ;
  if (why[0] && s->chroot) ADD(c, s->line, "program ", prog, " inside chroot ", s->chroot, ": not executable by user ", s->user, ": ", why) ;
  else if (why[0]) ADD(c, s->line, "program ", prog, ": not executable by user ", s->user, ": ", why) ;
  return 0 ;
}

int mtd_conf_check (mtd_conf *c)
{
  unsigned int before = c->nerrors ;
  for (unsigned int i = 0 ; i < c->n ; i++)
  {
    mtd_conf_service const *s = c->services[i] ;
    if (check_refuse(c, s) < 0 || check_rules(c, s) < 0 || check_program(c, s) < 0) return -1 ;
  }
  return c->nerrors - before ;
}

/* A directory the service's user must be able to search. */
static void can_search (mtd_conf_service const *s, char const *dir, char *why)
{
  (void)s ;
  if (access(dir, X_OK) < 0) why_set(why, strerror(errno), 0, 0, 0) ;
  else why[0] = 0 ;
}

/* rundir: where the file is, if that directory exists, else 0. searched:
   the directory the service's user must search (rundir, or the parent
   it will be created in), or 0 if that is already an error. */
static int check_rate_file (mtd_conf *c, mtd_conf_service const *s, char const *rundir, char const *searched)
{
  char path[PATH_MAX] ;
  char why[WHY_MAX] ;
  size_t rl = rundir ? strlen(rundir) : 0, nl = strlen(s->name) ;
  struct stat st ;
  if (!(s->rate > 0 || s->source_rate > 0)) return 0 ;
  if (!rundir) goto search ;
  if (rl + nl + 7 > sizeof path) { ADD(c, s->line, "rate state file ", rundir, "/", s->name, ".rate: path too long") ; return 0 ; }
  memcpy(path, rundir, rl) ; path[rl] = '/' ;
  memcpy(path + rl + 1, s->name, nl) ; memcpy(path + rl + 1 + nl, ".rate", 6) ;
  /* what minetd-rate refuses when it opens the file (O_NOFOLLOW) */
  if (lstat(path, &st) < 0)
  {
    if (errno != ENOENT) ADD(c, s->line, "rate state file ", path, ": ", strerror(errno)) ;
  }
  else if (S_ISLNK(st.st_mode)) ADD(c, s->line, "rate state file ", path, " is a symbolic link") ;
  else if (!S_ISREG(st.st_mode)) ADD(c, s->line, "rate state file ", path, " is not a regular file") ;
  else if (st.st_nlink != 1) ADD(c, s->line, "rate state file ", path, " has more than one link") ;
  /* with user=, minetd-sup gives the file to the chain's minetd-rate (the
     user, or us when minetd-limit drops) before the chain starts; without,
     the chain has our uid and must own it already */
  else if (!s->has_user && st.st_uid != geteuid()) ADD(c, s->line, "rate state file ", path, " is not owned by the user running minetd-sup") ;
 search:
  if (searched && drops_privileges(s))
  {
    if (as_user(s, &can_search, searched, why) < 0) return -1 ;
    if (why[0]) ADD(c, s->line, "runtime directory ", searched, ": not searchable by user ", s->user, ", who opens the rate state file: ", why) ;
  }
  return 0 ;
}

static int check_rundir_itself (mtd_conf *c, char const *rundir, char const **searched, char **parent)
{
  struct stat st ;
  *searched = 0 ;
  if (!lstat(rundir, &st))
  {
    if (!S_ISDIR(st.st_mode)) ADD(c, 0, "runtime directory ", rundir, ": not a directory") ;
    /* as minetd-sup requires at start: whoever can replace the rate
       state files controls the limits */
    else if (st.st_uid != geteuid() || st.st_mode & 022)
      ADD(c, 0, "runtime directory ", rundir, ": must be owned by us and writable by nobody else") ;
    else if (faccessat(AT_FDCWD, rundir, W_OK | X_OK, AT_EACCESS) < 0)
      ADD(c, 0, "runtime directory ", rundir, ": not writable: ", strerror(errno)) ;
    else *searched = rundir ;
    return 0 ;
  }
  if (errno != ENOENT) { ADD(c, 0, "runtime directory ", rundir, ": ", strerror(errno)) ; return 0 ; }
  /* created at start (not its parents): the parent must take it */
  {
    char const *slash = strrchr(rundir, '/') ;
    *parent = slash == rundir ? strdup("/") : slash ? strndup(rundir, slash - rundir) : strdup(".") ;
    if (!*parent) return -1 ;
    if (stat(*parent, &st) < 0) ADD(c, 0, "runtime directory ", rundir, " cannot be created: ", *parent, ": ", strerror(errno)) ;
    else if (!S_ISDIR(st.st_mode)) ADD(c, 0, "runtime directory ", rundir, " cannot be created: ", *parent, ": not a directory") ;
    else if (faccessat(AT_FDCWD, *parent, W_OK | X_OK, AT_EACCESS) < 0)
      ADD(c, 0, "runtime directory ", rundir, " cannot be created in ", *parent, ": ", strerror(errno)) ;
    else *searched = *parent ;
  }
  return 0 ;
}

int mtd_conf_check_rundir (mtd_conf *c, char const *rundir)
{
  char const *searched ;
  char *parent = 0 ;
  int r = check_rundir_itself(c, rundir, &searched, &parent) ;
  /* a directory still to be created holds no state file yet */
  for (unsigned int i = 0 ; r >= 0 && i < c->n ; i++)
    r = check_rate_file(c, c->services[i], searched == rundir ? rundir : 0, searched) ;
  free(parent) ;
  return r < 0 ? -1 : mtd_conf_settle(c) ;
}
