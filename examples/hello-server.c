/* hello-server: greets the client with its UCSPI address, one line, exits. */
#include <stdio.h>
#include <stdlib.h>

int main (void)
{
  char const *ip = getenv("TCPREMOTEIP") ;
  char const *port = getenv("TCPREMOTEPORT") ;
  printf("hello %s port %s\r\n", ip ? ip : "unknown", port ? port : "unknown") ;
  return fflush(stdout) ? 111 : 0 ;
}
