#!/bin/bash
# --generate-s6 / --generate-runit write into a live scan directory: a
# scanner (s6-svscan, runsvdir) must never see a service directory without
# its final files. New directories are built aside under a dot name and
# renamed into place whole; an existing one has each file replaced by
# rename, with its final mode already set, run last. An inotify watcher
# sees every step.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/sup.sh"

cat >"$T/watch.py" <<'PY'
# watch.py DIR S6: report what a scanner of DIR could have seen.
import ctypes, os, struct, sys
d, s6 = sys.argv[1], sys.argv[2] == "1"
libc = ctypes.CDLL(None, use_errno=True)
IN_MODIFY, IN_ATTRIB, IN_CLOSE_WRITE, IN_MOVED_TO, IN_CREATE = 0x2, 0x4, 0x8, 0x80, 0x100
fd = libc.inotify_init1(0)
wd = {}
def watch(path):
    w = libc.inotify_add_watch(fd, path.encode(), IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE)
    if w < 0: sys.exit("inotify_add_watch " + path)
    wd[w] = path
watch(d)
for n in os.listdir(d):
    if not n.startswith(".") and os.path.isdir(os.path.join(d, n)):
        watch(os.path.join(d, n)); watch(os.path.join(d, n, "log"))
final = {"run", "notification-fd"}
def complete(sdir):
    want = [("run", 0o755), ("log/run", 0o755)] + ([("notification-fd", 0o644)] if s6 else [])
    for f, mode in want:
        p = os.path.join(sdir, f)
        if not os.path.isfile(p) or os.stat(p).st_mode & 0o7777 != mode or not os.path.getsize(p):
            return f
    return None
bad = []
print("ready", flush=True)
import select
done = False
while not done:
    # never hang a test: a generator is done in well under 10 seconds
    if not select.select([fd], [], [], 10)[0]: bad.append("timeout"); break
    buf = os.read(fd, 65536)
    i = 0
    while i < len(buf):
        w, mask, cookie, ln = struct.unpack_from("iIII", buf, i)
        name = buf[i+16:i+16+ln].rstrip(b"\0").decode()
        i += 16 + ln
        where = wd.get(w, "?")
        if where == d:
            if name == ".done": done = True; continue
            if name.startswith("."): continue
            if mask & IN_CREATE: bad.append("created in place: " + name)
            elif mask & IN_MOVED_TO:
                missing = complete(os.path.join(d, name))
                if missing: bad.append(name + " appeared without its final " + missing)
        elif name in final or (where.endswith("/log") and name == "run"):
            if mask & IN_MOVED_TO: continue
            bad.append(where[len(d)+1:] + "/" + name + " changed in place (mask %#x)" % mask)
print("\n".join(bad) if bad else "clean", flush=True)
PY

# generate MODE DIR CONF: run the generator under the watcher; sets REPORT
NGEN=0
generate() {
  local s6=0 out=$T/watch.$((NGEN += 1)).out; [ "$1" = s6 ] && s6=1
  mkdir -p "$2"
  # a fresh file each time: the shell creates it after the fork, and a
  # stale "ready" must not let the generator run before the watches exist
  python3 "$T/watch.py" "$2" $s6 >"$out" 2>&1 &
  local w=$!; PIDS+=("$w")
  wait_until 10 grep -q ready "$out" || { REPORT="watcher did not start"; return 1; }
  "$SUP" --generate-$1 "$2" -c "$3" -R "$T/run" >"$T/gen.out" 2>"$T/gen.err"; GEN_RC=$?
  : >"$2/.done"
  wait "$w"; rm -f "$2/.done"
  REPORT=$(sed 1d "$out")
}

for i in $(seq 1 20); do echo "service s$i 127.0.0.1:$((7000 + i)) $i $EX/echo-server"; done >"$T/conf"
generate s6 "$T/scan" "$T/conf"
is "$GEN_RC" 0 "gen_s6_succeeds"
is "$REPORT" clean "gen_s6_service_dirs_appear_whole"
is "$(ls -A "$T/scan" | grep -c '^\.')" 0 "gen_s6_leaves_no_temporary_dirs"
is "$(stat -c '%a' "$T/scan/s7/run" "$T/scan/s7/log/run" "$T/scan/s7/notification-fd" | tr '\n' ' ')" "755 755 644 " "gen_s6_file_modes"
is "$(wc -l <"$T/gen.out")" 20 "gen_s6_lists_every_service_dir"

# again, over the live tree: supervise state and logs stay, files are replaced whole
mkdir -p "$T/scan/s7/supervise" "$T/scan/s7/log/main"; echo kept >"$T/scan/s7/log/main/current"
sed -i 's/ 7 / 70 /' "$T/conf"
generate s6 "$T/scan" "$T/conf"
is "$GEN_RC/$REPORT" "0/clean" "gen_s6_update_replaces_files_atomically"
like "$(cat "$T/scan/s7/run")" "minetd-rate -n 70 " "gen_s6_update_writes_the_new_chain"
is "$(cat "$T/scan/s7/log/main/current")/$(test -d "$T/scan/s7/supervise" && echo sv)" "kept/sv" "gen_s6_update_keeps_supervise_and_logs"
is "$(stat -c '%a' "$T/scan/s7/run")" 755 "gen_s6_update_keeps_run_executable"
is "$(ls -A "$T/scan" "$T/scan/s7" "$T/scan/s7/log" | grep -c '^\.')" 0 "gen_s6_update_leaves_no_temporary_files"

generate runit "$T/sv" "$T/conf"
is "$GEN_RC/$REPORT" "0/clean" "gen_runit_service_dirs_appear_whole"
[ ! -e "$T/sv/s1/notification-fd" ] && [ -x "$T/sv/s1/log/run" ]; ok $? "gen_runit_files"

# a name taken by something that is not a directory: an error, nothing left behind
: >"$T/scan/s3.x"; rm -rf "$T/scan/s3"; : >"$T/scan/s3"
"$SUP" --generate-s6 "$T/scan" -c "$T/conf" -R "$T/run" >/dev/null 2>"$T/err"; rc=$?
is "$rc" 111 "gen_refuses_a_service_name_taken_by_a_file"
like "$(cat "$T/err")" "$T/scan/s3: not a directory" "gen_says_why"
is "$(ls -A "$T/scan" | grep -c '^\.')" 0 "gen_failure_leaves_no_temporary_dirs"
done_testing
