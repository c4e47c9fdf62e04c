/* Unit tests for the rate arithmetic (mtd_rate.h) with an injected clock,
   and for mtd_unescape. Prints TAP. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <skalibs/ip46.h>
#include "mtd_rate.h"
#include "mtd_escape.h"

char const *PROG = "rate_test" ;

static int ntests = 0, nfail = 0 ;
static void ok (int cond, char const *name)
{
  ntests++ ;
  if (!cond) nfail++ ;
  printf("%sok %d - %s\n", cond ? "" : "not ", ntests, name) ;
}

static mtd_rate_state st ;
static unsigned char const boot[16] = { 1, 2, 3 } ;
#define S MTD_RATE_SECOND
#define T0 (1000 * S)

static ip46 ip (char const *s)
{
  ip46 a ;
  if (ip46_scan(s, &a) != strlen(s)) { printf("Bail out! bad test address %s\n", s) ; exit(1) ; }
  return a ;
}

static mtd_rate_limits limits (uint32_t n, uint32_t s, unsigned int window_s)
{
  mtd_rate_limits l = { .n = n, .s = s, .window = (uint64_t)window_s * S, .v4bits = 32, .v6bits = 64 } ;
  return l ;
}

static int admit (mtd_rate_limits const *l, char const *addr, uint64_t now)
{
  mtd_rate_verdict v ;
  ip46 a = ip(addr) ;
  return mtd_rate_decide(&st, l, &a, now, &v) == MTD_RATE_ADMIT ;
}

static unsigned int burst (mtd_rate_limits const *l, char const *addr, unsigned int k, uint64_t start, uint64_t step)
{
  unsigned int n = 0 ;
  for (unsigned int i = 0 ; i < k ; i++) n += admit(l, addr, start + i * step) ;
  return n ;
}

static void test_exact_window (void)
{
  mtd_rate_limits l = limits(5, 0, 10) ;
  mtd_rate_init(&st, boot) ;
  ok(burst(&l, "127.0.0.1", 15, T0, 1000) == 5, "rate_burst_of_3N_admits_exactly_N") ;
  ok(!admit(&l, "127.0.0.1", T0 + 10 * S - 1), "rate_still_refused_1ns_before_T") ;
  ok(admit(&l, "127.0.0.1", T0 + 10 * S), "rate_admits_again_after_T") ;
  ok(!admit(&l, "127.0.0.1", T0 + 10 * S + 1), "rate_only_the_expired_slot_is_reused") ;
  ok(burst(&l, "127.0.0.1", 15, T0 + 20 * S, 1000) == 5, "rate_after_quiet_window_full_N_again") ;

  /* a sliding window, not fixed intervals: admissions at 0,1,2,3,4 s */
  mtd_rate_init(&st, boot) ;
  for (unsigned int i = 0 ; i < 5 ; i++) admit(&l, "127.0.0.1", T0 + i * S) ;
  ok(!admit(&l, "127.0.0.1", T0 + 10 * S - 1) && admit(&l, "127.0.0.1", T0 + 10 * S)
     && !admit(&l, "127.0.0.1", T0 + 10 * S + S / 2) && admit(&l, "127.0.0.1", T0 + 11 * S),
     "rate_window_slides_one_admission_at_a_time") ;
}

/* Brute force: the limit holds in every window, and in the exact range the
   decisions are exactly those of "fewer than n in (now - T, now]". */
static uint64_t times[20000] ;
static void test_against_oracle (uint32_t n, int exact, char const *name)
{
  mtd_rate_limits l = limits(n, 0, 2) ;
  unsigned int na = 0, bad = 0 ;
  uint64_t now = T0 ;
  srandom(n) ;
  mtd_rate_init(&st, boot) ;
  for (unsigned int i = 0 ; i < 20000 ; i++)
  {
    unsigned int inwin = 0 ;
    int got ;
    now += (i % 6000 < 4500) ? 1 + (uint64_t)(random() % 1000000) : (uint64_t)(random() % 1000) * (2 * S / 1000) ;
    for (unsigned int j = na ; j-- > 0 && now - times[j] < l.window ;) inwin++ ;
    got = admit(&l, "10.1.2.3", now) ;
    if (got && inwin >= n) bad++ ;              /* would break the guarantee */
    if (exact && got != (inwin < n)) bad++ ;    /* not exact */
    if (got) times[na++] = now ;
  }
  ok(!bad && na > n, name) ;
}

