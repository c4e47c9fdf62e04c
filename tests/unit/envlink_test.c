/* Unit tests for the minetd-env link's deny log budget: in one process, at
   most MTD_ENV_DENY_LOG_MAX deny lines a second, the rest counted. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "mtd_addr.h"
#include "mtd_envlink.h"

char const *PROG = "minetd-env" ;
static int n, failed ;
static void ok (int cond, char const *name)
{
  printf("%sok %d - %s\n", cond ? "" : "not ", ++n, name) ;
  if (!cond) failed++ ;
}

static time_t second (void)
{
  struct timespec ts ;
  clock_gettime(CLOCK_MONOTONIC, &ts) ;
  return ts.tv_sec ;
}

/* 25 denials from a fresh link, all within one second (tried again if a
   second boundary fell inside); the deny lines it wrote to stderr. */
static unsigned int deny_lines (char const *rules, unsigned int *dropped)
{
  for (int attempt = 0 ; attempt < 5 ; attempt++)
  {
    static mtd_env_config cfg ;
    char const *argv[] = { "minetd-env", "-r", rules, "true", 0 } ;
    mtd_envmod env ;
    mtd_conn c ;
    int p[2], saved = dup(2), dn = open("/dev/null", O_WRONLY) ;
    char buf[16384] ;
    ssize_t len ;
    unsigned int lines = 0 ;
    time_t t0 ;
    int dual ;
    if (pipe(p) < 0 || saved < 0 || dn < 0) { perror("setup") ; exit(111) ; }
    mtd_env_parse(4, argv, &cfg) ;
    mtd_env_start(&cfg) ;
    memset(&c, 0, sizeof c) ;
    mtd_envmod_init(&env) ;
    c.env = &env ; c.fd = dn ;
    mtd_host_scan("192.0.2.7", &c.remote, &dual) ;
    c.remoteport = 4000 ;
    fflush(stdout) ;
    dup2(p[1], 2) ;
    t0 = second() ;
    for (int i = 0 ; i < 25 ; i++) mtd_env_admit(&cfg, &c) ;
    int same = second() == t0 ;
    dup2(saved, 2) ; close(saved) ; close(p[1]) ; close(dn) ;
    len = read(p[0], buf, sizeof buf - 1) ;
    close(p[0]) ;
    buf[len > 0 ? len : 0] = 0 ;
    for (char *s = buf ; (s = strstr(s, "minetd-env: info: deny 192.0.2.7 port 4000 rule")) ; s++) lines++ ;
    *dropped = cfg.log_dropped ;
    if (same) return lines ;
  }
  return 0 ;
}

int main (void)
{
  char rules[] = "/tmp/envlink_test.XXXXXX" ;
  unsigned int dropped ;
  int fd = mkstemp(rules) ;
  if (fd < 0 || write(fd, "deny 0.0.0.0/0\n", 15) != 15) { perror("rules") ; return 111 ; }
  close(fd) ;
  unsigned int lines = deny_lines(rules, &dropped) ;
  unlink(rules) ;
  ok(lines == MTD_ENV_DENY_LOG_MAX, "envlink_deny_flood_logs_exactly_10_lines_a_second") ;
  if (lines != MTD_ENV_DENY_LOG_MAX) printf("# %u deny lines\n", lines) ;
  ok(dropped == 25 - MTD_ENV_DENY_LOG_MAX, "envlink_deny_flood_counts_the_rest") ;
  ok(MTD_ENV_DENY_LOG_MAX == 10, "envlink_deny_budget_is_the_documented_10") ;
  printf("1..%d\n", n) ;
  return !!failed ;
}
