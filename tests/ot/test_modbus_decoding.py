"""Modbus/TCP through the decoder: reassembly, framing, pairing, every public function,
and the bad-input classes (bogus MBAP, cut and truncated frames)."""

from __future__ import annotations

import struct

import pytest
from frames import adu, modbus_segment, pcap_bytes

from cpstrust.formats import modbus
from cpstrust.formats.pcap import CaptureReader
from cpstrust.model.ot import MalformedKind, ModbusMessage, StreamEvent
from cpstrust.ot.decoder import OtDecoder

READ = adu(7, 1, struct.pack("!BHH", 3, 100, 2))
ANSWER = adu(7, 1, struct.pack("!BBHH", 3, 4, 1234, 65535))
WRITE = adu(8, 1, struct.pack("!BHHB2H", 16, 200, 2, 4, 10, 20))


def _decode(*frames: bytes | tuple[bytes, int]) -> tuple[list[ModbusMessage], OtDecoder]:
    import io

    decoder = OtDecoder()
    reader = CaptureReader(io.BytesIO(pcap_bytes(frames)), "t.pcap")
    messages = [m for m in decoder.messages(reader.records()) if isinstance(m, ModbusMessage)]
    return messages, decoder


def test_request_and_response_are_paired_by_transaction_and_unit() -> None:
    messages, decoder = _decode(modbus_segment(READ, 1), modbus_segment(ANSWER, 1, response=True))
    request, response = messages
    assert (request.function, request.address, request.quantity, request.response) == (
        3, 100, 2, False)
    assert response.response and response.values == (1234, 65535)
    assert response.address == 100 and response.request_ts == request.ts
    assert (response.src, response.dst, response.src_port) == ("10.0.0.2", "10.0.0.1", 502)
    assert decoder.modbus_pairs == 1


def test_a_pdu_split_over_segments_is_reassembled() -> None:
    messages, _ = _decode(modbus_segment(WRITE[:5], 1), modbus_segment(WRITE[5:9], 6),
                          modbus_segment(WRITE[9:], 10))
    assert [(m.function, m.address, m.values) for m in messages] == [(16, 200, (10, 20))]


def test_several_pdus_in_one_segment_are_all_decoded() -> None:
    messages, _ = _decode(modbus_segment(READ + WRITE + READ[:4], 1),
                          modbus_segment(READ[4:], 1 + len(READ + WRITE) + 4))
    assert [m.function for m in messages] == [3, 16, 3]


def test_out_of_order_segments_are_put_back_in_order() -> None:
    messages, decoder = _decode(modbus_segment(b"", 0, flags="S"),
                                modbus_segment(WRITE[9:], 10), modbus_segment(WRITE[:9], 1))
    assert [m.values for m in messages] == [(10, 20)]
    assert decoder.stream_events[StreamEvent.OUT_OF_ORDER] == 1


def test_overlapping_segments_keep_the_first_copy_of_each_byte() -> None:
    tampered = WRITE[:10] + b"\xff\xff"  # rewrites the first register's bytes
    messages, decoder = _decode(modbus_segment(WRITE[:12], 1), modbus_segment(tampered[6:], 7),
                                modbus_segment(WRITE[6:], 7))
    assert [m.values for m in messages] == [(10, 20)]
    assert decoder.stream_events[StreamEvent.OVERLAP] == 1
    assert decoder.stream_events[StreamEvent.RETRANSMISSION] == 1


def test_a_retransmitted_request_is_decoded_once() -> None:
    messages, decoder = _decode(modbus_segment(READ, 1), modbus_segment(READ, 1))
    assert len(messages) == 1
    assert decoder.stream_events == {StreamEvent.RETRANSMISSION: 1}


def test_a_gap_past_the_bound_resynchronises_on_held_data() -> None:
    from cpstrust.limits import CaptureLimits

    decoder = OtDecoder(CaptureLimits(max_stream_pending=20))
    import io

    frames = [modbus_segment(READ, 1), modbus_segment(READ, 1 + 2 * len(READ)),
              modbus_segment(WRITE, 1 + 3 * len(READ))]
    reader = CaptureReader(io.BytesIO(pcap_bytes(frames)), "t.pcap")
    messages = list(decoder.messages(reader.records()))
    assert [m.function for m in messages] == [3, 3, 16]
    assert decoder.stream_events[StreamEvent.GAP] == 1


@pytest.mark.parametrize("header", [
    struct.pack("!HHHB", 1, 0, 300, 1),  # length past 254
    struct.pack("!HHHB", 1, 0, 1, 1),  # length under 2
    struct.pack("!HHHB", 1, 7, 6, 1),  # protocol id not 0
])
def test_a_bogus_mbap_is_counted_and_the_stream_resynchronises(header: bytes) -> None:
    messages, decoder = _decode(modbus_segment(header + b"\x03\x00\x01\x00\x01", 1),
                                modbus_segment(READ, 13))
    assert [m.transaction_id for m in messages] == [7]
    assert decoder.malformed == {MalformedKind.MODBUS_BAD_MBAP: 1}


def test_a_pdu_disagreeing_with_its_length_is_counted() -> None:
    bad = adu(9, 1, struct.pack("!BHHB2H", 16, 200, 3, 4, 10, 20))  # 3 registers in 4 bytes
    messages, decoder = _decode(modbus_segment(bad, 1))
    assert messages == []
    assert decoder.malformed == {MalformedKind.MODBUS_BAD_PDU: 1}


