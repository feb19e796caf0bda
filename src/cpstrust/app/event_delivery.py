"""Delivering the stored events to a sink: in id order, a batch at a time, each sink's
cursor moved only after its batch was delivered (at-least-once; ADR 0012).

A failure worth another attempt (a 5xx, a timeout) is retried with exponential backoff;
one that is not (a 4xx), or the last attempt failing, stops the delivery with the cursor
after the last batch delivered, so the next run starts with the batch that failed.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cpstrust.app.services import Services
from cpstrust.errors import CpstrustError
from cpstrust.model.events import Event, EventSelection
from cpstrust.sinks.interface import EventSink, SinkFailedError
from cpstrust.sinks.jsonl import JsonlSink
from cpstrust.sinks.webhook import WebhookSink, WebhookTarget, webhook_key
from cpstrust.store.events import delivered_up_to, events_after, record_delivery


class DeliveryStoppedError(CpstrustError):
    """Delivery stopped at a batch the sink did not take; the cursor stayed before it."""


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How often a batch is tried, and how long to wait between tries: ``first_delay``
    doubled after each failure, at most ``max_delay`` (or what the sink asks for)."""

    attempts: int = 6
    first_delay: float = 1.0
    max_delay: float = 60.0

    def delay(self, failures: int, asked: float | None) -> float:
        return min(self.max_delay, asked if asked is not None
                   else self.first_delay * 2 ** (failures - 1))


@dataclass(frozen=True, slots=True)
class Delivery:
    sink: str
    delivered: int  # events delivered by this run
    delivered_up_to: int  # the sink's cursor now
    caught_up: int  # events the sink itself showed written, cursor moved over them


def deliver_events(services: Services, sink: EventSink, *, batch: int = 100,
                   retry: RetryPolicy = RetryPolicy()) -> Delivery:
    """Deliver every event after the sink's cursor, ``batch`` at a time."""
    delivered = caught_up = 0
    with sink:
        with services.store.transaction() as session:
            cursor = delivered_up_to(session, sink.name)
            shown = sink.written_up_to()
            if shown > cursor:
                record_delivery(session, sink.name, shown, datetime.now(UTC))
                caught_up, cursor = shown - cursor, shown
        while True:
            with services.store.transaction() as session:
                events = events_after(session, EventSelection(after_id=cursor), batch)
            if not events:
                return Delivery(sink.name, delivered, cursor, caught_up)
            _deliver_batch(sink, events, retry, delivered, cursor)
            with services.store.transaction() as session:
                record_delivery(session, sink.name, events[-1].id, datetime.now(UTC))
            delivered, cursor = delivered + len(events), events[-1].id


def _deliver_batch(sink: EventSink, events: list[Event], retry: RetryPolicy,
                   delivered: int, cursor: int) -> None:
    failures = 0
    while True:
        try:
            sink.deliver(events)
            return
        except SinkFailedError as failure:
            failures += 1
            if not failure.retryable or failures >= retry.attempts:
                raise DeliveryStoppedError("events_delivery_stopped", delivered=delivered,
                                      cursor=cursor, attempts=failures,
                                      cause=failure.told()) from failure
            time.sleep(retry.delay(failures, failure.retry_after))


def deliver_to_jsonl(services: Services, path: Path, *, batch: int = 500) -> Delivery:
    """Append every event not yet in the JSONL file at ``path`` (``sinks.jsonl``)."""
    return deliver_events(services, JsonlSink(path), batch=batch)


@dataclass(frozen=True, slots=True)
class WebhookRequest:
    url: str
    secret: str | None  # as Standard Webhooks serialises it: whsec_ and base64
    secret_source: str  # where the secret came from, for its errors (an env variable)
    timeout: float = 30.0
    allow_insecure_http: bool = False


def deliver_to_webhook(services: Services, request: WebhookRequest, *, batch: int = 100,
                       retry: RetryPolicy = RetryPolicy()) -> Delivery:
    """POST every event not yet delivered to the webhook, signed (``sinks.webhook``)."""
    key = (webhook_key(request.secret, source=request.secret_source)
           if request.secret is not None else None)
    target = WebhookTarget(request.url, key, request.timeout, request.allow_insecure_http)
    return deliver_events(services, WebhookSink(target), batch=batch, retry=retry)
