/* The minetd-limit link: option parsing, the start-up checks of the
   chroot directory, and what the connection process applies before exec.
   Shared by the minetd-limit program and the launchers' fused path. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <skalibs/sgetopt.h>
#include <skalibs/strerr.h>
#include <skalibs/types.h>
#include "mtd_addr.h"
#include "mtd_envmod.h"
#include "mtd_limit.h"
#include "mtd_privdrop.h"
#include "mtd_usage.h"

#define USAGE "minetd-limit [-a bytes] [-c bytes] [-d bytes] [-f bytes] [-o n] [-p n] [-s bytes] [-t seconds] [-n nice] [-M umask] [-/ root] [-N] [-P | -S] [-e VAR=VALUE]... [-x NAME]... [-u uid] [-g gid] [-G gidlist] [-U] [-T seconds [-k seconds]] prog..."
#define OPTIONS "a:c:d:f:o:p:s:t:n:M:/:NPSe:x:u:g:G:UT:k:"

static char const letters[MTD_LIMIT_N] = { 'a', 'c', 'd', 'f', 'o', 'p', 's', 't' } ;
static int const resources[MTD_LIMIT_N] =
{
  RLIMIT_AS, RLIMIT_CORE, RLIMIT_DATA, RLIMIT_FSIZE,
  RLIMIT_NOFILE, RLIMIT_NPROC, RLIMIT_STACK, RLIMIT_CPU
} ;
static char const *const resource_names[MTD_LIMIT_N] =
{
  "RLIMIT_AS", "RLIMIT_CORE", "RLIMIT_DATA", "RLIMIT_FSIZE",
  "RLIMIT_NOFILE", "RLIMIT_NPROC", "RLIMIT_STACK", "RLIMIT_CPU"
} ;

/* a, b, c, d (the non-null ones) into why, cut to MTD_LIMIT_WHY_MAX. */
static void why_set (char *why, char const *a, char const *b, char const *c, char const *d)
{
  char const *parts[4] = { a, b, c, d } ;
  size_t n = 0 ;
  for (unsigned int i = 0 ; i < 4 ; i++)
  {
    size_t l ;
    if (!parts[i]) continue ;
    l = strlen(parts[i]) ;
    if (l > MTD_LIMIT_WHY_MAX - 1 - n) l = MTD_LIMIT_WHY_MAX - 1 - n ;
    memcpy(why + n, parts[i], l) ; n += l ;
  }
  why[n] = 0 ;
}

char mtd_limit_letter (unsigned int i)
{
  return i < MTD_LIMIT_N ? letters[i] : '?' ;
}

/* One number of a value, from s to end (excluded). RLIM_INFINITY is kept
   for "unlimited": a number must stay below it. */
static int scan_one (char const *s, size_t len, int bytes, rlim_t *v, char const **why)
{
  uint64_t n = 0, mult = 1 ;
  size_t i = 0 ;
  if (len == 9 && !memcmp(s, "unlimited", 9)) { *v = RLIM_INFINITY ; return 1 ; }
  if (!len) return (*why = "empty value", 0) ;
  if (s[0] == '-') return (*why = "negative value", 0) ;
  if (s[0] < '0' || s[0] > '9') return (*why = "not a number or \"unlimited\"", 0) ;
  for (; i < len && s[i] >= '0' && s[i] <= '9' ; i++)
  {
    unsigned int d = (unsigned int)(s[i] - '0') ;
    if (n > (UINT64_MAX - d) / 10) return (*why = "value too large", 0) ;
    n = n * 10 + d ;
  }
  if (i < len)
  {
    if (!bytes) return (*why = "not a number (no unit suffix for a count or seconds)", 0) ;
    if (i + 1 < len) return (*why = "unknown unit (k, m or g)", 0) ;
    switch (s[i])
    {
      case 'k' : case 'K' : mult = (uint64_t)1 << 10 ; break ;
      case 'm' : case 'M' : mult = (uint64_t)1 << 20 ; break ;
      case 'g' : case 'G' : mult = (uint64_t)1 << 30 ; break ;
      default : return (*why = "unknown unit (k, m or g)", 0) ;
    }
    if (n > UINT64_MAX / mult) return (*why = "value too large", 0) ;
    n *= mult ;
  }
  /* rlim_t is 64 bits on Linux; the largest value is "unlimited" */
  if (n >= (uint64_t)RLIM_INFINITY) return (*why = "value too large", 0) ;
  *v = (rlim_t)n ;
  return 1 ;
}

