# cython: language_level=3, boundscheck=False, wraparound=False
"""Modbus reads (functions 1-4 and 23: coils, discrete inputs, holding and input
registers), the requests and their answers, decoded from the bytes as C integers.

A poll is nearly all reads, and the answers' values change from one poll to the next,
so a decoder's cache of PDUs misses them; decoded in Python they cost as much as the
rest of a message (ADR 0033). One implementation for both callers: ``formats.modbus``
takes the ``def`` entry points, the compiled decoder cimports the C ones
(``modbus_reads.pxd``, the PDU where it lies in the captured frame).
``modbus_reads.pyi`` types it for mypy.
"""

from cpython.bytes cimport PyBytes_AS_STRING, PyBytes_GET_SIZE
from cpython.long cimport PyLong_FromLong
from cpython.ref cimport Py_INCREF
from cpython.tuple cimport PyTuple_New, PyTuple_SET_ITEM

from cpstrust.model.ot import MalformedKind

_BAD_PDU = MalformedKind.MODBUS_BAD_PDU


cdef object read_request_at(const unsigned char* pdu, Py_ssize_t size):
    """1-4: the address and the quantity to read."""
    if size != 5:
        return _BAD_PDU
    return pdu[0], None, (pdu[1] << 8) | pdu[2], (pdu[3] << 8) | pdu[4], (), None


cdef object registers_response_at(const unsigned char* pdu, Py_ssize_t size):
    """3, 4 and 23: a byte count, then that many bytes of 16-bit registers."""
    if size < 2 or pdu[1] != size - 2 or pdu[1] % 2:
        return _BAD_PDU
    cdef Py_ssize_t count = pdu[1] // 2, i
    values = PyTuple_New(count)
    for i in range(count):
        value = PyLong_FromLong((pdu[2 + 2 * i] << 8) | pdu[3 + 2 * i])
        Py_INCREF(value)  # PyTuple_SET_ITEM takes the reference
        PyTuple_SET_ITEM(values, i, value)
    return pdu[0], None, None, count, values, None


cdef object bits_response_at(const unsigned char* pdu, Py_ssize_t size, object quantity):
    """1 and 2: a byte count, then the coils as bits, least significant of the first byte
    first. The last byte is padded: the request's ``quantity`` (when it was seen and
    fits the byte count) says how many bits are coils, else every bit counts."""
    if size < 2 or pdu[1] != size - 2:
        return _BAD_PDU
    count = quantity if quantity and (quantity + 7) // 8 == pdu[1] else pdu[1] * 8
    cdef Py_ssize_t bits = count, i
    values = PyTuple_New(bits)
    for i in range(bits):
        value = (pdu[2 + i // 8] >> (i % 8)) & 1
        Py_INCREF(value)
        PyTuple_SET_ITEM(values, i, value)
    return pdu[0], None, None, count, values, None


def read_request(bytes pdu):
    """A read request (1-4)."""
    return read_request_at(<const unsigned char*>PyBytes_AS_STRING(pdu), PyBytes_GET_SIZE(pdu))


def read_registers_response(bytes pdu, quantity):
    """A read registers answer (3, 4, 23); ``quantity`` is not needed: the byte count
    says it."""
    return registers_response_at(<const unsigned char*>PyBytes_AS_STRING(pdu),
                            PyBytes_GET_SIZE(pdu))


def read_bits_response(bytes pdu, quantity):
    """A read coils or discrete inputs answer (1, 2)."""
    return bits_response_at(<const unsigned char*>PyBytes_AS_STRING(pdu), PyBytes_GET_SIZE(pdu),
                       quantity)
