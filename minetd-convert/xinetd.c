/* xinetd.conf to services: "defaults { ... }", "service NAME { ... }",
   "include FILE", "includedir DIR" (its files in C order, those with a
   '.' or ending in '~' skipped, as xinetd does). Every stanza of every
   file is read first, then each service is resolved against the defaults
   (wherever they were) and translated. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <skalibs/stralloc.h>
#include <skalibs/types.h>
#include "mtd_addr.h"
#include "convert.h"

#define X_STANZAS_MAX 1024
#define X_OPS_MAX 256            /* attribute lines per stanza */
#define X_FILES_MAX 1024
#define X_LIST_MAX 1024          /* values of one resolved attribute */

#define OP_SET 0
#define OP_ADD 1
#define OP_DEL 2

typedef struct xop_s xop ;
struct xop_s
{
  char *key ;
  int op ;
  unsigned int line ;
  char **w ;
  unsigned int n ;
} ;

typedef struct xstanza_s xstanza ;
struct xstanza_s
{
  int defaults ;
  char *name ;
  char const *file ;
  unsigned int line ;
  xop *ops ;
  unsigned int nops ;
} ;

typedef struct xinetd_s xinetd ;
struct xinetd_s
{
  cvt *c ;
  xstanza *st ;
  unsigned int nst ;
  char *files[X_FILES_MAX] ;     /* names, kept for the messages */
  unsigned int nfiles ;
} ;

typedef struct list_s list ;
struct list_s
{
  char const *w[X_LIST_MAX] ;
  unsigned int n ;
  unsigned int line ;
  char const *file ;
} ;

/* gcc 12 -fanalyzer loses what is stored into x->st (calloc'd by
   cvt_xinetd) and calls the stanza's name a leak: a false positive;
   LeakSanitizer (fuzz/convert, check-san) sees every copy freed. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wanalyzer-malloc-leak"
#endif
static char *xdup (cvt *c, char const *s, size_t n)
{
  char *d = malloc(n + 1) ;
  if (!d) { c->sysfail = 1 ; return 0 ; }
  memcpy(d, s, n) ;
  d[n] = 0 ;
  return d ;
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

/* ---- reading ---------------------------------------------------------- */

static int file_text (char const *path, stralloc *sa, char const **why)
{
  struct stat st ;
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC) ;
  ssize_t r ;
  if (fd < 0) { *why = strerror(errno) ; return 0 ; }
  if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size > CVT_FILE_MAX)
  {
    *why = "not a regular file of at most 1 MiB" ;
    close(fd) ;
    return 0 ;
  }
  if (!stralloc_ready(sa, (size_t)st.st_size + 1)) { close(fd) ; *why = strerror(errno) ; return -1 ; }
  r = read(fd, sa->s, (size_t)st.st_size + 1) ;
  close(fd) ;
  if (r < 0) { *why = strerror(errno) ; return 0 ; }
  if (r > st.st_size) { *why = "grew while read" ; return 0 ; }
  sa->len = r ;
  return 1 ;
}

static void parse (xinetd *x, char const *file, char const *text, size_t len, unsigned int depth) ;

static char const *keep_name (xinetd *x, char const *s)
{
  char *d ;
  if (x->nfiles >= X_FILES_MAX) return 0 ;
  d = xdup(x->c, s, strlen(s)) ;
  if (d) x->files[x->nfiles++] = d ;
  return d ;
}

/* A path relative to the directory of from. */
static int path_of (stralloc *sa, char const *from, char const *path)
{
  char const *slash = strrchr(from, '/') ;
  sa->len = 0 ;
  if (path[0] != '/' && slash && !stralloc_catb(sa, from, slash - from + 1)) return 0 ;
  return stralloc_cats(sa, path) && stralloc_0(sa) ;
}

static void include_file (xinetd *x, char const *from, unsigned int line, char const *path, unsigned int depth)
{
  cvt *c = x->c ;
  stralloc p = STRALLOC_ZERO, text = STRALLOC_ZERO ;
  char const *why = 0, *name ;
  int r ;
  if (!path_of(&p, from, path)) { c->sysfail = 1 ; goto end ; }
  name = keep_name(x, p.s) ;
  if (!name) { cvt_rep(c, from, line, "include ", p.s, " not read: too many files") ; goto end ; }
  r = file_text(name, &text, &why) ;
  if (r < 0) c->sysfail = 1 ;
  else if (!r) cvt_rep(c, from, line, "include ", name, " not read: ", why) ;
  else parse(x, name, text.s, text.len, depth + 1) ;
 end:
  stralloc_free(&p) ;
  stralloc_free(&text) ;
}

static int cmp (void const *a, void const *b) { return strcmp(*(char *const *)a, *(char *const *)b) ; }

static void include_dir (xinetd *x, char const *from, unsigned int line, char const *path, unsigned int depth)
{
  cvt *c = x->c ;
  stralloc p = STRALLOC_ZERO, f = STRALLOC_ZERO ;
  char *names[X_FILES_MAX] ;
  unsigned int n = 0 ;
  DIR *d ;
  struct dirent *e ;
  if (!path_of(&p, from, path)) { c->sysfail = 1 ; goto end ; }
  d = opendir(p.s) ;
  if (!d) { cvt_rep(c, from, line, "includedir ", p.s, " not read: ", strerror(errno)) ; goto end ; }
  while ((e = readdir(d)))
  {
    size_t len = strlen(e->d_name) ;
    if (strchr(e->d_name, '.') || (len && e->d_name[len-1] == '~')) continue ;
    if (n == X_FILES_MAX) { cvt_rep(c, from, line, "includedir ", p.s, ": too many files, some not read") ; break ; }
    if (!(names[n] = xdup(c, e->d_name, len))) break ;
    n++ ;
  }
  closedir(d) ;
  qsort(names, n, sizeof *names, cmp) ;
  for (unsigned int i = 0 ; i < n ; i++)
  {
    struct stat st ;
    f.len = 0 ;
    if (!stralloc_cats(&f, p.s) || !stralloc_cats(&f, "/") || !stralloc_cats(&f, names[i]) || !stralloc_0(&f)) { c->sysfail = 1 ; break ; }
    /* xinetd reads the regular files only */
    if (stat(f.s, &st) == 0 && S_ISREG(st.st_mode)) include_file(x, from, line, f.s, depth) ;
  }
  for (unsigned int i = 0 ; i < n ; i++) free(names[i]) ;
 end:
  stralloc_free(&p) ;
  stralloc_free(&f) ;
}

