/* Unit tests for the limits link's value parser (mtd_limit_value_scan).
   Prints TAP. */
#include <stdio.h>
#include <string.h>
#include "mtd_limit.h"

char const *PROG = "limit_test" ;

static int ntests = 0, nfail = 0 ;
static void ok (int cond, char const *name)
{
  ntests++ ;
  if (!cond) nfail++ ;
  printf("%sok %d - %s\n", cond ? "" : "not ", ntests, name) ;
}

/* scans s; 1 if it gives soft (and hard if has_hard) */
static int gives (char const *s, int bytes, rlim_t soft, int has_hard, rlim_t hard)
{
  mtd_limit_rlimit r ;
  char const *why = 0 ;
  if (!mtd_limit_value_scan(s, bytes, &r, &why)) { printf("# %s: %s\n", s, why) ; return 0 ; }
  return r.set && r.soft == soft && r.has_hard == has_hard && (!has_hard || r.hard == hard) ;
}

/* 1 if s is refused, with a reason containing want */
static int refused (char const *s, int bytes, char const *want)
{
  mtd_limit_rlimit r = { .set = 0 } ;
  char const *why = 0 ;
  if (mtd_limit_value_scan(s, bytes, &r, &why)) return 0 ;
  if (!why || !strstr(why, want)) { printf("# %s: %s\n", s, why ? why : "(no reason)") ; return 0 ; }
  return !r.set ;
}

int main (void)
{
  ok(gives("0", MTD_LIMIT_BYTES, 0, 0, 0), "limit_zero") ;
  ok(gives("1024", MTD_LIMIT_COUNT, 1024, 0, 0), "limit_count_soft_only") ;
  ok(gives("4k", MTD_LIMIT_BYTES, 4096, 0, 0), "limit_k_is_1024") ;
  ok(gives("4K", MTD_LIMIT_BYTES, 4096, 0, 0), "limit_K_is_1024") ;
  ok(gives("3m", MTD_LIMIT_BYTES, 3 << 20, 0, 0), "limit_m_is_2_to_20") ;
  ok(gives("2g", MTD_LIMIT_BYTES, (rlim_t)2 << 30, 0, 0), "limit_g_is_2_to_30") ;
  ok(gives("1m:2m", MTD_LIMIT_BYTES, 1 << 20, 1, 2 << 20), "limit_soft_and_hard") ;
  ok(gives("5:5", MTD_LIMIT_COUNT, 5, 1, 5), "limit_soft_equal_to_hard") ;
  ok(gives("unlimited", MTD_LIMIT_BYTES, RLIM_INFINITY, 0, 0), "limit_unlimited") ;
  ok(gives("10:unlimited", MTD_LIMIT_COUNT, 10, 1, RLIM_INFINITY), "limit_hard_unlimited") ;
  ok(gives("unlimited:unlimited", MTD_LIMIT_COUNT, RLIM_INFINITY, 1, RLIM_INFINITY), "limit_both_unlimited") ;
  ok(gives("18446744073709551614", MTD_LIMIT_COUNT, (rlim_t)18446744073709551614ULL, 0, 0), "limit_largest_number") ;
  ok(gives("17179869183g", MTD_LIMIT_BYTES, (rlim_t)17179869183ULL << 30, 0, 0), "limit_largest_g") ;

  ok(refused("", MTD_LIMIT_BYTES, "empty"), "limit_empty_refused") ;
  ok(refused(":5", MTD_LIMIT_COUNT, "empty"), "limit_empty_soft_refused") ;
  ok(refused("5:", MTD_LIMIT_COUNT, "empty"), "limit_empty_hard_refused") ;
  ok(refused("-1", MTD_LIMIT_COUNT, "negative"), "limit_negative_refused") ;
  ok(refused("1:-1", MTD_LIMIT_COUNT, "negative"), "limit_negative_hard_refused") ;
  ok(refused("18446744073709551615", MTD_LIMIT_COUNT, "too large"), "limit_rlim_infinity_as_number_refused") ;
  ok(refused("18446744073709551616", MTD_LIMIT_COUNT, "too large"), "limit_uint64_overflow_refused") ;
  ok(refused("99999999999999999999999", MTD_LIMIT_COUNT, "too large"), "limit_long_overflow_refused") ;
  ok(refused("17179869184g", MTD_LIMIT_BYTES, "too large"), "limit_suffix_overflow_refused") ;
  ok(refused("16777216t", MTD_LIMIT_BYTES, "unknown unit"), "limit_unknown_unit_refused") ;
  ok(refused("1kb", MTD_LIMIT_BYTES, "unknown unit"), "limit_two_letter_unit_refused") ;
  ok(refused("1k", MTD_LIMIT_COUNT, "not a number"), "limit_unit_on_count_refused") ;
  ok(refused("10:5", MTD_LIMIT_COUNT, "soft limit above the hard limit"), "limit_soft_above_hard_refused") ;
  ok(refused("unlimited:5", MTD_LIMIT_COUNT, "soft limit above the hard limit"), "limit_unlimited_soft_above_hard_refused") ;
  ok(refused("1:2:3", MTD_LIMIT_COUNT, "not a number"), "limit_two_colons_refused") ;
  ok(refused("unlimitedx", MTD_LIMIT_COUNT, "not a number"), "limit_unlimited_prefix_refused") ;
  ok(refused(" 5", MTD_LIMIT_COUNT, "not a number"), "limit_leading_space_refused") ;
  ok(refused("+5", MTD_LIMIT_COUNT, "not a number"), "limit_plus_refused") ;
  ok(refused("0x10", MTD_LIMIT_BYTES, "unknown unit"), "limit_hex_refused") ;
  printf("1..%d\n", ntests) ;
  return !!nfail ;
}
