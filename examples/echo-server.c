/* echo-server: copies stdin to stdout until EOF. An example minetd service. */
#include <unistd.h>
#include <errno.h>

int main (void)
{
  char buf[4096] ;
  for (;;)
  {
    ssize_t r = read(0, buf, sizeof buf) ;
    if (r < 0 && errno == EINTR) continue ;
    if (r <= 0) return r < 0 ? 111 : 0 ;
    for (ssize_t w = 0 ; w < r ;)
    {
      ssize_t n = write(1, buf + w, r - w) ;
      if (n < 0 && errno == EINTR) continue ;
      if (n < 0) return 111 ;
      w += n ;
    }
  }
}
