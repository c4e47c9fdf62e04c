/* Addresses: host and port parsing, RFC 5952 formatting, prefixes. */
#include <string.h>
#include <netdb.h>
#include <netinet/in.h>
#include <skalibs/types.h>
#include <skalibs/fmtscan.h>
#include <skalibs/strerr.h>
#include "mtd_addr.h"

static unsigned char const v4mapped_prefix[12] = { 0,0,0,0, 0,0,0,0, 0,0,0xff,0xff } ;

int mtd_uint_scan (char const *s, unsigned int max, unsigned int *u)
{
  size_t n = 0 ;
  unsigned long long v = 0 ;
  for (; s[n] ; n++)
  {
    if (s[n] < '0' || s[n] > '9') return 0 ;
    v = v * 10 + (s[n] - '0') ;
    if (v > max) return 0 ;
  }
  if (!n) return 0 ;
  *u = (unsigned int)v ;
  return 1 ;
}

unsigned int mtd_uint_option (char const *s, unsigned int min, unsigned int max, char const *what)
{
  unsigned int u ;
  if (!mtd_uint_scan(s, max, &u) || u < min)
  {
    char fmin[UINT_FMT], fmax[UINT_FMT] ;
    fmin[uint_fmt(fmin, min)] = 0 ;
    fmax[uint_fmt(fmax, max)] = 0 ;
    strerr_dief(100, "invalid ", what, " \"", s, "\": expected an integer from ", fmin, " to ", fmax) ;
  }
  return u ;
}

/* Dotted quad, whole string: skalibs' ip4_scan lets octets wrap past 255. */
static int ip4_strict_scan (char const *s, char *ip)
{
  for (int i = 0 ; i < 4 ; i++)
  {
    unsigned int v = 0, digits = 0 ;
    for (; *s >= '0' && *s <= '9' ; s++)
    {
      v = v * 10 + (*s - '0') ;
      if (++digits > 3 || v > 255) return 0 ;
    }
    if (!digits || *s != (i < 3 ? '.' : 0)) return 0 ;
    ip[i] = (char)v ;
    if (i < 3) s++ ;
  }
  return 1 ;
}

/* IPv6 text, whole string, also with an embedded dotted quad at the end
   ("::ffff:192.0.2.1"), which skalibs' ip6_scan does not read. */
static int ip6_whole_scan (char const *s, char *ip)
{
  size_t len = strlen(s) ;
  char const *colon = strrchr(s, ':') ;
  if (!len) return 0 ;
  if (ip6_scan(s, ip) == len) return 1 ;
  if (colon && strchr(colon, '.') && (size_t)(colon - s) + 4 <= IP6_FMT)
  {
    char head[IP6_FMT + 4] ;
    size_t hlen = colon - s + 1 ;
    memcpy(head, s, hlen) ;
    memcpy(head + hlen, "0:0", 4) ;
    return ip6_scan(head, ip) == hlen + 3 && ip4_strict_scan(colon + 1, ip + 12) ;
  }
  return 0 ;
}

/* Parses a literal, bracketed or not, of the whole string s. */
static int ip_literal_scan (char const *s, ip46 *ip)
{
  size_t len = strlen(s) ;
  if (len >= 2 && s[0] == '[' && s[len-1] == ']')
  {
    char tmp[IP6_FMT + 2] ;
    if (len - 2 >= sizeof tmp) return 0 ;
    memcpy(tmp, s + 1, len - 2) ; tmp[len-2] = 0 ;
    if (!ip6_whole_scan(tmp, ip->ip)) return 0 ;
    ip->is6 = 1 ;
    return 1 ;
  }
  if (ip4_strict_scan(s, ip->ip)) { memset(ip->ip + 4, 0, 12) ; ip->is6 = 0 ; return 1 ; }
  if (ip6_whole_scan(s, ip->ip)) { ip->is6 = 1 ; return 1 ; }
  return 0 ;
}

int mtd_host_scan (char const *s, ip46 *ip, int *dualstack)
{
  *dualstack = 0 ;
  if (!strcmp(s, "*"))
  {
    ip46_from_ip6(ip, IP6_ANY) ;
    *dualstack = 1 ;
    return 1 ;
  }
  if (!strcmp(s, "0")) { ip46_from_ip4(ip, IP4_ANY) ; return 1 ; }
  if (!strcmp(s, "localhost")) { ip46_from_ip4(ip, IP4_LOCAL) ; return 1 ; }
  return ip_literal_scan(s, ip) ;
}

