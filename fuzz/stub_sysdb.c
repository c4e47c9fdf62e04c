/* For fuzz/conf.c: the system databases the parser reads (services,
   passwd, group), as a small fixed table in memory. Reading /etc/services
   and /etc/passwd on every run took most of the time, and made the runs
   depend on the machine's files. Names not here are unknown, as on a
   machine without them. */
#include <grp.h>
#include <netdb.h>
#include <pwd.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/types.h>

static struct { char const *name ; int port ; } const services[] =
  { { "echo", 7 }, { "discard", 9 }, { "daytime", 13 }, { "time", 37 }, { "tftp", 69 }, { "http", 80 } } ;

struct servent *getservbyname (char const *name, char const *proto)
{
  static struct servent se ;
  static char *noaliases[] = { 0 } ;
  for (unsigned int i = 0 ; i < sizeof services / sizeof *services ; i++)
    if (!strcmp(name, services[i].name))
    {
      se.s_name = (char *)services[i].name ;
      se.s_aliases = noaliases ;
      se.s_port = htons(services[i].port) ;
      se.s_proto = (char *)(proto ? proto : "tcp") ;
      return &se ;
    }
  return 0 ;
}

static struct { char const *name ; uid_t uid ; gid_t gid ; } const users[] =
  { { "root", 0, 0 }, { "daemon", 1, 1 }, { "nobody", 65534, 65534 } } ;

static struct passwd *pw_of (unsigned int i)
{
  static struct passwd pw ;
  pw.pw_name = (char *)users[i].name ;
  pw.pw_passwd = (char *)"x" ;
  pw.pw_uid = users[i].uid ;
  pw.pw_gid = users[i].gid ;
  pw.pw_gecos = (char *)"" ;
  pw.pw_dir = (char *)"/" ;
  pw.pw_shell = (char *)"/bin/sh" ;
  return &pw ;
}

struct passwd *getpwnam (char const *name)
{
  for (unsigned int i = 0 ; i < sizeof users / sizeof *users ; i++)
    if (!strcmp(name, users[i].name)) return pw_of(i) ;
  return 0 ;
}

struct passwd *getpwuid (uid_t uid)
{
  for (unsigned int i = 0 ; i < sizeof users / sizeof *users ; i++)
    if (uid == users[i].uid) return pw_of(i) ;
  return 0 ;
}

struct group *getgrnam (char const *name)
{
  static struct group gr ;
  static char *nomembers[] = { 0 } ;
  for (unsigned int i = 0 ; i < sizeof users / sizeof *users ; i++)
    if (!strcmp(name, users[i].name))
    {
      gr.gr_name = (char *)users[i].name ;
      gr.gr_passwd = (char *)"x" ;
      gr.gr_gid = users[i].gid ;
      gr.gr_mem = nomembers ;
      return &gr ;
    }
  return 0 ;
}

int getgrouplist (char const *user, gid_t group, gid_t *groups, int *ngroups)
{
  (void)user ;
  if (*ngroups < 1) { *ngroups = 1 ; return -1 ; }
  groups[0] = group ;
  *ngroups = 1 ;
  return 1 ;
}
