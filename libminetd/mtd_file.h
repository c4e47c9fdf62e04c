/* Reading a whole small file an operator names (a config): never blocks,
   never grows past a bound. */
#ifndef MTD_FILE_H
#define MTD_FILE_H

#include <stddef.h>
#include <skalibs/stralloc.h>

/* Appends the contents of file to sa. The file is opened with O_NONBLOCK
   and must be a regular file (fstat), of at most max bytes: a FIFO or a
   device must not hang or flood the reader. Returns 1; or 0 with *why
   set: a system error (errno set, *why "unable to read") or
   "not a regular file", "too large" (errno 0). sa is left as it was. */
extern int mtd_file_read (stralloc *sa, char const *file, size_t max, char const **why) ;

#endif
