"""Decoding a stream of captured records into OT messages and flows, in bounded memory:
the hot path every later stage (inventory, baseline, detection) reads from.

Each frame is dissected once (``formats.ip_packet``); every IP packet counts to its
flow, in a table of bounded size from which the least recently seen flows are evicted
when it is full (so that a new flow is still seen on a long capture); ARP requests and
replies are records of their own, given to ``arp_sink``; TCP port 502 is reassembled
per direction and framed into Modbus ADUs, each request paired with its response by
connection, transaction id and unit id; UDP 47808-47823 is BACnet/IP. What cannot be
decoded is counted by class.
"""

from __future__ import annotations

import heapq
import socket
from collections.abc import Callable, Hashable, Iterable, Iterator
from typing import TypeVar

from cpstrust.formats import bacnet, modbus
from cpstrust.formats.ip_packet import (
    LINK_ETHERNET,
    TCP,
    TCP_FIN,
    TCP_RST,
    TCP_SYN,
    UDP,
    arp,
    dissect,
)
from cpstrust.limits import DEFAULT_CAPTURE_LIMITS, CaptureLimits
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
_STREAM_FLAGS = TCP_SYN | TCP_FIN | TCP_RST  # what changes a stream without payload
EVICT_SHARE = 10  # a full flow table sheds this share (1/n) of its flows at once
_K = TypeVar("_K", bound=Hashable)
OtMessage = ModbusMessage | BacnetMessage
Record = tuple[float, int, bytes, int]
# packets, bytes, first ts, last ts, source MAC (the first frame's)
FlowCounters = list[object]
FlowKey = tuple[bytes, bytes, int, int, int]
_Connection = tuple[bytes, bytes, int, int]
# client, server, client port, server port, transaction id, unit id
_PairKey = tuple[bytes, bytes, int, int, int, int]
_new_tuple = tuple.__new__


class _ModbusDirection:
    """One direction of a Modbus/TCP connection: its reassembly, and what every message
    on it repeats (addresses as text, ports, request or response, the pairing key's
    connection part), worked out once when it opens rather than per message."""

    __slots__ = ("dport", "dst", "pair", "partial", "response", "sport", "src", "tcp")

    def __init__(self, tcp: TcpDirection, src: str, dst: str, sport: int, dport: int,
                 pair: _Connection) -> None:
        self.tcp = tcp
        self.partial = b""  # the start of an ADU whose end has not come yet
        self.src, self.dst, self.sport, self.dport = src, dst, sport, dport
        self.response = sport == MODBUS_PORT and dport != MODBUS_PORT
        self.pair = pair  # client, server, client port, server port


