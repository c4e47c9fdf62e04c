/* Unit tests for mtd_rulesbpf (TAP): the compiled socket filter, run by a
   userland classic BPF interpreter (bpfvm.h) on synthesized packets, gives
   the verdict of mtd_rules_match and the default, for many rule sets and
   addresses: IPv4, IPv6, IPv4 on a dual-stack socket, "*", /0, full
   prefixes, programs at the size limit. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <skalibs/stralloc.h>
#include <skalibs/types.h>
#include "mtd_addr.h"
#include "mtd_rules.h"
#include "mtd_rulesbpf.h"
#include "bpfvm.h"

static unsigned int tests = 0, failed = 0 ;
static unsigned long checked = 0, sets = 0 ;

static void ok (int cond, char const *name)
{
  tests++ ;
  if (!cond) failed++ ;
  printf("%sok %u - %s\n", cond ? "" : "not ", tests, name) ;
}

static uint64_t seed = 0x9e3779b97f4a7c15ULL ;
static uint32_t rnd (void)
{
  seed ^= seed << 13 ; seed ^= seed >> 7 ; seed ^= seed << 17 ;
  return (uint32_t)(seed >> 16) ;
}

static struct sock_filter prog[MTD_RULES_BPF_MAX + 8] ;

/* The verdict of the filter for a packet from ip (as IPv4 or IPv6 by
   is6, bytes as sent) against the matcher's; 1 if they agree. */
static int agree (mtd_rules const *r, int dflt, int n, int is6, unsigned char const *bytes)
{
  unsigned char net[40], udp[8] ;
  bpfvm_packet pk ;
  unsigned int steps ;
  ip46 a ;
  mtd_rule const *m ;
  int want, got ;
  memset(&a, 0, sizeof a) ;
  a.is6 = is6 ;
  memcpy(a.ip, bytes, is6 ? 16 : 4) ;
  mtd_ip_unmap(&a) ;
  m = mtd_rules_match(r, &a) ;
  want = m ? m->allow : dflt ;
  bpfvm_udp_packet(&pk, net, udp, is6, bytes) ;
  got = bpfvm_run(prog, (unsigned int)n, &pk, &steps) ;
  checked++ ;
  if (got != 0 && got != (int)0xffffffff) return 0 ;
  if (!!got != want)
  {
    char s[MTD_IP_FMT] ;
    s[mtd_ip_fmt(s, &a)] = 0 ;
    printf("#   %s%s: filter %s, rules %s\n", is6 && !a.is6 ? "mapped " : "", s, got ? "accept" : "drop", want ? "allow" : "deny") ;
    return 0 ;
  }
  return 1 ;
}

/* Addresses worth trying against r: each rule's network, its last
   address, the neighbours just outside, random ones inside; fixed ones. */
static unsigned int candidates (mtd_rules const *r, unsigned char (*out)[17], unsigned int max, unsigned int stride)
{
  static unsigned char const fixed[][17] =
  {
    { 0 }, { 127, 0, 0, 1 }, { 127, 0, 0, 2 }, { 127, 0, 0, 3 }, { 10, 1, 2, 3 }, { 255, 255, 255, 255 }, { 192, 168, 1, 1 },
    { [16] = 1 }, { [15] = 1, [16] = 1 }, { 0x20, 0x01, 0x0d, 0xb8, [15] = 1, [16] = 1 },
    { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1 },
    { 0xfe, 0x80, [15] = 9, [16] = 1 },
    { [10] = 0xff, [11] = 0xff, [12] = 127, [15] = 1, [16] = 1 }, { [10] = 0xff, [11] = 0xff, [12] = 127, [15] = 3, [16] = 1 },
  } ;
  unsigned int n = 0 ;
  for (unsigned int i = 0 ; i < sizeof fixed / sizeof *fixed && n < max ; i++) memcpy(out[n++], fixed[i], 17) ;
  for (unsigned int i = 0 ; i < r->n && n + 8 <= max ; i += stride)
  {
    mtd_rule const *rule = r->rule + i ;
    unsigned int len = rule->net.is6 ? 16 : 4, bits ;
    if (rule->bits == MTD_RULE_ANY) continue ;
    bits = (unsigned int)rule->bits ;
    for (unsigned int k = 0 ; k < 6 ; k++)
    {
      unsigned char *o = out[n++] ;
      memset(o, 0, 17) ;
      memcpy(o, rule->net.ip, len) ;
      o[16] = rule->net.is6 ;
      for (unsigned int b = bits ; b < 8 * len ; b++)   /* host bits */
      {
        int set = k == 0 ? 0 : k == 1 ? 1 : (int)(rnd() & 1) ;
        if (set) o[b / 8] |= (unsigned char)(0x80 >> (b % 8)) ;
      }
      if (k >= 4 && bits)   /* just outside: the last prefix bit flipped */
        o[(bits - 1) / 8] ^= (unsigned char)(0x80 >> ((bits - 1) % 8)) ;
    }
    if (!rule->net.is6)   /* the same IPv4 address as a mapped IPv6 source */
    {
      unsigned char *o = out[n++] ;
      memset(o, 0, 17) ;
      o[10] = o[11] = 0xff ;
      memcpy(o + 12, rule->net.ip, 4) ;
      o[16] = 1 ;
    }
  }
  for (unsigned int k = 0 ; k < 8 && n < max ; k++)
  {
    unsigned char *o = out[n++] ;
    for (unsigned int b = 0 ; b < 16 ; b++) o[b] = (unsigned char)rnd() ;
    o[16] = k & 1 ;
  }
  return n ;
}

