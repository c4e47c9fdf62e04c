/* TEMPORARY stand-in for mtd_rulesbpf.c, so callers build before it
   lands: no filter can be attached. Dropped at merge. */
#include <errno.h>
#include "mtd_rulesbpf.h"

int mtd_rules_bpf_attach (int fd, mtd_rules const *r, int default_allow)
{
  (void)fd ; (void)r ; (void)default_allow ;
  errno = ENOSYS ;
  return 0 ;
}

int mtd_rules_bpf_detach (int fd)
{
  (void)fd ;
  errno = ENOSYS ;
  return 0 ;
}
