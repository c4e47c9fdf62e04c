/* Messages given on a command line: \r \n \t \\ escapes, checked whole. */
#include "mtd_escape.h"

int mtd_unescape (char *dst, char const *src, size_t *len)
{
  size_t r = 0, w = 0 ;
  for (; src[r] ; r++)
  {
    if (src[r] != '\\') { dst[w++] = src[r] ; continue ; }
    switch (src[++r])
    {
      case 'r' : dst[w++] = '\r' ; break ;
      case 'n' : dst[w++] = '\n' ; break ;
      case 't' : dst[w++] = '\t' ; break ;
      case '\\' : dst[w++] = '\\' ; break ;
      default : return 0 ;  /* includes the terminating NUL after a lone backslash */
    }
  }
  *len = w ;
  return 1 ;
}
