/* minetd-udp's command line. Every bad argument is one line and exit 100. */
#include <string.h>
#include <skalibs/sgetopt.h>
#include <skalibs/strerr.h>
#include "mtd_usage.h"
#include "mtd_addr.h"
#include "minetd-udp.h"

#define USAGE "minetd-udp [ -1 ] [ -v ] [ -w | -n ] [ -c maxprocs ] [ -C persource ] [ -p v4bits ] [ -P v6bits ] [ -t idle ] [ -u uid ] [ -g gid ] [ -G gidlist ] [ -U ] [ -d notif-fd ] [ -k fd ] [ -E ] [ -L ] { -i | host port } prog..."
#define dieusage() strerr_dieusage(100, USAGE)
#define OPTIONS "1vwnc:C:p:P:t:u:g:G:Ud:k:ELi"

/* As minetd-tcp: ::ffff:a.b.c.d names no socket that can receive. */
static void reject_v4mapped (char const *host, ip46 const *ip)
{
  ip46 plain = *ip ;
  char fmt[MTD_IP_FMT + 1] ;
  mtd_ip_unmap(&plain) ;
  if (!ip->is6 || plain.is6) return ;
  fmt[mtd_ip_fmt(fmt, &plain)] = 0 ;
  strerr_dief(100, "invalid host \"", host, "\": an IPv4-mapped IPv6 address: write the IPv4 address ", fmt, " instead") ;
}

void options_parse (int argc, char const *const *argv, udp_options *o)
{
  subgetopt l = SUBGETOPT_ZERO ;
  int wait = 0 ;
  char const *nowait_only = 0 ;   /* an option given that only -n uses */
  mtd_usage_help(argc, argv, USAGE) ;
  memset(o, 0, sizeof *o) ;
  o->maxprocs = 40 ;
  o->v4bits = 32 ;
  o->v6bits = 64 ;
  o->idle = 30 ;
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
      case 'w' : wait = 1 ; break ;
      case 'n' : o->nowait = 1 ; break ;
      case 'c' : o->maxprocs = mtd_uint_option(l.arg, 1, 65536, "maximum processes") ; nowait_only = "-c" ; break ;
      case 'C' : o->persource = mtd_uint_option(l.arg, 0, 65536, "per-source maximum") ; nowait_only = "-C" ; break ;
      case 'p' : o->v4bits = mtd_uint_option(l.arg, 0, 32, "IPv4 prefix length") ; nowait_only = "-p" ; break ;
      case 'P' : o->v6bits = mtd_uint_option(l.arg, 0, 128, "IPv6 prefix length") ; nowait_only = "-P" ; break ;
      case 't' : o->idle = mtd_uint_option(l.arg, 1, 86400, "idle timeout") ; nowait_only = "-t" ; break ;
      case 'u' : case 'g' : case 'G' : case 'U' : mtd_privdrop_option(&o->priv, opt, l.arg) ; break ;
      case 'd' : o->notif_fd = mtd_uint_option(l.arg, 3, 1048576, "notification fd") ; break ;
      case 'k' :
        if (!mtd_childspec_keep(&o->child, mtd_uint_option(l.arg, 3, 1048576, "fd to keep")))
          strerr_dief(100, "too many -k options (at most 16)") ;
        break ;
      case 'E' : o->force_exec = 1 ; break ;
      case 'L' : o->activation = 1 ; break ;
      case 'i' : o->inherited = 1 ; break ;
      default : mtd_usage_bad_option(l.problem, OPTIONS, USAGE) ;
    }
  }
  argc -= l.ind ; argv += l.ind ;
  mtd_privdrop_finish(&o->priv) ;
  if (wait && o->nowait) strerr_dief(100, "-w and -n cannot be used together") ;
  /* In wait mode the program reads the socket itself: minetd-udp sees no
     peers to count nor time, and an option that did nothing would mislead. */
  if (!o->nowait && nowait_only) strerr_dief(100, nowait_only, " applies to nowait mode (-n) only") ;
  if (o->activation && o->nowait) strerr_dief(100, "-L applies to wait mode only: in nowait mode the program gets a relay, not the socket") ;
  if (o->activation)
    for (unsigned int i = 0 ; i < o->child.nkeep ; i++)
      if (o->child.keepfds[i] == 3) strerr_dief(100, "-k 3 with -L: fd 3 is the socket") ;
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
