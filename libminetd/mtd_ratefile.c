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

static int fail_sys (mtd_rate_file *f, char const *what)
{
  f->fail_errno = errno ;
  f->fail_what = what ;
  f->fail_why[0] = 0 ;
  return 0 ;
}

/* Not a system error, but a file we will not use: errno e for the caller. */
static int fail_refuse (mtd_rate_file *f, int e, char const *why, char const *num, char const *why2)
{
  size_t n = strlen(why), m = num ? strlen(num) : 0, k = why2 ? strlen(why2) : 0 ;
  if (n + m + k >= sizeof f->fail_why) m = k = 0 ;  /* our words and a number: fits */
  memcpy(f->fail_why, why, n) ;
  if (m) memcpy(f->fail_why + n, num, m) ;  /* num, why2 may be null */
  if (k) memcpy(f->fail_why + n + m, why2, k) ;
  f->fail_why[n + m + k] = 0 ;
  f->fail_what = 0 ;
  f->fail_errno = errno = e ;
  return 0 ;
}

void mtd_rate_file_report (mtd_rate_file const *f, int fatal)
{
  int e = errno ;
  errno = f->fail_errno ;
  if (f->fail_what)
  {
    if (fatal) strerr_diefusys(111, f->fail_what, " state file ", f->path) ;
    strerr_warnwusys(f->fail_what, " state file ", f->path) ;
  }
  else
  {
    if (fatal) strerr_dief(111, "state file ", f->path, " ", f->fail_why) ;
    strerr_warnw("state file ", f->path, " ", f->fail_why) ;
  }
  errno = e ;
}

static int close_fail (mtd_rate_file *f, int r)
{
  int e = errno ;
  close(f->fd) ;
  f->fd = -1 ;
  errno = e ;
  return r ;
}

/* Damaged state files keep the magic (we only ever write the exact size,
   or 0); a file of another size that does not start with it is someone's
   data (a wrong -f): never truncate it. 1, or 0 (failure set). */
static int is_state_file (mtd_rate_file *f, struct stat const *stt)
{
  char head[sizeof mtd_rate_magic] ;
  size_t want = (size_t)stt->st_size < sizeof head ? (size_t)stt->st_size : sizeof head ;
  ssize_t r ;
  if ((size_t)stt->st_size == sizeof *f->st) return 1 ;
  do r = pread(f->fd, head, want, 0) ;
  while (r < 0 && errno == EINTR) ;
  if (r < 0) return fail_sys(f, "read") ;
  if ((size_t)r != want || memcmp(head, mtd_rate_magic, want))
    return fail_refuse(f, EINVAL, "is not a minetd-rate state file: refusing to overwrite it", 0, 0) ;
  return 1 ;
}

int mtd_rate_file_open (mtd_rate_file *f, char const *path)
{
  struct stat stt ;
  void *p ;
  f->path = path ;
  f->rebuilt = 0 ;
  f->checked = 0 ;
  f->busy = 0 ;
  f->st = 0 ;
  read_bootid(f->bootid) ;
  f->fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0600) ;
  if (f->fd < 0)
  {
    if (errno == ELOOP) return fail_refuse(f, ELOOP, "is a symbolic link: refusing to follow it", 0, 0) ;
    return fail_sys(f, "open") ;
  }
  if (fstat(f->fd, &stt) < 0) return close_fail(f, fail_sys(f, "stat")) ;
  if (!S_ISREG(stt.st_mode)) return close_fail(f, fail_refuse(f, EINVAL, "is not a regular file", 0, 0)) ;
  if (stt.st_uid != geteuid())
  {
    char fmt[UID_FMT] ;
    fmt[uid_fmt(fmt, geteuid())] = 0 ;
    return close_fail(f, fail_refuse(f, EPERM, "is not owned by uid ", fmt, 0)) ;
  }
  /* A rebuild truncates the file: a hard link (planted, or a wrong -f)
     must not let it truncate anything else. */
  if (stt.st_nlink != 1)
  {
    char fmt[UINT64_FMT] ;
    fmt[uint64_fmt(fmt, (uint64_t)stt.st_nlink)] = 0 ;
    return close_fail(f, fail_refuse(f, EMLINK, "has ", fmt, " links: refusing it")) ;
  }
  if (stt.st_size && !is_state_file(f, &stt)) return close_fail(f, 0) ;
  f->dev = stt.st_dev ;
  f->ino = stt.st_ino ;
  if (stt.st_mode & 077)
  {
    strerr_warnw("state file ", path, " was readable or writable by others: mode reset to 0600") ;
    if (fchmod(f->fd, 0600) < 0) return close_fail(f, fail_sys(f, "chmod")) ;
  }
  /* the mapping may reach past the end of a short file: mtd_rate_file_lock
     extends it before any access */
  p = mmap(0, sizeof *f->st, PROT_READ | PROT_WRITE, MAP_SHARED, f->fd, 0) ;
  if (p == MAP_FAILED) return close_fail(f, fail_sys(f, "map")) ;
  f->st = p ;
  return 1 ;
}

int mtd_rate_file_rebuild (mtd_rate_file *f, char const *why)
{
  int e ;
  /* in place, same inode: every process that has it mapped sees the new one */
  if (ftruncate(f->fd, 0) < 0) return fail_sys(f, "rebuild") ;
  /* allocated, not sparse: on a full tmpfs a fault in a hole is SIGBUS */
  e = posix_fallocate(f->fd, 0, sizeof *f->st) ;
  if (e == EOPNOTSUPP || e == EINVAL) e = ftruncate(f->fd, sizeof *f->st) < 0 ? errno : 0 ;
  if (e) { errno = e ; return fail_sys(f, "rebuild") ; }
  mtd_rate_init(f->st, f->bootid) ;
  if (why) f->rebuilt = why ;
  return 1 ;
}

