/* minetd-env's access rules as a classic BPF socket filter, so that they
   hold for every datagram a wait-mode UDP server reads itself, and for
   every SYN reaching a TCP listener handed to a wait-mode program. */
#ifndef MTD_RULESBPF_H
#define MTD_RULESBPF_H

#include <linux/filter.h>
#include "mtd_rules.h"

/* What the kernel takes (linux/filter.h BPF_MAXINSNS). */
#define MTD_RULES_BPF_MAX 4096

/* Classic BPF program that accepts a datagram/SYN iff mtd_rules_match on
   its source (with default_allow for unmatched) allows it. */
extern int mtd_rules_bpf_attach (int fd, mtd_rules const *r, int default_allow) ;
/* 1 attached; 0 the rules do not fit (too many; errno E2BIG): nothing
   attached (a filter attached before is removed), caller warns; -1 system
   error (errno; EAFNOSUPPORT: not an IPv4 or IPv6 socket). */

/* Removes the filter. 1 (also when there was none), -1 system error. */
extern int mtd_rules_bpf_detach (int fd) ;

/* The compiler alone, for tests and fuzzing: the program for a socket of
   family AF_INET (IPv4 packets only) or AF_INET6 (IPv6 packets, and IPv4
   ones as a dual-stack socket receives them), for r as mtd_rules_parse
   makes it (sorted most specific first). Writes at most max instructions
   to out. Returns their number; 0 if they do not fit (errno E2BIG); -1 for
   another family (errno EAFNOSUPPORT). Allocates nothing. */
extern int mtd_rules_bpf_compile (mtd_rules const *r, int default_allow, int family, struct sock_filter *out, unsigned int max) ;

#endif
