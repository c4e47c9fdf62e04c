/* strerror_spy: LD_PRELOAD it to see strerror called where it must not
   be: in a process sharing the memory of the one that loaded the shim (a
   clone(CLONE_VM) child). Such a child has its own pid but the loader's
   variables, so the pid recorded at load does not match. Each such call
   writes one line to fd 2. (A forked child would match too: use it where
   the program does not fork.) */
#include <dlfcn.h>
#include <string.h>
#include <unistd.h>

typedef char *strerror_f (int) ;
static strerror_f *real ;
static pid_t loader ;

__attribute__((constructor)) static void spy_init (void)
{
  loader = getpid() ;
  real = (strerror_f *)dlsym(RTLD_NEXT, "strerror") ;
}

char *strerror (int e)
{
  if (getpid() != loader)
  {
    static char const line[] = "strerror_spy: strerror called in a process sharing its parent's memory\n" ;
    ssize_t r = write(2, line, sizeof line - 1) ;
    (void)r ;
  }
  return real(e) ;
}
