/* minetd-tcp's command line. Every bad argument is one line and exit 100. */
#include <string.h>
#include <skalibs/sgetopt.h>
#include <skalibs/strerr.h>
#include <skalibs/types.h>
#include "mtd_usage.h"
#include "mtd_addr.h"
#include "mtd_escape.h"
#include "minetd-tcp.h"

#define USAGE "minetd-tcp [ -1 ] [ -v ] [ -c maxconn ] [ -C persource ] [ -p v4bits ] [ -P v6bits ] [ -r message ] [ -b backlog ] [ -D ] [ -K ] [ -e ] [ -u uid ] [ -g gid ] [ -G gidlist ] [ -U ] [ -d notif-fd ] [ -k fd ] [ -E ] [ -w [ -L ] ] { -i | host port } prog..."
#define dieusage() strerr_dieusage(100, USAGE)
#define OPTIONS "1vc:C:p:P:r:b:DKeu:g:G:Ud:k:EiwL"

/* ::ffff:a.b.c.d would ask for an IPv6-only socket bound to an IPv4
   address: no such socket can listen, and its clients are IPv4 anyway. */
static void reject_v4mapped (char const *host, ip46 const *ip)
{
  ip46 plain = *ip ;
  char fmt[MTD_IP_FMT + 1] ;
  mtd_ip_unmap(&plain) ;
  if (!ip->is6 || plain.is6) return ;
  fmt[mtd_ip_fmt(fmt, &plain)] = 0 ;
  strerr_dief(100, "invalid host \"", host, "\": an IPv4-mapped IPv6 address: write the IPv4 address ", fmt, " instead") ;
}

/* In wait mode the program accepts: minetd-tcp never sees a connection,
   so what it would do to one cannot be asked for. */
static void wait_mode_check (tcp_options *o, int counted, char const *which)
{
  if (counted)
    strerr_dief(100, which, " does not apply with -w: the program accepts the connections, minetd-tcp never sees them") ;
  if (o->child.sock_on_stderr)
    strerr_dief(100, "-e does not apply with -w: the program's fd 2 would be the listening socket") ;
  if (!o->socket_activation) return ;
  for (unsigned int i = 0 ; i < o->child.nkeep ; i++)
    if (o->child.keepfds[i] == 3) strerr_dief(100, "-k 3 conflicts with -L: the listening socket goes on fd 3") ;
  if (o->child.nkeep >= MTD_KEEPFDS_MAX) strerr_dief(100, "too many -k options with -L (at most 15)") ;
}

void options_parse (int argc, char const *const *argv, tcp_options *o)
{
  subgetopt l = SUBGETOPT_ZERO ;
  mtd_usage_help(argc, argv, USAGE) ;
  char const *counted = 0 ;   /* the last of -c -C -r given */
  memset(o, 0, sizeof *o) ;
  o->maxconn = 40 ;
  o->v4bits = 32 ;
  o->v6bits = 64 ;
  o->backlog = 1024 ;
  o->notif_fd = -1 ;
  mtd_childspec_init(&o->child) ;
  for (;;)
  {
    int opt = subgetopt_r(argc, argv, OPTIONS, &l) ;
    if (opt == -1) break ;
    switch (opt)
    {
      case '1' : o->print_port = 1 ; break ;
      case 'v' : o->verbose = 1 ; break ;
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
      case 'D' : o->nodelay = 1 ; break ;
      case 'K' : o->keepalive = 1 ; break ;
      case 'e' : o->child.sock_on_stderr = 1 ; break ;
      case 'u' : case 'g' : case 'G' : case 'U' : mtd_privdrop_option(&o->priv, opt, l.arg) ; break ;
      case 'd' : o->notif_fd = mtd_uint_option(l.arg, 3, 1048576, "notification fd") ; break ;
      case 'k' :
        if (!mtd_childspec_keep(&o->child, mtd_uint_option(l.arg, 3, 1048576, "fd to keep")))
          strerr_dief(100, "too many -k options (at most 16)") ;
        break ;
      case 'E' : o->force_exec = 1 ; break ;
      case 'i' : o->inherited = 1 ; break ;
      case 'w' : o->wait = 1 ; break ;
      case 'L' : o->socket_activation = 1 ; break ;
      default : mtd_usage_bad_option(l.problem, OPTIONS, USAGE) ;
    }
  }
  argc -= l.ind ; argv += l.ind ;
  if (o->socket_activation && !o->wait) strerr_dief(100, "-L needs -w: only a wait-mode program gets the listening socket") ;
  if (o->wait) wait_mode_check(o, !!counted, counted) ;
  mtd_privdrop_finish(&o->priv) ;
  if (!o->inherited)
  {
    if (argc < 3) dieusage() ;
    if (!mtd_host_scan(argv[0], &o->ip, &o->dualstack))
      strerr_dief(100, "invalid host \"", argv[0], "\": expected an IPv4 or IPv6 address, *, 0 or localhost") ;
    reject_v4mapped(argv[0], &o->ip) ;
    if (!mtd_port_scan(argv[1], &o->port))
      strerr_dief(100, "invalid port \"", argv[1], "\": expected 0 to 65535 or a name in /etc/services") ;
    argc -= 2 ; argv += 2 ;
  }
  if (argc < 1 || !argv[0][0]) dieusage() ;
  o->argv = argv ;
}
