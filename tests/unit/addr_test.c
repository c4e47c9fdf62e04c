/* Unit tests for mtd_addr: host and port parsing, RFC 5952 output, prefixes. */
#include <stdio.h>
#include <string.h>
#include "mtd_addr.h"

static int n, failed ;
static void ok (int cond, char const *name)
{
  printf("%sok %d - %s\n", cond ? "" : "not ", ++n, name) ;
  if (!cond) failed++ ;
}

static int fmt_is (char const *in, char const *want)
{
  ip46 ip ; int dual ; char out[MTD_IP_FMT + 1] ;
  if (!mtd_host_scan(in, &ip, &dual)) return 0 ;
  out[mtd_ip_fmt(out, &ip)] = 0 ;
  if (strcmp(out, want)) { printf("# %s -> %s, want %s\n", in, out, want) ; return 0 ; }
  return 1 ;
}

static int host_ok (char const *s) { ip46 ip ; int dual ; return mtd_host_scan(s, &ip, &dual) ; }

int main (void)
{
  ip46 ip, net ; int dual ; unsigned int bits ; uint16_t port ; char const *why ;
  ok(fmt_is("2001:DB8:0:0:0:0:0:1", "2001:db8::1"), "addr_rfc5952_lowercase_and_compressed") ;
  ok(fmt_is("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"), "addr_rfc5952_first_of_equal_runs") ;
  ok(fmt_is("2001:0:0:1:0:0:0:1", "2001:0:0:1::1"), "addr_rfc5952_longest_run") ;
  ok(fmt_is("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"), "addr_rfc5952_single_zero_group_not_compressed") ;
  ok(fmt_is("::", "::") && fmt_is("::1", "::1") && fmt_is("1::", "1::"), "addr_rfc5952_edges") ;
  ok(fmt_is("::ffff:192.0.2.1", "192.0.2.1"), "addr_v4_mapped_shown_as_ipv4") ;
  ok(fmt_is("[2001:db8::5]", "2001:db8::5"), "addr_bracketed_ipv6") ;
  ok(!host_ok("300.1.1.1") && !host_ok("1.2.3") && !host_ok("1.2.3.4.5") && !host_ok("1.2.3.4xyz") && !host_ok("1234.1.1.1"), "addr_ipv4_whole_string_and_octets_checked") ;
  ok(!host_ok("") && !host_ok("[::1") && !host_ok("[]") && !host_ok("::1]") && !host_ok("example.com"), "addr_bad_hosts_rejected") ;
  ok(mtd_host_scan("*", &ip, &dual) && dual && ip.is6, "addr_star_is_dual_stack_ipv6_any") ;
  ok(mtd_host_scan("0", &ip, &dual) && !dual && !ip.is6 && !memcmp(ip.ip, "\0\0\0\0", 4), "addr_zero_is_ipv4_any") ;
  ok(mtd_host_scan("localhost", &ip, &dual) && !ip.is6 && !memcmp(ip.ip, "\177\0\0\1", 4), "addr_localhost_is_127_0_0_1") ;
  ok(mtd_port_scan("0", &port) && port == 0 && mtd_port_scan("65535", &port) && port == 65535, "addr_port_numbers") ;
  ok(!mtd_port_scan("65536", &port) && !mtd_port_scan("-1", &port) && !mtd_port_scan("80x", &port) && !mtd_port_scan("", &port), "addr_bad_ports_rejected") ;
  ok(mtd_port_scan("smtp", &port) && port == 25, "addr_port_name_from_services") ;
  ok(mtd_prefix_scan("192.0.2.32/27", &net, &bits, &why) && bits == 27, "addr_prefix_27") ;
  mtd_host_scan("192.0.2.63", &ip, &dual) ;
  ok(mtd_prefix_match(&ip, &net, 27), "addr_prefix_match_inside_27") ;
  mtd_host_scan("192.0.2.64", &ip, &dual) ;
  ok(!mtd_prefix_match(&ip, &net, 27), "addr_prefix_match_outside_27") ;
  ok(!mtd_prefix_scan("192.0.2.33/27", &net, &bits, &why) && strstr(why, "bits set"), "addr_prefix_host_bits_rejected") ;
  ok(!mtd_prefix_scan("10.0.0.0/33", &net, &bits, &why) && !mtd_prefix_scan("::/129", &net, &bits, &why), "addr_prefix_too_long_rejected") ;
  ok(mtd_prefix_scan("::ffff:10.0.0.0/8", &net, &bits, &why) && !net.is6 && bits == 8, "addr_v4_mapped_prefix_length_is_ipv4_length") ;
  ok(mtd_prefix_scan("::ffff:10.0.0.1", &net, &bits, &why) && !net.is6 && bits == 32, "addr_v4_mapped_dotted_prefix_is_ipv4") ;
  ok(mtd_prefix_scan("2001:db8::/127", &net, &bits, &why) && bits == 127, "addr_prefix_127") ;
  mtd_host_scan("2001:db8::1", &ip, &dual) ;
  ok(mtd_prefix_match(&ip, &net, 127), "addr_prefix_match_inside_127") ;
  mtd_host_scan("2001:db8::2", &ip, &dual) ;
  ok(!mtd_prefix_match(&ip, &net, 127), "addr_prefix_match_outside_127") ;
  mtd_prefix_scan("0.0.0.0/0", &net, &bits, &why) ;
  ok(!mtd_prefix_match(&ip, &net, 0), "addr_ipv4_prefix_never_matches_ipv6") ;
  mtd_host_scan("2001:db8:1:2:3:4:5:6", &ip, &dual) ;
  mtd_ip_mask(&net, &ip, 64) ;
  ok(fmt_is("2001:db8:1:2::", "2001:db8:1:2::") && !memcmp(net.ip + 8, "\0\0\0\0\0\0\0\0", 8) && !memcmp(net.ip, ip.ip, 8), "addr_mask_64") ;
  printf("1..%d\n", n) ;
  return !!failed ;
}
