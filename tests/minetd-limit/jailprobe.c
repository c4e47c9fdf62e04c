/* What a connection's program sees of itself inside a chroot, where there
   is no /proc and no shell: its ids, groups, root and cwd, no_new_privs.
   Built statically by the tests that copy it into a prepared root. */
#include <dirent.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/prctl.h>

int main (void)
{
  char cwd[256] ;
  gid_t groups[64] ;
  int n = getgroups(64, groups) ;
  struct dirent *d ;
  DIR *dir = opendir("/") ;
  if (!dir || !getcwd(cwd, sizeof cwd) || n < 0) return 1 ;
  printf("uid=%u:%u gid=%u:%u groups=", (unsigned)getuid(), (unsigned)geteuid(), (unsigned)getgid(), (unsigned)getegid()) ;
  for (int i = 0 ; i < n ; i++) printf("%s%u", i ? "," : "", (unsigned)groups[i]) ;
  printf("\ncwd=%s nnp=%d\n", cwd, prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0)) ;
  /* one a line, in readdir's order: sort the output to compare it */
  while ((d = readdir(dir))) if (d->d_name[0] != '.') printf("root has %s\n", d->d_name) ;
  return 0 ;
}
