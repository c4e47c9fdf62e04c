/* The connection-rate state: exact sliding windows with an injected clock,
   the bounded source table, refusal-log counters. */
#include <string.h>
#include <skalibs/types.h>
#include "mtd_addr.h"
#include "mtd_rate.h"

char const mtd_rate_magic[8] = { 'M', 'T', 'D', 'R', 'A', 'T', 'E', '\n' } ;

static uint32_t fnv (uint32_t h, void const *p, size_t len)
{
  unsigned char const *s = p ;
  for (size_t i = 0 ; i < len ; i++) { h ^= s[i] ; h *= 16777619U ; }
  return h ;
}

static uint32_t header_sum (mtd_rate_state const *st)
{
  uint32_t h = 2166136261U ;
  h = fnv(h, st->magic, sizeof st->magic) ;
  h = fnv(h, &st->version, sizeof st->version) ;
  h = fnv(h, &st->size, sizeof st->size) ;
  return fnv(h, st->bootid, sizeof st->bootid) ;
}

static uint32_t key_hash (mtd_rate_key const *key)
{
  return fnv(2166136261U, key, sizeof *key) ;
}

void mtd_rate_init (mtd_rate_state *st, unsigned char const *bootid)
{
  memset(st, 0, sizeof *st) ;
  memcpy(st->magic, mtd_rate_magic, sizeof st->magic) ;
  st->version = MTD_RATE_VERSION ;
  st->size = sizeof *st ;
  memcpy(st->bootid, bootid, sizeof st->bootid) ;
  st->hdrsum = header_sum(st) ;
}

int mtd_rate_check_header (mtd_rate_state const *st, unsigned char const *bootid, char const **why)
{
  if (memcmp(st->magic, mtd_rate_magic, sizeof mtd_rate_magic)) return (*why = "not a minetd-rate state file", 0) ;
  if (st->version != MTD_RATE_VERSION) return (*why = "unknown version", 0) ;
  if (st->size != sizeof *st) return (*why = "wrong size", 0) ;
  if (st->hdrsum != header_sum(st)) return (*why = "bad header checksum", 0) ;
  /* monotonic times only mean something within one boot */
  if (memcmp(st->bootid, bootid, sizeof st->bootid)) return (*why = "written before the last boot", 0) ;
  return 1 ;
}


 /* Windows */

/* Granularity: 0 (one bucket per admission) while a full window fits in the
   ring; else the window cut in cap-2 slices, so the live buckets always fit.
   Slicing only ever refuses early, never admits past the limit. */
static uint64_t granularity (uint32_t limit, uint32_t cap, uint64_t window)
{
  if (limit <= cap) return 0 ;
  return (window + cap - 3) / (cap - 2) ;
}

/* Drops buckets whose last admission left the window; checks what it reads. */
static int ring_expire (mtd_rate_ring *r, mtd_rate_bucket *b, uint32_t cap, uint64_t now, uint64_t window)
{
  if (r->head >= cap || r->len > cap || r->total < r->len || (!r->len && r->total)) return 0 ;
  if (r->len)
  {
    mtd_rate_bucket const *newest = b + (r->head + r->len - 1) % cap ;
    if (!newest->count || newest->first > newest->last || newest->last > now) return 0 ;
  }
  while (r->len)
  {
    mtd_rate_bucket *o = b + r->head ;
    if (!o->count || o->first > o->last || o->last > now || o->count > r->total) return 0 ;
    if (now - o->last < window) break ;
    r->total -= o->count ;
    r->head = (r->head + 1) % cap ;
    r->len-- ;
  }
  return r->len || !r->total ;
}

static void ring_push (mtd_rate_ring *r, mtd_rate_bucket *b, uint32_t cap, uint64_t now, uint64_t gran)
{
  mtd_rate_bucket *nb ;
  if (r->len)
  {
    nb = b + (r->head + r->len - 1) % cap ;
    if (gran && now - nb->first < gran) { nb->count++ ; nb->last = now ; r->total++ ; return ; }
  }
  if (r->len == cap)
  {
    /* only when processes disagree on the limits: merge the two oldest,
       which keeps their admissions counted (never admits more) */
    mtd_rate_bucket *o = b + r->head, *o2 = b + (r->head + 1) % cap ;
    o2->count += o->count ;
    o2->first = o->first ;
    r->head = (r->head + 1) % cap ;
    r->len-- ;
  }
  nb = b + (r->head + r->len) % cap ;
  nb->first = nb->last = now ;
  nb->count = 1 ;
  nb->pad = 0 ;
  r->len++ ;
  r->total++ ;
}

