"""The attestation verifier over HTTP: challenge a device, appraise its answer.

Built on the standard library's ``ThreadingHTTPServer`` rather than a web framework:
two JSON endpoints need no routing, middleware or schema machinery, and the verifier
then runs wherever cpstrust runs. The REST service will take these endpoints over.

  POST /v1/challenge  {"device": name}
       -> 200 {"nonce": hex, "expires_at": time}   404 unknown device
  POST /v1/attest     {"envelope": DSSE object, "quote": {"attest", "signature"} | null,
                       "nonce": hex}
       -> 200 {"device", "verdict", "reasons", "findings", "signer", "appraised_at"}

Malformed requests (a key named twice in any object included) get 400 with
{"error": message, "code": its catalogue code}; each request is one store transaction,
so a failed one changes nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import orjson

from cpstrust.app.devices import appraise, issue_challenge
from cpstrust.app.services import Services
from cpstrust.errors import CpstrustError, InputError, LimitExceededError, NotFoundError
from cpstrust.formats.attestation import read_quote, write_result
from cpstrust.formats.jsonread import parse_json_strict
from cpstrust.messages import Message, message

logger = logging.getLogger(__name__)


DEFAULT_MAX_BODY = 32 * 1024 * 1024  # bytes; a report of 200k files is ~25 MiB of JSON


@dataclass(frozen=True, slots=True)
class VerifierSettings:
    challenge_ttl: timedelta = timedelta(seconds=120)  # the agent measures after the challenge
    max_body: int = DEFAULT_MAX_BODY


class Verifier:
    """The two operations, each one use case (one store transaction)."""

    def __init__(self, services: Services, settings: VerifierSettings) -> None:
        self.services = services
        self.settings = settings

    def challenge(self, body: Any) -> dict[str, Any]:
        device = _member(body, "device", str)
        challenge = issue_challenge(self.services, device, self.settings.challenge_ttl)
        return {"nonce": challenge.nonce, "expires_at": challenge.expires_at.isoformat()}

    def attest(self, body: Any) -> dict[str, Any]:
        nonce = _member(body, "nonce", str)
        raw = orjson.dumps(_member(body, "envelope", dict))
        quoted = body.get("quote")
        quote = read_quote(quoted, "request") if quoted is not None else None
        at = datetime.now(UTC)
        result = appraise(self.services, nonce=nonce, envelope=raw, quote=quote, at=at)
        logger.info("attestation of %s: %s (%s)", result.device or "unknown device",
                    result.verdict.value, result.reasons[0])
        return write_result(result, at)


def _member(body: Any, name: str, kind: type) -> Any:
    value = body.get(name) if isinstance(body, dict) else None
    if not isinstance(value, kind):
        raise InputError("verifier_request_needs_member", name=name, kind=kind.__name__,
                         source="request", location=f"/{name}")
    return value


def make_server(verifier: Verifier, host: str, port: int) -> ThreadingHTTPServer:
    """A server for ``verifier`` bound to ``host``:``port`` (0 picks a free port)."""
    routes = {"/v1/challenge": verifier.challenge, "/v1/attest": verifier.attest}
    max_body = verifier.settings.max_body

    class Handler(BaseHTTPRequestHandler):
        server_version = "cpstrust-verifier"
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:  # the name http.server dispatches POST requests to
            route = routes.get(self.path)
            if route is None:
                self._fail(HTTPStatus.NOT_FOUND, message("verifier_no_endpoint", path=self.path))
                return
            try:
                self._reply(HTTPStatus.OK, route(parse_json_strict(self._body(), "request")))
            except LimitExceededError as exc:
                self._fail(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, exc)
            except NotFoundError as exc:
                self._fail(HTTPStatus.NOT_FOUND, exc)
            except InputError as exc:
                self._fail(HTTPStatus.BAD_REQUEST, exc)
            except CpstrustError as exc:
                logger.error("request to %s failed: %s", self.path, exc.diagnostics())
                self._fail(HTTPStatus.INTERNAL_SERVER_ERROR, exc)
            except Exception:
                logger.exception("request to %s failed", self.path)
                self._fail(HTTPStatus.INTERNAL_SERVER_ERROR, message("verifier_internal_error"))

        def _body(self) -> bytes:
            length = self.headers.get("Content-Length")
            if length is None or not length.isdigit():
                raise InputError("verifier_request_needs_length", source="request")
            if int(length) > max_body:
                self.close_connection = True  # the unread body must not be taken as a request
                raise LimitExceededError("verifier_request_too_large", length=int(length),
                                         limit=max_body, source="request")
            return self.rfile.read(int(length))

        def _fail(self, status: HTTPStatus, problem: CpstrustError | Message) -> None:
            """``{"error": text, "code": code}``: the text in English, as a client's log
            shows it; the code for a client that says it in its user's language."""
            if isinstance(problem, CpstrustError):
                self._reply(status, {"error": problem.diagnostics(), "code": problem.code})
            else:
                self._reply(status, {"error": problem.text(), "code": problem.code})

        def _reply(self, status: HTTPStatus, body: dict[str, Any]) -> None:
            data = orjson.dumps(body)
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            logger.debug("%s %s", self.address_string(), format % args)

    server = ThreadingHTTPServer((host, port), Handler)
    server.daemon_threads = True
    return server