/* flock has no timeout: it is polled (LOCK_NB), sleeping a little longer
   each time, for at most MTD_RATE_LOCK_WAIT_MS. An unbounded wait would
   stall minetd-tcp's accept loop, and its signals, behind any process
   that keeps the file locked. Once a wait has run out, later calls try
   once without waiting, until one gets the lock: a process that keeps the
   lock (a stopped one, say) costs a long-running caller one wait, not one
   per connection. 1 locked, 0 busy (errno EWOULDBLOCK), -1 failure. */
static int take_lock (mtd_rate_file *f)
{
  uint64_t deadline = 0 ;
  long ns = 250000 ;
  for (;;)
  {
    struct timespec ts ;
    uint64_t now ;
    if (!flock(f->fd, LOCK_EX | LOCK_NB)) { f->busy = 0 ; return 1 ; }
    if (errno == EINTR) continue ;
    if (errno != EWOULDBLOCK) { fail_sys(f, "lock") ; return -1 ; }
    if (f->busy) return 0 ;
    now = mtd_rate_now() ;
    if (!deadline) deadline = now + (uint64_t)MTD_RATE_LOCK_WAIT_MS * 1000000 ;
    else if (now >= deadline) { f->busy = 1 ; errno = EWOULDBLOCK ; return 0 ; }
    if ((uint64_t)ns > deadline - now) ns = (long)(deadline - now) ;
    ts.tv_sec = 0 ; ts.tv_nsec = ns ;
    nanosleep(&ts, 0) ;   /* interrupted: try again sooner, no harm */
    if (ns < 8000000) ns *= 2 ;
  }
}

/* Under the lock, the state after any rebuild: 1, or 0 (failure set). */
static int make_sound (mtd_rate_file *f, struct stat const *stt, uint64_t now)
{
  char const *why ;
  if (!stt->st_size) return mtd_rate_file_rebuild(f, 0) ;   /* new file */
  if ((size_t)stt->st_size != sizeof *f->st)
    return is_state_file(f, stt) && mtd_rate_file_rebuild(f, "wrong size") ;
  if (!mtd_rate_check_header(f->st, f->bootid, &why)) return mtd_rate_file_rebuild(f, why) ;
  /* once per process, and after a crash (a process died while changing
     it): nothing in it is trusted before it is checked in full */
  if (!f->checked || f->st->dirty)
  {
    if (!mtd_rate_check(f->st, f->bootid, now, &why)) return mtd_rate_file_rebuild(f, why) ;
    f->st->dirty = 0 ;
  }
  return 1 ;
}

/* Does the path still name the open file? A long-running process that
   kept a deleted or replaced file would judge by a window nobody else
   sees. One lstat, and the fstat the lock needs anyway. 1 yes, 0 no,
   -1 failure. */
static int still_named (mtd_rate_file *f, struct stat const *fst)
{
  struct stat pst ;
  if (!fst->st_nlink) return 0 ;
  if (lstat(f->path, &pst) < 0)
  {
    if (errno == ENOENT) return 0 ;
    fail_sys(f, "stat") ;
    return -1 ;
  }
  return pst.st_dev == fst->st_dev && pst.st_ino == fst->st_ino ;
}

/* The file the path names now, opened and checked as at start-up; if it
   cannot be, the old one stays open, and 0 says why. */
static int reopen (mtd_rate_file *f)
{
  mtd_rate_file nf ;
  if (!mtd_rate_file_open(&nf, f->path))
  {
    f->fail_errno = nf.fail_errno ;
    f->fail_what = nf.fail_what ;
    memcpy(f->fail_why, nf.fail_why, sizeof f->fail_why) ;
    return 0 ;
  }
  munmap(f->st, sizeof *f->st) ;
  close(f->fd) ;
  *f = nf ;
  return 1 ;
}

int mtd_rate_file_follow (mtd_rate_file *f)
{
  struct stat stt ;
  int r ;
  if (fstat(f->fd, &stt) < 0) return fail_sys(f, "stat") ;
  r = still_named(f, &stt) ;
  return r < 0 ? 0 : r ? 1 : reopen(f) ;
}

int mtd_rate_file_lock (mtd_rate_file *f, uint64_t *now)
{
  struct stat stt ;
  for (unsigned int tries = 0 ;; tries++)
  {
    int r = take_lock(f) ;
    if (r <= 0) return r ;
    if (fstat(f->fd, &stt) < 0) { fail_sys(f, "stat") ; goto err ; }
    if (tries == 2) break ;   /* replaced again and again: this one, this time */
    r = still_named(f, &stt) ;
    if (r > 0) break ;
    if (r < 0) goto err ;
    flock(f->fd, LOCK_UN) ;
    if (!reopen(f)) return -1 ;
  }
  /* the clock is read under the lock, so times in the file never go back */
  *now = mtd_rate_now() ;
  if (!make_sound(f, &stt, *now)) goto err ;
  f->checked = 1 ;
  return 1 ;
 err:
  {
    int e = errno ;
    flock(f->fd, LOCK_UN) ;
    f->rebuilt = 0 ;
    errno = e ;
    return -1 ;
  }
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
