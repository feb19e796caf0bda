"""A webhook receiver for the tests: a real HTTP server on 127.0.0.1 that checks each
request's Standard Webhooks signature as a receiver written from the specification does,
answers with the statuses a test sets, and keeps the events it accepted."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

KEY = bytes(range(32))
SECRET = "whsec_" + base64.b64encode(KEY).decode()


@dataclass
class Receiver:
    """What the server was sent and how it answers: ``answers`` first, then 204."""

    answers: list[int] = field(default_factory=list)
    requests: int = 0
    bad_signatures: int = 0
    events: list[dict[str, object]] = field(default_factory=list)
    url: str = ""


def _verified(headers: dict[str, str], body: bytes) -> bool:
    """Standard Webhooks verification, as a receiver writes it from the specification."""
    signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + body
    expected = base64.b64encode(hmac.new(KEY, signed, hashlib.sha256).digest()).decode()
    given = [s.split(",", 1) for s in headers.get("webhook-signature", "").split()]
    return any(v == "v1" and hmac.compare_digest(sig, expected) for v, sig in given)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["content-length"]))
            state.requests += 1
            headers = {k.lower(): v for k, v in self.headers.items()}
            status = state.answers.pop(0) if state.answers else 204
            if not _verified(headers, body):
                state.bad_signatures += 1
                status = 401
            elif status == 204:
                payload = json.loads(body)
                assert payload["type"] == "cpstrust.finding_events"
                state.events.extend(payload["data"]["events"])
            self.send_response(status)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/cpstrust"
    yield state
    server.shutdown()
    server.server_close()
