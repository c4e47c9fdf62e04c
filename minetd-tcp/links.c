/* The per-connection links minetd-tcp runs in its own process when its
   command starts with them (DESIGN.md §1): none yet. */
#include "minetd-tcp.h"

char const *const *links_setup (char const *const *argv, int force_exec)
{
  (void)force_exec ;
  return argv ;
}

int links_admit (mtd_conn *c) { (void)c ; return 1 ; }
void links_child (mtd_conn *c) { (void)c ; }
void links_reload (void) { }