static xstanza *stanza_new (xinetd *x, char const *file, unsigned int line, int defaults, char const *name)
{
  xstanza *s ;
  if (x->nst >= X_STANZAS_MAX) { cvt_rep(x->c, file, line, "not translated: more than 1024 stanzas") ; return 0 ; }
  s = x->st + x->nst ;
  memset(s, 0, sizeof *s) ;
  s->defaults = defaults ;
  s->file = file ;
  s->line = line ;
  s->name = xdup(x->c, name, strlen(name)) ;
  if (!s->name) return 0 ;
  x->nst++ ;
  return s ;
}

/* "key = v...", "key += v...", "key -= v...", "key=v" */
static void attribute (xinetd *x, xstanza *s, char const *file, char *text, unsigned int line)
{
  cvt *c = x->c ;
  char *p = text, *kend ;
  char *w[CVT_WORDS_MAX + 1] ;
  unsigned int n ;
  xop *o ;
  int op ;
  while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_') p++ ;
  kend = p ;
  while (cvt_blank(*p)) p++ ;
  if (kend == text) { cvt_rep(c, file, line, "not translated: expected ATTRIBUTE = VALUE") ; return ; }
  if (p[0] == '=') { op = OP_SET ; p++ ; }
  else if ((p[0] == '+' || p[0] == '-') && p[1] == '=') { op = p[0] == '+' ? OP_ADD : OP_DEL ; p += 2 ; }
  else { cvt_rep(c, file, line, "not translated: expected ATTRIBUTE = VALUE (or += or -=)") ; return ; }
  *kend = 0 ;
  n = cvt_split(p, w, CVT_WORDS_MAX) ;
  if (n > CVT_WORDS_MAX) { cvt_rep(c, file, line, "attribute ", text, " not translated: more than 128 values") ; return ; }
  if (s->nops >= X_OPS_MAX) { cvt_rep(c, file, line, "attribute ", text, " not translated: more than 256 attributes in the stanza") ; return ; }
  if (!(s->nops & 15))
  {
    xop *more = realloc(s->ops, (s->nops + 16) * sizeof *s->ops) ;
    if (!more) { c->sysfail = 1 ; return ; }
    s->ops = more ;
  }
  o = s->ops + s->nops ;
  o->op = op ;
  o->line = line ;
  o->n = 0 ;
  o->key = xdup(c, text, strlen(text)) ;
  o->w = malloc((n ? n : 1) * sizeof *o->w) ;
  if (!o->key || !o->w) { free(o->key) ; free(o->w) ; c->sysfail = 1 ; return ; }
  s->nops++ ;
  for (unsigned int i = 0 ; i < n ; i++)
  {
    if (!(o->w[i] = xdup(c, w[i], strlen(w[i])))) return ;
    o->n++ ;
  }
}

static void parse (xinetd *x, char const *file, char const *text, size_t len, unsigned int depth)
{
  cvt *c = x->c ;
  char buf[CVT_LINE_MAX + 1] ;
  unsigned int line = 0 ;
  size_t i = 0 ;
  xstanza *cur = 0 ;
  int state = 0 ;   /* 0 outside, 1 after "service NAME" or "defaults", 2 inside */
  int skipping = 0 ;
  if (depth > CVT_DEPTH_MAX) { cvt_rep(c, file, 0, "not read: includes nested more than 8 deep") ; return ; }
  while (i < len && !c->sysfail)
  {
    size_t e = i ;
    char *w[4] ;
    char *t ;
    unsigned int n ;
    while (e < len && text[e] != '\n') e++ ;
    line++ ;
    if (e - i > CVT_LINE_MAX || memchr(text + i, 0, e - i))
    {
      cvt_rep(c, file, line, e - i > CVT_LINE_MAX ? "not translated: line longer than 8192 bytes" : "not translated: a NUL byte") ;
      i = e + 1 ;
      continue ;
    }
    memcpy(buf, text + i, e - i) ;
    buf[e - i] = 0 ;
    i = e + 1 ;
    t = buf ;
    while (cvt_blank(*t)) t++ ;
    if (!*t || *t == '#') continue ;
    if (state == 2)
    {
      if (t[0] == '}' && !t[1 + strspn(t + 1, " \t\r")]) { state = 0 ; cur = 0 ; skipping = 0 ; continue ; }
      if (!skipping) attribute(x, cur, file, t, line) ;
      continue ;
    }
    n = cvt_split(t, w, 3) ;
    if (state == 1)
    {
      if (n == 1 && !strcmp(w[0], "{")) { state = 2 ; continue ; }
      cvt_rep(c, file, line, "not translated: expected { after ", cur ? cur->name : "the stanza's name") ;
      if (cur) { x->nst-- ; free(cur->name) ; cur = 0 ; }
      state = 0 ;
      /* the line is read as a top-level one */
    }
    if (n == 2 && !strcmp(w[0], "service")) { cur = stanza_new(x, file, line, 0, w[1]) ; state = 1 ; skipping = !cur ; if (!cur) state = 0 ; }
    else if (n == 3 && !strcmp(w[0], "service") && !strcmp(w[2], "{")) { cur = stanza_new(x, file, line, 0, w[1]) ; state = 2 ; skipping = !cur ; }
    else if (n == 1 && !strcmp(w[0], "defaults")) { cur = stanza_new(x, file, line, 1, "defaults") ; state = 1 ; skipping = !cur ; if (!cur) state = 0 ; }
    else if (n == 2 && !strcmp(w[0], "defaults") && !strcmp(w[1], "{")) { cur = stanza_new(x, file, line, 1, "defaults") ; state = 2 ; skipping = !cur ; }
    else if (n == 2 && !strcmp(w[0], "includedir"))
    {
      if (c->noinclude) cvt_rep(c, file, line, "includedir not read here") ;
      else include_dir(x, file, line, w[1], depth) ;
    }
    else if (n == 2 && !strcmp(w[0], "include"))
    {
      if (c->noinclude) cvt_rep(c, file, line, "include not read here") ;
      else include_file(x, file, line, w[1], depth) ;
    }
    else cvt_rep(c, file, line, "not translated: expected service NAME, defaults, include FILE or includedir DIR") ;
  }
  if (state) cvt_rep(c, file, line, "not translated: stanza ", cur ? cur->name : "", " not closed by } at the end of the file") ;
  if (state && cur) { x->nst-- ; free(cur->name) ; for (unsigned int k = 0 ; k < cur->nops ; k++) { for (unsigned int j = 0 ; j < cur->ops[k].n ; j++) free(cur->ops[k].w[j]) ; free(cur->ops[k].w) ; free(cur->ops[k].key) ; } free(cur->ops) ; }
}

