#!/bin/bash
# The Debian package as installed: dpkg --root into a throwaway root (dash
# and the C library copied in, so that the maintainer scripts and the
# programs run chrooted there, at their installed paths), then the
# installed minetd-sup, under the unit's own command lines: start on the
# shipped /etc/minetd.conf (ready, listening on nothing), a service of our
# own served to a real client, a reload, a stop; then remove and purge,
# after which the root holds what it held before.
# Run by `make check-deb` (which builds the .deb first); not part of make
# check. MINETD_DEB_DIR: where the .deb is (default $MINETD_BUILD/deb).
. "$(dirname "$0")/../lib.sh"

[ "$(id -u)" = 0 ] || { skip "dpkg --root and chroot need root"; done_testing; exit; }
v=$(cat "$ROOT/VERSION")
deb=$(ls "${MINETD_DEB_DIR:-$B/deb}"/minetd_"$v"_*.deb 2>/dev/null | head -1)
[ -n "$deb" ] || { echo "Bail out! no minetd_${v}_*.deb in ${MINETD_DEB_DIR:-$B/deb}: run make deb"; exit 1; }
now() { date +%s%N | cut -c1-13; }
t0=$(now)

# --- the throwaway root: merged /usr, an empty dpkg database, /bin/sh and
# the C library for the maintainer scripts and the programs; a stub
# deb-systemd-helper records what the maintainer scripts ask of it
R=$T/root
mkdir -p "$R"/usr/bin "$R"/usr/lib/x86_64-linux-gnu "$R"/usr/lib64 "$R"/var/lib/dpkg/info \
  "$R"/var/lib/dpkg/updates "$R"/etc "$R"/run "$R"/dev "$R"/tmp
ln -s usr/bin "$R/bin"; ln -s usr/lib "$R/lib"; ln -s usr/lib64 "$R/lib64"
: >"$R/var/lib/dpkg/available"
cp /bin/dash "$R/usr/bin/sh"
# the libraries of dash and of the package's programs (from a copy of the
# .deb unpacked aside)
dpkg-deb -x "$deb" "$T/unpacked"
for lib in $(ldd /bin/dash "$T"/unpacked/usr/bin/minetd-* | grep -o '/[^ :]*\.so[^ :]*' | sort -u); do
  mkdir -p "$R$(dirname "$lib")"; cp -L "$lib" "$R$lib"
done
mknod -m 666 "$R/dev/null" c 1 3
printf '#!/bin/sh\necho "$@" >>/tmp/deb-systemd-helper.log\n' >"$R/usr/bin/deb-systemd-helper"
chmod 755 "$R/usr/bin/deb-systemd-helper"
# What a real system's packages own, as one package of this root: the
# shared directories (which the last package using them would otherwise
# remove: the /lib link of merged /usr included) and, provided, the C
# library copied in, at the host's version.
cat >"$R/var/lib/dpkg/status" <<STATUS
Package: throwaway-base
Status: install ok installed
Maintainer: minetd tests <tests@localhost>
Architecture: all
Version: 1
Provides: libc6 (= $(dpkg-query -W -f='${Version}' libc6))
Description: the directories and the C library of a throwaway root

STATUS
printf '%s\n' /. /bin /lib /lib64 /etc /usr /usr/bin /usr/lib /usr/lib64 /usr/share /usr/share/doc /usr/share/man >"$R/var/lib/dpkg/info/throwaway-base.list"
snapshot() { (cd "$R" && find . -path ./var/lib/dpkg -prune -o -path ./tmp -prune -o -path ./run -prune -o -print | sort); }
snapshot >"$T/before"

