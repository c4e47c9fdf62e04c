/* --help and bad options, the same in every minetd program. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <skalibs/allreadwrite.h>
#include <skalibs/strerr.h>
#include "mtd_usage.h"

void mtd_usage_help (int argc, char const *const *argv, char const *usage)
{
  if (argc < 2 || strcmp(argv[1], "--help")) return ;
  if (allwrite(1, "usage: ", 7) < 7 || allwrite(1, usage, strlen(usage)) < strlen(usage) || allwrite(1, "\n", 1) < 1)
    strerr_diefu1sys(111, "write to stdout") ;
  _exit(0) ;
}

void mtd_usage_bad_option (char opt, char const *options, char const *usage)
{
  char o[3] = { '-', opt, 0 } ;
  char const *p = opt && opt != ':' ? strchr(options, opt) : 0 ;
  if (p && p[1] == ':') strerr_warn(PROG, ": fatal: missing argument for option ", o) ;
  else strerr_warn(PROG, ": fatal: unknown option ", opt ? o : "-") ;
  strerr_dieusage(100, usage) ;
}
