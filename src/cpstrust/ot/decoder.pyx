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
integers, and a whole in-order Modbus ADU is framed and recorded without a Python
call; any other frame goes to ``formats.ip_packet.dissect``, which handles every link
type, VLAN tags, IPv6 and each malformed header. ``decoder.pyi`` types it for mypy.
"""

from cpython.bytes cimport PyBytes_AS_STRING, PyBytes_FromStringAndSize, PyBytes_GET_SIZE
from cpython.dict cimport PyDict_GetItem
from cpython.object cimport PyObject

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

MODBUS_PORT = 502
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
# The types the rest of the package names (decoder.pyi declares them for mypy too)
OtMessage = ModbusMessage | BacnetMessage
Record = tuple[float, int, bytes, int]
FlowKey = tuple[bytes, bytes, int, int, int]
_new_tuple = tuple.__new__
_modbus_type = ModbusMessage
_bacnet_type = BacnetMessage
_PUBLIC_FUNCTIONS = modbus.PUBLIC_FUNCTIONS


cdef inline unsigned int _u16(const unsigned char* p, Py_ssize_t at) noexcept:
    return (p[at] << 8) | p[at + 1]


cdef class _ModbusDirection:
    """One direction of a Modbus/TCP connection: its reassembly, and what every message
    on it repeats (addresses as text, ports, request or response, the pairing key's
    connection part), worked out once when it opens rather than per message."""

    cdef object tcp
    cdef bytes partial  # the start of an ADU whose end has not come yet
    cdef str src, dst
    cdef object sport, dport
    cdef bint response
    cdef tuple pair  # client, server, client port, server port

    def __init__(self, tcp, str src, str dst, int sport, int dport, tuple pair):
        self.tcp = tcp
        self.partial = b""
        self.src, self.dst, self.sport, self.dport = src, dst, sport, dport
        self.response = sport == _MODBUS and dport != _MODBUS
        self.pair = pair


cdef class OtDecoder:
    """Decodes one capture (or one live stream); ``messages`` once, then read the
    counters and tables."""

    cdef public object limits
    cdef public long long packets
    cdef public object first_ts, last_ts
    cdef public dict flows
    cdef public long long flows_evicted
    # when a list, the key of every flow opened is appended to it (detection drains it)
    cdef public object opened
    cdef public long long non_ip  # frames without IP (ARP, LLDP, ...)
    cdef public long long arp_messages
    cdef public object arp_sink  # given every ARP record
    cdef public dict malformed, stream_events
    cdef public long long modbus_messages, bacnet_messages, modbus_pairs
    cdef public long long modbus_unanswered, modbus_unpaired_responses
    cdef dict _streams, _requests, _names, _requests_seen, _responses, _bacnet_seen
    cdef Py_ssize_t _max_pending
    # IPv4 addresses as bytes, by their value: one object for each host's packets, its
    # hash computed once (a slot holds the last address that hashed to it)
    cdef unsigned int _address_values[_ADDRESS_SLOTS]
    cdef list _addresses

    def __init__(self, limits=DEFAULT_CAPTURE_LIMITS):
        self.limits = limits
        self.packets = 0
        self.first_ts = None
        self.last_ts = None
        self.flows = {}
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
        self._bacnet_seen = {}
        self._addresses = [None] * _ADDRESS_SLOTS

    def count(self, kind):
        self.malformed[kind] = self.malformed.get(kind, 0) + 1

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
        cdef dict flows = self.flows
        cdef Py_ssize_t max_flows = self.limits.max_flows
        cdef object opened = self.opened
        cdef long long packets = 0
        cdef bytes frame
        cdef const unsigned char* p
        cdef Py_ssize_t size, start, end, udp_end
        cdef int protocol, flags, sport, dport
        cdef unsigned int seq
        cdef bint cut
        cdef list flow
        cdef PyObject* found_flow
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
                        and not _u16(p, 20) & 0x3FFF and link_type == 1:
                    end = 14 + _u16(p, 16)
                    if 34 <= end <= size:
                        if p[23] == _TCP:
                            start = 34 + (p[46] >> 4) * 4
                            if 54 <= start <= end:
                                protocol = _TCP
                                seq = ((<unsigned int>p[38] << 24) | (p[39] << 16)
                                       | (p[40] << 8) | p[41])
                                flags = p[47]
                        elif p[23] == _UDP:
                            udp_end = 34 + _u16(p, 38)
                            if 42 <= udp_end <= end:
                                protocol = _UDP
                                start, end, seq, flags = 42, udp_end, 0, 0
                if protocol:
                    src = self._ipv4(p + 26)
                    dst = self._ipv4(p + 30)
                    sport, dport, cut = _u16(p, 34), _u16(p, 36), False
                else:
                    dissected = dissect(link_type, frame)
                    if dissected.__class__ is not tuple:
                        self._not_decoded(ts, link_type, frame, dissected)
                        continue
                    src, dst, protocol, sport, dport, start, end, seq, flags, cut = dissected
                key = (src, dst, protocol, sport, dport)
                found_flow = PyDict_GetItem(flows, key)
                if found_flow is not NULL:
                    flow = <list>found_flow
                    flow[0] += 1
                    flow[1] += wire_length
                    flow[3] = ts
                else:
                    if len(flows) >= max_flows:
                        self._evict_flows()
                    mac = frame[6:12] if link_type == LINK_ETHERNET else None
                    flows[key] = [1, wire_length, ts, ts, mac]
                    if opened is not None:
                        opened.append(key)
                if protocol == _TCP:
                    if (sport == _MODBUS or dport == _MODBUS) and (
                            start < end or flags & _STREAM_FLAGS or cut):  # not a bare ACK
                        found = self._modbus(ts, key, frame[start:end], seq, flags, cut)
                        if found is None:
                            continue
                        if found.__class__ is list:
                            yield from found
                        else:
                            yield found
                elif protocol == _UDP and (_BACNET_LOW <= sport <= _BACNET_HIGH
                                           or _BACNET_LOW <= dport <= _BACNET_HIGH):
                    message = self._bacnet(ts, src, dst, sport, dport, frame[start:end], cut)
                    if message is not None:
                        yield message
        finally:
            self.packets += packets
            if packets:
                self.last_ts = ts

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
        flows = self.flows
        count = max(1, len(flows) // EVICT_SHARE)
        for key, _counters in heapq.nsmallest(count, flows.items(),
                                              key=lambda item: item[1][3]):
            del flows[key]
        self.flows_evicted += count

    # Modbus --------------------------------------------------------------------------

    cdef object _modbus(self, ts, tuple key, bytes payload, unsigned int seq, int flags,
                        bint cut):
        """The Modbus messages a segment of the direction ``key`` completes: one (the
        common case), a list of several, or None."""
        cdef _ModbusDirection direction
        cdef PyObject* known = PyDict_GetItem(self._streams, key)
        cdef bytes data
        cdef bint continuous
        cdef const unsigned char* p
        cdef Py_ssize_t size, at
        if known is NULL:
            direction = self._open_stream(key)
        else:
            direction = <_ModbusDirection>known
        if cut:
            self.count(MalformedKind.SNAPLEN_CUT)
            direction.tcp.restart()
            direction.partial = b""
            return None
        tcp = direction.tcp
        if payload and not flags & _SYN and tcp.next_seq == seq and not tcp.held:
            tcp.next_seq = (seq + len(payload)) & 0xFFFFFFFF  # in order: accept's common case
            data, continuous = payload, True
        else:
            data, continuous = tcp.accept(seq, payload, bool(flags & _SYN))
        if flags & (_FIN | _RST):
            del self._streams[key]
        if not data:
            return None
        if direction.partial:
            data = direction.partial + data if continuous else data
            direction.partial = b""
        size = len(data)
        p = <const unsigned char*>PyBytes_AS_STRING(data)
        if size > 7 and not (p[2] or p[3] or p[4]) and 2 <= p[5] <= 254 \
                and p[5] + 6 == size:
            # One whole ADU (MBAP length under 256), as nearly every segment carries.
            return self._modbus_message(ts, direction, _u16(p, 0), p[6], data[7:])
        found = []
        at = 0
        while at < size:
            framed = modbus.read_mbap(data, at)
            if framed is None:
                direction.partial = data[at:]
                break
            if framed.__class__ is not tuple:
                self.count(framed)
                break  # not Modbus from here: resynchronise at the next segment
            transaction, unit, pdu_start, at = framed
            message = self._modbus_message(ts, direction, transaction, unit,
                                           data[pdu_start:at])
            if message is not None:
                found.append(message)
        if len(found) == 1:
            return found[0]
        return found or None

    cdef _ModbusDirection _open_stream(self, tuple key):
        if len(self._streams) >= self.limits.max_streams:
            del self._streams[next(iter(self._streams))]  # the oldest opened
            self.stream_events[StreamEvent.EVICTED] = (
                self.stream_events.get(StreamEvent.EVICTED, 0) + 1)
        src, dst, _protocol, sport, dport = key
        tcp = TcpDirection(self.limits.max_stream_pending, self.stream_events)
        response = sport == MODBUS_PORT and dport != MODBUS_PORT
        pair = (dst, src, dport, sport) if response else (src, dst, sport, dport)
        direction = _ModbusDirection(tcp, self.ip_text(src), self.ip_text(dst), sport, dport,
                                     pair)
        self._streams[key] = direction
        return direction

    cdef object _modbus_message(self, ts, _ModbusDirection d, int transaction, int unit,
                                bytes pdu):
        cdef PyObject* known
        pair_key = d.pair + (transaction, unit)
        if d.response:
            request = self._requests.pop(pair_key, None)
            quantity = request[3] if request is not None else None
            cache_key = (pdu, quantity)
            known = PyDict_GetItem(self._responses, cache_key)
            if known is NULL:
                decoded = self._remember(self._responses, cache_key,
                                         modbus.decode_response(pdu, quantity))
            else:
                decoded = <object>known
        else:
            request = None
            known = PyDict_GetItem(self._requests_seen, pdu)
            if known is NULL:
                decoded = self._remember(self._requests_seen, pdu, modbus.decode_request(pdu))
            else:
                decoded = <object>known
        if decoded.__class__ is not tuple:
            self.count(decoded)
            return None
        function, exception, address, quantity, values, detail = decoded
        if function not in _PUBLIC_FUNCTIONS:
            self.count(MalformedKind.MODBUS_UNKNOWN_FUNCTION)
        self.modbus_messages += 1
        request_ts = None
        if not d.response:
            requests = self._requests
            if pair_key in requests or len(requests) >= self._max_pending:
                self._forget_request(pair_key)
            requests[pair_key] = (ts, function, address, quantity)
        elif request is None:
            self.modbus_unpaired_responses += 1
        else:
            request_ts, address = request[0], request[2] if address is None else address
            self.modbus_pairs += 1
            if request[1] != function:
                self.count(MalformedKind.MODBUS_RESPONSE_MISMATCH)
        # tuple.__new__ directly: a NamedTuple's own __new__ is a Python function, and
        # its call cost as much as the rest of this method (one message per packet)
        return _new_tuple(_modbus_type, (ts, d.src, d.dst, d.sport, d.dport, transaction,
                                         unit, function, d.response, exception, address,
                                         quantity, values, detail, request_ts))

    cdef object _remember(self, dict cache, key, decoded):
        """Keep a decoded PDU for the next time the same bytes come: polls repeat their
        requests, and often their answers, byte for byte. Bounded: cleared when full."""
        if decoded.__class__ is tuple:
            if len(cache) >= MAX_REMEMBERED_PDUS:
                cache.clear()
            cache[key] = decoded
        return decoded

    cdef _forget_request(self, tuple key):
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
        # Who-Is, I-Am and many polls repeat byte for byte: decoded once
        cdef PyObject* known = PyDict_GetItem(self._bacnet_seen, payload)
        if known is NULL:
            fresh = bacnet.decode_bvlc(payload)
            if isinstance(fresh, MalformedKind):
                self.count(fresh)
                return None
            if len(self._bacnet_seen) >= MAX_REMEMBERED_PDUS:
                self._bacnet_seen.clear()
            self._bacnet_seen[payload] = fresh
            decoded = fresh
        else:
            decoded = <object>known
        self.bacnet_messages += 1
        return _new_tuple(_bacnet_type, (ts, self.ip_text(src), self.ip_text(dst), sport,
                                         dport, *decoded))