/* ---- resolving ---------------------------------------------------------- */

/* xinetd's defaults accumulate these: "=" adds to them as "+=" does. */
static int cumulative (char const *key)
{
  static char const *const keys[] = { "log_type", "log_on_success", "log_on_failure", "only_from", "no_access", "passenv", "disabled", "enabled", 0 } ;
  for (unsigned int i = 0 ; keys[i] ; i++) if (!strcmp(key, keys[i])) return 1 ;
  return 0 ;
}

static void apply (list *l, xop const *o, char const *file, int defaults, char const *key)
{
  int op = o->op ;
  if (defaults && op == OP_SET && cumulative(key)) op = OP_ADD ;
  if (op == OP_SET) l->n = 0 ;
  for (unsigned int i = 0 ; i < o->n ; i++)
  {
    if (op == OP_DEL)
    {
      for (unsigned int j = 0 ; j < l->n ; j++)
        if (!strcmp(l->w[j], o->w[i])) { l->w[j] = l->w[--l->n] ; j-- ; }
    }
    else if (l->n < X_LIST_MAX) l->w[l->n++] = o->w[i] ;
  }
  l->line = o->line ;
  l->file = file ;
}

/* The value of key for service s: its own, or the defaults' (merged),
   changed by its += and -=; 1 if either gives it. */
static int get (xinetd const *x, xstanza const *s, char const *key, list *l)
{
  int found = 0 ;
  int own_set = 0 ;
  l->n = 0 ;
  for (unsigned int k = 0 ; k < s->nops ; k++)
    if (!strcmp(s->ops[k].key, key)) { own_set = s->ops[k].op == OP_SET ; break ; }
  if (!own_set)
    for (unsigned int i = 0 ; i < x->nst ; i++)
      if (x->st[i].defaults)
        for (unsigned int k = 0 ; k < x->st[i].nops ; k++)
          if (!strcmp(x->st[i].ops[k].key, key)) { apply(l, x->st[i].ops + k, x->st[i].file, 1, key) ; found = 1 ; }
  for (unsigned int k = 0 ; k < s->nops ; k++)
    if (!strcmp(s->ops[k].key, key)) { apply(l, s->ops + k, s->file, 0, key) ; found = 1 ; }
  if (!found) { l->line = s->line ; l->file = s->file ; }
  return found ;
}

static int has (list const *l, char const *w)
{
  for (unsigned int i = 0 ; i < l->n ; i++) if (!strcmp(l->w[i], w)) return 1 ;
  return 0 ;
}

static int single (cvt *c, list const *l, char const *key, char const **v)
{
  if (l->n != 1) { cvt_rep(c, l->file, l->line, key, " left out: expected one value") ; return 0 ; }
  *v = l->w[0] ;
  return 1 ;
}

/* The attributes each service may have, and what becomes of them. */
static char const *const known[] =
{
  "id", "type", "flags", "disable", "socket_type", "protocol", "wait", "user", "group",
  "instances", "nice", "server", "server_args", "only_from", "no_access", "access_times",
  "log_type", "log_on_success", "log_on_failure", "rpc_version", "rpc_number", "env",
  "passenv", "port", "redirect", "bind", "interface", "banner", "banner_success",
  "banner_fail", "per_source", "cps", "max_load", "groups", "mdns", "umask", "enabled",
  "disabled", "rlimit_as", "rlimit_cpu", "rlimit_data", "rlimit_files", "rlimit_rss",
  "rlimit_stack", "deny_time", "v6only", "libwrap", 0
} ;

