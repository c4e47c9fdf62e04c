/* Addresses: host and port parsing, RFC 5952 formatting, prefixes. */
#ifndef MTD_ADDR_H
#define MTD_ADDR_H

#include <stdint.h>
#include <sys/socket.h>
#include <skalibs/ip46.h>

#define MTD_IP_FMT IP46_FMT

/* HOST: IPv4 literal, IPv6 literal (bare or [bracketed]), "0" (0.0.0.0),
   "localhost" (127.0.0.1), "*" (:: dual stack, *dualstack set to 1).
   The whole string must be used. Returns 1 on success, 0 if invalid. */
extern int mtd_host_scan (char const *s, ip46 *ip, int *dualstack) ;

/* PORT: decimal 0..65535 or a tcp name from /etc/services. 1 or 0. */
extern int mtd_port_scan (char const *s, uint16_t *port) ;

/* Whole-string unsigned decimal, at most max. 1 or 0. */
extern int mtd_uint_scan (char const *s, unsigned int max, unsigned int *u) ;

/* A numeric option: whole-string decimal from min to max, or
   "PROG: fatal: invalid WHAT "s": expected an integer from MIN to MAX"
   and exit 100. */
extern unsigned int mtd_uint_option (char const *s, unsigned int min, unsigned int max, char const *what) ;

/* An IPv4-mapped IPv6 address (::ffff:a.b.c.d) becomes plain IPv4. */
extern void mtd_ip_unmap (ip46 *ip) ;

/* Text form; IPv6 per RFC 5952; v4-mapped shown as IPv4. Not terminated. */
extern size_t mtd_ip_fmt (char *s, ip46 const *ip) ;

/* "ADDR:PORT", "[ADDR]:PORT" for IPv6, as the logs show a peer.
   Terminated; s holds MTD_IP_FMT + 10. */
extern void mtd_ip_port_fmt (char *s, ip46 const *ip, uint16_t port) ;

/* sockaddr (from accept, getpeername...) to ip46 + port, unmapped. 1 or 0. */
extern int mtd_sockaddr_to_ip46 (struct sockaddr const *sa, ip46 *ip, uint16_t *port) ;

/* Keep the first bits of ip, zero the rest. */
extern void mtd_ip_mask (ip46 *out, ip46 const *ip, unsigned int bits) ;

/* Does ip fall in net/bits? Families must agree (ip already unmapped). */
extern int mtd_prefix_match (ip46 const *ip, ip46 const *net, unsigned int bits) ;

/* "ADDR" or "ADDR/BITS" (IPv4 or IPv6, bare or bracketed). A bare address
   is a full-length prefix. Host bits past the prefix must be zero.
   Returns 1 on success, 0 if invalid, with *why set to a reason. */
extern int mtd_prefix_scan (char const *s, ip46 *net, unsigned int *bits, char const **why) ;

#endif