# --- install
t1=$(now)
dpkg --root="$R" -i "$deb" >"$T/dpkg.log" 2>&1; rc=$?
t2=$(now)
is "$rc" 0 "dpkg_installs_the_package_into_the_root"
[ "$rc" = 0 ] || sed 's/^/# /' "$T/dpkg.log"
is "$(dpkg-query --admindir="$R/var/lib/dpkg" -W -f='${Status} ${Version}' minetd 2>/dev/null)" "install ok installed $v" "package_installed_at_the_version_of_VERSION"
# dpkg reports no error, warning or dependency problem
is "$(grep -Eic 'error|warning|dependency' "$T/dpkg.log")" 0 "install_reports_no_error_or_dependency_problem"
for p in minetd-tcp minetd-udp minetd-env minetd-rate minetd-limit minetd-internal minetd-sup minetd-convert; do
  out=$(chroot "$R" "/usr/bin/$p" --version 2>&1); rc=$?
  is "$rc:$out" "0:$p $v" "installed_${p}_runs_and_prints_its_version"
done
is "$(readlink "$R/usr/bin/minetd")" minetd-sup "installed_minetd_name_is_minetd_sup"
missing=
for m in "$ROOT"/doc/*.[1-8]; do n=${m##*/}; [ -f "$R/usr/share/man/man${n##*.}/$n.gz" ] || missing="$missing $n"; done
is "$missing" "" "every_man_page_installed_compressed"
[ -e "$R/usr/share/man/man8/minetd.8.gz" ]; ok $? "minetd_man_page_link_resolves"
is "$(dpkg-query --admindir="$R/var/lib/dpkg" -W -f='${Conffiles}' minetd | awk '{ print $1 }' | tr -d '\n')" "/etc/minetd.conf" "minetd_conf_is_the_one_conffile"
cmp -s "$R/etc/minetd.conf" "$ROOT/package/debian/minetd.conf"; ok $? "installed_minetd_conf_is_the_shipped_one"
for f in s6/minetd/run s6/minetd/log/run s6/minetd/notification-fd runit/minetd/run runit/minetd/log/run; do
  [ -f "$R/usr/share/doc/minetd/examples/$f" ] || missing="$missing $f"
done
is "$missing" "" "s6_and_runit_service_directories_in_the_examples"
[ -x "$R/usr/share/doc/minetd/examples/s6/minetd/run" ] && [ -x "$R/usr/share/doc/minetd/examples/runit/minetd/run" ]
ok $? "example_run_scripts_are_executable"
like "$(tr '\n' ' ' <"$R/tmp/deb-systemd-helper.log")" "enable minetd.service" "postinst_enables_the_systemd_unit"

# --- the unit: Type=notify, KillMode=process, a reload that is minetd-sup's
unit=$R/lib/systemd/system/minetd.service
key() { sed -n "s/^$1=//p" "$unit"; }
is "$(key Type):$(key KillMode)" "notify:process" "unit_is_type_notify_with_killmode_process"
is "$(key ExecReload)" "/usr/bin/minetd-sup --reload -p /run/minetd.pid" "unit_reloads_with_minetd_sup_reload"
# systemd's own check of the unit, its programs taken from the root
if command -v systemd-analyze >/dev/null; then
  sed "s|=/usr/bin/|=$R/usr/bin/|" "$unit" >"$T/minetd.service"
  out=$(timeout 30 systemd-analyze verify --man=no "$T/minetd.service" 2>&1); rc=$?
  is "$rc:$out" "0:" "systemd_analyze_verifies_the_unit"
else
  skip "systemd-analyze (systemd) not installed"
fi
start_cmd=$(key ExecStart); check_cmd=$(key ExecStartPre); reload_cmd=$(key ExecReload)

# ExecStartPre, then ExecStart as systemd runs it: on the shipped
# configuration, ready (READY=1 on NOTIFY_SOCKET) and holding no socket
out=$(chroot "$R" $check_cmd 2>&1); rc=$?
is "$rc:$out" "0:" "unit_check_passes_on_the_shipped_conf_with_no_chain"
notify_listen "$R/run/notify" "$T/notified"
t3=$(now)
NOTIFY_SOCKET=/run/notify chroot "$R" $start_cmd 2>"$T/sup.log" &
SUP_PID=$!; PIDS+=("$SUP_PID")
wait "$NPID"
is "$(tail -1 "$T/notified")" "READY=1" "unit_start_sends_ready_on_the_shipped_conf"
is "$(ls -l "/proc/$SUP_PID/fd" 2>/dev/null | grep -c 'socket:')" 0 "fresh_install_listens_on_nothing"
chroot "$R" $reload_cmd >"$T/out" 2>&1; rc=$?
is "$rc:$(cat "$T/out")" "0:" "unit_reload_applies_on_the_shipped_conf"
stop "$SUP_PID"; is $? 0 "unit_start_stops_on_sigterm_with_exit_0"

