/* Messages given on a command line: \r \n \t \\ escapes, checked whole. */
#ifndef MTD_ESCAPE_H
#define MTD_ESCAPE_H

#include <stddef.h>

/* Decodes src into dst (room for strlen(src) bytes is enough; dst may be
   src itself). Known escapes: \r \n \t \\. Returns 1 and the decoded
   length in *len, or 0 on an unknown escape or a trailing backslash
   (dst then holds garbage). */
extern int mtd_unescape (char *dst, char const *src, size_t *len) ;

#endif
