"""The rule detectors: each compares a message (or a newly opened flow) with the
baseline and raises an alert that says what deviated, from what learned value, by how
much. They read the decoder's message tuples as they are and keep their state in
dicts: detection must cost less than decoding (ADR 0014).

Scans are told apart from a single novelty by counting: ``SCAN_COUNT`` distinct new
unit ids, objects or peers from one source within ``SCAN_SECONDS``.
"""

from __future__ import annotations

import math
from collections import deque
from operator import le

from cpstrust.model.ot import ArpMessage, BacnetMessage, ModbusMessage
from cpstrust.model.ot_detect import AlertKind, Baseline
from cpstrust.ot import observe
from cpstrust.ot.alerts import AlertAggregator
from cpstrust.ot.decoder import FlowKey, OtDecoder

SCAN_SECONDS = 60.0
SCAN_COUNT = 3
HOST_SCAN_COUNT = 4
FLOOD_FACTOR = 10.0  # a window holding this many times the most seen is a flood
UNKNOWN_PAIR_WINDOW = 1.0  # seconds: the rate window of a pair the baseline lacks
MAX_STATE = 100_000  # pairs, sources and new things followed at once
_RESTART, _LISTEN_ONLY = 1, 4  # Modbus diagnostics sub-functions
_REINITIALIZE, _COMMUNICATION_CONTROL = 20, 17  # BACnet confirmed services
_WRITES = frozenset({5, 6, 21, 22, 23})  # function classes that write
_CLASSED = frozenset({8, 15, 16, 43})  # functions with a class or a sub-function
Facts = tuple[tuple[str, str], ...]
_Bounds = tuple[tuple[float, ...], tuple[float, ...]]  # lows, highs
_UNBOUNDED = (-math.inf, math.inf)


def _fmt(value: float) -> str:
    return f"{value:.6g}"


