/* minetd-convert: an inetd.conf or xinetd.conf (with its includes) to
   minetd.conf on stdout; what cannot be translated is reported on
   stderr as "file:line: reason", and the exit status says if anything
   was (0: complete, 1: something left out). */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <skalibs/allreadwrite.h>
#include <skalibs/buffer.h>
#include <skalibs/sgetopt.h>
#include <skalibs/stralloc.h>
#include <skalibs/strerr.h>
#include <skalibs/types.h>
#include "mtd_usage.h"
#include "convert.h"

#define USAGE "minetd-convert [ -i | -x ] [ -R rulesdir ] file"
#define dieusage() strerr_dieusage(100, USAGE)
#define OPTIONS "ixR:"

char const *PROG = "minetd-convert" ;

static cvt c = CVT_ZERO ;

static void read_file (char const *file, stralloc *sa)
{
  struct stat st ;
  ssize_t r ;
  int fd = open(file, O_RDONLY | O_NONBLOCK | O_CLOEXEC) ;
  if (fd < 0) strerr_diefu2sys(111, "open ", file) ;
  if (fstat(fd, &st) < 0) strerr_diefu2sys(111, "stat ", file) ;
  if (!S_ISREG(st.st_mode)) strerr_dief2x(111, file, ": not a regular file") ;
  if (st.st_size > CVT_FILE_MAX) strerr_dief2x(111, file, ": larger than 1 MiB") ;
  if (!stralloc_ready(sa, (size_t)st.st_size + 1)) strerr_diefu1sys(111, "allocate") ;
  r = allread(fd, sa->s, (size_t)st.st_size + 1) ;
  if (r < 0) strerr_diefu2sys(111, "read ", file) ;
  if (r > st.st_size) strerr_dief2x(111, file, ": grew while read") ;
  sa->len = r ;
  close(fd) ;
}

int main (int argc, char const *const *argv)
{
  subgetopt l = SUBGETOPT_ZERO ;
  int format = -1 ;   /* 0 inetd, 1 xinetd, -1 guess */
  stralloc text = STRALLOC_ZERO ;
  char fmt[UINT_FMT] ;
  mtd_usage_help(argc, argv, USAGE) ;
  for (;;)
  {
    int opt = subgetopt_r(argc, argv, OPTIONS, &l) ;
    if (opt == -1) break ;
    switch (opt)
    {
      case 'i' : format = 0 ; break ;
      case 'x' : format = 1 ; break ;
      case 'R' : c.rulesdir = l.arg ; break ;
      default : mtd_usage_bad_option(l.problem, OPTIONS, USAGE) ;
    }
  }
  argc -= l.ind ; argv += l.ind ;
  if (argc != 1 || !argv[0][0]) dieusage() ;
  if (c.rulesdir)
  {
    struct stat st ;
    if (!c.rulesdir[0]) dieusage() ;
    if (stat(c.rulesdir, &st) < 0) strerr_diefu2sys(111, "use rules directory ", c.rulesdir) ;
    if (!S_ISDIR(st.st_mode)) strerr_dief2x(100, c.rulesdir, ": not a directory") ;
  }
  read_file(argv[0], &text) ;
  if (format < 0) format = cvt_is_xinetd(text.s, text.len) ;
  if (!stralloc_cats(&c.out, "# minetd.conf(5), from ") || !stralloc_cats(&c.out, argv[0])
   || !stralloc_cats(&c.out, format ? " (xinetd)" : " (inetd)")
   || !stralloc_cats(&c.out, " by minetd-convert(8); check it with minetd-sup -t\n"))
    strerr_diefu1sys(111, "allocate") ;
  (void)(format ? cvt_xinetd : cvt_inetd)(&c, argv[0], text.s, text.len) ;
  stralloc_free(&text) ;   /* the output holds copies */
  if (buffer_putflush(buffer_1, c.out.s, c.out.len) < 0) strerr_diefu1sys(111, "write to stdout") ;
  if (c.report.len && buffer_putflush(buffer_2, c.report.s, c.report.len) < 0) _exit(111) ;
  if (c.sysfail) strerr_dief1x(111, "stopped by a system error (see above)") ;
  if (c.nreport)
  {
    fmt[uint_fmt(fmt, c.nreport)] = 0 ;
    strerr_warnw3x("incomplete: ", fmt, c.nreport == 1 ? " thing not translated" : " things not translated") ;
    return 1 ;
  }
  return 0 ;
}
