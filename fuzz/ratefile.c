/* libFuzzer target: the rate state file loader fed any file contents.
   The bytes go to a temporary file that the real code opens, locks (which
   checks the state, rebuilding what is not sound) and decides admissions
   in. It must refuse or rebuild, never read or write out of bounds.
   The first byte chooses: even, the input is the whole file (sizes, the
   magic); odd, the rest patches a sound state made by the loader itself
   (offset, length, bytes...), so the full check of a state file of the
   right size and header is reached. Its rebuild warnings go to stderr:
   fuzz/run closes it (-close_fd_mask=2; the reports still show). */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <skalibs/strerr.h>
#include "mtd_rate.h"
#include "mtd_ratefile.h"

static char path[64] ;   /* DIR/state */

static void file_close (mtd_rate_file *f)
{
  if (f->st) munmap(f->st, sizeof *f->st) ;
  if (f->fd >= 0) close(f->fd) ;
}

static char tmpdir[40] ;

static void cleanup (void)
{
  unlink(path) ;
  rmdir(tmpdir) ;
}

int LLVMFuzzerInitialize (int *argc, char ***argv)
{
  /* tmpfs if there is one: a file is made and mapped per run */
  char dir[] = "/dev/shm/minetd-fuzz-rate.XXXXXX" ;
  char dir2[] = "/tmp/minetd-fuzz-rate.XXXXXX" ;
  (void)argc ; (void)argv ;
  PROG = "fuzz-ratefile" ;
  if (!mkdtemp(dir))
  {
    if (!mkdtemp(dir2)) abort() ;
    memcpy(dir, dir2, sizeof dir2) ;
  }
  memcpy(path, dir, strlen(dir)) ;
  memcpy(path + strlen(dir), "/state", 7) ;
  memcpy(tmpdir, dir, strlen(dir) + 1) ;
  atexit(&cleanup) ;
  return 0 ;
}

int LLVMFuzzerTestOneInput (uint8_t const *data, size_t size)
{
  mtd_rate_file f ;
  mtd_rate_limits lim = { .n = 3, .s = 2, .window = 60 * MTD_RATE_SECOND, .v4bits = 24, .v6bits = 64 } ;
  uint64_t now ;
  int fd ;
  if (!size || size > 2 * sizeof(mtd_rate_state)) return 0 ;
  unlink(path) ;
  if (data[0] & 1)
  {
    /* a sound state first, by the loader, then the patches */
    size_t i = 1 ;
    if (!mtd_rate_file_open(&f, path)) abort() ;
    if (mtd_rate_file_lock(&f, &now) != 1) abort() ;
    mtd_rate_file_unlock(&f) ;
    while (i + 4 <= size)
    {
      size_t off = ((size_t)data[i] | (size_t)data[i+1] << 8 | (size_t)data[i+2] << 16) % sizeof *f.st ;
      size_t len = data[i+3] ;
      i += 4 ;
      if (len > size - i) len = size - i ;
      if (len > sizeof *f.st - off) len = sizeof *f.st - off ;
      memcpy((char *)f.st + off, data + i, len) ;
      i += len ;
    }
    file_close(&f) ;
  }
  else
  {
    fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600) ;
    if (fd < 0 || write(fd, data + 1, size - 1) != (ssize_t)(size - 1)) abort() ;
    close(fd) ;
  }
  /* a new process's view: checked in full on its first lock */
  if (mtd_rate_file_open(&f, path))
  {
    if (mtd_rate_file_lock(&f, &now) == 1)
    {
      /* admissions from a few sources, in v4 and v6, as a link would */
      for (unsigned int k = 0 ; k < 6 ; k++)
      {
        mtd_rate_verdict v ;
        ip46 ip ;
        memset(&ip, 0, sizeof ip) ;
        ip.is6 = k & 1 ;
        ip.ip[0] = ip.is6 ? 0x20 : 10 ;
        ip.ip[ip.is6 ? 15 : 3] = (unsigned char)(k < size ? data[size - 1 - k] : k) ;
        mtd_rate_file_dirty(&f) ;
        (void)mtd_rate_decide(f.st, &lim, &ip, now + k, &v) ;
      }
      mtd_rate_file_unlock(&f) ;
    }
    file_close(&f) ;
  }
  return 0 ;
}
