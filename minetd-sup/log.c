/* minetd-sup's log: stderr in the foreground, syslog in the background. */
#include <stdarg.h>
#include <string.h>
#include <unistd.h>
#include <syslog.h>
#include <skalibs/allreadwrite.h>
#include <skalibs/strerr.h>
#include "sup.h"

int sup_syslog = 0 ;

size_t sup_cat_va (char *buf, size_t len, size_t size, va_list ap)
{
  char const *s ;
  while ((s = va_arg(ap, char const *)))
  {
    size_t l = strlen(s) ;
    if (len + l > size - 2) l = size - 2 - len ;
    memcpy(buf + len, s, l) ; len += l ;
  }
  return len ;
}

void sup_log_va (int prio, char const *level, ...)
{
  char buf[2048] ;
  size_t len = 0 ;
  va_list ap ;
  if (!sup_syslog)
  {
    size_t pl = strlen(PROG) ;
    memcpy(buf, PROG, pl) ; buf[pl] = ':' ; buf[pl+1] = ' ' ;
    len = pl + 2 ;
  }
  {
    size_t l = strlen(level) ;
    memcpy(buf + len, level, l) ; len += l ;
  }
  va_start(ap, level) ;
  len = sup_cat_va(buf, len, sizeof buf, ap) ;
  va_end(ap) ;
  if (sup_syslog) { buf[len] = 0 ; syslog(prio, "%s", buf) ; }
  else { buf[len++] = '\n' ; allwrite(2, buf, len) ; }
}

void sup_log_line (char const *s, size_t len)
{
  if (len && s[len-1] == '\n') len-- ;
  if (!len) return ;
  if (sup_syslog) syslog(LOG_INFO, "%.*s", (int)len, s) ;
  else { allwrite(2, s, len) ; allwrite(2, "\n", 1) ; }
}

void sup_log_errors (int prio, char const *level, char const *errs, size_t len)
{
  size_t start = 0 ;
  for (size_t i = 0 ; i < len ; i++)
    if (errs[i] == '\n')
    {
      /* sup_log_va cuts a line at its buffer's size anyway */
      char line[2048] ;
      size_t l = i - start < sizeof line ? i - start : sizeof line - 1 ;
      memcpy(line, errs + start, l) ; line[l] = 0 ;
      sup_log_va(prio, level, line, (char const *)0) ;
      start = i + 1 ;
    }
}
