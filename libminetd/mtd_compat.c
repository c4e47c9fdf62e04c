/* The C library differences of mtd_compat.h. */
#include <unistd.h>
#include "mtd_compat.h"

#ifdef __linux__
#include <sys/syscall.h>
#endif

void mtd_close_range (unsigned int first, unsigned int last)
{
  long max ;
  if (last < first) return ;
#ifdef SYS_close_range
  if (syscall(SYS_close_range, first, last, 0) == 0) return ;
#endif
  max = sysconf(_SC_OPEN_MAX) ;
  if (max < 0 || max > 65536) max = 65536 ;
  if (last >= (unsigned long)max) last = (unsigned int)max - 1 ;
  for (unsigned long fd = first ; fd <= last ; fd++) close((int)fd) ;
}
