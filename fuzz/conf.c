/* libFuzzer target: the minetd.conf parser (mtd_conf_parse_text) on any
   bytes. The checks that look at the system (programs, rules files, users'
   access: mtd_conf_check.c, which forks and changes uid) are stubbed by
   fuzz/stub_conf_check.c: the parser is what takes untrusted text. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <skalibs/strerr.h>
#include "mtd_conf.h"

/* Bare program names are searched in PATH: one short, fixed PATH makes the
   runs the same on every machine, and fast. */
int LLVMFuzzerInitialize (int *argc, char ***argv)
{
  (void)argc ; (void)argv ;
  if (setenv("PATH", "/bin", 1) < 0) abort() ;
  return 0 ;
}

int LLVMFuzzerTestOneInput (uint8_t const *data, size_t size)
{
  mtd_conf c = MTD_CONF_ZERO ;
  PROG = "fuzz-conf" ;
  if (size > MTD_CONF_FILE_MAX) return 0 ;
  (void)mtd_conf_parse_text(&c, "/fuzz/minetd.conf", (char const *)data, size) ;
  mtd_conf_free(&c) ;
  return 0 ;
}
