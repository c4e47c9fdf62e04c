/* Environment modifications for a child: "KEY=VALUE\0" sets, "KEY\0" unsets,
   in the modif-string form skalibs' env_merge and mexec take. Fixed size:
   no allocation per connection. */
#ifndef MTD_ENVMOD_H
#define MTD_ENVMOD_H

#include <stddef.h>

#define MTD_ENVMOD_MAX 24576  /* up to 4 links, each with a 4096-byte rule line, fit */

typedef struct mtd_envmod_s mtd_envmod ;
struct mtd_envmod_s
{
  size_t len ;
  size_t n ;
  char s[MTD_ENVMOD_MAX] ;
} ;

extern void mtd_envmod_init (mtd_envmod *m) ;
/* value NULL means unset KEY. Returns 1, or 0 (errno ENAMETOOLONG) if full. */
extern int mtd_envmod_set (mtd_envmod *m, char const *key, char const *value) ;
extern int mtd_envmod_setn (mtd_envmod *m, char const *key, char const *value, size_t valuelen) ;
/* Appends another set of modifications (later ones win). 1 or 0. */
extern int mtd_envmod_append (mtd_envmod *m, mtd_envmod const *other) ;
/* Drops every modification but the last one of key (set or unset). */
extern void mtd_envmod_keep_only (mtd_envmod *m, char const *key) ;

#endif
