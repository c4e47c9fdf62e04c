/* minetd-env's rules compiled to a classic BPF socket filter. The filter
   sees a packet at its transport header; the source address is read from
   the network header at SKF_NET_OFF. Per family: the source words are
   stored once in scratch memory, then the rules, most specific first, are
   tried in groups of one prefix length, each group a small trie over the
   masked address words; the first group that holds the address decides. */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/filter.h>
#include "mtd_rulesbpf.h"

#define VERDICT_ACCEPT 0xffffffffU   /* keep the whole packet */
#define VERDICT_DROP 0U

/* Conditional jumps (8-bit offsets) not yet resolved: at most two per
   instruction, and an island is laid down before the oldest is 255 away. */
#define PENDING_MAX 1024

typedef struct label_s label ;
struct label_s
{
  int pos ;                 /* -1 until defined */
  int isret ;               /* a verdict: any "ret k" later on will do */
  uint32_t k ;
  unsigned int npending ;   /* conditional jumps waiting for it */
  unsigned int longchain ;  /* index + 1 of the last ja waiting for it,
                               chained through their k; 0: none */
} ;

#define LABEL_ZERO { .pos = -1, .isret = 0, .k = 0, .npending = 0, .longchain = 0 }

typedef struct ref_s ref ;
struct ref_s
{
  unsigned int at ;
  int jf ;
  label *to ;
} ;

typedef struct emitter_s emitter ;
struct emitter_s
{
  struct sock_filter *out ;
  unsigned int max ;
  unsigned int pos ;
  int full ;                /* out of room: the result is discarded */
  int bug ;                 /* a jump out of reach: never expected */
  int fallsthrough ;        /* the last instruction may go on to the next */
  unsigned int nlabels ;    /* distinct labels in pending */
  unsigned int npending ;
  ref pending[PENDING_MAX] ;
  label accept ;
  label drop ;
} ;

static void raw_put (emitter *e, uint16_t code, uint32_t k)
{
  if (e->full) return ;
  if (e->pos >= e->max) { e->full = 1 ; return ; }
  e->out[e->pos].code = code ;
  e->out[e->pos].jt = 0 ;
  e->out[e->pos].jf = 0 ;
  e->out[e->pos].k = k ;
  e->pos++ ;
  e->fallsthrough = BPF_CLASS(code) != BPF_RET && code != (BPF_JMP | BPF_JA) ;
}

/* Points the pending conditional jumps to l at position pos. */
static void resolve (emitter *e, label *l, unsigned int pos)
{
  unsigned int j = 0 ;
  if (!l->npending) return ;
  for (unsigned int i = 0 ; i < e->npending ; i++)
  {
    ref const *p = e->pending + i ;
    if (p->to != l) { e->pending[j++] = *p ; continue ; }
    if (pos < p->at + 1 || pos - (p->at + 1) > 255) { e->bug = 1 ; continue ; }
    if (p->jf) e->out[p->at].jf = (uint8_t)(pos - (p->at + 1)) ;
    else e->out[p->at].jt = (uint8_t)(pos - (p->at + 1)) ;
  }
  e->npending = j ;
  l->npending = 0 ;
  e->nlabels-- ;
}

static void add_ref (emitter *e, unsigned int at, int jf, label *l)
{
  if (l->pos >= 0 || e->npending >= PENDING_MAX) { e->bug = 1 ; return ; }
  e->pending[e->npending].at = at ;
  e->pending[e->npending].jf = jf ;
  e->pending[e->npending].to = l ;
  e->npending++ ;
  if (!l->npending++) e->nlabels++ ;
}

/* An island: for each label waiting, a stub in reach of its jumps (the
   verdict itself, or a ja, whose offset is 32 bits), skipped over by the
   code that runs on. */
static void island (emitter *e)
{
  if (!e->nlabels) return ;
  if (e->fallsthrough) raw_put(e, BPF_JMP | BPF_JA, e->nlabels) ;
  while (e->npending && !e->full)
  {
    label *l = e->pending[0].to ;
    unsigned int at = e->pos ;
    if (l->isret) raw_put(e, BPF_RET | BPF_K, l->k) ;
    else
    {
      raw_put(e, BPF_JMP | BPF_JA, l->longchain) ;
      l->longchain = at + 1 ;
    }
    if (e->full) return ;
    resolve(e, l, at) ;
  }
}

/* Before an instruction that may add two labels: if an island after it
   could no longer reach the oldest pending jump, lay the island now. */
static void need_room (emitter *e)
{
  if (e->npending && e->pos + e->nlabels + 2 > 255 + e->pending[0].at) island(e) ;
}

