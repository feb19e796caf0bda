"""The client of cpstrust's attestation verifier: JSON over HTTP(S), every answer
bounded and read strictly."""

from __future__ import annotations

import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlsplit

import orjson

from cpstrust.errors import CpstrustError, InputError
from cpstrust.formats.attestation import write_quote
from cpstrust.formats.dsse import write_envelope
from cpstrust.formats.jsonread import parse_json_strict
from cpstrust.model.attestation import AttestationVerdict, VerifierAnswer
from cpstrust.model.evidence import Envelope
from cpstrust.model.tpm import TpmQuote

MAX_RESPONSE_BYTES = 64 * 1024 * 1024
TIMEOUT_SECONDS = 60.0


class VerifierClient:
    """JSON over HTTP to a verifier at ``base_url`` (http or https)."""

    def __init__(self, base_url: str, timeout: float = TIMEOUT_SECONDS) -> None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise InputError(f"not an http(s) URL: {base_url!r}",
                             hint="e.g. --verifier http://verifier.example:8443")
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout

    def challenge(self, device: str) -> str:
        answer = self._post("/v1/challenge", {"device": device})
        nonce = answer.get("nonce")
        if not isinstance(nonce, str):
            raise CpstrustError("the verifier answered without a nonce", source=self.base_url)
        return nonce

    def attest(self, nonce: str, envelope: Envelope, quote: TpmQuote | None) -> VerifierAnswer:
        answer = self._post("/v1/attest", {
            "nonce": nonce, "envelope": orjson.loads(write_envelope(envelope)),
            "quote": write_quote(quote) if quote is not None else None})
        try:
            return VerifierAnswer(AttestationVerdict(str(answer.get("verdict"))), answer)
        except ValueError as exc:
            raise CpstrustError(f"the verifier answered an unknown verdict: {exc}",
                                source=self.base_url) from exc

    def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        url = self.base_url + path
        request = urllib.request.Request(url, data=orjson.dumps(body), method="POST",
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                data = response.read(MAX_RESPONSE_BYTES + 1)
        except urllib.error.HTTPError as exc:
            raise CpstrustError(f"the verifier refused the request (HTTP {exc.code}): "
                                f"{_error_of(exc)}", source=url) from None
        except (urllib.error.URLError, OSError) as exc:
            reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
            raise CpstrustError(f"cannot reach the verifier: {reason}", source=url,
                                hint="check --verifier and that the verifier runs") from None
        if len(data) > MAX_RESPONSE_BYTES:
            raise CpstrustError(f"answer larger than {MAX_RESPONSE_BYTES} bytes", source=url)
        try:
            answer = parse_json_strict(data, url)
        except InputError as exc:
            raise CpstrustError(f"the verifier's answer is unreadable: {exc.problem}",
                                source=url, location=exc.location) from None
        if not isinstance(answer, dict):
            raise CpstrustError("the verifier's answer is not a JSON object", source=url)
        return answer


def _error_of(exc: urllib.error.HTTPError) -> str:
    try:
        message = orjson.loads(exc.read(64 * 1024)).get("error")
    except (orjson.JSONDecodeError, AttributeError, OSError):
        message = None
    return message if isinstance(message, str) else exc.reason
