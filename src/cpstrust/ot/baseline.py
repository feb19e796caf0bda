"""Learning a baseline from captures of normal operation: who talks to whom, with
which functions, units, addresses, services and objects; the values each register and
object reported or was written, with a margin from how they varied; the polling
periods and request rates of each client-server pair; the learned model, fitted on
the windows of the training traffic.

Robust statistics throughout (medians, median absolute deviations, the fullest window
seen), each kept in bounded memory: samples past a bound are dropped, not stored.
"""

from __future__ import annotations

import math
import statistics
from array import array
from bisect import bisect_left
from random import Random

from cpstrust.model.ot import ArpMessage, BacnetMessage, ModbusMessage
from cpstrust.model.ot_detect import (
    BASELINE_VERSION,
    Baseline,
    RateProfile,
    ValueKey,
    ValueRange,
)
from cpstrust.ot import observe
from cpstrust.ot.decoder import OtDecoder
from cpstrust.ot.features import FlowWindowKey, FlowWindows, against_expected
from cpstrust.ot.window_model import fit_window_model

MAX_SAMPLES = 200_000  # request times kept per client-server pair
MAX_DIFFS = 2_000  # successive differences kept per value
MAX_WINDOWS = 20_000  # windows kept for the learned model (a fixed-seed sample past it)
MAX_KEYS = 100_000  # values, pairs, poll keys
WINDOW_PERIODS = 6  # a rate window holds this many of the pair's slowest poll period
_PollKey = tuple[str, str, int, int, int]  # client, server, unit, function, address


class _Values:
    __slots__ = ("diffs", "high", "last", "low", "samples")

    def __init__(self, value: float) -> None:
        self.low = self.high = self.last = value
        self.samples = 1
        self.diffs = array("d")

    def add(self, value: float) -> None:
        if value < self.low:
            self.low = value
        elif value > self.high:
            self.high = value
        if len(self.diffs) < MAX_DIFFS:
            self.diffs.append(abs(value - self.last))
        self.last = value
        self.samples += 1

    def range(self, setpoint: bool) -> ValueRange:
        """The margin: a quarter of the span seen (slow drift past what training saw),
        and at least six standard deviations of the noise (from the median successive
        difference). A setpoint (what operators write) moves in steps training saw few
        of: its margin is the whole span seen, and half its size. A value never
        seen to move may move by its own size (a setpoint not changed yet)."""
        span = self.high - self.low
        sigma = statistics.median(self.diffs) / 0.954 if self.diffs else 0.0
        margin = max((1.0 if setpoint else 0.25) * span, 6.0 * sigma)
        size = max(abs(self.low), abs(self.high))
        if setpoint:
            margin = max(margin, 0.5 * size)
        if span <= 0.02 * size:
            margin = max(margin, (2.0 if setpoint else 1.0) * size)
        return ValueRange(self.low, self.high, round(max(margin, 1.0), 6), self.samples)


