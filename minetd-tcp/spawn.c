/* Starting a connection's process. On Linux the fast way is
   clone(CLONE_VM|CLONE_VFORK) on a stack reserved at start-up, as
   posix_spawn does but without mapping a stack each time: no page tables
   copied, no copy-on-write faults, and the parent waits only until the
   child has exec'd. The child shares our memory until then, so everything
   it needs is prepared before, and it only moves fds, resets signals and
   calls execve. Elsewhere, or when a link has work to do in the child
   (name lookups), or the program must be searched in PATH, fork. */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/uio.h>
#include <skalibs/env.h>
#include <skalibs/strerr.h>
#include "minetd-tcp.h"

#ifdef __linux__

#include <sys/mman.h>

#define SPAWN_STACK 65536

typedef struct spawn_job_s spawn_job ;
struct spawn_job_s
{
  int fd ;
  mtd_childspec const *spec ;
  char const *file ;
  char const *const *argv ;
  char const *const *envp ;
} ;

/* Mapped once, with a guard page below it: an overflow faults instead of
   writing over our data. */
static char *spawn_stack_top ;

int spawn_init (void)
{
  long page = sysconf(_SC_PAGESIZE) ;
  char *p ;
  if (page <= 0) page = 4096 ;
  p = mmap(0, SPAWN_STACK + page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0) ;
  if (p == MAP_FAILED) return 0 ;
  if (mprotect(p, page, PROT_NONE) < 0) { munmap(p, SPAWN_STACK + page) ; return 0 ; }
  spawn_stack_top = p + page + SPAWN_STACK ;
  return 1 ;
}

/* The same words strerr would write, with nothing but writev(2): the
   child shares our memory, so it must not touch skalibs' buffers. strerror
   only reads a table here: our single thread is suspended, so no lock it
   might take can be held. */
static void child_die (char const *what, char const *file, int e)
{
  static char const head[] = "minetd-tcp: fatal: unable to " ;
  char const *why = strerror(e) ;
  struct iovec v[6] =
  {
    { .iov_base = (char *)head, .iov_len = sizeof head - 1 },
    { .iov_base = (char *)what, .iov_len = strlen(what) },
    { .iov_base = (char *)file, .iov_len = strlen(file) },
    { .iov_base = (char *)": ", .iov_len = 2 },
    { .iov_base = (char *)why, .iov_len = strlen(why) },
    { .iov_base = (char *)"\n", .iov_len = 1 },
  } ;
  ssize_t r = writev(2, v, 6) ;
  (void)r ;
}

static int spawn_child (void *arg)
{
  spawn_job const *j = arg ;
  if (!mtd_child_setup(j->spec, j->fd))
  {
    child_die("set up the connection's fds and signals", "", errno) ;
    _exit(111) ;
  }
  execve(j->file, (char *const *)j->argv, (char *const *)j->envp) ;
  {
    int e = errno ;
    child_die("exec ", j->file, e) ;
    _exit(e == ENOENT ? 127 : 126) ;
  }
}

pid_t spawn_clone (int fd, mtd_childspec const *spec, char const *file, char const *const *argv, mtd_envmod const *m, int clean_env)
{
  char const *base[2] ;
  size_t envlen ;
  char const *const *envp = mtd_child_baseenv(clean_env, base, &envlen) ;
  char const *merged[envlen + m->n + 1] ;
  spawn_job job = { .fd = fd, .spec = spec, .file = file, .argv = argv, .envp = merged } ;
  sigset_t all, old ;
  pid_t pid ;
  int e ;
  if (!env_merge(merged, envlen + m->n + 1, envp, envlen, m->s, m->len)) return (errno = ENOMEM, -1) ;
  /* Nothing may interrupt the child on our stack and memory before it
     has set its own dispositions and mask. */
  sigfillset(&all) ;
  sigprocmask(SIG_SETMASK, &all, &old) ;
  pid = clone(&spawn_child, spawn_stack_top, CLONE_VM | CLONE_VFORK | SIGCHLD, &job) ;
  e = errno ;
  sigprocmask(SIG_SETMASK, &old, 0) ;
  errno = e ;
  return pid ;
}

int spawn_clone_available (void) { return 1 ; }

#else

pid_t spawn_clone (int fd, mtd_childspec const *spec, char const *file, char const *const *argv, mtd_envmod const *m, int clean_env)
{
  (void)fd ; (void)spec ; (void)file ; (void)argv ; (void)m ; (void)clean_env ;
  return (errno = ENOSYS, -1) ;
}

int spawn_clone_available (void) { return 0 ; }

int spawn_init (void) { return 0 ; }

#endif