static void test_sources (void)
{
  mtd_rate_limits l = limits(0, 3, 60) ;
  mtd_rate_init(&st, boot) ;
  ok(burst(&l, "127.0.0.2", 50, T0, 1000) == 3, "rate_source_flood_admits_only_its_limit") ;
  ok(burst(&l, "127.0.0.3", 50, T0 + S, 1000) == 3, "rate_other_source_still_gets_its_own_limit") ;

  l = limits(10, 3, 60) ;
  mtd_rate_init(&st, boot) ;
  ok(burst(&l, "127.0.0.2", 20, T0, 1000) == 3 && burst(&l, "127.0.0.3", 20, T0 + S, 1000) == 3
     && burst(&l, "127.0.0.4", 20, T0 + 2 * S, 1000) == 3 && burst(&l, "127.0.0.5", 20, T0 + 3 * S, 1000) == 1,
     "rate_service_limit_caps_the_sum_of_sources") ;

  l = limits(0, 2, 60) ;
  l.v4bits = 24 ;
  mtd_rate_init(&st, boot) ;
  ok(admit(&l, "10.0.0.1", T0) && admit(&l, "10.0.0.2", T0 + 1) && !admit(&l, "10.0.0.3", T0 + 2)
     && admit(&l, "10.0.1.1", T0 + 3), "rate_ipv4_sources_grouped_by_prefix") ;
  mtd_rate_init(&st, boot) ;
  l.v6bits = 64 ;
  ok(admit(&l, "2001:db8::1", T0) && admit(&l, "2001:db8::ffff:1", T0 + 1) && !admit(&l, "2001:db8::2", T0 + 2)
     && admit(&l, "2001:db8:0:1::1", T0 + 3), "rate_ipv6_sources_grouped_by_64") ;

  /* more per-source admissions than its ring holds: buckets, still capped */
  l = limits(0, 100, 10) ;
  mtd_rate_init(&st, boot) ;
  ok(burst(&l, "127.0.0.9", 300, T0, 1000) == 100 && !admit(&l, "127.0.0.9", T0 + 10 * S - 1)
     && admit(&l, "127.0.0.9", T0 + 300 * 1000 + 10 * S), "rate_source_limit_beyond_ring_still_exact_for_burst") ;
}

static void test_eviction (void)
{
  mtd_rate_limits l = limits(0, 1, 3600) ;
  char a[32] ;
  unsigned int all = 1 ;
  char const *why = "" ;
  mtd_rate_init(&st, boot) ;
  /* sources 10.0.0.0, 10.0.0.1, ... come in that order, one admission each */
  for (unsigned int i = 0 ; i < MTD_RATE_SRC_MAX ; i++)
  {
    snprintf(a, sizeof a, "10.0.%u.%u", i / 256, i % 256) ;
    all &= admit(&l, a, T0 + i) ;
  }
  ok(all && st.nsrc == MTD_RATE_SRC_MAX, "rate_table_fills_to_its_bound") ;
  ok(!admit(&l, "10.0.1.0", T0 + 5000), "rate_remembered_source_refused") ;
  ok(admit(&l, "192.168.0.1", T0 + 5001) && st.nsrc == MTD_RATE_SRC_MAX, "rate_new_source_admitted_when_table_full") ;
  ok(!admit(&l, "10.0.0.1", T0 + 5002), "rate_eviction_keeps_newer_sources") ;
  ok(admit(&l, "10.0.0.0", T0 + 5003), "rate_eviction_removes_oldest_first") ;
  /* that evicted 10.0.0.2: 10.0.0.1 was seen again at 5002 */
  ok(admit(&l, "10.0.0.2", T0 + 5004) && !admit(&l, "10.0.0.1", T0 + 5005) && !admit(&l, "10.0.1.0", T0 + 5006)
     && !admit(&l, "10.0.0.0", T0 + 5007), "rate_seen_sources_count_as_recent") ;
  ok(mtd_rate_check(&st, boot, T0 + 6000, &why), "rate_table_consistent_after_evictions") ;
}

static int undo (mtd_rate_limits const *l, char const *addr, uint64_t t)
{
  mtd_rate_key key ;
  ip46 a = ip(addr) ;
  mtd_rate_key_make(&key, &a, l) ;
  return mtd_rate_undo(&st, l, &key, t) ;
}

