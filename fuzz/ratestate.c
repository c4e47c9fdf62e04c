/* libFuzzer target: what the rate state loader trusts in a state file's
   contents, in memory (no file, so ~100x the executions of fuzz/ratefile):
   the header check, the full check a process makes on its first lock, and,
   when both pass, decisions, undos and the refusal log on that state, as
   minetd-rate would make them. A state the checks call sound must never
   make those read or write out of bounds; one they refuse is rebuilt
   (mtd_rate_init) and used, as mtd_rate_file_lock does.
   Input: patches over a sound state (offset: 3 bytes, length: 1 byte,
   bytes...), so the checks past the header are reached; a patch at the
   header's offset breaks the checksum, a patch past it keeps it. The
   trailing bytes choose the sources and times. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <skalibs/strerr.h>
#include "mtd_rate.h"

static mtd_rate_state *st ;
static unsigned char const bootid[16] = "fuzz-ratestate.." ;

int LLVMFuzzerInitialize (int *argc, char ***argv)
{
  (void)argc ; (void)argv ;
  PROG = "fuzz-ratestate" ;
  st = malloc(sizeof *st) ;
  if (!st) abort() ;
  return 0 ;
}

static uint64_t decide_some (mtd_rate_limits const *lim, uint8_t const *data, size_t size, uint64_t now)
{
  char buf[MTD_RATE_LOG_BUF] ;
  for (unsigned int k = 0 ; k < 8 ; k++)
  {
    mtd_rate_verdict v ;
    ip46 ip ;
    uint8_t b = k < size ? data[size - 1 - k] : (uint8_t)k ;
    int r ;
    memset(&ip, 0, sizeof ip) ;
    ip.is6 = b & 1 ;
    ip.ip[0] = ip.is6 ? 0x20 : 10 ;
    ip.ip[ip.is6 ? 15 : 3] = b ;
    now += (uint64_t)(b >> 4) * MTD_RATE_SECOND / 4 ;
    r = mtd_rate_decide(st, lim, &ip, now, &v) ;
    if (r < 0) { mtd_rate_init(st, bootid) ; continue ; }
    if (r == MTD_RATE_ADMIT)
    {
      if (b & 2 && mtd_rate_undo(st, lim, &v.key, now) < 0) mtd_rate_init(st, bootid) ;
    }
    else (void)mtd_rate_log_note(st, &v.key, r, now) ;
    (void)mtd_rate_log_flush(st, now, buf) ;
  }
  return now ;
}

int LLVMFuzzerTestOneInput (uint8_t const *data, size_t size)
{
  mtd_rate_limits lim = { .n = 3, .s = 2, .window = 60 * MTD_RATE_SECOND, .v4bits = 24, .v6bits = 64 } ;
  uint64_t now = 1000 * MTD_RATE_SECOND ;
  char const *why ;
  size_t i = 0 ;
  if (!size) return 0 ;
  lim.n = 1 + data[0] % 8 ;
  lim.s = data[0] >> 6 ;
  mtd_rate_init(st, bootid) ;
  /* a few admissions first, so the rings and the table hold something */
  decide_some(&lim, (uint8_t const *)"\x10\x21\x32\x43\x54\x65", 6, now - 10 * MTD_RATE_SECOND) ;
  i = 1 ;
  while (i + 4 <= size)
  {
    size_t off = ((size_t)data[i] | (size_t)data[i+1] << 8 | (size_t)data[i+2] << 16) % sizeof *st ;
    size_t len = data[i+3] ;
    i += 4 ;
    if (len > size - i) len = size - i ;
    if (len > sizeof *st - off) len = sizeof *st - off ;
    memcpy((char *)st + off, data + i, len) ;
    i += len ;
  }
  if (!mtd_rate_check_header(st, bootid, &why) || !mtd_rate_check(st, bootid, now, &why))
  {
    if (!why || !*why) abort() ;
    mtd_rate_init(st, bootid) ;
  }
  now = decide_some(&lim, data, size, now) ;
  /* what a process leaves must pass the next process's check */
  if (!mtd_rate_check(st, bootid, now, &why)) abort() ;
  return 0 ;
}
