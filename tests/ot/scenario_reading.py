"""Reading generated captures back with dpkt (not with cpstrust's decoders) and checking
them the way a receiving stack would: lengths, checksums, TCP sequence continuity, MBAP
and BVLC lengths."""

from __future__ import annotations

import socket
import struct
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import dpkt


def records(path: Path) -> Iterator[tuple[float, bytes]]:
    with path.open("rb") as handle:
        head = handle.read(4)
        handle.seek(0)
        reader = dpkt.pcapng.Reader(handle) if head == b"\x0a\x0d\x0d\x0a" \
            else dpkt.pcap.Reader(handle)
        yield from reader


def sums_to_zero(data: bytes) -> bool:
    """The Internet checksum verifies: the one's-complement sum of everything, the
    checksum field included, is all ones (dpkt.in_cksum of it is 0)."""
    return dpkt.in_cksum(data) == 0


def pseudo_header(ip: dpkt.ip.IP, length: int) -> bytes:
    return struct.pack("!4s4sBBH", ip.src, ip.dst, 0, ip.p, length)


@dataclass
class Direction:
    """One direction of a TCP connection: where the next segment must start, and the
    bytes carried so far."""

    next_seq: int | None = None
    stream: bytearray = field(default_factory=bytearray)


def check_frame(frame: bytes, flows: dict[tuple[bytes, int, bytes, int], Direction]) -> str:
    """Check one frame; the kind of packet it is ("tcp", "udp", "arp")."""
    eth = dpkt.ethernet.Ethernet(frame)
    if eth.type == dpkt.ethernet.ETH_TYPE_ARP:
        assert len(frame) == 42
        return "arp"
    ip = eth.data
    assert isinstance(ip, dpkt.ip.IP)
    assert ip.len == len(frame) - 14
    assert sums_to_zero(frame[14:34])
    segment = frame[34:]
    assert sums_to_zero(pseudo_header(ip, len(segment)) + segment)
    if isinstance(ip.data, dpkt.udp.UDP):
        assert ip.data.ulen == len(segment)
        payload = bytes(ip.data.data)
        assert payload[0] == 0x81 and struct.unpack("!H", payload[2:4])[0] == len(payload)
        return "udp"
    tcp = ip.data
    assert isinstance(tcp, dpkt.tcp.TCP)
    direction = flows.setdefault((ip.src, tcp.sport, ip.dst, tcp.dport), Direction())
    if tcp.flags & dpkt.tcp.TH_SYN:
        direction.next_seq = (tcp.seq + 1) & 0xFFFFFFFF
        direction.stream.clear()
        return "tcp"
    if direction.next_seq is None:  # joined mid-connection, as a capture does
        direction.next_seq = tcp.seq
    if tcp.data:
        assert tcp.seq == direction.next_seq, "a gap or overlap in the TCP stream"
        direction.stream += tcp.data
        direction.next_seq = (tcp.seq + len(tcp.data)) & 0xFFFFFFFF
    if tcp.flags & dpkt.tcp.TH_FIN:
        direction.next_seq = (direction.next_seq + 1) & 0xFFFFFFFF
    return "tcp"


def modbus_adus(stream: bytes) -> list[tuple[int, int, bytes]]:
    """(transaction, unit, PDU) of each ADU; the stream must hold whole ADUs only. A
    stream joined mid-connection starts on an ADU boundary, as the generator cuts."""
    adus = []
    offset = 0
    while offset < len(stream):
        transaction, protocol, length, unit = struct.unpack_from("!HHHB", stream, offset)
        assert protocol == 0 and 2 <= length <= 254
        end = offset + 6 + length
        assert end <= len(stream), "an ADU cut short"
        adus.append((transaction, unit, stream[offset + 7:end]))
        offset = end
    return adus


def ip_text(raw: bytes) -> str:
    return socket.inet_ntoa(raw)
