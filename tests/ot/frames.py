"""Frames and captures for the OT decoding tests, built with scapy (an implementation
independent of ours) and written as pcap by hand, so that headers can be corrupted."""

from __future__ import annotations

import struct
from collections.abc import Iterable
from pathlib import Path

from scapy.layers.inet import IP, TCP, UDP
from scapy.layers.l2 import Ether
from scapy.packet import Raw

CLIENT, SERVER = "10.0.0.1", "10.0.0.2"


def modbus_segment(payload: bytes, seq: int, *, response: bool = False, flags: str = "PA",
                   client_port: int = 40000) -> bytes:
    """A TCP segment of the client (or the server) of 10.0.0.1:40000 -> 10.0.0.2:502."""
    src, dst, sport, dport = ((SERVER, CLIENT, 502, client_port) if response
                              else (CLIENT, SERVER, client_port, 502))
    return bytes(Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02") / IP(src=src, dst=dst)
                 / TCP(sport=sport, dport=dport, seq=seq, flags=flags) / Raw(payload))


def udp_datagram(payload: bytes, sport: int = 47808, dport: int = 47808,
                 src: str = CLIENT, dst: str = SERVER) -> bytes:
    return bytes(Ether() / IP(src=src, dst=dst) / UDP(sport=sport, dport=dport) / Raw(payload))


def adu(transaction: int, unit: int, pdu: bytes) -> bytes:
    """A Modbus/TCP ADU: the MBAP header and ``pdu``."""
    return struct.pack("!HHHB", transaction, 0, len(pdu) + 1, unit) + pdu


def bvlc(function: int, npdu: bytes) -> bytes:
    return struct.pack("!BBH", 0x81, function, 4 + len(npdu)) + npdu


def pcap_bytes(frames: Iterable[bytes | tuple[bytes, int]], link_type: int = 1) -> bytes:
    """A pcap file: each frame whole, or (frame, length on the wire) for a cut one."""
    out = [struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, link_type)]
    for i, item in enumerate(frames):
        frame, wire = item if isinstance(item, tuple) else (item, len(item))
        out.append(struct.pack("<IIII", 1_700_000_000 + i, 0, len(frame), wire) + frame)
    return b"".join(out)


def write_pcap(path: Path, frames: Iterable[bytes | tuple[bytes, int]],
               link_type: int = 1) -> Path:
    path.write_bytes(pcap_bytes(frames, link_type))
    return path
