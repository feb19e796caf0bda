"""Modbus/TCP: the MBAP header and the PDU of every public function code, requests and
responses, exceptions (Modbus Application Protocol Specification v1.1b3; Modbus
Messaging on TCP/IP Implementation Guide v1.0b).

Hand-written with ``struct``: pymodbus decodes a PDU into its request/response objects
only inside its own framer and client/server state (and is kept for the simulators);
dpkt has no Modbus. A PDU whose fields disagree with its length is a MalformedKind, never
an exception.
"""

from __future__ import annotations

import struct
from collections.abc import Callable

from cpstrust.formats.modbus_reads import (
    read_bits_response,
    read_registers_response,
    read_request,
)
from cpstrust.model.ot import MalformedKind, ModbusDetail, ModbusFunction

MBAP_BYTES = 7
MAX_MBAP_LENGTH = 254  # unit id + the largest PDU (253 bytes)
EXCEPTION_BIT = 0x80
MEI_READ_DEVICE_ID = 14
PUBLIC_FUNCTIONS = frozenset(int(f) for f in ModbusFunction)

# function (exception bit cleared), exception code, address, quantity, values, detail
Decoded = tuple[int, int | None, int | None, int | None, tuple[int, ...], ModbusDetail | None]

_mbap = struct.Struct("!HHHB").unpack_from
_pair = struct.Struct("!HH").unpack_from
_u16 = struct.Struct("!H").unpack_from


def read_mbap(data: bytes, at: int) -> tuple[int, int, int, int] | MalformedKind | None:
    """The ADU starting at ``at``: transaction id, unit id, PDU start and ADU end; None
    when ``data`` does not hold it whole yet; MODBUS_BAD_MBAP for a header that is not
    Modbus (protocol id other than 0, length outside 2..254)."""
    if len(data) - at < MBAP_BYTES:
        return None
    transaction, protocol, length, unit = _mbap(data, at)
    if protocol != 0 or length < 2 or length > MAX_MBAP_LENGTH:
        return MalformedKind.MODBUS_BAD_MBAP
    end = at + 6 + length
    if end > len(data):
        return None
    return transaction, unit, at + MBAP_BYTES, end


# one compiled struct per register count (a PDU holds at most 127): no format string
# built and looked up per message
_REGISTERS = tuple(struct.Struct(f"!{count}H").unpack_from for count in range(128))


def _registers(data: bytes, at: int, count: int) -> tuple[int, ...]:
    if count < 128:
        return _REGISTERS[count](data, at)
    return struct.unpack_from(f"!{count}H", data, at)