/* Left out with a reason (the rest of the service is translated). */
static struct { char const *key, *why ; } const unsupported[] =
{
  { "access_times", "minetd has no time-of-day access" },
  { "redirect", "minetd does not forward connections itself (a program such as socat - TCP:host:port can)" },
  { "banner", "minetd sends no banner on every connection" },
  { "banner_success", "minetd sends no banner on admitted connections" },
  { "max_load", "minetd does not look at the load average" },
  { "deny_time", "minetd has no SENSOR and no deny list that grows" },
  { "rlimit_rss", "minetd has no rlimit_rss (Linux ignores RLIMIT_RSS)" },
  { "libwrap", "minetd does not read hosts.allow and hosts.deny: write them as rules (only_from, no_access)" },
  { "rpc_version", "RPC services have no counterpart in minetd" },
  { "rpc_number", "RPC services have no counterpart in minetd" },
  { 0, 0 }
} ;

static int in (char const *const *set, char const *s)
{
  for (unsigned int i = 0 ; set[i] ; i++) if (!strcmp(set[i], s)) return 1 ;
  return 0 ;
}

/* xinetd's only_from/no_access words as minetd-env prefixes. 1 with the
   prefixes appended to out ("PREFIX\n" each), 0 with *why. */
static int access_word (char const *w, stralloc *out, char const **why)
{
  char buf[128] ;
  ip46 net ;
  unsigned int bits ;
  char fmt[IP46_FMT] ;
  char const *brace = strchr(w, '{') ;
  size_t n = strlen(w) ;
  if (n >= sizeof buf) { *why = "too long" ; return 0 ; }
  if (!strcmp(w, "0.0.0.0") || !strcmp(w, "0.0.0.0/0")) return stralloc_cats(out, "*\n") ;
  if (brace)
  {
    /* a.b.c.{d,e}: the listed last parts, each a /32, /24, /16 or /8 */
    char const *p ;
    size_t head = brace - w ;
    unsigned int dots = 0 ;
    if (!head || w[head-1] != '.' || w[n-1] != '}') { *why = "a factorized address is a.b.c.{d,e,...}" ; return 0 ; }
    for (size_t i = 0 ; i < head ; i++) if (w[i] == '.') dots++ ;
    if (dots > 3) { *why = "too many parts" ; return 0 ; }
    p = brace + 1 ;
    while (p < w + n - 1)
    {
      size_t len = strcspn(p, ",}") ;
      char addr[128] ;
      if (!len || head + len >= 100) { *why = "an empty or long part in braces" ; return 0 ; }
      memcpy(addr, w, head) ;
      memcpy(addr + head, p, len) ;
      addr[head + len] = 0 ;
      for (unsigned int k = dots ; k < 3 ; k++) strcat(addr, ".0") ;
      if (!mtd_prefix_scan(addr, &net, &bits, why) || ip46_is6(&net)) { if (!*why) *why = "not an IPv4 address" ; return 0 ; }
      fmt[mtd_ip_fmt(fmt, &net)] = 0 ;
      {
        char b[UINT_FMT] ;
        b[uint_fmt(b, 8 * (dots + 1))] = 0 ;
        if (!stralloc_cats(out, fmt) || !stralloc_cats(out, "/") || !stralloc_cats(out, b) || !stralloc_cats(out, "\n")) return -1 ;
      }
      p += len + (p[len] == ',') ;
    }
    return 1 ;
  }
  memcpy(buf, w, n + 1) ;
  if (!strchr(buf, '/') && !strchr(buf, ':'))
  {
    /* a.b.c.0: trailing zero parts are wildcards */
    if (!mtd_prefix_scan(buf, &net, &bits, why)) { *why = "not an address (minetd does not look host, domain or network names up)" ; return 0 ; }
    bits = 32 ;
    while (bits && !net.ip[bits / 8 - 1]) bits -= 8 ;
    fmt[mtd_ip_fmt(fmt, &net)] = 0 ;
  }
  else
  {
    char *slash = strchr(buf, '/') ;
    ip46 ip ;
    if (slash)
    {
      *slash++ = 0 ;
      if (!mtd_prefix_scan(buf, &ip, &bits, why) || !mtd_uint_scan(slash, ip46_is6(&ip) ? 128 : 32, &bits)) { *why = "not an address/length" ; return 0 ; }
      /* xinetd ignores the host bits; minetd-env wants them zero */
      mtd_ip_mask(&net, &ip, bits) ;
    }
    else
    {
      if (!mtd_prefix_scan(buf, &net, &bits, why)) { *why = "not an address (minetd does not look host names up)" ; return 0 ; }
    }
    fmt[mtd_ip_fmt(fmt, &net)] = 0 ;
  }
  {
    char b[UINT_FMT] ;
    b[uint_fmt(b, bits)] = 0 ;
    return stralloc_cats(out, fmt) && stralloc_cats(out, "/") && stralloc_cats(out, b) && stralloc_cats(out, "\n") ? 1 : -1 ;
  }
}

/* only_from and no_access as a rules file: minetd-env's most specific
   prefix decides, as xinetd's better match does; for one prefix in both
   lists, deny. A name left out of only_from only narrows who gets in;
   one left out of no_access would widen it: the service is not written. */
