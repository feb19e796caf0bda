"""What the learned model sees: per-flow windows of fixed length, each summed up as a
vector (``WINDOW_FEATURES``) of what rules judge poorly one message at a time: the
request rate against what the baseline expected, the mix of functions (how many, and
its entropy), units and addresses touched, the share of writes and of exceptions,
requests left unanswered, how regular the requests came (the spread of their
intervals) and how much each asked for. The same code feeds learning and detection, so
the model is scored on exactly what it was trained on."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable

from cpstrust.model.ot import MODBUS_WRITE_FUNCTIONS, BacnetMessage, ModbusMessage

WINDOW_SECONDS = 10.0
FlowWindowKey = tuple[str, str, str]  # client, server, protocol
# what a closed window yields: the flow, its first and last message time, the vector
WindowSink = Callable[[FlowWindowKey, float, float, tuple[float, ...]], None]
_BACNET_WRITE = 15  # WriteProperty
_BACNET_ERRORS = (5, 6, 7)  # error, reject, abort


class _Window:
    __slots__ = ("addresses", "answers", "end", "exceptions", "first", "functions",
                 "gap_squares", "gaps", "index", "items", "last", "requests", "units", "writes")

    def __init__(self, index: int, ts: float) -> None:
        self.index = index
        self.end = (index + 1) * WINDOW_SECONDS
        self.first = self.last = ts
        self.requests = self.answers = self.writes = self.exceptions = self.items = 0
        self.gaps = self.gap_squares = 0.0  # between successive requests
        self.functions: dict[int, int] = {}  # function or service -> requests
        self.units: set[int] = set()
        self.addresses: set[int] = set()


class FlowWindows:
    """Per-flow windows of ``WINDOW_SECONDS``; ``sink`` receives each as it closes.
    ``expected`` gives the requests a window of a known flow normally holds (None for a
    flow the baseline does not know). At most ``max_flows`` windows are open at once."""

    def __init__(self, sink: WindowSink,
                 expected: Callable[[str, str], float | None] = lambda c, s: None,
                 max_flows: int = 100_000) -> None:
        self.sink = sink
        self.expected = expected
        self.max_flows = max_flows
        self._open: dict[FlowWindowKey, _Window] = {}

    def _window(self, key: FlowWindowKey, ts: float) -> _Window:
        index = int(ts // WINDOW_SECONDS)
        window = self._open.get(key)
        if window is None or window.index != index:
            if window is not None:
                self._close(key, window)
            elif len(self._open) >= self.max_flows:
                self.flush_before(ts)
            window = self._open[key] = _Window(index, ts)
        return window

    def _request(self, w: _Window, ts: float, function: int) -> None:
        if w.requests:
            gap = ts - w.last
            w.gaps += gap
            w.gap_squares += gap * gap
        w.last = ts
        w.requests += 1
        functions = w.functions
        functions[function] = functions.get(function, 0) + 1

    def modbus(self, m: ModbusMessage) -> None:
        ts = m.ts
        if m.response:
            key = (m.dst, m.src, "modbus")
            w = self._open.get(key)  # the open window, as nearly always: no call
            if w is None or ts >= w.end:
                w = self._window(key, ts)
            w.answers += 1
            if m.exception is not None:
                w.exceptions += 1
            return
        key = (m.src, m.dst, "modbus")
        w = self._open.get(key)
        if w is None or ts >= w.end:
            w = self._window(key, ts)
        self._request(w, ts, m.function)
        w.units.add(m.unit_id)
        if m.address is not None:
            w.addresses.add(m.address)
        w.items += m.quantity or len(m.values) or 1
        if m.function in MODBUS_WRITE_FUNCTIONS:
            w.writes += 1

    def bacnet(self, m: BacnetMessage) -> None:
        apdu = m.apdu_type
        if apdu is None or apdu == 1:  # network messages, unconfirmed: not a request/answer
            return
        if apdu != 0:
            w = self._window((m.dst, m.src, "bacnet"), m.ts)
            w.answers += 1
            if apdu in _BACNET_ERRORS:
                w.exceptions += 1
            return
        w = self._window((m.src, m.dst, "bacnet"), m.ts)
        self._request(w, m.ts, -1 if m.service is None else m.service)
        if m.service == _BACNET_WRITE:
            w.writes += 1
        w.items += len(m.references) or 1
        for ref in m.references:
            if ref.instance is not None:
                w.units.add(ref.object_type or 0)
                w.addresses.add(ref.instance)

    def flush_before(self, ts: float) -> None:
        """Close every window that ended before ``ts`` (or all, with ``math.inf``)."""
        index = ts // WINDOW_SECONDS if ts < math.inf else math.inf  # inf // x is nan
        for key, window in list(self._open.items()):
            if window.index < index:
                self._close(key, window)

    def _close(self, key: FlowWindowKey, window: _Window) -> None:
        del self._open[key]
        if window.requests:  # answers alone (a window cut by the clock) say little
            self.sink(key, window.first, window.last, self._vector(key, window))

    def _vector(self, key: FlowWindowKey, w: _Window) -> tuple[float, ...]:
        expected = self.expected(key[0], key[1])
        requests = w.requests
        return (math.log1p(requests), against_expected(requests, expected),
                0.0 if expected is None else 1.0, float(len(w.functions)),
                _entropy(w.functions.values(), requests), float(len(w.units)),
                math.log1p(len(w.addresses)), w.writes / requests,
                w.exceptions / max(w.answers, 1),
                round(math.log1p(requests) - math.log1p(w.answers), 4),
                _spread(w.gaps, w.gap_squares, requests - 1),
                round(math.log1p(w.items / requests), 4))


def against_expected(requests: float, expected: float | None) -> float:
    """How many times more (positive) or fewer requests than expected, as a log."""
    if expected is None:
        return 0.0
    return round(math.log((requests + 1) / (expected + 1)), 4)


def _entropy(counts: Iterable[int], total: int) -> float:
    """Shannon entropy (bits) of the function mix: 0 for one function."""
    found = 0.0
    for count in counts:
        share = count / total
        found -= share * math.log2(share)
    return round(found, 4)


def _spread(total: float, squares: float, gaps: int) -> float:
    """The coefficient of variation of the intervals between requests: near 0 for a
    steady poll, large for bursts; 0 with fewer than two intervals."""
    if gaps < 2 or total <= 0:
        return 0.0
    mean = total / gaps
    variance = max(squares / gaps - mean * mean, 0.0)
    return round(min(math.sqrt(variance) / mean, 10.0), 4)
