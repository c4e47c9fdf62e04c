/* minetd.conf parser: service lines to a checked, self-contained list.
   Pure apart from the look-ups a check needs (users, groups, programs):
   every error is collected as "file:line: reason", all in one pass. */
#ifndef MTD_CONF_H
#define MTD_CONF_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <skalibs/stralloc.h>
#include <skalibs/ip46.h>

#define MTD_CONF_SERVICES_MAX 256
#define MTD_CONF_ARGS_MAX 128
#define MTD_CONF_NAME_MAX 64
#define MTD_CONF_GROUPS_MAX 64        /* minetd-tcp -G takes at most 64 */
#define MTD_CONF_ID_MAX 2147483647    /* uids and gids minetd-tcp -u -g -G take */
/* Every input size is bounded: no allocation or stack array grows with
   what an operator (or an attacker able to write the file) puts there. */
#define MTD_CONF_FILE_MAX (1 << 20)   /* bytes per file */
#define MTD_CONF_LINE_MAX 8192        /* bytes per line, newline excluded */
#define MTD_CONF_WORD_MAX 4095        /* bytes per word: a path and its NUL fit PATH_MAX */
#define MTD_CONF_ERRORS_MAX 100       /* errors reported before the parser stops */
#define MTD_CONF_IDLE_MAX 86400       /* idle= seconds */
#define MTD_CONF_RLIMITS 8            /* rlimit_as= ... rlimit_cpu= */
#define MTD_CONF_VARS_MAX 64          /* env= and passenv= names each: minetd-limit -e, -x */

/* The address suffix: HOST:PORT (tcp), HOST:PORT/tcp, HOST:PORT/udp */
#define MTD_CONF_TCP 0
#define MTD_CONF_UDP 1

typedef struct mtd_conf_service_s mtd_conf_service ;
struct mtd_conf_service_s
{
  char *name ;
  unsigned int line ;
  char *hosttext ;       /* host as written, brackets removed: "127.0.0.1", "::1", "*" */
  ip46 ip ;
  int dualstack ;        /* host "*": one :: socket with IPV6_V6ONLY off */
  uint16_t port ;
  int proto ;            /* MTD_CONF_TCP or MTD_CONF_UDP */
  int wait ;             /* wait=, else the protocol's default: 0 tcp, 1 udp */
  int activation ;       /* activation=: -1 not given (inetd), 0 inetd, 1 systemd */
  int idle ;             /* idle= seconds, or -1 */
  unsigned int rate ;    /* max_conn_per_min; 0 means unlimited */

  /* key=value options; -1 means "not given, use the program's default" */
  int maxconn, persource, source_rate, prefix4, prefix6, backlog ;
  int stderr_to_socket, nodelay, keepalive, verbose ;   /* -1, 0 or 1 */
  int has_user, has_group ;
  char *user ;           /* as written, or 0 */
  uid_t uid ;
  gid_t gid ;            /* group= if given, else the user's primary group */
  char *gidlist ;        /* has_user only: gid, then every group listing the
                            user, "g1,g2" (getgrouplist); "" for a bare uid */
  char *group ;          /* as written, or 0 */
  char *rules ;          /* absolute path, or 0 */
  int rules_default ;    /* rules_default=: -1 not given (deny), 0 deny, 1 allow */
  char *refuse ;         /* refusal message as written (\r \n \t escapes), or 0 */
  /* PROXY headers from balancers (minetd-tcp -H -F -X -W) */
  char *proxy ;          /* proxy=v1, v2 or any as written, or 0 */
  char *proxy_from ;     /* proxy_from= PREFIX[,PREFIX...] as written, checked, or 0 */
  int proxy_untrusted ;  /* proxy_untrusted=: -1 not given (serve), 0 serve, 1 refuse */
  int proxy_timeout ;    /* proxy_timeout= seconds, or -1 */

  /* The minetd-limit link (mtd_limit.h), for the connection's process.
     rlimit[] in minetd-limit's order (MTD_LIMIT_AS ... MTD_LIMIT_CPU):
     the value as written, checked with mtd_limit_value_scan, or 0. */
  char *rlimit[MTD_CONF_RLIMITS] ;
  int has_nice, nice ;   /* nice=, -20..19 */
  int umask ;            /* umask=, or -1 */
  char *chroot ;         /* chroot=, an absolute directory as written, or 0 */
  int no_new_privs ;     /* -1, 0 or 1 */
  int process_group ;    /* process_group=: -1 not given, 0 no, 1 yes, 2 session */
  char **env ;           /* env=VAR=VALUE, in order */
  unsigned int nenv ;
  char **passenv ;       /* passenv= names, in order */
  unsigned int npassenv ;
  int time_limit ;       /* time_limit= seconds, or -1 */
  int time_limit_grace ; /* time_limit_grace= seconds, or -1 */