static int access_rules (cvt *c, xinetd const *x, xstanza const *st, cvt_service *s, char const *msg)
{
  list of, na ;
  stralloc allow = STRALLOC_ZERO, deny = STRALLOC_ZERO ;
  int hof = get(x, st, "only_from", &of), hna = get(x, st, "no_access", &na) ;
  int ok = 1, any_all = 0 ;
  char const *why ;
  if (!hof && !hna) return 1 ;
  for (unsigned int i = 0 ; i < na.n ; i++)
  {
    why = 0 ;
    int r = access_word(na.w[i], &deny, &why) ;
    if (r < 0) { c->sysfail = 1 ; ok = 0 ; break ; }
    if (!r) { cvt_rep(c, na.file, na.line, "service ", st->name, " not translated: no_access \"", na.w[i], "\": ", why) ; ok = 0 ; }
  }
  for (unsigned int i = 0 ; ok && i < of.n ; i++)
  {
    why = 0 ;
    int r = access_word(of.w[i], &allow, &why) ;
    if (r < 0) { c->sysfail = 1 ; ok = 0 ; break ; }
    if (!r) cvt_rep(c, of.file, of.line, "service ", st->name, ": only_from \"", of.w[i], "\" left out: ", why) ;
  }
  if (ok)
  {
    /* each prefix once (minetd-env refuses a prefix given twice); a
       prefix in both lists is denied */
    stralloc seen = STRALLOC_ZERO ;   /* "\nP\n" for each prefix written */
    if (!stralloc_cats(&s->rules, "# from xinetd's only_from and no_access\n") || !stralloc_cats(&seen, "\n")) c->sysfail = 1 ;
    for (int pass = 0 ; pass < 2 && !c->sysfail ; pass++)
    {
      stralloc *src = pass ? &allow : &deny ;
      size_t i = 0 ;
      while (i < src->len)
      {
        size_t e = i ;
        int dup_ ;
        while (src->s[e] != '\n') e++ ;
        src->s[e] = 0 ;
        if (!stralloc_0(&seen)) { c->sysfail = 1 ; break ; }
        seen.len-- ;
        {
          stralloc needle = STRALLOC_ZERO ;
          if (!stralloc_cats(&needle, "\n") || !stralloc_cats(&needle, src->s + i) || !stralloc_cats(&needle, "\n") || !stralloc_0(&needle)) { c->sysfail = 1 ; break ; }
          dup_ = strstr(seen.s, needle.s) != 0 ;
          stralloc_free(&needle) ;
        }
        if (!dup_)
        {
          if (!stralloc_cats(&seen, src->s + i) || !stralloc_cats(&seen, "\n")
           || !stralloc_cats(&s->rules, pass ? "allow " : "deny ") || !stralloc_cats(&s->rules, src->s + i)
           || (!pass && msg && !cvt_rules_msg(&s->rules, msg)) || !stralloc_cats(&s->rules, "\n")) c->sysfail = 1 ;
          if (!strcmp(src->s + i, "*")) any_all = 1 ;
        }
        i = e + 1 ;
      }
    }
    stralloc_free(&seen) ;
    s->has_rules = 1 ;
    /* only_from given (even empty: nobody): the rest is denied, minetd-env's
       default with a rules file; no_access alone: the rest is allowed */
    if (!hof) s->rules_allow = 1 ;
    else if (msg && !any_all)
    {
      if (!stralloc_cats(&s->rules, "deny *") || !cvt_rules_msg(&s->rules, msg) || !stralloc_cats(&s->rules, "\n")) c->sysfail = 1 ;
    }
  }
  stralloc_free(&allow) ;
  stralloc_free(&deny) ;
  return ok ;
}

/* xinetd's rlimit values: a number with K or M, or UNLIMITED; xinetd
   sets the soft and the hard limit to it. */
static void rlimit (cvt *c, xinetd const *x, xstanza const *st, cvt_service *s, char const *key, int bytes)
{
  list l ;
  char const *v ;
  char val[64] ;
  size_t n ;
  if (!get(x, st, key, &l) || !single(c, &l, key, &v)) return ;
  n = strlen(v) ;
  if (!strcmp(v, "UNLIMITED") || !strcmp(v, "unlimited")) { cvt_opt(c, s, key, "unlimited:unlimited") ; return ; }
  if (!n || n > 20 || strspn(v, "0123456789") < n - (bytes && (v[n-1] == 'K' || v[n-1] == 'M' || v[n-1] == 'k' || v[n-1] == 'm')) || strspn(v, "0123456789") == 0)
  {
    cvt_rep(c, l.file, l.line, key, " \"", v, "\" left out: expected a number", bytes ? " (with K or M)" : "", " or UNLIMITED") ;
    return ;
  }
  memcpy(val, v, n) ;
  if (val[n-1] == 'K' || val[n-1] == 'M') val[n-1] += 'a' - 'A' ;
  val[n] = ':' ;
  memcpy(val + n + 1, val, n) ;
  val[2*n + 1] = 0 ;
  cvt_opt(c, s, key, val) ;
}

