/* slow_getpwnam: LD_PRELOAD it to make the first getpwnam(3) of a process
   create the file named by $SLOW_GETPWNAM_MARK, then take half a second:
   a start-up with a user= service then has a window a test can aim at. */
#include <dlfcn.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

typedef struct passwd *getpwnam_f (char const *) ;

struct passwd *getpwnam (char const *name)
{
  static int done = 0 ;
  char const *mark = getenv("SLOW_GETPWNAM_MARK") ;
  if (!done && mark)
  {
    struct timespec half = { .tv_sec = 0, .tv_nsec = 500000000 } ;
    int fd = open(mark, O_WRONLY | O_CREAT | O_CLOEXEC, 0644) ;
    done = 1 ;
    if (fd >= 0) close(fd) ;
    nanosleep(&half, 0) ;
  }
  return ((getpwnam_f *)dlsym(RTLD_NEXT, "getpwnam"))(name) ;
}