# --- a service of our own: an echo on a free port, reloaded to add a
# daytime; a real client (socat) on each
read -r P1 P2 < <(python3 -c '
import socket
a = socket.socket(); a.bind(("127.0.0.1", 0)); b = socket.socket(); b.bind(("127.0.0.1", 0))
print(a.getsockname()[1], b.getsockname()[1])')
echo "service echo 127.0.0.1:$P1 0 maxconn=5 internal:echo" >"$R/etc/minetd-test.conf"
fifo=$T/ready; mkfifo "$fifo"
chroot "$R" /usr/bin/minetd-sup -f -d 3 -c /etc/minetd-test.conf 3>"$fifo" 2>>"$T/sup.log" &
SUP_PID=$!; PIDS+=("$SUP_PID")
read -r -t 10 line <"$fifo"; ok $? "installed_minetd_sup_ready_with_one_service"
is "$(fetch 127.0.0.1 "$P1" "hello package")" "hello package" "installed_echo_service_answers_a_client"
echo "service daytime 127.0.0.1:$P2 0 internal:daytime" >>"$R/etc/minetd-test.conf"
chroot "$R" /usr/bin/minetd --reload >"$T/out" 2>&1; rc=$?
is "$rc:$(cat "$T/out")" "0:" "installed_minetd_reload_applies_an_added_service"
like "$(fetch 127.0.0.1 "$P2")" "[0-9]{4}" "added_daytime_service_answers_after_reload"
is "$(fetch 127.0.0.1 "$P1" "still")" "still" "echo_service_still_answers_after_reload"
like "$(chroot "$R" /usr/bin/minetd-sup --status 2>&1)" "echo .*running" "installed_status_shows_the_service"
stop "$SUP_PID"; is $? 0 "installed_minetd_sup_stops_with_exit_0"
refused() { ! (exec 9<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
refused "$P1" && refused "$P2"; ok $? "stopped_minetd_sup_leaves_no_port_open"
t4=$(now)
rm -f "$R/etc/minetd-test.conf"

# --- remove, then purge
dpkg --root="$R" -r minetd >"$T/dpkg.log" 2>&1; rc=$?
is "$rc" 0 "dpkg_removes_the_package"
is "$(dpkg-query --admindir="$R/var/lib/dpkg" -W -f='${Status}' minetd 2>/dev/null)" "deinstall ok config-files" "removed_package_keeps_its_conffile"
[ -f "$R/etc/minetd.conf" ] && [ ! -e "$R/usr/bin/minetd-sup" ]; ok $? "remove_leaves_only_the_conffile"
dpkg --root="$R" -P minetd >"$T/dpkg.log" 2>&1; rc=$?
is "$rc" 0 "dpkg_purges_the_package"
dpkg-query --admindir="$R/var/lib/dpkg" -W minetd >/dev/null 2>&1; rc=$?
is "$rc" 1 "purged_package_is_unknown_to_dpkg"
like "$(tr '\n' ' ' <"$R/tmp/deb-systemd-helper.log")" "purge minetd.service" "postrm_purges_the_systemd_unit_state"
snapshot >"$T/after"
is "$(diff "$T/before" "$T/after" | grep '^[<>]' | tr '\n' ' ')" "" "purge_leaves_the_root_as_it_was"
t5=$(now)
note "install $((t2 - t1)) ms, runs $((t4 - t3)) ms, remove and purge $((t5 - t4)) ms, whole file $((t5 - t0)) ms"
done_testing
