"""Hostile mDNS peer for Marcel's discovery tests. Runs inside a test's network namespace only.

  mdns_hostile.py flood ADDRESS SECONDS send malformed packets, floods of answers for other services and of
                                  half-made _marcel records, and a flood of queries for _marcel._tcp.local;
                                  print 'responses N queries M' (answers received to the queries sent)
  mdns_hostile.py trap ADDRESS    listen on a TCP port and announce it as _http._tcp (plus a _marcel SRV with
                                  no PTR, and a _marcel PTR to the _http name) until stdin closes; print
                                  'trap PORT', and 'accepted' should anything connect to it
"""
import os
import random
import select
import socket
import struct
import sys
import time

GROUP = ("224.0.0.251", 5353)


def name(text):
    out = b""
    for label in text.split("."):
        raw = label.encode()
        out += bytes([len(raw)]) + raw
    return out + b"\0"


def record(owner, rtype, data, ttl=120):
    return name(owner) + struct.pack(">HHIH", rtype, 1, ttl, len(data)) + data


def message(answers=(), questions=(), flags=0x8400):
    body = b"".join(questions) + b"".join(answers)
    return struct.pack(">HHHHHH", 0, flags, len(questions), len(answers), 0, 0) + body


def srv(port, target):
    return struct.pack(">HHH", 0, 0, port) + name(target)


def mdns_socket(address):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    s.bind(("", 5353))
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 255)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_LOOP, 1)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, socket.inet_aton(GROUP[0]) + socket.inet_aton(address))
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(address))
    return s


def malformed():
    header = struct.pack(">HHHHHH", 0, 0x8400, 0, 1, 0, 0)
    yield b""
    yield b"\xff" * 11
    yield struct.pack(">HHHHHH", 0, 0x8400, 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF)
    yield header + b"\xc0\x0c" + b"\0" * 10  # name pointing at itself
    yield header + b"\x01a\xc0\x0c" + b"\0" * 10  # loop through a label
    yield header + b"\x3f" + b"a" * 10  # label past the end
    yield header + b"\x40\x00" + b"\0" * 10  # reserved label type
    good = message([record("_marcel._tcp.local", 12, name("Cut._marcel._tcp.local"))])
    for n in range(len(good)):
        yield good[:n]
    yield good[:-3] + b"\xff\xff\xff"
    yield struct.pack(">HHHHHH", 0, 0x8400, 0, 1, 0, 0) + name("x.local") + struct.pack(">HHIH", 33, 1, 120, 200) + b"\0" * 5
    for _ in range(300):
        yield os.urandom(random.randint(0, 600))


def flood(address, seconds):
    s = mdns_socket(address)
    for packet in malformed():
        s.sendto(packet, GROUP)
    for i in range(1500):  # other services, complete
        owner = f"Printer {i}._ipp._tcp.local"
        s.sendto(message([record("_ipp._tcp.local", 12, name(owner)), record(owner, 33, srv(631, "p.local")),
                          record("p.local", 1, socket.inet_aton("10.9.9.9"))]), GROUP)
    for i in range(1500):  # _marcel pointers to nothing, and _marcel SRVs with no pointer
        s.sendto(message([record("_marcel._tcp.local", 12, name(f"Ghost {i}._marcel._tcp.local"))]), GROUP)
        s.sendto(message([record(f"Orphan {i}._marcel._tcp.local", 33, srv(1, "o.local")),
                          record("o.local", 1, socket.inet_aton("10.9.9.9"))]), GROUP)
    query = message(questions=[name("_marcel._tcp.local") + struct.pack(">HH", 12, 1)], flags=0)
    sent = responses = 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        s.sendto(query, GROUP)
        sent += 1
        while select.select([s], [], [], 0.001)[0]:
            data, sender = s.recvfrom(9000)
            if sender[0] != address and len(data) >= 12 and data[2] & 0x80 and b"_marcel" in data and b"Ghost" not in data and b"Orphan" not in data:
                responses += 1
    print(f"responses {responses} queries {sent}", flush=True)


def trap(address):
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind((address, 0))
    listener.listen(5)
    port = listener.getsockname()[1]
    s = mdns_socket(address)
    owner = "Trap._http._tcp.local"
    fake = "Trap._marcel._tcp.local"
    announcement = message([
        record("_http._tcp.local", 12, name(owner)),
        record(owner, 33, srv(port, "trap.local")),
        record(fake, 33, srv(port, "trap.local")),
        record(fake, 16, b"\x0dmode=dialogue"),
        record("_marcel._tcp.local", 12, name(owner)),
        record("trap.local", 1, socket.inet_aton(address)),
    ])
    print(f"trap {port}", flush=True)
    while True:
        readable = select.select([listener, sys.stdin, s], [], [], 0.2)[0]
        if listener in readable:
            listener.accept()
            print("accepted", flush=True)
        if sys.stdin in readable and not sys.stdin.readline():
            return
        if s in readable:
            s.recvfrom(9000)
        s.sendto(announcement, GROUP)


if __name__ == "__main__":
    if sys.argv[1] == "flood":
        flood(sys.argv[2], float(sys.argv[3]))
    else:
        trap(sys.argv[2])