static void service (xinetd *x, xstanza const *st)
{
  cvt *c = x->c ;
  cvt_service s = CVT_SERVICE_ZERO ;
  list l, flags, type ;
  char const *v, *id, *why ;
  char idbuf[CVT_NAME_MAX + 1] ;
  stralloc banner = STRALLOC_ZERO ;
  int internal, fam, v6only = 0, nameinargs ;
  char const *socktype = 0, *proto = 0 ;
  s.file = st->file ; s.line = st->line ; s.name = st->name ;

  /* what no key of the known set is, and what minetd cannot do */
  for (unsigned int k = 0 ; k < st->nops ; k++)
  {
    char const *key = st->ops[k].key ;
    if (!in(known, key)) { cvt_rep(c, st->file, st->ops[k].line, "unknown attribute ", key, " left out") ; continue ; }
    if (!strcmp(key, "enabled") || !strcmp(key, "disabled")) cvt_rep(c, st->file, st->ops[k].line, key, " left out: it belongs in defaults") ;
  }
  for (unsigned int i = 0 ; unsupported[i].key ; i++)
    if (get(x, st, unsupported[i].key, &l) && l.n) cvt_rep(c, l.file, l.line, "service ", st->name, ": ", unsupported[i].key, " left out: ", unsupported[i].why) ;

  id = st->name ;
  if (get(x, st, "id", &l) && single(c, &l, "id", &v)) id = v ;
  if (strlen(id) > CVT_NAME_MAX) { memcpy(idbuf, id, CVT_NAME_MAX) ; idbuf[CVT_NAME_MAX] = 0 ; id = idbuf ; }
  s.name = id ;

  get(x, st, "type", &type) ;
  internal = has(&type, "INTERNAL") ;
  for (unsigned int i = 0 ; i < type.n ; i++)
    if (strcmp(type.w[i], "INTERNAL") && strcmp(type.w[i], "UNLISTED"))
    {
      cvt_skip(c, &s, !strcmp(type.w[i], "RPC") ? "RPC services have no counterpart in minetd" : !strncmp(type.w[i], "TCPMUX", 6) ? "TCPMUX has no counterpart in minetd" : "unknown type") ;
      goto end ;
    }

  get(x, st, "flags", &flags) ;
  for (unsigned int i = 0 ; i < flags.n ; i++)
  {
    static char const *const fine[] = { "IPv4", "IPv6", "NODELAY", "KEEPALIVE", "NAMEINARGS", "REUSE", "NORETRY", "INTERCEPT", "NOLIBWRAP", 0 } ;
    if (!strcmp(flags.w[i], "SENSOR")) { cvt_skip(c, &s, "flags SENSOR: minetd has no sensor") ; goto end ; }
    if (!in(fine, flags.w[i])) cvt_rep(c, flags.file, flags.line, "service ", st->name, ": flags ", flags.w[i], " left out: no counterpart in minetd") ;
  }
  nameinargs = has(&flags, "NAMEINARGS") ;

  /* disable = yes, defaults' disabled and enabled */
  if (get(x, st, "disable", &l) && single(c, &l, "disable", &v) && !strcmp(v, "yes")) { s.disabled = 1 ; s.why_disabled = "disable = yes in xinetd" ; }
  for (unsigned int i = 0 ; i < x->nst ; i++)
    if (x->st[i].defaults)
    {
      list d ;
      if (get(x, x->st + i, "disabled", &d) && has(&d, id)) { s.disabled = 1 ; s.why_disabled = "in xinetd's disabled list" ; }
      if (get(x, x->st + i, "enabled", &d) && !has(&d, id)) { s.disabled = 1 ; s.why_disabled = "not in xinetd's enabled list" ; }
      break ;
    }

  if (get(x, st, "socket_type", &l)) single(c, &l, "socket_type", &socktype) ;
  if (get(x, st, "protocol", &l)) single(c, &l, "protocol", &proto) ;
  if (!socktype) { cvt_skip(c, &s, "no socket_type") ; goto end ; }
  if (!strcmp(socktype, "stream")) s.udp = 0 ;
  else if (!strcmp(socktype, "dgram")) s.udp = 1 ;
  else { cvt_skip(c, &s, "socket_type is neither stream nor dgram: minetd serves stream tcp and dgram udp") ; goto end ; }
  if (proto && strcmp(proto, s.udp ? "udp" : "tcp")) { cvt_skip(c, &s, "protocol other than tcp with stream or udp with dgram") ; goto end ; }

  if (!get(x, st, "wait", &l) || !single(c, &l, "wait", &v) || (strcmp(v, "yes") && strcmp(v, "no")))
  {
    cvt_skip(c, &s, "no wait = yes or no") ;
    goto end ;
  }
  s.wait = !strcmp(v, "yes") ;

  /* port: the attribute, else the service's name in /etc/services */
  if (get(x, st, "port", &l) && single(c, &l, "port", &v))
  {
    if (!cvt_port(v, s.udp, &s.port) || v[strspn(v, "0123456789")]) { cvt_skip(c, &s, "port is not a number from 1 to 65535") ; goto end ; }
  }
  else if (!cvt_port(st->name, s.udp, &s.port) || !st->name[strspn(st->name, "0123456789")])
  {
    cvt_skip(c, &s, "no port, and the name is not in /etc/services") ;
    goto end ;
  }

  /* address: bind, else the family of the flags */
  if (get(x, st, "v6only", &l) && single(c, &l, "v6only", &v)) v6only = !strcmp(v, "yes") ;
  fam = has(&flags, "IPv6") ? (v6only ? CVT_FAM6 : CVT_FAM46) : CVT_FAM4 ;
  if (get(x, st, "bind", &l) || get(x, st, "interface", &l))
  {
    if (!single(c, &l, "bind", &v)) { cvt_skip(c, &s, "bind: expected one address") ; goto end ; }
    if (!cvt_host(&s, v, &why))
    {
      stralloc m = STRALLOC_ZERO ;
      if (stralloc_cats(&m, "bind \"") && stralloc_cats(&m, v) && stralloc_cats(&m, "\" ") && stralloc_cats(&m, why) && stralloc_0(&m)) cvt_skip(c, &s, m.s) ;
      else c->sysfail = 1 ;
      stralloc_free(&m) ;
      goto end ;
    }
  }
  else cvt_host_any(&s, fam) ;

  /* rate: cps N [W] is N a second, then off for W s; minetd: N*60 a
     minute, the excess refused, never off. xinetd's default: 50 10. */
  s.rate = 50 * 60 ;
  if (get(x, st, "cps", &l))
  {
    unsigned int n ;
    if (!l.n || l.n > 2 || !mtd_uint_scan(l.w[0], 1000000, &n) || !n)
      cvt_rep(c, l.file, l.line, "service ", st->name, ": cps left out: expected cps = N [SECONDS]; xinetd's 50 a second applies") ;
    else
    {
      char fmt[UINT_FMT] ;
      s.rate = n * 60 ;
      fmt[uint_fmt(fmt, s.rate)] = 0 ;
      cvt_notes(c, &s, "cps ", l.w[0], l.n > 1 ? " " : "", l.n > 1 ? l.w[1] : "", ": ", fmt, " a minute; the excess is refused, the service is never disabled") ;
    }
  }
  if (s.wait && !s.udp) s.rate = 0 ;

  /* user, group */
  {
    char const *user = 0, *group = 0 ;
    if (get(x, st, "user", &l)) single(c, &l, "user", &user) ;
    if (get(x, st, "group", &l)) single(c, &l, "group", &group) ;
    if (group && !user) user = "root" ;
    if (user && (strcmp(user, "root") || group)) cvt_opt(c, &s, "user", user) ;
    if (group) cvt_opt(c, &s, "group", group) ;
    if (get(x, st, "groups", &l) && l.n == 1 && !strcmp(l.w[0], "no") && user && strcmp(user, "root"))
      cvt_rep(c, l.file, l.line, "service ", st->name, ": groups = no left out: minetd gives the user's supplementary groups") ;
  }

  /* instances, per_source */
  if (get(x, st, "instances", &l) && single(c, &l, "instances", &v) && !(s.wait))
  {
    unsigned int n ;
    if (!strcmp(v, "UNLIMITED")) { cvt_opt_uint(c, &s, "maxconn", 65535) ; cvt_notes(c, &s, "instances UNLIMITED: maxconn=65535, minetd's highest") ; }
    else if (mtd_uint_scan(v, 65535, &n) && n) cvt_opt(c, &s, "maxconn", v) ;
    else cvt_rep(c, l.file, l.line, "service ", st->name, ": instances \"", v, "\" left out: expected 1 to 65535 or UNLIMITED") ;
  }
  if (get(x, st, "per_source", &l) && single(c, &l, "per_source", &v) && strcmp(v, "UNLIMITED"))
  {
    unsigned int n ;
    /* a wait service runs one server: xinetd's count has no effect */
    if (s.wait) ;
    else if (mtd_uint_scan(v, 65535, &n) && n)
    {
      cvt_opt(c, &s, "persource", v) ;
      /* xinetd counts per address; minetd groups IPv6 by /64 */
      if (s.fam != CVT_FAM4) cvt_opt(c, &s, "prefix6", "128") ;
    }
    else cvt_rep(c, l.file, l.line, "service ", st->name, ": per_source \"", v, "\" left out: expected 1 to 65535 or UNLIMITED") ;
  }

  if (has(&flags, "NODELAY") && !s.udp && !s.wait) cvt_opt(c, &s, "nodelay", "yes") ;
  if (has(&flags, "KEEPALIVE") && !s.udp && !s.wait) cvt_opt(c, &s, "keepalive", "yes") ;
  if (get(x, st, "log_on_success", &l) && l.n && !internal) cvt_opt(c, &s, "verbose", "yes") ;

  /* banner_fail: to the clients the rules or limits refuse */
  if (get(x, st, "banner_fail", &l) && single(c, &l, "banner_fail", &v))
  {
    if (!cvt_banner(c, v, &banner, &why)) { cvt_rep(c, l.file, l.line, "service ", st->name, ": banner_fail ", v, " left out: ", why) ; banner.len = 0 ; }
    else if (!stralloc_0(&banner)) c->sysfail = 1 ;
    else if (!s.udp && !s.wait) cvt_opt(c, &s, "refuse", banner.s) ;
  }
  if (!access_rules(c, x, st, &s, banner.len ? banner.s : 0)) { cvt_skip(c, &s, "its no_access cannot be translated") ; goto end ; }

  /* the limits (issue 12's keys) */
  rlimit(c, x, st, &s, "rlimit_as", 1) ;
  rlimit(c, x, st, &s, "rlimit_data", 1) ;
  rlimit(c, x, st, &s, "rlimit_stack", 1) ;
  rlimit(c, x, st, &s, "rlimit_files", 0) ;
  rlimit(c, x, st, &s, "rlimit_cpu", 0) ;
  if (get(x, st, "nice", &l) && single(c, &l, "nice", &v))
  {
    unsigned int n ;
    char const *d = v[0] == '-' || v[0] == '+' ? v + 1 : v ;
    if (mtd_uint_scan(d, 20, &n) && (v[0] == '-' || n <= 19)) cvt_opt(c, &s, "nice", v[0] == '+' ? d : v) ;
    else cvt_rep(c, l.file, l.line, "service ", st->name, ": nice \"", v, "\" left out: expected -20 to 19") ;
  }
  if (get(x, st, "umask", &l) && single(c, &l, "umask", &v))
  {
    if (v[0] && strlen(v) <= 4 && !v[strspn(v, "01234567")]) cvt_opt(c, &s, "umask", v) ;
    else cvt_rep(c, l.file, l.line, "service ", st->name, ": umask \"", v, "\" left out: expected an octal number") ;
  }
  if (get(x, st, "env", &l))
    for (unsigned int i = 0 ; i < l.n ; i++)
    {
      char const *eq = strchr(l.w[i], '=') ;
      if (!eq || eq == l.w[i]) cvt_rep(c, l.file, l.line, "service ", st->name, ": env \"", l.w[i], "\" left out: expected NAME=VALUE") ;
      else cvt_opt(c, &s, "env", l.w[i]) ;
    }
  if (get(x, st, "passenv", &l))
  {
    stralloc names = STRALLOC_ZERO ;
    for (unsigned int i = 0 ; i < l.n ; i++)
      if ((names.len && !stralloc_cats(&names, ",")) || !stralloc_cats(&names, l.w[i])) c->sysfail = 1 ;
    /* an empty passenv passes nothing; minetd always passes PATH and
       the UCSPI variables, so PATH alone is the nearest */
    if (!l.n) { cvt_notes(c, &s, "passenv empty: minetd still passes PATH and the UCSPI variables") ; if (!stralloc_cats(&names, "PATH")) c->sysfail = 1 ; }
    if (stralloc_0(&names)) cvt_opt(c, &s, "passenv", names.s) ; else c->sysfail = 1 ;
    stralloc_free(&names) ;
  }

  if (!s.wait && s.udp && !internal)
    cvt_notes(c, &s, "dgram wait = no: minetd-udp -n starts one process per peer, its datagrams relayed on fd 0 (no recvfrom on the socket)") ;

  if (internal)
  {
    if (!cvt_internal_known(st->name)) { cvt_skip(c, &s, "no internal service of that name in minetd-internal (echo, discard, daytime, time, chargen)") ; goto end ; }
    if (s.udp && (!strcmp(st->name, "echo") || !strcmp(st->name, "chargen")))
    {
      cvt_skip(c, &s, "echo and chargen over UDP answer forged sources (reflection and amplification): minetd serves them over TCP only") ;
      goto end ;
    }
    if (s.udp != s.wait) { cvt_skip(c, &s, s.udp ? "an internal UDP service is served with wait = yes by minetd" : "an internal TCP service is served with wait = no by minetd") ; goto end ; }
    s.internal = st->name ;
  }
  else
  {
    list args ;
    unsigned int first = 0 ;
    char const *server = 0 ;
    if (get(x, st, "server", &l)) single(c, &l, "server", &server) ;
    if (!server) { cvt_skip(c, &s, "no server") ; goto end ; }
    if (server[0] != '/') { cvt_skip(c, &s, "server is not an absolute path") ; goto end ; }
    get(x, st, "server_args", &args) ;
    if (nameinargs)
    {
      char const *b = strrchr(server, '/') + 1 ;
      first = 1 ;
      if (!strcmp(b, "tcpd"))
      {
        if (!args.n || args.w[0][0] != '/') { cvt_skip(c, &s, "tcpd with NAMEINARGS needs the program's absolute path first in server_args") ; goto end ; }
        cvt_rep(c, st->file, st->line, "service ", id, ": tcpd left out, the program runs without the checks of hosts.allow and hosts.deny: write them as only_from and no_access") ;
        server = args.w[0] ;
      }
      else if (args.n && strcmp(args.w[0], server) && strcmp(args.w[0], b))
        cvt_rep(c, args.file, args.line, "service ", id, ": argv[0] \"", args.w[0], "\" left out: minetd runs ", server, " with its own path as argv[0]") ;
    }
    cvt_arg(c, &s, server) ;
    for (unsigned int i = first ; i < args.n ; i++) cvt_arg(c, &s, args.w[i]) ;
    /* xinetd gives the program the socket on fd 2 too */
    if (!s.udp && !s.wait) cvt_opt(c, &s, "stderr", "yes") ;
  }
  stralloc_free(&banner) ;
  cvt_emit(c, &s) ;
 end:
  stralloc_free(&banner) ;
  cvt_service_free(&s) ;
}

