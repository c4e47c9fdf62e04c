/* The launchers' shared options and operands: see mtd_launch_options.h. */
#include <fcntl.h>
#include <string.h>
#include <skalibs/strerr.h>
#include "mtd_addr.h"
#include "mtd_launch_options.h"

void mtd_launch_options_init (mtd_launch_options *o)
{
  memset(o, 0, sizeof *o) ;
  o->notif_fd = -1 ;
  mtd_childspec_init(&o->child) ;
}

int mtd_launch_option (mtd_launch_options *o, int opt, char const *arg)
{
  switch (opt)
  {
    case '1' : o->print_port = 1 ; break ;
    case 'v' : o->verbose = 1 ; break ;
    case 'u' : case 'g' : case 'G' : case 'U' : mtd_privdrop_option(&o->priv, opt, arg) ; break ;
    case 'd' : o->notif_fd = mtd_uint_option(arg, 3, 1048576, "notification fd") ; break ;
    case 'k' :
      if (!mtd_childspec_keep(&o->child, mtd_uint_option(arg, 3, 1048576, "fd to keep")))
        strerr_dief(100, "too many -k options (at most 16)") ;
      break ;
    case 'E' : o->force_exec = 1 ; break ;
    case 'i' : o->inherited = 1 ; break ;
    default : return 0 ;
  }
  return 1 ;
}

/* ::ffff:a.b.c.d would ask for an IPv6-only socket bound to an IPv4
   address: no such socket can listen or receive, and its peers are IPv4
   anyway. */
static void reject_v4mapped (char const *host, ip46 const *ip)
{
  ip46 plain = *ip ;
  char fmt[MTD_IP_FMT + 1] ;
  mtd_ip_unmap(&plain) ;
  if (!ip->is6 || plain.is6) return ;
  fmt[mtd_ip_fmt(fmt, &plain)] = 0 ;
  strerr_dief(100, "invalid host \"", host, "\": an IPv4-mapped IPv6 address: write the IPv4 address ", fmt, " instead") ;
}

void mtd_launch_operands (mtd_launch_options *o, int argc, char const *const *argv, char const *usage)
{
  if (!o->inherited)
  {
    if (argc < 3) strerr_dieusage(100, usage) ;
    if (!mtd_host_scan(argv[0], &o->ip, &o->dualstack))
      strerr_dief(100, "invalid host \"", argv[0], "\": expected an IPv4 or IPv6 address, *, 0 or localhost") ;
    reject_v4mapped(argv[0], &o->ip) ;
    if (!mtd_port_scan(argv[1], &o->port))
      strerr_dief(100, "invalid port \"", argv[1], "\": expected 0 to 65535 or a name in /etc/services") ;
    argc -= 2 ; argv += 2 ;
  }
  if (argc < 1 || !argv[0][0]) strerr_dieusage(100, usage) ;
  o->argv = argv ;
}

void mtd_launch_options_check_fds (mtd_launch_options const *o)
{
  if (o->notif_fd >= 0 && fcntl(o->notif_fd, F_GETFD) < 0) strerr_dief(100, "notification fd is not open") ;
  for (unsigned int i = 0 ; i < o->child.nkeep ; i++)
    if (fcntl(o->child.keepfds[i], F_GETFD) < 0) strerr_dief(100, "an fd given with -k is not open") ;
}
