/* A connection's process, between fork and exec. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <signal.h>
#include <sys/stat.h>
#include <skalibs/strerr.h>
#include <skalibs/exec.h>
#include <skalibs/env.h>
#include <skalibs/nsig.h>
#include "mtd_child.h"
#include "mtd_compat.h"

#if defined(__linux__) && (defined(__x86_64__) || defined(__aarch64__))
#include <sys/syscall.h>

/* The kernel's own struct sigaction on these architectures. */
struct ksigaction
{
  void (*handler) (int) ;
  unsigned long flags ;
  void (*restorer) (void) ;
  unsigned long mask ;
} ;

int mtd_sig_ignored (int sig)
{
  struct ksigaction old ;
  return syscall(SYS_rt_sigaction, sig, 0, &old, sizeof old.mask) == 0 && old.handler == SIG_IGN ;
}

void mtd_sig_default (int sig)
{
  struct ksigaction dfl = { .handler = SIG_DFL } ;
  syscall(SYS_rt_sigaction, sig, &dfl, 0, sizeof dfl.mask) ;
}

#else

int mtd_sig_ignored (int sig)
{
  struct sigaction sa ;
  return sigaction(sig, 0, &sa) == 0 && sa.sa_handler == SIG_IGN ;
}

void mtd_sig_default (int sig)
{
  signal(sig, SIG_DFL) ;
}

#endif

void mtd_childspec_init (mtd_childspec *spec)
{
  spec->nkeep = 0 ;
  spec->sock_on_stderr = 0 ;
  spec->ignored = 0 ;
  for (int sig = 1 ; sig < NSIG && sig <= 64 ; sig++)
    if (sig != SIGKILL && sig != SIGSTOP && mtd_sig_ignored(sig)) spec->ignored |= (uint64_t)1 << (sig - 1) ;
}

int mtd_childspec_keep (mtd_childspec *spec, int fd)
{
  unsigned int i ;
  if (fd < 3 || spec->nkeep >= MTD_KEEPFDS_MAX) return 0 ;
  for (i = spec->nkeep ; i && spec->keepfds[i-1] > fd ; i--) spec->keepfds[i] = spec->keepfds[i-1] ;
  spec->keepfds[i] = fd ;
  spec->nkeep++ ;
  return 1 ;
}

static void close_from_to (int from, int to)  /* inclusive; to < 0: no limit */
{
  if (to >= 0 && to < from) return ;
  mtd_close_range((unsigned int)from, to < 0 ? ~0U : (unsigned int)to) ;
}

/* Every fd from `from` up closed but the kept ones; signals back to
   default and unblocked. */
static int finish_setup (mtd_childspec const *spec, int from)
{
  sigset_t empty ;
  for (unsigned int i = 0 ; i < spec->nkeep ; i++)
  {
    if (spec->keepfds[i] < from) continue ;
    close_from_to(from, spec->keepfds[i] - 1) ;
    from = spec->keepfds[i] + 1 ;
  }
  close_from_to(from, -1) ;
  for (int sig = 1 ; sig <= 64 ; sig++)
    if (spec->ignored >> (sig - 1) & 1) mtd_sig_default(sig) ;
  sigemptyset(&empty) ;
  return sigprocmask(SIG_SETMASK, &empty, 0) == 0 ;
}

int mtd_child_setup (mtd_childspec const *spec, int sock)
{
  if (sock != 0 && dup2(sock, 0) < 0) return 0 ;
  if (sock != 1 && dup2(sock, 1) < 0) return 0 ;
  if (spec->sock_on_stderr && sock != 2 && dup2(sock, 2) < 0) return 0 ;
  return finish_setup(spec, 3) ;
}

int mtd_child_setup_activation (mtd_childspec const *spec, int sock)
{
  int null ;
  if (sock == 3) { if (fcntl(3, F_SETFD, 0) < 0) return 0 ; }
  else if (dup2(sock, 3) < 0) return 0 ;
  null = open("/dev/null", O_RDONLY) ;
  if (null < 0) return 0 ;
  if (null != 0)
  {
    if (dup2(null, 0) < 0) return 0 ;
    if (null != 3) close(null) ;
  }
  return finish_setup(spec, 4) ;
}

char const *const *mtd_child_baseenv (int clean_env, char const **base, size_t *len)
{
  char const *const *env = (char const *const *)environ ;
  if (!clean_env) { *len = env_len(env) ; return env ; }
  *len = 0 ;
  for (; *env ; env++)
    if (!strncmp(*env, "PATH=", 5)) { base[(*len)++] = *env ; break ; }
  base[*len] = 0 ;
  return base ;
}

void mtd_child_exec (char const *file, char const *const *argv, mtd_envmod const *m, int clean_env)
{
  char const *base[2] ;
  size_t len ;
  char const *const *env = mtd_child_baseenv(clean_env, base, &len) ;
  mexec_afn(file, argv, env, len, m->s, m->len, m->n) ;
  strerr_dieexec(errno == ENOENT ? 127 : 126, file) ;
}

char const *mtd_path_resolve (char const *name)
{
  static char buf[PATH_MAX] ;
  char const *path = getenv("PATH") ;
  size_t nlen = strlen(name) ;
  if (strchr(name, '/') || !path) return name ;
  while (*path)
  {
    size_t dlen = strcspn(path, ":") ;
    if (dlen + 1 + nlen < sizeof buf)
    {
      if (dlen) { memcpy(buf, path, dlen) ; buf[dlen] = '/' ; memcpy(buf + dlen + 1, name, nlen + 1) ; }
      else { buf[0] = '.' ; buf[1] = '/' ; memcpy(buf + 2, name, nlen + 1) ; }
      struct stat st ;
      if (!access(buf, X_OK) && !stat(buf, &st) && S_ISREG(st.st_mode)) return buf ;
    }
    path += dlen ;
    if (*path == ':') path++ ;
  }
  return name ;
}
