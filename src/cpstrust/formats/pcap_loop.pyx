# cython: language_level=3, boundscheck=False, wraparound=False
"""The record loop of a pcap file (``pcap.CaptureReader``'s, for classic pcap), compiled
with Cython (ADR 0033): each record header read as C integers from the buffer, one
tuple per record. ``pcap_loop.pyi`` types it for mypy."""

from cpython.bytes cimport PyBytes_AS_STRING, PyBytes_FromStringAndSize, PyBytes_GET_SIZE
from cpython.object cimport PyObject
from cpython.ref cimport Py_DECREF, Py_INCREF, Py_REFCNT
from cpython.tuple cimport PyTuple_GET_ITEM, PyTuple_SET_ITEM

from cpstrust.model.ot import MalformedKind


cdef inline unsigned int _u32(const unsigned char* p, bint little) noexcept:
    if little:
        return p[0] | (p[1] << 8) | (p[2] << 16) | (<unsigned int>p[3] << 24)
    return (<unsigned int>p[0] << 24) | (p[1] << 16) | (p[2] << 8) | p[3]


cdef inline void _replace(tuple record, Py_ssize_t at, object value):
    cdef PyObject* old = PyTuple_GET_ITEM(record, at)
    Py_INCREF(value)  # PyTuple_SET_ITEM takes the reference, and drops none
    PyTuple_SET_ITEM(record, at, value)
    Py_DECREF(<object>old)


def pcap_records(reader, chunks, str order, double scale, Py_ssize_t max_len):
    """Every record of a pcap file whose byte order (``<`` or ``>``) and timestamp unit
    its magic number gave: timestamp, link type, bytes, wire length. The file header is
    read (``reader._pcap_header``) when the first record is asked for. A record past
    ``max_len`` or cut by the end of the file stops the loop and is told to
    ``reader._stop``; the counts go to ``reader._records`` and ``_bytes``.

    A record tuple the caller has let go (as a decoder does, once it has taken the
    fields apart) is filled again for the next record rather than made anew, as
    CPython's zip and enumerate do; one still held elsewhere is left alone."""
    link_type = reader._pcap_header(order)
    cdef bint little = order == "<"
    cdef tuple record = None
    cdef bytes buf = chunks.buf
    cdef Py_ssize_t pos = chunks.pos
    cdef Py_ssize_t size = PyBytes_GET_SIZE(buf)
    cdef Py_ssize_t end
    cdef const unsigned char* p
    cdef unsigned int seconds, fraction, caplen
    cdef long long records = reader._records
    cdef long long total = 0
    try:
        while True:
            if pos + 16 > size:
                chunks.pos = pos
                more = chunks.ensure(16)
                buf, pos = chunks.buf, chunks.pos
                size = PyBytes_GET_SIZE(buf)
                if not more:
                    if size > pos:
                        reader._stop(chunks.offset, MalformedKind.PCAP_TRUNCATED_RECORD)
                    return
            p = <const unsigned char*>PyBytes_AS_STRING(buf) + pos
            caplen = _u32(p + 8, little)
            if caplen > max_len:
                chunks.pos = pos
                reader._stop(chunks.offset, MalformedKind.PCAP_CORRUPT_RECORD)
                return
            end = pos + 16 + caplen
            if end > size:
                chunks.pos = pos
                more = chunks.ensure(16 + caplen)
                buf, pos = chunks.buf, chunks.pos
                size = PyBytes_GET_SIZE(buf)
                if not more:
                    reader._stop(chunks.offset, MalformedKind.PCAP_TRUNCATED_RECORD)
                    return
                p = <const unsigned char*>PyBytes_AS_STRING(buf) + pos
                end = pos + 16 + caplen
            seconds = _u32(p, little)
            fraction = _u32(p + 4, little)
            records += 1
            total += caplen
            # the bytes copied from the pointer: a slice of buf costs six times as much
            ts = seconds + fraction * scale
            frame = PyBytes_FromStringAndSize(<const char*>p + 16, caplen)
            wire_length = _u32(p + 12, little)
            if record is not None and Py_REFCNT(record) == 1:
                _replace(record, 0, ts)
                _replace(record, 2, frame)
                _replace(record, 3, wire_length)
            else:
                record = (ts, link_type, frame, wire_length)
            yield record
            pos = end
    finally:
        chunks.pos = pos
        reader._records = records
        reader._bytes += total