def _bits(data: bytes, at: int, count: int) -> tuple[int, ...]:
    """Coils as 0/1, least significant bit of the first byte first."""
    return tuple((data[at + i // 8] >> (i % 8)) & 1 for i in range(count))


def _bad() -> MalformedKind:
    return MalformedKind.MODBUS_BAD_PDU


def _plain(fc: int) -> Decoded:
    return fc, None, None, None, (), None


# Requests ---------------------------------------------------------------------------

def _write_single(pdu: bytes) -> Decoded | MalformedKind:
    """5 and 6, request and echoed response alike. A coil's ON is 0xFF00: given as 1,
    OFF as 0, any other word (which a server refuses) as it is."""
    if len(pdu) != 5:
        return _bad()
    address, value = _pair(pdu, 1)
    if pdu[0] == ModbusFunction.WRITE_SINGLE_COIL:
        value = {0xFF00: 1, 0: 0}.get(value, value)
    return pdu[0], None, address, 1, (value,), None


def _empty_request(pdu: bytes) -> Decoded | MalformedKind:
    return _plain(pdu[0]) if len(pdu) == 1 else _bad()


def _diagnostics(pdu: bytes) -> Decoded | MalformedKind:
    """8, request and echoed response alike: the sub-function and its data."""
    if len(pdu) < 3:
        return _bad()
    detail = ModbusDetail(sub_function=_u16(pdu, 1)[0], data=pdu[3:])
    return pdu[0], None, None, None, (), detail


def _write_multiple_coils(pdu: bytes) -> Decoded | MalformedKind:
    if len(pdu) < 6:
        return _bad()
    address, quantity = _pair(pdu, 1)
    count = pdu[5]
    if count != len(pdu) - 6 or count != (quantity + 7) // 8:
        return _bad()
    return pdu[0], None, address, quantity, _bits(pdu, 6, quantity), None


def _write_multiple_registers(pdu: bytes) -> Decoded | MalformedKind:
    if len(pdu) < 6:
        return _bad()
    address, quantity = _pair(pdu, 1)
    count = pdu[5]
    if count != len(pdu) - 6 or count != 2 * quantity:
        return _bad()
    return pdu[0], None, address, quantity, _registers(pdu, 6, quantity), None


def _read_file_record(pdu: bytes) -> Decoded | MalformedKind:
    if len(pdu) < 2 or pdu[1] != len(pdu) - 2 or pdu[1] % 7:
        return _bad()
    records = tuple(struct.unpack_from("!HHH", pdu, at + 1) for at in range(2, len(pdu), 7))
    return pdu[0], None, None, None, (), ModbusDetail(file_records=records)


def _write_file_record(pdu: bytes) -> Decoded | MalformedKind:
    """21, request and echoed response alike: sub-requests of reference type, file,
    record, length and that many registers."""
    if len(pdu) < 2 or pdu[1] != len(pdu) - 2:
        return _bad()
    at = 2
    records: list[tuple[int, int, int]] = []
    values: list[int] = []
    while at < len(pdu):
        if at + 7 > len(pdu):
            return _bad()
        file, record, length = struct.unpack_from("!HHH", pdu, at + 1)
        if at + 7 + 2 * length > len(pdu):
            return _bad()
        records.append((file, record, length))
        values.extend(_registers(pdu, at + 7, length))
        at += 7 + 2 * length
    return pdu[0], None, None, None, tuple(values), ModbusDetail(file_records=tuple(records))


def _mask_write(pdu: bytes) -> Decoded | MalformedKind:
    """22, request and echoed response alike."""
    if len(pdu) != 7:
        return _bad()
    address, and_mask, or_mask = struct.unpack_from("!HHH", pdu, 1)
    return pdu[0], None, address, 1, (), ModbusDetail(and_mask=and_mask, or_mask=or_mask)


def _read_write_request(pdu: bytes) -> Decoded | MalformedKind:
    if len(pdu) < 10:
        return _bad()
    read_address, read_quantity, write_address, write_quantity = struct.unpack_from(
        "!HHHH", pdu, 1)
    count = pdu[9]
    if count != len(pdu) - 10 or count != 2 * write_quantity:
        return _bad()
    written = _registers(pdu, 10, write_quantity)
    detail = ModbusDetail(write_address=write_address, write_quantity=write_quantity,
                          write_values=written)
    return pdu[0], None, read_address, read_quantity, (), detail


def _fifo_request(pdu: bytes) -> Decoded | MalformedKind:
    if len(pdu) != 3:
        return _bad()
    return pdu[0], None, _u16(pdu, 1)[0], None, (), None


def _encapsulated_request(pdu: bytes) -> Decoded | MalformedKind:
    if len(pdu) < 2:
        return _bad()
    if pdu[1] == MEI_READ_DEVICE_ID:
        if len(pdu) != 4:
            return _bad()
        detail = ModbusDetail(sub_function=MEI_READ_DEVICE_ID, status=pdu[2],
                              data=pdu[3:4])
        return pdu[0], None, None, None, (), detail
    return pdu[0], None, None, None, (), ModbusDetail(sub_function=pdu[1], data=pdu[2:])


_REQUESTS: dict[int, Callable[[bytes], Decoded | MalformedKind]] = {
    # reads are compiled (modbus_reads.pyx): the decoder takes them in C
    1: read_request, 2: read_request, 3: read_request, 4: read_request,
    5: _write_single, 6: _write_single, 7: _empty_request, 8: _diagnostics,
    11: _empty_request, 12: _empty_request, 15: _write_multiple_coils,
    16: _write_multiple_registers, 17: _empty_request, 20: _read_file_record,
    21: _write_file_record, 22: _mask_write, 23: _read_write_request, 24: _fifo_request,
    43: _encapsulated_request,
}


# Responses --------------------------------------------------------------------------

def _written_range(pdu: bytes, quantity: int | None) -> Decoded | MalformedKind:
    if len(pdu) != 5:
        return _bad()
    address, written = _pair(pdu, 1)
    return pdu[0], None, address, written, (), None


def _exception_status(pdu: bytes, quantity: int | None) -> Decoded | MalformedKind:
    if len(pdu) != 2:
        return _bad()
    return pdu[0], None, None, None, (), ModbusDetail(status=pdu[1])


def _event_counter(pdu: bytes, quantity: int | None) -> Decoded | MalformedKind:
    if len(pdu) != 5:
        return _bad()
    status, count = _pair(pdu, 1)
    return pdu[0], None, None, None, (), ModbusDetail(status=status, event_count=count)


def _event_log(pdu: bytes, quantity: int | None) -> Decoded | MalformedKind:
    if len(pdu) < 8 or pdu[1] != len(pdu) - 2:
        return _bad()
    status, events, _messages = struct.unpack_from("!HHH", pdu, 2)
    return pdu[0], None, None, None, (), ModbusDetail(status=status, event_count=events,
                                                      data=pdu[8:])


def _server_id(pdu: bytes, quantity: int | None) -> Decoded | MalformedKind:
    if len(pdu) < 2 or pdu[1] != len(pdu) - 2:
        return _bad()
    return pdu[0], None, None, None, (), ModbusDetail(data=pdu[2:])


def _file_record_response(pdu: bytes, quantity: int | None) -> Decoded | MalformedKind:
    if len(pdu) < 2 or pdu[1] != len(pdu) - 2:
        return _bad()
    at = 2
    values: list[int] = []
    while at < len(pdu):
        length = pdu[at]  # the reference type byte and the registers
        if length < 1 or length % 2 == 0 or at + 1 + length > len(pdu):
            return _bad()
        values.extend(_registers(pdu, at + 2, (length - 1) // 2))
        at += 1 + length
    return pdu[0], None, None, None, tuple(values), None


def _fifo_response(pdu: bytes, quantity: int | None) -> Decoded | MalformedKind:
    if len(pdu) < 5:
        return _bad()
    count, fifo = _pair(pdu, 1)
    if count != len(pdu) - 3 or count != 2 + 2 * fifo:
        return _bad()
    return pdu[0], None, None, fifo, _registers(pdu, 5, fifo), None


def _device_id_response(pdu: bytes, quantity: int | None) -> Decoded | MalformedKind:
    if len(pdu) < 2:
        return _bad()
    if pdu[1] != MEI_READ_DEVICE_ID:
        return pdu[0], None, None, None, (), ModbusDetail(sub_function=pdu[1], data=pdu[2:])
    if len(pdu) < 7:
        return _bad()
    at, objects = 7, []
    for _ in range(pdu[6]):
        if at + 2 > len(pdu) or at + 2 + pdu[at + 1] > len(pdu):
            return _bad()
        value = pdu[at + 2:at + 2 + pdu[at + 1]].decode("latin-1")
        objects.append((pdu[at], value))
        at += 2 + pdu[at + 1]
    if at != len(pdu):
        return _bad()
    detail = ModbusDetail(sub_function=MEI_READ_DEVICE_ID, status=pdu[2],
                          objects=tuple(objects), data=pdu[3:6])
    return pdu[0], None, None, None, (), detail


def _echo(decode: Callable[[bytes], Decoded | MalformedKind],
          ) -> Callable[[bytes, int | None], Decoded | MalformedKind]:
    return lambda pdu, _quantity: decode(pdu)


_RESPONSES: dict[int, Callable[[bytes, int | None], Decoded | MalformedKind]] = {
    1: read_bits_response, 2: read_bits_response, 3: read_registers_response,
    4: read_registers_response, 5: _echo(_write_single), 6: _echo(_write_single),
    7: _exception_status, 8: _echo(_diagnostics), 11: _event_counter, 12: _event_log,
    15: _written_range, 16: _written_range, 17: _server_id, 20: _file_record_response,
    21: _echo(_write_file_record), 22: _echo(_mask_write), 23: read_registers_response,
    24: _fifo_response, 43: _device_id_response,
}


def _other(pdu: bytes) -> Decoded:
    """A function code no public decoder knows (user-defined 65-72, 100-110, or
    unassigned): its bytes kept for whoever looks."""
    return pdu[0], None, None, None, (), ModbusDetail(data=pdu[1:])


def decode_request(pdu: bytes) -> Decoded | MalformedKind:
    """A request PDU (function code first)."""
    decode = _REQUESTS.get(pdu[0])
    return _other(pdu) if decode is None else decode(pdu)


def decode_response(pdu: bytes, request_quantity: int | None) -> Decoded | MalformedKind:
    """A response PDU; ``request_quantity`` (from its request, when seen) says how many
    coils a read's padded bytes hold."""
    fc = pdu[0]
    if fc & EXCEPTION_BIT:
        if len(pdu) != 2:
            return _bad()
        return fc & 0x7F, pdu[1], None, None, (), None
    decode = _RESPONSES.get(fc)
    return _other(pdu) if decode is None else decode(pdu, request_quantity)
