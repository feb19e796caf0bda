"""Appraising a device's measurement report: is it fresh, is it vouched for by that
device's identity key or by its TPM, and does it equal the reference values of the
release the device is recorded as running? Pure: the caller looks up the challenge,
the trust store and the reference, and stores the result.

Checks run in this order; the first that fails decides the verdict:
1. freshness: the nonce names an open challenge that has not expired (else STALE);
2. who vouches: a DSSE signature by a device-identity key whose scope covers the
   challenged device, or a TPM quote by such a key (an attestation key) over
   SHA-256(PAE(report)) and PCR 16 replayed from the report's measurements;
   a revoked key gives REVOKED, anything else UNTRUSTED_SIGNER;
3. the report answers this challenge (nonce, else STALE) for this device;
4. reference values exist and are trusted (else UNKNOWN_RELEASE);
5. the measurements equal the reference (GENUINE), else ``appraise_image`` names
   what differs (MODIFIED or UNLISTED).
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import datetime

from cpstrust.errors import InputError
from cpstrust.formats.attestation import measurement_list_digest, read_report
from cpstrust.formats.dsse import pae
from cpstrust.formats.intoto import read_statement
from cpstrust.messages import Message, message
from cpstrust.model.attestation import (
    AttestationResult,
    AttestationVerdict,
    Challenge,
    MeasurementList,
    MeasurementReport,
    MissingReference,
    ReleaseReference,
)
from cpstrust.model.authenticity import (
    SHA256,
    Declaration,
    EntryKind,
    FindingKind,
    ImageVerdict,
    MeasuredFile,
    Reference,
)
from cpstrust.model.evidence import INTOTO_PAYLOAD_TYPE, Envelope
from cpstrust.model.tpm import QuoteAccepted, TpmQuote
from cpstrust.model.trust import Algorithm, Refusal, Refused, Role, TrustedKey, TrustStore
from cpstrust.trust.authenticity import appraise_image, link_escapes
from cpstrust.trust.phrases import listed
from cpstrust.trust.quote import appraise_quote
from cpstrust.trust.verify import authenticate, key_problem, out_of_scope

V = AttestationVerdict
PCR_INDEX = 16  # the debug PCR: resettable at locality 0, so the log replays from zero
_HEX64 = re.compile(r"[0-9a-f]{64}")
_IMAGE_VERDICTS = {
    ImageVerdict.GENUINE: V.GENUINE,
    ImageVerdict.MODIFIED: V.MODIFIED,
    ImageVerdict.MISSING: V.MODIFIED,
    ImageVerdict.CONFLICTING_REFERENCE: V.MODIFIED,
    ImageVerdict.UNLISTED: V.UNLISTED,
    ImageVerdict.ESCAPING_SYMLINK: V.UNLISTED,
}


def measurement_events(report: MeasurementReport) -> list[bytes]:
    """The event log extended into PCR 16: per measurement, in order, SHA-256 of the
    path's UTF-8 bytes, a NUL and the raw SHA-256 of the content; then the same for
    each link, measured as the SHA-256 of its target string."""
    sha256 = hashlib.sha256
    events = [sha256(path.encode() + b"\0" + bytes.fromhex(digest)).digest()
              for path, digest in report.measurements.items()]
    events += [sha256(path.encode() + b"\0" + sha256(target.encode()).digest()).digest()
               for path, target in report.links.items()]
    return events


def quote_qualifying_data(envelope: Envelope) -> bytes:
    """What a TPM quote answers: SHA-256 of the report's PAE, which binds the whole
    report, nonce included, to the quote."""
    return hashlib.sha256(pae(envelope.payload_type, envelope.payload)).digest()


def release_reference(product: str, version: str, reference: Reference) -> ReleaseReference:
    """A release's reference reduced to what a report shows: SHA-256 digests. Where a
    path also has a SHA-256 declaration the others are dropped; where it has none, its
    declarations stay without a digest (the path is expected, its content unknown)."""
    files = {}
    for path, declarations in reference.files.items():
        checkable = tuple(d for d in declarations
                          if d.digest is not None and d.digest.algorithm == SHA256)
        files[path] = checkable or tuple(Declaration(d.source, None) for d in declarations)
    return ReleaseReference(product, version, Reference(files), _exact(files))


def _exact(files: Mapping[str, tuple[Declaration, ...]]) -> MeasurementList | None:
    digests: dict[str, str] = {}
    for path in sorted(files):  # the order measure_image reports in
        values = {d.digest.value if d.digest else None for d in files[path]}
        value = values.pop() if len(values) == 1 else None
        if value is None or not _HEX64.fullmatch(value) or "\n" in path:
            return None
        digests[path] = value
    return MeasurementList(digests, measurement_list_digest(digests))


def appraise_report(
    envelope: Envelope,
    *,
    store: TrustStore,
    challenge: Challenge | None,
    reference: ReleaseReference | MissingReference,
    at: datetime,
    quote: TpmQuote | None = None,
) -> AttestationResult:
    """The verdict on one report answering ``challenge`` (None when its nonce names
    no open challenge). Raises ``InputError`` when a report that passed the signature
    check (or, with a quote, any report) is not a well-formed measurement report."""
    if challenge is None:
        return AttestationResult(V.STALE, (message("appraisal_no_open_challenge"),))
    device = challenge.device
    if at > challenge.expires_at:
        return AttestationResult(V.STALE, (message(
            "appraisal_challenge_expired", at=challenge.expires_at.isoformat()),), device)
    if envelope.payload_type != INTOTO_PAYLOAD_TYPE:
        raise InputError("appraisal_wrong_payload_type", payload_type=envelope.payload_type,
                         expected=INTOTO_PAYLOAD_TYPE, source="report", location="/payloadType")
    known = reference.exact if isinstance(reference, ReleaseReference) else None
    if quote is None:
        vouched = _signed_by_device(envelope, store, device, at)
        if isinstance(vouched, AttestationResult):
            return vouched
        report = _read(envelope, known)  # parsed only once its signature is trusted
    else:
        report = _read(envelope, known)  # the event log to check comes from the report
        vouched = _quoted_by_device(envelope, quote, report, store, device, at)
        if isinstance(vouched, AttestationResult):
            return vouched
    signer = vouched.keyid
    if not hmac.compare_digest(report.nonce, challenge.nonce):
        return AttestationResult(V.STALE, (message("appraisal_other_challenge"),), device,
                                 signer)
    if report.device != device:
        return AttestationResult(V.UNTRUSTED_SIGNER, (message(
            "appraisal_other_device", reported=report.device, device=device),), device, signer)
    if isinstance(reference, MissingReference):
        return AttestationResult(V.UNKNOWN_RELEASE, (reference.reason,), device, signer,
                                 report=report)
    return _compare(report, reference, device, signer)


def _read(envelope: Envelope, known: MeasurementList | None) -> MeasurementReport:
    return read_report(read_statement(envelope.payload, "report"), "report", known=known)


def _signed_by_device(envelope: Envelope, store: TrustStore, device: str,
                      at: datetime) -> TrustedKey | AttestationResult:
    outcome = authenticate(envelope, store, Role.DEVICE_IDENTITY, at)
    if isinstance(outcome, Refused):
        return _refused(outcome, device)
    refused = out_of_scope(outcome.signers, device)
    if refused is not None:
        return _refused(refused, device)
    return next(k for k in outcome.signers if not k.scopes or device in k.scopes)


def _quoted_by_device(envelope: Envelope, quote: TpmQuote, report: MeasurementReport,
                      store: TrustStore, device: str, at: datetime
                      ) -> TrustedKey | AttestationResult:
    if envelope.signatures:
        return AttestationResult(V.UNTRUSTED_SIGNER, (
            message("appraisal_quote_with_signature"),), device)
    candidates = [k for k in store.keys if Role.DEVICE_IDENTITY in k.roles
                  and (not k.scopes or device in k.scopes)
                  and k.algorithm is Algorithm.ECDSA_P256]
    if not candidates:
        return AttestationResult(V.UNTRUSTED_SIGNER, (
            message("appraisal_no_attestation_key", device=device),), device)
    nonce = quote_qualifying_data(envelope)
    events = measurement_events(report)
    refusals: list[Refused] = []
    for key in candidates:
        outcome = appraise_quote(quote, key.public_key_pem, nonce, PCR_INDEX, events)
        if isinstance(outcome, QuoteAccepted):
            problem = key_problem(key, Role.DEVICE_IDENTITY, at)
            return key if problem is None else _refused(problem, device)
        refusals.append(outcome)
    # A refusal other than a bad signature came from the key that did sign the quote.
    telling = [r for r in refusals if r.reason is not Refusal.BAD_SIGNATURE]
    detail = telling[0].message if telling else message(
        "appraisal_quote_signer_not_enrolled", device=device)
    return AttestationResult(V.UNTRUSTED_SIGNER, (
        message("appraisal_quote_refused", detail=detail),), device)


def _refused(refused: Refused, device: str) -> AttestationResult:
    verdict = V.REVOKED if refused.reason is Refusal.REVOKED else V.UNTRUSTED_SIGNER
    return AttestationResult(verdict, (refused.message,), device)


def _compare(report: MeasurementReport, reference: ReleaseReference, device: str,
             signer: str) -> AttestationResult:
    product, version = reference.product, reference.version
    notes = _release_note(report, reference)
    exact = reference.exact
    # Fast path: the report's digest (checked by read_report) is the reference's, which
    # is what appraise_image concludes too when every declaration is one SHA-256 digest
    # and no link leaves the image (links nobody declared are no finding).
    if (exact is not None and report.digest == exact.list_digest
            and not _any_link_escapes(report.links)):
        return AttestationResult(V.GENUINE, (message(
            "appraisal_all_match", measured=len(report.measurements), product=product,
            version=version), *notes), device, signer, report=report)
    if exact is not None and not report.links:
        # Without links, a path measured as its one declared digest adds no finding and
        # bears on no other path: appraise only the paths that differ.
        differing = {path for path, _ in report.measurements.items() ^ exact.digests.items()}
        declared = reference.reference.files
        appraisal = appraise_image(_measured_files(report, differing),
                                   Reference({p: declared[p] for p in differing if p in declared}))
    else:
        appraisal = appraise_image(_measured_files(report), reference.reference)
    if not appraisal.findings:
        return AttestationResult(V.GENUINE, (message(
            "appraisal_declared_match", measured=appraisal.files_measured,
            declared=appraisal.files_declared, product=product, version=version), *notes),
            device, signer, report=report)
    counts = Counter(f.kind for f in appraisal.findings)
    worst = appraisal.findings[0]
    summary = message("appraisal_differs", product=product, version=version, counts=listed(
        [_counted(kind, n) for kind, n in sorted(counts.items())]))  # by the kinds' names
    details = (message("appraisal_worst_finding", path=worst.path, reason=worst.reason), *notes)
    return AttestationResult(_IMAGE_VERDICTS[appraisal.verdict], (summary, *details), device,
                             signer, appraisal.findings, report)


def _counted(kind: FindingKind, n: int) -> Message:
    match kind:
        case FindingKind.MODIFIED:
            return message("appraisal_count_modified", n=n)
        case FindingKind.UNLISTED:
            return message("appraisal_count_unlisted", n=n)
        case FindingKind.MISSING:
            return message("appraisal_count_missing", n=n)
        case FindingKind.ESCAPING_SYMLINK:
            return message("appraisal_count_escaping_symlink", n=n)
        case FindingKind.CONFLICTING_REFERENCE:
            return message("appraisal_count_conflicting_reference", n=n)


def _release_note(report: MeasurementReport, reference: ReleaseReference) -> tuple[Message, ...]:
    claim = report.release
    if claim is None or (claim.product, claim.version) == (reference.product, reference.version):
        return ()
    return (message("appraisal_other_release", claimed_product=claim.product,
                    claimed_version=claim.version, product=reference.product,
                    version=reference.version),)


def _any_link_escapes(links: Mapping[str, str]) -> bool:
    # Only a ".." in some target can climb: absolute targets restart at the image root.
    if not any(".." in target for target in links.values()):
        return False
    return any(link_escapes(path, target, links) for path, target in links.items())


def _measured_files(report: MeasurementReport,
                    only: Iterable[str] | None = None) -> list[MeasuredFile]:
    """The report's files (those of ``only`` when given). Reports carry no sizes:
    files are compared by digest alone."""
    links, executables, measurements = report.links, report.executables, report.measurements
    files = [MeasuredFile(path, 0, measurements[path], path in executables)
             for path in (measurements if only is None else only) if path in measurements]
    for path, target in links.items():
        data = target.encode()
        kind = (EntryKind.ESCAPING_SYMLINK if link_escapes(path, target, links)
                else EntryKind.SYMLINK)
        files.append(MeasuredFile(path, len(data), hashlib.sha256(data).hexdigest(), False,
                                  kind, target))
    return files
