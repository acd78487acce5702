#!/usr/bin/env python3
"""UDP ping-pong on loopback: send one datagram, wait for the answer, repeat for SECONDS; print round trips/s and losses.

Usage: pingpong.py MODE PORT SECONDS SIZE [ECHO_PORT]
Every mode sends the same SIZE-byte payload and waits for it (or its relayed copy) to come back:
  echo     the server answers the sender itself (socat or ncat -u through cat): one server hop per round trip.
  forward  the server forwards to an echo peer at ECHO_PORT, run here, and forwards its answer back (socat as a UDP
           relay): two server hops per round trip, the same pattern as the room.
  room     the server is a marcel UDP room; an echo member, run here, answers each relayed line with the same payload;
           the room relays it back with its "<name> " prefix: two server hops per round trip.
The echo peer and the echo member are the same few lines of Python, in a thread of this process, in both relaying
modes, so the relaying servers are compared on equal terms."""
import socket, sys, time, threading

mode, port, seconds, size = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
server = ("127.0.0.1", port)
payload = b"p" * (size - 1) + b"\n"

def sock(peer=server):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); s.connect(peer); s.settimeout(0.5); return s

def echo_peer(stop, s):
    """Answers whatever comes with the same bytes (a plain UDP echo, what socat forwards to)."""
    while not stop.is_set():
        try: data, sender = s.recvfrom(65535)
        except socket.timeout: continue
        s.sendto(data, sender)

def echo_member(stop, s):
    """A room member answering each relayed line "<name> payload" with the payload itself."""
    while not stop.is_set():
        try: data = s.recv(65535)
        except socket.timeout: continue
        if data.startswith(b"<"): s.send(data[data.index(b"> ") + 2:])

stop = threading.Event()
if mode == "forward":
    e = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); e.bind(("127.0.0.1", int(sys.argv[5]))); e.settimeout(0.5)
    threading.Thread(target=echo_peer, args=(stop, e), daemon=True).start()
c = sock()
if mode == "room":
    m = sock(); m.send(b""); m.send(b"")          # join, and show it receives (the amplification limit)
    threading.Thread(target=echo_member, args=(stop, m), daemon=True).start()
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
            if mode != "room" or data.startswith(b"<"): break
        done += 1
    except socket.timeout:
        lost += 1
stop.set()
print(f"{done / seconds:.0f} {lost}")
