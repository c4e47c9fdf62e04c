/* libFuzzer target: minetd-convert's two parsers (inetd.conf and
   xinetd.conf) and the writer behind them, on any bytes. The first byte
   chooses the format (even: inetd, odd: xinetd), the rest is the file.
   Nothing is read from the file system (no includes, no banner files, no
   -R): the rules go to the output as comments. getservbyname comes from
   fuzz/stub_sysdb.c's table. Checks: the output is lines of text, and a
   run that reports nothing wrote no "not translated". */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <skalibs/strerr.h>
#include "convert.h"

static cvt c ;

int LLVMFuzzerTestOneInput (uint8_t const *data, size_t size)
{
  int xinetd ;
  PROG = "fuzz-convert" ;
  if (!size || size > CVT_FILE_MAX) return 0 ;
  xinetd = data[0] & 1 ;
  memset(&c, 0, sizeof c) ;
  c.noinclude = 1 ;
  if (!(xinetd ? cvt_xinetd : cvt_inetd)(&c, "/fuzz/conf", (char const *)data + 1, size - 1)) abort() ;
  if (c.out.len && c.out.s[c.out.len - 1] != '\n') abort() ;
  if (c.report.len && c.report.s[c.report.len - 1] != '\n') abort() ;
  if (!c.nreport && c.report.len) abort() ;
  if (!c.nreport && c.out.len && memmem(c.out.s, c.out.len, "# not translated", 16)) abort() ;
  if (c.nservices > CVT_SERVICES_MAX) abort() ;
  stralloc_free(&c.out) ;
  stralloc_free(&c.report) ;
  return 0 ;
}
