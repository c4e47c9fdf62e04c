/* libFuzzer target: mtd_limit_value_scan, the limits link's "soft[:hard]"
   parser, on any string, as bytes and as a count. What it accepts has
   soft <= hard and, printed back in plain decimal, scans to the same
   limits; what it refuses says why and leaves the result alone. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mtd_limit.h"

char const *PROG = "fuzz-limit" ;

static size_t fmt (char *s, rlim_t v)
{
  if (v == RLIM_INFINITY) return (size_t)sprintf(s, "unlimited") ;
  return (size_t)sprintf(s, "%llu", (unsigned long long)v) ;
}

static void check (char const *s, int bytes)
{
  mtd_limit_rlimit r = { .set = 0 }, again = { .set = 0 } ;
  char const *why = 0 ;
  char back[64] ;
  size_t n ;
  if (!mtd_limit_value_scan(s, bytes, &r, &why))
  {
    if (!why || r.set) abort() ;
    return ;
  }
  if (!r.set) abort() ;
  if (r.has_hard && r.soft > r.hard) abort() ;
  /* a count takes no suffix: whatever it accepts, bytes accepts too */
  if (!bytes && !mtd_limit_value_scan(s, MTD_LIMIT_BYTES, &again, &why)) abort() ;
  n = fmt(back, r.soft) ;
  if (r.has_hard) { back[n++] = ':' ; n += fmt(back + n, r.hard) ; }
  back[n] = 0 ;
  if (!mtd_limit_value_scan(back, MTD_LIMIT_COUNT, &again, &why)) abort() ;
  if (again.soft != r.soft || again.has_hard != r.has_hard || (r.has_hard && again.hard != r.hard)) abort() ;
}

int LLVMFuzzerTestOneInput (uint8_t const *data, size_t size)
{
  char *s ;
  if (memchr(data, 0, size)) return 0 ;   /* argv words are C strings */
  s = malloc(size + 1) ;
  if (!s) abort() ;
  memcpy(s, data, size) ; s[size] = 0 ;
  check(s, MTD_LIMIT_BYTES) ;
  check(s, MTD_LIMIT_COUNT) ;
  free(s) ;
  return 0 ;
}
