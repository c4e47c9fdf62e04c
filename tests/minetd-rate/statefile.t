#!/bin/bash
# minetd-rate's state file is never trusted: garbage, truncated, foreign
# version, bad checksum or inconsistent contents are rebuilt (in place, with
# a warning); a symlink, a non-regular file or another owner's file is refused.
. "$(dirname "$0")/../lib.sh"
R=$B/minetd-rate
S=$T/state
export TCPREMOTEIP=127.0.0.1

run() { "$R" -n 1 -w 600 -f "$S" echo admitted 2>"$T/err"; }
poke() { # poke OFFSET HEXBYTES: overwrite bytes in the state file
  printf "$2" | dd of="$S" bs=1 seek="$1" conv=notrunc status=none
}
err() { cat "$T/err"; }

is "$(run)" admitted "rate_creates_state_and_admits_first"
is "$(err)" "" "rate_new_state_file_no_warning"
size=$(stat -c %s "$S"); ino=$(stat -c %i "$S")
is "$(stat -c %a "$S")" 600 "rate_state_file_mode_0600"
is "$(run; echo "rc=$?")" "rc=1" "rate_state_remembered_between_processes_refused_exits_1"

head -c 200 /dev/urandom | dd of="$S" conv=notrunc status=none
is "$(run)" admitted "rate_garbage_state_rebuilt_not_trusted"
like "$(err)" "^minetd-rate: warning: state file $S: not a minetd-rate state file: rebuilding it\$" "rate_garbage_state_warns"
is "$(run; echo "rc=$?")" "rc=1" "rate_rebuilt_state_works"
is "$(stat -c %s.%i "$S")" "$size.$ino" "rate_rebuild_in_place_same_inode_and_size"

truncate -s $((size / 2)) "$S"
is "$(run)" admitted "rate_truncated_state_rebuilt"
like "$(err)" 'warning: state file .*: wrong size: rebuilding it' "rate_truncated_state_warns"
truncate -s $((size + 4096)) "$S"
is "$(run)" admitted "rate_oversized_state_rebuilt"
is "$(stat -c %s "$S")" "$size" "rate_oversized_state_back_to_fixed_size"

poke 8 '\x63\x00\x00\x00'
is "$(run)" admitted "rate_foreign_version_rebuilt"
like "$(err)" 'warning: state file .*: unknown version: rebuilding it' "rate_foreign_version_warns"

run >/dev/null; poke 20 '\xff'
is "$(run)" admitted "rate_bad_header_checksum_rebuilt"
like "$(err)" 'bad header checksum: rebuilding it' "rate_bad_header_checksum_warns"

# header sound, body inconsistent: the service window's total (offset 48)
run >/dev/null; poke 48 '\xff\xff\xff\x00'
is "$(run)" admitted "rate_inconsistent_body_rebuilt"
like "$(err)" 'bad service window: rebuilding it' "rate_inconsistent_body_warns"

# a process that died mid-update leaves the dirty flag (offset 36): the data
# is checked, and kept when sound
run >/dev/null; poke 36 '\x01'
is "$(run; echo "rc=$?")" "rc=1" "rate_dirty_but_sound_state_kept"
is "$(err)" "" "rate_dirty_but_sound_state_no_warning"

chmod 644 "$S"
run >/dev/null
like "$(err)" 'mode reset to 0600' "rate_loose_mode_warns"
is "$(stat -c %a "$S")" 600 "rate_loose_mode_reset_to_0600"

echo precious >"$T/target"
ln -s "$T/target" "$T/link"
out=$("$R" -n 1 -f "$T/link" echo admitted 2>"$T/err"); rc=$?
is "$out.$rc" ".111" "rate_symlinked_state_refused_exit_111_not_run"
like "$(err)" "fatal: state file $T/link is a symbolic link: refusing to follow it" "rate_symlinked_state_message"
is "$(cat "$T/target")" precious "rate_symlink_target_untouched"
ln -s "$T/nonexistent" "$T/dangling"
"$R" -n 1 -f "$T/dangling" echo admitted >/dev/null 2>&1
ok $(( $? != 111 || $(ls "$T" | grep -c '^nonexistent$') )) "rate_dangling_symlink_not_followed_to_create"

# a file that is not a state file at all (a wrong -f) is never truncated
# or chmodded: only a file that is empty, has the exact size or starts
# with the magic is taken as a (damaged) state file
printf 'precious data\n' >"$T/foreign"; chmod 644 "$T/foreign"
out=$("$R" -n 1 -f "$T/foreign" echo admitted 2>"$T/err"); rc=$?
is "$out.$rc" ".111" "rate_foreign_file_refused_exit_111_not_run"
like "$(err)" "fatal: state file $T/foreign is not a minetd-rate state file: refusing to overwrite it" "rate_foreign_file_message"
is "$(cat "$T/foreign").$(stat -c %a "$T/foreign")" "precious data.644" "rate_foreign_file_untouched"

# a hard link could point the truncating rebuild at another file
"$R" -n 1 -f "$T/linked" true 2>/dev/null; ln "$T/linked" "$T/hardlink"
out=$("$R" -n 1 -f "$T/hardlink" echo admitted 2>"$T/err"); rc=$?
is "$out.$rc" ".111" "rate_hard_linked_state_refused_exit_111_not_run"
like "$(err)" "fatal: state file $T/hardlink has 2 links: refusing it" "rate_hard_linked_state_message"

mkfifo "$T/fifo"
out=$(timeout 5 "$R" -n 1 -f "$T/fifo" echo admitted 2>"$T/err"); rc=$?
is "$out.$rc" ".111" "rate_fifo_state_refused"
like "$(err)" 'is not a regular file' "rate_fifo_state_message"
mkdir "$T/dir"
"$R" -n 1 -f "$T/dir" echo admitted 2>"$T/err"; rc=$?
is "$rc" 111 "rate_directory_state_refused"

if [ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1; then
  cp "$S" "$T/theirs"; chown nobody "$T/theirs"
  out=$("$R" -n 1 -f "$T/theirs" echo admitted 2>"$T/err"); rc=$?
  is "$out.$rc" ".111" "rate_state_owned_by_other_user_refused"
  like "$(err)" 'is not owned by uid 0' "rate_state_owned_by_other_user_message"
else
  skip "not root: cannot make a file owned by someone else"; skip "not root"
fi
# On a full file system (a small tmpfs in a private mount namespace) the
# state cannot be created: a clear fatal error, not SIGBUS from a sparse
# mapping (which would take a fused minetd-tcp down without a word).
if [ "$(id -u)" = 0 ] && unshare -m true 2>/dev/null; then
  mkdir "$T/small"
  out=$(unshare -m sh -c 'mount -t tmpfs -o size=128k tmpfs "$1" && "$2" -n 1 -f "$1/state" echo admitted' sh "$T/small" "$R" 2>"$T/err"); rc=$?
  is "$out.$rc" ".111" "rate_state_on_full_fs_exits_111_not_sigbus"
  like "$(err)" "^minetd-rate: fatal: unable to rebuild state file $T/small/state: No space left on device" "rate_state_on_full_fs_message"
else
  skip "needs root and unshare -m"; skip "needs root and unshare -m"
fi
done_testing
