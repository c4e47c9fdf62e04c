/* udpone: the trivial UDP service of the benchmarks: answers one datagram
   with its own bytes and exits. Under a wait-mode server (fd 0 is the UDP
   socket: inetd, xinetd, udpsvd, minetd-udp -w) it replies with sendto to
   the source; under minetd-udp -n (fd 0 is the relay, no source address)
   it writes the reply to fd 1. */
#include <unistd.h>
#include <sys/socket.h>

int main (void)
{
  char buf[2048] ;
  struct sockaddr_storage ss ;
  socklen_t sl = sizeof ss ;
  ssize_t r = recvfrom(0, buf, sizeof buf, 0, (struct sockaddr *)&ss, &sl) ;
  if (r < 0) return 111 ;
  if (sl > 0 && ss.ss_family != AF_UNIX && ss.ss_family != AF_UNSPEC)
    return sendto(0, buf, r, 0, (struct sockaddr *)&ss, sl) == r ? 0 : 111 ;
  return write(1, buf, r) == r ? 0 : 111 ;
}
