# A bounded client loop for the fault tests: connects again and again (from
# --threads threads) until the --stop file exists, --max attempts are made or
# --seconds pass; each attempt sends --send (if any), half-closes, reads to
# EOF. Writes one line of counts to --out:
#   ok N refused N reset N timeout N other N busy N maxms N
# ok: a reply (starting with --expect if given); busy: a reply starting with
# --busy (a refusal message: accepted, answered, closed); refused: ECONNREFUSED;
# reset: reset or closed without a reply; timeout: no answer in --timeout
# seconds; maxms: the slowest successful attempt. --delay: wait that long
# after connecting before sending (the connection's process lives that
# long at least); --pause: between attempts. Loopback only.
import argparse, errno, os, socket, sys, threading, time

a = argparse.ArgumentParser()
a.add_argument("--port", type=int, required=True)
a.add_argument("--host", default="127.0.0.1")
a.add_argument("--src", default=None)
a.add_argument("--out", required=True)
a.add_argument("--stop", required=True)
a.add_argument("--send", default="")
a.add_argument("--expect", default="")
a.add_argument("--busy", default=None)
a.add_argument("--threads", type=int, default=1)
a.add_argument("--max", type=int, default=100000)
a.add_argument("--seconds", type=float, default=30)
a.add_argument("--timeout", type=float, default=10)
a.add_argument("--pause", type=float, default=0)
a.add_argument("--delay", type=float, default=0)
o = a.parse_args()
assert o.host.startswith("127.") and (o.src is None or o.src.startswith("127."))

counts = dict(ok=0, refused=0, reset=0, timeout=0, other=0, busy=0)
maxms = [0]
lock = threading.Lock()
why = []   # what the "other" attempts got
end = time.monotonic() + o.seconds
left = [o.max]

def one():
    t0 = time.monotonic()
    s = socket.socket()
    s.settimeout(o.timeout)
    try:
        if o.src: s.bind((o.src, 0))
        s.connect((o.host, o.port))
        if o.delay: time.sleep(o.delay)
        if o.send: s.sendall(o.send.encode())
        s.shutdown(socket.SHUT_WR)
        data = b""
        while True:
            d = s.recv(65536)
            if not d: break
            data += d
        if data and o.busy and data.startswith(o.busy.encode()): r = "busy"
        elif data and data.startswith(o.expect.encode()): r = "ok"
        elif data: r = "other"; why.append("reply %r" % data[:40])
        else: r = "reset"
    except ConnectionRefusedError: r = "refused"
    except (ConnectionResetError, BrokenPipeError): r = "reset"
    except socket.timeout: r = "timeout"
    except OSError as e:
        # ENOTCONN: the peer reset before our shutdown()
        if e.errno == errno.ENOTCONN: r = "reset"
        else: r = "other"; why.append(repr(e))
    finally: s.close()
    return r, (time.monotonic() - t0) * 1000

def loop():
    while not os.path.exists(o.stop) and time.monotonic() < end:
        with lock:
            if left[0] <= 0: return
            left[0] -= 1
        r, ms = one()
        with lock:
            counts[r] += 1
            if r == "ok" and ms > maxms[0]: maxms[0] = ms
        if o.pause: time.sleep(o.pause)

ts = [threading.Thread(target=loop) for _ in range(o.threads)]
for t in ts: t.start()
for t in ts: t.join()
with open(o.out + ".tmp", "w") as f:
    f.write("ok %d refused %d reset %d timeout %d other %d busy %d maxms %d\n" % (
        counts["ok"], counts["refused"], counts["reset"], counts["timeout"], counts["other"], counts["busy"], maxms[0]))
os.rename(o.out + ".tmp", o.out)
for w in why[:5]: print("hammer: other: " + w, file=sys.stderr)
