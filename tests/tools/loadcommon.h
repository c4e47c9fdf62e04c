/* What the load generators (loadgen, udpload) share: the clock, their own
   CPU time, and the two ways they die. The includer defines TOOL (its
   name) and USAGE first. */
#ifndef LOADCOMMON_H
#define LOADCOMMON_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>

static uint64_t now_ns (void)
{
  struct timespec ts ;
  clock_gettime(CLOCK_MONOTONIC, &ts) ;
  return (uint64_t)ts.tv_sec * 1000000000u + ts.tv_nsec ;
}

static double cpu_s (void)
{
  struct rusage ru ;
  getrusage(RUSAGE_SELF, &ru) ;
  return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6 ;
}

static void die (char const *what)
{
  fprintf(stderr, TOOL ": fatal: %s: %s\n", what, strerror(errno)) ;
  exit(111) ;
}

static void dieusage (char const *why)
{
  if (why) fprintf(stderr, TOOL ": fatal: %s\n", why) ;
  fputs(USAGE, stderr) ;
  exit(100) ;
}

#endif