int mtd_limit_value_scan (char const *s, int bytes, mtd_limit_rlimit *r, char const **why)
{
  char const *colon = strchr(s, ':') ;
  size_t len = strlen(s) ;
  mtd_limit_rlimit v = { .set = 1 } ;
  if (colon)
  {
    if (!scan_one(s, (size_t)(colon - s), bytes, &v.soft, why)) return 0 ;
    if (!scan_one(colon + 1, len - (size_t)(colon - s) - 1, bytes, &v.hard, why)) return 0 ;
    v.has_hard = 1 ;
    /* RLIM_INFINITY is the largest value, so this covers "unlimited" */
    if (v.soft > v.hard) return (*why = "soft limit above the hard limit", 0) ;
  }
  else if (!scan_one(s, len, bytes, &v.soft, why)) return 0 ;
  *r = v ;
  return 1 ;
}

static void usage (char const *why, char const *what)
{
  strerr_warn(PROG, ": fatal: ", why, what) ;
  strerr_dieusage(100, USAGE) ;
}

static void bad_value (char opt, char const *why, char const *value)
{
  char o[3] = { '-', opt, 0 } ;
  strerr_warn(PROG, ": fatal: invalid value for ", o, ": ", why, ": ", value) ;
  strerr_dieusage(100, USAGE) ;
}

static int scan_int (char const *s, int min, int max, int *v)
{
  unsigned int u ;
  int neg = s[0] == '-' ;
  if (!mtd_uint_scan(s + neg, (unsigned int)(neg ? -(long)min : max), &u)) return 0 ;
  *v = neg ? -(int)u : (int)u ;
  return *v >= min && *v <= max ;
}

/* A variable name as the shell has them: letters, digits, '_', not
   starting with a digit; at most 255 bytes. */
