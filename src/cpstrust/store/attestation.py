"""Device attestation in the database: challenges, reference values, appraisals and
the findings they keep open, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import orjson
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from cpstrust.errors import InputError, NotFoundError
from cpstrust.formats.attestation import ATTESTATION_PREDICATE, write_quote
from cpstrust.formats.dsse import read_envelope
from cpstrust.formats.slsa import PROVENANCE_V1
from cpstrust.model.advisory import Severity
from cpstrust.model.attestation import (
    AttestationResult,
    AttestationVerdict,
    Challenge,
    MissingReference,
    ReleaseReference,
)
from cpstrust.model.finding import FindingStatus
from cpstrust.model.tpm import TpmQuote
from cpstrust.model.trust import Refused
from cpstrust.store.sboms import sbom_with_digest
from cpstrust.store.tables import (
    AttestationChallengeRow,
    DeviceAttestationRow,
    DeviceFindingRow,
    DeviceRow,
    EvidenceRow,
    ProductRow,
    ReleaseRow,
    SiteRow,
)
from cpstrust.store.trust import current_trust_store, record_evidence
from cpstrust.timeutil import as_utc
from cpstrust.trust.attestation import release_reference
from cpstrust.trust.authenticity import (
    merge_references,
    reference_from_sbom,
    reference_from_subjects,
)
from cpstrust.trust.release import verify_release

NONCE_BYTES = 32
# Answered or expired challenges are kept this long (to tell "replayed" from
# "unknown" in logs), then removed when new ones are issued.
CHALLENGE_RETENTION = timedelta(hours=1)
_NONCE = re.compile(r"[0-9a-f]{32,128}")
# Verdicts reached by comparing measurements: only these say which findings still hold.
_COMPARED = {AttestationVerdict.GENUINE, AttestationVerdict.MODIFIED,
             AttestationVerdict.UNLISTED}


@dataclass(frozen=True, slots=True)
class DeviceStatus:
    """A device with its latest attestation (None before the first)."""

    name: str
    site: str
    product: str
    version: str
    verdict: AttestationVerdict | None
    reasons: tuple[str, ...]
    appraised_at: datetime | None
    open_findings: int


@dataclass(frozen=True, slots=True)
class DeviceFinding:
    kind: str
    path: str
    expected: str | None
    actual: str | None
    severity: Severity
    status: FindingStatus
    reason: str
    first_seen: datetime
    last_seen: datetime


def issue_challenge(session: Session, device_name: str, ttl: timedelta,
                    now: datetime | None = None) -> Challenge:
    """A fresh nonce (32 random bytes, hex) for ``device_name``, valid for ``ttl``."""
    now = now or datetime.now(UTC)
    device_id = session.scalars(select(DeviceRow.id).where(DeviceRow.name == device_name)).first()
    if device_id is None:
        raise NotFoundError(f"no device named {device_name!r}",
                            hint="devices come from `cpstrust chain load`")
    session.execute(delete(AttestationChallengeRow).where(
        AttestationChallengeRow.expires_at < now - CHALLENGE_RETENTION))
    challenge = Challenge(secrets.token_hex(NONCE_BYTES), device_name, now, now + ttl)
    session.add(AttestationChallengeRow(nonce=challenge.nonce, device_id=device_id,
                                        issued_at=now, expires_at=challenge.expires_at))
    session.flush()
    return challenge


def take_challenge(session: Session, nonce: str, now: datetime | None = None) -> Challenge | None:
    """Consume the challenge of ``nonce``: one UPDATE that only an unanswered challenge
    matches, so of two concurrent answers exactly one gets it. None when the nonce is
    unknown or already answered; an expired challenge is returned (and consumed) for
    the appraisal to call it stale."""
    if not _NONCE.fullmatch(nonce):
        return None
    row = session.execute(
        update(AttestationChallengeRow)
        .where(AttestationChallengeRow.nonce == nonce, AttestationChallengeRow.used_at.is_(None))
        .values(used_at=now or datetime.now(UTC))
        .returning(AttestationChallengeRow.device_id, AttestationChallengeRow.issued_at,
                   AttestationChallengeRow.expires_at)
    ).first()
    if row is None:
        return None
    device = session.get_one(DeviceRow, row.device_id)
    return Challenge(nonce, device.name, as_utc(row.issued_at), as_utc(row.expires_at))


def device_named(session: Session, name: str) -> DeviceRow:
    row = session.scalars(select(DeviceRow).where(DeviceRow.name == name)).first()
    if row is None:
        raise NotFoundError(f"no device named {name!r}", hint="`cpstrust devices` lists them")
    return row


def reference_for_release(session: Session, release_id: int,
                          at: datetime) -> ReleaseReference | MissingReference:
    """The reference values of a release: the subjects (path -> SHA-256) of its newest
    release evidence, verified again against the current trust store, merged with its
    stored SBOM when the signed provenance names that SBOM's digest."""
    release = session.get_one(ReleaseRow, release_id)
    product = session.get_one(ProductRow, release.product_id)
    label = f"{product.name} {release.version}"
    row = session.scalars(
        select(EvidenceRow)
        .where(EvidenceRow.release_id == release_id, EvidenceRow.predicate_type == PROVENANCE_V1)
        .order_by(EvidenceRow.received_at.desc(), EvidenceRow.id.desc()).limit(1)
    ).first()
    if row is None:
        return MissingReference(f"no signed release evidence is stored for {label} "
                                "(import it with `cpstrust release import`)")
    try:
        envelope = read_envelope(row.envelope, f"evidence {row.id}")
    except InputError as exc:
        return MissingReference(f"the release evidence of {label} is unreadable: "
                                f"{exc.diagnostics()}")
    verified = verify_release(envelope, current_trust_store(session), at=at,
                              product=product.name, version=release.version,
                              source=f"evidence {row.id}")
    if isinstance(verified, Refused):
        return MissingReference(f"the release evidence of {label} is not trusted "
                                f"({verified.reason.value}): {verified.detail}")
    reference = reference_from_subjects(verified.subject_digests)
    # Only the SBOM the signed release names: another could declare any file genuine.
    signed_sbom = verified.provenance.sbom
    digest = signed_sbom.digest.get("sha256") if signed_sbom else None
    sbom = sbom_with_digest(session, digest) if digest else None
    if sbom is not None:
        reference = merge_references(reference, reference_from_sbom(sbom))
    return release_reference(product.name, release.version, reference)


