/* Writing what the parsers read: one minetd.conf line per service, with
   its name made unique, its address checked against the others, its rules
   file written (-R) or shown as comments; and the report. */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <skalibs/djbunix.h>
#include <skalibs/stralloc.h>
#include <skalibs/types.h>
#include "mtd_addr.h"
#include "convert.h"

static char const *const internals[] = { "echo", "discard", "daytime", "time", "chargen", 0 } ;

int cvt_internal_known (char const *name)
{
  for (unsigned int i = 0 ; internals[i] ; i++) if (!strcmp(name, internals[i])) return 1 ;
  return 0 ;
}

static void oom (cvt *c) { c->sysfail = 1 ; }

static void cat (cvt *c, stralloc *sa, char const *s, size_t n)
{
  if (!stralloc_catb(sa, s, n)) oom(c) ;
}
static void cats (cvt *c, stralloc *sa, char const *s) { cat(c, sa, s, strlen(s)) ; }

void cvt_report (cvt *c, char const *file, unsigned int line, char const *const *parts, unsigned int n)
{
  char fmt[UINT_FMT] ;
  c->nreport++ ;
  if (c->nreport > CVT_REPORT_MAX) return ;
  if (c->nreport == CVT_REPORT_MAX)
  {
    cats(c, &c->report, file) ;
    cats(c, &c->report, ": too many things not translated, the rest is not listed\n") ;
    return ;
  }
  cats(c, &c->report, file) ;
  cats(c, &c->report, ":") ;
  if (line)
  {
    cat(c, &c->report, fmt, uint_fmt(fmt, line)) ;
    cats(c, &c->report, ":") ;
  }
  cats(c, &c->report, " ") ;
  for (unsigned int i = 0 ; i < n ; i++)
    if (parts[i])
    {
      /* a word from the file may hold any byte: keep the report one line */
      size_t len = strlen(parts[i]) ;
      if (len > 256) len = 256 ;
      for (size_t j = 0 ; j < len ; j++)
      {
        char ch = parts[i][j] ;
        if ((unsigned char)ch < 32 || ch == 127) ch = '?' ;
        cat(c, &c->report, &ch, 1) ;
      }
    }
  cats(c, &c->report, "\n") ;
}

/* A word as minetd.conf reads it back: quoted when it holds a blank, a
   quote, or starts a comment. Inside "...", \" and \\ are the escapes and
   other backslashes stay, so a backslash is doubled only where it would
   otherwise start one. */
static void quote (cvt *c, stralloc *sa, char const *w)
{
  size_t n = strlen(w) ;
  if (n && !strpbrk(w, " \t\"'\\\r") && w[0] != '#') { cat(c, sa, w, n) ; return ; }
  cats(c, sa, "\"") ;
  for (size_t i = 0 ; i < n ; i++)
  {
    if (w[i] == '"') cats(c, sa, "\\\"") ;
    else if (w[i] == '\\' && (w[i+1] == '\\' || w[i+1] == '"' || !w[i+1])) cats(c, sa, "\\\\") ;
    else cat(c, sa, w + i, 1) ;
  }
  cats(c, sa, "\"") ;
}

void cvt_opt (cvt *c, cvt_service *s, char const *key, char const *value)
{
  if (s->opts.len) cats(c, &s->opts, " ") ;
  cats(c, &s->opts, key) ;
  cats(c, &s->opts, "=") ;
  quote(c, &s->opts, value) ;
  s->nwords++ ;
}

void cvt_opt_uint (cvt *c, cvt_service *s, char const *key, unsigned int u)
{
  char fmt[UINT_FMT] ;
  fmt[uint_fmt(fmt, u)] = 0 ;
  cvt_opt(c, s, key, fmt) ;
}

void cvt_arg (cvt *c, cvt_service *s, char const *word)
{
  if (s->argv.len) cats(c, &s->argv, " ") ;
  quote(c, &s->argv, word) ;
  s->nwords++ ;
}

void cvt_note (cvt *c, cvt_service *s, char const *const *parts, unsigned int n)
{
  cats(c, &s->notes, "# note: ") ;
  for (unsigned int i = 0 ; i < n ; i++) if (parts[i]) cats(c, &s->notes, parts[i]) ;
  cats(c, &s->notes, "\n") ;
}

