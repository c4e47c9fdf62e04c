/* libFuzzer target: address, port and prefix parsing and formatting, as
   round trips. What a scanner accepts formats back to text that scans to
   the same value; any 16 or 4 bytes format (RFC 5952) to text that scans
   back to them; a prefix masked to its length matches its own network. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <skalibs/strerr.h>
#include <skalibs/types.h>
#include "mtd_addr.h"

static int same_ip (ip46 const *a, ip46 const *b)
{
  return !!a->is6 == !!b->is6 && !memcmp(a->ip, b->ip, a->is6 ? 16 : 4) ;
}

/* fmt then scan, host syntax and prefix syntax: both must give ip back */
static void ip_round_trip (ip46 const *ip0)
{
  ip46 ip = *ip0, back, net ;
  char s[MTD_IP_FMT + 1] ;
  unsigned int bits ;
  char const *why ;
  int ds ;
  mtd_ip_unmap(&ip) ;
  s[mtd_ip_fmt(s, &ip)] = 0 ;
  if (!mtd_host_scan(s, &back, &ds)) abort() ;
  mtd_ip_unmap(&back) ;
  if (!same_ip(&ip, &back)) abort() ;
  if (!mtd_prefix_scan(s, &net, &bits, &why)) abort() ;
  if (!same_ip(&ip, &net) || bits != (ip.is6 ? 128u : 32u)) abort() ;
}

int LLVMFuzzerTestOneInput (uint8_t const *data, size_t size)
{
  char s[256] ;
  ip46 ip ;
  unsigned int bits, u ;
  uint16_t port ;
  char const *why ;
  int ds ;
  PROG = "fuzz-addr" ;

  /* raw bytes as an address: formatting must scan back */
  if (size >= 4)
  {
    memset(&ip, 0, sizeof ip) ;
    ip.is6 = size >= 16 && (data[0] & 1) ;
    memcpy(ip.ip, data, ip.is6 ? 16 : 4) ;
    ip_round_trip(&ip) ;
    /* masking: the masked address is the network, and matches */
    {
      ip46 masked ;
      unsigned int b = size > 16 ? data[16] % (ip.is6 ? 129 : 33) : 0 ;
      mtd_ip_mask(&masked, &ip, b) ;
      if (!mtd_prefix_match(&ip, &masked, b)) abort() ;
    }
  }

  /* the input as text */
  if (size >= sizeof s) return 0 ;
  memcpy(s, data, size) ; s[size] = 0 ;
  if (mtd_host_scan(s, &ip, &ds)) ip_round_trip(&ip) ;
  if (mtd_prefix_scan(s, &ip, &bits, &why))
  {
    char t[MTD_IP_FMT + 1 + UINT_FMT + 1] ;
    ip46 net ;
    unsigned int bits2 ;
    size_t n = mtd_ip_fmt(t, &ip) ;
    t[n++] = '/' ;
    t[n + uint_fmt(t + n, bits)] = 0 ;
    if (!mtd_prefix_scan(t, &net, &bits2, &why)) abort() ;
    if (!same_ip(&ip, &net) || bits != bits2) abort() ;
    if (!mtd_prefix_match(&ip, &net, bits)) abort() ;
  }
  else if (!why) abort() ;
  /* numbers only: a port name would be an /etc/services lookup per input */
  if (s[0] >= '0' && s[0] <= '9' && mtd_port_scan(s, &port))
  {
    char t[UINT_FMT] ;
    uint16_t back ;
    t[uint_fmt(t, port)] = 0 ;
    if (!mtd_port_scan(t, &back) || back != port) abort() ;
  }
  if (mtd_uint_scan(s, 65535 * 65535U, &u))
  {
    char t[UINT_FMT] ;
    unsigned int back ;
    t[uint_fmt(t, u)] = 0 ;
    if (!mtd_uint_scan(t, 65535 * 65535U, &back) || back != u) abort() ;
  }
  return 0 ;
}