static void emit (emitter *e, uint16_t code, uint32_t k)
{
  need_room(e) ;
  raw_put(e, code, k) ;
}

/* A conditional jump; a null label is the next instruction. */
static void emit_jump (emitter *e, uint16_t code, uint32_t k, label *jt, label *jf)
{
  unsigned int at ;
  need_room(e) ;
  at = e->pos ;
  raw_put(e, code, k) ;
  if (e->full) return ;
  if (jt) add_ref(e, at, 0, jt) ;
  if (jf) add_ref(e, at, 1, jf) ;
  if (jt && jf) e->fallsthrough = 0 ;
}

static void emit_ja (emitter *e, label *l)
{
  unsigned int at ;
  need_room(e) ;
  at = e->pos ;
  raw_put(e, BPF_JMP | BPF_JA, l->longchain) ;
  if (e->full) return ;
  l->longchain = at + 1 ;
}

static label *verdict_label (emitter *e, int allow)
{
  return allow ? &e->accept : &e->drop ;
}

/* "ret": also where the jumps waiting for that verdict land. */
static void emit_ret (emitter *e, int allow)
{
  unsigned int at ;
  need_room(e) ;
  at = e->pos ;
  raw_put(e, BPF_RET | BPF_K, allow ? VERDICT_ACCEPT : VERDICT_DROP) ;
  if (e->full) return ;
  resolve(e, verdict_label(e, allow), at) ;
}

static void define (emitter *e, label *l)
{
  unsigned int i = l->longchain ;
  if (e->full) return ;
  l->pos = (int)e->pos ;
  resolve(e, l, e->pos) ;
  e->fallsthrough = 1 ;   /* code goes on here: an island must be skipped */
  while (i)
  {
    unsigned int at = i - 1 ;
    i = e->out[at].k ;
    e->out[at].k = e->pos - (at + 1) ;
  }
  l->longchain = 0 ;
}

/* --- the rules ---------------------------------------------------------- */

static uint32_t word_of (mtd_rule const *rule, unsigned int w)
{
  unsigned char const *p = (unsigned char const *)rule->net.ip + 4 * w ;
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3] ;
}

static uint32_t mask_of (int bits, unsigned int w)
{
  int b = bits - 32 * (int)w ;
  if (b >= 32) return 0xffffffffU ;
  if (b <= 0) return 0 ;
  return 0xffffffffU << (32 - b) ;
}

static unsigned int words_of (int is6) { return is6 ? 4 : 1 ; }

/* A rule of the family that can match something: host bits clear (as the
   parser makes them; a rule with host bits set never matches). */
static int usable (mtd_rule const *rule, int is6)
{
  int maxbits = is6 ? 128 : 32 ;
  if (rule->bits == MTD_RULE_ANY || !rule->net.is6 != !is6) return 0 ;
  if (rule->bits < 0 || rule->bits > maxbits) return 0 ;
  for (unsigned int w = 0 ; w < words_of(is6) ; w++)
    if (word_of(rule, w) & ~mask_of(rule->bits, w)) return 0 ;
  return 1 ;
}

static int contains (mtd_rule const *outer, mtd_rule const *inner, int is6)
{
  if (outer->bits > inner->bits) return 0 ;
  for (unsigned int w = 0 ; w < words_of(is6) ; w++)
  {
    uint32_t m = mask_of(outer->bits, w) ;
    if ((word_of(inner, w) & m) != word_of(outer, w)) return 0 ;
  }
  return 1 ;
}

/* Per rule, what the plan found. */
#define RULE_USE4 1   /* an IPv4 rule that can match */
#define RULE_USE6 2
#define RULE_KEEP 4   /* the program tests it */

typedef struct family_s family ;
struct family_s
{
  int is6 ;
  unsigned char use ;       /* RULE_USE4 or RULE_USE6 */
  unsigned int end ;        /* rules from here on never decide for this family */
  int fallback ;            /* verdict when no rule kept matches */
  unsigned int nkept ;
} ;

/* Which rules the program needs. Prefixes nest or are disjoint, and the
   table is most specific first, so for all of a rule's addresses the next
   rule that would decide is the first later one containing it (or the
   fallback). A rule that agrees with it changes nothing: leave it out. */
