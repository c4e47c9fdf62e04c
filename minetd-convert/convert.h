/* minetd-convert: inetd.conf and xinetd.conf to minetd.conf. The two
   parsers (inetd.c, xinetd.c) fill one cvt_service per service they read
   and hand it to cvt_emit (emit.c), which writes its minetd.conf line, and
   its rules file with -R. What cannot be translated is reported, as
   "file:line: reason", in c->report. Pure apart from getservbyname, the
   include files and directories of xinetd, banner files and -R. */
#ifndef CONVERT_H
#define CONVERT_H

#include <stddef.h>
#include <stdint.h>
#include <skalibs/stralloc.h>

#define CVT_FILE_MAX (1 << 20)   /* bytes per input file, as minetd.conf */
#define CVT_LINE_MAX 8192        /* bytes per input line */
#define CVT_WORDS_MAX 128        /* words per line (minetd.conf: 136) */
#define CVT_SERVICES_MAX 256     /* services written (minetd.conf's limit) */
#define CVT_REPORT_MAX 1000      /* report lines before "too many" */
#define CVT_DEPTH_MAX 8          /* xinetd include nesting */
#define CVT_NAME_MAX 64

/* Address families of a bound host */
#define CVT_FAM4 1
#define CVT_FAM6 2
#define CVT_FAM46 3              /* "*": one dual-stack socket */

typedef struct cvt_bind_s cvt_bind ;
struct cvt_bind_s
{
  int udp, fam, wild ;
  uint16_t port ;
  char host[48] ;
  char name[CVT_NAME_MAX + 1] ;
} ;

typedef struct cvt_s cvt ;
struct cvt_s
{
  stralloc out ;          /* the minetd.conf text */
  stralloc report ;       /* "file:line: reason\n" */
  unsigned int nreport ;  /* reasons reported: the translation is incomplete */
  unsigned int nservices ;
  char const *rulesdir ;  /* -R DIR, or 0: rules written as comments */
  int noinclude ;         /* refuse xinetd includes and banner files (fuzzing) */
  int sysfail ;           /* a system error (out of memory, writing -R) */
  char names[CVT_SERVICES_MAX * 2][CVT_NAME_MAX + 1] ;
  unsigned int nnames ;
  cvt_bind binds[CVT_SERVICES_MAX] ;
  unsigned int nbinds ;
} ;
#define CVT_ZERO { .out = STRALLOC_ZERO, .report = STRALLOC_ZERO, .nreport = 0, .nservices = 0, .rulesdir = 0, .noinclude = 0, .sysfail = 0, .nnames = 0, .nbinds = 0 }

typedef struct cvt_service_s cvt_service ;
struct cvt_service_s
{
  char const *file ;
  unsigned int line ;
  char const *name ;      /* service name or xinetd id, made safe by cvt_emit */
  char host[48] ;         /* minetd.conf's HOST: "*", "0", "127.0.0.1", "[::1]" */
  int fam, wild ;
  uint16_t port ;
  int udp, wait ;
  unsigned int rate ;
  int disabled ;          /* written commented out */
  char const *why_disabled ;
  char const *internal ;  /* internal:NAME, or 0 */
  stralloc opts ;         /* key=value words, each quoted, separated by ' ' */
  stralloc argv ;         /* program and args, each quoted, separated by ' ' */
  unsigned int nwords ;   /* words in opts and argv */
  int has_rules ;         /* rules (even empty) must be written */
  int rules_allow ;       /* rules_default=allow */
  stralloc rules ;        /* the rules file body */
  stralloc notes ;        /* "# note: ..." lines, written before the service */
} ;
#define CVT_SERVICE_ZERO { .file = 0, .line = 0, .name = 0, .host = "", .fam = 0, .wild = 0, .port = 0, .udp = 0, .wait = 0, .rate = 0, .disabled = 0, .why_disabled = 0, .internal = 0, .opts = STRALLOC_ZERO, .argv = STRALLOC_ZERO, .nwords = 0, .has_rules = 0, .rules_allow = 0, .rules = STRALLOC_ZERO, .notes = STRALLOC_ZERO }

/* The parsers. Each returns 1, or 0 on a system error (c->sysfail set). */
/* words.c: blanks are space, tab and CR; at most max words into w, or
   max + 1 if there are more. The line is cut in place. */
extern int cvt_blank (char ch) ;
extern unsigned int cvt_split (char *line, char **w, unsigned int max) ;

extern int cvt_inetd (cvt *c, char const *file, char const *text, size_t len) ;
/* xinetd: file's text; includes are read from the file system, relative
   paths from the directory of file. */
extern int cvt_xinetd (cvt *c, char const *file, char const *text, size_t len) ;

/* 1 if text looks like an xinetd.conf (a "service NAME", "defaults",
   "includedir" or "include" line, or a brace), else 0: inetd.conf. */
extern int cvt_is_xinetd (char const *text, size_t len) ;

/* emit.c */
/* Reports "file:line: " and the parts (line 0: "file: "). */
extern void cvt_report (cvt *c, char const *file, unsigned int line, char const *const *parts, unsigned int n) ;
#define cvt_rep(c, f, l, ...) cvt_report(c, f, l, (char const *const[]){ __VA_ARGS__ }, sizeof((char const *const[]){ __VA_ARGS__ }) / sizeof(char const *))
/* The service could not be translated: reported, and written as a comment. */
extern void cvt_skip (cvt *c, cvt_service const *s, char const *why) ;
/* Writes s (its name made unique, its address checked against the
   services already written); frees s's buffers. */
extern void cvt_emit (cvt *c, cvt_service *s) ;
extern void cvt_service_free (cvt_service *s) ;
/* key=value (value quoted as minetd.conf needs) into s->opts */
extern void cvt_opt (cvt *c, cvt_service *s, char const *key, char const *value) ;
extern void cvt_opt_uint (cvt *c, cvt_service *s, char const *key, unsigned int u) ;
/* one word of the program's argv */
extern void cvt_arg (cvt *c, cvt_service *s, char const *word) ;
extern void cvt_note (cvt *c, cvt_service *s, char const *const *parts, unsigned int n) ;
#define cvt_notes(c, s, ...) cvt_note(c, s, (char const *const[]){ __VA_ARGS__ }, sizeof((char const *const[]){ __VA_ARGS__ }) / sizeof(char const *))
/* HOST as inetd or xinetd write it (a literal; "localhost") to s->host,
   fam and wild. 1, or 0 with *why. */
extern int cvt_host (cvt_service *s, char const *text, char const **why) ;
/* the wildcard of a family */
extern void cvt_host_any (cvt_service *s, int fam) ;
/* PORT: a number, or a name of /etc/services for the protocol. 1 or 0. */
extern int cvt_port (char const *text, int udp, uint16_t *port) ;
/* The internal services minetd-internal serves; 1 if name is one. */
extern int cvt_internal_known (char const *name) ;
/* A banner file's bytes as minetd's escapes (\r \n \t \\), into sa;
   1, or 0 with *why (unreadable, too long, a byte minetd cannot send). */
extern int cvt_banner (cvt *c, char const *path, stralloc *sa, char const **why) ;
/* Appends a rules file's quoted message: msg="..." */
extern int cvt_rules_msg (stralloc *sa, char const *escaped) ;

#endif
