#!/bin/bash
# make install puts the programs, the minetd alias and the man pages under
# DESTDIR/PREFIX; the installed minetd alias checks a config.
. "$(dirname "$0")/../lib.sh"

make -s -C "$ROOT" B="$B" install DESTDIR="$T/dest" PREFIX=/usr >"$T/out" 2>&1; rc=$?
is "$rc" 0 "install_succeeds_with_destdir_and_prefix"
for p in minetd-tcp minetd-env minetd-rate minetd-sup minetd-convert; do
  test -x "$T/dest/usr/bin/$p"; ok $? "install_puts_${p}_in_bindir"
  test -f "$T/dest/usr/share/man/man8/$p.8"; ok $? "install_puts_${p}_man_page"
done
test -f "$T/dest/usr/share/man/man5/minetd.conf.5"; ok $? "install_puts_minetd_conf_man_page"
test -f "$T/dest/usr/share/man/man7/minetd-migrate.7"; ok $? "install_puts_minetd_migrate_guide"
is "$(readlink "$T/dest/usr/bin/minetd")" "minetd-sup" "install_links_minetd_to_minetd_sup"
is "$(readlink "$T/dest/usr/share/man/man8/minetd.8")" "minetd-sup.8" "install_links_minetd_man_page_to_minetd_sup"
MANPATH=$T/dest/usr/share/man man -w minetd 2>/dev/null | grep -Eq 'man8/minetd(-sup)?\.8$'; rc=$?
if command -v man >/dev/null; then ok $rc "man_minetd_finds_the_page"; else skip "man not installed"; fi
sed "s|\.\./build/examples/|$B/examples/|" "$ROOT/examples/minetd.conf" >"$T/minetd.conf"
"$T/dest/usr/bin/minetd" -t -c "$T/minetd.conf" >"$T/check" 2>&1; rc=$?
is "$rc" 0 "installed_minetd_alias_checks_the_example_config"
like "$(cat "$T/check")" "minetd-tcp .* 127\.0\.0\.1 7000 " "installed_minetd_prints_the_chains"
done_testing