static void family_plan (mtd_rules const *r, int default_allow, int is6, family *f, unsigned char *flag)
{
  unsigned int i ;
  f->is6 = is6 ;
  f->use = is6 ? RULE_USE6 : RULE_USE4 ;
  f->fallback = !!default_allow ;
  f->nkept = 0 ;
  for (i = 0 ; i < r->n ; i++)
  {
    mtd_rule const *rule = r->rule + i ;
    if (rule->bits == MTD_RULE_ANY) { f->fallback = !!rule->allow ; break ; }
    if (!usable(rule, is6)) continue ;
    if (!rule->bits) { f->fallback = !!rule->allow ; break ; }
    flag[i] |= f->use ;
  }
  f->end = i ;
  for (i = 0 ; i < f->end ; i++)
  {
    mtd_rule const *rule = r->rule + i ;
    int next = f->fallback ;
    unsigned int j = i + 1 ;
    if (!(flag[i] & f->use)) continue ;
    /* the same length holds no container */
    while (j < f->end && r->rule[j].bits == rule->bits) j++ ;
    for (; j < f->end ; j++)
      if (flag[j] & f->use && contains(r->rule + j, rule, is6)) { next = !!r->rule[j].allow ; break ; }
    if (!!rule->allow != next) { flag[i] |= RULE_KEEP ; f->nkept++ ; }
  }
}

static int kept (unsigned char const *flag, family const *f, unsigned int i)
{
  return (flag[i] & (RULE_KEEP | f->use)) == (RULE_KEEP | f->use) ;
}

static int usable_in (unsigned char const *flag, family const *f, unsigned int i)
{
  return !!(flag[i] & f->use) ;
}

/* The rules lo..hi-1 (one prefix length, equal in their first d words):
   one jeq per distinct masked word d; past the last word, its verdict.
   Leaves A undefined; an address that matches none goes to fail. */
static void emit_node (emitter *e, mtd_rules const *r, unsigned char const *flag, family const *f, unsigned int lo, unsigned int hi, unsigned int d, label *fail)
{
  int bits = r->rule[lo].bits ;
  uint32_t m = mask_of(bits, d) ;
  int leaf = d + 1 == ((unsigned int)bits + 31) / 32 ;
  unsigned int a = lo ;
  emit(e, BPF_LD | BPF_MEM, d) ;
  if (m != 0xffffffffU) emit(e, BPF_ALU | BPF_AND | BPF_K, m) ;
  while (a < hi && !kept(flag, f, a)) a++ ;
  while (a < hi)
  {
    uint32_t v = word_of(r->rule + a, d) ;
    unsigned int c = a + 1, nexta ;
    while (c < hi && (!kept(flag, f, c) || word_of(r->rule + c, d) == v)) c++ ;
    nexta = c ;
    while (nexta < hi && !kept(flag, f, nexta)) nexta++ ;
    if (leaf)
      emit_jump(e, BPF_JMP | BPF_JEQ | BPF_K, v, verdict_label(e, r->rule[a].allow), nexta < hi ? 0 : fail) ;
    else
    {
      label next = LABEL_ZERO ;
      emit_jump(e, BPF_JMP | BPF_JEQ | BPF_K, v, 0, nexta < hi ? &next : fail) ;
      emit_node(e, r, flag, f, a, c, d + 1, fail) ;
      if (nexta < hi)
      {
        define(e, &next) ;
        emit(e, BPF_LD | BPF_MEM, d) ;
        if (m != 0xffffffffU) emit(e, BPF_ALU | BPF_AND | BPF_K, m) ;
      }
    }
    a = nexta ;
  }
}

/* A family's rules, its words already in M[0..]: groups of one prefix
   length in table order, then the fallback verdict. */
static void emit_family (emitter *e, mtd_rules const *r, unsigned char const *flag, family const *f)
{
  unsigned int i = 0 ;
  while (i < f->end)
  {
    unsigned int hi = i, first = f->end ;
    if (!usable_in(flag, f, i)) { i++ ; continue ; }
    while (hi < f->end && (r->rule[hi].bits == r->rule[i].bits || !usable_in(flag, f, hi)))
    {
      if (first == f->end && kept(flag, f, hi)) first = hi ;
      hi++ ;
    }
    if (first < f->end)
    {
      label fail = LABEL_ZERO ;
      emit_node(e, r, flag, f, first, hi, 0, &fail) ;
      define(e, &fail) ;
    }
    i = hi ;
  }
  emit_ret(e, f->fallback) ;
}

