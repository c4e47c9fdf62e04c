/* libFuzzer target: the PROXY header parser (v1 and v2). What it reports
   holds for any input: a header's length is within the input and the
   input cut there parses the same; a start it calls incomplete is
   incomplete cut shorter too (a reader may consume it); a refusal says
   why; addresses are given only with them parsed. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <skalibs/strerr.h>
#include "mtd_proxy.h"

static int same (mtd_proxy const *a, mtd_proxy const *b)
{
  return a->version == b->version && a->has_addresses == b->has_addresses && a->local == b->local
      && (!a->has_addresses || (!memcmp(&a->source, &b->source, sizeof a->source) && !memcmp(&a->dest, &b->dest, sizeof a->dest)
          && a->sourceport == b->sourceport && a->destport == b->destport)) ;
}

int LLVMFuzzerTestOneInput (uint8_t const *data, size_t size)
{
  char const *s = (char const *)data ;
  PROG = "fuzz-proxy" ;
  for (unsigned int v = 1 ; v <= 3 ; v++)
  {
    mtd_proxy p, q ;
    char const *why = 0 ;
    int r = mtd_proxy_parse(s, size, v, &p, &why) ;
    if (r > 0)
    {
      if ((size_t)r > size || (size_t)r > MTD_PROXY_MAX) abort() ;
      if (p.version != 1 && p.version != 2) abort() ;
      if (!(v & (p.version == 1 ? MTD_PROXY_V1 : MTD_PROXY_V2))) abort() ;
      if (p.version == 1 && r > MTD_PROXY_V1_MAX) abort() ;
      if (p.local && (p.has_addresses || p.version != 2)) abort() ;
      if (mtd_proxy_parse(s, (size_t)r, v, &q, &why) != r || !same(&p, &q)) abort() ;
      if (mtd_proxy_parse(s, (size_t)r - 1, v, &q, &why) != MTD_PROXY_INCOMPLETE) abort() ;
    }
    else if (r == MTD_PROXY_INCOMPLETE)
    {
      if (size >= MTD_PROXY_MAX) abort() ;
      if (size && mtd_proxy_parse(s, size / 2, v, &q, &why) != MTD_PROXY_INCOMPLETE) abort() ;
    }
    else if ((r != MTD_PROXY_INVALID && r != MTD_PROXY_TOOLONG) || !why) abort() ;
  }
  return 0 ;
}
