#!/bin/bash
# --version of every program, and of minetd-sup under its minetd name,
# prints "PROGRAM VERSION" on stdout (the version of the VERSION file,
# the one place it is kept) and exits 0, whatever options follow.
. "$(dirname "$0")/../lib.sh"

v=$(cat "$ROOT/VERSION")
like "$v" '^[0-9]+\.[0-9]+\.[0-9]+$' "version_file_holds_one_dotted_version"
for p in minetd-tcp minetd-udp minetd-env minetd-rate minetd-limit minetd-internal minetd-sup minetd-convert; do
  out=$(timeout 10 "$B/$p" --version -Z 2>"$T/err" </dev/null); rc=$?
  is "$rc" 0 "${p}_version_exits_0"
  is "$out" "$p $v" "${p}_version_prints_name_and_version"
  is "$(cat "$T/err")" "" "${p}_version_writes_nothing_on_stderr"
done
# minetd-sup reads its long options anywhere on the line; under the minetd
# name it is still minetd-sup, and says so
ln -s "$B/minetd-sup" "$T/minetd"
out=$(timeout 10 "$T/minetd" -f --version 2>"$T/err"); rc=$?
is "$rc:$out:$(cat "$T/err")" "0:minetd-sup $v:" "minetd_name_version_prints_minetd_sup_version"
# the version is printed with nothing read or started: no config, no pidfile
out=$(cd "$T" && timeout 10 "$B/minetd-sup" --version -c "$T/none.conf" -p "$T/pid"); rc=$?
is "$rc:$out:$(ls "$T" | grep -c pid)" "0:minetd-sup $v:0" "minetd_sup_version_reads_no_config"
done_testing
