/* The services over a stream (TCP): one iopause loop over fds 0 and 1 with
   an idle deadline, so that no client can hold the process forever,
   neither by sending nothing nor by reading nothing. */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <skalibs/allreadwrite.h>
#include <skalibs/djbunix.h>
#include <skalibs/error.h>
#include <skalibs/iopause.h>
#include <skalibs/strerr.h>
#include <skalibs/tai.h>
#include <skalibs/types.h>
#include "minetd-internal.h"

#define ECHO_BUFFER 65536
#define CHARGEN_LINE 72
#define CHARGEN_RING 95
/* after the answer of daytime or time: time for the client to close */
#define LINGER_MS 5000

static unsigned int idle_s ;
static tain deadline ;

static void progress (void)
{
  tain_addsec_g(&deadline, idle_s) ;
}

static void idle_exit (void) gccattr_noreturn ;
static void idle_exit (void)
{
  char n[UINT_FMT] ;
  n[uint_fmt(n, idle_s)] = 0 ;
  strerr_warni("closing the connection: idle for ", n, " s") ;
  _exit(0) ;
}

/* The client resetting or closing while we write is how many clients
   end chargen (RFC 864: "the rude abort"): not an error. */
static int client_gone (int e)
{
  return e == EPIPE || e == ECONNRESET || e == ENOTCONN || e == ETIMEDOUT ;
}

static ssize_t read_some (char *s, size_t n)
{
  ssize_t r = fd_read(0, s, n) ;
  if (r < 0 && error_isagain(errno)) return -2 ;
  if (r < 0 && client_gone(errno)) return 0 ;
  if (r < 0) strerr_diefusys(111, "read from the client") ;
  return r ;
}

/* Bytes written, or -2 if none could be, now. Exits 0 if the client is
   gone. */
static ssize_t write_some (char const *s, size_t n)
{
  ssize_t r = fd_write(1, s, n) ;
  if (r < 0 && error_isagain(errno)) return -2 ;
  if (r < 0 && client_gone(errno)) _exit(0) ;
  if (r < 0) strerr_diefusys(111, "write to the client") ;
  return r ;
}

static int wait_for (iopause_fd *x, unsigned int n)
{
  int r = iopause_g(x, n, &deadline) ;
  if (r < 0) strerr_diefusys(111, "iopause") ;
  if (!r) idle_exit() ;
  return r ;
}

/* RFC 862. Reading stops while the buffer is full: a client that sends
   and never reads is left to the idle deadline, not to our memory. */
static void echo_run (void) gccattr_noreturn ;
static void echo_run (void)
{
  static char buf[ECHO_BUFFER] ;
  size_t head = 0, tail = 0 ;
  int eof = 0 ;
  for (;;)
  {
    iopause_fd x[2] ;
    unsigned int n = 0 ;
    int rd = -1, wr = -1 ;
    if (head == tail) head = tail = 0 ;
    else if (tail == sizeof buf && head) { memmove(buf, buf + head, tail - head) ; tail -= head ; head = 0 ; }
    if (eof && head == tail) _exit(0) ;
    if (!eof && tail < sizeof buf) { rd = n ; x[n].fd = 0 ; x[n++].events = IOPAUSE_READ ; }
    if (head < tail) { wr = n ; x[n].fd = 1 ; x[n++].events = IOPAUSE_WRITE ; }
    wait_for(x, n) ;
    if (wr >= 0 && x[wr].revents & (IOPAUSE_WRITE | IOPAUSE_EXCEPT))
    {
      ssize_t w = write_some(buf + head, tail - head) ;
      if (w > 0) { head += w ; progress() ; }
    }
    if (rd >= 0 && x[rd].revents & (IOPAUSE_READ | IOPAUSE_EXCEPT))
    {
      ssize_t r = read_some(buf + tail, sizeof buf - tail) ;
      if (!r) eof = 1 ;
      else if (r > 0) { tail += r ; progress() ; }
    }
  }
}

/* RFC 863: everything read is thrown away, until the client closes. */
static void discard_run (void) gccattr_noreturn ;
static void discard_run (void)
{
  static char buf[65536] ;
  for (;;)
  {
    iopause_fd x = { .fd = 0, .events = IOPAUSE_READ } ;
    ssize_t r ;
    wait_for(&x, 1) ;
    r = read_some(buf, sizeof buf) ;
    if (!r) _exit(0) ;
    if (r > 0) progress() ;
  }
}

