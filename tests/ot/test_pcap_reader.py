"""The capture reader: pcap and pcapng as a stream, corrupt headers and records."""

from __future__ import annotations

import io
import struct
from pathlib import Path

import pytest
from frames import modbus_segment, pcap_bytes, write_pcap
from scapy.layers.l2 import Ether
from scapy.utils import PcapNgWriter

from cpstrust.errors import InputError
from cpstrust.formats.pcap import CaptureReader
from cpstrust.limits import CaptureLimits
from cpstrust.model.ot import MalformedKind

FRAMES = [modbus_segment(b"x" * n, 1000 + n) for n in (1, 50, 300)]


def _read(data: bytes, limits: CaptureLimits | None = None) -> tuple[list, CaptureReader]:
    reader = CaptureReader(io.BytesIO(data), "c.pcap", limits or CaptureLimits())
    return list(reader.records()), reader


def test_pcap_records_come_with_time_link_type_and_lengths() -> None:
    records, reader = _read(pcap_bytes(FRAMES))
    assert [r[2] for r in records] == FRAMES
    assert [r[0] for r in records] == [1_700_000_000, 1_700_000_001, 1_700_000_002]
    assert {r[1] for r in records} == {1}
    assert reader.stats.records == 3 and reader.stats.stop_reason is None


def test_big_endian_nanosecond_pcap_is_read() -> None:
    frame = FRAMES[0]
    data = (struct.pack(">IHHiIII", 0xA1B23C4D, 2, 4, 0, 0, 65535, 1)
            + struct.pack(">IIII", 10, 500_000_000, len(frame), len(frame)) + frame)
    records, _ = _read(data)
    assert records == [(10.5, 1, frame, len(frame))]


def test_pcapng_gives_the_same_records_as_pcap(tmp_path: Path) -> None:
    path = tmp_path / "c.pcapng"
    with PcapNgWriter(str(path)) as writer:
        for i, frame in enumerate(FRAMES):
            packet = Ether(frame)
            packet.time = 1_700_000_000 + i
            writer.write(packet)
    records, reader = _read(path.read_bytes())
    assert [r[2] for r in records] == FRAMES
    assert [round(r[0], 6) for r in records] == [1_700_000_000, 1_700_000_001, 1_700_000_002]
    assert reader.stats.link_types == (1,)


@pytest.mark.parametrize(("data", "code", "place"), [
    (b"", "pcap_not_capture", "byte 0"),
    (b"GIF89a" + bytes(40), "pcap_not_capture", "byte 0"),
    (b"\xd4\xc3\xb2\xa1\x02\x00", "pcap_header_truncated", "byte 0"),
    (struct.pack("<IHHiIII", 0xA1B2C3D4, 9, 4, 0, 0, 65535, 1), "pcap_bad_version", "byte 4"),
])
def test_a_corrupt_global_header_is_refused_naming_file_and_byte(
        data: bytes, code: str, place: str) -> None:
    with pytest.raises(InputError) as caught:
        _read(data)
    assert caught.value.code == code
    assert caught.value.source == "c.pcap" and caught.value.location == place


def test_a_corrupt_record_header_stops_reading_there_and_is_reported() -> None:
    data = pcap_bytes(FRAMES)
    second = 24 + 16 + len(FRAMES[0])
    corrupt = data[:second + 8] + struct.pack("<I", 10_000_000) + data[second + 12:]
    records, reader = _read(corrupt)
    assert [r[2] for r in records] == FRAMES[:1]
    assert reader.stats.stop_reason is MalformedKind.PCAP_CORRUPT_RECORD
    assert reader.stats.stopped_at == second


@pytest.mark.parametrize("cut", [5, 20])  # inside a record header, inside its data
def test_a_file_ending_inside_a_record_is_counted_as_truncated(cut: int) -> None:
    data = pcap_bytes(FRAMES)
    records, reader = _read(data[:-len(FRAMES[2]) - 16 + cut])
    assert len(records) == 2
    assert reader.stats.stop_reason is MalformedKind.PCAP_TRUNCATED_RECORD


def test_a_record_past_the_limit_is_corrupt() -> None:
    records, reader = _read(pcap_bytes(FRAMES), CaptureLimits(max_record_bytes=200))
    assert len(records) == 2
    assert reader.stats.stop_reason is MalformedKind.PCAP_CORRUPT_RECORD


def _pcapng(*blocks: bytes) -> bytes:
    shb = struct.pack("<IIIHHq", 0x0A0D0D0A, 28, 0x1A2B3C4D, 1, 0, -1) + struct.pack("<I", 28)
    idb = struct.pack("<IIHHI", 1, 20, 1, 0, 65535) + struct.pack("<I", 20)
    return shb + idb + b"".join(blocks)


def _epb(frame: bytes, ts_us: int = 5_000_000) -> bytes:
    body = struct.pack("<IIIII", 0, ts_us >> 32, ts_us & 0xFFFFFFFF, len(frame), len(frame))
    body += frame + bytes(-len(frame) % 4)
    length = 12 + len(body)
    return struct.pack("<II", 6, length) + body + struct.pack("<I", length)


def test_pcapng_enhanced_packets_are_read_by_hand_made_blocks() -> None:
    records, _ = _read(_pcapng(_epb(FRAMES[0]), _epb(FRAMES[1])))
    assert records == [(5.0, 1, FRAMES[0], len(FRAMES[0])), (5.0, 1, FRAMES[1], len(FRAMES[1]))]


def test_pcapng_bad_first_block_length_is_refused() -> None:
    data = bytearray(_pcapng())
    data[4:8] = struct.pack("<I", 27)  # not a multiple of 4
    with pytest.raises(InputError) as caught:
        _read(bytes(data))
    assert caught.value.code == "pcapng_bad_block_length"
    assert caught.value.location == "byte 4"


@pytest.mark.parametrize("length", [13, 1 << 30])
def test_pcapng_bad_block_length_later_stops_reading_and_is_reported(length: int) -> None:
    bad = bytearray(_epb(FRAMES[1]))
    bad[4:8] = struct.pack("<I", length)
    records, reader = _read(_pcapng(_epb(FRAMES[0]), bytes(bad), _epb(FRAMES[2])))
    assert [r[2] for r in records] == FRAMES[:1]
    assert reader.stats.stop_reason is MalformedKind.PCAP_CORRUPT_RECORD


def test_pcapng_trailing_length_that_disagrees_is_corrupt() -> None:
    bad = bytearray(_epb(FRAMES[1]))
    bad[-4:] = struct.pack("<I", len(bad) + 4)
    records, reader = _read(_pcapng(_epb(FRAMES[0]), bytes(bad)))
    assert len(records) == 1
    assert reader.stats.stop_reason is MalformedKind.PCAP_CORRUPT_RECORD


def test_a_capture_file_is_read_whole(tmp_path: Path) -> None:
    path = write_pcap(tmp_path / "x.pcap", FRAMES)
    with path.open("rb") as f:
        assert sum(1 for _ in CaptureReader(f, str(path)).records()) == 3
