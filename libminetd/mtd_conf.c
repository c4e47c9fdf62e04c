/* minetd.conf parser: one "service" line per service, seed form unchanged,
   key=value options between the rate and the program. Every error found,
   never only the first: an operator fixes a file in one round. */
#include <netdb.h>
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <grp.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <skalibs/types.h>
#include <skalibs/stralloc.h>
#include <skalibs/djbunix.h>
#include "mtd_addr.h"
#include "mtd_conf.h"
#include "mtd_file.h"
#include "mtd_limit.h"
#include "mtd_proxy.h"

char const *const mtd_conf_keys[] =
{
  "user", "group", "maxconn", "persource", "source_rate", "prefix4", "prefix6",
  "backlog", "rules", "rules_default", "refuse", "stderr", "nodelay", "keepalive", "verbose",
  "wait", "activation", "idle",
  "rlimit_as", "rlimit_core", "rlimit_data", "rlimit_fsize", "rlimit_files", "rlimit_nproc",
  "rlimit_stack", "rlimit_cpu", "nice", "umask", "chroot", "no_new_privs", "process_group",
  "env", "passenv", "time_limit", "time_limit_grace",
  "proxy", "proxy_from", "proxy_untrusted", "proxy_timeout", 0
} ;

/* minetd-limit's order (MTD_LIMIT_AS ...): the key of rlimit[i]. */
char const *const mtd_conf_rlimit_keys[MTD_CONF_RLIMITS] =
{
  "rlimit_as", "rlimit_core", "rlimit_data", "rlimit_fsize", "rlimit_files", "rlimit_nproc",
  "rlimit_stack", "rlimit_cpu"
} ;

/* env= and passenv= add to a list: they may be given again on a line. */
static int repeatable (char const *key)
{
  return !strcmp(key, "env") || !strcmp(key, "passenv") ;
}

char const *const mtd_conf_internals[] = { "echo", "discard", "daytime", "time", "chargen", 0 } ;

typedef struct parse_s parse ;
struct parse_s
{
  mtd_conf *c ;
  char const *dir ;      /* absolute directory of file, for relative paths */
  unsigned int line ;
  int nomem ;
} ;

/* A word quoted in a message is cut: a line of the log stays readable. */
#define PIECE_MAX 256

static int cat_piece (stralloc *sa, char const *s)
{
  size_t len = strlen(s) ;
  if (len <= PIECE_MAX) return stralloc_catb(sa, s, len) ;
  return stralloc_catb(sa, s, PIECE_MAX) && stralloc_catb(sa, "...", 3) ;
}

int mtd_conf_error (mtd_conf *c, unsigned int line, char const *const *parts, unsigned int n)
{
  char fmt[UINT_FMT] ;
  stralloc *sa = &c->errors ;
  int ok ;
  fmt[uint_fmt(fmt, line)] = 0 ;
  ok = stralloc_cats(sa, c->file ? c->file : "(config)") && stralloc_catb(sa, ":", 1)
    && (!line || (stralloc_cats(sa, fmt) && stralloc_catb(sa, ":", 1)))
    && stralloc_catb(sa, " ", 1) ;
  for (unsigned int i = 0 ; ok && i < n ; i++) if (parts[i]) ok = cat_piece(sa, parts[i]) ;
  ok = ok && stralloc_catb(sa, "\n", 1) ;
  c->nerrors++ ;
  return ok ;
}

static void err (parse *p, char const *a, char const *b, char const *c, char const *d, char const *e)
{
  char const *parts[5] = { a, b, c, d, e } ;
  if (!mtd_conf_error(p->c, p->line, parts, 5)) p->nomem = 1 ;
}

static char *dupstr (parse *p, char const *s)
{
  char *d = strdup(s) ;
  if (!d) p->nomem = 1 ;
  return d ;
}

void mtd_conf_service_free (mtd_conf_service *s)
{
  if (!s) return ;
  free(s->name) ; free(s->hosttext) ; free(s->user) ; free(s->gidlist) ;
  free(s->group) ; free(s->rules) ; free(s->refuse) ; free(s->internal) ;
  free(s->proxy) ; free(s->proxy_from) ;
  if (s->argv) for (unsigned int i = 0 ; i < s->argc ; i++) free(s->argv[i]) ;
  free(s->argv) ;
  for (unsigned int i = 0 ; i < MTD_CONF_RLIMITS ; i++) free(s->rlimit[i]) ;
  free(s->chroot) ;
  for (unsigned int i = 0 ; i < s->nenv ; i++) free(s->env[i]) ;
  free(s->env) ;
  for (unsigned int i = 0 ; i < s->npassenv ; i++) free(s->passenv[i]) ;
  free(s->passenv) ;
  free(s) ;
}

void mtd_conf_free (mtd_conf *c)
{
  for (unsigned int i = 0 ; i < c->n ; i++) mtd_conf_service_free(c->services[i]) ;
  c->n = 0 ;
  free(c->file) ;
  c->file = 0 ;
  stralloc_free(&c->errors) ;
  c->nerrors = 0 ;
}

mtd_conf_service *mtd_conf_take (mtd_conf *c, unsigned int i)
{
  mtd_conf_service *s = c->services[i] ;
  c->services[i] = 0 ;
  return s ;
}

/* Splits a line into words in place. Blanks separate words; inside "..."
   blanks are kept and \" \\ are the only escapes (other backslashes stay,
   for minetd-tcp's \r \n \t); inside '...' everything is literal.
   Returns the number of words, or -1 with *why set. */
static int split_words (char *s, char **words, unsigned int max, char const **why)
{
  unsigned int n = 0 ;
  char *r = s, *w = s ;
  for (;;)
  {
    while (*r == ' ' || *r == '\t' || *r == '\r') r++ ;
    /* as in rules files: an unquoted # where a word begins starts a
       comment, which runs to the end of the line */
    if (!*r || *r == '#') break ;
    if (n >= max) { *why = "too many words (at most 136)" ; return -1 ; }
    words[n++] = w ;
    /* in place, w never passes r: a word's length is checked once it ends */
    while (*r && *r != ' ' && *r != '\t' && *r != '\r')
    {
      if (*r == '"')
      {
        r++ ;
        while (*r && *r != '"')
        {
          if (*r == '\\' && (r[1] == '"' || r[1] == '\\')) r++ ;
          *w++ = *r++ ;
        }
        if (!*r) { *why = "unterminated \" quote" ; return -1 ; }
        r++ ;
      }
      else if (*r == '\'')
      {
        r++ ;
        while (*r && *r != '\'') *w++ = *r++ ;
        if (!*r) { *why = "unterminated ' quote" ; return -1 ; }
        r++ ;
      }
      else *w++ = *r++ ;
    }
    if (*r) r++ ;
    if ((size_t)(w - words[n-1]) > MTD_CONF_WORD_MAX) { *why = "word too long (at most 4095 bytes)" ; return -1 ; }
    *w++ = 0 ;
  }
  return (int)n ;
}

