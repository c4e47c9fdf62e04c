/* The PROXY protocol header (HAProxy's specification, v1 text and v2
   binary) a load balancer puts before a client's bytes: the parser, pure,
   on bytes already read; minetd-tcp holds the pending connections. */
#ifndef MTD_PROXY_H
#define MTD_PROXY_H

#include <stddef.h>
#include <stdint.h>
#include <skalibs/ip46.h>

/* which headers a service accepts */
#define MTD_PROXY_V1 1
#define MTD_PROXY_V2 2
#define MTD_PROXY_ANY (MTD_PROXY_V1 | MTD_PROXY_V2)

/* v1: the specification's bound, "PROXY" to CRLF included. v2: 16 bytes
   and the length they announce, which may be up to 65535 by the
   specification; we take at most MTD_PROXY_V2_LEN_MAX: the largest
   address block (AF_UNIX, 216 bytes) and room for TLVs, which are
   skipped. A longer one is refused as too long. */
#define MTD_PROXY_V1_MAX 107
#define MTD_PROXY_V2_LEN_MAX 1024
#define MTD_PROXY_MAX (16 + MTD_PROXY_V2_LEN_MAX)

/* mtd_proxy_parse's results other than a length */
#define MTD_PROXY_INCOMPLETE 0
#define MTD_PROXY_INVALID (-1)
#define MTD_PROXY_TOOLONG (-2)

typedef struct mtd_proxy_s mtd_proxy ;
struct mtd_proxy_s
{
  unsigned int version ;   /* 1 or 2 */
  /* 1: the header gave addresses (v1 TCP4/TCP6, v2 PROXY over TCP/IPv4
     or IPv6), in source/dest, unmapped. 0: the specification says to use
     the connection's own addresses (v1 UNKNOWN, v2 LOCAL, v2 PROXY with
     an unspecified or AF_UNIX family). */
  int has_addresses ;
  int local ;              /* v2 LOCAL: the balancer's own connection (health checks) */
  ip46 source ;            /* the client */
  uint16_t sourceport ;
  ip46 dest ;              /* the address the client connected to */
  uint16_t destport ;
} ;

/* Parses the first len bytes of a connection, versions being those
   accepted (MTD_PROXY_V1, _V2 or _ANY). Returns:
   - the header's length (> 0, at most len): a complete valid header,
     *p filled; what follows it is the client's;
   - MTD_PROXY_INCOMPLETE: the len bytes are all the start of a valid
     header, none of them is past its end (so a reader may consume them);
   - MTD_PROXY_INVALID or MTD_PROXY_TOOLONG, with *why set.
   Never reads past buf[len - 1]. */
extern int mtd_proxy_parse (char const *buf, size_t len, unsigned int versions, mtd_proxy *p, char const **why) ;

/* "v1", "v2", "any" to the versions above; 0 if none of those. */
extern unsigned int mtd_proxy_versions_scan (char const *s) ;

#endif
