/* spawnloop: the physical limit of accept-fork-exec without the accept.
   Runs PROG over and over with stdout on /dev/null, K children at a time,
   with fork+execve, vfork+execve or posix_spawn; bounded by count and time. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/wait.h>

extern char **environ ;

static double now_s (void)
{
  struct timespec ts ;
  clock_gettime(CLOCK_MONOTONIC, &ts) ;
  return ts.tv_sec + ts.tv_nsec / 1e9 ;
}

static void die (char const *what)
{
  fprintf(stderr, "spawnloop: fatal: %s: %s\n", what, strerror(errno)) ;
  exit(111) ;
}

/* In a function of its own so vfork cannot clobber main's variables. */
static pid_t __attribute__((noinline)) spawn_forked (int use_vfork, int devnull, char **pargv)
{
  pid_t pid = use_vfork ? vfork() : fork() ;
  if (!pid)
  {
    dup2(devnull, 1) ;
    execve(pargv[0], pargv, environ) ;
    _exit(127) ;
  }
  return pid ;
}

int main (int argc, char **argv)
{
  char const *mode = "fork" ;
  unsigned int k = 1 ;
  unsigned long count = 100000, started = 0, done = 0, failed = 0 ;
  double seconds = 3 ;
  int opt ;
  while ((opt = getopt(argc, argv, "m:k:n:t:")) != -1)
    switch (opt)
    {
      case 'm' : mode = optarg ; break ;
      case 'k' : k = strtoul(optarg, 0, 10) ; break ;
      case 'n' : count = strtoul(optarg, 0, 10) ; break ;
      case 't' : seconds = strtod(optarg, 0) ; break ;
      default : goto usage ;
    }
  if (argc - optind < 1 || !k || k > 1024 || !count || !(seconds > 0) || seconds > 3600) goto usage ;
  if (strcmp(mode, "fork") && strcmp(mode, "vfork") && strcmp(mode, "posix_spawn")) goto usage ;
  char **pargv = argv + optind ;
  int devnull = open("/dev/null", O_WRONLY | O_CLOEXEC) ;
  if (devnull < 0) die("open /dev/null") ;
  posix_spawn_file_actions_t fa ;
  posix_spawn_file_actions_init(&fa) ;
  posix_spawn_file_actions_adddup2(&fa, devnull, 1) ;
  double t0 = now_s(), deadline = t0 + seconds ;
  unsigned int inflight = 0 ;
  for (;;)
  {
    while (inflight < k && started < count && now_s() < deadline)
    {
      pid_t pid ;
      if (mode[0] == 'p')
      {
        int e = posix_spawn(&pid, pargv[0], &fa, 0, pargv, environ) ;
        if (e) { errno = e ; die("posix_spawn") ; }
      }
      else
      {
        pid = spawn_forked(mode[0] == 'v', devnull, pargv) ;
        if (pid < 0) die("fork") ;
      }
      started++ ;
      inflight++ ;
    }
    if (!inflight) break ;
    int wstat ;
    pid_t p = wait(&wstat) ;
    if (p < 0) { if (errno == EINTR) continue ; die("wait") ; }
    inflight-- ;
    done++ ;
    if (!WIFEXITED(wstat) || WEXITSTATUS(wstat)) failed++ ;
  }
  double el = now_s() - t0 ;
  struct rusage ru ;
  getrusage(RUSAGE_CHILDREN, &ru) ;
  double ccpu = ru.ru_utime.tv_sec + ru.ru_stime.tv_sec + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6 ;
  getrusage(RUSAGE_SELF, &ru) ;
  double scpu = ru.ru_utime.tv_sec + ru.ru_stime.tv_sec + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6 ;
  printf("mode=%s k=%u spawns=%lu failed=%lu sps=%.0f elapsed_s=%.2f parent_cpu_s=%.2f child_cpu_s=%.2f\n",
    mode, k, done, failed, done / el, el, scpu, ccpu) ;
  return failed ? 1 : 0 ;
 usage:
  fprintf(stderr, "usage: spawnloop [-m fork|vfork|posix_spawn] [-k inflight] [-n count] [-t seconds] /abs/prog [args...]\n") ;
  return 100 ;
}
