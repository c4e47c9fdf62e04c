/* --help, --version and bad options, the same in every minetd program. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <skalibs/allreadwrite.h>
#include <skalibs/strerr.h>
#include "mtd_usage.h"

/* The Makefile defines it from the VERSION file, the one place it is kept. */
#ifndef MTD_VERSION
#error "MTD_VERSION is not defined: build with make"
#endif

/* Writes a, b, c and a newline on stdout, then exits 0. */
static void print_line (char const *a, char const *b, char const *c) gccattr_noreturn ;
static void print_line (char const *a, char const *b, char const *c)
{
  char const *s[4] = { a, b, c, "\n" } ;
  for (unsigned int i = 0 ; i < 4 ; i++)
    if (allwrite(1, s[i], strlen(s[i])) < strlen(s[i])) strerr_diefu1sys(111, "write to stdout") ;
  _exit(0) ;
}

void mtd_usage_help (int argc, char const *const *argv, char const *usage)
{
  if (argc < 2) return ;
  if (!strcmp(argv[1], "--help")) print_line("usage: ", usage, "") ;
  if (!strcmp(argv[1], "--version")) mtd_usage_version() ;
}

void mtd_usage_version (void)
{
  print_line(PROG, " ", MTD_VERSION) ;
}

void mtd_usage_bad_option (char opt, char const *options, char const *usage)
{
  char o[3] = { '-', opt, 0 } ;
  char const *p = opt && opt != ':' ? strchr(options, opt) : 0 ;
  if (p && p[1] == ':') strerr_warn(PROG, ": fatal: missing argument for option ", o) ;
  else strerr_warn(PROG, ": fatal: unknown option ", opt ? o : "-") ;
  strerr_dieusage(100, usage) ;
}
