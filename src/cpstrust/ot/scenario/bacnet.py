"""BACnet/IP messages as ANSI/ASHRAE 135 encodes them: BVLC (Annex J), NPDU (clause 6)
and the APDUs of the services the scenarios use (clause 20 tags)."""

from __future__ import annotations

import struct

PORT = 47808

BVLC_UNICAST = 0x0A
BVLC_BROADCAST = 0x0B

ANALOG_INPUT, ANALOG_OUTPUT, ANALOG_VALUE, DEVICE, FILE = 0, 1, 2, 8, 10
PRESENT_VALUE, OBJECT_NAME, STATUS_FLAGS = 85, 77, 111

# Confirmed services
SUBSCRIBE_COV = 5
ATOMIC_READ_FILE = 6
DEVICE_COMMUNICATION_CONTROL = 17
REINITIALIZE_DEVICE = 20
READ_PROPERTY = 12
READ_PROPERTY_MULTIPLE = 14
WRITE_PROPERTY = 15
# Unconfirmed services
I_AM = 0
UNCONFIRMED_COV_NOTIFICATION = 2
WHO_IS = 8

ERROR_CLASS_OBJECT = 1
ERROR_UNKNOWN_OBJECT = 31


def object_id(object_type: int, instance: int) -> bytes:
    return ((object_type << 22) | instance).to_bytes(4, "big")


def _unsigned_bytes(value: int) -> bytes:
    return value.to_bytes(max(1, (value.bit_length() + 7) // 8), "big")


def context(tag: int, data: bytes) -> bytes:
    """A context-tagged value of up to four bytes."""
    return bytes(((tag << 4) | 0x08 | len(data),)) + data


def context_unsigned(tag: int, value: int) -> bytes:
    return context(tag, _unsigned_bytes(value))


def opening(tag: int) -> bytes:
    return bytes(((tag << 4) | 0x0E,))


def closing(tag: int) -> bytes:
    return bytes(((tag << 4) | 0x0F,))


def app_unsigned(value: int) -> bytes:
    data = _unsigned_bytes(value)
    return bytes((0x20 | len(data),)) + data


def app_enumerated(value: int) -> bytes:
    data = _unsigned_bytes(value)
    return bytes((0x90 | len(data),)) + data


def app_real(value: float) -> bytes:
    return b"\x44" + struct.pack("!f", value)


def app_object_id(object_type: int, instance: int) -> bytes:
    return b"\xc4" + object_id(object_type, instance)


def app_character_string(text: str) -> bytes:
    data = b"\x00" + text.encode()  # character set 0: UTF-8
    if len(data) < 5:
        return bytes((0x70 | len(data),)) + data
    return b"\x75" + bytes((len(data),)) + data


def frame(apdu: bytes, *, broadcast: bool = False, expecting_reply: bool = False) -> bytes:
    """BVLC and NPDU (local network, no routing) around ``apdu``."""
    npdu = bytes((0x01, 0x04 if expecting_reply else 0x00)) + apdu
    function = BVLC_BROADCAST if broadcast else BVLC_UNICAST
    return struct.pack("!BBH", 0x81, function, 4 + len(npdu)) + npdu


def confirmed(invoke_id: int, service: int, parameters: bytes) -> bytes:
    # 0x05: up to 1,476 octets accepted; unsegmented
    return bytes((0x00, 0x05, invoke_id & 0xFF, service)) + parameters


def unconfirmed(service: int, parameters: bytes) -> bytes:
    return bytes((0x10, service)) + parameters


def simple_ack(invoke_id: int, service: int) -> bytes:
    return bytes((0x20, invoke_id & 0xFF, service))


def complex_ack(invoke_id: int, service: int, parameters: bytes) -> bytes:
    return bytes((0x30, invoke_id & 0xFF, service)) + parameters


def error(invoke_id: int, service: int, error_class: int, code: int) -> bytes:
    return bytes((0x50, invoke_id & 0xFF, service)) + app_enumerated(error_class) + \
        app_enumerated(code)


def who_is() -> bytes:
    return unconfirmed(WHO_IS, b"")


def i_am(instance: int, vendor_id: int) -> bytes:
    return unconfirmed(I_AM, app_object_id(DEVICE, instance) + app_unsigned(1476)
                       + app_enumerated(3) + app_unsigned(vendor_id))


def read_property(object_type: int, instance: int, prop: int) -> bytes:
    return context(0, object_id(object_type, instance)) + context_unsigned(1, prop)


def read_property_ack(object_type: int, instance: int, prop: int, value: bytes) -> bytes:
    return read_property(object_type, instance, prop) + opening(3) + value + closing(3)


def read_property_multiple(objects: list[tuple[int, int]]) -> bytes:
    """Present value of each (type, instance)."""
    return b"".join(context(0, object_id(t, i)) + opening(1) + context_unsigned(0, PRESENT_VALUE)
                    + closing(1) for t, i in objects)


def read_property_multiple_ack(results: list[tuple[int, int, float]]) -> bytes:
    return b"".join(context(0, object_id(t, i)) + opening(1) + context_unsigned(2, PRESENT_VALUE)
                    + opening(4) + app_real(v) + closing(4) + closing(1) for t, i, v in results)


def write_property(object_type: int, instance: int, value: float, priority: int) -> bytes:
    return read_property_ack(object_type, instance, PRESENT_VALUE, app_real(value)) + \
        context_unsigned(4, priority)


def subscribe_cov(process_id: int, object_type: int, instance: int, lifetime: int) -> bytes:
    return (context_unsigned(0, process_id) + context(1, object_id(object_type, instance))
            + context_unsigned(2, 0) + context_unsigned(3, lifetime))


def cov_notification(process_id: int, device: int, object_type: int, instance: int,
                     remaining: int, value: float) -> bytes:
    values = (context_unsigned(0, PRESENT_VALUE) + opening(2) + app_real(value) + closing(2)
              + context_unsigned(0, STATUS_FLAGS) + opening(2) + b"\x82\x04\x00" + closing(2))
    return (context_unsigned(0, process_id) + context(1, object_id(DEVICE, device))
            + context(2, object_id(object_type, instance)) + context_unsigned(3, remaining)
            + opening(4) + values + closing(4))


def reinitialize_device(state: int, password: str) -> bytes:
    """State 0 coldstart, 1 warmstart."""
    return context_unsigned(0, state) + b"\x1d" + bytes((len(password) + 1,)) + b"\x00" + \
        password.encode()


def device_communication_control(minutes: int, disable: bool) -> bytes:
    return context_unsigned(0, minutes) + context_unsigned(1, 1 if disable else 0)


def atomic_read_file(instance: int, start: int, count: int) -> bytes:
    return app_object_id(FILE, instance) + opening(0) + \
        b"\x31" + _signed(start) + app_unsigned(count) + closing(0)


def _signed(value: int) -> bytes:
    """The data of a one-byte application-tagged signed integer (values below 128)."""
    return value.to_bytes(1, "big", signed=True)
