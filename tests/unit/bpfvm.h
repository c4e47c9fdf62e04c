/* A classic BPF checker and interpreter for the tests of mtd_rulesbpf
   (tests/unit/rulesbpf_test.c, fuzz/rulesbpf.c): what the kernel's
   bpf_check_classic refuses, refused here too (jumps in range, ends with
   ret, scratch memory read only after a write on every path), and a run
   over a packet made of a network header (seen at SKF_NET_OFF) and the
   transport bytes (seen from 0). Tests only; not part of libminetd. */
#ifndef MTD_TEST_BPFVM_H
#define MTD_TEST_BPFVM_H

#include <stdint.h>
#include <string.h>
#include <linux/filter.h>

typedef struct bpfvm_packet_s bpfvm_packet ;
struct bpfvm_packet_s
{
  unsigned char const *net ;     /* the IPv4 or IPv6 header */
  unsigned int netlen ;
  unsigned char const *data ;    /* from the transport header on */
  unsigned int datalen ;
} ;

/* fuzz/bpfvm.h takes the type alone: the functions are built apart there */
#ifndef BPFVM_TYPES_ONLY

/* 1 if the kernel would take the program, 0 if not (*why says why). */
static int bpfvm_check (struct sock_filter const *p, unsigned int n, char const **why)
{
  uint16_t masks[BPF_MAXINSNS] ;
  uint16_t memvalid = 0 ;
  if (!n || n > BPF_MAXINSNS) { *why = "length" ; return 0 ; }
  for (unsigned int pc = 0 ; pc < n ; pc++)
  {
    struct sock_filter const *f = p + pc ;
    switch (f->code)
    {
      case BPF_LD | BPF_W | BPF_ABS : case BPF_LD | BPF_H | BPF_ABS : case BPF_LD | BPF_B | BPF_ABS :
      case BPF_LD | BPF_W | BPF_IND : case BPF_LD | BPF_H | BPF_IND : case BPF_LD | BPF_B | BPF_IND :
      case BPF_LD | BPF_W | BPF_LEN : case BPF_LDX | BPF_W | BPF_LEN :
      case BPF_LD | BPF_IMM : case BPF_LDX | BPF_IMM : case BPF_LDX | BPF_B | BPF_MSH :
      case BPF_RET | BPF_K : case BPF_RET | BPF_A :
      case BPF_MISC | BPF_TAX : case BPF_MISC | BPF_TXA :
      case BPF_ALU | BPF_ADD | BPF_K : case BPF_ALU | BPF_ADD | BPF_X :
      case BPF_ALU | BPF_SUB | BPF_K : case BPF_ALU | BPF_SUB | BPF_X :
      case BPF_ALU | BPF_MUL | BPF_K : case BPF_ALU | BPF_MUL | BPF_X :
      case BPF_ALU | BPF_DIV | BPF_X : case BPF_ALU | BPF_MOD | BPF_X :
      case BPF_ALU | BPF_AND | BPF_K : case BPF_ALU | BPF_AND | BPF_X :
      case BPF_ALU | BPF_OR | BPF_K : case BPF_ALU | BPF_OR | BPF_X :
      case BPF_ALU | BPF_XOR | BPF_K : case BPF_ALU | BPF_XOR | BPF_X :
      case BPF_ALU | BPF_LSH | BPF_X : case BPF_ALU | BPF_RSH | BPF_X :
      case BPF_ALU | BPF_NEG :
        break ;
      case BPF_ALU | BPF_DIV | BPF_K : case BPF_ALU | BPF_MOD | BPF_K :
        if (!f->k) { *why = "division by zero" ; return 0 ; }
        break ;
      case BPF_ALU | BPF_LSH | BPF_K : case BPF_ALU | BPF_RSH | BPF_K :
        if (f->k >= 32) { *why = "shift too long" ; return 0 ; }
        break ;
      case BPF_LD | BPF_MEM : case BPF_LDX | BPF_MEM : case BPF_ST : case BPF_STX :
        if (f->k >= BPF_MEMWORDS) { *why = "scratch index" ; return 0 ; }
        break ;
      case BPF_JMP | BPF_JA :
        if (f->k >= n - pc - 1) { *why = "ja out of range" ; return 0 ; }
        break ;
      case BPF_JMP | BPF_JEQ | BPF_K : case BPF_JMP | BPF_JEQ | BPF_X :
      case BPF_JMP | BPF_JGE | BPF_K : case BPF_JMP | BPF_JGE | BPF_X :
      case BPF_JMP | BPF_JGT | BPF_K : case BPF_JMP | BPF_JGT | BPF_X :
      case BPF_JMP | BPF_JSET | BPF_K : case BPF_JMP | BPF_JSET | BPF_X :
        if (pc + f->jt + 1 >= n || pc + f->jf + 1 >= n) { *why = "conditional jump out of range" ; return 0 ; }
        break ;
      default : *why = "unknown instruction" ; return 0 ;
    }
  }
  if (p[n-1].code != (BPF_RET | BPF_K) && p[n-1].code != (BPF_RET | BPF_A)) { *why = "does not end with ret" ; return 0 ; }
  /* as the kernel's check_load_and_stores */
  for (unsigned int pc = 0 ; pc < n ; pc++) masks[pc] = 0xffff ;
  for (unsigned int pc = 0 ; pc < n ; pc++)
  {
    struct sock_filter const *f = p + pc ;
    memvalid &= masks[pc] ;
    switch (f->code)
    {
      case BPF_ST : case BPF_STX : memvalid |= 1 << f->k ; break ;
      case BPF_LD | BPF_MEM : case BPF_LDX | BPF_MEM :
        if (!(memvalid & (1 << f->k))) { *why = "scratch memory read before a write" ; return 0 ; }
        break ;
      case BPF_JMP | BPF_JA : masks[pc + 1 + f->k] &= memvalid ; memvalid = 0xffff ; break ;
      default :
        if (BPF_CLASS(f->code) == BPF_JMP)
        {
          masks[pc + 1 + f->jt] &= memvalid ;
          masks[pc + 1 + f->jf] &= memvalid ;
          memvalid = 0xffff ;
        }
    }
  }
  *why = "" ;
  return 1 ;
}

