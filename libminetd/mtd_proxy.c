/* The PROXY protocol header parser (v1 text, v2 binary), pure: it only
   looks at the bytes it is given, and says how far a reader may consume
   them without taking any of the client's. */
#include <string.h>
#include <arpa/inet.h>
#include "mtd_addr.h"
#include "mtd_proxy.h"

static char const v1_sig[6] = "PROXY " ;
static char const v2_sig[12] = "\r\n\r\n\0\r\nQUIT\n" ;

unsigned int mtd_proxy_versions_scan (char const *s)
{
  if (!strcmp(s, "v1")) return MTD_PROXY_V1 ;
  if (!strcmp(s, "v2")) return MTD_PROXY_V2 ;
  if (!strcmp(s, "any")) return MTD_PROXY_ANY ;
  return 0 ;
}

static int fail (int r, char const **why, char const *reason)
{
  *why = reason ;
  return r ;
}

/* A decimal port as the specification writes them: no sign, no leading
   zero, 0 to 65535. */
static int port_scan (char const *s, size_t n, uint16_t *port)
{
  unsigned int u = 0 ;
  if (!n || n > 5 || (n > 1 && s[0] == '0')) return 0 ;
  for (size_t i = 0 ; i < n ; i++)
  {
    if (s[i] < '0' || s[i] > '9') return 0 ;
    u = u * 10 + (unsigned int)(s[i] - '0') ;
  }
  if (u > 65535) return 0 ;
  *port = (uint16_t)u ;
  return 1 ;
}

static int ip_scan (char const *s, size_t n, int is6, ip46 *ip)
{
  char tmp[46] ;
  if (!n || n >= sizeof tmp) return 0 ;
  memcpy(tmp, s, n) ; tmp[n] = 0 ;
  memset(ip, 0, sizeof *ip) ;
  if (inet_pton(is6 ? AF_INET6 : AF_INET, tmp, ip->ip) != 1) return 0 ;
  ip->is6 = !!is6 ;
  mtd_ip_unmap(ip) ;
  return 1 ;
}

/* "PROXY TCP4 SRC DST SPORT DPORT", n bytes, CRLF removed. */
static int v1_line (char const *s, size_t n, mtd_proxy *p)
{
  char const *end = s + n ;
  char const *field[4] ;
  size_t flen[4] ;
  int is6 ;
  s += sizeof v1_sig ;
  if ((size_t)(end - s) >= 7 && !memcmp(s, "UNKNOWN", 7) && (end - s == 7 || s[7] == ' '))
  {
    /* whatever follows is to be ignored: the connection's own addresses */
    p->has_addresses = 0 ;
    return 1 ;
  }
  if (end - s < 5 || memcmp(s, "TCP", 3) || (s[3] != '4' && s[3] != '6') || s[4] != ' ') return 0 ;
  is6 = s[3] == '6' ;
  s += 5 ;
  for (unsigned int i = 0 ; i < 4 ; i++)
  {
    char const *sp = memchr(s, ' ', (size_t)(end - s)) ;
    char const *e = i < 3 ? sp : end ;
    if (!e || (i == 3 && sp)) return 0 ;
    field[i] = s ; flen[i] = (size_t)(e - s) ;
    s = e + (i < 3) ;
  }
  if (!ip_scan(field[0], flen[0], is6, &p->source) || !ip_scan(field[1], flen[1], is6, &p->dest)
   || !port_scan(field[2], flen[2], &p->sourceport) || !port_scan(field[3], flen[3], &p->destport)) return 0 ;
  p->has_addresses = 1 ;
  return 1 ;
}

static int v1_parse (char const *buf, size_t len, mtd_proxy *p, char const **why)
{
  size_t n = len < MTD_PROXY_V1_MAX ? len : MTD_PROXY_V1_MAX ;
  char const *lf ;
  if (memcmp(buf, v1_sig, len < sizeof v1_sig ? len : sizeof v1_sig)) return fail(MTD_PROXY_INVALID, why, "not a PROXY header") ;
  lf = memchr(buf, '\n', n) ;
  if (!lf)
  {
    char const *cr = memchr(buf, '\r', n) ;
    if (cr && cr != buf + len - 1) return fail(MTD_PROXY_INVALID, why, "v1 header: CR not followed by LF") ;
    if (len >= MTD_PROXY_V1_MAX) return fail(MTD_PROXY_TOOLONG, why, "v1 header: no CRLF in 107 bytes") ;
    return MTD_PROXY_INCOMPLETE ;
  }
  n = (size_t)(lf - buf) ;
  if (n < sizeof v1_sig + 1 || buf[n-1] != '\r') return fail(MTD_PROXY_INVALID, why, "v1 header: LF without CR") ;
  if (memchr(buf, '\r', n - 1)) return fail(MTD_PROXY_INVALID, why, "v1 header: CR not followed by LF") ;
  memset(p, 0, sizeof *p) ;
  p->version = 1 ;
  if (!v1_line(buf, n - 1, p)) return fail(MTD_PROXY_INVALID, why, "v1 header: bad protocol, address or port") ;
  return (int)n + 1 ;
}

