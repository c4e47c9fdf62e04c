/* resolver_hang: LD_PRELOAD it to make getnameinfo(3) hang, as a resolver
   whose server never answers does, without any query sent anywhere. The
   hanging process dies with its parent (PR_SET_PDEATHSIG), and gives up
   after 20 s anyway, so nothing outlives the test. */
#include <netdb.h>
#include <signal.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/socket.h>

int getnameinfo (const struct sockaddr *sa, socklen_t salen, char *host, socklen_t hostlen, char *serv, socklen_t servlen, int flags)
{
  (void)sa ; (void)salen ; (void)host ; (void)hostlen ; (void)serv ; (void)servlen ; (void)flags ;
  prctl(PR_SET_PDEATHSIG, SIGKILL) ;
  if (getppid() != 1) sleep(20) ;
  return EAI_AGAIN ;
}