void cvt_host_any (cvt_service *s, int fam)
{
  strcpy(s->host, fam == CVT_FAM4 ? "0" : fam == CVT_FAM6 ? "[::]" : "*") ;
  s->fam = fam ;
  s->wild = 1 ;
}

int cvt_host (cvt_service *s, char const *text, char const **why)
{
  ip46 ip ;
  int dual = 0 ;
  char fmt[IP46_FMT] ;
  size_t n ;
  char buf[64] ;
  n = strlen(text) ;
  if (!strcmp(text, "*")) { cvt_host_any(s, CVT_FAM46) ; return 1 ; }
  /* xinetd and inetd write IPv6 bare; minetd's parser takes both */
  if (n >= 2 && text[0] == '[' && text[n-1] == ']' && n - 2 < sizeof buf)
  {
    memcpy(buf, text + 1, n - 2) ; buf[n-2] = 0 ; text = buf ;
  }
  if (!strcmp(text, "localhost")) { strcpy(s->host, "127.0.0.1") ; s->fam = CVT_FAM4 ; s->wild = 0 ; return 1 ; }
  if (!strcmp(text, "0") || !mtd_host_scan(text, &ip, &dual) || dual)
  {
    *why = "is not an IP address (minetd does not look host names up: write the address)" ;
    return 0 ;
  }
  if (ip46_is6(&ip) && !memcmp(ip.ip, "\0\0\0\0\0\0\0\0\0\0\377\377", 12))
  {
    *why = "is an IPv4-mapped IPv6 address, which an IPv6 socket cannot bind: write the IPv4 address" ;
    return 0 ;
  }
  n = mtd_ip_fmt(fmt, &ip) ;
  fmt[n] = 0 ;
  s->wild = 1 ;
  for (unsigned int i = 0 ; i < (ip46_is6(&ip) ? 16u : 4u) ; i++) if (ip.ip[i]) s->wild = 0 ;
  if (ip46_is6(&ip)) { s->host[0] = '[' ; memcpy(s->host + 1, fmt, n) ; s->host[n+1] = ']' ; s->host[n+2] = 0 ; s->fam = CVT_FAM6 ; }
  else { memcpy(s->host, fmt, n + 1) ; s->fam = CVT_FAM4 ; }
  return 1 ;
}

int cvt_port (char const *text, int udp, uint16_t *port)
{
  unsigned int u ;
  struct servent *se ;
  if (!text[0]) return 0 ;
  if (text[strspn(text, "0123456789")] == 0)
  {
    if (!mtd_uint_scan(text, 65535, &u) || !u) return 0 ;
    *port = u ;
    return 1 ;
  }
  se = getservbyname(text, udp ? "udp" : "tcp") ;
  if (!se) return 0 ;
  *port = ntohs((uint16_t)se->s_port) ;
  return *port != 0 ;
}

/* Escapes minetd-tcp -r and minetd-env's msg= both decode. */
int cvt_banner (cvt *c, char const *path, stralloc *sa, char const **why)
{
  char buf[2048] ;
  ssize_t r ;
  int fd ;
  size_t n = 0 ;
  if (c->noinclude) { *why = "files are not read here" ; return 0 ; }
  fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC) ;
  if (fd < 0) { *why = strerror(errno) ; return 0 ; }
  r = read(fd, buf, sizeof buf) ;
  close(fd) ;
  if (r < 0) { *why = strerror(errno) ; return 0 ; }
  if ((size_t)r == sizeof buf) { *why = "longer than minetd sends (1023 bytes, escapes counted)" ; return 0 ; }
  for (ssize_t i = 0 ; i < r ; i++)
  {
    unsigned char ch = buf[i] ;
    char const *e = ch == '\r' ? "\\r" : ch == '\n' ? "\\n" : ch == '\t' ? "\\t" : ch == '\\' ? "\\\\" : 0 ;
    if (!e && (ch < 32 || ch == 127)) { *why = "holds a control byte minetd cannot send (only CR, LF and tab)" ; return 0 ; }
    if (e) { cats(c, sa, e) ; n += 2 ; }
    else { cat(c, sa, (char *)&ch, 1) ; n++ ; }
  }
  /* as written, minetd-rate -m takes 1023 bytes, a rules msg 1024 */
  if (n > 1023) { *why = "longer than minetd sends (1023 bytes, escapes counted)" ; return 0 ; }
  if (!n) { *why = "is empty" ; return 0 ; }
  return 1 ;
}

