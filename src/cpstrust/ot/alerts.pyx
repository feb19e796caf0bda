# cython: language_level=3
"""Bursts into alerts: occurrences of the same deviation (kind, source, destination,
what deviated) no more than ``gap`` seconds apart become one alert with a count, so
that an operator reads one line for a flood, not ten thousand.

Compiled with Cython (ADR 0033); ``alerts.pxd`` declares it for the rules, which count
each occurrence of a flood with a C call (``counted``), and ``alerts.pyi`` types it for
mypy.
"""

from cpstrust.model.ot_detect import Alert, Detector

DEFAULT_GAP = 60.0
MAX_OPEN = 50_000  # bursts followed at once; the oldest closes past it
MAX_ALERTS = 100_000  # alerts kept; more are counted as dropped


cdef tuple _key(kind, src, dst, str detail):
    """A burst's key: the kind's name, source, destination, detail. The name stands
    for the kind because an enum member's hash runs Python code (``Enum.__hash__``), a
    str's is cached."""
    return (kind._name_, src, dst, detail)


cdef class _Burst:
    def __cinit__(self, double ts, kind, detector, str explanation, tuple facts):
        self.first = self.last = ts
        self.count = 1
        self.kind = kind
        self.detector = detector
        self.explanation = explanation
        self.facts = facts  # the first occurrence's: what deviated, from what, how far


cdef class AlertAggregator:
    def __init__(self, double gap=DEFAULT_GAP):
        self.gap = gap
        self.dropped = 0
        self._open = {}
        self._closed = []
        # when a list, each burst opened is appended to it as an alert of count 1: a
        # live monitor shows and stores it at once (``take_opened``)
        self.opened = None

    cpdef bint counted(self, double ts, kind, src, dst, str detail) except -1:
        """Count an occurrence of a burst still open (no more than ``gap`` after its last
        one): True. False when it would open a burst, nothing changed: then
        ``raise_alert`` it with its facts. A burst keeps only its first occurrence's
        facts, so a caller asking this first formats them once per burst, not per
        occurrence (a flood is thousands)."""
        found = self._open.get(_key(kind, src, dst, detail))
        if found is None:
            return False
        cdef _Burst burst = <_Burst>found
        if ts - burst.last <= self.gap:
            burst.count += 1
            if ts > burst.last:
                burst.last = ts
            return True
        return False

    def raise_alert(self, double ts, kind, src, dst, str detail, str explanation,
                    tuple facts, detector=Detector.RULES):
        if self.counted(ts, kind, src, dst, detail):
            return
        key = _key(kind, src, dst, detail)
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

    cdef int _close(self, tuple key, _Burst burst) except -1:
        del self._open[key]
        if len(self._closed) >= MAX_ALERTS:
            self.dropped += 1
            return 0
        _name, src, dst, detail = key
        self._closed.append(Alert(burst.kind, burst.detector, burst.first, burst.last, src, dst,
                                  detail, burst.count, burst.explanation, burst.facts))
        return 0

    def take_opened(self):
        """The bursts opened since the last call (needs ``opened`` set to a list)."""
        opened = self.opened or []
        self.opened = []
        return opened

    def take_closed(self, double before):
        """Close the bursts quiet since before ``before`` (capture time) and hand over
        every alert closed so far: a live monitor keeps none of them."""
        for key, burst in list(self._open.items()):
            if (<_Burst>burst).last < before:
                self._close(key, burst)
        closed, self._closed = self._closed, []
        return closed

    def alerts(self):
        """Every alert, the bursts still open closed, in order of their first time."""
        for key, burst in list(self._open.items()):
            self._close(key, burst)
        return tuple(sorted(self._closed, key=lambda a: (a.ts_first, a.key)))
