/* minetd-sup's config loading at start and for -t and the generators:
   every error printed as "file:line: reason", then exit 100. */
#include <errno.h>
#include <skalibs/strerr.h>
#include <skalibs/types.h>
#include "mtd_conf.h"
#include "sup.h"

static void die_errors (mtd_conf *c, char const *file)
{
  char fmt[UINT_FMT] ;
  fmt[uint_fmt(fmt, c->nerrors)] = 0 ;
  sup_log_errors(LOG_ERR, "fatal: ", c->errors.s, c->errors.len) ;
  strerr_dief5x(100, fmt, c->nerrors == 1 ? " error" : " errors", " in ", file, ": nothing applied") ;
}

void sup_conf_load_or_die (mtd_conf *c, char const *file)
{
  int r = mtd_conf_parse_file(c, file) ;
  if (r < 0) strerr_diefu2sys(111, "read ", file) ;
  if (!r) die_errors(c, file) ;
}

void sup_conf_check_rundir_or_die (mtd_conf *c, char const *file, char const *rundir)
{
  int r = mtd_conf_check_rundir(c, rundir) ;
  if (r < 0) strerr_diefu2sys(111, "check runtime directory ", rundir) ;
  if (!r) die_errors(c, file) ;
}
