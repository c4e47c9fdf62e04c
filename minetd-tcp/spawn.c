/* Starting a connection's process. On Linux the fast way is
   clone(CLONE_VM|CLONE_VFORK) on a stack reserved at start-up, as
   posix_spawn does but without mapping a stack each time: no page tables
   copied, no copy-on-write faults, and the parent waits only until the
   child has exec'd. The child shares our memory until then, so everything
   it needs is prepared before, and it only moves fds, resets signals and
   calls execve; if that fails, we say why. Elsewhere, or when a link has
   work to do in the child (name lookups), or the program must be searched
   in PATH, fork. */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
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
  int err ;              /* set by the child if it fails: errno */
  int setup_failed ;     /* ... before execve */
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

/* The child shares our memory, so it must not touch skalibs' buffers nor
   call strerror (its locale data, its buffer for unknown numbers): it
   leaves errno in the job and exits. The line it would have written is
   written here, by the parent, once the child is gone: to the log, or with
   -e to the client, as the fork path's child writes it on its fd 2. */
static void spawn_report (spawn_job const *j)
{
  static char const head[] = "minetd-tcp: fatal: unable to " ;
  char const *what = j->setup_failed ? "set up the connection's fds and signals" : "exec " ;
  char const *file = j->setup_failed ? "" : j->file ;
  char const *why = strerror(j->err) ;
  struct iovec v[6] =
  {
    { .iov_base = (char *)head, .iov_len = sizeof head - 1 },
    { .iov_base = (char *)what, .iov_len = strlen(what) },
    { .iov_base = (char *)file, .iov_len = strlen(file) },
    { .iov_base = (char *)": ", .iov_len = 2 },
    { .iov_base = (char *)why, .iov_len = strlen(why) },
    { .iov_base = (char *)"\n", .iov_len = 1 },
  } ;
  if (!j->setup_failed && j->spec->sock_on_stderr)
  {
    /* never block the loop on a client: a fresh socket takes one line */
    struct msghdr mh = { .msg_iov = v, .msg_iovlen = 6 } ;
    ssize_t r = sendmsg(j->fd, &mh, MSG_DONTWAIT | MSG_NOSIGNAL) ;
    (void)r ;
  }
  else
  {
    ssize_t r = writev(2, v, 6) ;
    (void)r ;
  }
}

static int spawn_child (void *arg)
{
  spawn_job *j = arg ;
  if (!mtd_child_setup(j->spec, j->fd))
  {
    j->err = errno ;
    j->setup_failed = 1 ;
    _exit(111) ;
  }
  execve(j->file, (char *const *)j->argv, (char *const *)j->envp) ;
  j->err = errno ;
  _exit(j->err == ENOENT ? 127 : 126) ;
}

pid_t spawn_clone (int fd, mtd_childspec const *spec, char const *file, char const *const *argv, mtd_envmod const *m, int clean_env)
{
  char const *base[2] ;
  size_t envlen ;
  char const *const *envp = mtd_child_baseenv(clean_env, base, &envlen) ;
  char const *merged[envlen + m->n + 1] ;
  spawn_job job = { .fd = fd, .spec = spec, .file = file, .argv = argv, .envp = merged, .err = 0, .setup_failed = 0 } ;
  sigset_t all, old ;
  pid_t pid ;
  int e ;
  if (!env_merge(merged, envlen + m->n + 1, envp, envlen, m->s, m->len)) return (errno = ENOMEM, -1) ;
  /* Nothing may interrupt the child on our stack and memory before it
     has set its own dispositions and mask. */
  sigfillset(&all) ;
  sigprocmask(SIG_SETMASK, &all, &old) ;
  /* CLONE_VFORK: we go on only once the child has exec'd or exited, so
     what it left in job is there to read. */
  pid = clone(&spawn_child, spawn_stack_top, CLONE_VM | CLONE_VFORK | SIGCHLD, &job) ;
  e = errno ;
  sigprocmask(SIG_SETMASK, &old, 0) ;
  if (pid > 0 && job.err) spawn_report(&job) ;
  errno = e ;
  return pid ;
}

/* Under AddressSanitizer the fork path: ASan cannot follow a child running
   on our reserved stack in our memory (it warns, and false reports may
   follow), so a sanitized build (make check-san) forks. */
#if defined(__SANITIZE_ADDRESS__)
# define SPAWN_UNDER_ASAN 1
#elif defined(__has_feature)
# if __has_feature(address_sanitizer)
#  define SPAWN_UNDER_ASAN 1
# endif
#endif
#ifdef SPAWN_UNDER_ASAN
int spawn_clone_available (void) { return 0 ; }
#else
int spawn_clone_available (void) { return 1 ; }
#endif

#else

pid_t spawn_clone (int fd, mtd_childspec const *spec, char const *file, char const *const *argv, mtd_envmod const *m, int clean_env)
{
  (void)fd ; (void)spec ; (void)file ; (void)argv ; (void)m ; (void)clean_env ;
  return (errno = ENOSYS, -1) ;
}

int spawn_clone_available (void) { return 0 ; }

int spawn_init (void) { return 0 ; }

#endif
