/* inetd.conf (openbsd-inetd's format, Debian's inetd) to services:
     [addr[,addr...]:]service socktype proto wait[.max] user[.group|:group] server [argv0 args...]
     addr:                  (the hosts of the lines that follow; "*:" resets)
     #<off># service ...    (a line update-inetd disabled) */
#include <string.h>
#include <skalibs/stralloc.h>
#include <skalibs/types.h>
#include "mtd_addr.h"
#include "convert.h"

/* openbsd-inetd's default: at most 256 starts a minute (-R), after which
   it stops the service for ten minutes; minetd only refuses the excess. */
#define INETD_RATE 256

typedef struct inetd_s inetd ;
struct inetd_s
{
  cvt *c ;
  char const *file ;
  char hosts[256] ;       /* the last "addr:" line's list, "*" at first */
} ;

/* The family a protocol binds: tcp and udp mean both in openbsd-inetd
   (two sockets); minetd's "*" is one dual-stack socket, which serves both. */
static int proto_scan (char const *p, int *udp, int *fam)
{
  static struct { char const *name ; int udp, fam ; } const protos[] =
  {
    { "tcp", 0, CVT_FAM46 }, { "tcp4", 0, CVT_FAM4 }, { "tcp6", 0, CVT_FAM6 }, { "tcp46", 0, CVT_FAM46 },
    { "udp", 1, CVT_FAM46 }, { "udp4", 1, CVT_FAM4 }, { "udp6", 1, CVT_FAM6 }, { "udp46", 1, CVT_FAM46 },
  } ;
  for (unsigned int i = 0 ; i < sizeof protos / sizeof *protos ; i++)
    if (!strcmp(p, protos[i].name)) { *udp = protos[i].udp ; *fam = protos[i].fam ; return 1 ; }
  return 0 ;
}

static char const *base_name (char const *path)
{
  char const *s = strrchr(path, '/') ;
  return s ? s + 1 : path ;
}