static unsigned int edit_distance (char const *a, char const *b)
{
  size_t la = strlen(a), lb = strlen(b) ;
  unsigned int row[32] ;
  if (la > 30 || lb > 30) return 99 ;
  for (size_t j = 0 ; j <= lb ; j++) row[j] = j ;
  for (size_t i = 1 ; i <= la ; i++)
  {
    unsigned int diag = row[0] ;
    row[0] = i ;
    for (size_t j = 1 ; j <= lb ; j++)
    {
      unsigned int up = row[j] ;
      unsigned int best = diag + (a[i-1] != b[j-1]) ;
      if (up + 1 < best) best = up + 1 ;
      if (row[j-1] + 1 < best) best = row[j-1] + 1 ;
      row[j] = best ;
      diag = up ;
    }
  }
  return row[lb] ;
}

static char const *closest_key (char const *key)
{
  char const *best = 0 ;
  unsigned int bestd = 3 ;
  size_t klen = strlen(key) ;
  for (unsigned int i = 0 ; mtd_conf_keys[i] ; i++)
  {
    unsigned int d = edit_distance(key, mtd_conf_keys[i]) ;
    if (klen >= 3 && !strncmp(key, mtd_conf_keys[i], klen) && d > 1) d = 2 ;
    if (d < bestd) { bestd = d ; best = mtd_conf_keys[i] ; }
  }
  return best ;
}

/* "key=value" with key [a-z][a-z0-9_]*: an option, not the program. */
static int is_option (char const *w)
{
  size_t i = 0 ;
  if (w[0] < 'a' || w[0] > 'z') return 0 ;
  while ((w[i] >= 'a' && w[i] <= 'z') || (w[i] >= '0' && w[i] <= '9') || w[i] == '_') i++ ;
  return w[i] == '=' ;
}

static int name_ok (char const *s)
{
  size_t i = 0 ;
  if (!*s || *s == '.' || *s == '-') return 0 ;
  for (; s[i] ; i++)
    if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9')
       || s[i] == '_' || s[i] == '-' || s[i] == '.')) return 0 ;
  return i <= MTD_CONF_NAME_MAX ;
}

/* A path as the chain will exec it: absolute as is; with a slash, relative
   to the config file's directory; bare, searched in PATH. 0 if not found. */
static char *resolve_path (parse *p, char const *w, int search_path)
{
  if (w[0] == '/') return dupstr(p, w) ;
  if (!strchr(w, '/') && search_path)
  {
    char const *path = getenv("PATH") ;
    if (!path) path = "/usr/local/bin:/usr/bin:/bin" ;
    while (*path)
    {
      size_t dlen = strcspn(path, ":") ;
      if (dlen && path[0] == '/' && dlen + strlen(w) + 2 <= PATH_MAX)
      {
        char buf[PATH_MAX] ;
        struct stat st ;
        memcpy(buf, path, dlen) ; buf[dlen] = '/' ;
        strcpy(buf + dlen + 1, w) ;
        if (!stat(buf, &st) && S_ISREG(st.st_mode) && !access(buf, X_OK)) return dupstr(p, buf) ;
      }
      path += dlen ;
      if (*path == ':') path++ ;
    }
    return 0 ;
  }
  {
    size_t dl = strlen(p->dir) ;
    char *r ;
    if (dl + strlen(w) + 2 > PATH_MAX)
    {
      err(p, "path too long: ", p->dir, "/", w, "") ;
      return 0 ;
    }
    r = malloc(dl + strlen(w) + 2) ;
    if (!r) { p->nomem = 1 ; return 0 ; }
    memcpy(r, p->dir, dl) ;
    r[dl] = '/' ;
    strcpy(r + dl + 1, w) ;
    return r ;
  }
}

static int yesno (char const *v)
{
  if (!strcmp(v, "yes") || !strcmp(v, "on") || !strcmp(v, "1") || !strcmp(v, "true")) return 1 ;
  if (!strcmp(v, "no") || !strcmp(v, "off") || !strcmp(v, "0") || !strcmp(v, "false")) return 0 ;
  return -1 ;
}

/* Credentials, once every option of the line is read, so the order of
   user= and group= never matters. group= is the primary group; without
   it, the user's from passwd. The supplementary groups are the primary
   group and every group the group database lists the user in: the
   passwd primary group that group= replaced is not kept behind its back. */