/* Loads size bytes big-endian at signed offset k; 0 if out of the packet
   (the kernel then ends the filter with 0). */
static int bpfvm_load (bpfvm_packet const *pk, int64_t k, unsigned int size, uint32_t *v)
{
  unsigned char const *base ;
  uint64_t off, len ;
  if (k >= 0) { base = pk->data ; len = pk->datalen ; off = (uint64_t)k ; }
  else if (k >= SKF_NET_OFF && k < SKF_NET_OFF + 0x80000) { base = pk->net ; len = pk->netlen ; off = (uint64_t)(k - SKF_NET_OFF) ; }
  else return 0 ;   /* link layer, ancillary: not used by the rules */
  if (off + size > len) return 0 ;
  *v = 0 ;
  for (unsigned int i = 0 ; i < size ; i++) *v = *v << 8 | base[off + i] ;
  return 1 ;
}

/* Runs a checked program: its verdict (bytes kept; 0 drop). *steps gets
   the instructions executed. */
static uint32_t bpfvm_run (struct sock_filter const *p, unsigned int n, bpfvm_packet const *pk, unsigned int *steps)
{
  uint32_t a = 0, x = 0, mem[BPF_MEMWORDS] ;
  unsigned int pc = 0, count = 0 ;
  memset(mem, 0, sizeof mem) ;
  for (;;)
  {
    struct sock_filter const *f ;
    uint32_t v, src ;
    if (pc >= n) { *steps = count ; return 0 ; }   /* checked programs never get here */
    f = p + pc++ ;
    count++ ;
    src = BPF_SRC(f->code) == BPF_X ? x : f->k ;
    switch (BPF_CLASS(f->code))
    {
      case BPF_LD :
      case BPF_LDX :
      {
        unsigned int size = BPF_SIZE(f->code) == BPF_W ? 4 : BPF_SIZE(f->code) == BPF_H ? 2 : 1 ;
        switch (BPF_MODE(f->code))
        {
          case BPF_ABS : if (!bpfvm_load(pk, (int32_t)f->k, size, &v)) { *steps = count ; return 0 ; } break ;
          case BPF_IND : if (!bpfvm_load(pk, (int64_t)x + (int32_t)f->k, size, &v)) { *steps = count ; return 0 ; } break ;
          case BPF_LEN : v = pk->datalen ; break ;
          case BPF_IMM : v = f->k ; break ;
          case BPF_MEM : v = mem[f->k] ; break ;
          case BPF_MSH : if (!bpfvm_load(pk, (int32_t)f->k, 1, &v)) { *steps = count ; return 0 ; } v = (v & 0xf) << 2 ; break ;
          default : *steps = count ; return 0 ;
        }
        if (BPF_CLASS(f->code) == BPF_LD) a = v ; else x = v ;
        break ;
      }
      case BPF_ST : mem[f->k] = a ; break ;
      case BPF_STX : mem[f->k] = x ; break ;
      case BPF_ALU :
        switch (BPF_OP(f->code))
        {
          case BPF_ADD : a += src ; break ;
          case BPF_SUB : a -= src ; break ;
          case BPF_MUL : a *= src ; break ;
          case BPF_DIV : if (!src) { *steps = count ; return 0 ; } a /= src ; break ;
          case BPF_MOD : if (!src) { *steps = count ; return 0 ; } a %= src ; break ;
          case BPF_AND : a &= src ; break ;
          case BPF_OR : a |= src ; break ;
          case BPF_XOR : a ^= src ; break ;
          case BPF_LSH : a = src >= 32 ? 0 : a << src ; break ;
          case BPF_RSH : a = src >= 32 ? 0 : a >> src ; break ;
          case BPF_NEG : a = -a ; break ;
        }
        break ;
      case BPF_JMP :
        if (BPF_OP(f->code) == BPF_JA) { pc += f->k ; break ; }
        {
          int t = BPF_OP(f->code) == BPF_JEQ ? a == src
                : BPF_OP(f->code) == BPF_JGT ? a > src
                : BPF_OP(f->code) == BPF_JGE ? a >= src
                : !!(a & src) ;
          pc += t ? f->jt : f->jf ;
        }
        break ;
      case BPF_RET : *steps = count ; return BPF_RVAL(f->code) == BPF_A ? a : f->k ;
      case BPF_MISC : if (BPF_MISCOP(f->code) == BPF_TAX) x = a ; else a = x ; break ;
    }
  }
}