int mtd_port_scan (char const *s, uint16_t *port)
{
  unsigned int u ;
  struct servent *se ;
  if (mtd_uint_scan(s, 65535, &u)) { *port = u ; return 1 ; }
  if (!*s || (s[0] >= '0' && s[0] <= '9')) return 0 ;
  se = getservbyname(s, "tcp") ;
  endservent() ;
  if (!se) return 0 ;
  *port = ntohs((uint16_t)se->s_port) ;
  return 1 ;
}

void mtd_ip_unmap (ip46 *ip)
{
  if (ip->is6 && !memcmp(ip->ip, v4mapped_prefix, 12))
  {
    memmove(ip->ip, ip->ip + 12, 4) ;
    memset(ip->ip + 4, 0, 12) ;
    ip->is6 = 0 ;
  }
}

size_t mtd_ip_fmt (char *s, ip46 const *ip)
{
  if (ip->is6)
  {
    if (!memcmp(ip->ip, v4mapped_prefix, 12)) return ip4_fmt(s, ip->ip + 12) ;
    return ip6_fmt(s, ip->ip) ;  /* skalibs writes the RFC 5952 form */
  }
  return ip4_fmt(s, ip->ip) ;
}

void mtd_ip_port_fmt (char *s, ip46 const *ip, uint16_t port)
{
  size_t n = 0 ;
  if (ip->is6) s[n++] = '[' ;
  n += mtd_ip_fmt(s + n, ip) ;
  if (ip->is6) s[n++] = ']' ;
  s[n++] = ':' ;
  n += uint16_fmt(s + n, port) ;
  s[n] = 0 ;
}

int mtd_sockaddr_to_ip46 (struct sockaddr const *sa, ip46 *ip, uint16_t *port)
{
  if (sa->sa_family == AF_INET)
  {
    struct sockaddr_in const *in = (struct sockaddr_in const *)sa ;
    ip46_from_ip4(ip, (char const *)&in->sin_addr.s_addr) ;
    *port = ntohs(in->sin_port) ;
    return 1 ;
  }
  if (sa->sa_family == AF_INET6)
  {
    struct sockaddr_in6 const *in6 = (struct sockaddr_in6 const *)sa ;
    ip46_from_ip6(ip, (char const *)in6->sin6_addr.s6_addr) ;
    *port = ntohs(in6->sin6_port) ;
    mtd_ip_unmap(ip) ;
    return 1 ;
  }
  return 0 ;
}

void mtd_ip_mask (ip46 *out, ip46 const *ip, unsigned int bits)
{
  unsigned int len = ip->is6 ? 16 : 4 ;
  *out = *ip ;
  for (unsigned int i = 0 ; i < 16 ; i++)
  {
    if (i >= len || bits <= 8 * i) out->ip[i] = 0 ;
    else if (bits < 8 * (i + 1))
      out->ip[i] &= (char)(0xff << (8 * (i + 1) - bits)) ;
  }
}

int mtd_prefix_match (ip46 const *ip, ip46 const *net, unsigned int bits)
{
  ip46 masked ;
  if (ip->is6 != net->is6) return 0 ;
  mtd_ip_mask(&masked, ip, bits) ;
  return !memcmp(masked.ip, net->ip, ip->is6 ? 16 : 4) ;
}

int mtd_prefix_scan (char const *s, ip46 *net, unsigned int *bits, char const **why)
{
  char addr[IP6_FMT + 4] ;
  char const *slash = strchr(s, '/') ;
  size_t alen = slash ? (size_t)(slash - s) : strlen(s) ;
  ip46 masked ;
  if (alen >= sizeof addr) { *why = "address too long" ; return 0 ; }
  memcpy(addr, s, alen) ; addr[alen] = 0 ;
  if (!ip_literal_scan(addr, net)) { *why = "invalid IP address" ; return 0 ; }
  mtd_ip_unmap(net) ;
  *bits = net->is6 ? 128 : 32 ;
  if (slash && !mtd_uint_scan(slash + 1, *bits, bits))
  {
    *why = net->is6 ? "invalid prefix length (0 to 128)" : "invalid prefix length (0 to 32)" ;
    return 0 ;
  }
  mtd_ip_mask(&masked, net, *bits) ;
  if (memcmp(masked.ip, net->ip, 16)) { *why = "address has bits set past the prefix length" ; return 0 ; }
  return 1 ;
}
