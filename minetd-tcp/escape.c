/* Refusal messages given on the command line: \r \n \t \\ escapes. */
#include <string.h>
#include "minetd-tcp.h"

int escape_decode (char *s, size_t *len)
{
  size_t r = 0, w = 0 ;
  for (; s[r] ; r++)
  {
    if (s[r] != '\\') { s[w++] = s[r] ; continue ; }
    switch (s[++r])
    {
      case 'r' : s[w++] = '\r' ; break ;
      case 'n' : s[w++] = '\n' ; break ;
      case 't' : s[w++] = '\t' ; break ;
      case '\\' : s[w++] = '\\' ; break ;
      default : return 0 ;
    }
  }
  *len = w ;
  return 1 ;
}
