# What the tests of minetd-sup -t share: source after lib.sh; uses SUP
# and F (the config file written), set by the test.

# check CONF-TEXT: runs -t on it; sets OUT (stdout+stderr) and RC
check() { printf '%s\n' "$1" >"$F"; OUT=$("$SUP" -t -c "$F" -R /run/minetd -B /B 2>&1); RC=$?; }
# chain CONF-LINE WANT NAME: the line checks and -t prints WANT as its chain
chain() {
  check "$1"
  if [ "$RC" != 0 ]; then is "$RC: $OUT" 0 "$3"; return; fi
  is "$(printf '%s\n' "$OUT" | grep -v '^#')" "$2" "$3"
}
# err NAME CONF-TEXT EXACT-MESSAGE: exit 100, and the message as the only error
err() {
  check "$2"
  is "$RC/$(printf '%s\n' "$OUT" | grep -v ': nothing applied$')" "100/minetd-sup: fatal: $F:1: $3" "$1"
}
