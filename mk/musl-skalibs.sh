#!/bin/sh
# mk/musl-skalibs.sh DIR CC: skalibs for the musl build (make MUSL=1), from
# Debian's own skalibs source package, built with CC (musl-gcc) into DIR and
# kept there: DIR/include, DIR/lib/libskarnet.a, DIR/sysdeps. A second run
# with the library in place does nothing.
#
# The source comes through apt's source tools, which need deb-src entries:
# if apt knows none for skalibs, this adds a deb-src stanza for every deb
# stanza of the machine's sources (same URIs, suites, components and key)
# in /etc/apt/sources.list.d/minetd-deb-src.sources and runs apt-get
# update; as root only (CI is). Running it again finds them there.
set -eu
dir=$1
cc=$2
say () { printf '%s\n' "musl-skalibs: $*" >&2 ; }
die () { say "fatal: $*" ; exit 111 ; }

kernel_headers () {
  multiarch=$(gcc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)
  mkdir -p "$dir/include"
  for h in /usr/include/linux /usr/include/asm-generic "/usr/include/$multiarch/asm"; do
    [ -d "$h" ] || die "$h missing (Debian: apt-get install linux-libc-dev)"
    ln -sfn "$h" "$dir/include/$(basename "$h")"
  done
}
if [ -f "$dir/lib/libskarnet.a" ] && [ -f "$dir/include/skalibs/skalibs.h" ]; then
  kernel_headers
  exit 0
fi
command -v "$cc" >/dev/null 2>&1 || die "$cc not found (Debian: apt-get install musl-tools)"
command -v dpkg-source >/dev/null 2>&1 || die "dpkg-source not found (Debian: apt-get install dpkg-dev)"

# deb-src stanzas, from the deb ones (deb822 .sources files and one-line
# sources.list entries alike)
srclist=/etc/apt/sources.list.d/minetd-deb-src.sources
if ! apt-cache showsrc skalibs 2>/dev/null | grep -q '^Package: skalibs$'; then
  [ "$(id -u)" = 0 ] || die "apt has no deb-src entry for skalibs and adding one needs root: add a deb-src line for your Debian mirror, apt-get update, and run make MUSL=1 again"
  tmp=$(mktemp)
  {
    for f in /etc/apt/sources.list.d/*.sources; do
      [ -f "$f" ] && [ "$f" != "$srclist" ] || continue
      # each stanza whose Types has deb, again with Types: deb-src
      awk 'BEGIN { RS = "" ; FS = "\n" }
        {
          deb = 0 ; out = ""
          for (i = 1 ; i <= NF ; i++) {
            if ($i ~ /^Types:/) { if ($i ~ /[ \t]deb([ \t]|$)/) deb = 1 ; out = out "Types: deb-src\n" }
            else if ($i ~ /^#/) continue
            else out = out $i "\n"
          }
          if (deb) printf "%s\n", out
        }' "$f"
    done
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
      [ -f "$f" ] || continue
      # deb [options] URI SUITE COMPONENT...
      awk '$1 == "deb" {
          i = 2 ; signed = ""
          if ($2 ~ /^\[/) { for (; i <= NF ; i++) { if ($i ~ /signed-by=/) { signed = $i ; sub(/.*signed-by=/, "", signed) ; sub(/\]$/, "", signed) } if ($i ~ /\]$/) { i++ ; break } } }
          printf "Types: deb-src\nURIs: %s\nSuites: %s\nComponents:", $i, $(i + 1)
          for (j = i + 2 ; j <= NF ; j++) printf " %s", $j
          printf "\n"
          if (signed != "") printf "Signed-By: %s\n", signed
          printf "\n"
        }' "$f"
    done
  } >"$tmp"
  [ -s "$tmp" ] || { rm -f "$tmp" ; die "no deb entry found in /etc/apt/sources.list{,.d} to derive a deb-src entry from" ; }
  { echo "# Added by minetd's mk/musl-skalibs.sh: the source stanzas of the deb ones," ; echo "# for apt-get source skalibs (make MUSL=1). Safe to remove." ; echo ; cat "$tmp" ; } >"$srclist.new"
  rm -f "$tmp"
  mv "$srclist.new" "$srclist"
  say "added $srclist; apt-get update"
  apt-get update -q >&2 || die "apt-get update failed"
  apt-cache showsrc skalibs 2>/dev/null | grep -q '^Package: skalibs$' || die "apt still has no source package skalibs"
fi

rm -rf "$dir/src"
mkdir -p "$dir/src"
say "apt-get source skalibs into $dir/src"
# as root, apt downloads as _apt: the folder must be theirs to write
chmod 0777 "$dir/src"
( cd "$dir/src" && apt-get source -q skalibs >&2 ) || die "apt-get source skalibs failed"
srcdir=$(find "$dir/src" -mindepth 1 -maxdepth 1 -type d -name 'skalibs-*' | head -n 1)
[ -n "$srcdir" ] || die "no skalibs-* folder in $dir/src"
prefix=$(cd "$dir" && pwd)
say "building $(basename "$srcdir") with $cc"
(
  cd "$srcdir"
  CC=$cc ./configure --prefix="$prefix" --libdir="$prefix/lib" --includedir="$prefix/include" \
    --with-sysdep-devurandom=yes --sysdepdir="$prefix/sysdeps" --disable-shared --enable-static >&2
  make -j2 >&2
  make install >&2
) || die "building skalibs with $cc failed"
[ -f "$dir/lib/libskarnet.a" ] || die "no $dir/lib/libskarnet.a after the build"
kernel_headers
say "skalibs for musl in $dir"
