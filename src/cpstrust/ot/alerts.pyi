"""Types of the compiled alert aggregator (alerts.pyx, ADR 0033)."""

from cpstrust.model.ot_detect import Alert, AlertKind, Detector

DEFAULT_GAP: float
MAX_OPEN: int
MAX_ALERTS: int

class AlertAggregator:
    gap: float
    dropped: int
    # when a list, each burst opened is appended to it as an alert of count 1: a live
    # monitor shows and stores it at once (``take_opened``)
    opened: list[Alert] | None

    def __init__(self, gap: float = ...) -> None: ...
    def counted(self, ts: float, kind: AlertKind, src: str | None, dst: str | None,
                detail: str) -> bool:
        """Count an occurrence of a burst still open (no more than ``gap`` after its last
        one): True. False when it would open a burst, nothing changed: then
        ``raise_alert`` it with its facts."""
    def raise_alert(self, ts: float, kind: AlertKind, src: str | None, dst: str | None,
                    detail: str, explanation: str, facts: tuple[tuple[str, str], ...],
                    detector: Detector = ...) -> None: ...
    def take_opened(self) -> list[Alert]:
        """The bursts opened since the last call (needs ``opened`` set to a list)."""
    def take_closed(self, before: float) -> list[Alert]:
        """Close the bursts quiet since before ``before`` (capture time) and hand over
        every alert closed so far: a live monitor keeps none of them."""
    def alerts(self) -> tuple[Alert, ...]:
        """Every alert, the bursts still open closed, in order of their first time."""
