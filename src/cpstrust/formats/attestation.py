"""Device measurement reports (in-toto Statements) and attestation results (JSON).

A report's predicate, of type ``https://cpstrust.dev/attestation/measurements/v1``::

  {"device": name, "nonce": hex, "measured_at": RFC 3339 time,
   "measurements": {path: sha256 hex, ...}    (regular files, in measurement order),
   "executables": [path, ...]   (measured files that can run),
   "links": {path: target, ...}   (symbolic links, targets as written, never followed),
   "release": {"product": P, "version": V} or null   (what the device believes)}

Its one subject is the device, with the SHA-256 of the canonical measurement list
(files; links are in the signed predicate):
the lines ``<sha256>  <path>\\n`` sorted by path (code point order, which is UTF-8
byte order), UTF-8 — what ``sha256sum`` prints for the sorted files, so anyone can
recompute it. Paths are product paths (relative, "/"-separated, no "." or ".."
segments) and may not hold a newline. The measurement order itself matters only to a
TPM's event log.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson

from cpstrust.errors import InputError, LimitExceededError
from cpstrust.formats.dsse import decode_base64
from cpstrust.formats.intoto import write_statement
from cpstrust.messages import LEGACY, Lang, Message, render
from cpstrust.model.attestation import (
    AttestationResult,
    MeasurementList,
    MeasurementReport,
    ReleaseClaim,
)
from cpstrust.model.authenticity import AuthenticityFinding
from cpstrust.model.evidence import Statement, Subject
from cpstrust.model.sbom import product_path
from cpstrust.model.tpm import TpmQuote

ATTESTATION_PREDICATE = "https://cpstrust.dev/attestation/measurements/v1"
_HEX64 = re.compile(r"[0-9a-f]{64}")
_NONCE = re.compile(r"(?:[0-9a-f]{2}){16,64}")
_MAX_QUOTE_BASE64 = 8192  # a TPMS_ATTEST and its signature are a few hundred bytes


@dataclass(frozen=True, slots=True)
class ReportLimits:
    max_measurements: int = 1_000_000
    max_path: int = 4096  # characters, as for a measured image
    max_name: int = 255  # device, product and version names


DEFAULT_REPORT_LIMITS = ReportLimits()


def measurement_list_digest(measurements: Mapping[str, str]) -> str:
    """SHA-256 hex of the ``sha256sum`` lines of ``measurements``, sorted by path."""
    paths = sorted(measurements)
    lines = "\n".join(map("  ".join, zip(map(measurements.__getitem__, paths), paths,
                                         strict=True)))
    return hashlib.sha256((lines + "\n" if lines else "").encode()).hexdigest()


def write_report(report: MeasurementReport) -> bytes:
    """The report as in-toto Statement bytes, ready to sign or quote."""
    predicate = {
        "device": report.device,
        "nonce": report.nonce,
        "measured_at": report.measured_at.isoformat().replace("+00:00", "Z"),
        "measurements": dict(report.measurements),
        "executables": [p for p in report.measurements if p in report.executables],
        "links": dict(report.links),
        "release": ({"product": report.release.product, "version": report.release.version}
                    if report.release else None),
    }
    if report.digest != measurement_list_digest(report.measurements):
        raise ValueError("the report's digest is not that of its measurements")
    subject = Subject(report.device, {"sha256": report.digest})
    return write_statement(Statement((subject,), ATTESTATION_PREDICATE, predicate))


def read_report(
    statement: Statement,
    source: str = "<report>",
    limits: ReportLimits = DEFAULT_REPORT_LIMITS,
    known: MeasurementList | None = None,
) -> MeasurementReport:
    """The measurement report a Statement carries; ``InputError`` names the place of
    the first problem.

    ``known`` is a well-formed measurement list (a release's reference values): the
    entries a report shares with it need no check of their own, which keeps the
    appraisal of a genuine device to one dictionary comparison.
    """
    if statement.predicate_type != ATTESTATION_PREDICATE:
        raise InputError("measurement_report_wrong_predicate",
                         predicate_type=statement.predicate_type, source=source,
                         location="/predicateType")
    predicate = statement.predicate
    device = _name(predicate.get("device"), source, "/predicate/device", limits)
    nonce = predicate.get("nonce")
    if not isinstance(nonce, str) or not _NONCE.fullmatch(nonce):
        raise InputError("measurement_report_bad_nonce", source=source, location="/predicate/nonce")
    measurements = _measurement_object(predicate.get("measurements"), source, limits)
    claimed = _subject_digest(statement.subjects, device, source)
    # A report that names the known list's digest is checked by one comparison with it.
    if known is None or claimed != known.list_digest or measurements != known.digests:
        _check_measurements(measurements, source, limits, known)
        if claimed != measurement_list_digest(measurements):
            raise InputError("measurement_report_digest_mismatch", source=source,
                             location="/subject/0/digest/sha256")
    return MeasurementReport(
        device=device,
        nonce=nonce,
        measured_at=_timestamp(predicate.get("measured_at"), source),
        measurements=measurements,
        digest=claimed,
        executables=_executables(predicate.get("executables", []), measurements, source),
        links=_links(predicate.get("links", {}), measurements, source, limits),
        release=_release(predicate.get("release"), source, limits),
    )


def _measurement_object(value: Any, source: str, limits: ReportLimits) -> dict[str, str]:
    where = "/predicate/measurements"
    if not isinstance(value, dict):
        raise InputError("measurement_report_measurements_not_object", source=source,
                         location=where)
    if len(value) > limits.max_measurements:
        raise LimitExceededError("measurement_report_too_many_measurements", count=len(value),
                                 limit=limits.max_measurements, source=source, location=where)
    return value


def _check_measurements(measurements: Mapping[str, Any], source: str, limits: ReportLimits,
                        known: MeasurementList | None) -> None:
    declared = known.digests if known is not None else {}
    for path, digest in measurements.items():
        if declared.get(path) != digest:  # the entries shared with ``known`` are well-formed
            _check_measurement(path, digest, source,
                               f"/predicate/measurements/{_pointer(path)}", limits)


def _check_measurement(path: str, digest: Any, source: str, where: str,
                       limits: ReportLimits) -> None:
    _check_path(path, source, where, limits)
    if not isinstance(digest, str) or not _HEX64.fullmatch(digest):
        raise InputError("measurement_report_bad_digest", source=source, location=where)


def _check_path(path: str, source: str, where: str, limits: ReportLimits) -> None:
    if len(path) > limits.max_path:
        raise LimitExceededError("measurement_report_path_too_long", limit=limits.max_path,
                                 source=source, location=where[:200])
    if (not path or product_path(path) != path or ".." in path.split("/") or "\n" in path
            or "\0" in path):
        raise InputError("measurement_report_not_product_path", source=source, location=where)


def _subject_digest(subjects: Sequence[Subject], device: str, source: str) -> str:
    if len(subjects) != 1 or subjects[0].name != device:
        raise InputError("measurement_report_subject_not_device", source=source,
                         location="/subject")
    digest = subjects[0].digest.get("sha256")
    if digest is None:
        raise InputError("measurement_report_subject_without_sha256", source=source,
                         location="/subject/0/digest")
    return digest


def _executables(value: Any, measurements: Mapping[str, str], source: str) -> frozenset[str]:
    if not isinstance(value, list):
        raise InputError("measurement_report_executables_not_list", source=source,
                         location="/predicate/executables")
    try:
        listed = frozenset(value)
    except TypeError:
        listed = frozenset()
    if len(listed) != len(value) or not measurements.keys() >= listed:
        seen: set[str] = set()  # find the entry to name
        for index, path in enumerate(value):
            if not isinstance(path, str) or path not in measurements or path in seen:
                raise InputError("measurement_report_bad_executable", source=source,
                                 location=f"/predicate/executables/{index}")
            seen.add(path)
    return listed


def _links(value: Any, measurements: Mapping[str, str], source: str,
           limits: ReportLimits) -> dict[str, str]:
    where = "/predicate/links"
    if not isinstance(value, dict):
        raise InputError("measurement_report_links_not_object", source=source, location=where)
    if len(value) > limits.max_measurements:
        raise LimitExceededError("measurement_report_too_many_links", count=len(value),
                                 limit=limits.max_measurements, source=source, location=where)
    for path, target in value.items():
        place = f"{where}/{_pointer(path)}"
        _check_path(path, source, place, limits)
        if (path in measurements or not isinstance(target, str) or not target
                or len(target) > limits.max_path or "\0" in target):
            raise InputError("measurement_report_bad_link", source=source, location=place)
    return value


def _release(value: Any, source: str, limits: ReportLimits) -> ReleaseClaim | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise InputError("measurement_report_release_not_object", source=source,
                         location="/predicate/release")
    return ReleaseClaim(_name(value.get("product"), source, "/predicate/release/product", limits),
                        _name(value.get("version"), source, "/predicate/release/version", limits))


def _name(value: Any, source: str, where: str, limits: ReportLimits) -> str:
    if not isinstance(value, str) or not value or len(value) > limits.max_name:
        raise InputError("measurement_report_bad_name", limit=limits.max_name, source=source,
                         location=where)
    return value


def _timestamp(value: Any, source: str) -> datetime:
    where = "/predicate/measured_at"
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise InputError("measurement_report_bad_time", source=source, location=where)
    return moment


def _pointer(token: str) -> str:
    """One JSON Pointer reference token (RFC 6901)."""
    return token.replace("~", "~0").replace("/", "~1")


def write_quote(quote: TpmQuote) -> dict[str, str]:
    return {"attest": base64.b64encode(quote.attest).decode("ascii"),
            "signature": base64.b64encode(quote.signature).decode("ascii")}


def read_quote(value: Any, source: str, location: str = "/quote") -> TpmQuote:
    """A TPM quote as sent with a report: ``{"attest": b64, "signature": b64}``."""
    if not isinstance(value, dict):
        raise InputError("quote_json_not_object", source=source, location=location)
    parts = []
    for name in ("attest", "signature"):
        text = value.get(name)
        if not isinstance(text, str) or len(text) > _MAX_QUOTE_BASE64:
            raise InputError("quote_json_part_invalid", name=name, limit=_MAX_QUOTE_BASE64,
                             source=source, location=f"{location}/{name}")
        parts.append(decode_base64(text, source, f"{location}/{name}"))
    return TpmQuote(attest=parts[0], signature=parts[1])


def write_result(result: AttestationResult, appraised_at: datetime) -> dict[str, Any]:
    """The verifier's answer: {device, verdict, reasons, findings, signer, appraised_at},
    the reasons (and each finding's reason) in English; and beside them "messages": the
    same reasons as codes and facts, {"reasons": [...], "findings": [...]} in the same
    order, for a client that says them in its user's language (``write_message``)."""
    return {
        "device": result.device,
        "verdict": result.verdict.value,
        "reasons": [reason.text() for reason in result.reasons],
        "findings": [finding_json(f) for f in result.findings],
        "signer": result.signer,
        "appraised_at": appraised_at.isoformat(),
        "messages": {"reasons": [write_message(reason) for reason in result.reasons],
                     "findings": [write_message(f.reason) for f in result.findings]},
    }


def finding_json(finding: AuthenticityFinding) -> dict[str, Any]:
    return {
        "kind": finding.kind.value,
        "path": finding.path,
        "expected": finding.expected,
        "actual": finding.actual,
        "severity": finding.severity.label,
        "executable": finding.executable,
        "reason": finding.reason.text(),
    }


def write_message(message: Message) -> dict[str, Any]:
    """A message as JSON, ``{"code": code, "facts": {name: value}}``; a fact that is a
    message is written the same way, one that JSON has no type for as its text."""
    return {"code": message.code,
            "facts": {name: _fact_json(value) for name, value in message.facts.items()}}


def _fact_json(value: object) -> Any:
    if isinstance(value, Message):
        return write_message(value)
    if isinstance(value, list | tuple):
        return [_fact_json(item) for item in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def read_message(value: Any, fallback: str | None = None) -> Message:
    """A message ``write_message`` wrote; a plain string (a text kept from before codes)
    is the legacy message of that text. What this catalogue cannot say in every language
    (a code it does not know, facts its templates lack) becomes the legacy message of
    ``fallback``, or of the JSON itself when there is none: it never fails to render."""
    if isinstance(value, str):
        return Message(LEGACY, {"text": value})
    message = _message_of(value)
    if message is not None:
        try:
            for lang in Lang:
                render(message, lang)
        except (KeyError, IndexError, ValueError, TypeError, AttributeError):
            pass
        else:
            return message
    text = fallback if fallback is not None else orjson.dumps(value).decode()
    return Message(LEGACY, {"text": text})


def _message_of(value: Any) -> Message | None:
    if not isinstance(value, dict) or not isinstance(value.get("code"), str):
        return None
    facts = value.get("facts", {})
    if not isinstance(facts, dict):
        return None
    return Message(value["code"], {str(name): _fact_of(fact) for name, fact in facts.items()})


def _fact_of(value: Any) -> object:
    if isinstance(value, dict):
        return _message_of(value) or value
    if isinstance(value, list):
        return [_fact_of(item) for item in value]
    return value