static void set_credentials (parse *p, mtd_conf_service *s)
{
  struct passwd *pw = 0 ;
  unsigned int u ;
  if (s->group)
  {
    struct group *gr = getgrnam(s->group) ;
    if (gr && gr->gr_gid <= MTD_CONF_ID_MAX) s->gid = gr->gr_gid ;
    else if (!gr && mtd_uint_scan(s->group, MTD_CONF_ID_MAX, &u)) s->gid = u ;
    else if (gr) { err(p, "group \"", s->group, "\" has a gid over 2147483647", 0, 0) ; return ; }
    else { err(p, "unknown group \"", s->group, "\"", 0, 0) ; return ; }
    s->has_group = 1 ;
  }
  /* group= alone would run the program as root with a root's groups but
     one: not what anyone means by it */
  if (!s->user)
  {
    if (s->has_group) err(p, "group= needs user= (alone it would leave the program running as root)", 0, 0, 0, 0) ;
    return ;
  }
  pw = getpwnam(s->user) ;
  if (!pw && mtd_uint_scan(s->user, MTD_CONF_ID_MAX, &u)) pw = getpwuid(u) ;
  if (!pw)
  {
    if (!mtd_uint_scan(s->user, MTD_CONF_ID_MAX, &u)) { err(p, "unknown user \"", s->user, "\"", 0, 0) ; return ; }
    /* a bare uid with no passwd entry is allowed: its group is the same
       number, and it is in no other group */
    s->uid = u ;
    if (!s->has_group) s->gid = u ;
    s->has_user = 1 ;
    s->gidlist = dupstr(p, "") ;
    return ;
  }
  if (pw->pw_uid > MTD_CONF_ID_MAX || (!s->has_group && pw->pw_gid > MTD_CONF_ID_MAX))
  {
    err(p, "user \"", s->user, "\" has a uid or gid over 2147483647", 0, 0) ;
    return ;
  }
  s->uid = pw->pw_uid ;
  if (!s->has_group) s->gid = pw->pw_gid ;
  s->has_user = 1 ;
  {
    gid_t groups[MTD_CONF_GROUPS_MAX] ;
    int ng = MTD_CONF_GROUPS_MAX ;
    char buf[MTD_CONF_GROUPS_MAX * (GID_FMT + 1) + 1] ;
    size_t len = 0 ;
    if (getgrouplist(pw->pw_name, s->gid, groups, &ng) < 0)
    {
      char fmt[UINT_FMT] ;
      fmt[uint_fmt(fmt, (unsigned int)ng)] = 0 ;
      err(p, "user \"", s->user, "\" is in ", fmt, " groups: at most 64 are supported") ;
      return ;
    }
    for (int i = 0 ; i < ng ; i++)
    {
      if (groups[i] > MTD_CONF_ID_MAX) { err(p, "user \"", s->user, "\" is in a group with a gid over 2147483647", 0, 0) ; return ; }
      if (len) buf[len++] = ',' ;
      len += gid_fmt(buf + len, groups[i]) ;
    }
    buf[len] = 0 ;
    s->gidlist = dupstr(p, buf) ;
  }
}

static void set_uint (parse *p, int *field, char const *key, char const *v, unsigned int min, unsigned int max)
{
  unsigned int u ;
  char fmin[UINT_FMT], fmax[UINT_FMT] ;
  if (mtd_uint_scan(v, max, &u) && u >= min) { *field = (int)u ; return ; }
  fmin[uint_fmt(fmin, min)] = 0 ;
  fmax[uint_fmt(fmax, max)] = 0 ;
  err(p, "invalid ", key, "=\"", v, "\"") ;
  /* the reason on the same line reads better than two lines */
  p->c->errors.len-- ;
  if (!stralloc_cats(&p->c->errors, ": expected an integer from ") || !stralloc_cats(&p->c->errors, fmin)
   || !stralloc_cats(&p->c->errors, " to ") || !stralloc_cats(&p->c->errors, fmax)
   || !stralloc_catb(&p->c->errors, "\n", 1)) p->nomem = 1 ;
}

static void set_bool (parse *p, int *field, char const *key, char const *v)
{
  int b = yesno(v) ;
  if (b < 0) err(p, "invalid ", key, "=\"", v, "\": expected yes or no") ;
  else *field = b ;
}

/* VAR=VALUE, or NAME if !value: a name minetd-limit -e and -x take. */
static int var_ok (char const *w, int value)
{
  char const *eq = value ? strchr(w, '=') : w + strlen(w) ;
  return eq && mtd_limit_var_name_ok(w, (size_t)(eq - w)) ;
}

/* Appends a copy of w to a list of at most MTD_CONF_VARS_MAX words. */
static void list_add (parse *p, char ***list, unsigned int *n, char const *key, char const *w, size_t len)
{
  char **l ;
  if (*n >= MTD_CONF_VARS_MAX) { err(p, "too many ", key, "= variables (at most 64)", 0, 0) ; return ; }
  l = realloc(*list, (*n + 1) * sizeof *l) ;
  if (!l) { p->nomem = 1 ; return ; }
  *list = l ;
  l[*n] = strndup(w, len) ;
  if (!l[*n]) { p->nomem = 1 ; return ; }
  (*n)++ ;
}

/* The keys that become the minetd-limit link, checked as minetd-limit
   checks its options (the same scanner for the limits): what -t accepts
   the link accepts. */
static void limit_option (parse *p, mtd_conf_service *s, char const *key, char const *v)
{
  for (unsigned int i = 0 ; i < MTD_CONF_RLIMITS ; i++)
    if (!strcmp(key, mtd_conf_rlimit_keys[i]))
    {
      mtd_limit_rlimit r ;
      char const *why ;
      int bytes = i != MTD_LIMIT_NOFILE && i != MTD_LIMIT_NPROC && i != MTD_LIMIT_CPU ;
      if (mtd_limit_value_scan(v, bytes, &r, &why)) s->rlimit[i] = dupstr(p, v) ;
      else
      {
        char const *parts[6] = { "invalid ", key, "=\"", v, "\": ", why } ;
        if (!mtd_conf_error(p->c, p->line, parts, 6)) p->nomem = 1 ;
      }
      return ;
    }
  if (!strcmp(key, "nice"))
  {
    unsigned int u ;
    int neg = v[0] == '-' ;
    if (!mtd_uint_scan(v + neg, neg ? 20 : 19, &u)) err(p, "invalid nice=\"", v, "\": expected an integer from -20 to 19", 0, 0) ;
    else { s->has_nice = 1 ; s->nice = neg ? -(int)u : (int)u ; }
  }
  else if (!strcmp(key, "umask"))
  {
    size_t n = strlen(v) ;
    unsigned int u = 0 ;
    if (n && n <= 4 && strspn(v, "01234567") == n)
      for (size_t i = 0 ; i < n ; i++) u = u * 8 + (unsigned int)(v[i] - '0') ;
    if (!n || n > 4 || strspn(v, "01234567") != n || u > 0777)
      err(p, "invalid umask=\"", v, "\": expected an octal umask from 0 to 0777", 0, 0) ;
    else s->umask = (int)u ;
  }
  else if (!strcmp(key, "chroot"))
  {
    if (v[0] != '/') err(p, "invalid chroot=\"", v, "\": expected an absolute directory", 0, 0) ;
    else s->chroot = dupstr(p, v) ;
  }
  else if (!strcmp(key, "no_new_privs")) set_bool(p, &s->no_new_privs, key, v) ;
  else if (!strcmp(key, "process_group"))
  {
    int b = yesno(v) ;
    if (!strcmp(v, "session")) s->process_group = 2 ;
    else if (b >= 0) s->process_group = b ;
    else err(p, "invalid process_group=\"", v, "\": expected yes, no or session", 0, 0) ;
  }
  else if (!strcmp(key, "env"))
  {
    if (!var_ok(v, 1)) err(p, "invalid env=\"", v, "\": expected env=VAR=VALUE, VAR of letters, digits and _, not starting with a digit", 0, 0) ;
    else list_add(p, &s->env, &s->nenv, key, v, strlen(v)) ;
  }
  else if (!strcmp(key, "passenv"))
  {
    char const *w = v ;
    for (;;)
    {
      size_t len = strcspn(w, ",") ;
      char name[256] ;
      int good = len && len < sizeof name ;
      if (good) { memcpy(name, w, len) ; name[len] = 0 ; good = var_ok(name, 0) ; }
      if (!good)
      {
        err(p, "invalid passenv=\"", v, "\": expected NAME[,NAME...], each of letters, digits and _, not starting with a digit", 0, 0) ;
        return ;
      }
      list_add(p, &s->passenv, &s->npassenv, key, w, len) ;
      if (!w[len]) break ;
      w += len + 1 ;
    }
  }
  else if (!strcmp(key, "time_limit")) set_uint(p, &s->time_limit, key, v, 1, MTD_LIMIT_TIME_MAX) ;
  else if (!strcmp(key, "time_limit_grace")) set_uint(p, &s->time_limit_grace, key, v, 0, MTD_LIMIT_TIME_MAX) ;
}