static int ring_check (mtd_rate_ring const *r, mtd_rate_bucket const *b, uint32_t cap, uint64_t now)
{
  uint64_t sum = 0, prev = 0 ;
  if (r->head >= cap || r->len > cap) return 0 ;
  for (uint32_t i = 0 ; i < r->len ; i++)
  {
    mtd_rate_bucket const *x = b + (r->head + i) % cap ;
    if (!x->count || x->first > x->last || x->last > now || x->first < prev) return 0 ;
    prev = x->last ;
    sum += x->count ;
  }
  return sum == r->total ;
}


 /* Source table: entries in a hash index with linear probing */

void mtd_rate_key_make (mtd_rate_key *key, ip46 const *ip, mtd_rate_limits const *lim)
{
  ip46 masked ;
  unsigned int bits = ip46_is6(ip) ? lim->v6bits : lim->v4bits ;
  mtd_ip_mask(&masked, ip, bits) ;
  memset(key, 0, sizeof *key) ;
  memcpy(key->addr, masked.ip, ip46_is6(ip) ? 16 : 4) ;
  key->is6 = !!ip46_is6(ip) ;
  key->bits = bits ;
}

size_t mtd_rate_key_fmt (char *buf, mtd_rate_key const *key)
{
  ip46 ip ;
  size_t len ;
  memset(&ip, 0, sizeof ip) ;
  memcpy(ip.ip, key->addr, 16) ;
  ip.is6 = key->is6 ;
  len = mtd_ip_fmt(buf, &ip) ;
  buf[len++] = '/' ;
  return len + uint_fmt(buf + len, key->bits) ;
}

#define INDEX_MASK (MTD_RATE_SRC_INDEX - 1)

/* Entry number, or -1 absent (*slot: the free index slot ending the probe),
   or -2 inconsistent. */
static int src_find (mtd_rate_state const *st, mtd_rate_key const *key, uint32_t hash, uint32_t *slot)
{
  uint32_t i = hash & INDEX_MASK ;
  for (uint32_t probe = 0 ; probe < MTD_RATE_SRC_INDEX ; probe++, i = (i + 1) & INDEX_MASK)
  {
    uint32_t v = st->index[i] ;
    if (!v) { *slot = i ; return -1 ; }
    if (v > st->nsrc) return -2 ;
    if (st->src[v-1].hash == hash && !memcmp(&st->src[v-1].key, key, sizeof *key)) { *slot = i ; return (int)(v - 1) ; }
  }
  return -2 ;  /* the index holds at most half its slots: full means corrupt */
}

/* Backward-shift deletion keeps every probe chain unbroken without tombstones. */
static void index_delete (mtd_rate_state *st, uint32_t i)
{
  uint32_t j = i ;
  for (;;)
  {
    uint32_t home ;
    j = (j + 1) & INDEX_MASK ;
    if (!st->index[j] || st->index[j] > st->nsrc) break ;
    home = st->src[st->index[j] - 1].hash & INDEX_MASK ;
    /* move j's entry into the hole at i unless its home lies in (i, j] */
    if (i <= j ? (home <= i || home > j) : (home <= i && home > j))
    {
      st->index[i] = st->index[j] ;
      i = j ;
    }
  }
  st->index[i] = 0 ;
}

/* A new entry for key: a never-used one, else the one seen longest ago
   (oldest-first eviction). Entry number, or -1 if inconsistent. */
static int src_insert (mtd_rate_state *st, mtd_rate_key const *key, uint32_t hash, uint64_t now)
{
  uint32_t e, slot ;
  if (st->nsrc < MTD_RATE_SRC_MAX) e = st->nsrc++ ;
  else
  {
    e = 0 ;
    for (uint32_t i = 1 ; i < MTD_RATE_SRC_MAX ; i++) if (st->seen[i] < st->seen[e]) e = i ;
    if (src_find(st, &st->src[e].key, st->src[e].hash, &slot) != (int)e) return -1 ;
    index_delete(st, slot) ;
  }
  memset(&st->src[e], 0, sizeof st->src[e]) ;
  st->src[e].key = *key ;
  st->src[e].hash = hash ;
  st->seen[e] = now ;
  if (src_find(st, key, hash, &slot) != -1) return -1 ;
  st->index[slot] = e + 1 ;
  return (int)e ;
}

