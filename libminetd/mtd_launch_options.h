/* The options minetd-tcp and minetd-udp share (-1 -v -u -g -G -U -d -k
   -E -i) and their operands, { -i | host port } prog...: one parse for
   both, each bad argument one line and exit 100. */
#ifndef MTD_LAUNCH_OPTIONS_H
#define MTD_LAUNCH_OPTIONS_H

#include <stdint.h>
#include <skalibs/ip46.h>
#include "mtd_child.h"
#include "mtd_privdrop.h"

typedef struct mtd_launch_options_s mtd_launch_options ;
struct mtd_launch_options_s
{
  int print_port ;
  int verbose ;
  int inherited ;
  int force_exec ;
  int notif_fd ;                 /* -1: none */
  mtd_privdrop priv ;
  ip46 ip ;
  int dualstack ;
  uint16_t port ;
  char const *const *argv ;      /* the program's command */
  mtd_childspec child ;
} ;

/* Zeroes o, then the defaults: no notification fd, no fd kept. */
extern void mtd_launch_options_init (mtd_launch_options *o) ;

/* opt, as subgetopt returned it, with its argument: 1 if it is one of
   the shared options (taken into o), 0 if not. */
extern int mtd_launch_option (mtd_launch_options *o, int opt, char const *arg) ;

/* What is left after the options: host and port unless -i, then the
   program, non-empty. usage: the usage line, for a missing operand. */
extern void mtd_launch_operands (mtd_launch_options *o, int argc, char const *const *argv, char const *usage) ;

/* The fds -d and -k name must be open. */
extern void mtd_launch_options_check_fds (mtd_launch_options const *o) ;

#endif
