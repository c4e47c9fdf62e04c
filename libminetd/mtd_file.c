/* Reading a whole small file an operator names, bounded and non-blocking. */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/stat.h>
#include <skalibs/djbunix.h>
#include <skalibs/stralloc.h>
#include "mtd_file.h"

int mtd_file_read (stralloc *sa, char const *file, size_t max, char const **why)
{
  size_t start = sa->len ;
  struct stat st ;
  int fd = open(file, O_RDONLY | O_NONBLOCK | O_CLOEXEC) ;
  if (fd < 0) { *why = "unable to read" ; return 0 ; }
  if (fstat(fd, &st) < 0) { *why = "unable to read" ; goto err ; }
  if (!S_ISREG(st.st_mode)) { errno = 0 ; *why = "not a regular file" ; goto err ; }
  /* st_size is a hint only: the file may grow while we read it */
  if ((size_t)st.st_size > max) { errno = 0 ; *why = "too large" ; goto err ; }
  for (;;)
  {
    ssize_t r ;
    if (!stralloc_readyplus(sa, 4096)) { *why = "unable to read" ; goto err ; }
    r = read(fd, sa->s + sa->len, 4096) ;
    if (r < 0)
    {
      if (errno == EINTR) continue ;
      *why = "unable to read" ; goto err ;
    }
    if (!r) break ;
    sa->len += r ;
    if (sa->len - start > max) { errno = 0 ; *why = "too large" ; goto err ; }
  }
  fd_close(fd) ;
  return 1 ;
 err:
  {
    int e = errno ;
    fd_close(fd) ;
    sa->len = start ;
    errno = e ;
  }
  return 0 ;
}
