"""Webhook delivery against a real HTTP server on 127.0.0.1 that checks each request's
Standard Webhooks signature itself: a failure worth retrying is retried and every event
arrives once, a 4xx stops delivery with the cursor kept, the secret and URL are checked."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from cpstrust.app.advisories import import_advisory_paths
from cpstrust.app.event_delivery import (
    DeliveryStoppedError,
    RetryPolicy,
    WebhookRequest,
    deliver_to_webhook,
)
from cpstrust.app.events import list_events
from cpstrust.app.sboms import import_sbom
from cpstrust.app.services import Services
from cpstrust.app.vex import import_vex
from cpstrust.errors import CpstrustError, InputError
from event_data import PURL, VEX, advisories, sbom
from webhook_receiver import SECRET, Receiver

FAST = RetryPolicy(attempts=3, first_delay=0.05, max_delay=0.2)


def _two_events(services: Services, tmp_path: Path) -> None:
    import_sbom(services, sbom(tmp_path / "bom.json", PURL), product="Gateway",
                version="2.4.0", supplier="Acme")
    import_advisory_paths(services, [advisories(tmp_path)])
    import_vex(services, VEX)


def _request(receiver: Receiver, secret: str | None = SECRET) -> WebhookRequest:
    return WebhookRequest(receiver.url, secret, "CPSTRUST_WEBHOOK_SECRET", timeout=5,
                          allow_insecure_http=True)


def test_a_failure_then_success_delivers_each_event_once_signed(
        services: Services, tmp_path: Path, receiver: Receiver) -> None:
    _two_events(services, tmp_path)
    receiver.answers = [503]
    done = deliver_to_webhook(services, _request(receiver), retry=FAST)
    again = deliver_to_webhook(services, _request(receiver), retry=FAST)
    assert (done.delivered, again.delivered) == (2, 0)
    assert (receiver.requests, receiver.bad_signatures) == (2, 0)
    assert [e["id"] for e in receiver.events] == [e.id for e in list_events(services)]
    assert [e["kind"] for e in receiver.events] == ["introduced", "resolved"]


def test_a_4xx_stops_delivery_and_keeps_the_cursor(services: Services, tmp_path: Path,
                                                   receiver: Receiver) -> None:
    _two_events(services, tmp_path)
    receiver.answers = [400]
    with pytest.raises(DeliveryStoppedError) as caught:
        deliver_to_webhook(services, _request(receiver), retry=FAST)
    assert receiver.requests == 1  # not retried
    assert "HTTP 400" in str(caught.value)
    done = deliver_to_webhook(services, _request(receiver), retry=FAST)
    assert done.delivered == 2  # all of them: the cursor had not moved
    assert len(receiver.events) == 2


def test_failing_every_attempt_stops_after_the_last(services: Services, tmp_path: Path,
                                                    receiver: Receiver) -> None:
    _two_events(services, tmp_path)
    receiver.answers = [500, 502, 503]
    with pytest.raises(DeliveryStoppedError) as caught:
        deliver_to_webhook(services, _request(receiver), retry=FAST)
    assert receiver.requests == 3
    assert caught.value.message.facts["attempts"] == 3
    assert receiver.events == []


def test_a_wrong_secret_is_refused_by_the_receiver(services: Services, tmp_path: Path,
                                                   receiver: Receiver) -> None:
    _two_events(services, tmp_path)
    other = "whsec_" + base64.b64encode(bytes(32)).decode()
    with pytest.raises(DeliveryStoppedError):
        deliver_to_webhook(services, _request(receiver, other), retry=FAST)
    assert receiver.bad_signatures == 1


@pytest.mark.parametrize(("secret", "code"), [
    ("s3cr3t", "events_secret_malformed"),
    ("whsec_not base64!", "events_secret_malformed"),
    ("whsec_" + base64.b64encode(bytes(16)).decode(), "events_secret_length"),
])
def test_a_secret_not_as_standard_webhooks_writes_it_is_refused(
        services: Services, receiver: Receiver, secret: str, code: str) -> None:
    with pytest.raises(InputError) as caught:
        deliver_to_webhook(services, _request(receiver, secret))
    assert caught.value.code == code
    assert caught.value.source == "CPSTRUST_WEBHOOK_SECRET"


@pytest.mark.parametrize(("url", "code"), [
    ("ftp://127.0.0.1/hooks", "http_not_https"),
    ("http://127.0.0.1/hooks", "http_plain_refused"),
])
def test_only_https_urls_unless_plain_http_is_allowed(services: Services, url: str,
                                                      code: str) -> None:
    with pytest.raises(CpstrustError) as caught:
        deliver_to_webhook(services, WebhookRequest(url, SECRET, "VAR"))
    assert caught.value.code == code


def test_a_receiver_that_is_not_there_is_retried_then_reported(
        services: Services, tmp_path: Path, receiver: Receiver) -> None:
    _two_events(services, tmp_path)
    gone = WebhookRequest("http://127.0.0.1:9/hooks", SECRET, "VAR", timeout=2,
                          allow_insecure_http=True)  # port 9 (discard): refused
    with pytest.raises(DeliveryStoppedError) as caught:
        deliver_to_webhook(services, gone, retry=FAST)
    assert caught.value.message.facts["attempts"] == 3
    assert "could not be reached" in str(caught.value)
