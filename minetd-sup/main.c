/* minetd-sup: reads minetd.conf, owns every listening socket, runs and
   supervises one minetd-tcp chain per service, reloads without refusing
   a connection. Also: -t (check and print chains), --reload, --status,
   --generate-s6 / --generate-runit. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <skalibs/sgetopt.h>
#include <skalibs/strerr.h>
#include <skalibs/types.h>
#include "mtd_usage.h"
#include "mtd_conf.h"
#include "sup.h"

#define USAGE "minetd-sup [ -f ] [ -v ] [ -K ] [ -c config ] [ -p pidfile ] [ -R rundir ] [ -B bindir ] [ -d notif-fd ] [ -t ] [ --reload | --status | --generate-s6 dir | --generate-runit dir ]"
#define dieusage() strerr_dieusage(100, USAGE)

char const *PROG = "minetd-sup" ;

/* Absolute form of a path, so the daemon can chdir("/"). */
static char const *absolute (char const *p)
{
  static char cwd[PATH_MAX] ;
  char *r ;
  if (!p || !*p || p[0] == '/') return p ;
  if (!cwd[0] && !getcwd(cwd, sizeof cwd)) strerr_diefu1sys(111, "getcwd") ;
  r = malloc(strlen(cwd) + strlen(p) + 2) ;
  if (!r) strerr_diefu1sys(111, "malloc") ;
  strcpy(r, cwd) ; strcat(r, "/") ; strcat(r, p) ;
  return r ;
}

/* The chain programs live next to minetd-sup (a build folder, or the
   install's bin directory); otherwise they are found in PATH. */
static char const *default_bindir (char const *argv0)
{
  static char buf[PATH_MAX] ;
  ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 32) ;
  char *slash ;
  if (n > 0) buf[n] = 0 ;
  else if (strchr(argv0, '/') && realpath(argv0, buf)) ;
  else return 0 ;
  slash = strrchr(buf, '/') ;
  if (!slash) return 0 ;
  strcpy(slash, "/minetd-tcp") ;
  if (access(buf, X_OK) < 0) return 0 ;
  *slash = 0 ;
  return buf[0] ? buf : "/" ;
}

int main (int argc, char const **argv)
{
  sup_options o = { .config = SUP_CONFIG_DEFAULT, .pidfile = SUP_PIDFILE_DEFAULT, .rundir = SUP_RUNDIR_DEFAULT,
                    .bindir = 0, .foreground = 0, .verbose = 0, .notif_fd = -1, .kill_conns = 0 } ;
  enum { RUN, CHECK, RELOAD, STATUS, GEN_S6, GEN_RUNIT } mode = RUN ;
  char const *gendir = 0 ;
  char const *shortv[argc + 1] ;
  int shortc = 1 ;
  int bindir_given = 0 ;
  sup_log_init() ;
  shortv[0] = argv[0] ;
  /* fds 0, 1, 2 open (on /dev/null if we were given them closed): else
     the pidfile or a listener would take their numbers, and the log or a
     chain's stdout would be written into it */
  for (int fd = 0 ; fd < 3 ; fd++)
    if (fcntl(fd, F_GETFD) < 0 && errno == EBADF && open("/dev/null", O_RDWR) != fd) return 111 ;
  /* long options first: skalibs' getopt only knows letters */
  for (int i = 1 ; i < argc ; i++)
  {
    if (!strcmp(argv[i], "--")) { while (i < argc) shortv[shortc++] = argv[i++] ; break ; }
    else if (!strcmp(argv[i], "--reload")) mode = RELOAD ;
    else if (!strcmp(argv[i], "--status")) mode = STATUS ;
    else if (!strcmp(argv[i], "--check")) mode = CHECK ;
    else if (!strcmp(argv[i], "--generate-s6") || !strcmp(argv[i], "--generate-runit"))
    {
      mode = argv[i][11] == 's' ? GEN_S6 : GEN_RUNIT ;
      if (++i >= argc) dieusage() ;
      gendir = argv[i] ;
    }
    else if (!strcmp(argv[i], "--help")) { char const *h[2] = { argv[0], "--help" } ; mtd_usage_help(2, h, USAGE) ; }
    else if (!strcmp(argv[i], "--version")) mtd_usage_version() ;
    else if (argv[i][0] == '-' && argv[i][1] == '-')
    {
      strerr_warn(PROG, ": fatal: unknown option ", argv[i]) ;
      dieusage() ;
    }
    else shortv[shortc++] = argv[i] ;
  }
  shortv[shortc] = 0 ;
  {
    subgetopt l = SUBGETOPT_ZERO ;
    for (;;)
    {
      int opt = subgetopt_r(shortc, shortv, "fvKtc:p:R:B:d:", &l) ;
      if (opt == -1) break ;
      switch (opt)
      {
        case 'f' : o.foreground = 1 ; break ;
        case 'v' : o.verbose = 1 ; break ;
        case 'K' : o.kill_conns = 1 ; break ;
        case 't' : if (mode == RUN) mode = CHECK ; break ;
        case 'c' : o.config = l.arg ; break ;
        case 'p' : o.pidfile = l.arg ; break ;
        case 'R' : o.rundir = l.arg ; break ;
        case 'B' : o.bindir = l.arg ; bindir_given = 1 ; break ;
        case 'd' :
        {
          unsigned int fd ;
          if (!uint0_scan(l.arg, &fd) || fd < 3) strerr_dief3x(100, "invalid notification fd \"", l.arg, "\": expected a number >= 3") ;
          o.notif_fd = fd ;
          break ;
        }
        default : mtd_usage_bad_option(l.problem, "fvKtc:p:R:B:d:", USAGE) ;
      }
    }
    if (l.ind < shortc) strerr_dief3x(100, "unexpected argument \"", shortv[l.ind], "\"") ;
  }
  if (!*o.rundir) strerr_dief1x(100, "empty runtime directory") ;
  if (!bindir_given) o.bindir = default_bindir(argv[0]) ;
  o.config = absolute(o.config) ;
  o.pidfile = absolute(o.pidfile) ;
  o.rundir = absolute(o.rundir) ;
  o.bindir = absolute(o.bindir) ;
  switch (mode)
  {
    case CHECK : return sup_check(&o) ;
    case RELOAD : return sup_reload(&o) ;
    case STATUS : return sup_status(&o) ;
    case GEN_S6 : return sup_generate(&o, gendir, 1) ;
    case GEN_RUNIT : return sup_generate(&o, gendir, 0) ;
    default : return sup_run(&o) ;
  }
}
