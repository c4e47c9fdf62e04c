/* daytime-server: writes the current UTC time (RFC 867 style), exits. */
#include <stdio.h>
#include <time.h>

int main (void)
{
  time_t now = time(0) ;
  struct tm tm ;
  char buf[64] ;
  if (!gmtime_r(&now, &tm)) return 111 ;
  strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S UTC\r\n", &tm) ;
  return fputs(buf, stdout) < 0 || fflush(stdout) ? 111 : 0 ;
}
