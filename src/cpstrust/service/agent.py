"""The device side of attestation: ask the verifier for a challenge, measure the
image, answer with a signed report (file or PKCS#11 key) or a TPM quote (TPM
attestation key), and return the verifier's verdict."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import orjson

from cpstrust.errors import CpstrustError, InputError
from cpstrust.formats.attestation import measurement_list_digest, write_quote, write_report
from cpstrust.formats.dsse import write_envelope
from cpstrust.formats.jsonread import parse_json_strict
from cpstrust.model.attestation import AttestationVerdict, MeasurementReport, ReleaseClaim
from cpstrust.model.authenticity import EntryKind
from cpstrust.model.evidence import INTOTO_PAYLOAD_TYPE, Envelope
from cpstrust.model.tpm import TpmQuote
from cpstrust.model.trust import Backend, KeyRecord
from cpstrust.trust.attestation import PCR_INDEX, measurement_events, quote_qualifying_data
from cpstrust.trust.image import measure_image
from cpstrust.trust.keyring import Keyring, require_tpm_support
from cpstrust.trust.verify import sign_envelope

MAX_RESPONSE_BYTES = 64 * 1024 * 1024
TIMEOUT_SECONDS = 60.0


@dataclass(frozen=True, slots=True)
class Verdict:
    """The verifier's answer: the verdict and the result JSON it came in."""

    verdict: AttestationVerdict
    result: Mapping[str, Any]


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

    def attest(self, nonce: str, envelope: Envelope, quote: TpmQuote | None) -> Verdict:
        answer = self._post("/v1/attest", {
            "nonce": nonce, "envelope": orjson.loads(write_envelope(envelope)),
            "quote": write_quote(quote) if quote is not None else None})
        try:
            return Verdict(AttestationVerdict(str(answer.get("verdict"))), answer)
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


def measure_report(root: Path, device: str, nonce: str,
                   release: ReleaseClaim | None) -> MeasurementReport:
    """Measure the image at ``root`` (directory or tar) into a report answering ``nonce``."""
    files = measure_image(root)
    unsendable = next((f.path for f in files if "\n" in f.path or not _utf8(f.path)), None)
    if unsendable is not None:
        raise InputError("a path holds a newline or bytes that are not UTF-8, which a "
                         "report cannot carry", source=str(root), location=repr(unsendable))
    measurements = {f.path: f.sha256 for f in files if f.kind is EntryKind.FILE}
    return MeasurementReport(
        device=device, nonce=nonce, measured_at=datetime.now(UTC).replace(microsecond=0),
        measurements=measurements, digest=measurement_list_digest(measurements),
        executables=frozenset(f.path for f in files if f.executable),
        links={f.path: f.link_target for f in files if f.link_target is not None},
        release=release,
    )


def _utf8(path: str) -> bool:
    try:
        path.encode()
    except UnicodeEncodeError:  # an undecodable file name, kept as surrogates by Python
        return False
    return True


def answer(report: MeasurementReport, record: KeyRecord, keyring: Keyring,
           secrets: Mapping[str, str]) -> tuple[Envelope, TpmQuote | None]:
    """The report signed by a file or PKCS#11 key, or quoted by a TPM attestation key
    after replaying its measurements into PCR 16."""
    payload = write_report(report)
    if record.backend is not Backend.TPM:
        with keyring.signer(record.name, secrets) as signer:
            return sign_envelope(INTOTO_PAYLOAD_TYPE, payload, [signer]), None
    require_tpm_support()
    from cpstrust.trust import tpmkeys  # the TPM stack loads only for TPM keys

    if record.revoked_at is not None:
        raise InputError(f"key {record.name!r} was revoked on {record.revoked_at:%Y-%m-%d}")
    envelope = Envelope(INTOTO_PAYLOAD_TYPE, payload, ())
    tcti = record.locator.get("tcti", "")
    tpmkeys.pcr_reset(tcti, PCR_INDEX)
    for event in measurement_events(report):
        tpmkeys.pcr_extend(tcti, PCR_INDEX, event)
    return envelope, tpmkeys.quote(record, quote_qualifying_data(envelope), [PCR_INDEX])


def attest(root: Path, *, client: VerifierClient, device: str, keyring: Keyring, key: str,
           secrets: Mapping[str, str], release: ReleaseClaim | None) -> Verdict:
    """One round: challenge, measure, answer, verdict."""
    record = keyring.get(key)
    nonce = client.challenge(device)
    report = measure_report(root, device, nonce, release)
    envelope, quote = answer(report, record, keyring, secrets)
    return client.attest(nonce, envelope, quote)
