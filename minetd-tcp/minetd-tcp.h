/* minetd-tcp: what its files share. */
#ifndef MINETD_TCP_H
#define MINETD_TCP_H

#include <stdint.h>
#include <sys/types.h>
#include <limits.h>
#include <skalibs/ip46.h>
#include <skalibs/iopause.h>
#include "mtd_child.h"
#include "mtd_conn.h"
#include "mtd_launch_options.h"
#include "mtd_links.h"
#include "mtd_privdrop.h"
#include "mtd_timelimit.h"

/* -F: the balancers' prefixes */
#define PROXY_FROM_MAX 32
typedef struct proxy_prefix_s proxy_prefix ;
struct proxy_prefix_s
{
  ip46 net ;
  unsigned int bits ;
} ;

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
  unsigned int proxy ;           /* -H: MTD_PROXY_V1, _V2, _ANY; 0: no header */
  proxy_prefix proxy_from[PROXY_FROM_MAX] ;   /* -F */
  unsigned int nproxy_from ;
  int proxy_refuse_others ;      /* -X: close what comes from elsewhere */
  unsigned int proxy_timeout ;   /* -W seconds */
  unsigned int proxy_pending ;   /* -Q: headers read at once */
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
/* counted 0: in the total only, no source's count (-C) */
extern void conntable_add (pid_t pid, ip46 const *ip, uint16_t port, int counted) ;
/* 1 and the connection's peer, port and time limit (limit may be 0), or
   0 if pid is not a connection's. */
extern int conntable_remove (pid_t pid, ip46 *peer, uint16_t *port, mtd_timelimit *limit) ;
/* The earliest deadline of the time limits (tain_infinite: none), and
   what is due at it, done (mtd_timelimit_fire). */
extern tain const *conntable_deadline (void) ;
extern void conntable_expire (void) ;
extern void conntable_signal_all (int sig) ;

/* proxy.c: connections from a balancer (-H -F) held until their PROXY
   header is read, each with a deadline, in a table of -Q slots allocated
   once; nothing of the client's bytes after the header is consumed. */
typedef struct proxy_conn_s proxy_conn ;
struct proxy_conn_s
{
  ip46 remote ;          /* the client: the header's source, or the balancer */
  uint16_t remoteport ;
  int have_local ;       /* the header's destination, in local */
  ip46 local ;
  uint16_t localport ;
  int counted ;          /* 0: v2 LOCAL, the balancer's own (health checks) */
  ip46 balancer ;        /* the connection's own peer */
  uint16_t balancerport ;
} ;
extern void proxy_init (tcp_options const *o) ;
extern int proxy_trusted (ip46 const *ip) ;
extern unsigned int proxy_pending_count (void) ;
extern int proxy_pending_room (void) ;
extern void proxy_pending_add (int fd, ip46 const *ip, uint16_t port) ;
/* untrusted sources refused (-X): counted in the summary */
extern void proxy_refused_untrusted (ip46 const *ip, uint16_t port) ;
/* Puts the pending fds in x (at most -Q), returns how many. */
extern unsigned int proxy_pending_fill (iopause_fd *x) ;
/* After iopause on what proxy_pending_fill(x) gave, for i from the last
   down to 0 (a closed slot takes the last one's place): -1 still
   pending or closed; else the fd of a complete header, its connection
   in *pc. */
extern int proxy_pending_ready (unsigned int i, iopause_fd const *x, proxy_conn *pc) ;
/* The earliest deadline (headers, the next summary line), and closing
   what is due then. */
extern tain const *proxy_deadline (void) ;
extern void proxy_expire (void) ;

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