static unsigned int be16 (unsigned char const *s) { return (unsigned int)s[0] << 8 | s[1] ; }

/* The TLVs after the addresses: each must fit, none is used. */
static int tlvs_fit (unsigned char const *s, size_t n)
{
  while (n)
  {
    size_t l ;
    if (n < 3) return 0 ;
    l = be16(s + 1) ;
    if (l > n - 3) return 0 ;
    s += 3 + l ; n -= 3 + l ;
  }
  return 1 ;
}

static int v2_parse (char const *buf, size_t len, mtd_proxy *p, char const **why)
{
  unsigned char const *u = (unsigned char const *)buf ;
  size_t blen, total, need ;
  if (memcmp(buf, v2_sig, len < sizeof v2_sig ? len : sizeof v2_sig)) return fail(MTD_PROXY_INVALID, why, "not a PROXY header") ;
  if (len > 12)
  {
    if (u[12] >> 4 != 2) return fail(MTD_PROXY_INVALID, why, "v2 header: version is not 2") ;
    if ((u[12] & 15) > 1) return fail(MTD_PROXY_INVALID, why, "v2 header: unknown command") ;
  }
  if (len > 13)
    switch (u[13])
    {
      case 0x00 : case 0x11 : case 0x12 : case 0x21 : case 0x22 : case 0x31 : case 0x32 : break ;
      default : return fail(MTD_PROXY_INVALID, why, "v2 header: unknown family or transport") ;
    }
  if (len < 16) return MTD_PROXY_INCOMPLETE ;
  blen = be16(u + 14) ;
  if (blen > MTD_PROXY_V2_LEN_MAX) return fail(MTD_PROXY_TOOLONG, why, "v2 header: longer than 16 + 1024 bytes") ;
  total = 16 + blen ;
  if (len < total) return MTD_PROXY_INCOMPLETE ;
  memset(p, 0, sizeof *p) ;
  p->version = 2 ;
  /* LOCAL: the block, family included, is to be ignored */
  if (!(u[12] & 15)) { p->local = 1 ; return (int)total ; }
  u += 16 ;
  switch (buf[13])
  {
    case 0x11 : need = 12 ; break ;
    case 0x21 : need = 36 ; break ;
    case 0x31 : case 0x32 : need = 216 ; break ;
    case 0x12 : case 0x22 : return fail(MTD_PROXY_INVALID, why, "v2 header: a UDP client on a TCP connection") ;
    default : need = 0 ; break ;
  }
  if (blen < need) return fail(MTD_PROXY_INVALID, why, "v2 header: address block too short for its family") ;
  if (!tlvs_fit(u + need, blen - need)) return fail(MTD_PROXY_INVALID, why, "v2 header: a TLV runs past the header's end") ;
  if (buf[13] == 0x11 || buf[13] == 0x21)
  {
    size_t a = buf[13] == 0x11 ? 4 : 16 ;
    p->source.is6 = p->dest.is6 = a == 16 ;
    memcpy(p->source.ip, u, a) ;
    memcpy(p->dest.ip, u + a, a) ;
    p->sourceport = (uint16_t)be16(u + 2 * a) ;
    p->destport = (uint16_t)be16(u + 2 * a + 2) ;
    mtd_ip_unmap(&p->source) ;
    mtd_ip_unmap(&p->dest) ;
    p->has_addresses = 1 ;
  }
  return (int)total ;
}

int mtd_proxy_parse (char const *buf, size_t len, unsigned int versions, mtd_proxy *p, char const **why)
{
  if (!len) return MTD_PROXY_INCOMPLETE ;
  if (buf[0] == 'P' && versions & MTD_PROXY_V1) return v1_parse(buf, len, p, why) ;
  if (buf[0] == '\r' && versions & MTD_PROXY_V2) return v2_parse(buf, len, p, why) ;
  return fail(MTD_PROXY_INVALID, why, versions == MTD_PROXY_V1 ? "not a PROXY v1 header" : versions == MTD_PROXY_V2 ? "not a PROXY v2 header" : "not a PROXY header") ;
}