def test_a_snaplen_cut_segment_is_counted_and_the_stream_restarts() -> None:
    whole = modbus_segment(WRITE, 1)
    messages, decoder = _decode((whole[:-4], len(whole)), modbus_segment(READ, 1 + len(WRITE)))
    assert [m.function for m in messages] == [3]
    assert decoder.malformed == {MalformedKind.SNAPLEN_CUT: 1}


@pytest.mark.parametrize("size", [10, 30, 45])  # in Ethernet, IP, TCP headers
def test_truncated_frames_are_counted(size: int) -> None:
    frame = modbus_segment(READ, 1)
    messages, decoder = _decode(frame[:size])
    assert messages == []
    assert sum(decoder.malformed.values()) == 1
    assert set(decoder.malformed) <= {MalformedKind.TRUNCATED_FRAME,
                                      MalformedKind.BAD_TCP_HEADER}


def test_an_exception_response_carries_its_code() -> None:
    messages, _ = _decode(modbus_segment(READ, 1),
                          modbus_segment(adu(7, 1, b"\x83\x02"), 1, response=True))
    assert (messages[1].function, messages[1].exception, messages[1].address) == (3, 2, 100)


def test_a_response_to_another_function_is_counted_as_a_mismatch() -> None:
    _, decoder = _decode(modbus_segment(READ, 1),
                         modbus_segment(adu(7, 1, b"\x04\x02\x00\x01"), 1, response=True))
    assert decoder.malformed == {MalformedKind.MODBUS_RESPONSE_MISMATCH: 1}


# Every public function code, request and response, from the specification's examples.
REQUESTS = {
    1: ("0100130013", (19, 19, ())), 2: ("0200c40016", (196, 22, ())),
    3: ("03006b0003", (107, 3, ())), 4: ("0400080001", (8, 1, ())),
    5: ("0500acff00", (172, 1, (1,))), 6: ("0600010003", (1, 1, (3,))),
    7: ("07", (None, None, ())), 8: ("080000a537", (None, None, ())),
    11: ("0b", (None, None, ())), 12: ("0c", (None, None, ())),
    15: ("0f0013000a02cd01", (19, 10, (1, 0, 1, 1, 0, 0, 1, 1, 1, 0))),
    16: ("100001000204000a0102", (1, 2, (10, 258))), 17: ("11", (None, None, ())),
    20: ("140e0600040001000206000300090002", (None, None, ())),
    21: ("150d0600040007000306af04be100d", (None, None, (0x6AF, 0x4BE, 0x100D))),
    22: ("16000400f20025", (4, 1, ())),
    23: ("170003000600 0e0003 06 00ff00ff00ff".replace(" ", ""), (3, 6, ())),
    24: ("1804de", (1246, None, ())), 43: ("2b0e0100", (None, None, ())),
}
RESPONSES = {
    1: "0103cd6b05", 2: "0203acdb35", 3: "0306022b00000064", 4: "0402000a",
    5: "0500acff00", 6: "0600010003", 7: "076d", 8: "080000a537", 11: "0b ffff0108",
    12: "0c08000001080121 2000".replace(" ", ""), 15: "0f0013000a", 16: "1000010002",
    17: "1103aaff00", 20: "140c05060df800200506 33cd0040".replace(" ", ""),
    21: "150d0600040007000306af04be100d", 22: "160004 00f20025".replace(" ", ""),
    23: "170c00fe0acd00010003000d00ff", 24: "1800060002 01b8 1284".replace(" ", ""),
    43: "2b0e01010000 03 0004 43505531 0102 7631 0202 5631".replace(" ", ""),
}


@pytest.mark.parametrize("function", sorted(REQUESTS))
def test_every_public_function_request_decodes(function: int) -> None:
    pdu, (address, quantity, values) = REQUESTS[function]
    decoded = modbus.decode_request(bytes.fromhex(pdu.replace(" ", "")))
    assert isinstance(decoded, tuple)
    assert decoded[0] == function and decoded[2:5] == (address, quantity, values)


@pytest.mark.parametrize("function", sorted(RESPONSES))
def test_every_public_function_response_decodes(function: int) -> None:
    decoded = modbus.decode_response(bytes.fromhex(RESPONSES[function].replace(" ", "")), 19)
    assert isinstance(decoded, tuple) and decoded[0] == function and decoded[1] is None


def test_response_details_are_read() -> None:
    coils = modbus.decode_response(bytes.fromhex("0103cd6b05"), 19)
    assert isinstance(coils, tuple) and coils[3] == 19 and coils[4][:8] == (1, 0, 1, 1, 0, 0, 1, 1)
    fifo = modbus.decode_response(bytes.fromhex("1800060002 01b8 1284".replace(" ", "")), None)
    assert isinstance(fifo, tuple) and fifo[4] == (0x1B8, 0x1284)
    device = modbus.decode_response(bytes.fromhex(RESPONSES[43]), None)
    assert isinstance(device, tuple) and device[5] is not None
    assert device[5].objects == ((0, "CPU1"), (1, "v1"), (2, "V1"))
    diagnostics = modbus.decode_request(bytes.fromhex("080004 0000".replace(" ", "")))
    assert isinstance(diagnostics, tuple) and diagnostics[5] is not None
    assert diagnostics[5].sub_function == 4  # force listen only mode


@pytest.mark.parametrize("pdu", ["01", "0300", "0f0013000a03cd01", "1803", "2b0e01",
                                 "140d0600040001000206000300090002", "8302ff"])
def test_pdus_cut_or_disagreeing_are_malformed_not_errors(pdu: str) -> None:
    request = modbus.decode_request(bytes.fromhex(pdu))
    response = modbus.decode_response(bytes.fromhex(pdu), None)
    assert MalformedKind.MODBUS_BAD_PDU in (request, response)
