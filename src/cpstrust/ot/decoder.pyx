# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False
"""Decoding a stream of captured records into OT messages and flows, in bounded memory:
the hot path every later stage (inventory, baseline, detection) reads from.

Each frame is dissected once; every IP packet counts to its flow, in a table of bounded
size from which the least recently seen flows are evicted when it is full (so that a new
flow is still seen on a long capture); ARP requests and replies are records of their
own, given to ``arp_sink``; TCP port 502 is reassembled per direction and framed into
Modbus ADUs, each request paired with its response by connection, transaction id and
unit id; UDP 47808-47823 is BACnet/IP. What cannot be decoded is counted by class.

Compiled with Cython (ADR 0033): the per-packet loop reads the headers of an untagged
Ethernet/IPv4 TCP or UDP frame (nearly every frame) straight from its bytes with C
integers, finds a flow seen lately by those integers (no key tuple built or hashed),
and frames, pairs and decodes a whole in-order Modbus ADU where it lies in the frame,
without a Python call for a read or its answer; any other frame goes to
``formats.ip_packet.dissect``, which handles every link type, VLAN tags, IPv6 and each
malformed header. ``decoder.pyi`` types it for mypy.
"""

from cpython.bytes cimport PyBytes_AS_STRING, PyBytes_FromStringAndSize, PyBytes_GET_SIZE
from cpython.dict cimport PyDict_GetItem
from cpython.object cimport PyObject
from cpython.ref cimport Py_INCREF
from cpython.tuple cimport PyTuple_GET_ITEM, PyTuple_GET_SIZE, PyTuple_SET_ITEM
from cpython.type cimport PyType_GenericAlloc
from libc.string cimport memcpy

from cpstrust.formats.modbus_reads cimport (
    bits_response_at,
    read_request_at,
    registers_response_at,
)

import heapq
import socket

from cpstrust.formats import bacnet, modbus
from cpstrust.formats.ip_packet import LINK_ETHERNET, arp, dissect
from cpstrust.limits import DEFAULT_CAPTURE_LIMITS
from cpstrust.model.ot import (
    ArpMessage,
    BacnetMessage,
    MalformedKind,
    ModbusMessage,
    StreamEvent,
)
from cpstrust.ot.tcp import TcpDirection

BACNET_LOW, BACNET_HIGH = 47808, 47823  # 0xBAC0-0xBACF
MAX_REMEMBERED_PDUS = 4096
EVICT_SHARE = 10  # a full flow table sheds this share (1/n) of its flows at once
cdef enum:
    _TCP = 6
    _UDP = 17
    _FIN = 0x01
    _SYN = 0x02
    _RST = 0x04
    _STREAM_FLAGS = 0x07  # what changes a stream without payload: SYN, FIN, RST
    _MODBUS = 502
    _BACNET_LOW = 47808
    _BACNET_HIGH = 47823
    _ADDRESS_SLOTS = 1024
    _FLOW_SLOTS = 1024  # a power of two: the flow cache's slot is a hash's top bits
    _FLOW_SLOT_BITS = 10
MODBUS_PORT = _MODBUS
cdef int _LINK_ETHERNET = LINK_ETHERNET
# The types the rest of the package names (decoder.pyi declares them for mypy too)
OtMessage = ModbusMessage | BacnetMessage
Record = tuple[float, int, bytes, int]
FlowKey = tuple[bytes, bytes, int, int, int]
_modbus_type = ModbusMessage
_bacnet_type = BacnetMessage
# the public function codes as a C table, read by code (a PDU's first byte)
cdef bint _PUBLIC_FUNCTIONS[256]
for _code in modbus.PUBLIC_FUNCTIONS:
    _PUBLIC_FUNCTIONS[_code] = True


cdef inline unsigned int _u16(const unsigned char* p, Py_ssize_t at) noexcept:
    return (p[at] << 8) | p[at + 1]


cdef inline unsigned int _u32(const unsigned char* p, Py_ssize_t at) noexcept:
    return (<unsigned int>p[at] << 24) | (p[at + 1] << 16) | (p[at + 2] << 8) | p[at + 3]


