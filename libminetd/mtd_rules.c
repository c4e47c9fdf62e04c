/* Access rules for minetd-env: parser and most-specific-prefix matcher.
   Unlike tcprules there is no compile step: the text file is the rules. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <skalibs/types.h>
#include "mtd_addr.h"
#include "mtd_rules.h"

/* Facts about the connection, set by minetd-env or its launcher: a rule
   may not change them, so their order against rule variables never
   matters (and fused and exec chains cannot disagree). */
static char const *const reserved[] =
{
  "PROTO", "TCPLOCALIP", "TCPLOCALPORT", "TCPREMOTEIP", "TCPREMOTEPORT",
  "TCPLOCALHOST", "TCPREMOTEHOST", "TCPCONNNUM", "TCPREMOTEINFO",
  "UDPLOCALIP", "UDPLOCALPORT", "UDPREMOTEIP", "UDPREMOTEPORT",
  "UDPLOCALHOST", "UDPREMOTEHOST", "UDPCONNNUM", 0
} ;

static int fail4 (mtd_rules_error *err, unsigned int line, char const *a, char const *b, char const *c, char const *d)
{
  size_t n = 0 ;
  char const *parts[4] = { a, b, c, d } ;
  err->line = line ;
  err->sys = 0 ;
  for (unsigned int i = 0 ; i < 4 ; i++)
  {
    size_t l = parts[i] ? strlen(parts[i]) : 0 ;
    if (l > MTD_RULES_WHY_MAX - 1 - n) l = MTD_RULES_WHY_MAX - 1 - n ;
    if (l) memcpy(err->why + n, parts[i], l) ; /* parts[i] may be null */
    n += l ;
  }
  err->why[n] = 0 ;
  return 0 ;
}

static int fail (mtd_rules_error *err, unsigned int line, char const *a, char const *b, char const *c)
{
  return fail4(err, line, a, b, c, 0) ;
}

/* Quote a user word for an error message, truncated so messages stay short. */
static char const *quoted (char *buf, char const *s, size_t len)
{
  size_t max = 60 ;
  size_t n = 0 ;
  buf[n++] = '"' ;
  for (size_t i = 0 ; i < len && i < max ; i++) buf[n++] = (s[i] < 32 || s[i] == 127) ? '?' : s[i] ;
  if (len > max) { memcpy(buf + n, "...", 3) ; n += 3 ; }
  buf[n++] = '"' ;
  buf[n] = 0 ;
  return buf ;
}

static int is_space (char c) { return c == ' ' || c == '\t' || c == '\r' ; }

/* One word of a line: unquoted text, or "quoted" segments with \\ \" \n \r \t
   escapes, glued together as in the shell. out gets the decoded bytes;
   *qpos is where the first quote started in out (or len if none).
   Returns 1 word, 0 end of line (or comment), -1 error (err set). */
static int next_word (char const *s, size_t len, size_t *pos, char *out, size_t *outlen, size_t *qpos, unsigned int line, mtd_rules_error *err)
{
  size_t p = *pos, n = 0 ;
  *qpos = (size_t)-1 ;
  while (p < len && is_space(s[p])) p++ ;
  if (p >= len || s[p] == '#') { *pos = len ; return 0 ; }
  while (p < len && !is_space(s[p]))
  {
    char c = s[p] ;
    if (c == '\\') return fail(err, line, "backslash outside quotes (put the value in \"double quotes\")", 0, 0) - 1 ;
    if (c != '"') { out[n++] = c ; p++ ; continue ; }
    if (*qpos == (size_t)-1) *qpos = n ;
    for (p++ ;; p++)
    {
      if (p >= len) return fail(err, line, "unterminated quoted string", 0, 0) - 1 ;
      c = s[p] ;
      if (c == '"') { p++ ; break ; }
      if (c == '\\')
      {
        if (++p >= len) return fail(err, line, "unterminated quoted string", 0, 0) - 1 ;
        switch (s[p])
        {
          case '\\' : c = '\\' ; break ;
          case '"' : c = '"' ; break ;
          case 'n' : c = '\n' ; break ;
          case 'r' : c = '\r' ; break ;
          case 't' : c = '\t' ; break ;
          default :
          {
            char e[3] = { '\\', s[p], 0 } ;
            char q[70] ;
            return fail(err, line, "unknown escape ", quoted(q, e, 2), " (known: \\\\ \\\" \\n \\r \\t)") - 1 ;
          }
        }
      }
      out[n++] = c ;
    }
  }
  if (*qpos == (size_t)-1) *qpos = n ;
  *pos = p ;
  *outlen = n ;
  return 1 ;
}

