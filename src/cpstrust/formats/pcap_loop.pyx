# cython: language_level=3, boundscheck=False, wraparound=False
"""The record loop of a pcap file (``pcap.CaptureReader``'s, for classic pcap), compiled
with Cython (ADR 0033): each record header read as C integers from the buffer, one
tuple per record. ``pcap_loop.pyi`` types it for mypy."""

from cpython.bytes cimport PyBytes_AS_STRING, PyBytes_FromStringAndSize, PyBytes_GET_SIZE

from cpstrust.model.ot import MalformedKind


cdef inline unsigned int _u32(const unsigned char* p, bint little) noexcept:
    if little:
        return p[0] | (p[1] << 8) | (p[2] << 16) | (<unsigned int>p[3] << 24)
    return (<unsigned int>p[0] << 24) | (p[1] << 16) | (p[2] << 8) | p[3]


def pcap_records(reader, chunks, link_type, bint little, double scale,
                 Py_ssize_t max_len):
    """Every record from the chunks' position on: timestamp, link type, bytes, wire
    length. A record past ``max_len`` or cut by the end of the file stops the loop and
    is told to ``reader._stop``; the counts go to ``reader._records`` and ``_bytes``."""
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
            yield (seconds + fraction * scale, link_type,
                   PyBytes_FromStringAndSize(<const char*>p + 16, caplen),
                   _u32(p + 12, little))
            pos = end
    finally:
        chunks.pos = pos
        reader._records = records
        reader._bytes += total