static void test_undo (void)
{
  char const *why = "" ;
  mtd_rate_limits l = limits(3, 2, 60) ;
  mtd_rate_init(&st, boot) ;
  ok(admit(&l, "127.0.0.1", T0) && admit(&l, "127.0.0.2", T0 + 1) && admit(&l, "127.0.0.1", T0 + 2)
     && !admit(&l, "127.0.0.3", T0 + 3), "rate_undo_setup_service_full") ;
  ok(undo(&l, "127.0.0.2", T0 + 1) == 1 && st.svc.total == 2 && admit(&l, "127.0.0.3", T0 + 4)
     && !admit(&l, "127.0.0.4", T0 + 5), "rate_undo_gives_back_one_service_admission") ;
  ok(!admit(&l, "127.0.0.1", T0 + 6), "rate_undo_source_still_full_before") ;
  mtd_rate_init(&st, boot) ;
  admit(&l, "127.0.0.1", T0) ; admit(&l, "127.0.0.1", T0 + 2) ;
  ok(undo(&l, "127.0.0.1", T0) == 1 && admit(&l, "127.0.0.1", T0 + 3) && !admit(&l, "127.0.0.1", T0 + 4),
     "rate_undo_gives_back_one_source_admission") ;
  ok(mtd_rate_check(&st, boot, T0 + 10, &why), "rate_undo_leaves_the_state_consistent") ;
  ok(undo(&l, "127.0.0.1", T0 + 1) == 1 && st.svc.total == 2, "rate_undo_of_an_unknown_time_changes_nothing") ;
  ok(undo(&l, "10.9.9.9", T0 + 2) == 1 && st.svc.total == 1 && mtd_rate_check(&st, boot, T0 + 10, &why),
     "rate_undo_for_an_unknown_source_still_gives_back_the_service_admission") ;

  /* beyond the ring, admissions share buckets: an undo takes one out */
  l = limits(3000, 0, 2) ;
  mtd_rate_init(&st, boot) ;
  burst(&l, "10.1.2.3", 2999, T0, 1000) ;
  ok(undo(&l, "10.1.2.3", T0 + 1000 * 1000) == 1 && st.svc.total == 2998 && mtd_rate_check(&st, boot, T0 + S, &why),
     "rate_undo_in_a_shared_bucket") ;
  ok(admit(&l, "10.1.2.3", T0 + S) && admit(&l, "10.1.2.3", T0 + S + 1) && !admit(&l, "10.1.2.3", T0 + S + 2),
     "rate_undo_in_a_shared_bucket_gives_back_exactly_one") ;
  st.svc.head = MTD_RATE_SVC_RING ;
  ok(undo(&l, "10.1.2.3", T0) == -1, "rate_undo_finds_an_inconsistent_ring") ;
}

static void test_log (void)
{
  mtd_rate_key k1, k2 ;
  mtd_rate_limits l = limits(1, 0, 60) ;
  char buf[MTD_RATE_LOG_BUF] ;
  size_t len ;
  ip46 a = ip("127.0.0.2"), b = ip("2001:db8::7") ;
  mtd_rate_key_make(&k1, &a, &l) ;
  mtd_rate_key_make(&k2, &b, &l) ;
  mtd_rate_init(&st, boot) ;
  ok(mtd_rate_log_note(&st, &k1, MTD_RATE_REFUSE_SERVICE, T0) == 1, "ratelog_first_refusal_logged_alone") ;
  ok(mtd_rate_log_note(&st, &k1, MTD_RATE_REFUSE_SERVICE, T0 + 1) == 0
     && mtd_rate_log_note(&st, &k1, MTD_RATE_REFUSE_SOURCE, T0 + 2) == 0
     && mtd_rate_log_note(&st, &k2, MTD_RATE_REFUSE_SOURCE, T0 + 3) == 0, "ratelog_next_refusals_held") ;
  ok(!mtd_rate_log_flush(&st, T0 + S - 1, buf), "ratelog_no_summary_within_a_second") ;
  len = mtd_rate_log_flush(&st, T0 + S, buf) ;
  buf[len] = 0 ;
  ok(!strcmp(buf, "refused 3 in the last 1000ms (service limit 1, source limit 2): 127.0.0.2/32 2, 2001:db8::/64 1"),
     "ratelog_summary_counts_per_prefix") ;
  if (strcmp(buf, "refused 3 in the last 1000ms (service limit 1, source limit 2): 127.0.0.2/32 2, 2001:db8::/64 1")) printf("# got: %s\n", buf) ;
  ok(!mtd_rate_log_flush(&st, T0 + 3 * S, buf), "ratelog_nothing_pending_nothing_said") ;
  mtd_rate_init(&st, boot) ;
  mtd_rate_log_note(&st, &k1, MTD_RATE_REFUSE_SERVICE, T0) ;
  for (unsigned int i = 0 ; i < 20 ; i++)
  {
    char s[32] ;
    mtd_rate_key k ;
    snprintf(s, sizeof s, "10.0.0.%u", i) ;
    a = ip(s) ;
    mtd_rate_key_make(&k, &a, &l) ;
    mtd_rate_log_note(&st, &k, MTD_RATE_REFUSE_SERVICE, T0 + 1 + i) ;
  }
  len = mtd_rate_log_flush(&st, T0 + 2 * S, buf) ;
  buf[len] = 0 ;
  ok(len && strstr(buf, "refused 20 ") && strstr(buf, ", others 12"), "ratelog_summary_bounded_with_others") ;
}

