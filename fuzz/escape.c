/* libFuzzer target: mtd_unescape on any string. What it decodes, escaped
   again, decodes to the same bytes; in place gives what a copy gives; the
   decoded length never exceeds the input. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "mtd_escape.h"

/* the inverse: \r \n \t \\ escaped, every other byte as is */
static size_t escape (char *dst, char const *src, size_t len)
{
  size_t n = 0 ;
  for (size_t i = 0 ; i < len ; i++)
    switch (src[i])
    {
      case '\r' : dst[n++] = '\\' ; dst[n++] = 'r' ; break ;
      case '\n' : dst[n++] = '\\' ; dst[n++] = 'n' ; break ;
      case '\t' : dst[n++] = '\\' ; dst[n++] = 't' ; break ;
      case '\\' : dst[n++] = '\\' ; dst[n++] = '\\' ; break ;
      default : dst[n++] = src[i] ;
    }
  dst[n] = 0 ;
  return n ;
}

int LLVMFuzzerTestOneInput (uint8_t const *data, size_t size)
{
  char *src, *dst, *again, *back ;
  size_t len, len2 ;
  int ok ;
  if (memchr(data, 0, size)) return 0 ;   /* messages are C strings */
  src = malloc(size + 1) ; dst = malloc(size + !size) ;
  again = malloc(2 * size + 1) ; back = malloc(2 * size + 1) ;
  if (!src || !dst || !again || !back) abort() ;
  memcpy(src, data, size) ; src[size] = 0 ;
  /* exactly strlen(src) bytes of room, as the header promises is enough:
     ASan sees a write past them */
  ok = mtd_unescape(dst, src, &len) ;
  if (ok)
  {
    if (len > size) abort() ;
    len2 = escape(again, dst, len) ;
    if (!mtd_unescape(back, again, &len2) || len2 != len || memcmp(back, dst, len)) abort() ;
  }
  /* in place */
  if (mtd_unescape(src, src, &len2) != ok) abort() ;
  if (ok && (len2 != len || memcmp(src, dst, len))) abort() ;
  free(src) ; free(dst) ; free(again) ; free(back) ;
  return 0 ;
}
