/* minetd-sup's log: stderr in the foreground, syslog in the background,
   for its own messages and for skalibs' strerr_die* and strerr_warn*. */
#include <stdarg.h>
#include <string.h>
#include <unistd.h>
#include <syslog.h>
#include <sys/uio.h>
#include <skalibs/allreadwrite.h>
#include <skalibs/buffer.h>
#include <skalibs/strerr.h>
#include "sup.h"

int sup_syslog = 0 ;

/* strerr writes "minetd-sup: fatal: ...\n" to buffer_2, whose fd 2 is
   /dev/null in the background: a fatal error there would vanish. Once
   sup_syslog is set, buffer_2 sends each line to syslog instead. */
static iov_func_ref stderr_write = 0 ;

static void syslog_stderr_line (char const *s, size_t len)
{
  size_t pl = strlen(PROG) ;
  int prio = LOG_INFO ;
  if (len > pl + 1 && !memcmp(s, PROG, pl) && s[pl] == ':' && s[pl+1] == ' ') { s += pl + 2 ; len -= pl + 2 ; }
  if (len >= 7 && !memcmp(s, "fatal: ", 7)) prio = LOG_ERR ;
  else if (len >= 9 && !memcmp(s, "warning: ", 9)) prio = LOG_WARNING ;
  if (len) syslog(prio, "%.*s", (int)len, s) ;
}

static ssize_t stderr_or_syslog (int fd, struct iovec const *v, unsigned int n)
{
  static char line[2048] ;
  static size_t len = 0 ;
  ssize_t total = 0 ;
  if (!sup_syslog) return (*stderr_write)(fd, v, n) ;
  for (unsigned int i = 0 ; i < n ; i++)
  {
    char const *s = v[i].iov_base ;
    for (size_t j = 0 ; j < v[i].iov_len ; j++)
    {
      if (s[j] != '\n' && len < sizeof line) { line[len++] = s[j] ; continue ; }
      syslog_stderr_line(line, len) ;
      len = 0 ;
      if (s[j] != '\n') line[len++] = s[j] ;
    }
    total += v[i].iov_len ;
  }
  return total ;
}

void sup_log_init (void)
{
  if (stderr_write) return ;
  stderr_write = buffer_2->op ;
  buffer_2->op = &stderr_or_syslog ;
}

void sup_log_to_syslog (void)
{
  openlog(PROG, LOG_PID, LOG_DAEMON) ;
  sup_syslog = 1 ;
}

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
