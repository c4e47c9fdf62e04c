/* Unit tests for the environment modifications (mtd_envmod.h). Prints TAP. */
#include <stdio.h>
#include <string.h>
#include "mtd_envmod.h"

char const *PROG = "envmod_test" ;

static int ntests = 0, nfail = 0 ;
static void ok (int cond, char const *name)
{
  ntests++ ;
  if (!cond) nfail++ ;
  printf("%sok %d - %s\n", cond ? "" : "not ", ntests, name) ;
}

static mtd_envmod m ;

static int is (char const *want, size_t wantlen, size_t n)
{
  return m.len == wantlen && m.n == n && !memcmp(m.s, want, wantlen) ;
}

int main (void)
{
  mtd_envmod_init(&m) ;
  mtd_envmod_set(&m, "PATH", "/a") ;
  mtd_envmod_set(&m, "FIRST", "1") ;
  mtd_envmod_set(&m, "PATH", "/b") ;
  mtd_envmod_set(&m, "PATHX", "no") ;
  mtd_envmod_set(&m, "XPATH", "no") ;
  mtd_envmod_keep_only(&m, "PATH") ;
  ok(is("PATH=/b", 8, 1), "envmod_keep_only_keeps_the_last_modification_of_the_key") ;

  mtd_envmod_init(&m) ;
  mtd_envmod_set(&m, "PATH", "/a") ;
  mtd_envmod_set(&m, "PATH", 0) ;
  mtd_envmod_set(&m, "FIRST", "1") ;
  mtd_envmod_keep_only(&m, "PATH") ;
  ok(is("PATH", 5, 1), "envmod_keep_only_keeps_an_unset") ;

  mtd_envmod_init(&m) ;
  mtd_envmod_set(&m, "FIRST", "1") ;
  mtd_envmod_set(&m, "PATHS", "1") ;
  mtd_envmod_keep_only(&m, "PATH") ;
  ok(is("", 0, 0), "envmod_keep_only_without_the_key_empties") ;

  printf("1..%d\n", ntests) ;
  return !!nfail ;
}