/* proxy_from=PREFIX[,PREFIX...]: the prefixes minetd-tcp -F takes */
static void proxy_from (parse *p, mtd_conf_service *s, char const *v)
{
  char const *w = v ;
  unsigned int n = 0 ;
  for (;;)
  {
    size_t len = strcspn(w, ",") ;
    char one[64] ;
    ip46 net ;
    unsigned int bits ;
    char const *why = "expected PREFIX[,PREFIX...]" ;
    int good = len && len < sizeof one && ++n <= 32 ;
    if (n > 32) why = "at most 32 prefixes" ;
    if (good) { memcpy(one, w, len) ; one[len] = 0 ; good = mtd_prefix_scan(one, &net, &bits, &why) ; }
    if (!good)
    {
      char const *parts[4] = { "invalid proxy_from=\"", v, "\": ", why } ;
      if (!mtd_conf_error(p->c, p->line, parts, 4)) p->nomem = 1 ;
      return ;
    }
    if (!w[len]) break ;
    w += len + 1 ;
  }
  s->proxy_from = dupstr(p, v) ;
}

static void option (parse *p, mtd_conf_service *s, char const *w, uint64_t *seen)
{
  char const *eq = strchr(w, '=') ;
  size_t klen = eq - w ;
  char key[32] ;
  char const *v = eq + 1 ;
  unsigned int i = 0 ;
  if (klen >= sizeof key) klen = sizeof key - 1 ;
  memcpy(key, w, klen) ; key[klen] = 0 ;
  for (; mtd_conf_keys[i] ; i++) if (!strcmp(key, mtd_conf_keys[i])) break ;
  if (!mtd_conf_keys[i])
  {
    /* setrlimit's name for it, and ulimit's */
    char const *hint = !strcmp(key, "rlimit_nofile") ? "rlimit_files" : closest_key(key) ;
    if (hint) err(p, "unknown option \"", key, "\" (did you mean \"", hint, "\"?)") ;
    else err(p, "unknown option \"", key, "\"", 0, 0) ;
    return ;
  }
  if (*seen & ((uint64_t)1 << i) && !repeatable(key)) { err(p, "option \"", key, "\" given twice", 0, 0) ; return ; }
  *seen |= (uint64_t)1 << i ;
  if (!strncmp(key, "rlimit_", 7) || !strcmp(key, "nice") || !strcmp(key, "umask") || !strcmp(key, "chroot")
   || !strcmp(key, "no_new_privs") || !strcmp(key, "process_group") || repeatable(key) || !strncmp(key, "time_limit", 10))
  {
    limit_option(p, s, key, v) ;
    return ;
  }
  if (!strcmp(key, "user")) s->user = dupstr(p, v) ;
  else if (!strcmp(key, "group")) s->group = dupstr(p, v) ;
  else if (!strcmp(key, "maxconn")) set_uint(p, &s->maxconn, key, v, 1, 65535) ;
  else if (!strcmp(key, "persource")) set_uint(p, &s->persource, key, v, 1, 65535) ;
  else if (!strcmp(key, "source_rate")) set_uint(p, &s->source_rate, key, v, 0, 1000000) ;
  else if (!strcmp(key, "prefix4")) set_uint(p, &s->prefix4, key, v, 0, 32) ;
  else if (!strcmp(key, "prefix6")) set_uint(p, &s->prefix6, key, v, 0, 128) ;
  else if (!strcmp(key, "backlog")) set_uint(p, &s->backlog, key, v, 1, 65535) ;
  else if (!strcmp(key, "stderr")) set_bool(p, &s->stderr_to_socket, key, v) ;
  else if (!strcmp(key, "nodelay")) set_bool(p, &s->nodelay, key, v) ;
  else if (!strcmp(key, "keepalive")) set_bool(p, &s->keepalive, key, v) ;
  else if (!strcmp(key, "verbose")) set_bool(p, &s->verbose, key, v) ;
  else if (!strcmp(key, "wait")) set_bool(p, &s->wait, key, v) ;
  else if (!strcmp(key, "idle")) set_uint(p, &s->idle, key, v, 1, MTD_CONF_IDLE_MAX) ;
  else if (!strcmp(key, "activation"))
  {
    if (!strcmp(v, "systemd")) s->activation = 1 ;
    else if (!strcmp(v, "inetd")) s->activation = 0 ;
    else err(p, "invalid activation=\"", v, "\": expected inetd (the socket on fd 0) or systemd (LISTEN_FDS, fd 3)", 0, 0) ;
  }
  else if (!strcmp(key, "refuse"))
  {
    if (!*v) err(p, "empty refuse= message", 0, 0, 0, 0) ;
    else s->refuse = dupstr(p, v) ;
  }
  else if (!strcmp(key, "proxy"))
  {
    if (!mtd_proxy_versions_scan(v)) err(p, "invalid proxy=\"", v, "\": expected v1, v2 or any", 0, 0) ;
    else s->proxy = dupstr(p, v) ;
  }
  else if (!strcmp(key, "proxy_from")) proxy_from(p, s, v) ;
  else if (!strcmp(key, "proxy_untrusted"))
  {
    if (!strcmp(v, "serve")) s->proxy_untrusted = 0 ;
    else if (!strcmp(v, "refuse")) s->proxy_untrusted = 1 ;
    else err(p, "invalid proxy_untrusted=\"", v, "\": expected serve (as without a balancer) or refuse", 0, 0) ;
  }
  else if (!strcmp(key, "proxy_timeout")) set_uint(p, &s->proxy_timeout, key, v, 1, 3600) ;
  else if (!strcmp(key, "rules_default"))
  {
    if (!strcmp(v, "allow")) s->rules_default = 1 ;
    else if (!strcmp(v, "deny")) s->rules_default = 0 ;
    else err(p, "invalid rules_default=\"", v, "\": expected allow or deny", 0, 0) ;
  }
  else if (!strcmp(key, "rules"))
  {
    /* read and parsed later, by mtd_conf_check, as minetd-env will */
    if (!*v) { err(p, "empty rules= path", 0, 0, 0, 0) ; return ; }
    s->rules = resolve_path(p, v, 0) ;
  }
}

