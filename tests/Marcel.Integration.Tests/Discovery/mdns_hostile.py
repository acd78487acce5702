"""Hostile mDNS peer for Marcel's discovery tests. Runs inside a test's network namespace only.

  mdns_hostile.py flood ADDRESS SECONDS send malformed packets, floods of answers for other services and of
                                  half-made _marcel records, and a flood of queries for _marcel._tcp.local;
                                  print 'responses N queries M' (answers received to the queries sent)
  mdns_hostile.py trap ADDRESS    listen on a TCP port and announce it as _http._tcp (plus a _marcel SRV with
                                  no PTR, and a _marcel PTR to the _http name) until stdin closes; print
                                  'trap PORT', and 'accepted' should anything connect to it
  mdns_hostile.py spoof ADDRESS INSTANCE   from a raw socket (IP_HDRINCL), responses from port 5354 and from an
                                  address off the link: a conflicting SRV for INSTANCE (a _marcel._tcp label) and a
                                  fake _marcel instance 'Spoofed'; then query _marcel._tcp from port 5353 and print
                                  'answer NAME' for the instance the server answers with
  mdns_hostile.py claim ADDRESS INSTANCE   take INSTANCE's name: send a conflicting SRV for it, then defend it
                                  (answer every query for it) until stdin closes; print 'claimed'
  mdns_hostile.py ghosts ADDRESS COUNT BROWSER   once BROWSER's querier has asked for _marcel._tcp, send COUNT
                                  _marcel PTRs to instances that never answer; print 'ghosts COUNT'
  mdns_hostile.py overflow ADDRESS   a legacy unicast query (not from port 5353) whose 1,400 compressed questions
                                  would make an answer far over 9,000 bytes; then print 'alive' if the responder
                                  still answers a plain query, else 'silent'
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


def instance(label, service="_marcel._tcp.local"):
    raw = label.encode()
    return bytes([len(raw)]) + raw + name(service)


def read_name(data, offset):
    """The dotted name at offset (compression pointers followed) and the offset after it."""
    labels, end, jumps = [], None, 0
    while True:
        length = data[offset]
        if length & 0xC0 == 0xC0:
            if end is None:
                end = offset + 2
            offset = ((length & 0x3F) << 8) | data[offset + 1]
            jumps += 1
            if jumps > 64:
                raise ValueError("pointer loop")
        elif length == 0:
            return ".".join(labels), (offset + 1 if end is None else end)
        else:
            labels.append(data[offset + 1:offset + 1 + length].decode(errors="replace"))
            offset += 1 + length


def parse(data):
    """(is_response, questions [name], records [(name, type, rdata offset, rdata)])."""
    flags, qd, an, ns, ar = struct.unpack(">HHHHH", data[2:12])
    offset, questions, records = 12, [], []
    for _ in range(qd):
        qname, offset = read_name(data, offset)
        questions.append(qname)
        offset += 4
    for _ in range(an + ns + ar):
        rname, offset = read_name(data, offset)
        rtype, _, _, length = struct.unpack(">HHIH", data[offset:offset + 10])
        offset += 10
        records.append((rname, rtype, offset, data[offset:offset + length]))
        offset += length
    return bool(flags & 0x8000), questions, records


def record_raw(owner, rtype, data, ttl=120, flush=False):
    return owner + struct.pack(">HHIH", rtype, 0x8001 if flush else 1, ttl, len(data)) + data


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


def raw_send(source, sport, payload, via):
    """One UDP datagram to the mDNS group, its IP and UDP headers written here (source address and port forged)."""
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_HDRINCL, 1)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(via))
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 255)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_LOOP, 0)
    udp = struct.pack(">HHHH", sport, GROUP[1], 8 + len(payload), 0) + payload  # checksum 0: none (IPv4 allows it)
    ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0, 255, socket.IPPROTO_UDP, 0,
                     socket.inet_aton(source), socket.inet_aton(GROUP[0]))  # length, id and checksum: the kernel's
    s.sendto(ip + udp, (GROUP[0], 0))
    s.close()


def ask_marcel(s, address, seconds=5):
    """Query _marcel._tcp from port 5353 until an answer from another host names an instance; that instance, or None."""
    query = message(questions=[name("_marcel._tcp.local") + struct.pack(">HH", 12, 1)], flags=0)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        s.sendto(query, GROUP)
        until = time.monotonic() + 0.3
        while time.monotonic() < until:
            if not select.select([s], [], [], 0.05)[0]:
                continue
            data, sender = s.recvfrom(9000)
            # Another host of this /24, from port 5353: not this script's own (looped back, forged) packets.
            if sender[0] == address or sender[1] != 5353 or sender[0].rsplit(".", 1)[0] != address.rsplit(".", 1)[0]:
                continue
            try:
                is_response, _, records = parse(data)
            except (ValueError, IndexError, struct.error):
                continue
            for rname, rtype, at, _ in records:
                if is_response and rtype == 12 and rname.lower() == "_marcel._tcp.local":
                    target, _ = read_name(data, at)
                    return target[:-len("._marcel._tcp.local")]
    return None


def spoof(address, label):
    s = mdns_socket(address)
    conflict = message([record_raw(instance(label), 33, srv(1, "thief.local"), flush=True),
                        record_raw(instance(label), 16, b"\x0dmode=dialogue", flush=True),
                        record("thief.local", 1, socket.inet_aton(address))])
    fake = message([record("_marcel._tcp.local", 12, instance("Spoofed")),
                    record_raw(instance("Spoofed"), 33, srv(4242, "thief.local"), flush=True),
                    record_raw(instance("Spoofed"), 16, b"\x0dmode=dialogue", flush=True),
                    record("thief.local", 1, socket.inet_aton(address))])
    off_link = "10.99.0.1"
    for _ in range(3):
        for packet in (conflict, fake):
            raw_send(address, 5354, packet, address)  # on the link, wrong port (RFC 6762 §6)
            raw_send(off_link, 5353, packet, address)  # right port, not from the link (§11)
        time.sleep(0.05)
    print(f"answer {ask_marcel(s, address)}", flush=True)


def claim(address, label):
    s = mdns_socket(address)
    owner = instance(label)
    claim_message = message([record_raw(owner, 33, srv(1, "thief.local"), flush=True),
                             record_raw(owner, 16, b"\x0dmode=dialogue", flush=True),
                             record("thief.local", 1, socket.inet_aton(address))])
    wanted = (label + "._marcel._tcp.local").lower()
    s.sendto(claim_message, GROUP)
    print("claimed", flush=True)
    while True:
        readable = select.select([sys.stdin, s], [], [], 1)[0]
        if sys.stdin in readable and not sys.stdin.readline():
            return
        if s not in readable:
            continue
        data, sender = s.recvfrom(9000)
        try:
            is_response, questions, _ = parse(data)
        except (ValueError, IndexError, struct.error):
            continue
        if not is_response and any(q.lower() == wanted for q in questions):
            s.sendto(claim_message, GROUP)  # defend the name, as an owner does (§8.1)


def ghosts(address, count, browser):
    s = mdns_socket(address)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:  # the browser's first query says it listens
        if select.select([s], [], [], 0.2)[0]:
            data, sender = s.recvfrom(9000)
            try:
                is_response, questions, _ = parse(data)
            except (ValueError, IndexError, struct.error):
                continue
            if sender[0] == browser and not is_response and "_marcel._tcp.local" in [q.lower() for q in questions]:
                break
    else:
        print("no query from the browser", flush=True)
        sys.exit(1)
    for i in range(count):
        s.sendto(message([record("_marcel._tcp.local", 12, instance(f"Ghost {i}"))]), GROUP)
        time.sleep(0.002)  # paced, so the browser's receive buffer holds them all
    print(f"ghosts {count}", flush=True)


def overflow(address):
    s = mdns_socket(address)
    legacy = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    legacy.bind((address, 0))
    legacy.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(address))
    first = name("_marcel._tcp.local") + struct.pack(">HH", 12, 1)
    pointers = (b"\xc0\x0c" + struct.pack(">HH", 12, 1)) * 1400  # each 6 bytes here, 24 once written out in an answer
    query = struct.pack(">HHHHHH", 0x1234, 0, 1401, 0, 0, 0) + first + pointers
    for _ in range(3):
        legacy.sendto(query, GROUP)
        time.sleep(0.05)
    print("alive" if ask_marcel(s, address) else "silent", flush=True)


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "flood":
        flood(sys.argv[2], float(sys.argv[3]))
    elif mode == "trap":
        trap(sys.argv[2])
    elif mode == "spoof":
        spoof(sys.argv[2], sys.argv[3])
    elif mode == "claim":
        claim(sys.argv[2], sys.argv[3])
    elif mode == "ghosts":
        ghosts(sys.argv[2], int(sys.argv[3]), sys.argv[4])
    elif mode == "overflow":
        overflow(sys.argv[2])
