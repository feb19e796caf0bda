"""Link, IP and transport headers of a captured frame: Ethernet (with 802.1Q/802.1ad
tags), Linux cooked (SLL, SLL2), BSD loopback (null, loop) and raw IP; IPv4 and IPv6
(extension headers skipped); TCP and UDP.

Hand-written with ``struct`` (ADR 0014): dpkt builds an object for every layer of every
packet; reading and parsing link, IP and transport with it ran at 48,000 packets/s in
bench/bench_ot_decode.py, a third of this module's whole OT decoding (158,000/s) in the
same run. A frame is dissected once, into a plain tuple.
"""

from __future__ import annotations

import struct

from cpstrust.model.ot import MalformedKind

# src, dst (4 or 16 address bytes), IP protocol, src port, dst port, payload start, payload
# end (in the frame), TCP sequence number, TCP flags, whether the capture cut the payload.
Dissected = tuple[bytes, bytes, int, int, int, int, int, int, int, bool]

LINK_NULL, LINK_ETHERNET, LINK_RAW, LINK_RAW_BSD, LINK_RAW_OPENBSD = 0, 1, 101, 12, 14
LINK_LOOP, LINK_SLL, LINK_IPV4, LINK_IPV6, LINK_SLL2 = 108, 113, 228, 229, 276
ETHERTYPE_IPV4, ETHERTYPE_IPV6, ETHERTYPE_ARP = 0x0800, 0x86DD, 0x0806
# operation, sender MAC and IPv4, target MAC and IPv4
Arp = tuple[int, bytes, bytes, bytes, bytes]
_arp = struct.Struct("!HHBBH6s4s6s4s").unpack_from
_VLAN_TAGS = (0x8100, 0x88A8, 0x9100)
_IPV6_FAMILIES = (10, 24, 28, 30)  # AF_INET6 on Linux, BSDs, macOS
_IPV6_EXTENSIONS = (0, 43, 60, 51)  # hop-by-hop, routing, destination, AH
_IPV6_FRAGMENT = 44
TCP, UDP = 6, 17
TCP_FIN, TCP_SYN, TCP_RST = 0x01, 0x02, 0x04

_u16 = struct.Struct("!H").unpack_from
_ipv4 = struct.Struct("!BxHxxHxB2x4s4s").unpack_from
_ipv6 = struct.Struct("!4xHBx16s16s").unpack_from
_ports = struct.Struct("!HH").unpack_from
_tcp = struct.Struct("!HHI4xBB").unpack_from


def ip_start(link_type: int, frame: bytes) -> tuple[int, int] | MalformedKind | None:
    """Where the IP header starts and its version (4 or 6); None for a frame that does
    not carry IP (ARP, LLDP, ...)."""
    if link_type == LINK_ETHERNET:
        if len(frame) < 14:
            return MalformedKind.TRUNCATED_FRAME
        ethertype = (frame[12] << 8) | frame[13]
        at = 14
        while ethertype in _VLAN_TAGS:
            if len(frame) < at + 4:
                return MalformedKind.TRUNCATED_FRAME
            ethertype = (frame[at + 2] << 8) | frame[at + 3]
            at += 4
    elif link_type in (LINK_RAW, LINK_RAW_BSD, LINK_RAW_OPENBSD, LINK_IPV4, LINK_IPV6):
        if not frame:
            return MalformedKind.TRUNCATED_FRAME
        version = frame[0] >> 4
        return (0, version) if version in (4, 6) else None
    elif link_type == LINK_SLL:
        if len(frame) < 16:
            return MalformedKind.TRUNCATED_FRAME
        ethertype, at = _u16(frame, 14)[0], 16
    elif link_type == LINK_SLL2:
        if len(frame) < 20:
            return MalformedKind.TRUNCATED_FRAME
        ethertype, at = _u16(frame, 0)[0], 20
    elif link_type in (LINK_NULL, LINK_LOOP):
        if len(frame) < 4:
            return MalformedKind.TRUNCATED_FRAME
        family = _loopback_family(link_type, frame)
        if family == 2:
            return 4, 4
        return (4, 6) if family in _IPV6_FAMILIES else None
    else:
        return MalformedKind.UNKNOWN_LINK_TYPE
    if ethertype == ETHERTYPE_IPV4:
        return at, 4
    if ethertype == ETHERTYPE_IPV6:
        return at, 6
    return None


def _loopback_family(link_type: int, frame: bytes) -> int:
    """The address family of a loopback header: network order for LOOP, the capturing
    host's order for NULL (either; the families fit in one byte)."""
    if link_type == LINK_LOOP:
        return struct.unpack_from("!I", frame)[0]  # type: ignore[no-any-return]
    little, big = struct.unpack_from("<I", frame)[0], struct.unpack_from(">I", frame)[0]
    return little if little < 256 else big  # type: ignore[no-any-return]


