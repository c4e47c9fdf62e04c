/* The minetd-limit link: resource limits, nice, umask, chroot,
   no_new_privs, process group or session, environment and a wall-clock
   time limit for one connection's process. The standalone minetd-limit
   program and the launchers' fused path (mtd_linklimit) call, in this order:
     mtd_limit_parse (once) -> mtd_limit_start (once, as the real root if
     there is a chroot) -> per connection, in the connection process
     before exec: mtd_limit_child.
   The time limit cannot be applied by the connection process itself: the
   caller reads mtd_limit_deadline and mtd_limit_grace and holds the
   deadline (the standalone program stays as a small supervisor; a fused
   launcher keeps it in its accept loop). The caller sets PROG to
   "minetd-limit" around these calls so messages read the same in both
   modes. */
#ifndef MTD_LIMIT_H
#define MTD_LIMIT_H

#include <stddef.h>
#include <limits.h>
#include <sys/resource.h>
#include "mtd_envmod.h"
#include "mtd_privdrop.h"

/* The resource limits, in this order in mtd_limit_config.rlimit. */
enum
{
  MTD_LIMIT_AS,      /* -a bytes */
  MTD_LIMIT_CORE,    /* -c bytes */
  MTD_LIMIT_DATA,    /* -d bytes */
  MTD_LIMIT_FSIZE,   /* -f bytes */
  MTD_LIMIT_NOFILE,  /* -o count */
  MTD_LIMIT_NPROC,   /* -p count */
  MTD_LIMIT_STACK,   /* -s bytes */
  MTD_LIMIT_CPU,     /* -t seconds */
  MTD_LIMIT_N
} ;

#define MTD_LIMIT_VARS_MAX 64         /* -e and -x each */
#define MTD_LIMIT_TIME_MAX 31536000U  /* -T and -k: at most a year */
#define MTD_LIMIT_GRACE_DEFAULT 5     /* -k */

/* The process group the connection process gets. */
#define MTD_LIMIT_GROUP_NONE 0
#define MTD_LIMIT_GROUP_PGRP 1        /* -P, or implied by -T */
#define MTD_LIMIT_GROUP_SESSION 2     /* -S */

typedef struct mtd_limit_rlimit_s mtd_limit_rlimit ;
struct mtd_limit_rlimit_s
{
  unsigned char set ;       /* 0: leave it alone */
  unsigned char has_hard ;  /* 0: soft only, the hard limit stays */
  rlim_t soft ;             /* RLIM_INFINITY for "unlimited" */
  rlim_t hard ;
} ;

typedef struct mtd_limit_config_s mtd_limit_config ;
struct mtd_limit_config_s
{
  mtd_limit_rlimit rlimit[MTD_LIMIT_N] ;
  int has_nice ;                    /* -n */
  int nice ;                        /* -20..19, set absolutely */
  int umask ;                       /* -M; -1: unchanged */
  char const *chroot ;              /* -/ as given; 0: none */
  char chroot_real[PATH_MAX] ;      /* resolved by mtd_limit_start */
  int no_new_privs ;                /* -N */
  int group ;                       /* MTD_LIMIT_GROUP_* */
  char const *setenv[MTD_LIMIT_VARS_MAX] ;   /* -e VAR=VALUE */
  unsigned int nsetenv ;
  char const *passenv[MTD_LIMIT_VARS_MAX] ;  /* -x NAME */
  unsigned int npassenv ;           /* 0: every variable passes */
  unsigned int time_limit ;         /* -T seconds; 0: none */
  unsigned int grace ;              /* -k seconds from SIGTERM to SIGKILL */
  mtd_privdrop priv ;               /* -u -g -G -U: after the chroot */
} ;

/* The kind of value an option takes. */
#define MTD_LIMIT_BYTES 1     /* a k, m or g suffix (binary) is allowed */
#define MTD_LIMIT_COUNT 0

/* Scans "soft[:hard]", each a number (with a k/m/g suffix for bytes) or
   "unlimited", into r. 1, or 0 with *why saying what is wrong (not a
   number, unknown unit, too large, soft above hard). Pure: for the unit
   test and the fuzzer. */
extern int mtd_limit_value_scan (char const *s, int bytes, mtd_limit_rlimit *r, char const **why) ;

/* argv[0] is "minetd-limit" (or a path to it). Returns the index of the
   rest of the chain: argv + ret is PROG... On bad usage prints
   "minetd-limit: fatal: ..." and the usage line, and exits 100. */
extern int mtd_limit_parse (int argc, char const *const *argv, mtd_limit_config *c) ;

/* Checks that need to be made once, before any privilege drop: the chroot
   directory exists, is a directory, and neither it nor any directory
   above it may be written by anyone but root or us (a sticky directory,
   like /tmp, above it is accepted). Resolves it into c->chroot_real.
   Exits 100 with the reason if it is refused, 111 on a system error. */
extern void mtd_limit_start (mtd_limit_config *c) ;

/* mtd_limit_start's checks of a chroot directory, without exiting, for
   minetd-sup -t: 1 if it is accepted (real, PATH_MAX bytes, holds it
   resolved), 0 if it is refused (why, MTD_LIMIT_WHY_MAX bytes, says why:
   "chroot directory /x: No such file or directory", "refusing chroot
   directory: /x is writable by group or others"), -1 on a system error
   (errno; why names what could not be done: "stat /x"). */
#define MTD_LIMIT_WHY_MAX (PATH_MAX + 64)
extern int mtd_limit_chroot_check (char const *chroot_dir, char *real, char *why) ;

/* A variable name -e and -x take: letters, digits, '_', not starting
   with a digit, at most 255 bytes. */
extern int mtd_limit_var_name_ok (char const *s, size_t len) ;

/* In the connection process, before exec: own process group or session,
   the environment (passenv: the launcher's variables named by -x, the
   UCSPI ones and PATH, put before what earlier links set in env; then -e
   after it), rlimits, nice, umask, chroot and chdir("/"), the privilege
   drop (-u -g -G -U: last but one, as chroot, raising a hard limit and a
   negative nice need root), no_new_privs.
   Sets *clean_env to 1 if the program must start from a clean
   environment (-x given), leaves it alone otherwise. Every failure is
   fatal: "minetd-limit: fatal: unable to ...: reason", exit 111. */
extern void mtd_limit_child (mtd_limit_config const *c, mtd_envmod *env, int *clean_env) ;

/* For the caller holding the time limit: seconds from the start of the
   connection to SIGTERM to its process group (0: no time limit), then
   seconds to SIGKILL. A time limit implies the process group. */
extern unsigned int mtd_limit_deadline (mtd_limit_config const *c) ;
extern unsigned int mtd_limit_grace (mtd_limit_config const *c) ;

/* The option letter of resource i, for messages ("-a"). */
extern char mtd_limit_letter (unsigned int i) ;

#endif
