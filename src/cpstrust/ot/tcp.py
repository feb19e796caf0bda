"""TCP reassembly of one direction of a connection: the bytes in sequence order, once
each, whatever order the segments came in.

First data wins: a retransmitted or overlapping segment gives only the bytes not yet
delivered (Linux keeps the first copy too; a segment that rewrites delivered bytes is
counted as an overlap, not obeyed). Segments ahead of the next expected byte are held up
to a bound; past it the missing bytes are declared a gap and delivery resumes at the
earliest held segment, telling the caller that the bytes are not continuous.
"""

from __future__ import annotations

from cpstrust.model.ot import StreamEvent

_MASK = 0xFFFFFFFF
_HALF = 1 << 31
NOTHING: tuple[bytes, bool] = (b"", True)


def _ahead(seq: int, expected: int) -> int:
    """How far ``seq`` lies past ``expected``, negative when behind (modulo 2**32)."""
    delta = (seq - expected) & _MASK
    return delta - (1 << 32) if delta >= _HALF else delta


class TcpDirection:
    """One direction's reassembly state; ``counts`` is shared by every direction of a
    decoder."""

    __slots__ = ("counts", "held", "held_bytes", "max_held", "next_seq")

    def __init__(self, max_held: int, counts: dict[StreamEvent, int]) -> None:
        self.next_seq: int | None = None
        self.held: dict[int, bytes] = {}  # out-of-order segments by sequence number
        self.held_bytes = 0
        self.max_held = max_held
        self.counts = counts

    def restart(self) -> None:
        """Forget the position: the next segment starts the stream again (after a capture
        cut a segment short)."""
        self.next_seq = None
        self.held.clear()
        self.held_bytes = 0

    def accept(self, seq: int, payload: bytes, syn: bool) -> tuple[bytes, bool]:
        """The bytes this segment makes deliverable, and whether they follow the last
        ones delivered without a gap."""
        if syn:
            self.next_seq = (seq + 1) & _MASK
            seq = self.next_seq
        if not payload:
            return NOTHING
        expected = self.next_seq
        if expected is None:  # the capture started mid-stream
            expected = seq
        ahead = _ahead(seq, expected)
        if ahead == 0 and not self.held:
            self.next_seq = (seq + len(payload)) & _MASK
            return payload, True
        if ahead < 0:
            if -ahead >= len(payload):
                self._count(StreamEvent.RETRANSMISSION)
                return NOTHING
            self._count(StreamEvent.OVERLAP)
            payload, seq = payload[-ahead:], expected
        elif ahead > 0:
            return self._hold(seq, payload, expected)
        self.next_seq = (seq + len(payload)) & _MASK
        return payload + self._drain(), True

    def _hold(self, seq: int, payload: bytes, expected: int) -> tuple[bytes, bool]:
        self._count(StreamEvent.OUT_OF_ORDER)
        if seq not in self.held or len(self.held[seq]) < len(payload):
            self.held_bytes += len(payload) - len(self.held.get(seq, b""))
            self.held[seq] = payload
        self.next_seq = expected
        if self.held_bytes <= self.max_held:
            return NOTHING
        self._count(StreamEvent.GAP)
        self.next_seq = min(self.held, key=lambda s: _ahead(s, expected))
        return self._drain(), False

    def _drain(self) -> bytes:
        """The held segments that now follow on, in order; those wholly delivered are
        dropped as overlaps."""
        parts = []
        progressed = True
        while self.held and progressed:
            progressed = False
            for seq in list(self.held):
                assert self.next_seq is not None
                ahead = _ahead(seq, self.next_seq)
                if ahead > 0:
                    continue
                segment = self.held.pop(seq)
                self.held_bytes -= len(segment)
                progressed = True
                if -ahead >= len(segment):
                    self._count(StreamEvent.OVERLAP)
                    continue
                if ahead:
                    self._count(StreamEvent.OVERLAP)
                parts.append(segment[-ahead:] if ahead else segment)
                self.next_seq = (self.next_seq + len(parts[-1])) & _MASK
        return b"".join(parts)

    def _count(self, event: StreamEvent) -> None:
        self.counts[event] = self.counts.get(event, 0) + 1
