/* TEMPORARY (dropped at merge): stands in for mtd_rulesbpf.c until it
   lands: never attaches anything. */
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
