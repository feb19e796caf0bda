"""The seam between the outbox of events and the places they are delivered to.

A sink receives batches of events in id order. It may deliver a batch again after a
crash or a failed attempt (at-least-once): every event carries its id for consumers to
drop repeats. ``app.event_delivery`` keeps each sink's cursor and the retries.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from types import TracebackType

from cpstrust.errors import CpstrustError
from cpstrust.model.events import Event


class SinkFailedError(CpstrustError):
    """A batch was not delivered, and trying it again would not help."""

    retryable = False
    retry_after: float | None = None  # seconds the sink asked to wait, if it did


class SinkUnavailableError(SinkFailedError):
    """A batch was not delivered, but a later attempt may be taken."""

    retryable = True


class EventSink(ABC):
    """A destination of events, used as a context manager around its deliveries."""

    # Names the sink's delivery cursor in the store: one cursor per destination.
    name: str

    def __enter__(self) -> EventSink:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        return None

    def written_up_to(self) -> int:
        """The id of the last event the destination itself shows delivered (0 when it
        cannot tell): a crash after a write but before the cursor moved is caught up."""
        return 0

    @abstractmethod
    def deliver(self, events: Sequence[Event]) -> None:
        """Deliver ``events`` (in id order) durably, or raise SinkFailedError."""
