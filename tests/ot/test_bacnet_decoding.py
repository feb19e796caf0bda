"""BACnet/IP: BVLC, NPDU (routing, network messages), APDU services, bad input by layer."""

from __future__ import annotations

import io

import pytest
from frames import bvlc, pcap_bytes, udp_datagram

from cpstrust.formats import bacnet
from cpstrust.formats.pcap import CaptureReader
from cpstrust.model.ot import BacnetApdu, BacnetMessage, MalformedKind, PropertyRef
from cpstrust.ot.decoder import OtDecoder

# I-Am from device 1234, max APDU 1476, segmentation none, vendor 260.
I_AM = bytes.fromhex("01001000c4020004d22205c49103220104")
# WriteProperty analog-value:5 present-value (85) = 42.5 at priority 8.
WRITE = bytes.fromhex("0104000501 0f 0c00800005 1955 3e 44422a0000 3f 4908".replace(" ", ""))


def _decode(*frames: bytes) -> tuple[list[BacnetMessage], OtDecoder]:
    decoder = OtDecoder()
    reader = CaptureReader(io.BytesIO(pcap_bytes(frames)), "b.pcap")
    return [m for m in decoder.messages(reader.records())
            if isinstance(m, BacnetMessage)], decoder


def test_i_am_gives_the_device_instance_and_vendor() -> None:
    (message,), _ = _decode(udp_datagram(bvlc(0x0B, I_AM)))
    assert message.apdu_type == BacnetApdu.UNCONFIRMED_REQUEST and message.service == 0
    assert (message.device_instance, message.vendor_id) == (1234, 260)


def test_write_property_names_object_property_and_value() -> None:
    (message,), _ = _decode(udp_datagram(bvlc(0x0A, WRITE)))
    assert (message.service, message.invoke_id) == (15, 1)
    assert message.references == (PropertyRef(2, 5, 85, None, 42.5),)


@pytest.mark.parametrize(("value", "expected"), [
    ("44422a0000", 42.5),  # REAL
    ("5508 3ff8000000000000", 1.5),  # DOUBLE, its length in an extra octet
    ("31ff", -1), ("328100", -32512),  # signed INTEGERs
    ("2509 010203040506070809", 0x010203040506070809),  # an unsigned wider than 64 bits
    ("9103", 3),  # ENUMERATED
    ("11", True), ("10", False), ("00", None),  # BOOLEAN in the tag, NULL
    ("74006f6b21", "ok!"), ("7303e9e8", "\u00e9\u00e8"),  # UTF-8, and other sets as Latin-1
    ("c400800005", "2:5"),  # an object identifier
    ("620102", b"\x01\x02"),  # OCTET STRING
])
def test_the_written_value_is_read_by_its_application_tag(value: str, expected: object) -> None:
    apdu = bytes.fromhex(f"0104000501 0f 0c00800005 1955 3e {value} 3f".replace(" ", ""))
    decoded = bacnet.decode_bvlc(bvlc(0x0A, apdu))
    assert isinstance(decoded, tuple)
    (reference,) = decoded[11]
    assert reference.value == expected and type(reference.value) is type(expected)


def test_routed_addresses_and_forwarded_npdu_are_read() -> None:
    routed = bytes.fromhex("0120 0003 01 6c ff") + I_AM[2:]  # DNET 3, DADR 6c, hop 255
    forwarded = bytes.fromhex("0a000005bac0")  # from 10.0.0.5:47808
    decoded = bacnet.decode_bvlc(bvlc(0x04, forwarded + routed))
    assert isinstance(decoded, tuple)
    assert decoded[1] == "10.0.0.5:47808" and decoded[4:6] == (3, "6c")
    assert decoded[12:14] == (1234, 260)


def test_network_layer_messages_are_told_apart() -> None:
    decoded = bacnet.decode_bvlc(bvlc(0x0B, bytes.fromhex("018001 0003")))  # I-Am-Router
    assert isinstance(decoded, tuple) and decoded[6] == 1 and decoded[7] is None


