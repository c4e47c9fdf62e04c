/* Unit tests for mtd_proxy: PROXY v1 and v2 headers, complete, partial,
   invalid and too long, and how much of the input is the header's. */
#include <stdio.h>
#include <string.h>
#include "mtd_addr.h"
#include "mtd_proxy.h"

static int n, failed ;
static void ok (int cond, char const *name)
{
  printf("%sok %d - %s\n", cond ? "" : "not ", ++n, name) ;
  if (!cond) failed++ ;
}

static int parse (char const *s, size_t len, unsigned int v, mtd_proxy *p)
{
  char const *why = 0 ;
  int r = mtd_proxy_parse(s, len, v, p, &why) ;
  if (r < 0 && !why) return -100 ;
  return r ;
}

static int addr_is (ip46 const *ip, char const *want)
{
  char s[MTD_IP_FMT + 1] ;
  s[mtd_ip_fmt(s, ip)] = 0 ;
  if (strcmp(s, want)) { printf("# got %s want %s\n", s, want) ; return 0 ; }
  return 1 ;
}

/* every proper prefix of a valid header is INCOMPLETE: a reader may
   consume it all */
static int prefixes_incomplete (char const *s, size_t len, unsigned int v)
{
  mtd_proxy p ;
  for (size_t i = 0 ; i < len ; i++)
    if (parse(s, i, v, &p) != MTD_PROXY_INCOMPLETE) { printf("# prefix %zu\n", i) ; return 0 ; }
  return 1 ;
}

static size_t v2 (char *b, unsigned char cmd, unsigned char fam, unsigned char const *block, size_t blen)
{
  memcpy(b, "\r\n\r\n\0\r\nQUIT\n", 12) ;
  b[12] = (char)cmd ; b[13] = (char)fam ;
  b[14] = (char)(blen >> 8) ; b[15] = (char)(blen & 255) ;
  memcpy(b + 16, block, blen) ;
  return 16 + blen ;
}

