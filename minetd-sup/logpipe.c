/* minetd-sup in the background: the chains' stderr comes back through a
   pipe and goes to syslog line by line. */
#include <string.h>
#include <unistd.h>
#include <skalibs/djbunix.h>
#include <skalibs/strerr.h>
#include "run.h"

int logpipe[2] = { -1, -1 } ;

void logpipe_open (void)
{
  if (pipecoe(logpipe) < 0) strerr_diefu1sys(111, "pipe") ;
  ndelay_on(logpipe[0]) ;
}

void logpipe_drain (void)
{
  static char buf[4096] ;
  static size_t len = 0 ;
  for (;;)
  {
    ssize_t r = read(logpipe[0], buf + len, sizeof buf - len) ;
    size_t start = 0 ;
    if (r <= 0) break ;
    len += r ;
    for (size_t i = 0 ; i < len ; i++)
      if (buf[i] == '\n') { sup_log_line(buf + start, i - start) ; start = i + 1 ; }
    if (start) { memmove(buf, buf + start, len - start) ; len -= start ; }
    else if (len == sizeof buf) { sup_log_line(buf, len) ; len = 0 ; }
  }
}