/* A UDP packet from ip (4 or 16 bytes; as IPv4 or IPv6 by is6): the
   network header is built in net (at least 40 bytes). */
static void bpfvm_udp_packet (bpfvm_packet *pk, unsigned char *net, unsigned char *udp, int is6, unsigned char const *ip)
{
  static unsigned char const dst6[16] = { [15] = 1 } ;
  memset(net, 0, 40) ;
  memset(udp, 0, 8) ;
  udp[0] = 0x30 ; udp[1] = 0x39 ; udp[2] = 0x00 ; udp[3] = 0x45 ; udp[5] = 8 ;
  if (is6)
  {
    net[0] = 0x60 ; net[5] = 8 ; net[6] = 17 ; net[7] = 64 ;
    memcpy(net + 8, ip, 16) ;
    memcpy(net + 24, dst6, 16) ;
    pk->netlen = 40 ;
  }
  else
  {
    net[0] = 0x45 ; net[3] = 28 ; net[8] = 64 ; net[9] = 17 ;
    memcpy(net + 12, ip, 4) ;
    net[16] = 127 ; net[19] = 1 ;
    pk->netlen = 20 ;
  }
  pk->net = net ;
  pk->data = udp ;
  pk->datalen = 8 ;
}

#endif /* BPFVM_TYPES_ONLY */

#endif