int mtd_rate_decide (mtd_rate_state *st, mtd_rate_limits const *lim, ip46 const *ip, uint64_t now, mtd_rate_verdict *v)
{
  int e = -1 ;
  uint32_t slot ;
  uint32_t hash ;
  memset(v, 0, sizeof *v) ;
  mtd_rate_key_make(&v->key, ip, lim) ;
  hash = key_hash(&v->key) ;
  if (st->nsrc > MTD_RATE_SRC_MAX) return -1 ;
  if (lim->n)
  {
    if (!ring_expire(&st->svc, st->svcb, MTD_RATE_SVC_RING, now, lim->window)) return -1 ;
    v->svc = st->svc.total ;
  }
  if (lim->s)
  {
    e = src_find(st, &v->key, hash, &slot) ;
    if (e == -2) return -1 ;
    if (e >= 0)
    {
      mtd_rate_source *x = st->src + e ;
      if (st->seen[e] > now) return -1 ;
      if (!ring_expire(&x->ring, x->b, MTD_RATE_SRC_RING, now, lim->window)) return -1 ;
      st->seen[e] = now ;
      v->src = x->ring.total ;
    }
  }
  if (lim->n && v->svc >= lim->n) return v->what = MTD_RATE_REFUSE_SERVICE ;
  if (lim->s && v->src >= lim->s) return v->what = MTD_RATE_REFUSE_SOURCE ;
  if (lim->n)
  {
    ring_push(&st->svc, st->svcb, MTD_RATE_SVC_RING, now, granularity(lim->n, MTD_RATE_SVC_RING, lim->window)) ;
    v->svc++ ;
  }
  if (lim->s)
  {
    if (e < 0)
    {
      e = src_insert(st, &v->key, hash, now) ;
      if (e < 0) return -1 ;
    }
    ring_push(&st->src[e].ring, st->src[e].b, MTD_RATE_SRC_RING, now, granularity(lim->s, MTD_RATE_SRC_RING, lim->window)) ;
    v->src++ ;
  }
  return v->what = MTD_RATE_ADMIT ;
}

/* Takes one admission at time t out of its bucket, the bucket out of the
   ring if that was its last: newer buckets move down one place, so the
   ring stays in order. A bucket shared with other admissions keeps its
   first and last times: it may leave the window a little later than it
   would have, never sooner. 1 removed, 0 not there, -1 inconsistent. */
static int ring_remove (mtd_rate_ring *r, mtd_rate_bucket *b, uint32_t cap, uint64_t t)
{
  mtd_rate_bucket *x = 0 ;
  uint32_t i ;
  if (r->head >= cap || r->len > cap || r->total < r->len) return -1 ;
  for (i = r->len ; i > 0 && !x ; i--)
  {
    mtd_rate_bucket *y = b + (r->head + i - 1) % cap ;
    if (y->first <= t && t <= y->last) x = y ;
  }
  if (!x) return 0 ;
  if (!x->count) return -1 ;
  r->total-- ;
  if (--x->count) return 1 ;
  /* x is at i: the newer ones move down */
  for (; i + 1 < r->len ; i++) b[(r->head + i) % cap] = b[(r->head + i + 1) % cap] ;
  r->len-- ;
  return 1 ;
}

int mtd_rate_undo (mtd_rate_state *st, mtd_rate_limits const *lim, mtd_rate_key const *key, uint64_t t)
{
  if (st->nsrc > MTD_RATE_SRC_MAX) return -1 ;
  if (lim->n && ring_remove(&st->svc, st->svcb, MTD_RATE_SVC_RING, t) < 0) return -1 ;
  if (lim->s)
  {
    uint32_t slot ;
    int e = src_find(st, key, key_hash(key), &slot) ;
    if (e == -2) return -1 ;
    if (e >= 0 && ring_remove(&st->src[e].ring, st->src[e].b, MTD_RATE_SRC_RING, t) < 0) return -1 ;
  }
  return 1 ;
}