cdef inline void _put(object items, Py_ssize_t at, object value) noexcept:
    Py_INCREF(value)  # PyTuple_SET_ITEM takes the reference
    PyTuple_SET_ITEM(items, at, value)


cdef class _ModbusDirection:
    """One direction of a Modbus/TCP connection: its reassembly, and what every message
    on it repeats (addresses as text, ports, request or response, the pairing key's
    connection part), worked out once when it opens rather than per message.

    While its segments come in order (nearly always), the position in the stream is
    kept here as a C integer and the TcpDirection is not called: ``in_order`` says that
    ``next_seq`` is the position and that the TcpDirection holds no segment. Any other
    segment goes to the TcpDirection, told the position first."""

    cdef object tcp
    cdef tuple key  # its flow key, under which the decoder's streams table holds it
    cdef bint open  # still in that table (a flow's cache entry may outlive it)
    cdef bint in_order
    cdef unsigned int next_seq
    cdef bytes partial  # the start of an ADU whose end has not come yet
    cdef str src, dst
    cdef object sport, dport
    cdef bint response
    # the connection as bytes, the same from either direction: the address length,
    # client, server, client port, server port (a request's pairing key with its
    # transaction and unit id appended: bytes hash and compare cheaper than a tuple)
    cdef bytes connection

    def __init__(self, tcp, tuple key, str src, str dst):
        source, destination, _protocol, sport, dport = key
        self.tcp = tcp
        self.key = key
        self.open = True
        self.in_order = False
        self.partial = b""
        self.src, self.dst, self.sport, self.dport = src, dst, sport, dport
        self.response = sport == _MODBUS and dport != _MODBUS
        if self.response:
            source, destination, sport, dport = destination, source, dport, sport
        self.connection = (bytes((len(source),)) + source + destination
                           + sport.to_bytes(2, "big") + dport.to_bytes(2, "big"))

    cdef bytes pairing_key(self, unsigned int transaction, unsigned int unit):
        """What pairs a request with its response: connection, transaction id, unit id."""
        cdef Py_ssize_t size = PyBytes_GET_SIZE(self.connection)
        key = PyBytes_FromStringAndSize(NULL, size + 3)
        cdef char* out = PyBytes_AS_STRING(key)
        memcpy(out, PyBytes_AS_STRING(self.connection), size)
        out[size] = transaction >> 8
        out[size + 1] = transaction & 0xFF
        out[size + 2] = unit
        return key

    cdef tuple accept(self, bytes payload, unsigned int seq, bint syn):
        """The TcpDirection's ``accept``, for a segment the in-order path does not take."""
        tcp = self.tcp
        if self.in_order:
            tcp.next_seq = self.next_seq
        accepted = tcp.accept(seq, payload, syn)
        position = tcp.next_seq
        self.in_order = position is not None and not tcp.held
        if self.in_order:
            self.next_seq = position
        return accepted

    cdef void restart(self):
        self.tcp.restart()
        self.in_order = False
        self.partial = b""


cdef class _FlowEntry:
    """A flow seen lately, by its IPv4 header fields as C integers: the flow table's
    key and counters, and its Modbus direction, found without building the key tuple
    or hashing it (``OtDecoder._flow_slots``). Its packets are counted here as C
    integers and added to the counters list when the table is read (``dirty``), not
    boxed into it per packet."""

    cdef unsigned int src, dst
    cdef unsigned long long ports  # source port, destination port, IP protocol
    cdef tuple key
    cdef list counters
    cdef _ModbusDirection stream  # None until a Modbus segment of the flow needs it
    cdef long long packets, octets  # not yet in counters
    cdef object last  # the last packet's timestamp, not yet in counters
    cdef bint dirty  # in OtDecoder._dirty: counts not yet in counters

    cdef void add_to_counters(self):
        if not self.dirty:
            return
        counters = self.counters
        counters[0] += self.packets
        counters[1] += self.octets
        counters[3] = self.last
        self.packets = self.octets = 0
        self.last = None
        self.dirty = False


