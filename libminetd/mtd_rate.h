/* The connection-rate state: sliding windows over admission times for a
   service and for each source prefix, and the refusal-log counters, kept
   in one fixed-size struct that is the layout of the shared state file.
   The arithmetic takes the time as an argument (unit tests inject it);
   mtd_ratefile.h maps, locks, validates and rebuilds the file. */
#ifndef MTD_RATE_H
#define MTD_RATE_H

#include <stddef.h>
#include <stdint.h>
#include <skalibs/ip46.h>

#define MTD_RATE_VERSION 1
#define MTD_RATE_SECOND 1000000000ULL   /* times are nanoseconds, CLOCK_MONOTONIC */
#define MTD_RATE_SVC_RING 1024    /* service window exact up to -n 1024 */
#define MTD_RATE_SRC_RING 8       /* per-source window exact up to -s 8 */
#define MTD_RATE_SRC_MAX 1024     /* source prefixes remembered */
#define MTD_RATE_SRC_INDEX 2048   /* hash index slots, a power of 2 */
#define MTD_RATE_LOG_MAX 8        /* prefixes named in one refusal summary */

/* The first bytes of every state file. */
extern char const mtd_rate_magic[8] ;

/* Admissions close in time share a bucket once a window holds more than a
   ring's worth: first and last admission times, and how many. */
typedef struct mtd_rate_bucket_s mtd_rate_bucket ;
struct mtd_rate_bucket_s
{
  uint64_t first ;
  uint64_t last ;
  uint32_t count ;
  uint32_t pad ;
} ;

typedef struct mtd_rate_ring_s mtd_rate_ring ;
struct mtd_rate_ring_s
{
  uint32_t head ;   /* oldest bucket */
  uint32_t len ;    /* buckets in use */
  uint64_t total ;  /* admissions in those buckets */
} ;

/* A source prefix: address with host bits zeroed, family, prefix length. */
typedef struct mtd_rate_key_s mtd_rate_key ;
struct mtd_rate_key_s
{
  unsigned char addr[16] ;
  uint8_t is6 ;
  uint8_t bits ;
  uint8_t pad[2] ;
} ;

typedef struct mtd_rate_source_s mtd_rate_source ;
struct mtd_rate_source_s
{
  mtd_rate_key key ;
  uint32_t hash ;
  mtd_rate_ring ring ;
  mtd_rate_bucket b[MTD_RATE_SRC_RING] ;
} ;

typedef struct mtd_rate_logent_s mtd_rate_logent ;
struct mtd_rate_logent_s
{
  mtd_rate_key key ;
  uint32_t count ;
} ;

typedef struct mtd_rate_state_s mtd_rate_state ;
struct mtd_rate_state_s
{
  /* header: fixed at creation, covered by hdrsum */
  char magic[8] ;
  uint32_t version ;
  uint32_t size ;
  unsigned char bootid[16] ;
  uint32_t hdrsum ;
  uint32_t dirty ;          /* set while a process updates: a crash leaves it set */
  /* the service window */
  mtd_rate_ring svc ;
  /* refusals not yet reported */
  uint64_t log_last ;       /* time of the last report line, 0 = never */
  uint32_t log_service ;
  uint32_t log_source ;
  uint32_t log_other ;
  uint32_t log_n ;
  mtd_rate_logent log[MTD_RATE_LOG_MAX] ;
  /* the source table */
  uint32_t nsrc ;           /* entries ever used, at most MTD_RATE_SRC_MAX */
  uint32_t pad ;
  uint16_t index[MTD_RATE_SRC_INDEX] ;    /* entry + 1, 0 = free; linear probing */
  uint64_t seen[MTD_RATE_SRC_MAX] ;       /* last time each source came, for eviction */
  mtd_rate_bucket svcb[MTD_RATE_SVC_RING] ;
  mtd_rate_source src[MTD_RATE_SRC_MAX] ;
} ;

