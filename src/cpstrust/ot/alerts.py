"""Bursts into alerts: occurrences of the same deviation (kind, source, destination,
what deviated) no more than ``gap`` seconds apart become one alert with a count, so
that an operator reads one line for a flood, not ten thousand."""

from __future__ import annotations

from cpstrust.model.ot_detect import Alert, AlertKind, Detector

DEFAULT_GAP = 60.0
MAX_OPEN = 50_000  # bursts followed at once; the oldest closes past it
MAX_ALERTS = 100_000  # alerts kept; more are counted as dropped
# the kind's name, source, destination, detail: the name stands for the kind because an
# enum member's hash runs Python code (``Enum.__hash__``), a str's is cached
_Key = tuple[str, str | None, str | None, str]


class _Burst:
    __slots__ = ("count", "detector", "explanation", "facts", "first", "kind", "last")

    def __init__(self, ts: float, kind: AlertKind, detector: Detector, explanation: str,
                 facts: tuple[tuple[str, str], ...]) -> None:
        self.first = self.last = ts
        self.count = 1
        self.kind = kind
        self.detector = detector
        self.explanation = explanation
        self.facts = facts  # the first occurrence's: what deviated, from what, how far


class AlertAggregator:
    def __init__(self, gap: float = DEFAULT_GAP) -> None:
        self.gap = gap
        self.dropped = 0
        self._open: dict[_Key, _Burst] = {}
        self._closed: list[Alert] = []
        # when a list, each burst opened is appended to it as an alert of count 1: a
        # live monitor shows and stores it at once (``take_opened``)
        self.opened: list[Alert] | None = None

    def counted(self, ts: float, kind: AlertKind, src: str | None, dst: str | None,
                detail: str) -> bool:
        """Count an occurrence of a burst still open (no more than ``gap`` after its last
        one): True. False when it would open a burst, nothing changed: then
        ``raise_alert`` it with its facts. A burst keeps only its first occurrence's
        facts, so a caller asking this first formats them once per burst, not per
        occurrence (a flood is thousands)."""
        burst = self._open.get((kind._name_, src, dst, detail))
        if burst is not None and ts - burst.last <= self.gap:
            burst.count += 1
            if ts > burst.last:
                burst.last = ts
            return True
        return False

    def raise_alert(self, ts: float, kind: AlertKind, src: str | None, dst: str | None,
                    detail: str, explanation: str, facts: tuple[tuple[str, str], ...],
                    detector: Detector = Detector.RULES) -> None:
        if self.counted(ts, kind, src, dst, detail):
            return
        key = (kind._name_, src, dst, detail)
        burst = self._open.get(key)
        if burst is not None:  # quiet for longer than the gap: a new burst
            self._close(key, burst)
        elif len(self._open) >= MAX_OPEN:
            oldest = next(iter(self._open))
            self._close(oldest, self._open[oldest])
        self._open[key] = _Burst(ts, kind, detector, explanation, facts)
        if self.opened is not None:
            self.opened.append(Alert(kind, detector, ts, ts, src, dst, detail, 1, explanation,
                                     facts))

    def _close(self, key: _Key, burst: _Burst) -> None:
        del self._open[key]
        if len(self._closed) >= MAX_ALERTS:
            self.dropped += 1
            return
        _name, src, dst, detail = key
        self._closed.append(Alert(burst.kind, burst.detector, burst.first, burst.last, src, dst,
                                  detail, burst.count, burst.explanation, burst.facts))

    def take_opened(self) -> list[Alert]:
        """The bursts opened since the last call (needs ``opened`` set to a list)."""
        opened = self.opened or []
        self.opened = []
        return opened

    def take_closed(self, before: float) -> list[Alert]:
        """Close the bursts quiet since before ``before`` (capture time) and hand over
        every alert closed so far: a live monitor keeps none of them."""
        for key, burst in list(self._open.items()):
            if burst.last < before:
                self._close(key, burst)
        closed, self._closed = self._closed, []
        return closed

    def alerts(self) -> tuple[Alert, ...]:
        """Every alert, the bursts still open closed, in order of their first time."""
        for key, burst in list(self._open.items()):
            self._close(key, burst)
        return tuple(sorted(self._closed, key=lambda a: (a.ts_first, a.key)))
