/* errstr NAME...: the C library's message for each errno NAME (EMFILE,
   EADDRINUSE...), one a line: the tests expect what the build's own libc
   says, glibc's or musl's. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

static struct { char const *name ; int e ; } const names[] =
{
  { "EADDRINUSE", EADDRINUSE }, { "EMFILE", EMFILE }, { "ENFILE", ENFILE },
  { "ENOMEM", ENOMEM }, { "ENOENT", ENOENT }, { "EACCES", EACCES },
  { "EPERM", EPERM }, { "EAGAIN", EAGAIN }, { "ECONNREFUSED", ECONNREFUSED },
  { "EINVAL", EINVAL }, { "ENOSPC", ENOSPC }, { "ENOEXEC", ENOEXEC },
  { "EISDIR", EISDIR }, { "ENOTDIR", ENOTDIR }, { "ELOOP", ELOOP },
  { "ENAMETOOLONG", ENAMETOOLONG }, { "EADDRNOTAVAIL", EADDRNOTAVAIL },
  { "ENOSYS", ENOSYS }, { "EROFS", EROFS }, { "EBADF", EBADF },
} ;

int main (int argc, char **argv)
{
  for (int i = 1 ; i < argc ; i++)
  {
    size_t j = 0 ;
    while (j < sizeof names / sizeof names[0] && strcmp(names[j].name, argv[i])) j++ ;
    if (j == sizeof names / sizeof names[0]) { fprintf(stderr, "errstr: unknown errno name %s\n", argv[i]) ; return 100 ; }
    printf("%s\n", strerror(names[j].e)) ;
  }
  return 0 ;
}
