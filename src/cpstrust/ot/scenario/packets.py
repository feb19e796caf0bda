"""Ethernet/IPv4/TCP/UDP frames built with ``struct``, checksums included, and the TCP
state of a connection (handshake, sequence and acknowledgement numbers, close).

Built by hand rather than with dpkt's classes: a scale capture of a gigabyte is ~10
million frames, and building one through dpkt's packet classes costs ~15× as much
(bench/bench_ot_scenario.py prints both). The tests read every frame back with dpkt and
check its lengths and checksums.
"""

from __future__ import annotations

import socket
import struct
from collections.abc import Callable
from dataclasses import dataclass, field

ETHERTYPE_IPV4 = b"\x08\x00"
ETHERTYPE_ARP = b"\x08\x06"
BROADCAST_MAC = b"\xff" * 6
PROTO_TCP = 6
PROTO_UDP = 17
TTL = 64

FIN, SYN, RST, PSH, ACK = 0x01, 0x02, 0x04, 0x08, 0x10

_IP_HEADER = struct.Struct("!BBHHHBBH4s4s")
_TCP_HEADER = struct.Struct("!HHIIBBHHH")
_UDP_HEADER = struct.Struct("!HHHH")
_PSEUDO = struct.Struct("!4s4sBBH")
_ARP = struct.Struct("!HHBBH6s4s6s4s")

Emit = Callable[[float, bytes], None]


def checksum(data: bytes) -> int:
    """The Internet checksum (RFC 1071) of ``data``: the one's-complement sum of its
    16-bit words, taken as one big integer modulo 0xffff (2**16 ≡ 1)."""
    if len(data) % 2:
        data += b"\x00"
    number = int.from_bytes(data, "big")
    total = number % 0xFFFF
    if total == 0 and number:
        total = 0xFFFF  # the one's-complement sum of non-zero words is never +0
    return ~total & 0xFFFF


@dataclass(frozen=True, slots=True)
class Endpoint:
    mac: bytes
    ip: bytes  # four bytes

    @classmethod
    def of(cls, mac: bytes, ip: str) -> Endpoint:
        return cls(mac, socket.inet_aton(ip))


@dataclass(slots=True)
class IpIdentities:
    """Each host's IPv4 identification counter, as a host's stack keeps one."""

    next_id: dict[bytes, int] = field(default_factory=dict)

    def take(self, ip: bytes) -> int:
        ident = self.next_id.get(ip, int.from_bytes(ip[2:], "big") * 7 & 0xFFFF)
        self.next_id[ip] = (ident + 1) & 0xFFFF
        return ident


def ipv4_frame(src: Endpoint, dst: Endpoint, proto: int, segment: bytes, ident: int,
               dst_mac: bytes | None = None) -> bytes:
    """An Ethernet II frame carrying one IPv4 packet (no options, don't fragment)."""
    total = 20 + len(segment)
    header = _IP_HEADER.pack(0x45, 0, total, ident, 0x4000, TTL, proto, 0, src.ip, dst.ip)
    header = header[:10] + checksum(header).to_bytes(2, "big") + header[12:]
    return (dst.mac if dst_mac is None else dst_mac) + src.mac + ETHERTYPE_IPV4 + header + segment


def tcp_segment(src: Endpoint, dst: Endpoint, sport: int, dport: int, seq: int, ack: int,
                flags: int, payload: bytes, window: int = 64240) -> bytes:
    header = _TCP_HEADER.pack(sport, dport, seq, ack, 5 << 4, flags, window, 0, 0)
    pseudo = _PSEUDO.pack(src.ip, dst.ip, 0, PROTO_TCP, 20 + len(payload))
    total = checksum(pseudo + header + payload)
    return header[:16] + total.to_bytes(2, "big") + header[18:] + payload


def udp_datagram(src: Endpoint, dst_ip: bytes, sport: int, dport: int, payload: bytes) -> bytes:
    length = 8 + len(payload)
    header = _UDP_HEADER.pack(sport, dport, length, 0)
    total = checksum(_PSEUDO.pack(src.ip, dst_ip, 0, PROTO_UDP, length) + header + payload)
    return header[:6] + (total or 0xFFFF).to_bytes(2, "big") + payload  # 0 means none


