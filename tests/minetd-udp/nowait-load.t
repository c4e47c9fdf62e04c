#!/bin/bash
# nowait under load: 16 peers in flight, each a new source port served by a
# program that answers one message and exits at once. Every answer must
# reach its peer: what a program wrote just before it exited is relayed
# before its relay is closed, even when the loop reaps it in a round that
# woke for another peer (that reply was lost, about 1 in 25, before).
. "$(dirname "$0")/../lib.sh"
start_port "$T/log" "$B/minetd-udp" -1 -n -c 64 -t 5 127.0.0.1 0 "$B/tools/udpone"
ok $? "udp_nowait_load_starts"
line=$("$B/tools/udpload" -q -k 16 -n 400 -t 60 -T 3000 127.0.0.1 "$PORT")
note "$line"
like "$line" ' ok=400 lost=0 mismatch=0 errors=0 ' "udp_nowait_every_reply_of_an_exiting_program_is_relayed"
kill -0 "$SRV_PID"; ok $? "udp_nowait_load_server_alive"
stop "$SRV_PID"
done_testing