int cvt_xinetd (cvt *c, char const *file, char const *text, size_t len)
{
  static xinetd x ;
  memset(&x, 0, sizeof x) ;
  x.c = c ;
  x.st = calloc(X_STANZAS_MAX, sizeof *x.st) ;
  if (!x.st) { c->sysfail = 1 ; return 0 ; }
  parse(&x, file, text, len, 0) ;
  /* defaults' own unknown attributes, once */
  for (unsigned int i = 0 ; i < x.nst ; i++)
    if (x.st[i].defaults)
      for (unsigned int k = 0 ; k < x.st[i].nops ; k++)
        if (!in(known, x.st[i].ops[k].key)) cvt_rep(c, x.st[i].file, x.st[i].ops[k].line, "unknown attribute ", x.st[i].ops[k].key, " left out") ;
  for (unsigned int i = 0 ; i < x.nst && !c->sysfail ; i++)
    if (!x.st[i].defaults) service(&x, x.st + i) ;
  for (unsigned int i = 0 ; i < x.nst ; i++)
  {
    for (unsigned int k = 0 ; k < x.st[i].nops ; k++)
    {
      for (unsigned int j = 0 ; j < x.st[i].ops[k].n ; j++) free(x.st[i].ops[k].w[j]) ;
      free(x.st[i].ops[k].w) ;
      free(x.st[i].ops[k].key) ;
    }
    free(x.st[i].ops) ;
    free(x.st[i].name) ;
  }
  free(x.st) ;
  for (unsigned int i = 0 ; i < x.nfiles ; i++) free(x.files[i]) ;
  return !c->sysfail ;
}

int cvt_is_xinetd (char const *text, size_t len)
{
  size_t i = 0 ;
  while (i < len)
  {
    size_t e = i, n ;
    char line[64] ;
    char *w[3] ;
    unsigned int k ;
    while (e < len && text[e] != '\n') e++ ;
    n = e - i < sizeof line - 1 ? e - i : sizeof line - 1 ;
    memcpy(line, text + i, n) ;
    line[n] = 0 ;
    i = e + 1 ;
    k = cvt_split(line, w, 2) ;
    if (!k || w[0][0] == '#') continue ;
    if (!strcmp(w[0], "{") || !strcmp(w[0], "}") || !strcmp(w[0], "defaults")
     || (k == 2 && (!strcmp(w[0], "service") || !strcmp(w[0], "includedir") || !strcmp(w[0], "include"))))
      return 1 ;
  }
  return 0 ;
}
