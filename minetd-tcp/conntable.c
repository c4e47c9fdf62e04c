/* The live connections: a fixed table sized by -c, allocated once. Scans are
   linear; -c is small (tens to a few thousands) and a scan costs less than
   the fork that follows it. */
#include <signal.h>
#include <string.h>
#include <skalibs/alloc.h>
#include <skalibs/strerr.h>
#include "mtd_addr.h"
#include "minetd-tcp.h"

typedef struct conn_slot_s conn_slot ;
struct conn_slot_s
{
  pid_t pid ;
  ip46 source ;  /* masked to the grouping prefix */
  ip46 peer ;
  uint16_t port ;
} ;

static conn_slot *slots ;
static unsigned int nslots ;
static unsigned int nlive ;
static unsigned int prefix4, prefix6 ;

void conntable_init (unsigned int max, unsigned int v4bits, unsigned int v6bits)
{
  alloc_free(slots) ;   /* again: the table of the last call goes */
  slots = alloc(max * sizeof(conn_slot)) ;
  if (!slots) strerr_diefusys(111, "allocate the connection table") ;
  nslots = max ;
  nlive = 0 ;
  prefix4 = v4bits ;
  prefix6 = v6bits ;
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
    if (slots[i].source.is6 == key.is6 && !memcmp(slots[i].source.ip, key.ip, 16)) n++ ;
  return n ;
}

void conntable_add (pid_t pid, ip46 const *ip, uint16_t port)
{
  if (nlive >= nslots) return ;  /* the loop never forks past the cap */
  slots[nlive].pid = pid ;
  source_key(&slots[nlive].source, ip) ;
  slots[nlive].peer = *ip ;
  slots[nlive].port = port ;
  nlive++ ;
}

int conntable_remove (pid_t pid, ip46 *peer, uint16_t *port)
{
  for (unsigned int i = 0 ; i < nlive ; i++)
    if (slots[i].pid == pid)
    {
      *peer = slots[i].peer ;
      *port = slots[i].port ;
      slots[i] = slots[--nlive] ;
      return 1 ;
    }
  return 0 ;
}

void conntable_signal_all (int sig)
{
  for (unsigned int i = 0 ; i < nlive ; i++)
  {
    kill(slots[i].pid, sig) ;
    kill(slots[i].pid, SIGCONT) ;
  }
}
