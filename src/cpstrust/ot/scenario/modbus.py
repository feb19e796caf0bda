"""Modbus/TCP application data units as the Modbus Application Protocol Specification
V1.1b3 lays them out: the MBAP header (transaction id, protocol 0, length, unit id) and
the PDU of each function code the scenarios use."""

from __future__ import annotations

import struct

PORT = 502

READ_COILS = 1
READ_DISCRETE_INPUTS = 2
READ_HOLDING_REGISTERS = 3
READ_INPUT_REGISTERS = 4
WRITE_SINGLE_COIL = 5
WRITE_SINGLE_REGISTER = 6
DIAGNOSTICS = 8
WRITE_MULTIPLE_COILS = 15
WRITE_MULTIPLE_REGISTERS = 16
REPORT_SERVER_ID = 17
ENCAPSULATED_INTERFACE = 43  # MEI type 14: Read Device Identification

DIAG_RETURN_QUERY_DATA = 0x0000
DIAG_RESTART_COMMUNICATIONS = 0x0001
DIAG_FORCE_LISTEN_ONLY = 0x0004
DIAG_CLEAR_COUNTERS = 0x000A

EXCEPTION_ILLEGAL_FUNCTION = 0x01
EXCEPTION_ILLEGAL_DATA_ADDRESS = 0x02
EXCEPTION_GATEWAY_TARGET_FAILED = 0x0B

_MBAP = struct.Struct("!HHHB")


def adu(transaction: int, unit: int, pdu: bytes) -> bytes:
    """The MBAP header before ``pdu``: its length counts the unit id and the PDU."""
    return _MBAP.pack(transaction & 0xFFFF, 0, len(pdu) + 1, unit) + pdu


def read_request(function: int, address: int, count: int) -> bytes:
    return struct.pack("!BHH", function, address, count)


def read_registers_response(function: int, values: list[int]) -> bytes:
    return struct.pack(f"!BB{len(values)}H", function, 2 * len(values), *values)


def read_bits_response(function: int, bits: list[int]) -> bytes:
    packed = bytearray((len(bits) + 7) // 8)
    for i, bit in enumerate(bits):
        if bit:
            packed[i // 8] |= 1 << (i % 8)
    return bytes((function, len(packed))) + bytes(packed)


def write_single_register(address: int, value: int) -> bytes:
    """Request and response are the same five bytes."""
    return struct.pack("!BHH", WRITE_SINGLE_REGISTER, address, value)


def write_single_coil(address: int, on: bool) -> bytes:
    return struct.pack("!BHH", WRITE_SINGLE_COIL, address, 0xFF00 if on else 0)


def write_multiple_registers(address: int, values: list[int]) -> bytes:
    return struct.pack(f"!BHHB{len(values)}H", WRITE_MULTIPLE_REGISTERS, address,
                       len(values), 2 * len(values), *values)


def write_multiple_response(function: int, address: int, count: int) -> bytes:
    return struct.pack("!BHH", function, address, count)


def diagnostics(subfunction: int, data: int = 0) -> bytes:
    """Request, and the echo a server answers (force listen-only gets no answer)."""
    return struct.pack("!BHH", DIAGNOSTICS, subfunction, data)


def report_server_id_request() -> bytes:
    return bytes((REPORT_SERVER_ID,))


def report_server_id_response(server_id: bytes) -> bytes:
    data = server_id + b"\xff"  # run indicator: on
    return bytes((REPORT_SERVER_ID, len(data))) + data


def device_identification_request(object_id: int = 0) -> bytes:
    """Read Device Identification, basic stream (code 1) from ``object_id``."""
    return bytes((ENCAPSULATED_INTERFACE, 14, 1, object_id))


def device_identification_response(objects: list[bytes]) -> bytes:
    body = bytearray((ENCAPSULATED_INTERFACE, 14, 1, 0x81, 0, 0, len(objects)))
    for number, value in enumerate(objects):
        body += bytes((number, len(value))) + value
    return bytes(body)


def exception(function: int, code: int) -> bytes:
    return bytes((function | 0x80, code))
