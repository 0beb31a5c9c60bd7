#!/usr/bin/env python3
"""Packets the scenarios craft: what an attacker sends, and the flows it aims at.

  packet.py udp SRC SPORT DST DPORT PAYLOAD [--bad-checksum] [--lite]
  packet.py tcp SRC SPORT DST DPORT FLAGS          (FLAGS: letters of FSRPAU)
  packet.py sctp-init SRC SPORT DST DPORT
  packet.py udp-flow PORT DST DPORT SECONDS        (send from PORT, print what comes back)
  packet.py udp-echo PORT SECONDS                  (print "ADDR PORT PAYLOAD" per datagram, answer it)

Raw packets go out through an IP_HDRINCL socket (root in the namespace), so
their source address and ports are whatever the attack needs. Standard
library only.
"""
import socket
import struct
import sys
import time


def checksum(data: bytes) -> int:
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def crc32c(data: bytes) -> int:
    crc = 0xFFFFFFFF
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
    return ~crc & 0xFFFFFFFF


def ip_header(src: str, dst: str, proto: int, length: int) -> bytes:
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + length, 0x4242, 0x4000, 64, proto, 0,
                    socket.inet_aton(src), socket.inet_aton(dst))
    return h[:10] + struct.pack("!H", checksum(h)) + h[12:]


def pseudo(src: str, dst: str, proto: int, length: int) -> bytes:
    return socket.inet_aton(src) + socket.inet_aton(dst) + struct.pack("!BBH", 0, proto, length)


def send(src: str, dst: str, proto: int, payload: bytes) -> None:
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_HDRINCL, 1)
    s.sendto(ip_header(src, dst, proto, len(payload)) + payload, (dst, 0))


def udp(src, sport, dst, dport, payload, bad=False, lite=False):
    proto = 136 if lite else 17
    body = payload.encode()
    # UDP-Lite: the length field is the checksum coverage (0: everything).
    length = 8 + len(body)
    header = struct.pack("!HHHH", int(sport), int(dport), 0 if lite else length, 0)
    c = checksum(pseudo(src, dst, proto, length) + header + body) or 0xFFFF
    if bad:
        c ^= 0x5A5A
    send(src, dst, proto, header[:6] + struct.pack("!H", c) + body)


def tcp(src, sport, dst, dport, flags):
    bits = sum({"F": 1, "S": 2, "R": 4, "P": 8, "A": 16, "U": 32}[f] for f in flags)
    header = struct.pack("!HHIIBBHHH", int(sport), int(dport), 0x1000, 0, 5 << 4, bits, 64240, 0, 0)
    c = checksum(pseudo(src, dst, 6, len(header)) + header)
    send(src, dst, 6, header[:16] + struct.pack("!H", c) + header[18:])


def sctp_init(src, sport, dst, dport):
    # INIT: initiate tag, a_rwnd, outbound and inbound streams, initial TSN.
    chunk = struct.pack("!BBHIIHHI", 1, 0, 20, 0x1234ABCD, 65536, 1, 1, 1)
    common = struct.pack("!HHII", int(sport), int(dport), 0, 0)
    c = crc32c(common + chunk)
    # The CRC32c goes in little-endian byte order (RFC 3309 appendix).
    send(src, dst, 132, common[:8] + struct.pack("<I", c) + chunk)


def listen(s, seconds, answer):
    """Prints "ADDR PORT PAYLOAD" for each datagram for a while; answers each if asked."""
    s.settimeout(0.2)
    end = time.time() + float(seconds)
    while time.time() < end:
        try:
            data, peer = s.recvfrom(2048)
        except socket.timeout:
            continue
        print(peer[0], peer[1], data.decode(errors="replace"), flush=True)
        if answer:
            s.sendto(b"echo " + data, peer)


def bound(port):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("0.0.0.0", int(port)))
    return s


def udp_flow(port, dst, dport, seconds):
    s = bound(port)
    s.sendto(b"hello", (dst, int(dport)))
    listen(s, seconds, answer=False)


def udp_echo(port, seconds):
    listen(bound(port), seconds, answer=True)


def main(argv):
    cmd, args = argv[1], argv[2:]
    flags = [a for a in args if a.startswith("--")]
    args = [a for a in args if not a.startswith("--")]
    if cmd == "udp":
        udp(*args, bad="--bad-checksum" in flags, lite="--lite" in flags)
    elif cmd == "tcp":
        tcp(*args)
    elif cmd == "sctp-init":
        sctp_init(*args)
    elif cmd == "udp-flow":
        udp_flow(*args)
    elif cmd == "udp-echo":
        udp_echo(*args)
    else:
        sys.exit("unknown command " + cmd)


if __name__ == "__main__":
    main(sys.argv)
