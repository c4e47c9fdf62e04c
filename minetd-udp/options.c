/* minetd-udp's command line. Every bad argument is one line and exit 100. */
#include <string.h>
#include <skalibs/sgetopt.h>
#include <skalibs/strerr.h>
#include "mtd_usage.h"
#include "mtd_addr.h"
#include "mtd_launch_options.h"
#include "minetd-udp.h"

#define USAGE "minetd-udp [ -1 ] [ -v ] [ -w | -n ] [ -c maxprocs ] [ -C persource ] [ -p v4bits ] [ -P v6bits ] [ -t idle ] [ -u uid ] [ -g gid ] [ -G gidlist ] [ -U ] [ -d notif-fd ] [ -k fd ] [ -E ] [ -L ] { -i | host port } prog..."
#define OPTIONS "1vwnc:C:p:P:t:u:g:G:Ud:k:ELi"

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
  mtd_launch_options_init(&o->common) ;
  for (;;)
  {
    int opt = subgetopt_r(argc, argv, OPTIONS, &l) ;
    if (opt == -1) break ;
    if (mtd_launch_option(&o->common, opt, l.arg)) continue ;
    switch (opt)
    {
      case 'w' : wait = 1 ; break ;
      case 'n' : o->nowait = 1 ; break ;
      case 'c' : o->maxprocs = mtd_uint_option(l.arg, 1, 65536, "maximum processes") ; nowait_only = "-c" ; break ;
      case 'C' : o->persource = mtd_uint_option(l.arg, 0, 65536, "per-source maximum") ; nowait_only = "-C" ; break ;
      case 'p' : o->v4bits = mtd_uint_option(l.arg, 0, 32, "IPv4 prefix length") ; nowait_only = "-p" ; break ;
      case 'P' : o->v6bits = mtd_uint_option(l.arg, 0, 128, "IPv6 prefix length") ; nowait_only = "-P" ; break ;
      case 't' : o->idle = mtd_uint_option(l.arg, 1, 86400, "idle timeout") ; nowait_only = "-t" ; break ;
      case 'L' : o->activation = 1 ; break ;
      default : mtd_usage_bad_option(l.problem, OPTIONS, USAGE) ;
    }
  }
  argc -= l.ind ; argv += l.ind ;
  mtd_privdrop_finish(&o->common.priv) ;
  if (wait && o->nowait) strerr_dief(100, "-w and -n cannot be used together") ;
  /* In wait mode the program reads the socket itself: minetd-udp sees no
     peers to count nor time, and an option that did nothing would mislead. */
  if (!o->nowait && nowait_only) strerr_dief(100, nowait_only, " applies to nowait mode (-n) only") ;
  if (o->activation && o->nowait) strerr_dief(100, "-L applies to wait mode only: in nowait mode the program gets a relay, not the socket") ;
  if (o->activation)
    for (unsigned int i = 0 ; i < o->common.child.nkeep ; i++)
      if (o->common.child.keepfds[i] == 3) strerr_dief(100, "-k 3 with -L: fd 3 is the socket") ;
  mtd_launch_operands(&o->common, argc, argv, USAGE) ;
}