def dissect(link_type: int, frame: bytes) -> Dissected | MalformedKind | None:
    """The addresses, ports and payload of an IP packet; a MalformedKind for a frame
    whose headers are cut or inconsistent; None when the frame is not IP. The OT
    decoder's compiled loop (ot/decoder.pyx) reads untagged Ethernet/IPv4 TCP and UDP
    itself and calls this for every other frame."""
    start = ip_start(link_type, frame)
    if start is None or start.__class__ is not tuple:
        return start  # type: ignore[return-value]
    at, version = start
    if version == 4:
        return _ipv4_packet(frame, at)
    return _ipv6_packet(frame, at)


def _ipv4_packet(frame: bytes, at: int) -> Dissected | MalformedKind:
    if len(frame) < at + 20:
        return MalformedKind.TRUNCATED_FRAME
    first, total, fragment, protocol, src, dst = _ipv4(frame, at)
    header = (first & 0x0F) * 4
    if first >> 4 != 4 or header < 20 or total < header:
        return MalformedKind.BAD_IP_HEADER
    end = at + total
    cut = end > len(frame)
    if cut:
        end = len(frame)
    at += header
    if at > end:
        return MalformedKind.TRUNCATED_FRAME
    if fragment & 0x3FFF:  # a fragment (offset or more to come): the flow only
        return src, dst, protocol, 0, 0, at, end, 0, 0, cut
    return _transport(frame, src, dst, protocol, at, end, cut)


def _ipv6_packet(frame: bytes, at: int) -> Dissected | MalformedKind:
    if len(frame) < at + 40:
        return MalformedKind.TRUNCATED_FRAME
    payload, protocol, src, dst = _ipv6(frame, at)
    if frame[at] >> 4 != 6:
        return MalformedKind.BAD_IP_HEADER
    at += 40
    end = at + payload
    cut = end > len(frame)
    if cut:
        end = len(frame)
    while protocol in _IPV6_EXTENSIONS or protocol == _IPV6_FRAGMENT:
        if at + 8 > end:
            return MalformedKind.TRUNCATED_FRAME
        following = frame[at]
        if protocol == _IPV6_FRAGMENT:
            if _u16(frame, at + 2)[0] & 0xFFF9:  # a later fragment, or more to come
                return src, dst, following, 0, 0, at + 8, end, 0, 0, cut
            at += 8
        elif protocol == 51:  # AH counts its length in 4-byte words, less two
            at += (frame[at + 1] + 2) * 4
        else:
            at += (frame[at + 1] + 1) * 8
        protocol = following
    if at > end:
        return MalformedKind.TRUNCATED_FRAME
    return _transport(frame, src, dst, protocol, at, end, cut)


def _transport(frame: bytes, src: bytes, dst: bytes, protocol: int, at: int, end: int,
               cut: bool) -> Dissected | MalformedKind:
    if protocol == TCP:
        if end - at < 20:
            return MalformedKind.TRUNCATED_FRAME if cut else MalformedKind.BAD_TCP_HEADER
        sport, dport, seq, offset, flags = _tcp(frame, at)
        header = (offset >> 4) * 4
        if header < 20 or at + header > end:
            return MalformedKind.TRUNCATED_FRAME if cut else MalformedKind.BAD_TCP_HEADER
        return src, dst, TCP, sport, dport, at + header, end, seq, flags, cut
    if protocol == UDP:
        if end - at < 8:
            return MalformedKind.TRUNCATED_FRAME if cut else MalformedKind.BAD_UDP_HEADER
        sport, dport = _ports(frame, at)
        length = _u16(frame, at + 4)[0]
        if length < 8 or (at + length > end and not cut):
            return MalformedKind.BAD_UDP_HEADER
        udp_end = at + length
        return src, dst, UDP, sport, dport, at + 8, min(udp_end, end), 0, 0, udp_end > end
    return src, dst, protocol, 0, 0, at, end, 0, 0, cut


def arp(link_type: int, frame: bytes) -> Arp | MalformedKind | None:
    """An Ethernet frame's ARP request or reply for IPv4 (RFC 826; VLAN tags skipped);
    None for any other frame or ARP of other hardware or protocols; TRUNCATED_FRAME when
    the ARP body is cut short."""
    if link_type != LINK_ETHERNET or len(frame) < 14:
        return None
    ethertype, at = (frame[12] << 8) | frame[13], 14
    while ethertype in _VLAN_TAGS and len(frame) >= at + 4:
        ethertype, at = (frame[at + 2] << 8) | frame[at + 3], at + 4
    if ethertype != ETHERTYPE_ARP:
        return None
    if len(frame) < at + 28:
        return MalformedKind.TRUNCATED_FRAME
    hardware, protocol, hardware_size, protocol_size, operation, sender_mac, sender_ip, \
        target_mac, target_ip = _arp(frame, at)
    if (hardware, protocol, hardware_size, protocol_size) != (1, ETHERTYPE_IPV4, 6, 4) \
            or operation not in (1, 2):
        return None
    return operation, sender_mac, sender_ip, target_mac, target_ip
