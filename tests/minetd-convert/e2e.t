#!/bin/bash
# End to end: a small inetd.conf (an echo service by a real program, and
# inetd's internal daytime) converted, run by minetd-sup on free ports of
# 127.0.0.1, and served to socat.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../minetd-sup/sup.sh"
. "$(dirname "$0")/convert.sh"

free_ports 2
set -- $PORTS
printf '127.0.0.1:\n%s\tstream\ttcp\tnowait.100\tnobody\t/bin/cat\tcat\ndaytime\tstream\ttcp\tnowait\troot\tinternal\n' "$1" >"$T/inetd.conf"
conv "$T/minetd.conf" "$T/inetd.conf"
is "$RC" 0 "e2e_converted_completely"
like "$(services "$T/minetd.conf")" "service $1 127.0.0.1:$1 100 user=nobody stderr=yes /bin/cat # " "e2e_echo_line"
like "$(services "$T/minetd.conf")" "service daytime 127.0.0.1:13 256 internal:daytime # " "e2e_daytime_line"
# port 13 may be taken on this machine: daytime moves to the second port
sed -i "s/127.0.0.1:13 /127.0.0.1:$2 /" "$T/minetd.conf"
sup_check "$T/minetd.conf"; ok $? "e2e_result_passes_minetd_sup_t"
start_sup "$T/sup.log" "$T/minetd.conf" -B "$B"; ok $? "e2e_minetd_sup_ready"
is "$(fetch 127.0.0.1 "$1" "hello minetd")" "hello minetd" "e2e_echo_served_by_cat_through_socat"
like "$(fetch 127.0.0.1 "$2")" "^[A-Z][a-z][a-z] [A-Z][a-z][a-z] [ 0-9][0-9] [0-9:]{8} [0-9]{4}" "e2e_internal_daytime_served"
stop "$SUP_PID"; is $? 0 "e2e_minetd_sup_stops_cleanly"
done_testing