/* One service of a line on one host. 1 if written (or reported). */
static void one_do (inetd *in, cvt_service *sp, char **w, unsigned int n, unsigned int line, int disabled, char const *host, char const *svc)
{
  cvt *c = in->c ;
#define s (*sp)
  char proto[64] ;
  char *opt ;
  int fam ;
  char const *why ;
  char *wait = w[3], *dot ;
  char *user = w[4], *group = 0 ;
  char const *server = w[5] ;
  unsigned int argi = 7 ;   /* after argv[0] */
  s.file = in->file ; s.line = line ; s.name = svc ; s.disabled = disabled ;
  s.why_disabled = disabled ? "#<off># in inetd.conf" : 0 ;

  if (strlen(w[2]) >= sizeof proto) { cvt_skip(c, &s, "protocol too long") ; return ; }
  strcpy(proto, w[2]) ;
  opt = strchr(proto, ',') ;
  if (opt)
  {
    /* ,sndbuf=N ,rcvbuf=N: minetd sets no socket buffer sizes */
    *opt++ = 0 ;
    cvt_rep(c, in->file, line, "socket buffer sizes \"", opt, "\" left out: minetd has no counterpart") ;
  }
  if (!strncmp(proto, "rpc/", 4)) { cvt_skip(c, &s, "RPC services have no counterpart in minetd") ; return ; }
  if (!strcmp(proto, "unix")) { cvt_skip(c, &s, "UNIX-domain sockets have no counterpart in minetd") ; return ; }
  if (!proto_scan(proto, &s.udp, &fam))
  {
    cvt_rep(c, in->file, line, "service ", svc, " not translated: unknown protocol \"", proto, "\" (tcp, udp, tcp4, udp4, tcp6, udp6)") ;
    return ;
  }
  if (strcmp(w[1], s.udp ? "dgram" : "stream"))
  {
    cvt_rep(c, in->file, line, "service ", svc, " not translated: socket type \"", w[1], "\" with ", proto, ": minetd serves stream tcp and dgram udp") ;
    return ;
  }

  /* host */
  if (!strcmp(host, "*")) cvt_host_any(&s, fam) ;
  else if (!strcmp(host, "localhost") && fam != CVT_FAM4)
  {
    if (fam == CVT_FAM6) cvt_host(&s, "::1", &why) ;
    else
    {
      /* both families: inetd binds each address of the name */
      cvt_host(&s, "127.0.0.1", &why) ;
      cvt_notes(c, &s, "localhost is 127.0.0.1 and ::1 to inetd's tcp: this line is 127.0.0.1, add [::1] if needed") ;
    }
  }
  else
  {
    if (!cvt_host(&s, host, &why)) { cvt_rep(c, in->file, line, "service ", svc, " not translated: host \"", host, "\" ", why) ; return ; }
    if (fam != CVT_FAM46 && fam != s.fam)
    {
      cvt_rep(c, in->file, line, "service ", svc, " not translated: host ", host, " is not of the family of ", proto) ;
      return ;
    }
  }

  if (!cvt_port(svc, s.udp, &s.port))
  {
    cvt_rep(c, in->file, line, "service ", svc, " not translated: not a port number, nor a name in /etc/services for ", s.udp ? "udp" : "tcp") ;
    return ;
  }

  /* wait[.max] */
  s.rate = INETD_RATE ;
  dot = strchr(wait, '.') ;
  if (dot)
  {
    *dot++ = 0 ;
    if (!mtd_uint_scan(dot, 1000000000u, &s.rate) || !s.rate)
    {
      cvt_rep(c, in->file, line, "service ", svc, " not translated: invalid maximum \"", dot, "\" (wait.max, nowait.max: a number of starts a minute)") ;
      return ;
    }
  }
  if (!strcmp(wait, "wait")) s.wait = 1 ;
  else if (!strcmp(wait, "nowait")) s.wait = 0 ;
  else
  {
    cvt_rep(c, in->file, line, "service ", svc, " not translated: \"", wait, "\": expected wait or nowait") ;
    return ;
  }
  if (s.wait && !s.udp)
  {
    /* the program accepts the connections: minetd-tcp cannot count them */
    if (dot) cvt_notes(c, &s, "wait.", dot, ": minetd cannot count the starts of a tcp wait service (rate 0)") ;
    s.rate = 0 ;
  }
  if (!s.wait && s.udp)
    cvt_notes(c, &s, "dgram nowait: minetd-udp -n starts one process per peer, its datagrams relayed on fd 0 (no recvfrom on the socket)") ;

  /* user[.group] user[:group] */
  dot = strpbrk(user, ".:") ;
  if (dot) { *dot++ = 0 ; group = dot ; }
  if (!user[0] || (group && !group[0]))
  {
    cvt_rep(c, in->file, line, "service ", svc, " not translated: empty user or group") ;
    return ;
  }
  if (strcmp(user, "root") || group) cvt_opt(c, &s, "user", user) ;
  if (group) cvt_opt(c, &s, "group", group) ;

  if (!strcmp(server, "internal"))
  {
    if (!cvt_internal_known(svc))
    {
      cvt_rep(c, in->file, line, "service ", svc, " not translated: no internal service of that name in minetd-internal (echo, discard, daytime, time, chargen)") ;
      return ;
    }
    if (s.udp && (!strcmp(svc, "echo") || !strcmp(svc, "chargen")))
    {
      cvt_skip(c, &s, "echo and chargen over UDP answer forged sources (reflection and amplification): minetd serves them over TCP only") ;
      return ;
    }
    if (!s.udp && s.wait) { cvt_skip(c, &s, "an internal TCP service is served with nowait by minetd") ; return ; }
    if (s.udp && !s.wait) { cvt_skip(c, &s, "an internal UDP service is served with wait by minetd") ; return ; }
    s.internal = svc ;
    cvt_emit(c, &s) ;
    return ;
  }
  if (server[0] != '/')
  {
    cvt_rep(c, in->file, line, "service ", svc, " not translated: server \"", server, "\" is not an absolute path") ;
    return ;
  }
  if (!strcmp(base_name(server), "tcpd"))
  {
    /* tcpd runs argv[0], from /usr/sbin unless absolute, once
       hosts.allow and hosts.deny allow the client */
    if (n <= 6) { cvt_rep(c, in->file, line, "service ", svc, " not translated: tcpd without a program") ; return ; }
    cvt_rep(c, in->file, line, "service ", svc, ": tcpd left out, the program runs without the checks of hosts.allow and hosts.deny: write them as rules= (minetd-env(8))") ;
    if (w[6][0] == '/') cvt_arg(c, &s, w[6]) ;
    else
    {
      char path[4200] ;
      if (strlen(w[6]) > 4000) { cvt_skip(c, &s, "program name too long") ; return ; }
      strcpy(path, "/usr/sbin/") ;
      strcat(path, w[6]) ;
      cvt_arg(c, &s, path) ;
    }
  }
  else
  {
    cvt_arg(c, &s, server) ;
    /* minetd runs the program with its path as argv[0] */
    if (n > 6 && strcmp(w[6], server) && strcmp(w[6], base_name(server)))
      cvt_rep(c, in->file, line, "service ", svc, ": argv[0] \"", w[6], "\" left out: minetd runs ", server, " with its own path as argv[0]") ;
  }
  for (unsigned int i = argi ; i < n ; i++) cvt_arg(c, &s, w[i]) ;
  /* inetd gives the program the socket on fd 2 too */
  if (!s.udp && !s.wait) cvt_opt(c, &s, "stderr", "yes") ;
  cvt_emit(c, &s) ;
#undef s
}

