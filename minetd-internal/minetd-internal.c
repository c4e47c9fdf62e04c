/* minetd-internal: inetd's built-in services as a UCSPI program: echo
   (RFC 862), discard (863), chargen (864), daytime (867), time (868). */
#include <string.h>
#include <sys/socket.h>
#include <skalibs/sgetopt.h>
#include <skalibs/sig.h>
#include <skalibs/strerr.h>
#include <skalibs/types.h>
#include "mtd_addr.h"
#include "mtd_usage.h"
#include "minetd-internal.h"

#define USAGE "minetd-internal [ -t idle ] echo|discard|daytime|time|chargen"
#define dieusage() strerr_dieusage(100, USAGE)
#define OPTIONS "t:"
#define IDLE_STREAM 300
#define IDLE_DGRAM 30

char const *PROG = "minetd-internal" ;

static char const *const names[] = { "echo", "discard", "daytime", "time", "chargen" } ;

static internal_service service_scan (char const *s)
{
  for (unsigned int i = 0 ; i < sizeof names / sizeof *names ; i++)
    if (!strcmp(s, names[i])) return (internal_service)i ;
  strerr_dief(100, "unknown service \"", s, "\": expected echo, discard, daytime, time or chargen") ;
}

/* A datagram socket on fd 0: inetd's "dgram udp wait", under minetd-udp. */
static int is_datagram (void)
{
  int type = 0 ;
  socklen_t len = sizeof type ;
  return getsockopt(0, SOL_SOCKET, SO_TYPE, &type, &len) == 0 && type == SOCK_DGRAM ;
}

int main (int argc, char const *const *argv)
{
  subgetopt l = SUBGETOPT_ZERO ;
  unsigned int idle = 0 ;
  int idle_given = 0 ;
  internal_service svc ;
  mtd_usage_help(argc, argv, USAGE) ;
  for (;;)
  {
    int opt = subgetopt_r(argc, argv, OPTIONS, &l) ;
    if (opt == -1) break ;
    switch (opt)
    {
      case 't' : idle = mtd_uint_option(l.arg, 1, 86400, "idle timeout") ; idle_given = 1 ; break ;
      default : mtd_usage_bad_option(l.problem, OPTIONS, USAGE) ;
    }
  }
  argc -= l.ind ; argv += l.ind ;
  if (argc != 1) dieusage() ;
  svc = service_scan(argv[0]) ;
  /* a client that goes away must end us by an error we see, not kill us */
  if (sig_altignore(SIGPIPE) < 0) strerr_diefusys(111, "ignore SIGPIPE") ;
  if (is_datagram())
  {
    /* Over UDP anyone can forge the source: an echo answers it the same
       bytes, chargen up to 512 for one, enough to aim floods and loops
       at a third party. inetd answers both; minetd-internal refuses. */
    if (svc == SVC_ECHO || svc == SVC_CHARGEN)
      strerr_dief(100, names[svc], " over a datagram socket would answer forged sources (reflection and amplification): TCP only") ;
    dgram_run(svc, idle_given ? idle : IDLE_DGRAM) ;
  }
  stream_run(svc, idle_given ? idle : IDLE_STREAM) ;
}
