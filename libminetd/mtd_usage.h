/* One behaviour for --help, --version and bad options in every minetd
   program: "--help" as the first argument prints "usage: ..." on stdout and
   exits 0; "--version" prints "PROG VERSION" on stdout and exits 0;
   an unknown option, or one missing its argument, says which on stderr,
   then the usage line, and exits 100. */
#ifndef MTD_USAGE_H
#define MTD_USAGE_H

#include <skalibs/gccattributes.h>

/* Returns if argv[1] is neither "--help" nor "--version". */
extern void mtd_usage_help (int argc, char const *const *argv, char const *usage) ;

/* Prints "PROG VERSION" on stdout and exits 0. */
extern void mtd_usage_version (void) gccattr_noreturn ;

/* opt: the option letter skalibs' subgetopt reported (l.problem);
   options: its option string, to tell "needs an argument" apart. */
extern void mtd_usage_bad_option (char opt, char const *options, char const *usage) gccattr_noreturn ;

#endif
