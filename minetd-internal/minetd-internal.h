/* minetd-internal: what its files share. */
#ifndef MINETD_INTERNAL_H
#define MINETD_INTERNAL_H

#include <stddef.h>
#include <skalibs/gccattributes.h>

typedef enum internal_service_e internal_service ;
enum internal_service_e { SVC_ECHO, SVC_DISCARD, SVC_DAYTIME, SVC_TIME, SVC_CHARGEN } ;

/* clock.c: the answers of daytime (RFC 867) and time (RFC 868). */
#define DAYTIME_MAX 64
extern size_t clock_daytime (char *s) ;   /* s: DAYTIME_MAX bytes */
extern void clock_time (char *s) ;        /* s: 4 bytes */

/* stream.c: fd 0 from the client, fd 1 to it. idle in seconds. */
extern void stream_run (internal_service svc, unsigned int idle) gccattr_noreturn ;

/* dgram.c: fd 0 a datagram socket; one answer per datagram. */
extern void dgram_run (internal_service svc, unsigned int idle) gccattr_noreturn ;

#endif