static unsigned char cand[6 * 8 * 4200][17] ;

/* Every candidate address through the programs for both families. */
/* only: one family (0 both); stride: try every stride-th rule's addresses */
static int differential_in (mtd_rules const *r, int dflt, int only, unsigned int stride)
{
  unsigned int nc = candidates(r, cand, sizeof cand / sizeof *cand, stride) ;
  int good = 1 ;
  sets++ ;
  for (int fam = 0 ; fam < 2 ; fam++)
  {
    char const *why ;
    if (only && only != (fam ? AF_INET6 : AF_INET)) continue ;
    int n = mtd_rules_bpf_compile(r, dflt, fam ? AF_INET6 : AF_INET, prog, MTD_RULES_BPF_MAX) ;
    if (n <= 0) { printf("#   compile %s: %d errno %d\n", fam ? "AF_INET6" : "AF_INET", n, errno) ; return 0 ; }
    if (!bpfvm_check(prog, (unsigned int)n, &why)) { printf("#   the kernel would refuse it: %s\n", why) ; return 0 ; }
    for (unsigned int i = 0 ; i < nc ; i++)
    {
      if (!fam && cand[i][16]) continue ;   /* an IPv4 socket gets IPv4 only */
      if (!agree(r, dflt, n, cand[i][16], cand[i])) good = 0 ;
    }
  }
  return good ;
}

static int differential (mtd_rules const *r, int dflt) { return differential_in(r, dflt, 0, 1) ; }

static mtd_rules R = MTD_RULES_ZERO ;

static int parse (char const *text)
{
  mtd_rules_error e ;
  mtd_rules_free(&R) ;
  if (!mtd_rules_parse(&R, text, strlen(text), &e)) { printf("#   parse: line %u: %s\n", e.line, e.why) ; return 0 ; }
  return 1 ;
}

static int same (char const *text, int dflt)
{
  return parse(text) && differential(&R, dflt) ;
}

/* A random prefix near one of a few bases, so rules nest and overlap. */
static void random_prefix (ip46 *net, unsigned int *bitsp, int is6)
{
  static unsigned char const base4[3][4] = { { 10, 0, 0, 0 }, { 127, 0, 0, 0 }, { 192, 168, 7, 0 } } ;
  static unsigned char const base6[3][16] = { { 0x20, 0x01, 0x0d, 0xb8 }, { [15] = 1 }, { 0xfe, 0x80 } } ;
  ip46 a ;
  unsigned int len = is6 ? 16 : 4 ;
  unsigned int bits = rnd() % (8 * len + 1) ;
  memset(&a, 0, sizeof a) ;
  a.is6 = is6 ;
  memcpy(a.ip, is6 ? base6[rnd() % 3] : base4[rnd() % 3], len) ;
  for (unsigned int k = 0 ; k < 3 ; k++)
  {
    unsigned int b = rnd() % (8 * len) ;
    if (rnd() & 1) a.ip[b / 8] ^= (char)(0x80 >> (b % 8)) ;
  }
  if (rnd() % 4 == 0) bits = is6 ? 128 : 32 ;
  mtd_ip_mask(net, &a, bits) ;
  *bitsp = bits ;
}