static int varname_ok (char const *s, size_t len)
{
  if (!len) return 0 ;
  if (!((s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z') || s[0] == '_')) return 0 ;
  for (size_t i = 1 ; i < len ; i++)
    if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_')) return 0 ;
  return 1 ;
}

static int is_reserved (char const *s, size_t len)
{
  for (unsigned int i = 0 ; reserved[i] ; i++)
    if (strlen(reserved[i]) == len && !memcmp(reserved[i], s, len)) return 1 ;
  return 0 ;
}

/* Is variable name already set or unset in this rule's modifications? */
static int var_seen (char const *mods, size_t modslen, char const *name, size_t len)
{
  size_t i = 0 ;
  while (i < modslen)
  {
    size_t l = strlen(mods + i) ;
    size_t k = strcspn(mods + i, "=") ;
    if (k == len && !memcmp(mods + i, name, len)) return 1 ;
    i += l + 1 ;
  }
  return 0 ;
}

static int rule_cmp (void const *a, void const *b)
{
  mtd_rule const *x = a, *y = b ;
  if (x->bits != y->bits) return x->bits > y->bits ? -1 : 1 ;
  if (x->net.is6 != y->net.is6) return x->net.is6 - y->net.is6 ;
  int c = memcmp(x->net.ip, y->net.ip, 16) ;
  if (c) return c ;
  return x->line < y->line ? -1 : x->line > y->line ;
}

static int same_prefix (mtd_rule const *x, mtd_rule const *y)
{
  return x->bits == y->bits && x->net.is6 == y->net.is6 && !memcmp(x->net.ip, y->net.ip, 16) ;
}

static size_t prefix_fmt (char *s, mtd_rule const *r)
{
  size_t n ;
  if (r->bits == MTD_RULE_ANY) { s[0] = '*' ; s[1] = 0 ; return 1 ; }
  n = mtd_ip_fmt(s, &r->net) ;
  s[n++] = '/' ;
  n += uint_fmt(s + n, (unsigned int)r->bits) ;
  s[n] = 0 ;
  return n ;
}

/* Parses one line into rule (strings appended to r->strings). 1 rule,
   0 empty line, -1 error. */
static int parse_line (mtd_rules *r, mtd_rule *rule, char const *s, size_t len, unsigned int line, mtd_rules_error *err)
{
  char word[MTD_RULES_LINE_MAX + 1] ;
  char q[70] ;
  size_t pos = 0, wlen, qpos ;
  int msgseen = 0 ;
  int k = next_word(s, len, &pos, word, &wlen, &qpos, line, err) ;
  if (k <= 0) return k ;
  if (qpos != wlen) return fail(err, line, "the action must not be quoted", 0, 0) - 1 ;
  if (wlen == 5 && !memcmp(word, "allow", 5)) rule->allow = 1 ;
  else if (wlen == 4 && !memcmp(word, "deny", 4)) rule->allow = 0 ;
  else return fail(err, line, "unknown action ", quoted(q, word, wlen), " (expected allow or deny)") - 1 ;
  rule->line = line ;
  rule->env = rule->msg = r->stringslen ;
  rule->envlen = rule->envn = rule->msglen = 0 ;

  k = next_word(s, len, &pos, word, &wlen, &qpos, line, err) ;
  if (k < 0) return -1 ;
  if (!k) return fail(err, line, "missing address after ", rule->allow ? "allow" : "deny", " (an address, a prefix such as 10.0.0.0/8, or *)") - 1 ;
  if (qpos != wlen) return fail(err, line, "the address must not be quoted", 0, 0) - 1 ;
  word[wlen] = 0 ;
  if (!strcmp(word, "*")) { rule->bits = MTD_RULE_ANY ; memset(&rule->net, 0, sizeof rule->net) ; }
  else
  {
    unsigned int bits ;
    char const *why = "NUL byte in the address" ;
    /* mtd_prefix_scan reads octets strictly: "300.1.2.3" is an error,
       never another network */
    if (strlen(word) != wlen || !mtd_prefix_scan(word, &rule->net, &bits, &why))
      return fail4(err, line, "invalid address ", quoted(q, word, wlen), ": ", why) - 1 ;
    rule->bits = (int)bits ;
  }

  /* Variables go to the rule's own envmod-form block; the message after it. */
  while ((k = next_word(s, len, &pos, word, &wlen, &qpos, line, err)) > 0)
  {
    char *eq = memchr(word, '=', qpos) ;
    if (qpos && word[0] == '-' && qpos == wlen)
    {
      if (!rule->allow) return fail(err, line, "variables are only allowed on allow rules: ", quoted(q, word, wlen), 0) - 1 ;
      if (!varname_ok(word + 1, wlen - 1)) return fail(err, line, "invalid variable name in ", quoted(q, word, wlen), " (letters, digits, _; not starting with a digit)") - 1 ;
      if (is_reserved(word + 1, wlen - 1)) return fail(err, line, "variable ", quoted(q, word + 1, wlen - 1), " is a fact about the connection and cannot be changed by a rule") - 1 ;
      if (var_seen(r->strings + rule->env, rule->envlen, word + 1, wlen - 1)) return fail(err, line, "variable ", quoted(q, word + 1, wlen - 1), " given twice in one rule") - 1 ;
      memcpy(r->strings + r->stringslen, word + 1, wlen - 1) ;
      r->stringslen += wlen - 1 ;
      r->strings[r->stringslen++] = 0 ;
      rule->envlen += wlen ; rule->envn++ ;
      continue ;
    }
    if (!eq) return fail(err, line, "unexpected word ", quoted(q, word, wlen), " (expected VAR=value, -VAR or msg=\"...\")") - 1 ;
    {
      size_t klen = eq - word ;
      if (klen == 3 && !memcmp(word, "msg", 3))
      {
        size_t mlen = wlen - 4 ;
        if (rule->allow) return fail(err, line, "msg= is only allowed on deny rules", 0, 0) - 1 ;
        if (msgseen) return fail(err, line, "msg= given twice in one rule", 0, 0) - 1 ;
        if (mlen > MTD_RULES_MSG_MAX) return fail(err, line, "message too long (at most 1024 bytes)", 0, 0) - 1 ;
        msgseen = 1 ;
        rule->msg = r->stringslen ;
        rule->msglen = mlen ;
        memcpy(r->strings + r->stringslen, eq + 1, mlen) ;
        r->stringslen += mlen ;
        continue ;
      }
      if (!rule->allow) return fail(err, line, "variables are only allowed on allow rules: ", quoted(q, word, wlen), 0) - 1 ;
      if (!varname_ok(word, klen)) return fail(err, line, "invalid variable name in ", quoted(q, word, wlen), " (letters, digits, _; not starting with a digit)") - 1 ;
      if (is_reserved(word, klen)) return fail(err, line, "variable ", quoted(q, word, klen), " is a fact about the connection and cannot be changed by a rule") - 1 ;
      if (var_seen(r->strings + rule->env, rule->envlen, word, klen)) return fail(err, line, "variable ", quoted(q, word, klen), " given twice in one rule") - 1 ;
      if (memchr(word, 0, wlen)) return fail(err, line, "NUL byte in a value", 0, 0) - 1 ;
      memcpy(r->strings + r->stringslen, word, wlen) ;
      r->stringslen += wlen ;
      r->strings[r->stringslen++] = 0 ;
      rule->envlen += wlen + 1 ; rule->envn++ ;
    }
  }
  if (k < 0) return -1 ;
  return 1 ;
}

void mtd_rules_free (mtd_rules *r)
{
  free(r->rule) ;
  free(r->strings) ;
  r->rule = 0 ; r->strings = 0 ; r->n = 0 ; r->stringslen = 0 ;
}

int mtd_rules_parse (mtd_rules *r, char const *text, size_t len, mtd_rules_error *err)
{
  size_t pos = 0, cap = 0 ;
  unsigned int line = 0 ;
  r->rule = 0 ; r->n = 0 ; r->stringslen = 0 ;
  /* Decoded words never outgrow the text, plus one NUL per word. */
  r->strings = malloc(len + 1) ;
  if (!r->strings) { err->line = 0 ; err->sys = errno ; strcpy(err->why, "out of memory") ; return 0 ; }
  while (pos < len)
  {
    char const *nl = memchr(text + pos, '\n', len - pos) ;
    size_t llen = nl ? (size_t)(nl - text) - pos : len - pos ;
    mtd_rule rule ;
    int k ;
    line++ ;
    if (llen > MTD_RULES_LINE_MAX) { fail(err, line, "line too long (at most 4096 bytes)", 0, 0) ; goto err ; }
    if (memchr(text + pos, 0, llen)) { fail(err, line, "NUL byte in line", 0, 0) ; goto err ; }
    k = parse_line(r, &rule, text + pos, llen, line, err) ;
    if (k < 0) goto err ;
    pos += llen + 1 ;
    if (!k) continue ;
    if (r->n >= MTD_RULES_MAX) { fail(err, line, "too many rules (at most 4096)", 0, 0) ; goto err ; }
    if (r->n >= cap)
    {
      size_t ncap = cap ? 2 * cap : 16 ;
      mtd_rule *p ;
      if (ncap > MTD_RULES_MAX) ncap = MTD_RULES_MAX ;
      p = realloc(r->rule, ncap * sizeof *p) ;
      if (!p) { err->line = 0 ; err->sys = errno ; strcpy(err->why, "out of memory") ; goto err ; }
      r->rule = p ; cap = ncap ;
    }
    r->rule[r->n++] = rule ;
  }
  if (r->n)
  {
    unsigned int dupline = 0, firstline = 0 ;
    mtd_rule const *dup = 0 ;
    qsort(r->rule, r->n, sizeof *r->rule, &rule_cmp) ;
    /* Report the earliest line that repeats a prefix. */
    for (unsigned int i = 1 ; i < r->n ; i++)
      if (same_prefix(r->rule + i - 1, r->rule + i) && (!dupline || r->rule[i].line < dupline))
      {
        dupline = r->rule[i].line ; dup = r->rule + i ;
        for (unsigned int j = i ; j && same_prefix(r->rule + j - 1, r->rule + i) ; j--) firstline = r->rule[j-1].line ;
      }
    if (dup)
    {
      char pfx[MTD_IP_FMT + 5] ;
      char lfmt[UINT_FMT] ;
      lfmt[uint_fmt(lfmt, firstline)] = 0 ;
      prefix_fmt(pfx, dup) ;
      fail4(err, dupline, "duplicate rule for ", pfx, " (first at line ", lfmt) ;
      if (strlen(err->why) + 1 < MTD_RULES_WHY_MAX) strcat(err->why, ")") ;
      goto err ;
    }
  }
  return 1 ;
 err:
  mtd_rules_free(r) ;
  return 0 ;
}

int mtd_rules_load (mtd_rules *r, char const *file, mtd_rules_error *err)
{
  size_t len = 0, cap = 65536 ;
  int ok ;
  char *buf ;
  struct stat st ;
  /* O_NONBLOCK: a FIFO must not hang start-up, or minetd-tcp's accept
     loop on a reload; only a regular file is a rules file */
  int fd = open(file, O_RDONLY | O_NONBLOCK | O_CLOEXEC) ;
  if (fd < 0) { err->line = 0 ; err->sys = errno ; strcpy(err->why, "unable to open") ; return 0 ; }
  if (fstat(fd, &st) < 0) { err->line = 0 ; err->sys = errno ; strcpy(err->why, "unable to stat") ; close(fd) ; return 0 ; }
  if (!S_ISREG(st.st_mode)) { close(fd) ; return fail(err, 0, "not a regular file", 0, 0) ; }
  buf = malloc(cap) ;
  if (!buf) goto nomem ;
  for (;;)
  {
    ssize_t k ;
    if (len == cap)
    {
      char *p ;
      if (cap > MTD_RULES_FILE_MAX)
      {
        free(buf) ; close(fd) ;
        return fail(err, 0, "file too large (at most 4194304 bytes)", 0, 0) ;
      }
      cap = cap * 2 > MTD_RULES_FILE_MAX ? MTD_RULES_FILE_MAX + 1 : cap * 2 ;
      p = realloc(buf, cap) ;
      if (!p) goto nomem ;
      buf = p ;
    }
    k = read(fd, buf + len, cap - len) ;
    if (k < 0)
    {
      if (errno == EINTR) continue ;
      err->line = 0 ; err->sys = errno ; strcpy(err->why, "unable to read") ;
      free(buf) ; close(fd) ; return 0 ;
    }
    if (!k) break ;
    len += k ;
  }
  close(fd) ;
  if (len > MTD_RULES_FILE_MAX) { free(buf) ; return fail(err, 0, "file too large (at most 4194304 bytes)", 0, 0) ; }
  ok = mtd_rules_parse(r, buf, len, err) ;
  free(buf) ;
  return ok ;
 nomem:
  err->line = 0 ; err->sys = errno ; strcpy(err->why, "out of memory") ;
  free(buf) ; close(fd) ;
  return 0 ;
}

mtd_rule const *mtd_rules_match (mtd_rules const *r, ip46 const *ip)
{
  /* Sorted most specific first, so the first hit is the answer. */
  for (unsigned int i = 0 ; i < r->n ; i++)
  {
    mtd_rule const *rule = r->rule + i ;
    if (rule->bits == MTD_RULE_ANY) return rule ;
    if (rule->net.is6 == ip->is6 && mtd_prefix_match(ip, &rule->net, (unsigned int)rule->bits)) return rule ;
  }
  return 0 ;
}
