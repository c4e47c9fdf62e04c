#!/bin/sh
# Writes on stdout the index page of `make doc`: one link per man page
# given (doc/NAME.SECTION, rendered as NAME.SECTION.html beside it), by
# section, each with the one-line description of its .Nd.
# Usage: sh mk/man-index.sh VERSION PAGE...
version=$1; shift
esc() { sed 's/&/\&amp;/g; s/</\&lt;/g; s/>/\&gt;/g'; }
cat <<HEAD
<!DOCTYPE html>
<html>
<head>
  <meta charset="utf-8"/>
  <title>minetd $version: manual pages</title>
</head>
<body>
<h1>minetd $version: manual pages</h1>
HEAD
for section in 1 2 3 4 5 6 7 8; do
  first=1
  for page in "$@"; do
    [ "${page##*.}" = "$section" ] || continue
    if [ "$first" = 1 ]; then
      case $section in
        1) title="Commands" ;; 5) title="File formats" ;; 7) title="Overviews and guides" ;;
        8) title="System programs" ;; *) title="Section $section" ;;
      esac
      printf '<h2>%s (%s)</h2>\n<dl>\n' "$title" "$section"
      first=0
    fi
    file=${page##*/}; name=${file%.*}
    desc=$(sed -n 's/^\.Nd //p' "$page" | head -n 1 | esc)
    printf '  <dt><a href="%s.html">%s(%s)</a></dt>\n  <dd>%s</dd>\n' "$file" "$name" "$section" "$desc"
  done
  [ "$first" = 1 ] || printf '</dl>\n'
done
printf '</body>\n</html>\n'