/* What one process enforces. n or s 0: that limit is off. */
typedef struct mtd_rate_limits_s mtd_rate_limits ;
struct mtd_rate_limits_s
{
  uint32_t n ;          /* per service */
  uint32_t s ;          /* per source prefix */
  uint64_t window ;     /* nanoseconds, > 0 */
  unsigned int v4bits ;
  unsigned int v6bits ;
} ;

#define MTD_RATE_ADMIT 1
#define MTD_RATE_REFUSE_SERVICE 2
#define MTD_RATE_REFUSE_SOURCE 3

typedef struct mtd_rate_verdict_s mtd_rate_verdict ;
struct mtd_rate_verdict_s
{
  int what ;            /* one of MTD_RATE_ADMIT, _REFUSE_SERVICE, _REFUSE_SOURCE */
  mtd_rate_key key ;    /* the source prefix */
  uint64_t svc ;        /* admissions in the service window, this one included */
  uint64_t src ;        /* the same for the source prefix */
} ;

/* A fresh, empty state for this boot. */
extern void mtd_rate_init (mtd_rate_state *st, unsigned char const *bootid) ;

/* Header only: magic, version, size, checksum, boot. 1 good, or 0 with why. */
extern int mtd_rate_check_header (mtd_rate_state const *st, unsigned char const *bootid, char const **why) ;

/* Everything: header, ring bounds and order, no time after now, the index
   pointing at the right entries. 1 good, or 0 with why. */
extern int mtd_rate_check (mtd_rate_state const *st, unsigned char const *bootid, uint64_t now, char const **why) ;

/* The source prefix of ip under lim's prefix lengths (ip unmapped). */
extern void mtd_rate_key_make (mtd_rate_key *key, ip46 const *ip, mtd_rate_limits const *lim) ;
/* "ADDR/BITS". Not terminated. buf needs IP46_FMT + 4. */
extern size_t mtd_rate_key_fmt (char *buf, mtd_rate_key const *key) ;

/* Judges one connection from ip at time now and records it if admitted:
   admitted iff fewer than n admissions in (now - window, now] for the
   service and fewer than s for its source prefix. Fills v.
   Returns v->what, or -1 if the state is found inconsistent (the caller
   rebuilds it and asks again). Never allocates. */
extern int mtd_rate_decide (mtd_rate_state *st, mtd_rate_limits const *lim, ip46 const *ip, uint64_t now, mtd_rate_verdict *v) ;

/* Takes back an admission mtd_rate_decide recorded at time now = t for
   the source prefix key under the same limits: for a connection that was
   admitted, then could not be started. If it is no longer there (the
   window moved past it, the state was rebuilt), nothing changes. Returns
   1, or -1 if the state is found inconsistent. Never allocates. */
extern int mtd_rate_undo (mtd_rate_state *st, mtd_rate_limits const *lim, mtd_rate_key const *key, uint64_t t) ;

/* Refusal logging without floods, shared through the state. Call
   mtd_rate_log_note for each refusal: it returns 1 when the refusal is to
   be logged on its own line now (nothing pending and no report in the
   last second), else it counts it for the next summary and returns 0.
   mtd_rate_log_flush writes into buf (no PROG prefix, no newline) the
   summary of what is pending if the last report is at least a second old,
   resets the counters and returns the length; 0 when there is nothing to
   say yet. buf needs MTD_RATE_LOG_BUF bytes. */
#define MTD_RATE_LOG_BUF 1024
extern int mtd_rate_log_note (mtd_rate_state *st, mtd_rate_key const *key, int what, uint64_t now) ;
extern size_t mtd_rate_log_flush (mtd_rate_state *st, uint64_t now, char *buf) ;

/* Log-line building: append s, or u in decimal, at buf + len; return the
   new length. The caller sizes buf. */
extern size_t mtd_rate_put (char *buf, size_t len, char const *s) ;
extern size_t mtd_rate_put_u64 (char *buf, size_t len, uint64_t u) ;

#endif