int mtd_rules_bpf_compile (mtd_rules const *r, int default_allow, int family_, struct sock_filter *out, unsigned int max)
{
  unsigned char flag[MTD_RULES_MAX] ;
  emitter e ;
  family f4, f6 ;
  if (family_ != AF_INET && family_ != AF_INET6) { errno = EAFNOSUPPORT ; return -1 ; }
  if (r->n > MTD_RULES_MAX) { errno = E2BIG ; return 0 ; }
  memset(flag, 0, r->n) ;
  memset(&e, 0, sizeof e) ;
  e.out = out ; e.max = max ;
  e.accept.pos = e.drop.pos = -1 ;
  e.accept.isret = e.drop.isret = 1 ;
  e.accept.k = VERDICT_ACCEPT ; e.drop.k = VERDICT_DROP ;
  family_plan(r, default_allow, 0, &f4, flag) ;
  if (family_ == AF_INET6) family_plan(r, default_allow, 1, &f6, flag) ;

  if (family_ == AF_INET)
  {
    if (f4.nkept)
    {
      emit(&e, BPF_LD | BPF_W | BPF_ABS, (uint32_t)(SKF_NET_OFF + 12)) ;
      emit(&e, BPF_ST, 0) ;
    }
    emit_family(&e, r, flag, &f4) ;
  }
  else if (!f4.nkept && !f6.nkept && f4.fallback == f6.fallback) emit_ret(&e, f4.fallback) ;
  else
  {
    /* A dual-stack socket gets IPv4 packets with their IPv4 header. An
       IPv6 source ::ffff:a.b.c.d is IPv4 to the rules (unmapped, as
       mtd_sockaddr_to_ip46 makes it), so it takes the IPv4 path. */
    label v4entry = LABEL_ZERO, v4code = LABEL_ZERO, v6code = LABEL_ZERO ;
    emit(&e, BPF_LD | BPF_B | BPF_ABS, (uint32_t)SKF_NET_OFF) ;
    emit(&e, BPF_ALU | BPF_RSH | BPF_K, 4) ;
    emit_jump(&e, BPF_JMP | BPF_JEQ | BPF_K, 4, &v4entry, 0) ;
    for (unsigned int w = 0 ; w < 4 ; w++)
    {
      emit(&e, BPF_LD | BPF_W | BPF_ABS, (uint32_t)(SKF_NET_OFF + 8 + 4 * (int)w)) ;
      emit(&e, BPF_ST, w) ;
    }
    emit(&e, BPF_LD | BPF_MEM, 0) ;
    emit_jump(&e, BPF_JMP | BPF_JEQ | BPF_K, 0, 0, &v6code) ;
    emit(&e, BPF_LD | BPF_MEM, 1) ;
    emit_jump(&e, BPF_JMP | BPF_JEQ | BPF_K, 0, 0, &v6code) ;
    emit(&e, BPF_LD | BPF_MEM, 2) ;
    emit_jump(&e, BPF_JMP | BPF_JEQ | BPF_K, 0xffff, 0, &v6code) ;
    emit(&e, BPF_LD | BPF_MEM, 3) ;
    emit(&e, BPF_ST, 0) ;
    emit_ja(&e, &v4code) ;
    define(&e, &v6code) ;
    emit_family(&e, r, flag, &f6) ;
    define(&e, &v4entry) ;
    emit(&e, BPF_LD | BPF_W | BPF_ABS, (uint32_t)(SKF_NET_OFF + 12)) ;
    emit(&e, BPF_ST, 0) ;
    define(&e, &v4code) ;
    emit_family(&e, r, flag, &f4) ;
  }
  /* the verdicts still waiting since the last island */
  if (e.accept.npending) emit_ret(&e, 1) ;
  if (e.drop.npending) emit_ret(&e, 0) ;
  if (e.full) { errno = E2BIG ; return 0 ; }
  if (e.bug || e.npending) { errno = EINVAL ; return -1 ; }
  return (int)e.pos ;
}

int mtd_rules_bpf_detach (int fd)
{
  int one = 0 ;
  if (setsockopt(fd, SOL_SOCKET, SO_DETACH_FILTER, &one, sizeof one) < 0 && errno != ENOENT) return -1 ;
  return 1 ;
}

int mtd_rules_bpf_attach (int fd, mtd_rules const *r, int default_allow)
{
  struct sock_filter prog[MTD_RULES_BPF_MAX] ;
  struct sock_fprog fprog ;
  int family_ ;
  socklen_t len = sizeof family_ ;
  int n ;
  if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &family_, &len) < 0) return -1 ;
  n = mtd_rules_bpf_compile(r, default_allow, family_, prog, MTD_RULES_BPF_MAX) ;
  if (n < 0) return -1 ;
  if (n)
  {
    fprog.len = (unsigned short)n ;
    fprog.filter = prog ;
    if (!setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &fprog, sizeof fprog)) return 1 ;
    /* ENOMEM: larger than the socket may hold (net.core.optmem_max):
       it does not fit either */
    if (errno != ENOMEM) return -1 ;
  }
  {
    /* stale rules must not stay in force */
    int e = errno ;
    if (mtd_rules_bpf_detach(fd) < 0) return -1 ;
    errno = e ;
  }
  return 0 ;
}
