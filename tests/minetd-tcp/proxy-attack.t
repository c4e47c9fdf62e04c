#!/bin/bash
# Bad headers from a trusted source (minetd-tcp -H -F 127.0.0.1 -W 1):
# truncated, slow (a byte a second), oversized (v1 and v2) and garbage
# headers are closed, at the deadline at the latest, and counted in one
# summary line a second; meanwhile the accept loop serves a good client
# through HAProxy at full rate (measured: served count and latency, with
# and without the attack). -X closes untrusted sources.
. "$(dirname "$0")/../lib.sh"
command -v haproxy >/dev/null || { echo "1..0 # SKIP no haproxy (apt-get install haproxy)"; exit 0; }
LG=$B/tools/loadgen

start_tcp "$T/log" -H any -F 127.0.0.1 -W 1 -c 200 127.0.0.1 0 "$B/examples/hello-server" || { echo "Bail out! minetd-tcp"; exit 1; }
P=$PORT TCP=$SRV_PID
F=$("$LG" -F 1)
haproxy_config "$T/haproxy.cfg" 500 <<CFG
listen v2
  bind 127.0.0.1:$F
  server s 127.0.0.1:$P send-proxy-v2
CFG
start_bg haproxy -db -f "$T/haproxy.cfg"
wait_until 10 sh -c "'$LG' -q -n 1 -T 1000 -s 127.0.0.2 127.0.0.1 $F 2>/dev/null | grep -q ' ok=1 '" || { echo "Bail out! haproxy not serving"; exit 1; }
okps() { sed -n 's/.* okps=\([0-9]*\) .*/\1/p' "$1"; }
p50() { sed -n 's/.* p50_us=\([0-9]*\) .*/\1/p' "$1"; }

"$LG" -q -k 4 -t 1 -s 127.0.0.2 -x "hello 127.0.0.2 " 127.0.0.1 "$F" >"$T/before" 2>/dev/null

# the attackers, from the trusted source straight to minetd-tcp: each
# prints its name and how long until minetd-tcp closed it
cat >"$T/attack.py" <<'PY'
import socket, sys, threading, time
port = int(sys.argv[1])
v2sig = b"\r\n\r\n\0\r\nQUIT\n"
attacks = {
  "truncated": [b"PROXY TCP4 10.0.0.1 10.0"],
  "slow": [bytes([c]) for c in b"PROXY TCP4 10.0.0.1 10.0.0.2 1 2\r\n"],
  "oversized_v1": [b"PROXY UNKNOWN " + b"a" * 200],
  "oversized_v2": [v2sig + b"\x21\x11\xff\xff" + b"\0" * 100],
  "garbage": [b"GET / HTTP/1.0\r\n\r\n"],
  "truncated_v2": [v2sig + b"\x21\x11\x00\x0c\x0a"],
}
out = {}
def run(name, parts):
  s = socket.create_connection(("127.0.0.1", port))
  t0 = time.monotonic()
  def send():
    try:
      for p in parts:
        s.sendall(p)
        if len(parts) > 1: time.sleep(1)
    except OSError: pass
  threading.Thread(target=send, daemon=True).start()
  s.settimeout(10)
  try:
    while s.recv(100): pass
  except OSError: pass
  out[name] = time.monotonic() - t0
threads = [threading.Thread(target=run, args=(n, p)) for n, p in attacks.items() for _ in range(3)]
for t in threads: t.start()
for t in threads: t.join()
for n, d in sorted(out.items()): print(n, "%.2f" % d)
PY
python3 "$T/attack.py" "$P" >"$T/attack" 2>&1 & ATK=$!; PIDS+=("$ATK")
"$LG" -q -k 4 -t 1 -s 127.0.0.2 -x "hello 127.0.0.2 " 127.0.0.1 "$F" >"$T/during" 2>/dev/null
wait_pid "$ATK" 10
note "good client before: $(cat "$T/before")"
note "good client during: $(cat "$T/during")"
note "attackers closed after (s): $(tr '\n' ' ' <"$T/attack")"
b=$(okps "$T/before") d=$(okps "$T/during")
[ -n "$b" ] && [ -n "$d" ] && [ "$d" -ge $((b / 2)) ]; ok $? proxy_attack_good_client_served_at_full_rate_during_attack
grep -q ' fail=0 ' "$T/during"; ok $? proxy_attack_good_client_no_failure_during_attack
[ -n "$(p50 "$T/during")" ] && [ "$(p50 "$T/during")" -lt 100000 ]; ok $? proxy_attack_good_client_latency_under_100ms
at() { sed -n "s/^$1 //p" "$T/attack"; }
for n in truncated slow truncated_v2; do
  awk -v d="$(at $n)" 'BEGIN { exit !(d >= 0.9 && d < 2.5) }'; ok $? "proxy_attack_${n}_closed_at_the_deadline"
done
for n in oversized_v1 oversized_v2 garbage; do
  awk -v d="$(at $n)" 'BEGIN { exit !(d != "" && d < 0.9) }'; ok $? "proxy_attack_${n}_closed_at_once"
done
sums() {
  sed -n 's/.*PROXY headers: closed \([0-9]*\) timeout, \([0-9]*\) invalid, \([0-9]*\) too long, \([0-9]*\) closed by peer.*/\1 \2 \3 \4/p' "$T/log" |
    awk '{ t += $1 ; i += $2 ; l += $3 } END { print t + 0, i + 0, l + 0 }'
}
wait_until 3 sh -c "[ \"\$(sed -n 's/.*PROXY headers: closed \([0-9]*\) timeout.*/\1/p' '$T/log' | awk '{ t += \$1 } END { print t + 0 }')\" -ge 9 ]"
total=$(sums)
lines=$(grep -c 'PROXY headers: closed' "$T/log")
is "$total" "9 3 6" proxy_attack_summaries_count_each_reason
[ "$lines" -le 4 ]; ok $? proxy_attack_summary_at_most_a_line_a_second
stop "$TCP"

# -X: from elsewhere, closed unread and counted
start_tcp "$T/logx" -H v1 -F 127.0.0.9 -X 127.0.0.1 0 "$B/examples/hello-server" || { echo "Bail out! minetd-tcp -X"; exit 1; }
is "$(fetch 127.0.0.1 "$PORT")" "" proxy_untrusted_refused_with_X
wait_until 3 grep -q '0 closed by peer, 1 untrusted refused' "$T/logx"; ok $? proxy_untrusted_refusal_counted
done_testing