class OtDecoder:
    """Decodes one capture (or one live stream); ``messages`` once, then read the
    counters and tables."""

    def __init__(self, limits: CaptureLimits = DEFAULT_CAPTURE_LIMITS) -> None:
        self.limits = limits
        self.packets = 0
        self.first_ts: float | None = None
        self.last_ts: float | None = None
        self.flows: dict[FlowKey, list[object]] = {}
        self.flows_evicted = 0
        # when a list, the key of every flow opened is appended to it (detection drains it)
        self.opened: list[FlowKey] | None = None
        self.non_ip = 0  # frames without IP (ARP, LLDP, ...)
        self.arp_messages = 0
        self.arp_sink: Callable[[ArpMessage], None] | None = None  # given every ARP record
        self.malformed: dict[MalformedKind, int] = {}
        self.stream_events: dict[StreamEvent, int] = {}
        self.modbus_messages = 0
        self.bacnet_messages = 0
        self.modbus_pairs = 0
        self.modbus_unanswered = 0
        self.modbus_unpaired_responses = 0
        self._streams: dict[FlowKey, _ModbusDirection] = {}
        self._max_pending = limits.max_pending_requests
        # a request awaiting its response: when, function, address, quantity
        self._requests: dict[_PairKey, tuple[float, int, int | None, int | None]] = {}
        self._names: dict[bytes, str] = {}
        # decoded PDUs by their bytes (and, for a response, its request's quantity)
        self._requests_seen: dict[bytes, modbus.Decoded] = {}
        self._responses: dict[tuple[bytes, int | None], modbus.Decoded] = {}
        self._bacnet_seen: dict[bytes, bacnet.Decoded] = {}

    def count(self, kind: MalformedKind) -> None:
        self.malformed[kind] = self.malformed.get(kind, 0) + 1

    @property
    def modbus_pending(self) -> int:
        """Requests still awaiting their response."""
        return len(self._requests)

    def ip_text(self, address: bytes) -> str:
        """An address as text, remembered: a capture speaks of few hosts, often."""
        text = self._names.get(address)
        if text is None:
            if len(self._names) >= self.limits.max_assets:
                self._names.clear()
            family = socket.AF_INET if len(address) == 4 else socket.AF_INET6
            text = self._names[address] = socket.inet_ntop(family, address)
        return text

    def messages(self, records: Iterable[Record]) -> Iterator[OtMessage]:
        """Every Modbus and BACnet message of ``records``, in capture order."""
        flows = self.flows
        max_flows = self.limits.max_flows
        opened = self.opened
        modbus_segment, bacnet_datagram = self._modbus, self._bacnet
        packets, ts = 0, 0.0
        try:
            for ts, link_type, frame, wire_length in records:
                if not packets and self.first_ts is None:
                    self.first_ts = ts
                packets += 1
                dissected = dissect(link_type, frame)
                if dissected.__class__ is not tuple:
                    self._not_decoded(ts, link_type, frame, dissected)  # type: ignore[arg-type]
                    continue
                src, dst, protocol, sport, dport, start, end, seq, flags, cut = (
                    dissected)
                key = (src, dst, protocol, sport, dport)
                flow = flows.get(key)
                if flow is not None:
                    flow[0] += 1  # type: ignore[operator]
                    flow[1] += wire_length  # type: ignore[operator]
                    flow[3] = ts
                else:
                    if len(flows) >= max_flows:
                        self._evict_flows()
                    mac = frame[6:12] if link_type == LINK_ETHERNET else None
                    flows[key] = [1, wire_length, ts, ts, mac]
                    if opened is not None:
                        opened.append(key)
                if protocol == TCP:
                    if (sport == MODBUS_PORT or dport == MODBUS_PORT) and (
                            start < end or flags & _STREAM_FLAGS or cut):  # not a bare ACK
                        found = modbus_segment(ts, key, frame[start:end], seq, flags, cut)
                        if found.__class__ is list:
                            yield from found
                        elif found is not None:
                            yield found  # type: ignore[misc]
                elif protocol == UDP and (BACNET_LOW <= sport <= BACNET_HIGH
                                          or BACNET_LOW <= dport <= BACNET_HIGH):
                    message = bacnet_datagram(ts, src, dst, sport, dport, frame[start:end],
                                              cut)
                    if message is not None:
                        yield message
        finally:
            self.packets += packets
            if packets:
                self.last_ts = ts

    def _not_decoded(self, ts: float, link_type: int, frame: bytes,
                     reason: MalformedKind | None) -> None:
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

    def _evict_flows(self) -> None:
        """Make room in a full flow table: the least recently seen share of the flows
        goes (counted), so that new flows are still seen. Each eviction frees many
        slots, so its cost is spread over the flows that fill them again."""
        flows = self.flows
        count = max(1, len(flows) // EVICT_SHARE)
        for key, _counters in heapq.nsmallest(count, flows.items(),
                                              key=lambda item: item[1][3]):  # type: ignore[arg-type,return-value]
            del flows[key]
        self.flows_evicted += count

    # Modbus --------------------------------------------------------------------------

    def _modbus(self, ts: float, key: FlowKey, payload: bytes, seq: int, flags: int,
                cut: bool) -> ModbusMessage | list[ModbusMessage] | None:
        """The Modbus messages a segment of the direction ``key`` completes: one (the
        common case), a list of several, or None."""
        direction = self._streams.get(key)
        if direction is None:
            direction = self._open_stream(key)
        if cut:
            self.count(MalformedKind.SNAPLEN_CUT)
            direction.tcp.restart()
            direction.partial = b""
            return None
        tcp = direction.tcp
        if tcp.next_seq == seq and payload and not tcp.held and not flags & TCP_SYN:
            tcp.next_seq = (seq + len(payload)) & 0xFFFFFFFF  # in order: accept's common case
            data, continuous = payload, True
        else:
            data, continuous = tcp.accept(seq, payload, bool(flags & TCP_SYN))
        if flags & (TCP_FIN | TCP_RST):
            del self._streams[key]
        if not data:
            return None
        if direction.partial:
            data = direction.partial + data if continuous else data
            direction.partial = b""
        size = len(data)
        if size > 7 and not (data[2] or data[3] or data[4]) and 2 <= data[5] <= 254 \
                and data[5] + 6 == size:
            # One whole ADU (MBAP length under 256), as nearly every segment carries.
            return self._modbus_message(ts, direction, (data[0] << 8) | data[1], data[6],
                                        data[7:])
        found: list[ModbusMessage] = []
        at = 0
        while at < size:
            framed = modbus.read_mbap(data, at)
            if framed is None:
                direction.partial = data[at:]
                break
            if framed.__class__ is not tuple:
                self.count(framed)  # type: ignore[arg-type]
                break  # not Modbus from here: resynchronise at the next segment
            transaction, unit, pdu_start, at = framed
            message = self._modbus_message(ts, direction, transaction, unit,
                                           data[pdu_start:at])
            if message is not None:
                found.append(message)
        if len(found) == 1:
            return found[0]
        return found or None

    def _open_stream(self, key: FlowKey) -> _ModbusDirection:
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

    def _modbus_message(self, ts: float, d: _ModbusDirection, transaction: int, unit: int,
                        pdu: bytes) -> ModbusMessage | None:
        decoded: modbus.Decoded | MalformedKind | None
        pair_key = (*d.pair, transaction, unit)
        if d.response:
            request = self._requests.pop(pair_key, None)
            quantity = request[3] if request else None
            decoded = self._responses.get((pdu, quantity))
            if decoded is None:
                decoded = self._remember(self._responses, (pdu, quantity),
                                         modbus.decode_response(pdu, quantity))
        else:
            request = None
            decoded = self._requests_seen.get(pdu)
            if decoded is None:
                decoded = self._remember(self._requests_seen, pdu, modbus.decode_request(pdu))
        if decoded.__class__ is not tuple:
            self.count(decoded)  # type: ignore[arg-type]
            return None
        function, exception, address, quantity, values, detail = decoded
        if function not in modbus.PUBLIC_FUNCTIONS:
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
        return _new_tuple(ModbusMessage, (ts, d.src, d.dst, d.sport, d.dport, transaction,
                                          unit, function, d.response, exception, address,
                                          quantity, values, detail, request_ts))

    @staticmethod
    def _remember(cache: dict[_K, modbus.Decoded], key: _K,
                  decoded: modbus.Decoded | MalformedKind) -> modbus.Decoded | MalformedKind:
        """Keep a decoded PDU for the next time the same bytes come: polls repeat their
        requests, and often their answers, byte for byte. Bounded: cleared when full."""
        if decoded.__class__ is tuple:
            if len(cache) >= MAX_REMEMBERED_PDUS:
                cache.clear()
            cache[key] = decoded
        return decoded

    def _forget_request(self, key: _PairKey) -> None:
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

    def _bacnet(self, ts: float, src: bytes, dst: bytes, sport: int, dport: int,
                payload: bytes, cut: bool) -> BacnetMessage | None:
        if cut:
            self.count(MalformedKind.SNAPLEN_CUT)
            return None
        # Who-Is, I-Am and many polls repeat byte for byte: decoded once
        decoded = self._bacnet_seen.get(payload)
        if decoded is None:
            fresh = bacnet.decode_bvlc(payload)
            if isinstance(fresh, MalformedKind):
                self.count(fresh)
                return None
            if len(self._bacnet_seen) >= MAX_REMEMBERED_PDUS:
                self._bacnet_seen.clear()
            decoded = self._bacnet_seen[payload] = fresh
        self.bacnet_messages += 1
        return _new_tuple(BacnetMessage, (ts, self.ip_text(src), self.ip_text(dst), sport,
                                          dport, *decoded))