int cvt_rules_msg (stralloc *sa, char const *escaped)
{
  if (!stralloc_cats(sa, " msg=\"")) return 0 ;
  for (char const *p = escaped ; *p ; p++)
  {
    if (*p == '"' && !stralloc_cats(sa, "\\\"")) return 0 ;
    if (*p == '\\') { if (!stralloc_catb(sa, p, 2)) return 0 ; p++ ; continue ; }
    if (*p != '"' && !stralloc_catb(sa, p, 1)) return 0 ;
  }
  return stralloc_cats(sa, "\"") ;
}

void cvt_service_free (cvt_service *s)
{
  stralloc_free(&s->opts) ;
  stralloc_free(&s->argv) ;
  stralloc_free(&s->rules) ;
  stralloc_free(&s->notes) ;
}

static void where (cvt *c, cvt_service const *s)
{
  char fmt[UINT_FMT] ;
  cats(c, &c->out, s->file) ;
  cats(c, &c->out, ":") ;
  cat(c, &c->out, fmt, uint_fmt(fmt, s->line)) ;
}

void cvt_skip (cvt *c, cvt_service const *s, char const *why)
{
  cvt_rep(c, s->file, s->line, s->name ? "service " : "", s->name ? s->name : "", s->name ? " not translated: " : "not translated: ", why) ;
  cats(c, &c->out, "# not translated: ") ;
  where(c, s) ;
  cats(c, &c->out, ": ") ;
  for (char const *p = why ; *p ; p++) cat(c, &c->out, (unsigned char)*p < 32 ? "?" : p, 1) ;
  cats(c, &c->out, "\n") ;
}

static int name_taken (cvt const *c, char const *name)
{
  for (unsigned int i = 0 ; i < c->nnames ; i++) if (!strcmp(c->names[i], name)) return 1 ;
  return 0 ;
}

/* minetd names: letters, digits, '-', '_', '.', at most 64; unique.
   A name seen again gets the protocol, then a number. */
static int unique_name (cvt *c, cvt_service const *s, char *out)
{
  char base[CVT_NAME_MAX + 1] ;
  size_t n = 0 ;
  char const *src = s->name && s->name[0] ? s->name : "service" ;
  char num[UINT_FMT] ;
  for ( ; n < CVT_NAME_MAX - 8 && src[n] ; n++)
  {
    char ch = src[n] ;
    int good = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' || ch == '.' ;
    base[n] = good ? ch : '_' ;
  }
  base[n] = 0 ;
  if (c->nnames >= sizeof c->names / sizeof *c->names) return 0 ;
  strcpy(out, base) ;
  if (name_taken(c, out))
  {
    strcpy(out + n, s->udp ? "-udp" : "-tcp") ;
    if (s->fam == CVT_FAM6) strcat(out, "6") ;
    for (unsigned int i = 2 ; name_taken(c, out) ; i++)
    {
      if (i > 99999) return 0 ;
      num[uint_fmt(num, i)] = 0 ;
      strcpy(out + n, "-") ;
      strcat(out, num) ;
    }
  }
  strcpy(c->names[c->nnames++], out) ;
  return 1 ;
}

/* minetd.conf's overlap rule: equal hosts, a wildcard of the family, or
   a dual-stack "*" on the same port and protocol. */
static cvt_bind const *conflict (cvt const *c, cvt_service const *s)
{
  for (unsigned int i = 0 ; i < c->nbinds ; i++)
  {
    cvt_bind const *b = c->binds + i ;
    if (b->udp != s->udp || b->port != s->port) continue ;
    if (b->fam == CVT_FAM46 || s->fam == CVT_FAM46) return b ;
    if (b->fam != s->fam) continue ;
    if (b->wild || s->wild || !strcmp(b->host, s->host)) return b ;
  }
  return 0 ;
}

static void write_rules (cvt *c, cvt_service *s, char const *name)
{
  stralloc path = STRALLOC_ZERO ;
  if (!stralloc_cats(&path, c->rulesdir) || !stralloc_cats(&path, "/") || !stralloc_cats(&path, name)
   || !stralloc_cats(&path, ".rules") || !stralloc_0(&path)) { oom(c) ; return ; }
  if (!openwritenclose_suffix(path.s, s->rules.s ? s->rules.s : "", s->rules.len, ".tmp"))
  {
    cvt_rep(c, s->file, s->line, "unable to write ", path.s, ": ", strerror(errno)) ;
    c->sysfail = 1 ;
  }
  else cvt_opt(c, s, "rules", path.s) ;
  stralloc_free(&path) ;
}