def test_read_property_multiple_lists_every_reference() -> None:
    apdu = bytes.fromhex("0004 07 0e 0c00000001 1e 0955 094d 1f 0c00400002 1e 0955 1f"
                         .replace(" ", ""))
    decoded = bacnet.decode_bvlc(bvlc(0x0A, b"\x01\x04" + apdu))
    assert isinstance(decoded, tuple)
    assert decoded[11] == (PropertyRef(0, 1, 85), PropertyRef(0, 1, 77), PropertyRef(1, 2, 85))


@pytest.mark.parametrize(("service", "code"), [(20, 1), (17, 1)])
def test_reinitialise_and_communication_control_carry_their_command(
        service: int, code: int) -> None:
    tag = "09" if service == 20 else "19"
    apdu = bytes.fromhex(f"000409{service:02x}{tag}{code:02x}")
    decoded = bacnet.decode_bvlc(bvlc(0x0A, b"\x01\x04" + apdu))
    assert isinstance(decoded, tuple) and decoded[8] == service and decoded[14] == code


def test_cov_notification_names_device_object_and_values() -> None:
    apdu = bytes.fromhex("1002 0901 1c020004d2 2c00000007 3900 4e 0955 2e44410000002f"
                         " 096f 2e8204002f 4f".replace(" ", ""))
    decoded = bacnet.decode_bvlc(bvlc(0x0B, b"\x01\x00" + apdu))
    assert isinstance(decoded, tuple)
    assert decoded[12] == 1234
    assert decoded[11][0] == PropertyRef(0, 7, 85, None, 8.0)


@pytest.mark.parametrize(("payload", "kind"), [
    (bytes.fromhex("810a0020") + I_AM, MalformedKind.BACNET_BAD_BVLC),  # bogus length
    (bytes.fromhex("820a0006") + b"\x01\x00", MalformedKind.BACNET_BAD_BVLC),  # not B/IP
    (bytes.fromhex("8120"), MalformedKind.BACNET_BAD_BVLC),
    (bvlc(0x0A, b"\x02\x00" + I_AM[2:]), MalformedKind.BACNET_BAD_NPDU),  # version 2
    (bvlc(0x0A, bytes.fromhex("0120 0003 09")), MalformedKind.BACNET_BAD_NPDU),  # DADR cut
    (bvlc(0x0A, I_AM[:-2]), MalformedKind.BACNET_BAD_APDU),  # I-Am cut in its vendor id
    (bvlc(0x0A, bytes.fromhex("0104 0004050c 0c0000")), MalformedKind.BACNET_BAD_APDU),
    (bvlc(0x0A, bytes.fromhex("0104 3e")), MalformedKind.BACNET_BAD_APDU),
    # a value whose two-octet length runs past the end
    (bvlc(0x0A, bytes.fromhex("0104 0004050f 0c00800005 1955 3e 25fe00")),
     MalformedKind.BACNET_BAD_APDU),
])
def test_malformed_layers_are_counted_by_class(payload: bytes, kind: MalformedKind) -> None:
    messages, decoder = _decode(udp_datagram(payload))
    assert messages == []
    assert decoder.malformed == {kind: 1}


def test_a_snaplen_cut_datagram_is_counted() -> None:
    frame = udp_datagram(bvlc(0x0B, I_AM))
    decoder = OtDecoder()
    reader = CaptureReader(io.BytesIO(pcap_bytes([(frame[:-3], len(frame))])), "b.pcap")
    assert list(decoder.messages(reader.records())) == []
    assert decoder.malformed == {MalformedKind.SNAPLEN_CUT: 1}


def test_a_repeated_datagram_is_decoded_alike_and_a_repeated_bad_one_counted_each_time(
) -> None:
    """A repeated payload gives the same message but for its own addresses, and a
    repeated malformed one is counted each time."""
    i_am = bvlc(0x0B, I_AM)
    messages, decoder = _decode(udp_datagram(i_am), udp_datagram(i_am, src="10.0.0.9"),
                                udp_datagram(b"\x81\x0b\x00\x09bad"),
                                udp_datagram(b"\x81\x0b\x00\x09bad"))
    first, second = messages
    assert (first.src, second.src) == ("10.0.0.1", "10.0.0.9")
    assert first[3:] == second[3:] and first.device_instance == 1234
    assert decoder.malformed == {MalformedKind.BACNET_BAD_BVLC: 2}