static int random_sets (unsigned int count, unsigned int maxrules)
{
  static ip46 nets[512] ;
  static unsigned int bitss[512] ;
  stralloc sa = STRALLOC_ZERO ;
  int good = 1 ;
  for (unsigned int i = 0 ; i < count && good ; i++)
  {
    unsigned int n = 1 + rnd() % maxrules, have = 0 ;
    int dflt = rnd() & 1, star = 0 ;
    mtd_rules_error e ;
    sa.len = 0 ;
    for (unsigned int k = 0 ; k < n ; k++)
    {
      char s[MTD_IP_FMT + UINT_FMT + 2] ;
      size_t l ;
      unsigned int j ;
      if (rnd() % 16 == 0)
      {
        if (star++) continue ;
        char const *line = rnd() & 1 ? "allow *\n" : "deny *\n" ;  /* stralloc_cats reads it twice */
        stralloc_cats(&sa, line) ;
        continue ;
      }
      random_prefix(nets + have, bitss + have, rnd() & 1) ;
      for (j = 0 ; j < have ; j++)
        if (bitss[j] == bitss[have] && nets[j].is6 == nets[have].is6 && !memcmp(nets[j].ip, nets[have].ip, 16)) break ;
      if (j < have) continue ;   /* a duplicate is an error */
      l = mtd_ip_fmt(s, nets + have) ;
      s[l++] = '/' ;
      l += uint_fmt(s + l, bitss[have]) ;
      s[l++] = '\n' ;
      {
        char const *action = rnd() & 1 ? "allow " : "deny " ;
        stralloc_cats(&sa, action) ;
      }
      stralloc_catb(&sa, s, l) ;
      have++ ;
    }
    mtd_rules_free(&R) ;
    if (!mtd_rules_parse(&R, sa.s, sa.len, &e)) { printf("# line %u: %s\n%.*s", e.line, e.why, (int)sa.len, sa.s) ; good = 0 ; break ; }
    if (!differential(&R, dflt)) { good = 0 ; printf("# set %u (default %s):\n%.*s", i, dflt ? "allow" : "deny", (int)sa.len, sa.s) ; }
  }
  stralloc_free(&sa) ;
  return good ;
}

/* n distinct rules of one shape (a /bits of family is6), denies inside
   an allowed prefix and allows inside a denied one, so that the compiler
   can leave none out. */
static void shaped_rules (stralloc *sa, unsigned int n, int is6, unsigned int bits)
{
  sa->len = 0 ;
  stralloc_cats(sa, is6 ? "allow 2001::/24\ndeny 2001:100::/24\n" : "allow 10.0.0.0/8\ndeny 11.0.0.0/8\n") ;
  for (unsigned int i = 0 ; i < n ; i++)
  {
    unsigned int j = i >> 1 ;
    ip46 a ;
    char s[MTD_IP_FMT + UINT_FMT + 2] ;
    size_t l ;
    memset(&a, 0, sizeof a) ;
    a.is6 = is6 ;
    if (is6)
    {
      /* spread over the first word too, as real rules are */
      a.ip[0] = 0x20 ; a.ip[1] = 0x01 ; a.ip[2] = (char)(i & 1) ; a.ip[3] = (char)j ;
      a.ip[bits / 8 - 1] = (char)(j * 7 + 1) ;
      a.ip[bits / 8 - 2] = (char)(j >> 8) ;
    }
    else { a.ip[0] = (char)(10 + (i & 1)) ; a.ip[1] = (char)(j >> 8) ; a.ip[2] = (char)j ; a.ip[3] = 0 ; }
    l = mtd_ip_fmt(s, &a) ;
    s[l++] = '/' ;
    l += uint_fmt(s + l, bits) ;
    stralloc_cats(sa, i & 1 ? "allow " : "deny ") ;
    stralloc_catb(sa, s, l) ;
    stralloc_cats(sa, "\n") ;
  }
}

