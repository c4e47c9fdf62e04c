/* minetd-udp: what its files share. */
#ifndef MINETD_UDP_H
#define MINETD_UDP_H

#include <stdint.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <time.h>
#include <skalibs/gccattributes.h>
#include <skalibs/ip46.h>
#include <skalibs/tai.h>
#include "mtd_child.h"
#include "mtd_conn.h"
#include "mtd_launch_options.h"
#include "mtd_privdrop.h"

typedef struct udp_options_s udp_options ;
struct udp_options_s
{
  int nowait ;                   /* -n; else wait mode (-w) */
  unsigned int maxprocs ;        /* -c, nowait */
  unsigned int persource ;       /* -C, nowait; 0: no per-source cap */
  unsigned int v4bits ;
  unsigned int v6bits ;
  unsigned int idle ;            /* -t seconds, nowait */
  int activation ;               /* -L: the socket on fd 3, LISTEN_FDS */
  mtd_launch_options common ;
} ;

/* options.c */
extern void options_parse (int argc, char const *const *argv, udp_options *o) ;

/* One datagram as received: its source, the local address it was sent to
   (IP_PKTINFO / IPV6_PKTINFO), the kernel's receive time. */
typedef struct udp_dgram_s udp_dgram ;
struct udp_dgram_s
{
  struct sockaddr_storage from ; /* as the socket's family has it: replies go there */
  socklen_t fromlen ;
  ip46 remote ;                  /* unmapped */
  uint16_t remoteport ;
  ip46 local ;                   /* unmapped; the bound address without pktinfo */
  uint16_t localport ;
  int have_pktinfo ;
  union { struct in_pktinfo v4 ; struct in6_pktinfo v6 ; } pktinfo ;
  struct timespec stamp ;        /* SO_TIMESTAMPNS; zero if none */
  size_t len ;                   /* the datagram's real length */
} ;

/* socket.c: the service socket, blocking (programs expect it: inetd's
   is) and close-on-exec; minetd-udp's own reads never wait. */
extern void udpsock_setup (int fd) ;
/* recvmsg without waiting (flags: MSG_PEEK or 0) into buf (max bytes):
   the bytes read (the datagram may be longer: d->len), -1 with errno. */
extern ssize_t udpsock_recv (int fd, char *buf, size_t max, int flags, udp_dgram *d) ;
/* Sends to d's source, from the address it was sent to. */
extern ssize_t udpsock_reply (int fd, char const *buf, size_t len, udp_dgram const *d) ;

/* spawn.c: fork and exec the program for one datagram's source, with sock
   on fd 0 and 1 (or fd 3 with -L). connnum 0: no UDPCONNNUM. The pid, or
   -1 with errno. */
extern void spawn_init (udp_options const *o) ;
extern pid_t spawn_program (int sock, mtd_conn *c, unsigned int connnum) ;

/* what mtd_links_filter says goes unjudged when the rules do not fit */
#define WAIT_UNJUDGED "only the datagram that wakes the program is judged, not those it reads itself"

/* pause.c: what both loops share. A fault that would make the loop spin
   (a failed fork, a link whose state file fails) pauses it: 10 ms
   doubling to 1 s, logged at the first, each doubling, then every 60. */
extern void pause_start (char const *what, char const *peer, char const *link) ;
extern void pause_end (void) ;
extern int pause_active (void) ;             /* now, per STAMP */
extern tain const *pause_until (void) ;
/* A refusal by a link: the links' summaries are due a second after. */
extern void flush_schedule (void) ;
extern void flush_deadline (tain const **deadline) ;
extern void flush_if_due (void) ;

/* wait.c, nowait.c */
extern void wait_run (udp_options const *o, int sock, int sigfd) gccattr_noreturn ;
extern void nowait_run (udp_options const *o, int sock, int sigfd) gccattr_noreturn ;

#endif
