#!/bin/bash
# minetd-rate takes its time from the monotonic clock: moving the wall clock
# (simulated per process with an LD_PRELOAD shim that shifts only
# CLOCK_REALTIME) neither unlocks a full window nor locks an expired one.
. "$(dirname "$0")/../lib.sh"
R=$B/minetd-rate
S=$T/state
export TCPREMOTEIP=127.0.0.1

cat >"$T/shim.c" <<'C'
#define _GNU_SOURCE
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/time.h>
static long offset (void) { char const *s = getenv("FAKE_OFFSET") ; return s ? atol(s) : 0 ; }
int clock_gettime (clockid_t id, struct timespec *ts)
{
  long r = syscall(SYS_clock_gettime, id, ts) ;
  if (!r && (id == CLOCK_REALTIME || id == CLOCK_REALTIME_COARSE)) ts->tv_sec += offset() ;
  return (int)r ;
}
int gettimeofday (struct timeval *tv, void *tz)
{
  struct timespec ts ;
  (void)tz ;
  if (clock_gettime(CLOCK_REALTIME, &ts)) return -1 ;
  tv->tv_sec = ts.tv_sec ; tv->tv_usec = ts.tv_nsec / 1000 ;
  return 0 ;
}
time_t time (time_t *t) { struct timespec ts ; clock_gettime(CLOCK_REALTIME, &ts) ; if (t) *t = ts.tv_sec ; return ts.tv_sec ; }
C
YEAR=31536000
if ! ldd "$R" >/dev/null 2>&1; then
  skip "static build: the LD_PRELOAD clock shim cannot take effect"
  done_testing; exit
fi
if ! cc -shared -fPIC -o "$T/shim.so" "$T/shim.c" 2>/dev/null \
   || [ "$(LD_PRELOAD=$T/shim.so FAKE_OFFSET=$YEAR date +%Y)" != $(( $(date +%Y) + 1 )) ]; then
  skip "cannot simulate a wall-clock change here (no cc or LD_PRELOAD)"
  done_testing; exit
fi
at() { LD_PRELOAD=$T/shim.so FAKE_OFFSET=$1 "$R" -n 1 -w "$2" -f "$S" echo admitted 2>>"$T/err"; }

pass "wall_clock_shim_works"
is "$(at 0 60)" admitted "rate_admits_first"
is "$(at $YEAR 60)" "" "rate_wall_clock_forward_a_year_does_not_unlock"
is "$(at -$YEAR 60)" "" "rate_wall_clock_back_a_year_does_not_unlock"
rm -f "$S"
is "$(at 0 1)" admitted "rate_admits_first_with_1s_window"
sleep 1.1
is "$(at -$YEAR 1)" admitted "rate_wall_clock_back_does_not_lock_expired_window"
is "$(cat "$T/err" | grep -v 'info: refuse')" "" "rate_wall_clock_change_no_warning"
done_testing
