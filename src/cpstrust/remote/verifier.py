"""The client of cpstrust's attestation verifier: JSON over HTTP(S), every answer
bounded and read strictly."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import orjson

from cpstrust.errors import CpstrustError, InputError
from cpstrust.formats.attestation import read_message, write_quote
from cpstrust.formats.dsse import write_envelope
from cpstrust.formats.jsonread import parse_json_strict
from cpstrust.messages import Message
from cpstrust.model.advisory import Severity
from cpstrust.model.attestation import AttestationVerdict, VerifierAnswer
from cpstrust.model.authenticity import AuthenticityFinding, FindingKind
from cpstrust.model.evidence import Envelope
from cpstrust.model.tpm import TpmQuote

MAX_RESPONSE_BYTES = 64 * 1024 * 1024
TIMEOUT_SECONDS = 60.0


class VerifierClient:
    """JSON over HTTP to a verifier at ``base_url`` (http or https)."""

    def __init__(self, base_url: str, timeout: float = TIMEOUT_SECONDS) -> None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise InputError("verifier_client_bad_url", url=base_url)
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout

    def challenge(self, device: str) -> str:
        answer = self._post("/v1/challenge", {"device": device})
        nonce = answer.get("nonce")
        if not isinstance(nonce, str):
            raise CpstrustError("verifier_client_no_nonce", source=self.base_url)
        return nonce

    def attest(self, nonce: str, envelope: Envelope, quote: TpmQuote | None) -> VerifierAnswer:
        answer = self._post("/v1/attest", {
            "nonce": nonce, "envelope": orjson.loads(write_envelope(envelope)),
            "quote": write_quote(quote) if quote is not None else None})
        return _answer(answer, self.base_url)

    def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        url = self.base_url + path
        request = urllib.request.Request(url, data=orjson.dumps(body), method="POST",
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                data = response.read(MAX_RESPONSE_BYTES + 1)
        except urllib.error.HTTPError as exc:
            raise CpstrustError("verifier_client_refused", status=exc.code,
                                error=_error_of(exc), source=url) from None
        except (urllib.error.URLError, OSError) as exc:
            reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
            raise CpstrustError("verifier_client_unreachable", error=str(reason),
                                source=url) from None
        if len(data) > MAX_RESPONSE_BYTES:
            raise CpstrustError("verifier_client_answer_too_large", limit=MAX_RESPONSE_BYTES,
                                source=url)
        try:
            answer = parse_json_strict(data, url)
        except InputError as exc:
            raise CpstrustError("verifier_client_answer_unreadable", cause=exc.message,
                                source=url, location=exc.location) from None
        if not isinstance(answer, dict):
            raise CpstrustError("verifier_client_answer_not_object", source=url)
        return answer


def _answer(document: dict[str, Any], source: str) -> VerifierAnswer:
    """The verdict, reasons and findings of a result document, the document kept without
    its "messages" (the reasons' codes and facts, which older verifiers do not send)."""
    try:
        verdict = AttestationVerdict(str(document.get("verdict")))
    except ValueError as exc:
        raise CpstrustError("verifier_client_unknown_verdict", error=str(exc),
                            source=source) from exc
    coded = document.get("messages")
    coded = coded if isinstance(coded, dict) else {}
    texts, findings = document.get("reasons"), document.get("findings")
    if not isinstance(texts, list) or not all(isinstance(text, str) for text in texts):
        raise CpstrustError("verifier_client_answer_malformed", source=source,
                            location="/reasons")
    if not isinstance(findings, list):
        raise CpstrustError("verifier_client_answer_malformed", source=source,
                            location="/findings")
    sent = zip(findings, _aligned(coded.get("findings"), len(findings)), strict=True)
    return VerifierAnswer(
        verdict,
        tuple(_said(text, message)
              for text, message in zip(texts, _aligned(coded.get("reasons"), len(texts)),
                                       strict=True)),
        tuple(_finding(finding, message, source, f"/findings/{index}")
              for index, (finding, message) in enumerate(sent)),
        {key: value for key, value in document.items() if key != "messages"},
    )


def _aligned(coded: Any, count: int) -> list[Any]:
    """The messages sent for ``count`` texts, one each in order, or none at all."""
    return coded if isinstance(coded, list) and len(coded) == count else [None] * count


def _said(text: str, sent: Any) -> Message:
    """The message sent for ``text`` where this catalogue can say it, else ``text``."""
    return read_message(text) if sent is None else read_message(sent, text)


def _finding(value: Any, sent: Any, source: str, where: str) -> AuthenticityFinding:
    if not isinstance(value, Mapping):
        raise CpstrustError("verifier_client_answer_malformed", source=source, location=where)
    try:
        kind = FindingKind(str(value.get("kind")))
        severity = Severity.parse(str(value.get("severity")))
    except ValueError:
        raise CpstrustError("verifier_client_answer_malformed", source=source,
                            location=where) from None
    path, reason, executable = value.get("path"), value.get("reason"), value.get("executable")
    expected, actual = value.get("expected"), value.get("actual")
    if (not isinstance(path, str) or not isinstance(reason, str)
            or not isinstance(executable, bool)
            or not all(digest is None or isinstance(digest, str) for digest in (expected, actual))):
        raise CpstrustError("verifier_client_answer_malformed", source=source, location=where)
    return AuthenticityFinding(kind, path, expected, actual, severity, _said(reason, sent),
                               executable)


def _error_of(exc: urllib.error.HTTPError) -> str:
    try:
        answer = orjson.loads(exc.read(64 * 1024))
        # "detail": RFC 9457, as `cpstrust serve` answers; "error": `verifier serve`.
        message = answer.get("detail", answer.get("error"))
    except (orjson.JSONDecodeError, AttributeError, OSError):
        message = None
    return message if isinstance(message, str) else exc.reason
