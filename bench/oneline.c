/* oneline: the benchmark's trivial service. Writes one line to fd 1 and
   exits; built both static and dynamic to show what the loader costs. */
#include <unistd.h>

int main (void)
{
  static char const line[] = "minetd-bench oneline\n" ;
  ssize_t r = write(1, line, sizeof line - 1) ;
  return r == (ssize_t)(sizeof line - 1) ? 0 : 111 ;
}
