"""A webhook: batches of events POSTed as JSON, signed as Standard Webhooks 1.0.0 says
(https://www.standardwebhooks.com, "Signature scheme" and "Webhook headers").

Headers ``webhook-id`` (the batch: its first and last event ids, the same on every
retry), ``webhook-timestamp`` (Unix seconds of the attempt) and ``webhook-signature``:
``v1,`` and the base64 HMAC-SHA256 of ``{webhook-id}.{webhook-timestamp}.{body}`` under
the secret, which is given as Standard Webhooks serialises it: ``whsec_`` and the base64
of 24 to 64 random bytes. Responses are read as the standard advises: 2xx delivered;
429 and 5xx, a timeout or a refused connection worth another attempt (after Retry-After
when given); a redirect, 410 or any other status not (the URL must be corrected).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import ssl
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import Message as HeaderMessage

import orjson

from cpstrust import __version__
from cpstrust.errors import InputError
from cpstrust.formats.event_json import event_record
from cpstrust.model.events import Event
from cpstrust.remote.http import check_url_scheme
from cpstrust.sinks.interface import EventSink, SinkFailedError, SinkUnavailableError

SECRET_PREFIX = "whsec_"
SECRET_BYTES = range(24, 65)
EVENT_TYPE = "cpstrust.finding_events"
_RESPONSE_LIMIT = 64 * 1024  # read and dropped: the status is the answer


def webhook_key(secret: str, *, source: str) -> bytes:
    """The HMAC key of a ``whsec_`` secret; InputError naming ``source`` otherwise."""
    if not secret.startswith(SECRET_PREFIX):
        raise InputError("events_secret_malformed", source=source)
    try:
        key = base64.b64decode(secret.removeprefix(SECRET_PREFIX), validate=True)
    except binascii.Error:
        raise InputError("events_secret_malformed", source=source) from None
    if len(key) not in SECRET_BYTES:
        raise InputError("events_secret_length", size=len(key), source=source)
    return key


def signature(key: bytes, message_id: str, timestamp: int, body: bytes) -> str:
    """The ``webhook-signature`` value of one attempt."""
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(key, signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


@dataclass(frozen=True, slots=True)
class WebhookTarget:
    url: str
    key: bytes | None  # None: sent unsigned
    timeout: float = 30.0  # the standard's advice: 15 to 30 s
    allow_insecure_http: bool = False


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is a failure: the webhook's URL is to be corrected, not followed."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


class WebhookSink(EventSink):
    def __init__(self, target: WebhookTarget) -> None:
        check_url_scheme(target.url, allow_insecure_http=target.allow_insecure_http)
        self.target = target
        self.name = f"webhook:{target.url}"
        self._opener = urllib.request.build_opener(
            urllib.request.HTTPSHandler(context=ssl.create_default_context()), _NoRedirects())

    def deliver(self, events: Sequence[Event]) -> None:
        message_id = f"msg_{events[0].id}_{events[-1].id}"  # no '.', as the scheme needs
        body = orjson.dumps({
            "type": EVENT_TYPE,
            "timestamp": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
            "data": {"events": [event_record(e) for e in events]},
        })
        timestamp = int(time.time())
        headers = {"content-type": "application/json", "user-agent": f"cpstrust/{__version__}",
                   "webhook-id": message_id, "webhook-timestamp": str(timestamp)}
        if self.target.key is not None:
            headers["webhook-signature"] = signature(self.target.key, message_id, timestamp,
                                                     body)
        request = urllib.request.Request(self.target.url, data=body, headers=headers,
                                         method="POST")
        try:
            with self._opener.open(request, timeout=self.target.timeout) as response:
                response.read(_RESPONSE_LIMIT)
        except urllib.error.HTTPError as exc:
            raise _refused(exc, self.target.url) from None
        except (OSError, TimeoutError) as exc:  # URLError, refused, reset, timed out
            reason = getattr(exc, "reason", exc)
            raise SinkUnavailableError("events_webhook_unreachable", error=str(reason),
                                       source=self.target.url) from None


def _refused(error: urllib.error.HTTPError, url: str) -> SinkFailedError:
    status = error.code
    if status != 429 and status < 500:
        return SinkFailedError("events_webhook_status", status=status, source=url)
    failure = SinkUnavailableError("events_webhook_status", status=status, source=url)
    failure.retry_after = _retry_after(error.headers)
    return failure


def _retry_after(headers: HeaderMessage | None) -> float | None:
    """Retry-After in seconds; an HTTP date is not honoured (the backoff stands)."""
    value = headers.get("retry-after") if headers is not None else None
    if value is None or not value.strip().isdigit():
        return None
    return float(value.strip())
