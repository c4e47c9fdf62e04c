/* The two clock services' answers, computed per request. */
#include <time.h>
#include <skalibs/uint32.h>
#include "minetd-internal.h"

/* RFC 867 asks only for a readable line; this is ctime's, in local time,
   as inetd answers: "Tue Dec  1 23:36:34 2026\r\n". The C locale's names
   (the program never calls setlocale). */
size_t clock_daytime (char *s)
{
  time_t now = time(0) ;
  struct tm tm ;
  if (!localtime_r(&now, &tm)) return 0 ;
  return strftime(s, DAYTIME_MAX, "%a %b %e %H:%M:%S %Y\r\n", &tm) ;
}

/* RFC 868: seconds since 1900-01-01 00:00 UTC, 32 bits, big-endian. The
   count wraps in February 2036, as every RFC 868 client expects: modulo
   2^32. */
void clock_time (char *s)
{
  uint32_t t = (uint32_t)((unsigned long long)time(0) + 2208988800ULL) ;
  uint32_pack_big(s, t) ;
}