int main (void)
{
  mtd_proxy p ;
  char b[2048] ;
  static char const v1a[] = "PROXY TCP4 192.0.2.7 198.51.100.1 40000 7000\r\nhello" ;
  static char const v1b[] = "PROXY TCP6 2001:db8::7 ::ffff:198.51.100.1 1 65535\r\n" ;
  static char const unk[] = "PROXY UNKNOWN ffff::1 ffff::2 1 2\r\n" ;
  unsigned char block4[12] = { 192, 0, 2, 9, 198, 51, 100, 2, 0x9c, 0x40, 0x1b, 0x58 } ;
  unsigned char block6[36 + 7] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 9, [16] = 0, [26] = 0xff, [27] = 0xff, [28] = 10, [29] = 0, [30] = 0, [31] = 1, [32] = 0, [33] = 80, [34] = 0, [35] = 81,
    /* a TLV: NOOP, 4 bytes */ [36] = 4, [37] = 0, [38] = 4 } ;
  size_t len ;

  ok(parse(v1a, sizeof v1a - 1, MTD_PROXY_V1, &p) == 46 && p.version == 1 && p.has_addresses && !p.local
     && addr_is(&p.source, "192.0.2.7") && addr_is(&p.dest, "198.51.100.1") && p.sourceport == 40000 && p.destport == 7000,
     "proxy_v1_tcp4_parsed_and_client_bytes_left") ;
  ok(prefixes_incomplete(v1a, 46, MTD_PROXY_ANY), "proxy_v1_every_prefix_incomplete") ;
  ok(parse(v1b, sizeof v1b - 1, MTD_PROXY_ANY, &p) == (int)sizeof v1b - 1 && p.source.is6 && !p.dest.is6
     && addr_is(&p.source, "2001:db8::7") && addr_is(&p.dest, "198.51.100.1") && p.sourceport == 1 && p.destport == 65535,
     "proxy_v1_tcp6_parsed_mapped_dest_unmapped") ;
  ok(parse(unk, sizeof unk - 1, MTD_PROXY_V1, &p) == (int)sizeof unk - 1 && !p.has_addresses && !p.local, "proxy_v1_unknown_uses_connection_addresses") ;
  ok(parse("PROXY UNKNOWN\r\n", 15, MTD_PROXY_V1, &p) == 15 && !p.has_addresses, "proxy_v1_bare_unknown") ;
  ok(parse(v1a, sizeof v1a - 1, MTD_PROXY_V2, &p) == MTD_PROXY_INVALID, "proxy_v1_refused_when_only_v2") ;
  ok(parse("PROXY TCP4 1.2.3.4 5.6.7.8 01 2\r\n", 33, MTD_PROXY_V1, &p) == MTD_PROXY_INVALID
     && parse("PROXY TCP4 1.2.3.4 5.6.7.8 1 65536\r\n", 36, MTD_PROXY_V1, &p) == MTD_PROXY_INVALID
     && parse("PROXY TCP4 1.2.3.4  5.6.7.8 1 2\r\n", 33, MTD_PROXY_V1, &p) == MTD_PROXY_INVALID
     && parse("PROXY TCP4 1.2.3.4 5.6.7.8 1 2 \r\n", 33, MTD_PROXY_V1, &p) == MTD_PROXY_INVALID
     && parse("PROXY TCP4 ::1 5.6.7.8 1 2\r\n", 28, MTD_PROXY_V1, &p) == MTD_PROXY_INVALID
     && parse("PROXY TCP6 1.2.3.4 ::1 1 2\r\n", 28, MTD_PROXY_V1, &p) == MTD_PROXY_INVALID
     && parse("PROXY TCP5 1.2.3.4 5.6.7.8 1 2\r\n", 32, MTD_PROXY_V1, &p) == MTD_PROXY_INVALID
     && parse("PROXY TCP4 1.2.3.4 5.6.7.8 1\r\n", 30, MTD_PROXY_V1, &p) == MTD_PROXY_INVALID,
     "proxy_v1_bad_ports_addresses_spaces_refused") ;
  ok(parse("PROXY TCP4 1.2.3.4 5.6.7.8 1 2\n", 31, MTD_PROXY_V1, &p) == MTD_PROXY_INVALID
     && parse("PROXY TCP4 1.2\r3.4 5.6.7.8 1 2\r\n", 32, MTD_PROXY_V1, &p) == MTD_PROXY_INVALID
     && parse("PROXY TCP4 1.2\r3", 16, MTD_PROXY_V1, &p) == MTD_PROXY_INVALID,
     "proxy_v1_bare_lf_and_lone_cr_refused") ;
  ok(parse("GET / HTTP/1.0\r\n", 16, MTD_PROXY_ANY, &p) == MTD_PROXY_INVALID && parse("PROXX", 5, MTD_PROXY_ANY, &p) == MTD_PROXY_INVALID
     && parse("x", 1, MTD_PROXY_ANY, &p) == MTD_PROXY_INVALID, "proxy_garbage_refused_at_first_wrong_byte") ;
  memcpy(b, "PROXY UNKNOWN ", 14) ; memset(b + 14, 'a', 200) ;
  ok(parse(b, 106, MTD_PROXY_V1, &p) == MTD_PROXY_INCOMPLETE && parse(b, 107, MTD_PROXY_V1, &p) == MTD_PROXY_TOOLONG
     && parse(b, 200, MTD_PROXY_V1, &p) == MTD_PROXY_TOOLONG, "proxy_v1_no_crlf_in_107_bytes_too_long") ;
  b[105] = '\r' ; b[106] = '\n' ;
  ok(parse(b, 200, MTD_PROXY_V1, &p) == 107, "proxy_v1_of_107_bytes_accepted") ;

  len = v2(b, 0x21, 0x11, block4, 12) ;
  memcpy(b + len, "client", 6) ;
  ok(parse(b, len + 6, MTD_PROXY_V2, &p) == 28 && p.version == 2 && p.has_addresses && !p.local
     && addr_is(&p.source, "192.0.2.9") && addr_is(&p.dest, "198.51.100.2") && p.sourceport == 40000 && p.destport == 7000,
     "proxy_v2_inet_parsed_and_client_bytes_left") ;
  ok(prefixes_incomplete(b, len, MTD_PROXY_ANY), "proxy_v2_every_prefix_incomplete") ;
  ok(parse(b, len, MTD_PROXY_V1, &p) == MTD_PROXY_INVALID, "proxy_v2_refused_when_only_v1") ;
  len = v2(b, 0x21, 0x21, block6, sizeof block6) ;
  ok(parse(b, len, MTD_PROXY_ANY, &p) == (int)len && p.source.is6 && !p.dest.is6 && addr_is(&p.source, "2001:db8::9")
     && addr_is(&p.dest, "10.0.0.1") && p.sourceport == 80 && p.destport == 81, "proxy_v2_inet6_with_tlv_parsed_mapped_dest_unmapped") ;
  block6[38] = 5 ;
  ok(parse(b, v2(b, 0x21, 0x21, block6, sizeof block6), MTD_PROXY_ANY, &p) == MTD_PROXY_INVALID, "proxy_v2_tlv_past_the_end_refused") ;
  block6[38] = 4 ;
  ok(parse(b, v2(b, 0x21, 0x21, block6, 37), MTD_PROXY_ANY, &p) == MTD_PROXY_INVALID, "proxy_v2_truncated_tlv_refused") ;
  len = v2(b, 0x20, 0x11, block4, 12) ;
  ok(parse(b, len, MTD_PROXY_V2, &p) == 28 && p.local && !p.has_addresses, "proxy_v2_local_uses_connection_addresses") ;
  len = v2(b, 0x20, 0x00, block4, 0) ;
  ok(parse(b, len, MTD_PROXY_V2, &p) == 16 && p.local, "proxy_v2_local_empty_block") ;
  len = v2(b, 0x21, 0x00, block4, 0) ;
  ok(parse(b, len, MTD_PROXY_V2, &p) == 16 && !p.local && !p.has_addresses, "proxy_v2_unspec_uses_connection_addresses") ;
  ok(parse(b, v2(b, 0x21, 0x11, block4, 11), MTD_PROXY_V2, &p) == MTD_PROXY_INVALID
     && parse(b, v2(b, 0x21, 0x21, block6, 35), MTD_PROXY_V2, &p) == MTD_PROXY_INVALID
     && parse(b, v2(b, 0x21, 0x31, block6, 36), MTD_PROXY_V2, &p) == MTD_PROXY_INVALID,
     "proxy_v2_short_address_block_refused") ;
  ok(parse(b, v2(b, 0x21, 0x12, block4, 12), MTD_PROXY_V2, &p) == MTD_PROXY_INVALID, "proxy_v2_udp_client_refused") ;
  ok(parse(b, v2(b, 0x11, 0x11, block4, 12), MTD_PROXY_V2, &p) == MTD_PROXY_INVALID
     && parse(b, v2(b, 0x22, 0x11, block4, 12), MTD_PROXY_V2, &p) == MTD_PROXY_INVALID
     && parse(b, v2(b, 0x21, 0x13, block4, 12), MTD_PROXY_V2, &p) == MTD_PROXY_INVALID
     && parse(b, 14, MTD_PROXY_V2, &p) == MTD_PROXY_INVALID,
     "proxy_v2_bad_version_command_family_refused_early") ;
  v2(b, 0x21, 0x11, block4, 0) ; b[14] = 4 ; b[15] = 1 ;
  ok(parse(b, 16, MTD_PROXY_V2, &p) == MTD_PROXY_TOOLONG, "proxy_v2_length_over_1024_too_long") ;
  b[14] = 4 ; b[15] = 0 ;
  ok(parse(b, 16, MTD_PROXY_V2, &p) == MTD_PROXY_INCOMPLETE, "proxy_v2_length_1024_waited_for") ;
  ok(mtd_proxy_versions_scan("v1") == MTD_PROXY_V1 && mtd_proxy_versions_scan("v2") == MTD_PROXY_V2
     && mtd_proxy_versions_scan("any") == MTD_PROXY_ANY && !mtd_proxy_versions_scan("v3") && !mtd_proxy_versions_scan(""),
     "proxy_versions_scanned") ;
  printf("1..%d\n", n) ;
  return !!failed ;
}
