/* Dropping privileges after the socket is bound: setgroups, setgid,
   setuid, in that order, each checked, and checked again afterwards. */
#include <errno.h>
#include <stdlib.h>
#include <grp.h>
#include <unistd.h>
#include <skalibs/env.h>
#include <skalibs/strerr.h>
#include <skalibs/types.h>
#include "mtd_addr.h"
#include "mtd_privdrop.h"

static void gidlist (char const *s, char const *what, mtd_privdrop *o)
{
  size_t pos = 0 ;
  o->ngids = 0 ;
  o->drop_groups = 1 ;
  if (!*s) return ;
  for (;;)
  {
    unsigned int g ;
    size_t n = uint_scan(s + pos, &g) ;
    if (!n || g > 2147483647 || o->ngids >= MTD_GIDS_MAX) break ;
    o->gids[o->ngids++] = g ;
    pos += n ;
    if (!s[pos]) return ;
    if (s[pos++] != ',') break ;
  }
  strerr_dief(100, "invalid ", what, " \"", s, "\": expected up to 64 comma-separated numbers") ;
}

/* The s6-envuidgid convention: UID, GID, GIDLIST (comma-separated). */
static void from_env (mtd_privdrop *o)
{
  char const *s = getenv("UID") ;
  unsigned int u ;
  if (s)
  {
    if (!mtd_uint_scan(s, 2147483647, &u)) strerr_dief(100, "invalid $UID: ", s) ;
    o->uid = u ; o->drop_uid = 1 ;
  }
  s = getenv("GID") ;
  if (s)
  {
    if (!mtd_uint_scan(s, 2147483647, &u)) strerr_dief(100, "invalid $GID: ", s) ;
    o->gid = u ; o->drop_gid = 1 ;
  }
  s = getenv("GIDLIST") ;
  if (s) gidlist(s, "$GIDLIST", o) ;
  if (!o->drop_uid && !o->drop_gid && !o->drop_groups) strerr_dief(100, "-U given but none of $UID $GID $GIDLIST is set") ;
}

int mtd_privdrop_option (mtd_privdrop *o, int opt, char const *arg)
{
  switch (opt)
  {
    case 'u' : o->uid = mtd_uint_option(arg, 0, 2147483647, "uid") ; o->drop_uid = 1 ; return 1 ;
    case 'g' : o->gid = mtd_uint_option(arg, 0, 2147483647, "gid") ; o->drop_gid = 1 ; return 1 ;
    case 'G' : gidlist(arg, "gid list", o) ; return 1 ;
    /* read at the end, so -U's variables do not depend on the order */
    case 'U' : o->from_env = 1 ; return 1 ;
    default : return 0 ;
  }
}

void mtd_privdrop_finish (mtd_privdrop *o)
{
  if (o->from_env) from_env(o) ;
  /* setuid alone would keep the caller's group: root's, most often */
  if (o->drop_uid && !o->drop_gid) strerr_dief(100, "-u (or $UID) needs -g (or $GID) too") ;
}

void mtd_privdrop_apply (mtd_privdrop const *o)
{
  if (o->drop_groups || o->drop_uid)
  {
    /* Dropping the uid without naming groups must not keep root's groups. */
    gid_t const *list = o->drop_groups ? o->gids : &o->gid ;
    size_t n = o->drop_groups ? o->ngids : (o->drop_gid ? 1 : 0) ;
    if (setgroups(n, list) < 0) strerr_diefusys(111, "setgroups") ;
  }
  if (o->drop_gid && setgid(o->gid) < 0) strerr_diefusys(111, "setgid") ;
  if (o->drop_uid && setuid(o->uid) < 0) strerr_diefusys(111, "setuid") ;
  if (o->drop_gid && (getgid() != o->gid || getegid() != o->gid)) strerr_dief(111, "gid did not change") ;
  if (o->drop_uid && (getuid() != o->uid || geteuid() != o->uid)) strerr_dief(111, "uid did not change") ;
  if (o->drop_uid && o->uid && setuid(0) == 0) strerr_dief(111, "could regain root after dropping privileges") ;
}
