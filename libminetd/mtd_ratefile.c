/* The shared rate state file: opened without following links, mapped,
   locked around each decision, never trusted, rebuilt in place. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <skalibs/types.h>
#include <skalibs/strerr.h>
#include "mtd_ratefile.h"

uint64_t mtd_rate_now (void)
{
  struct timespec ts ;
  /* monotonic: setting the wall clock neither locks nor unlocks a service */
  if (clock_gettime(CLOCK_MONOTONIC, &ts) < 0) strerr_diefu1sys(111, "read the monotonic clock") ;
  return (uint64_t)ts.tv_sec * MTD_RATE_SECOND + (uint64_t)ts.tv_nsec ;
}

static void read_bootid (unsigned char *id)
{
  char buf[64] ;
  ssize_t r ;
  size_t j = 0 ;
  int fd = open("/proc/sys/kernel/random/boot_id", O_RDONLY | O_CLOEXEC) ;
  memset(id, 0, 16) ;
  if (fd < 0) return ;  /* then only "no time in the future" guards a reboot */
  r = read(fd, buf, sizeof buf - 1) ;
  close(fd) ;
  if (r <= 0) return ;
  for (ssize_t i = 0 ; i < r && j < 32 ; i++)
  {
    unsigned char c = buf[i], d ;
    if (c >= '0' && c <= '9') d = c - '0' ;
    else if (c >= 'a' && c <= 'f') d = c - 'a' + 10 ;
    else continue ;
    id[j / 2] |= (j & 1) ? d : d << 4 ;
    j++ ;
  }
}

void mtd_rate_file_open (mtd_rate_file *f, char const *path)
{
  struct stat stt ;
  void *p ;
  f->path = path ;
  f->rebuilt = 0 ;
  read_bootid(f->bootid) ;
  f->fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0600) ;
  if (f->fd < 0)
  {
    if (errno == ELOOP) strerr_dief(111, "state file ", path, " is a symbolic link: refusing to follow it") ;
    strerr_diefusys(111, "open state file ", path) ;
  }
  if (fstat(f->fd, &stt) < 0) strerr_diefusys(111, "stat state file ", path) ;
  if (!S_ISREG(stt.st_mode)) strerr_dief(111, "state file ", path, " is not a regular file") ;
  if (stt.st_uid != geteuid())
  {
    char fmt[UID_FMT] ;
    fmt[uid_fmt(fmt, geteuid())] = 0 ;
    strerr_dief(111, "state file ", path, " is not owned by uid ", fmt) ;
  }
  /* A rebuild truncates the file: a hard link (planted, or a wrong -f)
     must not let it truncate anything else. */
  if (stt.st_nlink != 1)
  {
    char fmt[UINT64_FMT] ;
    fmt[uint64_fmt(fmt, (uint64_t)stt.st_nlink)] = 0 ;
    strerr_dief(111, "state file ", path, " has ", fmt, " links: refusing it") ;
  }
  while (flock(f->fd, LOCK_EX) < 0)
    if (errno != EINTR) strerr_diefusys(111, "lock state file ", path) ;
  if (fstat(f->fd, &stt) < 0) strerr_diefusys(111, "stat state file ", path) ;
  if (stt.st_size && (size_t)stt.st_size != sizeof *f->st)
  {
    /* Damaged state files keep the magic (we only ever write the exact
       size, or 0); anything else is someone's data: never overwrite it. */
    char head[sizeof mtd_rate_magic] ;
    size_t want = (size_t)stt.st_size < sizeof head ? (size_t)stt.st_size : sizeof head ;
    ssize_t r ;
    do r = pread(f->fd, head, want, 0) ;
    while (r < 0 && errno == EINTR) ;
    if (r < 0) strerr_diefusys(111, "read state file ", path) ;
    if ((size_t)r != want || memcmp(head, mtd_rate_magic, want))
      strerr_dief(111, "state file ", path, " is not a minetd-rate state file: refusing to overwrite it") ;
  }
  flock(f->fd, LOCK_UN) ;
  if (stt.st_mode & 077)
  {
    strerr_warnw("state file ", path, " was readable or writable by others: mode reset to 0600") ;
    if (fchmod(f->fd, 0600) < 0) strerr_diefusys(111, "chmod state file ", path) ;
  }
  /* the mapping may reach past the end of a short file: mtd_rate_file_lock
     extends it before any access */
  p = mmap(0, sizeof *f->st, PROT_READ | PROT_WRITE, MAP_SHARED, f->fd, 0) ;
  if (p == MAP_FAILED) strerr_diefusys(111, "map state file ", path) ;
  f->st = p ;
}

void mtd_rate_file_rebuild (mtd_rate_file *f, char const *why)
{
  int e ;
  if (why) f->rebuilt = why ;
  /* in place, same inode: every process that has it mapped sees the new one */
  if (ftruncate(f->fd, 0) < 0) strerr_diefusys(111, "rebuild state file ", f->path) ;
  /* allocated, not sparse: on a full tmpfs a fault in a hole is SIGBUS */
  e = posix_fallocate(f->fd, 0, sizeof *f->st) ;
  if (e == EOPNOTSUPP || e == EINVAL) e = ftruncate(f->fd, sizeof *f->st) < 0 ? errno : 0 ;
  if (e) { errno = e ; strerr_diefusys(111, "rebuild state file ", f->path) ; }
  mtd_rate_init(f->st, f->bootid) ;
}

uint64_t mtd_rate_file_lock (mtd_rate_file *f)
{
  struct stat stt ;
  char const *why ;
  uint64_t now ;
  while (flock(f->fd, LOCK_EX) < 0)
    if (errno != EINTR) strerr_diefusys(111, "lock state file ", f->path) ;
  /* the clock is read under the lock, so times in the file never go back */
  now = mtd_rate_now() ;
  if (fstat(f->fd, &stt) < 0) strerr_diefusys(111, "stat state file ", f->path) ;
  if (!stt.st_size) mtd_rate_file_rebuild(f, 0) ;   /* new file */
  else if ((size_t)stt.st_size != sizeof *f->st) mtd_rate_file_rebuild(f, "wrong size") ;
  else if (!mtd_rate_check_header(f->st, f->bootid, &why)) mtd_rate_file_rebuild(f, why) ;
  else if (f->st->dirty)
  {
    /* a process died while changing it: trust it only if all of it is sound */
    if (!mtd_rate_check(f->st, f->bootid, now, &why)) mtd_rate_file_rebuild(f, why) ;
    else f->st->dirty = 0 ;
  }
  return now ;
}

void mtd_rate_file_dirty (mtd_rate_file *f)
{
  f->st->dirty = 1 ;
}

void mtd_rate_file_unlock (mtd_rate_file *f)
{
  f->st->dirty = 0 ;
  flock(f->fd, LOCK_UN) ;
  if (f->rebuilt)
  {
    strerr_warnw("state file ", f->path, ": ", f->rebuilt, ": rebuilding it") ;
    f->rebuilt = 0 ;
  }
}
