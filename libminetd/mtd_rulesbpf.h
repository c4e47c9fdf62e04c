/* TEMPORARY (dropped at merge): the declarations of issue 11's
   mtd_rulesbpf, which another branch provides. */
#ifndef MTD_RULESBPF_H
#define MTD_RULESBPF_H

#include "mtd_rules.h"

/* Classic BPF program that accepts a datagram/SYN iff mtd_rules_match on
   its source (with default_allow for unmatched) allows it. */
extern int mtd_rules_bpf_attach (int fd, mtd_rules const *r, int default_allow) ;
/* 1 attached; 0 the rules do not fit (too many; errno E2BIG): nothing
   attached, caller warns; -1 system error (errno). */
extern int mtd_rules_bpf_detach (int fd) ;

#endif
