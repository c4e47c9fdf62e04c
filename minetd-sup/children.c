/* The children of a process, from /proc: a chain's connections for
   --status, and the connections left to minetd-sup (subreaper) when their
   chain is gone, which -K ends on SIGTERM. */
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <skalibs/djbunix.h>
#include "run.h"

int sup_children_each (pid_t parent, void (*each) (pid_t, void *), void *arg)
{
  DIR *d = opendir("/proc") ;
  struct dirent *e ;
  int n = 0 ;
  if (!d) return -1 ;
  while ((e = readdir(d)))
  {
    char path[300], buf[512] ;
    char *p ;
    int fd ;
    ssize_t r ;
    unsigned int ppid, pid ;
    if (e->d_name[0] < '1' || e->d_name[0] > '9') continue ;
    snprintf(path, sizeof path, "/proc/%s/stat", e->d_name) ;
    fd = open(path, O_RDONLY | O_CLOEXEC) ;
    if (fd < 0) continue ;
    r = read(fd, buf, sizeof buf - 1) ;
    fd_close(fd) ;
    if (r <= 0) continue ;
    buf[r] = 0 ;
    p = strrchr(buf, ')') ;
    if (!p || sscanf(p + 1, " %*c %u", &ppid) != 1 || (pid_t)ppid != parent) continue ;
    /* a zombie has ended already: it only waits for our wait() */
    if (p[1] == ' ' && p[2] == 'Z') continue ;
    if (sscanf(buf, "%u", &pid) != 1) continue ;
    n++ ;
    if (each) each((pid_t)pid, arg) ;
  }
  closedir(d) ;
  return n ;
}

struct orphan_signal_s { int sig ; unsigned int n ; } ;

static void orphan_one (pid_t pid, void *arg)
{
  struct orphan_signal_s *o = arg ;
  if (sup_is_chain(pid)) return ;
  if (o->sig) kill(pid, o->sig) ;
  o->n++ ;
}

unsigned int orphans_signal (int sig)
{
  struct orphan_signal_s o = { .sig = sig, .n = 0 } ;
  if (sup_children_each(getpid(), &orphan_one, &o) < 0)
    sup_warn("unable to list our children in /proc: connections of stopped chains are not ended") ;
  return o.n ;
}
