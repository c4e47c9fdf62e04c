/* What every launcher (minetd-tcp, minetd-udp) does the same way at
   start-up: fds 0-2 filled, signals held then trapped through a selfpipe,
   the service manager's variables scrubbed, readiness written, the socket
   bound or the given one found. PROG names the launcher in its messages. */
#ifndef MTD_LAUNCH_H
#define MTD_LAUNCH_H

#include "mtd_launch_options.h"

/* A socket or relay must never land on fd 0, 1 or 2 of the launcher:
   opens /dev/null on any of them that is closed. Exit 111 on failure. */
extern void mtd_launch_std_fds (void) ;

/* Call first: SIGCHLD SIGTERM SIGINT SIGQUIT back to their default
   dispositions (an ignored one would be discarded, never read from the
   selfpipe), SIGHUP ignored until the loop can read it. */
extern void mtd_launch_signals_hold (void) ;

/* Once set up: the selfpipe (its fd returned) traps those five signals,
   SIGHUP included. Exit 111 on failure. */
extern int mtd_launch_signals_setup (void) ;

/* Removes NOTIFY_SOCKET LISTEN_PID LISTEN_FDS LISTEN_FDNAMES from our
   environment: they describe the launcher's own start, not a program's. */
extern void mtd_launch_env_scrub (void) ;

/* Writes "\n" to fd (if >= 0) and closes it. Exit 111 on failure. */
extern void mtd_launch_notify (int fd) ;

/* The given socket: fd 3 if LISTEN_PID names this process (LISTEN_FDS
   checked: exit 100 if invalid, a warning if more than one), else fd 0.
   *what gets "fd 0" or "fd 3 from $LISTEN_FDS", for messages. */
extern int mtd_launch_given_fd (char const **what) ;

/* The socket bound here, to o's host and port, close-on-exec, IPV6_V6ONLY
   unless dual stack (*). SOCK_STREAM: nonblocking, SO_REUSEADDR,
   listening with backlog; SOCK_DGRAM: blocking. Exit 111 on failure. */
extern int mtd_launch_bind (mtd_launch_options const *o, int type, int backlog) ;

/* The given socket, checked: for type SOCK_STREAM a listening TCP/IP
   socket, made nonblocking; for SOCK_DGRAM a bound UDP/IP one, made
   blocking (a program handed it expects it so, as inetd gives it).
   Moved off fd 0, which is the programs', and close-on-exec. Exit 100
   if it is not such a socket, 111 on failure. */
extern int mtd_launch_given_socket (int type) ;

/* "PORT\n" on stdout: the port fd is bound to. Exit 111 on failure. */
extern void mtd_launch_print_port (int fd, int type) ;

#endif