void cvt_emit (cvt *c, cvt_service *s)
{
  char name[CVT_NAME_MAX + 1] ;
  char fmt[UINT_FMT] ;
  cvt_bind const *b ;
  size_t start ;
  int commented = s->disabled ;
  if (c->nservices >= CVT_SERVICES_MAX) { cvt_skip(c, s, "more than 256 services, minetd.conf's limit") ; goto end ; }
  if (!s->disabled && (b = conflict(c, s)))
  {
    stralloc m = STRALLOC_ZERO ;
    if (stralloc_cats(&m, "its address overlaps service ") && stralloc_cats(&m, b->name)
     && stralloc_cats(&m, "'s on the same port, which binds first") && stralloc_0(&m))
      cvt_skip(c, s, m.s) ;
    else oom(c) ;
    stralloc_free(&m) ;
    goto end ;
  }
  if (!unique_name(c, s, name)) { cvt_skip(c, s, "no unique name left for it") ; goto end ; }
  if (s->has_rules)
  {
    if (c->rulesdir) write_rules(c, s, name) ;
    else
    {
      /* An allow-list left out would open the service to everyone: it is
         written commented out, its rules beside it, until -R is given. */
      cvt_rep(c, s->file, s->line, "service ", name, ": its access rules need a rules file (run with -R DIR): written commented out") ;
      cats(c, &c->out, "# rules for ") ;
      cats(c, &c->out, name) ;
      cats(c, &c->out, " (minetd-env(8) format; run minetd-convert -R DIR to write them):\n") ;
      for (size_t i = 0 ; i < s->rules.len ; )
      {
        size_t e = i ;
        while (e < s->rules.len && s->rules.s[e] != '\n') e++ ;
        cats(c, &c->out, "#   ") ;
        cat(c, &c->out, s->rules.s + i, e - i) ;
        cats(c, &c->out, "\n") ;
        i = e + 1 ;
      }
      commented = 1 ;
    }
    if (s->rules_allow) cvt_opt(c, s, "rules_default", "allow") ;
  }
  if (s->nwords + 5 > 136)
  {
    cvt_skip(c, s, "more than 136 words on its minetd.conf line") ;
    goto end ;
  }
  cat(c, &c->out, s->notes.s, s->notes.len) ;
  if (s->disabled)
  {
    cats(c, &c->out, "# disabled") ;
    if (s->why_disabled) { cats(c, &c->out, " (") ; cats(c, &c->out, s->why_disabled) ; cats(c, &c->out, ")") ; }
    cats(c, &c->out, ":\n") ;
  }
  start = c->out.len ;
  cats(c, &c->out, commented ? "#service " : "service ") ;
  cats(c, &c->out, name) ;
  cats(c, &c->out, " ") ;
  cats(c, &c->out, s->host) ;
  cats(c, &c->out, ":") ;
  cat(c, &c->out, fmt, uint_fmt(fmt, s->port)) ;
  if (s->udp) cats(c, &c->out, "/udp") ;
  cats(c, &c->out, " ") ;
  cat(c, &c->out, fmt, uint_fmt(fmt, s->rate)) ;
  if (s->opts.len) { cats(c, &c->out, " ") ; cat(c, &c->out, s->opts.s, s->opts.len) ; }
  cats(c, &c->out, " ") ;
  if (s->internal) { cats(c, &c->out, "internal:") ; cats(c, &c->out, s->internal) ; }
  else cat(c, &c->out, s->argv.s, s->argv.len) ;
  cats(c, &c->out, " # ") ;
  where(c, s) ;
  if (c->out.len - start > CVT_LINE_MAX)
  {
    c->out.len = start ;
    cvt_skip(c, s, "its minetd.conf line would be longer than 8192 bytes") ;
    goto end ;
  }
  cats(c, &c->out, "\n") ;
  c->nservices++ ;
  if (!commented)
  {
    cvt_bind *nb = c->binds + c->nbinds++ ;
    nb->udp = s->udp ; nb->fam = s->fam ; nb->wild = s->wild ; nb->port = s->port ;
    strcpy(nb->host, s->host) ;
    strcpy(nb->name, name) ;
  }
 end:
  cvt_service_free(s) ;
}
