# Hostile clients for abusive.t, all bounded in count and time, loopback
# only: connections reset at once (SO_LINGER 0), connections that never
# send, 10 MB sent through an echo (read back) and 10 MB sent without ever
# reading. Prints one line: "resets N silent N bulk_ok N bulk_bytes N
# stalled_sent N".
import socket, struct, sys, threading, time

host = "127.0.0.1"
echo, lim, seconds = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
MB10 = 10 * 1024 * 1024
end = time.monotonic() + seconds
res = dict(resets=0, silent=0, bulk_ok=0, bulk_bytes=0, stalled_sent=0)
lock = threading.Lock()

def add(k, n=1):
    with lock: res[k] += n

def resetter(port, count):
    for _ in range(count):
        if time.monotonic() > end: return
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        try:
            s.connect((host, port)); add("resets")
        except OSError: pass
        s.close()   # RST at once
        time.sleep(0.005)

def silent(count):
    held = []
    for _ in range(count):
        try: held.append(socket.create_connection((host, echo), timeout=5)); add("silent")
        except OSError: pass
    while time.monotonic() < end: time.sleep(0.05)
    for s in held: s.close()

def bulk():
    s = socket.create_connection((host, echo), timeout=10)
    got = [0]
    def reader():
        try:
            while True:
                d = s.recv(1 << 16)
                if not d: break
                got[0] += len(d)
        except OSError: pass
    t = threading.Thread(target=reader); t.start()
    chunk = b"x" * (1 << 16)
    try:
        for _ in range(MB10 // len(chunk)): s.sendall(chunk)
        s.shutdown(socket.SHUT_WR)
    except OSError: pass
    t.join(15)
    s.close()
    add("bulk_bytes", got[0])
    if got[0] == MB10: add("bulk_ok")

def stalled():
    # sends until both sides' buffers are full (the echo blocks writing to
    # us), holds it, then gives up: never reads a byte
    s = socket.create_connection((host, echo), timeout=10)
    s.setblocking(False)
    chunk, sent = b"y" * (1 << 16), 0
    while time.monotonic() < end and sent < MB10:
        try: sent += s.send(chunk)
        except BlockingIOError: time.sleep(0.02)
        except OSError: break
    add("stalled_sent", sent)
    s.close()

# the long connections first, so that the resets cannot take their place
# under the service's per-source cap
conns = [threading.Thread(target=silent, args=(30,)), threading.Thread(target=stalled)]
conns += [threading.Thread(target=bulk) for _ in range(3)]
for t in conns: t.start()
time.sleep(0.3)
resets = [threading.Thread(target=resetter, args=(echo, 300)), threading.Thread(target=resetter, args=(lim, 300))]
for t in resets: t.start()
for t in conns + resets: t.join(seconds + 20)
print(" ".join("%s %d" % (k, res[k]) for k in ("resets", "silent", "bulk_ok", "bulk_bytes", "stalled_sent")))
