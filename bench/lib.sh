# bench/lib.sh: what bench/run and bench/udp share: logging, the processes
# they start (and stop by PID), readiness, peers from Debian, statistics.
# The caller sets SCRATCH, PEERS, OUT and LG (the TCP load generator).

note () { printf '%s\n' "bench: $*" >&2 ; }
NOTES=()
skip () { NOTES+=("$*") ; note "SKIP: $*" ; }

# ---------------------------------------------------------------- processes
PIDS=()
descendants () {   # PID -> its descendants' PIDs (children of what we started)
  awk -v root="$1" '
    { for (i = 1; i <= NF; i++) if ($i ~ /\)$/) break ; ppid[$1] = $(i + 2) }
    END { n = 1 ; q[1] = root
          for (h = 1 ; h <= n ; h++) for (p in ppid) if (ppid[p] == q[h]) { q[++n] = p ; print p } }
  ' /proc/[0-9]*/stat 2>/dev/null
}
stop_pid () {      # TERM a PID we started (and its descendants), KILL what stays
  local p=$1 d
  kill -0 "$p" 2>/dev/null || return 0
  d=$(descendants "$p")
  kill -TERM "$p" $d 2>/dev/null
  for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$p" $d 2>/dev/null
  wait "$p" 2>/dev/null
  return 0
}
cleanup () {
  for p in "${PIDS[@]}"; do stop_pid "$p"; done
  rm -rf "$SCRATCH"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

LAST_PID=
bg_start () {      # LOG CMD... : start in the background, record the PID
  local log=$1 ; shift
  "$@" >"$log" 2>&1 &
  LAST_PID=$!
  PIDS+=("$LAST_PID")
}

ready () {         # PORT: wait (bounded) until a connection there is served
  for _ in $(seq 1 50); do
    "$LG" -q -n 1 -T 500 -t 1 127.0.0.1 "$1" 2>/dev/null | grep -q ' ok=1 ' && return 0
    sleep 0.1
  done
  return 1
}
wait_port_file () { # FILE PID: wait (bounded) for a port number printed by -1
  for _ in $(seq 1 50); do
    if [ -s "$1" ]; then head -n1 "$1" | tr -dc 0-9; return 0; fi
    kill -0 "$2" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}
free_ports () { "$LG" -F "${1:-1}" ; }

cpu_ticks () {     # PID: CPU ticks of PID, its descendants and their reaped children
  local p t=0 f
  for p in "$1" $(descendants "$1"); do
    f=$(sed 's/.*) //' "/proc/$p/stat" 2>/dev/null) || continue
    set -- $f
    t=$((t + ${12} + ${13} + ${14} + ${15}))
  done
  echo "$t"
}
# PID...: total Rss, Pss and private (Private_Clean + Private_Dirty, the
# pages no other process maps) of these processes, in kB. Pss moves with
# the neighbours: a shared library's pages are split among every process on
# the machine that maps them. The private pages do not move, and no process
# can weigh less than them.
mem_kb () {
  local r=0 s=0 u=0 p a b c
  for p in "$@"; do
    read -r a b c < <(awk '/^Rss:/{r=$2} /^Pss:/{s=$2} /^Private_(Clean|Dirty):/{u+=$2} END{print r+0, s+0, u+0}' "/proc/$p/smaps_rollup" 2>/dev/null)
    r=$((r + ${a:-0})); s=$((s + ${b:-0})); u=$((u + ${c:-0}))
  done
  echo "$r $s $u"
}
tree_mem () { mem_kb "$1" $(descendants "$1") ; }

kv () { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<" $2" ; }   # KEY LINE -> value

have () { command -v "$1" >/dev/null 2>&1 ; }
install_pkg () {   # PKG: apt-get install if root, else false
  [ "$(id -u)" = 0 ] && have apt-get || return 1
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$1" >"$SCRATCH/apt-$1.log" 2>&1
}
fetch_deb () {     # PKG BIN: apt-get download + dpkg -x into the scratch dir
  local d=$SCRATCH/deb-$1
  mkdir -p "$d" "$PEERS"
  if ( cd "$d" && apt-get download "$1" >/dev/null 2>&1 ) && dpkg -x "$d"/*.deb "$PEERS" 2>/dev/null && [ -x "$PEERS/$2" ]; then
    echo "$PEERS/$2"
  fi
}

median () { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END{ if (NR) print a[int((NR+1)/2)] }' ; }
ratio () { awk -v a="$1" -v b="$2" 'BEGIN{ if (b > 0 && a != "") printf "%.2f", a / b ; else printf "-" }' ; }
# "A1 A2 ..." "B1 B2 ...": the median of A_i / B_i, measurements of the same
# round paired: the machine drifts between rounds more than two servers
# differ within one.
paired_ratio () {
  ratio "$(awk -v a="$1" -v b="$2" 'BEGIN { n = split(a, x, " ") ; split(b, y, " ")
    for (i = 1 ; i <= n ; i++) if (y[i] > 0) print x[i] / y[i] }' | median)" 1
}
