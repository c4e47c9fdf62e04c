/* probe: a connection's program for tests. Prints, one per line, what the
   process was given: environment, open fds, signal state, credentials. */
#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <stdlib.h>

extern char **environ ;

static void status_lines (void)
{
  char line[512] ;
  FILE *f = fopen("/proc/self/status", "r") ;
  if (!f) return ;
  while (fgets(line, sizeof line, f))
    if (!strncmp(line, "SigBlk:", 7) || !strncmp(line, "SigIgn:", 7) || !strncmp(line, "Uid:", 4)
     || !strncmp(line, "Gid:", 4) || !strncmp(line, "Groups:", 7))
      printf("status %s", line) ;
  fclose(f) ;
}

static void fd_lines (void)
{
  DIR *d = opendir("/proc/self/fd") ;
  struct dirent *e ;
  if (!d) return ;
  int self = dirfd(d) ;
  printf("fds") ;
  while ((e = readdir(d)))
  {
    if (e->d_name[0] == '.') continue ;
    int fd = atoi(e->d_name) ;
    if (fd != self) printf(" %d", fd) ;
  }
  printf("\n") ;
  closedir(d) ;
}

int main (int argc, char **argv)
{
  for (char **e = environ ; *e ; e++) printf("env %s\n", *e) ;
  fd_lines() ;
  status_lines() ;
  printf("end\n") ;
  return 0 ;
}
