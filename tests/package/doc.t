#!/bin/bash
# The man pages: mandoc -Tlint clean; each one's SEE ALSO names every
# other page of doc/; each program's page documents --version; make doc
# renders every page of doc/ to HTML with an index linking them all, and
# every link between them resolves.
. "$(dirname "$0")/../lib.sh"

command -v mandoc >/dev/null || { skip "mandoc not installed"; done_testing; exit; }
out=$(mandoc -Tlint -Wwarning "$ROOT"/doc/*.[1-8] 2>&1); rc=$?
is "$rc:$out" "0:" "man_pages_are_lint_clean"

missing=
for p in "$ROOT"/doc/*.[1-8]; do
  see=$(sed -n '/^\.Sh SEE ALSO/,/^\.Sh /p' "$p")
  for q in "$ROOT"/doc/*.[1-8]; do
    [ "$p" = "$q" ] && continue
    n=${q##*/}
    printf '%s\n' "$see" | grep -Eq "^\.Xr ${n%.*} ${n##*.}( ,)?$" || missing="$missing ${p##*/}:${n%.*}(${n##*.})"
  done
done
is "$missing" "" "every_page_see_also_names_every_other_page"
missing=
for p in "$ROOT"/doc/minetd-*.8; do grep -q '^\.Fl -version$' "$p" || missing="$missing ${p##*/}"; done
is "$missing" "" "every_program_page_documents_version"

make -s -C "$ROOT" B="$T/b" doc >"$T/out" 2>&1; rc=$?
is "$rc" 0 "make_doc_succeeds"
missing=
for p in "$ROOT"/doc/*.[1-8]; do
  n=${p##*/}
  [ -s "$T/b/doc/$n.html" ] || missing="$missing $n.html"
  grep -q "href=\"$n.html\"" "$T/b/doc/index.html" || missing="$missing index:$n"
done
is "$missing" "" "make_doc_renders_every_page_and_indexes_it"
like "$(cat "$T/b/doc/index.html")" "<title>minetd $(cat "$ROOT/VERSION"): manual pages</title>" "index_names_the_version"
like "$(cat "$T/b/doc/index.html")" "<dd>run and supervise one minetd chain per configured service</dd>" "index_gives_each_page_its_description"
broken=
for h in "$T"/b/doc/*.html; do
  for l in $(grep -o 'href="[^"#:]*"' "$h" | sed 's/^href="//; s/"$//' | sort -u); do
    [ -f "$T/b/doc/$l" ] || broken="$broken ${h##*/}:$l"
  done
done
is "$broken" "" "every_local_link_resolves"
grep -q 'href="minetd-sup.8.html"' "$T/b/doc/minetd.conf.5.html"; ok $? "cross_references_link_to_the_pages_beside"
done_testing
