#!/usr/bin/env python3
# ask.py [-b SRCIP[:PORT]] [-w SECONDS] [-n REPLIES] HOST PORT MSG...: a UDP
# client for tests. Sends each MSG from one socket (from SRCIP, PORT if
# given), then prints each reply as it came ("FROMIP FROMPORT TEXT"), until
# REPLIES replies (default: one per MSG) or SECONDS (default 3) pass.
import socket, sys, time, getopt
opts, args = getopt.getopt(sys.argv[1:], "b:w:n:d:")
o = dict(opts)
host, port, msgs = args[0], int(args[1]), args[2:]
fam = socket.AF_INET6 if ':' in host else socket.AF_INET
s = socket.socket(fam, socket.SOCK_DGRAM)
if '-b' in o:
    b = o['-b']
    if fam == socket.AF_INET6:
        ip, _, p = b.rpartition('#') if '#' in b else (b, '', '0')
    else:
        ip, _, p = b.partition(':')
    s.bind((ip, int(p or 0)))
want = int(o.get('-n', len(msgs)))
delay = float(o.get('-d', 0))
for m in msgs:
    s.sendto(m.encode(), (host, port))
    if delay: time.sleep(delay)
deadline = time.time() + float(o.get('-w', 3))
got = 0
while got < want:
    left = deadline - time.time()
    if left <= 0: break
    s.settimeout(left)
    try:
        data, frm = s.recvfrom(65536)
    except socket.timeout:
        break
    got += 1
    print(frm[0], frm[1], data.decode(errors='replace').rstrip('\n'), flush=True)
