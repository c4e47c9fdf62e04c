/* Environment modifications for a child, fixed size. */
#include <errno.h>
#include <string.h>
#include "mtd_envmod.h"

void mtd_envmod_init (mtd_envmod *m)
{
  m->len = 0 ;
  m->n = 0 ;
}

int mtd_envmod_setn (mtd_envmod *m, char const *key, char const *value, size_t valuelen)
{
  size_t klen = strlen(key) ;
  size_t need = klen + 1 + (value ? valuelen + 1 : 0) ;
  if (need > MTD_ENVMOD_MAX - m->len) return (errno = ENAMETOOLONG, 0) ;
  memcpy(m->s + m->len, key, klen) ; m->len += klen ;
  if (value)
  {
    m->s[m->len++] = '=' ;
    memcpy(m->s + m->len, value, valuelen) ; m->len += valuelen ;
  }
  m->s[m->len++] = 0 ;
  m->n++ ;
  return 1 ;
}

int mtd_envmod_set (mtd_envmod *m, char const *key, char const *value)
{
  return mtd_envmod_setn(m, key, value, value ? strlen(value) : 0) ;
}

int mtd_envmod_append (mtd_envmod *m, mtd_envmod const *other)
{
  if (other->len > MTD_ENVMOD_MAX - m->len) return (errno = ENAMETOOLONG, 0) ;
  memcpy(m->s + m->len, other->s, other->len) ;
  m->len += other->len ;
  m->n += other->n ;
  return 1 ;
}

void mtd_envmod_keep_only (mtd_envmod *m, char const *key)
{
  size_t klen = strlen(key) ;
  size_t keep = m->len, keeplen = 0 ;
  for (size_t i = 0 ; i < m->len ; i += strlen(m->s + i) + 1)
    if (!strncmp(m->s + i, key, klen) && (m->s[i + klen] == '=' || !m->s[i + klen]))
    {
      keep = i ;
      keeplen = strlen(m->s + i) + 1 ;
    }
  if (keep < m->len) memmove(m->s, m->s + keep, keeplen) ;
  m->len = keeplen ;
  m->n = !!keeplen ;
}