cdef inline Py_ssize_t _flow_slot(unsigned int src, unsigned int dst,
                                  unsigned long long ports) noexcept:
    cdef unsigned long long mixed = ((<unsigned long long>src << 32) | dst) ^ (
        ports * 0x9E3779B97F4A7C15ULL)
    return <Py_ssize_t>((mixed * 0xBF58476D1CE4E5B9ULL) >> (64 - _FLOW_SLOT_BITS))


cdef class OtDecoder:
    """Decodes one capture (or one live stream); ``messages`` once, then read the
    counters and tables."""

    cdef public object limits
    cdef public long long packets
    cdef public object first_ts, last_ts
    cdef dict _flows  # ``flows``: read through the property, which brings it up to date
    cdef public long long flows_evicted
    # when a list, the key of every flow opened is appended to it (detection drains it)
    cdef public object opened
    cdef public long long non_ip  # frames without IP (ARP, LLDP, ...)
    cdef public long long arp_messages
    cdef public object arp_sink  # given every ARP record
    cdef public dict malformed, stream_events
    cdef public long long modbus_messages, bacnet_messages, modbus_pairs
    cdef public long long modbus_unanswered, modbus_unpaired_responses
    cdef dict _streams, _requests, _names, _requests_seen, _responses
    cdef Py_ssize_t _max_pending
    # IPv4 addresses as bytes, by their value: one object for each host's packets, its
    # hash computed once (a slot holds the last address that hashed to it)
    cdef unsigned int _address_values[_ADDRESS_SLOTS]
    cdef list _addresses
    # _FlowEntry (or None) by _flow_slot: the last flow that hashed to each slot, its
    # counters the very list in ``flows`` (emptied when flows are evicted)
    cdef list _flow_slots
    cdef list _dirty  # the entries whose counts are not yet in their counters

    def __init__(self, limits=DEFAULT_CAPTURE_LIMITS):
        self.limits = limits
        self.packets = 0
        self.first_ts = None
        self.last_ts = None
        self._flows = {}
        self.flows_evicted = 0
        self.opened = None
        self.non_ip = 0
        self.arp_messages = 0
        self.arp_sink = None
        self.malformed = {}
        self.stream_events = {}
        self.modbus_messages = 0
        self.bacnet_messages = 0
        self.modbus_pairs = 0
        self.modbus_unanswered = 0
        self.modbus_unpaired_responses = 0
        self._streams = {}
        self._max_pending = limits.max_pending_requests
        # a request awaiting its response: when, function, address, quantity
        self._requests = {}
        self._names = {}
        # decoded PDUs by their bytes (and, for a response, its request's quantity)
        self._requests_seen = {}
        self._responses = {}
        self._addresses = [None] * _ADDRESS_SLOTS
        self._flow_slots = [None] * _FLOW_SLOTS
        self._dirty = []

    def count(self, kind):
        self.malformed[kind] = self.malformed.get(kind, 0) + 1

    @property
    def flows(self):
        """Every flow by its key: packets, bytes, first ts, last ts, source MAC (the
        first frame's)."""
        self._count_entries()
        return self._flows

    cdef void _count_entries(self):
        """Add the counts the flow cache's entries hold to the table's counters (an
        entry made way for another flow has given them already)."""
        cdef _FlowEntry entry
        if self._dirty:
            for entry in self._dirty:
                entry.add_to_counters()
            self._dirty.clear()

    @property
    def modbus_pending(self):
        """Requests still awaiting their response."""
        return len(self._requests)

    cpdef str ip_text(self, bytes address):
        """An address as text, remembered: a capture speaks of few hosts, often."""
        cdef PyObject* known = PyDict_GetItem(self._names, address)
        if known is not NULL:
            return <str>known
        if len(self._names) >= self.limits.max_assets:
            self._names.clear()
        family = socket.AF_INET if len(address) == 4 else socket.AF_INET6
        text = socket.inet_ntop(family, address)
        self._names[address] = text
        return text

    def messages(self, records):
        """Every Modbus and BACnet message of ``records``, in capture order."""
        cdef list slots = self._flow_slots
        cdef long long packets = 0
        cdef bytes frame
        cdef const unsigned char* p
        cdef Py_ssize_t size, start, end, udp_end, slot
        cdef int link_type, protocol, flags, sport, dport
        cdef unsigned int seq, src_value, dst_value
        cdef unsigned long long ports
        cdef bint cut
        cdef long long wire_length
        cdef list flow
        cdef _FlowEntry entry
        cdef _ModbusDirection direction
        ts = 0.0
        try:
            for ts, link_type, frame, wire_length in records:
                if not packets and self.first_ts is None:
                    self.first_ts = ts
                packets += 1
                size = PyBytes_GET_SIZE(frame)
                p = <const unsigned char*>PyBytes_AS_STRING(frame)
                protocol = 0
                # Untagged Ethernet, IPv4 without options, not a fragment, TCP or UDP with
                # whole headers: read here; anything else is dissect's.
                if size >= 54 and p[12] == 0x08 and p[13] == 0 and p[14] == 0x45 \
                        and not _u16(p, 20) & 0x3FFF and link_type == _LINK_ETHERNET:
                    end = 14 + _u16(p, 16)
                    if 34 <= end <= size:
                        if p[23] == _TCP:
                            start = 34 + (p[46] >> 4) * 4
                            if 54 <= start <= end:
                                protocol = _TCP
                                seq = _u32(p, 38)
                                flags = p[47]
                        elif p[23] == _UDP:
                            udp_end = 34 + _u16(p, 38)
                            if 42 <= udp_end <= end:
                                protocol = _UDP
                                start, end, seq, flags = 42, udp_end, 0, 0
                entry = None
                if protocol:
                    src_value, dst_value = _u32(p, 26), _u32(p, 30)
                    sport, dport, cut = _u16(p, 34), _u16(p, 36), False
                    ports = (<unsigned long long>sport << 24) | (dport << 8) | protocol
                    slot = _flow_slot(src_value, dst_value, ports)
                    found_entry = slots[slot]
                    if found_entry is not None:
                        entry = <_FlowEntry>found_entry
                        if entry.src != src_value or entry.dst != dst_value \
                                or entry.ports != ports:
                            entry = None
                    if entry is not None:  # a flow seen lately: counted without its key
                        key = entry.key
                        entry.packets += 1
                        entry.octets += wire_length
                        entry.last = ts
                        if not entry.dirty:
                            entry.dirty = True
                            self._dirty.append(entry)
                    else:
                        key = (self._ipv4(p + 26), self._ipv4(p + 30), protocol, sport,
                               dport)
                        flow = self._count_flow(ts, key, link_type, frame, wire_length)
                        if found_entry is not None:  # making way: its counts go first
                            (<_FlowEntry>found_entry).add_to_counters()
                        if len(self._dirty) > _FLOW_SLOTS:  # mostly entries that made way
                            self._count_entries()
                        entry = _FlowEntry.__new__(_FlowEntry)
                        entry.src, entry.dst, entry.ports = src_value, dst_value, ports
                        entry.key, entry.counters, entry.stream = key, flow, None
                        slots[slot] = entry
                else:
                    dissected = dissect(link_type, frame)
                    if type(dissected) is not tuple:
                        self._not_decoded(ts, link_type, frame, dissected)
                        continue
                    src, dst, protocol, sport, dport, start, end, seq, flags, cut = dissected
                    key = (src, dst, protocol, sport, dport)
                    self._count_entries()  # this flow's cache entry may hold counts
                    self._count_flow(ts, key, link_type, frame, wire_length)
                if protocol == _TCP:
                    if (sport == _MODBUS or dport == _MODBUS) and (
                            start < end or flags & _STREAM_FLAGS or cut):  # not a bare ACK
                        if entry is None:
                            direction = self._stream(key)
                        else:
                            if entry.stream is None or not entry.stream.open:
                                entry.stream = self._stream(key)
                            direction = entry.stream
                        found = self._modbus(ts, direction, frame, start, end, seq, flags,
                                             cut)
                        if found is None:
                            continue
                        if type(found) is list:
                            yield from found
                        else:
                            yield found
                elif protocol == _UDP and (_BACNET_LOW <= sport <= _BACNET_HIGH
                                           or _BACNET_LOW <= dport <= _BACNET_HIGH):
                    src, dst = key[0], key[1]
                    message = self._bacnet(ts, src, dst, sport, dport, frame[start:end], cut)
                    if message is not None:
                        yield message
        finally:
            self.packets += packets
            if packets:
                self.last_ts = ts

    cdef list _count_flow(self, ts, tuple key, int link_type, bytes frame, wire_length):
        """Count a packet to its flow in the table, the flow opened when new: its
        counters. The caller has seen to it that no cache entry holds counts of the
        flow (its counters' last timestamp is the latest)."""
        cdef list flow
        cdef dict flows = self._flows
        cdef PyObject* found = PyDict_GetItem(flows, key)
        if found is not NULL:
            flow = <list>found
            flow[0] += 1
            flow[1] += wire_length
            flow[3] = ts
            return flow
        if len(flows) >= self.limits.max_flows:
            self._evict_flows()
        mac = frame[6:12] if link_type == _LINK_ETHERNET else None
        flow = [1, wire_length, ts, ts, mac]
        flows[key] = flow
        if self.opened is not None:
            self.opened.append(key)
        return flow

    cdef inline bytes _ipv4(self, const unsigned char* p):
        cdef unsigned int value = ((<unsigned int>p[0] << 24) | (p[1] << 16) | (p[2] << 8)
                                   | p[3])
        cdef unsigned int slot = (value * 2654435761u) >> 22  # Fibonacci hashing, 10 bits
        cdef object known = self._addresses[slot]
        if known is not None and self._address_values[slot] == value:
            return <bytes>known
        address = PyBytes_FromStringAndSize(<const char*>p, 4)
        self._addresses[slot] = address
        self._address_values[slot] = value
        return address

    cdef _not_decoded(self, ts, link_type, bytes frame, reason):
        if reason is not None:
            self.count(reason)
            return
        self.non_ip += 1
        found = arp(link_type, frame)
        if found is None:
            return
        if isinstance(found, MalformedKind):  # rare: not the hot path
            self.count(found)
            return
        operation, sender_mac, sender_ip, target_mac, target_ip = found
        self.arp_messages += 1
        if self.arp_sink is not None:
            self.arp_sink(ArpMessage(ts, operation, sender_mac.hex(":"),
                                     self.ip_text(sender_ip), target_mac.hex(":"),
                                     self.ip_text(target_ip)))

    cdef _evict_flows(self):
        """Make room in a full flow table: the least recently seen share of the flows
        goes (counted), so that new flows are still seen. Each eviction frees many
        slots, so its cost is spread over the flows that fill them again."""
        self._count_entries()  # the last timestamps in the counters say which go
        flows = self._flows
        count = max(1, len(flows) // EVICT_SHARE)
        for key, _counters in heapq.nsmallest(count, flows.items(),
                                              key=lambda item: item[1][3]):
            del flows[key]
        self.flows_evicted += count
        slots = self._flow_slots
        for slot in range(_FLOW_SLOTS):  # an entry may hold a flow just evicted
            slots[slot] = None

    # Modbus --------------------------------------------------------------------------

    cdef _ModbusDirection _stream(self, tuple key):
        """The Modbus direction of the flow ``key``, opened when it has none."""
        cdef PyObject* known = PyDict_GetItem(self._streams, key)
        if known is NULL:
            return self._open_stream(key)
        return <_ModbusDirection>known

    cdef object _modbus(self, ts, _ModbusDirection direction, bytes frame, Py_ssize_t start,
                        Py_ssize_t end, unsigned int seq, int flags, bint cut):
        """The Modbus messages a segment (``frame[start:end]``) completes: one (the
        common case), a list of several, or None. An in-order segment's bytes are read
        where they lie in the frame; a payload is made only for the TcpDirection and
        for ADUs that span segments."""
        cdef bytes data = None
        cdef bint continuous = True
        cdef const unsigned char* p = <const unsigned char*>PyBytes_AS_STRING(frame) + start
        cdef Py_ssize_t size = end - start, at, pdu_start
        cdef unsigned int transaction, unit
        if cut:
            self.count(MalformedKind.SNAPLEN_CUT)
            direction.restart()
            return None
        if size and not flags & _SYN and direction.in_order and direction.next_seq == seq:
            direction.next_seq = seq + <unsigned int>size  # wraps modulo 2**32 as TCP does
        else:
            data, continuous = direction.accept(PyBytes_FromStringAndSize(<const char*>p, size),
                                                seq, flags & _SYN)
            p = <const unsigned char*>PyBytes_AS_STRING(data)
            size = PyBytes_GET_SIZE(data)
        if flags & (_FIN | _RST):
            del self._streams[direction.key]
            direction.open = False
        if not size:
            return None
        if direction.partial:
            if continuous:
                if data is None:
                    data = PyBytes_FromStringAndSize(<const char*>p, size)
                data = direction.partial + data
                p = <const unsigned char*>PyBytes_AS_STRING(data)
                size = PyBytes_GET_SIZE(data)
            direction.partial = b""
        if size > 7 and not (p[2] or p[3] or p[4]) and 2 <= p[5] <= 254 \
                and p[5] + 6 == size:
            # One whole ADU (MBAP length under 256), as nearly every segment carries.
            return self._modbus_message(ts, direction, _u16(p, 0), p[6], p + 7, size - 7)
        if data is None:
            data = PyBytes_FromStringAndSize(<const char*>p, size)
            p = <const unsigned char*>PyBytes_AS_STRING(data)
        found = []
        at = 0
        while at < size:
            framed = modbus.read_mbap(data, at)
            if framed is None:
                direction.partial = data[at:]
                break
            if type(framed) is not tuple:
                self.count(framed)
                break  # not Modbus from here: resynchronise at the next segment
            transaction, unit, pdu_start, at = framed
            message = self._modbus_message(ts, direction, transaction, unit, p + pdu_start,
                                           at - pdu_start)
            if message is not None:
                found.append(message)
        if len(found) == 1:
            return found[0]
        return found or None

    cdef _ModbusDirection _open_stream(self, tuple key):
        streams = self._streams
        if len(streams) >= self.limits.max_streams:
            (<_ModbusDirection>streams.pop(next(iter(streams)))).open = False  # the oldest
            self.stream_events[StreamEvent.EVICTED] = (
                self.stream_events.get(StreamEvent.EVICTED, 0) + 1)
        tcp = TcpDirection(self.limits.max_stream_pending, self.stream_events)
        direction = _ModbusDirection(tcp, key, self.ip_text(key[0]), self.ip_text(key[1]))
        streams[key] = direction
        return direction

    cdef object _modbus_message(self, ts, _ModbusDirection d, unsigned int transaction,
                                unsigned int unit, const unsigned char* pdu, Py_ssize_t size):
        """The message of one ADU whose PDU is ``pdu[:size]`` (at least its function
        code), paired with its request or waiting for its response; None (counted) when
        the PDU cannot be decoded."""
        cdef tuple request
        pairing_key = d.pairing_key(transaction, unit)
        if d.response:
            request = self._requests.pop(pairing_key, None)
            quantity = request[3] if request is not None else None
            decoded = self._response(pdu, size, quantity)
        else:
            request = None
            decoded = self._request(pdu, size)
        if type(decoded) is not tuple:
            self.count(decoded)
            return None
        function, exception, address, quantity, values, detail = decoded
        if not _PUBLIC_FUNCTIONS[<unsigned char>function]:  # a code is one byte
            self.count(MalformedKind.MODBUS_UNKNOWN_FUNCTION)
        self.modbus_messages += 1
        request_ts = None
        if not d.response:
            requests = self._requests
            if pairing_key in requests or len(requests) >= self._max_pending:
                self._forget_request(pairing_key)
            requests[pairing_key] = (ts, function, address, quantity)
        elif request is None:
            self.modbus_unpaired_responses += 1
        else:
            request_ts, address = request[0], request[2] if address is None else address
            self.modbus_pairs += 1
            if request[1] != function:
                self.count(MalformedKind.MODBUS_RESPONSE_MISMATCH)
        # Filled in place: ModbusMessage's own __new__ is a Python function, and even
        # tuple.__new__ builds a tuple to copy (one message per packet)
        message = PyType_GenericAlloc(_modbus_type, 15)
        _put(message, 0, ts)
        _put(message, 1, d.src)
        _put(message, 2, d.dst)
        _put(message, 3, d.sport)
        _put(message, 4, d.dport)
        _put(message, 5, transaction)
        _put(message, 6, unit)
        _put(message, 7, function)
        _put(message, 8, d.response)
        _put(message, 9, exception)
        _put(message, 10, address)
        _put(message, 11, quantity)
        _put(message, 12, values)
        _put(message, 13, detail)
        _put(message, 14, request_ts)
        return message

    cdef object _request(self, const unsigned char* pdu, Py_ssize_t size):
        """A request PDU decoded: a read in C from the bytes, any other from the bytes
        remembered (polls repeat their requests byte for byte) or by formats.modbus."""
        if 1 <= pdu[0] <= 4:
            return read_request_at(pdu, size)
        data = PyBytes_FromStringAndSize(<const char*>pdu, size)
        cdef PyObject* known = PyDict_GetItem(self._requests_seen, data)
        if known is not NULL:
            return <object>known
        return self._remember(self._requests_seen, data, modbus.decode_request(data))

    cdef object _response(self, const unsigned char* pdu, Py_ssize_t size, quantity):
        """A response PDU decoded: a read's answer in C from the bytes (its values change
        from poll to poll), any other from the bytes remembered or by formats.modbus."""
        cdef int function = pdu[0]
        if function == 3 or function == 4 or function == 23:
            return registers_response_at(pdu, size)
        if function == 1 or function == 2:
            return bits_response_at(pdu, size, quantity)
        cache_key = (PyBytes_FromStringAndSize(<const char*>pdu, size), quantity)
        cdef PyObject* known = PyDict_GetItem(self._responses, cache_key)
        if known is not NULL:
            return <object>known
        return self._remember(self._responses, cache_key,
                              modbus.decode_response(cache_key[0], quantity))

    cdef object _remember(self, dict cache, key, decoded):
        """Keep a decoded PDU for the next time the same bytes come: polls repeat their
        requests, and often their answers, byte for byte. Bounded: cleared when full."""
        if type(decoded) is tuple:
            if len(cache) >= MAX_REMEMBERED_PDUS:
                cache.clear()
            cache[key] = decoded
        return decoded

    cdef _forget_request(self, bytes key):
        """Make room for a request: the same transaction asked again before an answer
        replaces the first; past the bound, the oldest waiting goes. Either is counted
        as unanswered."""
        requests = self._requests
        if key in requests:
            del requests[key]
        else:
            del requests[next(iter(requests))]
        self.modbus_unanswered += 1

    # BACnet --------------------------------------------------------------------------

    cdef object _bacnet(self, ts, bytes src, bytes dst, int sport, int dport, bytes payload,
                        bint cut):
        if cut:
            self.count(MalformedKind.SNAPLEN_CUT)
            return None
        # Decoded every time, not remembered by its bytes as Modbus PDUs are: few BACnet
        # messages repeat (COV notifications and read answers carry changing values), and
        # a table of decoded messages kept alive cost the cyclic collector more than the
        # repeats saved, even where a quarter repeat (seed 1)
        decoded = bacnet.decode_bvlc(payload)
        if decoded.__class__ is not tuple:  # a MalformedKind
            self.count(decoded)
            return None
        if PyTuple_GET_SIZE(decoded) != 16:  # read by position below, unchecked
            raise ValueError(f"bacnet.decode_bvlc gave {len(decoded)} fields, not 16")
        self.bacnet_messages += 1
        # Filled in place, as a Modbus message is: the addresses, then the decoded fields
        message = PyType_GenericAlloc(_bacnet_type, 21)
        _put(message, 0, ts)
        _put(message, 1, self.ip_text(src))
        _put(message, 2, self.ip_text(dst))
        _put(message, 3, sport)
        _put(message, 4, dport)
        cdef Py_ssize_t i
        for i in range(16):
            _put(message, 5 + i, <object>PyTuple_GET_ITEM(decoded, i))
        return message
