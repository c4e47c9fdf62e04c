/* The command line minetd-sup runs for a service: the launcher
   (minetd-tcp, or minetd-udp for a udp service), then the access rules
   (minetd-env), then the rate gate (minetd-rate), then the limits
   (minetd-limit), then the program (or minetd-internal NAME for
   internal:NAME). Used to run it, to print it
   (-t) and to write run scripts. */
#ifndef MTD_SUP_CHAIN_H
#define MTD_SUP_CHAIN_H

#include <skalibs/stralloc.h>
#include "mtd_conf.h"

#define MTD_CHAIN_STANDALONE 0x1  /* the launcher binds HOST PORT itself instead of -i */

/* Appends the chain's words to sa, each 0-terminated. bindir: directory
   of minetd-tcp, minetd-udp, minetd-env, minetd-rate, minetd-internal (0:
   bare names, found in PATH). rundir: where the rate state file
   <name>.rate lives. notiffd >= 0 adds "-d notiffd" to the launcher.
   The first word is always the launcher. Returns the number of words, or
   -1 (ENOMEM). */
extern int mtd_sup_chain (stralloc *sa, mtd_conf_service const *s, char const *bindir, char const *rundir, unsigned int flags, int notiffd) ;

/* Points argv[0..n-1] at the n words in s (as mtd_sup_chain wrote them)
   and sets argv[n] = 0. argv must have room for n+1. */
extern void mtd_sup_chain_argv (char const *s, unsigned int n, char const **argv) ;

/* Appends w to sa quoted for a POSIX shell (bare if it only holds safe
   characters). 1 or 0 (ENOMEM). */
extern int mtd_sup_shell_quote (stralloc *sa, char const *w) ;

/* Appends the n words as one shell command line, no newline. 1 or 0. */
extern int mtd_sup_shell_line (stralloc *sa, char const *s, unsigned int n) ;

#endif