/* cvt_emit frees what s holds; a service not written is freed here */
static void one (inetd *in, char **w, unsigned int n, unsigned int line, int disabled, char const *host, char const *svc)
{
  cvt_service s = CVT_SERVICE_ZERO ;
  one_do(in, &s, w, n, line, disabled, host, svc) ;
  cvt_service_free(&s) ;
}

static void line_do (inetd *in, char *text, unsigned int line)
{
  cvt *c = in->c ;
  char *w[CVT_WORDS_MAX + 1] ;
  unsigned int n ;
  int disabled = 0 ;
  char *first, *colon ;
  char hosts[256] ;
  char *h ;
  while (cvt_blank(*text)) text++ ;
  if (!strncmp(text, "#<off>#", 7)) { disabled = 1 ; text += 7 ; }
  else if (*text == '#' || !*text) return ;
  n = cvt_split(text, w, CVT_WORDS_MAX) ;
  if (!n) return ;
  if (n > CVT_WORDS_MAX) { cvt_rep(c, in->file, line, "not translated: more than 128 words") ; return ; }
  first = w[0] ;
  colon = strrchr(first, ':') ;
  if (n == 1 && colon && !colon[1])
  {
    /* "addr:" sets the hosts of the lines below (not a disabled one's) */
    if (disabled) return ;
    *colon = 0 ;
    if (!first[0] || strlen(first) >= sizeof in->hosts) { cvt_rep(c, in->file, line, "not translated: invalid host list") ; strcpy(in->hosts, "*") ; return ; }
    strcpy(in->hosts, first) ;
    return ;
  }
  if (n < 6)
  {
    cvt_rep(c, in->file, line, "not translated: expected service socktype proto wait user server [args]") ;
    return ;
  }
  if (colon)
  {
    *colon = 0 ;
    if (!first[0] || strlen(first) >= sizeof hosts) { cvt_rep(c, in->file, line, "not translated: invalid host list") ; return ; }
    strcpy(hosts, first) ;
    first = colon + 1 ;
  }
  else strcpy(hosts, in->hosts) ;
  if (strchr(first, '/')) { cvt_rep(c, in->file, line, "service ", first, " not translated: RPC services have no counterpart in minetd") ; return ; }
  if (!first[0]) { cvt_rep(c, in->file, line, "not translated: no service") ; return ; }
  /* host,host,...: one minetd service each; the line is read again for
     each, as one() cuts its words */
  h = hosts ;
  for (;;)
  {
    char *comma = strchr(h, ',') ;
    char *copy[CVT_WORDS_MAX] ;
    char save[3][CVT_LINE_MAX + 1] ;
    if (comma) *comma = 0 ;
    /* one() writes NULs into words 2..4: keep them for the next host */
    for (unsigned int i = 0 ; i < n ; i++) copy[i] = w[i] ;
    for (unsigned int i = 0 ; i < 3 ; i++) { strcpy(save[i], w[i+2]) ; copy[i+2] = save[i] ; }
    if (!h[0]) cvt_rep(c, in->file, line, "not translated: empty host in the host list") ;
    else one(in, copy, n, line, disabled, h, first) ;
    if (!comma) break ;
    h = comma + 1 ;
  }
}

int cvt_inetd (cvt *c, char const *file, char const *text, size_t len)
{
  inetd in = { .c = c, .file = file, .hosts = "*" } ;
  char buf[CVT_LINE_MAX + 1] ;
  unsigned int line = 0 ;
  size_t i = 0 ;
  while (i < len && !c->sysfail)
  {
    size_t e = i ;
    while (e < len && text[e] != '\n') e++ ;
    line++ ;
    if (e - i > CVT_LINE_MAX) cvt_rep(c, file, line, "not translated: line longer than 8192 bytes") ;
    else if (memchr(text + i, 0, e - i)) cvt_rep(c, file, line, "not translated: a NUL byte") ;
    else
    {
      memcpy(buf, text + i, e - i) ;
      buf[e - i] = 0 ;
      line_do(&in, buf, line) ;
    }
    i = e + 1 ;
  }
  return !c->sysfail ;
}
