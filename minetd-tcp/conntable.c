/* The live connections: a fixed table sized by -c, allocated once. Scans are
   linear; -c is small (tens to a few thousands) and a scan costs less than
   the fork that follows it. */
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <skalibs/strerr.h>
#include <skalibs/tai.h>
#include "mtd_addr.h"
#include "minetd-tcp.h"

typedef struct conn_slot_s conn_slot ;
struct conn_slot_s
{
  pid_t pid ;
  ip46 source ;  /* masked to the grouping prefix */
  ip46 peer ;
  uint16_t port ;
  int counted ;  /* 0: no client's (a health check): in no source's count */
  mtd_timelimit limit ;
} ;

static conn_slot *slots ;
static size_t slots_bytes ;
static unsigned int nslots ;
static unsigned int nlive ;
static unsigned int prefix4, prefix6 ;
static tain next ;         /* the earliest limit.at, if !next_stale */
static int next_stale ;

/* Mapped, not allocated: the whole table is reserved at start, as the
   bounded-memory rule wants, but a page costs memory only once a
   connection is written into it, so an idle service pays for none of it
   and a busy one for what its live connections fill (slots are packed at
   the front). */
void conntable_init (unsigned int max, unsigned int v4bits, unsigned int v6bits)
{
  void *p ;
  if (slots) munmap(slots, slots_bytes) ;   /* again: the table of the last call goes */
  slots_bytes = (max ? max : 1) * sizeof(conn_slot) ;
  p = mmap(0, slots_bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0) ;
  if (p == MAP_FAILED) strerr_diefusys(111, "map the connection table") ;
  slots = p ;
  nslots = max ;
  nlive = 0 ;
  prefix4 = v4bits ;
  prefix6 = v6bits ;
  next = tain_infinite ;
  next_stale = 0 ;
}

static void source_key (ip46 *key, ip46 const *ip)
{
  mtd_ip_mask(key, ip, ip->is6 ? prefix6 : prefix4) ;
}

unsigned int conntable_count (void) { return nlive ; }

unsigned int conntable_count_source (ip46 const *ip)
{
  ip46 key ;
  unsigned int n = 0 ;
  source_key(&key, ip) ;
  for (unsigned int i = 0 ; i < nlive ; i++)
    if (slots[i].counted && slots[i].source.is6 == key.is6 && !memcmp(slots[i].source.ip, key.ip, 16)) n++ ;
  return n ;
}

void conntable_add (pid_t pid, ip46 const *ip, uint16_t port, int counted)
{
  if (nlive >= nslots) return ;  /* the loop never forks past the cap */
  slots[nlive].pid = pid ;
  slots[nlive].counted = counted ;
  source_key(&slots[nlive].source, ip) ;
  slots[nlive].peer = *ip ;
  slots[nlive].port = port ;
  mtd_timelimit_arm(&slots[nlive].limit) ;
  if (!next_stale && tain_less(&slots[nlive].limit.at, &next)) next = slots[nlive].limit.at ;
  nlive++ ;
}

int conntable_remove (pid_t pid, ip46 *peer, uint16_t *port, mtd_timelimit *limit)
{
  for (unsigned int i = 0 ; i < nlive ; i++)
    if (slots[i].pid == pid)
    {
      *peer = slots[i].peer ;
      *port = slots[i].port ;
      if (limit) *limit = slots[i].limit ;
      /* the earliest may go: found again when next asked for */
      if (tain_less(&slots[i].limit.at, &tain_infinite) && !tain_less(&next, &slots[i].limit.at)) next_stale = 1 ;
      slots[i] = slots[--nlive] ;
      return 1 ;
    }
  return 0 ;
}

/* A scan only when the earliest deadline went: with no time limit,
   never (every deadline is infinite). */
tain const *conntable_deadline (void)
{
  if (next_stale)
  {
    next = tain_infinite ;
    for (unsigned int i = 0 ; i < nlive ; i++)
      if (tain_less(&slots[i].limit.at, &next)) next = slots[i].limit.at ;
    next_stale = 0 ;
  }
  return &next ;
}

void conntable_expire (void)
{
  for (unsigned int i = 0 ; i < nlive ; i++)
    if (mtd_timelimit_due(&slots[i].limit))
      mtd_timelimit_fire(&slots[i].limit, slots[i].pid, &slots[i].peer, slots[i].port) ;
  next_stale = 1 ;
}

void conntable_signal_all (int sig)
{
  for (unsigned int i = 0 ; i < nlive ; i++)
  {
    kill(slots[i].pid, sig) ;
    kill(slots[i].pid, SIGCONT) ;
  }
}
