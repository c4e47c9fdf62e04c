/* libFuzzer target: the rules parser (mtd_rules_parse) on any bytes; a
   parsed set is matched against addresses taken from the input, and an
   error's reason must be a terminated string within its buffer. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <skalibs/strerr.h>
#include "mtd_rules.h"

int LLVMFuzzerTestOneInput (uint8_t const *data, size_t size)
{
  mtd_rules r = MTD_RULES_ZERO ;
  mtd_rules_error err ;
  PROG = "fuzz-rules" ;
  if (!mtd_rules_parse(&r, (char const *)data, size, &err))
  {
    if (!memchr(err.why, 0, sizeof err.why)) abort() ;
    return 0 ;
  }
  /* addresses from the input itself: the last bytes, v4 and v6 */
  for (int is6 = 0 ; is6 < 2 ; is6++)
  {
    ip46 ip ;
    size_t n = is6 ? 16 : 4 ;
    memset(&ip, 0, sizeof ip) ;
    ip.is6 = is6 ;
    memcpy(ip.ip, size >= n ? data + size - n : (uint8_t const *)"\177\0\0\1\0\0\0\0\0\0\0\0\0\0\0\1", n) ;
    (void)mtd_rules_match(&r, &ip) ;
  }
  mtd_rules_free(&r) ;
  return 0 ;
}
