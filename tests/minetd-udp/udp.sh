# Helpers for minetd-udp tests, on top of ../lib.sh.
D=$ROOT/tests/minetd-udp
UPROBE=$B/tools/udpprobe
# start_udp LOG ARGS...: minetd-udp -1 ARGS..., port in $PORT, pid SRV_PID.
start_udp() { local log=$1; shift; start_port "$log" "$B/minetd-udp" -1 "$@"; }
# ask [-b SRC] [-w S] [-n N] HOST PORT MSG...: replies, "FROMIP FROMPORT TEXT".
ask() { timeout 15 python3 "$D/ask.py" "$@" 2>/dev/null; }
# field NAME LINE: the value of NAME=... in a udpprobe reply.
field() { printf '%s\n' "$2" | tr ' ' '\n' | sed -n "s/^$1=//p" | head -n 1; }
# cputicks PID: CPU of PID and its reaped children (utime stime cutime
# cstime), in clock ticks: a spinning launcher spends it forking.
cputicks() { awk '{ print $14 + $15 + $16 + $17 }' "/proc/$1/stat"; }