def record_attestation(session: Session, device_id: int, result: AttestationResult, *,
                       envelope: bytes, quote: TpmQuote | None, at: datetime) -> int:
    """Store one appraisal in the caller's transaction: the report as evidence when a
    device key vouched for it, the verdict, and the findings' lifecycle when the
    measurements were compared. Returns the attestation id."""
    # Serialise appraisals of one device (PostgreSQL) so findings are not duplicated.
    session.execute(select(DeviceRow.id).where(DeviceRow.id == device_id).with_for_update())
    evidence_id = None
    if result.signer is not None:
        evidence_id = record_evidence(session, predicate_type=ATTESTATION_PREDICATE,
                                      envelope=envelope, signer_keyids=[result.signer],
                                      device_id=device_id, source="verifier")
    attestation = DeviceAttestationRow(
        device_id=device_id, verdict=result.verdict.value,
        reasons=orjson.dumps(list(result.reasons)).decode(), signer_keyid=result.signer,
        evidence_id=evidence_id,
        quote=orjson.dumps(write_quote(quote)).decode() if quote is not None else None,
        appraised_at=at,
    )
    session.add(attestation)
    session.flush()
    if result.verdict in _COMPARED:
        _update_findings(session, device_id, attestation.id, result, at)
    return attestation.id


def _update_findings(session: Session, device_id: int, attestation_id: int,
                     result: AttestationResult, at: datetime) -> None:
    """New findings open; those seen again are refreshed and keep their status (a
    fixed one that is back opens again); those no longer seen are fixed."""
    existing = {(row.kind, row.path): row for row in session.scalars(
        select(DeviceFindingRow).where(DeviceFindingRow.device_id == device_id))}
    seen: set[tuple[str, str]] = set()
    for finding in result.findings:
        key = (finding.kind.value, finding.path)
        if key in seen:
            continue
        seen.add(key)
        row = existing.get(key)
        if row is None:
            row = DeviceFindingRow(device_id=device_id, kind=key[0], path=key[1],
                                   status=FindingStatus.OPEN.value, first_seen=at)
            session.add(row)
        elif row.status == FindingStatus.FIXED.value:
            row.status = FindingStatus.OPEN.value
        row.attestation_id = attestation_id
        row.expected, row.actual = finding.expected, finding.actual
        row.severity, row.reason, row.last_seen = int(finding.severity), finding.reason, at
    for key, row in existing.items():
        if key not in seen and row.status != FindingStatus.FIXED.value:
            row.status = FindingStatus.FIXED.value
    session.flush()


def device_statuses(session: Session, name: str | None = None) -> list[DeviceStatus]:
    """Every device (or the one named) with site, release, latest verdict and the
    number of open findings, by name."""
    latest = (select(func.max(DeviceAttestationRow.id))
              .where(DeviceAttestationRow.device_id == DeviceRow.id)
              .correlate(DeviceRow).scalar_subquery())
    open_count = (select(func.count(DeviceFindingRow.id))
                  .where(DeviceFindingRow.device_id == DeviceRow.id,
                         DeviceFindingRow.status == FindingStatus.OPEN.value)
                  .correlate(DeviceRow).scalar_subquery())
    query = (
        select(DeviceRow.name, SiteRow.name, ProductRow.name, ReleaseRow.version,
               DeviceAttestationRow.verdict, DeviceAttestationRow.reasons,
               DeviceAttestationRow.appraised_at, open_count)
        .join(SiteRow, SiteRow.id == DeviceRow.site_id)
        .join(ReleaseRow, ReleaseRow.id == DeviceRow.release_id)
        .join(ProductRow, ProductRow.id == ReleaseRow.product_id)
        .outerjoin(DeviceAttestationRow, DeviceAttestationRow.id == latest)
        .order_by(DeviceRow.name)
    )
    if name is not None:
        query = query.where(DeviceRow.name == name)
    return [
        DeviceStatus(device, site, product, version,
                     AttestationVerdict(verdict) if verdict else None,
                     tuple(orjson.loads(reasons)) if reasons else (),
                     as_utc(appraised) if appraised else None, count)
        for device, site, product, version, verdict, reasons, appraised, count
        in session.execute(query)
    ]


def device_findings(session: Session, name: str) -> list[DeviceFinding]:
    """The findings of device ``name``: open first, then worst, then by path."""
    device = device_named(session, name)
    rows = session.scalars(select(DeviceFindingRow).where(DeviceFindingRow.device_id == device.id))
    findings = [DeviceFinding(r.kind, r.path, r.expected, r.actual, Severity(r.severity),
                              FindingStatus(r.status), r.reason, as_utc(r.first_seen),
                              as_utc(r.last_seen)) for r in rows]
    return sorted(findings, key=lambda f: (f.status is not FindingStatus.OPEN, -f.severity,
                                           f.path, f.kind))
