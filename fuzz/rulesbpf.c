/* libFuzzer target: rules compiled to a socket filter (mtd_rulesbpf) must
   decide as mtd_rules_match does. The input is rules text, a NUL, then a
   flags byte (bit 0 the default verdict) and a program size limit (2
   bytes), then addresses (a byte: bit 0 IPv6, bit 1 an IPv4 address sent
   as ::ffff:a.b.c.d; then 4 or 16 bytes). Each rule's network, last
   address and outside neighbour are tried too (of 32 rules at most). The program must pass the
   kernel's checks (bpfvm_check), give the matcher's verdict for each
   address on an IPv4 and a dual-stack IPv6 socket, and under a smaller
   limit either be the same program or not fit (E2BIG). */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <skalibs/strerr.h>
#include "mtd_addr.h"
#include "mtd_rules.h"
#include "mtd_rulesbpf.h"
#include "bpfvm.h"

static struct sock_filter prog[MTD_RULES_BPF_MAX] ;
static struct sock_filter small[MTD_RULES_BPF_MAX] ;

/* One address (bytes as on the wire, family by is6) through the program. */
static void try (mtd_rules const *r, int dflt, int n, int is6, unsigned char const *bytes)
{
  unsigned char net[40], udp[8] ;
  bpfvm_packet pk ;
  unsigned int steps ;
  uint32_t got ;
  ip46 a ;
  mtd_rule const *m ;
  memset(&a, 0, sizeof a) ;
  a.is6 = is6 ;
  memcpy(a.ip, bytes, is6 ? 16 : 4) ;
  mtd_ip_unmap(&a) ;
  m = mtd_rules_match(r, &a) ;
  fuzz_bpfvm_udp_packet(&pk, net, udp, is6, bytes) ;
  got = fuzz_bpfvm_run(prog, (unsigned int)n, &pk, &steps) ;
  if (got != 0 && got != 0xffffffffU) abort() ;
  if (!!got != (m ? m->allow : dflt)) abort() ;
  if (steps > (unsigned int)n) abort() ;   /* forward jumps only: no path is longer */
}

static void try_v4 (mtd_rules const *r, int dflt, int n, int fam6, unsigned char const *b4)
{
  if (fam6)   /* on a dual-stack socket, also as a v4-mapped IPv6 source */
  {
    unsigned char m[16] = { [10] = 0xff, [11] = 0xff } ;
    memcpy(m + 12, b4, 4) ;
    try(r, dflt, n, 1, m) ;
  }
  try(r, dflt, n, 0, b4) ;
}

int LLVMFuzzerTestOneInput (uint8_t const *data, size_t size)
{
  mtd_rules r = MTD_RULES_ZERO ;
  mtd_rules_error err ;
  uint8_t const *sep = memchr(data, 0, size) ;
  size_t textlen = sep ? (size_t)(sep - data) : size ;
  uint8_t const *p = sep ? sep + 1 : data + size ;
  uint8_t const *end = data + size ;
  int dflt = 0 ;
  unsigned int limit = MTD_RULES_BPF_MAX ;
  PROG = "fuzz-rulesbpf" ;
  if (!mtd_rules_parse(&r, (char const *)data, textlen, &err)) return 0 ;
  if (p < end) dflt = *p++ & 1 ;
  if (end - p >= 2) { limit = 1 + ((unsigned int)p[0] << 8 | p[1]) % MTD_RULES_BPF_MAX ; p += 2 ; }
  for (int fam6 = 0 ; fam6 < 2 ; fam6++)
  {
    char const *why ;
    int family = fam6 ? AF_INET6 : AF_INET ;
    int n = mtd_rules_bpf_compile(&r, dflt, family, prog, MTD_RULES_BPF_MAX) ;
    int k ;
    if (n < 0) abort() ;
    if (!n) { if (errno != E2BIG) abort() ; continue ; }
    if (!fuzz_bpfvm_check(prog, (unsigned int)n, &why)) abort() ;
    /* a smaller limit: the same program if it fits, else E2BIG */
    errno = 0 ;
    k = mtd_rules_bpf_compile(&r, dflt, family, small, limit) ;
    if ((unsigned int)n <= limit ? k != n || memcmp(small, prog, (size_t)n * sizeof *prog) : k != 0 || errno != E2BIG) abort() ;
    /* the edges of at most 32 rules, spread over the table: every rule's
       would make a long input quadratic, and the executions few */
    for (unsigned int i = 0 ; i < r.n ; i += r.n > 32 ? r.n / 32 : 1)
    {
      mtd_rule const *rule = r.rule + i ;
      unsigned int len = rule->net.is6 ? 16 : 4 ;
      if (rule->bits == MTD_RULE_ANY || (rule->net.is6 && !fam6)) continue ;
      for (int kind = 0 ; kind < 3 ; kind++)
      {
        unsigned char b[16] ;
        unsigned int bits = (unsigned int)rule->bits ;
        memcpy(b, rule->net.ip, len) ;
        if (kind >= 1)   /* the last address */
          for (unsigned int j = bits ; j < 8 * len ; j++) b[j / 8] |= (unsigned char)(0x80 >> (j % 8)) ;
        if (kind == 2 && bits)   /* just outside */
          b[(bits - 1) / 8] ^= (unsigned char)(0x80 >> ((bits - 1) % 8)) ;
        if (rule->net.is6) try(&r, dflt, n, 1, b) ; else try_v4(&r, dflt, n, fam6, b) ;
      }
    }
    for (uint8_t const *q = p ; q < end ;)
    {
      int is6 = *q & 1, mapped = *q & 2 ;
      q++ ;
      if (end - q < (is6 ? 16 : 4)) break ;
      if (is6) { if (fam6) try(&r, dflt, n, 1, q) ; q += 16 ; }
      else
      {
        if (mapped) try_v4(&r, dflt, n, fam6, q) ;
        else try(&r, dflt, n, 0, q) ;
        q += 4 ;
      }
    }
  }
  mtd_rules_free(&r) ;
  return 0 ;
}