/* The most rules of a shape that fit for family fam (binary search). */
static unsigned int most_that_fit (int fam, int is6, unsigned int bits)
{
  stralloc sa = STRALLOC_ZERO ;
  unsigned int lo = 0, hi = MTD_RULES_MAX - 2 ;
  while (lo < hi)
  {
    unsigned int mid = (lo + hi + 1) / 2 ;
    mtd_rules_error e ;
    int n ;
    shaped_rules(&sa, mid, is6, bits) ;
    mtd_rules_free(&R) ;
    if (!mtd_rules_parse(&R, sa.s, sa.len, &e)) { printf("# shaped: %s\n", e.why) ; break ; }
    n = mtd_rules_bpf_compile(&R, 1, fam, prog, MTD_RULES_BPF_MAX) ;
    if (n > 0) lo = mid ; else hi = mid - 1 ;
  }
  shaped_rules(&sa, lo, is6, bits) ;
  stralloc_free(&sa) ;
  return lo ;
}

static int at_limit (int fam, int is6, unsigned int bits, char const *what)
{
  stralloc sa = STRALLOC_ZERO ;
  unsigned int most = most_that_fit(fam, is6, bits) ;
  int n, good ;
  mtd_rules_error e ;
  shaped_rules(&sa, most, is6, bits) ;
  mtd_rules_free(&R) ;
  good = mtd_rules_parse(&R, sa.s, sa.len, &e) ;
  n = good ? mtd_rules_bpf_compile(&R, 1, fam, prog, MTD_RULES_BPF_MAX) : 0 ;
  printf("# %s: %u rules fit (%d instructions)\n", what, most, n) ;
  good = good && n > MTD_RULES_BPF_MAX - 40 && differential_in(&R, 1, fam, 7) ;   /* every island region still reached */
  /* one more does not fit: 0, E2BIG, nothing past max written */
  if (good)
  {
    shaped_rules(&sa, most + 1, is6, bits) ;
    mtd_rules_free(&R) ;
    good = mtd_rules_parse(&R, sa.s, sa.len, &e) ;
    for (unsigned int i = 0 ; i < 8 ; i++) prog[MTD_RULES_BPF_MAX + i].code = 0xdead ;
    errno = 0 ;
    n = good ? mtd_rules_bpf_compile(&R, 1, fam, prog, MTD_RULES_BPF_MAX) : -2 ;
    good = n == 0 && errno == E2BIG ;
    for (unsigned int i = 0 ; i < 8 ; i++) if (prog[MTD_RULES_BPF_MAX + i].code != 0xdead) good = 0 ;
  }
  stralloc_free(&sa) ;
  return good ;
}

