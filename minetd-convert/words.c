/* Splitting a line into words, as both inetd.conf and xinetd.conf have
   them: separated by blanks, no quoting. */
#include "convert.h"

int cvt_blank (char ch)
{
  return ch == ' ' || ch == '\t' || ch == '\r' ;
}

unsigned int cvt_split (char *line, char **w, unsigned int max)
{
  unsigned int n = 0 ;
  char *p = line ;
  for (;;)
  {
    while (cvt_blank(*p)) p++ ;
    if (!*p) return n ;
    if (n == max) return max + 1 ;
    w[n++] = p ;
    while (*p && !cvt_blank(*p)) p++ ;
    if (*p) *p++ = 0 ;
  }
}
