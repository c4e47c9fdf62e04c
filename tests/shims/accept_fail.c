/* accept_fail: LD_PRELOAD it to make accept(2) and accept4(2) fail with
   EPERM, as a security module's hook does, while the file named by
   $ACCEPT_FAIL_WHILE exists. The connection stays queued: the listener
   stays readable. */
#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/socket.h>

typedef int accept4_f (int, struct sockaddr *, socklen_t *, int) ;

static int failing (void)
{
  char const *file = getenv("ACCEPT_FAIL_WHILE") ;
  return file && access(file, F_OK) == 0 ;
}

int accept4 (int fd, struct sockaddr *sa, socklen_t *len, int flags)
{
  if (failing()) return (errno = EPERM, -1) ;
  return ((accept4_f *)dlsym(RTLD_NEXT, "accept4"))(fd, sa, len, flags) ;
}

int accept (int fd, struct sockaddr *sa, socklen_t *len)
{
  return accept4(fd, sa, len, 0) ;
}
