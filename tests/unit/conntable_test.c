/* Unit tests for minetd-tcp's connection table: per-source counts by
   prefix, removal by pid, the -c bound. Linked with minetd-tcp/conntable.c. */
#include <stdio.h>
#include <string.h>
#include "mtd_addr.h"
#include "minetd-tcp.h"

char const *PROG = "conntable_test" ;
static int n, failed ;
static void ok (int cond, char const *name)
{
  printf("%sok %d - %s\n", cond ? "" : "not ", ++n, name) ;
  if (!cond) failed++ ;
}

static ip46 ip (char const *s)
{
  ip46 a ; int dual ;
  if (!mtd_host_scan(s, &a, &dual)) { printf("# bad address %s\n", s) ; failed++ ; }
  return a ;
}
static unsigned int count (char const *s) { ip46 a = ip(s) ; return conntable_count_source(&a) ; }
static void add (pid_t pid, char const *s, uint16_t port) { ip46 a = ip(s) ; conntable_add(pid, &a, port, 1) ; }

int main (void)
{
  ip46 peer ; uint16_t port ;

  conntable_init(8, 32, 64) ;
  ok(conntable_count() == 0 && count("127.0.0.2") == 0, "conntable_starts_empty") ;
  add(101, "127.0.0.2", 4001) ;
  add(102, "127.0.0.2", 4002) ;
  add(103, "127.0.0.3", 4003) ;
  ok(conntable_count() == 3, "conntable_counts_all_connections") ;
  ok(count("127.0.0.2") == 2, "conntable_counts_connections_of_one_ipv4_source") ;
  ok(count("127.0.0.3") == 1, "conntable_v4bits_32_neighbour_address_is_another_source") ;
  ok(count("127.0.0.4") == 0, "conntable_unknown_source_counts_zero") ;

  add(201, "2001:db8::1", 5001) ;
  add(202, "2001:db8::8000:0:0:2", 5002) ;
  add(203, "2001:db8:0:1::1", 5003) ;
  ok(count("2001:db8::5") == 2, "conntable_v6bits_64_groups_the_64") ;
  ok(count("2001:db8:0:1::9") == 1, "conntable_next_64_is_another_source") ;
  add(104, "0.0.0.0", 4004) ;
  ok(count("0.0.0.0") == 1 && count("::1") == 0, "conntable_families_kept_apart_even_with_equal_key_bytes") ;
  ok(count("::ffff:127.0.0.2") == 0, "conntable_v4_mapped_key_is_not_the_ipv4_source") ;

  ok(conntable_remove(102, &peer, &port, 0) && port == 4002 && !peer.is6 && !memcmp(peer.ip, "\177\0\0\2", 4),
     "conntable_remove_returns_peer_and_port") ;
  ok(count("127.0.0.2") == 1 && conntable_count() == 6, "conntable_remove_lowers_the_source_count") ;
  ok(!conntable_remove(102, &peer, &port, 0) && !conntable_remove(999, &peer, &port, 0), "conntable_remove_of_unknown_pid_fails") ;
  ok(conntable_remove(201, &peer, &port, 0) && port == 5001 && count("2001:db8::5") == 1, "conntable_remove_ipv6_lowers_its_64") ;
  ok(count("127.0.0.3") == 1 && count("2001:db8:0:1::9") == 1, "conntable_remove_keeps_the_others") ;

  add(301, "10.0.0.1", 1) ; add(302, "10.0.0.2", 1) ; add(304, "10.0.0.4", 1) ;
  ok(conntable_count() == 8, "conntable_fills_to_its_size") ;
  add(305, "10.0.0.5", 1) ;
  ok(conntable_count() == 8 && count("10.0.0.5") == 0, "conntable_add_past_its_size_is_ignored") ;
  ok(conntable_remove(304, &peer, &port, 0) && count("10.0.0.4") == 0, "conntable_last_slot_removable") ;

  conntable_init(4, 24, 128) ;
  add(401, "192.0.2.1", 1) ; add(402, "192.0.2.200", 1) ; add(403, "2001:db8::1", 1) ;
  ok(count("192.0.2.99") == 2 && count("192.0.3.1") == 0, "conntable_v4bits_24_groups_the_24") ;
  ok(count("2001:db8::1") == 1 && count("2001:db8::2") == 0, "conntable_v6bits_128_separates_addresses") ;

  printf("1..%d\n", n) ;
  return !!failed ;
}