/* Whether option key was on the line, in the bits option() sets. */
static int key_seen (uint64_t seen, char const *key)
{
  for (unsigned int i = 0 ; mtd_conf_keys[i] ; i++)
    if (!strcmp(key, mtd_conf_keys[i])) return !!(seen & ((uint64_t)1 << i)) ;
  return 0 ;
}

/* internal:NAME, the services minetd-internal serves: nothing to find in
   PATH, and no arguments (inetd's "internal" takes none either). */
static void set_internal (parse *p, mtd_conf_service *s, char const *w, unsigned int nargs)
{
  char const *name = w + 9 ;
  unsigned int i = 0 ;
  for (; mtd_conf_internals[i] ; i++) if (!strcmp(name, mtd_conf_internals[i])) break ;
  if (!mtd_conf_internals[i])
  {
    err(p, "unknown internal service \"", name, "\": expected echo, discard, daytime, time or chargen", 0, 0) ;
    return ;
  }
  if (nargs) err(p, w, " takes no arguments: nothing may follow it", 0, 0, 0) ;
  s->internal = dupstr(p, name) ;
}

/* With chroot=, the directory is checked as minetd-limit checks it when
   it starts (mtd_limit_chroot_check); then the program, exec'd inside it,
   is an absolute path there or a bare name searched in PATH there, looked
   up as the resolved directory + path. A refused directory is the error,
   not the program in it too. */
static void check_program_in_chroot (parse *p, mtd_conf_service *s, char const *w)
{
  char buf[PATH_MAX], real[PATH_MAX], why[MTD_LIMIT_WHY_MAX] ;
  struct stat st ;
  size_t cl ;
  int r ;
  if (w[0] != '/' && strchr(w, '/'))
    err(p, "program ", w, ": with chroot= write the program's absolute path inside the chroot, or a name found in PATH there", 0, 0) ;
  r = mtd_limit_chroot_check(s->chroot, real, why) ;
  if (r < 0)
  {
    char const *parts[6] = { "chroot=", s->chroot, ": unable to ", why, ": ", strerror(errno) } ;
    if (!mtd_conf_error(p->c, p->line, parts, 6)) p->nomem = 1 ;
  }
  else if (!r) err(p, why, 0, 0, 0, 0) ;
  if (r <= 0 || (w[0] != '/' && strchr(w, '/'))) { s->argv[0] = dupstr(p, w) ; return ; }
  /* "/" adds nothing before the path */
  cl = strcmp(real, "/") ? strlen(real) : 0 ;
  if (w[0] != '/')
  {
    char const *path = getenv("PATH") ;
    if (!path) path = "/usr/local/bin:/usr/bin:/bin" ;
    while (*path)
    {
      size_t dlen = strcspn(path, ":") ;
      if (dlen && path[0] == '/' && cl + dlen + strlen(w) + 2 <= PATH_MAX)
      {
        memcpy(buf, real, cl) ;
        memcpy(buf + cl, path, dlen) ; buf[cl + dlen] = '/' ;
        strcpy(buf + cl + dlen + 1, w) ;
        if (!stat(buf, &st) && S_ISREG(st.st_mode) && !access(buf, X_OK)) { s->argv[0] = dupstr(p, buf + cl) ; return ; }
      }
      path += dlen ;
      if (*path == ':') path++ ;
    }
    err(p, "program \"", w, "\" not found in PATH inside chroot ", s->chroot, 0) ;
    return ;
  }
  if (cl + strlen(w) + 1 > PATH_MAX) { err(p, "path too long: ", s->chroot, w, 0, 0) ; return ; }
  memcpy(buf, real, cl) ; strcpy(buf + cl, w) ;
  s->argv[0] = dupstr(p, w) ;
  {
    char const *why = 0 ;
    if (stat(buf, &st) < 0) why = strerror(errno) ;
    else if (!S_ISREG(st.st_mode)) why = "not a regular file" ;
    else if (access(buf, X_OK) < 0) why = "not executable" ;
    if (why)
    {
      char const *parts[6] = { "program ", w, " inside chroot ", s->chroot, ": ", why } ;
      if (!mtd_conf_error(p->c, p->line, parts, 6)) p->nomem = 1 ;
    }
  }
}

/* bad_chroot: chroot= was given but refused; where the program would be
   is unknown then, and only chroot= is the error. */
static void check_program (parse *p, mtd_conf_service *s, char const *w, int bad_chroot)
{
  struct stat st ;
  char *prog ;
  if (s->chroot) { check_program_in_chroot(p, s, w) ; return ; }
  if (bad_chroot) { s->argv[0] = dupstr(p, w) ; return ; }
  prog = resolve_path(p, w, 1) ;
  if (!prog)
  {
    if (!p->nomem && !strchr(w, '/')) err(p, "program \"", w, "\" not found in PATH", 0, 0) ;
    return ;
  }
  s->argv[0] = prog ;
  if (stat(prog, &st) < 0) err(p, "program ", prog, ": ", strerror(errno), 0) ;
  else if (!S_ISREG(st.st_mode)) err(p, "program ", prog, ": not a regular file", 0, 0) ;
  else if (access(prog, X_OK) < 0) err(p, "program ", prog, ": not executable", 0, 0) ;
}

/* What a tcp service with wait=yes cannot do: its program accepts the
   connections, minetd-tcp never sees them to count, limit or refuse. */
