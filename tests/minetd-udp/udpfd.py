#!/usr/bin/env python3
# udpfd.py [-s] [HOST] -- CMD...: binds a UDP socket on HOST (default
# 127.0.0.1) port 0, puts it on fd 0 or, with -s, on fd 3 with LISTEN_FDS=1
# and LISTEN_PID (systemd's protocol), then execs CMD.
import os, socket, sys
args = sys.argv[1:]
systemd = args[:1] == ['-s']
if systemd: args = args[1:]
host = '127.0.0.1'
if args[0] != '--': host = args.pop(0)
args = args[1:]
s = socket.socket(socket.AF_INET6 if ':' in host else socket.AF_INET, socket.SOCK_DGRAM)
s.bind((host, 0))
if systemd:
    if s.fileno() != 3: os.dup2(s.fileno(), 3)
    os.set_inheritable(3, True)
    os.environ['LISTEN_FDS'] = '1'
    os.environ['LISTEN_PID'] = str(os.getpid())
else:
    os.dup2(s.fileno(), 0)
os.execvp(args[0], args)
