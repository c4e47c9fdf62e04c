/* Access rules for minetd-env: a line-oriented rules file parsed once into
   a bounded table, and a most-specific-prefix matcher. Pure functions. */
#ifndef MTD_RULES_H
#define MTD_RULES_H

#include <stddef.h>
#include <skalibs/ip46.h>

#define MTD_RULES_MAX 4096          /* rules per file */
#define MTD_RULES_LINE_MAX 4096     /* bytes per line, newline excluded */
#define MTD_RULES_FILE_MAX (4 << 20) /* bytes per file */
#define MTD_RULES_MSG_MAX 1024      /* bytes of a deny message */
#define MTD_RULES_WHY_MAX 256

/* bits for the "*" rule: matches every address, below any real prefix */
#define MTD_RULE_ANY (-1)

typedef struct mtd_rule_s mtd_rule ;
struct mtd_rule_s
{
  ip46 net ;            /* unmapped; host bits zero */
  int bits ;            /* 0..32 or 0..128, or MTD_RULE_ANY */
  int allow ;           /* 1 allow, 0 deny */
  unsigned int line ;   /* line number in the file, for logs */
  size_t env ;          /* offset in strings: "K=V\0" / "K\0" (envmod form) */
  size_t envlen ;
  size_t envn ;         /* number of modifications */
  size_t msg ;          /* offset in strings of the deny message */
  size_t msglen ;       /* 0: no message */
} ;

typedef struct mtd_rules_s mtd_rules ;
struct mtd_rules_s
{
  mtd_rule *rule ;      /* sorted: most specific first */
  unsigned int n ;
  char *strings ;       /* variables and messages of every rule */
  size_t stringslen ;
} ;

#define MTD_RULES_ZERO { .rule = 0, .n = 0, .strings = 0, .stringslen = 0 }

typedef struct mtd_rules_error_s mtd_rules_error ;
struct mtd_rules_error_s
{
  unsigned int line ;   /* 0: not tied to a line (file-level error) */
  int sys ;             /* errno of a system error (open/read/malloc), else 0 */
  char why[MTD_RULES_WHY_MAX] ;
} ;

/* Parses a whole rules file held in memory. On success fills *r (which must
   be empty or zeroed) and returns 1. On the first error returns 0 with err
   set; *r is left empty. Allocates only here, never while matching. */
extern int mtd_rules_parse (mtd_rules *r, char const *text, size_t len, mtd_rules_error *err) ;

/* Reads file (at most MTD_RULES_FILE_MAX bytes) and parses it. 1 or 0. */
extern int mtd_rules_load (mtd_rules *r, char const *file, mtd_rules_error *err) ;

extern void mtd_rules_free (mtd_rules *r) ;

/* The most specific rule whose prefix holds ip (ip must be unmapped), or
   0 if no rule matches. */
extern mtd_rule const *mtd_rules_match (mtd_rules const *r, ip46 const *ip) ;

#endif