int mtd_rate_check (mtd_rate_state const *st, unsigned char const *bootid, uint64_t now, char const **why)
{
  uint32_t used = 0 ;
  if (!mtd_rate_check_header(st, bootid, why)) return 0 ;
  if (!ring_check(&st->svc, st->svcb, MTD_RATE_SVC_RING, now)) return (*why = "bad service window", 0) ;
  if (st->log_n > MTD_RATE_LOG_MAX || st->log_last > now) return (*why = "bad log counters", 0) ;
  if (st->nsrc > MTD_RATE_SRC_MAX) return (*why = "bad source count", 0) ;
  for (uint32_t i = 0 ; i < MTD_RATE_SRC_INDEX ; i++)
  {
    if (!st->index[i]) continue ;
    if (st->index[i] > st->nsrc) return (*why = "bad source index", 0) ;
    used++ ;
  }
  if (used != st->nsrc) return (*why = "bad source index", 0) ;
  for (uint32_t e = 0 ; e < st->nsrc ; e++)
  {
    mtd_rate_source const *x = st->src + e ;
    uint32_t slot ;
    if (x->key.is6 > 1 || x->key.bits > (x->key.is6 ? 128 : 32) || x->hash != key_hash(&x->key)) return (*why = "bad source key", 0) ;
    if (st->seen[e] > now) return (*why = "source seen in the future", 0) ;
    if (src_find(st, &x->key, x->hash, &slot) != (int)e) return (*why = "bad source index", 0) ;
    if (!ring_check(&x->ring, x->b, MTD_RATE_SRC_RING, now)) return (*why = "bad source window", 0) ;
  }
  return 1 ;
}


 /* Refusal log */

int mtd_rate_log_note (mtd_rate_state *st, mtd_rate_key const *key, int what, uint64_t now)
{
  uint32_t i ;
  if (st->log_n > MTD_RATE_LOG_MAX) st->log_n = MTD_RATE_LOG_MAX ;
  if (!st->log_service && !st->log_source && (!st->log_last || now - st->log_last >= MTD_RATE_SECOND))
  {
    st->log_last = now ;
    return 1 ;
  }
  if (what == MTD_RATE_REFUSE_SERVICE) st->log_service++ ; else st->log_source++ ;
  for (i = 0 ; i < st->log_n ; i++)
    if (!memcmp(&st->log[i].key, key, sizeof *key)) { st->log[i].count++ ; return 0 ; }
  if (st->log_n < MTD_RATE_LOG_MAX)
  {
    st->log[st->log_n].key = *key ;
    st->log[st->log_n++].count = 1 ;
  }
  else st->log_other++ ;
  return 0 ;
}

size_t mtd_rate_put (char *buf, size_t len, char const *s)
{
  size_t n = strlen(s) ;
  memcpy(buf + len, s, n) ;
  return len + n ;
}

size_t mtd_rate_put_u64 (char *buf, size_t len, uint64_t u)
{
  return len + uint64_fmt(buf + len, u) ;
}

size_t mtd_rate_log_flush (mtd_rate_state *st, uint64_t now, char *buf)
{
  size_t len = 0 ;
  uint32_t n = st->log_n > MTD_RATE_LOG_MAX ? MTD_RATE_LOG_MAX : st->log_n ;
  if (!st->log_service && !st->log_source) return 0 ;
  if (now - st->log_last < MTD_RATE_SECOND) return 0 ;
  /* at most 8 * (IP46_FMT + 4 + 2 + UINT32_FMT) + 120 bytes: fits */
  len = mtd_rate_put(buf, len, "refused ") ;
  len = mtd_rate_put_u64(buf, len, (uint64_t)st->log_service + st->log_source) ;
  len = mtd_rate_put(buf, len, " in the last ") ;
  len = mtd_rate_put_u64(buf, len, (now - st->log_last) / 1000000) ;
  len = mtd_rate_put(buf, len, "ms (service limit ") ;
  len = mtd_rate_put_u64(buf, len, st->log_service) ;
  len = mtd_rate_put(buf, len, ", source limit ") ;
  len = mtd_rate_put_u64(buf, len, st->log_source) ;
  len = mtd_rate_put(buf, len, "):") ;
  for (uint32_t i = 0 ; i < n ; i++)
  {
    len = mtd_rate_put(buf, len, i ? ", " : " ") ;
    len += mtd_rate_key_fmt(buf + len, &st->log[i].key) ;
    len = mtd_rate_put(buf, len, " ") ;
    len = mtd_rate_put_u64(buf, len, st->log[i].count) ;
  }
  if (st->log_other)
  {
    len = mtd_rate_put(buf, len, ", others ") ;
    len = mtd_rate_put_u64(buf, len, st->log_other) ;
  }
  st->log_service = st->log_source = st->log_other = st->log_n = 0 ;
  st->log_last = now ;
  return len ;
}
