#!/bin/bash
# make install puts the programs, the minetd alias and every man page of
# doc/ under DESTDIR/PREFIX; the installed minetd alias checks a config;
# make uninstall removes exactly what install put there.
. "$(dirname "$0")/../lib.sh"

make -s -C "$ROOT" B="$B" install DESTDIR="$T/dest" PREFIX=/usr >"$T/out" 2>&1; rc=$?
is "$rc" 0 "install_succeeds_with_destdir_and_prefix"
for p in minetd-tcp minetd-udp minetd-env minetd-rate minetd-sup minetd-internal minetd-limit minetd-convert; do
  test -x "$T/dest/usr/bin/$p"; ok $? "install_puts_${p}_in_bindir"
done
pages=0 missing=
for m in "$ROOT"/doc/*.[1-8]; do
  pages=$((pages+1)); s=${m##*.}; n=${m##*/}
  [ -f "$T/dest/usr/share/man/man$s/$n" ] || missing="$missing $n"
done
is "$missing" "" "install_puts_every_man_page_of_doc_in_its_section"
test "$pages" -ge 8; ok $? "doc_has_at_least_the_eight_man_pages"
is "$(stat -c %a "$T/dest/usr/bin/minetd-sup"):$(stat -c %a "$T/dest/usr/share/man/man5/minetd.conf.5")" "755:644" "install_sets_modes_755_and_644"
is "$(readlink "$T/dest/usr/bin/minetd")" "minetd-sup" "install_links_minetd_to_minetd_sup"
is "$(readlink "$T/dest/usr/share/man/man8/minetd.8")" "minetd-sup.8" "install_links_minetd_man_page_to_minetd_sup"
MANPATH=$T/dest/usr/share/man man -w minetd 2>/dev/null | grep -Eq 'man8/minetd(-sup)?\.8$'; rc=$?
if command -v man >/dev/null; then ok $rc "man_minetd_finds_the_page"; else skip "man not installed"; fi
sed "s|\.\./build/examples/|$B/examples/|" "$ROOT/examples/minetd.conf" >"$T/minetd.conf"
"$T/dest/usr/bin/minetd" -t -c "$T/minetd.conf" >"$T/check" 2>&1; rc=$?
is "$rc" 0 "installed_minetd_alias_checks_the_example_config"
like "$(cat "$T/check")" "minetd-tcp .* 127\.0\.0\.1 7000 " "installed_minetd_prints_the_chains"

# uninstall leaves directories and nothing else; a file install did not
# put there stays
touch "$T/dest/usr/bin/other-program"
make -s -C "$ROOT" B="$B" uninstall DESTDIR="$T/dest" PREFIX=/usr >"$T/out" 2>&1; rc=$?
is "$rc" 0 "uninstall_succeeds"
is "$(cd "$T/dest" && find . ! -type d | sort | tr '\n' ' ')" "./usr/bin/other-program " "uninstall_removes_exactly_what_install_put"
# PREFIX alone moves everything, man pages included
make -s -C "$ROOT" B="$B" install DESTDIR="$T/d2" PREFIX=/opt/minetd >"$T/out" 2>&1; rc=$?
test "$rc" = 0 && test -x "$T/d2/opt/minetd/bin/minetd-tcp" && test -f "$T/d2/opt/minetd/share/man/man8/minetd-tcp.8"
ok $? "install_honours_prefix_for_programs_and_man_pages"
is "$(ls "$T/d2")" "opt" "install_writes_nothing_outside_destdir_prefix"
make -s -C "$ROOT" B="$B" uninstall DESTDIR="$T/d2" PREFIX=/opt/minetd >"$T/out" 2>&1
is "$(find "$T/d2" ! -type d | wc -l)" 0 "uninstall_with_prefix_leaves_no_file"
done_testing