static void test_check (void)
{
  char const *why = "" ;
  mtd_rate_limits l = limits(3, 2, 60) ;
  mtd_rate_verdict v ;
  ip46 a = ip("127.0.0.1") ;
  unsigned char otherboot[16] = { 9 } ;
  mtd_rate_init(&st, boot) ;
  burst(&l, "127.0.0.1", 3, T0, 10) ;
  ok(mtd_rate_check(&st, boot, T0 + S, &why), "ratecheck_fresh_state_is_sound") ;
  ok(!mtd_rate_check(&st, boot, T0, &why), "ratecheck_times_in_the_future_rejected") ;
  ok(!mtd_rate_check_header(&st, otherboot, &why), "ratecheck_other_boot_rejected") ;
  st.version++ ;
  ok(!mtd_rate_check_header(&st, boot, &why), "ratecheck_foreign_version_rejected") ;
  st.version-- ;
  st.size-- ;
  ok(!mtd_rate_check_header(&st, boot, &why), "ratecheck_wrong_size_rejected") ;
  st.size++ ;
  st.magic[0] ^= 1 ;
  ok(!mtd_rate_check_header(&st, boot, &why), "ratecheck_bad_magic_rejected") ;
  st.magic[0] ^= 1 ;
  st.svc.total += 5 ;
  ok(!mtd_rate_check(&st, boot, T0 + S, &why), "ratecheck_bad_total_rejected") ;
  st.svc.total -= 5 ;
  st.svc.head = MTD_RATE_SVC_RING + 7 ;
  ok(mtd_rate_decide(&st, &l, &a, T0 + S, &v) == -1, "ratedecide_out_of_range_ring_reported_not_used") ;
  mtd_rate_init(&st, boot) ;
  burst(&l, "127.0.0.1", 1, T0 + 5 * S, 10) ;
  ok(mtd_rate_decide(&st, &l, &a, T0, &v) == -1, "ratedecide_time_going_back_reported") ;
  mtd_rate_init(&st, boot) ;
  burst(&l, "127.0.0.1", 1, T0, 10) ;
  st.index[0] = st.index[1] = st.index[2] = 0 ;
  for (unsigned int i = 0 ; i < MTD_RATE_SRC_INDEX ; i++) if (st.index[i]) st.index[i] = 999 ;
  ok(mtd_rate_decide(&st, &l, &a, T0 + 1, &v) == -1 && !mtd_rate_check(&st, boot, T0 + 1, &why), "ratedecide_bad_index_reported") ;
}

static void test_unescape (void)
{
  char buf[64] ;
  size_t len = 0 ;
  ok(mtd_unescape(buf, "421 busy\\r\\n", &len) && len == 10 && !memcmp(buf, "421 busy\r\n", 10), "unescape_crlf") ;
  ok(mtd_unescape(buf, "a\\tb\\\\c", &len) && len == 5 && !memcmp(buf, "a\tb\\c", 5), "unescape_tab_backslash") ;
  ok(!mtd_unescape(buf, "bad\\q", &len), "unescape_unknown_escape_rejected") ;
  ok(!mtd_unescape(buf, "trailing\\", &len), "unescape_trailing_backslash_rejected") ;
  ok(mtd_unescape(buf, "", &len) && !len, "unescape_empty") ;
}

int main (void)
{
  test_exact_window() ;
  test_against_oracle(5, 1, "rate_exact_window_matches_oracle_small_n") ;
  test_against_oracle(MTD_RATE_SVC_RING, 1, "rate_exact_window_matches_oracle_n_equals_ring") ;
  test_against_oracle(3000, 0, "rate_bucketed_window_never_exceeds_n") ;
  test_sources() ;
  test_eviction() ;
  test_undo() ;
  test_log() ;
  test_check() ;
  test_unescape() ;
  printf("1..%d\n", ntests) ;
  return !!nfail ;
}