def arp_request(src: Endpoint, target_ip: bytes) -> bytes:
    """Who has ``target_ip``? (Ethernet broadcast)."""
    body = _ARP.pack(1, 0x0800, 6, 4, 1, src.mac, src.ip, b"\x00" * 6, target_ip)
    return BROADCAST_MAC + src.mac + ETHERTYPE_ARP + body


def arp_reply(src: Endpoint, dst: Endpoint) -> bytes:
    body = _ARP.pack(1, 0x0800, 6, 4, 2, src.mac, src.ip, dst.mac, dst.ip)
    return dst.mac + src.mac + ETHERTYPE_ARP + body


@dataclass(slots=True)
class TcpConnection:
    """One TCP connection between a client and a server as frames: the handshake, data
    each way with the other side's acknowledgement numbers, and the close. ``emit`` gets
    every frame with its time."""

    client: Endpoint
    server: Endpoint
    sport: int
    dport: int
    ids: IpIdentities
    emit: Emit
    client_seq: int = 0
    server_seq: int = 0
    open: bool = False

    def handshake(self, ts: float, rtt: float, client_isn: int, server_isn: int) -> float:
        """SYN, SYN-ACK, ACK from ``ts``; the time of the last."""
        self.client_seq, self.server_seq = client_isn, server_isn
        self._client(ts, SYN, b"", ack=0)
        self.client_seq = (self.client_seq + 1) & 0xFFFFFFFF
        self._server(ts + rtt / 2, SYN | ACK, b"")
        self.server_seq = (self.server_seq + 1) & 0xFFFFFFFF
        self._client(ts + rtt, ACK, b"")
        self.open = True
        return ts + rtt

    def client_sends(self, ts: float, payload: bytes) -> None:
        self._client(ts, PSH | ACK, payload)
        self.client_seq = (self.client_seq + len(payload)) & 0xFFFFFFFF

    def server_sends(self, ts: float, payload: bytes) -> None:
        self._server(ts, PSH | ACK, payload)
        self.server_seq = (self.server_seq + len(payload)) & 0xFFFFFFFF

    def client_acks(self, ts: float) -> None:
        self._client(ts, ACK, b"")

    def server_acks(self, ts: float) -> None:
        self._server(ts, ACK, b"")

    def close(self, ts: float, rtt: float) -> float:
        """The client's FIN, the server's FIN-ACK, the client's last ACK."""
        self._client(ts, FIN | ACK, b"")
        self.client_seq = (self.client_seq + 1) & 0xFFFFFFFF
        self._server(ts + rtt / 2, FIN | ACK, b"")
        self.server_seq = (self.server_seq + 1) & 0xFFFFFFFF
        self._client(ts + rtt, ACK, b"")
        self.open = False
        return ts + rtt

    def reset(self, ts: float) -> None:
        """The client aborts (RST), as a master does after a timeout."""
        self._client(ts, RST | ACK, b"")
        self.open = False

    def probe(self, ts: float, isn: int, listening: bool | None) -> None:
        """A half-open scan's SYN: a listening server answers SYN-ACK and gets a RST, a
        host with the port closed answers RST-ACK, None answers nothing."""
        self.client_seq = isn
        self._client(ts, SYN, b"", ack=0)
        self.client_seq = (isn + 1) & 0xFFFFFFFF
        if listening:
            self.server_seq = isn ^ 0x5A5A5A5A
            self._server(ts + 0.0004, SYN | ACK, b"")
            self._client(ts + 0.0008, RST, b"", ack=0)
        elif listening is not None:
            self._server(ts + 0.0004, RST | ACK, b"")

    def _client(self, ts: float, flags: int, payload: bytes, ack: int | None = None) -> None:
        segment = tcp_segment(self.client, self.server, self.sport, self.dport,
                              self.client_seq, self.server_seq if ack is None else ack,
                              flags, payload)
        self.emit(ts, ipv4_frame(self.client, self.server, PROTO_TCP, segment,
                                 self.ids.take(self.client.ip)))

    def _server(self, ts: float, flags: int, payload: bytes) -> None:
        segment = tcp_segment(self.server, self.client, self.dport, self.sport,
                              self.server_seq, self.client_seq, flags, payload, window=8192)
        self.emit(ts, ipv4_frame(self.server, self.client, PROTO_TCP, segment,
                                 self.ids.take(self.server.ip)))
