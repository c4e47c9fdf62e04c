/* Reverse DNS for TCPREMOTEHOST / TCPLOCALHOST, bounded by a timeout.
   The resolver has no timeout of its own we can trust, so the lookups run
   in a short-lived helper process that is killed when time is up. */
#ifndef MTD_LOOKUP_H
#define MTD_LOOKUP_H

#include <skalibs/ip46.h>

#define MTD_LOOKUP_NAME_MAX 255

/* Looks up the name of remote (and of local, if local is not 0). With
   paranoid, a name is kept only if it resolves back to the address.
   rname and lname (MTD_LOOKUP_NAME_MAX + 1 bytes) get the names, or ""
   when unknown, refused, or not done in time. Never takes much longer
   than timeout_ms. Returns 1 if the lookups finished, 0 if they timed out
   or could not be started (errno set). */
extern int mtd_lookup_names (ip46 const *remote, ip46 const *local, int paranoid, unsigned int timeout_ms, char *rname, char *lname) ;

#endif
