/* The minetd-limit link run by a launcher (minetd-tcp, minetd-udp) when
   its command has one after any fused minetd-env/minetd-rate links (the
   fused path): parsed once, started once before the launcher drops its
   privileges (the chroot checks need the real root), applied in the
   forked connection process before exec. Its time limit is held by the
   launcher's loop (mtd_timelimit). PROG is "minetd-limit" around the
   link's own calls, so its messages read as the exec chain's. */
#ifndef MTD_LINKLIMIT_H
#define MTD_LINKLIMIT_H

#include <sys/types.h>
#include "mtd_envmod.h"
#include "mtd_privdrop.h"

/* If argv[0] is minetd-limit: parses it (usage errors exit 100 under its
   name) and returns the rest of the command; else argv. */
extern char const *const *mtd_linklimit_parse (char const *const *argv) ;
extern int mtd_linklimit_fused (void) ;

/* Once, before the launcher's own privilege drop (priv): the chroot
   checks. A chroot with a launcher that drops its uid is refused (exit
   100): the connection's process could not enter it. */
extern void mtd_linklimit_start (mtd_privdrop const *priv) ;

/* The program to exec, found once at start: in PATH if it has no slash,
   exit 100 if it is not there. With a fused chroot it is looked up by the
   connection's process inside the new root, so name is returned as it is. */
extern char const *mtd_linklimit_program (char const *name) ;

/* In the connection's process, after the other links' child work and
   before exec: mtd_limit_child. env and *clean_env as the links left
   them. */
extern void mtd_linklimit_child (mtd_envmod *env, int *clean_env) ;

/* In the launcher, just after the fork: the connection's process group
   made from this side too, so that it exists whoever runs first. */
extern void mtd_linklimit_forked (pid_t pid) ;

/* The fused time limit and grace, in seconds; 0: no time limit. */
extern unsigned int mtd_linklimit_time (void) ;
extern unsigned int mtd_linklimit_grace (void) ;

/* Wait modes: a time limit is a usage error (exit 100), fused or as the
   first link of an -E chain; what says why ("with -w: ..."). The other
   limits apply to a wait-mode program too. */
extern void mtd_linklimit_wait_check (char const *const *argv, int force_exec, char const *what) ;

#endif
