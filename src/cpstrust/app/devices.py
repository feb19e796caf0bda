"""Devices and their attestation: the verifier's two steps (challenge, appraisal) and
the device's side (measure and answer), the latest verdict per device and its findings.

Rules kept here: a device is checked against the newest signed release evidence of the
release it runs, verified again against the current trust store, merged with the stored
SBOM that evidence names (only that one: another could declare any file genuine); only
verdicts reached by comparing measurements say which findings still hold, and they go
through the one finding lifecycle (a file back to its reference is fixed).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy.orm import Session

from cpstrust.app.services import Services
from cpstrust.errors import InputError
from cpstrust.formats.dsse import read_envelope
from cpstrust.model.attestation import (
    AttestationResult,
    AttestationVerdict,
    Challenge,
    DeviceFinding,
    DeviceStatus,
    MissingReference,
    ReleaseClaim,
    ReleaseReference,
    VerifierAnswer,
)
from cpstrust.model.evidence import Envelope
from cpstrust.model.finding import FindingStatus
from cpstrust.model.lifecycle import reconcile
from cpstrust.model.tpm import TpmQuote
from cpstrust.model.trust import Refused
from cpstrust.remote.verifier import VerifierClient
from cpstrust.store import attestation as attestation_store
from cpstrust.store.sboms import sbom_with_digest
from cpstrust.store.trust import current_trust_store
from cpstrust.trust.agent import answer, measure_report
from cpstrust.trust.attestation import appraise_report, release_reference
from cpstrust.trust.authenticity import (
    merge_references,
    reference_from_sbom,
    reference_from_subjects,
)
from cpstrust.trust.release import verify_release

# Verdicts reached by comparing measurements: only these say which findings still hold.
_COMPARED = frozenset({AttestationVerdict.GENUINE, AttestationVerdict.MODIFIED,
                       AttestationVerdict.UNLISTED})
# A finding no longer measured: the file is back to its reference value.
_RESOLUTION = FindingStatus.FIXED
_NO_DEVICE = MissingReference("app_reference_no_device")


@dataclass(frozen=True, slots=True)
class DeviceDetail:
    status: DeviceStatus
    findings: tuple[DeviceFinding, ...]  # open first, then worst, then by path


def device_statuses(services: Services) -> list[DeviceStatus]:
    """Every device with its site, release, latest verdict and open findings."""
    with services.store.transaction() as session:
        return attestation_store.device_statuses(session)


def device_detail(services: Services, name: str) -> DeviceDetail:
    with services.store.transaction() as session:
        findings = attestation_store.device_findings(session, name)  # NotFoundError if unknown
        return DeviceDetail(attestation_store.device_statuses(session, name)[0], tuple(findings))


def issue_challenge(services: Services, device: str, ttl: timedelta) -> Challenge:
    """A fresh nonce for ``device``, valid for ``ttl``."""
    with services.store.transaction() as session:
        return attestation_store.issue_challenge(session, device, ttl)


def appraise(services: Services, *, nonce: str, envelope: bytes, quote: TpmQuote | None,
             at: datetime) -> AttestationResult:
    """Appraise a device's answer to the challenge ``nonce`` and keep the verdict, its
    evidence and its findings."""
    signed = read_envelope(envelope, "request")
    with services.store.transaction() as session:
        # Consuming the challenge is the transaction's first write: answers to one
        # nonce are serialised from here on, and only one finds it open.
        challenge = attestation_store.take_challenge(session, nonce, at)
        device = attestation_store.device_named(session, challenge.device) if challenge else None
        reference = _reference_of_device(session, device.id, at) if device else _NO_DEVICE
        result = appraise_report(signed, store=services.trust_cache.current(session),
                                 challenge=challenge,
                                 reference=reference, at=at, quote=quote)
        if device is not None:
            record_appraisal(session, device.id, result, envelope=envelope, quote=quote, at=at)
    return result


def reference_values(services: Services, device: str,
                     at: datetime) -> ReleaseReference | MissingReference:
    """What ``device`` is checked against now, or why there is nothing to check it with."""
    with services.store.transaction() as session:
        return _reference_of_device(session, attestation_store.device_named(session, device).id,
                                    at)


def record_appraisal(session: Session, device_id: int, result: AttestationResult, *,
                     envelope: bytes, quote: TpmQuote | None, at: datetime) -> None:
    """Keep an appraisal (inside the caller's transaction): the verdict and its evidence,
    and, when the measurements were compared, the findings through their lifecycle."""
    attestation_id = attestation_store.record_attestation(
        session, device_id, result, envelope=envelope, quote=quote, at=at)
    if result.verdict in _COMPARED:
        _reconcile_findings(session, device_id, attestation_id, result, at)


def attest_to_verifier(services: Services, root: Path, *, verifier_url: str, device: str,
                       key: str, secrets: Mapping[str, str],
                       release: ReleaseClaim | None) -> VerifierAnswer:
    """The device's side: ask for a challenge, measure ``root`` (a directory or a tar),
    answer with a report signed by ``key`` (or quoted by the TPM), return the verdict."""
    client = VerifierClient(verifier_url)
    record = services.keyring.get(key)
    nonce = client.challenge(device)
    report = measure_report(root, device, nonce, release)
    envelope, quote = answer(report, record, services.keyring, secrets)
    return client.attest(nonce, envelope, quote)


def release_claim(product: str | None, version: str | None) -> ReleaseClaim | None:
    """What the device believes it runs: both or neither."""
    if (product is None) != (version is None):
        raise InputError("app_product_and_version_together")
    return ReleaseClaim(product, version) if product and version else None


def _reference_of_device(session: Session, device_id: int,
                         at: datetime) -> ReleaseReference | MissingReference:
    release_id, product, version = attestation_store.release_of_device(session, device_id)
    kept = attestation_store.newest_release_evidence(session, release_id)
    if kept is None:
        return MissingReference("app_reference_no_evidence", product=product, version=version)
    evidence_id, data = kept
    try:
        envelope: Envelope = read_envelope(data, f"evidence {evidence_id}")
    except InputError as exc:
        return MissingReference("app_reference_unreadable", product=product, version=version,
                                cause=exc.told())
    store = current_trust_store(session)
    verified = verify_release(envelope, store, at=at, product=product, version=version,
                              source=f"evidence {evidence_id}")
    if isinstance(verified, Refused):
        return MissingReference("app_reference_untrusted", product=product, version=version,
                                reason=verified.reason.value, detail=verified.message)
    reference = reference_from_subjects(verified.subject_digests)
    signed_sbom = verified.provenance.sbom
    digest = signed_sbom.digest.get("sha256") if signed_sbom else None
    sbom = sbom_with_digest(session, digest) if digest else None
    if sbom is not None:
        reference = merge_references(reference, reference_from_sbom(sbom))
    return release_reference(product, version, reference)


def _reconcile_findings(session: Session, device_id: int, attestation_id: int,
                        result: AttestationResult, at: datetime) -> None:
    kept = attestation_store.kept_device_findings(session, device_id)
    observed = {(f.kind.value, f.path): f for f in reversed(result.findings)}  # first wins
    plan = reconcile({key: state for key, (_id, state) in kept.items()},
                     [(f.kind.value, f.path) for f in result.findings])
    attestation_store.insert_device_findings(
        session, device_id, attestation_id, [observed[key] for key in plan.opened], at)
    attestation_store.refresh_device_findings(
        session, attestation_id, [(kept[key][0], observed[key]) for key in plan.refreshed], at)
    attestation_store.refresh_device_findings(
        session, attestation_id, [(kept[key][0], observed[key]) for key in plan.reopened], at,
        reopen=True)
    attestation_store.resolve_device_findings(
        session, [kept[key][0] for key in plan.resolved], _RESOLUTION)