class BaselineLearner:
    """Reads the messages of one or more captures (``modbus``, ``bacnet``), then the
    decoder's flows (``add_flows``); ``baseline`` at the end."""

    def __init__(self) -> None:
        self.packets = 0
        self.first_ts = math.inf
        self.last_ts = -math.inf
        self.hosts: set[str] = set()
        self.talkers: set[tuple[str, str, int, int]] = set()
        self.functions: set[tuple[str, str, int, int]] = set()
        self.units: set[tuple[str, int]] = set()
        self.ranges: dict[tuple[str, str, int, str], tuple[int, int]] = {}
        self.writers: set[tuple[str, str]] = set()
        self.services: set[tuple[str, str, int, int]] = set()
        self.objects: set[tuple[str, int, int]] = set()
        self.values: dict[ValueKey, _Values] = {}
        self.requests: dict[tuple[str, str], array[float]] = {}
        self.polls: dict[_PollKey, float] = {}
        self.intervals: dict[tuple[str, str], array[float]] = {}
        self.windows: list[tuple[FlowWindowKey, tuple[float, ...]]] = []
        self._windows_seen = 0
        self._sample = Random(0)
        self.flow_windows = FlowWindows(self._window)

    def _window(self, key: FlowWindowKey, first: float, last: float,
                vector: tuple[float, ...]) -> None:
        """Keep a uniform sample of the windows (reservoir, fixed seed)."""
        self._windows_seen += 1
        if len(self.windows) < MAX_WINDOWS:
            self.windows.append((key, vector))
        else:
            slot = self._sample.randrange(self._windows_seen)
            if slot < MAX_WINDOWS:
                self.windows[slot] = (key, vector)

    def modbus(self, m: ModbusMessage) -> None:
        self.flow_windows.modbus(m)
        if m.response:
            for address, value in observe.modbus_values(m):
                self._value(("modbus", m.src, m.unit_id, _table_code(m.function), address),
                            value)
            return
        client, server = m.src, m.dst
        function, sub = observe.function_key(m)
        self.functions.add((client, server, function, sub))
        self.units.add((server, m.unit_id))
        self._request(client, server, m.ts)
        table = observe.table_of(m.function)
        if m.address is not None and table is not None:
            key = (client, server, m.unit_id, table)
            low, high = self.ranges.get(key, (m.address, m.address))
            end = m.address + max(m.quantity or 1, len(m.values), 1)
            self.ranges[key] = (min(low, m.address), max(high, end))
        if m.address is not None and m.function <= 4:  # the cyclic reads set the period
            self._poll((client, server, m.unit_id, m.function, m.address), m.ts)
        if function in (5, 6, 21, 22, 23):
            self.writers.add((client, "modbus"))
            for address, value in observe.modbus_values(m):
                self._value(("modbus", server, m.unit_id, _table_code(m.function), address),
                            value)

    def bacnet(self, m: BacnetMessage) -> None:
        self.flow_windows.bacnet(m)
        if m.apdu_type in (0, 1) and m.service is not None:
            self.services.add((m.src, m.dst, m.apdu_type, m.service))
        if m.apdu_type == 0:
            self._request(m.src, m.dst, m.ts)
            for ref in m.references:
                if ref.instance is not None and ref.object_type is not None:
                    self.objects.add((m.dst, ref.object_type, ref.instance))
            if m.service == observe.BACNET_WRITE_PROPERTY:
                self.writers.add((m.src, "bacnet"))
                for object_type, instance, prop, value in observe.bacnet_values(m):
                    self._value(("bacnet", m.dst, object_type, instance, prop), value)
                return
        if observe.bacnet_reports(m):
            for object_type, instance, prop, value in observe.bacnet_values(m):
                self.objects.add((m.src, object_type, instance))
                self._value(("bacnet", m.src, object_type, instance, prop), value)

    def arp(self, m: ArpMessage) -> None:
        """Who asks for whom: normal ARP, as talkers (``observe.ARP_TALKER``)."""
        if observe.arp_asks(m) and len(self.talkers) < MAX_KEYS:
            self.hosts.add(m.sender_ip)
            self.talkers.add((m.sender_ip, m.target_ip, observe.ARP_TALKER, 0))

    def _value(self, key: ValueKey, value: float) -> None:
        values = self.values.get(key)
        if values is not None:
            values.add(value)
        elif len(self.values) < MAX_KEYS:
            self.values[key] = _Values(value)

    def _request(self, client: str, server: str, ts: float) -> None:
        times = self.requests.get((client, server))
        if times is None:
            if len(self.requests) >= MAX_KEYS:
                return
            times = self.requests[(client, server)] = array("d")
        if len(times) < MAX_SAMPLES:
            times.append(ts)

    def _poll(self, key: _PollKey, ts: float) -> None:
        last = self.polls.get(key)
        if last is None and len(self.polls) >= MAX_KEYS:
            return
        self.polls[key] = ts
        if last is not None:
            pair = (key[0], key[1])
            intervals = self.intervals.get(pair)
            if intervals is None:
                intervals = self.intervals[pair] = array("d")
            if len(intervals) < MAX_SAMPLES:
                intervals.append(ts - last)

    def add_flows(self, decoder: OtDecoder) -> None:
        """The hosts and talkers of one decoded capture, and its packet count."""
        self.flow_windows.flush_before(math.inf)
        self.packets += decoder.packets
        if decoder.first_ts is not None and decoder.last_ts is not None:
            self.first_ts = min(self.first_ts, decoder.first_ts)
            self.last_ts = max(self.last_ts, decoder.last_ts)
        for src, dst, protocol, sport, dport in decoder.flows:
            a, b = decoder.ip_text(src), decoder.ip_text(dst)
            self.hosts.update((a, b))
            self.talkers.add((a, b, protocol, observe.service_port(sport, dport)))

    def baseline(self) -> Baseline:
        rates = {pair: _rate(times, self.intervals.get(pair)) for pair, times
                 in self.requests.items() if len(times) >= 3}
        per_window: dict[tuple[str, str], list[float]] = {}
        for (client, server, _protocol), vector in self.windows:
            per_window.setdefault((client, server), []).append(math.expm1(vector[0]))
        for pair, counts in per_window.items():
            if pair in rates:
                rates[pair] = _with_per_window(rates[pair], statistics.median(counts))
        windows = [(key, _with_expectation(vector, rates.get((key[0], key[1]))))
                   for key, vector in self.windows]
        fastest = max((r.max_count / r.window for r in rates.values()), default=1.0)
        return Baseline(
            version=BASELINE_VERSION, packets=self.packets,
            first_ts=self.first_ts if self.packets else 0.0,
            last_ts=self.last_ts if self.packets else 0.0,
            hosts=frozenset(self.hosts), talkers=frozenset(self.talkers),
            modbus_functions=frozenset(self.functions), modbus_units=frozenset(self.units),
            address_ranges=dict(self.ranges), writers=frozenset(self.writers),
            bacnet_services=frozenset(self.services), bacnet_objects=frozenset(self.objects),
            values={k: v.range(_setpoint(k)) for k, v in self.values.items()}, rates=rates,
            fastest_rate=round(fastest, 6), model=fit_window_model(windows))