static char const *const not_tcp_wait[] =
{
  "source_rate", "maxconn", "persource", "prefix4", "prefix6", "refuse", "stderr", 0
} ;

/* What a udp service cannot do, and why. */
static char const *const not_udp[][2] =
{
  { "nodelay", "TCP_NODELAY is a TCP option" },
  { "keepalive", "SO_KEEPALIVE is a TCP option" },
  { "backlog", "a UDP socket has no queue of connections" },
  { "refuse", "a refused datagram is dropped, there is no connection to answer on" },
  { "stderr", "there is no connection to send the program's errors to" },
  { 0, 0 }
} ;

/* The options that depend on the protocol and on wait=, checked once the
   whole line is read (the order of options never matters). prog: the
   program word, for messages. */
static void check_kind (parse *p, mtd_conf_service *s, uint64_t seen, char const *prog)
{
  int udp = s->proto == MTD_CONF_UDP ;
  if (s->wait < 0) s->wait = udp ;
  /* a wait-mode program serves every connection: a time limit would end
     all of them, and the launcher refuses it (-w with -T) */
  if (s->time_limit >= 0 && s->wait)
    err(p, "time_limit= does not apply to a service with wait=yes: one program serves every connection (wait=no gives each its own)", 0, 0, 0, 0) ;
  if (s->time_limit_grace >= 0 && !key_seen(seen, "time_limit"))
    err(p, "time_limit_grace= without time_limit=: there is no time limit to give a grace period to", 0, 0, 0, 0) ;
  if (s->time_limit >= 0 && s->process_group == 0)
    err(p, "time_limit= with process_group=no: the time limit ends the connection's process group, which it must have", 0, 0, 0, 0) ;
  if (s->chroot && s->internal)
    err(p, "chroot= does not apply to an internal service: minetd-internal would be run inside the chroot, where it is not", 0, 0, 0, 0) ;
  /* an invalid value was reported already: judged by the value set */
  if (s->activation >= 0 && !s->wait)
    err(p, "activation= without wait=yes: only a wait-mode program is handed the socket (with wait=no each ",
      udp ? "peer" : "connection", " gets its own process)", 0, 0) ;
  if (key_seen(seen, "proxy") != key_seen(seen, "proxy_from"))
    err(p, key_seen(seen, "proxy") ? "proxy= needs proxy_from=: a PROXY header is read only from the balancers' prefixes"
      : "proxy_from= needs proxy=: which header the balancers send (v1, v2 or any)", 0, 0, 0, 0) ;
  if (!key_seen(seen, "proxy") && (key_seen(seen, "proxy_untrusted") || key_seen(seen, "proxy_timeout")))
    err(p, key_seen(seen, "proxy_untrusted") ? "proxy_untrusted=" : "proxy_timeout=", " needs proxy=: no PROXY header is read without it", 0, 0, 0) ;
  if (key_seen(seen, "proxy") && (udp || s->wait))
    err(p, "proxy= applies only to a tcp service with wait=no: ",
      udp ? "a datagram carries no PROXY header" : "with wait=yes the program accepts the connections, minetd-tcp never reads from them", 0, 0, 0) ;
  if (s->idle >= 0 && !s->internal && !(udp && !s->wait))
    err(p, "idle= applies only to udp services with wait=no (minetd-udp -t) and to internal services (minetd-internal -t)", 0, 0, 0, 0) ;
  if (udp)
  {
    for (unsigned int i = 0 ; not_udp[i][0] ; i++)
      if (key_seen(seen, not_udp[i][0])) err(p, not_udp[i][0], "= does not apply to a udp service: ", not_udp[i][1], 0, 0) ;
    if (s->wait)
    {
      if (key_seen(seen, "maxconn")) err(p, "maxconn= does not apply to a udp service with wait=yes: one program serves the socket (wait=no starts one per peer)", 0, 0, 0, 0) ;
      if (key_seen(seen, "persource")) err(p, "persource= does not apply to a udp service with wait=yes: one program serves the socket (wait=no starts one per peer)", 0, 0, 0, 0) ;
    }
  }
  else if (s->wait)
  {
    if (s->rate)
    {
      char fmt[UINT_FMT] ;
      fmt[uint_fmt(fmt, s->rate)] = 0 ;
      err(p, "max_conn_per_min ", fmt, " with wait=yes: the program accepts the connections itself, minetd-tcp never sees them (write 0)", 0, 0) ;
    }
    for (unsigned int i = 0 ; not_tcp_wait[i] ; i++)
      if (key_seen(seen, not_tcp_wait[i]))
        err(p, not_tcp_wait[i], "= does not apply to a tcp service with wait=yes: the program accepts the connections itself, minetd-tcp never sees them", 0, 0, 0) ;
  }
  if (!s->internal) return ;
  if (udp && (!strcmp(s->internal, "echo") || !strcmp(s->internal, "chargen")))
    err(p, prog, " over UDP would answer forged sources (reflection and amplification): TCP only", 0, 0, 0) ;
  else if (udp && !s->wait)
    err(p, prog, " over UDP needs wait=yes: minetd-internal answers every datagram on the socket itself", 0, 0, 0) ;
  else if (!udp && s->wait)
    err(p, prog, " with wait=yes: minetd-internal serves one accepted connection, not a listening socket (over TCP it runs with wait=no)", 0, 0, 0) ;
  else if (s->activation == 1)
    err(p, "activation=systemd with ", prog, ": minetd-internal takes its socket on fd 0 (activation=inetd)", 0, 0) ;
}

int mtd_conf_drops_late (mtd_conf_service const *s)
{
  return s->has_user && (s->chroot || (s->has_nice && s->nice < 0)) ;
}

int mtd_conf_address_conflict (mtd_conf_service const *a, mtd_conf_service const *b)
{
  static char const zero[16] = { 0 } ;
  /* port numbers are per protocol: 69/tcp and 69/udp are two sockets */
  if (a->proto != b->proto || a->port != b->port) return 0 ;
  if (a->dualstack || b->dualstack) return 1 ;
  if (a->ip.is6 != b->ip.is6) return 0 ;
  {
    size_t len = a->ip.is6 ? 16 : 4 ;
    return !memcmp(a->ip.ip, b->ip.ip, len) || !memcmp(a->ip.ip, zero, len) || !memcmp(b->ip.ip, zero, len) ;
  }
}