static int var_name_ok (char const *s, size_t len)
{
  if (!len || len > 255 || (s[0] >= '0' && s[0] <= '9')) return 0 ;
  for (size_t i = 0 ; i < len ; i++)
    if (!(s[i] == '_' || (s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z'))) return 0 ;
  return 1 ;
}

int mtd_limit_parse (int argc, char const *const *argv, mtd_limit_config *c)
{
  subgetopt l = SUBGETOPT_ZERO ;
  int had_grace = 0 ;
  mtd_usage_help(argc, argv, USAGE) ;
  memset(c, 0, sizeof *c) ;
  c->umask = -1 ;
  c->grace = MTD_LIMIT_GRACE_DEFAULT ;
  for (;;)
  {
    int opt = subgetopt_r(argc, argv, OPTIONS, &l) ;
    char const *why ;
    char const *p ;
    if (opt == -1) break ;
    p = opt > 0 ? memchr(letters, opt, MTD_LIMIT_N) : 0 ;
    if (p)
    {
      unsigned int i = (unsigned int)(p - letters) ;
      int bytes = i != MTD_LIMIT_NOFILE && i != MTD_LIMIT_NPROC && i != MTD_LIMIT_CPU ;
      if (!mtd_limit_value_scan(l.arg, bytes, &c->rlimit[i], &why)) bad_value((char)opt, why, l.arg) ;
      continue ;
    }
    if (mtd_privdrop_option(&c->priv, opt, l.arg)) continue ;
    switch (opt)
    {
      case 'n' :
        if (!scan_int(l.arg, -20, 19, &c->nice)) bad_value('n', "expected an integer from -20 to 19", l.arg) ;
        c->has_nice = 1 ; break ;
      case 'M' :
      {
        unsigned int u = 0 ;
        size_t n = strlen(l.arg) ;
        if (!n || n > 4 || strspn(l.arg, "01234567") != n) bad_value('M', "expected an octal umask from 0 to 0777", l.arg) ;
        for (size_t i = 0 ; i < n ; i++) u = u * 8 + (unsigned int)(l.arg[i] - '0') ;
        if (u > 0777) bad_value('M', "expected an octal umask from 0 to 0777", l.arg) ;
        c->umask = (int)u ; break ;
      }
      case '/' :
        if (!l.arg[0]) usage("empty chroot directory name", "") ;
        if (l.arg[0] != '/') usage("chroot directory must be an absolute path: ", l.arg) ;
        c->chroot = l.arg ; break ;
      case 'N' : c->no_new_privs = 1 ; break ;
      case 'P' :
        if (c->group == MTD_LIMIT_GROUP_SESSION) usage("-P and -S cannot be used together", "") ;
        c->group = MTD_LIMIT_GROUP_PGRP ; break ;
      case 'S' :
        if (c->group == MTD_LIMIT_GROUP_PGRP) usage("-P and -S cannot be used together", "") ;
        c->group = MTD_LIMIT_GROUP_SESSION ; break ;
      case 'e' :
      {
        char const *eq = strchr(l.arg, '=') ;
        if (!eq || !var_name_ok(l.arg, (size_t)(eq - l.arg))) usage("expected VAR=VALUE for -e: ", l.arg) ;
        if (c->nsetenv >= MTD_LIMIT_VARS_MAX) usage("too many -e options (at most 64)", "") ;
        c->setenv[c->nsetenv++] = l.arg ; break ;
      }
      case 'x' :
        if (!var_name_ok(l.arg, strlen(l.arg))) usage("expected a variable name for -x: ", l.arg) ;
        if (c->npassenv >= MTD_LIMIT_VARS_MAX) usage("too many -x options (at most 64)", "") ;
        c->passenv[c->npassenv++] = l.arg ; break ;
      case 'T' :
        c->time_limit = mtd_uint_option(l.arg, 1, MTD_LIMIT_TIME_MAX, "time limit for -T (seconds)") ;
        break ;
      case 'k' :
        c->grace = mtd_uint_option(l.arg, 0, MTD_LIMIT_TIME_MAX, "grace period for -k (seconds)") ;
        had_grace = 1 ; break ;
      default :
        mtd_usage_bad_option(l.problem, OPTIONS, USAGE) ;
    }
  }
  if (had_grace && !c->time_limit) usage("-k needs -T", "") ;
  mtd_privdrop_finish(&c->priv) ;
  /* the time limit ends the program and whatever it started: a group */
  if (c->time_limit && c->group == MTD_LIMIT_GROUP_NONE) c->group = MTD_LIMIT_GROUP_PGRP ;
  if (l.ind >= argc) usage("missing program to run", "") ;
  return l.ind ;
}

/* A directory on the way to the root may be written only by root or by
   us; a sticky one (/tmp) is allowed to be written by others, who cannot
   then rename what is below it, if the entry below is root's or ours.
   1 if fine, 0 refused, -1 system error; why as mtd_limit_chroot_check. */
static int check_component (char const *path, int last, int below_owned, char *why)
{
  struct stat st ;
  uid_t me = geteuid() ;
  why[0] = 0 ;
  if (lstat(path, &st) < 0)
  {
    if (errno == ENOENT || errno == ENOTDIR) return why_set(why, "chroot directory ", path, ": ", strerror(errno)), 0 ;
    return why_set(why, "stat ", path, 0, 0), -1 ;
  }
  if (!S_ISDIR(st.st_mode)) return why_set(why, "chroot directory ", path, ": not a directory", 0), 0 ;
  if (st.st_uid != 0 && st.st_uid != me)
    return why_set(why, "refusing chroot directory: ", path, " is owned by another user", 0), 0 ;
  if (st.st_mode & (S_IWGRP | S_IWOTH))
  {
    if (last || !(st.st_mode & S_ISVTX) || !below_owned)
      return why_set(why, "refusing chroot directory: ", path, " is writable by group or others", 0), 0 ;
  }
  return 1 ;
}

int mtd_limit_chroot_check (char const *chroot_dir, char *real, char *why)
{
  char path[PATH_MAX] ;
  struct stat st ;
  int r ;
  why[0] = 0 ;
  if (!realpath(chroot_dir, real))
  {
    if (errno == ENOENT || errno == ENOTDIR) return why_set(why, "chroot directory ", chroot_dir, ": ", strerror(errno)), 0 ;
    return why_set(why, "resolve ", chroot_dir, 0, 0), -1 ;
  }
  memcpy(path, real, strlen(real) + 1) ;
  /* from the directory itself up to "/" */
  r = check_component(path, 1, 1, why) ;
  while (r > 0)
  {
    char *slash ;
    int below_owned ;
    if (lstat(path, &st) < 0) return why_set(why, "stat ", path, 0, 0), -1 ;
    below_owned = st.st_uid == 0 || st.st_uid == geteuid() ;
    if (!strcmp(path, "/")) break ;
    slash = strrchr(path, '/') ;
    if (slash == path) slash[1] = 0 ; else *slash = 0 ;
    r = check_component(path, 0, below_owned, why) ;
  }
  return r ;
}

void mtd_limit_start (mtd_limit_config *c)
{
  char why[MTD_LIMIT_WHY_MAX] ;
  int r ;
  if (!c->chroot) return ;
  r = mtd_limit_chroot_check(c->chroot, c->chroot_real, why) ;
  if (r < 0) strerr_diefusys(111, why) ;
  if (!r) strerr_dief(100, why) ;
}

/* Is this variable of the launcher's passed under -x? */
static int passed (mtd_limit_config const *c, char const *var, size_t namelen)
{
  if ((namelen == 5 && !memcmp(var, "PROTO", 5)) || (namelen == 4 && !memcmp(var, "PATH", 4))) return 1 ;
  if (namelen > 3 && (!memcmp(var, "TCP", 3) || !memcmp(var, "UDP", 3))) return 1 ;
  for (unsigned int i = 0 ; i < c->npassenv ; i++)
    if (strlen(c->passenv[i]) == namelen && !memcmp(c->passenv[i], var, namelen)) return 1 ;
  return 0 ;
}

static void set_environment (mtd_limit_config const *c, mtd_envmod *env, int *clean_env)
{
  if (c->npassenv)
  {
    /* The launcher's variables come first, then what earlier links in
       this process set (the UCSPI facts, rule variables), which wins over
       them: each filtered the same way, as an exec chain's minetd-limit
       finds them all in its environment and keeps only those -x names.
       An unset always goes through. */
    static mtd_envmod base ;
    mtd_envmod_init(&base) ;
    for (char **e = environ ; *e ; e++)
    {
      char const *eq = strchr(*e, '=') ;
      if (!eq || !passed(c, *e, (size_t)(eq - *e))) continue ;
      char name[256] ;
      size_t n = (size_t)(eq - *e) ;
      if (n >= sizeof name) continue ;
      memcpy(name, *e, n) ; name[n] = 0 ;
      if (!mtd_envmod_set(&base, name, eq + 1)) strerr_diefusys(111, "set up the environment") ;
    }
    for (size_t i = 0 ; i < env->len ; )
    {
      char const *e = env->s + i ;
      size_t len = strlen(e) + 1 ;
      size_t namelen = strcspn(e, "=") ;
      i += len ;
      if (e[namelen] == '=' && !passed(c, e, namelen)) continue ;
      if (len > MTD_ENVMOD_MAX - base.len) strerr_dief(111, "unable to set up the environment: too many variables") ;
      memcpy(base.s + base.len, e, len) ;
      base.len += len ;
      base.n++ ;
    }
    memcpy(env->s, base.s, base.len) ;
    env->len = base.len ;
    env->n = base.n ;
    *clean_env = 1 ;
  }
  for (unsigned int i = 0 ; i < c->nsetenv ; i++)
  {
    char const *s = c->setenv[i] ;
    char name[256] ;
    size_t n = (size_t)(strchr(s, '=') - s) ;
    /* mtd_limit_parse refused longer names */
    if (n >= sizeof name) continue ;
    memcpy(name, s, n) ; name[n] = 0 ;
    if (!mtd_envmod_set(env, name, s + n + 1)) strerr_diefusys(111, "set up the environment") ;
  }
}

void mtd_limit_child (mtd_limit_config const *c, mtd_envmod *env, int *clean_env)
{
  if (c->group == MTD_LIMIT_GROUP_SESSION)
  {
    if (setsid() < 0) strerr_diefusys(111, "start a new session") ;
  }
  else if (c->group == MTD_LIMIT_GROUP_PGRP)
  {
    if (setpgid(0, 0) < 0) strerr_diefusys(111, "start a new process group") ;
  }
  set_environment(c, env, clean_env) ;
  for (unsigned int i = 0 ; i < MTD_LIMIT_N ; i++)
  {
    struct rlimit r ;
    if (!c->rlimit[i].set) continue ;
    if (getrlimit(resources[i], &r) < 0) strerr_diefusys(111, "read ", resource_names[i]) ;
    r.rlim_cur = c->rlimit[i].soft ;
    if (c->rlimit[i].has_hard) r.rlim_max = c->rlimit[i].hard ;
    else if (r.rlim_cur > r.rlim_max)
    {
      char o[3] = { '-', letters[i], 0 } ;
      strerr_dief(111, "unable to set ", resource_names[i], " (", o, "): soft limit above the current hard limit") ;
    }
    if (setrlimit(resources[i], &r) < 0) strerr_diefusys(111, "set ", resource_names[i]) ;
  }
  if (c->has_nice)
  {
    errno = 0 ;
    if (setpriority(PRIO_PROCESS, 0, c->nice) < 0) strerr_diefusys(111, "set the nice value") ;
  }
  if (c->umask >= 0) umask((mode_t)c->umask) ;
  if (c->chroot)
  {
    if (chroot(c->chroot_real) < 0) strerr_diefusys(111, "chroot to ", c->chroot_real) ;
    if (chdir("/") < 0) strerr_diefusys(111, "chdir to / in ", c->chroot_real) ;
  }
  /* after everything that needs root: the chroot, a raised hard limit,
     a negative nice */
  mtd_privdrop_apply(&c->priv) ;
  if (c->no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
    strerr_diefusys(111, "set no_new_privs") ;
}

unsigned int mtd_limit_deadline (mtd_limit_config const *c)
{
  return c->time_limit ;
}

unsigned int mtd_limit_grace (mtd_limit_config const *c)
{
  return c->grace ;
}

int mtd_limit_var_name_ok (char const *s, size_t len)
{
  return var_name_ok(s, len) ;
}
