/* Dropping privileges once the socket is bound, the same in every
   launcher (minetd-tcp, minetd-udp): -u uid, -g gid, -G gidlist, and -U
   for the s6-envuidgid variables UID, GID, GIDLIST. */
#ifndef MTD_PRIVDROP_H
#define MTD_PRIVDROP_H

#include <stddef.h>
#include <sys/types.h>

#define MTD_GIDS_MAX 64

typedef struct mtd_privdrop_s mtd_privdrop ;
struct mtd_privdrop_s
{
  int drop_uid, drop_gid, drop_groups ;
  int from_env ;                 /* -U */
  uid_t uid ;
  gid_t gid ;
  gid_t gids[MTD_GIDS_MAX] ;
  size_t ngids ;
} ;

/* Handles one of the options u g G U (with its argument) into p; returns
   0 for any other letter. Bad values: message and exit 100. */
extern int mtd_privdrop_option (mtd_privdrop *p, int opt, char const *arg) ;

/* After the options: reads UID GID GIDLIST if -U was given, and refuses
   -u without -g. Exit 100 on a bad value. */
extern void mtd_privdrop_finish (mtd_privdrop *p) ;

/* setgroups, setgid, setuid, in that order, each checked and checked
   again afterwards; exit 111 if anything did not take. */
extern void mtd_privdrop_apply (mtd_privdrop const *p) ;

#endif
