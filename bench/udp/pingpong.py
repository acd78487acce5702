#!/usr/bin/env python3
"""UDP ping-pong on loopback: send one datagram, wait for the answer, repeat for SECONDS; print round trips/s.
Mode echo: the server answers the sender (socat, ncat). Mode relay: a marcel UDP room between this client and an
echo member (two server hops per round trip: ping to the member, pong back)."""
import socket, sys, time, threading

mode, port, seconds, size = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
server = ("127.0.0.1", port)
payload = b"p" * (size - 1) + b"\n"

def sock():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); s.connect(server); s.settimeout(2); return s

def echo_member(stop):
    s = sock(); s.send(b""); s.send(b"")          # join, and show it receives
    while not stop.is_set():
        try: data = s.recv(65535)
        except socket.timeout: continue
        if data.startswith(b"<"): s.send(b"pong\n")

c = sock()
stop = threading.Event()
if mode == "relay":
    threading.Thread(target=echo_member, args=(stop,), daemon=True).start()
    c.send(b""); c.send(b""); time.sleep(1.0)
    while True:                                  # drain the welcome and notices
        c.settimeout(0.3)
        try: c.recv(65535)
        except socket.timeout: break
    c.settimeout(2)
done, lost, end = 0, 0, time.monotonic() + seconds
while time.monotonic() < end:
    c.send(payload)
    try:
        while True:
            data = c.recv(65535)
            if mode == "echo" or data.startswith(b"<"): break
        done += 1
    except socket.timeout:
        lost += 1
stop.set()
print(f"{done / seconds:.0f} {lost}")