  /* internal:NAME: the service NAME of minetd-internal, which the chain
     finds in its own directory; then argc is 0 and argv holds no word */
  char *internal ;
  char **argv ;          /* argv[0] is the program as an absolute path */
  unsigned int argc ;
} ;

typedef struct mtd_conf_s mtd_conf ;
struct mtd_conf_s
{
  mtd_conf_service *services[MTD_CONF_SERVICES_MAX] ;
  unsigned int n ;
  stralloc errors ;      /* "file:line: reason\n" lines */
  unsigned int nerrors ;
  char *file ;           /* the file read, for messages */
} ;
#define MTD_CONF_ZERO { .n = 0, .errors = STRALLOC_ZERO, .nerrors = 0, .file = 0 }

/* Reads and checks file, including everything a chain checks when it
   starts (mtd_conf_check). Returns 1 if the config is valid, 0 if it has
   errors (all of them in c->errors; c->services is then emptied), -1 on
   out of memory (errno). A file that cannot be read is an error too, and
   so is anything but a regular file of at most MTD_CONF_FILE_MAX bytes:
   it is opened with O_NONBLOCK, so a FIFO never blocks the caller. */
extern int mtd_conf_parse_file (mtd_conf *c, char const *file) ;

/* The same on text in memory; file names it in messages and gives the
   directory that relative program and rules paths are taken from. */
extern int mtd_conf_parse_text (mtd_conf *c, char const *file, char const *text, size_t len) ;

/* What each service's chain checks when it starts, with the functions
   the links use: the rules file loaded and parsed (mtd_rules_load), the
   refusal message decoded (mtd_unescape) and short enough for
   minetd-rate -m; and, when the chain will drop to a user (we are root,
   user= is not root), the rules file read and the program found
   executable as that user, in a child process with the very credentials
   minetd-tcp -u -g -G sets. Called by mtd_conf_parse_text (and so
   mtd_conf_parse_file); errors are appended to c like the parser's.
   Returns the number of errors added, or -1 on a system error (errno). */
extern int mtd_conf_check (mtd_conf *c) ;

/* What starting needs of the runtime directory, which the parser does not
   know (minetd-sup -R): if it exists, a directory (not a symbolic link)
   owned by us, writable by nobody else and writable by us, as minetd-sup
   requires; if not, a parent directory it can be created in. For each
   service with a rate limit, an existing NAME.rate must be a regular file
   with one link, owned by us if the chain keeps our uid; and the
   directory must be searchable by the service's user, who opens it.
   Errors are appended to c. Returns 1 if c is still valid, 0 if it has
   errors (c->services is then emptied, as after a failed parse), -1 on a
   system error (errno). */
extern int mtd_conf_check_rundir (mtd_conf *c, char const *rundir) ;

/* Appends "file:line: " and the non-null parts as an error of c (line 0:
   "file: "); each part cut at 256 bytes. 0 if out of memory. */
extern int mtd_conf_error (mtd_conf *c, unsigned int line, char const *const *parts, unsigned int n) ;

/* 1 if c has no error; else empties c->services and returns 0. */
extern int mtd_conf_settle (mtd_conf *c) ;

/* Frees everything; c is MTD_CONF_ZERO afterwards. */
extern void mtd_conf_free (mtd_conf *c) ;

/* Removes services[i] from c and gives it to the caller, who frees it with
   mtd_conf_service_free. */
extern mtd_conf_service *mtd_conf_take (mtd_conf *c, unsigned int i) ;
extern void mtd_conf_service_free (mtd_conf_service *s) ;

/* Same protocol, address family and port and overlapping hosts (equal, or
   a wildcard of that family, or a dual-stack "*" on that port): they cannot
   both bind. A tcp and a udp service never conflict. */
extern int mtd_conf_address_conflict (mtd_conf_service const *a, mtd_conf_service const *b) ;

/* 1 if user= (and group=) are applied by the chain's minetd-limit
   (-u -g -G), in the connection's process after chroot= or a negative
   nice=, which need root: the launcher and the links before minetd-limit
   then keep minetd-sup's credentials. 0 if the launcher drops (or there
   is no user=). */
extern int mtd_conf_drops_late (mtd_conf_service const *s) ;

/* The rlimit_ keys, in mtd_conf_service.rlimit's order. */
extern char const *const mtd_conf_rlimit_keys[MTD_CONF_RLIMITS] ;

/* The internal service names (internal:NAME); 0-terminated. */
extern char const *const mtd_conf_internals[] ;

/* The known option keys, for documentation and tests; 0-terminated. */
extern char const *const mtd_conf_keys[] ;

#endif