int main (void)
{
  int n ;
  char const *why ;

  /* --- small programs --- */
  ok(parse("") && mtd_rules_bpf_compile(&R, 1, AF_INET6, prog, MTD_RULES_BPF_MAX) == 1 && prog[0].k == 0xffffffff, "bpf_no_rules_default_allow_is_one_accept") ;
  ok(parse("") && mtd_rules_bpf_compile(&R, 0, AF_INET, prog, MTD_RULES_BPF_MAX) == 1 && prog[0].k == 0, "bpf_no_rules_default_deny_is_one_drop") ;
  ok(parse("allow *\n") && mtd_rules_bpf_compile(&R, 0, AF_INET6, prog, MTD_RULES_BPF_MAX) == 1 && prog[0].k == 0xffffffff, "bpf_star_rule_alone_is_its_verdict") ;
  ok(parse("deny 10.0.0.0/8\ndeny 10.1.0.0/16\n") && mtd_rules_bpf_compile(&R, 0, AF_INET, prog, MTD_RULES_BPF_MAX) == 1, "bpf_rules_agreeing_with_default_left_out") ;
  ok(parse("allow 127.0.0.2\n") && mtd_rules_bpf_compile(&R, 0, AF_INET, prog, MTD_RULES_BPF_MAX) == 6, "bpf_one_ipv4_rule_is_six_instructions") ;
  ok(parse("allow 127.0.0.2\n") && mtd_rules_bpf_compile(&R, 0, AF_UNIX, prog, MTD_RULES_BPF_MAX) == -1 && errno == EAFNOSUPPORT, "bpf_other_family_refused") ;
  ok(parse("allow 127.0.0.2\n") && mtd_rules_bpf_compile(&R, 0, AF_INET, prog, 4) == 0 && errno == E2BIG, "bpf_too_small_buffer_is_e2big") ;

  /* --- the brief's sets and edge cases: filter == matcher --- */
  ok(same("allow 127.0.0.2/32\n", 0), "bpf_allow_one_deny_rest") ;
  ok(same("deny 127.0.0.3\nallow *\n", 0), "bpf_deny_one_allow_star") ;
  ok(same("deny 127.0.0.3\n", 1), "bpf_deny_one_default_allow") ;
  ok(same("allow 0.0.0.0/0\ndeny 127.0.0.0/8\nallow 127.0.0.2\n", 0), "bpf_ipv4_slash0_below_longer") ;
  ok(same("deny ::/0\nallow ::1\nallow 127.0.0.1\n", 1), "bpf_ipv6_slash0_not_for_ipv4") ;
  ok(same("deny ::/0\nallow *\n", 0), "bpf_ipv6_slash0_and_star") ;
  ok(same("allow ::1/128\ndeny 2001:db8::/32\nallow 2001:db8:1::/48\ndeny 2001:db8:1:2::/64\nallow 2001:db8:1:2:3::/80\n", 1), "bpf_ipv6_nested_prefixes") ;
  ok(same("deny 2001:db8::/33\nallow 2001:db8:8000::/33\ndeny 2001:db8::1/128\nallow 2001:db8::/31\ndeny *\n", 0), "bpf_ipv6_partial_words") ;
  ok(same("allow 10.0.0.0/7\ndeny 11.0.0.0/8\nallow 11.1.1.1\ndeny 10.0.0.0/9\nallow *\n", 0), "bpf_ipv4_odd_prefix_lengths") ;
  ok(same("deny ::ffff:127.0.0.3\nallow 127.0.0.0/8\n", 0), "bpf_mapped_rule_is_ipv4") ;
  ok(same("deny ::/64\nallow *\n", 0), "bpf_mapped_source_not_in_ipv6_prefix") ;
  ok(same("allow ::/1\nallow 8000::/1\ndeny ::/0\n", 0), "bpf_ipv6_two_halves") ;
  ok(same("allow 128.0.0.0/1\ndeny 0.0.0.0/1\n", 1), "bpf_ipv4_two_halves") ;
  ok(same("deny 0.0.0.0/32\nallow 255.255.255.255/32\nallow ::/128\ndeny ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128\n", 0) && same("deny 0.0.0.0/32\nallow 255.255.255.255/32\nallow ::/128\ndeny ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128\n", 1), "bpf_extreme_addresses") ;
  ok(same("allow 1.2.3.4\nallow 1.2.3.5\ndeny 1.2.3.0/24\nallow 1.2.0.0/16\ndeny 1.0.0.0/8\nallow 0.0.0.0/0\n", 0), "bpf_alternating_chain") ;

  /* --- random sets, small and large --- */
  ok(random_sets(3000, 12), "bpf_random_small_sets_agree") ;
  ok(random_sets(200, 300), "bpf_random_large_sets_agree") ;

  /* --- at the size limit: the most that fit agree (far jumps through
     islands), one more is E2BIG with nothing past the buffer --- */
  ok(at_limit(AF_INET, 0, 32, "IPv4 /32 on AF_INET"), "bpf_limit_ipv4_full_prefixes") ;
  ok(at_limit(AF_INET6, 0, 24, "IPv4 /24 on AF_INET6"), "bpf_limit_ipv4_on_dual_stack") ;
  ok(at_limit(AF_INET6, 1, 128, "IPv6 /128 on AF_INET6"), "bpf_limit_ipv6_full_prefixes") ;
  ok(at_limit(AF_INET6, 1, 64, "IPv6 /64 on AF_INET6"), "bpf_limit_ipv6_slash64") ;
  ok(at_limit(AF_INET6, 1, 56, "IPv6 /56 on AF_INET6"), "bpf_limit_ipv6_slash56") ;

  /* the program the kernel checks: scratch memory written before read */
  ok(parse("allow 2001:db8::/32\ndeny 127.0.0.3\nallow *\n") && (n = mtd_rules_bpf_compile(&R, 0, AF_INET6, prog, MTD_RULES_BPF_MAX)) > 0 && bpfvm_check(prog, (unsigned int)n, &why), "bpf_dual_stack_program_passes_kernel_checks") ;

  printf("# %lu rule sets, %lu (set, address, family) verdicts compared\n", sets, checked) ;
  mtd_rules_free(&R) ;
  printf("1..%u\n", tests) ;
  return failed ? 1 : 0 ;
}
