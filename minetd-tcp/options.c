/* minetd-tcp's command line. Every bad argument is one line and exit 100. */
#include <string.h>
#include <skalibs/sgetopt.h>
#include <skalibs/strerr.h>
#include <skalibs/types.h>
#include "mtd_usage.h"
#include "mtd_addr.h"
#include "mtd_launch_options.h"
#include "mtd_escape.h"
#include "mtd_proxy.h"
#include "minetd-tcp.h"

#define USAGE "minetd-tcp [ -1 ] [ -v ] [ -c maxconn ] [ -C persource ] [ -p v4bits ] [ -P v6bits ] [ -r message ] [ -b backlog ] [ -H v1|v2|any -F prefix[,prefix...] [ -X ] [ -W timeout ] [ -Q pending ] ] [ -D ] [ -K ] [ -e ] [ -u uid ] [ -g gid ] [ -G gidlist ] [ -U ] [ -d notif-fd ] [ -k fd ] [ -E ] [ -w [ -L ] ] { -i | host port } prog..."
#define OPTIONS "1vc:C:p:P:r:b:H:F:XW:Q:DKeu:g:G:Ud:k:EiwL"

/* In wait mode the program accepts: minetd-tcp never sees a connection,
   so what it would do to one cannot be asked for. */
static void wait_mode_check (tcp_options *o, int counted, char const *which)
{
  if (counted)
    strerr_dief(100, which, " does not apply with -w: the program accepts the connections, minetd-tcp never sees them") ;
  if (o->common.child.sock_on_stderr)
    strerr_dief(100, "-e does not apply with -w: the program's fd 2 would be the listening socket") ;
  if (!o->socket_activation) return ;
  for (unsigned int i = 0 ; i < o->common.child.nkeep ; i++)
    if (o->common.child.keepfds[i] == 3) strerr_dief(100, "-k 3 conflicts with -L: the listening socket goes on fd 3") ;
  if (o->common.child.nkeep >= MTD_KEEPFDS_MAX) strerr_dief(100, "too many -k options with -L (at most 15)") ;
}

/* -F PREFIX[,PREFIX...], given once or more */
static void proxy_from_add (tcp_options *o, char const *arg)
{
  char const *s = arg ;
  for (;;)
  {
    size_t len = strcspn(s, ",") ;
    char one[MTD_IP_FMT + 8] ;
    char const *why ;
    if (o->nproxy_from >= PROXY_FROM_MAX) strerr_dief(100, "too many -F prefixes (at most 32)") ;
    if (len && len < sizeof one) { memcpy(one, s, len) ; one[len] = 0 ; }
    else strerr_dief(100, "invalid -F \"", arg, "\": expected PREFIX[,PREFIX...]") ;
    if (!mtd_prefix_scan(one, &o->proxy_from[o->nproxy_from].net, &o->proxy_from[o->nproxy_from].bits, &why))
      strerr_dief(100, "invalid -F prefix \"", one, "\": ", why) ;
    o->nproxy_from++ ;
    if (!s[len]) break ;
    s += len + 1 ;
  }
}

/* The PROXY options come together: -H with -F, the others with -H. */
static void proxy_check (tcp_options const *o, char const *given)
{
  if (o->proxy && !o->nproxy_from) strerr_dief(100, "-H needs -F: a PROXY header is read only from the balancers' prefixes") ;
  if (!o->proxy && given) strerr_dief(100, given, " needs -H: no PROXY header is read without it") ;
  if (o->proxy && o->wait) strerr_dief(100, "-H does not apply with -w: the program accepts the connections, minetd-tcp never reads from them") ;
}

void options_parse (int argc, char const *const *argv, tcp_options *o)
{
  char const *proxy_given = 0 ;   /* the last of -F -X -W -Q */
  subgetopt l = SUBGETOPT_ZERO ;
  mtd_usage_help(argc, argv, USAGE) ;
  char const *counted = 0 ;   /* the last of -c -C -r given */
  memset(o, 0, sizeof *o) ;
  o->maxconn = 40 ;
  o->v4bits = 32 ;
  o->v6bits = 64 ;
  o->backlog = 1024 ;
  o->proxy_timeout = 5 ;
  o->proxy_pending = 64 ;
  mtd_launch_options_init(&o->common) ;
  for (;;)
  {
    int opt = subgetopt_r(argc, argv, OPTIONS, &l) ;
    if (opt == -1) break ;
    if (mtd_launch_option(&o->common, opt, l.arg)) continue ;
    switch (opt)
    {
      case 'c' : counted = "-c" ; o->maxconn = mtd_uint_option(l.arg, 1, 65536, "maximum connections") ; break ;
      case 'C' : counted = "-C" ; o->persource = mtd_uint_option(l.arg, 0, 65536, "per-source maximum") ; break ;
      case 'p' : o->v4bits = mtd_uint_option(l.arg, 0, 32, "IPv4 prefix length") ; break ;
      case 'P' : o->v6bits = mtd_uint_option(l.arg, 0, 128, "IPv6 prefix length") ; break ;
      case 'r' :
        counted = "-r" ;
        o->refusal = (char *)l.arg ;  /* argv is ours to rewrite */
        if (!mtd_unescape(o->refusal, o->refusal, &o->refusallen))
          strerr_dief(100, "invalid refusal message: unknown escape (use \\r \\n \\t \\\\)") ;
        o->refuse_at_cap = 1 ;
        break ;
      case 'b' : o->backlog = mtd_uint_option(l.arg, 1, 65535, "backlog") ; break ;
      case 'H' :
        o->proxy = mtd_proxy_versions_scan(l.arg) ;
        if (!o->proxy) strerr_dief(100, "invalid -H \"", l.arg, "\": expected v1, v2 or any") ;
        break ;
      case 'F' : proxy_given = "-F" ; proxy_from_add(o, l.arg) ; break ;
      case 'X' : proxy_given = "-X" ; o->proxy_refuse_others = 1 ; break ;
      case 'W' : proxy_given = "-W" ; o->proxy_timeout = mtd_uint_option(l.arg, 1, 3600, "PROXY header timeout") ; break ;
      case 'Q' : proxy_given = "-Q" ; o->proxy_pending = mtd_uint_option(l.arg, 1, 4096, "pending PROXY headers") ; break ;
      case 'D' : o->nodelay = 1 ; break ;
      case 'K' : o->keepalive = 1 ; break ;
      case 'e' : o->common.child.sock_on_stderr = 1 ; break ;
      case 'w' : o->wait = 1 ; break ;
      case 'L' : o->socket_activation = 1 ; break ;
      default : mtd_usage_bad_option(l.problem, OPTIONS, USAGE) ;
    }
  }
  argc -= l.ind ; argv += l.ind ;
  if (o->socket_activation && !o->wait) strerr_dief(100, "-L needs -w: only a wait-mode program gets the listening socket") ;
  proxy_check(o, proxy_given) ;
  if (o->wait) wait_mode_check(o, !!counted, counted) ;
  mtd_privdrop_finish(&o->common.priv) ;
  mtd_launch_operands(&o->common, argc, argv, USAGE) ;
}