static char const v4mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (char)0xff, (char)0xff } ;

/* A port as mtd_port_scan takes it, except that a name is looked up for
   the service's protocol: "tftp" is only 69/udp in /etc/services. */
static int port_scan (char const *s, int proto, uint16_t *port)
{
  struct servent *se ;
  if (proto == MTD_CONF_TCP || !*s || (s[0] >= '0' && s[0] <= '9')) return mtd_port_scan(s, port) ;
  se = getservbyname(s, "udp") ;
  endservent() ;
  if (!se) return 0 ;
  *port = ntohs((uint16_t)se->s_port) ;
  return 1 ;
}

/* The longest address that can be valid: a bracketed IPv6 literal, a
   port name and a protocol fit with room to spare. Bounding it keeps the
   parser's copies small: minetd-sup's stack keeps what it touched once. */
#define ADDRESS_MAX 255

static void parse_address (parse *p, mtd_conf_service *s, char const *word)
{
  char w[ADDRESS_MAX + 1] ;
  char const *colon ;
  char *slash ;
  size_t hlen ;
  if (strlen(word) > ADDRESS_MAX)
  {
    err(p, "invalid address: longer than 255 bytes", 0, 0, 0, 0) ;
    return ;
  }
  strcpy(w, word) ;
  colon = strrchr(w, ':') ;
  /* the protocol suffix: a port name never holds a slash, a host never
     does after its last colon */
  slash = colon ? strchr(colon, '/') : 0 ;
  if (slash)
  {
    *slash = 0 ;
    if (!strcmp(slash + 1, "udp")) s->proto = MTD_CONF_UDP ;
    else if (strcmp(slash + 1, "tcp"))
    {
      err(p, "invalid protocol \"", slash + 1, "\" in \"", word, "\": expected /tcp or /udp (or nothing, for tcp)") ;
      return ;
    }
  }
  if (!colon || colon == w || !colon[1])
  {
    err(p, "invalid address \"", word, "\": expected host:port, host:port/tcp or host:port/udp", 0, 0) ;
    return ;
  }
  hlen = colon - w ;
  {
    char host[ADDRESS_MAX + 1] ;
    memcpy(host, w, hlen) ; host[hlen] = 0 ;
    /* an unbracketed IPv6 literal would make "host:port" ambiguous */
    if (host[0] != '[' && strchr(host, ':'))
    {
      err(p, "invalid address \"", word, "\": write IPv6 hosts in brackets, [", host, "]:port") ;
      return ;
    }
    if (!mtd_host_scan(host, &s->ip, &s->dualstack))
    {
      err(p, "invalid host \"", host, "\" in \"", word, "\": expected IPv4, [IPv6], * or localhost") ;
      return ;
    }
    /* a v6-only socket never binds ::ffff:a.b.c.d (EADDRNOTAVAIL): the
       chain would retry the bind for ever */
    if (s->ip.is6 && !s->dualstack && !memcmp(s->ip.ip, v4mapped, 12))
    {
      char v4[IP4_FMT] ;
      v4[ip4_fmt(v4, s->ip.ip + 12)] = 0 ;
      err(p, "invalid host \"", host, "\": an IPv4-mapped IPv6 address cannot be bound: write the IPv4 address ", v4, " instead") ;
      return ;
    }
    if (host[0] == '[') { host[hlen-1] = 0 ; s->hosttext = dupstr(p, host + 1) ; }
    else s->hosttext = dupstr(p, host) ;
  }
  if (!port_scan(colon + 1, s->proto, &s->port))
  {
    err(p, "invalid port \"", colon + 1, "\": expected 1 to 65535 or a name from /etc/services", 0, 0) ;
    s->port = 0 ;
    return ;
  }
  if (!s->port) err(p, "invalid port \"", colon + 1, "\": port 0 is not allowed in a config", 0, 0) ;
}

static mtd_conf_service *new_service (parse *p)
{
  mtd_conf_service *s = calloc(1, sizeof *s) ;
  if (!s) { p->nomem = 1 ; return 0 ; }
  s->line = p->line ;
  s->maxconn = s->persource = s->source_rate = s->prefix4 = s->prefix6 = s->backlog = -1 ;
  s->stderr_to_socket = s->nodelay = s->keepalive = s->verbose = -1 ;
  s->rules_default = -1 ;
  s->proxy_untrusted = s->proxy_timeout = -1 ;
  s->wait = s->activation = s->idle = -1 ;
  s->umask = s->no_new_privs = s->process_group = s->time_limit = s->time_limit_grace = -1 ;
  return s ;
}

