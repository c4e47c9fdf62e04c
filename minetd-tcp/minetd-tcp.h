/* minetd-tcp: what its files share. */
#ifndef MINETD_TCP_H
#define MINETD_TCP_H

#include <stdint.h>
#include <sys/types.h>
#include <limits.h>
#include <skalibs/ip46.h>
#include "mtd_child.h"
#include "mtd_conn.h"
#include "mtd_launch_options.h"
#include "mtd_links.h"
#include "mtd_privdrop.h"
#include "mtd_timelimit.h"

typedef struct tcp_options_s tcp_options ;
struct tcp_options_s
{
  unsigned int maxconn ;
  unsigned int persource ;       /* 0: no per-source cap */
  unsigned int v4bits ;
  unsigned int v6bits ;
  char *refusal ;                /* unescaped; used only if refuse_at_cap */
  size_t refusallen ;
  int refuse_at_cap ;
  int backlog ;
  int nodelay ;
  int keepalive ;
  int wait ;                     /* -w: the program gets the listener */
  int socket_activation ;        /* -L: ... on fd 3, with LISTEN_FDS */
  mtd_launch_options common ;   /* argv: the per-connection command */
} ;

/* options.c */
extern void options_parse (int argc, char const *const *argv, tcp_options *o) ;

/* listener.c */
extern void listener_sockopts (tcp_options const *o, int fd) ;

/* conntable.c: live connections, by pid and by source prefix, each with
   its time limit (mtd_timelimit, armed by conntable_add). */
extern void conntable_init (unsigned int max, unsigned int v4bits, unsigned int v6bits) ;
extern unsigned int conntable_count (void) ;
extern unsigned int conntable_count_source (ip46 const *ip) ;
extern void conntable_add (pid_t pid, ip46 const *ip, uint16_t port) ;
/* 1 and the connection's peer, port and time limit (limit may be 0), or
   0 if pid is not a connection's. */
extern int conntable_remove (pid_t pid, ip46 *peer, uint16_t *port, mtd_timelimit *limit) ;
/* The earliest deadline of the time limits (tain_infinite: none), and
   what is due at it, done (mtd_timelimit_fire). */
extern tain const *conntable_deadline (void) ;
extern void conntable_expire (void) ;
extern void conntable_signal_all (int sig) ;

/* spawn.c: clone(CLONE_VM|CLONE_VFORK) + execve of a prepared command. */
extern pid_t spawn_clone (int fd, mtd_childspec const *spec, char const *file, char const *const *argv, mtd_envmod const *m, int clean_env) ;
extern int spawn_clone_available (void) ;
extern int spawn_init (void) ;

/* wait.c: wait mode (-w). */
extern void wait_run (tcp_options const *o, int listener, int sigfd) gccattr_noreturn ;
/* what mtd_links_filter says goes unjudged when the rules do not fit */
#define WAIT_UNJUDGED "the connections the program accepts are not judged by them"

/* loop.c */
extern void loop_run (tcp_options const *o, int listener, int sigfd) gccattr_noreturn ;

#endif
