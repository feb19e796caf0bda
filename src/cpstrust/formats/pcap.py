"""Packet captures: pcap (both byte orders, micro- and nanosecond) and pcapng (sections,
interfaces with their link type and timestamp resolution; enhanced, simple and obsolete
packet blocks), read as a stream of records in bounded memory.

Read here with ``struct`` over a chunked buffer rather than through dpkt's readers: in
bench/bench_ot_decode.py (1M packets, one run) dpkt's ``pcap.Reader`` with its Ethernet
parse gave 48,000 packets/s, this reader with the whole OT decoding 158,000 (ADR 0014);
and a monitor must count a bad record and report where it stopped, not raise.

A file header that cannot be read is an ``InputError`` naming the file and the byte. A
record or block header that cannot be (a length past the limit, a block whose trailing
length disagrees) or a file that ends inside a record stops the reading there: the
records before it are given, and ``CaptureReader.stats`` says where and why it stopped.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from typing import BinaryIO

from cpstrust.errors import InputError, LimitExceededError
from cpstrust.formats.pcap_loop import pcap_records
from cpstrust.limits import DEFAULT_CAPTURE_LIMITS, CaptureLimits
from cpstrust.model.ot import CaptureStats, MalformedKind

# A record as decoding takes it: timestamp (epoch seconds), link type, the captured
# bytes, the packet's length on the wire. A plain tuple: one is made per packet.
PacketRecord = tuple[float, int, bytes, int]

_CHUNK = 1 << 20
_PCAP_MAGICS = {
    b"\xd4\xc3\xb2\xa1": ("<", 1e-6),
    b"\xa1\xb2\xc3\xd4": (">", 1e-6),
    b"\x4d\x3c\xb2\xa1": ("<", 1e-9),
    b"\xa1\xb2\x3c\x4d": (">", 1e-9),
}
_PCAPNG_SHB = b"\x0a\x0d\x0d\x0a"
_BYTE_ORDER_MAGIC = 0x1A2B3C4D
_IDB, _PB, _SPB, _EPB = 1, 2, 3, 6
_SHB_TYPE = 0x0A0D0D0A
_OPT_TSRESOL, _OPT_TSOFFSET = 9, 14
_FCS_LEN_BITS = 0xFFFF  # the link-type field's low 16 bits (pcap: high bits carry FCS info)


class _Chunks:
    """The file as a sliding buffer: ``ensure(n)`` makes ``n`` bytes available at ``pos``
    (False at the end of the file), reading a chunk at a time."""

    __slots__ = ("base", "buf", "eof", "pos", "stream")

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        self.buf = b""
        self.pos = 0
        self.base = 0  # file offset of buf[0]
        self.eof = False

    @property
    def offset(self) -> int:
        return self.base + self.pos

    def ensure(self, n: int) -> bool:
        if len(self.buf) - self.pos >= n:
            return True
        while not self.eof and len(self.buf) - self.pos < n:
            more = self.stream.read(max(_CHUNK, n))
            if not more:
                self.eof = True
            self.base += self.pos
            self.buf = self.buf[self.pos:] + more
            self.pos = 0
        return len(self.buf) - self.pos >= n


class _Interface:
    __slots__ = ("link_type", "offset", "scale", "snaplen")

    def __init__(self, link_type: int, snaplen: int, scale: float, offset: int) -> None:
        self.link_type = link_type
        self.snaplen = snaplen
        self.scale = scale  # seconds per timestamp unit
        self.offset = offset  # if_tsoffset, seconds


class CaptureReader:
    """Reads one capture: ``records()`` once, then ``stats``."""

    def __init__(self, stream: BinaryIO, source: str,
                 limits: CaptureLimits = DEFAULT_CAPTURE_LIMITS) -> None:
        self.source = source
        self.limits = limits
        self._chunks = _Chunks(stream)
        self._records = 0
        self._bytes = 0
        self._link_types: set[int] = set()
        self._stopped_at: int | None = None
        self._stop_reason: MalformedKind | None = None

    @property
    def stats(self) -> CaptureStats:
        return CaptureStats(self._records, self._bytes, tuple(sorted(self._link_types)),
                            self._stopped_at, self._stop_reason)

    def records(self) -> Iterator[PacketRecord]:
        """Every record, in file order. InputError for a file header that cannot be
        read; a bad record stops the iteration and is told in ``stats``."""
        chunks = self._chunks
        if not chunks.ensure(4):
            raise InputError("pcap_not_capture", source=self.source, location="byte 0")
        magic = chunks.buf[:4]
        if magic in _PCAP_MAGICS:
            order, scale = _PCAP_MAGICS[magic]
            # A record past the limit is a corrupt header, not a large packet: captures
            # keep at most 262144 bytes of one. The loop is compiled (ADR 0033) and reads
            # the file header first (_pcap_header).
            return pcap_records(self, chunks, order, scale, self.limits.max_record_bytes)
        if magic == _PCAPNG_SHB:
            return self._pcapng_records()
        raise InputError("pcap_not_capture", source=self.source, location="byte 0")

    def _error(self, code: str, at: int, **facts: object) -> InputError:
        return InputError(code, source=self.source, location=f"byte {at}", **facts)

    def _stop(self, at: int, reason: MalformedKind) -> None:
        self._stopped_at = at
        self._stop_reason = reason

    def _pcap_header(self, order: str) -> int:
        """A pcap file's link type, from its header (which ``pcap_records`` reads when
        the first record is asked for)."""
        chunks = self._chunks
        if not chunks.ensure(24):
            raise self._error("pcap_header_truncated", 0)
        major, _minor, _zone, _sigfigs, _snaplen, network = struct.unpack_from(
            f"{order}HHiIII", chunks.buf, 4)
        if major != 2:
            raise self._error("pcap_bad_version", 4, version=major)
        link_type: int = network & _FCS_LEN_BITS
        self._link_types.add(link_type)
        chunks.pos = 24
        return link_type

    def _pcapng_records(self) -> Iterator[PacketRecord]:
        chunks = self._chunks
        interfaces: list[_Interface] = []
        order = "<"
        first = True
        while chunks.ensure(12):
            at = chunks.offset
            block_type, length = struct.unpack_from(f"{order}II", chunks.buf, chunks.pos)
            if block_type == _SHB_TYPE:
                order = self._section_order(at, first)
                block_type, length = struct.unpack_from(f"{order}II", chunks.buf, chunks.pos)
                interfaces = []
            if length < 12 or length % 4 or length > self.limits.max_record_bytes:
                if first:
                    raise self._error("pcapng_bad_block_length", at + 4, length=length)
                self._stop(at, MalformedKind.PCAP_CORRUPT_RECORD)
                return
            if not chunks.ensure(length):
                self._stop(at, MalformedKind.PCAP_TRUNCATED_RECORD)
                return
            block = chunks.buf[chunks.pos:chunks.pos + length]
            (trailing,) = struct.unpack_from(f"{order}I", block, length - 4)
            if trailing != length:
                if first:
                    raise self._error("pcapng_bad_block_length", at + length - 4,
                                      length=trailing)
                self._stop(at, MalformedKind.PCAP_CORRUPT_RECORD)
                return
            chunks.pos += length
            first = False
            record = self._pcapng_block(block_type, block, order, interfaces, at)
            if record is _CORRUPT:
                return
            if record is not None:
                self._records += 1
                self._bytes += len(record[2])
                yield record
        if chunks.pos < len(chunks.buf):
            self._stop(chunks.offset, MalformedKind.PCAP_TRUNCATED_RECORD)

    def _section_order(self, at: int, first: bool) -> str:
        chunks = self._chunks
        if not chunks.ensure(12):
            raise self._error("pcap_header_truncated", at)
        (magic,) = struct.unpack_from("<I", chunks.buf, chunks.pos + 8)
        if magic == _BYTE_ORDER_MAGIC:
            return "<"
        if magic == struct.unpack("<I", struct.pack(">I", _BYTE_ORDER_MAGIC))[0]:
            return ">"
        raise self._error("pcapng_bad_byte_order", at + 8)

    def _pcapng_block(self, block_type: int, block: bytes, order: str,
                      interfaces: list[_Interface], at: int) -> PacketRecord | None:
        """The record a block holds; None for blocks that hold none; ``_CORRUPT`` for
        one whose fields disagree (the reading stops there)."""
        if block_type == _IDB:
            if len(interfaces) >= self.limits.max_interfaces:
                raise LimitExceededError("pcapng_too_many_interfaces", source=self.source,
                                         location=f"byte {at}",
                                         limit=self.limits.max_interfaces)
            interface = _interface(block, order)
            if interface is None:
                self._stop(at, MalformedKind.PCAP_CORRUPT_RECORD)
                return _CORRUPT
            interfaces.append(interface)
            self._link_types.add(interface.link_type)
            return None
        if block_type not in (_EPB, _SPB, _PB):
            return None  # statistics, name resolution, custom blocks: nothing to decode
        record = _packet(block_type, block, order, interfaces)
        if record is None:
            self._stop(at, MalformedKind.PCAP_CORRUPT_RECORD)
            return _CORRUPT
        return record


_CORRUPT: PacketRecord = (0.0, -1, b"", 0)


def _interface(block: bytes, order: str) -> _Interface | None:
    if len(block) < 20:
        return None
    link_type, _reserved, snaplen = struct.unpack_from(f"{order}HHI", block, 8)
    scale, offset = 1e-6, 0
    at, end = 16, len(block) - 4
    while at + 4 <= end:
        code, size = struct.unpack_from(f"{order}HH", block, at)
        if code == 0:
            break
        if at + 4 + size > end:
            return None
        value = block[at + 4:at + 4 + size]
        if code == _OPT_TSRESOL and size >= 1:
            resolution = value[0]
            exponent = resolution & 0x7F
            scale = 2.0 ** -exponent if resolution & 0x80 else 10.0 ** -exponent
        elif code == _OPT_TSOFFSET and size >= 8:
            (offset,) = struct.unpack_from(f"{order}q", value)
        at += 4 + size + (-size % 4)
    return _Interface(link_type, snaplen, scale, offset)


def _packet(block_type: int, block: bytes, order: str,
            interfaces: list[_Interface]) -> PacketRecord | None:
    """The record of an enhanced, simple or obsolete packet block; None when it names no
    interface or claims more bytes than it holds."""
    room = len(block) - 4
    if block_type == _SPB:
        if not interfaces or room < 12:
            return None
        (wirelen,) = struct.unpack_from(f"{order}I", block, 8)
        caplen = min(wirelen, room - 12)
        if interfaces[0].snaplen:
            caplen = min(caplen, interfaces[0].snaplen)
        return 0.0, interfaces[0].link_type, block[12:12 + caplen], wirelen
    if block_type == _EPB:
        if room < 28:
            return None
        index, high, low, caplen, wirelen = struct.unpack_from(f"{order}IIIII", block, 8)
        start = 28
    else:
        if room < 28:
            return None
        index, _drops, high, low, caplen, wirelen = struct.unpack_from(
            f"{order}HHIIII", block, 8)
        start = 28
    if index >= len(interfaces) or start + caplen > room:
        return None
    interface = interfaces[index]
    ts = ((high << 32) | low) * interface.scale + interface.offset
    return ts, interface.link_type, block[start:start + caplen], wirelen
