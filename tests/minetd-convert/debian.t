#!/bin/bash
# minetd-convert on Debian's own files, fetched at test time (never kept in
# the repository): the inetd.conf openbsd-inetd creates at install (its
# preinst writes it, the package ships none), as it is and with its
# internal services enabled, and the example services xinetd ships in
# /etc/xinetd.d, as they are (all disabled) and enabled. Each result
# passes minetd-sup -t. Skipped, visibly, when the archive is unreachable.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/convert.sh"

# fetch_deb PKG: the package unpacked into $T/PKG (control files in
# $T/PKG/DEBIAN), as bench/lib.sh's fetch_deb does
fetch_deb() {
  mkdir -p "$T/deb-$1" "$T/$1" &&
  ( cd "$T/deb-$1" && timeout 60 apt-get download "$1" >/dev/null 2>&1 ) &&
  dpkg -x "$T/deb-$1"/*.deb "$T/$1" && dpkg -e "$T/deb-$1"/*.deb "$T/$1/DEBIAN"
}

if ! fetch_deb openbsd-inetd; then
  skip "Debian's archive unreachable (apt-get download openbsd-inetd failed): debian_inetd_conf"
else
  # the file preinst's create_inetd writes to /etc/inetd.conf
  sed -n '/cat <<EOF > \/etc\/inetd.conf/,/^EOF$/p' "$T/openbsd-inetd/DEBIAN/preinst" | sed '1d;$d' >"$T/inetd.conf"
  like "$(cat "$T/inetd.conf")" "#:INTERNAL: Internal services" "debian_inetd_conf_found_in_preinst"
  conv "$T/inetd.out" "$T/inetd.conf"
  is "$RC" 0 "debian_inetd_conf_complete_exits_0"
  is "$(services "$T/inetd.out" | wc -l)" 0 "debian_inetd_conf_all_commented_nothing_served"
  sup_check "$T/inetd.out"; ok $? "debian_inetd_conf_result_passes_minetd_sup_t"
  # its commented-out internal services, enabled
  sed -E 's/^#(echo|discard|daytime|time|chargen)([[:space:]])/\1\2/' "$T/inetd.conf" >"$T/inetd.on"
  conv "$T/inetd.on.out" "$T/inetd.on"
  is "$RC" 0 "debian_inetd_internal_enabled_exits_0"
  is "$(services "$T/inetd.on.out" | awk '{print $2, $3, $NF == "" ? "" : $5}' | tr '\n' ';')" \
    "echo *:7 internal:echo;discard *:9 internal:discard;discard-udp *:9/udp internal:discard;daytime *:13 internal:daytime;time *:37 internal:time;chargen *:19 internal:chargen;" \
    "debian_inetd_internal_services_translated"
  sup_check "$T/inetd.on.out"; ok $? "debian_inetd_internal_enabled_passes_minetd_sup_t"
fi

if ! fetch_deb xinetd; then
  skip "Debian's archive unreachable (apt-get download xinetd failed): debian_xinetd_examples"
else
  x=$T/xinetd/etc
  [ -f "$x/xinetd.conf" ] && [ -f "$x/xinetd.d/echo" ]; ok $? "debian_xinetd_ships_xinetd_conf_and_examples"
  sed "s#^includedir /etc/xinetd.d#includedir $x/xinetd.d#" "$x/xinetd.conf" >"$T/xinetd.conf"
  conv "$T/xinetd.out" "$T/xinetd.conf"
  # echo and chargen over UDP (twice each), and xinetd's own servers and
  # services lists have no counterpart
  is "$RC" 1 "debian_xinetd_incomplete_exits_1"
  is "$(grep -c '^.*/xinetd.d/[a-z-]*:[0-9]*: service .* not translated' "$T/xinetd.out.err")" 6 "debian_xinetd_six_services_not_translated"
  like "$(cat "$T/xinetd.out.err")" "xinetd.d/echo-udp:4: service echo-dgram not translated: echo and chargen over UDP" "debian_xinetd_udp_echo_reported_by_file_and_line"
  is "$(services "$T/xinetd.out" | wc -l)" 0 "debian_xinetd_all_disabled_nothing_served"
  is "$(grep -c '^#service ' "$T/xinetd.out")" 11 "debian_xinetd_disabled_services_commented_out"
  sup_check "$T/xinetd.out"; ok $? "debian_xinetd_result_passes_minetd_sup_t"
  # the examples enabled
  mkdir -p "$T/on.d"
  for f in "$x"/xinetd.d/*; do sed -E 's/^([[:space:]]*disable[[:space:]]*=[[:space:]]*)yes/\1no/' "$f" >"$T/on.d/${f##*/}"; done
  printf 'defaults\n{\n}\nincludedir on.d\n' >"$T/xinetd.on"
  conv "$T/xinetd.on.out" "$T/xinetd.on"
  is "$RC" 1 "debian_xinetd_enabled_incomplete_exits_1"
  # daytime, discard and time over UDP are there twice (daytime and
  # daytime-udp): the second cannot bind the same port
  like "$(cat "$T/xinetd.on.out.err")" "on.d/daytime-udp:4: service daytime-dgram not translated: its address overlaps service daytime-dgram's" "debian_xinetd_same_port_twice_reported"
  is "$(services "$T/xinetd.on.out" | awk '{print $2, $3, $5}' | tr '\n' ';')" \
    "chargen-stream 0:19 internal:chargen;daytime-stream 0:13 internal:daytime;daytime-dgram 0:13/udp internal:daytime;discard-stream 0:9 internal:discard;discard-dgram 0:9/udp internal:discard;echo-stream 0:7 internal:echo;time-stream 0:37 internal:time;time-dgram 0:37/udp internal:time;" \
    "debian_xinetd_enabled_services_translated"
  sup_check "$T/xinetd.on.out"; ok $? "debian_xinetd_enabled_passes_minetd_sup_t"
fi
done_testing
