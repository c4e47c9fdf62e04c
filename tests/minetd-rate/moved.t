#!/bin/bash
# A fused minetd-rate follows its state file's path: once the file is
# deleted or replaced, minetd-tcp and a standalone minetd-rate naming the
# same path share one window again (the new file), as two exec chains do.
. "$(dirname "$0")/../lib.sh"
S=$T/state
export TCPREMOTEIP=127.0.0.1
alone() { "$B/minetd-rate" -n 3 -w 60 -f "$S" -m 'full\n' echo admitted 2>>"$T/err"; }
served() { for i in $(seq "$1"); do fetch 127.0.0.1 "$PORT"; done | tr '\n' ' '; }

start_tcp "$T/log" 127.0.0.1 0 "$B/minetd-rate" -n 3 -w 60 -f "$S" -m 'full\n' /bin/echo served
is "$(served 1)" "served " "fused_rate_first_connection_counted_in_the_first_file"

rm "$S"
is "$(alone; alone)" $'admitted\nadmitted' "rate_standalone_starts_a_new_file_after_deletion"
is "$(served 2)" "served full " "fused_rate_follows_a_deleted_state_file_to_the_new_one"
is "$(alone)" "full" "rate_standalone_and_fused_share_the_new_file"

# Moved aside (the old inode keeps its name), a new file in its place.
mv "$S" "$S.old"
is "$(alone)" "admitted" "rate_standalone_starts_a_new_file_after_a_move"
is "$(served 3)" "served served full " "fused_rate_follows_a_replaced_state_file"

# Replaced by rename over it.
"$B/minetd-rate" -n 3 -w 60 -f "$S.new" true 2>>"$T/err"
"$B/minetd-rate" -n 3 -w 60 -f "$S.new" true 2>>"$T/err"
mv "$S.new" "$S"
is "$(served 2)" "served full " "fused_rate_follows_a_state_file_renamed_over_it"
is "$(alone)" "full" "rate_standalone_and_fused_share_the_renamed_file"

# Deleted with nobody to create it again: the fused link creates it.
rm "$S"
is "$(served 1)" "served " "fused_rate_recreates_a_deleted_state_file"
test -f "$S"; ok $? "fused_rate_recreated_state_file_exists"
is "$(alone; alone; alone)" $'admitted\nadmitted\nfull' "rate_standalone_shares_the_file_the_fused_link_recreated"

# A SIGHUP makes it look too, without a connection.
mv "$S" "$S.old2"
kill -HUP "$SRV_PID"
wait_until 5 test -f "$S"; ok $? "fused_rate_sighup_reopens_a_moved_state_file"
is "$(cat "$T/err" "$T/log" | grep -c 'warning\|fatal')" 0 "rate_moved_state_files_no_warnings"
stop "$SRV_PID"
done_testing