class RuleDetector:
    def __init__(self, baseline: Baseline, alerts: AlertAggregator, decoder: OtDecoder,
                 ) -> None:
        self.b = baseline
        self.alerts = alerts
        self.decoder = decoder
        self._opened: list[FlowKey] = []
        decoder.opened = self._opened
        decoder.arp_sink = self.arp
        # hosts that talked (any protocol, ARP too, either way): asking for each other
        # is normal
        self._known_pairs = {(a, b) for a, b, _p, _s in baseline.talkers} | {
            (b, a) for a, b, _p, _s in baseline.talkers}
        self._functions = baseline.modbus_functions
        self._server_functions = {(s, f, sub) for _c, s, f, sub in baseline.modbus_functions}
        self._server_ranges: dict[tuple[str, int, str], tuple[int, int]] = {}
        for (_c, server, unit, table), (low, high) in baseline.address_ranges.items():
            key = (server, unit, table)
            old = self._server_ranges.get(key, (low, high))
            self._server_ranges[key] = (min(old[0], low), max(old[1], high))
        self._modbus_servers = {s for s, _u in baseline.modbus_units}
        self._bacnet_devices = {d for d, _t, _i in baseline.bacnet_objects}
        # (server, unit, table) -> address -> the values allowed: one lookup per answer
        self._allowed: dict[tuple[str, int, int], dict[int, tuple[float, float]]] = {}
        for (protocol, server, unit, table_code, address), r in baseline.values.items():
            if protocol == "modbus":
                self._allowed.setdefault((server, unit, table_code), {})[address] = (
                    r.low - r.margin, r.high + r.margin)
        self._limits = {pair: (r.window, r.limit, r.max_count)
                        for pair, r in baseline.rates.items()}
        self._unknown_limit = max(20.0, 5.0 * baseline.fastest_rate * UNKNOWN_PAIR_WINDOW)
        self._unknown_pair = (UNKNOWN_PAIR_WINDOW, self._unknown_limit, 0)
        # per pair: its recent requests' times, and the window, limit and most learned
        self._recent: dict[tuple[str, str], tuple[deque[float], float, float, int]] = {}
        # a read answer's range -> the allowed values of its registers (``_bounds_of``)
        self._bounds: dict[tuple[str, int, int, int, int], _Bounds] = {}
        self._new: dict[tuple[str, str | None, str], dict[object, float]] = {}
        self._pairs_alerted: set[tuple[str, str]] = set()
        self._normal_reads: set[tuple[str, str, int, int, int | None, int | None]] = set()
        self.raised = 0  # alerts raised so far
        self._rate_bursts: dict[tuple[str, str], tuple[AlertKind, float]] = {}
        # the last value written to each register: reading it back reports nothing new
        self._written_values: dict[tuple[str, int, int], int] = {}

    def raise_alert(self, ts: float, kind: AlertKind, src: str | None, dst: str | None,
                    detail: str, **facts: str) -> None:
        self.raised += 1
        self.alerts.raise_alert(ts, kind, src, dst, detail, f"alert_{kind.value}",
                                tuple(facts.items()))

    # Modbus ----------------------------------------------------------------------------

    def modbus(self, m: ModbusMessage) -> None:
        if self._opened:
            self.flows()
        if m.response:
            if m.values and m.exception is None:
                self._reported(m)
            return
        client, server = m.src, m.dst
        if m.function <= 4:  # a read: judged once per distinct request, then remembered
            signature = (client, server, m.unit_id, m.function, m.address, m.quantity)
            if signature in self._normal_reads:
                self._rate(client, server, m.ts)
                return
            raised = self.raised
            self._request(m, client, server)
            if self.raised == raised:
                if len(self._normal_reads) >= MAX_STATE:
                    self._normal_reads.clear()
                self._normal_reads.add(signature)
            return
        self._request(m, client, server)

    def _request(self, m: ModbusMessage, client: str, server: str) -> None:
        function, sub = m.function, -1
        if function in _CLASSED:
            function, sub = observe.function_key(m)
        if function == 8:
            self._diagnostics(m, sub)
        elif (client, server, function, sub) not in self._functions:
            self._new_function(m, function, sub)
        if server in self._modbus_servers and (server, m.unit_id) not in self.b.modbus_units:
            self._new_unit(m)
        elif m.address is not None:
            self._address(m)
        if m.values and function in _WRITES:
            self._written(m)
        self._rate(client, server, m.ts)

    def _diagnostics(self, m: ModbusMessage, sub: int) -> None:
        kind = (AlertKind.MODBUS_RESTART if sub == _RESTART else
                AlertKind.MODBUS_LISTEN_ONLY if sub == _LISTEN_ONLY else
                AlertKind.MODBUS_DIAGNOSTICS)
        if kind is AlertKind.MODBUS_DIAGNOSTICS and \
                (m.src, m.dst, 8, sub) in self._functions:
            return
        self.raise_alert(m.ts, kind, m.src, m.dst, f"unit {m.unit_id} sub-function {sub}",
                         unit=str(m.unit_id), sub_function=str(sub))

    def _new_function(self, m: ModbusMessage, function: int, sub: int) -> None:
        writes = function in _WRITES
        if writes and (m.src, "modbus") not in self.b.writers:
            self.raise_alert(m.ts, AlertKind.UNUSUAL_WRITER, m.src, m.dst,
                             f"modbus function {m.function}", what=f"function {m.function}")
        elif not writes and (m.dst, function, sub) not in self._server_functions:
            learned = sorted({f for s, f, _sub in self._server_functions if s == m.dst})
            self.raise_alert(m.ts, AlertKind.NEW_FUNCTION_CODE, m.src, m.dst,
                             f"function {m.function}/{sub}", function=str(m.function),
                             learned=", ".join(map(str, learned)) or "-")

    def _new_unit(self, m: ModbusMessage) -> None:
        known = sorted(u for s, u in self.b.modbus_units if s == m.dst)
        scanned = self._novel(m.ts, m.src, m.dst, "unit", m.unit_id)
        kind = AlertKind.UNIT_ID_SCAN if scanned >= SCAN_COUNT else AlertKind.NEW_UNIT_ID
        self.raise_alert(m.ts, kind, m.src, m.dst, "" if scanned >= SCAN_COUNT else
                         f"unit {m.unit_id}", unit=str(m.unit_id), count=str(scanned),
                         learned=", ".join(map(str, known)))

    def _address(self, m: ModbusMessage) -> None:
        table = observe.table_of(m.function)
        if table is None:
            return
        learned = self._server_ranges.get((m.dst, m.unit_id, table))
        end = m.address + max(m.quantity or 1, len(m.values), 1)  # type: ignore[operator]
        if learned is None or m.address < learned[0] or end > learned[1]:  # type: ignore[operator]
            self.raise_alert(m.ts, AlertKind.NEW_ADDRESS_RANGE, m.src, m.dst,
                             f"unit {m.unit_id} {table}", table=table,
                             range=f"{m.address}-{end - 1}",
                             learned="-" if learned is None else
                             f"{learned[0]}-{learned[1] - 1}")

    def _written(self, m: ModbusMessage) -> None:
        table = 3 if observe.table_of(m.function) == "holding" else 4
        written = self._written_values
        if len(written) >= MAX_STATE:
            written.clear()
        for address, value in observe.modbus_values(m):
            written[(m.dst, m.unit_id, address)] = value
            self._check_value(("modbus", m.dst, m.unit_id, table, address), value, m.ts,
                              AlertKind.OUT_OF_RANGE_WRITE, m.src, m.dst,
                              f"unit {m.unit_id} register {address}")

    def _reported(self, m: ModbusMessage) -> None:
        function = m.function
        if function not in (3, 4, 23) or m.address is None:
            return
        table = 4 if function == 4 else 3
        values = m.values
        key = (m.src, m.unit_id, table, m.address, len(values))
        bounds = self._bounds.get(key)
        if bounds is None:
            bounds = self._bounds_of(key)
        lows, highs = bounds
        if all(map(le, lows, values)) and all(map(le, values, highs)):
            return  # all within what was learned, as nearly always: one pass in C
        allowed = self._allowed.get((m.src, m.unit_id, table))
        if allowed is None:
            return
        address = m.address
        for value in values:
            allows = allowed.get(address)
            if allows is not None and not allows[0] <= value <= allows[1] \
                    and self._written_values.get((m.src, m.unit_id, address)) != value:
                self._check_value(("modbus", m.src, m.unit_id, table, address), value, m.ts,
                                  AlertKind.OUT_OF_RANGE_VALUE, m.src, m.dst,
                                  f"unit {m.unit_id} register {address}")
            address += 1

    def _bounds_of(self, key: tuple[str, int, int, int, int]) -> _Bounds:
        """The allowed values of each register of a read answer's range, low and high
        apart (unbounded where the baseline has no range), remembered per range."""
        server, unit, table, address, count = key
        allowed = self._allowed.get((server, unit, table), {})
        ranges = [allowed.get(a, _UNBOUNDED) for a in range(address, address + count)]
        bounds = (tuple(r[0] for r in ranges), tuple(r[1] for r in ranges))
        if len(self._bounds) >= MAX_STATE:
            self._bounds.clear()
        self._bounds[key] = bounds
        return bounds

    def _check_value(self, key: tuple[str, str, int, int, int], value: float, ts: float,
                     kind: AlertKind, src: str, dst: str, what: str) -> None:
        learned = self.b.values.get(key)
        if learned is None or learned.allows(value):
            return
        self.raise_alert(ts, kind, src, dst, what, what=what, value=_fmt(value),
                         low=_fmt(learned.low), high=_fmt(learned.high),
                         margin=_fmt(learned.margin), by=_fmt(learned.distance(value)))

    def _rate(self, client: str, server: str, ts: float) -> None:
        pair = (client, server)
        rate = self._recent.get(pair)
        if rate is None:
            if len(self._recent) >= MAX_STATE:
                self._recent.clear()
            rate = self._recent[pair] = (deque(), *(self._limits.get(pair)
                                                     or self._unknown_pair))
        recent, window, limit, most = rate
        recent.append(ts)
        start = ts - window
        while recent[0] < start:
            recent.popleft()
        count = len(recent)
        if count > limit:
            kind = AlertKind.FLOOD if not most or count > FLOOD_FACTOR * most else \
                AlertKind.RATE_CHANGE
            burst = self._rate_bursts.get(pair)
            if burst is not None and ts - burst[1] <= self.alerts.gap:
                kind = burst[0]  # one burst, one alert: a flood stays one as it ebbs
            self._rate_bursts[pair] = (kind, ts)
            self.raise_alert(ts, kind, client, server, "", count=str(count), window=_fmt(window),
                             learned=_fmt(most or self._unknown_limit),
                             factor=_fmt(count / max(most, 1)))

    def _novel(self, ts: float, src: str, dst: str | None, what: str, item: object) -> int:
        """Distinct new ``what``s from ``src`` to ``dst`` within ``SCAN_SECONDS``."""
        key = (src, dst, what)
        seen = self._new.get(key)
        if seen is None:
            if len(self._new) >= MAX_STATE:
                self._new.clear()
            seen = self._new[key] = {}
        seen[item] = ts
        if len(seen) >= SCAN_COUNT:
            for old in [i for i, t in seen.items() if t < ts - SCAN_SECONDS]:
                del seen[old]
        return len(seen)

    # BACnet ----------------------------------------------------------------------------

    def bacnet(self, m: BacnetMessage) -> None:
        if self._opened:
            self.flows()
        apdu, service = m.apdu_type, m.service
        if apdu == 0 and service in (_REINITIALIZE, _COMMUNICATION_CONTROL):
            kind = (AlertKind.BACNET_REINITIALIZE if service == _REINITIALIZE else
                    AlertKind.BACNET_COMMUNICATION_CONTROL)
            self.raise_alert(m.ts, kind, m.src, m.dst, "", code=str(m.code))
        elif apdu in (0, 1) and service is not None and \
                (m.src, m.dst, apdu, service) not in self.b.bacnet_services:
            self._new_service(m, apdu, service)
        if apdu == 0:
            self._objects(m)
        if observe.bacnet_reports(m):
            for object_type, instance, prop, value in observe.bacnet_values(m):
                self._check_value(("bacnet", m.src, object_type, instance, prop), value,
                                  m.ts, AlertKind.OUT_OF_RANGE_VALUE, m.src, m.dst,
                                  f"object {object_type}:{instance} property {prop}")

    def _new_service(self, m: BacnetMessage, apdu: int, service: int) -> None:
        from cpstrust.model.ot import bacnet_service_name

        name = bacnet_service_name(apdu, service)
        if service == observe.BACNET_WRITE_PROPERTY and apdu == 0:
            if (m.src, "bacnet") not in self.b.writers:  # a known writer's is no news
                self.raise_alert(m.ts, AlertKind.UNUSUAL_WRITER, m.src, m.dst,
                                 "bacnet write", what=name)
            return
        if m.dst not in self._bacnet_devices and m.src not in self._bacnet_devices:
            return  # not a device the baseline knows: the new talker says it
        learned = sorted({bacnet_service_name(a, s) for c, d, a, s in self.b.bacnet_services
                          if d == m.dst})
        self.raise_alert(m.ts, AlertKind.NEW_BACNET_SERVICE, m.src, m.dst, name,
                         service=name, learned=", ".join(learned) or "-")

    def _objects(self, m: BacnetMessage) -> None:
        for ref in m.references:
            if ref.instance is None or ref.object_type is None or \
                    (m.dst, ref.object_type, ref.instance) in self.b.bacnet_objects:
                continue
            if m.dst not in self._bacnet_devices:
                return
            scanned = self._novel(m.ts, m.src, m.dst, "object",
                                  (ref.object_type, ref.instance))
            scan = scanned >= SCAN_COUNT
            self.raise_alert(m.ts, AlertKind.BACNET_OBJECT_SCAN if scan else
                             AlertKind.NEW_BACNET_OBJECT, m.src, m.dst,
                             "" if scan else f"object {ref.object_type}:{ref.instance}",
                             object=f"{ref.object_type}:{ref.instance}", count=str(scanned))
        if m.service == observe.BACNET_WRITE_PROPERTY:
            for object_type, instance, prop, value in observe.bacnet_values(m):
                self._check_value(("bacnet", m.dst, object_type, instance, prop), value,
                                  m.ts, AlertKind.OUT_OF_RANGE_WRITE, m.src, m.dst,
                                  f"object {object_type}:{instance} property {prop}")

    # ARP -------------------------------------------------------------------------------

    def arp(self, m: ArpMessage) -> None:
        """An ARP request for a host the sender never talked to is a peer it looks for:
        many within ``SCAN_SECONDS`` (counted with the new flows' peers) are a host
        scan, even when nothing but ARP goes out (an ARP sweep)."""
        if not observe.arp_asks(m) or (m.sender_ip, m.target_ip) in self._known_pairs:
            return
        peers = self._novel(m.ts, m.sender_ip, None, "peer", m.target_ip)
        if peers >= HOST_SCAN_COUNT:
            self.raise_alert(m.ts, AlertKind.HOST_SCAN, m.sender_ip, None, "",
                             count=str(peers))

    # Flows -----------------------------------------------------------------------------

    def flows(self) -> None:
        """Flows opened since the last call: a pair of hosts that never spoke, or not
        with this service, is a new talker; many new peers of one source, a host scan."""
        opened = self._opened[:]
        self._opened.clear()
        decoder = self.decoder
        for key in opened:
            self._flow(key, decoder)

    def _flow(self, key: FlowKey, decoder: OtDecoder) -> None:
        src_b, dst_b, protocol, sport, dport = key
        counters = decoder.flows.get(key)
        if counters is None:
            return
        ts = float(counters[2])  # type: ignore[arg-type]
        src, dst = decoder.ip_text(src_b), decoder.ip_text(dst_b)
        service = observe.service_port(sport, dport)
        talkers = self.b.talkers
        if (src, dst, protocol, service) in talkers or (dst, src, protocol, service) in talkers:
            return
        pair = (src, dst) if src < dst else (dst, src)
        if pair in self._pairs_alerted:
            return
        if len(self._pairs_alerted) >= MAX_STATE:
            self._pairs_alerted.clear()
        self._pairs_alerted.add(pair)
        peers = self._novel(ts, src, None, "peer", dst)
        if peers >= HOST_SCAN_COUNT:
            self.raise_alert(ts, AlertKind.HOST_SCAN, src, None, "", count=str(peers))
            return
        new_host = src if src not in self.b.hosts else dst if dst not in self.b.hosts else "-"
        self.raise_alert(ts, AlertKind.NEW_TALKER, src, dst, f"{protocol}/{service}",
                         protocol=str(protocol), port=str(service), new_host=new_host)
