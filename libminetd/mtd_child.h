/* What a connection's process needs before exec: the socket on fds 0 and 1
   (and 2 if asked), no other fd open except chosen ones, default signal
   dispositions, an empty signal mask. */
#ifndef MTD_CHILD_H
#define MTD_CHILD_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <skalibs/gccattributes.h>
#include "mtd_envmod.h"

#define MTD_KEEPFDS_MAX 16

typedef struct mtd_childspec_s mtd_childspec ;
struct mtd_childspec_s
{
  int keepfds[MTD_KEEPFDS_MAX] ;  /* sorted, each >= 3 */
  unsigned int nkeep ;
  int sock_on_stderr ;
  uint64_t ignored ;              /* bit sig-1: reset to SIG_DFL in the child
                                     (not a sigset_t: glibc's sigaddset
                                     refuses signals 32 and 33) */
} ;

/* Signal dispositions as the kernel has them, for every signal: glibc's
   sigaction refuses the two it keeps for itself (32 and 33), yet a parent
   may have left them ignored, and an ignored disposition survives exec. */
extern int mtd_sig_ignored (int sig) ;
extern void mtd_sig_default (int sig) ;

/* Call after the program has set its own dispositions: records every
   signal that is ignored now, so the child can put it back to default. */
extern void mtd_childspec_init (mtd_childspec *spec) ;
/* 1, or 0 if fd < 3 or the list is full. */
extern int mtd_childspec_keep (mtd_childspec *spec, int fd) ;

/* In the child: socket to 0, 1 (and 2), close all other fds but the kept
   ones, signals back to default and unblocked. 1 or 0 (errno). */
extern int mtd_child_setup (mtd_childspec const *spec, int sock) ;

/* The same for socket activation: sock on fd 3 (LISTEN_FDS=1), fd 0
   /dev/null, fds 1 and 2 left as they are; no kept fd may be 3. */
extern int mtd_child_setup_activation (mtd_childspec const *spec, int sock) ;

/* The environment a program starts from: ours, or with clean_env only our
   PATH entry (put in base, which holds 2 pointers). *len gets its length. */
extern char const *const *mtd_child_baseenv (int clean_env, char const **base, size_t *len) ;

/* Exec file (PATH searched if it has no slash) with argv and environ
   modified by m; with clean_env, the environment is PATH (if set) plus m.
   On failure, prints "PROG: fatal: unable to exec ..." and exits 127
   (not found) or 126. */
extern void mtd_child_exec (char const *file, char const *const *argv, mtd_envmod const *m, int clean_env) gccattr_noreturn ;

/* Resolve a bare program name in PATH once, at start-up. Returns a pointer
   to a static buffer with the full path, or name itself if not found or if
   it already has a slash. */
extern char const *mtd_path_resolve (char const *name) ;

#endif