def _setpoint(key: ValueKey) -> bool:
    """Holding registers, analog outputs and values: what operators write."""
    return key[3] == 3 if key[0] == "modbus" else key[2] in (1, 2)


def _table_code(function: int) -> int:
    """The register table as a number in a value key: 3 holding, 4 input."""
    return 4 if observe.table_of(function) == "input" else 3


def _rate(times: array[float], intervals: array[float] | None) -> RateProfile:
    """Interval statistics of the pair's polls, and its trailing-window counts."""
    ordered = sorted(intervals) if intervals else [0.0]
    median = statistics.median(ordered)
    mad = statistics.median(abs(x - median) for x in ordered)
    slowest = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    window = min(300.0, max(10.0, WINDOW_PERIODS * slowest))
    stamps = sorted(times)
    counts = [i - bisect_left(stamps, ts - window) + 1 for i, ts in enumerate(stamps)
              if ts - stamps[0] >= window]  # only windows wholly inside the capture
    if not counts:
        counts = [len(stamps)]
    return RateProfile(interval=round(median, 6), interval_mad=round(mad, 6),
                       window=round(window, 3), median_count=statistics.median(counts),
                       max_count=max(counts), per_window=0.0)


def _with_per_window(rate: RateProfile, per_window: float) -> RateProfile:
    return RateProfile(rate.interval, rate.interval_mad, rate.window, rate.median_count,
                       rate.max_count, per_window)


def _with_expectation(vector: tuple[float, ...], rate: RateProfile | None,
                      ) -> tuple[float, ...]:
    """Fill in what the pair's median window holds, known once every window is seen."""
    if rate is None:
        return vector
    against = against_expected(math.expm1(vector[0]), rate.per_window)
    return (vector[0], against, 1.0, *vector[3:])
