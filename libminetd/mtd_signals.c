/* One dispatcher for the selfpipe's signals: see mtd_signals.h. */
#include <signal.h>
#include <unistd.h>
#include <skalibs/djbunix.h>
#include <skalibs/selfpipe.h>
#include <skalibs/strerr.h>
#include "mtd_links.h"
#include "mtd_signals.h"

static void leave (mtd_signals const *s, char const *line)
{
  if (s->close_fd >= 0) fd_close(s->close_fd) ;
  if (s->flush_links) mtd_links_flush() ;
  if (s->verbose) strerr_warni(line) ;
}

void mtd_signals_handle (mtd_signals const *s)
{
  for (;;)
  {
    int sig = selfpipe_read() ;
    switch (sig)
    {
      case -1 : strerr_diefusys(111, "read the selfpipe") ;
      case 0 : return ;
      case SIGCHLD : s->reap() ; break ;
      case SIGTERM :
      case SIGINT :
        if (s->drain)
        {
          if (s->flush_links) mtd_links_flush() ;
          if (s->verbose) strerr_warni(s->leaving) ;
          s->drain() ;
          break ;
        }
        leave(s, s->leaving) ;
        _exit(0) ;
      case SIGQUIT :
        leave(s, s->terminating) ;
        s->terminate_all() ;
        _exit(0) ;
      case SIGHUP :
        if (s->verbose) strerr_warni("SIGHUP: reloading") ;
        mtd_links_reload() ;
        if (s->reloaded) s->reloaded() ;
        break ;
      default : break ;
    }
  }
}