static void parse_service (parse *p, char **words, unsigned int n)
{
  mtd_conf *c = p->c ;
  unsigned int i = 4, before = c->nerrors ;
  uint64_t seen = 0 ;
  unsigned int rate ;
  mtd_conf_service *s ;
  if (n < 5)
  {
    static char const *const what[5] = { 0, "a name", "an address (host:port)", "a rate (connections per minute)", "a program" } ;
    err(p, "service line needs ", what[n], ": service NAME HOST:PORT MAX_CONN_PER_MIN [key=value...] PROGRAM [ARGS...]", 0, 0) ;
    return ;
  }
  s = new_service(p) ;
  if (!s) return ;
  if (!name_ok(words[1])) err(p, "invalid service name \"", words[1], "\": use letters, digits, - _ . (at most 64)", 0, 0) ;
  else s->name = dupstr(p, words[1]) ;
  parse_address(p, s, words[2]) ;
  if (!mtd_uint_scan(words[3], 1000000000u, &rate))
    err(p, "invalid max_conn_per_min \"", words[3], "\": expected a non-negative integer (0 means unlimited)", 0, 0) ;
  else s->rate = rate ;
  for (; i < n && is_option(words[i]) ; i++) option(p, s, words[i], &seen) ;
  set_credentials(p, s) ;
  /* without rules= there is no minetd-env, and every client is let in */
  if (s->rules_default >= 0 && !key_seen(seen, "rules"))
    err(p, "rules_default= without rules=: there are no rules to fall back from (every client is allowed)", 0, 0, 0, 0) ;
  if (i >= n)
  {
    err(p, "service ", words[1], ": missing program after the options", 0, 0) ;
    mtd_conf_service_free(s) ;
    return ;
  }
  if (!strncmp(words[i], "internal:", 9))
  {
    set_internal(p, s, words[i], n - i - 1) ;
    s->argv = calloc(1, sizeof(char *)) ;
    if (!s->argv) { p->nomem = 1 ; mtd_conf_service_free(s) ; return ; }
  }
  else
  {
    s->argc = n - i ;
    s->argv = calloc(s->argc + 1, sizeof(char *)) ;
    if (!s->argv) { p->nomem = 1 ; mtd_conf_service_free(s) ; return ; }
    check_program(p, s, words[i], key_seen(seen, "chroot") && !s->chroot) ;
    for (unsigned int j = 1 ; j < s->argc ; j++) s->argv[j] = dupstr(p, words[i + j]) ;
  }
  check_kind(p, s, seen, words[i]) ;

  if (s->name)
    for (unsigned int k = 0 ; k < c->n ; k++)
      if (!strcmp(c->services[k]->name, s->name))
      {
        char fmt[UINT_FMT] ;
        fmt[uint_fmt(fmt, c->services[k]->line)] = 0 ;
        err(p, "duplicate service name \"", s->name, "\" (first defined at line ", fmt, ")") ;
        break ;
      }
  if (s->hosttext && s->port)
    for (unsigned int k = 0 ; k < c->n ; k++)
      if (c->services[k]->hosttext && mtd_conf_address_conflict(c->services[k], s))
      {
        char fmt[UINT_FMT] ;
        fmt[uint_fmt(fmt, c->services[k]->line)] = 0 ;
        err(p, "duplicate address \"", words[2], "\": conflicts with service ", c->services[k]->name, "") ;
        c->errors.len-- ;
        if (!stralloc_cats(&c->errors, " at line ") || !stralloc_cats(&c->errors, fmt) || !stralloc_catb(&c->errors, "\n", 1)) p->nomem = 1 ;
        break ;
      }
  if (c->nerrors != before || !s->name || !s->hosttext) { mtd_conf_service_free(s) ; return ; }
  if (c->n >= MTD_CONF_SERVICES_MAX) { err(p, "too many services", 0, 0, 0, 0) ; mtd_conf_service_free(s) ; return ; }
  c->services[c->n++] = s ;
}

static void parse_line (parse *p, char *line)
{
  char *words[MTD_CONF_ARGS_MAX + 8] ;
  char const *why = 0 ;
  int n ;
  while (*line == ' ' || *line == '\t') line++ ;
  if (!*line || *line == '#' || *line == '\r') return ;
  n = split_words(line, words, sizeof words / sizeof *words, &why) ;
  if (n < 0) { err(p, why, 0, 0, 0, 0) ; return ; }
  if (!n) return ;
  if (strcmp(words[0], "service")) { err(p, "unknown directive \"", words[0], "\" (lines start with \"service\" or #)", 0, 0) ; return ; }
  parse_service(p, words, n) ;
}

/* The directory of file, absolute, for relative paths in it. */
static char *file_dir (char const *file)
{
  char const *slash = strrchr(file, '/') ;
  char *d, *r ;
  if (!slash) return realpath(".", 0) ;
  if (slash == file) return strdup("/") ;
  d = strndup(file, slash - file) ;
  if (!d) return 0 ;
  r = realpath(d, 0) ;
  free(d) ;
  return r ;
}

static int set_file (mtd_conf *c, char const *file)
{
  if (c->file && !strcmp(c->file, file)) return 1 ;
  free(c->file) ;
  c->file = strdup(file) ;
  return !!c->file ;
}

int mtd_conf_parse_text (mtd_conf *c, char const *file, char const *text, size_t len)
{
  parse p = { .c = c, .dir = 0, .line = 0, .nomem = 0 } ;
  char *dir, *buf ;
  size_t start = 0 ;
  if (!set_file(c, file)) return -1 ;
  dir = file_dir(file) ;
  buf = malloc(len + 1) ;
  if (!buf) { free(dir) ; return -1 ; }
  p.dir = dir ? dir : "." ;
  memcpy(buf, text, len) ; buf[len] = 0 ;
  for (size_t i = 0 ; i <= len ; i++)
  {
    if (i < len && buf[i] != '\n') continue ;
    if (c->nerrors >= MTD_CONF_ERRORS_MAX)
    {
      char fmt[UINT_FMT] ;
      fmt[uint_fmt(fmt, p.line)] = 0 ;
      p.line = 0 ;
      err(&p, "too many errors, stopped at line ", fmt, 0, 0, 0) ;
      break ;
    }
    buf[i] = 0 ;
    p.line++ ;
    if (i - start > MTD_CONF_LINE_MAX) err(&p, "line too long (at most 8192 bytes)", 0, 0, 0, 0) ;
    else if (strlen(buf + start) != i - start) err(&p, "NUL byte in line", 0, 0, 0, 0) ;
    else parse_line(&p, buf + start) ;
    start = i + 1 ;
  }
  free(buf) ;
  free(dir) ;
  if (p.nomem) { errno = ENOMEM ; return -1 ; }
  /* what each chain checks when it starts, checked now: a file accepted
     here does not crash-loop its chains */
  if (mtd_conf_check(c) < 0) return -1 ;
  return mtd_conf_settle(c) ;
}

int mtd_conf_settle (mtd_conf *c)
{
  if (!c->nerrors) return 1 ;
  for (unsigned int i = 0 ; i < c->n ; i++) mtd_conf_service_free(c->services[i]) ;
  c->n = 0 ;
  return 0 ;
}

int mtd_conf_parse_file (mtd_conf *c, char const *file)
{
  stralloc sa = STRALLOC_ZERO ;
  char const *why ;
  int r ;
  if (!set_file(c, file)) return -1 ;
  if (!mtd_file_read(&sa, file, MTD_CONF_FILE_MAX, &why))
  {
    parse p = { .c = c, .line = 0 } ;
    if (errno == ENOMEM) { stralloc_free(&sa) ; return -1 ; }
    if (errno) err(&p, why, ": ", strerror(errno), 0, 0) ;
    else if (!strcmp(why, "too large")) err(&p, "too large (at most 1048576 bytes)", 0, 0, 0, 0) ;
    else err(&p, why, 0, 0, 0, 0) ;
    stralloc_free(&sa) ;
    return p.nomem ? -1 : 0 ;
  }
  r = mtd_conf_parse_text(c, file, sa.s ? sa.s : "", sa.len) ;
  stralloc_free(&sa) ;
  return r ;
}