/* RFC 864: 72 characters of the ring of the 95 printable ones (space to
   tilde) per line, each line starting one further, "\r\n" after each.
   The text repeats after 95 lines: it is made once, and written from as
   a ring of its own. What the client sends is read and thrown away. */
static void chargen_run (void) gccattr_noreturn ;
static void chargen_run (void)
{
  static char text[CHARGEN_RING * (CHARGEN_LINE + 2)] ;
  static char sink[4096] ;
  size_t at = 0 ;
  int eof = 0 ;
  for (unsigned int line = 0 ; line < CHARGEN_RING ; line++)
  {
    char *s = text + line * (CHARGEN_LINE + 2) ;
    for (unsigned int i = 0 ; i < CHARGEN_LINE ; i++) s[i] = ' ' + (line + i) % CHARGEN_RING ;
    s[CHARGEN_LINE] = '\r' ; s[CHARGEN_LINE + 1] = '\n' ;
  }
  for (;;)
  {
    iopause_fd x[2] = { { .fd = 1, .events = IOPAUSE_WRITE }, { .fd = 0, .events = IOPAUSE_READ } } ;
    wait_for(x, eof ? 1 : 2) ;
    if (x[0].revents & (IOPAUSE_WRITE | IOPAUSE_EXCEPT))
    {
      ssize_t w = write_some(text + at, sizeof text - at) ;
      if (w > 0) { at = (at + w) % sizeof text ; progress() ; }
    }
    if (!eof && x[1].revents & (IOPAUSE_READ | IOPAUSE_EXCEPT))
    {
      /* after the client's EOF it may still read: go on until it closes */
      ssize_t r = read_some(sink, sizeof sink) ;
      if (!r) eof = 1 ;
      else if (r > 0) progress() ;
    }
  }
}

/* daytime and time: the answer, then our end closed. Closing with bytes
   of the client unread would reset the connection, and the client could
   lose the answer: what it sends is read until it closes, for a few
   seconds at most. */
static void answer_run (char const *s, size_t len) gccattr_noreturn ;
static void answer_run (char const *s, size_t len)
{
  static char sink[4096] ;
  tain linger ;
  while (len)
  {
    iopause_fd x = { .fd = 1, .events = IOPAUSE_WRITE } ;
    ssize_t w ;
    wait_for(&x, 1) ;
    w = write_some(s, len) ;
    if (w > 0) { s += w ; len -= w ; }
  }
  if (shutdown(1, SHUT_WR) < 0) _exit(0) ;   /* not a socket: nothing to linger for */
  tain_from_millisecs(&linger, LINGER_MS) ;
  tain_add_g(&linger, &linger) ;
  if (tain_less(&linger, &deadline)) deadline = linger ;
  for (;;)
  {
    iopause_fd x = { .fd = 0, .events = IOPAUSE_READ } ;
    int r = iopause_g(&x, 1, &deadline) ;
    if (r < 0) strerr_diefusys(111, "iopause") ;
    if (!r || read_some(sink, sizeof sink) == 0) _exit(0) ;
  }
}

void stream_run (internal_service svc, unsigned int idle)
{
  idle_s = idle ;
  if (ndelay_on(0) < 0 || ndelay_on(1) < 0) strerr_diefusys(111, "make the connection nonblocking") ;
  tain_now_set_stopwatch_g() ;
  progress() ;
  switch (svc)
  {
    case SVC_ECHO : echo_run() ;
    case SVC_DISCARD : discard_run() ;
    case SVC_CHARGEN : chargen_run() ;
    case SVC_DAYTIME :
    {
      char s[DAYTIME_MAX] ;
      size_t n = clock_daytime(s) ;
      if (!n) strerr_diefusys(111, "read the local time") ;
      answer_run(s, n) ;
    }
    case SVC_TIME :
    {
      char s[4] ;
      clock_time(s) ;
      answer_run(s, 4) ;
    }
  }
  strerr_dief(111, "unknown service") ;
}
